//! The thin browser layer: `fetch` with a timeout, and JSON-string exports of
//! the pure core for the extension's JavaScript. Works in windows and in the
//! MV3 service worker (uses the global scope's `fetch`, not `window`).

use crate::api::{self, Account, Request};
use crate::engine::{self, Store};
use crate::error::{Lang, ProviderError};
use crate::http::HttpResponse;
use crate::model::Rental;
use crate::smsonline::{ActiveActivation, RentListItem, RentStatus};
use js_sys::{Function, Object, Promise, Reflect};
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn global() -> Object {
    js_sys::global()
}

fn err_json(e: &ProviderError, lang: Lang) -> JsValue {
    JsValue::from_str(&serde_json::to_string(&e.info(lang)).unwrap_or_default())
}

/// GETs `url` with the global `fetch`, aborting after `timeout_ms`.
pub async fn fetch_text(url: &str, timeout_ms: u32) -> Result<HttpResponse, ProviderError> {
    let g = global();
    let fetch: Function = Reflect::get(&g, &"fetch".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or(ProviderError::Network { detail: "fetch unavailable".into() })?;
    let ctrl =
        web_sys::AbortController::new().map_err(|_| ProviderError::Network { detail: "AbortController".into() })?;
    let init = Object::new();
    let _ = Reflect::set(&init, &"signal".into(), &ctrl.signal());
    let _ = Reflect::set(&init, &"cache".into(), &"no-store".into());
    let _ = Reflect::set(&init, &"credentials".into(), &"omit".into());
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = timed_out.clone();
    let ctrl2 = ctrl.clone();
    let on_timeout = Closure::once(move || {
        flag.set(true);
        ctrl2.abort();
    });
    let set_timeout: Function = Reflect::get(&g, &"setTimeout".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or(ProviderError::Network { detail: "setTimeout unavailable".into() })?;
    let handle = set_timeout.call2(&g, on_timeout.as_ref(), &JsValue::from(timeout_ms)).unwrap_or(JsValue::NULL);
    let clear = || {
        if let Some(ct) = Reflect::get(&g, &"clearTimeout".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()) {
            let _ = ct.call1(&g, &handle);
        }
    };
    let net_err = |e: JsValue, timed_out: bool| -> ProviderError {
        if timed_out {
            ProviderError::Timeout
        } else {
            ProviderError::Network {
                detail: e
                    .as_string()
                    .or_else(|| Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()))
                    .unwrap_or_else(|| "fetch failed".into()),
            }
        }
    };
    let promise: Promise = match fetch.call2(&g, &JsValue::from_str(url), &init) {
        Ok(p) => p.unchecked_into(),
        Err(e) => {
            clear();
            return Err(net_err(e, false));
        }
    };
    let resp: web_sys::Response = match JsFuture::from(promise).await {
        Ok(r) => r.unchecked_into(),
        Err(e) => {
            clear();
            return Err(net_err(e, timed_out.get()));
        }
    };
    let status = resp.status();
    let content_type = resp.headers().get("content-type").ok().flatten().unwrap_or_default();
    let body = match resp.text() {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    clear();
    drop(on_timeout);
    let body = body.map_err(|e| net_err(e, timed_out.get()))?.as_string().unwrap_or_default();
    Ok(HttpResponse { status, content_type, body })
}

/// Runs one provider method. `account` and `request` are JSON (see `api.rs`).
/// Resolves to the JSON result; rejects with `{code, message, outcome_unknown}`.
#[wasm_bindgen(js_name = providerCall)]
pub async fn provider_call(account: String, request: String, timeout_ms: u32, lang: String) -> Result<String, JsValue> {
    let lang = Lang::from_tag(&lang);
    let acc: Account = serde_json::from_str(&account)
        .map_err(|e| err_json(&ProviderError::InvalidInput { detail: format!("account: {e}") }, lang))?;
    let req = Request::from_json(&request)
        .map_err(|e| err_json(&ProviderError::InvalidInput { detail: format!("request: {e}") }, lang))?;
    let call = api::build(&acc, &req).map_err(|e| err_json(&e, lang))?;
    let resp = fetch_text(&call.url, timeout_ms).await.map_err(|e| err_json(&e, lang))?;
    let v = call.parse(&resp).map_err(|e| err_json(&e, lang))?;
    Ok(v.to_string())
}

/// Whether `request` spends money (such calls are never retried blindly).
#[wasm_bindgen(js_name = spendsMoney)]
pub fn spends_money(account: String, request: String) -> bool {
    let (Ok(acc), Ok(req)) = (serde_json::from_str::<Account>(&account), Request::from_json(&request)) else {
        return false;
    };
    api::build(&acc, &req).map(|c| c.spends_money).unwrap_or(false)
}

#[wasm_bindgen(js_name = extractCode)]
pub fn extract_code(text: &str) -> Option<String> {
    crate::otp::extract_code(text)
}

/// `{"code": "...", "host": "..."|null}` or `null`.
#[wasm_bindgen(js_name = extractOtp)]
pub fn extract_otp(text: &str) -> String {
    match crate::otp::extract(text) {
        Some(e) => json!({"code": e.code, "host": e.host}).to_string(),
        None => "null".into(),
    }
}

fn parse_store(s: &str) -> Store {
    serde_json::from_str(s).unwrap_or_default()
}

/// Merges one provider answer into the stored state.
/// Returns `{store, fresh: [NewSms], fetch: [ids], added: n}`.
#[wasm_bindgen(js_name = storeIngest)]
pub fn store_ingest(
    store: String,
    account: String,
    request: String,
    result: String,
    now: f64,
) -> Result<String, JsValue> {
    let mut st = parse_store(&store);
    let now = now as i64;
    let req = Request::from_json(&request).map_err(|e| JsValue::from_str(&e))?;
    let bad = |e: serde_json::Error| JsValue::from_str(&e.to_string());
    let mut fresh = vec![];
    let mut fetch = vec![];
    let count = |st: &Store| st.records.values().map(|r| r.sms.len()).sum::<usize>();
    let before = count(&st);
    match req {
        Request::GetRentList => {
            st.ingest_rent_list(&account, &serde_json::from_str::<Vec<RentListItem>>(&result).map_err(bad)?, now)
        }
        Request::GetRentStatus { id, .. } => {
            fresh = st.ingest_rent_status(&account, &id, serde_json::from_str::<RentStatus>(&result).map_err(bad)?, now)
        }
        Request::GetActiveActivations => {
            fresh = st.ingest_activations(
                &account,
                serde_json::from_str::<Vec<ActiveActivation>>(&result).map_err(bad)?,
                now,
            )
        }
        Request::Orders => {
            fetch = st.ingest_orders(&account, serde_json::from_str::<Vec<Rental>>(&result).map_err(bad)?, now)
        }
        Request::Sms { id } => {
            fresh = st.ingest_pva_sms(&account, &id, serde_json::from_str(&result).map_err(bad)?, now)
        }
        Request::GetBalance => {
            if let Ok(b) = serde_json::from_str::<f64>(&result) {
                st.balances.insert(account.clone(), b);
            }
            st.ok(&account);
        }
        _ => {}
    }
    // `added`: SMS new to the store (announced or not); `fresh`: the ones to announce
    let added = count(&st) - before;
    Ok(json!({"store": st, "fresh": fresh, "fetch": fetch, "added": added}).to_string())
}

/// Records a provider failure for back-off and display.
#[wasm_bindgen(js_name = storeFail)]
pub fn store_fail(store: String, account: String, error: String) -> String {
    let mut st = parse_store(&store);
    if let Ok(info) = serde_json::from_str(&error) {
        st.fail(&account, info);
    }
    serde_json::to_string(&st).unwrap_or(store)
}

/// Adds a rental the user just created (or that reconciliation found).
#[wasm_bindgen(js_name = storeAddRental)]
pub fn store_add_rental(store: String, account: String, rental: String, now: f64) -> Result<String, JsValue> {
    let mut st = parse_store(&store);
    let r: Rental = serde_json::from_str(&rental).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let key = st.add_rental(&account, r, now as i64);
    Ok(json!({"store": st, "key": key}).to_string())
}

/// Forgets closed rentals not listed by any provider for `keep_s` seconds (open ones are kept).
#[wasm_bindgen(js_name = storePrune)]
pub fn store_prune(store: String, now: f64, keep_s: f64) -> String {
    let mut st = parse_store(&store);
    st.prune(now as i64, keep_s as i64);
    serde_json::to_string(&st).unwrap_or(store)
}

/// After a prolong/restore whose answer was lost: does the re-listed rental (JSON or `null`)
/// show the extension? `before_until` is NaN when unknown.
#[wasm_bindgen(js_name = reconcileExtended)]
pub fn reconcile_extended(before_until: f64, after: String) -> bool {
    let after: Option<Rental> = serde_json::from_str(&after).unwrap_or(None);
    engine::reconcile_extended(if before_until.is_nan() { None } else { Some(before_until as i64) }, after.as_ref())
}

/// `[{id, kind, awaited}]`: the open rentals of `account` at `provider` to poll.
#[wasm_bindgen(js_name = storePollTargets)]
pub fn store_poll_targets(store: String, account: String, provider: String, now: f64) -> String {
    let Ok(provider) = serde_json::from_value::<crate::model::Provider>(json!(provider)) else { return "[]".into() };
    serde_json::to_string(&parse_store(&store).poll_targets(&account, provider, now as i64))
        .unwrap_or_else(|_| "[]".into())
}

/// Binds a rental to the tab its number was filled into.
#[wasm_bindgen(js_name = storeBindTab)]
pub fn store_bind_tab(store: String, key: String, tab_id: f64, host: String, now: f64) -> String {
    let mut st = parse_store(&store);
    st.bind_tab(&key, tab_id as i64, Some(host).filter(|h| !h.is_empty()), now as i64);
    serde_json::to_string(&st).unwrap_or(store)
}

#[wasm_bindgen(js_name = storeNextDelay)]
pub fn store_next_delay(store: String, now: f64) -> u32 {
    parse_store(&store).next_poll_delay(now as i64)
}

/// Among `after` (JSON rentals), the one a lost money-spending answer created, or `null`.
#[wasm_bindgen(js_name = reconcileNewRental)]
pub fn reconcile_new_rental(before: String, after: String, service: String) -> String {
    let b: Vec<Rental> = serde_json::from_str(&before).unwrap_or_default();
    let a: Vec<Rental> = serde_json::from_str(&after).unwrap_or_default();
    match engine::reconcile_new_rental(&b, &a, Some(&service)) {
        Some(r) => serde_json::to_string(r).unwrap_or_else(|_| "null".into()),
        None => "null".into(),
    }
}

/// Plan for filling `code` into the described fields (see `fill.rs`).
#[wasm_bindgen(js_name = planCode)]
pub fn plan_code(fields: &str, code: &str) -> String {
    let f: Vec<crate::fill::Field> = serde_json::from_str(fields).unwrap_or_default();
    serde_json::to_string(&crate::fill::plan_code(&f, code)).unwrap_or_default()
}

/// Plan for filling a phone number; `dial_code` like `+7` and `iso` like `RU` may be empty.
#[wasm_bindgen(js_name = planPhone)]
pub fn plan_phone(fields: &str, e164: &str, dial_code: &str, iso: &str) -> String {
    let f: Vec<crate::fill::Field> = serde_json::from_str(fields).unwrap_or_default();
    let opt = |s: &str| if s.is_empty() { None } else { Some(s.to_string()) };
    serde_json::to_string(&crate::fill::plan_phone(&f, e164, opt(dial_code).as_deref(), opt(iso).as_deref()))
        .unwrap_or_default()
}

// ---- site / fill authorisation (safety branch) ----------------------------------------
// The Public Suffix List is data the background loads at start (psl/public_suffix_list.dat)
// and hands over once; until then only same-origin frames pass the check.

thread_local! {
    static PSL: std::cell::RefCell<Option<crate::site::Psl>> = const { std::cell::RefCell::new(None) };
}

/// Parses and keeps the Public Suffix List; returns the number of rules (0: kept nothing).
#[wasm_bindgen(js_name = siteLoadPsl)]
pub fn site_load_psl(text: &str) -> u32 {
    let p = crate::site::Psl::parse(text);
    let n = p.len() as u32;
    if n > 0 {
        PSL.with(|c| *c.borrow_mut() = Some(p));
    }
    n
}

/// The fill check (`site::authorize`): `request` is a `FillRequest` as JSON. Answers
/// `{"ok":true,"frames":[ids],"denied":[{frame,code}]}` or `{"ok":false,"code":...,"host"?}`.
#[wasm_bindgen(js_name = fillAuthorize)]
pub fn fill_authorize(request: &str) -> String {
    // read through serde_json::Value (already in the binary) rather than a derived Deserialize
    let Some(req) = fill_request(request) else {
        return json!({"ok": false, "code": "BAD_REQUEST"}).to_string();
    };
    PSL.with(|c| match crate::site::authorize(&req, c.borrow().as_ref()) {
        Ok(a) => {
            let denied: Vec<_> = a.denied.iter().map(|d| json!({"frame": d.frame, "code": d.reason.code()})).collect();
            json!({"ok": true, "frames": a.frames, "denied": denied})
        }
        Err(crate::site::Deny::HostMismatch { host }) => json!({"ok": false, "code": "HOST_MISMATCH", "host": host}),
        Err(d) => json!({"ok": false, "code": d.code()}),
    })
    .to_string()
}

/// Drops the bindings of rentals bound to `tab_id` (`site::drop_bindings`): all of them
/// when `host` is `""` (the tab closed), those bound on another host otherwise.
#[wasm_bindgen(js_name = storeDropBindings)]
pub fn store_drop_bindings(store: String, tab_id: f64, host: String) -> String {
    let mut st = parse_store(&store);
    let host = Some(host).filter(|h| !h.is_empty());
    if crate::site::drop_bindings(&mut st, tab_id as i64, host.as_deref()) == 0 {
        return store;
    }
    serde_json::to_string(&st).unwrap_or(store)
}

fn fill_request(json: &str) -> Option<crate::site::FillRequest> {
    use crate::site::{FillKind, FillRequest, FrameInfo, Trigger};
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let host = |k: &str| v.get(k).and_then(|h| h.as_str()).filter(|h| !h.is_empty()).map(String::from);
    let frames = v.get("frames").and_then(|f| f.as_array()).map_or(&[][..], |a| a.as_slice());
    Some(FillRequest {
        kind: match v.get("kind")?.as_str()? {
            "code" => FillKind::Code,
            "phone" => FillKind::Phone,
            _ => return None,
        },
        trigger: match v.get("trigger")?.as_str()? {
            "auto" => Trigger::Auto,
            "user" => Trigger::User,
            _ => return None,
        },
        bound_host: host("bound_host"),
        webotp_host: host("webotp_host"),
        top_url: v.get("top_url")?.as_str()?.to_string(),
        frames: frames
            .iter()
            .map(|f| {
                Some(FrameInfo {
                    id: f.get("id")?.as_i64()?,
                    url: f.get("url")?.as_str().unwrap_or("null").to_string(),
                })
            })
            .collect::<Option<Vec<_>>>()?,
    })
}
