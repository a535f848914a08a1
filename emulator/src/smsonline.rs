//! SMS.online: the sms-activate `handler_api.php` protocol (rents and activations).

use crate::server::{js, text, Reply};
use crate::{
    Dialect, Message, RentState, SoActivation, SoRent, State, RENT_HOURS, SO_COUNTRIES, SO_OPERATORS, SO_SERVICES,
};
use serde_json::{json, Value};
use std::collections::HashMap;

pub(crate) fn is_json_action(a: &str) -> bool {
    matches!(
        a,
        "getRentServicesAndCountries"
            | "getRentNumber"
            | "getRentStatus"
            | "getRentList"
            | "setRentStatus"
            | "continueRentNumber"
            | "getActiveActivations"
            | "getRentPrices"
            | "getContinueRentPrice"
            | "getRentHistory"
            | "getPrices"
    )
}

#[cfg(test)]
fn fmt_msk(ts: i64, sep: char) -> String {
    fmt_local(ts, crate::MSK_OFFSET / 60, sep)
}

/// Formats a Unix time as a zone-less `YYYY-MM-DD HH:MM:SS` in the zone `offset_min` east of UTC.
fn fmt_local(ts: i64, offset_min: i64, sep: char) -> String {
    let t = ts + offset_min * 60;
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

fn so_err(json_action: bool, code: &str) -> Reply {
    if json_action {
        js(json!({"status": "error", "message": code}))
    } else {
        text(code)
    }
}

/// Live: authentication errors in the `{"title","details"}` shape with HTTP 401, as newer
/// servers of the family send them on every method.
fn auth_err(live: bool, ja: bool, code: &str) -> Reply {
    if live {
        Reply {
            status: 401,
            ctype: "application/json; charset=utf-8",
            body: json!({"title": code, "details": "Unauthorized"}).to_string(),
        }
    } else {
        so_err(ja, code)
    }
}

/// The rent price of `hours` hours of a service whose daily price is `base`.
fn rent_cost(base: f64, hours: i64) -> f64 {
    (base * hours as f64 / 24.0).max(base / 4.0)
}

/// The rent duration: live servers of the family read `time`, the documented ones `rent_time`.
fn hours_param(live: bool, q: &HashMap<String, String>) -> Option<Result<i64, ()>> {
    let name = if live { "time" } else { "rent_time" };
    q.get(name).filter(|v| !v.is_empty()).map(|v| v.parse::<i64>().map_err(|_| ()))
}

pub(crate) fn so(action: &str, q: &HashMap<String, String>, s: &mut State) -> Reply {
    let ja = is_json_action(action);
    let live = s.dialect == Dialect::Live;
    let tz = s.so_tz_offset_min;
    let fmt_msk = |ts: i64, sep: char| fmt_local(ts, tz, sep);
    let bad_time = if live { "INVALID_TIME" } else { "BAD_TIME" };
    let key = q.get("api_key").cloned().unwrap_or_default();
    if key.is_empty() {
        return auth_err(live, ja, if live { "NO_KEY" } else { "BAD_KEY" });
    }
    let Some(acc) = s.accounts.get(&key).cloned() else { return auth_err(live, ja, "BAD_KEY") };
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
        // SMS.online documents no such method; the live server answers BAD_ACTION
        "getRentServicesAndCountries" if live => so_err(ja, "BAD_ACTION"),
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
                let h = hours_param(live, q).unwrap_or(Ok(4)).unwrap_or(-1);
                if !RENT_HOURS.contains(&h) {
                    return so_err(ja, bad_time);
                }
                h
            } else {
                0
            };
            let cost = if action == "getRentNumber" { rent_cost(base, hours) } else { base / 5.0 };
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
                    cost,
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
            let list: Vec<Value> = s
                .rents
                .iter()
                .filter(|r| r.key == key && r.state == RentState::Active)
                .map(|r| {
                    json!({"id": r.id.to_string(), "phone": r.number, "price": format!("{:.2}", r.cost), "hours": ((r.end - r.start) / 3600).to_string()})
                })
                .collect();
            if list.is_empty() {
                // the official SDK documents NO_NUMBERS for "no rented numbers"; the page "Rental ID not specified"
                return so_err(true, if live { "NO_NUMBERS" } else { "NO_ID_RENT" });
            }
            if live {
                // keyed "0","1",... as the family's PHP servers serialise lists
                let keyed: serde_json::Map<String, Value> =
                    list.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect();
                js(json!({"status": "success", "values": keyed}))
            } else {
                // the page shows an array with price and hours
                js(json!({"status": "success", "values": list}))
            }
        }
        "setRentStatus" => {
            let id_s = get("id");
            if id_s.is_empty() {
                return so_err(true, "NO_ID_RENT");
            }
            let id = id_s.parse::<i64>().unwrap_or(-1);
            let status = get("status");
            let Some(r) = s.rents.iter_mut().find(|r| r.id == id && r.key == key) else {
                return so_err(true, "INVALID_PHONE");
            };
            if !matches!(status, "1" | "2") {
                return so_err(true, "INCORECT_STATUS");
            }
            match r.state {
                RentState::Active => {}
                RentState::Cancelled => return so_err(true, "ALREADY_CANCEL"),
                RentState::Finished | RentState::Revoked => return so_err(true, "ALREADY_FINISH"),
            }
            if status == "1" {
                r.state = RentState::Finished;
            } else {
                // CANT_CANCEL: "more than 20 minutes have passed" since the rent started
                if now - r.start > 20 * 60 {
                    return so_err(true, "CANT_CANCEL");
                }
                r.state = RentState::Cancelled;
                let refund = r.cost;
                s.accounts.get_mut(&key).unwrap().balance += refund;
            }
            if live {
                // success without data: HTTP 204, empty body
                return Reply { status: 204, ctype: "text/plain", body: String::new() };
            }
            js(json!({"status": "success"}))
        }
        "continueRentNumber" | "getContinueRentPrice" => {
            let id = get("id").parse::<i64>().unwrap_or(-1);
            let hours = match hours_param(live, q) {
                Some(Ok(h)) => h,
                Some(Err(())) => -1,
                None => 4,
            };
            if !RENT_HOURS.contains(&hours) {
                return so_err(true, bad_time);
            }
            let Some(idx) = s.rents.iter().position(|r| r.id == id && r.key == key) else {
                return so_err(true, "INVALID_PHONE");
            };
            if s.rents[idx].state != RentState::Active {
                return so_err(true, "RENT_DIE");
            }
            let base = SO_SERVICES.iter().find(|x| x.0 == s.rents[idx].service).map(|x| x.1).unwrap_or(10.0);
            let cost = rent_cost(base, hours);
            if action == "getContinueRentPrice" {
                return js(json!({"status": "success", "price": format!("{cost:.2}")}));
            }
            if acc.balance < cost {
                return so_err(true, "NO_BALANCE");
            }
            s.accounts.get_mut(&key).unwrap().balance -= cost;
            let r = &mut s.rents[idx];
            r.end += hours * 3600;
            r.cost += cost;
            js(json!({"status": "success", "phone": {"id": r.id, "endDate": fmt_msk(r.end, 'T'), "number": r.number}}))
        }
        "getRentPrices" => {
            let hours = match hours_param(live, q) {
                Some(Ok(h)) if RENT_HOURS.contains(&h) => h,
                None => 4,
                _ => return so_err(true, bad_time),
            };
            let country = get("country");
            if !country.is_empty() && !SO_COUNTRIES.contains(&country) {
                return so_err(true, "BAD_COUNTRY");
            }
            let values: serde_json::Map<String, Value> = SO_COUNTRIES
                .iter()
                .filter(|c| country.is_empty() || **c == country)
                .map(|c| {
                    let services: serde_json::Map<String, Value> = SO_SERVICES
                        .iter()
                        .map(|(svc, base, quant)| {
                            let count = s.stock.get(*svc).copied().unwrap_or(*quant);
                            (svc.to_string(), json!({"cost": rent_cost(*base, hours), "count": count}))
                        })
                        .collect();
                    (c.to_string(), Value::Object(services))
                })
                .collect();
            js(json!({"status": "success", "values": values}))
        }
        "getPrices" => {
            let (country, service) = (get("country"), get("service"));
            if !country.is_empty() && !SO_COUNTRIES.contains(&country) {
                return so_err(true, "BAD_COUNTRY");
            }
            if !service.is_empty() && !SO_SERVICES.iter().any(|x| x.0 == service) {
                return so_err(true, "BAD_SERVICE");
            }
            let table: serde_json::Map<String, Value> = SO_COUNTRIES
                .iter()
                .filter(|c| country.is_empty() || **c == country)
                .map(|c| {
                    let services: serde_json::Map<String, Value> = SO_SERVICES
                        .iter()
                        .filter(|x| service.is_empty() || x.0 == service)
                        .map(|(svc, base, quant)| {
                            let count = s.stock.get(*svc).copied().unwrap_or(*quant);
                            (svc.to_string(), json!({"cost": base / 5.0, "count": count}))
                        })
                        .collect();
                    (c.to_string(), Value::Object(services))
                })
                .collect();
            js(Value::Object(table))
        }
        "getRentHistory" => {
            let from = get("from").parse::<i64>().unwrap_or(now - 30 * 86400);
            let to = get("to").parse::<i64>().unwrap_or(now);
            let offset = get("offset").parse::<usize>().unwrap_or(0);
            let limit = get("limit").parse::<usize>().unwrap_or(100).min(100);
            let list: Vec<Value> = s
                .rents
                .iter()
                .rev()
                .filter(|r| r.key == key && r.start >= from && r.start <= to)
                .skip(offset)
                .take(limit)
                .map(|r| {
                    let texts: Vec<&str> = r.sms.iter().map(|m| m.text.as_str()).collect();
                    let status = match r.state {
                        RentState::Active => "4",
                        RentState::Finished => "6",
                        RentState::Cancelled => "8",
                        RentState::Revoked => "8",
                    };
                    json!({"id": r.id.to_string(), "date": fmt_msk(r.start, ' '), "phone": r.number, "sms": json!(texts).to_string(), "cost": format!("{:.2}", r.cost), "status": status})
                })
                .collect();
            js(json!(list))
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
                // SMS.online lists only 3, 6 and 8
                1 if live => text("BAD_STATUS"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msk_format() {
        assert_eq!(fmt_msk(0, ' '), "1970-01-01 03:00:00");
        assert_eq!(fmt_msk(1580394718 - crate::MSK_OFFSET, ' '), "2020-01-30 14:31:58");
    }
}
