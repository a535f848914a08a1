//! Lower case without core's Unicode case tables (~10 KB of wasm data that do not compress).
//!
//! Covers every script with case that SMS, page labels and the filter box meet in practice:
//! Latin (ASCII, Latin-1, Extended-A and -B's common letters, Vietnamese in Latin Extended
//! Additional, fullwidth), Greek with final sigma, Cyrillic (with Ukrainian, Kazakh and the other
//! Extended letters) and Armenian. Any other char is left as it is (scripts without case, and the
//! rare cased ones: Georgian Mtavruli, Cherokee, Deseret, Glagolitic…). A native test compares
//! every covered char with `char::to_lowercase` and lists what is not covered.

/// One char in lower case (for İ, the `i` of `i̇`).
#[inline]
pub fn lower_char(c: char) -> char {
    // most chars of SMS and page labels are ASCII: one compare, not the range tree below
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    lower_non_ascii(c)
}

fn lower_non_ascii(c: char) -> char {
    let u = c as u32;
    // the common cases first, in a few compares (the match below is a deep range tree): small
    // Cyrillic letters, capital Cyrillic, and the caseless scripts between Armenian and Latin
    // Extended Additional (Hebrew, Arabic, Indic, Thai...) and between Greek Extended and the
    // fullwidth capitals (CJK, kana, Hangul)
    match u {
        0x430..=0x45F | 0x557..=0x1DFF | 0x1F70..=0xFF20 | 0xFF3B.. => return c,
        0x410..=0x42F => return char::from_u32(u + 32).unwrap_or(c),
        _ => {}
    }
    let to = |d: u32| char::from_u32(d).unwrap_or(c);
    // pairs where the capital is even (odd = false) or odd (odd = true) and the small follows it
    let pair = |odd: bool| if (u & 1 == 1) == odd { to(u + 1) } else { c };
    match u {
        0xC0..=0xD6 | 0xD8..=0xDE => to(u + 32),
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 => pair(false),
        0x130 => 'i',
        0x139..=0x148 | 0x179..=0x17E => pair(true),
        0x178 => 'ÿ',
        // Latin Extended-B, the letters of Romanian, Pinyin, Azerbaijani, African alphabets
        0x18F => 'ə',
        0x1CD..=0x1DC => pair(true),
        0x1DE..=0x1EF | 0x1F8..=0x21F | 0x222..=0x233 | 0x246..=0x24F => pair(false),
        0x1C4 | 0x1C7 | 0x1CA | 0x1F1 => to(u + 2),
        0x1C5 | 0x1C8 | 0x1CB | 0x1F2 => to(u + 1),
        0x1F4 => 'ǵ',
        // Greek
        0x386 => 'ά',
        0x388..=0x38A => to(u + 37),
        0x38C => 'ό',
        0x38E | 0x38F => to(u + 63),
        0x391..=0x3A1 | 0x3A3..=0x3AB => to(u + 32),
        0x3D8..=0x3EF => pair(false),
        // Cyrillic (А..Я are above)
        0x400..=0x40F => to(u + 80),
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x52F => pair(false),
        0x4C0 => 'ӏ',
        0x4C1..=0x4CE => pair(true),
        // Armenian
        0x531..=0x556 => to(u + 48),
        // Latin Extended Additional (Vietnamese), without the irregular 1E96..1E9F
        0x1E00..=0x1E95 | 0x1EA0..=0x1EFF => pair(false),
        0x1E9E => 'ß',
        // Greek Extended capitals are 8 after their small letters (the common blocks)
        0x1F08..=0x1F0F | 0x1F18..=0x1F1D | 0x1F28..=0x1F2F | 0x1F38..=0x1F3F | 0x1F48..=0x1F4D | 0x1F68..=0x1F6F => {
            to(u - 8)
        }
        0xFF21..=0xFF3A => to(u + 32),
        _ => c,
    }
}

/// `char::to_lowercase` of one char for the covered scripts, appended to `out` (İ is `i̇`).
pub fn push_lower_char(c: char, out: &mut String) {
    if c == 'İ' {
        out.push_str("i\u{307}");
    } else {
        out.push(lower_char(c));
    }
}

fn cased_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && (lower_char(c) != c || is_lower(c)))
}

/// A small letter of the covered scripts (ASCII, Latin-1, Greek, Cyrillic basic).
pub fn is_lower(c: char) -> bool {
    c.is_ascii_lowercase() || matches!(c as u32, 0xDF..=0xF6 | 0xF8..=0xFF | 0x3AC..=0x3CE | 0x430..=0x45F)
}

/// A capital of the covered scripts.
pub fn is_upper(c: char) -> bool {
    lower_char(c) != c
}

/// The string in lower case, as `str::to_lowercase` gives it for the covered scripts (final
/// sigma included: Σ at the end of a word is ς).
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            'Σ' => {
                let after_letter = prev.is_some_and(cased_letter);
                let before_letter = it.peek().is_some_and(|&n| cased_letter(n));
                out.push(if after_letter && !before_letter { 'ς' } else { 'σ' });
            }
            _ => push_lower_char(c, &mut out),
        }
        prev = Some(c);
    }
    out
}

// Substring search. core's `str::find(&str)` and everything built on it (`contains`, `rfind`,
// `replace`, `split_once`, `trim_*_matches` with a `&str`) run its two-way searcher, ~3 KB of
// wasm. These look for the needle's first byte and compare the rest: the same answers, since a
// match of valid UTF-8 in valid UTF-8 always starts and ends on char boundaries. Needles here
// are words and short markers, so the plain scan is as fast.

/// In a table of `|<key><ISO>|` pieces (`|7RU|20EG|`), the two-letter code after `key`: only a
/// piece that is `key` and two capitals matches, so "3" is not found in "|358FI|", nor "35".
pub fn keyed_iso(table: &'static str, key: &str) -> Option<&'static str> {
    if key.is_empty() {
        return None;
    }
    table
        .split('|')
        .find_map(|p| p.strip_prefix(key).filter(|iso| iso.len() == 2 && iso.bytes().all(|b| b.is_ascii_uppercase())))
}

/// Whether `w` is one of the `|`-separated words of `list` (as a `matches!` of string arms,
/// which is code where this is data).
pub fn one_of(list: &str, w: &str) -> bool {
    !w.is_empty() && list.split('|').any(|x| x == w)
}

/// Where `needle` first occurs in `hay` (as `hay.find(needle)`).
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    find_from(hay.as_bytes(), needle.as_bytes(), 0)
}

fn find_from(h: &[u8], n: &[u8], from: usize) -> Option<usize> {
    let Some((&first, rest)) = n.split_first() else { return Some(from.min(h.len())) };
    let last = h.len().checked_sub(n.len())?;
    let mut i = from;
    while i <= last {
        i += h[i..=last].iter().position(|&b| b == first)?;
        if h[i + 1..i + n.len()] == *rest {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Where `needle` last occurs in `hay` (as `hay.rfind(needle)`).
pub fn rfind(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let last = h.len().checked_sub(n.len())?;
    (0..=last).rev().find(|&i| h[i..i + n.len()] == *n)
}

/// Whether `needle` occurs in `hay` (as `hay.contains(needle)`).
pub fn has(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// `hay` with every occurrence of `from`, left to right and not overlapping, replaced by `to`
/// (as `hay.replace(from, to)` for a non-empty `from`; an empty one replaces nothing).
pub fn replace(hay: &str, from: &str, to: &str) -> String {
    if from.is_empty() {
        return hay.to_string();
    }
    let mut out = String::with_capacity(hay.len());
    let mut at = 0;
    while let Some(i) = find_from(hay.as_bytes(), from.as_bytes(), at) {
        out.push_str(&hay[at..i]);
        out.push_str(to);
        at = i + from.len();
    }
    out.push_str(&hay[at..]);
    out
}

/// `hay` cut at the first `at` (as `hay.split_once(at)`).
pub fn split_once<'a>(hay: &'a str, at: &str) -> Option<(&'a str, &'a str)> {
    find(hay, at).map(|i| (&hay[..i], &hay[i + at.len()..]))
}

/// `s.parse::<T>()` for an integer type, compiled once for all of them (core's parser is
/// compiled per type): an optional sign (`-` only where `T` is signed), then ASCII digits and
/// nothing else; out of `T`'s range is `None`.
pub fn int<T: TryFrom<i128>>(s: &str) -> Option<T> {
    T::try_from(int_i128(s, T::try_from(-1).is_ok())?).ok()
}

#[inline(never)]
fn int_i128(s: &str, signed: bool) -> Option<i128> {
    let (neg, digits) = match s.as_bytes() {
        [b'-', rest @ ..] if signed => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        all => (false, all),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i128 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(if neg { -i128::from(d) } else { i128::from(d) })?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_matches_a_whole_word_of_the_list() {
        assert!(one_of("com|ru|net", "ru") && one_of("com|ru|net", "com") && one_of("com|ru|net", "net"));
        for no in ["", "r", "rus", "com|ru", "|", "co"] {
            assert!(!one_of("com|ru|net", no), "{no:?}");
        }
    }

    #[test]
    fn keyed_tables_find_only_a_whole_key() {
        const T: &str = "|1US|7RU|117PT|358FI|";
        assert_eq!(keyed_iso(T, "1"), Some("US"));
        assert_eq!(keyed_iso(T, "117"), Some("PT"));
        assert_eq!(keyed_iso(T, "358"), Some("FI"));
        for missing in ["", "3", "35", "11", "1U", "US", "|", "7RU", "1177PT"] {
            assert_eq!(keyed_iso(T, missing), None, "{missing:?}");
        }
    }

    /// `int` reads what core's `parse` reads, for each integer type used, and refuses the rest.
    #[test]
    fn int_reads_as_core() {
        let cases = [
            "",
            "0",
            "-0",
            "+0",
            "+",
            "-",
            "7",
            "+7",
            "-7",
            "007",
            "12a",
            " 1",
            "1 ",
            "1_000",
            "٣",
            "4294967295",
            "4294967296",
            "-2147483648",
            "-2147483649",
            "2147483647",
            "2147483648",
            "65535",
            "65536",
            "18446744073709551615",
            "18446744073709551616",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999999999999999999999",
            "--1",
            "+-1",
            "1.0",
            "1e3",
        ];
        for c in cases {
            assert_eq!(int::<i64>(c), c.parse::<i64>().ok(), "i64 {c:?}");
            assert_eq!(int::<u64>(c), c.parse::<u64>().ok(), "u64 {c:?}");
            assert_eq!(int::<u32>(c), c.parse::<u32>().ok(), "u32 {c:?}");
            assert_eq!(int::<i32>(c), c.parse::<i32>().ok(), "i32 {c:?}");
            assert_eq!(int::<u16>(c), c.parse::<u16>().ok(), "u16 {c:?}");
            assert_eq!(int::<usize>(c), c.parse::<usize>().ok(), "usize {c:?}");
        }
    }

    /// The substring helpers answer as core's `str` methods, on ASCII and multi-byte text,
    /// empty and overlapping needles, needles longer than the text and every cut of a few texts.
    #[test]
    fn substring_helpers_answer_as_core() {
        let texts = [
            "",
            "a",
            "aaaa",
            "abcabcab",
            "код: 1234, КОД: 5678 код",
            "ééé é",
            "x日本語x日本",
            "api_key=KEY&apikey=KEY",
        ];
        let needles = [
            "", "a", "aa", "aaa", "abc", "cab", "b", "код", "КОД", "é", "é é", "日本", "x日", "KEY", "=", "zz", "aaaaa",
        ];
        for t in texts {
            let mut cuts: Vec<&str> = vec![t];
            cuts.extend((0..=t.len()).filter(|&i| t.is_char_boundary(i)).map(|i| &t[i..]));
            cuts.extend((0..=t.len()).filter(|&i| t.is_char_boundary(i)).map(|i| &t[..i]));
            for h in cuts {
                for n in needles {
                    assert_eq!(find(h, n), h.find(n), "find {h:?} {n:?}");
                    assert_eq!(rfind(h, n), h.rfind(n), "rfind {h:?} {n:?}");
                    assert_eq!(has(h, n), h.contains(n), "has {h:?} {n:?}");
                    assert_eq!(split_once(h, n), h.split_once(n), "split_once {h:?} {n:?}");
                    if !n.is_empty() {
                        assert_eq!(replace(h, n, "<*>"), h.replace(n, "<*>"), "replace {h:?} {n:?}");
                        assert_eq!(replace(h, n, ""), h.replace(n, ""), "replace {h:?} {n:?}");
                    } else {
                        assert_eq!(replace(h, n, "<*>"), h, "an empty needle replaces nothing");
                    }
                }
            }
        }
    }

    /// Every char of the covered blocks lower-cases as core's tables say, and outside them
    /// the only cased letters left as they are belong to the rare scripts named in the docs.
    #[test]
    fn agrees_with_core_where_it_covers() {
        let mut uncovered = Vec::new();
        for u in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(u) else { continue };
            let std: Vec<char> = c.to_lowercase().collect();
            let ours = lower_char(c);
            if c == 'İ' {
                assert_eq!(std, ['i', '\u{307}']);
                continue;
            }
            if std == [ours] {
                continue;
            }
            assert_eq!(ours, c, "{u:X} lowered to {:X}, core says {std:?}", ours as u32);
            uncovered.push(u);
        }
        let covered_blocks = |u: u32| matches!(u, 0..=0x24F | 0x370..=0x3FF | 0x400..=0x52F | 0x531..=0x556 | 0x1E00..=0x1EFF | 0xFF00..=0xFFEF);
        let missed: Vec<String> = uncovered.iter().filter(|&&u| covered_blocks(u)).map(|u| format!("{u:X}")).collect();
        // left out of the covered blocks: only Latin Extended-B's African and IPA-derived
        // capitals (Ɓ Ɗ Ƒ Ɣ Ʋ …) and archaic Greek (Ͱ Ϗ Ϲ Ͻ …)
        assert!(
            uncovered.iter().filter(|&&u| covered_blocks(u)).all(|&u| matches!(u, 0x181..=0x245 | 0x370..=0x3FF)),
            "{missed:?}"
        );
        assert_eq!(missed.len(), 58, "{missed:?}");
    }

    #[test]
    fn strings_as_core_lowers_them() {
        for s in [
            "КОД ПОДТВЕРЖДЕНИЯ: 1234",
            "Ваш Код",
            "ΚΩΔΙΚΟΣ ΕΠΑΛΗΘΕΥΣΗΣ",
            "ΟΔΟΣ. ΣΑΣ",
            "Mã XÁC NHẬN",
            "İSTANBUL ŞİFRE",
            "Ǆ ǅ Ǉ",
            "ＣＯＤＥ",
            "ՀԱՍՏԱՏՄԱՆ ԿՈԴ",
            "ÆØÅ ÄÖÜ ẞ",
            "Єдиний КОД Ґ",
            "plain ascii CODE",
        ] {
            assert_eq!(lower(s), s.to_lowercase(), "{s}");
        }
        assert!(is_upper('Ж') && is_lower('ж') && !is_upper('ж') && is_upper('A') && is_lower('a'));
    }
}
