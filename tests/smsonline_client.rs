#![cfg(not(target_arch = "wasm32"))]
//! Every SMS.online (sms-activate protocol) method against the emulator, in both dialects
//! (the published pages and the live shapes of the family).
mod common;
use common::{control, run, run_with, DIALECTS};
use otpdock::model::{Kind, State};
use otpdock::smsonline::{
    learn_tz_offset_min, rezone, ActivationStatus, Client, RentStatusChange, SetStatus, SetStatusResult,
};
use otpdock::ProviderError;
use otpdock_emulator::{Dialect, Emulator, TEST_KEY};
use std::time::Duration;

fn setup(d: Dialect) -> (Emulator, Client) {
    let emu = Emulator::start_with(0, d).unwrap();
    let c = Client::new(Some(&emu.smsonline_base()), TEST_KEY);
    (emu, c)
}

fn now(emu: &Emulator) -> i64 {
    control(emu, "state")["now"].as_i64().unwrap()
}

#[test]
fn balance_and_account_errors() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        assert_eq!(run(&c.get_balance()).unwrap(), 1000.0);
        let bad = Client::new(Some(&emu.smsonline_base()), "nope");
        // documented: bare BAD_KEY; live: {"title":"BAD_KEY"} with HTTP 401
        assert_eq!(run(&bad.get_balance()), Err(ProviderError::BadKey), "{d:?}");
        assert_eq!(run(&bad.get_rent_list()), Err(ProviderError::BadKey), "{d:?}");
        let banned = Client::new(Some(&emu.smsonline_base()), "banned-key");
        assert_eq!(run(&banned.get_balance()), Err(ProviderError::Banned { until: "2030-01-01 10-00-00".into() }));
        let inactive = Client::new(Some(&emu.smsonline_base()), "inactive-key");
        assert_eq!(run(&inactive.get_rent_list()), Err(ProviderError::AccountInactive));
    }
    let (emu, _) = setup(Dialect::Live);
    let nokey = Client::new(Some(&emu.smsonline_base()), "");
    assert_eq!(run(&nokey.get_balance()), Err(ProviderError::NoKey));
}

#[test]
fn rent_offers_and_prices() {
    for d in DIALECTS {
        let (_emu, c) = setup(d);
        let gr = run(&c.get_rent_services_and_countries(Some(24), None, Some("0")));
        if d == Dialect::Live {
            // SMS.online documents only getRentPrices: the caller falls back on BAD_ACTION
            assert_eq!(gr, Err(ProviderError::BadAction));
        } else {
            let o = gr.unwrap();
            assert!(o.countries.contains(&"0".to_string()));
            assert!(o.operators.contains(&"mts".to_string()));
            let tg = o.services.iter().find(|s| s.code == "tg").unwrap();
            assert_eq!((tg.cost, tg.count), (Some(50.0), Some(25)));
        }
        let rp = run(&c.get_rent_prices(Some("0"), Some(24))).unwrap();
        let tg = rp.iter().find(|p| p.service == "tg").unwrap();
        assert_eq!((tg.country.as_str(), tg.cost, tg.count), ("0", 50.0, Some(25)), "{d:?}");
        assert!(rp.iter().all(|p| p.country == "0"));
        let all = run(&c.get_rent_prices(None, None)).unwrap();
        assert_eq!(all.len(), 3 * 5, "every country × service");
        assert_eq!(all.iter().find(|p| p.service == "tg").unwrap().cost, 12.5, "4 hours by default");
        // activation prices are not rent prices
        let ap = run(&c.get_prices(Some("tg"), Some("0"))).unwrap();
        assert_eq!(ap.len(), 1);
        assert_eq!((ap[0].service.as_str(), ap[0].cost), ("tg", 10.0));
        assert_eq!(run(&c.get_prices(None, Some("999"))), Err(ProviderError::BadCountry));
    }
}

#[test]
fn rent_lifecycle_status_and_sms() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        let t0 = now(&emu);
        let r = run(&c.get_rent_number("tg", "0", Some("mts"), Some(24), None)).unwrap();
        assert_eq!(r.kind, Kind::Rent);
        assert!(r.number.starts_with("7909"));
        let until = r.until.unwrap();
        assert!((until - (t0 + 24 * 3600)).abs() <= 2, "{d:?}: 24 h bought (rent_time and time both sent)");
        assert_eq!(r.created, Some(until - 24 * 3600), "a rent knows when it started");
        assert_eq!(run(&c.get_balance()).unwrap(), 950.0);

        let st = run(&c.get_rent_status(&r.id, None, None)).unwrap();
        assert_eq!(st.state, State::Waiting);
        assert!(st.sms.is_empty());

        control(&emu, &format!("sms?id={}&from=Telegram&text=Telegram%20code%3A%2012345", r.id));
        control(&emu, &format!("sms?id={}&from=Telegram&text=Second%20code%3A%20777888", r.id));
        let st = run(&c.get_rent_status(&r.id, None, None)).unwrap();
        assert_eq!(st.state, State::Received);
        assert_eq!(st.quantity, 2);
        assert_eq!(st.sms[0].text, "Second code: 777888");
        assert_eq!(st.sms[0].code.as_deref(), Some("777888"));
        assert_eq!(st.sms[1].code.as_deref(), Some("12345"));
        assert!((st.sms[0].date - t0).abs() <= 2);
        let p1 = run(&c.get_rent_status(&r.id, Some(1), Some(1))).unwrap();
        assert_eq!(p1.sms.len(), 1);
        assert_eq!(p1.sms[0].text, "Telegram code: 12345");

        let list = run(&c.get_rent_list()).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].id.as_str(), list[0].phone.as_str()), (r.id.as_str(), r.number.as_str()));

        assert_eq!(run(&c.get_continue_rent_price(&r.id, 24)).unwrap(), 50.0);
        assert_eq!(run(&c.get_balance()).unwrap(), 950.0, "a price quote spends nothing");
        let longer = run(&c.continue_rent_number(&r.id, 24)).unwrap();
        assert_eq!(longer.until.unwrap(), until + 24 * 3600, "{d:?}");
        assert_eq!(run(&c.get_balance()).unwrap(), 900.0);

        // received SMS do not matter: inside the first 20 minutes a rent can be cancelled;
        // finishing works, and a second change says what the rent already is
        run(&c.set_rent_status(&r.id, RentStatusChange::Finish)).unwrap();
        assert_eq!(run(&c.get_rent_status(&r.id, None, None)).unwrap().state, State::Finished);
        assert_eq!(run(&c.set_rent_status(&r.id, RentStatusChange::Finish)), Err(ProviderError::AlreadyFinished));
        assert_eq!(run(&c.set_rent_status(&r.id, RentStatusChange::Cancel)), Err(ProviderError::AlreadyFinished));
        assert_eq!(run(&c.continue_rent_number(&r.id, 4)), Err(ProviderError::RentDie));
        // no rents left: NO_ID_RENT (documented) or NO_NUMBERS (live) both read as an empty list
        assert_eq!(run(&c.get_rent_list()).unwrap(), vec![], "{d:?}");

        let hist = run(&c.get_rent_history(None, None, None, Some(10))).unwrap();
        assert_eq!(hist.len(), 1);
        assert_eq!(hist[0].id, r.id);
        assert_eq!(hist[0].phone, r.number);
        assert_eq!(hist[0].cost, Some(100.0));
        assert_eq!(hist[0].status.as_deref(), Some("6"));
        assert!(hist[0].sms.as_deref().unwrap().contains("777888"));
        assert_eq!(hist[0].date, r.created);
    }
}

#[test]
fn rent_cancel_window_is_twenty_minutes() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        let r = run(&c.get_rent_number("ig", "0", None, Some(4), None)).unwrap();
        control(&emu, &format!("sms?id={}&text=code%201234", r.id));
        control(&emu, "time?advance=1100");
        run(&c.set_rent_status(&r.id, RentStatusChange::Cancel)).unwrap();
        assert_eq!(run(&c.get_balance()).unwrap(), 1000.0, "refunded");
        assert_eq!(run(&c.get_rent_status(&r.id, None, None)).unwrap().state, State::Cancelled);
        assert_eq!(run(&c.set_rent_status(&r.id, RentStatusChange::Cancel)), Err(ProviderError::AlreadyCancelled));

        let r2 = run(&c.get_rent_number("ig", "0", None, Some(4), None)).unwrap();
        control(&emu, "time?advance=1201");
        let e = run(&c.set_rent_status(&r2.id, RentStatusChange::Cancel)).unwrap_err();
        assert_eq!(e, ProviderError::CannotCancel);
        assert!(e.message(otpdock::Lang::En).contains("20 minutes"));
        assert_eq!(run(&c.get_rent_list()).unwrap().len(), 1, "nothing changed");
    }
}

#[test]
fn rent_errors_are_typed() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        assert_eq!(run(&c.get_rent_number("zz", "0", None, None, None)), Err(ProviderError::BadService));
        assert_eq!(run(&c.get_rent_number("tg", "999", None, None, None)), Err(ProviderError::BadCountry));
        assert_eq!(run(&c.get_rent_number("tg", "0", Some("nokia"), None, None)), Err(ProviderError::BadOperator));
        assert_eq!(run(&c.get_rent_number("tg", "0", None, Some(5), None)), Err(ProviderError::BadTime), "{d:?}");
        control(&emu, "stock?service=wa&count=0");
        assert_eq!(run(&c.get_rent_number("wa", "0", None, None, None)), Err(ProviderError::NoNumbers));
        let poor = Client::new(Some(&emu.smsonline_base()), "poor-key");
        assert_eq!(run(&poor.get_rent_number("tg", "0", None, None, None)), Err(ProviderError::NoBalance));
        assert_eq!(
            run(&c.get_rent_status("", None, None)),
            Err(ProviderError::InvalidInput { detail: "id \"\"".into() })
        );
        assert_eq!(run(&c.get_rent_status("424242", None, None)), Err(ProviderError::InvalidPhone));
        assert_eq!(run(&c.continue_rent_number("424242", 4)), Err(ProviderError::InvalidPhone));
        assert_eq!(run(&c.get_continue_rent_price("424242", 4)), Err(ProviderError::InvalidPhone));
        assert_eq!(run(&c.set_rent_status("424242", RentStatusChange::Finish)), Err(ProviderError::InvalidPhone));
        assert_eq!(run(&c.get_rent_list()), Ok(vec![]), "no rentals is an empty list");
        for (code, want) in [
            ("ERROR_SQL", ProviderError::ErrorSql),
            ("BAD_ACTION", ProviderError::BadAction),
            ("STATUS_REVOKE", ProviderError::StatusRevoke),
            ("CHANNELS_LIMIT", ProviderError::RateLimited),
            ("SERVER_ERROR", ProviderError::ServerError),
            ("NO_MONEY", ProviderError::NoBalance),
            ("WRONG_API_KEY", ProviderError::BadKey),
        ] {
            control(&emu, &format!("fail?method=getRentNumber&mode=code:{code}"));
            assert_eq!(run(&c.get_rent_number("tg", "0", None, None, None)), Err(want.clone()), "{code}");
            control(&emu, &format!("fail?method=getRentNumber&mode=title:{code}"));
            assert_eq!(run(&c.get_rent_number("tg", "0", None, None, None)), Err(want), "title {code}");
        }
        assert!(ProviderError::RateLimited.is_rate_limit() && ProviderError::RateLimited.info().rate_limited);
        assert!(ProviderError::ServerError.outcome_unknown());
    }
}

#[test]
fn revoked_rent_is_a_state() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        let r = run(&c.get_rent_number("tg", "0", None, None, None)).unwrap();
        control(&emu, "fail?method=getRentStatus&mode=code:STATUS_REVOKE");
        assert_eq!(run(&c.get_rent_status(&r.id, None, None)).unwrap().state, State::Revoked);
    }
}

#[test]
fn zone_is_learnt_from_the_rent_answer() {
    for (d, zone_min) in
        [(Dialect::Documented, 180), (Dialect::Live, 0), (Dialect::Live, -300), (Dialect::Documented, 330)]
    {
        let (emu, mut c) = setup(d);
        control(&emu, &format!("tz?min={zone_min}"));
        let sent_at = now(&emu);
        let r = run(&c.get_rent_number("tg", "0", None, Some(12), None)).unwrap();
        let learnt = learn_tz_offset_min(r.until_naive.unwrap(), sent_at, 12).unwrap();
        assert_eq!(learnt, zone_min, "{d:?}");
        // the same answer, re-read in the learnt zone, has the true expiry and start
        let mut fixed = r.clone();
        rezone(&mut fixed, c.tz_offset_min, learnt);
        assert!((fixed.until.unwrap() - (sent_at + 12 * 3600)).abs() <= 2, "{d:?} {zone_min}");
        assert!((fixed.created.unwrap() - sent_at).abs() <= 2);
        // parsing with the learnt zone gives the true expiry
        c.tz_offset_min = learnt;
        let again = run(&c.get_rent_status(&r.id, None, None)).unwrap();
        assert_eq!(again.state, State::Waiting);
        let r2 = run(&c.get_rent_number("tg", "0", None, Some(4), None)).unwrap();
        assert!((r2.until.unwrap() - (now(&emu) + 4 * 3600)).abs() <= 2);
    }
}

#[test]
fn activation_lifecycle() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        let a = run(&c.get_number("wa", "0", None, None)).unwrap();
        assert_eq!(a.kind, Kind::Activation);
        assert_eq!(run(&c.get_status(&a.id)).unwrap(), ActivationStatus::WaitCode);
        if d == Dialect::Documented {
            assert_eq!(run(&c.set_status(&a.id, SetStatus::Ready)).unwrap(), SetStatusResult::Ready);
        } else {
            // SMS.online lists only 3, 6 and 8
            assert_eq!(run(&c.set_status(&a.id, SetStatus::Ready)), Err(ProviderError::BadStatus));
        }
        assert_eq!(run(&c.set_status(&a.id, SetStatus::Cancel)), Err(ProviderError::EarlyCancelDenied));
        assert_eq!(run(&c.set_status(&a.id, SetStatus::Finish)), Err(ProviderError::BadStatus));

        let act = run(&c.get_active_activations()).unwrap();
        assert_eq!(act.len(), 1);
        assert_eq!(act[0].rental.id, a.id);
        assert_eq!(act[0].rental.state, State::Waiting);
        assert!(act[0].rental.created.is_some());

        control(&emu, &format!("sms?id={}&text=WhatsApp%20code%20123-456&code=123456", a.id));
        assert_eq!(run(&c.get_status(&a.id)).unwrap(), ActivationStatus::Ok("123456".into()));
        let act = run(&c.get_active_activations()).unwrap();
        assert_eq!(act[0].rental.state, State::Received);
        assert_eq!(act[0].text.as_deref(), Some("WhatsApp code 123-456"));
        assert!(act[0].rental.can_get_another_sms);

        assert_eq!(run(&c.set_status(&a.id, SetStatus::RequestAnother)).unwrap(), SetStatusResult::RetryGet);
        assert_eq!(run(&c.get_status(&a.id)).unwrap(), ActivationStatus::WaitRetry("123456".into()));
        control(&emu, &format!("sms?id={}&text=code%20654321", a.id));
        assert_eq!(run(&c.get_status(&a.id)).unwrap(), ActivationStatus::Ok("654321".into()));
        assert_eq!(run(&c.set_status(&a.id, SetStatus::Finish)).unwrap(), SetStatusResult::Finished);
        assert_eq!(run(&c.get_active_activations()).unwrap(), vec![]);
        control(&emu, "fail?method=getStatus&mode=code:STATUS_WAIT_RESEND");
        assert_eq!(run(&c.get_status(&a.id)).unwrap(), ActivationStatus::WaitResend);
    }
}

#[test]
fn activation_cancel_after_two_minutes_refunds() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        let a = run(&c.get_number("go", "0", None, None)).unwrap();
        let before = run(&c.get_balance()).unwrap();
        control(&emu, "time?advance=121");
        assert_eq!(run(&c.set_status(&a.id, SetStatus::Cancel)).unwrap(), SetStatusResult::Cancelled);
        assert_eq!(run(&c.get_balance()).unwrap(), before + 6.0);
        assert_eq!(run(&c.get_status(&a.id)).unwrap(), ActivationStatus::Cancelled);
    }
}

#[test]
fn activation_errors_are_typed() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        assert_eq!(run(&c.get_status("999999")), Err(ProviderError::NoActivation));
        assert_eq!(run(&c.set_status("999999", SetStatus::Finish)), Err(ProviderError::NoActivation));
        assert_eq!(
            run(&c.set_status("12ab", SetStatus::Finish)),
            Err(ProviderError::InvalidInput { detail: "id \"12ab\"".into() })
        );
        control(&emu, "fail?method=setStatus&mode=code:WRONG_ACTIVATION_ID");
        assert_eq!(run(&c.set_status("1", SetStatus::Finish)), Err(ProviderError::WrongActivationId));
        control(&emu, "fail?method=setStatus&mode=code:INVALID_ACTIVATION_ID");
        assert_eq!(run(&c.set_status("1", SetStatus::Finish)), Err(ProviderError::InvalidActivationId));
        assert_eq!(
            run(&c.get_number("tg", "0", None, Some(1.0))),
            Err(ProviderError::WrongMaxPrice { min: "10.00".into() })
        );
        assert_eq!(run(&c.get_active_activations()), Ok(vec![]));
    }
}

#[test]
fn transport_failures_are_clear() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        control(&emu, "fail?method=getBalance&mode=html");
        assert_eq!(run(&c.get_balance()), Err(ProviderError::HtmlPage { status: 502 }));
        control(&emu, "fail?method=getRentList&mode=malformed");
        assert!(matches!(run(&c.get_rent_list()), Err(ProviderError::MalformedJson { .. })));
        control(&emu, "fail?method=getBalance&mode=status:503");
        assert_eq!(run(&c.get_balance()), Err(ProviderError::Http { status: 503 }));
        control(&emu, "fail?method=getBalance&mode=timeout&ms=1500");
        assert_eq!(run_with(&c.get_balance(), Duration::from_millis(300)), Err(ProviderError::Timeout));
        control(&emu, "fail?method=getBalance&mode=empty");
        assert!(matches!(run(&c.get_balance()), Err(ProviderError::Unexpected { .. })));
        // an empty 204 is success only where success carries no data
        control(&emu, "fail?method=getRentList&mode=status:204");
        assert!(matches!(run(&c.get_rent_list()), Err(ProviderError::Unexpected { .. })));
        assert_eq!(run(&c.get_balance()).unwrap(), 1000.0, "the emulator keeps working");
    }
}

#[test]
fn lost_answers_of_spending_calls_still_spend() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        control(&emu, "fail?method=getRentNumber&mode=after:html");
        assert!(run(&c.get_rent_number("tg", "0", None, Some(24), None)).unwrap_err().outcome_unknown());
        let list = run(&c.get_rent_list()).unwrap();
        assert_eq!(list.len(), 1, "{d:?}: the rent exists although its answer was lost");
        control(&emu, "fail?method=continueRentNumber&mode=after:timeout&ms=800");
        assert_eq!(
            run_with(&c.continue_rent_number(&list[0].id, 24), Duration::from_millis(300)),
            Err(ProviderError::Timeout)
        );
        control(&emu, "fail?method=getNumber&mode=after:malformed");
        assert!(run(&c.get_number("tg", "0", None, None)).unwrap_err().outcome_unknown());
        std::thread::sleep(Duration::from_millis(600));
        // 50 rent + 50 prolong + 10 activation were charged
        assert_eq!(run(&c.get_balance()).unwrap(), 890.0);
        assert_eq!(run(&c.get_active_activations()).unwrap().len(), 1);
    }
}

#[test]
fn keys_never_leave_the_client_layer() {
    for d in DIALECTS {
        let (emu, c) = setup(d);
        for mode in ["echo", "echojson", "echohtml"] {
            control(&emu, &format!("fail?method=getBalance&mode={mode}"));
            let e = run(&c.get_balance()).unwrap_err();
            let shown = format!("{e:?} {}", e.message(otpdock::Lang::En));
            assert!(
                !shown.contains(TEST_KEY) && shown.contains("action=getBalance") == (mode != "echohtml"),
                "{shown}"
            );
        }
        // an SMS that quotes the key
        let r = run(&c.get_rent_number("tg", "0", None, None, None)).unwrap();
        control(&emu, &format!("sms?id={}&text=your%20key%20{TEST_KEY}%20and%20code%204321", r.id));
        let st = run(&c.get_rent_status(&r.id, None, None)).unwrap();
        assert_eq!(st.sms[0].text, "your key *** and code 4321");
        assert_eq!(st.sms[0].code.as_deref(), Some("4321"));
    }
}

#[test]
fn unknown_action_is_bad_action() {
    let emu = Emulator::start_with(0, Dialect::Documented).unwrap();
    let r = common::get(&format!("{}?api_key={TEST_KEY}&action=nope", emu.smsonline_base()), Duration::from_secs(2))
        .unwrap();
    assert_eq!(r.body, "BAD_ACTION");
}

#[test]
fn money_spending_calls_are_marked() {
    let c = Client::new(None, "k");
    assert!(c.get_rent_number("tg", "0", None, None, None).spends_money);
    assert!(c.continue_rent_number("1", 4).spends_money);
    assert!(c.get_number("tg", "0", None, None).spends_money);
    assert!(!c.get_rent_status("1", None, None).spends_money);
    assert!(!c.set_status("1", SetStatus::Cancel).spends_money);
    assert!(!c.get_continue_rent_price("1", 4).spends_money);
    assert!(!c.get_rent_prices(None, None).spends_money && !c.get_prices(None, None).spends_money);
    assert!(c
        .get_balance()
        .url
        .starts_with("https://api.sms.online/stubs/handler_api.php?api_key=k&action=getBalance"));
    assert!(c.get_rent_number("tg", "0", None, Some(24), None).url.ends_with("&rent_time=24&time=24"));
    assert!(c.continue_rent_number("1", 8).url.ends_with("&id=1&rent_time=8&time=8"));
}

#[test]
fn dialect_switches_at_run_time_and_reset_returns_to_the_start_one() {
    let (emu, c) = setup(Dialect::Documented);
    assert_eq!(control(&emu, "dialect")["dialect"], "documented");
    assert!(run(&c.get_rent_services_and_countries(None, None, None)).is_ok());
    assert_eq!(control(&emu, "dialect?set=live")["dialect"], "live");
    assert_eq!(run(&c.get_rent_services_and_countries(None, None, None)), Err(ProviderError::BadAction));
    assert_eq!(control(&emu, "dialect?set=klingon")["ok"], false);
    assert_eq!(control(&emu, "state")["dialect"], "live");
    control(&emu, "reset");
    assert_eq!(control(&emu, "dialect")["dialect"], "documented");
    assert!(Dialect::parse("LIVE") == Some(Dialect::Live) && Dialect::parse("x").is_none());
}
