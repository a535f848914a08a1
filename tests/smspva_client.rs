#![cfg(not(target_arch = "wasm32"))]
//! All twelve SMSPVA rent.php methods against the emulator, in both dialects (the
//! published page and the live shapes: SmsList/OtherSms, data.services, array create,
//! string status, lower-case order msgs).
mod common;
use common::{control, requests, run, run_with, DIALECTS};
use otpdock::model::State;
use otpdock::smspva::{Client, Period};
use otpdock::ProviderError;
use otpdock_emulator::{Dialect, Emulator, PVA_RATE_LIMIT_MSG, TEST_KEY};
use std::time::Duration;

fn setup_in(d: Dialect) -> (Emulator, Client) {
    let emu = Emulator::start_with(0, d).unwrap();
    let c = Client::new(Some(&emu.smspva_base()), TEST_KEY);
    (emu, c)
}

fn balance(emu: &Emulator) -> f64 {
    control(emu, "state")["balances"][TEST_KEY].as_f64().unwrap()
}

#[test]
fn catalogue() {
    for d in DIALECTS {
        let (_emu, c) = setup_in(d);
        let countries = run(&c.get_countries()).unwrap();
        assert!(countries.iter().any(|x| x.code == "RU" && x.name == "Россия"));
        let data = run(&c.get_data("RU", Some((Period::Week, 1)))).unwrap();
        let ig = data.iter().find(|s| s.service == "opt16").unwrap();
        assert_eq!(ig.name, "Instagram");
        assert_eq!(ig.price_day, Some(5.0));
        assert_eq!(ig.count, Some(359));
        assert_eq!(
            run(&c.get_data("XX", None)),
            Err(ProviderError::ProviderMessage { msg: "Country not found".into() })
        );
    }
}

#[test]
fn create_activate_sms_prolong_delete() {
    for d in DIALECTS {
        let (emu, c) = setup_in(d);
        // "exactly 7 days left" below must not become 6 days 23:59:59 when a second ticks by
        control(&emu, "time?freeze=1");
        let r = run(&c.create(Period::Week, 1, "RU", "opt16")).unwrap();
        assert_eq!(r.dial_code.as_deref(), Some("+7"));
        assert!(r.number.starts_with("7909") && r.number.len() == 11, "{}", r.number);
        assert_eq!(r.state, State::NeedsActivation);
        assert_eq!(balance(&emu), 1000.0 - 35.0);

        let orders = run(&c.orders()).unwrap();
        assert_eq!(orders.len(), 1);
        let o = &orders[0];
        assert_eq!(o.id, r.id);
        assert_eq!(o.service, "opt16");
        assert_eq!(o.service_name.as_deref(), Some("Instagram"));
        assert_eq!(o.country.as_deref(), Some("RU"));
        assert_eq!(o.state, State::NeedsActivation);
        assert!(!o.can_prolong, "exactly 7 days left: not yet");
        assert_eq!(run(&c.prolong(&r.id, Period::Week, 1)), Err(ProviderError::CannotProlong));

        assert_eq!(run(&c.activate(&r.id)).unwrap(), r.id);
        assert_eq!(run(&c.orders()).unwrap()[0].state, State::Activating);
        control(&emu, "time?advance=5");
        assert_eq!(run(&c.orders()).unwrap()[0].state, State::Waiting);

        control(&emu, &format!("sms?provider=smspva&id={}&from=FACEBOOK&text=Code%20Instagram%3A%20671%20094.", r.id));
        assert!(run(&c.orders()).unwrap()[0].has_new_sms);
        let sms = run(&c.sms(&r.id)).unwrap();
        assert_eq!(sms.len(), 1);
        assert_eq!(sms[0].from, "FACEBOOK");
        assert_eq!(sms[0].code.as_deref(), Some("671094"));
        assert!(!run(&c.orders()).unwrap()[0].has_new_sms, "reading clears the flag");

        run(&c.add_service_to_order(&r.id, "opt89", &format!("+{}", r.number))).unwrap();
        assert!(matches!(
            run(&c.add_service_to_order(&r.id, "opt89", "123")),
            Err(ProviderError::ProviderMessage { .. })
        ));

        control(&emu, "time?advance=3600");
        let o = run(&c.orders()).unwrap().remove(0);
        assert!(o.can_prolong);
        assert_eq!(o.prolong_max_days, Some(83));
        let until = o.until.unwrap();
        assert_eq!(run(&c.prolong(&r.id, Period::Week, 1)).unwrap(), r.id);
        let o = run(&c.orders()).unwrap().remove(0);
        assert_eq!(o.until.unwrap(), until + 7 * 86400);
        assert!(!o.can_prolong);
        assert_eq!(run(&c.prolong(&r.id, Period::Week, 1)), Err(ProviderError::CannotProlong));

        assert_eq!(run(&c.delete(&r.id)).unwrap(), r.id);
        assert_eq!(run(&c.orders()).unwrap(), vec![]);
    }
}

#[test]
fn archive_and_restore() {
    for d in DIALECTS {
        let (emu, c) = setup_in(d);
        let r = run(&c.create(Period::Week, 1, "EN", "opt59")).unwrap();
        assert_eq!(run(&c.orders()).unwrap()[0].state, State::Waiting, "UK numbers are always active");
        assert_eq!(run(&c.restore_precalc(&r.id)), Err(ProviderError::RestoreDateDiffInvert));
        control(&emu, &format!("time?advance={}", 9 * 86400));
        let hist = run(&c.get_rent_history(0, 10)).unwrap();
        assert_eq!(hist.len(), 1);
        assert_eq!(hist[0].order_id, r.id);
        assert_eq!(hist[0].service, "opt59");
        assert_eq!(hist[0].days, Some(7));
        assert_eq!(run(&c.get_rent_history(1, 10)).unwrap(), vec![]);

        let q = run(&c.restore_precalc(&r.id)).unwrap();
        assert_eq!(q.order_id, r.id);
        assert_eq!(q.out_days, Some(2));
        assert_eq!(q.price, 32.0 * 4.0);
        assert_eq!(q.prolong_to, Some(30));

        let other = Client::new(Some(&emu.smspva_base()), "poor-key");
        assert_eq!(run(&other.restore_precalc(&r.id)), Err(ProviderError::RestoreNotOwner));
        assert_eq!(run(&c.restore_precalc("1")), Err(ProviderError::RestoreNoRemoteData));

        control(&emu, &format!("account?key={TEST_KEY}&balance=10"));
        assert_eq!(run(&c.restore(&r.id)), Err(ProviderError::RestoreNoBalance { detail: "Today need 128.00".into() }));
        control(&emu, &format!("account?key={TEST_KEY}&balance=500"));
        run(&c.restore(&r.id)).unwrap();
        assert_eq!(balance(&emu), 500.0 - 128.0);
        assert_eq!(run(&c.orders()).unwrap()[0].id, r.id);

        control(&emu, &format!("expire?id={}", r.id));
        control(&emu, "time?advance=3000000");
        assert_eq!(run(&c.restore_precalc(&r.id)), Err(ProviderError::RestoreNoAvailDays));
    }
}

#[test]
fn errors_are_typed() {
    for d in DIALECTS {
        let (emu, c) = setup_in(d);
        let bad = Client::new(Some(&emu.smspva_base()), "wrong");
        assert_eq!(run(&bad.orders()), Err(ProviderError::BadKey));
        let poor = Client::new(Some(&emu.smspva_base()), "poor-key");
        assert_eq!(run(&poor.create(Period::Week, 1, "RU", "opt16")), Err(ProviderError::NoBalance));
        control(&emu, "stock?service=opt6&count=0");
        assert_eq!(run(&c.create(Period::Month, 1, "RU", "opt6")), Err(ProviderError::NoNumbers));
        assert_eq!(run(&c.create(Period::Week, 1, "RU", "opt0")), Err(ProviderError::RestoreNoServiceData));
        for (msg, want) in [
            ("NOSERVICEDATA", ProviderError::RestoreNoServiceData),
            ("NOORDERCOUNTRY", ProviderError::RestoreNoOrderCountry),
            ("NOTOWNER", ProviderError::RestoreNotOwner),
            ("Service not found", ProviderError::RestoreNoServiceData),
            ("Balance is not enough", ProviderError::RestoreNoBalance { detail: String::new() }),
        ] {
            control(&emu, &format!("fail?provider=smspva&method=restore_user&mode=code:{}", msg.replace(' ', "%20")));
            assert_eq!(run(&c.restore("5")), Err(want));
        }
        control(&emu, "fail?provider=smspva&method=orders&mode=html200");
        assert_eq!(run(&c.orders()), Err(ProviderError::HtmlPage { status: 200 }));
        control(&emu, "fail?provider=smspva&method=sms&mode=malformed");
        assert!(matches!(run(&c.sms("1")), Err(ProviderError::MalformedJson { .. })));
    }
}

#[test]
fn spending_calls_are_marked_and_urls_match_the_docs() {
    let c = Client::new(None, "yourapikeyhere");
    assert!(c.create(Period::Week, 1, "RU", "opt6").spends_money);
    assert!(c.prolong("123", Period::Week, 1).spends_money);
    assert!(c.restore("1").spends_money);
    assert!(!c.orders().spends_money && !c.activate("1").spends_money && !c.delete("1").spends_money);
    assert_eq!(c.create(Period::Week, 1, "RU", "opt6").url, "https://smspva.com/api/rent.php?method=create&apikey=yourapikeyhere&dtype=week&dcount=1&country=RU&service=opt6");
    assert_eq!(c.get_countries().url, "https://smspva.com/api/rent.php?method=getcountries");
    assert_eq!(
        c.get_rent_history(0, 5).url,
        "https://smspva.com/api/rent.php?method=get_rent_history&apikey=yourapikeyhere&skip=0&take=5"
    );
}

#[test]
fn other_service_sms_are_kept_apart_and_never_a_code() {
    for d in DIALECTS {
        let (emu, c) = setup_in(d);
        let r = run(&c.create(Period::Week, 1, "EN", "opt16")).unwrap();
        assert_eq!(r.state, State::NeedsActivation, "create names no state; orders does");
        control(&emu, &format!("sms?provider=smspva&id={}&from=IG&text=Instagram%20code%20112233", r.id));
        control(&emu, &format!("sms?provider=smspva&id={}&other=1&from=WA&text=WhatsApp%20code%20445566", r.id));
        let sms = run(&c.sms(&r.id)).unwrap();
        let own: Vec<_> = sms.iter().filter(|m| !m.other).collect();
        let other: Vec<_> = sms.iter().filter(|m| m.other).collect();
        assert_eq!(own.len(), 1, "{d:?}");
        assert_eq!(own[0].code.as_deref(), Some("112233"));
        assert!(own[0].date > 0 && own[0].text == "Instagram code 112233");
        if d == Dialect::Live {
            assert_eq!(other.len(), 1);
            assert_eq!((other[0].from.as_str(), other[0].text.as_str()), ("WA", "WhatsApp code 445566"));
            assert_eq!(other[0].code, None, "a message for another service is never the rental's code");
            assert_ne!(other[0].key, own[0].key);
        } else {
            assert!(other.is_empty(), "the documented flat list has no other-service messages");
        }
    }
}

#[test]
fn vanished_orders_are_terminal_errors() {
    for d in DIALECTS {
        let (_emu, c) = setup_in(d);
        let e = run(&c.sms("999999")).unwrap_err();
        assert_eq!(e, ProviderError::OrderNotFound, "{d:?}");
        assert!(e.closes_rental());
        let e = run(&c.activate("abc")).unwrap_err();
        let want = if d == Dialect::Live { ProviderError::IncorrectOrder } else { ProviderError::OrderNotFound };
        assert_eq!(e, want);
        assert!(e.closes_rental());
        assert!(!ProviderError::Timeout.closes_rental() && !ProviderError::NoBalance.closes_rental());
    }
}

#[test]
fn requests_are_logged_with_time_and_key_and_the_gap_is_enforced() {
    for d in DIALECTS {
        let (emu, c) = setup_in(d);
        let other = Client::new(Some(&emu.smspva_base()), "poor-key");
        control(&emu, "min_gap?ms=400");
        run(&c.orders()).unwrap();
        // a second call of the same key too soon: SMSPVA's rate-limit answer, typed
        let e = run(&c.orders()).unwrap_err();
        assert_eq!(e, ProviderError::RateLimited, "{d:?}");
        assert!(e.is_rate_limit() && !e.outcome_unknown());
        // another key is not slowed down by this one
        run(&other.orders()).unwrap();
        std::thread::sleep(Duration::from_millis(450));
        run(&c.orders()).unwrap();
        let log = requests(&emu);
        let mine: Vec<_> = log.iter().filter(|r| r["key"] == TEST_KEY && r["protocol"] == "smspva").collect();
        assert_eq!(mine.len(), 3);
        assert_eq!(mine.iter().map(|r| r["rate_limited"].as_bool().unwrap()).collect::<Vec<_>>(), [false, true, false]);
        let t: Vec<u64> = mine.iter().map(|r| r["at_ms"].as_u64().unwrap()).collect();
        assert!(t[2] - t[1] >= 400 && t[1] >= t[0], "{t:?}");
        assert!(log.iter().any(|r| r["key"] == "poor-key" && r["method"] == "orders"));
        assert_eq!(ProviderError::from_smspva_msg(PVA_RATE_LIMIT_MSG), ProviderError::RateLimited);
        control(&emu, "min_gap?ms=0");
        run(&c.orders()).unwrap();
        run(&c.orders()).unwrap();
    }
}

#[test]
fn lost_answers_of_spending_calls_still_spend() {
    for d in DIALECTS {
        let (emu, c) = setup_in(d);
        control(&emu, "fail?provider=smspva&method=create&mode=after:html");
        assert!(run(&c.create(Period::Week, 1, "EN", "opt59")).unwrap_err().outcome_unknown());
        let orders = run(&c.orders()).unwrap();
        assert_eq!(orders.len(), 1, "{d:?}: the order exists although its answer was lost");
        assert_eq!(balance(&emu), 1000.0 - 28.0);
        let id = orders[0].id.clone();
        control(&emu, "time?advance=3600");
        control(&emu, "fail?provider=smspva&method=prolong&mode=after:timeout&ms=800");
        assert_eq!(run_with(&c.prolong(&id, Period::Week, 1), Duration::from_millis(300)), Err(ProviderError::Timeout));
        std::thread::sleep(Duration::from_millis(600));
        assert_eq!(balance(&emu), 1000.0 - 56.0, "prolonged");
        control(&emu, &format!("expire?id={id}"));
        control(&emu, "fail?provider=smspva&method=restore_user&mode=after:malformed");
        assert!(run(&c.restore(&id)).unwrap_err().outcome_unknown());
        assert_eq!(run(&c.orders()).unwrap()[0].id, id, "restored");
    }
}

#[test]
fn keys_never_leave_the_client_layer() {
    for d in DIALECTS {
        let (emu, c) = setup_in(d);
        control(&emu, "fail?provider=smspva&method=orders&mode=echo");
        let e = run(&c.orders()).unwrap_err();
        let shown = format!("{e:?} {}", e.info().words(otpdock::Lang::Ru));
        assert!(!shown.contains(TEST_KEY) && shown.contains("apikey=***"), "{shown}");
        let r = run(&c.create(Period::Week, 1, "EN", "opt16")).unwrap();
        control(
            &emu,
            &format!("sms?provider=smspva&id={}&text=GET%20%2Frent.php%3Fapikey%3D{TEST_KEY}%20code%20991188", r.id),
        );
        let m = run(&c.sms(&r.id)).unwrap();
        assert!(!m[0].text.contains(TEST_KEY), "{}", m[0].text);
        assert_eq!(m[0].code.as_deref(), Some("991188"));
    }
}
