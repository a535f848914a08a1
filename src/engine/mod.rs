//! The background engine: a sans-IO state machine that owns the rentals,
//! decides what to ask each provider and when, and carries money-spending
//! calls through "list before, call, list after" without ever retrying them.
//!
//! The driver (the wasm layer in the extension, a loop in tests) asks
//! [`Engine::due`] for the requests to send now, performs them, hands each
//! answer to [`Engine::answer`], and sleeps until [`Engine::next_wake_ms`].
//! Results leave through [`Engine::take_events`] and [`Engine::take_writes`].
//! Time is always an input (`now_ms`), so tests run it with a fake clock.

pub mod catalogue;
pub mod export;
pub mod persist;
pub mod store;
pub mod view;

pub use store::*;

use crate::api::{self, Account, Answer, Request};
use crate::error::{ErrorInfo, ProviderError};
use crate::http::{Call, HttpResponse};
use crate::json::Value;
use crate::model::{Kind, Provider, Rental, State};
use crate::vecmap::{VecMap, VecSet};
use persist::{Journal, Writes};
use serde::Serialize;
use std::collections::VecDeque;
use std::rc::Rc;

/// SMSPVA asks for 4–5 s between requests of one key (about 40 a minute).
pub const SMSPVA_GAP_MS: i64 = 4200;
/// SMS.online: a few requests at a time per key, at most one start per gap (≈33 a second:
/// it has no batch status, so 1000 rents take a 30 s tick).
pub const SMSONLINE_GAP_MS: i64 = 30;
pub const SMSONLINE_PARALLEL: usize = 4;
/// Balance is read at most this often on full ticks.
pub const BALANCE_EVERY_MS: i64 = 120_000;
/// A kept service list is asked for again after a day (providers add and drop services).
pub const SERVICES_TTL_S: i64 = 86_400;
/// Closed rentals are kept this long after the provider stopped listing them.
pub const KEEP_CLOSED_S: i64 = 7 * 86400;
/// The longest back-off after failures.
pub const MAX_BACKOFF_MS: i64 = 300_000;
/// Pages of one rent's SMS read in one tick at most.
const MAX_PAGES: u32 = 20;

/// A request to perform now.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Outgoing {
    pub id: u64,
    pub account: String,
    pub url: String,
    pub spends_money: bool,
}

/// What the engine tells its driver.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    /// New SMS to announce (and auto-fill when bound), oldest first.
    Fresh { sms: Vec<NewSms> },
    /// A ticket (user intent, spend or query) finished.
    Done { ticket: u64, result: Result<Reply, ErrorInfo> },
}

/// What a finished ticket carries.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Reply {
    /// A spend's or an intent's summary (`{record, number, reconciled}`, `{}`).
    Json(Value),
    /// A read's answer, typed as the client parsed it: the driver takes it apart by `match`
    /// (the rent form's catalogue, a quote, the archive), never by re-reading its JSON.
    Answer(Box<Answer>),
}

#[derive(Clone, Debug, PartialEq)]
enum Poll {
    List,
    RentStatus {
        id: String,
        page: u32,
        seen: usize,
    },
    Activations,
    Balance,
    Orders,
    PvaSms {
        id: String,
    },
    /// SMSPVA `getdata` for a country the account has open rentals in: the services "add
    /// service" offers (asked once per country and worker life).
    PvaServices {
        country: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum Purpose {
    Poll(Poll),
    Spend,
    /// A user request; `true` polls the account afterwards (its state changed); the country
    /// of an SMSPVA service list (`getdata`), kept for "add service".
    Ticket(u64, bool, Option<String>),
}

/// A request waiting in a lane. Shared (`Rc`) with the spend it belongs to: a spend's own
/// request is queued without copying it, so `Request`'s derived `Clone` (every variant, 1.7 KB
/// of wasm) is never needed.
#[derive(Clone, Debug)]
struct Step {
    req: Rc<Request>,
    purpose: Purpose,
}

struct Job {
    account: String,
    purpose: Purpose,
    call: Call<Answer>,
}

/// One account's request queue: user actions ahead of background polls, spaced per key.
#[derive(Default)]
struct Lane {
    gap_ms: i64,
    parallel: usize,
    inflight: usize,
    last_start_ms: i64,
    user: VecDeque<Step>,
    background: VecDeque<Step>,
    /// Poll steps queued or in flight.
    poll_open: usize,
    next_full_ms: i64,
    next_fast_ms: i64,
    /// Consecutive failed ticks.
    failures: u32,
    /// Rate limited: background polls wait until then.
    hold_until_ms: i64,
    balance_at_ms: i64,
}

impl Lane {
    fn for_provider(p: Provider) -> Lane {
        match p {
            Provider::Smspva => Lane { gap_ms: SMSPVA_GAP_MS, parallel: 1, ..Default::default() },
            Provider::Smsonline => {
                Lane { gap_ms: SMSONLINE_GAP_MS, parallel: SMSONLINE_PARALLEL, ..Default::default() }
            }
        }
    }
    fn backoff_ms(&self, base: i64) -> i64 {
        if self.failures == 0 {
            base
        } else {
            (base << self.failures.min(4)).min(MAX_BACKOFF_MS)
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum SpendKind {
    /// getRentNumber / getNumber / create.
    Create { service: String, activation: bool },
    /// continueRentNumber / prolong.
    Extend { record: String, hours: Option<u32> },
    /// SMSPVA restore_user.
    Restore { id: String },
}

#[derive(Clone, Debug, PartialEq)]
enum Phase {
    /// Reading what proves the outcome later (the list, the price, the balance).
    Before,
    Call,
    After,
}

#[derive(Debug)]
struct Spend {
    ticket: u64,
    req: Rc<Request>,
    kind: SpendKind,
    phase: Phase,
    before: Vec<Rental>,
    before_until: Option<i64>,
    price: Option<f64>,
    balance_before: Option<f64>,
}

/// A banner the popup shows until it no longer applies.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Banner {
    pub code: String,
    /// Parameters for the localised message (key `banner_<code>`).
    pub params: Vec<String>,
    pub level: &'static str,
}

pub struct Engine {
    pub store: Store,
    accounts: VecMap<String, Account>,
    lanes: VecMap<String, Lane>,
    jobs: VecMap<u64, Job>,
    next_id: u64,
    spends: VecMap<String, Spend>,
    /// Unsettled spends by account (mirrors the `spend:` keys).
    journals: VecMap<String, Journal>,
    /// Single stored entries to write, by storage key (`None` removes one): spend journals
    /// (`spend:`) and service lists (`svc:`).
    entry_writes: VecMap<String, Option<String>>,
    learned_tz: VecMap<String, i32>,
    meta_dirty: bool,
    events: Vec<Event>,
    pub banners: Vec<Banner>,
    pub fast_polling: bool,
    pending_writes: Writes,
    /// Services by (account, country), for "add service", and when they were listed.
    pub services: VecMap<(String, String), KeptServices>,
    /// (account, country) whose SMSPVA service list was asked in the background already.
    services_asked: VecSet<(String, String)>,
}

/// A country's service list as the engine keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptServices {
    /// Unix seconds when the provider listed them.
    pub at: i64,
    /// (code, name) pairs, in the provider's order.
    pub list: Vec<(String, String)>,
}

/// An engine-level error (its words live in the extension's `_locales` as `err_<code>`).
pub fn engine_error(code: &str, outcome_unknown: bool) -> ErrorInfo {
    ErrorInfo {
        code: code.to_string(),
        key: String::new(),
        params: Vec::new(),
        message: String::new(),
        outcome_unknown,
        closes_rental: false,
        rate_limited: false,
    }
}

/// Requests that only read (catalogues, prices, archive): they change nothing to poll for.
fn is_read_only(req: &Request) -> bool {
    use Request::*;
    matches!(
        req,
        GetBalance
            | GetRentServicesAndCountries { .. }
            | GetRentPrices { .. }
            | GetPrices { .. }
            | GetContinueRentPrice { .. }
            | RentHistory { .. }
            | GetCountries
            | GetData { .. }
            | GetRentHistory { .. }
            | RestorePrecalc { .. }
            | GetRentStatus { .. }
            | GetStatus { .. }
    )
}

fn creates(req: &Request) -> Option<SpendKind> {
    match req {
        Request::GetRentNumber { service, .. } | Request::Create { service, .. } => {
            Some(SpendKind::Create { service: service.clone(), activation: false })
        }
        Request::GetNumber { service, .. } => Some(SpendKind::Create { service: service.clone(), activation: true }),
        _ => None,
    }
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

impl Engine {
    pub fn new() -> Engine {
        Engine {
            store: Store::default(),
            accounts: VecMap::new(),
            lanes: VecMap::new(),
            jobs: VecMap::new(),
            next_id: 1,
            spends: VecMap::new(),
            journals: VecMap::new(),
            entry_writes: VecMap::new(),
            learned_tz: VecMap::new(),
            meta_dirty: false,
            events: vec![],
            banners: vec![],
            fast_polling: true,
            pending_writes: Writes::default(),
            services: VecMap::new(),
            services_asked: VecSet::new(),
        }
    }

    /// Starts from the stored entries (see [`persist`]); problems become banners, never data loss.
    pub fn load(&mut self, entries: &crate::json::Map, now_ms: i64) -> Vec<persist::Problem> {
        let now = now_ms / 1000;
        let l = persist::load(entries, now);
        self.store = l.store;
        self.learned_tz = l.learned_tz;
        self.pending_writes = l.writes;
        for s in l.services {
            // a day old: removed rather than shown (SMSPVA's are asked for again when needed)
            if now - s.at >= SERVICES_TTL_S {
                self.entry_writes.insert(persist::ServiceList::key(&s.account, &s.country), None);
                continue;
            }
            self.services.insert((s.account, s.country), KeptServices { at: s.at, list: s.list });
        }
        for p in &l.problems {
            self.banners.push(Banner {
                code: "STORE_KEPT_ASIDE".into(),
                params: vec![p.key.clone(), p.aside.clone(), p.detail.clone()],
                level: "error",
            });
        }
        for j in l.journals {
            // a spend whose worker stopped before its outcome was known
            match (j.kind.as_str(), &j.record) {
                ("extend", Some(rk)) => {
                    if let Some(rec) = self.store.records.get_mut(rk) {
                        rec.spend_unknown = Some(j.at);
                        self.store.dirty.insert(rk.clone());
                    }
                    self.entry_writes.insert(persist::journal_key(&j.account), None);
                }
                _ => {
                    self.banners.push(Banner {
                        code: "SPEND_INTERRUPTED".into(),
                        params: vec![j.account.clone()],
                        level: "warn",
                    });
                    self.journals.insert(j.account.clone(), j);
                }
            }
        }
        l.problems
    }

    /// The accounts (with keys) as the options page saved them.
    pub fn set_accounts(&mut self, accounts: Vec<Account>, now_ms: i64) {
        let ids: Vec<String> = accounts.iter().map(|a| a.id.clone()).collect();
        // an id saved again with another provider is another account: the old one goes first
        // (its lane's spacing, its spend and its rentals were the old provider's)
        let same = |id: &String, old: &Account| accounts.iter().any(|a| a.id == *id && a.provider == old.provider);
        let gone: Vec<String> = self.accounts.iter().filter(|(k, a)| !same(k, a)).map(|(k, _)| k.clone()).collect();
        for gone in gone.iter().cloned() {
            self.accounts.remove(&gone);
            self.lanes.remove(&gone);
            // a spend of the removed account ends: its ticket is answered, never left waiting;
            // once its call may have gone out, whether it charged cannot be known any more
            if let Some(s) = self.spends.remove(&gone) {
                self.done(s.ticket, Err(engine_error("NO_ACCOUNT", !matches!(s.phase, Phase::Before))));
            }
            self.store.remove_account(&gone);
            self.services_asked.retain(|(a, _)| *a != gone);
            self.learned_tz.remove(&gone);
        }
        // service lists of accounts that are gone (now, or while no worker ran) are forgotten
        let kept = |a: &String| ids.contains(a) && !gone.contains(a);
        for (a, c) in self.services.keys().filter(|(a, _)| !kept(a)) {
            self.entry_writes.insert(persist::ServiceList::key(a, c), None);
        }
        self.services.retain(|(a, _), _| kept(a));
        for mut a in accounts {
            if let Some(tz) = self.learned_tz.get(&a.id) {
                a.learned_tz_offset_min = Some(*tz);
            }
            let lane = self.lanes.entry_or_insert_with(a.id.clone(), || Lane::for_provider(a.provider));
            if lane.next_full_ms == 0 {
                lane.next_full_ms = now_ms;
            }
            self.accounts.insert(a.id.clone(), a);
        }
    }

    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    /// Polls every account now (the user pressed refresh, or a worker woke up).
    pub fn poll_now(&mut self, now_ms: i64) {
        for l in self.lanes.values_mut() {
            l.next_full_ms = l.next_full_ms.min(now_ms);
            // the user asked: the balance too (the low-balance warning reads it)
            l.balance_at_ms = l.balance_at_ms.min(now_ms - BALANCE_EVERY_MS);
        }
    }

    fn poll_account_soon(&mut self, account: &str, now_ms: i64) {
        if let Some(l) = self.lanes.get_mut(account) {
            l.next_full_ms = l.next_full_ms.min(now_ms);
        }
    }

    fn enqueue_poll(&mut self, account: &str, poll: Poll, front: bool) {
        let req = match &poll {
            Poll::List => Request::GetRentList,
            Poll::RentStatus { id, page, .. } => {
                Request::GetRentStatus { id: id.clone(), page: Some(*page), size: None }
            }
            Poll::Activations => Request::GetActiveActivations,
            Poll::Balance => Request::GetBalance,
            Poll::Orders => Request::Orders,
            Poll::PvaSms { id } => Request::SmsOfOrder { id: id.clone() },
            Poll::PvaServices { country } => Request::GetData { country: country.clone(), dtype: None, dcount: None },
        };
        let Some(l) = self.lanes.get_mut(account) else { return };
        l.poll_open += 1;
        let s = Step { req: Rc::new(req), purpose: Purpose::Poll(poll) };
        if front {
            l.background.push_front(s)
        } else {
            l.background.push_back(s)
        }
    }

    fn awaited(&self, account: &str, now: i64) -> Vec<(Kind, String)> {
        self.store
            .records
            .values()
            .filter(|r| r.account == account && r.awaits_code(now))
            .map(|r| (r.rental.kind, r.rental.id.clone()))
            .collect()
    }

    /// The requests to send now.
    pub fn due(&mut self, now_ms: i64) -> Vec<Outgoing> {
        let now = now_ms / 1000;
        let ids: Vec<String> = self.lanes.keys().cloned().collect();
        for id in &ids {
            let Some(provider) = self.accounts.get(id).map(|a| a.provider) else { continue };
            let l = &self.lanes[id];
            if l.poll_open > 0 || now_ms < l.hold_until_ms {
                continue;
            }
            if now_ms >= l.next_full_ms {
                let next = now_ms + l.backoff_ms(SLOW_POLL_S as i64 * 1000);
                let l = self.lanes.get_mut(id).unwrap();
                l.next_full_ms = next;
                l.next_fast_ms = now_ms + FAST_POLL_S as i64 * 1000;
                match provider {
                    Provider::Smsonline => self.enqueue_poll(id, Poll::List, false),
                    Provider::Smspva => self.enqueue_poll(id, Poll::Orders, false),
                }
            } else if self.fast_polling && now_ms >= l.next_fast_ms && l.failures == 0 {
                let awaited = self.awaited(id, now);
                self.lanes.get_mut(id).unwrap().next_fast_ms = now_ms + FAST_POLL_S as i64 * 1000;
                let mut activations = false;
                for (kind, rid) in awaited {
                    match (provider, kind) {
                        (Provider::Smsonline, Kind::Rent) => {
                            self.enqueue_poll(id, Poll::RentStatus { id: rid, page: 0, seen: 0 }, false)
                        }
                        (Provider::Smsonline, Kind::Activation) => activations = true,
                        (Provider::Smspva, _) => self.enqueue_poll(id, Poll::PvaSms { id: rid }, false),
                    }
                }
                if activations {
                    self.enqueue_poll(id, Poll::Activations, false);
                }
            }
        }
        let mut out = vec![];
        for id in ids {
            while let Some(acc) = self.accounts.get(&id).cloned() {
                let l = self.lanes.get_mut(&id).unwrap();
                if l.inflight >= l.parallel || (l.last_start_ms > 0 && now_ms < l.last_start_ms + l.gap_ms) {
                    break;
                }
                let step = match l.user.pop_front() {
                    Some(s) => s,
                    None if now_ms >= l.hold_until_ms => match l.background.pop_front() {
                        Some(s) => s,
                        None => break,
                    },
                    None => break,
                };
                match api::call(&acc, &step.req) {
                    Ok(call) => {
                        let jid = self.next_id;
                        self.next_id += 1;
                        l.inflight += 1;
                        l.last_start_ms = now_ms;
                        out.push(Outgoing {
                            id: jid,
                            account: id.clone(),
                            url: call.url.clone(),
                            spends_money: call.spends_money,
                        });
                        self.jobs.insert(jid, Job { account: id.clone(), purpose: step.purpose, call });
                    }
                    Err(e) => {
                        // never sent: the outcome is known (nothing happened)
                        let account = id.clone();
                        self.settle(&account, step.purpose, Err(e), now_ms);
                    }
                }
            }
        }
        out
    }

    /// When the driver should call [`Engine::due`] again (it may be earlier, never later).
    pub fn next_wake_ms(&self, now_ms: i64) -> i64 {
        let now = now_ms / 1000;
        let mut wake = now_ms + SLOW_POLL_S as i64 * 1000;
        // one pass over the records, not one per account: this runs after every answer
        let awaited: VecSet<&str> = if self.fast_polling {
            self.store.records.values().filter(|r| r.awaits_code(now)).map(|r| r.account.as_str()).collect()
        } else {
            Default::default()
        };
        for (id, l) in &self.lanes {
            let queued = !l.user.is_empty() || (!l.background.is_empty() && now_ms >= l.hold_until_ms);
            if queued && l.inflight < l.parallel {
                wake = wake.min(l.last_start_ms + l.gap_ms);
            }
            if l.poll_open == 0 {
                wake = wake.min(l.next_full_ms.max(l.hold_until_ms));
                if l.failures == 0 && awaited.contains(id.as_str()) {
                    wake = wake.min(l.next_fast_ms.max(l.hold_until_ms));
                }
            }
        }
        wake.max(now_ms)
    }

    /// Feeds the answer of request `id` (or why there was none).
    pub fn answer(&mut self, id: u64, resp: Result<HttpResponse, ProviderError>, now_ms: i64) {
        let Some(job) = self.jobs.remove(&id) else { return };
        if let Some(l) = self.lanes.get_mut(&job.account) {
            l.inflight = l.inflight.saturating_sub(1);
        }
        let result = resp.and_then(|r| job.call.parse(&r));
        if !self.accounts.contains_key(&job.account) {
            // the account was removed while its request was out: a poll's answer would bring
            // its records back, a spend's has no spend left to settle; a read is still answered
            if let Purpose::Ticket(t, ..) = job.purpose {
                self.done_with(t, result.map(|a| Reply::Answer(Box::new(a))).map_err(|e| e.info()));
            }
            return;
        }
        self.settle(&job.account, job.purpose, result, now_ms);
    }

    fn settle(&mut self, account: &str, purpose: Purpose, result: Result<Answer, ProviderError>, now_ms: i64) {
        match purpose {
            Purpose::Poll(p) => {
                if let Some(l) = self.lanes.get_mut(account) {
                    l.poll_open = l.poll_open.saturating_sub(1);
                }
                self.on_poll(account, p, result, now_ms);
            }
            Purpose::Spend => self.on_spend(account, result, now_ms),
            Purpose::Ticket(t, poll_after, services_of) => {
                match (&result, services_of) {
                    (Ok(Answer::Prices(list)), _) => self.remember_services(account, list, now_ms),
                    (Ok(Answer::Services(list)), Some(country)) => {
                        self.remember_pva_services(account, &country, list, now_ms)
                    }
                    _ => {}
                }
                if poll_after {
                    self.poll_account_soon(account, now_ms);
                }
                self.done_with(t, result.map(|a| Reply::Answer(Box::new(a))).map_err(|e| e.info()));
            }
        }
    }

    /// Services by country from a price list the user asked for, kept for "add service" on
    /// that country's rentals. (Only price lists name their country: SMSPVA `getdata` lines do
    /// not, so they are not kept; the list's lines have no name, the code stands in.)
    fn remember_services(&mut self, account: &str, list: &[crate::model::PriceOffer], now_ms: i64) {
        let mut by_country: VecMap<String, Vec<(String, String)>> = VecMap::new();
        for s in list {
            by_country.entry_or_default(s.country.clone()).push((s.service.clone(), s.service.clone()));
        }
        for (c, l) in by_country {
            self.keep_services(account, &c, l, now_ms);
        }
    }

    /// The services of an SMSPVA `getdata` answer for `country`, kept for "add service" on that
    /// country's rentals of the account.
    fn remember_pva_services(
        &mut self,
        account: &str,
        country: &str,
        list: &[crate::smspva::ServiceOffer],
        now_ms: i64,
    ) {
        let l: Vec<(String, String)> = list
            .iter()
            .map(|s| (s.service.clone(), if s.name.is_empty() { s.service.clone() } else { s.name.clone() }))
            .collect();
        self.keep_services(account, country, l, now_ms);
    }

    /// A country's service list, kept for the view and stored for the next wake.
    fn keep_services(&mut self, account: &str, country: &str, list: Vec<(String, String)>, now_ms: i64) {
        let at = now_ms / 1000;
        let stored = persist::ServiceList { account: account.into(), country: country.into(), at, list };
        self.entry_writes.insert(persist::ServiceList::key(account, country), serde_json::to_string(&stored).ok());
        self.services.insert((stored.account, stored.country), KeptServices { at, list: stored.list });
    }

    fn done(&mut self, ticket: u64, r: Result<Value, ErrorInfo>) {
        self.done_with(ticket, r.map(Reply::Json));
    }

    fn done_with(&mut self, ticket: u64, result: Result<Reply, ErrorInfo>) {
        self.events.push(Event::Done { ticket, result });
    }

    fn fresh(&mut self, sms: Vec<NewSms>) {
        if !sms.is_empty() {
            self.events.push(Event::Fresh { sms });
        }
    }

    fn on_poll(&mut self, account: &str, p: Poll, result: Result<Answer, ProviderError>, now_ms: i64) {
        let now = now_ms / 1000;
        let v = match result {
            Ok(v) => v,
            Err(e) => return self.on_poll_error(account, &p, e, now_ms),
        };
        // a poll's request has one answer type: another one is a bug, reported as an odd answer
        let bad = || ProviderError::Unexpected { snippet: "answer of another method".into() };
        let r: Result<(), ProviderError> = (|| {
            match (&p, v) {
                (Poll::List, Answer::Listed(list)) => {
                    self.store.ingest_rent_list(account, &list, now);
                    self.list_succeeded(account);
                    let targets = self.store.poll_targets(account, Provider::Smsonline, now);
                    for t in targets.iter().filter(|t| t.kind == Kind::Rent) {
                        self.enqueue_poll(account, Poll::RentStatus { id: t.id.clone(), page: 0, seen: 0 }, false);
                    }
                    self.enqueue_poll(account, Poll::Activations, false);
                    let l = self.lanes.get_mut(account).unwrap();
                    if now_ms - l.balance_at_ms >= BALANCE_EVERY_MS {
                        l.balance_at_ms = now_ms;
                        self.enqueue_poll(account, Poll::Balance, false);
                    }
                }
                (Poll::RentStatus { id, page, seen }, Answer::Snapshot(st)) => {
                    let before =
                        self.store.records.get(&format!("{account}/smsonline:{id}")).map_or(0, |r| r.sms.len());
                    let n = st.sms.len();
                    let quantity = st.quantity;
                    let fresh = self.store.ingest_rent_status(account, id, st, now);
                    let after = self.store.records.get(&format!("{account}/smsonline:{id}")).map_or(0, |r| r.sms.len());
                    self.fresh(fresh);
                    // newest first: read older pages while they hold SMS the store lacks
                    if after > before && n > 0 && seen + n < quantity && page + 1 < MAX_PAGES {
                        self.enqueue_poll(
                            account,
                            Poll::RentStatus { id: id.clone(), page: page + 1, seen: seen + n },
                            true,
                        );
                    }
                }
                (Poll::Activations, Answer::Activations(list)) => {
                    let fresh = self.store.ingest_activations(account, list, now);
                    self.fresh(fresh);
                }
                (Poll::Balance, v) => {
                    let b = v.number().ok_or_else(bad)?;
                    self.store.set_balance(account, b);
                }
                (Poll::Orders, Answer::Rentals(orders)) => {
                    let fetch = self.store.ingest_orders(account, orders, now);
                    self.list_succeeded(account);
                    for id in fetch {
                        self.enqueue_poll(account, Poll::PvaSms { id }, false);
                    }
                    // the services "add service" offers, for each country of an open rental
                    // (`services_asked` keeps a country from being asked twice); not while a
                    // code is awaited on the account: its fast polls would wait behind it
                    let mut countries = Vec::new();
                    let mut awaiting = false;
                    for r in self.store.records.values().filter(|r| r.account == account) {
                        awaiting |= r.awaits_code(now);
                        if r.rental.provider == Provider::Smspva && r.rental.state.is_open() {
                            countries.extend(r.rental.country.clone());
                        }
                    }
                    if awaiting {
                        countries.clear();
                    }
                    for country in countries {
                        let k = (account.to_string(), country.clone());
                        // none kept, or kept for a day: asked once per worker life at most
                        let stale = self.services.get(&k).is_none_or(|s| now - s.at >= SERVICES_TTL_S);
                        if stale && self.services_asked.insert(k) {
                            self.enqueue_poll(account, Poll::PvaServices { country }, false);
                        }
                    }
                }
                (Poll::PvaServices { country }, Answer::Services(list)) => {
                    self.remember_pva_services(account, country, &list, now_ms);
                }
                (Poll::PvaSms { id }, Answer::Sms(sms)) => {
                    let fresh = self.store.ingest_pva_sms(account, id, sms, now);
                    self.fresh(fresh);
                }
                _ => return Err(bad()),
            }
            Ok(())
        })();
        if let Err(e) = r {
            self.on_poll_error(account, &p, e, now_ms);
        }
        if matches!(p, Poll::List | Poll::Orders) {
            self.store.prune(now, KEEP_CLOSED_S);
        }
    }

    /// A complete list was read: an interrupted "create" of this account is settled by it
    /// (whatever it bought is in the list now and was adopted by the ingest).
    fn list_succeeded(&mut self, account: &str) {
        if let Some(l) = self.lanes.get_mut(account) {
            l.failures = 0;
        }
        if self.journals.get(account).is_some_and(|j| j.kind == "create") && !self.spends.contains_key(account) {
            self.journals.remove(account);
            self.entry_writes.insert(persist::journal_key(account), None);
            self.banners
                .retain(|b| !(b.code == "SPEND_INTERRUPTED" && b.params.first().map(String::as_str) == Some(account)));
        }
    }

    fn on_poll_error(&mut self, account: &str, p: &Poll, e: ProviderError, now_ms: i64) {
        if e.is_rate_limit() {
            let l = self.lanes.get_mut(account).unwrap();
            l.hold_until_ms = now_ms + (10_000i64 << l.failures.min(4)).min(MAX_BACKOFF_MS);
            l.failures += 1;
            return;
        }
        if matches!(p, Poll::PvaServices { .. }) {
            // only the "add service" choices are missing: not the account's error to show
            return;
        }
        if e.closes_rental() {
            let rid = match p {
                Poll::RentStatus { id, .. } => Some(format!("{account}/smsonline:{id}")),
                Poll::PvaSms { id } => Some(format!("{account}/smspva:{id}")),
                _ => None,
            };
            if let Some(k) = rid {
                if let Some(rec) = self.store.records.get_mut(&k) {
                    if rec.rental.state.is_open() {
                        rec.rental.state = State::Finished;
                        rec.awaiting_until = 0;
                        self.store.dirty.insert(k);
                    }
                }
                return;
            }
        }
        if let Some(l) = self.lanes.get_mut(account) {
            if matches!(p, Poll::List | Poll::Orders) {
                l.failures += 1;
                l.next_full_ms = now_ms + l.backoff_ms(SLOW_POLL_S as i64 * 1000);
            }
        }
        self.store.fail(account, e.info());
    }

    // ------------------------------------------------------------------ user actions

    fn new_ticket(&mut self) -> u64 {
        let t = self.next_id;
        self.next_id += 1;
        t
    }

    /// Sends a request for the user ahead of the polls. Money-spending requests go through
    /// [`Engine::spend`]; others are answered by an [`Event::Done`] with the returned ticket.
    pub fn request(&mut self, account: &str, req: Request, now_ms: i64) -> Result<u64, ErrorInfo> {
        let acc = self.accounts.get(account).ok_or_else(|| engine_error("NO_ACCOUNT", false))?;
        let call = api::call(acc, &req).map_err(|e| e.info())?;
        if call.spends_money {
            return self.spend(account, req, now_ms);
        }
        let provider = acc.provider;
        let t = self.new_ticket();
        let poll_after = !is_read_only(&req);
        let services_of = match (&req, provider) {
            (Request::GetData { country, .. }, Provider::Smspva) => Some(country.clone()),
            _ => None,
        };
        self.lanes
            .get_mut(account)
            .unwrap()
            .user
            .push_back(Step { req: Rc::new(req), purpose: Purpose::Ticket(t, poll_after, services_of) });
        Ok(t)
    }

    /// A popup intent on a rental (`finish`, `prolong` with its option, ...), mapped per provider.
    pub fn intent(&mut self, record: &str, intent: &str, option: Option<&str>, now_ms: i64) -> Result<u64, ErrorInfo> {
        if intent == "clear-unknown" {
            self.clear_unknown(record);
            let t = self.new_ticket();
            self.done(t, Ok(crate::obj!({})));
            return Ok(t);
        }
        let req = self.intent_request(record, intent, option, now_ms / 1000)?;
        let account = self.store.records[record].account.clone();
        let t = self.request(&account, req, now_ms)?;
        if intent == "another-sms" {
            self.await_code(record, now_ms);
        }
        Ok(t)
    }

    /// Starts a money-spending call: one at a time per account, never retried; a lost answer is
    /// reconciled from what the provider lists, and an unprovable outcome blocks the next spend.
    pub fn spend(&mut self, account: &str, req: Request, now_ms: i64) -> Result<u64, ErrorInfo> {
        let now = now_ms / 1000;
        let acc = self.accounts.get(account).ok_or_else(|| engine_error("NO_ACCOUNT", false))?.clone();
        if self.spends.contains_key(account) {
            return Err(engine_error("BUSY", false));
        }
        if self.journals.contains_key(account) {
            return Err(engine_error("OUTCOME_PENDING", true));
        }
        let kind = match (&req, creates(&req)) {
            (_, Some(k)) => k,
            (Request::ContinueRentNumber { id, rent_time }, _) => {
                SpendKind::Extend { record: format!("{account}/smsonline:{id}"), hours: Some(*rent_time) }
            }
            (Request::Prolong { id, .. }, _) => {
                SpendKind::Extend { record: format!("{account}/smspva:{id}"), hours: None }
            }
            (Request::Restore { id }, _) => SpendKind::Restore { id: id.clone() },
            _ => return Err(engine_error("BAD_REQUEST", false)),
        };
        let mut before_until = None;
        if let SpendKind::Extend { record, .. } = &kind {
            let rec = self.store.records.get(record).ok_or_else(|| engine_error("NO_RENTAL", false))?;
            if rec.spend_unknown.is_some() {
                return Err(engine_error("OUTCOME_PENDING", true));
            }
            before_until = rec.rental.until;
        }
        let t = self.new_ticket();
        let first = match (&kind, acc.provider) {
            (SpendKind::Create { .. }, Provider::Smspva) => Some(Request::Orders),
            (SpendKind::Create { activation: false, .. }, Provider::Smsonline) => Some(Request::GetRentList),
            (SpendKind::Create { activation: true, .. }, Provider::Smsonline) => Some(Request::GetActiveActivations),
            (SpendKind::Extend { .. }, Provider::Smsonline) => match &req {
                Request::ContinueRentNumber { id, rent_time } => {
                    Some(Request::GetContinueRentPrice { id: id.clone(), rent_time: *rent_time })
                }
                _ => None,
            },
            _ => None,
        };
        let phase = if first.is_some() { Phase::Before } else { Phase::Call };
        let req = Rc::new(req);
        let step = Step { req: first.map_or_else(|| req.clone(), Rc::new), purpose: Purpose::Spend };
        self.spends.insert(
            account.to_string(),
            Spend {
                ticket: t,
                req,
                kind,
                phase: phase.clone(),
                before: vec![],
                before_until,
                price: None,
                balance_before: None,
            },
        );
        if phase == Phase::Call {
            self.journal(account, now);
        }
        self.lanes.get_mut(account).unwrap().user.push_back(step);
        Ok(t)
    }

    fn journal(&mut self, account: &str, now: i64) {
        let Some(s) = self.spends.get(account) else { return };
        let (kind, record) = match &s.kind {
            SpendKind::Create { .. } => ("create", None),
            SpendKind::Extend { record, .. } => ("extend", Some(record.clone())),
            SpendKind::Restore { .. } => ("restore", None),
        };
        let j = Journal { account: account.to_string(), kind: kind.into(), record, at: now };
        self.entry_writes.insert(persist::journal_key(account), serde_json::to_string(&j).ok());
        self.journals.insert(account.to_string(), j);
    }

    /// Ends spend `s` (already out of `spends`) with `r`.
    fn end_spend(&mut self, account: &str, s: Spend, r: Result<Value, ErrorInfo>, now_ms: i64) {
        let keep_journal = r.as_ref().err().is_some_and(|e| e.code == "OUTCOME_UNKNOWN")
            && matches!(s.kind, SpendKind::Create { .. } | SpendKind::Restore { .. });
        if !keep_journal && self.journals.remove(account).is_some() {
            self.entry_writes.insert(persist::journal_key(account), None);
        }
        self.done(s.ticket, r);
        self.poll_account_soon(account, now_ms);
    }

    /// The rentals a complete list answer names (what a spend is reconciled against).
    fn as_rentals(provider: Provider, v: &Answer) -> Option<Vec<Rental>> {
        match v {
            Answer::Rentals(list) => Some(list.clone()),
            Answer::Listed(list) => {
                Some(list.iter().map(|x| Rental::new(provider, Kind::Rent, x.id.clone(), x.phone.clone())).collect())
            }
            Answer::Activations(list) => Some(list.iter().map(|a| a.rental.clone()).collect()),
            _ => None,
        }
    }

    fn on_spend(&mut self, account: &str, result: Result<Answer, ProviderError>, now_ms: i64) {
        let now = now_ms / 1000;
        let Some(provider) = self.accounts.get(account).map(|a| a.provider) else { return };
        // taken out while its answer is handled: every path below puts it back (still under way)
        // or ends it (`end_spend`)
        let Some(mut s) = self.spends.remove(account) else { return };
        match s.phase {
            Phase::Before => {
                let v = match result {
                    Ok(v) => v,
                    // nothing was sent that spends money: the failure is the outcome
                    Err(e) => return self.end_spend(account, s, Err(e.info()), now_ms),
                };
                let next = match (&s.kind, &*s.req) {
                    (SpendKind::Extend { .. }, Request::ContinueRentNumber { .. }) if s.price.is_none() => {
                        s.price = v.number();
                        Rc::new(Request::GetBalance)
                    }
                    (SpendKind::Extend { .. }, _) => {
                        s.balance_before = v.number();
                        s.phase = Phase::Call;
                        s.req.clone()
                    }
                    _ => {
                        let Some(list) = Self::as_rentals(provider, &v) else {
                            return self.end_spend(account, s, Err(engine_error("UNEXPECTED_LIST", false)), now_ms);
                        };
                        s.before = list;
                        s.phase = Phase::Call;
                        s.req.clone()
                    }
                };
                let calling = s.phase == Phase::Call;
                self.spends.insert(account.to_string(), s);
                if calling {
                    self.journal(account, now);
                }
                self.lanes.get_mut(account).unwrap().user.push_front(Step { req: next, purpose: Purpose::Spend });
            }
            Phase::Call => match result {
                Ok(v) => {
                    let out = self.apply_spend_result(account, &s, v, now);
                    self.end_spend(account, s, Ok(out), now_ms);
                }
                Err(e) if !e.outcome_unknown() => self.end_spend(account, s, Err(e.info()), now_ms),
                Err(_) => {
                    // the answer is lost: read again what proves the outcome; never call again
                    let after = match (&s.kind, provider) {
                        (SpendKind::Extend { .. }, Provider::Smsonline) => Request::GetBalance,
                        _ => s.before_list_request(provider),
                    };
                    s.phase = Phase::After;
                    self.spends.insert(account.to_string(), s);
                    self.lanes
                        .get_mut(account)
                        .unwrap()
                        .user
                        .push_front(Step { req: Rc::new(after), purpose: Purpose::Spend });
                }
            },
            Phase::After => {
                let unknown = || engine_error("OUTCOME_UNKNOWN", true);
                let Ok(v) = result else {
                    // nothing proves the outcome: block a second spend until it is known
                    if let SpendKind::Extend { record, .. } = &s.kind {
                        self.block_record(record, now);
                    }
                    return self.end_spend(account, s, Err(unknown()), now_ms);
                };
                let r = match &s.kind {
                    SpendKind::Create { service, .. } => match Self::as_rentals(provider, &v) {
                        Some(after) => match reconcile_new_rental(&s.before, &after, Some(service)) {
                            Some(found) => {
                                let key = self.store.add_rental(account, found.clone(), now);
                                Ok(crate::obj!({"reconciled": true, "record": key, "number": found.number}))
                            }
                            None => Err(engine_error("NOT_CHARGED", false)),
                        },
                        None => Err(unknown()),
                    },
                    SpendKind::Extend { record, hours } => {
                        if provider == Provider::Smsonline {
                            match (s.balance_before, v.number(), s.price) {
                                (Some(b), Some(a), price) => {
                                    let spent = b - a;
                                    if spent.abs() < 0.005 {
                                        Err(engine_error("NOT_CHARGED", false))
                                    } else if price.is_some_and(|p| (spent - p).abs() <= 0.005 + p * 0.01) {
                                        if let (Some(rec), Some(h)) = (self.store.records.get_mut(record), hours) {
                                            rec.rental.until = rec.rental.until.map(|u| u + *h as i64 * 3600);
                                        }
                                        self.store.touch(record);
                                        Ok(crate::obj!({"reconciled": true, "record": record}))
                                    } else {
                                        self.block_record(record, now);
                                        Err(unknown())
                                    }
                                }
                                _ => {
                                    self.block_record(record, now);
                                    Err(unknown())
                                }
                            }
                        } else {
                            let id = record.rsplit(':').next().unwrap_or_default();
                            match Self::as_rentals(provider, &v) {
                                Some(after) => {
                                    let listed = after.iter().find(|r| r.id == id);
                                    if reconcile_extended(s.before_until, listed) {
                                        if let (Some(rec), Some(l)) = (self.store.records.get_mut(record), listed) {
                                            rec.rental.until = l.until;
                                        }
                                        self.store.touch(record);
                                        Ok(crate::obj!({"reconciled": true, "record": record}))
                                    } else {
                                        Err(engine_error("NOT_CHARGED", false))
                                    }
                                }
                                None => Err(unknown()),
                            }
                        }
                    }
                    SpendKind::Restore { id } => match Self::as_rentals(provider, &v) {
                        Some(after) => match after.iter().find(|r| &r.id == id) {
                            Some(found) => {
                                let key = self.store.add_rental(account, found.clone(), now);
                                Ok(crate::obj!({"reconciled": true, "record": key}))
                            }
                            None => Err(engine_error("NOT_CHARGED", false)),
                        },
                        None => Err(unknown()),
                    },
                };
                self.end_spend(account, s, r, now_ms);
            }
        }
    }

    fn block_record(&mut self, record: &str, now: i64) {
        if let Some(rec) = self.store.records.get_mut(record) {
            rec.spend_unknown = Some(now);
        }
        self.store.touch(record);
    }

    /// The user checked the rental after an unprovable spend: allow spending on it again.
    pub fn clear_unknown(&mut self, record: &str) {
        if let Some(rec) = self.store.records.get_mut(record) {
            rec.spend_unknown = None;
        }
        self.store.touch(record);
    }

    fn apply_spend_result(&mut self, account: &str, s: &Spend, v: Answer, now: i64) -> Value {
        match &s.kind {
            SpendKind::Create { .. } => match v {
                Answer::Rental(mut r) => {
                    self.learn_zone(account, &mut r, &s.req, now);
                    let number = r.number.clone();
                    let key = self.store.add_rental(account, r, now);
                    crate::obj!({"reconciled": false, "record": key, "number": number})
                }
                _ => crate::obj!({"reconciled": false}),
            },
            SpendKind::Extend { record, .. } => {
                if let Answer::Rental(mut r) = v {
                    self.learn_zone(account, &mut r, &s.req, now);
                    if let (Some(rec), Some(u)) = (self.store.records.get_mut(record), r.until) {
                        rec.rental.until = Some(u);
                    }
                    self.store.touch(record);
                }
                crate::obj!({"reconciled": false, "record": record})
            }
            SpendKind::Restore { .. } => crate::obj!({"reconciled": false}),
        }
    }

    /// SMS.online sends dates without a zone: learn the account's offset from the first rent answer.
    fn learn_zone(&mut self, account: &str, r: &mut Rental, req: &Request, now: i64) {
        let Some(hours) = req.rent_hours() else { return };
        let Some(acc) = self.accounts.get_mut(account) else { return };
        if acc.tz_offset_min.is_some() || acc.learned_tz_offset_min.is_some() {
            return;
        }
        let Some(naive) = r.until_naive else { return };
        if let Some(tz) = crate::model::learn_tz_offset_min(naive, now, hours) {
            let assumed = acc.effective_tz_offset_min();
            acc.learned_tz_offset_min = Some(tz);
            crate::model::rezone(r, assumed, tz);
            self.learned_tz.insert(account.to_string(), tz);
            self.meta_dirty = true;
        }
    }

    // ------------------------------------------------------------------ tabs

    pub fn bind_tab(&mut self, record: &str, tab_id: i64, host: Option<String>, now_ms: i64) {
        self.store.bind_tab(record, tab_id, host, now_ms / 1000);
    }

    pub fn await_code(&mut self, record: &str, now_ms: i64) {
        self.store.await_code(record, now_ms / 1000);
    }

    /// The tab closed (`host` `None`) or navigated to `host`: bindings to another host end.
    pub fn tab_left(&mut self, tab_id: i64, host: Option<&str>) {
        crate::site::drop_bindings(&mut self.store, tab_id, host);
    }

    pub fn mark_seen(&mut self) {
        self.store.mark_seen();
    }

    // ------------------------------------------------------------------ outputs

    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// Storage operations for everything changed since the last call.
    pub fn take_writes(&mut self) -> Writes {
        let mut w = std::mem::take(&mut self.pending_writes);
        let c = persist::changes(&mut self.store, &self.learned_tz, std::mem::take(&mut self.meta_dirty));
        w.set.extend(c.set);
        w.remove.extend(c.remove);
        for (k, v) in std::mem::take(&mut self.entry_writes) {
            match v {
                Some(v) => {
                    w.set.insert(k, v);
                }
                None => w.remove.push(k),
            }
        }
        w
    }

    /// A write failed (quota, storage error): nothing is dropped; the keys are written again
    /// with the next change, and the popup says so until a write succeeds.
    pub fn write_failed(&mut self, w: Writes, detail: &str) {
        for (k, v) in w.set {
            self.pending_writes.set.entry_or_insert_with(k, || v);
        }
        for k in w.remove {
            if !self.pending_writes.remove.contains(&k) {
                self.pending_writes.remove.push(k);
            }
        }
        self.banners.retain(|b| b.code != "STORE_WRITE_FAILED");
        self.banners.push(Banner {
            code: "STORE_WRITE_FAILED".into(),
            params: vec![detail.to_string()],
            level: "error",
        });
    }

    pub fn write_succeeded(&mut self) {
        self.banners.retain(|b| b.code != "STORE_WRITE_FAILED");
    }

    /// No request queued or in flight for any account.
    pub fn idle(&self) -> bool {
        self.jobs.is_empty() && self.lanes.values().all(|l| l.poll_open == 0 && l.user.is_empty())
    }

    pub fn has_pending_writes(&self) -> bool {
        !self.pending_writes.is_empty()
    }

    pub fn is_spending(&self, account: &str) -> bool {
        self.spends.contains_key(account)
    }
}

impl Spend {
    fn before_list_request(&self, provider: Provider) -> Request {
        match (&self.kind, provider) {
            (_, Provider::Smspva) => Request::Orders,
            (SpendKind::Create { activation: true, .. }, _) => Request::GetActiveActivations,
            _ => Request::GetRentList,
        }
    }
}
