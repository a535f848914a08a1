//! One-time-code extraction from SMS text, in many languages.
//!
//! The pipeline: cut the text to its first `MAX_INPUT` bytes (SMS text is
//! untrusted); fold non-ASCII digits to ASCII; honour WebOTP / Apple
//! domain-bound lines (`@host #code`); otherwise tokenise once, build code
//! candidates (plain digit runs, grouped digits `123 456` / `123-456`, digits
//! one at a time `4 8 2 9 1 3`, prefixed codes `G-123456`, alphanumeric codes,
//! dash-split codes `AB3-9KD`, lower-case letter codes after a password word),
//! drop the ones that are parts of amounts, dates, times, phone numbers, links,
//! e-mails or card numbers, and score the rest by distance to code keywords and
//! away from negative keywords.
//!
//! Keywords come in classes (`Class`): strong ones are generic ("code", "код",
//! "kod", "コード") or specific ("OTP", "verification", "TAN", "password"),
//! matched as whole words, stems or inflected forms (`Match`), with German and
//! Nordic compounds, Turkish suffixes and Hebrew/Arabic clitics handled. A
//! generic code word next to a commerce noun ("order code", "код заказа") or in
//! a sentence that sells something (a promo word or a percentage) points at no
//! one-time code. Every step is linear in the input: look-aheads are bounded,
//! nothing rescans the text per candidate. No allocation per keyword, no regex.

use std::borrow::Cow;

/// The code a user would type, separators and prefixes removed, or `None`.
pub fn extract_code(text: &str) -> Option<String> {
    extract(text).map(|e| e.code)
}

/// A code with the sender host it is bound to, when the SMS carries a WebOTP line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    pub code: String,
    /// `example.com` from `@example.com #123456`.
    pub host: Option<String>,
}

/// SMS text is untrusted: only its first `MAX_INPUT` bytes (cut on a char boundary) are
/// scanned. A real SMS, even a long concatenated one, is well under 2 KB; a code is near its start.
pub const MAX_INPUT: usize = 4096;

/// The first `MAX_INPUT` bytes of `text`, cut on a char boundary.
fn bounded(text: &str) -> &str {
    if text.len() <= MAX_INPUT {
        return text;
    }
    let mut end = MAX_INPUT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

pub fn extract(text: &str) -> Option<Extracted> {
    let norm = fold_digits(bounded(text));
    let text: &str = &norm;
    if let Some(e) = webotp(text) {
        return Some(e);
    }
    best_candidate(text).map(|code| Extracted { code, host: None })
}

/// The WebOTP origin-bound host of an SMS, if any.
pub fn webotp_host(text: &str) -> Option<String> {
    webotp(&fold_digits(bounded(text))).and_then(|e| e.host)
}

// ---------------------------------------------------------------- digits

fn fold_char(c: char) -> Option<char> {
    // every digit below is in one of these two spans: most chars are out in two compares
    if !matches!(c as u32, 0x0660..=0x17E9 | 0xFF10..=0xFF19) {
        return None;
    }
    let zero = match c as u32 {
        0x0660..=0x0669 => 0x0660, // Arabic-Indic
        0x06F0..=0x06F9 => 0x06F0, // Extended Arabic-Indic (Persian, Urdu)
        0x0966..=0x096F => 0x0966, // Devanagari
        0x09E6..=0x09EF => 0x09E6, // Bengali
        0x0A66..=0x0A6F => 0x0A66, // Gurmukhi
        0x0AE6..=0x0AEF => 0x0AE6, // Gujarati
        0x0BE6..=0x0BEF => 0x0BE6, // Tamil
        0x0C66..=0x0C6F => 0x0C66, // Telugu
        0x0CE6..=0x0CEF => 0x0CE6, // Kannada
        0x0D66..=0x0D6F => 0x0D66, // Malayalam
        0x0E50..=0x0E59 => 0x0E50, // Thai
        0x0ED0..=0x0ED9 => 0x0ED0, // Lao
        0x1040..=0x1049 => 0x1040, // Myanmar
        0x17E0..=0x17E9 => 0x17E0, // Khmer
        0xFF10..=0xFF19 => 0xFF10, // Fullwidth
        _ => return None,
    };
    char::from_u32('0' as u32 + (c as u32 - zero))
}

/// Invisible formatting characters (zero-width, bidi controls) that hostile or
/// badly encoded SMS put between digits.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

fn fold_digits(text: &str) -> Cow<'_, str> {
    // every char folded or dropped below starts with one of these UTF-8 lead bytes (and most
    // SMS are ASCII: `is_ascii` reads a word at a time)
    let may_fold =
        !text.is_ascii() && text.bytes().any(|b| matches!(b, 0xC2 | 0xD9 | 0xDB | 0xE0 | 0xE1 | 0xE2 | 0xEF));
    if !may_fold
        || !text
            .chars()
            .any(|c| fold_char(c).is_some() || is_invisible(c) || c == '\u{00A0}' || c == '\u{2009}' || c == '\u{202F}')
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|c| !is_invisible(*c))
            .map(|c| match c {
                '\u{00A0}' | '\u{2009}' | '\u{202F}' => ' ',
                _ => fold_char(c).unwrap_or(c),
            })
            .collect(),
    )
}

// ---------------------------------------------------------------- WebOTP

fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn is_host_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || c == '-' || c == ':'
}

/// `@host #code` (optionally followed by ` %embedded-host`) on the last line that has one.
fn webotp(text: &str) -> Option<Extracted> {
    // most SMS have no '@' at all: skip the line split
    if !text.as_bytes().contains(&b'@') {
        return None;
    }
    for line in text.lines().rev() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix('@') else { continue };
        let host_end = rest.find(|c: char| !is_host_char(c)).unwrap_or(rest.len());
        let host = &rest[..host_end];
        let after = rest[host_end..].trim_start();
        let Some(code_part) = after.strip_prefix('#') else { continue };
        let code_end = code_part.find(|c: char| !is_code_char(c)).unwrap_or(code_part.len());
        let code = &code_part[..code_end];
        let tail = code_part[code_end..].trim();
        if host.is_empty() || !host.contains('.') && host != "localhost" || code.len() < 3 || code.len() > 12 {
            continue;
        }
        if !(tail.is_empty() || tail.starts_with('%')) {
            continue;
        }
        return Some(Extracted { code: code.to_string(), host: Some(host.trim_end_matches('.').to_ascii_lowercase()) });
    }
    None
}

// ---------------------------------------------------------------- tokens

/// How strongly a word says "the number near me is a one-time code".
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Strength {
    None,
    /// enter, use, login, valid...
    Weak,
    /// code, OTP, password, TAN, verification...
    Strong,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TokKind {
    Num,
    /// ASCII letters and digits mixed.
    Alnum,
    Word,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    start: usize,
    end: usize,
    kind: TokKind,
    /// Keyword strength and negative flag.
    kw: Strength,
    neg: bool,
    /// the strong keyword is only a generic "code" word (code, код, kod, código, コード...):
    /// next to a commerce noun or in a promotion it names an order or a coupon
    generic: bool,
    /// names a purchase, an order or a shipment (order, заказ, sipariş, 注文...)
    commerce: bool,
    /// a password word (passcode, пароль, hasło): a lower-case letters code may follow it
    pass: bool,
    /// a number that is no code and does not part a keyword from its code: one digit, a part
    /// of an amount, a date or a time ("€120.00", "12-05", "nr 3")
    soft: bool,
    /// promo/coupon/referral words: the "code" next to them is not a one-time code
    promo: bool,
    /// names the number right after it (see LABEL_BEFORE)
    label: bool,
    upper: bool,
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // whole script blocks without a table lookup, combining marks included (Thai tone marks,
    // Devanagari virama and matras, Arabic harakat, Hebrew points): they never split a word
    match c as u32 {
        0xD7 | 0xF7 => false,
        0xC0..=0x24F | 0x0300..=0x036F | 0x0386..=0x03CE | 0x0400..=0x052F | 0x0591..=0x05C7 | 0x05D0..=0x05EA => true,
        0x0610..=0x061A | 0x0620..=0x065F | 0x066E..=0x06D3 | 0x0900..=0x0963 | 0x0971..=0x097F | 0x0980..=0x09E5 => {
            true
        }
        0x0E01..=0x0E4E | 0x3041..=0x30FF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 => true,
        // General Punctuation (dashes, quotes, the ellipsis, invisible marks) and currency
        // signs: no letter or digit there (a test checks), so no table lookup either
        0x2000..=0x206F | 0x20A0..=0x20CF => false,
        _ => c.is_alphanumeric(),
    }
}

/// The word being read by `tokenize`: where it starts and what kinds of chars it has so far.
struct Run {
    start: Option<usize>,
    digits: usize,
    ascii_letters: usize,
    other: usize,
    upper: bool,
}

impl Run {
    /// Starts a word at `i`, unless one is being read.
    #[inline]
    fn open(&mut self, i: usize) {
        if self.start.is_none() {
            *self = Run { start: Some(i), digits: 0, ascii_letters: 0, other: 0, upper: true };
        }
    }

    /// Ends the word being read (if any) at `e`.
    #[inline]
    fn close(&mut self, e: usize, out: &mut Vec<Tok>) {
        let Some(s) = self.start.take() else { return };
        let (d, a, o) = (self.digits, self.ascii_letters, self.other);
        let kind = if d > 0 && a == 0 && o == 0 {
            TokKind::Num
        } else if d > 0 && o == 0 {
            TokKind::Alnum
        } else {
            TokKind::Word
        };
        out.push(Tok {
            start: s,
            end: e,
            kind,
            kw: Strength::None,
            neg: false,
            generic: false,
            commerce: false,
            pass: false,
            soft: false,
            promo: false,
            label: false,
            upper: self.upper && a > 0 && o == 0,
        });
    }

    /// Ends the word at `i` and starts the next one there: digits and other scripts' letters
    /// are words of their own ("код1234", "1234コード").
    #[inline]
    fn split(&mut self, i: usize, out: &mut Vec<Tok>) {
        self.close(i, out);
        self.open(i);
    }

    /// One more letter that is neither ASCII nor a digit (`n` of them in a run).
    #[inline]
    fn other_letters(&mut self, i: usize, n: usize, out: &mut Vec<Tok>) {
        self.open(i);
        if self.digits > 0 && self.other == 0 {
            self.split(i, out);
        }
        self.other += n;
    }
}

fn tokenize(text: &str, out: &mut Vec<Tok>) {
    let mut run = Run { start: None, digits: 0, ascii_letters: 0, other: 0, upper: true };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // a run of lower-case ASCII letters (most of an SMS) in one tight loop: each only
        // counts as a letter of the word it is in, or starts one
        if b.is_ascii_lowercase() {
            run.open(i);
            let from = i;
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_lowercase() {
                i += 1;
            }
            run.ascii_letters += i - from;
            run.upper = false;
            continue;
        }
        // a run of Cyrillic letters (U+0400..U+04FF: a lead byte 0xD0..=0xD3 and one
        // continuation byte, all word chars) likewise
        if matches!(b, 0xD0..=0xD3) {
            let from = i;
            i += 2;
            while i < bytes.len() && matches!(bytes[i], 0xD0..=0xD3) {
                i += 2;
            }
            run.other_letters(from, (i - from) / 2, out);
            continue;
        }
        let (c, len) = if b < 0x80 {
            (b as char, 1)
        } else {
            text[i..].chars().next().map(|c| (c, c.len_utf8())).unwrap_or((' ', 1))
        };
        let at = i;
        i += len;
        if !is_word_char(c) {
            run.close(at, out);
        } else if c.is_ascii_digit() {
            run.open(at);
            // CJK ideographs and kana are words of their own script run: split digits from them.
            if run.other > 0 {
                run.split(at, out);
            }
            run.digits += 1;
        } else if c.is_ascii_alphabetic() {
            run.open(at);
            run.ascii_letters += 1;
            if c.is_ascii_lowercase() {
                run.upper = false;
            }
        } else {
            run.other_letters(at, 1, out);
        }
    }
    run.close(text.len(), out);
}

// ---------------------------------------------------------------- keywords

/// A list of keywords as one `|`-separated string: a table of `&str`s costs 8 bytes a
/// keyword in the wasm (its pointer and length, about 2 KB of gzip for these lists).
#[derive(Clone, Copy)]
struct Words(&'static str);

impl Words {
    fn iter(self) -> impl Iterator<Item = &'static str> {
        self.0.split('|').filter(|w| !w.is_empty())
    }

    fn contains(self, k: &str) -> bool {
        self.iter().any(|w| w == k)
    }
}

/// Strong code keywords (lower-case prefixes of a word).
const STRONG: Words = Words(concat!(
    // en
    "code|",
    "otp|",
    "passcode|",
    "pin|",
    "verification|",
    "verify|",
    "one-time|",
    "onetime|",
    "2fa|",
    "password|",
    "passwd|",
    "token|",
    // ru / uk / kk / be
    "код|",
    "пароль|",
    "parol|",
    "подтвержд|",
    "проверочн|",
    "одноразов|",
    "верификац|",
    "підтвердж|",
    "перевірк|",
    "одноразов|",
    // fr / it / ro
    "vérification|",
    "verification|",
    "codice|",
    "cod|",
    "verifica|",
    // es / pt
    "código|",
    "codigo|",
    "verificação|",
    "verificacao|",
    "verificación|",
    "verificacion|",
    "contraseña|",
    "senha|",
    "clave|",
    // de / nl
    "bestätigung|",
    "bestatigung|",
    "kennwort|",
    "passwort|",
    "verificatie|",
    "bevestiging|",
    // tr / az / uz
    "kod|",
    "doğrulama|",
    "dogrulama|",
    "şifre|",
    "sifre|",
    "tasdiq|",
    // id / ms
    "kode|",
    "verifikasi|",
    "pengesahan|",
    // vi
    "mã|",
    "xác|",
    "xac|",
    // pl / cs / sk
    "weryfik|",
    "kód|",
    "overovac|",
    "ověřovací|",
    // ar / fa / he
    "رمز|",
    "كود|",
    "الرمز|",
    "الكود|",
    "كلمة|",
    "التحقق|",
    "کد|",
    "קוד|",
    "הקוד|",
    "סיסמה|",
    "סיסמת|",
    // hi / bn / ur
    "कोड|",
    "ओटीपी|",
    "सत्यापन|",
    "পাসওয়ার্ড|",
    "কোড|",
    "ওটিপি|",
    // issue 12: pl, de compounds, tr, ms, et, fi, hu, bg, sw, he, ur, ka, hy, fr, lv/lt/hr, nordic
    "hasł|",
    "hasl|",
    "tac|",
    "kood|",
    "koodi|",
    "salasan|",
    "tunnusluku|",
    "transaktionsnummer|",
    "jelsz|",
    "ellenőrz|",
    "парол|",
    "еднократн|",
    "потвържд|",
    "uthibitish|",
    "סיסמ|",
    "אימות|",
    "کوڈ|",
    "კოდი|",
    "კოდ|",
    "կոդ|",
    "passe|",
    "verifik|",
    "patvirtinim|",
    // el / th / ko / ja (word-level forms)
    "κωδικός|",
    "κωδικ|",
    "รหัส|",
    "인증번호|",
    "인증|",
    "코드|",
    "확인|",
));

/// Weaker signals that a number is meant to be typed somewhere.
const WEAK: Words = Words(concat!(
    "enter|",
    "use|",
    "key|",
    "activation|",
    "activate|",
    "share|",
    "login|",
    "log-in|",
    "sign|",
    "expires|",
    "valid|",
    "confirm|",
    "security|",
    "authentication|",
    "auth|",
    "access|",
    "введите|",
    "вход|",
    "войти|",
    "сообщайте|",
    "передавайте|",
    "никому|",
    "действител|",
    "логин|",
    "введіть|",
    "вхід|",
    "нікому|",
    "повідомляйте|",
    "entrez|",
    "saisissez|",
    "connexion|",
    "ingrese|",
    "introduce|",
    "digite|",
    "insira|",
    "acesso|",
    "acceso|",
    "geben|",
    "anmeld|",
    "girin|",
    "giriş|",
    "giris|",
    "masukkan|",
    "nhập|",
    "dùng|",
    "inserisci|",
    "wpisz|",
    "autoryzac|",
    "autoriz|",
    "onay|",
    "jednorazow|",
    "kertakäyttö|",
    "egyszer|",
    "engång|",
    "engangs|",
    "einmal|",
    "authoriz|",
    "approve|",
    "zadejte|",
    "أدخل|",
    "ادخل|",
    "दर्ज|",
));

/// Words that make a nearby number something other than a code.
const NEG: Words = Words(concat!(
    // orders, tracking, ids
    "order|",
    "tracking|",
    "track|",
    "invoice|",
    "ref|",
    "reference|",
    "ticket|",
    "flight|",
    "parcel|",
    "shipment|",
    "package|",
    "booking|",
    "reservation|",
    "réservation|",
    "reserva|",
    "бронь|",
    "заказ|",
    "замовлен|",
    "трек|",
    "отправлен|",
    "посылк|",
    "накладн|",
    "рейс|",
    "билет|",
    "бронир|",
    "квитанц|",
    "commande|",
    "colis|",
    "pedido|",
    "encomenda|",
    "bestellung|",
    "sendung|",
    "sipariş|",
    "siparis|",
    "kargo|",
    "pesanan|",
    "resi|",
    "đơn|",
    "订单|",
    "注文|",
    // money
    "amount|",
    "sum|",
    "total|",
    "balance|",
    "paid|",
    "payment|",
    "debited|",
    "credited|",
    "charged|",
    "price|",
    "сумма|",
    "сумму|",
    "баланс|",
    "оплат|",
    "списан|",
    "зачислен|",
    "платеж|",
    "платёж|",
    "сума|",
    "рахун|",
    "счет|",
    "счёт|",
    "montant|",
    "solde|",
    "valor|",
    "saldo|",
    "betrag|",
    "kwot|",
    "importe|",
    "importo|",
    "bedrag|",
    "összeg|",
    "belopp|",
    "مبلغ|",
    "राशि|",
    "ποσό|",
    "tutar|",
    "bakiye|",
    "jumlah|",
    "số|",
    "tiền|",
    "usd|",
    "eur|",
    "rub|",
    "uah|",
    "kzt|",
    "try|",
    "inr|",
    "idr|",
    "vnd|",
    "brl|",
    "gbp|",
    "cny|",
    "руб|",
    "грн|",
    "тенге|",
    "₽|",
    "rs|",
    "reais|",
    "dollars|",
    "euros|",
    "rupees|",
    "руб.|",
    // cards, accounts
    "card|",
    "ending|",
    "acct|",
    "карт|",
    "карта|",
    "карты|",
    "картка|",
    "carte|",
    "cartão|",
    "cartao|",
    "tarjeta|",
    "karte|",
    "kart|",
    "kartu|",
    "thẻ|",
    // phone numbers
    "call|",
    "phone|",
    "tel|",
    "hotline|",
    "звоните|",
    "телефон|",
    "позвоните|",
    "тел|",
    "appelez|",
    "ligue|",
    "llame|",
    "anrufen|",
    "arayın|",
    // time units and dates that follow a number
    "min|",
    "mins|",
    "minutes|",
    "minute|",
    "hours|",
    "hour|",
    "sec|",
    "seconds|",
    "days|",
    "мин|",
    "минут|",
    "минуты|",
    "час|",
    "часа|",
    "часов|",
    "секунд|",
    "дней|",
    "дня|",
    "хвилин|",
    "годин|",
    "minutos|",
    "minuti|",
    "minuten|",
    "dakika|",
    "menit|",
    "phút|",
    "分钟|",
    "分|",
    "jan|",
    "feb|",
    "mar|",
    "apr|",
    "jun|",
    "jul|",
    "aug|",
    "sep|",
    "oct|",
    "nov|",
    "dec|",
    "января|",
    "февраля|",
    "марта|",
    "апреля|",
    "мая|",
    "июня|",
    "июля|",
    "августа|",
    "сентября|",
    "октября|",
    "ноября|",
    "декабря|",
));

/// Words that name the number right after them ("account 4821", "room 4021"): never a code there.
const LABEL_BEFORE: Words = Words(concat!(
    "account|",
    "acct|",
    "room|",
    "gate|",
    "platform|",
    "locker|",
    "plate|",
    "seat|",
    "table|",
    "ext|",
    "extension|",
    "apt|",
    "suite|",
    "flat|",
    "box|",
    "no|",
    "аккаунт|",
    "счёт|",
    "счет|",
    "комната|",
    "кабинет|",
    "платформа|",
    "ячейка|",
    "рахунок|",
    "compte|",
    "conta|",
    "cuenta|",
    "konto|",
    "hesap|",
));

/// Promotions: a "code" next to these is a coupon, not a one-time code.
const PROMO: Words = Words(concat!(
    "promo|",
    "promocode|",
    "promotional|",
    "coupon|",
    "voucher|",
    "referral|",
    "refer|",
    "invite|",
    "invitation|",
    "discount|",
    "off|",
    "sale|",
    "gift|",
    "checkout|",
    "промокод|",
    "промо|",
    "скидк|",
    "купон|",
    "знижк|",
    "акци|",
    "cupom|",
    "cupón|",
    "cupon|",
    "descuento|",
    "desconto|",
    "promocional|",
    "rabat|",
    "zniżk|",
    "znizk|",
    "sconto|",
    "korting|",
    "kedvezm|",
    "alennus|",
    "giảm|",
    "diskaun|",
    "הנחה|",
    "تخفيف|",
    "تخفیف|",
    "خصم|",
    "छूट|",
    "έκπτωσ|",
    "εκπτωσ|",
    "reducere|",
    "sleva|",
    "zľav|",
    "zlav|",
    "remise|",
    "soldes|",
    "rebaj|",
    "saving|",
    "percent|",
    "процент|",
    "prozent|",
    "porcent|",
    "pourcent|",
    "درصد|",
    "gutschein|",
    "indirim|",
    "diskon|",
    "réduction|",
    "reduction|",
    "parrainage|",
    "优惠|",
    "折扣|",
    "bonus|",
    "бонус|",
    "бонусн|",
    // lists of backup codes are not one code to type now
    "backup|",
));

/// Keywords inside unsegmented scripts (Chinese, Japanese, Thai) are found as substrings.
const CJK_STRONG: Words = Words(concat!(
    "验证码|",
    "驗證碼|",
    "校验码|",
    "校驗碼|",
    "动态码|",
    "動態碼|",
    "确认码|",
    "確認碼|",
    "认证码|",
    "認證碼|",
    "认证|",
    "验证|",
    "驗證|",
    "認証|",
    "確認コード|",
    "コード|",
    "認証番号|",
    "暗証|",
    "密码|",
    "密碼|",
    "代码|",
    "รหัส|",
    "ยืนยัน|",
    "인증|",
    "비밀번호|",
    "코드|",
    "パスワード|",
    "ワンタイム|",
    "確認番号|",
    "動態密碼|",
    "动态密码|",
    "口令|",
));
/// The CJK/Thai/Korean words above that only say "code".
const CJK_GENERIC: Words = Words("コード|代码|코드|รหัส");
const CJK_NEG: Words = Words("배송|발송|结账|發貨|发货|金额|金額|余额|餘額|元|円|分钟|分鐘|分間");
const CJK_PROMO: Words = Words("优惠|折扣|打折|クーポン|セール|割引|할인|쿠폰|โค้ด|ลดราคา");
const CJK_COMMERCE: Words = Words("订单|訂單|注文|주문|快递|运单|運單|伝票|พัสดุ");

/// Strong keywords that only say "code": in a promotion or next to a commerce noun they
/// name a coupon or an order, not a one-time code.
const GENERIC: Words = Words(concat!(
    "code|",
    "cod|",
    "codice|",
    "código|",
    "codigo|",
    "kod|",
    "kode|",
    "kód|",
    "kood|",
    "koodi|",
    "код|",
    "კოდი|",
    "კოდ|",
    "կոդ|",
    "کد|",
    "کوڈ|",
    "كود|",
    "الكود|",
    "رمز|",
    "الرمز|",
    "קוד|",
    "הקוד|",
    "कोड|",
    "কোড|",
    "mã|",
    "κωδικ|",
    "κωδικός|",
));

/// Password words: a lower-case letters code may follow them.
const PASS: Words = Words(concat!(
    "passcode|",
    "password|",
    "passwd|",
    "passwort|",
    "kennwort|",
    "пароль|",
    "парол|",
    "hasł|",
    "hasl|",
    "contraseña|",
    "senha|",
    "passe|",
    "jelsz|",
    "salasan|",
));

/// Purchases, orders, shipments: a generic code word next to one names an order or a parcel.
const COMMERCE: Words = Words(concat!(
    "order|",
    "purchase|",
    "shipment|",
    "parcel|",
    "package|",
    "tracking|",
    "pickup|",
    "booking|",
    "reservation|",
    "réservation|",
    "ticket|",
    "invoice|",
    "boarding|",
    "заказ|",
    "покупк|",
    "посылк|",
    "отправлен|",
    "замовлен|",
    "покупк|",
    "commande|",
    "achat|",
    "colis|",
    "pedido|",
    "compra|",
    "encomenda|",
    "bestell|",
    "sendung|",
    "paket|",
    "abhol|",
    "zamówien|",
    "zamowien|",
    "przesył|",
    "przesyl|",
    "paczk|",
    "sipariş|",
    "siparis|",
    "kargo|",
    "ordine|",
    "acquisto|",
    "spedizion|",
    "pacco|",
    "bestelling|",
    "zending|",
    "pakket|",
    "objednávk|",
    "objednavk|",
    "zásilk|",
    "rendelés|",
    "beställning|",
    "ordre|",
    "tilaus|",
    "užsakym|",
    "narudžb|",
    "поръчк|",
    "поруџбин|",
    "pesanan|",
    "đơn|",
    "سفارش|",
    "طلب|",
    "הזמנה|",
    "ऑर्डर|",
    "অর্ডার|",
    "آرڈر|",
    "παραγγελ|",
    "comanda|",
    "retrait|",
    "odbior|",
    "odbiór|",
    "recogida|",
    "retirada|",
    "ritiro|",
    "afhaal|",
    "выдач|",
));

/// `starts_with` as a byte loop: keywords are short, a libc call costs more.
#[inline]
fn has_prefix(w: &str, k: &str) -> bool {
    let (w, k) = (w.as_bytes(), k.as_bytes());
    if w.len() < k.len() {
        return false;
    }
    // 8 bytes at a time; keywords are short, so this is one or two loads
    let mut i = 0;
    while i + 8 <= k.len() {
        if u64::from_ne_bytes(w[i..i + 8].try_into().unwrap()) != u64::from_ne_bytes(k[i..i + 8].try_into().unwrap()) {
            return false;
        }
        i += 8;
    }
    while i < k.len() {
        if w[i] != k[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[inline]
fn same(w: &str, k: &str) -> bool {
    w.len() == k.len() && has_prefix(w, k)
}

/// How a keyword matches a lower-case word, decided once when the index is built.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Match {
    /// the whole word
    Exact,
    /// a prefix of the word (stems: "подтвержд", "weryfik", "hasł")
    Prefix,
    /// the short "code" words with their inflections: кода, коды, kodu, kodunuzdur (Turkish
    /// suffixes stack), codul, kódod, կոդը, კოდია; never "codex"/"kodak"
    Inflected,
}

fn match_mode(k: &str, class: Class) -> Match {
    let n = k.chars().count();
    match class {
        Class::Label => Match::Exact,
        // short negative words must match whole; longer ones as prefixes
        Class::Promo | Class::Neg | Class::Commerce => {
            if k.len() <= 3 || (k.len() <= 12 && n <= 3) {
                Match::Exact
            } else {
                Match::Prefix
            }
        }
        Class::Generic | Class::Strong | Class::Pass | Class::Weak => {
            if k == "passe" {
                // "mot de passe", never "passez"/"passer"
                Match::Exact
            } else if k.len() > 6 || n > 3 {
                Match::Prefix
            } else if matches!(k, "код" | "kod" | "kód" | "cod" | "կոդ" | "კოდ") {
                Match::Inflected
            } else {
                Match::Exact
            }
        }
    }
}

/// `w` is lower-case.
#[inline]
fn matches_kw(w: &str, k: &str, mode: Match) -> bool {
    match mode {
        Match::Exact => same(w, k),
        Match::Prefix => has_prefix(w, k),
        Match::Inflected => {
            same(w, k)
                || has_prefix(w, k)
                    && w.chars().count() - k.chars().count() <= 7
                    && !matches!(w, "codex" | "codec" | "kodak" | "codes" | "kodeks" | "codename")
        }
    }
}

/// Which list a keyword comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Promo,
    /// a strong keyword that only says "code" (see GENERIC)
    Generic,
    /// a strong keyword that says more: OTP, verification, one-time
    Strong,
    /// a strong password word (see PASS)
    Pass,
    Weak,
    Neg,
    Label,
    Commerce,
}

/// A keyword of the index, with its first 8 bytes as a number (`head`, zero-padded) and the
/// mask of those bytes: one compare rules out almost every keyword of a bucket.
#[derive(Clone, Copy)]
struct Entry {
    head: u64,
    mask: u64,
    k: &'static str,
    class: Class,
    mode: Match,
}

/// The first 8 bytes of `b` as a number, zero-padded.
#[inline]
fn head8(b: &[u8]) -> u64 {
    let mut h = [0u8; 8];
    let n = b.len().min(8);
    h[..n].copy_from_slice(&b[..n]);
    u64::from_le_bytes(h)
}

impl Entry {
    fn new(k: &'static str, class: Class) -> Entry {
        let n = k.len().min(8);
        let mask = if n == 8 { u64::MAX } else { (1u64 << (8 * n)) - 1 };
        Entry { head: head8(k.as_bytes()), mask, k, class, mode: match_mode(k, class) }
    }

    /// `matches_kw`, with `wh` = `head8(w)`. A keyword has no zero byte, so the masked compare
    /// also says that `w` has at least the keyword's first `min(8, len)` bytes.
    #[inline]
    fn matches(&self, w: &str, wh: u64) -> bool {
        if wh & self.mask != self.head {
            return false;
        }
        if self.mode == Match::Exact && w.len() != self.k.len() {
            return false;
        }
        self.k.len() <= 8 && self.mode != Match::Inflected || matches_kw(w, self.k, self.mode)
    }
}

type Bucket = Vec<Entry>;

/// Keyword lists indexed by their first two (lower-case) characters, built
/// once: a flat table for Latin letters, digits, '-' and Cyrillic, a map for the rest.
struct KeywordIndex {
    table: Vec<Bucket>,
    other: crate::vecmap::VecMap<(char, char), Bucket>,
}

const SLOTS: usize = 69;

fn slot(c: char) -> Option<usize> {
    match c as u32 {
        0x61..=0x7A => Some((c as u32 - 0x61) as usize),
        0x30..=0x39 => Some(26 + (c as u32 - 0x30) as usize),
        0x2D => Some(36),
        0x0430..=0x044F => Some(37 + (c as u32 - 0x0430) as usize),
        _ => None,
    }
}

impl KeywordIndex {
    fn get(&self, a: char, b: char) -> Option<&Bucket> {
        match (slot(a), slot(b)) {
            (Some(x), Some(y)) => Some(&self.table[x * SLOTS + y]).filter(|b| !b.is_empty()),
            _ => self.other.get(&(a, b)),
        }
    }
}

fn keyword_index() -> &'static KeywordIndex {
    static INDEX: std::sync::OnceLock<KeywordIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut ix = KeywordIndex { table: vec![Vec::new(); SLOTS * SLOTS], other: crate::vecmap::VecMap::new() };
        for (list, kind) in [
            (PROMO, Class::Promo),
            (STRONG, Class::Strong),
            (WEAK, Class::Weak),
            (NEG, Class::Neg),
            (LABEL_BEFORE, Class::Label),
            (COMMERCE, Class::Commerce),
        ] {
            for k in list.iter() {
                let kind = match kind {
                    Class::Strong if GENERIC.contains(k) => Class::Generic,
                    Class::Strong if PASS.contains(k) => Class::Pass,
                    other => other,
                };
                let entry = Entry::new(k, kind);
                let mut cs = k.chars();
                let (Some(a), Some(b)) = (cs.next(), cs.next()) else { continue };
                match (slot(a), slot(b)) {
                    (Some(x), Some(y)) => ix.table[x * SLOTS + y].push(entry),
                    _ => ix.other.entry_or_default((a, b)).push(entry),
                }
            }
        }
        ix
    })
}

/// Compound words ending in a code or password word: Bestätigungscode, verifieringskod,
/// bekræftelseskode, vahvistuskoodisi, kinnituskood, Einmalpasswort. `w` is lower-case.
fn compound_code_word(w: &str) -> Option<bool> {
    // every suffix below ends in e, d, i, n or t: most words are out after one byte
    if w.len() < 7 || !matches!(w.as_bytes()[w.len() - 1], b'e' | b'd' | b'i' | b'n' | b't') {
        return None;
    }
    if ["passwort", "kennwort"].iter().any(|k| w.ends_with(k)) {
        return Some(false);
    }
    ["code", "kode", "kod", "kód", "kood", "codice", "koodi", "koodisi", "koodin"]
        .iter()
        .any(|k| w.ends_with(k))
        .then_some(true)
}

/// German banking TANs: TAN, mTAN, smsTAN, pushTAN, chipTAN, mobileTAN (original case:
/// "Titan" is not one).
fn is_tan(word: &str) -> bool {
    let b = word.as_bytes();
    // one byte decides for almost every word
    b.last() == Some(&b'N')
        && (3..=10).contains(&b.len())
        && b[b.len() - 3] == b'T'
        && b[b.len() - 2] == b'A'
        && b[..b.len() - 3].iter().all(|c| c.is_ascii_lowercase())
}

/// Hebrew and Arabic one-letter prefixes glued to the next word: Hebrew the, and, in, to,
/// that, from, as; Arabic and, with, for, so, as (the Arabic article "ال" is two letters).
fn clitic_prefix(c: char) -> bool {
    matches!(c, 'ה' | 'ו' | 'ב' | 'ל' | 'ש' | 'מ' | 'כ' | 'و' | 'ب' | 'ل' | 'ف' | 'ك' | 'ا')
}

/// The word without one clitic prefix ("הסיסמה" -> "סיסמה", "الطلب" -> "طلب", "بالكود" -> "الكود").
fn strip_clitic(word: &str, first: char) -> &str {
    if first == 'ا' {
        return word.strip_prefix("ال").unwrap_or(word);
    }
    &word[first.len_utf8()..]
}

fn classify_word(word: &str, tok: &mut Tok) {
    classify_word_at(word, tok, 0)
}

/// `depth`: Hebrew prefix letters already stripped (at most two: "ושה", "and that the").
fn classify_word_at(word: &str, tok: &mut Tok, depth: u8) {
    // no keyword is a single character (and a word of two bytes or more has two ASCII bytes
    // below when it is ASCII)
    if word.len() < 2 {
        return;
    }
    // most words are ASCII: their first two chars are their first two bytes
    let ascii = word.is_ascii();
    let first = if ascii {
        word.as_bytes()[0].to_ascii_lowercase() as char
    } else {
        word.chars().next().map(crate::text::lower_char).unwrap_or(' ')
    };
    // Thai, kana, CJK and Hangul are all 3-byte UTF-8 (lead byte ≥ 0xE0)
    if !ascii
        && word.bytes().any(|b| b >= 0xE0)
        && word.chars().any(|c| {
            matches!(c as u32, 0x0E00..=0x0E7F | 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
        })
    {
        // one pass over the word: at each char, only keywords starting with it are compared
        let (mut generic, mut specific) = (false, false);
        let list = cjk_keywords();
        for (i, ch) in word.char_indices() {
            let rest = &word[i..];
            // the list is sorted by first char: only the keywords starting with `ch`
            let from = list.partition_point(|e| e.0 < ch);
            for &(_, k, class) in list[from..].iter().take_while(|e| e.0 == ch) {
                if has_prefix(rest, k) {
                    match class {
                        Class::Neg => tok.neg = true,
                        Class::Promo => {
                            tok.neg = true;
                            tok.promo = true;
                        }
                        Class::Commerce => {
                            tok.neg = true;
                            tok.commerce = true;
                        }
                        _ if CJK_GENERIC.contains(k) => generic = true,
                        _ => specific = true,
                    }
                }
            }
        }
        if generic || specific {
            tok.kw = Strength::Strong;
            tok.generic = !specific;
        }
        return;
    }
    if is_tan(word) {
        tok.kw = Strength::Strong;
        return;
    }
    let second = if ascii {
        word.as_bytes()[1].to_ascii_lowercase() as char
    } else {
        word.chars().nth(1).map(crate::text::lower_char).unwrap_or(' ')
    };
    let mut list = keyword_index().get(first, second);
    if list.is_none() && word.len() < 7 && !clitic_prefix(first) {
        return;
    }
    let mut buf = [0u8; 96];
    let lower_owned;
    let w: &str = if ascii && word.len() <= buf.len() {
        buf[..word.len()].copy_from_slice(word.as_bytes());
        buf[..word.len()].make_ascii_lowercase();
        // SAFETY: ASCII bytes, lower-cased in place, are valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(&buf[..word.len()]) }
    } else if word.len() * 2 <= buf.len() {
        let mut n = 0;
        for c in word.chars() {
            n += crate::text::lower_char(c).encode_utf8(&mut buf[n..]).len();
        }
        // SAFETY: buf[..n] holds only whole chars written by `char::encode_utf8`.
        unsafe { std::str::from_utf8_unchecked(&buf[..n]) }
    } else {
        lower_owned = crate::text::lower(word);
        &lower_owned
    };
    let (mut promo, mut generic, mut specific, mut weak, mut neg, mut label, mut commerce, mut pass) =
        (false, false, false, false, false, false, false, false);
    if let Some(l) = list.take() {
        let wh = head8(w.as_bytes());
        for e in l {
            if !e.matches(w, wh) {
                continue;
            }
            match e.class {
                Class::Promo => promo = true,
                Class::Generic => generic = true,
                Class::Strong => specific = true,
                Class::Pass => {
                    specific = true;
                    pass = true;
                }
                Class::Weak => weak = true,
                Class::Label => label = true,
                Class::Neg => neg = true,
                Class::Commerce => commerce = true,
            }
        }
    }
    if promo {
        tok.neg = true;
        tok.promo = true;
        return;
    }
    // Hebrew and Arabic clitics: "הסיסמה" is "the password", "והקוד" "and the code", "الطلب" "the order"
    if !(promo || generic || specific || weak || neg || commerce || label) && clitic_prefix(first) && depth < 2 {
        let rest = strip_clitic(word, first);
        if rest.len() < word.len() && rest.chars().count() >= 3 {
            classify_word_at(rest, tok, depth + 1);
        }
        return;
    }
    if !generic && !specific {
        match compound_code_word(w) {
            Some(true) => generic = true,
            Some(false) => {
                specific = true;
                pass = true;
            }
            None => {}
        }
    }
    if specific || generic {
        tok.kw = Strength::Strong;
        tok.generic = !specific;
        tok.pass = pass;
    } else if weak {
        tok.kw = Strength::Weak;
    }
    tok.neg = neg || commerce;
    tok.commerce = commerce;
    tok.label = label;
}

// ---------------------------------------------------------------- candidates

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum CandKind {
    /// one run of digits
    Digits,
    /// digit groups: 123 456, 123-456
    Grouped,
    /// single digits one at a time: 4 8 2 9 1 3
    Spaced,
    /// ASCII letters and digits in one token: RF4G2
    Alnum,
    /// two alphanumeric halves split by one dash: AB3-9KD
    Split,
    /// upper-case letters only: KXPTQ
    Letters,
    /// lower-case letters only, right after a password word: zqbxtw
    Lower,
}

struct Cand<'a> {
    code: Cow<'a, str>,
    first: usize,
    last: usize,
    kind: CandKind,
}

impl Cand<'_> {
    fn alnum(&self) -> bool {
        matches!(self.kind, CandKind::Alnum | CandKind::Split | CandKind::Letters | CandKind::Lower)
    }
    fn letters_only(&self) -> bool {
        matches!(self.kind, CandKind::Letters | CandKind::Lower)
    }
    fn grouped(&self) -> bool {
        matches!(self.kind, CandKind::Grouped | CandKind::Spaced | CandKind::Split)
    }
}

/// Currency signs and '%': a number next to one is an amount or a rate.
#[inline]
fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '₽' | '¥' | '₹' | '₴' | '₸' | '₺' | '₩' | '₫' | '%' | '¢' | '₦' | '₱')
}

fn gap<'a>(text: &'a str, a: &Tok, b: &Tok) -> &'a str {
    &text[a.end..b.start]
}

/// Whitespace-delimited chunk that contains byte `pos`.
/// (Other Unicode spaces were folded to ' ' before; ASCII whitespace bytes never split a UTF-8 char.)
/// At most 256 bytes each way: a link is recognised by its start, and a text without
/// spaces must not cost a rescan per candidate.
fn chunk_at(text: &str, pos: usize) -> &str {
    const REACH: usize = 256;
    let b = text.as_bytes();
    let lo = pos.saturating_sub(REACH);
    let hi = (pos + REACH).min(b.len());
    let mut s = b[lo..pos].iter().rposition(u8::is_ascii_whitespace).map(|i| lo + i + 1).unwrap_or(lo);
    let mut e = b[pos..hi].iter().position(u8::is_ascii_whitespace).map(|i| pos + i).unwrap_or(hi);
    while !text.is_char_boundary(s) {
        s += 1;
    }
    while !text.is_char_boundary(e) {
        e -= 1;
    }
    &text[s..e]
}

fn in_link_or_email(text: &str, t: &Tok) -> bool {
    let ch = chunk_at(text, t.start);
    // every answer "yes" below needs a '/' (links, paths), an '@' (e-mail) or a "www." start:
    // "code: 123456." is out after one pass
    if !ch.bytes().any(|b| matches!(b, b'/' | b'@')) && !ch.starts_with("www.") {
        return false;
    }
    if crate::text::has(ch, "://")
        || ch.starts_with("www.")
        || crate::text::has(ch, ".com/")
        || crate::text::has(ch, ".ly/")
        || crate::text::has(ch, ".me/")
    {
        return true;
    }
    if let Some(at) = ch.find('@') {
        // e-mail address (not a WebOTP "@host" at the chunk start)
        if at > 0 && ch[at..].contains('.') {
            return true;
        }
    }
    // path-like "host.tld/xyz" chunks
    if let Some(slash) = ch.find('/') {
        if ch[..slash].contains('.') && ch[..slash].chars().any(|c| c.is_ascii_alphabetic()) {
            return true;
        }
    }
    false
}

fn digits_of(text: &str, t: &Tok) -> usize {
    text[t.start..t.end].len()
}

/// Digit groups of one code: "123 456", "123-456", "123 - 456".
fn joins(g: &str) -> bool {
    match g.as_bytes() {
        [b' '] | [b'-'] | [b' ', b'-', b' '] => true,
        _ => g == "\u{2011}" || g == "–",
    }
}

/// Upper-case ASCII letters and digits only.
fn upper_alnum(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A lower-case letters code ("zqbxtw"): 5–8 ASCII letters with at most one vowel in three
/// (see `lower_code_after` for the rest), which words of a sentence seldom are.
#[inline]
fn lower_code_shape(s: &str) -> bool {
    if !(5..=8).contains(&s.len()) {
        return false;
    }
    let mut vowels = 0;
    for b in s.bytes() {
        if !b.is_ascii_lowercase() {
            return false;
        }
        vowels += matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') as usize;
    }
    vowels * 3 <= s.len()
}

/// Vowels in at most one letter of four, or one of three right after a colon ("passcode: qazbrt").
fn lower_code_sparse(s: &str, after_colon: bool) -> bool {
    let vowels = s.bytes().filter(|b| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')).count();
    vowels * 4 <= s.len() || after_colon && vowels * 3 <= s.len()
}

/// "AB3-9KD": two halves of one alphanumeric code split by one dash: equal length (3–4),
/// upper-case, at least one half mixing letters and digits, and no third part (serials and
/// keys like ABCD-1234-EFGH are not codes).
fn dash_split<'a>(text: &'a str, toks: &[Tok], i: usize) -> Option<Cand<'a>> {
    let (a, b) = (toks.get(i)?, toks.get(i + 1)?);
    let (sa, sb) = (&text[a.start..a.end], &text[b.start..b.end]);
    if !is_byte(gap(text, a, b), b'-')
        || sa.len() != sb.len()
        || !(3..=4).contains(&sa.len())
        || !(a.kind == TokKind::Alnum || b.kind == TokKind::Alnum)
        || !upper_alnum(sa)
        || !upper_alnum(sb)
    {
        return None;
    }
    let chained_before = i > 0 && gap(text, &toks[i - 1], a).ends_with('-');
    let chained_after = toks.get(i + 2).is_some_and(|c| gap(text, b, c).starts_with('-'));
    if chained_before || chained_after {
        return None;
    }
    let mut code = String::with_capacity(sa.len() * 2);
    code.push_str(sa);
    code.push_str(sb);
    Some(Cand { code: Cow::Owned(code), first: i, last: i + 1, kind: CandKind::Split })
}

fn build_candidates<'a>(text: &'a str, toks: &[Tok], out: &mut Vec<Cand<'a>>) {
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let s = &text[t.start..t.end];
        if t.kind != TokKind::Word || t.upper {
            if let Some(c) = dash_split(text, toks, i) {
                out.push(c);
                i += 2;
                continue;
            }
        }
        match t.kind {
            TokKind::Num => {
                // grouped digits: 123 456 / 123-456 / 12 34 56 / 1234 5678; a group never
                // holds more than 8 digits, so the look-ahead stops there (linear on "1 1 1 ...")
                let mut j = i;
                let glen = digits_of(text, t);
                let mut total = glen;
                let mut uniform = true;
                while j + 1 < toks.len() && toks[j + 1].kind == TokKind::Num && total <= 8 {
                    if !joins(gap(text, &toks[j], &toks[j + 1])) {
                        break;
                    }
                    let l = digits_of(text, &toks[j + 1]);
                    if l != glen {
                        uniform = false;
                    }
                    total += l;
                    j += 1;
                }
                // "12-05" is a date, not a code
                let date_like = j == i + 1 && glen == 2 && total == 4 && is_byte(gap(text, t, &toks[j]), b'-');
                if j > i && uniform && (2..=4).contains(&glen) && (4..=8).contains(&total) && !date_like {
                    let code: Cow<str> = Cow::Owned(toks[i..=j].iter().map(|x| &text[x.start..x.end]).collect());
                    out.push(Cand { code, first: i, last: j, kind: CandKind::Grouped });
                    i = j + 1;
                    continue;
                }
                // one digit at a time: "4 8 2 9 1 3", a whole run of 4–8 single digits
                let starts_run = i == 0
                    || !(toks[i - 1].kind == TokKind::Num
                        && digits_of(text, &toks[i - 1]) == 1
                        && joins(gap(text, &toks[i - 1], t)));
                let ends_run = toks.get(j + 1).is_none_or(|n| n.kind != TokKind::Num || !joins(gap(text, &toks[j], n)));
                if glen == 1 && starts_run && ends_run && uniform && (4..=8).contains(&(j - i + 1)) {
                    let code: Cow<str> = Cow::Owned(toks[i..=j].iter().map(|x| &text[x.start..x.end]).collect());
                    out.push(Cand { code, first: i, last: j, kind: CandKind::Spaced });
                    i = j + 1;
                    continue;
                }
                // "1 415 555 0100", "+7 999 123 45 67", "4417 1234 5678 9012": three or more groups
                // that are not one code are a phone or card number; skip the whole run
                if j >= i + 2 && !(glen == 1 && uniform) {
                    let mut k = j;
                    while k + 1 < toks.len()
                        && toks[k + 1].kind == TokKind::Num
                        && joins(gap(text, &toks[k], &toks[k + 1]))
                    {
                        k += 1;
                    }
                    i = k + 1;
                    continue;
                }
                out.push(Cand { code: Cow::Borrowed(s), first: i, last: i, kind: CandKind::Digits });
            }
            TokKind::Alnum => {
                out.push(Cand { code: Cow::Borrowed(s), first: i, last: i, kind: CandKind::Alnum });
            }
            TokKind::Word => {
                // G-123456: short upper-case prefix, dash, digits
                if t.upper
                    && s.len() <= 3
                    && i + 1 < toks.len()
                    && toks[i + 1].kind == TokKind::Num
                    && is_byte(gap(text, t, &toks[i + 1]), b'-')
                {
                    let n = &toks[i + 1];
                    out.push(Cand {
                        code: Cow::Borrowed(&text[n.start..n.end]),
                        first: i + 1,
                        last: i + 1,
                        kind: CandKind::Digits,
                    });
                    i += 2;
                    continue;
                }
                if t.upper && s.is_ascii() && (5..=8).contains(&s.len()) {
                    out.push(Cand { code: Cow::Borrowed(s), first: i, last: i, kind: CandKind::Letters });
                }
            }
        }
        i += 1;
    }
}

/// True when the candidate is part of a time, date, decimal amount, phone number or similar.
fn structurally_excluded(text: &str, toks: &[Tok], c: &Cand) -> bool {
    let first = &toks[c.first];
    let last = &toks[c.last];
    let before = &text[..first.start];
    let after = &text[last.end..];
    let n = c.code.len();
    if !c.alnum() && !(3..=8).contains(&n) {
        return true;
    }
    if c.alnum() && !(4..=10).contains(&n) {
        return true;
    }
    // leading + (phone), * (masked card), currency right before or after
    let prev_ch = before.chars().rev().find(|c| !c.is_whitespace());
    let prev_adj = before.chars().next_back();
    let next_adj = after.chars().next();
    let next_ch = after.chars().find(|c| !c.is_whitespace());
    // '#'/'№' mark order, ticket and request numbers (WebOTP's "#code" is handled before)
    if matches!(prev_adj, Some('+' | '*' | '•' | '·' | 'x' | 'X' | '/' | '\\' | '=' | '&' | '_' | '#' | '№')) {
        return true;
    }
    if let Some(p) = prev_ch {
        if is_currency(p) || p == '*' || p == '№' {
            return true;
        }
    }
    if let Some(nc) = next_ch {
        if is_currency(nc) {
            return true;
        }
    }
    // glued to another number by . , : / (dates, times, decimals, versions, ratios)
    if c.first > 0 {
        let p = &toks[c.first - 1];
        let g = gap(text, p, first);
        if p.kind == TokKind::Num && matches!(g.as_bytes(), [b'.' | b',' | b':' | b'/' | b'-']) {
            return true;
        }
    }
    if c.last + 1 < toks.len() {
        let nx = &toks[c.last + 1];
        let g = gap(text, last, nx);
        if nx.kind == TokKind::Num && matches!(g.as_bytes(), [b'.' | b',' | b':' | b'/' | b'-' | b'h']) {
            return true;
        }
        if nx.kind != TokKind::Num && matches!(next_adj, Some('/' | '=' | '_' | '@')) {
            return true;
        }
    }
    // "PIN 88120#": keyed into a phone menu or a conference bridge
    if matches!(next_adj, Some('/' | '=' | '_' | '@' | '%' | '#')) {
        return true;
    }
    // in parentheses: "(555) 123-4567" and "+44 (20)" are parts of phone numbers, "(482913)" is a code
    if matches!(prev_adj, Some('(' | ')')) && matches!(next_adj, Some(')' | '(')) {
        let phone_next = toks
            .get(c.last + 1)
            .is_some_and(|nx| nx.kind == TokKind::Num && gap(text, last, nx).trim_start_matches([')', '(']).len() <= 1);
        let phone_prev = c.first > 0 && {
            let p = &toks[c.first - 1];
            p.kind == TokKind::Num && gap(text, p, first).trim_end_matches(['(', ')']).len() <= 1
        };
        if n <= 3 || phone_next || phone_prev {
            return true;
        }
    }
    // parts of hyphenated serials and keys: ABCD-1234-EFGH (a short "G-" prefix is fine)
    if c.first > 0 {
        let p = &toks[c.first - 1];
        if p.kind != TokKind::Num && is_byte(gap(text, p, first), b'-') && p.end - p.start >= 3 {
            return true;
        }
    }
    if c.last + 1 < toks.len() {
        let nx = &toks[c.last + 1];
        if nx.kind != TokKind::Num && is_byte(gap(text, last, nx), b'-') {
            return true;
        }
    }
    if in_link_or_email(text, first) {
        return true;
    }
    if c.alnum() && !c.letters_only() {
        let s: &str = &c.code;
        let letters = s.bytes().filter(u8::is_ascii_alphabetic).count();
        let digits = n - letters;
        // ordinal or unit suffixes: 1st, 10km, 5GB, 30min, 2x
        let lower = s.to_ascii_lowercase();
        if letters == 2
            && (lower.ends_with("st") || lower.ends_with("nd") || lower.ends_with("rd") || lower.ends_with("th"))
        {
            return true;
        }
        for unit in ["gb", "mb", "kb", "km", "kg", "min", "mins", "sec", "ms", "am", "pm", "rub", "usd", "eur", "h"] {
            if lower.ends_with(unit) && lower[..lower.len() - unit.len()].bytes().all(|b| b.is_ascii_digit()) {
                return true;
            }
        }
        if digits == 0 {
            return true;
        }
        // one-time codes with letters are upper-case (Steam, Discord); "iPhone15", "qwerty123" are not codes
        if s.bytes().any(|b| b.is_ascii_lowercase()) {
            return true;
        }
    }
    false
}

/// What lies on one side of a candidate, up to 12 tokens away.
struct Side {
    /// Nearest keyword (distance, strength 1 weak / 2 strong); a keyword in another sentence counts 2 further.
    kw: Option<(usize, Strength)>,
    /// Nearest negative word in the same sentence, before any other number.
    neg: Option<usize>,
    /// The keyword is a strong one 7–12 words away, same sentence, no other number between.
    far: bool,
    /// The nearest keyword is a strong one that says more than "code" (OTP, verification, TAN).
    specific: bool,
}

impl Side {
    fn scan(toks: &[Tok], sentence: &[u32], from: usize, dir: isize) -> Side {
        let mut side = Side { kw: None, neg: None, far: false, specific: false };
        // any other number stops negative words (they belong to it); only a number that could
        // be a code stops keywords ("code to confirm the €120.00 transfer is 7702")
        let (mut blocked, mut blocked_neg) = (false, false);
        let home = sentence[from];
        for d in 1..=12usize {
            let Some(i) = from.checked_add_signed(dir * d as isize).filter(|i| *i < toks.len()) else { break };
            let t = &toks[i];
            let other = sentence[i] != home;
            if d > 8 {
                // far out only a strong keyword of the same sentence counts
                if t.kw == Strength::Strong && side.kw.is_none_or(|k| k.1 < Strength::Strong) && !other && !blocked {
                    side.kw = Some((d, Strength::Strong));
                    side.far = true;
                    side.specific = !t.generic;
                }
            } else {
                // the nearest keyword, upgraded to a strong one within reach
                if t.kw > Strength::None && side.kw.is_none_or(|k| k.1 < t.kw && (d <= 6 || (!other && !blocked))) {
                    side.kw = Some((d + if other { 2 } else { 0 }, t.kw));
                    side.far = d > 6 && !other && !blocked && t.kw == Strength::Strong;
                    side.specific = t.kw == Strength::Strong && !t.generic;
                }
                if t.neg && side.neg.is_none() && !other && !blocked_neg {
                    side.neg = Some(d);
                }
            }
            blocked |= t.kind != TokKind::Word && !t.soft;
            blocked_neg |= t.kind != TokKind::Word;
        }
        side
    }
}

/// CJK/Thai keywords with their first char decoded once, sorted by it: (first char, keyword, class).
fn cjk_keywords() -> &'static [(char, &'static str, Class)] {
    static LIST: std::sync::OnceLock<Vec<(char, &'static str, Class)>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        let strong = CJK_STRONG.iter().map(|k| (k, Class::Strong));
        let neg = CJK_NEG.iter().map(|k| (k, Class::Neg));
        let promo = CJK_PROMO.iter().map(|k| (k, Class::Promo));
        let commerce = CJK_COMMERCE.iter().map(|k| (k, Class::Commerce));
        let mut list = strong
            .chain(neg)
            .chain(promo)
            .chain(commerce)
            .filter_map(|(k, n)| k.chars().next().map(|c| (c, k, n)))
            .collect::<Vec<_>>();
        // stable: keywords sharing a first char keep their list order
        list.sort_by_key(|e| e.0);
        list
    })
}

/// `g` is exactly the one ASCII byte `b` (no libc call for a one-byte compare).
#[inline]
fn is_byte(g: &str, b: u8) -> bool {
    g.len() == 1 && g.as_bytes()[0] == b
}

/// Whether the text between two tokens closes a sentence: ". ", "! ", "? ", a line
/// break, a trailing '.', or CJK sentence punctuation.
fn ends_sentence(g: &str) -> bool {
    let b = g.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'\n' => return true,
            b'.' | b'!' | b'?' if i + 1 == b.len() && (c != b'.' || b.len() > 1) || b.get(i + 1) == Some(&b' ') => {
                return true
            }
            0xE3 | 0xEF => return g.contains(['。', '！', '；', '，']),
            _ => {}
        }
    }
    false
}

thread_local! {
    /// Token and sentence buffers reused across calls (no allocation per SMS in steady state).
    static SCRATCH: std::cell::RefCell<(Vec<Tok>, Vec<u32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

fn best_candidate(text: &str) -> Option<String> {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut bufs) => {
            let (toks, sentence) = &mut *bufs;
            best_candidate_in(text, toks, sentence)
        }
        Err(_) => best_candidate_in(text, &mut Vec::new(), &mut Vec::new()),
    })
}

fn best_candidate_in(text: &str, toks: &mut Vec<Tok>, sentence: &mut Vec<u32>) -> Option<String> {
    toks.clear();
    sentence.clear();
    tokenize(text, toks);
    if !toks.iter().any(|t| t.kind != TokKind::Word || t.upper)
        && !toks.iter().any(|t| lower_code_shape(&text[t.start..t.end]))
    {
        return None;
    }
    let mut cands = Vec::with_capacity(8);
    build_candidates(text, toks, &mut cands);
    // amounts, dates, times, phone numbers, links: out before any keyword lookup
    cands.retain(|c| !structurally_excluded(text, toks, c));
    // lower-case letter codes are looked for after the keywords, next to a password word
    let lower_shaped = |t: &Tok| t.kind == TokKind::Word && lower_code_shape(&text[t.start..t.end]);
    let (lo, hi) = if !cands.is_empty() {
        // only words that can influence a candidate need their keywords looked up
        let lo = cands.iter().map(|c| c.first).min().unwrap_or(0).saturating_sub(15);
        (lo, (cands.iter().map(|c| c.last).max().unwrap_or(0) + 15).min(toks.len().saturating_sub(1)))
    } else if toks.iter().any(lower_shaped) {
        (0, toks.len() - 1)
    } else {
        return None;
    };
    for i in lo..=hi {
        if toks[i].kind != TokKind::Word {
            continue;
        }
        // "Booking.com", "Ozon.ru": a site name is neither a keyword nor a negative word
        if i + 1 < toks.len() && is_byte(gap(text, &toks[i], &toks[i + 1]), b'.') {
            let next = &text[toks[i + 1].start..toks[i + 1].end];
            if crate::text::one_of("com|ru|net|org|io|ua|de|fr|br|in|co|me|app|uk|kz|tr|id|vn|cz|pl|nl", next) {
                continue;
            }
        }
        let w = &text[toks[i].start..toks[i].end];
        classify_word(w, &mut toks[i]);
    }
    for i in 0..toks.len() {
        if toks[i].kind != TokKind::Num {
            continue;
        }
        let t = &toks[i];
        let glued = |g: &str| matches!(g.as_bytes(), [b'.' | b',' | b':' | b'/' | b'-']);
        let prev = text[..t.start].chars().next_back();
        let next = text[t.end..].chars().next();
        toks[i].soft = t.end - t.start == 1
            || prev.is_some_and(is_currency)
            || next.is_some_and(is_currency)
            || i > 0 && toks[i - 1].kind == TokKind::Num && glued(gap(text, &toks[i - 1], t))
            || toks.get(i + 1).is_some_and(|n| n.kind == TokKind::Num && glued(gap(text, t, n)));
    }
    // sentence index of every token: negative words do not reach across sentences
    let mut sid = 0u32;
    for i in 0..toks.len() {
        if i > 0 {
            let g = gap(text, &toks[i - 1], &toks[i]);
            if !is_byte(g, b' ') && ends_sentence(g) {
                sid += 1;
            }
        }
        sentence.push(sid);
    }
    // a percentage ("20% off", "%20 indirim", "-40 %") makes its sentence a promotion
    let percent_at = |t: &Tok| {
        t.kind == TokKind::Num
            && (text[t.end..].trim_start_matches(' ').starts_with('%') || text[..t.start].ends_with('%'))
    };
    let mut promo_sentences: Vec<u32> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if (t.promo || percent_at(t)) && promo_sentences.last() != Some(&sentence[i]) {
            promo_sentences.push(sentence[i]);
        }
    }
    let any_promo = !promo_sentences.is_empty();
    if any_promo {
        // "promo code", "código promocional", "referral code": that code word is not ours,
        // nor is a bare "code" anywhere in a sentence that sells something
        for i in 0..toks.len() {
            if toks[i].promo {
                for j in i.saturating_sub(1)..(i + 3).min(toks.len()) {
                    toks[j].kw = Strength::None;
                }
            }
            // "use code 4410 and get 20% off": neither "use" nor "code" points at a one-time code there
            let t = &toks[i];
            if (t.kw == Strength::Weak || t.kw == Strength::Strong && t.generic)
                && promo_sentences.binary_search(&sentence[i]).is_ok()
            {
                toks[i].kw = Strength::None;
            }
        }
    }
    // "order code", "код заказа", "sipariş kodunuz", "Kod zamówienia": a bare code word next to
    // a commerce noun names the order, unless a word such as "verification" or "OTP" is there too
    for i in lo..=hi {
        if !toks[i].commerce {
            continue;
        }
        let home = sentence[i];
        let near = |j: usize| {
            let (a, b) = (i.min(j), i.max(j));
            sentence[j] == home
                && !toks[a..=b].iter().any(|t| t.kind != TokKind::Word)
                && !toks[a..b].iter().zip(&toks[a + 1..=b]).any(|(x, y)| gap(text, x, y).contains([',', ';']))
        };
        let (a, b) = (i.saturating_sub(3), (i + 4).min(toks.len()));
        if (a..b).any(|j| near(j) && toks[j].kw == Strength::Strong && !toks[j].generic) {
            continue;
        }
        let mut hit = [usize::MAX; 6];
        // "order code", "sipariş kodunuz" (code word after), "код заказа", "código do pedido" (before)
        for (k, j) in (i.saturating_sub(2)..b).enumerate() {
            if near(j) && toks[j].kw == Strength::Strong {
                hit[k] = j;
            }
        }
        for j in hit.into_iter().filter(|j| *j != usize::MAX) {
            toks[j].kw = Strength::None;
            toks[j].neg = true;
        }
    }
    for i in lo..=hi {
        if !toks[i].pass {
            continue;
        }
        for j in [i + 1, i + 2] {
            if let Some(t) = toks.get(j).filter(|t| lower_shaped(t)) {
                let c = Cand { code: Cow::Borrowed(&text[t.start..t.end]), first: j, last: j, kind: CandKind::Lower };
                if !structurally_excluded(text, toks, &c) {
                    cands.push(c);
                }
            }
        }
    }
    let app_hash = text.trim_start().starts_with("<#>");
    let word_count = toks.iter().filter(|t| t.kind == TokKind::Word).count();

    let mut best: Option<(i32, usize)> = None;
    for (ci, c) in cands.iter().enumerate() {
        // nearest keywords and negative words on each side, in tokens
        let mut score: i32 = 0;
        let before = Side::scan(toks, sentence, c.first, -1);
        let after = Side::scan(toks, sentence, c.last, 1);
        let (kw_before, kw_after, neg_before, neg_after) = (before.kw, after.kw, before.neg, after.neg);
        let (far_before, far_after) = (before.far, after.far);
        // "account 4821", "room 4021": the word names this number
        if c.first > 0 && toks[c.first - 1].label && gap(text, &toks[c.first - 1], &toks[c.first]).trim().is_empty() {
            continue;
        }
        // alphanumeric codes only in messages with no promotion and no nearby negative word
        if c.alnum() && (any_promo || neg_before.is_some_and(|d| d <= 4) || neg_after.is_some_and(|d| d <= 4)) {
            continue;
        }
        // a lower-case letters code only right after a password word: "passcode: zqbxtw", "password is hvkwqp"
        if c.kind == CandKind::Lower {
            let p1 = c.first.checked_sub(1).map(|i| &toks[i]);
            let p2 = c.first.checked_sub(2).map(|i| &toks[i]);
            let same = |i: usize| sentence[i] == sentence[c.first];
            let ok = match (p1, p2) {
                (Some(p), _) if p.pass && p.kw == Strength::Strong && same(c.first - 1) => true,
                (Some(m), Some(p)) => {
                    p.pass
                        && p.kw == Strength::Strong
                        && m.end - m.start <= 3
                        && m.kind == TokKind::Word
                        && same(c.first - 2)
                }
                _ => false,
            };
            let after_colon = c.first > 0 && gap(text, &toks[c.first - 1], &toks[c.first]).contains(':');
            if !ok || !lower_code_sparse(&c.code, after_colon) {
                continue;
            }
        }
        let kw_strength = |k: Option<(usize, Strength)>, base: i32| -> i32 {
            match k {
                Some((d, Strength::Strong)) => base - 2 * d as i32,
                Some((d, _)) => base / 2 - 2 * d as i32,
                None => 0,
            }
        };
        let kb = kw_strength(kw_before, 24);
        let ka = kw_strength(kw_after, 20);
        score += kb.max(ka).max(0);
        let nearest_kw = kw_before.map(|k| k.0).into_iter().chain(kw_after.map(|k| k.0)).min().unwrap_or(99);
        // "код подтверждения платежа 582910", "TAN für die Überweisung 205771": a negative word
        // right before the number, but a specific code word (not a bare "code") just before it
        let specific_before = before.specific && matches!(kw_before, Some((d, Strength::Strong)) if d <= 3);
        if let Some(d) = neg_before {
            if d < nearest_kw && !(d == 1 && specific_before) {
                score -= 30 - 3 * d as i32;
            } else if d == 1 {
                score -= 12;
            } else {
                score -= 4;
            }
        }
        if let Some(d) = neg_after {
            if d <= 2 && (d < nearest_kw || d == 1) {
                score -= 28 - 3 * d as i32;
            } else if d < nearest_kw {
                score -= 4;
            }
        }
        let n = c.code.len();
        score += match (c.alnum(), n) {
            (false, 6) => 6,
            (false, 4) | (false, 5) => 5,
            (false, 8) => 3,
            (false, 7) => 3,
            (false, 3) => -6,
            (true, _) if c.letters_only() => -10,
            (true, _) => -4,
            _ => 0,
        };
        if c.grouped() {
            score += 1;
        }
        // years standing alone are weak
        if !c.alnum()
            && n == 4
            && (c.code.starts_with("19") || c.code.starts_with("20"))
            && kw_before.map(|k| k.0 > 2).unwrap_or(true)
        {
            score -= 6;
        }
        // gate: some reason to believe this is a code
        let near_strong = matches!(kw_before, Some((d, Strength::Strong)) if d <= 6)
            || matches!(kw_after, Some((d, Strength::Strong)) if d <= 6)
            || far_before
            || far_after;
        let ok = if c.kind == CandKind::Spaced {
            // one digit at a time only right after the code word
            matches!(kw_before, Some((d, Strength::Strong)) if d <= 3)
        } else if c.alnum() {
            near_strong && (!c.letters_only() || matches!(kw_before, Some((d, Strength::Strong)) if d <= 3))
        } else if n == 3 {
            matches!(kw_before, Some((d, Strength::Strong)) if d <= 2) && neg_after.is_none()
        } else {
            let near_weak = matches!(kw_before, Some((d, Strength::Weak)) if d <= 3)
                || matches!(kw_after, Some((d, Strength::Weak)) if d <= 3);
            near_strong || (near_weak && neg_before.is_none() && neg_after.is_none()) || app_hash || word_count <= 1
        };
        if !ok || score <= 0 {
            continue;
        }
        if best.map(|(s, _)| score > s).unwrap_or(true) {
            best = Some((score, ci));
        }
    }
    best.map(|(_, i)| cands.swap_remove(i).code.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokenizer without its fast paths: one char at a time, each classed by `is_word_char`.
    fn tokenize_plainly(text: &str) -> Vec<(usize, usize, TokKind, bool)> {
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let (mut d, mut a, mut o, mut up) = (0usize, 0usize, 0usize, true);
        let mut push = |s: usize, e: usize, d: usize, a: usize, o: usize, up: bool| {
            let kind = match (d > 0, a > 0, o > 0) {
                (true, false, false) => TokKind::Num,
                (true, _, false) => TokKind::Alnum,
                _ => TokKind::Word,
            };
            out.push((s, e, kind, up && a > 0 && o == 0));
        };
        for (i, c) in text.char_indices() {
            if !is_word_char(c) {
                if let Some(s) = start.take() {
                    push(s, i, d, a, o, up);
                }
                continue;
            }
            if start.is_none() {
                (start, d, a, o, up) = (Some(i), 0, 0, 0, true);
            }
            if c.is_ascii_digit() {
                if o > 0 {
                    push(start.unwrap(), i, d, a, o, up);
                    (start, d, a, o, up) = (Some(i), 0, 0, 0, true);
                }
                d += 1;
            } else if c.is_ascii_alphabetic() {
                a += 1;
                up &= c.is_ascii_uppercase();
            } else {
                if d > 0 && o == 0 {
                    push(start.unwrap(), i, d, a, o, up);
                    (start, d, a, up) = (Some(i), 0, 0, true);
                }
                o += 1;
            }
        }
        if let Some(s) = start {
            push(s, text.len(), d, a, o, up);
        }
        out
    }

    #[test]
    fn tokenizer_fast_paths_change_nothing() {
        let corpus = include_str!("../tests/data/otp_corpus.tsv");
        let mut texts: Vec<String> =
            corpus.lines().filter_map(|l| l.split_once('\t')).map(|(_, t)| t.to_string()).collect();
        // runs of each fast path against digits, upper case, other scripts and punctuation
        let parts =
            ["abc", "ABC", "Код", "кодом", "12", "7", " ", "-", "ё", "Ѐ", "ӿ", "ԁ", "é", "码", "٣", ".", "x9", "Ωμ"];
        for i in 0..parts.len() {
            for j in 0..parts.len() {
                for k in [0, 4, 7, 11] {
                    texts.push(format!("{}{}{}{}", parts[i], parts[j], parts[k], parts[(i + j) % parts.len()]));
                }
            }
        }
        for t in &texts {
            let mut toks = Vec::new();
            tokenize(t, &mut toks);
            let got: Vec<_> = toks.iter().map(|x| (x.start, x.end, x.kind, x.upper)).collect();
            assert_eq!(got, tokenize_plainly(t), "{t:?}");
        }
    }

    #[test]
    fn index_entries_match_like_matches_kw() {
        // every keyword against every keyword, each also cut short by a byte or a char, and
        // with an inflection, a suffix and a zero byte appended
        let ix = keyword_index();
        let entries: Vec<&Entry> = ix.table.iter().flatten().chain(ix.other.iter().flat_map(|(_, b)| b)).collect();
        let mut words: Vec<String> = Vec::new();
        for e in &entries {
            let k = e.k;
            words.extend([k.to_string(), format!("{k}а"), format!("{k}unuz"), format!("{k}\0"), format!("{k}x")]);
            words.extend(k.char_indices().map(|(i, _)| k[..i].to_string()));
        }
        let mut hits = 0;
        for w in &words {
            let wh = head8(w.as_bytes());
            for e in &entries {
                let m = matches_kw(w, e.k, e.mode);
                assert_eq!(e.matches(w, wh), m, "{w:?} against {:?}", e.k);
                hits += m as usize;
            }
        }
        assert!(hits > entries.len(), "{hits}");
    }

    #[test]
    fn char_class_shortcuts_agree_with_unicode() {
        // the spans `is_word_char` answers without a lookup hold no letter or digit
        for u in (0x2000..=0x206F).chain(0x20A0..=0x20CF) {
            let c = char::from_u32(u).unwrap();
            assert!(!c.is_alphanumeric() && !is_word_char(c), "{c:?}");
        }
        // `fold_char`'s early return keeps every script's ten digits, and folds nothing else
        let zeros = [
            0x660, 0x6F0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xE50, 0xED0, 0x1040, 0x17E0, 0xFF10,
        ];
        for u in 0..0x11_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let want = zeros.iter().find(|z| (**z..**z + 10).contains(&u)).map(|z| (b'0' + (u - z) as u8) as char);
            assert_eq!(fold_char(c), want, "{c:?}");
        }
    }

    #[test]
    fn basic_forms() {
        assert_eq!(extract_code("Your code is 123456"), Some("123456".into()));
        assert_eq!(extract_code("Code Instagram: 671 094."), Some("671094".into()));
        assert_eq!(extract_code("G-123456 is your Google verification code."), Some("123456".into()));
        assert_eq!(extract_code("Ваш код подтверждения: 4821. Никому не сообщайте его."), Some("4821".into()));
        assert_eq!(extract_code("Your order 123456 has shipped"), None);
        assert_eq!(extract_code("Your balance is 1234.56 RUB"), None);
    }

    #[test]
    fn webotp_lines() {
        let e = extract("Your code is 123456.\n\n@example.com #123456").unwrap();
        assert_eq!(e.code, "123456");
        assert_eq!(e.host.as_deref(), Some("example.com"));
        let e =
            extract("747723 is your ExampleCo authentication code.\n\n@example.com #747723 %sub.example.org").unwrap();
        assert_eq!(e.host.as_deref(), Some("example.com"));
    }

    #[test]
    fn structure_aware_candidates() {
        // parentheses: a code alone, not a part of a phone number
        assert_eq!(extract_code("Your code (482913) expires in 5 minutes."), Some("482913".into()));
        assert_eq!(extract_code("Questions? Call (555) 123-4567 or reply HELP."), None);
        // one dash between two alphanumeric halves of equal length; never a three-part serial
        assert_eq!(extract_code("Your security code: QX7-M4T"), Some("QX7M4T".into()));
        assert_eq!(extract_code("Your license code: AB3D-9KD2-ZZ41"), None);
        // digits one at a time after a code word; an endless run is not a code
        assert_eq!(extract_code("Your code is 4 8 2 9 1 3"), Some("482913".into()));
        assert_eq!(extract_code(&format!("code {}", "1 ".repeat(50))), None);
        // lower-case letters only right after a password word
        assert_eq!(extract_code("Your passcode: wqzbtn"), Some("wqzbtn".into()));
        assert_eq!(extract_code("Your passcode expires soon: renew it"), None);
    }

    #[test]
    fn keyword_families() {
        assert_eq!(extract_code("Twoje hasło jednorazowe: 582016"), Some("582016".into()));
        assert_eq!(extract_code("Ihre pushTAN lautet 771204"), Some("771204".into()));
        assert_eq!(extract_code("Ihr Einmalpasswort: 390112"), Some("390112".into()));
        assert_eq!(extract_code("440918 onay kodunuzdur"), Some("440918".into()));
        assert_eq!(extract_code("הסיסמה שלך: 602213"), Some("602213".into()));
        assert_eq!(extract_code("ワンタイムパスワード：771309"), Some("771309".into()));
        // "Titan 4410" is no TAN
        assert_eq!(extract_code("Titan 4410 arrives at platform 3"), None);
    }

    #[test]
    fn commerce_and_promotion_contexts() {
        assert_eq!(extract_code("Your order code 55120 ships today."), None);
        assert_eq!(extract_code("Код заказа 55120: курьер приедет завтра."), None);
        assert_eq!(extract_code("Get 20% off with code 4418 this week"), None);
        // a specific code word next to the order still names a one-time code
        assert_eq!(extract_code("Код подтверждения заказа: 5512"), Some("5512".into()));
        assert_eq!(
            extract_code("Your verification code is 123456. Get 10% off your next ride!"),
            Some("123456".into())
        );
    }

    #[test]
    fn input_is_bounded() {
        let filler = "word ".repeat(1000); // 5000 bytes
        assert_eq!(extract_code(&format!("Your code is 482913. {filler}")), Some("482913".into()));
        assert_eq!(extract_code(&format!("{filler} Your code is 482913.")), None);
        // cut on a char boundary: a multi-byte char straddling MAX_INPUT does not panic
        let s = format!("{}{}", "a".repeat(MAX_INPUT - 1), "ж code 1234");
        assert_eq!(bounded(&s).len(), MAX_INPUT - 1);
        let _ = extract(&s);
    }

    #[test]
    fn folds_non_ascii_digits() {
        assert_eq!(extract_code("رمز التحقق الخاص بك هو ٤٥٦٧٨٩"), Some("456789".into()));
        assert_eq!(extract_code("验证码：１２３４５６，5分钟内有效"), Some("123456".into()));
    }
}
