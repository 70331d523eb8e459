//! The accountability commands: `jobmatch audit` (exposure by group) and `jobmatch access-log`
//! (who read a seeker's personal data).

use super::*;
use crate::cli::{AccessLogArgs, AuditArgs};

/// `jobmatch audit`: the exposure audit's tables.
pub async fn audit(args: AuditArgs, client: &ClientOptions) -> Result<()> {
    let mut client = client.matching(&args.server).await?;
    let response = client
        .exposure_audit(pb::ExposureAuditRequest {
            regions: args.regions.clone(),
            k: args.k,
            max_postings: args.max_postings,
            seed: args.seed,
            include_plan: args.plan,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        println!("{}", to_json(&response)?);
    } else {
        print!("{}", print_audit(&response));
    }
    Ok(())
}

/// The audit as text: a header, then one table per source, a line per group.
pub fn print_audit(audit: &pb::ExposureAuditResponse) -> String {
    let mut out = format!(
        "exposure audit: {} of {} postings, {} seekers, top {}\n\
         qualified: {}\n\
         impact ratio: a group's exposures over an equal share of each of its postings' \
         exposures, against the best group of its dimension; ⚑ under 0.8 (four-fifths rule); \
         groups under {} seekers: counts only\n",
        audit.postings_audited,
        audit.postings_total,
        audit.seekers,
        audit.k,
        audit.qualified,
        audit.min_group_seekers
    );
    for table in &audit.tables {
        let measure = match table.source.as_str() {
            "ranking" => "in the top k",
            "plan" => "on a MatchRegion shortlist",
            _ => "hired, of pairs with an outcome",
        };
        out.push_str(&format!(
            "\n{} ({} postings; rate = {measure})\n{:<16} {:<24} {:>7} {:>7} {:>7} {:>17} {:>17}\n",
            table.source,
            table.postings,
            "dimension",
            "group",
            "seekers",
            "pairs",
            "exposed",
            "rate [95% CI]",
            "ratio [95% CI]"
        ));
        if table.groups.is_empty() {
            out.push_str("  (no pairs)\n");
        }
        for g in &table.groups {
            let (rate, ratio) = if g.suppressed {
                ("(too few)".to_string(), String::new())
            } else {
                (
                    format!(
                        "{:.1}% [{:.1},{:.1}]",
                        100.0 * g.rate,
                        100.0 * g.rate_low,
                        100.0 * g.rate_high
                    ),
                    format!(
                        "{:.2} [{:.2},{:.2}]{}",
                        g.impact_ratio,
                        g.impact_ratio_low,
                        g.impact_ratio_high,
                        if g.flagged { " ⚑" } else { "" }
                    ),
                )
            };
            out.push_str(&format!(
                "{:<16} {:<24} {:>7} {:>7} {:>7} {:>17} {:>17}\n",
                g.dimension, g.group, g.seekers, g.pairs, g.exposed, rate, ratio
            ));
        }
    }
    for note in &audit.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

/// `jobmatch access-log --seeker ID`: the seeker's access records, oldest first.
pub async fn access_log(args: AccessLogArgs, client: &ClientOptions) -> Result<()> {
    let mut client = client.matching(&args.server).await?;
    // Every page, so the listing is the seeker's whole record.
    let mut response = pb::ListAccessRecordsResponse::default();
    loop {
        let page = client
            .list_access_records(pb::ListAccessRecordsRequest {
                seeker_id: args.seeker.clone(),
                from: args.from.clone().unwrap_or_default(),
                to: args.to.clone().unwrap_or_default(),
                page_size: crate::paging::MAX_LOG_PAGE,
                page_token: std::mem::take(&mut response.next_page_token),
            })
            .await
            .map_err(status_error)?
            .into_inner();
        response.records.extend(page.records);
        response.next_page_token = page.next_page_token;
        if response.next_page_token.is_empty() {
            break;
        }
    }
    if args.json {
        println!("{}", to_json(&response)?);
        return Ok(());
    }
    println!(
        "{:<24} {:<16} {:<10} {:<20} {:<7} {:<22} {:<8} request",
        "at", "caller", "role", "rpc", "action", "fields", "via"
    );
    for r in &response.records {
        println!(
            "{:<24} {:<16} {:<10} {:<20} {:<7} {:<22} {:<8} {}",
            r.at,
            r.caller,
            r.role,
            r.rpc,
            r.action,
            r.fields.join(","),
            r.via,
            r.request_id
        );
    }
    println!("{} records", response.records.len());
    Ok(())
}
