//! A shortlist as a counsellor exports it (CSV or JSON rows), from the RecommendCandidates answer:
//! one writer for the CLI's `jobmatch shortlist` and the console's download.

use serde::Serialize;

use crate::api::pb;
use crate::error::{Error, Result};

/// One exported shortlist line: the explanation columns, and the resume only when asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShortlistRow {
    pub rank: usize,
    pub seeker_id: String,
    pub display_name: String,
    pub region: String,
    pub distance_km: f64,
    pub final_score: f64,
    pub semantic_similarity: f64,
    pub geo_score: f64,
    pub boost: f64,
    pub skills_matched: String,
    pub skills_missing: String,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resume: Option<String>,
}

impl ShortlistRow {
    /// The row of the candidate at `rank` (1-based), with its resume when the caller asked.
    pub fn new(rank: usize, candidate: pb::CandidateMatch, resume: Option<String>) -> Self {
        let score = candidate.score.unwrap_or_default();
        let explanation = candidate.explanation.unwrap_or_default();
        Self {
            rank,
            seeker_id: candidate.seeker_id,
            display_name: candidate.display_name,
            region: candidate.region_name,
            distance_km: (score.distance_km * 10.0).round() / 10.0,
            final_score: score.final_score,
            semantic_similarity: score.semantic_similarity,
            geo_score: score.geo_score,
            boost: score.boost,
            skills_matched: explanation.skills_matched.join("; "),
            skills_missing: explanation.skills_missing.join("; "),
            reason: explanation.reason,
            resume,
        }
    }
}

/// Writes the rows as CSV with a header line.
pub fn write_csv(rows: &[ShortlistRow], out: impl std::io::Write) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    for row in rows {
        writer
            .serialize(row)
            .map_err(|e| Error::Io(format!("cannot write CSV: {e}")))?;
    }
    writer
        .flush()
        .map_err(|e| Error::Io(format!("cannot write CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_keeps_the_reason_and_the_resume_only_when_given() {
        let candidate = pb::CandidateMatch {
            seeker_id: "s1".into(),
            display_name: "서아, \"A\"".into(),
            score: Some(pb::ScoreBreakdown {
                distance_km: 12.345,
                final_score: 0.5,
                ..Default::default()
            }),
            explanation: Some(pb::Explanation {
                skills_matched: vec!["TIG 용접".into(), "CO2 용접".into()],
                reason: "같은 시·군·구, 필수 기술 2개 보유".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let rows = [
            ShortlistRow::new(1, candidate.clone(), None),
            ShortlistRow::new(2, candidate, Some("line one\nline two".into())),
        ];
        assert!((rows[0].distance_km - 12.3).abs() < 1e-9);
        let mut out = Vec::new();
        write_csv(&rows[..1], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("resume"), "{text}");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[2], "서아, \"A\"");
        assert_eq!(&record[9], "TIG 용접; CO2 용접");
        let mut out = Vec::new();
        write_csv(&rows[1..], &mut out).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_slice());
        assert_eq!(reader.headers().unwrap().iter().next_back(), Some("resume"));
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.iter().next_back(), Some("line one\nline two"));
    }
}
