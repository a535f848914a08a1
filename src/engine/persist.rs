//! How the engine's state lies in the browser's key-value storage, and how it
//! is read back without ever losing it.
//!
//! Layout (schema 2): `schema` = 2, `meta` = failures/errors/balances/learnt zones,
//! one `r:<record key>` per rental (a JSON string), `spend:<account>` while a
//! money-spending call of that account is in flight or unreconciled. A poll
//! writes only the records it changed.
//!
//! A value that cannot be read is never overwritten or dropped: it is copied
//! to `aside:<key>@<unix time>` and reported; the engine starts from what can
//! be recovered. Schema 1 (one `store` string holding everything) is migrated
//! record by record; the old key is removed only when every part of it was read.

use super::store::{Record, Store};
use crate::error::ErrorInfo;
use crate::json::Value;
use crate::read::{from_text, FromJson};
use crate::vecmap::VecMap;
use serde::{Deserialize, Serialize};

pub const SCHEMA: u64 = 2;
pub const KEY_SCHEMA: &str = "schema";
pub const KEY_META: &str = "meta";
pub const LEGACY_STORE: &str = "store";
pub const RECORD_PREFIX: &str = "r:";
pub const SPEND_PREFIX: &str = "spend:";
pub const ASIDE_PREFIX: &str = "aside:";
/// `svc:<account>/<country>`: a [`ServiceList`].
pub const SERVICES_PREFIX: &str = "svc:";

/// Everything but the records.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Meta {
    pub failures: VecMap<String, u32>,
    pub errors: VecMap<String, ErrorInfo>,
    pub balances: VecMap<String, f64>,
    /// Zone offsets learnt from SMS.online rent answers, per account (minutes east of UTC).
    pub learned_tz: VecMap<String, i32>,
}

/// [`Meta`] as it is written: the same fields in the same order, borrowed from the store
/// instead of copied (four maps cloned on every write of the meta record).
#[derive(Serialize)]
struct MetaRef<'a> {
    failures: &'a VecMap<String, u32>,
    errors: &'a VecMap<String, ErrorInfo>,
    balances: &'a VecMap<String, f64>,
    learned_tz: &'a VecMap<String, i32>,
}

/// The services a provider lists for one country (what "add service" offers on that country's
/// rentals), kept across worker wakes so they are not asked for again on every wake.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ServiceList {
    pub account: String,
    pub country: String,
    /// Unix seconds when the provider listed them.
    pub at: i64,
    /// (code, name) pairs, in the provider's order.
    pub list: Vec<(String, String)>,
}

impl ServiceList {
    pub fn key(account: &str, country: &str) -> String {
        format!("{SERVICES_PREFIX}{account}/{country}")
    }
}

/// The storage key of an account's spend journal.
pub fn journal_key(account: &str) -> String {
    format!("{SPEND_PREFIX}{account}")
}

/// A money-spending call that started and whose outcome is not settled yet.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Journal {
    pub account: String,
    /// `create`, `extend` or `restore`.
    pub kind: String,
    /// The record a prolong or restore was for.
    #[serde(default)]
    pub record: Option<String>,
    /// Unix seconds when the call was sent.
    pub at: i64,
}

/// A stored value that could not be read, and where its copy now is.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Problem {
    pub key: String,
    pub aside: String,
    pub detail: String,
}

/// Storage operations to carry out, in this order: `set`, then `remove`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Writes {
    pub set: VecMap<String, String>,
    pub remove: Vec<String>,
}

impl Writes {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.remove.is_empty()
    }
    pub fn bytes(&self) -> usize {
        self.set.iter().map(|(k, v)| k.len() + v.len()).sum()
    }
}

/// What [`load`] recovered.
#[derive(Debug, Default)]
pub struct Loaded {
    pub store: Store,
    pub learned_tz: VecMap<String, i32>,
    pub journals: Vec<Journal>,
    pub services: Vec<ServiceList>,
    pub problems: Vec<Problem>,
    /// Copies of unreadable values, the migration's records, the schema mark.
    pub writes: Writes,
}

/// A record whose numbers JS holds exactly, or why not (it is kept aside then).
fn js_safe(r: Record) -> Result<Record, String> {
    if r.js_safe() {
        Ok(r)
    } else {
        Err("a number beyond 2^53".into())
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => crate::json::text(other),
    }
}

/// Reads the stored entries (key → value as the storage returned it; records are strings).
pub fn load(entries: &crate::json::Map, now: i64) -> Loaded {
    let mut out = Loaded::default();
    let aside = |out: &mut Loaded, key: &str, raw: &Value, detail: String| {
        let to = format!("{ASIDE_PREFIX}{key}@{now}");
        out.writes.set.insert(to.clone(), text_of(raw));
        out.problems.push(Problem { key: key.to_string(), aside: to, detail });
    };
    let schema = entries.get(KEY_SCHEMA).and_then(Value::as_u64);
    if let Some(s) = schema.filter(|s| *s > SCHEMA) {
        out.problems.push(Problem {
            key: KEY_SCHEMA.into(),
            aside: String::new(),
            detail: format!("stored by a newer version (schema {s}); reading what this version understands"),
        });
    }
    let mut meta = Meta::default();
    if let Some(raw) = entries.get(KEY_META) {
        match from_text::<Meta>(&text_of(raw)) {
            Ok(m) => meta = m,
            Err(e) => aside(&mut out, KEY_META, raw, format!("meta: {e}")),
        }
    }
    // schema 1: everything in one string
    if let Some(raw) = entries.get(LEGACY_STORE) {
        let mut complete = true;
        match crate::json::parse(&text_of(raw)) {
            Ok(Value::Object(o)) => {
                if let Some(Value::Object(recs)) = o.get("records") {
                    for (k, v) in recs {
                        match Record::from_json(v).and_then(js_safe) {
                            Ok(r) => {
                                out.store.records.insert(k.clone(), r);
                                out.store.dirty.insert(k.clone());
                            }
                            Err(e) => {
                                complete = false;
                                aside(&mut out, &format!("{LEGACY_STORE}/{k}"), v, format!("record {k}: {e}"));
                            }
                        }
                    }
                } else if o.contains_key("records") {
                    complete = false;
                }
                for (field, slot) in [("failures", 0), ("errors", 1), ("balances", 2)] {
                    let Some(v) = o.get(field) else { continue };
                    let ok = match slot {
                        0 => FromJson::from_json(v).map(|x| meta.failures = x).is_ok(),
                        1 => FromJson::from_json(v).map(|x| meta.errors = x).is_ok(),
                        _ => FromJson::from_json(v).map(|x| meta.balances = x).is_ok(),
                    };
                    complete &= ok;
                }
            }
            Ok(_) => complete = false,
            Err(e) => {
                complete = false;
                aside(&mut out, LEGACY_STORE, raw, format!("{LEGACY_STORE}: {e}"));
            }
        }
        if complete {
            out.writes.remove.push(LEGACY_STORE.into());
        } else if !out.problems.iter().any(|p| p.key == LEGACY_STORE) {
            aside(&mut out, LEGACY_STORE, raw, "the old store was only partly readable".into());
        }
        out.store.meta_dirty = true;
    }
    for (k, raw) in entries {
        if let Some(rk) = k.strip_prefix(RECORD_PREFIX) {
            let parsed = match raw {
                Value::String(s) => from_text::<Record>(s),
                _ => Err("not a string".into()),
            }
            .and_then(js_safe);
            match parsed {
                Ok(r) => {
                    out.store.records.insert(rk.to_string(), r);
                }
                Err(e) => aside(&mut out, k, raw, format!("record {rk}: {e}")),
            }
        } else if k.starts_with(SPEND_PREFIX) {
            match from_text::<Journal>(&text_of(raw)) {
                Ok(j) => out.journals.push(j),
                Err(e) => aside(&mut out, k, raw, format!("spend journal: {e}")),
            }
        } else if k.starts_with(SERVICES_PREFIX) {
            match from_text::<ServiceList>(&text_of(raw)) {
                Ok(s) => out.services.push(s),
                Err(e) => aside(&mut out, k, raw, format!("services: {e}")),
            }
        }
    }
    if schema != Some(SCHEMA) && schema.is_none_or(|s| s < SCHEMA) {
        out.writes.set.insert(KEY_SCHEMA.into(), SCHEMA.to_string());
    }
    out.store.failures = meta.failures;
    out.store.errors = meta.errors;
    out.store.balances = meta.balances;
    out.learned_tz = meta.learned_tz;
    out
}

/// The writes for what changed in `store` since the last call.
pub fn changes(store: &mut Store, learned_tz: &VecMap<String, i32>, meta_dirty: bool) -> Writes {
    let (dirty, removed, store_meta) = store.take_dirty();
    let mut w = Writes::default();
    for k in dirty {
        if let Some(r) = store.records.get(&k) {
            if let Ok(s) = serde_json::to_string(r) {
                w.set.insert(format!("{RECORD_PREFIX}{k}"), s);
            }
        }
    }
    w.remove.extend(removed.into_iter().map(|k| format!("{RECORD_PREFIX}{k}")));
    if store_meta || meta_dirty {
        let m = MetaRef { failures: &store.failures, errors: &store.errors, balances: &store.balances, learned_tz };
        if let Ok(s) = serde_json::to_string(&m) {
            w.set.insert(KEY_META.into(), s);
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_value as json;
    use crate::model::{Kind, Provider, Rental, Sms};

    fn store_with_sms() -> Store {
        let mut s = Store::default();
        let r = Rental::new(Provider::Smspva, Kind::Rent, "1".into(), "79000000001".into());
        let k = s.add_rental("a", r, 100);
        s.records.get_mut(&k).unwrap().sms.push(Sms::new("1", "X".into(), "code 1234".into(), 90));
        s
    }

    fn stored(s: &mut Store) -> crate::json::Map {
        let w = changes(s, &VecMap::new(), true);
        w.set.into_iter().map(|(k, v)| (k, Value::String(v))).collect()
    }

    #[test]
    fn meta_is_written_as_meta_reads_it() {
        let mut s = store_with_sms();
        s.failures.insert("a".into(), 3);
        s.errors.insert("a".into(), crate::error::ProviderError::BadKey.info());
        s.balances.insert("a".into(), 12.5);
        let tz: VecMap<String, i32> = [("a".to_string(), 180)].into();
        let w = changes(&mut s, &tz, true);
        let written = &w.set[KEY_META];
        let m = Meta {
            failures: s.failures.clone(),
            errors: s.errors.clone(),
            balances: s.balances.clone(),
            learned_tz: tz,
        };
        assert_eq!(written, &serde_json::to_string(&m).unwrap());
        assert_eq!(Meta::from_json(&crate::json::parse(written).unwrap()), Ok(m));
    }

    #[test]
    fn round_trip_and_only_changed_records_are_written() {
        let mut s = store_with_sms();
        let mut e = stored(&mut s);
        e.insert(KEY_SCHEMA.into(), json!(2));
        let l = load(&e, 200);
        assert!(l.problems.is_empty());
        assert_eq!(l.store.records, s.records);
        assert!(l.writes.is_empty(), "nothing to migrate: {:?}", l.writes);
        let mut st = l.store;
        assert!(changes(&mut st, &VecMap::new(), false).is_empty(), "loading changes nothing");
        st.mark_seen();
        st.await_code("a/smspva:1", 300);
        let w = changes(&mut st, &VecMap::new(), false);
        assert_eq!(w.set.keys().collect::<Vec<_>>(), vec!["r:a/smspva:1"]);
    }

    #[test]
    fn broken_values_are_kept_aside_never_dropped() {
        let mut s = store_with_sms();
        let mut e = stored(&mut s);
        e.insert(KEY_SCHEMA.into(), json!(2));
        let good = e["r:a/smspva:1"].clone();
        // four broken forms: truncated JSON, wrong type, wrong shape, not a string
        e.insert("r:a/smspva:2".into(), json!("{\"account\":\"a\",\"rental\":{\"id\":"));
        e.insert("r:a/smspva:3".into(), json!("[1,2,3]"));
        e.insert("r:a/smspva:4".into(), json!("{\"account\":5}"));
        e.insert("r:a/smspva:5".into(), json!(42));
        // a number JS cannot hold exactly (the view could not cross to JS with it)
        let mut huge = s.records["a/smspva:1"].clone();
        huge.rental.until = Some(1 << 60);
        e.insert("r:a/smspva:6".into(), json!(serde_json::to_string(&huge).unwrap()));
        e.insert(KEY_META.into(), json!("{not json"));
        // a service list, one readable and one not
        let list = ServiceList {
            account: "a".into(),
            country: "RU".into(),
            at: 400,
            list: vec![("opt16".into(), "IG".into())],
        };
        e.insert(ServiceList::key("a", "RU"), json!(serde_json::to_string(&list).unwrap()));
        e.insert(ServiceList::key("a", "US"), json!("{\"account\":\"a\",\"country\":\"US\",\"at\":\"x\"}"));
        let l = load(&e, 500);
        assert_eq!(l.store.records.len(), 1, "the readable record is recovered");
        assert_eq!(l.services, vec![list]);
        assert_eq!(l.problems.len(), 7);
        assert!(l.problems.iter().any(|p| p.key == "r:a/smspva:6" && p.detail.contains("2^53")), "{:?}", l.problems);
        for p in &l.problems {
            assert_eq!(l.writes.set[&p.aside], super::text_of(&e[&p.key]), "copy of {} kept verbatim", p.key);
            assert!(!l.writes.remove.contains(&p.key), "never removed");
        }
        assert_eq!(e["r:a/smspva:1"], good);
    }

    #[test]
    fn legacy_store_is_migrated_or_kept() {
        let mut s = store_with_sms();
        s.balances.insert("a".into(), 12.5);
        let legacy = serde_json::to_string(&s).unwrap();
        let mut e = crate::json::Map::new();
        e.insert(LEGACY_STORE.to_string(), Value::String(legacy.clone()));
        let mut l = load(&e, 10);
        assert!(l.problems.is_empty());
        assert_eq!(l.writes.remove, vec![LEGACY_STORE.to_string()]);
        assert_eq!(l.store.balances["a"], 12.5);
        let w = changes(&mut l.store, &l.learned_tz, false);
        assert!(
            w.set.contains_key("r:a/smspva:1") && w.set.contains_key(KEY_META),
            "records written under the new layout"
        );
        // a truncated old store is kept where it is and copied aside
        e.insert(LEGACY_STORE.to_string(), Value::String(legacy[..legacy.len() / 2].to_string()));
        let l = load(&e, 11);
        assert!(l.store.records.is_empty());
        assert!(l.writes.remove.is_empty(), "the unreadable store is not removed");
        assert_eq!(l.problems.len(), 1);
        assert_eq!(l.writes.set[&l.problems[0].aside], legacy[..legacy.len() / 2]);
    }

    #[test]
    fn newer_schema_is_reported_and_read_leniently() {
        let mut s = store_with_sms();
        let mut e = stored(&mut s);
        e.insert(KEY_SCHEMA.into(), json!(3));
        let l = load(&e, 1);
        assert_eq!(l.store.records.len(), 1);
        assert_eq!(l.problems.len(), 1);
        assert!(!l.writes.set.contains_key(KEY_SCHEMA), "a newer schema mark is not downgraded");
    }
}
