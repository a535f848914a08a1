//! All twelve SMSPVA rent.php methods against the emulator.
mod common;
use common::{control, run};
use otpdock::model::State;
use otpdock::smspva::{Client, Period};
use otpdock::ProviderError;
use otpdock_emulator::{Emulator, TEST_KEY};

fn setup() -> (Emulator, Client) {
    let emu = Emulator::start(0).unwrap();
    let c = Client::new(Some(&emu.smspva_base()), TEST_KEY);
    (emu, c)
}

fn balance(emu: &Emulator) -> f64 {
    control(emu, "state")["balances"][TEST_KEY].as_f64().unwrap()
}

#[test]
fn catalogue() {
    let (_emu, c) = setup();
    let countries = run(&c.get_countries()).unwrap();
    assert!(countries.iter().any(|x| x.code == "RU" && x.name == "Россия"));
    let data = run(&c.get_data("RU", Some((Period::Week, 1)))).unwrap();
    let ig = data.iter().find(|s| s.service == "opt16").unwrap();
    assert_eq!(ig.name, "Instagram");
    assert_eq!(ig.price_day, Some(5.0));
    assert_eq!(ig.count, Some(359));
    assert_eq!(run(&c.get_data("XX", None)), Err(ProviderError::ProviderMessage { msg: "Country not found".into() }));
}

#[test]
fn create_activate_sms_prolong_delete() {
    let (emu, c) = setup();
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
    assert!(matches!(run(&c.add_service_to_order(&r.id, "opt89", "123")), Err(ProviderError::ProviderMessage { .. })));

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

#[test]
fn archive_and_restore() {
    let (emu, c) = setup();
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

#[test]
fn errors_are_typed() {
    let (emu, c) = setup();
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
