//! The provider-neutral rental model shown by the popup.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// SMS.online (sms-activate `handler_api.php` protocol).
    Smsonline,
    /// SMSPVA rent API (`rent.php`).
    Smspva,
}

impl crate::json::AsJson for Provider {
    /// As its `Serialize` writes it (a test compares the two)
    fn as_json(&self) -> crate::json::Value {
        crate::json::Value::from(match self {
            Provider::Smsonline => "smsonline",
            Provider::Smspva => "smspva",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A number rented for hours/days/weeks.
    Rent,
    /// A one-off activation (one service, ~20 minutes).
    Activation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Waiting for an SMS (rent active / activation waiting).
    Waiting,
    /// At least one SMS arrived and the number still receives.
    Received,
    /// SMSPVA: number must be activated before it can receive (state 0).
    NeedsActivation,
    /// SMSPVA: activation in progress (state 2).
    Activating,
    /// Activation waiting for another SMS after `setStatus 3`.
    WaitingRetry,
    Finished,
    Cancelled,
    /// Number revoked / not in the system (SMSPVA state -1, `STATUS_REVOKE`).
    Revoked,
    Expired,
}

impl State {
    pub fn is_open(self) -> bool {
        !matches!(self, State::Finished | State::Cancelled | State::Revoked | State::Expired)
    }
    /// The SMSPVA numeric state (0, 1, 2, -1).
    pub fn from_smspva(n: i64) -> State {
        match n {
            0 => State::NeedsActivation,
            1 => State::Waiting,
            2 => State::Activating,
            _ => State::Revoked,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sms {
    /// Stable identity for de-duplication (see [`sms_key`]).
    pub key: String,
    pub from: String,
    pub text: String,
    /// Unix seconds.
    pub date: i64,
    /// Code as extracted by OTP Dock from `text` (or the provider's code when there is no text).
    /// Always `None` for [`Sms::other`] messages: they are never the rental's code.
    pub code: Option<String>,
    /// SMSPVA `OtherSms`: a message for another service on the same number. Shown under its
    /// own heading, never auto-filled, never counted as the rental's code.
    #[serde(default)]
    pub other: bool,
}

/// FNV-1a 64 of the bytes, hex. Small and stable across native and wasm.
pub fn fnv64(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0u8)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// Identity of one SMS: same sender, time and text → same message, however often it is listed.
pub fn sms_key(rental_id: &str, from: &str, date: i64, text: &str) -> String {
    fnv64(&[rental_id, from, &date.to_string(), text])
}

impl Sms {
    pub fn new(rental_id: &str, from: String, text: String, date: i64) -> Sms {
        let code = crate::otp::extract_code(&text);
        Sms { key: sms_key(rental_id, &from, date, &text), from, text, date, code, other: false }
    }

    /// A message for another service on the same number (SMSPVA `OtherSms`): no code is extracted,
    /// and its key differs from a same-text message of the rental's own list.
    pub fn other(rental_id: &str, from: String, text: String, date: i64) -> Sms {
        let key = fnv64(&[rental_id, "other", &from, &date.to_string(), &text]);
        Sms { key, from, text, date, code: None, other: true }
    }
}

/// Missing fields read as defaults, so a partial rental from a list answer
/// (id and number only) is still a rental.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rental {
    pub provider: Provider,
    pub kind: Kind,
    pub id: String,
    /// Full international number, digits only (e.g. `79096037108`).
    pub number: String,
    /// Dial code with `+` when known (e.g. `+7`).
    pub dial_code: Option<String>,
    pub service: String,
    pub service_name: Option<String>,
    pub country: Option<String>,
    pub state: State,
    /// Unix seconds of expiry.
    pub until: Option<i64>,
    pub can_prolong: bool,
    pub prolong_max_days: Option<i64>,
    pub prolong_until: Option<i64>,
    pub has_new_sms: bool,
    /// Unix seconds of creation when known (needed for the 2-minute cancel rule).
    pub created: Option<i64>,
    pub cost: Option<f64>,
    pub can_get_another_sms: bool,
    /// SMS.online: the answer's `endDate` read as if it were UTC, when it carried no zone
    /// (`None` when it had one). With the time of the request and the hours bought this gives
    /// the account's offset: see [`learn_tz_offset_min`].
    pub until_naive: Option<i64>,
}

impl Rental {
    pub fn new(provider: Provider, kind: Kind, id: String, number: String) -> Rental {
        Rental {
            provider,
            kind,
            id,
            number,
            dial_code: None,
            service: String::new(),
            service_name: None,
            country: None,
            state: State::Waiting,
            until: None,
            can_prolong: false,
            prolong_max_days: None,
            prolong_until: None,
            has_new_sms: false,
            created: None,
            cost: None,
            can_get_another_sms: false,
            until_naive: None,
        }
    }

    /// `provider:id`, unique across accounts of one provider only together with the account id.
    pub fn uid(&self) -> String {
        format!(
            "{}:{}",
            match self.provider {
                Provider::Smsonline => "smsonline",
                Provider::Smspva => "smspva",
            },
            self.id
        )
    }

    /// The number in E.164 form (`+79096037108`).
    pub fn e164(&self) -> String {
        format!("+{}", self.number)
    }
}

/// Keeps only digits of a phone number.
pub fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Joins an SMSPVA dial code (`+7`) and national number (`9096037108`) into `79096037108`,
/// without doubling the code when the number already carries it.
pub fn join_number(dial_code: &str, national: &str) -> String {
    let cc = digits(dial_code);
    let n = digits(national);
    if !cc.is_empty() && n.starts_with(&cc) && n.len() > 10 {
        n
    } else {
        format!("{cc}{n}")
    }
}

/// One open rent of a provider's complete rent list (SMS.online `getRentList`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListedRent {
    pub id: String,
    pub phone: String,
    /// What the current period cost (`price`, when the list carries it).
    pub price: Option<f64>,
}

/// One rent's state and one page of its SMS (SMS.online `getRentStatus`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RentSnapshot {
    pub state: State,
    /// SMS the provider holds for the rent in all (the pages together).
    pub quantity: usize,
    pub sms: Vec<Sms>,
}

/// One open one-off activation with the codes the provider extracted (SMS.online `getActiveActivations`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Activation {
    pub rental: Rental,
    /// Provider-extracted codes.
    pub codes: Vec<String>,
    /// Full SMS text when the provider gives it.
    pub text: Option<String>,
}

/// One price line of a catalogue (SMS.online `getRentPrices`, `getPrices`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriceOffer {
    pub country: String,
    pub service: String,
    /// Price in the account's currency (USD on SMS.online).
    pub cost: f64,
    /// Numbers in stock, when given (`count`, or `quant` on older servers).
    pub count: Option<i64>,
}

/// Rent durations (hours) SMS.online accepts.
pub const SMSONLINE_RENT_HOURS: [u32; 9] = [4, 8, 12, 24, 72, 168, 360, 720, 2160];
/// Hours an SMS.online rent lasts when the request names none (the protocol's default).
pub const SMSONLINE_DEFAULT_RENT_HOURS: u32 = 4;
/// Dates without a zone are Moscow time (UTC+3) unless the account says otherwise.
pub const DEFAULT_TZ_OFFSET_MIN: i32 = 180;

impl Provider {
    /// The rent durations (hours) the provider's rent form offers; empty when it rents by days
    /// (SMSPVA: weeks and months, see `engine::catalogue::PVA_PERIODS`).
    pub fn rent_hours(self) -> &'static [u32] {
        match self {
            Provider::Smsonline => &SMSONLINE_RENT_HOURS,
            Provider::Smspva => &[],
        }
    }
}

// ---------------------------------------------------------------- zones
// SMS.online sends dates without a zone; the engine learns an account's zone from its first rent.

/// Learns an account's zone from a rent answer: `until_naive` is the answer's
/// zone-less end date read as UTC ([`Rental::until_naive`]), `requested_at` the Unix time
/// the request was sent, `hours` the hours bought. The offset (minutes east of UTC) is
/// `until_naive - (requested_at + hours)`, rounded to 15 minutes; `None` when it is outside
/// UTC-12..UTC+14 (the answer does not fit the theory, learn nothing).
///
/// An extension answer (`continueRentNumber`) teaches the same only with the rental's true previous end:
/// pass `requested_at = previous_end_utc` there (the engine knows it only when the zone was
/// already known, so in practice the first rent teaches it).
pub fn learn_tz_offset_min(until_naive: i64, requested_at: i64, hours: u32) -> Option<i32> {
    let diff = until_naive - (requested_at + hours as i64 * 3600);
    let quarter = 15 * 60;
    let rounded = (diff as f64 / quarter as f64).round() as i64 * 15;
    if (-12 * 60..=14 * 60).contains(&rounded) {
        Some(rounded as i32)
    } else {
        None
    }
}

/// Re-reads a rent answer's times in a newly learnt zone: `until` and `created` were
/// computed with `assumed_min` (the client's `tz_offset_min`); with the learnt offset they
/// move by the difference. Only rentals whose end date had no zone (`until_naive` is set)
/// change. Typical use right after [`learn_tz_offset_min`] on the same answer.
pub fn rezone(r: &mut Rental, assumed_min: i32, learnt_min: i32) {
    if r.until_naive.is_none() {
        return;
    }
    let shift = (assumed_min as i64 - learnt_min as i64) * 60;
    r.until = r.until.map(|u| u + shift);
    r.created = r.created.map(|c| c + shift);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_rental_json_reads_with_defaults() {
        let r: Rental = serde_json::from_str(
            r#"{"provider":"smsonline","kind":"rent","id":"7","number":"79000000007","service":"","state":"waiting"}"#,
        )
        .unwrap();
        assert_eq!(r.id, "7");
        assert!(!r.can_prolong && r.until.is_none());
    }

    #[test]
    fn join_numbers() {
        assert_eq!(join_number("+7", "9096037108"), "79096037108");
        assert_eq!(join_number("+7", "79096037108"), "79096037108");
        assert_eq!(join_number("+44", "7400123456"), "447400123456");
        assert_eq!(join_number("", "+1 (555) 010-0000"), "15550100000");
    }

    #[test]
    fn sms_keys_are_stable_and_distinct() {
        let a = sms_key("1", "FB", 10, "code 1234");
        assert_eq!(a, sms_key("1", "FB", 10, "code 1234"));
        assert_ne!(a, sms_key("1", "FB", 11, "code 1234"));
        assert_ne!(a, sms_key("2", "FB", 10, "code 1234"));
        assert_ne!(sms_key("1", "ab", 1, "c"), sms_key("1", "a", 1, "bc"));
    }
}
