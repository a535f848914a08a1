//! The rentals store, kept pure: merging provider answers into the state
//! without losing or duplicating SMS, in time linear in the answer, with the
//! set of records each change touched (so persistence writes only those).

use crate::model::{Activation, Kind, ListedRent, Provider, RentSnapshot, Rental, Sms, State};
use crate::vecmap::{VecMap, VecSet};
use serde::{Deserialize, Serialize};

/// Fast polling while a code is awaited, normal polling otherwise (seconds).
pub const FAST_POLL_S: u32 = 3;
pub const SLOW_POLL_S: u32 = 30;
/// How long after renting / asking for a code we keep polling fast.
pub const AWAIT_WINDOW_S: i64 = 20 * 60;
/// A code older than this is never auto-filled.
pub const CODE_FRESH_S: i64 = 10 * 60;
/// SMS whose text is kept per rental; older ones keep their code, date and sender, not their text.
pub const MAX_SMS_TEXTS: usize = 200;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Record {
    pub account: String,
    pub rental: Rental,
    /// Newest first, unique by `Sms::key`.
    #[serde(default)]
    pub sms: Vec<Sms>,
    /// Unix seconds until which the user waits for a code on this rental.
    #[serde(default)]
    pub awaiting_until: i64,
    /// SMS keys the user has not seen yet (badge count).
    #[serde(default)]
    pub unseen: Vec<String>,
    /// Tab the user bound this rental to (where its number was filled).
    #[serde(default)]
    pub tab_id: Option<i64>,
    #[serde(default)]
    pub tab_host: Option<String>,
    /// When this rental last changed in a provider's list (for a closed one: when it closed).
    #[serde(default)]
    pub last_seen: i64,
    /// A money-spending call on this rental whose outcome could not be proven (unix seconds):
    /// no second spend on it until the user has checked.
    #[serde(default)]
    pub spend_unknown: Option<i64>,
}

impl Record {
    /// Every whole number in it is one JS holds exactly (see `http::js_safe`). What providers
    /// answer is held to that when read; a stored record beyond it was edited by hand or broken.
    pub fn js_safe(&self) -> bool {
        let r = &self.rental;
        let opt =
            [r.until, r.prolong_max_days, r.prolong_until, r.created, r.until_naive, self.tab_id, self.spend_unknown];
        opt.into_iter()
            .flatten()
            .chain([self.awaiting_until, self.last_seen])
            .chain(self.sms.iter().map(|m| m.date))
            .all(crate::http::js_safe)
    }

    /// The newest fresh code of this rental's own SMS (not another service's): the latest date,
    /// and among SMS of the same second the one that arrived last (the history keeps arrival
    /// order within a second, so that is the last of them).
    pub fn latest_fresh_code(&self, now: i64) -> Option<&Sms> {
        self.sms.iter().filter(|m| !m.other && m.code.is_some() && now - m.date <= CODE_FRESH_S).fold(
            None,
            |best: Option<&Sms>, m| match best {
                Some(b) if b.date > m.date => Some(b),
                _ => Some(m),
            },
        )
    }

    /// The user waits for a code on this rental now (fast polling asks about it).
    /// Whatever its state: a rental that already received a code still awaits the next one
    /// after the user bound it to a tab or asked for another SMS.
    pub fn awaits_code(&self, now: i64) -> bool {
        self.awaiting_until > now && self.rental.state.is_open() && self.rental.state != State::NeedsActivation
    }
}

/// An open rental of one account, as the poller needs it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PollTarget {
    pub id: String,
    pub kind: Kind,
    pub awaited: bool,
}

impl Default for Rental {
    fn default() -> Self {
        Rental::new(Provider::Smsonline, Kind::Rent, String::new(), String::new())
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Store {
    /// Keyed by `account/provider:id`.
    #[serde(default)]
    pub records: VecMap<String, Record>,
    /// Consecutive failures per account (for back-off).
    #[serde(default)]
    pub failures: VecMap<String, u32>,
    /// Last error per account, shown in the popup.
    #[serde(default)]
    pub errors: VecMap<String, crate::error::ErrorInfo>,
    #[serde(default)]
    pub balances: VecMap<String, f64>,
    /// Records changed since the last [`Store::take_dirty`] (not stored).
    #[serde(skip)]
    pub dirty: VecSet<String>,
    /// Records forgotten since the last [`Store::take_dirty`] (not stored).
    #[serde(skip)]
    pub removed: VecSet<String>,
    /// Failures, errors or balances changed (not stored).
    #[serde(skip)]
    pub meta_dirty: bool,
}

/// Something the UI must announce: a new SMS on a rental.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct NewSms {
    pub record: String,
    pub number: String,
    pub service: String,
    pub sms: Sms,
}

pub fn record_key(account: &str, r: &Rental) -> String {
    format!("{account}/{}", r.uid())
}

impl Store {
    fn upsert(&mut self, account: &str, incoming: Rental, now: i64) -> String {
        let key = record_key(account, &incoming);
        let known = self.records.contains_key(&key);
        // a rental found in a list is not awaited: only the user's own acts (rent, bind, another SMS) are
        let rec = self.records.entry_or_insert_with(key.clone(), || Record {
            account: account.to_string(),
            rental: incoming.clone(),
            ..Default::default()
        });
        let old = rec.rental.clone();
        let mut r = incoming;
        // keep what this answer does not carry
        if r.service.is_empty() {
            r.service = old.service.clone();
        }
        r.service_name = r.service_name.or(old.service_name);
        r.country = r.country.or(old.country);
        r.dial_code = r.dial_code.or(old.dial_code);
        r.until = r.until.or(old.until);
        // the first creation time known stays (a later list may date it by the provider's clock,
        // which can be ahead of ours); a time in the future is read as now
        r.created = if known { old.created } else { None }.or(r.created.map(|c| c.min(now))).or(Some(now));
        r.cost = r.cost.or(old.cost);
        if r.number.is_empty() {
            r.number = old.number;
        }
        // a list says "active" where we know SMS arrived
        if r.state == State::Waiting && !rec.sms.is_empty() {
            r.state = State::Received;
        }
        // listing an unchanged rental again is not worth a write
        let changed = rec.rental != r || rec.last_seen == 0;
        rec.rental = r;
        if changed {
            rec.last_seen = now;
            self.dirty.insert(key.clone());
        }
        key
    }

    /// The record keys changed and removed since the last call, and whether the meta changed.
    pub fn take_dirty(&mut self) -> (VecSet<String>, VecSet<String>, bool) {
        (std::mem::take(&mut self.dirty), std::mem::take(&mut self.removed), std::mem::take(&mut self.meta_dirty))
    }

    /// Marks a record changed (callers that edit `records` directly).
    pub fn touch(&mut self, key: &str) {
        if self.records.contains_key(key) {
            self.dirty.insert(key.to_string());
        }
    }

    /// Adds SMS to a record, returning the ones that were not there before and are recent.
    /// Older ones (a first sync of an account, a provider's late delivery) are kept in the
    /// history but neither announced, counted as unseen, nor auto-filled.
    fn add_sms(&mut self, key: &str, incoming: Vec<Sms>, now: i64) -> Vec<NewSms> {
        let Some(rec) = self.records.get_mut(key) else { return vec![] };
        let mut fresh = Vec::new();
        let mut added = false;
        let mut known: VecSet<String> = rec.sms.iter().map(|m| m.key.clone()).collect();
        for m in incoming {
            if !known.insert(m.key.clone()) {
                continue;
            }
            added = true;
            if now - m.date <= CODE_FRESH_S {
                rec.unseen.push(m.key.clone());
                fresh.push(NewSms {
                    record: key.to_string(),
                    number: rec.rental.number.clone(),
                    service: rec.rental.service_name.clone().unwrap_or(rec.rental.service.clone()),
                    sms: m.clone(),
                });
            }
            rec.sms.push(m);
        }
        if added {
            crate::sort::sort_by_key(&mut rec.sms, |m| std::cmp::Reverse(m.date));
            if rec.rental.state == State::Waiting || rec.rental.state == State::WaitingRetry {
                rec.rental.state = State::Received;
            }
            // a code for this rental ends the wait for it (the next binding or "another SMS" starts a new one)
            if fresh.iter().any(|f| f.sms.code.is_some() && !f.sms.other) {
                rec.awaiting_until = rec.awaiting_until.min(now);
            }
            // bounded history: the oldest texts go first, their codes stay
            for m in rec.sms.iter_mut().skip(MAX_SMS_TEXTS) {
                if !m.text.is_empty() {
                    m.text.clear();
                }
            }
            self.dirty.insert(key.to_string());
        }
        // oldest announced first
        crate::sort::sort_by_key(&mut fresh, |a| a.sms.date);
        fresh
    }

    /// Records of `account` of `provider`/`kind` that a complete list no longer contains are closed, never dropped.
    fn close_missing(&mut self, account: &str, provider: Provider, kind: Kind, present: &[String], now: i64) {
        let present: VecSet<&str> = present.iter().map(String::as_str).collect();
        for (k, rec) in self.records.iter_mut() {
            if rec.account == account
                && rec.rental.provider == provider
                && rec.rental.kind == kind
                && rec.rental.state.is_open()
                && !present.contains(k.as_str())
            {
                self.dirty.insert(k.clone());
                // closed now: kept for a while from this moment (see `prune`)
                rec.last_seen = now;
                rec.rental.state = match rec.rental.until {
                    Some(u) if u <= now => State::Expired,
                    _ if kind == Kind::Activation && rec.sms.is_empty() => State::Cancelled,
                    _ => State::Finished,
                };
            }
        }
    }

    pub fn ok(&mut self, account: &str) {
        if self.failures.remove(account).is_some() | self.errors.remove(account).is_some() {
            self.meta_dirty = true;
        }
    }

    pub fn fail(&mut self, account: &str, info: crate::error::ErrorInfo) {
        *self.failures.entry_or_insert_with(account.to_string(), || 0) += 1;
        self.errors.insert(account.to_string(), info);
        self.meta_dirty = true;
    }

    pub fn set_balance(&mut self, account: &str, b: f64) {
        if self.balances.insert(account.to_string(), b) != Some(b) {
            self.meta_dirty = true;
        }
    }

    /// Forgets an account's records (the account was removed).
    pub fn remove_account(&mut self, account: &str) {
        let gone: Vec<String> =
            self.records.iter().filter(|(_, r)| r.account == account).map(|(k, _)| k.clone()).collect();
        for k in gone {
            self.records.remove(&k);
            self.dirty.remove(&k);
            self.removed.insert(k);
        }
        self.failures.remove(account);
        self.errors.remove(account);
        self.balances.remove(account);
        self.meta_dirty = true;
    }

    /// SMS.online `getRentList`: the complete set of open rents.
    pub fn ingest_rent_list(&mut self, account: &str, list: &[ListedRent], now: i64) {
        let mut present = vec![];
        for it in list {
            let key = format!("{account}/smsonline:{}", it.id);
            let mut r = match self.records.get(&key) {
                Some(rec) => rec.rental.clone(),
                None => Rental::new(Provider::Smsonline, Kind::Rent, it.id.clone(), it.phone.clone()),
            };
            if !r.state.is_open() {
                r.state = State::Waiting;
            }
            r.can_prolong = true;
            if it.price.is_some() {
                r.cost = it.price;
            }
            present.push(self.upsert(account, r, now));
        }
        self.close_missing(account, Provider::Smsonline, Kind::Rent, &present, now);
        self.ok(account);
    }

    /// SMS.online `getRentStatus` of one rent.
    pub fn ingest_rent_status(&mut self, account: &str, id: &str, st: RentSnapshot, now: i64) -> Vec<NewSms> {
        let key = format!("{account}/smsonline:{id}");
        if !self.records.contains_key(&key) {
            let r = Rental::new(Provider::Smsonline, Kind::Rent, id.to_string(), String::new());
            self.upsert(account, r, now);
        }
        let fresh = self.add_sms(&key, st.sms, now);
        if let Some(rec) = self.records.get_mut(&key) {
            let state = match st.state {
                State::Waiting if !rec.sms.is_empty() => State::Received,
                s => s,
            };
            if rec.rental.state != state {
                rec.rental.state = state;
                rec.last_seen = now;
                self.dirty.insert(key.clone());
            }
        }
        self.ok(account);
        fresh
    }

    /// SMS.online `getActiveActivations`: complete set of open activations with their codes.
    pub fn ingest_activations(&mut self, account: &str, list: Vec<Activation>, now: i64) -> Vec<NewSms> {
        let mut present = vec![];
        let mut fresh = vec![];
        for a in list {
            let id = a.rental.id.clone();
            let key = self.upsert(account, a.rental, now);
            present.push(key.clone());
            let mut msgs = vec![];
            // One SMS per provider code; the text (when given) belongs to the newest code.
            let n = a.codes.len();
            for (i, code) in a.codes.iter().enumerate() {
                let text = if i + 1 == n {
                    a.text.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| code.clone())
                } else {
                    code.clone()
                };
                let date = now;
                let mut m = Sms::new(&id, String::new(), text, date);
                // identity independent of when we first saw it
                m.key = crate::model::fnv64(&[&id, "code", &i.to_string(), code]);
                // the provider's own extraction wins; ours stands in when it sent none
                if !code.is_empty() {
                    m.code = Some(code.clone());
                }
                msgs.push(m);
            }
            fresh.extend(self.add_sms(&key, msgs, now));
        }
        self.close_missing(account, Provider::Smsonline, Kind::Activation, &present, now);
        self.ok(account);
        fresh
    }

    /// SMSPVA `orders`: the complete set of rentals. Returns ids whose SMS should be fetched.
    pub fn ingest_orders(&mut self, account: &str, orders: Vec<Rental>, now: i64) -> Vec<String> {
        let mut present = vec![];
        let mut fetch = vec![];
        for mut o in orders {
            let id = o.id.clone();
            let needs = o.has_new_sms;
            // a passing flag, not state: keeping it would rewrite every record when it clears
            o.has_new_sms = false;
            let key = self.upsert(account, o, now);
            if needs || self.records.get(&key).map(|r| r.awaits_code(now)).unwrap_or(false) {
                fetch.push(id);
            }
            // keep "received" once SMS exist
            if let Some(rec) = self.records.get_mut(&key) {
                if rec.rental.state == State::Waiting && !rec.sms.is_empty() {
                    rec.rental.state = State::Received;
                }
            }
            present.push(key);
        }
        self.close_missing(account, Provider::Smspva, Kind::Rent, &present, now);
        self.ok(account);
        fetch
    }

    /// SMSPVA `sms` of one order.
    pub fn ingest_pva_sms(&mut self, account: &str, id: &str, sms: Vec<Sms>, now: i64) -> Vec<NewSms> {
        let key = format!("{account}/smspva:{id}");
        let fresh = self.add_sms(&key, sms, now);
        self.ok(account);
        fresh
    }

    /// A rental created or restored by the user (after a successful or reconciled spend).
    pub fn add_rental(&mut self, account: &str, r: Rental, now: i64) -> String {
        let key = self.upsert(account, r, now);
        self.await_code(&key, now);
        key
    }

    /// The user waits for a (next) code on this rental: poll it fast for a while.
    pub fn await_code(&mut self, key: &str, now: i64) {
        if let Some(rec) = self.records.get_mut(key) {
            rec.awaiting_until = now + AWAIT_WINDOW_S;
            self.dirty.insert(key.to_string());
        }
    }

    /// Forgets the tab a rental was bound to (the tab closed or left the bound host).
    pub fn unbind_tab(&mut self, tab_id: i64) {
        for (k, rec) in self.records.iter_mut() {
            if rec.tab_id == Some(tab_id) {
                rec.tab_id = None;
                rec.tab_host = None;
                self.dirty.insert(k.clone());
            }
        }
    }

    /// The user filled this rental's number into a tab: its codes go there, and we wait for one.
    pub fn bind_tab(&mut self, key: &str, tab_id: i64, host: Option<String>, now: i64) {
        if let Some(rec) = self.records.get_mut(key) {
            rec.tab_id = Some(tab_id);
            rec.tab_host = host;
            rec.awaiting_until = now + AWAIT_WINDOW_S;
            self.dirty.insert(key.to_string());
        }
    }

    /// Open rentals of `account` at `provider`, with whether a code is awaited on each.
    pub fn poll_targets(&self, account: &str, provider: Provider, now: i64) -> Vec<PollTarget> {
        self.records
            .values()
            .filter(|r| r.account == account && r.rental.provider == provider && r.rental.state.is_open())
            .map(|r| PollTarget { id: r.rental.id.clone(), kind: r.rental.kind, awaited: r.awaits_code(now) })
            .collect()
    }

    pub fn mark_seen(&mut self) {
        for (k, r) in self.records.iter_mut() {
            if !r.unseen.is_empty() {
                r.unseen.clear();
                self.dirty.insert(k.clone());
            }
        }
    }

    pub fn unseen_count(&self) -> usize {
        self.records.values().map(|r| r.unseen.len()).sum()
    }

    /// Seconds until the next poll.
    pub fn next_poll_delay(&self, now: i64) -> u32 {
        let fast = self.records.values().any(|r| r.awaits_code(now));
        let worst_failures = self.failures.values().copied().max().unwrap_or(0);
        let base = if fast { FAST_POLL_S } else { SLOW_POLL_S };
        if worst_failures == 0 {
            base
        } else {
            (base.saturating_mul(1 << worst_failures.min(6))).min(300)
        }
    }

    /// Drops closed records older than `keep_s` (never open ones).
    pub fn prune(&mut self, now: i64, keep_s: i64) {
        let removed = &mut self.removed;
        self.records.retain(|k, r| {
            let keep = r.rental.state.is_open() || now - r.last_seen < keep_s;
            if !keep {
                removed.insert(k.clone());
            }
            keep
        });
    }
}

/// After a money-spending call whose answer was lost: the rental it created,
/// if the provider's list now has one that was not there before (same service when known).
pub fn reconcile_new_rental<'a>(before: &[Rental], after: &'a [Rental], service: Option<&str>) -> Option<&'a Rental> {
    let known: VecSet<&str> = before.iter().map(|b| b.id.as_str()).collect();
    let mut new: Vec<&Rental> = after.iter().filter(|a| !known.contains(a.id.as_str())).collect();
    if let Some(s) = service.filter(|s| !s.is_empty()) {
        new.retain(|r| r.service.is_empty() || r.service == s);
    }
    // the highest id is the newest; providers allocate ids increasingly
    crate::sort::sort_by(&mut new, |a, b| a.id.len().cmp(&b.id.len()).then(a.id.cmp(&b.id)));
    new.pop()
}

/// After a prolong/restore whose answer was lost: did it happen?
pub fn reconcile_extended(before_until: Option<i64>, after: Option<&Rental>) -> bool {
    match (before_until, after.and_then(|r| r.until)) {
        (Some(b), Some(a)) => a > b,
        (None, Some(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms(id: &str, text: &str, date: i64) -> Sms {
        Sms::new(id, "X".into(), text.into(), date)
    }

    #[test]
    fn the_latest_fresh_code_is_the_newest_even_within_one_second() {
        let mut s = Store::default();
        s.ingest_rent_list("a", &[ListedRent { id: "1".into(), phone: "7".into(), price: None }], 100);
        let st = |sms| RentSnapshot { state: State::Received, quantity: 1, sms };
        s.ingest_rent_status("a", "1", st(vec![sms("1", "code 1111", 90)]), 100);
        s.ingest_rent_status("a", "1", st(vec![sms("1", "code 1111", 90), sms("2", "code 2222", 90)]), 101);
        let r = &s.records["a/smsonline:1"];
        assert_eq!(
            r.latest_fresh_code(101).and_then(|m| m.code.as_deref()),
            Some("2222"),
            "same second: the later one"
        );
        s.ingest_rent_status("a", "1", st(vec![sms("3", "code 3333", 95)]), 102);
        let r = &s.records["a/smsonline:1"];
        assert_eq!(r.latest_fresh_code(102).and_then(|m| m.code.as_deref()), Some("3333"));
        assert_eq!(r.latest_fresh_code(95 + CODE_FRESH_S + 1), None, "nothing fresh");
    }

    #[test]
    fn rent_status_merges_without_duplicates_and_reports_new_once() {
        let mut s = Store::default();
        s.ingest_rent_list("a", &[ListedRent { id: "1".into(), phone: "79000000001".into(), price: None }], 100);
        let st = RentSnapshot { state: State::Received, quantity: 1, sms: vec![sms("1", "code 1234", 90)] };
        let n = s.ingest_rent_status("a", "1", st.clone(), 101);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].number, "79000000001");
        assert_eq!(s.ingest_rent_status("a", "1", st, 102).len(), 0, "same SMS again is not new");
        let st2 = RentSnapshot {
            state: State::Received,
            quantity: 2,
            sms: vec![sms("1", "code 5678", 95), sms("1", "code 1234", 90)],
        };
        let n = s.ingest_rent_status("a", "1", st2, 103);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].sms.code.as_deref(), Some("5678"));
        let rec = &s.records["a/smsonline:1"];
        assert_eq!(rec.sms.len(), 2);
        assert_eq!(rec.sms[0].code.as_deref(), Some("5678"), "newest first");
        assert_eq!(s.unseen_count(), 2);
        s.mark_seen();
        assert_eq!(s.unseen_count(), 0);
    }

    #[test]
    fn missing_rentals_are_closed_not_dropped() {
        let mut s = Store::default();
        s.ingest_rent_list(
            "a",
            &[
                ListedRent { id: "1".into(), phone: "7".into(), price: None },
                ListedRent { id: "2".into(), phone: "8".into(), price: None },
            ],
            100,
        );
        s.ingest_rent_status(
            "a",
            "2",
            RentSnapshot { state: State::Received, quantity: 1, sms: vec![sms("2", "code 1111", 99)] },
            100,
        );
        s.ingest_rent_list("a", &[ListedRent { id: "1".into(), phone: "7".into(), price: None }], 200);
        let r2 = &s.records["a/smsonline:2"];
        assert_eq!(r2.rental.state, State::Finished);
        assert_eq!(r2.sms.len(), 1, "its SMS are kept");
        // another account's list does not touch account a
        s.ingest_rent_list("b", &[], 300);
        assert!(s.records["a/smsonline:1"].rental.state.is_open());
    }

    #[test]
    fn polling_is_fast_only_while_a_code_is_awaited() {
        let mut s = Store::default();
        assert_eq!(s.next_poll_delay(0), SLOW_POLL_S);
        let r = Rental::new(Provider::Smspva, Kind::Rent, "9".into(), "7".into());
        s.add_rental("a", r, 1000);
        assert_eq!(s.next_poll_delay(1001), FAST_POLL_S);
        assert_eq!(s.next_poll_delay(1000 + AWAIT_WINDOW_S + 1), SLOW_POLL_S);
        s.add_sms("a/smspva:9", vec![sms("9", "code 4321", 1002)], 1003);
        assert_eq!(s.records["a/smspva:9"].rental.state, State::Received);
        assert_eq!(s.next_poll_delay(1003), SLOW_POLL_S, "code arrived");
        s.fail("a", crate::ProviderError::Timeout.info());
        s.fail("a", crate::ProviderError::Timeout.info());
        assert_eq!(s.next_poll_delay(1003), 120, "back-off");
        s.ok("a");
        assert_eq!(s.next_poll_delay(1003), SLOW_POLL_S);
    }

    #[test]
    fn poll_targets_and_tab_binding() {
        let mut s = Store::default();
        s.ingest_rent_list("a", &[ListedRent { id: "1".into(), phone: "7".into(), price: None }], 100);
        s.ingest_rent_list("b", &[ListedRent { id: "2".into(), phone: "8".into(), price: None }], 100);
        let far = 100 + AWAIT_WINDOW_S + 10;
        assert_eq!(
            s.poll_targets("a", Provider::Smsonline, far),
            vec![PollTarget { id: "1".into(), kind: Kind::Rent, awaited: false }]
        );
        s.bind_tab("a/smsonline:1", 42, Some("example.com".into()), far);
        let rec = &s.records["a/smsonline:1"];
        assert_eq!((rec.tab_id, rec.tab_host.as_deref()), (Some(42), Some("example.com")));
        assert!(
            s.poll_targets("a", Provider::Smsonline, far + 1)[0].awaited,
            "binding a tab starts waiting for a code"
        );
        assert!(s.poll_targets("a", Provider::Smspva, far).is_empty());
    }

    #[test]
    fn orders_ask_for_sms_only_when_needed() {
        let mut s = Store::default();
        let mut o = Rental::new(Provider::Smspva, Kind::Rent, "5".into(), "79".into());
        o.has_new_sms = true;
        let mut p = Rental::new(Provider::Smspva, Kind::Rent, "6".into(), "78".into());
        p.state = State::NeedsActivation;
        assert_eq!(s.ingest_orders("a", vec![o.clone(), p.clone()], 10), vec!["5".to_string()]);
        o.has_new_sms = false;
        assert!(s.ingest_orders("a", vec![o.clone(), p.clone()], 11).is_empty(), "found in a list: not awaited");
        // rented by the user (or bound to a tab): awaited, so asked even without the flag
        s.add_rental("a", o.clone(), 12);
        assert_eq!(s.ingest_orders("a", vec![o, p], 13), vec!["5".to_string()], "awaiting a code");
    }

    #[test]
    fn reconcile_finds_the_rental_a_lost_answer_created() {
        let mk = |id: &str, svc: &str| {
            let mut r = Rental::new(Provider::Smspva, Kind::Rent, id.into(), "1".into());
            r.service = svc.into();
            r
        };
        let before = vec![mk("100", "opt6")];
        let after = vec![mk("100", "opt6"), mk("101", "opt16"), mk("99", "opt6")];
        assert_eq!(reconcile_new_rental(&before, &after, Some("opt16")).map(|r| r.id.as_str()), Some("101"));
        assert_eq!(reconcile_new_rental(&before, &after, None).map(|r| r.id.as_str()), Some("101"));
        assert_eq!(reconcile_new_rental(&before, &before, Some("opt6")), None);
        let mut longer = mk("100", "opt6");
        longer.until = Some(20);
        assert!(reconcile_extended(Some(10), Some(&longer)));
        assert!(!reconcile_extended(Some(20), Some(&longer)));
    }

    #[test]
    fn activations_one_sms_per_provider_code() {
        let mut s = Store::default();
        let mut r = Rental::new(Provider::Smsonline, Kind::Activation, "9".into(), "79000000009".into());
        r.created = Some(1000);
        let a = |codes: Vec<&str>, text: Option<&str>| Activation {
            rental: r.clone(),
            codes: codes.into_iter().map(String::from).collect(),
            text: text.map(String::from),
        };
        assert!(s.ingest_activations("a", vec![a(vec![], None)], 1000).is_empty());
        let f = s.ingest_activations("a", vec![a(vec!["1234"], Some("Your code is 1234"))], 1010);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].sms.code.as_deref(), Some("1234"));
        assert_eq!(f[0].sms.text, "Your code is 1234");
        // the same code listed again later is not new; a second code is
        assert!(s.ingest_activations("a", vec![a(vec!["1234"], Some("Your code is 1234"))], 1020).is_empty());
        let f = s.ingest_activations("a", vec![a(vec!["1234", "5678"], Some("Code 5678"))], 1030);
        assert_eq!(f.iter().map(|x| x.sms.code.clone().unwrap()).collect::<Vec<_>>(), vec!["5678"]);
        // provider code wins over our extraction of a text without a code
        let f = s.ingest_activations("a", vec![a(vec!["1234", "5678", "9999"], Some("thanks"))], 1040);
        assert_eq!(f[0].sms.code.as_deref(), Some("9999"));
        // gone from the list: closed, SMS kept
        s.ingest_activations("a", vec![], 1050);
        let rec = &s.records["a/smsonline:9"];
        assert_eq!(rec.rental.state, State::Finished);
        assert_eq!(rec.sms.len(), 3);
    }

    #[test]
    fn old_sms_are_history_not_news() {
        let mut s = Store::default();
        s.ingest_rent_list("a", &[ListedRent { id: "1".into(), phone: "7".into(), price: None }], 10_000);
        let st = RentSnapshot {
            state: State::Received,
            quantity: 2,
            sms: vec![sms("1", "code 1111", 10_000 - CODE_FRESH_S - 1), sms("1", "code 2222", 9_990)],
        };
        let fresh = s.ingest_rent_status("a", "1", st, 10_000);
        assert_eq!(fresh.iter().map(|f| f.sms.code.clone().unwrap()).collect::<Vec<_>>(), vec!["2222"]);
        assert_eq!(s.records["a/smsonline:1"].sms.len(), 2, "the old one is kept");
        assert_eq!(s.unseen_count(), 1);
    }

    #[test]
    fn prune_forgets_only_old_closed_records() {
        let mut s = Store::default();
        s.ingest_rent_list(
            "a",
            &[
                ListedRent { id: "1".into(), phone: "7".into(), price: None },
                ListedRent { id: "2".into(), phone: "8".into(), price: None },
            ],
            100,
        );
        s.ingest_rent_list("a", &[ListedRent { id: "1".into(), phone: "7".into(), price: None }], 200);
        s.prune(150, 100);
        assert_eq!(s.records.len(), 2, "rental 2 was last listed at 100: kept until 200");
        s.prune(1000, 100);
        assert!(
            s.records.contains_key("a/smsonline:1") && !s.records.contains_key("a/smsonline:2"),
            "the open one stays even if old"
        );
    }

    #[test]
    fn store_round_trips_through_json() {
        let mut s = Store::default();
        s.ingest_rent_list("a", &[ListedRent { id: "1".into(), phone: "7".into(), price: None }], 100);
        s.fail("a", crate::ProviderError::BadKey.info());
        let j = serde_json::to_string(&s).unwrap();
        s.take_dirty();
        let back: Store = serde_json::from_str(&j).unwrap();
        assert_eq!(back, s);
        let empty: Store = serde_json::from_str("{}").unwrap();
        assert!(empty.records.is_empty());
    }
}
