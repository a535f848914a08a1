//! Every SMS.online (sms-activate protocol) method against the emulator.
mod common;
use common::{control, run, run_with};
use otpdock::model::{Kind, State};
use otpdock::smsonline::{ActivationStatus, Client, RentStatusChange, SetStatus, SetStatusResult};
use otpdock::ProviderError;
use otpdock_emulator::{Emulator, TEST_KEY};
use std::time::Duration;

fn setup() -> (Emulator, Client) {
    let emu = Emulator::start(0).unwrap();
    let c = Client::new(Some(&emu.smsonline_base()), TEST_KEY);
    (emu, c)
}

#[test]
fn balance_and_account_errors() {
    let (emu, c) = setup();
    assert_eq!(run(&c.get_balance()).unwrap(), 1000.0);
    let bad = Client::new(Some(&emu.smsonline_base()), "nope");
    assert_eq!(run(&bad.get_balance()), Err(ProviderError::BadKey));
    let banned = Client::new(Some(&emu.smsonline_base()), "banned-key");
    assert_eq!(run(&banned.get_balance()), Err(ProviderError::Banned { until: "2030-01-01 10-00-00".into() }));
    let inactive = Client::new(Some(&emu.smsonline_base()), "inactive-key");
    assert_eq!(run(&inactive.get_rent_list()), Err(ProviderError::AccountInactive));
}

#[test]
fn rent_offers() {
    let (_emu, c) = setup();
    let o = run(&c.get_rent_services_and_countries(Some(24), None, Some("0"))).unwrap();
    assert!(o.countries.contains(&"0".to_string()));
    assert!(o.operators.contains(&"mts".to_string()));
    let tg = o.services.iter().find(|s| s.code == "tg").unwrap();
    assert_eq!(tg.cost, Some(50.0));
    assert_eq!(tg.count, Some(25));
}

#[test]
fn rent_lifecycle_status_and_sms() {
    let (emu, c) = setup();
    let r = run(&c.get_rent_number("tg", "0", Some("mts"), Some(24), None)).unwrap();
    assert_eq!(r.kind, Kind::Rent);
    assert!(r.number.starts_with("7909"));
    let until = r.until.unwrap();
    let now = control(&emu, "state")["now"].as_i64().unwrap();
    assert!((until - (now + 24 * 3600)).abs() <= 2, "endDate is Moscow time without zone: {until} vs {now}");
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
    assert!((st.sms[0].date - now).abs() <= 2);
    // paging: one per page, second page holds the older one
    let p1 = run(&c.get_rent_status(&r.id, Some(1), Some(1))).unwrap();
    assert_eq!(p1.sms.len(), 1);
    assert_eq!(p1.sms[0].text, "Telegram code: 12345");

    let list = run(&c.get_rent_list()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, r.id);
    assert_eq!(list[0].phone, r.number);

    let longer = run(&c.continue_rent_number(&r.id, 24)).unwrap();
    assert_eq!(longer.until.unwrap(), until + 24 * 3600);
    assert_eq!(run(&c.get_balance()).unwrap(), 900.0);

    // cannot cancel a rent that received SMS; finishing works; then status says finished
    assert_eq!(run(&c.set_rent_status(&r.id, RentStatusChange::Cancel)), Err(ProviderError::CannotCancel));
    run(&c.set_rent_status(&r.id, RentStatusChange::Finish)).unwrap();
    assert_eq!(run(&c.get_rent_status(&r.id, None, None)).unwrap().state, State::Finished);
    assert_eq!(run(&c.get_rent_list()).unwrap(), vec![]);
}

#[test]
fn rent_cancel_refunds_and_status_cancel() {
    let (_emu, c) = setup();
    let r = run(&c.get_rent_number("ig", "0", None, Some(4), None)).unwrap();
    run(&c.set_rent_status(&r.id, RentStatusChange::Cancel)).unwrap();
    assert_eq!(run(&c.get_balance()).unwrap(), 1000.0);
    assert_eq!(run(&c.get_rent_status(&r.id, None, None)).unwrap().state, State::Cancelled);
}

#[test]
fn rent_errors_are_typed() {
    let (emu, c) = setup();
    assert_eq!(run(&c.get_rent_number("zz", "0", None, None, None)), Err(ProviderError::BadService));
    assert_eq!(run(&c.get_rent_number("tg", "999", None, None, None)), Err(ProviderError::BadCountry));
    assert_eq!(run(&c.get_rent_number("tg", "0", Some("nokia"), None, None)), Err(ProviderError::BadOperator));
    assert_eq!(run(&c.get_rent_number("tg", "0", None, Some(5), None)), Err(ProviderError::BadTime));
    control(&emu, "stock?service=wa&count=0");
    assert_eq!(run(&c.get_rent_number("wa", "0", None, None, None)), Err(ProviderError::NoNumbers));
    let poor = Client::new(Some(&emu.smsonline_base()), "poor-key");
    assert_eq!(run(&poor.get_rent_number("tg", "0", None, None, None)), Err(ProviderError::NoBalance));
    assert_eq!(run(&c.get_rent_status("", None, None)), Err(ProviderError::InvalidInput { detail: "id \"\"".into() }));
    assert_eq!(run(&c.get_rent_status("424242", None, None)), Err(ProviderError::InvalidPhone));
    assert_eq!(run(&c.continue_rent_number("424242", 4)), Err(ProviderError::InvalidPhone));
    assert_eq!(run(&c.set_rent_status("424242", RentStatusChange::Finish)), Err(ProviderError::NoIdRent));
    assert_eq!(run(&c.get_rent_list()), Ok(vec![]), "NO_ID_RENT on an empty list means no rentals");
    // injected protocol errors
    for code in ["ERROR_SQL", "BAD_ACTION", "STATUS_REVOKE"] {
        control(&emu, &format!("fail?method=getRentNumber&mode=code:{code}"));
        let e = run(&c.get_rent_number("tg", "0", None, None, None)).unwrap_err();
        assert_eq!(e.code(), code);
    }
}

#[test]
fn revoked_rent_is_a_state() {
    let (emu, c) = setup();
    let r = run(&c.get_rent_number("tg", "0", None, None, None)).unwrap();
    control(&emu, "fail?method=getRentStatus&mode=code:STATUS_REVOKE");
    assert_eq!(run(&c.get_rent_status(&r.id, None, None)).unwrap().state, State::Revoked);
}

#[test]
fn activation_lifecycle() {
    let (emu, c) = setup();
    let a = run(&c.get_number("wa", "0", None, None)).unwrap();
    assert_eq!(a.kind, Kind::Activation);
    assert_eq!(run(&c.get_status(&a.id)).unwrap(), ActivationStatus::WaitCode);
    assert_eq!(run(&c.set_status(&a.id, SetStatus::Ready)).unwrap(), SetStatusResult::Ready);
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
    assert!(matches!(run(&c.get_status(&a.id)).unwrap(), ActivationStatus::WaitRetry(_)));
    control(&emu, &format!("sms?id={}&text=code%20654321", a.id));
    assert_eq!(run(&c.get_status(&a.id)).unwrap(), ActivationStatus::Ok("654321".into()));
    assert_eq!(run(&c.set_status(&a.id, SetStatus::Finish)).unwrap(), SetStatusResult::Finished);
    assert_eq!(run(&c.get_active_activations()).unwrap(), vec![]);
}

#[test]
fn activation_cancel_after_two_minutes_refunds() {
    let (emu, c) = setup();
    let a = run(&c.get_number("go", "0", None, None)).unwrap();
    let before = run(&c.get_balance()).unwrap();
    control(&emu, "time?advance=121");
    assert_eq!(run(&c.set_status(&a.id, SetStatus::Cancel)).unwrap(), SetStatusResult::Cancelled);
    assert_eq!(run(&c.get_balance()).unwrap(), before + 6.0);
    assert_eq!(run(&c.get_status(&a.id)).unwrap(), ActivationStatus::Cancelled);
}

#[test]
fn activation_errors_are_typed() {
    let (emu, c) = setup();
    assert_eq!(run(&c.get_status("999999")), Err(ProviderError::NoActivation));
    assert_eq!(run(&c.set_status("999999", SetStatus::Ready)), Err(ProviderError::NoActivation));
    assert_eq!(
        run(&c.set_status("12ab", SetStatus::Ready)),
        Err(ProviderError::InvalidInput { detail: "id \"12ab\"".into() })
    );
    control(&emu, "fail?method=setStatus&mode=code:WRONG_ACTIVATION_ID");
    assert_eq!(run(&c.set_status("1", SetStatus::Ready)), Err(ProviderError::WrongActivationId));
    assert_eq!(
        run(&c.get_number("tg", "0", None, Some(1.0))),
        Err(ProviderError::WrongMaxPrice { min: "10.00".into() })
    );
    assert_eq!(run(&c.get_active_activations()), Ok(vec![]));
}

#[test]
fn transport_failures_are_clear() {
    let (emu, c) = setup();
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
    // the emulator keeps working afterwards
    assert_eq!(run(&c.get_balance()).unwrap(), 1000.0);
}

#[test]
fn unknown_action_is_bad_action() {
    let emu = Emulator::start(0).unwrap();
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
    assert!(c
        .get_balance()
        .url
        .starts_with("https://api.sms.online/stubs/handler_api.php?api_key=k&action=getBalance"));
}
