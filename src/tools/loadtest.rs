//! `jobmatch loadtest`: concurrent clients against a server on this machine, bounded in time and
//! count, with a mix of operations; prints throughput, latency percentiles and errors by status.
//!
//! Records it creates have ids starting with `lt-`; `--seed-postings` / `--seed-seekers` create
//! the population first (not timed). Loopback addresses only: this is a benchmark, not a weapon.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::api::pb;
use crate::cli::LoadtestArgs;
use crate::client::ClientOptions;
use crate::error::{Error, Result};

/// The operations a mix can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Recommend,
    Upsert,
    Get,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Recommend => "recommend",
            Op::Upsert => "upsert",
            Op::Get => "get",
        }
    }
}

/// Parses `recommend=80,upsert=20` into cumulative weights.
pub fn parse_mix(mix: &str) -> Result<Vec<(Op, u32)>> {
    let mut out = Vec::new();
    for part in mix.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, weight) = part
            .split_once('=')
            .ok_or_else(|| Error::invalid("--mix", format!("'{part}' is not op=weight")))?;
        let op = match name.trim() {
            "recommend" => Op::Recommend,
            "upsert" => Op::Upsert,
            "get" => Op::Get,
            other => {
                return Err(Error::invalid(
                    "--mix",
                    format!("unknown operation '{other}' (recommend, upsert, get)"),
                ))
            }
        };
        let weight: u32 = weight
            .trim()
            .parse()
            .map_err(|_| Error::invalid("--mix", format!("'{weight}' is not a whole number")))?;
        out.push((op, weight));
    }
    if out.iter().map(|(_, w)| w).sum::<u32>() == 0 {
        return Err(Error::invalid("--mix", "the weights add up to 0"));
    }
    Ok(out)
}

/// Only this machine: host must be 127.0.0.1, ::1 or localhost.
pub fn check_loopback(addr: &str) -> Result<()> {
    let uri: tonic::codegen::http::Uri = addr
        .parse()
        .map_err(|e| Error::invalid("--addr", format!("'{addr}' is not a URL: {e}")))?;
    match uri.host() {
        Some("127.0.0.1") | Some("localhost") | Some("[::1]") | Some("::1") => Ok(()),
        _ => Err(Error::invalid(
            "--addr",
            format!("'{addr}' is not a loopback address; loadtest only targets this machine"),
        )),
    }
}

use crate::rng::SplitMix as Rng;

const REGIONS: [&str; 12] = [
    "경기도 화성시",
    "경기도 평택시",
    "경기도 안산시 단원구",
    "경상남도 창원시 성산구",
    "울산광역시 남구",
    "충청남도 천안시 서북구",
    "경상북도 구미시",
    "인천광역시 남동구",
    "광주광역시 광산구",
    "대구광역시 달서구",
    "부산광역시 강서구",
    "대전광역시 유성구",
];
const JOBS: [(&str, &str); 8] = [
    ("용접 생산직", "용접기능사 보유, CO2 용접 경험"),
    ("CNC 가공원", "컴퓨터응용선반기능사, MCT 실습"),
    ("전기 보전", "전기기능사, PLC 시퀀스 제어"),
    ("사출 성형 오퍼레이터", "사출기 운전, 지게차 면허"),
    ("회계 사무원", "전산회계 1급, 더존 사용"),
    ("간호조무사", "간호조무사 자격, 병원 실습"),
    ("물류 입출고", "지게차, 재고 관리"),
    ("SW 테스트", "테스트 케이스 작성, Python 기초"),
];

fn seeker(id: String, i: u64) -> pb::Seeker {
    let (job, resume) = JOBS[(i % JOBS.len() as u64) as usize];
    pb::Seeker {
        id,
        display_name: format!("부하 {i}"),
        headline: format!("{job} 희망"),
        resume: format!("{resume}. 성실하게 일하겠습니다."),
        skills: vec![],
        home: Some(pb::Location {
            kind: Some(pb::location::Kind::Region(
                REGIONS[(i % REGIONS.len() as u64) as usize].into(),
            )),
        }),
        max_commute_km: 0.0,
        education_track: pb::EducationTrack::SpecialisedHighSchool as i32,
        birth_year: 2000 + (i % 8) as u32,
        available_from: String::new(),
        discharge_date: String::new(),
    }
}

fn posting(i: u64) -> pb::Posting {
    let (job, desc) = JOBS[(i % JOBS.len() as u64) as usize];
    pb::Posting {
        id: format!("lt-p{i}"),
        company_id: format!("lt-c{}", i % 97),
        company_name: format!("(주)부하{}", i % 97),
        title: format!("{job} 채용"),
        description: format!("{desc} 우대."),
        skills: vec![],
        location: Some(pb::Location {
            kind: Some(pb::location::Kind::Region(
                REGIONS[((i * 7) % REGIONS.len() as u64) as usize].into(),
            )),
        }),
        openings: 1,
        sector: "manufacturing".into(),
        employment_type: pb::EmploymentType::FullTime as i32,
        certified_company: i.is_multiple_of(3),
    }
}

fn status_error(status: tonic::Status) -> Error {
    Error::Io(format!(
        "server answered {:?}: {}",
        status.code(),
        status.message()
    ))
}

/// Creates `lt-p0..` and `lt-s0..` (not timed).
async fn seed(args: &LoadtestArgs, options: &ClientOptions) -> Result<()> {
    let mut client = options.matching(&args.addr).await?;
    let batch = args.seed_batch.max(1) as u64;
    let started = Instant::now();
    for start in (0..args.seed_postings).step_by(batch as usize) {
        let postings = (start..(start + batch).min(args.seed_postings))
            .map(posting)
            .collect();
        client
            .upsert_postings(pb::UpsertPostingsRequest { postings })
            .await
            .map_err(status_error)?;
    }
    for start in (0..args.seed_seekers).step_by(batch as usize) {
        let seekers = (start..(start + batch).min(args.seed_seekers))
            .map(|i| seeker(format!("lt-s{i}"), i))
            .collect();
        client
            .upsert_seekers(pb::UpsertSeekersRequest { seekers })
            .await
            .map_err(status_error)?;
        eprint!(
            "\rseeded {} / {} seekers",
            (start + batch).min(args.seed_seekers),
            args.seed_seekers
        );
    }
    eprintln!(
        "\rseeded {} postings and {} seekers in {:.0} s",
        args.seed_postings,
        args.seed_seekers,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[derive(Default)]
struct Tally {
    latencies: BTreeMap<Op, Vec<Duration>>,
    codes: BTreeMap<(Op, String), u64>,
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

/// Runs the load test and prints the report.
pub async fn run(args: LoadtestArgs, options: &ClientOptions) -> Result<()> {
    check_loopback(&args.addr)?;
    let mix = parse_mix(&args.mix)?;
    if args.concurrency == 0 || args.duration_secs == 0 {
        return Err(Error::invalid(
            "--concurrency",
            "concurrency and duration must be at least 1",
        ));
    }
    if args.seed_postings > 0 || args.seed_seekers > 0 {
        seed(&args, options).await?;
    }
    let work = Work {
        mix,
        postings: args.postings.max(1),
        seekers: args.seekers.max(1),
        deadline: Instant::now() + Duration::from_secs(args.duration_secs),
        max_requests: args.max_requests,
        issued: Arc::new(AtomicU64::new(0)),
        tally: Arc::new(Mutex::new(Tally::default())),
    };
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..args.concurrency {
        let client = options.matching(&args.addr).await?;
        let work = work.clone();
        workers.push(tokio::spawn(async move { work.run(worker, client).await }));
    }
    for worker in workers {
        let _ = worker.await;
    }
    let wall = started.elapsed().as_secs_f64();
    let mut tally = work.tally.lock().unwrap_or_else(|p| p.into_inner());
    print_report(&mut tally, wall, args.concurrency);
    Ok(())
}

/// What every client of the load test shares: the mix, the records, the clock and the tally.
#[derive(Clone)]
struct Work {
    mix: Vec<(Op, u32)>,
    postings: u64,
    seekers: u64,
    deadline: Instant,
    max_requests: Option<u64>,
    issued: Arc<AtomicU64>,
    tally: Arc<Mutex<Tally>>,
}

impl Work {
    /// One client's loop: a random operation of the mix, timed, until the deadline.
    async fn run(&self, worker: usize, mut client: crate::client::Client) {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (worker as u64 + 1).wrapping_mul(0x2545_f491));
        let total_weight: u32 = self.mix.iter().map(|(_, w)| w).sum();
        let mut n = 0u64;
        while Instant::now() < self.deadline {
            let issued = self.issued.fetch_add(1, Ordering::Relaxed);
            if self.max_requests.is_some_and(|m| issued >= m) {
                break;
            }
            let op = self.pick(rng.below(total_weight as usize) as u32);
            let began = Instant::now();
            let result = match op {
                Op::Recommend => client
                    .recommend_candidates(pb::RecommendCandidatesRequest {
                        posting_id: format!("lt-p{}", rng.below(self.postings as usize)),
                        options: Some(pb::RankingOptions {
                            top_k: 10,
                            ..Default::default()
                        }),
                        filter: None,
                    })
                    .await
                    .map(drop),
                Op::Upsert => {
                    n += 1;
                    client
                        .upsert_seekers(pb::UpsertSeekersRequest {
                            seekers: vec![seeker(format!("lt-u{worker}-{n}"), n)],
                        })
                        .await
                        .map(drop)
                }
                Op::Get => client
                    .get_seeker(pb::GetRequest {
                        id: format!("lt-s{}", rng.below(self.seekers as usize)),
                    })
                    .await
                    .map(drop),
            };
            let elapsed = began.elapsed();
            let code = match &result {
                Ok(()) => "OK".to_string(),
                Err(status) => crate::metrics::code_name(status.code()).to_string(),
            };
            let mut tally = self.tally.lock().unwrap_or_else(|p| p.into_inner());
            tally.latencies.entry(op).or_default().push(elapsed);
            *tally.codes.entry((op, code)).or_default() += 1;
        }
    }

    /// The operation whose share of the mix's weights holds `pick`.
    fn pick(&self, mut pick: u32) -> Op {
        self.mix
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map(|(op, _)| *op)
            .unwrap_or(Op::Recommend)
    }
}

fn print_report(tally: &mut Tally, wall: f64, concurrency: usize) {
    let total: usize = tally.latencies.values().map(Vec::len).sum();
    println!(
        "{total} requests in {wall:.1} s with {concurrency} clients: {:.1} requests/s",
        total as f64 / wall
    );
    println!(
        "{:<10} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "operation", "count", "req/s", "p50 ms", "p95 ms", "p99 ms"
    );
    for (op, latencies) in tally.latencies.iter_mut() {
        latencies.sort();
        println!(
            "{:<10} {:>8} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
            op.name(),
            latencies.len(),
            latencies.len() as f64 / wall,
            percentile(latencies, 0.50),
            percentile(latencies, 0.95),
            percentile(latencies, 0.99)
        );
    }
    println!("status codes:");
    for ((op, code), count) in &tally.codes {
        println!("  {:<10} {code:<20} {count}", op.name());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixes_and_addresses_are_checked() {
        assert_eq!(
            parse_mix("recommend=80, upsert=20").unwrap(),
            vec![(Op::Recommend, 80), (Op::Upsert, 20)]
        );
        assert!(parse_mix("recommend=80,delete=20").is_err());
        assert!(parse_mix("recommend=0").is_err());
        assert!(parse_mix("recommend").is_err());
        assert!(check_loopback("http://127.0.0.1:50051").is_ok());
        assert!(check_loopback("http://localhost:1").is_ok());
        assert!(check_loopback("http://10.0.0.8:50051").is_err());
        assert!(check_loopback("http://example.com:50051").is_err());
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert!((percentile(&sorted, 0.50) - 50.0).abs() < 1e-9);
        assert!((percentile(&sorted, 0.99) - 99.0).abs() < 1e-9);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }
}
