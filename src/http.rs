//! Sans-IO request/response types, body classification and lenient JSON
//! accessors for the providers' quirks (numbers as strings, lists keyed
//! "0","1", dates without zone).
//!
//! A provider method builds a [`Call`]: the URL to GET plus the parser for
//! the answer. Whoever owns the network (the wasm layer's `fetch`, or a
//! blocking socket in native tests) performs the GET and hands the
//! [`HttpResponse`] back to [`Call::parse`].

use crate::error::ProviderError;
use crate::json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl HttpResponse {
    pub fn ok(body: &str) -> HttpResponse {
        HttpResponse { status: 200, content_type: String::new(), body: body.to_string() }
    }
}

type Parser<T> = Box<dyn Fn(&HttpResponse) -> Result<T, ProviderError>>;

/// One GET request and the typed parser of its answer.
pub struct Call<T> {
    pub url: String,
    /// True for calls that spend money (rent, prolong, restore): never retried blindly.
    pub spends_money: bool,
    parser: Parser<T>,
    /// The account's API key: scrubbed from the answer before it is parsed, so no parsed
    /// value or error carries it (see [`scrub`]).
    secret: String,
}

impl<T: 'static> Call<T> {
    pub fn new(
        url: String,
        spends_money: bool,
        parser: impl Fn(&HttpResponse) -> Result<T, ProviderError> + 'static,
    ) -> Self {
        Call { url, spends_money, parser: Box::new(parser), secret: String::new() }
    }
    /// Sets the key to scrub from answers (the clients set their account's key).
    pub fn with_secret(mut self, key: &str) -> Self {
        self.secret = key.trim().to_string();
        self
    }
    /// Parses an answer. The body is first scrubbed of the account's key and of any
    /// `api_key=`/`apikey=` value (a provider page that echoes the request URL), and so is
    /// any error, so nothing that leaves the client layer carries the key.
    pub fn parse(&self, resp: &HttpResponse) -> Result<T, ProviderError> {
        let clean = HttpResponse {
            status: resp.status,
            content_type: resp.content_type.clone(),
            body: scrub(&resp.body, &self.secret),
        };
        (self.parser)(&clean).map_err(|e| e.scrubbed(&self.secret))
    }
    pub fn map<U: 'static>(self, f: impl Fn(T) -> U + 'static) -> Call<U> {
        let p = self.parser;
        Call {
            url: self.url,
            spends_money: self.spends_money,
            parser: Box::new(move |r| p(r).map(&f)),
            secret: self.secret,
        }
    }
}

/// What a body turned out to be, after the checks every protocol shares.
#[derive(Debug)]
pub enum Body {
    Json(Value),
    /// A bare token such as `ACCESS_BALANCE:12.5` or `BAD_KEY`.
    Text(String),
}

fn snippet(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(120).collect();
    if one_line.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// Classifies a response body: HTML pages and HTTP errors become typed errors,
/// JSON is parsed (malformed JSON is an error), anything else is a text token.
pub fn classify(resp: &HttpResponse) -> Result<Body, ProviderError> {
    let body = resp.body.trim_start_matches('\u{feff}').trim();
    let looks_html = body.starts_with('<') || crate::text::has(&resp.content_type.to_ascii_lowercase(), "text/html");
    if looks_html {
        return Err(ProviderError::HtmlPage { status: resp.status });
    }
    if body.starts_with('{') || body.starts_with('[') {
        return match crate::json::parse(body) {
            Ok(v) => Ok(Body::Json(v)),
            Err(_) if resp.status >= 400 => Err(ProviderError::Http { status: resp.status }),
            Err(e) => Err(ProviderError::MalformedJson { detail: e.to_string() }),
        };
    }
    if body.starts_with('"') {
        if let Ok(Value::String(s)) = crate::json::parse(body) {
            return Ok(Body::Text(s));
        }
    }
    if body.is_empty() {
        return Err(if resp.status >= 400 {
            ProviderError::Http { status: resp.status }
        } else {
            ProviderError::Unexpected { snippet: "(empty)".into() }
        });
    }
    // A bare token is one line of token characters.
    let token_like = !body.contains('\n') && body.len() <= 200;
    if !token_like {
        return Err(if resp.status >= 400 {
            ProviderError::Http { status: resp.status }
        } else {
            ProviderError::Unexpected { snippet: snippet(body) }
        });
    }
    Ok(Body::Text(body.to_string()))
}

/// Keys shorter than this are not scrubbed as raw substrings (too likely to hit
/// ordinary text); their `api_key=` / `apikey=` values still are. Real keys are 32 characters.
pub const MIN_SCRUB_KEY_LEN: usize = 6;

/// Removes an API key from provider text: every occurrence of `key` (when at least
/// [`MIN_SCRUB_KEY_LEN`] characters long) and every value of an `api_key=` / `apikey=`
/// query parameter (any case, also percent-encoded `api_key%3D`) becomes `***`.
pub fn scrub(text: &str, key: &str) -> String {
    let key = key.trim();
    let mut out = if key.chars().count() >= MIN_SCRUB_KEY_LEN && crate::text::has(text, key) {
        crate::text::replace(text, key, "***")
    } else {
        text.to_string()
    };
    let lower = out.to_ascii_lowercase();
    if !(crate::text::has(&lower, "apikey") || crate::text::has(&lower, "api_key")) {
        return out;
    }
    let mut res = String::with_capacity(out.len());
    let mut i = 0;
    let b = out.as_bytes();
    let lb = lower.as_bytes();
    while i < b.len() {
        let name_len = if lb[i..].starts_with(b"api_key") {
            7
        } else if lb[i..].starts_with(b"apikey") {
            6
        } else {
            0
        };
        if name_len > 0 {
            let after = i + name_len;
            let eq = if lb[after..].starts_with(b"=") {
                1
            } else if lb[after..].starts_with(b"%3d") {
                3
            } else if lb[after..].starts_with(b"\\u003d") {
                6
            } else {
                0
            };
            if eq > 0 {
                let start = after + eq;
                let mut end = start;
                // inside a percent-encoded URL the value ends at the next escape (`%26` is `&`)
                let encoded = eq == 3;
                let stops = |c: u8| {
                    matches!(c, b'&' | b'"' | b'\'' | b'\\' | b'<' | b'>' | b'#' | b';' | b',')
                        || c.is_ascii_whitespace()
                        || (encoded && c == b'%')
                };
                while end < b.len() && !stops(b[end]) {
                    end += 1;
                }
                res.push_str(&out[i..start]);
                res.push_str("***");
                i = end;
                continue;
            }
        }
        // copy one whole UTF-8 character
        let ch_len = out[i..].chars().next().map(char::len_utf8).unwrap_or(1);
        res.push_str(&out[i..i + ch_len]);
        i += ch_len;
    }
    out = res;
    out
}

/// The error token of a JSON error envelope, if `v` is one: `{"status":"error","message":T}`
/// (also under `error` / `msg`), or the `{"title":T,"details":"..."}` shape of newer servers
/// of the sms-activate family (sent with HTTP 4xx). `None` for anything else.
pub fn json_error_token(v: &Value) -> Option<String> {
    let status = v.get("status").and_then(str_of).unwrap_or_default().to_ascii_lowercase();
    if status == "error" {
        return Some(["message", "error", "msg"].iter().find_map(|k| field_str(v, k)).unwrap_or_default());
    }
    if status.is_empty() {
        if let Some(Value::String(t)) = v.get("title") {
            return Some(t.clone());
        }
    }
    None
}

/// HTTP 204 with an empty body: success of a call whose success carries no data.
pub fn is_no_content(resp: &HttpResponse) -> bool {
    resp.status == 204 && resp.body.trim().is_empty()
}

/// An answer of an unexpected shape, with the start of its JSON text.
pub fn unexpected(v: &Value) -> ProviderError {
    unexpected_text(&crate::json::text(v))
}

/// A text answer that is none of those its method gives, with its start.
pub fn unexpected_text(t: &str) -> ProviderError {
    ProviderError::Unexpected { snippet: snippet(t) }
}

/// Reads a string or number as a string ("123" and 123 both give "123").
pub fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An integer, from a JSON integer, a whole float (`5.0`) or a string of one; never a
/// truncated fraction (`5.7` is no id and no count).
pub fn i64_of(v: &Value) -> Option<i64> {
    let whole = |f: f64| (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64);
    let n = match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(whole)),
        Value::String(s) => crate::text::int::<i64>(s.trim()).or_else(|| parse_decimal(s.trim()).and_then(whole)),
        _ => None,
    };
    // a number JS cannot hold exactly is no date, count or status (and would not cross to JS)
    n.filter(|n| js_safe(*n))
}

/// Within ±(2^53 − 1), where a JS number is exact (`Number.MAX_SAFE_INTEGER`).
pub fn js_safe(n: i64) -> bool {
    n.unsigned_abs() < (1 << 53)
}

pub fn f64_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_decimal(&s.trim().replace(',', ".")),
        _ => None,
    }
}

/// A number as text, in the shortest form that reads back as the same number, whole numbers
/// without a fraction (`12.5`, `3`), by serde_json's formatter; `None` when it is not finite.
/// Replaces `f64::to_string`: core's float formatting costs ~9 KB of wasm gzip, and serde_json's
/// is in the wasm anyway.
pub fn number_text(x: f64) -> Option<String> {
    let s = serde_json::Number::from_f64(x)?.to_string();
    Some(s.strip_suffix(".0").map(str::to_string).unwrap_or(s))
}

/// A decimal number as providers write amounts (`12`, `-0.5`, `.5`, `3.`, `1.2e3`), read
/// exactly: at most 19 significant digits and a power of ten within ±22, where the IEEE
/// operations on exact operands give the correctly rounded value (Clinger's fast path).
/// Anything longer is `None` rather than a guess; so are `inf`, `NaN` and hex. Replaces
/// `str::parse::<f64>`, whose tables cost ~14 KB of wasm.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, mut i) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let (mut mant, mut digits, mut exp, mut any) = (0u64, 0u32, 0i32, false);
    // one significant digit more; leading zeros are not significant
    let mut push = |d: u8| -> Option<()> {
        if mant != 0 || d != 0 {
            digits += 1;
            if digits > 19 {
                return None;
            }
            mant = mant * 10 + u64::from(d);
        }
        Some(())
    };
    while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        push(c - b'0')?;
        any = true;
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            push(c - b'0')?;
            exp -= 1;
            any = true;
            i += 1;
        }
    }
    if !any {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let eneg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e = 0i32;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            e = e.saturating_mul(10).saturating_add(i32::from(c - b'0'));
            i += 1;
        }
        if i == start {
            return None;
        }
        exp = exp.saturating_add(if eneg { -e } else { e });
    }
    if i != b.len() || mant >= 1 << 53 {
        return None;
    }
    let m = mant as f64;
    let v = if mant == 0 {
        0.0
    } else if (0..=22).contains(&exp) {
        m * POW10[exp as usize]
    } else if (-22..0).contains(&exp) {
        m / POW10[(-exp) as usize]
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

pub(crate) const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

pub fn bool_of(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => Some(true),
            "0" | "false" | "no" | "" => Some(false),
            _ => None,
        },
        Value::Null => Some(false),
        _ => None,
    }
}

/// Field accessor: `get(obj, "id")` → string form of number or string.
pub fn field_str(obj: &Value, key: &str) -> Option<String> {
    obj.get(key).and_then(str_of)
}

/// A list that may arrive as an array or as an object keyed "0","1",...
/// Object entries are returned in numeric key order (non-numeric keys last, by name).
pub fn list_of(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            crate::sort::sort_by(&mut entries, |a, b| {
                match (crate::text::int::<u64>(a.0), crate::text::int::<u64>(b.0)) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    _ => a.0.cmp(b.0),
                }
            });
            entries.into_iter().map(|(_, v)| v).collect()
        }
        _ => Vec::new(),
    }
}

/// Percent-encodes a query component (RFC 3986 unreserved kept).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Builds `base?k=v&...`, appending with `&` if the base already has a query.
pub fn url(base: &str, params: &[(&str, String)]) -> String {
    let mut u = base.to_string();
    let mut sep = if u.contains('?') { '&' } else { '?' };
    for (k, v) in params {
        u.push(sep);
        u.push_str(k);
        u.push('=');
        u.push_str(&enc(v));
        sep = '&';
    }
    u
}

/// Days since 1970-01-01 for a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Parses `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS` (optional fraction,
/// optional `Z` or `±HH:MM`) to a Unix timestamp. Dates without a zone are in
/// the provider's zone, `default_offset_min` minutes east of UTC.
pub fn parse_datetime(s: &str, default_offset_min: i32) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { crate::text::int::<i64>(s.get(r)?) };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b[4] != b'-' || b[7] != b'-' || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let (mut h, mut mi, mut se) = (0, 0, 0);
    let mut rest = &s[10..];
    if !rest.is_empty() {
        if !(rest.starts_with(' ') || rest.starts_with('T')) || rest.len() < 6 {
            return None;
        }
        let t = &rest[1..];
        h = crate::text::int::<i64>(t.get(0..2)?)?;
        mi = crate::text::int::<i64>(t.get(3..5)?)?;
        let mut used = 5;
        if t.len() >= 8 && matches!(t.as_bytes()[5], b':' | b'-') {
            se = crate::text::int::<i64>(t.get(6..8)?)?;
            used = 8;
        }
        rest = &t[used..];
        if let Some(r) = rest.strip_prefix('.') {
            rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    if h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let offset_min: i64 = match rest.trim() {
        "" => default_offset_min as i64,
        "Z" | "z" | "UTC" => 0,
        // `±HH`, `±HHMM` or `±HH:MM`, nothing else (`+€12` is no zone)
        z if z.starts_with('+') || z.starts_with('-') => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (hh, mm) = match z.as_bytes()[1..] {
                [_, _] => (z.get(1..3)?, "0"),
                [_, _, _, _] => (z.get(1..3)?, z.get(3..5)?),
                [_, _, b':', _, _] => (z.get(1..3)?, z.get(4..6)?),
                _ => return None,
            };
            let digits = |x: &str| x.bytes().all(|c| c.is_ascii_digit()).then(|| crate::text::int::<i64>(x)).flatten();
            let (hh, mm) = (digits(hh)?, digits(mm)?);
            if hh > 14 || mm > 59 {
                return None;
            }
            sign * (hh * 60 + mm)
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset_min * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_forms() {
        assert_eq!(parse_datetime("1970-01-01 00:00:00", 0), Some(0));
        assert_eq!(parse_datetime("2020-01-30 14:31:58", 0), Some(1580394718));
        assert_eq!(parse_datetime("2020-01-30 14:31:58", 180), Some(1580394718 - 3 * 3600));
        assert_eq!(parse_datetime("2025-05-10T12:34:56", 0), Some(1746880496));
        assert_eq!(parse_datetime("2025-05-10T12:34:56Z", 180), Some(1746880496));
        assert_eq!(parse_datetime("2025-05-10T12:34:56.123+03:00", 0), Some(1746880496 - 3 * 3600));
        assert_eq!(parse_datetime("2025-05-10 12-34-56", 0), Some(1746880496));
        assert_eq!(parse_datetime("2025-05-10", 0), Some(1746835200));
        assert_eq!(parse_datetime("garbage", 0), None);
        assert_eq!(parse_datetime("2025-13-10 00:00:00", 0), None);
    }

    #[test]
    fn lists_keyed_by_numbers_keep_numeric_order() {
        let v: Value = serde_json::from_str(r#"{"10":"c","2":"b","0":"a"}"#).unwrap();
        let l: Vec<_> = list_of(&v).into_iter().map(|x| x.as_str().unwrap()).collect();
        assert_eq!(l, ["a", "b", "c"]);
    }

    #[test]
    fn classify_bodies() {
        let r = |s: u16, ct: &str, b: &str| HttpResponse { status: s, content_type: ct.into(), body: b.into() };
        assert!(matches!(
            classify(&r(502, "text/html", "<html><body>Bad gateway</body></html>")),
            Err(ProviderError::HtmlPage { status: 502 })
        ));
        assert!(matches!(classify(&r(200, "", "<!DOCTYPE html>")), Err(ProviderError::HtmlPage { status: 200 })));
        assert!(matches!(
            classify(&r(200, "application/json", "{\"status\":")),
            Err(ProviderError::MalformedJson { .. })
        ));
        assert!(matches!(classify(&r(200, "", "\"ACCESS_CANCEL\"")), Ok(Body::Text(t)) if t == "ACCESS_CANCEL"));
        assert!(matches!(classify(&r(200, "", " BAD_KEY\n")), Ok(Body::Text(t)) if t == "BAD_KEY"));
        assert!(matches!(classify(&r(200, "", "")), Err(ProviderError::Unexpected { .. })));
        assert!(matches!(classify(&r(500, "", "")), Err(ProviderError::Http { status: 500 })));
    }

    #[test]
    fn url_encoding() {
        assert_eq!(
            url("http://h/p.php", &[("a", "x y&z".into()), ("b", "1".into())]),
            "http://h/p.php?a=x%20y%26z&b=1"
        );
        assert_eq!(url("http://h/p.php?x=1", &[("a", "b".into())]), "http://h/p.php?x=1&a=b");
    }

    #[test]
    fn scrub_removes_keys_and_key_parameters() {
        let k = "abcdef0123456789";
        assert_eq!(
            scrub("err at https://h/x.php?api_key=abcdef0123456789&action=x", k),
            "err at https://h/x.php?api_key=***&action=x"
        );
        assert_eq!(scrub("key abcdef0123456789 echoed", k), "key *** echoed");
        assert_eq!(scrub("GET /rent.php?method=sms&APIKEY=zzz9 HTTP", ""), "GET /rent.php?method=sms&APIKEY=*** HTTP");
        assert_eq!(scrub("u=%2Fx%3Fapi_key%3Dsecret%26a", "k"), "u=%2Fx%3Fapi_key%3D***%26a");
        assert_eq!(scrub("{\"u\":\"?apikey=s3cr3t\"}", "k"), "{\"u\":\"?apikey=***\"}");
        assert_eq!(scrub("Код 1234 — ключ не здесь", "k"), "Код 1234 — ключ не здесь");
        // short keys are not scrubbed as substrings (they would eat ordinary text)
        assert_eq!(scrub("kkk", "k"), "kkk");
    }

    #[test]
    fn lenient_scalars() {
        assert_eq!(i64_of(&Value::String("42".into())), Some(42));
        assert_eq!(f64_of(&Value::String("1,5".into())), Some(1.5));
        assert_eq!(i64_of(&Value::String("5.0".into())), Some(5));
        assert_eq!(i64_of(&Value::String("5.7".into())), None, "a fraction is never truncated into an id");
        assert_eq!(i64_of(&crate::json_value!(5.7)), None);
        // only what a JS number holds exactly
        let max = (1i64 << 53) - 1;
        assert_eq!(i64_of(&crate::json_value!(max)), Some(max));
        assert_eq!(i64_of(&crate::json_value!(-max)), Some(-max));
        assert_eq!(i64_of(&crate::json_value!(max + 1)), None);
        assert_eq!(i64_of(&Value::String("100000000000000000".into())), None);
        assert_eq!(i64_of(&crate::json_value!(u64::MAX)), None);
    }

    #[test]
    fn zones_are_read_exactly_or_not_at_all() {
        let utc = parse_datetime("2025-05-10 12:34:56", 0).unwrap();
        for (zone, east_min) in [("Z", 0), ("+03", 180), ("+0330", 210), ("-05:00", -300), (" +03:00", 180)] {
            assert_eq!(parse_datetime(&format!("2025-05-10 12:34:56{zone}"), 60), Some(utc - east_min * 60), "{zone}");
        }
        for zone in ["+€12", "+3", "+03:0", "+0", "+033", "+03:000", "+15", "+03:60", "++03", "+a3"] {
            assert_eq!(parse_datetime(&format!("2025-05-10 12:34:56{zone}"), 0), None, "{zone}");
        }
    }

    #[test]
    fn numbers_are_written_as_core_writes_them() {
        for x in [12.5, 3.0, 0.1 + 0.2, -0.0, 1e15, 1e21, 123456.789, 5e-7, f64::MAX, f64::MIN_POSITIVE] {
            assert_eq!(number_text(x).and_then(|s| parse_decimal(&s).or_else(|| s.parse().ok())), Some(x), "{x}");
        }
        assert_eq!(number_text(12.5).as_deref(), Some("12.5"));
        assert_eq!(number_text(3.0).as_deref(), Some("3"));
        assert_eq!(number_text(0.1 + 0.2).as_deref(), Some("0.30000000000000004"));
        assert_eq!(number_text(f64::NAN), None);
        assert_eq!(number_text(f64::INFINITY), None);
    }

    /// The exact decimal reader gives what core's correctly rounded `parse::<f64>` gives
    /// wherever it answers, and refuses rather than guesses beyond its exact range.
    #[test]
    fn decimals_read_exactly_as_core_reads_them() {
        for s in [
            "0",
            "-0",
            "12",
            "12.5",
            "0.1",
            "0.3",
            "1.005",
            "123456.789",
            "-0.000001",
            ".5",
            "5.",
            "+7",
            "1e3",
            "1.2E-3",
            "9999999999999.99",
            "0.0000000000000000000001",
            "450359962737049.5",
            "9007199254740991",
            "1e22",
            "1e-22",
            "000000000000000000000012.5",
            "3.14159265358979",
        ] {
            assert_eq!(parse_decimal(s), s.parse::<f64>().ok(), "{s}");
        }
        for s in ["", "-", ".", "e5", "1e", "1.2.3", "12a", "inf", "NaN", "0x10", " 1", "1 ", "1,5"] {
            assert_eq!(parse_decimal(s), None, "{s}");
        }
        // beyond the exact range: no guess
        assert_eq!(parse_decimal("12345678901234567890.5"), None);
        assert_eq!(parse_decimal("1e23"), None);
        assert_eq!(parse_decimal("9007199254740993"), None);
        assert_eq!(parse_decimal("99999999999999.99"), None, "17 significant digits: past 2^53");
        assert_eq!(bool_of(&Value::String("1".into())), Some(true));
        assert_eq!(bool_of(&Value::Null), Some(false));
    }
}
