//! Native throughput of `otp::extract_code` over the corpus (budget: ≥ 1,000,000 SMS/s).
//! `cargo bench --bench otp_throughput -- --check [MIN]` exits non-zero under MIN
//! SMS/s (default: the budget). test.sh runs it as a regression guard.
use std::time::Instant;

fn main() {
    let corpus: Vec<String> = include_str!("../tests/data/otp_corpus.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_once('\t').unwrap().1.replace("\\n", "\n"))
        .collect();
    let args: Vec<String> = std::env::args().collect();
    let check = args
        .iter()
        .position(|a| a == "--check")
        .map(|i| args.get(i + 1).and_then(|m| m.parse::<f64>().ok()).unwrap_or(1_000_000.0));
    // warm-up
    let mut found = 0usize;
    for t in &corpus {
        found += otpdock::otp::extract_code(t).is_some() as usize;
    }
    let mut best = 0f64;
    for _ in 0..5 {
        let rounds = 400;
        let start = Instant::now();
        let mut n = 0usize;
        for _ in 0..rounds {
            for t in &corpus {
                n += std::hint::black_box(otpdock::otp::extract_code(std::hint::black_box(t))).is_some() as usize;
            }
        }
        let secs = start.elapsed().as_secs_f64();
        std::hint::black_box(n);
        best = best.max((rounds * corpus.len()) as f64 / secs);
    }
    let bytes: usize = corpus.iter().map(|t| t.len()).sum();
    println!(
        "otp_throughput: {:.0} SMS/s (best of 5, {} messages, avg {} bytes, {} with a code)",
        best,
        corpus.len(),
        bytes / corpus.len(),
        found
    );
    if let Some(min) = check {
        if best < min {
            eprintln!("otp_throughput: {best:.0} SMS/s is below {min:.0}");
            std::process::exit(1);
        }
    }
}
