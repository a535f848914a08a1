//! SMSPVA: the rent API `rent.php` (all twelve methods).

use crate::server::{js, Reply};
use crate::{ArchiveEntry, Dialect, Message, PvaOrder, State, PVA_COUNTRIES, PVA_SERVICES};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The envelope `status`: a number on the published page, a string live.
fn status(live: bool, n: i64) -> Value {
    if live {
        json!(n.to_string())
    } else {
        json!(n)
    }
}
fn pva_err(live: bool, msg: &str) -> Reply {
    js(json!({"status": status(live, 0), "msg": msg}))
}
fn pva_ok(live: bool, data: Value) -> Reply {
    js(json!({"status": status(live, 1), "data": data}))
}
fn sms_json(list: &[Message]) -> Vec<Value> {
    list.iter().rev().map(|m| json!({"text": m.text, "sender": m.from, "date": m.date})).collect()
}

fn period_days(q: &HashMap<String, String>) -> Option<i64> {
    let n = q.get("dcount").map(String::as_str).unwrap_or("1").parse::<i64>().ok().filter(|n| *n >= 1 && *n <= 12)?;
    match q.get("dtype").map(String::as_str).unwrap_or("week") {
        "week" => Some(7 * n),
        "month" => Some(30 * n),
        _ => None,
    }
}

fn order_json(o: &PvaOrder, now: i64, live: bool) -> Value {
    let left = o.until - now;
    let max_until = o.begin + 90 * 86400;
    let can = left < 7 * 86400 && max_until > o.until;
    json!({
        "id": o.id, "scode": o.scode, "sname": o.sname, "state": if live { json!(o.state.to_string()) } else { json!(o.state) },
        "pnumber": o.pnumber, "ccode": o.ccode, "cname": o.cname, "hasnewsms": o.has_new,
        "until": o.until, "canprolong": can, "canprolongmax": ((max_until - o.until) / 86400).max(0),
        "canprolonguntil": max_until, "lastonline": now - 60,
    })
}

pub(crate) fn pva(method: &str, q: &HashMap<String, String>, s: &mut State) -> Reply {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let now = s.now();
    let live = s.dialect == Dialect::Live;
    let pva_err = |m: &str| pva_err(live, m);
    let pva_ok = |d: Value| pva_ok(live, d);
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
            let list = PVA_SERVICES
                .iter()
                .map(|(code, name, p)| json!({"name": name, "service": code, "price_day": p * mult, "count": s.stock.get(*code).copied().unwrap_or(359)}))
                .collect::<Vec<_>>();
            // live: the list nests under data.services
            return pva_ok(if live { json!({"services": list}) } else { json!(list) });
        }
        _ => {}
    }
    let key = get("apikey").to_string();
    let Some(acc) = s.accounts.get(&key).cloned() else { return pva_err("API KEY NOT FOUND!") };
    if acc.banned_until.is_some() || acc.inactive {
        return pva_err("Your account is blocked");
    }
    let id = get("id").parse::<i64>().unwrap_or(-1);
    // live msgs: "incorrect order" for an ID that cannot be an order, "order not found" otherwise
    let not_found = if !live {
        "Order not found"
    } else if id < 0 {
        "incorrect order"
    } else {
        "order not found"
    };
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
                other_sms: vec![],
                has_new: false,
                extra_services: vec![],
            });
            let order = json!({"id": oid, "pnumber": pnumber, "ccode": country.2, "service": svc.0, "until": until});
            // live: data is a one-element array
            pva_ok(if live { json!([order]) } else { order })
        }
        "orders" => pva_ok(json!(s
            .orders
            .iter()
            .filter(|o| o.key == key)
            .map(|o| order_json(o, now, live))
            .collect::<Vec<_>>())),
        "add_service_to_order" => {
            let Some(svc) = PVA_SERVICES.iter().find(|x| x.0 == get("service")) else {
                return pva_err("Service not found");
            };
            let Some(o) = s.orders.iter_mut().find(|o| o.id == id && o.key == key) else {
                return pva_err(not_found);
            };
            let full = format!("{}{}", o.ccode.trim_start_matches('+'), o.pnumber);
            if get("pnumber") != full {
                return pva_err("Wrong phone number");
            }
            o.extra_services.push(svc.0.into());
            js(json!({"status": status(live, 1)}))
        }
        "sms" => {
            let Some(o) = s.orders.iter_mut().find(|o| o.id == id && o.key == key) else {
                return pva_err(not_found);
            };
            o.has_new = false;
            if live {
                // live: the order's own SMS and the number's messages for other services
                pva_ok(json!({"SmsList": sms_json(&o.sms), "OtherSms": sms_json(&o.other_sms)}))
            } else {
                pva_ok(json!(sms_json(&o.sms)))
            }
        }
        "prolong" => {
            let Some(days) = period_days(q) else { return pva_err("Wrong period") };
            let Some(idx) = s.orders.iter().position(|o| o.id == id && o.key == key) else {
                return pva_err(not_found);
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
                return pva_err(not_found);
            };
            if o.state == 0 {
                o.state = if secs <= 0 { 1 } else { 2 };
                o.activating_since = now;
            }
            pva_ok(json!({"id": id}))
        }
        "delete" => {
            let Some(idx) = s.orders.iter().position(|o| o.id == id && o.key == key) else {
                return pva_err(not_found);
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
            js(json!({"status": status(live, 1), "data": true}))
        }
        _ => pva_err("Unknown method"),
    }
}
