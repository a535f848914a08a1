//! Recorded provider answers, including the exact examples from the API pages
//! and the quirks seen in the wild, parsed without any network.
use otpdock::http::HttpResponse;
use otpdock::model::State;
use otpdock::{smsonline, smspva, ProviderError};

fn ok(body: &str) -> HttpResponse {
    HttpResponse::ok(body)
}

fn so() -> smsonline::Client {
    let mut c = smsonline::Client::new(None, "k");
    c.tz_offset_min = 0;
    c
}

#[test]
fn seed_get_rent_status_example() {
    let body = r#"{ "status": "success", "quantity": "2", "values": { "0": { "phoneFrom": "79180230628", "text": "5", "service": "ot", "date": "2020-01-30 14:31:58" }, "1": { "phoneFrom": "79180230628", "text": "4", "service": "ot", "date": "2025-05-30 14:04:16" } } }"#;
    let st = so().get_rent_status("1", None, None).parse(&ok(body)).unwrap();
    assert_eq!(st.quantity, 2);
    assert_eq!(st.sms.len(), 2);
    assert_eq!(st.sms[0].from, "79180230628");
    assert_eq!(st.sms[0].date, 1580394718);
    assert_eq!(st.sms[1].text, "4");
    assert_eq!(st.state, State::Received);
}

#[test]
fn seed_get_rent_number_example() {
    let body =
        r#"{ "status": "success", "phone": { "id": 1, "endDate": "2025-05-10T12:34:56", "number": "79999876543" } }"#;
    let r = so().get_rent_number("tg", "0", None, None, None).parse(&ok(body)).unwrap();
    assert_eq!(r.id, "1");
    assert_eq!(r.number, "79999876543");
    assert_eq!(r.until, Some(1746880496));
    // with the default Moscow zone the same text is 3 hours earlier in UTC
    let msk = smsonline::Client::new(None, "k").get_rent_number("tg", "0", None, None, None).parse(&ok(body)).unwrap();
    assert_eq!(msk.until, Some(1746880496 - 3 * 3600));
}

#[test]
fn rent_status_errors_in_every_envelope() {
    let c = so();
    for body in
        [r#"{"status":"error","message":"NO_ID_RENT"}"#, "NO_ID_RENT", "\"NO_ID_RENT\"", "\u{feff}NO_ID_RENT\r\n"]
    {
        assert_eq!(c.get_rent_status("1", None, None).parse(&ok(body)), Err(ProviderError::NoIdRent), "{body}");
    }
    let cases = [
        ("BAD_ACTION", ProviderError::BadAction),
        ("BAD_KEY", ProviderError::BadKey),
        ("ERROR_SQL", ProviderError::ErrorSql),
        ("BANNED:'2025-01-01 10-00-00'", ProviderError::Banned { until: "2025-01-01 10-00-00".into() }),
        ("ACCOUNT_INACTIVE", ProviderError::AccountInactive),
        ("INVALID_PHONE", ProviderError::InvalidPhone),
    ];
    for (tok, want) in cases {
        let body = format!(r#"{{"status":"error","message":"{tok}"}}"#);
        assert_eq!(c.get_rent_status("1", None, None).parse(&ok(&body)), Err(want), "{tok}");
    }
    for (tok, state) in [
        ("STATUS_FINISH", State::Finished),
        ("STATUS_CANCEL", State::Cancelled),
        ("STATUS_WAIT_CODE", State::Waiting),
        ("STATUS_REVOKE", State::Revoked),
    ] {
        let body = format!(r#"{{"status":"error","message":"{tok}"}}"#);
        assert_eq!(c.get_rent_status("1", None, None).parse(&ok(&body)).unwrap().state, state, "{tok}");
    }
}

#[test]
fn get_rent_number_errors() {
    let c = so();
    let cases = [
        ("BAD_ACTION", "BAD_ACTION"),
        ("BAD_KEY", "BAD_KEY"),
        ("ERROR_SQL", "ERROR_SQL"),
        ("BANNED:'2030-01-01 00-00-00'", "BANNED"),
        ("ACCOUNT_INACTIVE", "ACCOUNT_INACTIVE"),
        ("BAD_COUNTRY", "BAD_COUNTRY"),
        ("BAD_SERVICE", "BAD_SERVICE"),
        ("BAD_TIME", "BAD_TIME"),
        ("NO_BALANCE", "NO_BALANCE"),
        ("NO_NUMBERS", "NO_NUMBERS"),
        ("ACCOUNT_BLOCKED", "ACCOUNT_BLOCKED"),
    ];
    for (tok, code) in cases {
        let body = format!(r#"{{"status":"error","message":"{tok}"}}"#);
        assert_eq!(c.get_rent_number("tg", "0", None, None, None).parse(&ok(&body)).unwrap_err().code(), code);
    }
    assert_eq!(
        c.get_rent_number("tg", "0", None, None, None).parse(&ok(r#"{"status":"error","message":"SOMETHING_NEW"}"#)),
        Err(ProviderError::UnknownCode { code: "SOMETHING_NEW".into() })
    );
}

#[test]
fn set_status_answers_and_errors() {
    let c = so();
    let call = c.set_status("1", smsonline::SetStatus::Cancel);
    assert_eq!(call.parse(&ok("ACCESS_RETRY_GET")), Ok(smsonline::SetStatusResult::RetryGet));
    assert_eq!(call.parse(&ok("ACCESS_ACTIVATION")), Ok(smsonline::SetStatusResult::Finished));
    assert_eq!(call.parse(&ok("\"ACCESS_CANCEL\"")), Ok(smsonline::SetStatusResult::Cancelled));
    assert_eq!(
        call.parse(&ok(r#"{"status":"success","message":"ACCESS_CANCEL"}"#)),
        Ok(smsonline::SetStatusResult::Cancelled)
    );
    for (tok, e) in [
        ("BAD_KEY", ProviderError::BadKey),
        ("BAD_ACTION", ProviderError::BadAction),
        ("ERROR_SQL", ProviderError::ErrorSql),
        ("BANNED:'2025-01-01 10-00-00'", ProviderError::Banned { until: "2025-01-01 10-00-00".into() }),
        ("ACCOUNT_INACTIVE", ProviderError::AccountInactive),
        ("EARLY_CANCEL_DENIED", ProviderError::EarlyCancelDenied),
        ("NO_ACTIVATION", ProviderError::NoActivation),
        ("BAD_STATUS", ProviderError::BadStatus),
        ("WRONG_ACTIVATION_ID", ProviderError::WrongActivationId),
    ] {
        assert_eq!(call.parse(&ok(tok)), Err(e.clone()), "{tok}");
        assert_eq!(call.parse(&ok(&format!(r#"{{"status":"error","message":"{tok}"}}"#))), Err(e), "json {tok}");
    }
}

#[test]
fn numbers_as_strings_and_keyed_lists() {
    let body = r#"{"status":"success","activeActivations":{"0":{"activationId":"635468024","serviceCode":"tg","phoneNumber":"79001234567","activationCost":"12.50","activationStatus":"4","smsCode":["12345"],"smsText":"[\"Telegram code 12345\"]","activationTime":"2022-06-01 17:30:57","discount":"0.00","repeated":"0","countryCode":"0","countryName":"Russia","canGetAnotherSms":"1"}}}"#;
    let list = so().get_active_activations().parse(&ok(body)).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].rental.id, "635468024");
    assert_eq!(list[0].rental.cost, Some(12.5));
    assert_eq!(list[0].codes, vec!["12345"]);
    assert!(list[0].rental.can_get_another_sms);

    let orders = r#"{ "status": "1", "data": [ { "id": "40300", "scode": "opt16", "sname": "Instagram", "state": "1", "pnumber": "9096068511", "ccode": "+7", "cname": "RU", "hasnewsms": "1", "until": "1587552240", "canprolong": 1, "canprolongmax": "162", "canprolonguntil": 1634883780, "lastonline": 1586947920 } ] }"#;
    let o = smspva::Client::new(None, "k").orders().parse(&ok(orders)).unwrap();
    assert_eq!(o[0].id, "40300");
    assert_eq!(o[0].number, "79096068511");
    assert_eq!(o[0].state, State::Waiting);
    assert!(o[0].has_new_sms && o[0].can_prolong);
    assert_eq!(o[0].until, Some(1587552240));
    assert_eq!(o[0].prolong_max_days, Some(162));
}

#[test]
fn smspva_seed_examples() {
    let c = smspva::Client::new(None, "k");
    let create = r#"{ "status": 1, "data": { "id": 40370, "pnumber": "9096037108", "ccode": "+7", "service": "opt6", "until": 1587633960 } }"#;
    let r = c.create(smspva::Period::Week, 1, "RU", "opt6").parse(&ok(create)).unwrap();
    assert_eq!((r.id.as_str(), r.number.as_str(), r.until), ("40370", "79096037108", Some(1587633960)));
    assert_eq!(r.e164(), "+79096037108");
    let sms = r#"{ "status": 1, "data": [ { "text": "Code Instagram: 671 094.", "sender": "FACEBOOK", "date": 1586948100 } ] }"#;
    let m = c.sms("123").parse(&ok(sms)).unwrap();
    assert_eq!(m[0].code.as_deref(), Some("671094"));
    assert_eq!(m[0].date, 1586948100);
    let hist = r#"{ "status": 1, "data": [{ "orderId":517017,"resourceCode":"opt59","number":"79020831944", "branchId":1235,"haveSms":true,"days":7,"country":"EN", "begin":1222222231,"end":1611111931,"closed":1632445144 }] }"#;
    let h = c.get_rent_history(0, 10).parse(&ok(hist)).unwrap();
    assert_eq!(h[0].order_id, "517017");
    assert_eq!(h[0].closed, Some(1632445144));
    let pre = r#"{ "status": 1, "data": { "ccode": "EN", "scode": "opt59", "price": 2.4, "sname": "Avito", "pnumber": "79929831844", "outdays": 32, "orderid": 317017, "prolongTo": 30 } }"#;
    let q = c.restore_precalc("317017").parse(&ok(pre)).unwrap();
    assert_eq!((q.price, q.out_days, q.order_id.as_str()), (2.4, Some(32), "317017"));
    assert_eq!(c.restore("1").parse(&ok(r#"{"status":1,"data":true}"#)), Ok(()));
    assert!(c.restore("1").parse(&ok(r#"{"status":1,"data":false}"#)).is_err());
    assert_eq!(c.add_service_to_order("1", "opt89", "79000000000").parse(&ok(r#"{ "status": 1 }"#)), Ok(()));
    assert_eq!(
        c.prolong("123", smspva::Period::Week, 1).parse(&ok(r#"{ "status": 1, "data": { "id": 123 } }"#)),
        Ok("123".into())
    );
    let countries = r#"{ "status": 1, "data": [ { "name": "Россия", "code": "RU" } ] }"#;
    assert_eq!(c.get_countries().parse(&ok(countries)).unwrap()[0].code, "RU");
    let data = r#"{ "status": 1, "data": [ { "name": "Airbnb", "service": "opt46", "price_day": 6, "count": 359 } ] }"#;
    assert_eq!(c.get_data("RU", None).parse(&ok(data)).unwrap()[0].price_day, Some(6.0));
}

#[test]
fn smspva_restore_codes() {
    let c = smspva::Client::new(None, "k");
    let cases = [
        ("NOAVAILDAYS", ProviderError::RestoreNoAvailDays),
        ("NOTOWNER", ProviderError::RestoreNotOwner),
        ("NOREMOTEDATA", ProviderError::RestoreNoRemoteData),
        ("NOORDERCOUNTRY", ProviderError::RestoreNoOrderCountry),
        ("DATEDIFFINVERT", ProviderError::RestoreDateDiffInvert),
        ("NOSERVICEDATA", ProviderError::RestoreNoServiceData),
        ("NOBALANCE", ProviderError::RestoreNoBalance { detail: String::new() }),
        ("NOBALANCE: Today need 12.5", ProviderError::RestoreNoBalance { detail: "Today need 12.5".into() }),
        ("the user had not this order", ProviderError::RestoreNotOwner),
        ("Service not found", ProviderError::RestoreNoServiceData),
        ("Balance is not enough", ProviderError::RestoreNoBalance { detail: String::new() }),
        ("Something else entirely", ProviderError::ProviderMessage { msg: "Something else entirely".into() }),
    ];
    for (msg, want) in cases {
        let body = format!(r#"{{"status":0,"msg":"{msg}"}}"#);
        assert_eq!(c.restore_precalc("1").parse(&ok(&body)), Err(want), "{msg}");
    }
}

#[test]
fn hostile_bodies_never_panic_and_give_clear_errors() {
    let c = so();
    let pva = smspva::Client::new(None, "k");
    let bodies = [
        "<html><body>502</body></html>",
        "{",
        "[1,2",
        "{\"status\":\"success\"}",
        "{\"status\":\"success\",\"values\":[{\"date\":\"never\"}]}",
        "null",
        "12345",
        "\u{0}\u{1}",
        "ACCESS_BALANCE:abc",
        "{\"status\":1,\"data\":{\"id\":null}}",
        "{\"status\":\"1\",\"data\":[{\"id\":[]}]}",
        &"A".repeat(5000),
        "STATUS_OK",
        "{\"status\":1}",
    ];
    for b in bodies {
        let r = ok(b);
        let e1 = c.get_rent_status("1", None, None).parse(&r);
        let e2 = c.get_balance().parse(&r);
        let e3 = pva.orders().parse(&r);
        let e4 = pva.prolong("1", smspva::Period::Week, 1).parse(&r);
        for e in [e1.err(), e2.err(), e3.err(), e4.err()].into_iter().flatten() {
            assert!(!e.message(otpdock::Lang::En).is_empty());
            assert!(!e.message(otpdock::Lang::Ru).is_empty());
        }
    }
    assert!(c.get_balance().parse(&ok("ACCESS_BALANCE:abc")).is_err());
    assert_eq!(c.get_balance().parse(&ok("ACCESS_BALANCE:12.50")), Ok(12.5));
}

#[test]
fn every_error_has_distinct_code_and_messages_in_all_languages() {
    use otpdock::Lang;
    let all = [
        ProviderError::BadKey,
        ProviderError::BadAction,
        ProviderError::ErrorSql,
        ProviderError::Banned { until: "x".into() },
        ProviderError::AccountInactive,
        ProviderError::AccountBlocked,
        ProviderError::NoIdRent,
        ProviderError::InvalidPhone,
        ProviderError::StatusFinish,
        ProviderError::StatusCancel,
        ProviderError::StatusWaitCode,
        ProviderError::StatusRevoke,
        ProviderError::EarlyCancelDenied,
        ProviderError::NoActivation,
        ProviderError::NoActivations,
        ProviderError::BadStatus,
        ProviderError::WrongActivationId,
        ProviderError::NoBalance,
        ProviderError::NoNumbers,
        ProviderError::BadService,
        ProviderError::BadCountry,
        ProviderError::BadOperator,
        ProviderError::BadTime,
        ProviderError::WrongMaxPrice { min: "1".into() },
        ProviderError::CannotProlong,
        ProviderError::CannotCancel,
        ProviderError::RestoreNoAvailDays,
        ProviderError::RestoreNotOwner,
        ProviderError::RestoreNoRemoteData,
        ProviderError::RestoreNoOrderCountry,
        ProviderError::RestoreDateDiffInvert,
        ProviderError::RestoreNoServiceData,
        ProviderError::RestoreNoBalance { detail: String::new() },
        ProviderError::ProviderMessage { msg: "m".into() },
        ProviderError::UnknownCode { code: "c".into() },
        ProviderError::Http { status: 500 },
        ProviderError::HtmlPage { status: 502 },
        ProviderError::MalformedJson { detail: "d".into() },
        ProviderError::Unexpected { snippet: "s".into() },
        ProviderError::Timeout,
        ProviderError::Network { detail: "n".into() },
        ProviderError::InvalidInput { detail: "i".into() },
    ];
    let mut codes = std::collections::HashSet::new();
    for e in &all {
        assert!(codes.insert(e.code()), "duplicate code {}", e.code());
        let msgs: Vec<String> =
            [Lang::En, Lang::Ru, Lang::Uk, Lang::Fr, Lang::Pt].iter().map(|l| e.message(*l)).collect();
        for m in &msgs {
            assert!(m.len() > 3, "{}: {m}", e.code());
        }
        assert_ne!(msgs[0], msgs[1], "{} is not translated", e.code());
    }
    assert_eq!(Lang::from_tag("pt-BR"), Lang::Pt);
    assert_eq!(Lang::from_tag("uk"), Lang::Uk);
    assert_eq!(Lang::from_tag("de"), Lang::En);
}
