//! `jobmatch recommend`, `match-region` and `shortlist`: ranked lists as tables, JSON or CSV.

use super::*;

fn options(args: &RecommendArgs) -> pb::RankingOptions {
    pb::RankingOptions {
        top_k: args.top_k,
        semantic_weight: args.semantic_weight,
        geo_weight: args.geo_weight,
        decay_scale_km: args.decay_scale_km,
        max_distance_km: args.max_distance_km,
        ignore_seeker_commute: args.ignore_seeker_commute,
        lexical_weight: args.lexical_weight,
        language: args.lang.tag().into(),
        ..Default::default()
    }
}

/// Columns on a terminal: Hangul and other wide characters take two cells.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// `text` cut to at most `width` cells and padded to exactly `width`.
fn cell(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.extend(std::iter::repeat_n(' ', width - used));
    out
}

fn print_row(
    rank: usize,
    id: &str,
    label: &str,
    region: &str,
    s: &pb::ScoreBreakdown,
    explanation: Option<&pb::Explanation>,
) {
    println!(
        "{rank:>3}  {} {} {} {:>8.1} {:>8.3} {:>6.2} {:>6.3} {:>7.3}",
        cell(id, 10),
        cell(label, 40),
        cell(region, 24),
        s.distance_km,
        s.semantic_similarity,
        s.lexical_score,
        s.geo_score,
        s.final_score
    );
    if let Some(e) = explanation {
        println!("     why: {}", e.reason);
    }
}

/// The support programmes a recommended pair meets, by name (`jobmatch programmes` and `--json`
/// give the conditions, near misses and sources).
fn print_programmes(programmes: &[pb::ProgrammeMatch]) {
    let met: Vec<&str> = programmes
        .iter()
        .filter(|p| p.eligible)
        .map(|p| p.name.as_str())
        .collect();
    if !met.is_empty() {
        println!("     programmes (verify before use): {}", met.join(", "));
    }
}

/// Says when nothing within the seekers' commutes is a match (the list, if any, lies beyond).
fn print_reach(nothing_within_reach: bool, empty: bool, noun: &str) {
    let commute = if noun == "posting" {
        "the seeker's commute"
    } else {
        "the seekers' commutes"
    };
    match (nothing_within_reach, empty) {
        (true, false) => println!(
            "No {noun} within {commute} clears the relevance floor; the matches below lie beyond it."
        ),
        (true, true) => println!("No {noun} within {commute} clears the relevance floor."),
        (false, true) => println!("No {noun} clears the relevance floor."),
        (false, false) => {}
    }
}

fn print_header(first: &str) {
    println!(
        "{:>3}  {} {} {} {:>8} {:>8} {:>6} {:>6} {:>7}",
        "#",
        cell("id", 10),
        cell(first, 40),
        cell("region", 24),
        "km",
        "semantic",
        "words",
        "geo",
        "final"
    );
}

/// `jobmatch recommend`: prints the ranked list as a table (or proto-JSON).
pub async fn recommend(args: RecommendArgs, client: &ClientOptions) -> Result<()> {
    let mut client = client.matching(&args.server).await?;
    if let Some(posting_id) = &args.posting {
        candidates_for_posting(&mut client, posting_id, &args).await
    } else if let Some(seeker_id) = &args.seeker {
        postings_for_seeker(&mut client, seeker_id, &args).await
    } else {
        Ok(())
    }
}

fn print_json<T: serde::Serialize>(response: &T) -> Result<()> {
    println!(
        "{}",
        serde_json::to_string_pretty(response).map_err(|e| Error::Io(e.to_string()))?
    );
    Ok(())
}

/// One result of a ranked list, whichever direction it was asked in.
struct Line<'a> {
    id: &'a str,
    label: String,
    region: &'a str,
    score: Option<&'a pb::ScoreBreakdown>,
    explanation: Option<&'a pb::Explanation>,
    programmes: &'a [pb::ProgrammeMatch],
}

/// The table of a ranked list of `noun`s, with the reach notice above it.
fn print_ranked(noun: &str, nothing_within_reach: bool, lines: Vec<Line>) {
    print_reach(nothing_within_reach, lines.is_empty(), noun);
    print_header(noun);
    for (i, line) in lines.iter().enumerate() {
        print_row(
            i + 1,
            line.id,
            &line.label,
            line.region,
            &line.score.cloned().unwrap_or_default(),
            line.explanation,
        );
        print_programmes(line.programmes);
    }
}

async fn candidates_for_posting(
    client: &mut Client,
    posting_id: &str,
    args: &RecommendArgs,
) -> Result<()> {
    let response = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: posting_id.to_string(),
            options: Some(options(args)),
            filter: None,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        return print_json(&response);
    }
    let posting = client
        .get_posting(pb::GetRequest {
            id: posting_id.to_string(),
        })
        .await
        .map_err(status_error)?
        .into_inner();
    println!(
        "Candidates for posting {} — {} ({}, {})",
        posting.id, posting.title, posting.company_name, response.origin_region_name
    );
    let lines = response.candidates.iter().map(|c| Line {
        id: &c.seeker_id,
        label: format!("{} · {}", c.display_name, c.headline),
        region: &c.region_name,
        score: c.score.as_ref(),
        explanation: c.explanation.as_ref(),
        programmes: &c.programmes,
    });
    print_ranked("seeker", response.nothing_within_reach, lines.collect());
    Ok(())
}

async fn postings_for_seeker(
    client: &mut Client,
    seeker_id: &str,
    args: &RecommendArgs,
) -> Result<()> {
    let response = client
        .recommend_postings(pb::RecommendPostingsRequest {
            seeker_id: seeker_id.to_string(),
            options: Some(options(args)),
            filter: None,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        return print_json(&response);
    }
    println!(
        "Postings for seeker {seeker_id} ({})",
        response.origin_region_name
    );
    let lines = response.postings.iter().map(|p| Line {
        id: &p.posting_id,
        label: format!("{} · {}", p.title, p.company_name),
        region: &p.region_name,
        score: p.score.as_ref(),
        explanation: p.explanation.as_ref(),
        programmes: &p.programmes,
    });
    print_ranked("posting", response.nothing_within_reach, lines.collect());
    Ok(())
}

/// `jobmatch match-region`: plan shortlists for a region and compare with greedy top-k.
pub async fn match_region(args: MatchRegionArgs, client: &ClientOptions) -> Result<()> {
    let mut client = client.matching(&args.server).await?;
    let response = client
        .match_region(pb::MatchRegionRequest {
            posting_ids: args.postings.clone(),
            regions: args.regions.clone(),
            k: args.k,
            max_lists_per_seeker: args.max_lists,
            options: Some(pb::RankingOptions {
                top_k: args.candidates,
                ignore_seeker_commute: args.ignore_seeker_commute,
                language: args.lang.tag().into(),
                ..Default::default()
            }),
            filter: None,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        println!("{}", to_json(&response)?);
        return Ok(());
    }
    println!(
        "{:<22} {:>11} {:>16} {:>12} {:>12}",
        "", "total score", "distinct seekers", "empty lists", "short lists"
    );
    for (name, summary) in [
        ("plan (capped)", &response.plan),
        ("greedy top-k", &response.greedy),
    ] {
        let s = summary.unwrap_or_default();
        println!(
            "{name:<22} {:>11.3} {:>16} {:>12} {:>12}",
            s.total_score, s.distinct_seekers, s.empty_lists, s.short_lists
        );
    }
    for list in &response.shortlists {
        println!(
            "\n{} {} ({} of {})",
            list.posting_id,
            list.title,
            list.candidates.len(),
            list.size
        );
        list.candidates.iter().for_each(print_planned);
    }
    Ok(())
}

/// One planned seeker: id, final score and the reason line.
fn print_planned(c: &pb::CandidateMatch) {
    let score = c.score.clone().unwrap_or_default();
    let reason = c.explanation.as_ref().map_or("", |e| e.reason.as_str());
    println!("  {:<10} {:.3}  {reason}", c.seeker_id, score.final_score);
}

/// The ids in a file, one per line; blank lines and '#' comments skipped.
fn read_ids(path: &std::path::Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(io_err("read", path))?;
    Ok(text
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect())
}

/// `jobmatch place-cohort --seekers FILE --companies FILE`: the plan, who is left out and why.
pub async fn place_cohort(args: crate::cli::PlaceCohortArgs, client: &ClientOptions) -> Result<()> {
    let (seeker_ids, posting_ids) = (read_ids(&args.seekers)?, read_ids(&args.companies)?);
    let mut client = client.matching(&args.server).await?;
    let response = client
        .place_cohort(pb::PlaceCohortRequest {
            seeker_ids,
            posting_ids,
            options: Some(pb::RankingOptions {
                ignore_seeker_commute: args.ignore_seeker_commute,
                language: args.lang.tag().into(),
                ..Default::default()
            }),
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        println!("{}", to_json(&response)?);
        return Ok(());
    }
    for (name, summary) in [("plan (LP)", &response.plan), ("greedy", &response.greedy)] {
        let s = summary.unwrap_or_default();
        println!(
            "{name:<10} total score {:.3}, {} seekers placed",
            s.total_score, s.distinct_seekers
        );
    }
    for placement in &response.placements {
        println!(
            "\n{} {} — {} ({} of {} openings)",
            placement.posting_id,
            placement.title,
            placement.company_name,
            placement.seekers.len(),
            placement.openings
        );
        placement.seekers.iter().for_each(print_planned);
    }
    if !response.unplaced.is_empty() {
        println!("\nNot placed:");
        for u in &response.unplaced {
            println!(
                "  {:<10} {:<12} {}",
                u.seeker_id, u.display_name, u.reason_text
            );
        }
    }
    Ok(())
}

/// `jobmatch shortlist`: a posting's candidates with explanations, as CSV or JSON on stdout.
pub async fn shortlist(args: ShortlistArgs, client: &ClientOptions) -> Result<()> {
    let mut client = client.matching(&args.server).await?;
    let response = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: args.posting.clone(),
            options: Some(pb::RankingOptions {
                top_k: args.top_k,
                ignore_seeker_commute: args.ignore_seeker_commute,
                language: args.lang.tag().into(),
                ..Default::default()
            }),
            filter: None,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    let mut rows = Vec::new();
    for (i, candidate) in response.candidates.into_iter().enumerate() {
        let resume = if args.include_resume {
            let seeker = client
                .get_seeker(pb::GetRequest {
                    id: candidate.seeker_id.clone(),
                })
                .await
                .map_err(status_error)?
                .into_inner();
            Some(seeker.resume)
        } else {
            None
        };
        rows.push(ShortlistRow::new(i + 1, candidate, resume));
    }
    match args.format {
        ExportFormat::Json => println!("{}", to_json(&rows)?),
        ExportFormat::Csv => write_csv(&rows, std::io::stdout())?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_count_hangul_as_two_columns() {
        assert_eq!(display_width("용접 CO2"), 8);
        assert_eq!(cell("용접기능사", 5), "용접 ");
        assert_eq!(display_width(&cell("경기도 화성시", 24)), 24);
        assert_eq!(cell("abc", 5), "abc  ");
    }
}
