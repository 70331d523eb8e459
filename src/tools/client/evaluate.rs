//! `jobmatch eval`: the labelled sets through the real model and store, beside the reference
//! rankers.

use super::*;

/// `jobmatch eval`: one or two models on every labelled set, beside the reference rankers,
/// optionally with a weight search on each set's train split.
pub async fn eval(args: EvalArgs) -> Result<()> {
    use crate::eval;
    let limits = args.limits.to_limits();
    let settings = args.ranking.to_settings();
    let fusion = settings.defaults;
    fusion.validate(crate::ranking::flag_name)?;
    let mut reports = Vec::new();
    for (name, postings, seekers, qrels) in eval_sets(&args) {
        let postings = read_postings(&postings, &limits)?;
        let seekers = read_seekers(&seekers, &limits)?;
        let qrels = {
            let seeker_ids = seekers.iter().map(|s| s.id.as_str()).collect();
            let posting_ids = postings.iter().map(|p| p.id.as_str()).collect();
            eval::read_qrels(&qrels, &seeker_ids, &posting_ids)?
        };
        let set = eval::EvalSet {
            postings,
            seekers,
            qrels,
        };
        let report = eval_set(&args, &name, &set, settings).await?;
        println!("{}", eval::render(&report));
        reports.push(report);
    }
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&serde_json::json!({ "sets": reports }))
            .map_err(|e| Error::Io(e.to_string()))?;
        std::fs::write(path, text)
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The sets `eval` runs on: (name, postings, seekers, qrels).
fn eval_sets(args: &EvalArgs) -> Vec<(String, PathBuf, PathBuf, PathBuf)> {
    let files = |dir: &Path| {
        (
            dir.display().to_string(),
            dir.join("postings.jsonl"),
            dir.join("seekers.jsonl"),
            dir.join("qrels.tsv"),
        )
    };
    if args.postings.is_some() || args.seekers.is_some() || args.qrels.is_some() {
        let default = Path::new("./samples/eval");
        let qrels = args.qrels.clone().unwrap_or(default.join("qrels.tsv"));
        return vec![(
            qrels.display().to_string(),
            args.postings
                .clone()
                .unwrap_or(default.join("postings.jsonl")),
            args.seekers
                .clone()
                .unwrap_or(default.join("seekers.jsonl")),
            qrels,
        )];
    }
    if args.sets.is_empty() {
        ["./samples/eval", "./samples/occupations"]
            .into_iter()
            .map(|d| files(Path::new(d)))
            .collect()
    } else {
        args.sets.iter().map(|d| files(d)).collect()
    }
}

/// Each signal or setting taken away in turn, on the reported split.
async fn ablation_rows(
    indexed: &crate::eval::Indexed,
    reported: &crate::eval::Qrels,
    fusion: crate::ranking::FusionParams,
) -> Result<Vec<crate::eval::AblationRow>> {
    let mut rows = Vec::new();
    for (name, setting) in crate::eval::ablation_settings(fusion) {
        let per_seeker = indexed.evaluate(reported, setting).await?;
        rows.push(crate::eval::AblationRow {
            name: name.to_string(),
            fusion: setting.into(),
            summary: crate::eval::summarise(&per_seeker),
        });
    }
    Ok(rows)
}

/// Tunes on the train split; the best setting is then measured on the reported split.
async fn tune_report(
    indexed: &crate::eval::Indexed,
    train: &crate::eval::Qrels,
    reported: &crate::eval::Qrels,
    fusion: crate::ranking::FusionParams,
) -> Result<crate::eval::TuneReport> {
    use crate::eval;
    eprintln!(
        "tuning {} on the train split (coordinate search, {} settings a round)",
        indexed.model,
        eval::tune_neighbours(fusion).len()
    );
    let points = eval::tune(indexed, train, fusion, 4).await?;
    let given_ndcg = eval::summarise(&indexed.evaluate(train, fusion).await?);
    let best_reported = eval::summarise(&indexed.evaluate(reported, points[0].params).await?);
    Ok(eval::TuneReport {
        model: indexed.model.clone(),
        best: points[0],
        given_ndcg_at_10: given_ndcg.ndcg_at_10.mean,
        reported_ndcg_at_10: best_reported.ndcg_at_10.mean,
        top: points.into_iter().take(10).collect(),
    })
}

/// The reference rankers that need no model (TF-IDF, distance, ...), on the reported labels.
fn model_free_references(
    set: &crate::eval::EvalSet,
    reported: &crate::eval::Qrels,
) -> Vec<crate::eval::ReferenceRow> {
    crate::eval::reference_rankers(set, reported)
        .into_iter()
        .map(|(name, per_seeker)| crate::eval::ReferenceRow {
            name: name.to_string(),
            summary: crate::eval::summarise(&per_seeker),
        })
        .collect()
}

/// Every figure of one set: references, each model, and the optional ablation and tuning.
async fn eval_set(
    args: &EvalArgs,
    name: &str,
    set: &crate::eval::EvalSet,
    settings: crate::matching::RankingSettings,
) -> Result<crate::eval::Report> {
    use crate::eval;
    let reported = set.qrels.split(args.split);
    let train = set.qrels.split(eval::Split::Train);
    if reported.relevant_seekers().next().is_none() {
        let problem = format!(
            "no labelled seeker falls in the {} split",
            args.split.name()
        );
        return Err(Error::invalid(name, problem));
    }
    let mut references = model_free_references(set, &reported);
    let mut model_dirs = vec![args.model.clone()];
    model_dirs.extend(args.compare.clone());
    let (mut models, mut per_model, mut tuning, mut ablation) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut given = None;
    for dir in &model_dirs {
        eprintln!(
            "{name}: indexing {} postings and {} seekers with {}",
            set.postings.len(),
            set.seekers.len(),
            dir.display()
        );
        let mut indexed = eval::index(dir, set, settings, args.analyser).await?;
        // As the server ranks: the flags' settings, with the model's band unless flags set one.
        let fusion = indexed.matcher.default_fusion();
        given.get_or_insert(fusion);
        // The reference "dense only, commute filter" always respects the commute.
        let dense = indexed
            .evaluate_with(&reported, eval::dense_reference(fusion), Some(false))
            .await?;
        references.push(eval::ReferenceRow {
            name: format!("dense only, commute filter ({})", indexed.model),
            summary: eval::summarise(&dense),
        });
        indexed.ignore_seeker_commute = args.ignore_seeker_commute;
        let per_seeker = indexed.evaluate(&reported, fusion).await?;
        models.push(eval::ModelReport {
            model: indexed.model.clone(),
            model_dir: dir.clone(),
            summary: eval::summarise(&per_seeker),
        });
        if args.ablation {
            let rows = ablation_rows(&indexed, &reported, fusion).await?;
            ablation.push((indexed.model.clone(), rows));
        }
        if args.tune {
            tuning.push(tune_report(&indexed, &train, &reported, fusion).await?);
        }
        per_model.push(per_seeker);
    }
    let difference = match &per_model[..] {
        [a, b] => Some(eval::compare(a, b)),
        _ => None,
    };
    Ok(eval::Report {
        set: name.to_string(),
        split: args.split.name(),
        seeker_commute: if args.ignore_seeker_commute {
            "ignored"
        } else {
            "respected"
        },
        seekers_evaluated: per_model[0].len(),
        references,
        analyser: args.analyser.name().to_string(),
        fusion: given.unwrap_or(settings.defaults).into(),
        models,
        difference,
        tuning,
        ablation,
    })
}
