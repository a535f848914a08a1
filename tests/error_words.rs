//! One table of words for errors: every error code Rust can hand to the extension (each
//! `ProviderError` variant, with and without its optional parameter, and every engine error
//! code) has its message, `err_<CODE>` (or the key `ErrorInfo` names), in every locale's
//! `extension/_locales/<lang>/messages.json` (generated from `scripts/locales.py`), with exactly
//! as many placeholders as Rust gives parameters.

#![cfg(not(target_arch = "wasm32"))]

use otpdock::{Lang, ProviderError};
use serde_json::Value;
use std::collections::BTreeSet;

const LANGS: [(&str, Lang); 5] =
    [("en", Lang::En), ("ru", Lang::Ru), ("uk", Lang::Uk), ("fr", Lang::Fr), ("pt", Lang::Pt)];

fn locale(lang: &str) -> serde_json::Map<String, Value> {
    let p = format!("{}/extension/_locales/{lang}/messages.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&p).expect(&p)).expect(&p)
}

/// Every variant, each parameter given; the match below stops compiling when a variant is
/// added without being listed here.
fn every_provider_error() -> Vec<ProviderError> {
    use ProviderError::*;
    let p = || "p-7".to_string();
    let all = vec![
        BadKey,
        BadAction,
        ErrorSql,
        Banned { until: p() },
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
        WrongMaxPrice { min: p() },
        CannotProlong,
        CannotCancel,
        AlreadyFinished,
        AlreadyCancelled,
        IncorrectStatus,
        RentDie,
        InvalidActivationId,
        RateLimited,
        ServerError,
        NoKey,
        WrongExceptionPhone,
        NoBalanceForward,
        StatusWaitRetry { code: p() },
        StatusWaitResend,
        OrderNotFound,
        IncorrectOrder,
        RestoreNoAvailDays,
        RestoreNotOwner,
        RestoreNoRemoteData,
        RestoreNoOrderCountry,
        RestoreDateDiffInvert,
        RestoreNoServiceData,
        RestoreNoBalance { detail: p() },
        ProviderMessage { msg: p() },
        UnknownCode { code: p() },
        Http { status: 507 },
        HtmlPage { status: 507 },
        MalformedJson { detail: p() },
        Unexpected { snippet: p() },
        Timeout,
        Network { detail: p() },
        InvalidInput { detail: p() },
    ];
    for e in &all {
        match e {
            BadKey
            | BadAction
            | ErrorSql
            | Banned { .. }
            | AccountInactive
            | AccountBlocked
            | NoIdRent
            | InvalidPhone
            | StatusFinish
            | StatusCancel
            | StatusWaitCode
            | StatusRevoke
            | EarlyCancelDenied
            | NoActivation
            | NoActivations
            | BadStatus
            | WrongActivationId
            | NoBalance
            | NoNumbers
            | BadService
            | BadCountry
            | BadOperator
            | BadTime
            | WrongMaxPrice { .. }
            | CannotProlong
            | CannotCancel
            | AlreadyFinished
            | AlreadyCancelled
            | IncorrectStatus
            | RentDie
            | InvalidActivationId
            | RateLimited
            | ServerError
            | NoKey
            | WrongExceptionPhone
            | NoBalanceForward
            | StatusWaitRetry { .. }
            | StatusWaitResend
            | OrderNotFound
            | IncorrectOrder
            | RestoreNoAvailDays
            | RestoreNotOwner
            | RestoreNoRemoteData
            | RestoreNoOrderCountry
            | RestoreDateDiffInvert
            | RestoreNoServiceData
            | RestoreNoBalance { .. }
            | ProviderMessage { .. }
            | UnknownCode { .. }
            | Http { .. }
            | HtmlPage { .. }
            | MalformedJson { .. }
            | Unexpected { .. }
            | Timeout
            | Network { .. }
            | InvalidInput { .. } => {}
        }
    }
    // the same variants with their (optional) text parameter empty
    let empty: Vec<ProviderError> = all
        .iter()
        .filter_map(|e| match e {
            Banned { .. } => Some(Banned { until: String::new() }),
            WrongMaxPrice { .. } => Some(WrongMaxPrice { min: String::new() }),
            StatusWaitRetry { .. } => Some(StatusWaitRetry { code: String::new() }),
            RestoreNoBalance { .. } => Some(RestoreNoBalance { detail: String::new() }),
            _ => None,
        })
        .collect();
    all.into_iter().chain(empty).collect()
}

/// The engine's own error codes, as written in its sources (`engine_error("CODE", …)`).
fn engine_codes() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(d) = dirs.pop() {
        for f in std::fs::read_dir(&d).unwrap() {
            let p = f.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for part in text.split("engine_error(\"").skip(1) {
                    codes.insert(part.split('"').next().unwrap().to_string());
                }
            }
        }
    }
    codes
}

/// The `$P<n>$` placeholders a message uses, and the ones it declares.
fn placeholders(entry: &Value) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let msg = entry["message"].as_str().unwrap_or("");
    let used = (1..=9).filter(|n| msg.contains(&format!("$P{n}$"))).collect();
    let declared = entry
        .get("placeholders")
        .and_then(Value::as_object)
        .map(|o| o.keys().map(|k| k.trim_start_matches('p').parse::<usize>().unwrap()).collect())
        .unwrap_or_default();
    (used, declared)
}

#[test]
fn every_error_code_has_words_in_every_locale() {
    let locales: Vec<_> = LANGS.iter().map(|(l, lang)| (*l, *lang, locale(l))).collect();
    let errors = every_provider_error();
    assert!(errors.len() >= 60, "{}", errors.len());
    let mut keys = BTreeSet::new();
    for e in &errors {
        let info = e.info();
        assert_eq!(info.code, e.code());
        assert!(info.message.is_empty(), "Rust no longer words errors: {info:?}");
        assert!(info.params.iter().all(|p| !p.is_empty()), "{info:?}");
        let key = info.message_key();
        keys.insert(key.clone());
        for (l, lang, table) in &locales {
            let entry = table.get(&key).unwrap_or_else(|| panic!("{l}: no {key} for {e:?}"));
            assert!(entry["message"].as_str().is_some_and(|m| m.trim().len() > 3), "{l}: {key} is empty");
            let (used, declared) = placeholders(entry);
            let want: BTreeSet<usize> = (1..=info.params.len()).collect();
            assert_eq!(used, want, "{l}: {key} must use one placeholder per parameter of {e:?}");
            assert_eq!(declared, want, "{l}: {key} declares other placeholders");
            let words = info.words(*lang);
            assert!(!words.contains("$P"), "{l}: {words}");
            for p in &info.params {
                assert!(words.contains(p.as_str()), "{l}: {key} does not say {p}: {words}");
            }
        }
        // translated, not copied: Russian words differ from the English ones
        assert_ne!(info.words(Lang::En), info.words(Lang::Ru), "{key} is not translated");
    }
    // the optional parameter has a form without it: no dangling ": ." when it is missing
    assert_eq!(ProviderError::Banned { until: String::new() }.message(Lang::En), "The provider blocked this account.");
    assert_eq!(
        ProviderError::Banned { until: "2025-01-01 10-00-00".into() }.message(Lang::En),
        "The provider blocked this account: 2025-01-01 10-00-00."
    );
    assert_eq!(
        ProviderError::Http { status: 503 }.message(Lang::Fr),
        "Le serveur du fournisseur a renvoyé une erreur (HTTP 503)."
    );
    assert_eq!(
        ProviderError::UnknownCode { code: "WHAT".into() }.message(Lang::Uk),
        "Невідома відповідь провайдера: WHAT"
    );

    let engine = engine_codes();
    for must in ["BUSY", "NOT_CHARGED", "OUTCOME_UNKNOWN", "OUTCOME_PENDING", "NO_ACCOUNT", "BAD_REQUEST"] {
        assert!(engine.contains(must), "engine codes not found in the sources: {engine:?}");
    }
    for code in &engine {
        let info = otpdock::engine::engine_error(code, false);
        assert!(info.params.is_empty());
        let key = info.message_key();
        for (l, _, table) in &locales {
            let entry = table.get(&key).unwrap_or_else(|| panic!("{l}: no {key} for the engine's {code}"));
            assert!(entry["message"].as_str().is_some_and(|m| m.trim().len() > 3), "{l}: {key} is empty");
            assert_eq!(placeholders(entry), Default::default(), "{l}: {key} takes no parameter");
        }
    }
}

#[test]
fn errors_stored_with_words_by_older_versions_still_read() {
    // schema-2 stores kept `{code, message, outcome_unknown}`; the words are shown as they were
    let old: otpdock::error::ErrorInfo =
        serde_json::from_str(r#"{"code":"BAD_KEY","message":"API-ключ отклонён.","outcome_unknown":false}"#).unwrap();
    assert_eq!(old.words(Lang::En), "API-ключ отклонён.");
    assert_eq!(old.message_key(), "err_BAD_KEY");
    // new ones carry the code and parameters only
    let new = serde_json::to_value(ProviderError::Http { status: 500 }.info()).unwrap();
    assert_eq!(new["params"], serde_json::json!(["500"]));
    assert!(new.get("message").is_none() && new.get("key").is_none(), "{new}");
    let plain = serde_json::to_value(ProviderError::WrongMaxPrice { min: String::new() }.info()).unwrap();
    assert_eq!(plain["key"], "err_WRONG_MAX_PRICE_PLAIN");
    assert!(plain.get("params").is_none(), "{plain}");
}
