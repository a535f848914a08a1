//! The browser layer in real headless Chromium: fetch with timeout against the
//! emulator, the JSON exports the extension calls, and error shapes.
//! Run by test.sh with the emulator's URL in OTPDOCK_EMU.
#![cfg(target_arch = "wasm32")]

use otpdock::wasm::{self as w, fetch_text};
use serde_json::Value;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn emu() -> &'static str {
    option_env!("OTPDOCK_EMU").expect("OTPDOCK_EMU must name the running emulator when building the wasm tests")
}

async fn control(q: &str) -> Value {
    let r = fetch_text(&format!("{}/_emu/{q}", emu()), 5000).await.expect("control");
    serde_json::from_str(&r.body).unwrap()
}

fn account(provider: &str, key: &str) -> String {
    let path = if provider == "smsonline" { "/stubs/handler_api.php" } else { "/api/rent.php" };
    serde_json::json!({"id": "acc", "provider": provider, "key": key, "base": format!("{}{}", emu(), path)}).to_string()
}

async fn call(acc: &str, req: &str) -> Result<Value, Value> {
    match w::provider_call(acc.to_string(), req.to_string(), 3000, "ru".into()).await {
        Ok(s) => Ok(serde_json::from_str(&s).unwrap()),
        Err(e) => Err(serde_json::from_str(&e.as_string().unwrap()).unwrap()),
    }
}

#[wasm_bindgen_test]
fn exports_extract_codes() {
    assert_eq!(w::extract_code("Ваш код: 4821"), Some("4821".to_string()));
    let v: Value = serde_json::from_str(&w::extract_otp("Your code is 123456\n@example.com #123456")).unwrap();
    assert_eq!(v["code"], "123456");
    assert_eq!(v["host"], "example.com");
    assert_eq!(w::extract_otp("no code here"), "null");
}

#[wasm_bindgen_test]
async fn rent_and_read_sms_through_fetch() {
    control("reset").await;
    let acc = account("smsonline", "test-key");
    assert_eq!(call(&acc, r#"{"method":"getBalance"}"#).await.unwrap(), 1000.0);
    let r = call(&acc, r#"{"method":"getRentNumber","service":"tg","country":"0","rent_time":24}"#).await.unwrap();
    let id = r["id"].as_str().unwrap().to_string();
    control(&format!("sms?id={id}&text=Telegram%20code%2055555")).await;
    let st = call(&acc, &format!(r#"{{"method":"getRentStatus","id":"{id}"}}"#)).await.unwrap();
    assert_eq!(st["sms"][0]["code"], "55555");
    // merge into the stored state twice: the SMS is new once
    let req = format!(r#"{{"method":"getRentStatus","id":"{id}"}}"#);
    let a: Value =
        serde_json::from_str(&w::store_ingest("{}".into(), "acc".into(), req.clone(), st.to_string(), 1e9).unwrap())
            .unwrap();
    assert_eq!(a["fresh"].as_array().unwrap().len(), 1);
    let b: Value =
        serde_json::from_str(&w::store_ingest(a["store"].to_string(), "acc".into(), req, st.to_string(), 1e9).unwrap())
            .unwrap();
    assert_eq!(b["fresh"].as_array().unwrap().len(), 0);
}

#[wasm_bindgen_test]
async fn errors_are_typed_and_localised() {
    control("reset").await;
    let e = call(&account("smsonline", "wrong"), r#"{"method":"getBalance"}"#).await.unwrap_err();
    assert_eq!(e["code"], "BAD_KEY");
    assert_eq!(e["message"], "API-ключ отклонён. Проверьте его в настройках.");
    assert_eq!(e["outcome_unknown"], false);
    control("fail?method=orders&mode=html").await;
    let e = call(&account("smspva", "test-key"), r#"{"method":"orders"}"#).await.unwrap_err();
    assert_eq!(e["code"], "HTML_PAGE");
    assert_eq!(e["outcome_unknown"], true);
    let e = call(&account("smspva", "test-key"), r#"{"method":"nope"}"#).await.unwrap_err();
    assert_eq!(e["code"], "INVALID_INPUT");
}

#[wasm_bindgen_test]
async fn timeouts_abort_the_request() {
    control("reset").await;
    control("fail?method=getBalance&mode=timeout&ms=4000").await;
    let acc = account("smsonline", "test-key");
    let e = match w::provider_call(acc, r#"{"method":"getBalance"}"#.into(), 300, "en".into()).await {
        Ok(_) => panic!("must time out"),
        Err(e) => serde_json::from_str::<Value>(&e.as_string().unwrap()).unwrap(),
    };
    assert_eq!(e["code"], "TIMEOUT");
}

#[wasm_bindgen_test]
async fn unreachable_provider_is_a_network_error() {
    let acc =
        serde_json::json!({"id": "x", "provider": "smspva", "key": "k", "base": "http://127.0.0.1:9/api/rent.php"})
            .to_string();
    let e = call(&acc, r#"{"method":"orders"}"#).await.unwrap_err();
    assert_eq!(e["code"], "NETWORK");
}

#[wasm_bindgen_test]
fn spend_detection_and_fill_plans() {
    let acc = account("smspva", "k");
    assert!(w::spends_money(
        acc.clone(),
        r#"{"method":"create","dtype":"week","dcount":1,"country":"RU","service":"opt6"}"#.into()
    ));
    assert!(!w::spends_money(acc, r#"{"method":"orders"}"#.into()));
    let fields = r#"[{"idx":0,"tag":"input","type":"text","name":"otp","visible":true,"w":120,"h":30,"maxlength":6}]"#;
    let p: Value = serde_json::from_str(&w::plan_code(fields, "123456")).unwrap();
    assert_eq!(p["mode"], "single");
    assert_eq!(p["value"], "123456");
}
