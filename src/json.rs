//! JSON text to a [`Value`], without serde_json's deserializer.
//!
//! serde_json's `from_str` brings its `Deserializer`, the `Value` visitor and serde's error
//! plumbing into the wasm: some 14 KB, 7.7 KB gzip, for one job (text to a tree) that this
//! reader does in 5 KB (the wasm: 193.8 -> 189.0 KB gzip). It is as fast: 27 against 32 ms for
//! a stored state of 1000 rentals (3 MB) in the wasm, 1.04 against 1.19 ms natively for a
//! 260 KB answer at the release profile's opt-level "z". At the benches' opt-level 3 it runs
//! some 4 % more instructions on string-heavy text (callgrind: 355 M against 342 M for 20 such
//! answers; serde_json scans strings eight bytes at a time), and the engine tick is the same.
//!
//! It accepts exactly what serde_json accepts (RFC 8259, at most 127 levels deep, no trailing
//! commas, paired surrogates only, no number beyond f64) and builds the same tree, floats bit
//! for bit: a later duplicate key wins, integers stay `u64`/`i64` where they fit, `-0` is the
//! float `-0.0`, and a number with a fraction or an exponent is computed as serde_json computes
//! it without its `float_roundtrip` feature (19 or 20 significant digits, the rest dropped, one
//! multiplication or division by the nearest float to the power of ten). That is correctly
//! rounded for the amounts providers write (at most 19 digits, a power of ten within ±22).
//! Errors say what serde_json says, at the same line and column. The native tests compare the two
//! on fixed, random and mutated texts; a reviewing helper's differential run of some
//! 160 million inputs found the float differences that the `pow10` rule fixed.
//!
//! The tree is this crate's [`Value`] (`json/value.rs`): serde_json's shape, with an object as
//! a sorted [`VecMap`](crate::vecmap::VecMap) in place of its `BTreeMap` (the wasm: 163.7 ->
//! 160.7 KB gzip). An object's members are gathered and sorted once, so a large object whose
//! keys come out of order costs n log n, not a move of the tail per key.

mod value;

pub use value::{Map, Value};

use serde_json::Number;
use std::fmt;

/// Why a text is not JSON, and where: the 1-based line, and the byte column of the byte just read.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub what: &'static str,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.what, self.line, self.column)
    }
}

/// How many bytes at the start of `b` are plain string text (not `"`, `\` or a control
/// character).
fn plain_len(b: &[u8]) -> usize {
    b.iter().position(|&c| matches!(c, b'"' | b'\\' | 0..=0x1f)).unwrap_or(b.len())
}

/// `v` as compact JSON text, as `v.to_string()` writes it. `Value`'s `Display` goes through a
/// second copy of serde_json's serializer (into a `fmt::Formatter`), and its I/O error brings std's
/// boxed string error with `str`'s `Debug` and core's Unicode printable tables: 7.6 KB of wasm
/// (4.0 KB gzip) for the same text as this, which reuses the serializer that writes the records.
pub fn text(v: &Value) -> String {
    // writing a `Value` into a `Vec` cannot fail: its keys are strings and it holds no NaN
    serde_json::to_string(v).unwrap_or_default()
}

/// serde_json's recursion limit: 127 nested arrays or objects read, the 128th is refused.
const MAX_DEPTH: u32 = 127;

/// Reads `s` as one JSON value, with nothing but whitespace around it.
pub fn parse(s: &str) -> Result<Value, Error> {
    let mut p = Parser { s, b: s.as_bytes(), i: 0, depth: 0 };
    let v = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        p.i += 1;
        return Err(p.err("trailing characters"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    depth: u32,
}

impl Parser<'_> {
    /// An error at the byte before `i` (the one just read), counted as serde_json counts.
    #[cold]
    fn err(&self, what: &'static str) -> Error {
        let seen = &self.b[..self.i.min(self.b.len())];
        let line = 1 + seen.iter().filter(|&&c| c == b'\n').count();
        let column = seen.iter().rev().take_while(|&&c| c != b'\n').count();
        Error { what, line, column }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let c = self.peek();
        if c.is_some() {
            self.i += 1;
        }
        c
    }

    #[inline(always)]
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Result<Value, Error> {
        self.ws();
        match self.peek() {
            None => Err(self.err("EOF while parsing a value")),
            Some(b'n') => self.word("null", Value::Null),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'"') => {
                self.i += 1;
                self.string().map(Value::String)
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(c @ (b'[' | b'{')) => {
                self.enter()?;
                let v = if c == b'[' { self.array() } else { self.object() };
                self.depth -= 1;
                v
            }
            Some(_) => {
                self.i += 1;
                Err(self.err("expected value"))
            }
        }
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.i += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.err("recursion limit exceeded"));
        }
        self.depth += 1;
        Ok(())
    }

    fn word(&mut self, w: &'static str, v: Value) -> Result<Value, Error> {
        for &c in w.as_bytes() {
            match self.next() {
                Some(x) if x == c => {}
                Some(_) => return Err(self.err("expected ident")),
                None => return Err(self.err("EOF while parsing a value")),
            }
        }
        Ok(v)
    }

    /// Just after `[` or `{`: whether the closing byte follows at once (and is read).
    fn empty(&mut self, close: u8) -> bool {
        self.ws();
        let empty = self.peek() == Some(close);
        if empty {
            self.i += 1;
        }
        empty
    }

    /// After a member of an array or object: `true` after `,` (another member follows),
    /// `false` after the closing byte.
    fn more(&mut self, close: u8, expected: &'static str, eof: &'static str) -> Result<bool, Error> {
        self.ws();
        match self.next() {
            Some(b',') if self.empty(close) => Err(self.err("trailing comma")),
            Some(b',') => Ok(true),
            Some(c) if c == close => Ok(false),
            Some(_) => Err(self.err(expected)),
            None => Err(self.err(eof)),
        }
    }

    fn array(&mut self) -> Result<Value, Error> {
        let mut out = Vec::new();
        if !self.empty(b']') {
            if self.peek().is_none() {
                return Err(self.err("EOF while parsing a list"));
            }
            loop {
                out.push(self.value()?);
                if !self.more(b']', "expected `,` or `]`", "EOF while parsing a list")? {
                    break;
                }
            }
        }
        Ok(Value::Array(out))
    }

    fn object(&mut self) -> Result<Value, Error> {
        const EOF: &str = "EOF while parsing an object";
        // pushed, then sorted once by `Map`'s `collect` (a later duplicate wins): inserting one
        // by one in sorted order would move the tail for every key that comes out of order
        let mut out = Vec::new();
        if !self.empty(b'}') {
            let mut first = true;
            loop {
                match self.next() {
                    Some(b'"') => {}
                    Some(_) => return Err(self.err("key must be a string")),
                    None if first => return Err(self.err(EOF)),
                    None => return Err(self.err("EOF while parsing a value")),
                }
                first = false;
                let key = self.string()?;
                self.ws();
                match self.next() {
                    Some(b':') => {}
                    Some(_) => return Err(self.err("expected `:`")),
                    None => return Err(self.err(EOF)),
                }
                let v = self.value()?;
                out.push((key, v));
                if !self.more(b'}', "expected `,` or `}`", EOF)? {
                    break;
                }
            }
        }
        Ok(Value::Object(out.into_iter().collect()))
    }

    /// The rest of a string whose opening quote has been read.
    fn string(&mut self) -> Result<String, Error> {
        let mut out = String::new();
        loop {
            let start = self.i;
            let n = plain_len(self.b.get(start..).unwrap_or_default());
            // `start..start + n` ends before an ASCII byte or at the end: both char boundaries
            let run = self.s.get(start..start + n);
            debug_assert!(run.is_some(), "a run of string text ends inside a char");
            let run = run.unwrap_or_default();
            self.i = start + n;
            match self.next() {
                // most strings have no escape: one allocation of their exact size
                Some(b'"') if out.is_empty() => return Ok(run.to_owned()),
                Some(b'"') => {
                    out.push_str(run);
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(run);
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.err("control character (\\u0000-\\u001F) found while parsing a string")),
                None => return Err(self.err("EOF while parsing a string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Error> {
        let c = match self.next() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let n = self.hex4()?;
                if (0xDC00..=0xDFFF).contains(&n) {
                    return Err(self.err("lone leading surrogate in hex escape"));
                }
                let n = if (0xD800..=0xDBFF).contains(&n) {
                    for want in [b'\\', b'u'] {
                        match self.next() {
                            Some(c) if c == want => {}
                            Some(_) => return Err(self.err("unexpected end of hex escape")),
                            None => return Err(self.err("EOF while parsing a string")),
                        }
                    }
                    let n2 = self.hex4()?;
                    if !(0xDC00..=0xDFFF).contains(&n2) {
                        return Err(self.err("lone leading surrogate in hex escape"));
                    }
                    (((n - 0xD800) << 10) | (n2 - 0xDC00)) + 0x1_0000
                } else {
                    n
                };
                // not a surrogate, so a char
                char::from_u32(n).unwrap_or('\u{fffd}')
            }
            Some(_) => return Err(self.err("invalid escape")),
            None => return Err(self.err("EOF while parsing a string")),
        };
        out.push(c);
        Ok(())
    }

    /// Four hex digits; like serde_json, all four are read before a bad one is reported.
    fn hex4(&mut self) -> Result<u32, Error> {
        let (mut n, mut bad) = (0, false);
        for _ in 0..4 {
            let d = match self.next() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                Some(_) => {
                    bad = true;
                    0
                }
                None => return Err(self.err("EOF while parsing a string")),
            };
            n = n * 16 + u32::from(d);
        }
        if bad {
            return Err(self.err("invalid escape"));
        }
        Ok(n)
    }

    #[inline(always)]
    fn digit(&self) -> Option<u64> {
        self.peek().filter(u8::is_ascii_digit).map(|c| u64::from(c - b'0'))
    }

    /// At least one digit, else an error about the byte that is there instead.
    fn first_digit(&mut self) -> Result<u64, Error> {
        match self.next() {
            Some(c @ b'0'..=b'9') => Ok(u64::from(c - b'0')),
            Some(_) => Err(self.err("invalid number")),
            None => Err(self.err("EOF while parsing a value")),
        }
    }

    fn number(&mut self) -> Result<Value, Error> {
        let neg = self.peek() == Some(b'-');
        if neg {
            self.i += 1;
        }
        let mut sig = self.first_digit()?;
        // the power of ten of `sig`'s last digit; digits past u64's reach are dropped
        let mut exp: i64 = 0;
        let mut float = false;
        if sig == 0 {
            if self.digit().is_some() {
                self.i += 1;
                return Err(self.err("invalid number"));
            }
        } else {
            while let Some(d) = self.digit() {
                self.i += 1;
                match sig.checked_mul(10).and_then(|m| m.checked_add(d)) {
                    Some(m) if !float => sig = m,
                    _ => {
                        float = true;
                        exp += 1;
                    }
                }
            }
        }
        // as serde_json: fraction digits still count after the integer part lost some
        let mut full = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            float = true;
            let mut d = Some(self.first_digit()?);
            while let Some(x) = d {
                match sig.checked_mul(10).and_then(|m| m.checked_add(x)) {
                    Some(m) if !full => {
                        sig = m;
                        exp -= 1;
                    }
                    _ => full = true,
                }
                d = self.digit();
                if d.is_some() {
                    self.i += 1;
                }
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            float = true;
            let eneg = match self.peek() {
                Some(b'-') => {
                    self.i += 1;
                    true
                }
                Some(b'+') => {
                    self.i += 1;
                    false
                }
                _ => false,
            };
            let mut e = self.first_digit()? as i64;
            while let Some(d) = self.digit() {
                self.i += 1;
                e = e * 10 + d as i64;
                if e > i64::from(i32::MAX) {
                    // as serde_json: refused where the exponent outgrows an i32, unless the
                    // number is 0 or tends to it
                    if sig != 0 && !eneg {
                        return Err(self.err("number out of range"));
                    }
                    while self.digit().is_some() {
                        self.i += 1;
                    }
                    return self.float(neg, 0, 0);
                }
            }
            exp += if eneg { -e } else { e };
        }
        if !float {
            if !neg {
                return Ok(Value::Number(Number::from(sig)));
            }
            // as serde_json: `-0` and integers below i64::MIN are floats
            let n = (sig as i64).wrapping_neg();
            if n < 0 {
                return Ok(Value::Number(Number::from(n)));
            }
        }
        self.float(neg, sig, exp)
    }

    /// `sig × 10^exp` as serde_json computes it: one multiplication or division by the nearest
    /// float to the power of ten, and steps of 1e308 below that range.
    fn float(&self, neg: bool, sig: u64, mut exp: i64) -> Result<Value, Error> {
        let mut f = sig as f64;
        loop {
            let k = exp.unsigned_abs();
            if k <= 308 {
                if exp >= 0 {
                    f *= pow10(k as u32);
                    if f.is_infinite() {
                        return Err(self.err("number out of range"));
                    }
                } else {
                    f /= pow10(k as u32);
                }
                break;
            }
            if f == 0.0 {
                break;
            }
            if exp >= 0 {
                return Err(self.err("number out of range"));
            }
            f /= 1e308;
            exp += 308;
        }
        let f = if neg { -f } else { f };
        Ok(Number::from_f64(f).map_or(Value::Null, Value::Number))
    }
}

/// The float nearest to 10^k (the literal `1e{k}`), 0 ≤ k ≤ 308, without serde_json's table of
/// 309 of them (2.5 KB): 5^k kept to its leading 128 bits, rounded half to even to 53 bits,
/// times 2^k. A test compares all 309 with core's parse of `1e{k}`.
fn pow10(k: u32) -> f64 {
    if let Some(&p) = crate::http::POW10.get(k as usize) {
        return p; // exact
    }
    // 5^k ≈ m × 2^e, truncated
    let (mut m, mut e) = (1u128, 0i32);
    for _ in 0..k {
        if m.leading_zeros() < 3 {
            m >>= 3;
            e += 3;
        }
        m *= 5;
    }
    let lz = m.leading_zeros();
    m <<= lz;
    e -= lz as i32;
    let (top, rest, half) = ((m >> 75) as u64, m & ((1 << 75) - 1), 1u128 << 74);
    let mut mant = top + u64::from(rest > half || (rest == half && top & 1 == 1));
    // the value is mant × 2^exp2, mant in [2^52, 2^53]
    let mut exp2 = e + 75 + k as i32;
    if mant == 1 << 53 {
        mant >>= 1;
        exp2 += 1;
    }
    f64::from_bits((((exp2 + 52 + 1023) as u64) << 52) | (mant & ((1 << 52) - 1)))
}

/// A value as JSON, by reference, for [`obj!`](crate::obj).
pub trait AsJson {
    fn as_json(&self) -> Value;
}

impl AsJson for Value {
    fn as_json(&self) -> Value {
        self.clone()
    }
}
impl AsJson for str {
    fn as_json(&self) -> Value {
        Value::from(self)
    }
}
impl AsJson for String {
    fn as_json(&self) -> Value {
        Value::String(self.clone())
    }
}
impl AsJson for bool {
    fn as_json(&self) -> Value {
        Value::Bool(*self)
    }
}
impl AsJson for f64 {
    /// `null` for NaN and the infinities, as serde_json writes them
    fn as_json(&self) -> Value {
        Value::from(*self)
    }
}
macro_rules! as_json_int {
    ($($t:ty),*) => {$(
        impl AsJson for $t {
            fn as_json(&self) -> Value {
                Value::Number(Number::from(*self))
            }
        }
    )*};
}
as_json_int!(u32, i32, u64, i64, usize);
impl<T: AsJson + ?Sized> AsJson for &T {
    fn as_json(&self) -> Value {
        (**self).as_json()
    }
}
impl<T: AsJson> AsJson for Option<T> {
    fn as_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::as_json)
    }
}
impl<T: AsJson> AsJson for [T] {
    fn as_json(&self) -> Value {
        Value::Array(self.iter().map(T::as_json).collect())
    }
}
impl<T: AsJson> AsJson for Vec<T> {
    fn as_json(&self) -> Value {
        self.as_slice().as_json()
    }
}

/// `obj!({"key": value, ...})`: a JSON object, each value taken by reference through
/// [`AsJson`]. It replaces serde_json's `json!` outside tests: `json!` goes through serde_json's
/// value serializer and unwraps its result, which keeps serde_json's error formatting (and std's
/// I/O error words) in the wasm.
#[macro_export]
macro_rules! obj {
    ({ $($k:literal : $v:expr),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut m = $crate::json::Map::new();
        $( m.insert(String::from($k), $crate::json::AsJson::as_json(&$v)); )*
        $crate::json::Value::Object(m)
    }};
}

/// Test input: serde_json's `json!`, as this crate's [`Value`].
#[macro_export]
macro_rules! json_value {
    ($($t:tt)+) => {
        $crate::json::Value::from(::serde_json::json!($($t)+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both read `s` alike: the same tree, or both refuse it.
    fn same(s: &str) {
        let ours = parse(s);
        let theirs = serde_json::from_str::<Value>(s);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert!(close(a, b), "{s:?}: {a:?} vs {b:?}"),
            // the same words at the same line and column
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{s:?}"),
            _ => panic!("{s:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    /// The next of a repeatable pseudo-random sequence (xorshift64).
    fn xorshift(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    /// Equal trees, floats compared bit for bit (`-0.0` is not `0.0`).
    fn close(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) if x.is_f64() && y.is_f64() => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                x.to_bits() == y.to_bits()
            }
            (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| close(a, b)),
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|((ka, a), (kb, b))| ka == kb && close(a, b))
            }
            _ => a == b,
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for s in [
            "null",
            "true",
            "false",
            "0",
            "-0",
            "1",
            "-1",
            "12.5",
            "-0.0",
            "1e3",
            "1E+3",
            "1e-3",
            "2.5e-7",
            "0.1",
            "0.30000000000000004",
            "123456789012345678",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "1.7976931348623157e308",
            "1e308",
            "1e309",
            "-1e309",
            "1e-400",
            "0e999999999999",
            "1e99999999999999999999",
            "4.9e-324",
            "12345678901234567890.123",
            "0.000000000000000000000000123",
            r#""""#,
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            r#""\u00e9\u4e2d\ud83d\ude00""#,
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83dx""#,
            r#""\ud83d\u0041""#,
            r#""\ud83d\n""#,
            r#""\u12""#,
            r#""\u12g4""#,
            r#""\x""#,
            "\"a\u{1}b\"",
            "\"tab\tin\"",
            "\"é中😀\"",
            "[]",
            "[1,2,[3,{}]]",
            "[1,]",
            "[,1]",
            "[1 2]",
            "[",
            "[1",
            "{}",
            r#"{"a":1,"b":[true,null]}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{1:2}"#,
            r#"{"a":}"#,
            "{",
            r#"{"a""#,
            r#"{"a":1"#,
            " \n\t\r 1 \n",
            "1 2",
            "01",
            "-",
            "-a",
            "1.",
            "1.e3",
            ".5",
            "1e",
            "1e+",
            "+1",
            "nul",
            "nulx",
            "truex",
            "tru",
            "NaN",
            "Infinity",
            "'a'",
            "",
            "   ",
            "\u{feff}1",
            "[1]x",
            r#""abc"#,
            r#"{"records":{"r:1":"{\"a\":1}"}}"#,
            "1.0",
            "100",
            "-100.25",
            "5e-324",
            "2.2250738585072014e-308",
            "9007199254740993",
            "9007199254740993.0",
            // found by reviewing helpers: the edge of f64, subnormals, large powers of ten,
            // fraction digits after an integer part too long for u64, exponents past i32
            "17976931348623156225e289",
            "1.7976931348623157087e308",
            "25640299e-331",
            "167e-310",
            "1e100",
            "1e-330",
            "7.19257817248e-304",
            "184467440737095516189.0502e104",
            "4.839e12757595152542949743",
            "1e2147483648",
            "0e2147483648",
            "1e-2147483648",
            "-1e99999999999",
            // and error words or places that differed
            r#"{"a":1,"#,
            "[",
            "[ ",
            r#"{"a":["#,
            "[[",
            r#""\ud83d"#,
            r#""\ud83d\"#,
            r#""\uZZZZ""#,
            r#""\u00ZZ""#,
            "\"\\u\nl",
        ] {
            same(s);
        }
    }

    #[test]
    fn powers_of_ten_are_the_nearest_floats() {
        for k in 0..=308 {
            assert_eq!(pow10(k).to_bits(), format!("1e{k}").parse::<f64>().unwrap().to_bits(), "1e{k}");
        }
    }

    #[test]
    fn floats_read_as_serde_json_reads_them_bit_for_bit() {
        // 17 to 21 significant digits, exponents from far below the subnormals to past f64::MAX
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            let x = xorshift(&mut seed);
            let digits = 17 + (x % 5) as usize;
            let mant: String = (0..digits).map(|i| char::from(b'0' + ((x >> (i * 3 % 60)) % 10) as u8)).collect();
            let mant = mant.trim_start_matches('0');
            let e = (x >> 40) as i64 % 680 - 360;
            same(&format!("{}e{e}", if mant.is_empty() { "1" } else { mant }));
            same(&format!("0.{mant}e{e}"));
            // an integer part just past u64::MAX, whose fraction digits serde_json still takes
            let (d, frac) = (6 + x % 4, (x >> 20) % 100_000);
            same(&format!("1844674407370955161{d}.{frac:05}e{}", e / 2));
        }
    }

    #[test]
    fn strings_stop_where_they_must() {
        // every stop byte after and before ASCII and multi-byte text of every length
        for len in 0..24 {
            for fill in ["a", "é", "😀", "~", "\u{7f}"] {
                let text: String = fill.repeat(len);
                for stop in ["\"", "\\n", "\\u00e9", "\u{1}", "\u{1f}", "\u{20}", "\\x"] {
                    same(&format!("\"{text}{stop}{text}\""));
                    same(&format!("[\"{text}{stop}"));
                }
            }
        }
        assert_eq!(plain_len(b"abcdefgh\"ijk"), 8);
        assert_eq!(plain_len(b"abcdefghijklmno\\"), 15);
        assert_eq!(plain_len("é\u{1}".as_bytes()), 2);
        assert_eq!(plain_len(b"abc"), 3);
    }

    #[test]
    fn nests_as_deep_as_serde_json_and_no_deeper() {
        for depth in [1, 126, 127, 128, 129, 5000] {
            same(&("[".repeat(depth) + &"]".repeat(depth)));
            same(&(r#"{"a":"#.repeat(depth) + "1" + &"}".repeat(depth)));
            // unclosed: an error either way, never a stack overflow
            same(&"[".repeat(depth));
        }
    }

    #[test]
    fn amounts_read_exactly() {
        // the fast path is exact: the same bits as core's correctly rounded parse
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..50_000 {
            let x = xorshift(&mut seed);
            let whole = x % 10_000_000;
            let frac = (x >> 32) % 10_000;
            let scale = (x >> 50) % 5;
            let s = match scale {
                0 => format!("{whole}"),
                1 => format!("{whole}.{}", frac % 10),
                2 => format!("{whole}.{:02}", frac % 100),
                3 => format!("-{whole}.{frac:04}"),
                _ => format!("{whole}.{frac:04}e-{}", x % 9),
            };
            let v = parse(&s).unwrap();
            let f = v.as_f64().unwrap();
            assert_eq!(f.to_bits(), s.parse::<f64>().unwrap().to_bits(), "{s}");
            same(&s);
        }
    }

    #[test]
    fn random_texts_read_as_serde_json_reads_them() {
        // mutations of valid answers: every cut, every byte removed, changed or added
        let bases = [
            r#"{"status":"success","balance":"12.50","list":[{"id":123,"phone":"79990001122","price":0.25e1}],"x":null}"#,
            r#"[{"text":"Your code is 123 456","date":"2025-05-10 12:34:56"},{"n":-17,"f":false,"t":true}]"#,
            r#"{"k":"\u00e9\ud83d\ude00\n","e":1E-2,"big":184467440737095516150}"#,
        ];
        let swaps = [b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b'0', b'9', b'-', b'.', b'e', b' ', b'u', b'x'];
        for base in bases {
            let b = base.as_bytes();
            for cut in 0..=b.len() {
                if let Ok(s) = std::str::from_utf8(&b[..cut]) {
                    same(s);
                }
            }
            for i in 0..b.len() {
                let mut m = b.to_vec();
                m.remove(i);
                if let Ok(s) = std::str::from_utf8(&m) {
                    same(s);
                }
                for &c in &swaps {
                    let mut m = b.to_vec();
                    m[i] = c;
                    if let Ok(s) = std::str::from_utf8(&m) {
                        same(s);
                    }
                    let mut m = b.to_vec();
                    m.insert(i, c);
                    if let Ok(s) = std::str::from_utf8(&m) {
                        same(s);
                    }
                }
            }
        }
    }

    #[test]
    fn text_is_what_display_writes() {
        let answers = [
            r#"{"status":"success","values":{"0":{"id":"7","phone":"79096037108","price":"1.5"}},"b":[1,-0.0,2.5e300,null,true]}"#,
            r#"{"a":"\u00e9\n\"q\"\\ \u0001 \ud83d\ude00","k":{"":{"z":[]}},"n":-9223372036854775808,"u":18446744073709551615}"#,
            "[]",
            "\"plain\"",
            "0.1",
        ];
        for a in answers {
            let v = parse(a).unwrap();
            assert_eq!(text(&v), v.to_string(), "{a}");
        }
        assert_eq!(text(&crate::obj!({"ok": false, "code": "BAD_REQUEST"})), r#"{"code":"BAD_REQUEST","ok":false}"#);
    }

    #[test]
    fn obj_writes_what_json_writes() {
        use crate::engine::view::Label;
        use crate::model::Provider;
        let (s, none, some, v) = (String::from("x"), None::<String>, Some(3u32), vec![1u32, 2]);
        let label = Label { key: "hours", args: vec!["24".into()] };
        let ours = crate::obj!({
            "a": s, "b": none, "c": some, "d": 2.5f64, "e": f64::NAN, "f": v, "g": true, "h": "lit",
            "i": -7i64, "j": Value::Null, "k": &s, "l": Provider::Smspva, "m": label, "n": vec![Provider::Smsonline],
            "o": u64::MAX, "p": usize::MAX, "q": i32::MIN
        });
        let theirs = serde_json::json!({
            "a": s, "b": none, "c": some, "d": 2.5f64, "e": f64::NAN, "f": v, "g": true, "h": "lit",
            "i": -7i64, "j": Value::Null, "k": &s, "l": Provider::Smspva, "m": label, "n": vec![Provider::Smsonline],
            "o": u64::MAX, "p": usize::MAX, "q": i32::MIN
        });
        assert_eq!(ours, theirs);
        assert_eq!(crate::obj!({}), serde_json::json!({}));
        for p in [Provider::Smsonline, Provider::Smspva] {
            assert_eq!(p.as_json(), serde_json::to_value(p).unwrap());
        }
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = parse("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert_eq!(e.to_string(), "expected `:` at line 3 column 7");
        assert_eq!(parse("").unwrap_err().what, "EOF while parsing a value");
        assert_eq!(parse("<html>").unwrap_err().to_string(), "expected value at line 1 column 1");
        assert_eq!(parse("1e400").unwrap_err().what, "number out of range");
        assert_eq!(parse("[1] x").unwrap_err().what, "trailing characters");
    }
}
