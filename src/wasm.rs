//! The thin browser layer: the [`Dock`] object that owns the engine for the
//! worker's lifetime, performs its requests with `gloo-net` (timeout by
//! abort), sleeps with `gloo-timers`, and hands JS what to store, announce
//! and show. Values cross the boundary with `serde-wasm-bindgen`; errors
//! reject as `{code, message, outcome_unknown, ...}`.

use crate::api::{self, Account, Answer, Request};
use crate::engine::{persist::Writes, Engine, Event, Reply};
use crate::error::{ErrorInfo, ProviderError};
use crate::http::HttpResponse;
use crate::json::Value;
use crate::model::Provider;
use crate::read::FromJson;
use crate::seq::try_map;
use crate::vecmap::VecMap;
use gloo_timers::callback::Timeout;
use js_sys::{Function, Promise};
use serde::Serialize;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, spawn_local, JsFuture};

/// Talc instead of std's dlmalloc: 2.2 KB of the wasm's gzip less, as fast (in Node, 1000
/// rentals × 20 SMS: `Dock::new` 60–68 against 58–67 ms, view 19–21 against 18–19 ms best;
/// memory 8.4 against 7.8 MiB). The worker runs one thread, which `WasmDynamicTalc` is for.
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

const TIMEOUT_MS: u32 = 15_000;
/// How long a catalogue answer is reused by the rent form.
const CATALOGUE_TTL_MS: i64 = 120_000;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
export interface DockHooks {
  /** Persist `{set: {key: string}, remove: [key]}`; reject when the storage refuses (quota). */
  write(w: { set: Record<string, string>; remove: string[] }): Promise<void>;
  /** New SMS to announce and, when bound, to auto-fill (oldest first). */
  fresh(list: Array<{ record: string; number: string; service: string; sms: { key: string; from: string; text: string; date: number; code: string | null; other: boolean } }>): void;
  /** Something the popup shows changed. */
  changed(): void;
}
export interface DockError { code: string; key?: string; params?: string[]; outcome_unknown: boolean; closes_rental: boolean; rate_limited: boolean }
"#;

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A value for JS, made by serde-wasm-bindgen (as JSON would have it: maps are objects, `None`
/// is `null`). As fast as serde_json's text and `JSON.parse` for the view of 1000 rentals
/// (19.5 vs 20.3 ms best); the stored types keep serde_json's serializer, the view types this
/// one.
fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or_else(|_| {
        // a value that cannot cross is a bug: say so instead of handing JS a silent null
        js_sys::Error::new("OTP Dock: value not representable in JS").into()
    })
}

/// A value from JS as a [`Value`], through `JSON.stringify` and `json::parse`
/// (`undefined` is `null`). Not serde-wasm-bindgen's `Deserializer`: its error path formats
/// floats with core's formatter, ~9 KB of wasm gzip that nothing else needs; the inputs are
/// small (accounts, a form's choice, a page's fields), and the stored state is read apart.
fn value_of(v: JsValue) -> Result<Value, String> {
    if v.is_undefined() {
        return Ok(Value::Null);
    }
    let text = js_sys::JSON::stringify(&v).map_err(|_| "not JSON data".to_string())?;
    // a function or a symbol stringifies to `undefined`
    crate::json::parse(&text.as_string().unwrap_or_else(|| "null".into())).map_err(|e| e.to_string())
}

/// A value from JS, typed from its [`Value`] by the hand-written readers (`read.rs`).
fn from_js<T: FromJson>(v: JsValue) -> Result<T, String> {
    T::from_json(&value_of(v)?)
}

/// One `future_to_promise` for every async export: it is generic over the future, and each
/// instantiation carries its own copy of the task glue (several KB of wasm each).
fn promise(f: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    drive(Box::pin(f))
}

#[inline(never)]
fn drive(f: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    future_to_promise(f)
}

fn err_js(e: &ErrorInfo) -> JsValue {
    to_js(e)
}

/// A read answered by an answer of another shape than its request's.
fn unexpected() -> ErrorInfo {
    crate::engine::engine_error("UNEXPECTED_LIST", false)
}

fn bad_input(detail: impl Into<String>) -> ErrorInfo {
    ProviderError::InvalidInput { detail: detail.into() }.info()
}

/// GETs `url` with `gloo-net`, aborting after `timeout_ms`.
pub async fn fetch_text(url: &str, timeout_ms: u32) -> Result<HttpResponse, ProviderError> {
    let ctrl =
        web_sys::AbortController::new().map_err(|_| ProviderError::Network { detail: "AbortController".into() })?;
    let timed_out = Rc::new(std::cell::Cell::new(false));
    let (flag, c2) = (timed_out.clone(), ctrl.clone());
    let timer = Timeout::new(timeout_ms, move || {
        flag.set(true);
        c2.abort();
    });
    let net = |e: gloo_net::Error, t: bool| {
        if t {
            ProviderError::Timeout
        } else {
            ProviderError::Network { detail: e.to_string() }
        }
    };
    let sent = gloo_net::http::Request::get(url)
        .abort_signal(Some(&ctrl.signal()))
        .cache(web_sys::RequestCache::NoStore)
        .credentials(web_sys::RequestCredentials::Omit)
        .send()
        .await;
    let resp = match sent {
        Ok(r) => r,
        Err(e) => return Err(net(e, timed_out.get())),
    };
    let status = resp.status();
    let content_type = resp.headers().get("content-type").unwrap_or_default();
    let body = resp.text().await.map_err(|e| net(e, timed_out.get()))?;
    drop(timer);
    Ok(HttpResponse { status, content_type, body })
}

struct Inner {
    engine: RefCell<Engine>,
    write: Function,
    fresh: Function,
    changed: Function,
    waiters: RefCell<VecMap<u64, Tx>>,
    timer: RefCell<Option<Timeout>>,
    labels: RefCell<VecMap<String, String>>,
    /// Catalogue answers (SMSPVA countries and services: each costs a 4 s slot of the key's queue),
    /// by account and request, with the time they were read. The request is keyed by its URL
    /// for a keyless account (`catalogue_key`): a few entries, searched linearly; comparing
    /// `Request`s would keep a derived `PartialEq` of every variant in the wasm (1.4 KB).
    catalogue: RefCell<Vec<Cached>>,
}

/// A catalogue answer: (account, request, read at, answer).
type Cached = (String, String, i64, Rc<Answer>);

fn hook(hooks: &JsValue, name: &str) -> Result<Function, JsValue> {
    js_sys::Reflect::get(hooks, &name.into())?
        .dyn_into::<Function>()
        .map_err(|_| JsValue::from_str(&format!("hook {name} missing")))
}

/// Sends what is due, feeds answers back, and sleeps until the engine's next wake.
fn pump(inner: &Rc<Inner>) {
    let now = now_ms();
    let out = inner.engine.borrow_mut().due(now);
    for o in out {
        let i = inner.clone();
        spawn_local(async move {
            let r = fetch_text(&o.url, TIMEOUT_MS).await;
            i.engine.borrow_mut().answer(o.id, r, now_ms());
            pump(&i);
        });
    }
    flush(inner);
    let wake = inner.engine.borrow().next_wake_ms(now);
    let i = inner.clone();
    let t = Timeout::new((wake - now).clamp(0, 60_000) as u32, move || pump(&i));
    if let Some(old) = inner.timer.replace(Some(t)) {
        old.cancel();
    }
}

/// Hands JS what changed: writes, new SMS, finished tickets.
fn flush(inner: &Rc<Inner>) {
    let events = inner.engine.borrow_mut().take_events();
    let writes = inner.engine.borrow_mut().take_writes();
    let mut changed = !writes.is_empty();
    // stored before anything is announced: a hook that changed state at once (seen, a binding)
    // would otherwise have its newer write overtaken by this older one; and an SMS is kept
    // before it is shown or filled
    if !writes.is_empty() {
        persist(inner, writes);
    }
    for ev in events {
        changed = true;
        match ev {
            Event::Fresh { sms } => {
                let _ = inner.fresh.call1(&JsValue::NULL, &to_js(&sms));
            }
            Event::Done { ticket, result } => {
                let tx = inner.waiters.borrow_mut().remove(&ticket);
                if let Some(tx) = tx {
                    tx.send(result);
                }
            }
        }
    }
    if changed {
        let _ = inner.changed.call0(&JsValue::NULL);
    }
}

fn persist(inner: &Rc<Inner>, w: Writes) {
    let p = inner.write.call1(&JsValue::NULL, &to_js(&w)).ok().and_then(|p| p.dyn_into::<Promise>().ok());
    let i = inner.clone();
    spawn_local(async move {
        let r = match p {
            Some(p) => JsFuture::from(p).await.map(|_| ()),
            None => Err(JsValue::from_str("storage unavailable")),
        };
        let had_banner = i.engine.borrow().banners.iter().any(|b| b.code == "STORE_WRITE_FAILED");
        match r {
            Ok(()) => {
                if had_banner {
                    i.engine.borrow_mut().write_succeeded();
                    let _ = i.changed.call0(&JsValue::NULL);
                }
            }
            Err(e) => {
                let detail = e
                    .as_string()
                    .or_else(|| js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()))
                    .unwrap_or_else(|| "storage error".into());
                i.engine.borrow_mut().write_failed(w, &detail);
                let _ = i.changed.call0(&JsValue::NULL);
            }
        }
    });
}

/// A ticket's answer: `flush` fills it through [`Tx`], the future waiting on it ([`Rx`]) takes
/// it; a slot whose `Tx` went away unfilled (the engine dropped) answers `None`. One thread, so
/// an `Rc` and a `RefCell` (futures-channel's oneshot brings atomics and a lock, and a copy
/// of them for this answer type).
struct Slot {
    value: Option<Result<Reply, ErrorInfo>>,
    waker: Option<Waker>,
    closed: bool,
}

struct Tx(Rc<RefCell<Slot>>);

impl Tx {
    fn send(self, v: Result<Reply, ErrorInfo>) {
        self.0.borrow_mut().value = Some(v);
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        let waker = {
            let mut s = self.0.borrow_mut();
            s.closed = true;
            s.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

struct Rx(Rc<RefCell<Slot>>);

impl Future for Rx {
    type Output = Option<Result<Reply, ErrorInfo>>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = self.0.borrow_mut();
        if let Some(v) = s.value.take() {
            return Poll::Ready(Some(v));
        }
        if s.closed {
            return Poll::Ready(None);
        }
        s.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// The background engine, alive for the worker's lifetime.
#[wasm_bindgen]
pub struct Dock {
    inner: Rc<Inner>,
}

/// Waits for ticket `t` in Rust; a ticket whose engine went away (the worker stopped) is an
/// unknown outcome.
fn waiter(inner: &Rc<Inner>, t: u64) -> impl Future<Output = Result<Reply, ErrorInfo>> {
    let slot = Rc::new(RefCell::new(Slot { value: None, waker: None, closed: false }));
    inner.waiters.borrow_mut().insert(t, Tx(slot.clone()));
    pump(inner);
    let rx = Rx(slot);
    async move { rx.await.unwrap_or_else(|| Err(crate::engine::engine_error("OUTCOME_UNKNOWN", true))) }
}

/// Ticket `t` for JS: a spend's or intent's summary; a read's typed answer is Rust's to take
/// apart (`ask`), so JS is told only that it succeeded (`{}`).
fn ticket_promise(inner: &Rc<Inner>, t: Result<u64, ErrorInfo>) -> Promise {
    let done = match t {
        Ok(t) => waiter(inner, t),
        Err(e) => return Promise::reject(&err_js(&e)),
    };
    promise(async move {
        match done.await {
            Ok(Reply::Json(v)) => Ok(to_js(&v)),
            Ok(Reply::Answer(_)) => Ok(to_js(&crate::obj!({}))),
            Err(e) => Err(err_js(&e)),
        }
    })
}

/// A catalogue request as text: its URL for an account of `provider` with a placeholder key
/// (never the real one) and the default endpoint. `None` for a request no call is made of.
fn catalogue_key(provider: Provider, req: &Request) -> Option<String> {
    let acc = Account {
        id: String::new(),
        provider,
        key: "k".into(),
        base: None,
        tz_offset_min: None,
        learned_tz_offset_min: None,
    };
    api::call(&acc, req).ok().map(|c| c.url)
}

/// A read for Rust: its answer as the client typed it.
async fn ask(inner: &Rc<Inner>, account: &str, req: Request) -> Result<Answer, ErrorInfo> {
    let t = inner.engine.borrow_mut().request(account, req, now_ms())?;
    match waiter(inner, t).await? {
        Reply::Answer(a) => Ok(*a),
        // `request` hands a call that spends money to `spend`: never one the reads here make
        Reply::Json(_) => Err(unexpected()),
    }
}

#[wasm_bindgen]
impl Dock {
    /// `stored`: everything in `chrome.storage.local` (records as strings); `accounts` with keys;
    /// `hooks`: [`DockHooks`].
    #[wasm_bindgen(constructor)]
    pub fn new(stored: JsValue, accounts: JsValue, hooks: JsValue) -> Result<Dock, JsValue> {
        // every stored record is a string, taken as it is (not stringified and parsed again);
        // gathered, then sorted once into the map
        let mut entries = Vec::new();
        if stored.is_object() {
            for pair in js_sys::Object::entries(stored.unchecked_ref()).iter() {
                let pair: js_sys::Array = pair.unchecked_into();
                if let Some(k) = pair.get(0).as_string() {
                    let v = pair.get(1);
                    let v = v.as_string().map_or_else(|| value_of(v).unwrap_or(Value::Null), Value::String);
                    entries.push((k, v));
                }
            }
        }
        let mut engine = Engine::new();
        engine.load(&entries.into_iter().collect(), now_ms());
        let inner = Rc::new(Inner {
            engine: RefCell::new(engine),
            write: hook(&hooks, "write")?,
            fresh: hook(&hooks, "fresh")?,
            changed: hook(&hooks, "changed")?,
            waiters: RefCell::new(VecMap::new()),
            timer: RefCell::new(None),
            labels: RefCell::new(VecMap::new()),
            catalogue: RefCell::new(Vec::new()),
        });
        let d = Dock { inner };
        d.set_accounts(accounts);
        Ok(d)
    }

    #[wasm_bindgen(js_name = setAccounts)]
    pub fn set_accounts(&self, accounts: JsValue) {
        // each entry is an `Account` plus its `label` (read apart: a flattened struct would pull
        // serde's buffering deserializer into the wasm); one unreadable entry drops the list
        let list = match value_of(accounts) {
            Ok(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let list: Vec<(Account, String)> = try_map(&list, |v| {
            let label = v.get("label").and_then(Value::as_str).unwrap_or_default().to_string();
            Account::from_json(v).map(|a| (a, label))
        })
        .unwrap_or_default();
        *self.inner.labels.borrow_mut() = list.iter().map(|(a, label)| (a.id.clone(), label.clone())).collect();
        self.inner.engine.borrow_mut().set_accounts(list.into_iter().map(|(a, _)| a).collect(), now_ms());
        pump(&self.inner);
    }

    #[wasm_bindgen(js_name = setFastPolling)]
    pub fn set_fast_polling(&self, on: bool) {
        self.inner.engine.borrow_mut().fast_polling = on;
        pump(&self.inner);
    }

    /// Polls every account now.
    #[wasm_bindgen(js_name = pollNow)]
    pub fn poll_now(&self) {
        self.inner.engine.borrow_mut().poll_now(now_ms());
        pump(&self.inner);
    }

    /// Resolves once no request of any account is queued or in flight, or after `max_ms`.
    pub fn settled(&self, max_ms: u32) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let end = now_ms() + max_ms as i64;
            while !inner.engine.borrow().idle() && now_ms() < end {
                gloo_timers::future::TimeoutFuture::new(50).await;
            }
            Ok(JsValue::from_bool(inner.engine.borrow().idle()))
        })
    }

    /// What the popup shows (the first `limit` rentals when given; `rentals_total` counts all).
    pub fn view(&self, limit: Option<u32>) -> JsValue {
        let e = self.inner.engine.borrow();
        let at = now_ms();
        let mut v = e.view(at / 1000, &self.inner.labels.borrow(), limit.map(|l| l as usize));
        v.at_ms = at;
        to_js(&v)
    }

    /// The record keys the popup's filter box keeps for `query` (see `Engine::matches`).
    pub fn matches(&self, query: &str) -> Vec<String> {
        let labels = self.inner.labels.borrow();
        self.inner.engine.borrow().matches(query, &|a| labels.get(a).cloned().unwrap_or_default())
    }

    /// Every rental, its SMS and the known spends as `csv` or `json` (see `engine::export`); no keys.
    pub fn export(&self, format: &str) -> Result<String, JsValue> {
        let e = self.inner.engine.borrow();
        let labels = self.inner.labels.borrow();
        e.export(format, &|a| labels.get(a).cloned().unwrap_or_default(), now_ms() / 1000)
            .ok_or_else(|| err_js(&crate::engine::engine_error("BAD_REQUEST", false)))
    }

    /// The dial code and ISO country of a rental's number, for the phone fill: `{dial_code, iso}`.
    #[wasm_bindgen(js_name = phoneMeta)]
    pub fn phone_meta(&self, record: &str) -> JsValue {
        let e = self.inner.engine.borrow();
        match e.store.records.get(record) {
            Some(r) => {
                let iso =
                    r.rental.country.as_deref().and_then(|c| crate::engine::view::country_iso(r.rental.provider, c));
                to_js(&crate::obj!({"dial_code": r.rental.dial_code, "iso": iso}))
            }
            None => JsValue::NULL,
        }
    }

    /// The whole SMS history of a rental: `{sms, other}`.
    pub fn history(&self, record: &str) -> JsValue {
        let e = self.inner.engine.borrow();
        match e.store.records.get(record) {
            Some(rec) => {
                let (sms, _, other, _) = crate::engine::view::history(rec, usize::MAX);
                #[derive(Serialize)]
                struct History<T> {
                    sms: T,
                    other: T,
                }
                to_js(&History { sms, other })
            }
            None => JsValue::NULL,
        }
    }

    /// The tab and host a rental is bound to: `{tab_id, host}` or `null`.
    pub fn binding(&self, record: &str) -> JsValue {
        let e = self.inner.engine.borrow();
        match e.store.records.get(record) {
            Some(r) if r.tab_id.is_some() => to_js(&crate::obj!({"tab_id": r.tab_id, "host": r.tab_host})),
            _ => JsValue::NULL,
        }
    }

    /// The newest fresh code of the rental bound to `tab_id`: `{record, code, text, number}` or `null`.
    #[wasm_bindgen(js_name = boundToTab)]
    pub fn bound_to_tab(&self, tab_id: f64) -> JsValue {
        let e = self.inner.engine.borrow();
        let now = now_ms() / 1000;
        let rec = e
            .store
            .records
            .iter()
            .filter(|(_, r)| r.tab_id == Some(tab_id as i64) && r.rental.state.is_open())
            .max_by_key(|(_, r)| r.awaiting_until);
        match rec {
            Some((k, r)) => {
                let code =
                    r.latest_fresh_code(now).map(|m| crate::obj!({"code": m.code, "text": m.text, "key": m.key}));
                to_js(
                    &crate::obj!({"record": k, "number": r.rental.e164(), "host": r.tab_host, "dial_code": r.rental.dial_code, "country": r.rental.country, "provider": r.rental.provider, "latest": code}),
                )
            }
            None => JsValue::NULL,
        }
    }

    #[wasm_bindgen(js_name = bindTab)]
    pub fn bind_tab(&self, record: &str, tab_id: f64, host: Option<String>) {
        self.inner.engine.borrow_mut().bind_tab(record, tab_id as i64, host.filter(|h| !h.is_empty()), now_ms());
        pump(&self.inner);
    }

    /// The tab closed (`host` null) or now shows `host`: bindings to another host end.
    #[wasm_bindgen(js_name = tabLeft)]
    pub fn tab_left(&self, tab_id: f64, host: Option<String>) {
        self.inner.engine.borrow_mut().tab_left(tab_id as i64, host.as_deref());
        flush(&self.inner);
    }

    pub fn seen(&self) {
        self.inner.engine.borrow_mut().mark_seen();
        flush(&self.inner);
    }

    pub fn unseen(&self) -> u32 {
        self.inner.engine.borrow().store.unseen_count() as u32
    }

    /// A popup intent on a rental; resolves to `{reconciled?, record?}`.
    pub fn intent(&self, record: &str, intent: &str, option: Option<String>) -> Promise {
        let t = self.inner.engine.borrow_mut().intent(record, intent, option.as_deref(), now_ms());
        ticket_promise(&self.inner, t)
    }

    /// The price of a prolong option: `{price, currency, label}` (`label` says the price, or
    /// that it cannot be known; `price` is `null` then).
    pub fn quote(&self, record: String, option: Option<String>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let (req, account) = {
                let e = inner.engine.borrow();
                (e.quote_request(&record, option.as_deref()), e.store.records.get(&record).map(|r| r.account.clone()))
            };
            let answer = match (req, account) {
                (Some(req), Some(account)) => Some(ask(&inner, &account, req).await.map_err(|e| err_js(&e))?),
                _ => None,
            };
            Ok(to_js(&inner.engine.borrow().quote(&record, option.as_deref(), answer.as_ref())))
        })
    }

    /// The new-rental form's choices for an account: countries, durations, operators, services with prices.
    pub fn catalogue(
        &self,
        account: String,
        kind: Option<String>,
        country: Option<String>,
        duration: Option<String>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let provider = inner.engine.borrow().accounts().find(|a| a.id == account).map(|a| a.provider);
            let Some(provider) = provider else {
                return Err(err_js(&crate::engine::engine_error("NO_ACCOUNT", false)));
            };
            let want = crate::engine::catalogue::Wanted {
                kind: kind.as_deref(),
                country: country.as_deref(),
                duration: duration.as_deref(),
            };
            let r = crate::engine::catalogue::load(provider, want, |req| {
                let (inner, account) = (inner.clone(), account.clone());
                async move {
                    let fresh = |at: i64| now_ms() - at < CATALOGUE_TTL_MS;
                    let key = catalogue_key(provider, &req);
                    let hit = inner
                        .catalogue
                        .borrow()
                        .iter()
                        .find(|(a, r, at, _)| *a == account && key.as_deref() == Some(r.as_str()) && fresh(*at))
                        .map(|e| e.3.clone());
                    if let Some(v) = hit {
                        return Ok(v);
                    }
                    let v = Rc::new(ask(&inner, &account, req).await?);
                    if let Some(key) = key {
                        let mut cache = inner.catalogue.borrow_mut();
                        cache.retain(|(a, r, at, _)| fresh(*at) && !(*a == account && *r == key));
                        cache.push((account, key, now_ms(), v.clone()));
                    }
                    Ok(v)
                }
            })
            .await;
            r.map(|c| to_js(&c)).map_err(|e| err_js(&e))
        })
    }

    /// Rents a number (or buys an activation) as the form chose; resolves to `{record, number, reconciled}`.
    pub fn rent(&self, account: &str, choice: JsValue) -> Promise {
        let provider = self.inner.engine.borrow().accounts().find(|a| a.id == account).map(|a| a.provider);
        let choice: Value = value_of(choice).unwrap_or(Value::Null);
        let req = match provider {
            Some(p) => crate::engine::catalogue::rent_request(p, &choice),
            None => Err(crate::engine::engine_error("NO_ACCOUNT", false)),
        };
        let t = req.and_then(|r| self.inner.engine.borrow_mut().spend(account, r, now_ms()));
        ticket_promise(&self.inner, t)
    }

    /// SMSPVA's archive of every SMSPVA account: `[{account, id, number, service, closed}]`.
    pub fn archive(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let ids: Vec<String> = inner
                .engine
                .borrow()
                .accounts()
                .filter(|a| a.provider == Provider::Smspva)
                .map(|a| a.id.clone())
                .collect();
            let mut items = vec![];
            for id in ids {
                let a = ask(&inner, &id, Request::GetRentHistory { skip: Some(0), take: Some(20) })
                    .await
                    .map_err(|e| err_js(&e))?;
                let Answer::Archive(list) = a else { return Err(err_js(&unexpected())) };
                for it in list {
                    items.push(crate::obj!({"account": id, "id": it.order_id, "number": it.number, "service": it.service, "closed": it.closed}));
                }
            }
            Ok(to_js(&items))
        })
    }

    /// The quote before restoring an archived SMSPVA number: `{price, number, days, confirm}`.
    #[wasm_bindgen(js_name = restoreQuote)]
    pub fn restore_quote(&self, account: String, id: String) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let a = ask(&inner, &account, Request::RestorePrecalc { id }).await.map_err(|e| err_js(&e))?;
            let Answer::RestoreQuote(q) = a else { return Err(err_js(&unexpected())) };
            let confirm = Engine::restore_confirm(&q.number, Some(q.price), q.out_days);
            Ok(to_js(&crate::obj!({"price": q.price, "number": q.number, "days": q.out_days, "confirm": confirm})))
        })
    }

    pub fn restore(&self, account: &str, id: String) -> Promise {
        let t = self.inner.engine.borrow_mut().spend(account, Request::Restore { id }, now_ms());
        ticket_promise(&self.inner, t)
    }

    /// Validates an account before the options page saves it: SMS.online's balance
    /// (`{balance, balance_text}`), SMSPVA's open orders (`{orders}`).
    pub fn probe(account: JsValue) -> Promise {
        promise(async move {
            let acc: Account = from_js(account).map_err(|e| err_js(&bad_input(e)))?;
            let call = api::call(&acc, &Request::GetBalance).map_err(|e| err_js(&e.info()))?;
            let resp = fetch_text(&call.url, TIMEOUT_MS).await.map_err(|e| err_js(&e.info()))?;
            let v = call.parse(&resp).map_err(|e| err_js(&e.info()))?;
            Ok(to_js(&match v {
                api::Answer::Count(n) => {
                    crate::obj!({"balance": Value::Null, "balance_text": Value::Null, "orders": n})
                }
                api::Answer::Amount(b) => {
                    let text = crate::engine::view::balance_text(acc.provider, b);
                    crate::obj!({"balance": b, "balance_text": text, "orders": Value::Null})
                }
                _ => crate::obj!({"balance": Value::Null, "balance_text": Value::Null, "orders": Value::Null}),
            }))
        })
    }
}

#[wasm_bindgen(js_name = extractCode)]
pub fn extract_code(text: &str) -> Option<String> {
    crate::otp::extract_code(text)
}

/// `{code, host}` or `null`.
#[wasm_bindgen(js_name = extractOtp)]
pub fn extract_otp(text: &str) -> JsValue {
    match crate::otp::extract(text) {
        Some(e) => to_js(&crate::obj!({"code": e.code, "host": e.host})),
        None => JsValue::NULL,
    }
}

/// The described fields (`read.rs`); one unreadable field refuses the list, as before.
fn fields_of(json: &str) -> Vec<crate::fill::Field> {
    crate::read::from_text(json).unwrap_or_default()
}

/// Plan for filling `code` into the described fields (see `fill.rs`).
#[wasm_bindgen(js_name = planCode)]
pub fn plan_code(fields: &str, code: &str) -> String {
    let f = fields_of(fields);
    serde_json::to_string(&crate::fill::plan_code(&f, code)).unwrap_or_default()
}

/// Plan for filling a phone number; `dial_code` like `+7` and `iso` like `RU` may be empty.
#[wasm_bindgen(js_name = planPhone)]
pub fn plan_phone(fields: &str, e164: &str, dial_code: &str, iso: &str) -> String {
    let f = fields_of(fields);
    let opt = |s: &str| if s.is_empty() { None } else { Some(s.to_string()) };
    serde_json::to_string(&crate::fill::plan_phone(&f, e164, opt(dial_code).as_deref(), opt(iso).as_deref()))
        .unwrap_or_default()
}

/// The fill's wait for a late field: resolves `true` after the pause when the page should be
/// looked at again (no field yet, within the deadline, see [`crate::fill::retry_after`]),
/// `false` at once when the plan is final. `since_ms`: `Date.now()` of the first look.
#[wasm_bindgen(js_name = fillRetry)]
pub fn fill_retry(since_ms: f64, mode: &str, reason: &str) -> Promise {
    let wait = crate::fill::retry_after(mode, reason, now_ms() - since_ms as i64);
    promise(async move {
        let Some(ms) = wait else { return Ok(JsValue::FALSE) };
        gloo_timers::future::TimeoutFuture::new(ms).await;
        Ok(JsValue::TRUE)
    })
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
    // read through json::Value (already in the binary) rather than a derived Deserialize
    let Some(req) = fill_request(request) else {
        return crate::json::text(&crate::obj!({"ok": false, "code": "BAD_REQUEST"}));
    };
    let answer = PSL.with(|c| match crate::site::authorize(&req, c.borrow().as_ref()) {
        Ok(a) => {
            let denied: Vec<_> =
                a.denied.iter().map(|d| crate::obj!({"frame": d.frame, "code": d.reason.code()})).collect();
            crate::obj!({"ok": true, "frames": a.frames, "denied": denied})
        }
        Err(crate::site::Deny::HostMismatch { host }) => {
            crate::obj!({"ok": false, "code": "HOST_MISMATCH", "host": host})
        }
        Err(d) => crate::obj!({"ok": false, "code": d.code()}),
    });
    crate::json::text(&answer)
}

fn fill_request(json: &str) -> Option<crate::site::FillRequest> {
    use crate::site::{FillKind, FillRequest, FrameInfo, Trigger};
    let v: Value = crate::json::parse(json).ok()?;
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
        frames: try_map(frames, |f| {
            Ok::<_, ()>(FrameInfo {
                id: f.get("id").and_then(Value::as_i64).ok_or(())?,
                url: f.get("url").ok_or(())?.as_str().unwrap_or("null").to_string(),
            })
        })
        .ok()?,
    })
}
