//! Native throughput of `otp::extract_code` over the corpus (budget: ≥ 1,000,000 SMS/s),
//! then its time on adversarial inputs of 30 KB and 300 KB ("1 1 1 ...", "a1 a1 ...", digit
//! runs, repeated keywords, mixed scripts...), which must stay linear and bounded.
//! `cargo bench --bench otp_throughput -- --check [MIN]` exits non-zero when one adversarial
//! input of 300 KB takes more than `ADVERSARIAL_BUDGET_MS`, or when extraction is slower than
//! MIN (default `MIN_RELATIVE`) times a fixed reference pass over the same corpus, timed in the
//! same process. The reference pass (decode every char, class it, hash it: the cheapest loop
//! that touches what extraction touches) makes the guard independent of the machine's speed:
//! the absolute figure moved by 30 % between two rounds' machines and swings by 20 % between
//! runs on one, so an absolute floor failed CI on unchanged code. The absolute SMS/s is still
//! printed against the budget. test.sh runs it as a guard.
use std::time::Instant;

/// Natively, a 300 KB hostile SMS must cost less than this (it is cut to 4 KB before scanning;
/// before the cut and the linear look-aheads, "1 1 1 ..." of 300 KB took about 33 s).
const ADVERSARIAL_BUDGET_MS: f64 = 20.0;

/// Budget, SMS per second (printed, not enforced: it depends on the machine).
const BUDGET_SMS_PER_S: f64 = 1_000_000.0;

/// Default floor of extraction throughput divided by the reference pass's throughput. Measured
/// 0.18–0.21 before the CJK index and ASCII fast path, 0.21–0.27 after (while the absolute
/// figure swung between 430k and 620k SMS/s): a slowdown of about a third fails. Round 11's
/// masked keyword heads and fast paths: 0.25–0.28, 1.00–1.03 M SMS/s on a quiet machine
/// (from 0.80–0.91 M; 9,620 -> 7,960 instructions per SMS under callgrind).
const MIN_RELATIVE: f64 = 0.15;

/// A fixed workload independent of the crate: per char, UTF-8 decoding, a Unicode class test
/// and an FNV-1a step. Only the machine's speed moves its time.
fn reference_pass(corpus: &[String]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for t in corpus {
        for c in std::hint::black_box(t.as_str()).chars() {
            let class = if c.is_alphanumeric() { 1 } else { 2 };
            h = (h ^ (c as u64 + class)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn repeat_to(unit: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() < bytes {
        s.push_str(unit);
    }
    s
}

fn adversarial(bytes: usize) -> Vec<(&'static str, String)> {
    let units: [(&str, &str); 14] = [
        ("'1 1 1 ...'", "1 "),
        ("'a1 a1 ...'", "a1 "),
        ("digit run", "9"),
        ("'12 34 56 ...'", "12 "),
        ("'1-1-1 ...'", "1-"),
        ("'1.1.1 ...'", "1."),
        ("'AB1-CD2-...'", "AB1-"),
        ("'(1234) ...'", "(1234) "),
        ("repeated keyword", "code "),
        ("keyword + digit", "code 1 "),
        ("'order code 1234' ...", "order code 1234 "),
        ("mixed scripts", "код 12 コード34 رمز٥٦ קוד 7 הסיסמה 𝟏 验证码8 "),
        ("invisible chars", "1\u{200b}"),
        ("WebOTP lines", "@a.b #1234 x\n"),
    ];
    let mut out: Vec<(&'static str, String)> = units.iter().map(|(n, u)| (*n, repeat_to(u, bytes))).collect();
    out.push(("long Hebrew word", repeat_to("ה", bytes)));
    out.push(("no spaces", repeat_to("x1234y", bytes)));
    out
}

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
        .map(|i| args.get(i + 1).and_then(|m| m.parse::<f64>().ok()).unwrap_or(MIN_RELATIVE));
    // warm-up
    let mut found = 0usize;
    for t in &corpus {
        found += otpdock::otp::extract_code(t).is_some() as usize;
    }
    // extraction and the reference pass alternate, best of 7 each: a slow moment of the
    // machine hits both
    let (mut best, mut best_ref) = (0f64, 0f64);
    for _ in 0..7 {
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
        let ref_rounds = 4000;
        let start = Instant::now();
        let mut h = 0u64;
        for _ in 0..ref_rounds {
            h ^= reference_pass(&corpus);
        }
        let secs = start.elapsed().as_secs_f64();
        std::hint::black_box(h);
        best_ref = best_ref.max((ref_rounds * corpus.len()) as f64 / secs);
    }
    let relative = best / best_ref;
    let bytes: usize = corpus.iter().map(|t| t.len()).sum();
    println!(
        "otp_throughput: {:.0} SMS/s (best of 7, {} messages, avg {} bytes, {} with a code; budget {:.0} on the reference machine)",
        best,
        corpus.len(),
        bytes / corpus.len(),
        found,
        BUDGET_SMS_PER_S
    );
    println!("otp_throughput: reference pass {best_ref:.0} SMS/s; extraction at {relative:.4} of it");
    let mut failed = false;
    if let Some(min) = check {
        if relative < min {
            eprintln!("otp_throughput: extraction at {relative:.4} of the reference pass, below {min:.4}");
            failed = true;
        }
    }
    let mut worst_300k = 0f64;
    for size in [30_000usize, 300_000] {
        for (name, text) in adversarial(size) {
            let mut best_ms = f64::MAX;
            for _ in 0..3 {
                let start = Instant::now();
                std::hint::black_box(otpdock::otp::extract(std::hint::black_box(&text)));
                best_ms = best_ms.min(start.elapsed().as_secs_f64() * 1e3);
            }
            println!("otp_adversarial: {:>4} KB {name:<24} {best_ms:.3} ms", size / 1000);
            if size == 300_000 {
                worst_300k = worst_300k.max(best_ms);
            }
        }
    }
    println!("otp_adversarial: worst 300 KB input {worst_300k:.3} ms (budget {ADVERSARIAL_BUDGET_MS} ms)");
    if check.is_some() && worst_300k > ADVERSARIAL_BUDGET_MS {
        eprintln!("otp_adversarial: a 300 KB input took {worst_300k:.3} ms, over {ADVERSARIAL_BUDGET_MS} ms");
        failed = true;
    }
    if failed {
        std::process::exit(1);
    }
}
