//! Field scoring for auto-fill: which inputs of a page take a one-time code
//! or a phone number, and what to write into each. Pure: the content script
//! describes the page's fields ([`Field`]); this module returns a plan; the
//! content script carries it out with framework-safe events.

use crate::text;
use serde::{Deserialize, Serialize};

/// One form control as the content script saw it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Field {
    pub idx: usize,
    /// `input`, `select`, `textarea` or `editable` (contenteditable).
    pub tag: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub name: String,
    pub id: String,
    pub cls: String,
    pub placeholder: String,
    pub aria: String,
    pub label: String,
    pub autocomplete: String,
    pub inputmode: String,
    pub pattern: String,
    /// -1 when absent.
    pub maxlength: i32,
    pub minlength: i32,
    pub size: i32,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub visible: bool,
    pub disabled: bool,
    pub readonly: bool,
    /// The field already holds user text.
    pub has_value: bool,
    pub focused: bool,
    /// Text around the field: headings, paragraphs of its form or container.
    pub text: String,
    /// Text just before the field in reading order (nearest last), up to the previous form control:
    /// its heading, instruction paragraph or label-less caption. Bounded by the content script.
    pub before: String,
    /// `data-*` attribute names and values, `title`.
    pub data: String,
    /// Identity of the nearest common container (for grouping split boxes).
    pub group: String,
    /// Prefix shown next to the field (intl-tel-input separate dial code, "+7" label).
    pub prefix: String,
    /// For `select`: option (value, text) pairs.
    pub options: Vec<(String, String)>,
    /// Distinct frame id (0 = top document).
    pub frame: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Write {
    pub idx: usize,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Plan {
    /// Write `value` into one field.
    Single {
        idx: usize,
        value: String,
    },
    /// Split boxes: one character each, in order. `paste_first` hints that
    /// the component should first be offered a paste on box 0.
    Split {
        writes: Vec<Write>,
    },
    /// Phone: choose `option` in the country `select`, then write the number.
    Phone {
        select: Option<Write>,
        writes: Vec<Write>,
    },
    None {
        reason: String,
    },
}

// ---------------------------------------------------------------- tokens

fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_lower = false;
    for c in s.chars() {
        if text::is_upper(c) && prev_lower {
            out.push(' ');
        }
        prev_lower = text::is_lower(c);
        if c.is_alphanumeric() {
            text::push_lower_char(c, &mut out);
        } else {
            out.push(' ');
        }
    }
    out
}

/// `words` is a `|`-separated list: one string, not a table of `&str`s (each 8 bytes of
/// pointer and length in the wasm). Substrings of such a list: `any_hit`.
fn has_word(hay: &str, words: &str) -> bool {
    // hay is normalised (lower-case words separated by spaces); match whole words or word prefixes >= 4 chars
    // an empty piece (a list ending in '|') is no word: it would match the empty token a
    // double space leaves
    words.split('|').filter(|w| !w.is_empty()).any(|w| {
        if w.contains(' ') {
            return text::has(hay, w);
        }
        hay.split(' ').any(|t| t == w || (w.chars().count() >= 4 && t.starts_with(w)))
    })
}

const PHONE_ATTR: &str = "phone|mobile|tel|telephone|msisdn|cell|handy|telefon|telefono|teléfono|telefone|téléphone|celular|phonenumber|mobilenumber|number";
const PHONE_TEXT: &str = "phone|mobile|телефон|номер|teléfono|telefone|téléphone|telefon|telefono|handy|celular|手机|电话|電話|휴대폰|전화|điện thoại|nomor|هاتف|جوال|फ़ोन|मोबाइल|cep";

fn attrs(f: &Field) -> String {
    norm(&format!("{} {} {} {}", f.name, f.id, f.cls, f.data))
}

fn texts(f: &Field) -> String {
    text::lower(&format!("{} | {} | {}", f.placeholder, f.aria, f.label))
}

fn autocomplete_tokens(f: &Field) -> Vec<String> {
    f.autocomplete.to_ascii_lowercase().split_whitespace().map(str::to_string).collect()
}

fn is_text_like(f: &Field) -> bool {
    f.tag == "input" && matches!(f.ty.as_str(), "" | "text" | "tel" | "number" | "password")
}

fn fillable(f: &Field) -> bool {
    f.visible && !f.disabled && !f.readonly
}

// ---------------------------------------------------------------- code evidence
//
// Texts are normalised by `tnorm` (lower case, ASCII punctuation and spaces
// folded into single spaces, padded with one space each side). A lexicon
// entry that starts with a space matches at a word start (" pin " is the
// whole word, " verif" any word beginning so); other entries match anywhere,
// which suits compounds (Bestätigungscode) and scripts without spaces.

/// Says "one-time code" on its own, in any of the languages below.
const OTP_STRONG: &str = concat!(
    // en
    " otp| totp|one time|onetime|verification code|verify code|confirmation code|",
    "authentication code| auth code| sms code| text code|code sent|code we sent|code we texted|",
    "passcode| 2fa|two factor|2 step|two step|login code|sign in code| mfa|",
    "security key code|",
    // ru uk bg be
    "код подтвержд|код из смс|код из sms|смс код|sms код|одноразов|проверочный код|",
    "код верификац|код активац|код підтвердж|код з смс|код із смс|код за потвърж|код за верификац|",
    "код пацвярдж|",
    // de
    "bestätigungscode|verifizierungscode|einmalcode|einmalpasswort|smscode|",
    "mobiletan| mtan| sms tan|authentifizierungscode|anmeldecode|sicherheitscode per sms|",
    // fr es pt it
    "code de vérification|code de verification|code de confirmation|usage unique|code reçu|",
    "code d authentification|code de validation|código de verificación|",
    "codigo de verificacion|código de confirmación|codigo de confirmacion|un solo uso|",
    "código de autenticación|código de verificação|codigo de verificacao|código de confirmação|",
    "código de autenticação|código de validação|codice di verifica|codice di conferma|",
    "codice sms|codice monouso|codice di accesso temporaneo|",
    // nl pl cs sk hu ro el tr
    "verificatiecode|bevestigingscode|eenmalige code|inlogcode|kod weryfikac|kodu weryfikac|",
    "kod potwierdz|kod sms|kod jednorazow|kod autoryzac|ověřovací|potvrzovací|jednorázov|overovací|",
    "ellenőrző kód|megerősítő kód|egyszer használatos|cod de verificare|codul de verificare|",
    "cod de confirmare|codul de confirmare|cod unic|επαλήθευσ|μίας χρήσης|μιας χρήσης|doğrulama kod|",
    "dogrulama kod|onay kod|sms kod|tek kullanımlık|",
    // nordic baltic
    "verifieringskod|engångskod|bekräftelsekod|bekræftelseskode|engangskode|verifikationskode|",
    "bekreftelseskode|verifiseringskode|vahvistuskoodi|tunnistuskoodi|kertakäyttö|kinnituskood|",
    "verifikācijas kod|apstiprinājuma kod|patvirtinimo kod|",
    // ja zh ko
    "認証コード|確認コード|ワンタイム|認証番号|確認番号|検証コード|验证码|驗證碼|校验码|動態密碼|动态密码|短信码|确认码|確認碼|认证码|認證碼|인증번호|인증 번호|인증코드|인증 코드|",
    "확인 코드|확인코드|일회용|",
    // ar fa he ur hi bn th vi id ms sw
    "رمز التحقق|رمز التأكيد|رمز التفعيل|كود التفعيل|كود التحقق|لمرة واحدة|رمز الدخول|کد تایید|کد تأیید|",
    "کد فعال|یکبار مصرف|کد ورود|קוד אימות|קוד האימות|חד פעמי|تصدیقی کوڈ|सत्यापन|ओटीपी|वन टाइम|যাচাইকরণ|",
    "ওটিপি|รหัสยืนยัน|ใช้ครั้งเดียว|mã xác minh|mã xác nhận|mã xác thực|mã kích hoạt|",
    "kode verifikasi|kode konfirmasi|kode aktivasi|kod pengesahan|kod tac| tac |",
    "kod sekali guna|nambari ya uthibitisho|msimbo wa uthibitisho|",
);

/// A word for "code" or "PIN": needs a second signal.
const CODE_WORD: &str = concat!(
    " code| pin | tan | token| key |код| kod| kód| cod | codul| codice| código| codigo|",
    " kood|kode |koden|koodi|κωδικ|コード|暗号|코드|번호|码|碼|رمز|كود|کد|קוד|कोड|รหัส|",
    " mã|msimbo|sicherheitscode|",
);

/// The page says the code was sent, comes by SMS, or how many digits it has.
const SENT: &str = concat!(
    " sent|texted|text message| sms|smsc| resend|received| phone| mobile| digit|отправ|выслал|пришл|",
    "смс|получ|телефон|цифр|надісл|изпрат|gesendet|geschickt|erhalten| handy|",
    "stellig|envoy|reçu|chiffres|enviamos|enviado|recibido|recebido|dígitos|digitos|celular|",
    "inviat|ricevuto|cifre|gestuurd|verstuurd|ontvangen|cijfer|wysłal|wysłan|otrzyma|cyfr|gönder|gelen|",
    "hane|poslali|zaslan|odeslan|küld|kapott|trimis|primit|στάλθηκε|στείλαμε|λάβατε|skickade|skickat|",
    "sendt|lähet|tekstiviest|saamasi|送信|届|桁|发送|發送|已发|短信|簡訊|手机|手機|位|전송|발송|보내|자리|휴대폰|أرسل|المرسل|",
    "رسالة|أرقام|هاتف|ارسال|موبایل|שלחנו|נשלח|भेज|अंक|फ़ोन|ส่ง|หลัก|โทรศัพท์|gửi|chữ số|điện thoại|",
    "dihantar|kirim|ponsel|",
);

/// Never a one-time code field: discounts, gift cards, payment cards, addresses, captchas, backup codes,
/// invitations. Any of these in a field's own description (or nearer to it than an OTP word) excludes it.
const NEVER: &str = concat!(
    // en
    "discount|coupon| promo|promotion|voucher|gift|redeem|referr| invit|reward|loyalty|",
    "card number|cardnumber|credit card|debit card|name on card| cvc| cvv| cvn| csc | cc csc|",
    " cc number| cc exp|expiry|expiration date| exp date|mm yy| iban| routing|",
    "account number| zip|postal|postcode|post code|captcha|characters|picture|image|recovery|backup|",
    "tracking|order number|country code|area code|dial code|bar code|barcode| qr |source code|",
    "product code|search|",
    // ru uk bg
    "промо|купон|скидк|подарочн|сертификат|номер карты|срок действия карты|капч|картинк|символы|",
    "резервн|индекс|код страны|реферал|приглаш|знижк|номер картки|відстеж|отстъпка|ваучер|",
    "номер на карта|",
    // de fr es pt it nl
    "gutschein|aktionscode|geschenk|kartennummer|kartenprüf|prüfnummer|ablaufdatum|gültig bis|",
    "postleitzahl| plz|empfehlung|einladung|wiederherstell|réduction|reduction|",
    "cadeau|numéro de carte|cryptogramme|date d expiration|parrain|cupón|cupon|descuento|",
    "promocional|regalo|número de tarjeta|fecha de vencimiento|fecha de caducidad|",
    "referido|invitación|cupom|vale presente|número do cartão|data de validade|indicação|",
    "sconto|buono|promozional|numero della carta|numero carta|data di scadenza|korting|",
    "waardebon|kaartnummer|vervaldatum|",
    // pl cs tr sv da no fi hu ro el
    "rabat|kupon|podarunk|numer karty|data ważności|kod pocztowy|polecaj|slev|kupón|dárkov|",
    "číslo karty|indirim|hediye|kart numarası|son kullanma|posta kodu|davet|presentkort|kortnummer|",
    "postnummer|gavekort|alennus|lahjakortti|kortin numero|kedvezmény|ajándék|kártyaszám|irányítószám|",
    "reducere|card cadou|numărul cardului|cod poștal|εκπτω|κουπόνι|δωροκάρτα|αριθμός κάρτας|",
    // ja zh ko
    "クーポン|割引|プロモーション|ギフト|カード番号|カードの有効期限|セキュリティコード|郵便番号|招待|紹介|画像|キャプチャ|优惠|優惠|折扣|礼品|禮品|兑换|兌換|卡号|卡號|卡有效期|",
    "安全码|安全碼|邮编|郵遞區號|邀请|邀請|推荐码|图片|圖片|쿠폰|할인|프로모션|기프트|상품권|카드 번호|카드번호|카드 유효기간|우편번호|추천인|초대|",
    // ar fa he hi th vi id ms
    "قسيمة|خصم|كوبون|بطاقة هدية|رقم البطاقة|تاريخ الانتهاء|الرمز البريدي|دعوة|إحالة|تخفیف|کوپن|",
    "کارت هدیه|شماره کارت|کد پستی|معرف|קופון|הנחה|כרטיס מתנה|מספר כרטיס|מיקוד|कूपन|छूट|प्रोमो|",
    "कार्ड नंबर|คูปอง|ส่วนลด|หมายเลขบัตร|รหัสไปรษณีย์|giảm giá|phiếu|số thẻ|mã bưu|diskon|nomor kartu|",
    "kode pos|baucar|diskaun|",
);

/// Marks a payment-card form on the page (attributes or descriptions of any field).
const CARD: &str = concat!(
    "card number|cardnumber| ccnum| cc number| cc csc| cc exp| cvc| cvv| cvn| csc |credit card|expiry|",
    "expiration date|mm yy|kartennummer|kartenprüf|numéro de carte|cryptogramme|",
    "número de tarjeta|número do cartão|numero della carta|numero carta|kaartnummer|numer karty|",
    "číslo karty|kart numarası|kortnummer|kártyaszám|номер карты|номер картки|カード番号|セキュリティコード|卡号|卡號|",
    "安全码|카드 번호|카드번호|رقم البطاقة|شماره کارت|מספר כרטיס|कार्ड नंबर|หมายเลขบัตร|số thẻ|nomor kartu|",
);

/// Attribute tokens (name, id, class, data-*) that mean a one-time code on their own.
const ATTR_STRONG: &str = concat!(
    " otp| totp| otc | onetime| one time| passcode| mfa| 2fa| twofa| two factor| twofactor| tfa |",
    " smscode| sms | sms code| mfacode| otpcode| verificationcode| verification code| verify code|",
    " verifycode| idv pin| idvpin| approvals| tan | mtan| challenge| authcode| auth code|",
    " one time code| token| pincode|",
);
/// Attribute tokens that only suggest one.
const ATTR_WEAK: &str = " code| pin | verif| confirm| auth| security| digit| kod| codigo| codice| cod |";
/// Attribute tokens of other kinds of fields.
const ATTR_OTHER: &str = concat!(
    " search| query| q | email| mail| user| username| login| first| last| fullname| name | address|",
    " street| city| phone| mobile| tel | msisdn| comment| message| amount| quantity| qty| price|",
    " newsletter| company| website| url| birthday| dob | age | country|",
);
/// Descriptions of other kinds of fields.
const TEXT_OTHER: &str = " e mail|email|search|поиск|phone number|номер телефона| name|password|пароль|";

/// Lower case, ASCII punctuation and white space as single spaces, one space each side.
fn tnorm(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(' ');
    for c in s.chars() {
        let sep = if c.is_ascii() {
            !c.is_ascii_alphanumeric()
        } else {
            c.is_whitespace() || "،、。，？！«»“”‘’…•·–—：；（）¿¡「」".chars().any(|p| p == c)
        };
        if sep {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            text::push_lower_char(c, &mut out);
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// Byte offset of the last (nearest-to-the-end) match of any entry.
fn last_hit(hay: &str, list: &str) -> Option<usize> {
    list.split('|').filter(|w| !w.is_empty()).filter_map(|w| text::rfind(hay, w)).max()
}

/// Byte offset just past the end of the last match that starts nearest to the end.
fn last_end(hay: &str, list: &str) -> Option<usize> {
    list.split('|')
        .filter(|w| !w.is_empty())
        .filter_map(|w| text::rfind(hay, w).map(|p| (p, p + w.len())))
        .max()
        .map(|m| m.1)
}

fn any_hit(hay: &str, list: &str) -> bool {
    list.split('|').any(|w| !w.is_empty() && text::has(hay, w))
}

/// What one field's own attributes and descriptions, and the text just before it, say.
struct Evidence {
    /// Definitely a one-time code field (its own words, or the instruction right before it).
    strong: bool,
    score: i32,
    /// Definitely not one (discount, card, captcha...).
    never: bool,
    /// The page says a code was sent / comes by SMS / has N digits.
    sent: bool,
}

fn padded_attrs(f: &Field) -> String {
    let mut a = tnorm(&norm(&format!("{} {} {} {}", f.name, f.id, f.cls, f.data)));
    // "verification_code" and "verificationCode" alike
    for n in [&f.name, &f.id] {
        a.push_str(&tnorm(&text::lower(n).replace(['_', '-'], "")));
    }
    a
}

fn evidence(f: &Field) -> Evidence {
    let a = padded_attrs(f);
    let own = tnorm(&format!("{} | {} | {}", f.placeholder, f.aria, f.label));
    // the content script bounds `before`; its end is nearest to the field
    let before = tnorm(&f.before);
    let around = tnorm(&f.text);
    let ac = autocomplete_tokens(f);
    let mut e = Evidence { strong: false, score: 0, never: false, sent: false };
    if ac.iter().any(|t| t.starts_with("cc-")) || any_hit(&a, NEVER) || any_hit(&own, NEVER) {
        e.never = true;
        return e;
    }
    let attr_strong = any_hit(&a, ATTR_STRONG);
    let own_strong = any_hit(&own, OTP_STRONG);
    let before_strong = last_hit(&before, OTP_STRONG);
    let before_weak = last_hit(&before, CODE_WORD);
    // where the nearest exclusion ends: a "code" right after it is part of it ("promo code", "Промокод")
    // (measured from the end of the word the exclusion ends in: "referr" in "referral code")
    let before_never = last_end(&before, NEVER).map(|e| before[e..].find(' ').map_or(before.len(), |k| e + k) + 1);
    // an exclusion in the preceding text counts unless an OTP word stands nearer to the field
    let nearest_otp = before_strong.max(before_weak);
    if let Some(n) = before_never {
        if !(attr_strong || own_strong) && nearest_otp.map(|o| o < n).unwrap_or(true) {
            e.never = true;
            return e;
        }
    }
    let before_strong = before_strong.is_some() && before_never.map(|n| before_strong > Some(n)).unwrap_or(true);
    let own_weak = any_hit(&own, CODE_WORD);
    let attr_weak = any_hit(&a, ATTR_WEAK);
    let sent = any_hit(&before, SENT) || any_hit(&own, SENT) || any_hit(&around, SENT);
    e.strong = attr_strong || own_strong || before_strong;
    e.sent = sent;
    let mut s = 0;
    if attr_strong {
        s += 60;
    } else if attr_weak {
        s += 25;
    }
    if own_strong {
        s += 60;
    } else if own_weak {
        s += 30;
    }
    if before_strong {
        s += 50;
    } else if let Some(w) = before_weak {
        s += 20;
        // the field's own instruction: within the last few words before it
        if before[w..].chars().count() <= 40 {
            s += 15;
        }
    }
    let any_code = attr_strong || attr_weak || own_strong || own_weak || before_strong || before_weak.is_some();
    if any_code && sent {
        s += 15;
        // "the code we sent you by SMS": both in the field's own instruction
        if before_weak.is_some() && any_hit(&before, SENT) {
            s += 10;
        }
    }
    if !any_code {
        if any_hit(&around, OTP_STRONG) {
            s += 15;
        } else if any_hit(&around, CODE_WORD) {
            s += 5;
        }
    }
    if any_hit(&a, ATTR_OTHER) {
        s -= if e.strong { 25 } else { 70 };
    }
    if any_hit(&own, TEXT_OTHER) && !own_strong {
        s -= 80;
    }
    e.score = s;
    e
}

/// Hosted payment fields live in cross-site frames the content script cannot read; it describes the
/// frames themselves (`tag` "iframe": title, name, id, class, src in `data`).
const PAY_FRAME: &str = " card|stripe|braintree|adyen|checkout frames|hosted field|payment|paypal|square|klarna|";

/// A payment-card form is on the page: then only fields with strong OTP evidence are filled.
fn has_card_form(fields: &[Field]) -> bool {
    fields.iter().any(|f| {
        (f.tag == "iframe" && f.visible && any_hit(&tnorm(&norm(&f.data)), PAY_FRAME))
            || autocomplete_tokens(f).iter().any(|t| t.starts_with("cc-"))
            || any_hit(&padded_attrs(f), CARD)
            || any_hit(&tnorm(&format!("{} | {} | {}", f.placeholder, f.aria, f.label)), CARD)
    })
}

/// Score of a field as the place for a one-time code (≥ 40 is a candidate). `card_page`: see [`has_card_form`].
fn code_score_in(f: &Field, card_page: bool) -> i32 {
    if !is_text_like(f) || !fillable(f) {
        return i32::MIN;
    }
    let ac = autocomplete_tokens(f);
    if ac.iter().any(|t| t == "one-time-code") {
        return 200;
    }
    if ac.iter().any(|t| {
        crate::text::one_of(
            "email|username|current-password|new-password|tel|tel-national|postal-code|name|street-address",
            t.as_str(),
        )
    }) {
        return i32::MIN;
    }
    let e = evidence(f);
    if e.never || (card_page && !e.strong) || (f.ty == "password" && !e.strong && e.score < 40) {
        return i32::MIN;
    }
    let numeric = f.inputmode == "numeric"
        || f.inputmode == "decimal"
        || text::has(&f.pattern, "0-9")
        || text::has(&f.pattern, "\\d")
        || f.ty == "tel"
        || f.ty == "number"
        || (4..=10).contains(&f.maxlength);
    // a bare "code" ("Got a code? [Code] Apply") is no evidence: it needs "sent"/SMS/digits or a code-like shape
    if !e.strong && !e.sent && !numeric {
        return i32::MIN;
    }
    let mut s = e.score;
    // exact well-known names
    let exact = [f.name.to_ascii_lowercase(), f.id.to_ascii_lowercase()];
    if exact.iter().any(|n| {
        crate::text::one_of("otp|code|token|totp|otc|pin|mfacode|smscode|sms_code|verificationcode|verification_code|otp_code|otpcode|approvals_code|challenge|idvpin|app_otp", n.as_str())
    }) {
        s += 20;
    }
    // shape
    if f.inputmode == "numeric" || f.inputmode == "decimal" {
        s += 8;
    }
    if text::has(&f.pattern, "0-9") || text::has(&f.pattern, "\\d") {
        s += 6;
    }
    if f.ty == "tel" || f.ty == "number" {
        s += 4;
    }
    if (4..=10).contains(&f.maxlength) {
        s += 10;
    }
    if f.maxlength > 0 && f.maxlength < 3 && f.maxlength != 1 {
        s -= 20;
    }
    if f.w > 0.0 && f.w < 8.0 || f.h > 0.0 && f.h < 8.0 {
        s -= 30;
    }
    if f.has_value {
        s -= 15;
    }
    if f.focused {
        s += 10;
    }
    s
}

/// Score of a field as the place for a one-time code (≥ 40 is a candidate), judged alone.
pub fn code_score(f: &Field) -> i32 {
    code_score_in(f, false)
}

/// Groups of segmented code boxes: 4–12 single-character inputs of one type in one container, on one line.
pub fn split_groups(fields: &[Field]) -> Vec<Vec<usize>> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if !is_text_like(f) || !fillable(f) || f.group.is_empty() {
            continue;
        }
        let single = f.maxlength == 1 || f.maxlength == 2 || (f.maxlength <= 0 && f.w > 0.0 && f.w <= 70.0);
        if !single || f.w > 110.0 {
            continue;
        }
        let key = format!("{}|{}|{}", f.frame, f.group, if f.ty == "password" { "text" } else { f.ty.as_str() });
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.1.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    groups
        .into_iter()
        .map(|(_, mut g)| {
            crate::sort::sort_by(&mut g, |&a, &b| {
                fields[a].x.partial_cmp(&fields[b].x).unwrap_or(std::cmp::Ordering::Equal)
            });
            g
        })
        .filter(|g| {
            if !(4..=12).contains(&g.len()) {
                return false;
            }
            let y0 = fields[g[0]].y;
            let w0 = fields[g[0]].w;
            g.iter().all(|&i| (fields[i].y - y0).abs() <= 6.0 && (fields[i].w - w0).abs() <= 8.0)
        })
        .collect()
}

/// Score of a row of boxes; `None` when it must not be filled.
fn group_score(fields: &[Field], g: &[usize], card_page: bool) -> Option<i32> {
    let mut s = 30;
    let f0 = &fields[g[0]];
    let ev: Vec<Evidence> = g.iter().map(|&i| evidence(&fields[i])).collect();
    if ev.iter().any(|e| e.never)
        || g.iter().any(|&i| has_word(&attrs(&fields[i]), "captcha|cvc|cvv|card|pin1|birthday|dob"))
    {
        return None;
    }
    let otc = g.iter().any(|&i| autocomplete_tokens(&fields[i]).iter().any(|t| t == "one-time-code"));
    if card_page && !otc && !ev.iter().any(|e| e.strong) {
        return None;
    }
    if otc {
        s += 100;
    }
    if ev.iter().any(|e| e.score >= 40) {
        s += 40;
    } else if ev.iter().any(|e| e.score > 0) {
        s += 25;
    }
    if any_hit(&tnorm(&f0.text), OTP_STRONG) {
        s += 10;
    }
    if g.iter().any(|&i| fields[i].inputmode == "numeric" || fields[i].ty == "tel" || fields[i].ty == "number") {
        s += 8;
    }
    Some(s)
}

/// Where and how to fill `code`.
pub fn plan_code(fields: &[Field], code: &str) -> Plan {
    let code: String = code.chars().filter(|c| c.is_alphanumeric()).collect();
    if code.is_empty() {
        return Plan::None { reason: "EMPTY_CODE".into() };
    }
    let n = code.chars().count();
    let card_page = has_card_form(fields);
    // segmented boxes
    let mut best_group: Option<(i32, &Vec<usize>)> = None;
    let groups = split_groups(fields);
    for g in &groups {
        let Some(gs) = group_score(fields, g, card_page) else { continue };
        if gs >= 30 && best_group.map(|b| gs > b.0).unwrap_or(true) {
            best_group = Some((gs, g));
        }
    }
    let in_group = |i: usize| groups.iter().any(|g| g.contains(&i));
    // single field
    let mut scored: Vec<(i32, usize)> = fields
        .iter()
        .enumerate()
        .filter(|(i, _)| !in_group(*i))
        .map(|(i, f)| (code_score_in(f, card_page), i))
        .filter(|(s, _)| *s >= 40)
        .collect();
    crate::sort::sort_by(&mut scored, |a, b| b.0.cmp(&a.0).then(fields[b.1].focused.cmp(&fields[a.1].focused)));
    // a single field that takes the whole code wins over boxes only when clearly stronger
    // (input-otp: one invisible one-time-code input above slot boxes)
    if let Some(&(s, i)) = scored.first() {
        let f = &fields[i];
        let fits = f.maxlength <= 0 || f.maxlength as usize >= n;
        let group_better = best_group.map(|(gs, g)| g.len() == n && gs > s).unwrap_or(false);
        if fits && !group_better {
            // two equally strong, unrelated candidates and none focused: refuse rather than guess
            if let Some(&(s2, j)) = scored.get(1) {
                if s2 == s && !f.focused && fields[j].frame == f.frame && s < 200 {
                    return Plan::None { reason: "AMBIGUOUS".into() };
                }
            }
            return Plan::Single { idx: f.idx, value: code };
        }
    }
    // X/Twitter style: the code step reuses one generic text input; the page text says it is a code
    if best_group.is_none() && !card_page {
        let generic: Vec<&Field> = fields
            .iter()
            .filter(|f| is_text_like(f) && fillable(f) && f.ty != "password" && code_score(f) > -20)
            .collect();
        if generic.len() == 1 {
            let f = generic[0];
            let e = evidence(f);
            let page_says_code = any_hit(&tnorm(&f.text), OTP_STRONG) || e.strong;
            let neg = e.never
                || has_word(&attrs(f), "search|email|user|phone|name")
                || autocomplete_tokens(f).iter().any(|t| t != "off" && t != "on");
            if page_says_code && !neg && (f.maxlength <= 0 || f.maxlength as usize >= n) {
                return Plan::Single { idx: f.idx, value: code };
            }
        }
    }
    if let Some((_, g)) = best_group {
        if g.len() == n {
            return Plan::Split {
                writes: g
                    .iter()
                    .zip(code.chars())
                    .map(|(&i, c)| Write { idx: fields[i].idx, value: c.to_string() })
                    .collect(),
            };
        }
        return Plan::None { reason: "LENGTH_MISMATCH".into() };
    }
    Plan::None { reason: "NO_FIELD".into() }
}

// ---------------------------------------------------------------- phone

/// ITU country calling codes (E.164), longest prefix wins.
const CALLING_CODES: &str = concat!(
    "|1|7|20|27|30|31|32|33|34|36|39|40|41|43|44|45|46|47|48|49|51|52|53|54|55|56|57|58|60|61|62|63|64|",
    "65|66|81|82|84|86|90|91|92|93|94|95|98|211|212|213|216|218|220|221|222|223|224|225|226|227|228|229|",
    "230|231|232|233|234|235|236|237|238|239|240|241|242|243|244|245|246|248|249|250|251|252|253|254|255|",
    "256|257|258|260|261|262|263|264|265|266|267|268|269|290|291|297|298|299|350|351|352|353|354|355|356|",
    "357|358|359|370|371|372|373|374|375|376|377|378|380|381|382|383|385|386|387|389|420|421|423|500|501|",
    "502|503|504|505|506|507|508|509|590|591|592|593|594|595|596|597|598|599|670|672|673|674|675|676|677|",
    "678|679|680|681|682|683|685|686|687|688|689|690|691|692|850|852|853|855|856|880|886|960|961|962|963|",
    "964|965|966|967|968|970|971|972|973|974|975|976|977|992|993|994|995|996|998|",
);

/// Splits `+79096037108` into (`7`, `9096037108`). `dial_code` (e.g. `+7`) wins when given.
pub fn split_number(e164: &str, dial_code: Option<&str>) -> (String, String) {
    let d = crate::model::digits(e164);
    if let Some(dc) = dial_code {
        let dc = crate::model::digits(dc);
        if !dc.is_empty() && d.starts_with(&dc) {
            return (dc.clone(), d[dc.len()..].to_string());
        }
    }
    for len in [3, 2, 1] {
        if d.len() > len && text::has(CALLING_CODES, &format!("|{}|", &d[..len])) {
            return (d[..len].to_string(), d[len..].to_string());
        }
    }
    (String::new(), d)
}

fn phone_score(f: &Field) -> i32 {
    if f.tag != "input" || !fillable(f) || !matches!(f.ty.as_str(), "" | "text" | "tel" | "number") {
        return i32::MIN;
    }
    let ac = autocomplete_tokens(f);
    if ac.iter().any(|t| t == "one-time-code" || t == "email" || t == "username") {
        return i32::MIN;
    }
    let mut s = 0;
    if ac.iter().any(|t| t == "tel" || t == "tel-national" || t == "tel-local") {
        s += 100;
    }
    if ac.iter().any(|t| t == "tel-country-code" || t == "tel-area-code") {
        return i32::MIN;
    }
    let a = attrs(f);
    let t = texts(f);
    if has_word(&a, PHONE_ATTR) {
        s += 40;
    }
    if any_hit(&t, PHONE_TEXT) {
        s += 35;
    }
    if f.ty == "tel" {
        s += 30;
    }
    if any_hit(&text::lower(&f.text), PHONE_TEXT) {
        s += 10;
    }
    if has_word(&a, "otp|code|verification|email|search|zip|postal|card|captcha|coupon") && !has_word(&a, PHONE_ATTR) {
        s -= 60;
    }
    if any_hit(&t, "code|код|código|e-mail|email") && !any_hit(&t, PHONE_TEXT) {
        s -= 40;
    }
    if f.has_value && f.prefix.is_empty() {
        s -= 10;
    }
    if f.focused {
        s += 10;
    }
    s
}

fn is_country_select(f: &Field) -> bool {
    if f.tag != "select" || !fillable(f) {
        return false;
    }
    let a = attrs(f);
    let dial_opts = f.options.iter().filter(|(v, t)| t.contains('+') || v.starts_with('+')).count();
    let iso_opts = f.options.iter().filter(|(v, _)| v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic())).count();
    has_word(&a, "country|code|prefix|dial|cc|mcc|phonecode|countrycode|calling")
        || dial_opts * 2 >= f.options.len().max(1)
        || (iso_opts >= 20 && iso_opts * 2 >= f.options.len())
}

/// The country that owns a calling code, for selects keyed by ISO code only.
/// `|<code><ISO>|` for each calling code, e.g. `|7RU|`.
const CODE_OWNER: &str = concat!(
    "|1US|7RU|20EG|27ZA|30GR|31NL|32BE|33FR|34ES|36HU|39IT|40RO|41CH|43AT|44GB|45DK|46SE|47NO|48PL|49DE|",
    "51PE|52MX|54AR|55BR|56CL|57CO|60MY|61AU|62ID|63PH|64NZ|65SG|66TH|81JP|82KR|84VN|86CN|90TR|91IN|92PK|",
    "94LK|95MM|98IR|212MA|234NG|254KE|351PT|353IE|358FI|370LT|371LV|372EE|373MD|374AM|375BY|380UA|420CZ|",
    "421SK|852HK|880BD|886TW|966SA|971AE|972IL|992TJ|994AZ|995GE|996KG|998UZ|",
);

fn primary_iso(cc: &str) -> Option<&'static str> {
    text::keyed_iso(CODE_OWNER, cc)
}

/// Finds the option of a country select whose dial code is `cc` (and country `iso` when several share it, like +1).
fn pick_option(f: &Field, cc: &str, iso: Option<&str>) -> Option<String> {
    let want = format!("+{cc}");
    let matches_code = |s: &str| -> bool {
        // "+7", "Russia (+7)", "7", "RU +7": the dial code must not continue with a digit
        let mut rest = s;
        while let Some(p) = text::find(rest, &want) {
            let after = &rest[p + want.len()..];
            if !after.starts_with(|c: char| c.is_ascii_digit()) {
                return true;
            }
            rest = after;
        }
        s.trim() == cc
    };
    let mut hits: Vec<&(String, String)> =
        f.options.iter().filter(|(v, t)| matches_code(v) || matches_code(t)).collect();
    if hits.len() > 1 {
        if let Some(iso) = iso {
            let iso_l = iso.to_ascii_lowercase();
            if let Some(h) = hits.iter().find(|(v, t)| {
                v.to_ascii_lowercase() == iso_l
                    || v.to_ascii_lowercase().starts_with(&format!("{iso_l}_"))
                    || text::has(&t.to_ascii_lowercase(), &format!("({iso_l})"))
            }) {
                return Some(h.0.clone());
            }
        }
        // prefer the country that owns the code (US for +1, RU for +7)
        let owner = match cc {
            "1" => Some(["us", "united states", "usa", "сша"]),
            "7" => Some(["ru", "russia", "россия", "rus"]),
            _ => None,
        };
        if let Some(names) = owner {
            if let Some(h) = hits
                .iter()
                .find(|(v, t)| names.iter().any(|n| v.to_ascii_lowercase() == *n || text::has(&text::lower(t), n)))
            {
                return Some(h.0.clone());
            }
        }
        hits.truncate(1);
    }
    if hits.is_empty() {
        // options keyed by ISO code without dial codes (react-phone-number-input)
        let want_iso = iso.map(str::to_ascii_uppercase).or_else(|| primary_iso(cc).map(str::to_string))?;
        return f.options.iter().find(|(v, _)| v.eq_ignore_ascii_case(&want_iso)).map(|(v, _)| v.clone());
    }
    hits.first().map(|h| h.0.clone())
}

/// Where and how to fill a phone number. `dial_code` is the rental's (`+7`), `iso` its country (`RU`).
pub fn plan_phone(fields: &[Field], e164: &str, dial_code: Option<&str>, iso: Option<&str>) -> Plan {
    let (cc, national) = split_number(e164, dial_code);
    if national.len() < 4 {
        return Plan::None { reason: "BAD_NUMBER".into() };
    }
    let full = format!("+{cc}{national}");
    // split national parts (tel-country-code + tel-national)
    let cc_field = fields
        .iter()
        .find(|f| f.tag == "input" && fillable(f) && autocomplete_tokens(f).iter().any(|t| t == "tel-country-code"));
    let mut scored: Vec<(i32, usize)> =
        fields.iter().enumerate().map(|(i, f)| (phone_score(f), i)).filter(|(s, _)| *s >= 35).collect();
    crate::sort::sort_by(&mut scored, |a, b| b.0.cmp(&a.0).then(fields[b.1].focused.cmp(&fields[a.1].focused)));
    let Some(&(_, best)) = scored.first() else { return Plan::None { reason: "NO_FIELD".into() } };
    let f = &fields[best];
    let mut writes = vec![];
    let mut select = None;
    if let Some(ccf) = cc_field {
        writes.push(Write { idx: ccf.idx, value: format!("+{cc}") });
        writes.push(Write { idx: f.idx, value: national });
        return Plan::Phone { select, writes };
    }
    // a country select near the field (same frame, same form group, left of or above it)
    let sel = fields.iter().filter(|s| is_country_select(s) && s.frame == f.frame).min_by(|a, b| {
        let da = (a.y - f.y).abs() + (a.x - f.x).abs() * 0.2 + if a.group == f.group { 0.0 } else { 200.0 };
        let db = (b.y - f.y).abs() + (b.x - f.x).abs() * 0.2 + if b.group == f.group { 0.0 } else { 200.0 };
        da.partial_cmp(&db).unwrap_or(std::cmp::Ordering::Equal)
    });
    let prefix_digits = crate::model::digits(&f.prefix);
    let value = if let Some(s) = sel {
        if let Some(opt) = pick_option(s, &cc, iso) {
            select = Some(Write { idx: s.idx, value: opt });
            national.clone()
        } else {
            full.clone()
        }
    } else if !prefix_digits.is_empty() {
        // a dial code shown outside the field ("+44" of intl-tel-input separateDialCode, "+7" label)
        if prefix_digits == cc {
            national.clone()
        } else {
            full.clone()
        }
    } else {
        let ph = f.placeholder.trim_start();
        let ph_digits: String =
            ph.chars().take_while(|c| !c.is_ascii_alphabetic()).filter(|c| c.is_ascii_digit()).collect();
        if f.ty == "number" {
            // number inputs reject "+"
            format!("{cc}{national}")
        } else if ph.starts_with('+')
            || ph.starts_with("8 ")
            || ph_digits.len() >= 10
            || f.maxlength == (national.len() as i32)
        {
            // masked "+7 (___) ___-__-__" fields or a national-length limit
            if f.maxlength == national.len() as i32 || ph.starts_with(&format!("+{cc}")) && f.has_value {
                national.clone()
            } else {
                full.clone()
            }
        } else {
            full.clone()
        }
    };
    writes.push(Write { idx: f.idx, value });
    Plan::Phone { select, writes }
}

/// How long a fill waits for a field that is not on the page yet (a late-rendered form).
pub const FIELD_WAIT_MS: i64 = 5000;
/// The pause between two looks at the page while waiting.
pub const FIELD_RETRY_MS: u32 = 250;

/// Whether a fill looks at the page again, and after how many ms: only while the plan found
/// no field at all (`None { reason: "NO_FIELD" }`) and `elapsed_ms` since the first look is
/// within [`FIELD_WAIT_MS`]. Any other outcome (a plan, an ambiguous page, a length mismatch)
/// is final at once.
pub fn retry_after(plan_mode: &str, reason: &str, elapsed_ms: i64) -> Option<u32> {
    (plan_mode == "none" && reason == "NO_FIELD" && (0..=FIELD_WAIT_MS).contains(&elapsed_ms)).then_some(FIELD_RETRY_MS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn word_lists_match_whole_words_and_never_an_empty_piece() {
        use super::has_word;
        assert!(has_word("your phone number", "tel|phone"));
        assert!(has_word("telephone", "tele|x"), "a prefix of 4 characters or more");
        assert!(!has_word("hotel", "tel"), "not inside a word");
        assert!(!has_word("tel", "te"), "a prefix shorter than 4 is no match");
        // a double space leaves an empty token; a list ending (or doubled) in '|' has an empty piece
        assert!(!has_word("card  number", "phone|"));
        assert!(!has_word("card  number", "phone||mobile"));
        assert!(!has_word("", "|"));
    }

    #[test]
    fn fields_read_from_values_as_the_derived_deserializer_reads_them() {
        use crate::read::FromJson;
        let full = crate::json_value!({"idx": 3, "tag": "input", "type": "tel", "name": "n", "id": "i", "cls": "c",
            "placeholder": "p", "aria": "a", "label": "l", "autocomplete": "one-time-code", "inputmode": "numeric",
            "pattern": "[0-9]*", "maxlength": 6, "minlength": -1, "size": 20, "x": 1.5, "y": 2, "w": 100.25, "h": 30,
            "visible": true, "disabled": false, "readonly": true, "has_value": true, "focused": true, "text": "t",
            "before": "b", "data": "d", "group": "g", "prefix": "+7", "options": [["7", "Russia"], ["1", "USA"]],
            "frame": 12, "unknown": {"x": 1}});
        let cases = [
            full.clone(),
            crate::json_value!({}),
            crate::json_value!({"idx": 1, "type": "text"}),
            crate::json_value!({"idx": "1"}),
            crate::json_value!({"maxlength": 5000000000u64}),
            crate::json_value!({"options": [["a"]]}),
            crate::json_value!({"name": null}),
            crate::json_value!({"visible": 1}),
            crate::json_value!([1, 2]),
        ];
        for v in cases {
            let derived =
                serde_json::from_value::<Field>(v.clone().into()).ok().map(|f| serde_json::to_value(f).unwrap());
            let ours = Field::from_json(&v).ok().map(|f| serde_json::to_value(f).unwrap());
            assert_eq!(ours, derived, "{v}");
        }
        assert!(Field::from_json(&full).is_ok_and(|f| f.options.len() == 2 && f.ty == "tel" && f.frame == 12));
    }

    #[test]
    fn a_missing_field_is_waited_for_five_seconds_at_most() {
        assert_eq!(retry_after("none", "NO_FIELD", 0), Some(250));
        assert_eq!(retry_after("none", "NO_FIELD", 5000), Some(250));
        assert_eq!(retry_after("none", "NO_FIELD", 5001), None, "the deadline is over");
        assert_eq!(retry_after("none", "NO_FIELD", -1), None, "a clock that went back does not wait forever");
        assert_eq!(retry_after("none", "AMBIGUOUS", 0), None, "only a missing field is waited for");
        assert_eq!(retry_after("single", "", 0), None);
        assert_eq!(retry_after("phone", "", 10), None);
    }

    use super::*;

    fn input(idx: usize, name: &str) -> Field {
        Field {
            idx,
            tag: "input".into(),
            ty: "text".into(),
            name: name.into(),
            maxlength: -1,
            minlength: -1,
            visible: true,
            w: 200.0,
            h: 30.0,
            group: "g".into(),
            ..Default::default()
        }
    }

    #[test]
    fn one_time_code_autocomplete_wins() {
        let mut a = input(0, "email");
        a.ty = "email".into();
        let mut b = input(1, "x");
        b.autocomplete = "one-time-code".into();
        assert_eq!(plan_code(&[a, b], "123456"), Plan::Single { idx: 1, value: "123456".into() });
    }

    #[test]
    fn keywords_and_exclusions() {
        let search = input(0, "q");
        let mut s2 = input(1, "search");
        s2.placeholder = "Search".into();
        let coupon = input(2, "coupon_code");
        let mut otp = input(3, "verification_code");
        otp.label = "Verification code".into();
        assert_eq!(plan_code(&[search, s2, coupon, otp], "4321"), Plan::Single { idx: 3, value: "4321".into() });
        let mut captcha_hidden = input(0, "txtCaptcha");
        captcha_hidden.visible = false;
        let website_code = input(1, "website_code");
        assert!(matches!(plan_code(&[captcha_hidden, website_code], "1234"), Plan::Single { .. } | Plan::None { .. }));
        let mut ru = input(0, "f1");
        ru.placeholder = "Код из СМС".into();
        assert_eq!(plan_code(&[ru], "1234"), Plan::Single { idx: 0, value: "1234".into() });
    }

    fn with_before(idx: usize, name: &str, before: &str) -> Field {
        let mut f = input(idx, name);
        f.before = before.into();
        f
    }

    #[test]
    fn every_lexicon_entry_can_match_normalised_text() {
        for list in
            [OTP_STRONG, CODE_WORD, SENT, NEVER, CARD, PAY_FRAME, ATTR_STRONG, ATTR_WEAK, ATTR_OTHER, TEXT_OTHER]
        {
            for w in list.split('|').filter(|w| !w.is_empty()) {
                assert!(tnorm(w).contains(w), "dead lexicon entry {w:?}");
            }
        }
    }

    #[test]
    fn the_instruction_before_a_neutral_field_is_enough() {
        for before in [
            "Enter the code we sent. The code expires in 10 minutes.",
            "Введите код из СМС. Код действителен 5 минут",
            "验证码已发送，有效期5分钟",
            "Geben Sie den Bestätigungscode ein",
            "أدخل رمز التحقق",
        ] {
            let f = with_before(1, "value", before);
            assert_eq!(
                plan_code(&[input(0, "q"), f], "4821"),
                Plan::Single { idx: 1, value: "4821".into() },
                "{before}"
            );
        }
        // without it the same page has nothing to fill
        assert_eq!(plan_code(&[input(0, "q"), input(1, "value")], "4821"), Plan::None { reason: "NO_FIELD".into() });
    }

    #[test]
    fn the_nearer_of_an_exclusion_and_an_otp_word_wins() {
        let otp = with_before(0, "f", "Discount code Apply Confirm your payment: enter the one-time code we sent");
        assert_eq!(plan_code(&[otp], "4821"), Plan::Single { idx: 0, value: "4821".into() });
        let promo = with_before(0, "f", "Enter the verification code we sent. Have a promo code?");
        assert_eq!(plan_code(&[promo], "4821"), Plan::None { reason: "NO_FIELD".into() });
        for before in ["Enter the code we sent. Referral code", "Введите код из SMS. Промокод", "Gutscheincode"]
        {
            assert_eq!(
                plan_code(&[with_before(0, "f", before)], "4821"),
                Plan::None { reason: "NO_FIELD".into() },
                "{before}"
            );
        }
        let captcha = with_before(0, "f", "Введите код с картинки");
        assert_eq!(plan_code(&[captcha], "4821"), Plan::None { reason: "NO_FIELD".into() });
    }

    #[test]
    fn own_exclusions_beat_otp_attributes() {
        let mut f = input(0, "otp");
        f.placeholder = "Gift card code".into();
        assert_eq!(plan_code(&[f], "4821"), Plan::None { reason: "NO_FIELD".into() });
        let mut g = input(0, "sms_code");
        g.autocomplete = "cc-csc".into();
        assert_eq!(plan_code(&[g], "482"), Plan::None { reason: "NO_FIELD".into() });
    }

    #[test]
    fn a_card_form_demands_strong_evidence() {
        let mut card = input(0, "f1");
        card.label = "Card number".into();
        let mut weak = with_before(1, "f2", "We sent you a text");
        weak.label = "Code".into();
        assert_eq!(plan_code(&[weak.clone()], "4821"), Plan::Single { idx: 1, value: "4821".into() });
        assert_eq!(plan_code(&[card.clone(), weak], "4821"), Plan::None { reason: "NO_FIELD".into() });
        // Shopify names the CVC verification_value
        let mut cvc = input(1, "verification_value");
        cvc.placeholder = "Security code".into();
        cvc.maxlength = 4;
        assert_eq!(plan_code(&[card.clone(), cvc], "4821"), Plan::None { reason: "NO_FIELD".into() });
        let strong = with_before(1, "f2", "Enter the verification code sent to your phone");
        assert_eq!(plan_code(&[card, strong], "4821"), Plan::Single { idx: 1, value: "4821".into() });
    }

    #[test]
    fn calling_code_tables() {
        assert_eq!(primary_iso("1"), Some("US"));
        assert_eq!(primary_iso("7"), Some("RU"));
        assert_eq!(primary_iso("358"), Some("FI"));
        assert_eq!(primary_iso("998"), Some("UZ"));
        assert_eq!(primary_iso("35"), None);
        assert_eq!(primary_iso("3"), None);
        assert_eq!(primary_iso(""), None);
        assert_eq!(split_number("+998901234567", None), ("998".into(), "901234567".into()));
        assert_eq!(split_number("+12025550100", None), ("1".into(), "2025550100".into()));
        assert_eq!(split_number("+35812345678", None), ("358".into(), "12345678".into()));
        assert_eq!(split_number("+3512345", None), ("351".into(), "2345".into()));
    }

    #[test]
    fn a_bare_code_word_needs_a_second_signal() {
        let mut f = with_before(0, "field", "Got a code?");
        f.label = "Code".into();
        assert_eq!(plan_code(&[f.clone()], "4821"), Plan::None { reason: "NO_FIELD".into() });
        let mut sent = f.clone();
        sent.before = "Got a code? We sent it by SMS".into();
        assert_eq!(plan_code(&[sent], "4821"), Plan::Single { idx: 0, value: "4821".into() });
        f.inputmode = "numeric".into();
        assert_eq!(plan_code(&[f], "4821"), Plan::Single { idx: 0, value: "4821".into() });
    }

    #[test]
    fn a_hosted_payment_frame_counts_as_a_card_form() {
        let mut weak = with_before(0, "f2", "We sent you a text");
        weak.label = "Code".into();
        let mut frame = Field { idx: 1, tag: "iframe".into(), visible: true, ..Default::default() };
        frame.data =
            "Secure card payment input frame __privateStripeFrame5 https://js.stripe.com/v3/elements-inner-card".into();
        assert_eq!(plan_code(&[weak.clone()], "4821"), Plan::Single { idx: 0, value: "4821".into() });
        assert_eq!(plan_code(&[weak.clone(), frame.clone()], "4821"), Plan::None { reason: "NO_FIELD".into() });
        // an unrelated (or hidden) frame changes nothing, and a frame is never a target
        frame.visible = false;
        assert_eq!(plan_code(&[weak.clone(), frame.clone()], "4821"), Plan::Single { idx: 0, value: "4821".into() });
        frame.data = "YouTube video player https://www.youtube.com/embed/x".into();
        frame.visible = true;
        assert_eq!(plan_code(&[weak, frame.clone()], "4821"), Plan::Single { idx: 0, value: "4821".into() });
        frame.data = "Enter the verification code otp".into();
        assert_eq!(plan_code(&[frame], "4821"), Plan::None { reason: "NO_FIELD".into() });
    }

    #[test]
    fn split_boxes_under_a_card_form_need_strong_evidence() {
        let mut fields = vec![input(0, "cardnumber")];
        for i in 1..=4 {
            let mut f = input(i, "");
            f.maxlength = 1;
            f.w = 40.0;
            f.x = 50.0 * i as f64;
            f.y = 300.0;
            f.group = "b".into();
            fields.push(f);
        }
        assert_eq!(plan_code(&fields, "4821"), Plan::None { reason: "NO_FIELD".into() });
        fields[1].before = "Enter the SMS code".into();
        assert!(matches!(plan_code(&fields, "4821"), Plan::Split { .. }));
    }

    #[test]
    fn generic_input_on_a_code_page() {
        let mut f = input(0, "text");
        f.autocomplete = "on".into();
        f.text = "We sent you a code. Enter your verification code".into();
        assert_eq!(plan_code(&[f.clone()], "123456"), Plan::Single { idx: 0, value: "123456".into() });
        f.text = "Enter your phone, email or username".into();
        assert_eq!(plan_code(&[f], "123456"), Plan::None { reason: "NO_FIELD".into() });
    }

    #[test]
    fn split_boxes_get_one_char_each_in_visual_order() {
        let boxes: Vec<Field> = (0..6)
            .map(|i| {
                let mut f = input(i, &format!("digit{}", i + 1));
                f.maxlength = 1;
                f.w = 40.0;
                f.x = 100.0 + 50.0 * ((i + 3) % 6) as f64;
                f.y = 200.0;
                f.ty = "tel".into();
                f.text = "Enter the verification code".into();
                f
            })
            .collect();
        match plan_code(&boxes, "123-456") {
            Plan::Split { writes } => {
                let v: Vec<(usize, &str)> = writes.iter().map(|w| (w.idx, w.value.as_str())).collect();
                assert_eq!(v, vec![(3, "1"), (4, "2"), (5, "3"), (0, "4"), (1, "5"), (2, "6")]);
            }
            p => panic!("{p:?}"),
        }
        assert_eq!(plan_code(&boxes, "12345"), Plan::None { reason: "LENGTH_MISMATCH".into() });
    }

    #[test]
    fn phone_numbers_respect_country_pickers() {
        assert_eq!(split_number("+79096037108", None), ("7".into(), "9096037108".into()));
        assert_eq!(split_number("447400123456", None), ("44".into(), "7400123456".into()));
        assert_eq!(split_number("380501234567", None), ("380".into(), "501234567".into()));
        let mut tel = input(1, "phone");
        tel.ty = "tel".into();
        assert_eq!(
            plan_phone(&[tel.clone()], "+79096037108", None, None),
            Plan::Phone { select: None, writes: vec![Write { idx: 1, value: "+79096037108".into() }] }
        );
        let mut sel = input(0, "country_code");
        sel.tag = "select".into();
        sel.options = vec![
            ("US".into(), "United States (+1)".into()),
            ("CA".into(), "Canada (+1)".into()),
            ("RU".into(), "Russia (+7)".into()),
            ("KZ".into(), "Kazakhstan (+7)".into()),
            ("TR".into(), "Turkey (+90)".into()),
        ];
        assert_eq!(
            plan_phone(&[sel.clone(), tel.clone()], "+79096037108", Some("+7"), Some("RU")),
            Plan::Phone {
                select: Some(Write { idx: 0, value: "RU".into() }),
                writes: vec![Write { idx: 1, value: "9096037108".into() }]
            }
        );
        assert_eq!(
            plan_phone(&[sel.clone(), tel.clone()], "+15550100000", None, None),
            Plan::Phone {
                select: Some(Write { idx: 0, value: "US".into() }),
                writes: vec![Write { idx: 1, value: "5550100000".into() }]
            }
        );
        let mut iti = tel.clone();
        iti.prefix = "+44".into();
        assert_eq!(
            plan_phone(&[iti], "+447400123456", None, None),
            Plan::Phone { select: None, writes: vec![Write { idx: 1, value: "7400123456".into() }] }
        );
        let mut email = input(0, "email");
        email.ty = "email".into();
        assert_eq!(plan_phone(&[email], "+79096037108", None, None), Plan::None { reason: "NO_FIELD".into() });
        // ISO-only select (react-phone-number-input): the country owning the code, or the rental's
        let mut iso_sel = input(0, "countrySelect");
        iso_sel.tag = "select".into();
        iso_sel.options = [
            "ZZ", "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB",
            "BD", "BE", "KZ", "RU", "US", "GB",
        ]
        .iter()
        .map(|c| (c.to_string(), format!("name of {c}")))
        .collect();
        assert_eq!(
            plan_phone(&[iso_sel.clone(), tel.clone()], "+79096037108", None, None),
            Plan::Phone {
                select: Some(Write { idx: 0, value: "RU".into() }),
                writes: vec![Write { idx: 1, value: "9096037108".into() }]
            }
        );
        assert_eq!(
            plan_phone(&[iso_sel, tel], "+77011234567", None, Some("KZ")),
            Plan::Phone {
                select: Some(Write { idx: 0, value: "KZ".into() }),
                writes: vec![Write { idx: 1, value: "7011234567".into() }]
            }
        );
    }
}
