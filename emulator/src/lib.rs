//! A stateful emulator of both provider protocols, served over real HTTP on
//! 127.0.0.1, for tests (never the real providers).
//!
//! * `/stubs/handler_api.php`: SMS.online, the sms-activate protocol (rents and activations).
//! * `/api/rent.php`: SMSPVA rent API (all twelve methods).
//! * `/_emu/...`: control endpoints: reset, accounts, SMS injection, error
//!   injection, latency, clock, request log and a state dump.
//!
//! Two dialects ([`Dialect`]; `--dialect`, env `OTPDOCK_EMU_DIALECT`, `/_emu/dialect?set=live`):
//! `documented` answers as the providers' pages show, `live` as public clients report the
//! live APIs (`shared/PROVIDER_DIALECTS.md`). Live differences: SMSPVA `sms` as
//! `{SmsList, OtherSms}`, `getdata` as `{services}`, `create` data as a one-element array,
//! `status` (and order `state`) as strings, msgs "order not found" / "incorrect order";
//! SMS.online auth errors as `{"title","details"}` with HTTP 401 (`NO_KEY` without a key),
//! `setRentStatus` success as an empty HTTP 204, an empty `getRentList` as `NO_NUMBERS`
//! (documented: `NO_ID_RENT`) and a keyed list otherwise (documented: an array with price
//! and hours), the rent duration read from `time` (documented: `rent_time`), `INVALID_TIME`
//! (documented: `BAD_TIME`), `setStatus 1` refused, no `getRentServicesAndCountries`.
//! Both dialects: `setRentStatus` tokens ALREADY_FINISH / ALREADY_CANCEL / INCORECT_STATUS /
//! CANT_CANCEL (more than 20 minutes after the start), RENT_DIE, `getRentPrices`, `getPrices`,
//! `getContinueRentPrice`, `getRentHistory`.
//!
//! Control endpoints: `reset`, `account?key&balance&banned&inactive`,
//! `sms?provider&id&from&text&code` (`other=1` on an SMSPVA order: an OtherSms),
//! `fail?provider&method&mode&count&ms` (modes `html`, `html200`, `malformed`, `empty`,
//! `timeout`, `status:N`, `code:TOKEN`, `title:TOKEN`, `echo`/`echojson`/`echohtml` (the
//! request URL, key included, echoed back), `after:MODE` = perform, then lose the answer),
//! `latency?ms`, `time?advance&freeze`, `stock?service&count`, `expire?id`, `log` (`protocol:method`
//! strings), `requests` (`{at_ms, protocol, method, key, rate_limited}`), `dialect?set`,
//! `tz?min` (SMS.online's zone for zone-less dates, default +180), `min_gap?ms` (per-key
//! minimum spacing of SMSPVA requests, answered [`PVA_RATE_LIMIT_MSG`] when violated), `state`.
//!
//! Every answer carries `Access-Control-Allow-Origin: *` so extension pages
//! and wasm tests in a browser can call it.

mod control;
mod server;
mod smsonline;
mod smspva;

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

pub const TEST_KEY: &str = "test-key";
pub(crate) const MSK_OFFSET: i64 = 3 * 3600;
pub(crate) const SO_SERVICES: &[(&str, f64, i64)] =
    &[("tg", 50.0, 25), ("wa", 60.0, 25), ("ig", 40.0, 25), ("go", 30.0, 25), ("full", 200.0, 5)];
pub(crate) const SO_COUNTRIES: &[&str] = &["0", "6", "187"];
pub(crate) const SO_OPERATORS: &[&str] = &["any", "mts", "beeline", "megafon", "tele2"];
pub(crate) const RENT_HOURS: &[i64] = &[4, 8, 12, 24, 72, 168, 360, 720, 2160];
pub(crate) const PVA_COUNTRIES: &[(&str, &str, &str)] =
    &[("RU", "Россия", "+7"), ("EN", "United Kingdom", "+44"), ("US", "USA", "+1")];
pub(crate) const PVA_SERVICES: &[(&str, &str, f64)] = &[
    ("opt6", "Facebook", 6.0),
    ("opt16", "Instagram", 5.0),
    ("opt29", "Telegram", 8.0),
    ("opt46", "Airbnb", 6.0),
    ("opt59", "Avito", 4.0),
    ("opt89", "WhatsApp", 7.0),
];

/// Which answers the emulator gives: the providers' published pages (`documented`), or the
/// shapes public clients report from the live APIs (`live`, see `shared/PROVIDER_DIALECTS.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Dialect {
    #[default]
    Documented,
    Live,
}

impl Dialect {
    pub fn parse(s: &str) -> Option<Dialect> {
        match s.trim().to_ascii_lowercase().as_str() {
            "documented" | "doc" | "docs" => Some(Dialect::Documented),
            "live" => Some(Dialect::Live),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Documented => "documented",
            Dialect::Live => "live",
        }
    }
    /// The default: `OTPDOCK_EMU_DIALECT` if set to a known dialect, else documented.
    pub fn from_env() -> Dialect {
        std::env::var("OTPDOCK_EMU_DIALECT").ok().and_then(|v| Dialect::parse(&v)).unwrap_or_default()
    }
}

/// One request as the emulator saw it (`/_emu/requests`): wall-clock milliseconds, the
/// protocol, the method and the key it carried, so tests can check spacing per key.
#[derive(Clone, Debug)]
pub struct LogEntry {
    pub at_ms: u64,
    pub protocol: String,
    pub method: String,
    pub key: String,
    /// The emulator refused it with the rate-limit answer (min-gap violated).
    pub rate_limited: bool,
}

/// SMSPVA's answer to requests closer together than the key's minimum gap.
pub const PVA_RATE_LIMIT_MSG: &str = "Too many requests, wait 5 seconds between requests";

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
    /// What was paid so far (rent plus prolongations).
    pub cost: f64,
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
    /// Messages for other services on the same number (live `OtherSms`).
    pub other_sms: Vec<Message>,
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
    /// `time?freeze=1`: the wall-clock second the clock stands still at (it then moves only by
    /// `time?advance`), so a test's "exactly 7 days left" does not turn into 6 days 23:59:59
    /// when a second ticks by.
    pub frozen_wall: Option<i64>,
    pub next_id: i64,
    pub rents: Vec<SoRent>,
    pub activations: Vec<SoActivation>,
    pub orders: Vec<PvaOrder>,
    pub archive: Vec<ArchiveEntry>,
    pub injections: Vec<Injection>,
    pub latency_ms: u64,
    /// `protocol:method` per request (kept for the e2e tests), see also `requests`.
    pub log: Vec<String>,
    pub requests: Vec<LogEntry>,
    pub dialect: Dialect,
    /// The dialect `reset` returns to (the start-up one).
    pub default_dialect: Dialect,
    /// Minutes east of UTC of SMS.online's zone-less dates (Moscow by default).
    pub so_tz_offset_min: i64,
    /// Minimum milliseconds between two SMSPVA requests of one key (0 = not enforced).
    pub pva_min_gap_ms: u64,
    pub pva_last_ms: HashMap<String, u64>,
    pub stock: HashMap<String, i64>,
    /// Seconds an SMSPVA activation stays in state 2.
    pub activation_secs: i64,
}

fn wall_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

impl State {
    fn new() -> State {
        let mut s = State { next_id: 1000, ..Default::default() };
        s.reset();
        s
    }

    pub fn reset(&mut self) {
        let d = self.default_dialect;
        *self = State {
            next_id: 1000,
            activation_secs: 3,
            dialect: d,
            default_dialect: d,
            so_tz_offset_min: MSK_OFFSET / 60,
            ..Default::default()
        };
        self.accounts.insert(TEST_KEY.into(), Account { balance: 1000.0, banned_until: None, inactive: false });
        self.accounts.insert(
            "banned-key".into(),
            Account { balance: 0.0, banned_until: Some("2030-01-01 10-00-00".into()), inactive: false },
        );
        self.accounts.insert("inactive-key".into(), Account { balance: 0.0, banned_until: None, inactive: true });
        self.accounts.insert("poor-key".into(), Account { balance: 0.5, banned_until: None, inactive: false });
    }

    pub fn now(&self) -> i64 {
        self.frozen_wall.unwrap_or_else(wall_secs) + self.clock_offset
    }

    /// Freezes the clock at its current time, or lets it run on from where it stands.
    pub fn freeze(&mut self, on: bool) {
        match (on, self.frozen_wall) {
            (true, None) => self.frozen_wall = Some(wall_secs()),
            (false, Some(t)) => {
                self.frozen_wall = None;
                self.clock_offset += t - wall_secs();
            }
            _ => {}
        }
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
            "smspva" | "smspva-other" => {
                if let Some(o) = self.orders.iter_mut().find(|o| o.id == id) {
                    if protocol == "smspva-other" {
                        o.other_sms.push(msg);
                    } else {
                        o.sms.push(msg);
                    }
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
pub(crate) fn naive_code(text: &str) -> String {
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
    /// Binds 127.0.0.1:`port` (0 = any free port) and serves in background threads, in the
    /// dialect of `OTPDOCK_EMU_DIALECT` (documented when unset).
    pub fn start(port: u16) -> std::io::Result<Emulator> {
        Emulator::start_with(port, Dialect::from_env())
    }

    /// Like [`Emulator::start`] in the given dialect (also what `/_emu/reset` returns to).
    pub fn start_with(port: u16, dialect: Dialect) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let mut st = State::new();
        st.default_dialect = dialect;
        st.reset();
        let state = Arc::new(Mutex::new(st));
        let st = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(stream) = conn else { continue };
                let st = st.clone();
                std::thread::spawn(move || {
                    let _ = server::handle(stream, &st);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_provider_code() {
        assert_eq!(naive_code("Your code 4821, valid 5 min"), "4821");
    }
}
