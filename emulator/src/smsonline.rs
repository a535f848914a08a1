//! SMS.online: the sms-activate `handler_api.php` protocol (rents and activations).

use crate::server::{js, text, Reply};
use crate::{
    Message, RentState, SoActivation, SoRent, State, MSK_OFFSET, RENT_HOURS, SO_COUNTRIES, SO_OPERATORS, SO_SERVICES,
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

fn so_err(json_action: bool, code: &str) -> Reply {
    if json_action {
        js(json!({"status": "error", "message": code}))
    } else {
        text(code)
    }
}

pub(crate) fn so(action: &str, q: &HashMap<String, String>, s: &mut State) -> Reply {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msk_format() {
        assert_eq!(fmt_msk(0, ' '), "1970-01-01 03:00:00");
        assert_eq!(fmt_msk(1580394718 - MSK_OFFSET, ' '), "2020-01-30 14:31:58");
    }
}
