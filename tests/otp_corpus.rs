//! Quality gate for `otp::extract_code` on the multilingual corpus in
//! tests/data/otp_corpus.tsv: exact-match accuracy ≥ 0.98 and no-code SMS
//! wrongly given a code ≤ 1%.
use otpdock::otp::extract_code;

fn corpus() -> Vec<(Option<String>, String)> {
    include_str!("data/otp_corpus.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (want, text) = l.split_once('\t').expect("expected<TAB>text");
            let want = if want == "-" { None } else { Some(want.to_string()) };
            (want, text.replace("\\n", "\n"))
        })
        .collect()
}

#[test]
fn corpus_accuracy_and_false_fill_rate() {
    let c = corpus();
    assert!(c.len() >= 200, "corpus has {} cases", c.len());
    let (mut ok, mut no_code, mut false_fill) = (0usize, 0usize, 0usize);
    let mut failures = vec![];
    for (want, text) in &c {
        let got = extract_code(text);
        if &got == want {
            ok += 1;
        } else {
            failures.push(format!("want {want:?} got {got:?}: {text:?}"));
        }
        if want.is_none() {
            no_code += 1;
            if got.is_some() {
                false_fill += 1;
            }
        }
    }
    let acc = ok as f64 / c.len() as f64;
    let ff = false_fill as f64 / no_code.max(1) as f64;
    println!("corpus: {} cases, accuracy {acc:.4}, false fill {ff:.4} ({false_fill}/{no_code})", c.len());
    for f in &failures {
        println!("  {f}");
    }
    assert!(acc >= 0.98, "accuracy {acc:.4} < 0.98\n{}", failures.join("\n"));
    assert!(ff <= 0.01, "false fill {ff:.4} > 0.01\n{}", failures.join("\n"));
}

#[test]
fn hostile_texts_do_not_panic() {
    let long = "9".repeat(100_000);
    let cases = [
        "",
        " ",
        "\u{0}",
        "@",
        "@ #",
        "@host #",
        "@.#1234",
        "<#>",
        "1",
        "١٢٣٤٥٦",
        "𝟏𝟐𝟑𝟒",
        "\u{202e}1234 code",
        &long,
        "code code code",
        "code:\u{200b}1\u{200b}2\u{200b}3\u{200b}4",
        "كود",
        "🔐 code 🔢 1234 🔑",
    ];
    for t in cases {
        let _ = extract_code(t);
    }
    assert_eq!(extract_code("code:\u{200b}1234"), Some("1234".into()));
    assert_eq!(extract_code("Your code: 12\u{200b}34\u{200e}56"), Some("123456".into()));
}
