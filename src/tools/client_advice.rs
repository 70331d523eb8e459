//! The CLI's client commands for the advice services: `advise-posting`, `advise-seeker` and
//! `programmes`, each a call to a running server (programmes evaluates two stored records
//! fetched from it).

use crate::api::{self, pb};
use crate::cli::{AdvisePostingArgs, AdviseSeekerArgs, AssessArgs, ProgrammesArgs};
use crate::client::{status_error, ClientOptions};
use crate::domain::Limits;
use crate::error::{io_err, Error, Result};
use crate::geo::Gazetteer;
use crate::programmes::{Programmes, Today};

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| Error::Io(e.to_string()))?
    );
    Ok(())
}

fn print_programmes(programmes: &[pb::ProgrammeMatch]) {
    if programmes.is_empty() {
        println!("  (none met or missed by one condition)");
    }
    for p in programmes {
        let state = if p.eligible {
            "meets".to_string()
        } else {
            format!("one condition short: {}", p.failed_condition)
        };
        println!("  - {} ({}) — {state}", p.name, p.name_en);
        // The summary (what it gives, the conditions this file cannot express) is in --json.
        println!(
            "    rules of {}, verify before use: {}",
            p.rules_read, p.source
        );
    }
}

fn print_completeness(fields: &[pb::FieldAdvice]) {
    if fields.is_empty() {
        println!("  nothing missing");
    }
    for f in fields {
        println!("  - {}: {}", f.field, f.advice);
    }
}

/// `jobmatch advise-posting --file draft.json`
pub async fn advise_posting(args: AdvisePostingArgs, client: &ClientOptions) -> Result<()> {
    let text = std::fs::read_to_string(&args.file).map_err(io_err("read", &args.file))?;
    let draft: pb::Posting = serde_json::from_str(&text).map_err(|e| {
        Error::invalid(
            args.file.display().to_string(),
            format!("not a posting in protobuf JSON: {e}"),
        )
    })?;
    let title = draft.title.clone();
    let mut client = client.matching(&args.server).await?;
    let advice = client
        .advise_posting(pb::AdvisePostingRequest {
            draft: Some(draft),
            options: None,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        return print_json(&advice);
    }
    println!("Advice for the draft posting \"{title}\"");
    println!("\nSimilar stored postings in its region:");
    for s in &advice.similar {
        println!(
            "  {:<10} {} ({}) similarity {:.3}, {:.1} km",
            s.posting_id, s.title, s.company_name, s.similarity, s.distance_km
        );
    }
    println!("\nSkills and certificates they ask for that the draft does not:");
    for s in &advice.skills_to_add {
        println!(
            "  - {}: {} of {} ({})",
            s.skill,
            s.asked_by,
            s.out_of,
            s.posting_ids.join(", ")
        );
    }
    if let Some(m) = &advice.market {
        println!(
            "\nMarket: {} stored seekers within reach match it; {} have all its skills ({} considered)",
            m.seekers_matching, m.seekers_with_all_skills, m.seekers_considered
        );
        for d in &m.if_dropped {
            println!(
                "  without {}: {} matching seekers have all the other skills",
                d.skill, d.seekers_with_all_others
            );
        }
    }
    println!("\nMissing or vague fields:");
    print_completeness(&advice.completeness);
    println!("\nSupport programmes (posting side):");
    print_programmes(&advice.programmes);
    Ok(())
}

/// `jobmatch advise-seeker --seeker ID`
pub async fn advise_seeker(args: AdviseSeekerArgs, client: &ClientOptions) -> Result<()> {
    let mut client = client.matching(&args.server).await?;
    let advice = client
        .advise_seeker(pb::AdviseSeekerRequest {
            seeker_id: args.seeker.clone(),
            options: None,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        return print_json(&advice);
    }
    println!(
        "Advice for seeker {} ({} postings within reach weighed)",
        args.seeker, advice.postings_considered
    );
    println!("\nSkills and certificates that would open the most postings:");
    for g in advice.skill_gaps.iter().take(8) {
        println!(
            "  - {}: opens {} ({}), asked by {}",
            g.skill,
            g.opens_posting_ids.len(),
            g.opens_posting_ids.join(", "),
            g.asked_by
        );
    }
    println!("\nResume completeness:");
    print_completeness(&advice.completeness);
    println!("\nInterview preparation:");
    for prep in &advice.interview {
        println!("  {} — {}", prep.posting_id, prep.title);
        for q in &prep.questions {
            let skill = if q.skill.is_empty() {
                String::new()
            } else {
                format!(", {}", q.skill)
            };
            println!("    · {} [{}{skill}]", q.question, q.family);
        }
    }
    if let Some(interests) = &advice.interests {
        println!("\nInterests (a conversation starter, not a diagnosis):");
        print_interests(interests);
    }
    println!("\nSupport programmes (seeker side):");
    print_programmes(&advice.programmes);
    Ok(())
}

fn print_interests(interests: &pb::InterestAdvice) {
    let profile = interests.profile.clone().unwrap_or_default();
    let scores: Vec<String> = profile
        .scores
        .iter()
        .map(|s| format!("{} {:.1}", s.name, s.score))
        .collect();
    println!("  {}", scores.join(" · "));
    if profile.flat {
        println!("  flat profile: no family suggested");
    } else {
        println!(
            "  code {}{}",
            profile.code,
            if profile.ambiguous {
                " (a tie decided it)"
            } else {
                ""
            }
        );
    }
    for f in interests.families.iter().filter(|f| f.suggested) {
        println!(
            "  - {} ({}): fit {:.2}, {} postings within reach",
            f.name, f.family, f.fit, f.postings_in_reach
        );
    }
}

/// Reads an answers file: `ID<sep>VALUE` per line (tab, comma or spaces), `#` comments.
fn read_answers(path: &std::path::Path) -> Result<Vec<pb::InterestAnswer>> {
    let text = std::fs::read_to_string(path).map_err(io_err("read", path))?;
    let mut answers = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line
            .split(|c: char| c == ',' || c == '\t' || c.is_whitespace())
            .filter(|p| !p.is_empty());
        let (Some(id), Some(value), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::invalid(
                "--answers",
                format!(
                    "{}:{}: expected an item id and a value",
                    path.display(),
                    n + 1
                ),
            ));
        };
        let value = value.parse().map_err(|_| {
            Error::invalid(
                "--answers",
                format!(
                    "{}:{}: '{value}' is not a number 1–5",
                    path.display(),
                    n + 1
                ),
            )
        })?;
        answers.push(pb::InterestAnswer {
            item_id: id.to_string(),
            value,
        });
    }
    Ok(answers)
}

/// `jobmatch assess --items` or `--seeker ID --answers FILE`.
pub async fn assess(args: AssessArgs, client: &ClientOptions) -> Result<()> {
    if args.items {
        println!("# id\ttype\tvalue (1 매우 싫다 … 5 매우 좋다)\ttext");
        for item in &crate::advice::interests::Inventory::builtin().items {
            let text = match args.lang {
                crate::domain::Language::Korean => &item.ko,
                crate::domain::Language::English => &item.en,
            };
            println!("{}\t{}\t\t{text}", item.id, item.kind.letter());
        }
        return Ok(());
    }
    let (Some(seeker), Some(path)) = (&args.seeker, &args.answers) else {
        return Err(Error::invalid(
            "--seeker",
            "give --seeker and --answers, or --items",
        ));
    };
    let answers = read_answers(path)?;
    let mut client = client.matching(&args.server).await?;
    let response = client
        .assess_interests(pb::AssessInterestsRequest {
            seeker_id: seeker.clone(),
            answers,
            options: Some(pb::RankingOptions {
                language: args.lang.tag().into(),
                ..Default::default()
            }),
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        return print_json(&response);
    }
    println!("Interest profile of seeker {seeker} (a conversation starter, not a diagnosis):");
    print_interests(&response.interests.unwrap_or_default());
    Ok(())
}

/// `jobmatch programmes --seeker ID --posting ID`: the programmes the pair meets or nearly meets.
pub async fn programmes(args: ProgrammesArgs, client: &ClientOptions) -> Result<()> {
    let programmes = match &args.programmes {
        Some(path) => Programmes::from_file(path)?,
        None => Programmes::builtin(),
    };
    let mut client = client.matching(&args.server).await?;
    let seeker = client
        .get_seeker(pb::GetRequest {
            id: args.seeker.clone(),
        })
        .await
        .map_err(status_error)?
        .into_inner();
    let posting = client
        .get_posting(pb::GetRequest {
            id: args.posting.clone(),
        })
        .await
        .map_err(status_error)?
        .into_inner();
    let today = chrono::Utc::now().date_naive().to_string();
    let today = Today::of(&today);
    // The server validated both records against its own limits when they were stored.
    let limits = Limits {
        max_text_bytes: usize::MAX,
        ..Limits::default()
    };
    let seeker = api::seeker_from_proto(seeker, &limits, Gazetteer::builtin(), today.year)?;
    let posting = api::posting_from_proto(posting, &limits, Gazetteer::builtin())?;
    let fits: Vec<pb::ProgrammeMatch> = programmes
        .fits(Some(&seeker), Some(&posting), today, args.lang)
        .iter()
        .map(api::programme_to_proto)
        .collect();
    if args.json {
        return print_json(&fits);
    }
    println!(
        "Support programmes for seeker {} and posting {} ({})",
        seeker.id, posting.id, posting.title
    );
    print_programmes(&fits);
    Ok(())
}
