//! Native throughput of `otp::extract_code` over the corpus (budget: ≥ 1,000,000 SMS/s).
//! `cargo bench --bench otp_throughput`; `-- --check` exits non-zero under budget.
use std::time::Instant;

fn main() {
    let corpus: Vec<String> = include_str!("../tests/data/otp_corpus.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_once('\t').unwrap().1.replace("\\n", "\n"))
        .collect();
    let check = std::env::args().any(|a| a == "--check");
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
    println!("otp_throughput: {:.0} SMS/s (best of 5, {} messages, avg {} bytes, {} with a code)", best, corpus.len(), bytes / corpus.len(), found);
    if check && best < 1_000_000.0 {
        eprintln!("below the budget of 1,000,000 SMS/s");
        std::process::exit(1);
    }
}
