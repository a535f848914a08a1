//! The browser layer in real headless Chromium against the provider emulator:
//! `fetch_text` (real answers, abort on timeout, unreachable hosts), the
//! extract/plan/site exports, and the `Dock`'s promises: polling on its own
//! with gloo-timers, writes through the `write` hook (and again after a
//! rejected write), `fresh` on a new SMS, a lost rent answer reconciled to one
//! charge, and BUSY for a second rent in flight.
//! Run by test.sh with the emulator's URL in OTPDOCK_EMU (read at compile time).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Promise, Reflect};
use otpdock::api::{self, Account, Request};
use otpdock::error::ProviderError;
use otpdock::wasm::{self as w, fetch_text, Dock};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ACC: &str = "acc";

fn emu() -> &'static str {
    match option_env!("OTPDOCK_EMU") {
        Some(url) => url,
        None => panic!("OTPDOCK_EMU must name the running emulator when building the wasm tests"),
    }
}

async fn control(q: &str) -> Value {
    let r = fetch_text(&format!("{}/_emu/{q}", emu()), 5000).await.expect("control");
    serde_json::from_str(&r.body).unwrap()
}

fn account_json(provider: &str, key: &str) -> Value {
    let path = if provider == "smsonline" { "/stubs/handler_api.php" } else { "/api/rent.php" };
    json!({"id": ACC, "provider": provider, "key": key, "base": format!("{}{}", emu(), path), "label": "Main"})
}

fn js(v: &Value) -> JsValue {
    use serde::Serialize;
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

/// What a page sees of a value from the Dock, read through `JSON.stringify`: a JS `Map`
/// (which serde-wasm-bindgen makes of a map unless told otherwise) would read `{}`, a `NaN` `null`.
fn val(v: JsValue) -> Value {
    if v.is_undefined() {
        return Value::Null;
    }
    let text = js_sys::JSON::stringify(&v).expect("JSON data").as_string().unwrap();
    let back: Value = serde_json::from_str(&text).unwrap();
    // and the same through serde-wasm-bindgen (a Map would differ here from the line above)
    assert_eq!(serde_wasm_bindgen::from_value::<Value>(v).unwrap(), back, "{text}");
    back
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Awaits a Dock promise, failing the test after 30 s instead of hanging the runner.
async fn within(p: Promise, what: &str) -> Result<JsValue, JsValue> {
    const SENTINEL: &str = "__wasm_browser_timeout__";
    let timer = Promise::new(&mut |_, reject| {
        gloo_timers::callback::Timeout::new(30_000, move || {
            let _ = reject.call1(&JsValue::NULL, &SENTINEL.into());
        })
        .forget();
    });
    let r = JsFuture::from(Promise::race(&Array::of2(&p, &timer))).await;
    if matches!(&r, Err(e) if e.as_string().as_deref() == Some(SENTINEL)) {
        panic!("{what} did not settle within 30 s");
    }
    r
}

/// A provider call straight through `fetch_text`, outside any Dock.
async fn direct(provider: &str, req: Request) -> Result<Value, ProviderError> {
    let acc: Account = serde_json::from_value(account_json(provider, "test-key")).unwrap();
    let call = api::build(&acc, &req)?;
    let resp = fetch_text(&call.url, 5000).await?;
    // the crate's own tree, read again as serde_json's
    call.parse(&resp).map(|v| serde_json::from_str(&v.to_string()).unwrap())
}

/// Rents an SMS.online number at the emulator directly (not through a Dock); returns its id.
async fn rent_directly() -> String {
    let req = Request::GetRentNumber { service: "tg".into(), country: "0".into(), operator: None, rent_time: Some(4) };
    let r = direct("smsonline", req).await.expect("rent");
    r["id"].as_str().map(String::from).unwrap_or_else(|| r["id"].to_string())
}

/// The hooks a Dock calls, recording what it hands over; `reject` makes `write` refuse (quota).
#[derive(Default)]
struct Hooks {
    writes: Rc<RefCell<Vec<Value>>>,
    fresh: Rc<RefCell<Vec<Value>>>,
    /// How many writes had been handed over when `fresh` was last called.
    writes_at_fresh: Rc<Cell<usize>>,
    changed: Rc<Cell<u32>>,
    reject: Rc<Cell<bool>>,
}

impl Hooks {
    fn object(&self) -> JsValue {
        let o = Object::new();
        let (writes, reject) = (self.writes.clone(), self.reject.clone());
        let write = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |wr: JsValue| {
            writes.borrow_mut().push(val(wr));
            if reject.get() {
                Promise::reject(&js_sys::Error::new("QuotaExceededError: quota exceeded").into()).into()
            } else {
                Promise::resolve(&JsValue::UNDEFINED).into()
            }
        });
        let (fresh_log, writes, at) = (self.fresh.clone(), self.writes.clone(), self.writes_at_fresh.clone());
        let fresh = Closure::<dyn FnMut(JsValue)>::new(move |list: JsValue| {
            at.set(writes.borrow().len());
            fresh_log.borrow_mut().extend(val(list).as_array().cloned().unwrap_or_default());
        });
        let count = self.changed.clone();
        let changed = Closure::<dyn FnMut()>::new(move || count.set(count.get() + 1));
        for (name, f) in
            [("write", write.into_js_value()), ("fresh", fresh.into_js_value()), ("changed", changed.into_js_value())]
        {
            assert!(f.is_instance_of::<Function>());
            Reflect::set(&o, &name.into(), &f).unwrap();
        }
        o.into()
    }

    /// Every key the Dock asked to set, in order, over all writes from `from` on.
    fn keys_set(&self, from: usize) -> Vec<String> {
        self.writes.borrow()[from..]
            .iter()
            .flat_map(|w| w["set"].as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default())
            .collect()
    }
}

fn dock(provider: &str, hooks: &Hooks) -> Dock {
    let accounts = js(&json!([account_json(provider, "test-key")]));
    Dock::new(Object::new().into(), accounts, hooks.object()).expect("Dock::new")
}

/// Stops a Dock's polling (its timers hold it alive past the test).
fn stop(d: &Dock) {
    d.set_accounts(Array::new().into());
}

async fn settled(d: &Dock) {
    let idle = within(d.settled(20_000), "settled").await.unwrap();
    assert_eq!(idle, JsValue::TRUE, "the Dock did not settle within 20 s");
    // let the write hook's promise settle (the Dock awaits it in a spawned task)
    sleep(100).await;
}

fn banners(d: &Dock) -> Vec<String> {
    val(d.view(None))["banners"].as_array().unwrap().iter().map(|b| b["code"].as_str().unwrap().to_string()).collect()
}

// ---- fetch_text -------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn fetch_reads_a_real_answer() {
    control("reset").await;
    let r = fetch_text(&format!("{}/_emu/state", emu()), 5000).await.unwrap();
    assert_eq!(r.status, 200);
    assert!(r.content_type.contains("json"), "{}", r.content_type);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["balances"]["test-key"], 1000.0);
    assert_eq!(direct("smsonline", Request::GetBalance).await.unwrap(), 1000.0);
}

#[wasm_bindgen_test]
async fn timeouts_abort_the_request() {
    control("reset").await;
    // a method no Dock polls, so only this request meets the injection
    control("fail?provider=smsonline&method=getPrices&mode=timeout&ms=4000").await;
    let url = format!("{}/stubs/handler_api.php?api_key=test-key&action=getPrices", emu());
    let t0 = js_sys::Date::now();
    let e = fetch_text(&url, 300).await.expect_err("must time out");
    assert_eq!(e, ProviderError::Timeout);
    assert!(js_sys::Date::now() - t0 < 3000.0, "the request was not aborted at 300 ms");
}

#[wasm_bindgen_test]
async fn unreachable_provider_is_a_network_error() {
    let e = fetch_text("http://127.0.0.1:9/api/rent.php", 3000).await.expect_err("nothing listens on port 9");
    assert!(matches!(e, ProviderError::Network { .. }), "{e:?}");
}

// ---- exports ----------------------------------------------------------------------------

#[wasm_bindgen_test]
fn exports_extract_codes() {
    assert_eq!(w::extract_code("Ваш код: 4821"), Some("4821".to_string()));
    let v = val(w::extract_otp("Your code is 123456\n@example.com #123456"));
    assert_eq!(v["code"], "123456");
    assert_eq!(v["host"], "example.com");
    assert!(w::extract_otp("no code here").is_null());
}

#[wasm_bindgen_test]
fn fill_plans_and_site_checks() {
    let fields = r#"[{"idx":0,"tag":"input","type":"text","name":"otp","visible":true,"w":120,"h":30,"maxlength":6}]"#;
    let p: Value = serde_json::from_str(&w::plan_code(fields, "123456")).unwrap();
    assert_eq!(p["mode"], "single");
    assert_eq!(p["value"], "123456");
    let p: Value = serde_json::from_str(&w::plan_phone("[]", "+79001234567", "+7", "RU")).unwrap();
    assert!(p.is_object() || p.is_null(), "{p}");
    assert_eq!(w::site_load_psl(""), 0);
    let bad: Value = serde_json::from_str(&w::fill_authorize("not json")).unwrap();
    assert_eq!(bad, json!({"ok": false, "code": "BAD_REQUEST"}));
}

#[wasm_bindgen_test]
fn the_wasm_leaves_out_the_clients_the_extension_never_calls() {
    // SMS.online getStatus and getRentHistory: answered by the native JSON request API only
    let acc = Account {
        id: ACC.into(),
        provider: otpdock::model::Provider::Smsonline,
        key: "k".into(),
        base: None,
        tz_offset_min: None,
        learned_tz_offset_min: None,
    };
    for req in [
        Request::GetStatus { id: "1".into() },
        Request::RentHistory { from: None, to: None, offset: None, limit: None },
    ] {
        assert_eq!(api::call(&acc, &req).err(), Some(ProviderError::BadAction), "{req:?}");
    }
    assert!(api::call(&acc, &Request::GetActiveActivations).is_ok());
}

// ---- Dock ---------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn probe_answers_and_errors_are_typed() {
    control("reset").await;
    let good = within(Dock::probe(js(&account_json("smsonline", "test-key"))), "probe").await.unwrap();
    // (a whole number crosses as 1000, not 1000.0)
    assert_eq!(val(good), json!({"balance": 1000, "balance_text": "1000.00 USD", "orders": null}));
    let pva = within(Dock::probe(js(&account_json("smspva", "test-key"))), "probe").await.unwrap();
    assert_eq!(val(pva), json!({"balance": null, "balance_text": null, "orders": 0}));
    let e = within(Dock::probe(js(&account_json("smsonline", "wrong"))), "probe").await.unwrap_err();
    let e = val(e);
    assert_eq!(e["code"], "BAD_KEY");
    // a code and its parameters; the extension says the words (err_BAD_KEY in _locales)
    assert_eq!(e.get("message"), None, "{e}");
    assert_eq!(e.get("params"), None, "{e}");
    assert_eq!(e["outcome_unknown"], false);
    control("fail?provider=smsonline&method=getBalance&mode=html").await;
    let e = within(Dock::probe(js(&account_json("smsonline", "test-key"))), "probe").await.unwrap_err();
    let e = val(e);
    assert_eq!(e["code"], "HTML_PAGE");
    assert_eq!(e["params"], json!(["502"]), "{e}");

    // an account that cannot be read is refused as invalid input, nothing is fetched
    let e = within(Dock::probe(js(&json!({"id": 1, "provider": "nope"}))), "probe").await.unwrap_err();
    assert_eq!(val(e)["code"], "INVALID_INPUT");

    // requests of the engine's own lanes answer through the same path (the rent form's catalogue)
    control("reset").await;
    let hooks = Hooks::default();
    let d = dock("smsonline", &hooks);
    let c = val(within(d.catalogue(ACC.into(), None, None, None), "catalogue").await.unwrap());
    assert!(c["countries"].as_array().is_some_and(|a| !a.is_empty()), "{c}");
    assert!(c["services"].as_array().is_some_and(|a| !a.is_empty()), "{c}");
    // the same form again within the cache's lifetime asks the provider nothing more
    let catalogue_asks = || async {
        let all = control("requests").await;
        all.as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                matches!(r["method"].as_str(), Some("getRentPrices" | "getRentServicesAndCountries" | "getPrices"))
            })
            .count()
    };
    let asked = catalogue_asks().await;
    assert!(asked >= 1, "{}", control("requests").await);
    let again = val(within(d.catalogue(ACC.into(), None, None, None), "catalogue").await.unwrap());
    assert_eq!(again, c);
    assert_eq!(catalogue_asks().await, asked, "answered from the cache");
    // another request (the 4-hour prices) is not the cached one: it is asked for, then cached too
    let four = val(within(d.catalogue(ACC.into(), None, None, Some("4".into())), "catalogue").await.unwrap());
    assert_eq!(four["duration"], "4", "{four}");
    let asked_four = catalogue_asks().await;
    assert!(asked_four > asked, "the 4-hour prices came from the 24-hour answer");
    within(d.catalogue(ACC.into(), None, None, Some("4".into())), "catalogue").await.unwrap();
    assert_eq!(catalogue_asks().await, asked_four, "the 4-hour answer is cached too");
    let e = within(d.catalogue("nobody".into(), None, None, None), "catalogue").await.unwrap_err();
    assert_eq!(val(e)["code"], "NO_ACCOUNT");
    stop(&d);
}

#[wasm_bindgen_test]
async fn dock_polls_on_its_own_and_writes_records() {
    control("reset").await;
    let id = rent_directly().await;
    let hooks = Hooks::default();
    let d = dock("smsonline", &hooks);
    // no pollNow: the constructor's pump and gloo-timers must do it
    settled(&d).await;
    let key = format!("r:{ACC}/smsonline:{id}");
    assert!(hooks.keys_set(0).contains(&key), "no {key} in {:?}", hooks.writes.borrow());
    assert!(hooks.changed.get() > 0);
    let view = val(d.view(None));
    assert_eq!(view["rentals_total"], 1, "{view}");
    assert!(banners(&d).is_empty(), "{:?}", banners(&d));
    // the answers keep coming from the Dock's own timer: the rental's status is polled again
    let before = control("requests").await.as_array().unwrap().len();
    let mut again = false;
    for _ in 0..150 {
        sleep(200).await;
        if control("requests").await.as_array().unwrap().len() > before + 1 {
            again = true;
            break;
        }
    }
    assert!(again, "the Dock did not poll again on its own within 30 s");
    stop(&d);
}

#[wasm_bindgen_test]
async fn stored_records_load_as_strings_and_as_objects() {
    control("reset").await;
    let id = rent_directly().await;
    let hooks = Hooks::default();
    let d = dock("smsonline", &hooks);
    settled(&d).await;
    stop(&d);
    let key = format!("r:{ACC}/smsonline:{id}");
    let text = hooks.writes.borrow().iter().rev().find_map(|w| w["set"][&key].as_str().map(str::to_string)).unwrap();
    let accounts = || js(&json!([account_json("smsonline", "test-key")]));
    // as chrome.storage returns it: a string, read as it is
    let d = Dock::new(js(&json!({ &key: text })), accounts(), Hooks::default().object()).expect("Dock::new");
    let view = val(d.view(None));
    assert_eq!(view["rentals_total"], 1, "{view}");
    assert!(banners(&d).is_empty(), "{:?}", banners(&d));
    stop(&d);
    // an object where a record string belongs (hand-edited, another tool): kept aside and said
    let d = Dock::new(
        js(&json!({ &key: serde_json::from_str::<Value>(&text).unwrap() })),
        accounts(),
        Hooks::default().object(),
    )
    .expect("Dock::new");
    assert_eq!(banners(&d), vec!["STORE_KEPT_ASIDE"]);
    stop(&d);
    // a number JS cannot hold exactly: kept aside too, and the view still crosses to JS
    // (serde-wasm-bindgen refuses such a number, which would fail the whole view)
    let mut huge: Value = serde_json::from_str(&text).unwrap();
    huge["rental"]["until"] = json!(1u64 << 60);
    let d =
        Dock::new(js(&json!({ &key: huge.to_string() })), accounts(), Hooks::default().object()).expect("Dock::new");
    assert_eq!(banners(&d), vec!["STORE_KEPT_ASIDE"]);
    assert_eq!(val(d.view(None))["rentals_total"], 0);
    stop(&d);
    // undefined, null and a non-object are an empty store, not an error
    for stored in [JsValue::UNDEFINED, JsValue::NULL, JsValue::from_str("x")] {
        let d = Dock::new(stored, accounts(), Hooks::default().object()).expect("Dock::new");
        assert_eq!(val(d.view(None))["rentals_total"], 0);
        stop(&d);
    }
}

#[wasm_bindgen_test]
async fn fresh_is_called_with_a_new_sms() {
    control("reset").await;
    let id = rent_directly().await;
    let hooks = Hooks::default();
    let d = dock("smsonline", &hooks);
    settled(&d).await;
    assert!(hooks.fresh.borrow().is_empty(), "{:?}", hooks.fresh.borrow());
    let r = control(&format!("sms?id={id}&text=Telegram%20code%2055555")).await;
    assert_eq!(r["ok"], true);
    d.poll_now();
    settled(&d).await;
    let fresh = hooks.fresh.borrow().clone();
    assert_eq!(fresh.len(), 1, "{fresh:?}");
    assert_eq!(fresh[0]["record"], format!("{ACC}/smsonline:{id}"));
    assert_eq!(fresh[0]["sms"]["code"], "55555");
    assert!(fresh[0]["sms"]["text"].as_str().unwrap().contains("55555"));
    // stored before it is announced (and auto-filled): a hook that changes state cannot have its
    // newer write overtaken by this older one
    let key = format!("r:{ACC}/smsonline:{id}");
    let stored_at = hooks
        .writes
        .borrow()
        .iter()
        .position(|w| w["set"][&key].as_str().is_some_and(|t| t.contains("55555")))
        .expect("the SMS is stored");
    assert!(
        stored_at < hooks.writes_at_fresh.get(),
        "written at {stored_at}, announced after {}",
        hooks.writes_at_fresh.get()
    );
    // announced once: polling again finds nothing new
    d.poll_now();
    settled(&d).await;
    assert_eq!(hooks.fresh.borrow().len(), 1);
    stop(&d);
}

#[wasm_bindgen_test]
async fn lost_rent_answer_is_reconciled_to_one_charge() {
    control("reset").await;
    let hooks = Hooks::default();
    let d = dock("smsonline", &hooks);
    settled(&d).await;
    control("fail?provider=smsonline&method=getRentNumber&mode=after:html").await;
    let choice = js(&json!({"service": "tg", "country": "0", "duration": "4"}));
    let r = val(within(d.rent(ACC, choice), "rent").await.expect("the lost answer must be reconciled"));
    assert_eq!(r["reconciled"], true, "{r}");
    let record = r["record"].as_str().unwrap().to_string();
    let st = control("state").await;
    let rents = st["rents"].as_array().unwrap();
    assert_eq!(rents.len(), 1, "{st}");
    assert_eq!(record, format!("{ACC}/smsonline:{}", rents[0]["id"]));
    let reqs = control("requests").await;
    let rent_calls = reqs.as_array().unwrap().iter().filter(|q| q["method"] == "getRentNumber").count();
    assert_eq!(rent_calls, 1, "a spend is never retried");
    let balance = st["balances"]["test-key"].as_f64().unwrap();
    assert!(balance < 1000.0, "the one rent was charged: {balance}");
    settled(&d).await;
    assert!(hooks.keys_set(0).contains(&format!("r:{record}")));
    stop(&d);
}

#[wasm_bindgen_test]
async fn second_rent_in_flight_is_busy() {
    control("reset").await;
    control("latency?ms=300").await;
    let hooks = Hooks::default();
    let d = dock("smsonline", &hooks);
    let choice = json!({"service": "tg", "country": "0", "duration": "4"});
    let first = d.rent(ACC, js(&choice));
    let e = within(d.rent(ACC, js(&choice)), "rent").await.expect_err("a second spend while one is in flight");
    assert_eq!(val(e)["code"], "BUSY");
    let r = val(within(first, "first rent").await.expect("the first rent goes through"));
    assert!(r["record"].is_string(), "{r}");
    control("latency?ms=0").await;
    settled(&d).await;
    assert_eq!(control("state").await["rents"].as_array().unwrap().len(), 1);
    stop(&d);
}

#[wasm_bindgen_test]
async fn rejected_write_shows_a_banner_and_is_written_again() {
    control("reset").await;
    let id = rent_directly().await;
    let hooks = Hooks::default();
    hooks.reject.set(true);
    let d = dock("smsonline", &hooks);
    settled(&d).await;
    assert!(banners(&d).contains(&"STORE_WRITE_FAILED".to_string()), "{:?}", banners(&d));
    let refused = hooks.keys_set(0);
    assert!(refused.contains(&format!("r:{ACC}/smsonline:{id}")), "{refused:?}");
    // the storage accepts again; the next change carries everything refused
    hooks.reject.set(false);
    let from = hooks.writes.borrow().len();
    control(&format!("sms?id={id}&text=code%2012345")).await;
    d.poll_now();
    settled(&d).await;
    let again = hooks.keys_set(from);
    for k in &refused {
        assert!(again.contains(k), "{k} was not written again: {again:?}");
    }
    assert!(!banners(&d).contains(&"STORE_WRITE_FAILED".to_string()), "{:?}", banners(&d));
    stop(&d);
}

#[wasm_bindgen_test]
async fn the_fill_waits_for_a_late_field_in_rust() {
    let now = js_sys::Date::now();
    let t0 = js_sys::Date::now();
    assert_eq!(within(w::fill_retry(now, "none", "NO_FIELD"), "fillRetry").await.unwrap(), JsValue::TRUE);
    let waited = js_sys::Date::now() - t0;
    assert!((200.0..2000.0).contains(&waited), "paced by a gloo timer: {waited} ms");
    // final outcomes and an expired deadline answer at once
    for (since, mode, reason) in [(now, "single", ""), (now, "none", "AMBIGUOUS"), (now - 6000.0, "none", "NO_FIELD")] {
        let t0 = js_sys::Date::now();
        assert_eq!(within(w::fill_retry(since, mode, reason), "fillRetry").await.unwrap(), JsValue::FALSE);
        assert!(js_sys::Date::now() - t0 < 200.0);
    }
}
