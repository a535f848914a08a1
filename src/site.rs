//! Where a code or a number may be filled: the one authorisation check every
//! fill path goes through (auto-fill after a new SMS, the popup's buttons, the
//! `fill-code` / `fill-phone` messages), and the Public Suffix List that
//! decides which frames belong to the page's own site.
//!
//! Everything here is pure: URLs and hosts come from the browser (already
//! canonical, IDN hosts in punycode) but are treated as untrusted text; the
//! list itself is data the extension ships (Debian's `publicsuffix` package,
//! copied by `build.sh`) and hands over at start ([`Psl::parse`]).

use crate::engine::Store;
use crate::vecmap::VecSet;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- Public Suffix List

/// The Public Suffix List (<https://publicsuffix.org/list/>), ICANN and private
/// sections alike, with the matching algorithm of <https://publicsuffix.org/list/>:
/// exception rules (`!www.ck`) win, then the rule with the most labels (wildcards
/// `*.ck` match one label), then the implicit `*`.
#[derive(Debug, Default)]
pub struct Psl {
    rules: VecSet<String>,
    /// `ck` for the rule `*.ck`.
    wild: VecSet<String>,
    /// `www.ck` for the rule `!www.ck`.
    except: VecSet<String>,
}

impl Psl {
    /// Parses the list's text format: one rule per line, `//` comments, the rule
    /// ends at the first whitespace. Unicode rules are stored in punycode (the form
    /// the browser's URL parser gives hosts in). Unusable lines are skipped.
    pub fn parse(text: &str) -> Psl {
        let mut p = Psl::default();
        for line in text.lines() {
            let rule = line.split([' ', '\t', '\r']).next().unwrap_or("");
            if rule.is_empty() || rule.starts_with("//") {
                continue;
            }
            let (set, body) = if let Some(r) = rule.strip_prefix('!') {
                (&mut p.except, r)
            } else if let Some(r) = rule.strip_prefix("*.") {
                (&mut p.wild, r)
            } else {
                (&mut p.rules, rule)
            };
            if let Some(ascii) = to_ascii_domain(body) {
                set.insert(ascii);
            }
        }
        p
    }

    /// Number of rules read (all three kinds).
    pub fn len(&self) -> usize {
        self.rules.len() + self.wild.len() + self.except.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many trailing labels of `host` (labels starting at byte offsets `st`)
    /// form the public suffix (at least one).
    fn suffix_labels(&self, host: &str, st: &[usize]) -> usize {
        let n = st.len();
        for i in 0..n {
            if self.except.contains(&host[st[i]..]) {
                return (n - i - 1).max(1);
            }
        }
        for i in 0..n {
            let exact = self.rules.contains(&host[st[i]..]);
            let wild = i + 1 < n && self.wild.contains(&host[st[i + 1]..]);
            if exact || wild {
                return n - i;
            }
        }
        1
    }

    /// A normalised non-IP host and the byte offsets where its labels start.
    fn labels(host: &str) -> Option<(String, Vec<usize>)> {
        let host = normalize_host(host)?;
        if is_ip(&host) {
            return None;
        }
        let st = std::iter::once(0).chain(host.match_indices('.').map(|(i, _)| i + 1)).collect();
        Some((host, st))
    }

    /// The registrable domain ("eTLD+1") of a (punycode) host: `bank.co.uk` for
    /// `www.bank.co.uk`, `a.github.io` for `x.a.github.io`. `None` for a public
    /// suffix itself (`co.uk`, `github.io`), IP addresses and malformed hosts.
    pub fn registrable_domain(&self, host: &str) -> Option<String> {
        let (host, st) = Self::labels(host)?;
        let k = self.suffix_labels(&host, &st);
        if k >= st.len() {
            return None;
        }
        Some(host[st[st.len() - k - 1]..].to_string())
    }
}

/// Lower-cases a host, drops one trailing dot, and refuses anything that is not a
/// plain ASCII host name, IPv4 address or bracketed IPv6 address (the browser
/// gives IDN hosts as punycode; anything else fails closed).
pub fn normalize_host(host: &str) -> Option<String> {
    let h = host.trim().to_ascii_lowercase();
    let h = h.strip_suffix('.').unwrap_or(&h);
    if h.is_empty() || h.len() > 253 {
        return None;
    }
    if let Some(inner) = h.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        return (!inner.is_empty() && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.'))
            .then(|| h.to_string());
    }
    let ok = h.split('.').all(|l| {
        !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    ok.then(|| h.to_string())
}

/// IPv6 in brackets, or a host whose last label is numeric (no top-level domain
/// is, so the URL parser's canonical IPv4 form). IPs only ever match exactly.
pub fn is_ip(host: &str) -> bool {
    host.starts_with('[')
        || host.rsplit('.').next().is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
}

/// A domain (possibly with Unicode labels) in lower-case punycode.
fn to_ascii_domain(d: &str) -> Option<String> {
    let mut out = String::with_capacity(d.len());
    for label in d.split('.') {
        if label.is_empty() {
            return None;
        }
        if !out.is_empty() {
            out.push('.');
        }
        if label.is_ascii() {
            out.push_str(&label.to_ascii_lowercase());
        } else {
            // the list's Unicode rules are already lower-case NFC (no case tables in the wasm)
            out.push_str("xn--");
            out.push_str(&punycode(label)?);
        }
    }
    Some(out)
}

/// RFC 3492 Punycode encoding of one label (without the `xn--` prefix).
fn punycode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    let adapt = |delta: u32, points: u32, first: bool| {
        let mut d = if first { delta / 700 } else { delta / 2 };
        d += d / points;
        let mut k = 0;
        while d > ((BASE - TMIN) * TMAX) / 2 {
            d /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * d / (d + 38)
    };
    let digit = |d: u32| char::from(if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 });
    let cps: Vec<u32> = input.chars().map(u32::from).collect();
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let basic = out.len() as u32;
    let mut h = basic;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    while (h as usize) < cps.len() {
        let m = *cps.iter().filter(|&&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(h + 1)?)?;
        n = m;
        for &c in &cps {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, h + 1, h == basic);
                delta = 0;
                h += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

// ---------------------------------------------------------------- origins

/// Scheme, host and port of an `http(s)` URL (or of an origin such as
/// `location.origin`). Other schemes and opaque origins (`null`) have none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

impl Origin {
    pub fn parse(url: &str) -> Option<Origin> {
        let (scheme, rest) = crate::text::split_once(url.trim(), "://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
        let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let (host, port) = if hostport.starts_with('[') {
            let end = hostport.find(']')?;
            let (h, p) = hostport.split_at(end + 1);
            (h, p.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        let port = match port {
            None | Some("") => default_port,
            Some(p) => crate::text::int(p)?,
        };
        Some(Origin { scheme, host: normalize_host(host)?, port })
    }

    /// Same site: same scheme and same registrable domain by the Public Suffix
    /// List; hosts without one (IP addresses, public suffixes, or any host when
    /// no list is loaded) only match themselves.
    pub fn same_site(&self, other: &Origin, psl: Option<&Psl>) -> bool {
        if self.scheme != other.scheme {
            return false;
        }
        if self.host == other.host {
            return true;
        }
        let Some(psl) = psl else { return false };
        match (psl.registrable_domain(&self.host), psl.registrable_domain(&other.host)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

// ---------------------------------------------------------------- the fill check

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FillKind {
    Code,
    Phone,
}

/// Who asked for the fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    /// The background, after a new SMS on a rental bound to a tab.
    Auto,
    /// The user: a popup button or a `fill-code` / `fill-phone` message from an extension page.
    User,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameInfo {
    /// The browser's frame id (0 is the top frame).
    pub id: i64,
    /// The frame's URL or origin (`location.origin`); `null` for opaque origins.
    pub url: String,
}

/// Everything the check looks at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FillRequest {
    pub kind: FillKind,
    pub trigger: Trigger,
    /// The host the rental was bound on when its number was filled, if any.
    #[serde(default)]
    pub bound_host: Option<String>,
    /// The host a WebOTP line (`@host #code`) in the SMS names, if any.
    #[serde(default)]
    pub webotp_host: Option<String>,
    /// The tab's top-level URL.
    pub top_url: String,
    /// Every frame of the tab (the top frame included or not).
    #[serde(default)]
    pub frames: Vec<FrameInfo>,
}

/// Why nothing, or not a frame, may be filled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Deny {
    /// The top page is not an `http(s)` page.
    UnsupportedPage,
    /// An auto-fill for a rental bound to no host.
    NotBound,
    /// The top page is not on the host the rental was bound on, or that the SMS names.
    HostMismatch { host: String },
    /// A frame of another site than the top page.
    CrossSiteFrame,
    /// A frame with an opaque origin (sandboxed, `data:`) or a non-`http(s)` URL.
    OpaqueFrame,
}

impl Deny {
    pub fn code(&self) -> &'static str {
        match self {
            Deny::UnsupportedPage => "UNSUPPORTED_PAGE",
            Deny::NotBound => "NOT_BOUND",
            Deny::HostMismatch { .. } => "HOST_MISMATCH",
            Deny::CrossSiteFrame => "CROSS_SITE_FRAME",
            Deny::OpaqueFrame => "OPAQUE_FRAME",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeniedFrame {
    pub frame: i64,
    #[serde(flatten)]
    pub reason: Deny,
}

/// The frames that may be filled (the top frame first when listed), and the others with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Allowed {
    pub frames: Vec<i64>,
    pub denied: Vec<DeniedFrame>,
}

/// The one fill authorisation check.
///
/// - The top page must be `http(s)`.
/// - A code whose SMS names a host (`@host #code`) is filled only when the top
///   page is exactly that host, whoever asks.
/// - An auto-fill is filled only when the top page is exactly the host the rental
///   was bound on; a rental bound to no host is never auto-filled.
/// - A user-initiated fill (the user chose the active tab) does not need a binding.
/// - Frames other than the top one are filled only when same-origin with the top
///   page or of the same site ([`Origin::same_site`], Public Suffix List; IPs exact).
///   Without a list (`psl` is `None`) only same-origin frames are.
pub fn authorize(req: &FillRequest, psl: Option<&Psl>) -> Result<Allowed, Deny> {
    let top = Origin::parse(&req.top_url).ok_or(Deny::UnsupportedPage)?;
    if req.kind == FillKind::Code {
        if let Some(h) = req.webotp_host.as_deref() {
            if normalize_host(h).as_deref() != Some(top.host.as_str()) {
                return Err(Deny::HostMismatch { host: h.to_string() });
            }
        }
    }
    if req.trigger == Trigger::Auto {
        let bound = req.bound_host.as_deref().and_then(normalize_host).ok_or(Deny::NotBound)?;
        if bound != top.host {
            return Err(Deny::HostMismatch { host: bound });
        }
    }
    let mut out = Allowed { frames: vec![], denied: vec![] };
    for f in &req.frames {
        let verdict = match Origin::parse(&f.url) {
            None => Err(Deny::OpaqueFrame),
            Some(o) if f.id == 0 && o != top => Err(Deny::CrossSiteFrame),
            Some(o) if o == top || o.same_site(&top, psl) => Ok(()),
            Some(_) => Err(Deny::CrossSiteFrame),
        };
        match verdict {
            Ok(()) if f.id == 0 => out.frames.insert(0, f.id),
            Ok(()) => out.frames.push(f.id),
            Err(reason) => out.denied.push(DeniedFrame { frame: f.id, reason }),
        }
    }
    Ok(out)
}

/// Drops the tab bindings of the rentals bound to `tab_id`: all of them when the
/// tab closed (`host` is `None`), those bound on another host than `host` when
/// the tab navigated. Returns how many were dropped.
pub fn drop_bindings(store: &mut Store, tab_id: i64, host: Option<&str>) -> usize {
    let host = host.and_then(normalize_host);
    let mut n = 0;
    for (key, rec) in store.records.iter_mut() {
        if rec.tab_id != Some(tab_id) {
            continue;
        }
        let same = match (&host, rec.tab_host.as_deref().and_then(normalize_host)) {
            (Some(h), Some(b)) => *h == b,
            _ => false,
        };
        if !same {
            rec.tab_id = None;
            rec.tab_host = None;
            store.dirty.insert(key.clone());
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = "// comment\ncom\nuk\nco.uk\n*.ck\n!www.ck\njp\n*.kobe.jp\n!city.kobe.jp\n\
                        // ===BEGIN PRIVATE DOMAINS===\ngithub.io\n公司.cn\ncn\n";

    #[test]
    fn punycode_matches_rfc_vectors() {
        assert_eq!(punycode("рф").as_deref(), Some("p1ai"));
        assert_eq!(punycode("公司").as_deref(), Some("55qx5d"));
        assert_eq!(punycode("中国").as_deref(), Some("fiqs8s"));
        assert_eq!(punycode("bücher").as_deref(), Some("bcher-kva"));
        assert_eq!(punycode("食狮").as_deref(), Some("85x722f"));
    }

    #[test]
    fn rules_wildcards_exceptions() {
        let p = Psl::parse(MINI);
        assert_eq!(p.len(), 11);
        let rd = |h: &str| p.registrable_domain(h);
        assert_eq!(rd("www.bank.co.uk").as_deref(), Some("bank.co.uk"));
        assert_eq!(rd("co.uk"), None);
        assert_eq!(rd("a.github.io").as_deref(), Some("a.github.io"));
        assert_eq!(rd("x.evil.github.io").as_deref(), Some("evil.github.io"));
        assert_eq!(rd("github.io"), None);
        assert_eq!(rd("test.ck"), None);
        assert_eq!(rd("a.b.test.ck").as_deref(), Some("b.test.ck"));
        assert_eq!(rd("www.ck").as_deref(), Some("www.ck"));
        assert_eq!(rd("www.www.ck").as_deref(), Some("www.ck"));
        assert_eq!(rd("c.kobe.jp"), None);
        assert_eq!(rd("www.city.kobe.jp").as_deref(), Some("city.kobe.jp"));
        assert_eq!(rd("xn--85x722f.xn--55qx5d.cn").as_deref(), Some("xn--85x722f.xn--55qx5d.cn"));
        assert_eq!(rd("xn--55qx5d.cn"), None);
        // the implicit "*" rule
        assert_eq!(rd("b.example.example").as_deref(), Some("example.example"));
        assert_eq!(rd("WWW.Example.COM.").as_deref(), Some("example.com"));
        assert_eq!(rd(".com"), None);
        assert_eq!(rd("a..com"), None);
        assert_eq!(rd("127.0.0.1"), None);
        assert_eq!(rd("[::1]"), None);
        assert_eq!(rd("bücher.de"), None, "Unicode hosts are refused: the browser gives punycode");
    }

    #[test]
    fn origins() {
        let o = Origin::parse("https://User:pw@WWW.Bank.co.uk:8443/x?y#z").unwrap();
        assert_eq!((o.scheme.as_str(), o.host.as_str(), o.port), ("https", "www.bank.co.uk", 8443));
        assert_eq!(Origin::parse("http://a.localhost").unwrap().port, 80);
        assert_eq!(Origin::parse("http://[::1]:9/").unwrap().host, "[::1]");
        for bad in [
            "null",
            "about:blank",
            "data:text/html,x",
            "file:///etc/passwd",
            "chrome://settings",
            "https://",
            "https://a b/",
            "https://h:99999/",
        ] {
            assert_eq!(Origin::parse(bad), None, "{bad}");
        }
        // `\` ends the authority as in the WHATWG parser (no `evil.com\@bank.com` confusion)
        assert_eq!(Origin::parse("https://evil.com\\@bank.com/").unwrap().host, "evil.com");
    }

    fn req(
        trigger: Trigger,
        bound: Option<&str>,
        webotp: Option<&str>,
        top: &str,
        frames: &[(i64, &str)],
    ) -> FillRequest {
        FillRequest {
            kind: FillKind::Code,
            trigger,
            bound_host: bound.map(Into::into),
            webotp_host: webotp.map(Into::into),
            top_url: top.into(),
            frames: frames.iter().map(|&(id, url)| FrameInfo { id, url: url.into() }).collect(),
        }
    }

    #[test]
    fn auto_fill_only_on_the_bound_host() {
        let p = Psl::parse(MINI);
        let top = "https://shop.example.com/verify";
        let ok = authorize(&req(Trigger::Auto, Some("shop.example.com"), None, top, &[(0, top)]), Some(&p)).unwrap();
        assert_eq!(ok.frames, vec![0]);
        // another host of the same site is still another host
        assert_eq!(
            authorize(&req(Trigger::Auto, Some("example.com"), None, top, &[(0, top)]), Some(&p)),
            Err(Deny::HostMismatch { host: "example.com".into() })
        );
        assert_eq!(
            authorize(
                &req(Trigger::Auto, Some("shop.example.com"), None, "https://evil.test/", &[(0, "https://evil.test")]),
                Some(&p)
            ),
            Err(Deny::HostMismatch { host: "shop.example.com".into() })
        );
        assert_eq!(authorize(&req(Trigger::Auto, None, None, top, &[(0, top)]), Some(&p)), Err(Deny::NotBound));
        assert_eq!(authorize(&req(Trigger::Auto, Some(""), None, top, &[(0, top)]), Some(&p)), Err(Deny::NotBound));
    }

    #[test]
    fn user_fill_needs_no_binding_but_respects_webotp() {
        let p = Psl::parse(MINI);
        let top = "https://evil.test/";
        assert_eq!(authorize(&req(Trigger::User, None, None, top, &[(0, top)]), Some(&p)).unwrap().frames, vec![0]);
        assert_eq!(
            authorize(&req(Trigger::User, None, Some("bank.co.uk"), top, &[(0, top)]), Some(&p)),
            Err(Deny::HostMismatch { host: "bank.co.uk".into() })
        );
        // WebOTP is exact: a subdomain of the named host is another host
        assert!(
            authorize(&req(Trigger::User, None, Some("bank.co.uk"), "https://x.bank.co.uk/", &[]), Some(&p)).is_err()
        );
        assert!(authorize(&req(Trigger::User, None, Some("Bank.co.uk"), "https://bank.co.uk/", &[]), Some(&p)).is_ok());
        // and binds auto-fill too, even on the bound host
        assert!(
            authorize(&req(Trigger::Auto, Some("a.test"), Some("b.test"), "https://a.test/", &[]), Some(&p)).is_err()
        );
        // a phone number ignores WebOTP hosts
        let mut r = req(Trigger::User, None, Some("bank.co.uk"), top, &[(0, top)]);
        r.kind = FillKind::Phone;
        assert!(authorize(&r, Some(&p)).is_ok());
        assert_eq!(
            authorize(&req(Trigger::User, None, None, "chrome://newtab", &[]), Some(&p)),
            Err(Deny::UnsupportedPage)
        );
    }

    #[test]
    fn frames_by_the_public_suffix_list() {
        let p = Psl::parse(MINI);
        let check = |top: &str, frame: &str| {
            let a = authorize(&req(Trigger::User, None, None, top, &[(0, top), (7, frame)]), Some(&p)).unwrap();
            a.frames.contains(&7)
        };
        assert!(check("https://a.github.io/", "https://a.github.io/frame"));
        assert!(check("https://a.github.io/", "https://x.a.github.io/"));
        assert!(!check("https://a.github.io/", "https://evil.github.io/"));
        assert!(check("https://www.bank.co.uk/", "https://auth.bank.co.uk/"));
        assert!(!check("https://bank.co.uk/", "https://evil.co.uk/"));
        assert!(!check("http://127.0.0.1:8000/", "http://127.1.0.1:8000/"));
        assert!(check("http://127.0.0.1:8000/", "http://127.0.0.1:9000/"));
        assert!(!check("https://bank.co.uk/", "http://auth.bank.co.uk/"), "another scheme is another site");
        assert!(!check("https://a.b.test.ck/", "https://c.test.ck/"));
        assert!(check("https://www.ck/", "https://x.www.ck/"));
        assert!(!check("https://bank.co.uk/", "null"));
        assert!(!check("https://bank.co.uk/", "data:text/html,<input>"));
        // without a list only same-origin frames pass
        let a = authorize(
            &req(
                Trigger::User,
                None,
                None,
                "https://www.bank.co.uk/",
                &[(0, "https://www.bank.co.uk"), (1, "https://www.bank.co.uk"), (2, "https://auth.bank.co.uk")],
            ),
            None,
        )
        .unwrap();
        assert_eq!(a.frames, vec![0, 1]);
        assert_eq!(a.denied, vec![DeniedFrame { frame: 2, reason: Deny::CrossSiteFrame }]);
        // a frame 0 that is not the top page is not trusted either
        let a =
            authorize(&req(Trigger::User, None, None, "https://bank.co.uk/", &[(0, "https://evil.co.uk")]), Some(&p))
                .unwrap();
        assert!(a.frames.is_empty());
    }

    #[test]
    fn deny_serializes_as_error_codes() {
        let j = serde_json::to_value(Deny::HostMismatch { host: "a.test".into() }).unwrap();
        assert_eq!(j, serde_json::json!({"code": "HOST_MISMATCH", "host": "a.test"}));
        let j = serde_json::to_value(DeniedFrame { frame: 3, reason: Deny::CrossSiteFrame }).unwrap();
        assert_eq!(j, serde_json::json!({"frame": 3, "code": "CROSS_SITE_FRAME"}));
        for d in [Deny::UnsupportedPage, Deny::NotBound, Deny::CrossSiteFrame, Deny::OpaqueFrame] {
            assert_eq!(serde_json::to_value(&d).unwrap()["code"], d.code());
        }
    }

    #[test]
    fn navigation_drops_bindings() {
        let mut st = Store::default();
        for (k, tab, host) in [("a", 5, Some("a.test")), ("b", 5, None), ("c", 6, Some("c.test"))] {
            let mut rec = crate::engine::Record {
                account: "x".into(),
                rental: Default::default(),
                sms: vec![],
                awaiting_until: 0,
                unseen: vec![],
                tab_id: Some(tab),
                tab_host: host.map(Into::into),
                last_seen: 0,
                spend_unknown: None,
            };
            rec.rental.id = k.into();
            st.records.insert(k.into(), rec);
        }
        // same host: kept (the unknown-host binding of "b" goes)
        assert_eq!(drop_bindings(&mut st, 5, Some("A.test")), 1);
        assert_eq!(st.records["a"].tab_id, Some(5));
        assert_eq!(st.records["b"].tab_id, None);
        assert_eq!(drop_bindings(&mut st, 5, Some("evil.test")), 1);
        assert_eq!((st.records["a"].tab_id, st.records["a"].tab_host.as_deref()), (None, None));
        assert_eq!(st.records["c"].tab_id, Some(6));
        assert_eq!(drop_bindings(&mut st, 6, None), 1);
        assert_eq!(st.records["c"].tab_id, None);
    }
}
