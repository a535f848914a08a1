//! SMSPVA rent API client (`rent.php`): all twelve methods.
//!
//! Every answer is JSON `{"status":1,"data":...}`; failures are
//! `{"status":0,"msg":"..."}` with the msg strings mapped to typed errors.
//! `status` may be a number or a string. The live API differs from the published page
//! in a few shapes, all accepted here: `sms` data as `{"SmsList":[..],"OtherSms":[..]}`,
//! `getdata` data as `{"services":[..]}`, `create` data as a one-element array. Any other
//! shape (a list where an object belongs, a missing `data`) is a typed error.

use crate::error::ProviderError;
use crate::http::{
    bool_of, classify, f64_of, field_str, i64_of, list_of, str_of, unexpected, unexpected_text, url, Body, Call,
    HttpResponse,
};
use crate::json::Value;
use crate::model::{digits, join_number, Kind, Provider, Rental, Sms, State};
use crate::seq::try_map;
use serde::Serialize;

pub const DEFAULT_BASE: &str = "https://smspva.com/api/rent.php";

#[derive(Clone, Debug)]
pub struct Client {
    pub base: String,
    pub key: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Week,
    Month,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
        }
    }
    pub fn parse(s: &str) -> Option<Period> {
        match s {
            "week" => Some(Period::Week),
            "month" => Some(Period::Month),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Country {
    pub name: String,
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceOffer {
    pub name: String,
    pub service: String,
    pub price_day: Option<f64>,
    pub count: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArchiveItem {
    pub order_id: String,
    pub service: String,
    pub number: String,
    pub branch_id: Option<i64>,
    pub have_sms: bool,
    pub days: Option<i64>,
    pub country: Option<String>,
    pub begin: Option<i64>,
    pub end: Option<i64>,
    pub closed: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RestoreQuote {
    pub order_id: String,
    pub country: Option<String>,
    pub service: String,
    pub service_name: Option<String>,
    pub number: String,
    pub price: f64,
    pub out_days: Option<i64>,
    pub prolong_to: Option<i64>,
}

/// Unwraps `{"status":1,"data":...}`; `status:0` becomes the typed error of its `msg`.
fn envelope(resp: &HttpResponse) -> Result<Value, ProviderError> {
    let v = match classify(resp)? {
        Body::Json(v) => v,
        // the API always answers JSON: a text body is a known message or an unexpected answer
        Body::Text(t) => {
            return Err(ProviderError::from_activate_token(&t).unwrap_or_else(
                || match ProviderError::from_smspva_msg(&t) {
                    ProviderError::ProviderMessage { .. } if resp.status >= 400 => {
                        ProviderError::Http { status: resp.status }
                    }
                    ProviderError::ProviderMessage { .. } => unexpected_text(&t),
                    e => e,
                },
            ))
        }
    };
    let status = v.get("status").and_then(i64_of);
    match status {
        Some(1) if resp.status >= 400 => Err(ProviderError::Http { status: resp.status }),
        Some(1) => Ok(v.get("data").cloned().unwrap_or(Value::Null)),
        None if resp.status >= 400 => Err(ProviderError::Http { status: resp.status }),
        Some(_) => {
            let msg = field_str(&v, "msg")
                .or_else(|| field_str(&v, "message"))
                .or_else(|| field_str(&v, "error"))
                .unwrap_or_default();
            Err(if msg.is_empty() {
                ProviderError::ProviderMessage { msg: "status 0".into() }
            } else {
                ProviderError::from_smspva_msg(&msg)
            })
        }
        None => Err(unexpected(&v)),
    }
}

fn data_id(resp: &HttpResponse) -> Result<String, ProviderError> {
    let d = envelope(resp)?;
    field_str(&d, "id").or_else(|| str_of(&d)).filter(|i| !i.is_empty()).ok_or_else(|| unexpected(&d))
}

fn need(v: &Value, k: &str) -> Result<String, ProviderError> {
    field_str(v, k).filter(|x| !x.is_empty()).ok_or_else(|| unexpected(v))
}

/// A `data` that must be a list (an array, or an object keyed "0","1",...). A missing or
/// scalar `data`, or an object that is one record rather than a keyed list, is an error.
fn data_list(d: &Value) -> Result<Vec<&Value>, ProviderError> {
    match d {
        Value::Array(_) => {}
        Value::Object(m) if m.keys().all(|k| crate::text::int::<u64>(k).is_some()) => {}
        _ => return Err(unexpected(d)),
    }
    let items = list_of(d);
    if let Some(bad) = items.iter().find(|x| !x.is_object()) {
        return Err(unexpected(bad));
    }
    Ok(items)
}

/// One SMS entry: `text` and `date` are required (no blank message, no invented date).
fn sms_entry(rid: &str, m: &Value, other: bool) -> Result<Sms, ProviderError> {
    let text = match m.get("text") {
        Some(Value::String(t)) => t.clone(),
        _ => return Err(unexpected(m)),
    };
    let date = m.get("date").and_then(i64_of).ok_or_else(|| unexpected(m))?;
    let from = field_str(m, "sender").unwrap_or_default();
    Ok(if other { Sms::other(rid, from, text, date) } else { Sms::new(rid, from, text, date) })
}

/// Parses `sms` data: the documented flat list, or the live `{"SmsList":[..],"OtherSms":[..]}`
/// (either list may be absent or null when empty, but not both keys).
pub fn parse_sms_data(rid: &str, d: &Value) -> Result<Vec<Sms>, ProviderError> {
    if let Value::Object(m) = d {
        if m.contains_key("SmsList") || m.contains_key("OtherSms") {
            let mut out = vec![];
            for (k, other) in [("SmsList", false), ("OtherSms", true)] {
                match m.get(k) {
                    None | Some(Value::Null) => {}
                    Some(list) => {
                        for x in data_list(list)? {
                            out.push(sms_entry(rid, x, other)?);
                        }
                    }
                }
            }
            return Ok(out);
        }
    }
    try_map(data_list(d)?, |m| sms_entry(rid, m, false))
}

/// Parses one entry of `orders`.
pub fn parse_order(o: &Value) -> Result<Rental, ProviderError> {
    if !o.is_object() {
        return Err(unexpected(o));
    }
    let id = need(o, "id")?;
    let ccode = field_str(o, "ccode").unwrap_or_default();
    let number = join_number(&ccode, &need(o, "pnumber")?);
    let mut r = Rental::new(Provider::Smspva, Kind::Rent, id, number);
    r.dial_code = if ccode.is_empty() { None } else { Some(format!("+{}", digits(&ccode))) };
    r.service = field_str(o, "scode").or_else(|| field_str(o, "service")).unwrap_or_default();
    r.service_name = field_str(o, "sname");
    r.country = field_str(o, "cname");
    // a missing state would read as "not in the system" and close the rental: only create omits it
    r.state = match o.get("state") {
        None => State::NeedsActivation,
        Some(st) => State::from_smspva(i64_of(st).ok_or_else(|| unexpected(o))?),
    };
    r.has_new_sms = o.get("hasnewsms").and_then(bool_of).unwrap_or(false);
    r.until = o.get("until").and_then(i64_of);
    r.can_prolong = o.get("canprolong").and_then(bool_of).unwrap_or(false);
    r.prolong_max_days = o.get("canprolongmax").and_then(i64_of);
    r.prolong_until = o.get("canprolonguntil").and_then(i64_of);
    Ok(r)
}

impl Client {
    pub fn new(base: Option<&str>, key: &str) -> Client {
        let base = base.map(str::trim).filter(|b| !b.is_empty()).unwrap_or(DEFAULT_BASE);
        Client { base: base.to_string(), key: key.trim().to_string() }
    }

    fn call<T: 'static>(
        &self,
        method: &str,
        with_key: bool,
        mut params: Vec<(&str, String)>,
        spends: bool,
        p: impl Fn(&HttpResponse) -> Result<T, ProviderError> + 'static,
    ) -> Call<T> {
        let mut all = vec![("method", method.to_string())];
        if with_key {
            all.push(("apikey", self.key.clone()));
        }
        all.append(&mut params);
        Call::new(url(&self.base, &all), spends, p).with_secret(&self.key)
    }

    /// `getcountries` (no key needed).
    pub fn get_countries(&self) -> Call<Vec<Country>> {
        self.call("getcountries", false, vec![], false, |r| {
            let d = envelope(r)?;
            try_map(data_list(&d)?, |c| {
                Ok(Country { name: field_str(c, "name").unwrap_or_default(), code: need(c, "code")? })
            })
        })
    }

    /// `getdata`: services with daily price and stock for a country and period.
    pub fn get_data(&self, country: &str, period: Option<(Period, u32)>) -> Call<Vec<ServiceOffer>> {
        let mut p = vec![("country", country.to_string())];
        if let Some((t, n)) = period {
            p.push(("dtype", t.as_str().to_string()));
            p.push(("dcount", n.to_string()));
        }
        self.call("getdata", false, p, false, |r| {
            let d = envelope(r)?;
            // documented: `data:[..]`; live: `data:{"services":[..]}`
            let list = match &d {
                Value::Object(m) if m.contains_key("services") => data_list(&m["services"])?,
                _ => data_list(&d)?,
            };
            try_map(list, |s| {
                // `getdataWithProviders` gives `count` as a map operator→count, plus `totalCount`
                let count = match (s.get("totalCount").and_then(i64_of), s.get("count")) {
                    (Some(t), _) => Some(t),
                    (None, Some(Value::Object(m))) => {
                        // a sum beyond i64 is an unknown count, never one wrapped back into range
                        let mut sum = Some(0i64);
                        for c in m.values() {
                            let n = i64_of(c).ok_or_else(|| unexpected(s))?;
                            sum = sum.and_then(|t| t.checked_add(n));
                        }
                        sum
                    }
                    (None, Some(c)) => i64_of(c),
                    (None, None) => None,
                };
                // a sum of counts can leave what JS holds exactly, as each one cannot
                let count = count.filter(|c| crate::http::js_safe(*c));
                Ok(ServiceOffer {
                    name: field_str(s, "name").unwrap_or_default(),
                    service: need(s, "service")?,
                    price_day: s.get("price_day").and_then(f64_of),
                    count,
                })
            })
        })
    }

    /// `create` (spends money): rents a number.
    pub fn create(&self, period: Period, count: u32, country: &str, service: &str) -> Call<Rental> {
        let ctry = country.to_string();
        self.call(
            "create",
            true,
            vec![
                ("dtype", period.as_str().into()),
                ("dcount", count.to_string()),
                ("country", country.into()),
                ("service", service.into()),
            ],
            true,
            move |r| {
                let d = envelope(r)?;
                // live answers may wrap the order in a one-element array
                let d = match d {
                    Value::Array(mut a) if a.len() == 1 => a.remove(0),
                    other => other,
                };
                let mut rental = parse_order(&d)?;
                rental.country = Some(ctry.clone());
                // A fresh SMSPVA rental is not active until `activate` (unless the country is always-on).
                rental.state =
                    d.get("state").and_then(i64_of).map(State::from_smspva).unwrap_or(State::NeedsActivation);
                Ok(rental)
            },
        )
    }

    /// `orders`: every current rental with state, expiry and the new-SMS flag.
    pub fn orders(&self) -> Call<Vec<Rental>> {
        self.call("orders", true, vec![], false, |r| {
            let d = envelope(r)?;
            try_map(data_list(&d)?, |o| match o.get("state") {
                // an order without state is an error, not "needs activation" or "gone"
                None => Err(unexpected(o)),
                Some(_) => parse_order(o),
            })
        })
    }

    /// `add_service_to_order`: `pnumber` is the number with country code, no `+`.
    pub fn add_service_to_order(&self, id: &str, service: &str, pnumber: &str) -> Call<()> {
        self.call(
            "add_service_to_order",
            true,
            vec![("id", id.into()), ("service", service.into()), ("pnumber", digits(pnumber))],
            false,
            |r| envelope(r).map(|_| ()),
        )
    }

    /// `sms`: messages received by an order. `OtherSms` (messages for other services on the
    /// same number) come back with `Sms::other == true` and no code.
    pub fn sms(&self, id: &str) -> Call<Vec<Sms>> {
        let rid = id.to_string();
        self.call("sms", true, vec![("id", id.into())], false, move |r| parse_sms_data(&rid, &envelope(r)?))
    }

    /// `prolong` (spends money). Only allowed when fewer than 7 days are left.
    pub fn prolong(&self, id: &str, period: Period, count: u32) -> Call<String> {
        self.call(
            "prolong",
            true,
            vec![("id", id.into()), ("dcount", count.to_string()), ("dtype", period.as_str().into())],
            true,
            data_id,
        )
    }

    /// `activate`: starts activation of a state-0 number.
    pub fn activate(&self, id: &str) -> Call<String> {
        self.call("activate", true, vec![("id", id.into())], false, data_id)
    }

    /// `delete`: removes an order.
    pub fn delete(&self, id: &str) -> Call<String> {
        self.call("delete", true, vec![("id", id.into())], false, data_id)
    }

    /// `get_rent_history`: the archive of expired rentals.
    pub fn get_rent_history(&self, skip: u32, take: u32) -> Call<Vec<ArchiveItem>> {
        self.call("get_rent_history", true, vec![("skip", skip.to_string()), ("take", take.to_string())], false, |r| {
            let d = envelope(r)?;
            try_map(data_list(&d)?, |a| {
                Ok(ArchiveItem {
                    order_id: need(a, "orderId")?,
                    service: field_str(a, "resourceCode").unwrap_or_default(),
                    number: digits(&field_str(a, "number").unwrap_or_default()),
                    branch_id: a.get("branchId").and_then(i64_of),
                    have_sms: a.get("haveSms").and_then(bool_of).unwrap_or(false),
                    days: a.get("days").and_then(i64_of),
                    country: field_str(a, "country"),
                    begin: a.get("begin").and_then(i64_of),
                    end: a.get("end").and_then(i64_of),
                    closed: a.get("closed").and_then(i64_of),
                })
            })
        })
    }

    /// `restore_user_precalc`: availability and price of restoring an archived rental.
    pub fn restore_precalc(&self, id: &str) -> Call<RestoreQuote> {
        self.call("restore_user_precalc", true, vec![("id", id.into())], false, |r| {
            let d = envelope(r)?;
            if !d.is_object() {
                return Err(unexpected(&d));
            }
            Ok(RestoreQuote {
                order_id: field_str(&d, "orderid")
                    .or_else(|| field_str(&d, "orderId"))
                    .ok_or_else(|| unexpected(&d))?,
                country: field_str(&d, "ccode"),
                service: field_str(&d, "scode").unwrap_or_default(),
                service_name: field_str(&d, "sname"),
                number: digits(&field_str(&d, "pnumber").unwrap_or_default()),
                price: d.get("price").and_then(f64_of).ok_or_else(|| unexpected(&d))?,
                out_days: d.get("outdays").and_then(i64_of),
                prolong_to: d.get("prolongTo").and_then(i64_of),
            })
        })
    }

    /// `restore_user` (spends money): restores an archived rental.
    pub fn restore(&self, id: &str) -> Call<()> {
        self.call("restore_user", true, vec![("id", id.into())], true, |r| {
            let d = envelope(r)?;
            if bool_of(&d) == Some(true) || d.is_object() {
                Ok(())
            } else {
                Err(ProviderError::ProviderMessage { msg: "restore was not accepted".into() })
            }
        })
    }
}
