//! A stateful emulator of both provider protocols, served over real HTTP on
//! 127.0.0.1, for tests (never the real providers).
//!
//! * `/stubs/handler_api.php`: SMS.online, the sms-activate protocol (rents and activations).
//! * `/api/rent.php`: SMSPVA rent API (all twelve methods).
//! * `/_emu/...`: control endpoints: reset, accounts, SMS injection, error
//!   injection, latency, clock, request log and a state dump.
//!
//! Every answer carries `Access-Control-Allow-Origin: *` so extension pages
//! and wasm tests in a browser can call it.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const TEST_KEY: &str = "test-key";
const MSK_OFFSET: i64 = 3 * 3600;
const SO_SERVICES: &[(&str, f64, i64)] =
    &[("tg", 50.0, 25), ("wa", 60.0, 25), ("ig", 40.0, 25), ("go", 30.0, 25), ("full", 200.0, 5)];
const SO_COUNTRIES: &[&str] = &["0", "6", "187"];
const SO_OPERATORS: &[&str] = &["any", "mts", "beeline", "megafon", "tele2"];
const RENT_HOURS: &[i64] = &[4, 8, 12, 24, 72, 168, 360, 720, 2160];
const PVA_COUNTRIES: &[(&str, &str, &str)] =
    &[("RU", "Россия", "+7"), ("EN", "United Kingdom", "+44"), ("US", "USA", "+1")];
const PVA_SERVICES: &[(&str, &str, f64)] = &[
    ("opt6", "Facebook", 6.0),
    ("opt16", "Instagram", 5.0),
    ("opt29", "Telegram", 8.0),
    ("opt46", "Airbnb", 6.0),
    ("opt59", "Avito", 4.0),
    ("opt89", "WhatsApp", 7.0),
];

#[derive(Clone, Debug)]
pub struct Account {
    pub balance: f64,
    pub banned_until: Option<String>,
    pub inactive: bool,
}

#[derive(Clone, Debug)]
pub struct Message {
    pub from: String,
    pub text: String,
    pub date: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RentState {
    Active,
    Finished,
    Cancelled,
    Revoked,
}

#[derive(Clone, Debug)]
pub struct SoRent {
    pub id: i64,
    pub key: String,
    pub number: String,
    pub service: String,
    pub country: String,
    pub start: i64,
    pub end: i64,
    pub state: RentState,
    pub sms: Vec<Message>,
}

#[derive(Clone, Debug)]
pub struct SoActivation {
    pub id: i64,
    pub key: String,
    pub number: String,
    pub service: String,
    pub country: String,
    pub created: i64,
    /// 0 waiting, 1 ready, 3 waiting retry, 6 finished, 8 cancelled
    pub status: i64,
    pub codes: Vec<String>,
    pub texts: Vec<String>,
    pub cost: f64,
}

#[derive(Clone, Debug)]
pub struct PvaOrder {
    pub id: i64,
    pub key: String,
    pub ccode: String,
    pub cname: String,
    pub pnumber: String,
    pub scode: String,
    pub sname: String,
    /// 0 needs activation, 1 active, 2 activating, -1 gone
    pub state: i64,
    pub activating_since: i64,
    pub begin: i64,
    pub until: i64,
    pub price_day: f64,
    pub sms: Vec<Message>,
    pub has_new: bool,
    pub extra_services: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct ArchiveEntry {
    pub order: PvaOrder,
    pub closed: i64,
}

/// One injected failure: applies to the next `count` matching requests.
#[derive(Clone, Debug)]
pub struct Injection {
    /// `smsonline`, `smspva` or empty for both.
    pub protocol: String,
    /// action/method name, or empty for any.
    pub method: String,
    /// `html`, `malformed`, `timeout`, `status:<n>`, `code:<TOKEN>`, `after:<mode>` (perform, then fail).
    pub mode: String,
    pub count: usize,
    pub delay_ms: u64,
}

#[derive(Default)]
pub struct State {
    pub accounts: HashMap<String, Account>,
    pub clock_offset: i64,
    pub next_id: i64,
    pub rents: Vec<SoRent>,
    pub activations: Vec<SoActivation>,
    pub orders: Vec<PvaOrder>,
    pub archive: Vec<ArchiveEntry>,
    pub injections: Vec<Injection>,
    pub latency_ms: u64,
    pub log: Vec<String>,
    pub stock: HashMap<String, i64>,
    /// Seconds an SMSPVA activation stays in state 2.
    pub activation_secs: i64,
}

impl State {
    fn new() -> State {
        let mut s = State { next_id: 1000, ..Default::default() };
        s.reset();
        s
    }

    pub fn reset(&mut self) {
        *self = State { next_id: 1000, activation_secs: 3, ..Default::default() };
        self.accounts.insert(TEST_KEY.into(), Account { balance: 1000.0, banned_until: None, inactive: false });
        self.accounts.insert(
            "banned-key".into(),
            Account { balance: 0.0, banned_until: Some("2030-01-01 10-00-00".into()), inactive: false },
        );
        self.accounts.insert("inactive-key".into(), Account { balance: 0.0, banned_until: None, inactive: true });
        self.accounts.insert("poor-key".into(), Account { balance: 0.5, banned_until: None, inactive: false });
    }

    pub fn now(&self) -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0) + self.clock_offset
    }

    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn number_for(&self, id: i64, prefix: &str) -> String {
        format!("{prefix}{:07}", (id * 7919) % 10_000_000)
    }

    /// Moves expired SMSPVA orders to the archive and expires SMS.online rents.
    fn tick(&mut self) {
        let now = self.now();
        let mut i = 0;
        while i < self.orders.len() {
            if self.orders[i].until <= now {
                let o = self.orders.remove(i);
                let closed = o.until;
                self.archive.push(ArchiveEntry { order: o, closed });
            } else {
                if self.orders[i].state == 2 && now - self.orders[i].activating_since >= self.activation_secs {
                    self.orders[i].state = 1;
                }
                i += 1;
            }
        }
        for r in self.rents.iter_mut() {
            if r.state == RentState::Active && r.end <= now {
                r.state = RentState::Finished;
            }
        }
    }

    /// Adds an SMS to the rental/activation/order `id` of the given protocol.
    pub fn inject_sms(&mut self, protocol: &str, id: i64, from: &str, text: &str, code: Option<&str>) -> bool {
        let date = self.now();
        let msg = Message { from: from.to_string(), text: text.to_string(), date };
        match protocol {
            "smspva" => {
                if let Some(o) = self.orders.iter_mut().find(|o| o.id == id) {
                    o.sms.push(msg);
                    o.has_new = true;
                    return true;
                }
            }
            _ => {
                if let Some(r) = self.rents.iter_mut().find(|r| r.id == id && r.state == RentState::Active) {
                    r.sms.push(msg);
                    return true;
                }
                if let Some(a) = self.activations.iter_mut().find(|a| a.id == id && matches!(a.status, 0 | 1 | 3)) {
                    let c = code.map(str::to_string).unwrap_or_else(|| naive_code(text));
                    a.codes.push(c);
                    a.texts.push(text.to_string());
                    a.status = 1;
                    return true;
                }
            }
        }
        false
    }
}

/// The provider's own (simple) code extraction: the first run of 4–8 digits.
fn naive_code(text: &str) -> String {
    let mut best = String::new();
    let mut cur = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            cur.push(c);
        } else {
            if (4..=8).contains(&cur.len()) && best.is_empty() {
                best = cur.clone();
            }
            cur.clear();
        }
    }
    best
}

pub struct Emulator {
    pub addr: SocketAddr,
    pub state: Arc<Mutex<State>>,
}

impl Emulator {
    /// Binds 127.0.0.1:`port` (0 = any free port) and serves in background threads.
    pub fn start(port: u16) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::new()));
        let st = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(stream) = conn else { continue };
                let st = st.clone();
                std::thread::spawn(move || {
                    let _ = handle(stream, &st);
                });
            }
        });
        Ok(Emulator { addr, state })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
    pub fn smsonline_base(&self) -> String {
        self.url("/stubs/handler_api.php")
    }
    pub fn smspva_base(&self) -> String {
        self.url("/api/rent.php")
    }
    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }
}

struct Reply {
    status: u16,
    ctype: &'static str,
    body: String,
}

fn text(s: impl Into<String>) -> Reply {
    Reply { status: 200, ctype: "text/plain; charset=utf-8", body: s.into() }
}
fn js(v: Value) -> Reply {
    Reply { status: 200, ctype: "application/json; charset=utf-8", body: v.to_string() }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match h {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_query(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn handle(stream: TcpStream, st: &Arc<Mutex<State>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("/").to_string();
    let mut content_len = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                content_len = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; content_len.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mut q = parse_query(query);
    if method == "POST" {
        q.extend(parse_query(&String::from_utf8_lossy(&body)));
    }
    let mut out = stream;
    if method == "OPTIONS" {
        return write_reply(&mut out, &Reply { status: 204, ctype: "text/plain", body: String::new() });
    }
    let (protocol, name) = match path {
        "/stubs/handler_api.php" | "/handler_api.php" => ("smsonline", q.get("action").cloned().unwrap_or_default()),
        "/api/rent.php" | "/rent.php" => ("smspva", q.get("method").cloned().unwrap_or_default()),
        p if p.starts_with("/_emu/") => ("control", p[6..].to_string()),
        _ => ("", String::new()),
    };
    if protocol == "control" {
        let reply = control(&name, &q, st);
        return write_reply(&mut out, &reply);
    }
    if protocol.is_empty() {
        return write_reply(
            &mut out,
            &Reply { status: 404, ctype: "text/html", body: "<html><body><h1>404 Not Found</h1></body></html>".into() },
        );
    }
    // latency and injected failures
    let (latency, inj) = {
        let mut s = st.lock().unwrap();
        s.log.push(format!("{protocol}:{name}"));
        let lat = s.latency_ms;
        let pos = s.injections.iter().position(|i| {
            (i.protocol.is_empty() || i.protocol == protocol) && (i.method.is_empty() || i.method == name)
        });
        let inj = pos.map(|p| {
            let i = s.injections[p].clone();
            s.injections[p].count -= 1;
            if s.injections[p].count == 0 {
                s.injections.remove(p);
            }
            i
        });
        (lat, inj)
    };
    if latency > 0 {
        std::thread::sleep(Duration::from_millis(latency));
    }
    let mut mode = inj.as_ref().map(|i| i.mode.clone()).unwrap_or_default();
    if let Some(after) = mode.strip_prefix("after:") {
        // perform the request for real, then lose the answer
        let _ = dispatch(protocol, &name, &q, st);
        mode = after.to_string();
    }
    let reply = match mode.as_str() {
        "" => dispatch(protocol, &name, &q, st),
        "html" => Reply { status: 502, ctype: "text/html", body: "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>".into() },
        "html200" => Reply { status: 200, ctype: "text/html", body: "<html><body>Technical works. Please wait.</body></html>".into() },
        "malformed" => Reply { status: 200, ctype: "application/json", body: "{\"status\":\"success\",\"values\":{\"0\":{\"text\":\"trunc".into() },
        "empty" => Reply { status: 200, ctype: "text/plain", body: String::new() },
        "timeout" => {
            std::thread::sleep(Duration::from_millis(inj.as_ref().map(|i| i.delay_ms).filter(|d| *d > 0).unwrap_or(15_000)));
            return Ok(());
        }
        m if m.starts_with("status:") => Reply { status: m[7..].parse().unwrap_or(500), ctype: "text/plain", body: String::new() },
        m if m.starts_with("code:") => {
            let code = &m[5..];
            if protocol == "smspva" {
                js(json!({"status": 0, "msg": code}))
            } else if is_json_action(&name) {
                js(json!({"status": "error", "message": code}))
            } else {
                text(code)
            }
        }
        other => text(format!("UNKNOWN_INJECTION:{other}")),
    };
    write_reply(&mut out, &reply)
}

fn write_reply(out: &mut TcpStream, r: &Reply) -> std::io::Result<()> {
    let reason = match r.status {
        200 => "OK",
        204 => "No Content",
        404 => "Not Found",
        502 => "Bad Gateway",
        _ => "Status",
    };
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: GET, POST, OPTIONS\r\nAccess-Control-Allow-Headers: *\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        r.status,
        reason,
        r.ctype,
        r.body.len()
    );
    out.write_all(head.as_bytes())?;
    out.write_all(r.body.as_bytes())?;
    out.flush()
}

fn is_json_action(a: &str) -> bool {
    matches!(
        a,
        "getRentServicesAndCountries"
            | "getRentNumber"
            | "getRentStatus"
            | "getRentList"
            | "setRentStatus"
            | "continueRentNumber"
            | "getActiveActivations"
    )
}

fn fmt_msk(ts: i64, sep: char) -> String {
    let t = ts + MSK_OFFSET;
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    // civil from days
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}{sep}{:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
}

fn control(name: &str, q: &HashMap<String, String>, st: &Arc<Mutex<State>>) -> Reply {
    let mut s = st.lock().unwrap();
    let num = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    match name {
        "reset" => {
            s.reset();
            js(json!({"ok": true}))
        }
        "account" => {
            let key = q.get("key").cloned().unwrap_or_else(|| TEST_KEY.into());
            let acc = s.accounts.entry(key).or_insert(Account { balance: 0.0, banned_until: None, inactive: false });
            if let Some(b) = q.get("balance").and_then(|b| b.parse::<f64>().ok()) {
                acc.balance = b;
            }
            if let Some(b) = q.get("banned") {
                acc.banned_until = if b.is_empty() { None } else { Some(b.clone()) };
            }
            if let Some(i) = q.get("inactive") {
                acc.inactive = i == "1";
            }
            js(json!({"ok": true, "balance": acc.balance}))
        }
        "sms" => {
            let protocol = q.get("provider").map(String::as_str).unwrap_or("smsonline").to_string();
            let Some(id) = num("id") else { return js(json!({"ok": false, "error": "id"})) };
            let from = q.get("from").cloned().unwrap_or_else(|| "Service".into());
            let body = q.get("text").cloned().unwrap_or_default();
            let ok = s.inject_sms(&protocol, id, &from, &body, q.get("code").map(String::as_str));
            js(json!({"ok": ok}))
        }
        "fail" => {
            s.injections.push(Injection {
                protocol: q.get("provider").cloned().unwrap_or_default(),
                method: q.get("method").cloned().unwrap_or_default(),
                mode: q.get("mode").cloned().unwrap_or_else(|| "html".into()),
                count: num("count").unwrap_or(1).max(1) as usize,
                delay_ms: num("ms").unwrap_or(0).max(0) as u64,
            });
            js(json!({"ok": true}))
        }
        "latency" => {
            s.latency_ms = num("ms").unwrap_or(0).max(0) as u64;
            js(json!({"ok": true}))
        }
        "time" => {
            s.clock_offset += num("advance").unwrap_or(0);
            s.tick();
            let now = s.now();
            js(json!({"ok": true, "now": now}))
        }
        "stock" => {
            let svc = q.get("service").cloned().unwrap_or_default();
            let n = num("count").unwrap_or(0);
            s.stock.insert(svc, n);
            js(json!({"ok": true}))
        }
        "expire" => {
            let id = num("id").unwrap_or(0);
            let now = s.now();
            for o in s.orders.iter_mut().filter(|o| o.id == id) {
                o.until = now - 1;
            }
            for r in s.rents.iter_mut().filter(|r| r.id == id) {
                r.end = now - 1;
            }
            s.tick();
            js(json!({"ok": true}))
        }
        "log" => js(json!(s.log)),
        "state" => {
            s.tick();
            let accounts: serde_json::Map<String, Value> =
                s.accounts.iter().map(|(k, a)| (k.clone(), json!(a.balance))).collect();
            js(json!({
                "now": s.now(),
                "balances": accounts,
                "rents": s.rents.iter().map(|r| json!({"id": r.id, "number": r.number, "service": r.service, "state": format!("{:?}", r.state), "end": r.end, "sms": r.sms.len()})).collect::<Vec<_>>(),
                "activations": s.activations.iter().map(|a| json!({"id": a.id, "number": a.number, "status": a.status, "codes": a.codes})).collect::<Vec<_>>(),
                "orders": s.orders.iter().map(|o| json!({"id": o.id, "pnumber": o.pnumber, "ccode": o.ccode, "state": o.state, "until": o.until, "sms": o.sms.len()})).collect::<Vec<_>>(),
                "archive": s.archive.iter().map(|a| json!({"id": a.order.id, "closed": a.closed})).collect::<Vec<_>>(),
            }))
        }
        _ => Reply { status: 404, ctype: "text/plain", body: "unknown control".into() },
    }
}

fn dispatch(protocol: &str, name: &str, q: &HashMap<String, String>, st: &Arc<Mutex<State>>) -> Reply {
    let mut s = st.lock().unwrap();
    s.tick();
    if protocol == "smspva" {
        pva(name, q, &mut s)
    } else {
        so(name, q, &mut s)
    }
}

// ------------------------------------------------------------------ SMS.online

fn so_err(json_action: bool, code: &str) -> Reply {
    if json_action {
        js(json!({"status": "error", "message": code}))
    } else {
        text(code)
    }
}

fn so(action: &str, q: &HashMap<String, String>, s: &mut State) -> Reply {
    let ja = is_json_action(action);
    let key = q.get("api_key").cloned().unwrap_or_default();
    let Some(acc) = s.accounts.get(&key).cloned() else { return so_err(ja, "BAD_KEY") };
    if let Some(until) = &acc.banned_until {
        return so_err(ja, &format!("BANNED:'{until}'"));
    }
    if acc.inactive {
        return so_err(ja, "ACCOUNT_INACTIVE");
    }
    let now = s.now();
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    match action {
        "getBalance" => text(format!("ACCESS_BALANCE:{:.2}", acc.balance)),
        "getRentServicesAndCountries" => {
            let services: serde_json::Map<String, Value> = SO_SERVICES
                .iter()
                .map(|(c, cost, quant)| {
                    (c.to_string(), json!({"cost": cost, "quant": s.stock.get(*c).copied().unwrap_or(*quant)}))
                })
                .collect();
            let countries: serde_json::Map<String, Value> = SO_COUNTRIES
                .iter()
                .enumerate()
                .map(|(i, c)| (i.to_string(), json!(c.parse::<i64>().unwrap())))
                .collect();
            let operators: serde_json::Map<String, Value> =
                SO_OPERATORS.iter().enumerate().map(|(i, o)| (i.to_string(), json!(o))).collect();
            js(json!({"countries": countries, "operators": operators, "services": services, "currency": 643}))
        }
        "getRentNumber" | "getNumber" => {
            let service = get("service");
            let country = get("country");
            let Some(&(_, base, quant)) = SO_SERVICES.iter().find(|x| x.0 == service) else {
                return so_err(ja, "BAD_SERVICE");
            };
            if !SO_COUNTRIES.contains(&country) {
                return so_err(ja, "BAD_COUNTRY");
            }
            let op = get("operator");
            if !op.is_empty() && !SO_OPERATORS.contains(&op) {
                return so_err(ja, "BAD_OPERATOR");
            }
            let hours = if action == "getRentNumber" {
                let h = if get("rent_time").is_empty() { 4 } else { get("rent_time").parse::<i64>().unwrap_or(-1) };
                if !RENT_HOURS.contains(&h) {
                    return so_err(ja, "BAD_TIME");
                }
                h
            } else {
                0
            };
            let cost =
                if action == "getRentNumber" { (base * hours as f64 / 24.0).max(base / 4.0) } else { base / 5.0 };
            if let Ok(maxp) = get("maxPrice").parse::<f64>() {
                if maxp < cost {
                    return text(format!("WRONG_MAX_PRICE:{cost:.2}"));
                }
            }
            let stock = s.stock.get(service).copied().unwrap_or(quant);
            if stock <= 0 {
                return so_err(ja, "NO_NUMBERS");
            }
            if acc.balance < cost {
                return so_err(ja, "NO_BALANCE");
            }
            s.accounts.get_mut(&key).unwrap().balance -= cost;
            s.stock.insert(service.to_string(), stock - 1);
            let id = s.id();
            let number = s.number_for(id, "7909");
            if action == "getRentNumber" {
                let end = now + hours * 3600;
                s.rents.push(SoRent {
                    id,
                    key,
                    number: number.clone(),
                    service: service.into(),
                    country: country.into(),
                    start: now,
                    end,
                    state: RentState::Active,
                    sms: vec![],
                });
                js(json!({"status": "success", "phone": {"id": id, "endDate": fmt_msk(end, 'T'), "number": number}}))
            } else {
                s.activations.push(SoActivation {
                    id,
                    key,
                    number: number.clone(),
                    service: service.into(),
                    country: country.into(),
                    created: now,
                    status: 0,
                    codes: vec![],
                    texts: vec![],
                    cost,
                });
                text(format!("ACCESS_NUMBER:{id}:{number}"))
            }
        }
        "getRentStatus" => {
            let id_s = get("id");
            if id_s.is_empty() {
                return so_err(true, "NO_ID_RENT");
            }
            let id = id_s.parse::<i64>().unwrap_or(-1);
            let Some(r) = s.rents.iter().find(|r| r.id == id && r.key == key) else {
                return so_err(true, "INVALID_PHONE");
            };
            match r.state {
                RentState::Finished if r.sms.is_empty() || r.end > now => return so_err(true, "STATUS_FINISH"),
                RentState::Cancelled => return so_err(true, "STATUS_CANCEL"),
                RentState::Revoked => return so_err(true, "STATUS_REVOKE"),
                _ => {}
            }
            if r.state == RentState::Finished {
                return so_err(true, "STATUS_FINISH");
            }
            if r.sms.is_empty() {
                return so_err(true, "STATUS_WAIT_CODE");
            }
            let page = get("page").parse::<usize>().unwrap_or(0);
            let size = get("size").parse::<usize>().unwrap_or(10).max(1);
            let newest_first: Vec<&Message> = r.sms.iter().rev().collect();
            let values: serde_json::Map<String, Value> = newest_first
                .iter()
                .skip(page * size)
                .take(size)
                .enumerate()
                .map(|(i, m)| (i.to_string(), json!({"phoneFrom": m.from, "text": m.text, "service": r.service, "date": fmt_msk(m.date, ' ')})))
                .collect();
            js(json!({"status": "success", "quantity": r.sms.len().to_string(), "values": values}))
        }
        "getRentList" => {
            let values: serde_json::Map<String, Value> = s
                .rents
                .iter()
                .filter(|r| r.key == key && r.state == RentState::Active)
                .enumerate()
                .map(|(i, r)| (i.to_string(), json!({"id": r.id.to_string(), "phone": r.number})))
                .collect();
            if values.is_empty() {
                return so_err(true, "NO_ID_RENT");
            }
            js(json!({"status": "success", "values": values}))
        }
        "setRentStatus" => {
            let id = get("id").parse::<i64>().unwrap_or(-1);
            let status = get("status");
            let Some(r) = s.rents.iter_mut().find(|r| r.id == id && r.key == key) else {
                return so_err(true, "NO_ID_RENT");
            };
            if r.state != RentState::Active {
                return so_err(true, if r.state == RentState::Cancelled { "STATUS_CANCEL" } else { "STATUS_FINISH" });
            }
            match status {
                "1" => r.state = RentState::Finished,
                "2" => {
                    if !r.sms.is_empty() || now - r.start > 20 * 60 {
                        return so_err(true, "CANT_CANCEL");
                    }
                    r.state = RentState::Cancelled;
                    let svc_cost = SO_SERVICES.iter().find(|x| x.0 == r.service).map(|x| x.1).unwrap_or(0.0);
                    let hours = ((r.end - r.start) / 3600) as f64;
                    let refund = (svc_cost * hours / 24.0).max(svc_cost / 4.0);
                    s.accounts.get_mut(&key).unwrap().balance += refund;
                }
                _ => return so_err(true, "BAD_STATUS"),
            }
            js(json!({"status": "success"}))
        }
        "continueRentNumber" => {
            let id = get("id").parse::<i64>().unwrap_or(-1);
            let hours = get("rent_time").parse::<i64>().unwrap_or(4);
            if !RENT_HOURS.contains(&hours) {
                return so_err(true, "BAD_TIME");
            }
            let Some(idx) = s.rents.iter().position(|r| r.id == id && r.key == key) else {
                return so_err(true, "INVALID_PHONE");
            };
            if s.rents[idx].state != RentState::Active {
                return so_err(true, "STATUS_FINISH");
            }
            let base = SO_SERVICES.iter().find(|x| x.0 == s.rents[idx].service).map(|x| x.1).unwrap_or(10.0);
            let cost = (base * hours as f64 / 24.0).max(base / 4.0);
            if acc.balance < cost {
                return so_err(true, "NO_BALANCE");
            }
            s.accounts.get_mut(&key).unwrap().balance -= cost;
            let r = &mut s.rents[idx];
            r.end += hours * 3600;
            js(json!({"status": "success", "phone": {"id": r.id, "endDate": fmt_msk(r.end, 'T'), "number": r.number}}))
        }
        "getStatus" => {
            let id_s = get("id");
            let Ok(id) = id_s.parse::<i64>() else { return text("WRONG_ACTIVATION_ID") };
            let Some(a) = s.activations.iter().find(|a| a.id == id && a.key == key) else {
                return text("NO_ACTIVATION");
            };
            text(match a.status {
                8 => "STATUS_CANCEL".to_string(),
                6 => format!("STATUS_OK:{}", a.codes.last().cloned().unwrap_or_default()),
                3 => match a.codes.last() {
                    Some(c) => format!("STATUS_WAIT_RETRY:{c}"),
                    None => "STATUS_WAIT_CODE".into(),
                },
                _ => match a.codes.last() {
                    Some(c) => format!("STATUS_OK:{c}"),
                    None => "STATUS_WAIT_CODE".into(),
                },
            })
        }
        "setStatus" => {
            let Ok(id) = get("id").parse::<i64>() else { return text("WRONG_ACTIVATION_ID") };
            let status = get("status").parse::<i64>().unwrap_or(-1);
            let Some(a) = s.activations.iter_mut().find(|a| a.id == id && a.key == key) else {
                return text("NO_ACTIVATION");
            };
            if matches!(a.status, 6 | 8) {
                return text("BAD_STATUS");
            }
            match status {
                1 => text("ACCESS_READY"),
                3 => {
                    if a.codes.is_empty() {
                        return text("BAD_STATUS");
                    }
                    a.status = 3;
                    text("ACCESS_RETRY_GET")
                }
                6 => {
                    if a.codes.is_empty() {
                        return text("BAD_STATUS");
                    }
                    a.status = 6;
                    text("ACCESS_ACTIVATION")
                }
                8 => {
                    if now - a.created < 120 {
                        return text("EARLY_CANCEL_DENIED");
                    }
                    if !a.codes.is_empty() {
                        return text("BAD_STATUS");
                    }
                    a.status = 8;
                    let refund = a.cost;
                    s.accounts.get_mut(&key).unwrap().balance += refund;
                    text("ACCESS_CANCEL")
                }
                _ => text("BAD_STATUS"),
            }
        }
        "getActiveActivations" => {
            let list: Vec<Value> = s
                .activations
                .iter()
                .filter(|a| a.key == key && matches!(a.status, 0 | 1 | 3) && now - a.created < 20 * 60)
                .map(|a| {
                    json!({
                        "activationId": a.id.to_string(),
                        "serviceCode": a.service,
                        "phoneNumber": a.number,
                        "activationCost": format!("{:.2}", a.cost),
                        "activationStatus": a.status.to_string(),
                        "smsCode": if a.codes.is_empty() { Value::Null } else { json!(a.codes) },
                        "smsText": if a.texts.is_empty() { Value::Null } else { json!(a.texts) },
                        "activationTime": fmt_msk(a.created, ' '),
                        "discount": "0.00",
                        "repeated": "0",
                        "countryCode": a.country,
                        "countryName": "",
                        "canGetAnotherSms": if a.codes.is_empty() { "0" } else { "1" },
                    })
                })
                .collect();
            if list.is_empty() {
                return js(json!({"status": "error", "error": "NO_ACTIVATIONS"}));
            }
            js(json!({"status": "success", "activeActivations": list}))
        }
        _ => so_err(ja, "BAD_ACTION"),
    }
}

// ------------------------------------------------------------------ SMSPVA

fn pva_err(msg: &str) -> Reply {
    js(json!({"status": 0, "msg": msg}))
}
fn pva_ok(data: Value) -> Reply {
    js(json!({"status": 1, "data": data}))
}

fn period_days(q: &HashMap<String, String>) -> Option<i64> {
    let n = q.get("dcount").map(String::as_str).unwrap_or("1").parse::<i64>().ok().filter(|n| *n >= 1 && *n <= 12)?;
    match q.get("dtype").map(String::as_str).unwrap_or("week") {
        "week" => Some(7 * n),
        "month" => Some(30 * n),
        _ => None,
    }
}

fn order_json(o: &PvaOrder, now: i64) -> Value {
    let left = o.until - now;
    let max_until = o.begin + 90 * 86400;
    let can = left < 7 * 86400 && max_until > o.until;
    json!({
        "id": o.id, "scode": o.scode, "sname": o.sname, "state": o.state,
        "pnumber": o.pnumber, "ccode": o.ccode, "cname": o.cname, "hasnewsms": o.has_new,
        "until": o.until, "canprolong": can, "canprolongmax": ((max_until - o.until) / 86400).max(0),
        "canprolonguntil": max_until, "lastonline": now - 60,
    })
}

fn pva(method: &str, q: &HashMap<String, String>, s: &mut State) -> Reply {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let now = s.now();
    match method {
        "getcountries" => {
            return pva_ok(json!(PVA_COUNTRIES
                .iter()
                .map(|(c, n, _)| json!({"name": n, "code": c}))
                .collect::<Vec<_>>()))
        }
        "getdata" => {
            if !PVA_COUNTRIES.iter().any(|c| c.0 == get("country")) {
                return pva_err("Country not found");
            }
            let mult = if get("dtype") == "month" { 0.8 } else { 1.0 };
            return pva_ok(json!(PVA_SERVICES
                .iter()
                .map(|(code, name, p)| json!({"name": name, "service": code, "price_day": p * mult, "count": s.stock.get(*code).copied().unwrap_or(359)}))
                .collect::<Vec<_>>()));
        }
        _ => {}
    }
    let key = get("apikey").to_string();
    let Some(acc) = s.accounts.get(&key).cloned() else { return pva_err("API KEY NOT FOUND!") };
    if acc.banned_until.is_some() || acc.inactive {
        return pva_err("Your account is blocked");
    }
    let id = get("id").parse::<i64>().unwrap_or(-1);
    match method {
        "create" => {
            let Some(days) = period_days(q) else { return pva_err("Wrong period") };
            let Some(country) = PVA_COUNTRIES.iter().find(|c| c.0 == get("country")) else {
                return pva_err("Country not found");
            };
            let Some(svc) = PVA_SERVICES.iter().find(|x| x.0 == get("service")) else {
                return pva_err("Service not found");
            };
            let stock = s.stock.get(svc.0).copied().unwrap_or(359);
            if stock <= 0 {
                return pva_err("No free numbers");
            }
            let cost = svc.2 * days as f64;
            if acc.balance < cost {
                return pva_err("Insufficient funds");
            }
            s.accounts.get_mut(&key).unwrap().balance -= cost;
            s.stock.insert(svc.0.to_string(), stock - 1);
            let oid = s.id();
            let pnumber = s.number_for(oid, "909");
            let until = now + days * 86400;
            // United Kingdom numbers are "always active"; the others must be activated.
            let state = if country.0 == "EN" { 1 } else { 0 };
            s.orders.push(PvaOrder {
                id: oid,
                key,
                ccode: country.2.into(),
                cname: country.0.into(),
                pnumber: pnumber.clone(),
                scode: svc.0.into(),
                sname: svc.1.into(),
                state,
                activating_since: 0,
                begin: now,
                until,
                price_day: svc.2,
                sms: vec![],
                has_new: false,
                extra_services: vec![],
            });
            pva_ok(json!({"id": oid, "pnumber": pnumber, "ccode": country.2, "service": svc.0, "until": until}))
        }
        "orders" => {
            pva_ok(json!(s.orders.iter().filter(|o| o.key == key).map(|o| order_json(o, now)).collect::<Vec<_>>()))
        }
        "add_service_to_order" => {
            let Some(svc) = PVA_SERVICES.iter().find(|x| x.0 == get("service")) else {
                return pva_err("Service not found");
            };
            let Some(o) = s.orders.iter_mut().find(|o| o.id == id && o.key == key) else {
                return pva_err("Order not found");
            };
            let full = format!("{}{}", o.ccode.trim_start_matches('+'), o.pnumber);
            if get("pnumber") != full {
                return pva_err("Wrong phone number");
            }
            o.extra_services.push(svc.0.into());
            js(json!({"status": 1}))
        }
        "sms" => {
            let Some(o) = s.orders.iter_mut().find(|o| o.id == id && o.key == key) else {
                return pva_err("Order not found");
            };
            o.has_new = false;
            pva_ok(json!(o
                .sms
                .iter()
                .rev()
                .map(|m| json!({"text": m.text, "sender": m.from, "date": m.date}))
                .collect::<Vec<_>>()))
        }
        "prolong" => {
            let Some(days) = period_days(q) else { return pva_err("Wrong period") };
            let Some(idx) = s.orders.iter().position(|o| o.id == id && o.key == key) else {
                return pva_err("Order not found");
            };
            let o = &s.orders[idx];
            if o.until - now >= 7 * 86400 {
                return pva_err("You can prolong number only if before expiring date left less 7 days");
            }
            if o.until + days * 86400 > o.begin + 90 * 86400 {
                return pva_err("Maximum rental period is 90 days");
            }
            let cost = o.price_day * days as f64;
            if acc.balance < cost {
                return pva_err("Insufficient funds");
            }
            s.accounts.get_mut(&key).unwrap().balance -= cost;
            s.orders[idx].until += days * 86400;
            pva_ok(json!({"id": id}))
        }
        "activate" => {
            let secs = s.activation_secs;
            let Some(o) = s.orders.iter_mut().find(|o| o.id == id && o.key == key) else {
                return pva_err("Order not found");
            };
            if o.state == 0 {
                o.state = if secs <= 0 { 1 } else { 2 };
                o.activating_since = now;
            }
            pva_ok(json!({"id": id}))
        }
        "delete" => {
            let Some(idx) = s.orders.iter().position(|o| o.id == id && o.key == key) else {
                return pva_err("Order not found");
            };
            let o = s.orders.remove(idx);
            s.archive.push(ArchiveEntry { order: o, closed: now });
            pva_ok(json!({"id": id}))
        }
        "get_rent_history" => {
            let skip = get("skip").parse::<usize>().unwrap_or(0);
            let take = get("take").parse::<usize>().unwrap_or(10);
            let items: Vec<Value> = s
                .archive
                .iter()
                .filter(|a| a.order.key == key)
                .rev()
                .skip(skip)
                .take(take)
                .map(|a| {
                    let o = &a.order;
                    json!({"orderId": o.id, "resourceCode": o.scode, "number": format!("{}{}", o.ccode.trim_start_matches('+'), o.pnumber), "branchId": 1235, "haveSms": !o.sms.is_empty(), "days": (o.until - o.begin) / 86400, "country": o.cname, "begin": o.begin, "end": o.until, "closed": a.closed})
                })
                .collect();
            pva_ok(json!(items))
        }
        "restore_user_precalc" | "restore_user" => {
            if let Some(o) = s.orders.iter().find(|o| o.id == id) {
                return pva_err(if o.key != key { "NOTOWNER" } else { "DATEDIFFINVERT" });
            }
            let Some(idx) = s.archive.iter().position(|a| a.order.id == id) else { return pva_err("NOREMOTEDATA") };
            if s.archive[idx].order.key != key {
                return pva_err("the user had not this order");
            }
            let a = &s.archive[idx];
            let out_days = ((now - a.order.until) / 86400).max(0);
            if out_days > 30 {
                return pva_err("NOAVAILDAYS");
            }
            let price = ((out_days + 30) as f64 * a.order.price_day * 100.0).round() / 100.0;
            if method == "restore_user_precalc" {
                let o = &a.order;
                return pva_ok(
                    json!({"ccode": o.cname, "scode": o.scode, "price": price, "sname": o.sname, "pnumber": format!("{}{}", o.ccode.trim_start_matches('+'), o.pnumber), "outdays": out_days, "orderid": o.id, "prolongTo": 30}),
                );
            }
            if acc.balance < price {
                return pva_err(&format!("NOBALANCE: Today need {price:.2}"));
            }
            s.accounts.get_mut(&key).unwrap().balance -= price;
            let mut o = s.archive.remove(idx).order;
            o.until = now + 30 * 86400;
            o.begin = now;
            o.state = 1;
            s.orders.push(o);
            js(json!({"status": 1, "data": true}))
        }
        _ => pva_err("Unknown method"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msk_format() {
        assert_eq!(fmt_msk(0, ' '), "1970-01-01 03:00:00");
        assert_eq!(fmt_msk(1580394718 - MSK_OFFSET, ' '), "2020-01-30 14:31:58");
    }

    #[test]
    fn query_decoding() {
        let q = parse_query("text=Code%3A+123%20456&x=%E2%82%BD");
        assert_eq!(q["text"], "Code: 123 456");
        assert_eq!(q["x"], "₽");
    }

    #[test]
    fn naive_provider_code() {
        assert_eq!(naive_code("Your code 4821, valid 5 min"), "4821");
    }
}
