#![cfg(not(target_arch = "wasm32"))]
//! The fill check against the real Public Suffix List the extension ships:
//! Debian's `publicsuffix` package (installed by scripts/toolchain.sh, copied
//! into dist by build.sh from this same path). Cases from the list's own test
//! file (publicsuffix/list `tests/test_psl.txt`), given in the punycode form
//! the browser's URL parser hands over, plus the hosts of issue 11.

use otpdock::site::{authorize, Deny, FillKind, FillRequest, FrameInfo, Psl, Trigger};

const PSL_PATH: &str = "/usr/share/publicsuffix/public_suffix_list.dat";

fn psl() -> Psl {
    let text = std::fs::read_to_string(PSL_PATH)
        .unwrap_or_else(|e| panic!("{PSL_PATH}: {e} (run scripts/toolchain.sh: it installs Debian's publicsuffix)"));
    let p = Psl::parse(&text);
    assert!(p.len() > 8000, "a real list has thousands of rules, got {}", p.len());
    p
}

#[test]
fn official_test_vectors() {
    let p = psl();
    let cases: &[(&str, Option<&str>)] = &[
        ("COM", None),
        ("example.COM", Some("example.com")),
        ("WwW.example.COM", Some("example.com")),
        (".com", None),
        (".example", None),
        (".example.com", None),
        ("example", None),
        ("example.example", Some("example.example")),
        ("b.example.example", Some("example.example")),
        ("a.b.example.example", Some("example.example")),
        ("biz", None),
        ("domain.biz", Some("domain.biz")),
        ("b.domain.biz", Some("domain.biz")),
        ("com", None),
        ("example.com", Some("example.com")),
        ("b.example.com", Some("example.com")),
        ("uk.com", None),
        ("example.uk.com", Some("example.uk.com")),
        ("b.example.uk.com", Some("example.uk.com")),
        ("test.ac", Some("test.ac")),
        ("mm", None),
        ("c.mm", None),
        ("b.c.mm", Some("b.c.mm")),
        ("a.b.c.mm", Some("b.c.mm")),
        ("jp", None),
        ("test.jp", Some("test.jp")),
        ("www.test.jp", Some("test.jp")),
        ("ac.jp", None),
        ("test.ac.jp", Some("test.ac.jp")),
        ("www.test.ac.jp", Some("test.ac.jp")),
        ("kyoto.jp", None),
        ("test.kyoto.jp", Some("test.kyoto.jp")),
        ("ide.kyoto.jp", None),
        ("b.ide.kyoto.jp", Some("b.ide.kyoto.jp")),
        ("a.b.ide.kyoto.jp", Some("b.ide.kyoto.jp")),
        ("c.kobe.jp", None),
        ("b.c.kobe.jp", Some("b.c.kobe.jp")),
        ("a.b.c.kobe.jp", Some("b.c.kobe.jp")),
        ("city.kobe.jp", Some("city.kobe.jp")),
        ("www.city.kobe.jp", Some("city.kobe.jp")),
        ("ck", None),
        ("test.ck", None),
        ("b.test.ck", Some("b.test.ck")),
        ("a.b.test.ck", Some("b.test.ck")),
        ("www.ck", Some("www.ck")),
        ("www.www.ck", Some("www.ck")),
        ("us", None),
        ("test.us", Some("test.us")),
        ("www.test.us", Some("test.us")),
        ("ak.us", None),
        ("test.ak.us", Some("test.ak.us")),
        ("www.test.ak.us", Some("test.ak.us")),
        ("k12.ak.us", None),
        ("test.k12.ak.us", Some("test.k12.ak.us")),
        ("www.test.k12.ak.us", Some("test.k12.ak.us")),
        // 食狮.公司.cn, 食狮.中国: the list has these rules in Unicode
        ("xn--85x722f.com.cn", Some("xn--85x722f.com.cn")),
        ("xn--85x722f.xn--55qx5d.cn", Some("xn--85x722f.xn--55qx5d.cn")),
        ("www.xn--85x722f.xn--55qx5d.cn", Some("xn--85x722f.xn--55qx5d.cn")),
        ("shishi.xn--55qx5d.cn", Some("shishi.xn--55qx5d.cn")),
        ("xn--55qx5d.cn", None),
        ("xn--85x722f.xn--fiqs8s", Some("xn--85x722f.xn--fiqs8s")),
        ("www.xn--85x722f.xn--fiqs8s", Some("xn--85x722f.xn--fiqs8s")),
        ("shishi.xn--fiqs8s", Some("shishi.xn--fiqs8s")),
        ("xn--fiqs8s", None),
        // private section
        ("github.io", None),
        ("a.github.io", Some("a.github.io")),
        ("www.a.github.io", Some("a.github.io")),
        ("x.herokuapp.com", Some("x.herokuapp.com")),
        ("blogspot.com", None),
        // IPs have no registrable domain
        ("127.0.0.1", None),
        ("[::1]", None),
    ];
    let mut wrong = vec![];
    for &(host, want) in cases {
        let got = p.registrable_domain(host);
        if got.as_deref() != want {
            wrong.push(format!("{host}: got {got:?}, want {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn frames_allowed(p: &Psl, top: &str, frame: &str) -> bool {
    let req = FillRequest {
        kind: FillKind::Code,
        trigger: Trigger::User,
        bound_host: None,
        webotp_host: None,
        top_url: top.into(),
        frames: vec![FrameInfo { id: 0, url: top.into() }, FrameInfo { id: 9, url: frame.into() }],
    };
    let a = authorize(&req, Some(p)).unwrap();
    assert_eq!(a.frames.first(), Some(&0));
    a.frames.contains(&9)
}

#[test]
fn issue_11_frames_are_cross_site() {
    let p = psl();
    // each of these passed the old two-label check and got a code
    assert!(!frames_allowed(&p, "https://a.github.io/login", "https://evil.github.io/otp"));
    assert!(!frames_allowed(&p, "https://bank.co.uk/login", "https://evil.co.uk/otp"));
    assert!(!frames_allowed(&p, "http://127.0.0.1:8080/", "http://127.1.0.1:8080/"));
    assert!(!frames_allowed(&p, "https://shop.myshopify.com/", "https://evil.myshopify.com/"));
    // the page's own site still is
    assert!(frames_allowed(&p, "https://www.bank.co.uk/", "https://secure.bank.co.uk/otp"));
    assert!(frames_allowed(&p, "https://a.github.io/", "https://a.github.io/frame.html"));
    assert!(frames_allowed(&p, "https://accounts.example.com/", "https://auth.example.com/"));
}

#[test]
fn bound_host_is_exact_with_the_real_list() {
    let p = psl();
    let req = |bound: &str, top: &str| FillRequest {
        kind: FillKind::Code,
        trigger: Trigger::Auto,
        bound_host: Some(bound.into()),
        webotp_host: None,
        top_url: top.into(),
        frames: vec![FrameInfo { id: 0, url: top.into() }],
    };
    assert!(authorize(&req("a.github.io", "https://a.github.io/next"), Some(&p)).is_ok());
    assert_eq!(
        authorize(&req("a.github.io", "https://evil.github.io/"), Some(&p)),
        Err(Deny::HostMismatch { host: "a.github.io".into() })
    );
}
