//! Typed provider errors with stable codes and localised user messages.
//!
//! Every documented error of both provider protocols has its own variant.
//! Transport-level failures (HTML error pages, malformed JSON, timeouts) are
//! variants too, so the UI can always show something precise.

use crate::text::has;
use serde::{Deserialize, Serialize};
use std::fmt;

/// UI languages the messages are written in (matches `extension/_locales`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
    Uk,
    Fr,
    Pt,
}

impl Lang {
    /// Picks a language from a BCP-47 tag such as `ru-RU` or `pt_BR`; English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Lang::Ru,
            "uk" => Lang::Uk,
            "fr" => Lang::Fr,
            "pt" => Lang::Pt,
            _ => Lang::En,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderError {
    // --- sms-activate protocol (SMS.online) ---
    BadKey,
    BadAction,
    ErrorSql,
    /// `BANNED:'2025-01-01 10-00-00'`: account blocked until the given time.
    Banned {
        until: String,
    },
    AccountInactive,
    AccountBlocked,
    NoIdRent,
    InvalidPhone,
    StatusFinish,
    StatusCancel,
    StatusWaitCode,
    StatusRevoke,
    EarlyCancelDenied,
    NoActivation,
    NoActivations,
    BadStatus,
    WrongActivationId,
    NoBalance,
    NoNumbers,
    BadService,
    BadCountry,
    BadOperator,
    BadTime,
    /// `WRONG_MAX_PRICE:12.5`: the price limit is below the current minimum.
    WrongMaxPrice {
        min: String,
    },
    /// The rental cannot be prolonged (sms-activate `CANT_CONTINUE`, or the 7-day rule).
    CannotProlong,
    /// `CANT_CANCEL`: more than 20 minutes have passed since the rent started.
    CannotCancel,
    /// `ALREADY_FINISH`: `setRentStatus` on a rent that is already finished.
    AlreadyFinished,
    /// `ALREADY_CANCEL`: `setRentStatus` on a rent that is already cancelled.
    AlreadyCancelled,
    /// `INCORECT_STATUS` (the family's spelling) / `INCORRECT_STATUS`: status value not accepted.
    IncorrectStatus,
    /// `RENT_DIE`: the rent cannot be extended, the number's lifespan is over.
    RentDie,
    /// `INVALID_ACTIVATION_ID`: the activation ID is invalid or not a number.
    InvalidActivationId,
    /// `CHANNELS_LIMIT` (sms-activate family) or SMSPVA's "too many requests": slow down, retry later.
    RateLimited,
    /// `SERVER_ERROR`: the provider failed internally.
    ServerError,
    /// `NO_KEY`: the request carried no API key.
    NoKey,
    /// `WRONG_EXCEPTION_PHONE`: the excluded number prefixes are malformed.
    WrongExceptionPhone,
    /// `NO_BALANCE_FORWARD`: not enough balance to buy a forwarding number.
    NoBalanceForward,
    /// `STATUS_WAIT_RETRY:<code>`: waiting for another SMS; `code` is the last one received.
    StatusWaitRetry {
        code: String,
    },
    /// `STATUS_WAIT_RESEND`: waiting for the SMS to be sent again.
    StatusWaitResend,
    // --- SMSPVA live `msg` strings ---
    /// "order not found": the order no longer exists at SMSPVA (terminal).
    OrderNotFound,
    /// "incorrect order": the order ID is not one of this key's orders (terminal).
    IncorrectOrder,
    // --- SMSPVA restore codes ---
    RestoreNoAvailDays,
    RestoreNotOwner,
    RestoreNoRemoteData,
    RestoreNoOrderCountry,
    RestoreDateDiffInvert,
    RestoreNoServiceData,
    RestoreNoBalance {
        detail: String,
    },
    /// Any other SMSPVA `msg` string, kept verbatim.
    ProviderMessage {
        msg: String,
    },
    /// A documented-looking token we have no variant for, kept verbatim.
    UnknownCode {
        code: String,
    },
    // --- transport ---
    Http {
        status: u16,
    },
    HtmlPage {
        status: u16,
    },
    MalformedJson {
        detail: String,
    },
    Unexpected {
        snippet: String,
    },
    Timeout,
    Network {
        detail: String,
    },
    InvalidInput {
        detail: String,
    },
}

use ProviderError::*;

impl ProviderError {
    /// Stable machine code, shown to other tools and used by tests.
    pub fn code(&self) -> &'static str {
        match self {
            BadKey => "BAD_KEY",
            BadAction => "BAD_ACTION",
            ErrorSql => "ERROR_SQL",
            Banned { .. } => "BANNED",
            AccountInactive => "ACCOUNT_INACTIVE",
            AccountBlocked => "ACCOUNT_BLOCKED",
            NoIdRent => "NO_ID_RENT",
            InvalidPhone => "INVALID_PHONE",
            StatusFinish => "STATUS_FINISH",
            StatusCancel => "STATUS_CANCEL",
            StatusWaitCode => "STATUS_WAIT_CODE",
            StatusRevoke => "STATUS_REVOKE",
            EarlyCancelDenied => "EARLY_CANCEL_DENIED",
            NoActivation => "NO_ACTIVATION",
            NoActivations => "NO_ACTIVATIONS",
            BadStatus => "BAD_STATUS",
            WrongActivationId => "WRONG_ACTIVATION_ID",
            NoBalance => "NO_BALANCE",
            NoNumbers => "NO_NUMBERS",
            BadService => "BAD_SERVICE",
            BadCountry => "BAD_COUNTRY",
            BadOperator => "BAD_OPERATOR",
            BadTime => "BAD_TIME",
            WrongMaxPrice { .. } => "WRONG_MAX_PRICE",
            CannotProlong => "CANNOT_PROLONG",
            CannotCancel => "CANNOT_CANCEL",
            AlreadyFinished => "ALREADY_FINISH",
            AlreadyCancelled => "ALREADY_CANCEL",
            IncorrectStatus => "INCORRECT_STATUS",
            RentDie => "RENT_DIE",
            InvalidActivationId => "INVALID_ACTIVATION_ID",
            RateLimited => "RATE_LIMITED",
            ServerError => "SERVER_ERROR",
            NoKey => "NO_KEY",
            WrongExceptionPhone => "WRONG_EXCEPTION_PHONE",
            NoBalanceForward => "NO_BALANCE_FORWARD",
            StatusWaitRetry { .. } => "STATUS_WAIT_RETRY",
            StatusWaitResend => "STATUS_WAIT_RESEND",
            OrderNotFound => "ORDER_NOT_FOUND",
            IncorrectOrder => "INCORRECT_ORDER",
            RestoreNoAvailDays => "NOAVAILDAYS",
            RestoreNotOwner => "NOTOWNER",
            RestoreNoRemoteData => "NOREMOTEDATA",
            RestoreNoOrderCountry => "NOORDERCOUNTRY",
            RestoreDateDiffInvert => "DATEDIFFINVERT",
            RestoreNoServiceData => "NOSERVICEDATA",
            RestoreNoBalance { .. } => "NOBALANCE",
            ProviderMessage { .. } => "PROVIDER_MESSAGE",
            UnknownCode { .. } => "UNKNOWN_CODE",
            Http { .. } => "HTTP_ERROR",
            HtmlPage { .. } => "HTML_PAGE",
            MalformedJson { .. } => "MALFORMED_JSON",
            Unexpected { .. } => "UNEXPECTED_RESPONSE",
            Timeout => "TIMEOUT",
            Network { .. } => "NETWORK",
            InvalidInput { .. } => "INVALID_INPUT",
        }
    }

    /// Maps an sms-activate protocol token (`BAD_KEY`, `BANNED:...`, ...) to a variant.
    /// Returns `None` for tokens that are not errors.
    pub fn from_activate_token(token: &str) -> Option<ProviderError> {
        let t = token.trim().trim_matches('"');
        let (head, tail) = match t.find(':') {
            Some(i) => (&t[..i], t[i + 1..].trim().trim_matches('\'').to_string()),
            None => (t, String::new()),
        };
        Some(match head.to_ascii_uppercase().as_str() {
            "BAD_KEY" | "WRONG_API_KEY" => BadKey,
            "NO_KEY" => NoKey,
            "BAD_ACTION" => BadAction,
            "ERROR_SQL" | "SQL_ERROR" => ErrorSql,
            "BANNED" => Banned { until: tail },
            "ACCOUNT_INACTIVE" => AccountInactive,
            "ACCOUNT_BLOCKED" | "ACCOUNT_BANNED" => AccountBlocked,
            "NO_ID_RENT" => NoIdRent,
            "INVALID_PHONE" => InvalidPhone,
            "STATUS_FINISH" => StatusFinish,
            "STATUS_CANCEL" => StatusCancel,
            "STATUS_WAIT_CODE" => StatusWaitCode,
            "STATUS_REVOKE" => StatusRevoke,
            "EARLY_CANCEL_DENIED" => EarlyCancelDenied,
            "NO_ACTIVATION" => NoActivation,
            "NO_ACTIVATIONS" => NoActivations,
            "BAD_STATUS" => BadStatus,
            "WRONG_ACTIVATION_ID" => WrongActivationId,
            "INVALID_ACTIVATION_ID" => InvalidActivationId,
            "NO_BALANCE" | "LOW_BALANCE" | "NO_MONEY" => NoBalance,
            "NO_BALANCE_FORWARD" => NoBalanceForward,
            "NO_NUMBERS" => NoNumbers,
            "BAD_SERVICE" | "WRONG_SERVICE" => BadService,
            "WRONG_EXCEPTION_PHONE" => WrongExceptionPhone,
            "ALREADY_FINISH" | "ALREADY_FINISHED" => AlreadyFinished,
            "ALREADY_CANCEL" | "ALREADY_CANCELED" | "ALREADY_CANCELLED" => AlreadyCancelled,
            "INCORECT_STATUS" | "INCORRECT_STATUS" => IncorrectStatus,
            "RENT_DIE" => RentDie,
            "CHANNELS_LIMIT" => RateLimited,
            "SERVER_ERROR" => ServerError,
            "STATUS_WAIT_RETRY" => StatusWaitRetry { code: tail },
            "STATUS_WAIT_RESEND" => StatusWaitResend,
            "BAD_COUNTRY" | "WRONG_COUNTRY" => BadCountry,
            "BAD_OPERATOR" | "WRONG_OPERATOR" => BadOperator,
            "BAD_TIME" | "INVALID_TIME" | "INCORRECT_TIME" | "BAD_RENT_TIME" => BadTime,
            "WRONG_MAX_PRICE" => WrongMaxPrice { min: tail },
            "CANT_CONTINUE" | "CANNOT_CONTINUE" => CannotProlong,
            "CANT_CANCEL" | "CANNOT_CANCEL" => CannotCancel,
            _ => return None,
        })
    }

    /// Maps an SMSPVA `msg` string to a variant (never fails: unknown strings are kept).
    pub fn from_smspva_msg(msg: &str) -> ProviderError {
        let m = msg.trim();
        let upper = m.to_ascii_uppercase();
        let first = upper.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap_or("");
        match first {
            "NOAVAILDAYS" => return RestoreNoAvailDays,
            "NOTOWNER" => return RestoreNotOwner,
            "NOREMOTEDATA" => return RestoreNoRemoteData,
            "NOORDERCOUNTRY" => return RestoreNoOrderCountry,
            "DATEDIFFINVERT" => return RestoreDateDiffInvert,
            "NOSERVICEDATA" => return RestoreNoServiceData,
            "NOBALANCE" => {
                return RestoreNoBalance { detail: m[first.len()..].trim_start_matches([':', ' ']).to_string() }
            }
            _ => {}
        }
        let lower = crate::text::lower(m);
        let words = lower.split_whitespace().collect::<Vec<_>>().join(" ");
        if words.trim_end_matches(['.', '!']) == "order not found" {
            OrderNotFound
        } else if words.trim_end_matches(['.', '!']) == "incorrect order" {
            IncorrectOrder
        } else if has(&words, "too many requests")
            || has(&words, "too many connections")
            || has(&words, "rate limit")
            || has(&words, "request limit")
        {
            RateLimited
        } else if has(&lower, "the user had not this order") {
            RestoreNotOwner
        } else if lower.starts_with("service not found") {
            RestoreNoServiceData
        } else if lower.starts_with("balance is not enough") {
            RestoreNoBalance { detail: String::new() }
        } else if (has(&lower, "api key") || has(&lower, "apikey"))
            && ["not found", "wrong", "invalid", "incorrect", "bad"].iter().any(|w| has(&lower, w))
        {
            BadKey
        } else if has(&lower, "insufficient")
            || has(&lower, "not enough money")
            || has(&lower, "no money")
            || has(&lower, "low balance")
        {
            NoBalance
        } else if has(&lower, "no free numbers") || has(&lower, "no numbers") || has(&lower, "numbers not available") {
            NoNumbers
        } else if has(&lower, "prolong") && (has(&lower, "7 days") || has(&lower, "less")) {
            CannotProlong
        } else if let Some(e) = ProviderError::from_activate_token(m) {
            e
        } else {
            ProviderMessage { msg: m.chars().take(300).collect() }
        }
    }

    /// True for failures where the server may or may not have carried out the
    /// request (the answer was lost). Money-spending calls must reconcile, never retry.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Timeout
                | Network { .. }
                | Http { .. }
                | HtmlPage { .. }
                | MalformedJson { .. }
                | Unexpected { .. }
                | ErrorSql
                | ServerError
        )
    }

    /// True when the provider says the rental no longer exists for this key (SMSPVA
    /// "order not found" / "incorrect order"): close it locally and stop polling it.
    pub fn closes_rental(&self) -> bool {
        matches!(self, OrderNotFound | IncorrectOrder)
    }

    /// True when the provider asks to slow down (`CHANNELS_LIMIT`, SMSPVA's rate-limit
    /// message): back off and retry later; not a failure of the account.
    pub fn is_rate_limit(&self) -> bool {
        matches!(self, RateLimited)
    }

    /// The parameters its words are said with (`$1` of `err_<CODE>` in `extension/_locales`,
    /// written in `scripts/locales.py`): at most one, none when the message takes none
    /// or its optional one is empty (then its words are `err_<CODE>_PLAIN`).
    pub fn params(&self) -> Vec<String> {
        if self.plain_key().is_some() {
            return Vec::new();
        }
        match self {
            Banned { until: p }
            | WrongMaxPrice { min: p }
            | StatusWaitRetry { code: p }
            | RestoreNoBalance { detail: p }
            | ProviderMessage { msg: p }
            | UnknownCode { code: p }
            | Unexpected { snippet: p }
            | InvalidInput { detail: p } => vec![p.clone()],
            Http { status } | HtmlPage { status } => vec![status.to_string()],
            _ => Vec::new(),
        }
    }

    /// The locale key of its words when it is not `err_<CODE>`: the four messages whose
    /// parameter may be missing have a second form without it, `err_<CODE>_PLAIN`.
    fn plain_key(&self) -> Option<String> {
        match self {
            Banned { until: p }
            | WrongMaxPrice { min: p }
            | StatusWaitRetry { code: p }
            | RestoreNoBalance { detail: p }
                if p.is_empty() =>
            {
                Some(format!("err_{}_PLAIN", self.code()))
            }
            _ => None,
        }
    }

    /// A clear message for the user, in the given language, from the extension's own
    /// `_locales` (native builds only: the extension says the words itself through chrome.i18n).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn message(&self, lang: Lang) -> String {
        self.info().words(lang)
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(not(target_arch = "wasm32"))]
        return write!(f, "{}: {}", self.code(), self.message(Lang::En));
        #[cfg(target_arch = "wasm32")]
        return write!(f, "{} {}", self.code(), self.params().join(", "));
    }
}

impl std::error::Error for ProviderError {}

/// The JSON shape the extension receives: `{code, key?, params?, outcome_unknown, closes_rental,
/// rate_limited}`; the extension words it as `err_<code>` (or `key`) with `params` from its `_locales`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ErrorInfo {
    pub code: String,
    /// The locale key of the words when it is not `err_<code>`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// The values of the message's `$1`… placeholders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<String>,
    /// Words already said: only in errors stored by versions that worded them in Rust.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The request's outcome is unknown (reconcile before acting again).
    #[serde(default)]
    pub outcome_unknown: bool,
    /// The provider says the rental is gone for this key: close it, stop polling it.
    #[serde(default)]
    pub closes_rental: bool,
    /// The provider asks to slow down: back off, not a failure of the account.
    #[serde(default)]
    pub rate_limited: bool,
}

impl ProviderError {
    /// The error as the extension receives it. Its parameters are scrubbed of `api_key=` /
    /// `apikey=` values whatever produced them (use [`ProviderError::scrubbed`] for the key itself).
    pub fn info(&self) -> ErrorInfo {
        ErrorInfo {
            code: self.code().to_string(),
            key: self.plain_key().unwrap_or_default(),
            params: self.params().iter().map(|p| crate::http::scrub(p, "")).collect(),
            message: String::new(),
            outcome_unknown: self.outcome_unknown(),
            closes_rental: self.closes_rental(),
            rate_limited: self.is_rate_limit(),
        }
    }

    /// The same error with `key` and any `api_key=`/`apikey=` value removed from every text it carries.
    pub fn scrubbed(self, key: &str) -> ProviderError {
        let s = |t: String| crate::http::scrub(&t, key);
        match self {
            Banned { until } => Banned { until: s(until) },
            WrongMaxPrice { min } => WrongMaxPrice { min: s(min) },
            RestoreNoBalance { detail } => RestoreNoBalance { detail: s(detail) },
            ProviderMessage { msg } => ProviderMessage { msg: s(msg) },
            UnknownCode { code } => UnknownCode { code: s(code) },
            MalformedJson { detail } => MalformedJson { detail: s(detail) },
            Unexpected { snippet } => Unexpected { snippet: s(snippet) },
            Network { detail } => Network { detail: s(detail) },
            InvalidInput { detail } => InvalidInput { detail: s(detail) },
            StatusWaitRetry { code } => StatusWaitRetry { code: s(code) },
            other => other,
        }
    }
}

impl ErrorInfo {
    /// The same info with `key` and any `api_key=`/`apikey=` value removed from its message
    /// (for errors made outside the client layer, e.g. by the fetch glue).
    pub fn scrubbed(mut self, key: &str) -> ErrorInfo {
        self.message = crate::http::scrub(&self.message, key);
        self.code = crate::http::scrub(&self.code, key);
        for p in &mut self.params {
            *p = crate::http::scrub(p, key);
        }
        self
    }

    /// The locale key its words are under: `key`, else `err_<code>`.
    pub fn message_key(&self) -> String {
        if self.key.is_empty() {
            format!("err_{}", self.code)
        } else {
            self.key.clone()
        }
    }

    /// Its words in `lang`, as the extension says them (`message`, else the locale's words for
    /// [`ErrorInfo::message_key`] with `params`), read from the generated `extension/_locales`
    /// (native builds only; `None`-like empty string when the locale has no such key).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn words(&self, lang: Lang) -> String {
        if !self.message.is_empty() {
            return self.message.clone();
        }
        let Some(m) = locale_message(lang, &self.message_key()) else { return String::new() };
        let mut out = m;
        for (i, p) in self.params.iter().enumerate() {
            out = crate::text::replace(&out, &format!("$P{}$", i + 1), p);
        }
        out
    }
}

/// The messages of one locale (`extension/_locales/<lang>/messages.json`, generated from
/// `scripts/locales.py`: the one table of words), for native use.
#[cfg(not(target_arch = "wasm32"))]
pub fn locale_messages(lang: Lang) -> &'static serde_json::Map<String, serde_json::Value> {
    use std::sync::OnceLock;
    static TABLES: [OnceLock<serde_json::Map<String, serde_json::Value>>; 5] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let (i, raw) = match lang {
        Lang::En => (0, include_str!("../extension/_locales/en/messages.json")),
        Lang::Ru => (1, include_str!("../extension/_locales/ru/messages.json")),
        Lang::Uk => (2, include_str!("../extension/_locales/uk/messages.json")),
        Lang::Fr => (3, include_str!("../extension/_locales/fr/messages.json")),
        Lang::Pt => (4, include_str!("../extension/_locales/pt/messages.json")),
    };
    TABLES[i].get_or_init(|| serde_json::from_str(raw).expect("generated messages.json"))
}

/// The text of one locale message, its placeholders still written `$P1$`…
#[cfg(not(target_arch = "wasm32"))]
pub fn locale_message(lang: Lang, key: &str) -> Option<String> {
    Some(locale_messages(lang).get(key)?.get("message")?.as_str()?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_token_maps_to_its_variant() {
        use ProviderError::*;
        // every token of the sms-activate family the clients know, with its tail when it has one
        let cases = [
            ("BAD_KEY", BadKey),
            ("WRONG_API_KEY", BadKey),
            ("NO_KEY", NoKey),
            ("BAD_ACTION", BadAction),
            ("ERROR_SQL", ErrorSql),
            ("SQL_ERROR", ErrorSql),
            ("BANNED:X", Banned { until: "X".into() }),
            ("ACCOUNT_INACTIVE", AccountInactive),
            ("ACCOUNT_BLOCKED", AccountBlocked),
            ("ACCOUNT_BANNED", AccountBlocked),
            ("NO_ID_RENT", NoIdRent),
            ("INVALID_PHONE", InvalidPhone),
            ("STATUS_FINISH", StatusFinish),
            ("STATUS_CANCEL", StatusCancel),
            ("STATUS_WAIT_CODE", StatusWaitCode),
            ("STATUS_REVOKE", StatusRevoke),
            ("EARLY_CANCEL_DENIED", EarlyCancelDenied),
            ("NO_ACTIVATION", NoActivation),
            ("NO_ACTIVATIONS", NoActivations),
            ("BAD_STATUS", BadStatus),
            ("WRONG_ACTIVATION_ID", WrongActivationId),
            ("INVALID_ACTIVATION_ID", InvalidActivationId),
            ("NO_BALANCE", NoBalance),
            ("LOW_BALANCE", NoBalance),
            ("NO_MONEY", NoBalance),
            ("NO_BALANCE_FORWARD", NoBalanceForward),
            ("NO_NUMBERS", NoNumbers),
            ("BAD_SERVICE", BadService),
            ("WRONG_SERVICE", BadService),
            ("WRONG_EXCEPTION_PHONE", WrongExceptionPhone),
            ("ALREADY_FINISH", AlreadyFinished),
            ("ALREADY_FINISHED", AlreadyFinished),
            ("ALREADY_CANCEL", AlreadyCancelled),
            ("ALREADY_CANCELED", AlreadyCancelled),
            ("ALREADY_CANCELLED", AlreadyCancelled),
            ("INCORECT_STATUS", IncorrectStatus),
            ("INCORRECT_STATUS", IncorrectStatus),
            ("RENT_DIE", RentDie),
            ("CHANNELS_LIMIT", RateLimited),
            ("SERVER_ERROR", ServerError),
            ("STATUS_WAIT_RETRY:X", StatusWaitRetry { code: "X".into() }),
            ("STATUS_WAIT_RESEND", StatusWaitResend),
            ("BAD_COUNTRY", BadCountry),
            ("WRONG_COUNTRY", BadCountry),
            ("BAD_OPERATOR", BadOperator),
            ("WRONG_OPERATOR", BadOperator),
            ("BAD_TIME", BadTime),
            ("INVALID_TIME", BadTime),
            ("INCORRECT_TIME", BadTime),
            ("BAD_RENT_TIME", BadTime),
            ("WRONG_MAX_PRICE:X", WrongMaxPrice { min: "X".into() }),
            ("CANT_CONTINUE", CannotProlong),
            ("CANNOT_CONTINUE", CannotProlong),
            ("CANT_CANCEL", CannotCancel),
            ("CANNOT_CANCEL", CannotCancel),
        ];
        for (tok, want) in cases {
            assert_eq!(ProviderError::from_activate_token(tok), Some(want.clone()), "{tok}");
            let quoted = format!(" \"{}\" ", tok.replace("X", "x").to_ascii_lowercase().replace(":x", ":X"));
            assert_eq!(ProviderError::from_activate_token(&quoted), Some(want), "{quoted}: any case, quoted");
        }
        for unknown in
            ["", "BAD", "BAD_KEYS", "XBAD_KEY", "OK", "ACCESS_NUMBER", ":", "=a", "BAD_KEY=a", "|", "|BAD_KEY"]
        {
            assert_eq!(ProviderError::from_activate_token(unknown), None, "{unknown:?}");
        }
        assert_eq!(
            ProviderError::from_activate_token("BANNED:'2026-01-01 10:00'"),
            Some(Banned { until: "2026-01-01 10:00".into() })
        );
        assert_eq!(ProviderError::from_activate_token("WRONG_MAX_PRICE"), Some(WrongMaxPrice { min: String::new() }));
    }
}
