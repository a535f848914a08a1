//! Typed reads of stored and received JSON from a [`Value`], written by hand.
//!
//! Each derived `Deserialize` is compiled, per deserializer, into its own visitor, field
//! matcher and `Value` walk: for the engine's records, metadata, journals, errors, accounts
//! and the content script's form fields that came to some 55 KB of wasm. These readers follow
//! the derived rules exactly where stored data can differ: a missing member takes its default
//! (or the struct's default where the struct says `#[serde(default)]`), a missing `Option` is
//! `None`, `null` is `None` for an `Option` only, unknown members are ignored, a member of the
//! wrong type or out of range refuses the whole value (so the caller keeps it aside, never
//! half-reads it). One difference on purpose: a struct is read from an object only, never from
//! an array of its members in order (serde's sequence form, which nothing here writes).
//!
//! The native tests compare every reader with the derived `Deserialize` on valid values and
//! on each of their members removed, nulled or replaced by every other JSON type.

use crate::api::Account;
use crate::engine::persist::{Journal, Meta, ServiceList};
use crate::engine::store::Record;
use crate::error::ErrorInfo;
use crate::fill::Field;
use crate::json::{Map, Value};
use crate::model::{Kind, Provider, Rental, Sms, State};
use crate::vecmap::VecMap;

/// Why a value was refused: which member, and what was wrong with it.
pub type ReadResult<T> = Result<T, String>;

/// A value read from JSON by hand (see the module's rules).
pub trait FromJson: Sized {
    fn from_json(v: &Value) -> ReadResult<Self>;
    /// What the value is when its member is absent (`None` for options; an error otherwise).
    fn missing(name: &str) -> ReadResult<Self> {
        Err(format!("missing field `{name}`"))
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a floating point number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong<T>(v: &Value, expected: &str) -> ReadResult<T> {
    Err(format!("expected {expected}, found {}", kind_of(v)))
}

impl FromJson for String {
    fn from_json(v: &Value) -> ReadResult<Self> {
        match v {
            Value::String(s) => Ok(s.clone()),
            _ => wrong(v, "a string"),
        }
    }
}

impl FromJson for bool {
    fn from_json(v: &Value) -> ReadResult<Self> {
        v.as_bool().map_or_else(|| wrong(v, "a boolean"), Ok)
    }
}

impl FromJson for f64 {
    fn from_json(v: &Value) -> ReadResult<Self> {
        v.as_f64().map_or_else(|| wrong(v, "a number"), Ok)
    }
}

/// Integers: a JSON integer within the type's range (a fraction is never an integer).
macro_rules! int {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(v: &Value) -> ReadResult<Self> {
                let Value::Number(n) = v else { return wrong(v, "an integer") };
                let fits = match (n.as_i64(), n.as_u64()) {
                    (Some(i), _) => <$t>::try_from(i).ok(),
                    (None, Some(u)) => <$t>::try_from(u).ok(),
                    (None, None) => return wrong(v, "an integer"),
                };
                fits.ok_or_else(|| format!("integer {n} out of range"))
            }
        }
    )*};
}
int!(i64, i32, u32, usize);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Value) -> ReadResult<Self> {
        match v {
            Value::Null => Ok(None),
            v => T::from_json(v).map(Some),
        }
    }
    fn missing(_: &str) -> ReadResult<Self> {
        Ok(None)
    }
}

/// A pair, as serde reads a tuple: an array of exactly two.
impl FromJson for (String, String) {
    fn from_json(v: &Value) -> ReadResult<Self> {
        match v.as_array().map(Vec::as_slice) {
            Some([a, b]) => Ok((String::from_json(a)?, String::from_json(b)?)),
            _ => wrong(v, "a pair of strings"),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value) -> ReadResult<Self> {
        let Value::Array(a) = v else { return wrong(v, "an array") };
        let mut out = Vec::with_capacity(a.len());
        for (i, x) in a.iter().enumerate() {
            out.push(T::from_json(x).map_err(|e| format!("[{i}]: {e}"))?);
        }
        Ok(out)
    }
}

impl<T: FromJson> FromJson for VecMap<String, T> {
    fn from_json(v: &Value) -> ReadResult<Self> {
        let Value::Object(o) = v else { return wrong(v, "an object") };
        let mut out = VecMap::new();
        for (k, x) in o {
            out.insert(k.clone(), T::from_json(x).map_err(|e| format!("{k}: {e}"))?);
        }
        Ok(out)
    }
}

/// The members of an object being read.
struct Members<'a>(&'a Map);

impl<'a> Members<'a> {
    fn of(v: &'a Value) -> ReadResult<Self> {
        match v {
            Value::Object(o) => Ok(Members(o)),
            _ => wrong(v, "an object"),
        }
    }
    /// A member without a default (an `Option` reads as `None` when absent).
    fn need<T: FromJson>(&self, name: &str) -> ReadResult<T> {
        match self.0.get(name) {
            Some(x) => T::from_json(x).map_err(|e| format!("{name}: {e}")),
            None => T::missing(name),
        }
    }
    /// A member with a default: `slot` keeps it when the member is absent.
    fn set<T: FromJson>(&self, name: &str, slot: &mut T) -> ReadResult<()> {
        if let Some(x) = self.0.get(name) {
            *slot = T::from_json(x).map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(())
    }
}

/// Unit enums written as their serde names.
macro_rules! names {
    ($t:ty { $($name:literal => $v:expr),* $(,)? }) => {
        impl FromJson for $t {
            fn from_json(v: &Value) -> ReadResult<Self> {
                // serde also reads a unit variant as `{"<name>": null}`
                let name = match v {
                    Value::Object(o) if o.len() == 1 && o.values().all(Value::is_null) => o.keys().next().map(String::as_str),
                    _ => v.as_str(),
                };
                match name {
                    $(Some($name) => Ok($v),)*
                    Some(other) => Err(format!("unknown variant `{other}`")),
                    None => wrong(v, "a string"),
                }
            }
        }
    };
}
names!(Provider { "smsonline" => Provider::Smsonline, "smspva" => Provider::Smspva });
names!(Kind { "rent" => Kind::Rent, "activation" => Kind::Activation });
names!(State {
    "waiting" => State::Waiting,
    "received" => State::Received,
    "needs_activation" => State::NeedsActivation,
    "activating" => State::Activating,
    "waiting_retry" => State::WaitingRetry,
    "finished" => State::Finished,
    "cancelled" => State::Cancelled,
    "revoked" => State::Revoked,
    "expired" => State::Expired,
});

impl FromJson for Sms {
    fn from_json(v: &Value) -> ReadResult<Self> {
        let m = Members::of(v)?;
        let mut sms = Sms {
            key: m.need("key")?,
            from: m.need("from")?,
            text: m.need("text")?,
            date: m.need("date")?,
            code: m.need("code")?,
            other: false,
        };
        m.set("other", &mut sms.other)?;
        Ok(sms)
    }
}

impl FromJson for Rental {
    /// Every member has the default of `Rental::default()` (`#[serde(default)]` on the struct).
    fn from_json(v: &Value) -> ReadResult<Self> {
        let m = Members::of(v)?;
        let mut r = Rental::default();
        m.set("provider", &mut r.provider)?;
        m.set("kind", &mut r.kind)?;
        m.set("id", &mut r.id)?;
        m.set("number", &mut r.number)?;
        m.set("dial_code", &mut r.dial_code)?;
        m.set("service", &mut r.service)?;
        m.set("service_name", &mut r.service_name)?;
        m.set("country", &mut r.country)?;
        m.set("state", &mut r.state)?;
        m.set("until", &mut r.until)?;
        m.set("can_prolong", &mut r.can_prolong)?;
        m.set("prolong_max_days", &mut r.prolong_max_days)?;
        m.set("prolong_until", &mut r.prolong_until)?;
        m.set("has_new_sms", &mut r.has_new_sms)?;
        m.set("created", &mut r.created)?;
        m.set("cost", &mut r.cost)?;
        m.set("can_get_another_sms", &mut r.can_get_another_sms)?;
        m.set("until_naive", &mut r.until_naive)?;
        Ok(r)
    }
}

impl FromJson for Record {
    fn from_json(v: &Value) -> ReadResult<Self> {
        let m = Members::of(v)?;
        let mut r = Record { account: m.need("account")?, rental: m.need("rental")?, ..Record::default() };
        m.set("sms", &mut r.sms)?;
        m.set("awaiting_until", &mut r.awaiting_until)?;
        m.set("unseen", &mut r.unseen)?;
        m.set("tab_id", &mut r.tab_id)?;
        m.set("tab_host", &mut r.tab_host)?;
        m.set("last_seen", &mut r.last_seen)?;
        m.set("spend_unknown", &mut r.spend_unknown)?;
        Ok(r)
    }
}

impl FromJson for ErrorInfo {
    fn from_json(v: &Value) -> ReadResult<Self> {
        let m = Members::of(v)?;
        let mut e = ErrorInfo {
            code: m.need("code")?,
            key: String::new(),
            params: Vec::new(),
            message: String::new(),
            outcome_unknown: false,
            closes_rental: false,
            rate_limited: false,
        };
        m.set("key", &mut e.key)?;
        m.set("params", &mut e.params)?;
        m.set("message", &mut e.message)?;
        m.set("outcome_unknown", &mut e.outcome_unknown)?;
        m.set("closes_rental", &mut e.closes_rental)?;
        m.set("rate_limited", &mut e.rate_limited)?;
        Ok(e)
    }
}

impl FromJson for Meta {
    /// Every member has the default of `Meta::default()` (`#[serde(default)]` on the struct).
    fn from_json(v: &Value) -> ReadResult<Self> {
        let m = Members::of(v)?;
        let mut meta = Meta::default();
        m.set("failures", &mut meta.failures)?;
        m.set("errors", &mut meta.errors)?;
        m.set("balances", &mut meta.balances)?;
        m.set("learned_tz", &mut meta.learned_tz)?;
        Ok(meta)
    }
}

impl FromJson for Journal {
    fn from_json(v: &Value) -> ReadResult<Self> {
        let m = Members::of(v)?;
        Ok(Journal { account: m.need("account")?, kind: m.need("kind")?, record: m.need("record")?, at: m.need("at")? })
    }
}

impl FromJson for ServiceList {
    fn from_json(v: &Value) -> ReadResult<Self> {
        let m = Members::of(v)?;
        Ok(ServiceList {
            account: m.need("account")?,
            country: m.need("country")?,
            at: m.need("at")?,
            list: m.need("list")?,
        })
    }
}

impl FromJson for Account {
    fn from_json(v: &Value) -> ReadResult<Self> {
        let m = Members::of(v)?;
        Ok(Account {
            id: m.need("id")?,
            provider: m.need("provider")?,
            key: m.need("key")?,
            base: m.need("base")?,
            tz_offset_min: m.need("tz_offset_min")?,
            learned_tz_offset_min: m.need("learned_tz_offset_min")?,
        })
    }
}

impl FromJson for Field {
    /// A form control as the content script describes it; every member has the default of
    /// `Field::default()` (`#[serde(default)]` on the struct).
    fn from_json(v: &Value) -> ReadResult<Self> {
        let m = Members::of(v)?;
        let mut f = Field::default();
        m.set("idx", &mut f.idx)?;
        m.set("tag", &mut f.tag)?;
        m.set("type", &mut f.ty)?;
        m.set("name", &mut f.name)?;
        m.set("id", &mut f.id)?;
        m.set("cls", &mut f.cls)?;
        m.set("placeholder", &mut f.placeholder)?;
        m.set("aria", &mut f.aria)?;
        m.set("label", &mut f.label)?;
        m.set("autocomplete", &mut f.autocomplete)?;
        m.set("inputmode", &mut f.inputmode)?;
        m.set("pattern", &mut f.pattern)?;
        m.set("maxlength", &mut f.maxlength)?;
        m.set("minlength", &mut f.minlength)?;
        m.set("size", &mut f.size)?;
        m.set("x", &mut f.x)?;
        m.set("y", &mut f.y)?;
        m.set("w", &mut f.w)?;
        m.set("h", &mut f.h)?;
        m.set("visible", &mut f.visible)?;
        m.set("disabled", &mut f.disabled)?;
        m.set("readonly", &mut f.readonly)?;
        m.set("has_value", &mut f.has_value)?;
        m.set("focused", &mut f.focused)?;
        m.set("text", &mut f.text)?;
        m.set("before", &mut f.before)?;
        m.set("data", &mut f.data)?;
        m.set("group", &mut f.group)?;
        m.set("prefix", &mut f.prefix)?;
        m.set("options", &mut f.options)?;
        m.set("frame", &mut f.frame)?;
        Ok(f)
    }
}

/// Parses JSON text, then reads `T` from the tree.
pub fn from_text<T: FromJson>(s: &str) -> ReadResult<T> {
    let v: Value = crate::json::parse(s).map_err(|e| e.to_string())?;
    T::from_json(&v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_value as json;
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    /// Every value that stands in for a member: each JSON type, an integer too large for i64,
    /// a negative one, a fraction, enum names right and wrong.
    fn replacements() -> Vec<Value> {
        vec![
            Value::Null,
            json!(true),
            json!(0),
            json!(-7),
            json!(4_000_000_000u64),
            json!(u64::MAX),
            json!(5.5),
            json!(""),
            json!("x"),
            json!("smspva"),
            json!("activation"),
            json!("needs_activation"),
            json!({"received": null}),
            json!({"smspva": null}),
            json!({"activation": null}),
            json!({"smspva": 1}),
            json!([]),
            json!(["a"]),
            json!({}),
            json!({"a": 1}),
        ]
    }

    /// Ours agrees with the derived `Deserialize` on `v`: both refuse it, or both read the same.
    /// The one difference allowed: serde also reads a struct from an array of its members in
    /// order, which these readers refuse.
    fn agree<T: FromJson + DeserializeOwned + Serialize>(v: &Value) {
        let derived = serde_json::from_value::<T>(v.clone().into()).ok().map(|x| serde_json::to_value(x).unwrap());
        let ours = T::from_json(v).map(|x| serde_json::to_value(x).unwrap());
        if let (Some(_), Err(e)) = (&derived, &ours) {
            if e.ends_with("expected an object, found an array") {
                return;
            }
        }
        assert_eq!(ours.ok(), derived, "reading {v}");
    }

    /// `v` as it is, then each member (also nested ones, one level into objects and
    /// into the first element of arrays) removed and replaced by every other value.
    fn attack<T: FromJson + DeserializeOwned + Serialize>(v: &Value) -> usize {
        let mut n = 0;
        let mut check = |x: &Value| {
            agree::<T>(x);
            n += 1;
        };
        check(v);
        let Value::Object(top) = v else { panic!("an object") };
        for (k, inner) in top {
            let mut gone = top.clone();
            gone.remove(k);
            check(&Value::Object(gone));
            for r in replacements() {
                let mut o = top.clone();
                o.insert(k.clone(), r);
                check(&Value::Object(o));
            }
            let nested = match inner {
                Value::Object(o) => Some((o.clone(), None)),
                Value::Array(a) => a.first().and_then(Value::as_object).map(|o| (o.clone(), Some(a.clone()))),
                _ => None,
            };
            if let Some((o, arr)) = nested {
                let put = |member: Value| {
                    let mut top2 = top.clone();
                    let wrapped = match &arr {
                        None => member,
                        Some(a) => {
                            let mut a = a.clone();
                            a[0] = member;
                            Value::Array(a)
                        }
                    };
                    top2.insert(k.clone(), wrapped);
                    Value::Object(top2)
                };
                for ik in o.keys() {
                    let mut gone = o.clone();
                    gone.remove(ik);
                    check(&put(Value::Object(gone)));
                    for r in replacements() {
                        let mut o2 = o.clone();
                        o2.insert(ik.clone(), r);
                        check(&put(Value::Object(o2)));
                    }
                }
            }
        }
        for odd in [Value::Null, json!(1), json!("s"), json!([])] {
            check(&odd);
        }
        n
    }

    fn record() -> Value {
        json!({
            "account": "acc-1",
            "rental": {"provider": "smspva", "kind": "rent", "id": "77", "number": "79096037108",
                "dial_code": "+7", "service": "opt16", "service_name": "WhatsApp", "country": "RU",
                "state": "received", "until": 1_800_000_000, "can_prolong": true, "prolong_max_days": 30,
                "prolong_until": null, "has_new_sms": true, "created": 1_700_000_000, "cost": 12.5,
                "can_get_another_sms": false, "until_naive": -3600, "extra": [1]},
            "sms": [{"key": "k1", "from": "WA", "text": "code 123456", "date": 1_700_000_100, "code": "123456", "other": false},
                    {"key": "k2", "from": "X", "text": "", "date": 1, "code": null}],
            "awaiting_until": 1_700_000_500,
            "unseen": ["k1"],
            "tab_id": 4,
            "tab_host": "example.com",
            "last_seen": 1_700_000_200,
            "spend_unknown": null,
            "future": {"kept": "ignored"}
        })
    }

    #[test]
    fn records_read_as_the_derived_deserializer_reads_them() {
        let n = attack::<Record>(&record());
        // the rental alone, with the struct's defaults for what is missing
        let m = attack::<Rental>(&record()["rental"]);
        let s = attack::<Sms>(&record()["sms"][0]);
        assert!(n + m + s > 1000, "{n} + {m} + {s} cases");
        let min = Record::from_json(&json!({"account": "a", "rental": {}})).unwrap();
        assert_eq!(min.rental, Rental::default());
        assert!(Record::from_json(&json!({"rental": {}})).unwrap_err().contains("account"));
        let e = Record::from_json(&json!({"account": "a", "rental": {"until": 1.5}})).unwrap_err();
        assert_eq!(e, "rental: until: expected an integer, found a floating point number");
    }

    #[test]
    fn meta_journals_errors_accounts_and_fields_read_as_derived() {
        let meta = json!({
            "failures": {"a": 2, "b": 0},
            "errors": {"a": {"code": "BAD_KEY", "key": "k", "params": ["x"], "message": "m",
                "outcome_unknown": true, "closes_rental": false, "rate_limited": true, "more": 1}},
            "balances": {"a": 12.25, "b": 3},
            "learned_tz": {"a": 180, "b": -300}
        });
        attack::<Meta>(&meta);
        attack::<ErrorInfo>(&meta["errors"]["a"]);
        attack::<Journal>(&json!({"account": "a", "kind": "create", "record": "a/smspva:1", "at": 1_700_000_000}));
        attack::<ServiceList>(
            &json!({"account": "a", "country": "RU", "at": 1_700_000_000, "list": [["opt16", "Instagram"], ["opt6", "Facebook"]]}),
        );
        attack::<Account>(&json!({"id": "a", "provider": "smsonline", "key": "k", "base": "http://x",
            "tz_offset_min": 180, "learned_tz_offset_min": null}));
        // a form control as the content script describes it
        attack::<Field>(&json!({"idx": 3, "tag": "input", "type": "tel", "name": "n", "maxlength": 6, "minlength": -1,
            "x": 1.5, "y": 2, "visible": true, "options": [["7", "Russia"], ["1", "USA"]], "frame": 12}));
        agree::<Field>(&json!({"options": [["a", "b", "c"]]}));
        agree::<Field>(&json!({"idx": -1}));
        // range: u32 failures, i32 zones
        agree::<Meta>(&json!({"failures": {"a": -1}}));
        agree::<Meta>(&json!({"learned_tz": {"a": 3_000_000_000u64}}));
        agree::<Meta>(&json!({"balances": {"a": null}}));
    }

    #[test]
    fn text_that_is_not_json_is_refused_with_the_parser_words() {
        assert!(from_text::<Journal>("{not json").unwrap_err().contains("key must be a string"));
        assert!(from_text::<Record>("[1,2,3]").unwrap_err().contains("expected an object"));
    }
}
