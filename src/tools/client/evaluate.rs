//! `jobmatch eval`: the labelled sets through the real model and store, beside the reference
//! rankers.

use super::*;

/// `jobmatch eval`: one or two models on every labelled set, beside the reference rankers, with
/// the defaults' margin over each set's best reference; optionally a search for the settings
/// whose worst set's margin is largest.
pub async fn eval(args: EvalArgs) -> Result<()> {
    use crate::eval;
    let limits = args.limits.to_limits();
    let settings = args.ranking.to_settings();
    let fusion = settings.defaults;
    fusion.validate(crate::ranking::flag_name)?;
    let mut reports = Vec::new();
    let mut kept = Vec::new();
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
        let (report, indexed) = eval_set(&args, &name, &set, settings).await?;
        println!("{}", eval::render(&report));
        reports.push(report);
        if args.tune {
            kept.push((name, set, indexed));
        }
    }
    let tuning = match args.tune {
        true => Some(tune_report(&args, &kept).await?),
        false => None,
    };
    if let Some(tuning) = &tuning {
        println!("{}", eval::render_tuning(tuning, args.split.name()));
    }
    if let Some(path) = &args.json {
        let text =
            serde_json::to_string_pretty(&serde_json::json!({ "sets": reports, "tuning": tuning }))
                .map_err(|e| Error::Io(e.to_string()))?;
        std::fs::write(path, text).map_err(io_err("write", path))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Every reference ranker of `set` on `qrels`, seeker by seeker: the model-free ones and "dense
/// only, commute filter" with `indexed`'s model.
async fn references_per_seeker(
    set: &crate::eval::EvalSet,
    qrels: &crate::eval::Qrels,
    indexed: &crate::eval::Indexed,
    fusion: crate::ranking::FusionParams,
) -> Result<Vec<(String, Vec<crate::eval::QueryMetrics>)>> {
    use crate::eval;
    let mut rows: Vec<(String, Vec<eval::QueryMetrics>)> = eval::reference_rankers(set, qrels)
        .into_iter()
        .map(|(name, per_seeker)| (name.to_string(), per_seeker))
        .collect();
    let dense = indexed
        .evaluate_with(qrels, eval::dense_reference(fusion), Some(false))
        .await?;
    rows.push((
        format!("dense only, commute filter ({})", indexed.model),
        dense,
    ));
    Ok(rows)
}

/// Searches the settings on every set's train split for the largest worst-set margin over the
/// sets' best references, then reports that setting's margin on each set's reported split.
async fn tune_report(
    args: &EvalArgs,
    sets: &[(String, crate::eval::EvalSet, crate::eval::Indexed)],
) -> Result<crate::eval::TuneReport> {
    use crate::eval;
    let fusion = args.ranking.to_settings().defaults;
    let mut targets = Vec::new();
    for (name, set, indexed) in sets {
        let train = set.qrels.split(eval::Split::Train);
        let references = references_per_seeker(set, &train, indexed, fusion).await?;
        let best_reference_ndcg = references
            .iter()
            .map(|(_, per_seeker)| eval::summarise(per_seeker).ndcg_at_10.mean)
            .fold(f64::NEG_INFINITY, f64::max);
        targets.push(eval::TuneTarget {
            name: name.clone(),
            indexed,
            train,
            best_reference_ndcg,
        });
    }
    eprintln!(
        "tuning on {} train splits for the worst margin (coordinate search, {} settings a round)",
        targets.len(),
        eval::tune_neighbours(fusion).len()
    );
    let points = eval::tune(&targets, fusion, 3).await?;
    let given = points
        .iter()
        .find(|p| p.params == fusion)
        .map_or(f64::NAN, |p| p.worst_margin);
    let mut reported_margins = Vec::new();
    for (name, set, indexed) in sets {
        let reported = set.qrels.split(args.split);
        let references = references_per_seeker(set, &reported, indexed, fusion).await?;
        let ours = indexed.evaluate(&reported, points[0].params).await?;
        if let Some((_, margin)) = eval::margin_over_best(&references, &ours) {
            reported_margins.push((name.clone(), margin));
        }
    }
    Ok(eval::TuneReport {
        model: sets.first().map(|s| s.2.model.clone()).unwrap_or_default(),
        best: points[0],
        given_worst_margin: given,
        reported_margins,
        top: points.into_iter().take(10).collect(),
    })
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
        [
            "./samples/eval",
            "./samples/occupations",
            "./samples/public",
        ]
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

/// Every figure of one set: references, each model with its margin over the best of them, the
/// lexical side alone against TF-IDF, and the optional ablation. Returns the first model's index
/// too (for `--tune`).
async fn eval_set(
    args: &EvalArgs,
    name: &str,
    set: &crate::eval::EvalSet,
    settings: crate::matching::RankingSettings,
) -> Result<(crate::eval::Report, crate::eval::Indexed)> {
    use crate::eval;
    let reported = set.qrels.split(args.split);
    if reported.relevant_seekers().next().is_none() {
        let problem = format!(
            "no labelled seeker falls in the {} split",
            args.split.name()
        );
        return Err(Error::invalid(name, problem));
    }
    let mut model_dirs = vec![args.model.clone()];
    model_dirs.extend(args.compare.clone());
    let (mut models, mut per_model, mut ablation, mut first) =
        (Vec::new(), Vec::new(), Vec::new(), None);
    let mut references = Vec::new();
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
        let own_references = references_per_seeker(set, &reported, &indexed, fusion).await?;
        indexed.ignore_seeker_commute = args.ignore_seeker_commute;
        let per_seeker = indexed.evaluate(&reported, fusion).await?;
        let (best_reference, margin) = eval::margin_over_best(&own_references, &per_seeker)
            .expect("there are always reference rankers");
        let words = eval::ablation_settings(fusion)
            .into_iter()
            .find(|(name, _)| *name == "sparse only")
            .map(|(_, f)| f)
            .expect("the ablation has a sparse-only row");
        let words_only = indexed.evaluate(&reported, words).await?;
        let tfidf = &own_references
            .iter()
            .find(|(name, _)| name == "TF-IDF char 2-3")
            .expect("TF-IDF is a reference")
            .1;
        models.push(eval::ModelReport {
            model: indexed.model.clone(),
            model_dir: dir.clone(),
            summary: eval::summarise(&per_seeker),
            best_reference,
            margin,
            words_only: eval::summarise(&words_only),
            words_margin_over_tfidf: eval::compare(tfidf, &words_only),
        });
        if args.ablation {
            let rows = ablation_rows(&indexed, &reported, fusion).await?;
            ablation.push((indexed.model.clone(), rows));
        }
        // The model-free references once; the dense one per model.
        for (name, per_seeker) in own_references {
            if references
                .iter()
                .all(|r: &eval::ReferenceRow| r.name != name)
            {
                references.push(eval::ReferenceRow {
                    name,
                    summary: eval::summarise(&per_seeker),
                });
            }
        }
        per_model.push(per_seeker);
        first.get_or_insert(indexed);
    }
    let difference = match &per_model[..] {
        [a, b] => Some(eval::compare(a, b)),
        _ => None,
    };
    let report = eval::Report {
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
        ablation,
    };
    Ok((report, first.expect("at least one model")))
}
