//! Control endpoints under `/_emu/`: reset, accounts, SMS and failure injection,
//! latency, clock, stock, expiry, the request log and a state dump.

use crate::server::{js, Reply};
use crate::{Account, Dialect, Injection, State, TEST_KEY};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub(crate) fn control(name: &str, q: &HashMap<String, String>, st: &Arc<Mutex<State>>) -> Reply {
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
            let mut protocol = q.get("provider").map(String::as_str).unwrap_or("smsonline").to_string();
            // `other=1` on an SMSPVA order: a message for another service (live `OtherSms`)
            if protocol == "smspva" && q.get("other").is_some_and(|o| o == "1") {
                protocol = "smspva-other".into();
            }
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
            if let Some(f) = num("freeze") {
                s.freeze(f != 0);
            }
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
        "requests" => js(json!(s
            .requests
            .iter()
            .map(|r| json!({"at_ms": r.at_ms, "protocol": r.protocol, "method": r.method, "key": r.key, "rate_limited": r.rate_limited}))
            .collect::<Vec<_>>())),
        "dialect" => {
            if let Some(d) = q.get("set") {
                match Dialect::parse(d) {
                    Some(d) => s.dialect = d,
                    None => return js(json!({"ok": false, "error": "dialect is documented or live"})),
                }
            }
            js(json!({"ok": true, "dialect": s.dialect.as_str()}))
        }
        "tz" => {
            if let Some(m) = num("min") {
                s.so_tz_offset_min = m;
            }
            js(json!({"ok": true, "min": s.so_tz_offset_min}))
        }
        "min_gap" => {
            s.pva_min_gap_ms = num("ms").unwrap_or(0).max(0) as u64;
            s.pva_last_ms.clear();
            js(json!({"ok": true, "ms": s.pva_min_gap_ms}))
        }
        "state" => {
            s.tick();
            let accounts: serde_json::Map<String, Value> =
                s.accounts.iter().map(|(k, a)| (k.clone(), json!(a.balance))).collect();
            js(json!({
                "now": s.now(),
                "dialect": s.dialect.as_str(),
                "balances": accounts,
                "rents": s.rents.iter().map(|r| json!({"id": r.id, "number": r.number, "service": r.service, "state": format!("{:?}", r.state), "end": r.end, "sms": r.sms.len()})).collect::<Vec<_>>(),
                "activations": s.activations.iter().map(|a| json!({"id": a.id, "number": a.number, "status": a.status, "codes": a.codes})).collect::<Vec<_>>(),
                "orders": s.orders.iter().map(|o| json!({"id": o.id, "pnumber": o.pnumber, "ccode": o.ccode, "state": o.state, "until": o.until, "sms": o.sms.len(), "extra_services": o.extra_services})).collect::<Vec<_>>(),
                "archive": s.archive.iter().map(|a| json!({"id": a.order.id, "closed": a.closed})).collect::<Vec<_>>(),
            }))
        }
        _ => Reply { status: 404, ctype: "text/plain", body: "unknown control".into() },
    }
}
