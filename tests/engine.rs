#![cfg(not(target_arch = "wasm32"))]
//! The engine driven against the provider emulator (both dialects) with a fake clock:
//! polling plans, per-key spacing, and money-spending calls under lost answers,
//! concurrent spends and a worker that stops mid-spend.
mod common;
use common::{control, get, DIALECTS};
use otpdock::api::{Account, Request};
use otpdock::engine::persist::SCHEMA;
use otpdock::engine::{Engine, Event, Reply, SERVICES_TTL_S, SMSPVA_GAP_MS};
use otpdock::json::{Map, Value};
use otpdock::model::Provider;
use otpdock_emulator::{Dialect, Emulator, TEST_KEY};
use std::time::Duration;

struct Rig {
    emu: Emulator,
    e: Engine,
    clock: i64,
    /// (fake time, account, url) of every request the engine sent.
    sent: Vec<(i64, String, String)>,
    events: Vec<Event>,
}

fn account(id: &str, p: Provider, emu: &Emulator, key: &str) -> Account {
    Account {
        id: id.into(),
        provider: p,
        key: key.into(),
        base: Some(match p {
            Provider::Smsonline => emu.smsonline_base(),
            Provider::Smspva => emu.smspva_base(),
        }),
        tz_offset_min: None,
        learned_tz_offset_min: None,
    }
}

impl Rig {
    fn new(d: Dialect, providers: &[Provider]) -> Rig {
        let emu = Emulator::start_with(0, d).unwrap();
        let mut e = Engine::new();
        let accounts =
            providers.iter().enumerate().map(|(i, p)| account(&format!("acc{i}"), *p, &emu, TEST_KEY)).collect();
        let clock = 1_000_000_000;
        e.load(&Map::new(), clock);
        e.set_accounts(accounts, clock);
        Rig { emu, e, clock, sent: vec![], events: vec![] }
    }

    /// Sends what is due now, one by one, feeding the answers back.
    fn step(&mut self) -> usize {
        let out = self.e.due(self.clock);
        for o in &out {
            self.sent.push((self.clock, o.account.clone(), o.url.clone()));
            let r = get(&o.url, Duration::from_secs(3));
            self.e.answer(o.id, r, self.clock);
        }
        self.events.extend(self.e.take_events());
        out.len()
    }

    /// Runs the fake clock forward `ms`, waking when the engine asks.
    fn run_for(&mut self, ms: i64) {
        let end = self.clock + ms;
        loop {
            while self.step() > 0 {}
            let wake = self.e.next_wake_ms(self.clock);
            if wake > end {
                self.clock = end;
                break;
            }
            self.clock = wake.max(self.clock + 1);
        }
        while self.step() > 0 {}
    }

    fn done(&self, ticket: u64) -> Option<(bool, Value, Option<String>)> {
        self.events.iter().find_map(|ev| match ev {
            Event::Done { ticket: t, result } if *t == ticket => Some(match result {
                Ok(Reply::Json(v)) => (true, v.clone(), None),
                // a read's typed answer, as the JSON request API would give it
                Ok(Reply::Answer(a)) => (true, a.to_value(), None),
                Err(e) => (false, Value::Null, Some(e.code.clone())),
            }),
            _ => None,
        })
    }

    fn run_until_done(&mut self, ticket: u64) -> (bool, Value, Option<String>) {
        for _ in 0..200 {
            if let Some(d) = self.done(ticket) {
                return d;
            }
            self.run_for(500);
        }
        panic!("ticket {ticket} never finished; sent {:?}", self.sent);
    }

    fn methods(&self) -> Vec<String> {
        self.sent
            .iter()
            .map(|(_, _, u)| {
                let q = u.split_once('?').map(|x| x.1).unwrap_or("");
                q.split('&')
                    .find_map(|kv| kv.strip_prefix("action=").or_else(|| kv.strip_prefix("method=")))
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    }

    fn balance(&self) -> f64 {
        control(&self.emu, "state")["balances"][TEST_KEY].as_f64().unwrap()
    }
}

fn rent_pva() -> Request {
    Request::Create { dtype: "week".into(), dcount: 1, country: "RU".into(), service: "opt16".into() }
}

fn rent_so() -> Request {
    Request::GetRentNumber { service: "tg".into(), country: "0".into(), operator: None, rent_time: Some(4) }
}

#[test]
fn smspva_requests_of_one_key_are_spaced_and_user_actions_go_first() {
    for d in DIALECTS {
        let mut rig = Rig::new(d, &[Provider::Smspva, Provider::Smsonline]);
        for _ in 0..3 {
            let t = rig.e.spend("acc0", rent_pva(), rig.clock).unwrap();
            rig.run_until_done(t);
        }
        rig.run_for(120_000);
        let pva: Vec<i64> = rig.sent.iter().filter(|(_, a, _)| a == "acc0").map(|(t, _, _)| *t).collect();
        assert!(pva.len() > 10, "{} SMSPVA requests", pva.len());
        for w in pva.windows(2) {
            assert!(w[1] - w[0] >= SMSPVA_GAP_MS, "SMSPVA burst: {} ms apart", w[1] - w[0]);
        }
        // the other account is not slowed by SMSPVA's spacing
        let so: Vec<i64> = rig.sent.iter().filter(|(_, a, _)| a == "acc1").map(|(t, _, _)| *t).collect();
        assert!(so.windows(2).any(|w| w[1] - w[0] < 1000), "SMS.online runs at its own pace");
        // a user action jumps the queue of background polls
        rig.e.poll_now(rig.clock);
        rig.e.await_code("acc0/smspva:x", rig.clock);
        let before = rig.sent.len();
        let t = rig.e.request("acc0", Request::GetCountries, rig.clock).unwrap();
        rig.run_until_done(t);
        let after: Vec<String> = rig.methods()[before..]
            .iter()
            .zip(&rig.sent[before..])
            .filter(|(_, (_, a, _))| a == "acc0")
            .map(|(m, _)| m.clone())
            .collect();
        assert_eq!(after.first().map(String::as_str), Some("getcountries"), "{after:?}");
    }
}

#[test]
fn lost_create_answer_is_adopted_from_the_list_never_retried() {
    for d in DIALECTS {
        for (p, req, method) in
            [(Provider::Smspva, rent_pva(), "create"), (Provider::Smsonline, rent_so(), "getRentNumber")]
        {
            let mut rig = Rig::new(d, &[p]);
            rig.run_for(1000);
            let proto = if p == Provider::Smspva { "smspva" } else { "smsonline" };
            control(&rig.emu, &format!("fail?provider={proto}&method={method}&mode=after:html"));
            let b0 = rig.balance();
            let t = rig.e.spend("acc0", req.clone(), rig.clock).unwrap();
            let (ok, v, _) = rig.run_until_done(t);
            assert!(ok, "{d:?} {p:?}: adopted");
            assert_eq!(v["reconciled"], true);
            let key = v["record"].as_str().unwrap().to_string();
            assert!(rig.e.store.records.contains_key(&key));
            assert_eq!(rig.methods().iter().filter(|m| *m == method).count(), 1, "sent once");
            assert!(rig.balance() < b0, "charged");
            // the provider did not carry it out at all: nothing bought, said so
            control(&rig.emu, &format!("fail?provider={proto}&method={method}&mode=html"));
            let b1 = rig.balance();
            let t = rig.e.spend("acc0", req, rig.clock).unwrap();
            let (ok, _, code) = rig.run_until_done(t);
            assert!(!ok);
            assert_eq!(code.as_deref(), Some("NOT_CHARGED"));
            assert_eq!(rig.balance(), b1);
        }
    }
}

#[test]
fn two_spends_on_one_account_never_adopt_each_other() {
    for d in DIALECTS {
        let mut rig = Rig::new(d, &[Provider::Smspva]);
        rig.run_for(1000);
        control(&rig.emu, "fail?provider=smspva&method=create&mode=html");
        let a = rig.e.spend("acc0", rent_pva(), rig.clock).unwrap();
        let second = rig.e.spend("acc0", rent_pva(), rig.clock);
        assert_eq!(second.unwrap_err().code, "BUSY", "a second spend waits for the first");
        let (ok, _, code) = rig.run_until_done(a);
        assert!(!ok && code.as_deref() == Some("NOT_CHARGED"), "the failed rent is not given another's number");
        // after it settled, the next one goes
        let b = rig.e.spend("acc0", rent_pva(), rig.clock).unwrap();
        assert!(rig.run_until_done(b).0);
        assert_eq!(control(&rig.emu, "state")["orders"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn an_account_removed_while_its_requests_are_out_is_gone_for_good() {
    for d in DIALECTS {
        for p in [Provider::Smsonline, Provider::Smspva] {
            let mut rig = Rig::new(d, &[p]);
            rig.run_for(1000);
            let req = if p == Provider::Smsonline { rent_so() } else { rent_pva() };
            let rented = rig.e.spend("acc0", req.clone(), rig.clock).unwrap();
            rig.run_until_done(rented);
            // a full poll goes out, a spend starts; the account is removed before any answer
            rig.e.poll_now(rig.clock);
            let mut out = vec![];
            for _ in 0..10 {
                out.extend(rig.e.due(rig.clock));
                if !out.is_empty() {
                    break;
                }
                rig.clock = rig.e.next_wake_ms(rig.clock).max(rig.clock + 1);
            }
            assert!(!out.is_empty(), "the poll went out");
            let spend = rig.e.spend("acc0", req, rig.clock).unwrap();
            out.extend(rig.e.due(rig.clock));
            rig.e.set_accounts(vec![], rig.clock);
            // the spend had not sent its call yet: nothing was spent, and it says so
            let ev = rig.e.take_events();
            let ended = ev.iter().find_map(|e| match e {
                Event::Done { ticket, result: Err(err) } if *ticket == spend => Some(err.clone()),
                _ => None,
            });
            let ended = ended.expect("the removed account's spend is answered");
            assert_eq!((ended.code.as_str(), ended.outcome_unknown), ("NO_ACCOUNT", false));
            // the answers arrive afterwards: no panic, and the records stay gone
            for o in &out {
                let r = get(&o.url, Duration::from_secs(3));
                rig.e.answer(o.id, r, rig.clock);
            }
            assert!(rig.e.store.records.is_empty(), "{:?}", rig.e.store.records.keys().collect::<Vec<_>>());
            assert_eq!(rig.e.view(rig.clock / 1000, &Default::default(), None).rentals.len(), 0);
            assert!(rig.e.due(rig.clock + 60_000).is_empty(), "nothing is asked for a removed account");
            assert!(rig.e.idle());
        }
    }
}

#[test]
fn an_id_saved_again_with_another_provider_is_paced_as_that_provider() {
    for d in DIALECTS {
        let mut rig = Rig::new(d, &[Provider::Smsonline]);
        let rented = rig.e.spend("acc0", rent_so(), rig.clock).unwrap();
        assert!(rig.run_until_done(rented).0);
        rig.run_for(5_000);
        assert!(rig.e.store.records.values().any(|r| r.rental.provider == Provider::Smsonline));
        // the same id, now an SMSPVA key: SMSPVA's spacing, nothing of the old account kept
        rig.e.set_accounts(vec![account("acc0", Provider::Smspva, &rig.emu, TEST_KEY)], rig.clock);
        let switched = rig.sent.len();
        for _ in 0..3 {
            let t = rig.e.spend("acc0", rent_pva(), rig.clock).unwrap();
            assert!(rig.run_until_done(t).0);
        }
        rig.run_for(60_000);
        let pva: Vec<i64> = rig.sent[switched..].iter().map(|(t, _, _)| *t).collect();
        assert!(pva.len() > 5, "{} SMSPVA requests", pva.len());
        for w in pva.windows(2) {
            assert!(w[1] - w[0] >= SMSPVA_GAP_MS, "SMSPVA burst after the switch: {} ms apart", w[1] - w[0]);
        }
        assert!(rig.sent[switched..].iter().all(|(_, _, u)| u.starts_with(&rig.emu.smspva_base())));
        assert!(rig.e.store.records.values().all(|r| r.rental.provider == Provider::Smspva));
        assert_eq!(rig.e.store.records.len(), 3);
    }
}

#[test]
fn smsonline_lost_prolong_is_proven_by_the_balance_or_blocks_the_next_one() {
    for d in DIALECTS {
        let mut rig = Rig::new(d, &[Provider::Smsonline]);
        let t = rig.e.spend("acc0", rent_so(), rig.clock).unwrap();
        let (_, v, _) = rig.run_until_done(t);
        let key = v["record"].as_str().unwrap().to_string();
        let id = key.rsplit(':').next().unwrap().to_string();
        let prolong = || Request::ContinueRentNumber { id: id.clone(), rent_time: 4 };
        // charged, answer lost: the balance moved by the quoted price
        control(&rig.emu, "fail?provider=smsonline&method=continueRentNumber&mode=after:timeout");
        let until0 = rig.e.store.records[&key].rental.until.unwrap();
        let b0 = rig.balance();
        let t = rig.e.spend("acc0", prolong(), rig.clock).unwrap();
        let (ok, v, code) = rig.run_until_done(t);
        assert!(ok, "{d:?}: {code:?}");
        assert_eq!(v["reconciled"], true);
        assert!(rig.balance() < b0);
        assert_eq!(rig.e.store.records[&key].rental.until, Some(until0 + 4 * 3600));
        assert_eq!(rig.methods().iter().filter(|m| *m == "continueRentNumber").count(), 1);
        // not carried out: the balance did not move
        control(&rig.emu, "fail?provider=smsonline&method=continueRentNumber&mode=timeout");
        let b1 = rig.balance();
        let t = rig.e.spend("acc0", prolong(), rig.clock).unwrap();
        let (ok, _, code) = rig.run_until_done(t);
        assert!(!ok && code.as_deref() == Some("NOT_CHARGED"), "{code:?}");
        assert_eq!(rig.balance(), b1);
        // nothing proves it (the balance cannot be read afterwards): outcome unknown, second prolong refused
        control(&rig.emu, "fail?provider=smsonline&method=continueRentNumber&mode=after:timeout");
        let t = rig.e.spend("acc0", prolong(), rig.clock).unwrap();
        // the price and the balance before are read first; then the lost call; then the balance after fails
        while rig.methods().iter().filter(|m| *m == "continueRentNumber").count() < 3 {
            rig.clock += 60;
            rig.step();
        }
        control(&rig.emu, "fail?provider=smsonline&method=getBalance&mode=html");
        let (ok, _, code) = rig.run_until_done(t);
        assert!(!ok && code.as_deref() == Some("OUTCOME_UNKNOWN"), "{code:?}");
        let again = rig.e.spend("acc0", prolong(), rig.clock);
        assert_eq!(again.unwrap_err().code, "OUTCOME_PENDING");
        assert_eq!(rig.methods().iter().filter(|m| *m == "continueRentNumber").count(), 3, "never a 4th");
        let view = rig.e.view(rig.clock / 1000, &Default::default(), None);
        let rv = view.rentals.iter().find(|r| r.key == key).unwrap();
        assert_eq!(rv.notice.as_ref().map(|n| n.code.as_str()), Some("OUTCOME_PENDING"));
        assert!(!rv.actions.iter().any(|a| a.intent == "prolong"), "prolong is not offered");
        // the user checked: allowed again
        rig.e.clear_unknown(&key);
        assert!(rig.e.spend("acc0", prolong(), rig.clock).is_ok());
    }
}

#[test]
fn a_worker_stopped_mid_spend_leaves_the_outcome_unknown_until_a_list_settles_it() {
    let mut rig = Rig::new(Dialect::Live, &[Provider::Smspva]);
    rig.run_for(1000);
    let mut stored: Map = Map::new();
    let persist = |rig: &mut Rig, stored: &mut Map| {
        let w = rig.e.take_writes();
        for (k, v) in w.set {
            stored.insert(k, Value::String(v));
        }
        for k in w.remove {
            stored.remove(&k);
        }
    };
    persist(&mut rig, &mut stored);
    let _t = rig.e.spend("acc0", rent_pva(), rig.clock).unwrap();
    // the list before, then the create is sent ... and the worker dies before its answer is read
    let next = |rig: &mut Rig| loop {
        let out = rig.e.due(rig.clock);
        if !out.is_empty() {
            return out;
        }
        rig.clock += 100;
    };
    let out = next(&mut rig);
    assert_eq!(out.len(), 1);
    assert!(!out[0].spends_money);
    rig.e.answer(out[0].id, get(&out[0].url, Duration::from_secs(3)), rig.clock);
    let out = next(&mut rig);
    assert!(out[0].spends_money);
    persist(&mut rig, &mut stored);
    assert!(stored.keys().any(|k| k.starts_with("spend:")), "the journal is written before the call");
    let _ = get(&out[0].url, Duration::from_secs(3)).unwrap();
    // a new worker starts from storage
    let mut e2 = Engine::new();
    e2.load(&stored, rig.clock);
    e2.set_accounts(vec![account("acc0", Provider::Smspva, &rig.emu, TEST_KEY)], rig.clock);
    assert!(e2.banners.iter().any(|b| b.code == "SPEND_INTERRUPTED"));
    assert_eq!(e2.spend("acc0", rent_pva(), rig.clock).unwrap_err().code, "OUTCOME_PENDING");
    let Rig { emu, .. } = rig;
    let mut rig2 = Rig { emu, e: e2, clock: 2_000_000_000, sent: vec![], events: vec![] };
    rig2.run_for(5000);
    assert_eq!(rig2.e.store.records.len(), 1, "the rental the interrupted call bought is adopted by the list");
    assert!(!rig2.e.banners.iter().any(|b| b.code == "SPEND_INTERRUPTED"));
    assert!(rig2.e.spend("acc0", rent_pva(), rig2.clock).is_ok(), "settled: spending allowed again");
    let w = rig2.e.take_writes();
    assert!(w.remove.iter().any(|k| k == "spend:acc0"));
    assert_eq!(stored.get("schema").and_then(Value::as_str), Some(SCHEMA.to_string().as_str()));
}

#[test]
fn a_bound_rental_with_a_code_is_polled_fast_for_the_next_one() {
    for d in DIALECTS {
        let mut rig = Rig::new(d, &[Provider::Smsonline, Provider::Smspva]);
        let t = rig.e.spend("acc0", rent_so(), rig.clock).unwrap();
        let key = rig.run_until_done(t).1["record"].as_str().unwrap().to_string();
        let id: i64 = key.rsplit(':').next().unwrap().parse().unwrap();
        control(&rig.emu, &format!("sms?provider=smsonline&id={id}&text=Your%20code%20is%20111111"));
        rig.run_for(10_000);
        assert_eq!(rig.e.store.records[&key].sms.len(), 1);
        // 40 minutes later, with one code already there, the user fills the number into a page again
        rig.run_for(40 * 60_000);
        rig.e.bind_tab(&key, 7, Some("example.com".into()), rig.clock);
        let t0 = rig.clock;
        control(&rig.emu, &format!("sms?provider=smsonline&id={id}&text=Your%20code%20is%20222222"));
        let mut got = None;
        while rig.clock - t0 < 30_000 {
            rig.run_for(250);
            if rig.e.store.records[&key].sms.iter().any(|m| m.code.as_deref() == Some("222222")) {
                got = Some(rig.clock - t0);
                break;
            }
        }
        let got = got.expect("second code arrives");
        assert!(got <= 6_000, "second code after {got} ms (fast interval 3 s)");
    }
}

#[test]
fn rate_limited_accounts_back_off_without_an_error_banner() {
    let mut rig = Rig::new(Dialect::Live, &[Provider::Smsonline]);
    control(&rig.emu, "fail?provider=smsonline&method=getRentList&mode=code:CHANNELS_LIMIT");
    rig.run_for(2000);
    assert!(rig.e.store.errors.is_empty(), "rate limiting is not a failure of the account");
    let n = rig.sent.len();
    rig.run_for(5000);
    assert_eq!(rig.sent.len(), n, "held back");
    rig.run_for(60_000);
    assert!(rig.sent.len() > n, "and resumed");
}

#[test]
fn smspva_order_not_found_closes_the_rental_and_stops_polling_it() {
    let mut rig = Rig::new(Dialect::Live, &[Provider::Smspva]);
    let t = rig.e.spend("acc0", rent_pva(), rig.clock).unwrap();
    let key = rig.run_until_done(t).1["record"].as_str().unwrap().to_string();
    // activated: it can receive SMS
    rig.emu.with(|s| s.orders.iter_mut().for_each(|o| o.state = 1));
    rig.e.poll_now(rig.clock);
    rig.run_for(10_000);
    assert!(rig.e.store.records[&key].awaits_code(rig.clock / 1000), "a rental the user just rented is awaited");
    control(&rig.emu, "fail?provider=smspva&method=sms&mode=code:order%20not%20found&count=1");
    let n = rig.methods().iter().filter(|m| *m == "sms").count();
    for _ in 0..200 {
        if rig.methods().iter().filter(|m| *m == "sms").count() > n {
            break;
        }
        rig.clock += 500;
        rig.step();
    }
    assert!(!rig.e.store.records[&key].rental.state.is_open(), "closed by the provider's answer");
    assert!(!rig.e.store.records[&key].awaits_code(rig.clock / 1000), "no longer polled fast");
}

#[test]
fn smspva_add_service_offers_the_services_of_the_rentals_country_asked_once() {
    for d in DIALECTS {
        let mut rig = Rig::new(d, &[Provider::Smspva]);
        let t = rig.e.spend("acc0", rent_pva(), rig.clock).unwrap();
        rig.run_until_done(t);
        rig.run_for(60_000);
        rig.e.poll_now(rig.clock);
        rig.run_for(60_000);
        // one getdata for the rental's country, in the background, whatever the number of ticks
        let asked = rig.methods().iter().filter(|m| *m == "getdata").count();
        assert_eq!(asked, 1, "{d:?}: {:?}", rig.methods());
        let list = &rig.e.services.get(&("acc0".to_string(), "RU".to_string())).expect("services of RU kept").list;
        assert!(list.iter().any(|(code, name)| code == "opt16" && !name.is_empty()), "{list:?}");
        // the view offers them on the open rental
        let view = rig.e.view(rig.clock / 1000, &Default::default(), None);
        let r = view.rentals.iter().find(|r| r.provider == Provider::Smspva && r.open).expect("the rental");
        let add = r.actions.iter().find(|a| a.intent == "add-service").expect("add service offered");
        assert!(add.options.iter().any(|o| o.value == "opt16"), "{:?}", add.options);

        // the worker stops and wakes: the list comes back from storage, is offered before any
        // request, and is not asked for again (one getdata per country per wake was the cost)
        let stored: Map = rig.e.take_writes().set.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        let svc = stored.keys().find(|k| k.starts_with("svc:")).expect("the list is stored").clone();
        let mut woken = Engine::new();
        assert!(woken.load(&stored, rig.clock).is_empty(), "stored state reads back");
        woken.set_accounts(vec![account("acc0", Provider::Smspva, &rig.emu, TEST_KEY)], rig.clock);
        rig.e = woken;
        rig.sent.clear();
        let view = rig.e.view(rig.clock / 1000, &Default::default(), None);
        let r = view.rentals.iter().find(|r| r.provider == Provider::Smspva && r.open).expect("the rental");
        let add = r.actions.iter().find(|a| a.intent == "add-service").expect("offered at once after a wake");
        assert!(add.options.iter().any(|o| o.value == "opt16"), "{:?}", add.options);
        rig.e.poll_now(rig.clock);
        rig.run_for(60_000);
        assert_eq!(rig.methods().iter().filter(|m| *m == "getdata").count(), 0, "{d:?}: {:?}", rig.methods());
        // a day later the list is asked for again, once
        rig.clock += SERVICES_TTL_S * 1000;
        rig.e.poll_now(rig.clock);
        rig.run_for(60_000);
        rig.e.poll_now(rig.clock);
        rig.run_for(60_000);
        assert_eq!(rig.methods().iter().filter(|m| *m == "getdata").count(), 1, "{d:?}: {:?}", rig.methods());
        // a worker that wakes a day after the list was stored drops it rather than show it
        let stored: Map = rig.e.take_writes().set.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        let mut late = Engine::new();
        late.load(&stored, rig.clock + SERVICES_TTL_S * 1000);
        assert!(late.services.is_empty());
        assert!(late.take_writes().remove.contains(&svc), "the old list is removed from storage");
        // the account removed: its stored list goes with it
        rig.e.take_writes();
        rig.e.set_accounts(vec![], rig.clock);
        assert!(rig.e.take_writes().remove.contains(&svc), "the list of a removed account is removed");
        assert!(rig.e.services.is_empty());
    }
}
