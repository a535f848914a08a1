//! SMS.online client: the sms-activate `handler_api.php` protocol.
//!
//! Answers come as bare tokens (`ACCESS_BALANCE:12.5`, `BAD_KEY`), JSON
//! envelopes (`{"status":"success",...}` / `{"status":"error","message":"NO_ID_RENT"}`)
//! or JSON strings. All three are accepted for every method.

use crate::error::ProviderError;
use crate::http::{
    bool_of, classify, f64_of, field_str, i64_of, is_no_content, json_error_token, list_of, parse_datetime, str_of,
    unexpected, unexpected_text, url, Body, Call, HttpResponse,
};
use crate::json::Value;
use crate::model::{digits, Activation, Kind, ListedRent, PriceOffer, Provider, RentSnapshot, Rental, Sms, State};
/// The zone rules of dates without a zone live with the model (the engine learns zones too).
pub use crate::model::{learn_tz_offset_min, rezone};
use crate::seq::try_map;
use serde::{Deserialize, Serialize};

pub const DEFAULT_BASE: &str = "https://api.sms.online/stubs/handler_api.php";
/// Dates without a zone are Moscow time (UTC+3) unless the account says otherwise.
pub const DEFAULT_TZ_OFFSET_MIN: i32 = crate::model::DEFAULT_TZ_OFFSET_MIN;
/// Rent durations (hours) the protocol accepts.
pub const RENT_HOURS: [u32; 9] = crate::model::SMSONLINE_RENT_HOURS;
/// Hours a rent lasts when the request names none (the protocol's default).
pub const DEFAULT_RENT_HOURS: u32 = crate::model::SMSONLINE_DEFAULT_RENT_HOURS;
/// A rent can be cancelled (`setRentStatus` 2) only this long after it started (`CANT_CANCEL` after).
pub const RENT_CANCEL_WINDOW_SECS: i64 = 20 * 60;

#[derive(Clone, Debug)]
pub struct Client {
    pub base: String,
    pub key: String,
    pub tz_offset_min: i32,
}

/// `setStatus` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetStatus {
    /// 1: SMS has been sent to the number (ready).
    Ready = 1,
    /// 3: request another SMS.
    RequestAnother = 3,
    /// 6: confirm the code and finish the activation.
    Finish = 6,
    /// 8: cancel the activation (refused in its first 2 minutes).
    Cancel = 8,
}

impl SetStatus {
    pub fn from_i64(n: i64) -> Option<SetStatus> {
        Some(match n {
            1 => SetStatus::Ready,
            3 => SetStatus::RequestAnother,
            6 => SetStatus::Finish,
            8 => SetStatus::Cancel,
            _ => return None,
        })
    }
}

/// Successful `setStatus` answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SetStatusResult {
    /// `ACCESS_READY`
    Ready,
    /// `ACCESS_RETRY_GET`: waiting for another SMS.
    RetryGet,
    /// `ACCESS_ACTIVATION`: finished successfully.
    Finished,
    /// `ACCESS_CANCEL`
    Cancelled,
}

/// `getStatus` answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "code", rename_all = "snake_case")]
pub enum ActivationStatus {
    WaitCode,
    /// `STATUS_WAIT_RETRY:<last code>`
    WaitRetry(String),
    WaitResend,
    Cancelled,
    /// `STATUS_OK:<code>`: the provider's own extraction of the code.
    Ok(String),
}

/// `setRentStatus` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RentStatusChange {
    Finish = 1,
    Cancel = 2,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceOffer {
    pub code: String,
    pub cost: Option<f64>,
    pub count: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RentOffers {
    pub countries: Vec<String>,
    pub operators: Vec<String>,
    pub services: Vec<ServiceOffer>,
    pub currency: Option<String>,
}

/// One past rent from `getRentHistory`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RentHistoryItem {
    pub id: String,
    /// Unix seconds, when given.
    pub date: Option<i64>,
    /// Digits only; empty when the provider gave none.
    pub phone: String,
    /// The `sms` field as the provider sends it (a JSON-encoded list in a string), untouched.
    pub sms: Option<String>,
    pub cost: Option<f64>,
    pub status: Option<String>,
}

fn offer(country: &str, service: &str, o: &Value) -> Result<PriceOffer, ProviderError> {
    if !o.is_object() {
        return Err(unexpected(o));
    }
    Ok(PriceOffer {
        country: country.to_string(),
        service: service.to_string(),
        // a price line without a price is an error: never show an invented price before a spend
        cost: o.get("cost").or_else(|| o.get("price")).and_then(f64_of).ok_or_else(|| unexpected(o))?,
        count: o.get("count").or_else(|| o.get("quant")).and_then(i64_of),
    })
}

/// Reads `{"<country>":{"<service>":{cost,count}}}`, or `{"<service>":{cost,count}}` for `country`.
fn price_table(v: &Value, country: &str) -> Result<Vec<PriceOffer>, ProviderError> {
    let Value::Object(m) = v else { return Err(unexpected(v)) };
    let mut out = vec![];
    for (k, inner) in m {
        let Value::Object(im) = inner else { return Err(unexpected(v)) };
        if im.contains_key("cost") || im.contains_key("price") {
            out.push(offer(country, k, inner)?);
        } else {
            for (svc, o) in im {
                out.push(offer(k, svc, o)?);
            }
        }
    }
    // serde_json objects iterate in key order: the list is sorted by country, then service
    Ok(out)
}

/// Splits a token into an error, if it is one.
fn token_error(t: &str) -> Option<ProviderError> {
    ProviderError::from_activate_token(t)
}

/// The typed error of an error token read from an envelope (unknown tokens are kept verbatim).
fn envelope_error(tok: String) -> ProviderError {
    token_error(&tok).unwrap_or(ProviderError::UnknownCode { code: tok.chars().take(120).collect() })
}

/// A JSON-envelope answer. Errors in every envelope the family uses are typed: a bare token,
/// `{"status":"error","message":T}` and `{"title":T,"details":..}` (HTTP 4xx). Any other
/// answer with an HTTP error status is an HTTP error, never data.
fn json_envelope(resp: &HttpResponse) -> Result<Value, ProviderError> {
    match classify(resp)? {
        Body::Text(t) => Err(token_error(&t).unwrap_or_else(|| {
            if resp.status >= 400 {
                ProviderError::Http { status: resp.status }
            } else {
                unexpected_text(&t)
            }
        })),
        Body::Json(v) => {
            if let Some(tok) = json_error_token(&v) {
                return Err(envelope_error(tok));
            }
            if resp.status >= 400 {
                return Err(ProviderError::Http { status: resp.status });
            }
            if !v.is_object() {
                return Err(unexpected(&v));
            }
            let status = v.get("status").and_then(str_of).unwrap_or_default().to_ascii_lowercase();
            if status == "0" {
                let msg = ["message", "error", "msg"].iter().find_map(|k| field_str(&v, k)).unwrap_or_default();
                return Err(envelope_error(msg));
            }
            Ok(v)
        }
    }
}

/// A token answer, also accepted inside a JSON envelope.
fn token(resp: &HttpResponse) -> Result<String, ProviderError> {
    let t = match classify(resp)? {
        Body::Text(t) => t,
        Body::Json(v) => {
            if let Some(tok) = json_error_token(&v) {
                return Err(envelope_error(tok));
            }
            if !v.is_object() {
                return Err(unexpected(&v));
            }
            ["message", "error", "msg", "status"].iter().find_map(|k| field_str(&v, k)).unwrap_or_default()
        }
    };
    match token_error(&t) {
        Some(e) => Err(e),
        None if resp.status >= 400 => Err(ProviderError::Http { status: resp.status }),
        None => Ok(t.trim().to_string()),
    }
}

fn req<T: 'static>(
    c: &Client,
    action: &str,
    mut params: Vec<(&str, String)>,
    spends: bool,
    p: impl Fn(&HttpResponse) -> Result<T, ProviderError> + 'static,
) -> Call<T> {
    let mut all = vec![("api_key", c.key.clone()), ("action", action.to_string())];
    all.append(&mut params);
    Call::new(url(&c.base, &all), spends, p).with_secret(&c.key)
}

fn opt(params: &mut Vec<(&'static str, String)>, k: &'static str, v: Option<impl ToString>) {
    if let Some(v) = v {
        let s = v.to_string();
        if !s.is_empty() {
            params.push((k, s));
        }
    }
}

/// Why `id` is not an SMS.online id (digits), for the call's answer to say: the detail of an
/// `InvalidInput`, made anew each time the call is parsed (no clone of a whole error).
fn bad_id(id: &str) -> Option<String> {
    (id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit())).then(|| format!("id \"{id}\""))
}

fn invalid(detail: &str) -> ProviderError {
    ProviderError::InvalidInput { detail: detail.to_string() }
}

fn rental_from_phone(v: &Value, kind: Kind, tz: i32) -> Result<Rental, ProviderError> {
    let phone = v.get("phone").filter(|p| p.is_object()).ok_or_else(|| unexpected(v))?;
    let id = field_str(phone, "id").filter(|i| !i.is_empty()).ok_or_else(|| unexpected(v))?;
    let number =
        field_str(phone, "number").map(|n| digits(&n)).filter(|n| !n.is_empty()).ok_or_else(|| unexpected(v))?;
    let mut r = Rental::new(Provider::Smsonline, kind, id, number);
    if let Some(d) = field_str(phone, "endDate") {
        // a present but unreadable endDate is an error, not a rental without expiry
        r.until = Some(parse_datetime(&d, tz).ok_or_else(|| unexpected(v))?);
        // only a date without its own zone (`Z`, `±HH:MM`) reads differently in another zone,
        // and only it has a naive reading (as parse_datetime reads zones, no second parser)
        let naive = parse_datetime(&d, 0);
        if naive != parse_datetime(&d, 60) {
            r.until_naive = naive;
        }
    }
    r.cost = phone.get("cost").and_then(f64_of).or_else(|| v.get("cost").and_then(f64_of));
    r.can_prolong = true;
    Ok(r)
}

impl Client {
    pub fn new(base: Option<&str>, key: &str) -> Client {
        let base = base.map(str::trim).filter(|b| !b.is_empty()).unwrap_or(DEFAULT_BASE);
        Client { base: base.to_string(), key: key.trim().to_string(), tz_offset_min: DEFAULT_TZ_OFFSET_MIN }
    }

    /// `getBalance` → `ACCESS_BALANCE:<amount>`.
    pub fn get_balance(&self) -> Call<f64> {
        req(self, "getBalance", vec![], false, |r| {
            if let Ok(Body::Json(v)) = classify(r) {
                if let Some(b) = v.get("balance").and_then(f64_of) {
                    return Ok(b);
                }
            }
            let t = token(r)?;
            t.strip_prefix("ACCESS_BALANCE:")
                .and_then(|b| crate::http::parse_decimal(b.trim()))
                .ok_or_else(|| unexpected_text(&t))
        })
    }

    /// `getRentServicesAndCountries`: what can be rented, at what price.
    pub fn get_rent_services_and_countries(
        &self,
        rent_time: Option<u32>,
        operator: Option<&str>,
        country: Option<&str>,
    ) -> Call<RentOffers> {
        let mut p = vec![];
        opt(&mut p, "rent_time", rent_time);
        opt(&mut p, "operator", operator);
        opt(&mut p, "country", country);
        req(self, "getRentServicesAndCountries", p, false, |r| {
            let v = json_envelope(r)?;
            let names = |key: &str| -> Vec<String> {
                v.get(key).map(|x| list_of(x).into_iter().filter_map(str_of).collect()).unwrap_or_default()
            };
            let mut services: Vec<ServiceOffer> = match v.get("services") {
                Some(Value::Object(m)) => m
                    .iter()
                    .map(|(code, o)| ServiceOffer {
                        code: code.clone(),
                        cost: o.get("cost").and_then(f64_of),
                        count: o.get("quant").or_else(|| o.get("count")).and_then(i64_of),
                    })
                    .collect(),
                _ => return Err(unexpected(&v)),
            };
            crate::sort::sort_by(&mut services, |a, b| a.code.cmp(&b.code));
            Ok(RentOffers {
                countries: names("countries"),
                operators: names("operators"),
                services,
                currency: v.get("currency").and_then(str_of),
            })
        })
    }

    /// `getRentNumber` (spends money).
    pub fn get_rent_number(
        &self,
        service: &str,
        country: &str,
        operator: Option<&str>,
        rent_time: Option<u32>,
        webhook: Option<&str>,
    ) -> Call<Rental> {
        let mut p = vec![("service", service.to_string()), ("country", country.to_string())];
        opt(&mut p, "operator", operator);
        // servers of this family read one name or the other: send both
        opt(&mut p, "rent_time", rent_time);
        opt(&mut p, "time", rent_time);
        opt(&mut p, "url", webhook);
        let tz = self.tz_offset_min;
        let hours = rent_time.unwrap_or(DEFAULT_RENT_HOURS) as i64;
        let (svc, ctry) = (service.to_string(), country.to_string());
        req(self, "getRentNumber", p, true, move |r| {
            let v = json_envelope(r)?;
            let mut rental = rental_from_phone(&v, Kind::Rent, tz)?;
            rental.service = svc.clone();
            rental.country = Some(ctry.clone());
            // the rent started `hours` before its end (needed for the 20-minute cancel window)
            rental.created = rental.until.map(|u| u - hours * 3600);
            Ok(rental)
        })
    }

    /// `getRentStatus`: SMS received by a rented number (newest pages first).
    /// `STATUS_WAIT_CODE`, `STATUS_FINISH`, `STATUS_CANCEL`, `STATUS_REVOKE` are states, not failures.
    pub fn get_rent_status(&self, id: &str, page: Option<u32>, size: Option<u32>) -> Call<RentSnapshot> {
        let mut p = vec![("id", id.to_string())];
        opt(&mut p, "page", page);
        opt(&mut p, "size", size);
        let tz = self.tz_offset_min;
        let rid = id.to_string();
        let bad = bad_id(id);
        req(self, "getRentStatus", p, false, move |r| {
            if let Some(d) = &bad {
                return Err(invalid(d));
            }
            let state_for = |e: &ProviderError| match e {
                ProviderError::StatusWaitCode => Some(State::Waiting),
                ProviderError::StatusFinish => Some(State::Finished),
                ProviderError::StatusCancel => Some(State::Cancelled),
                ProviderError::StatusRevoke => Some(State::Revoked),
                _ => None,
            };
            let v = match json_envelope(r) {
                Ok(v) => v,
                Err(e) => {
                    return match state_for(&e) {
                        Some(state) => Ok(RentSnapshot { state, quantity: 0, sms: vec![] }),
                        None => Err(e),
                    }
                }
            };
            let values = match v.get("values") {
                Some(x @ (Value::Array(_) | Value::Object(_))) => list_of(x),
                _ => return Err(unexpected(&v)),
            };
            let mut sms = Vec::with_capacity(values.len());
            for m in values {
                if !m.is_object() {
                    return Err(unexpected(m));
                }
                let from = field_str(m, "phoneFrom").unwrap_or_default();
                // an SMS without text is an error, never a blank message
                let text = field_str(m, "text").ok_or_else(|| unexpected(m))?;
                let date = field_str(m, "date").and_then(|d| parse_datetime(&d, tz)).ok_or_else(|| unexpected(m))?;
                sms.push(Sms::new(&rid, from, text, date));
            }
            let quantity = v.get("quantity").and_then(i64_of).map(|q| q.max(0) as usize).unwrap_or(sms.len());
            let state = if sms.is_empty() { State::Waiting } else { State::Received };
            Ok(RentSnapshot { state, quantity, sms })
        })
    }

    /// `getRentList`: the account's current rentals. No rents (answered `NO_NUMBERS`,
    /// `NO_ID_RENT`, `NO_ACTIVATIONS` or an empty list) is an empty list; a success without a
    /// `values` list, or an entry without id or phone, is an error (nothing gets closed on it).
    pub fn get_rent_list(&self) -> Call<Vec<ListedRent>> {
        req(self, "getRentList", vec![], false, |r| {
            let v = match json_envelope(r) {
                Ok(v) => v,
                Err(ProviderError::NoIdRent) | Err(ProviderError::NoActivations) | Err(ProviderError::NoNumbers) => {
                    return Ok(vec![])
                }
                Err(e) => return Err(e),
            };
            let values = match v.get("values") {
                Some(x @ (Value::Array(_) | Value::Object(_))) => list_of(x),
                _ => return Err(unexpected(&v)),
            };
            try_map(values, |x| {
                let id = field_str(x, "id").filter(|i| !i.is_empty()).ok_or_else(|| unexpected(x))?;
                let phone = field_str(x, "phone").map(|p| digits(&p)).filter(|p| !p.is_empty());
                let price = x.get("price").and_then(f64_of).filter(|p| p.is_finite() && *p >= 0.0);
                Ok(ListedRent { id, phone: phone.ok_or_else(|| unexpected(x))?, price })
            })
        })
    }

    /// `setRentStatus`: 1 finish, 2 cancel. Success is `{"status":"success"}` or an empty HTTP 204.
    /// Errors: `ALREADY_FINISH`, `ALREADY_CANCEL`, `INCORECT_STATUS`, `CANT_CANCEL` (after 20 minutes),
    /// `NO_ID_RENT`, `INVALID_PHONE`.
    pub fn set_rent_status(&self, id: &str, status: RentStatusChange) -> Call<()> {
        req(self, "setRentStatus", vec![("id", id.to_string()), ("status", (status as u8).to_string())], false, |r| {
            if is_no_content(r) {
                return Ok(());
            }
            let v = json_envelope(r)?;
            match v.get("status").and_then(str_of).map(|s| s.to_ascii_lowercase()).as_deref() {
                Some("success") | Some("1") => Ok(()),
                _ => Err(unexpected(&v)),
            }
        })
    }

    /// `continueRentNumber` (spends money): prolongs a rent by `rent_time` hours (sent as
    /// `rent_time` and `time`). Errors include `RENT_DIE`, `INVALID_TIME`, `NO_BALANCE`.
    pub fn continue_rent_number(&self, id: &str, rent_time: u32) -> Call<Rental> {
        let tz = self.tz_offset_min;
        req(
            self,
            "continueRentNumber",
            vec![("id", id.to_string()), ("rent_time", rent_time.to_string()), ("time", rent_time.to_string())],
            true,
            move |r| rental_from_phone(&json_envelope(r)?, Kind::Rent, tz),
        )
    }

    /// `getContinueRentPrice`: what prolonging rent `id` by `rent_time` hours would cost.
    /// `{"status":"success","price":"100"}` → `100.0`.
    pub fn get_continue_rent_price(&self, id: &str, rent_time: u32) -> Call<f64> {
        let bad = bad_id(id);
        req(
            self,
            "getContinueRentPrice",
            vec![("id", id.to_string()), ("rent_time", rent_time.to_string()), ("time", rent_time.to_string())],
            false,
            move |r| {
                if let Some(d) = &bad {
                    return Err(invalid(d));
                }
                let v = json_envelope(r)?;
                v.get("price").and_then(f64_of).filter(|p| p.is_finite() && *p >= 0.0).ok_or_else(|| unexpected(&v))
            },
        )
    }

    /// `getRentPrices`: SMS.online's rent catalogue,
    /// `{"status":"success","values":{"<country>":{"<service>":{"cost":..,"count":..}}}}`
    /// (a `values` keyed directly by service is read as the requested country's).
    pub fn get_rent_prices(&self, country: Option<&str>, rent_time: Option<u32>) -> Call<Vec<PriceOffer>> {
        let mut p = vec![];
        opt(&mut p, "country", country);
        opt(&mut p, "rent_time", rent_time);
        opt(&mut p, "time", rent_time);
        let ctry = country.unwrap_or_default().to_string();
        req(self, "getRentPrices", p, false, move |r| {
            let v = json_envelope(r)?;
            match v.get("values") {
                Some(values) => price_table(values, &ctry),
                None => Err(unexpected(&v)),
            }
        })
    }

    /// `getPrices`: one-off activation prices, `{"<country>":{"<service>":{"cost":..,"count":..}}}`.
    pub fn get_prices(&self, service: Option<&str>, country: Option<&str>) -> Call<Vec<PriceOffer>> {
        let mut p = vec![];
        opt(&mut p, "service", service);
        opt(&mut p, "country", country);
        let ctry = country.unwrap_or_default().to_string();
        req(self, "getPrices", p, false, move |r| {
            let v = json_envelope(r)?;
            // some servers wrap the table as `{"status":"success","values":{..}}`
            match (v.get("status"), v.get("values")) {
                (Some(_), Some(values)) => price_table(values, &ctry),
                _ => price_table(&v, &ctry),
            }
        })
    }

    /// `getRentHistory`: past rents, `[{"id","date","phone","sms","cost","status"}]` (also
    /// accepted inside `{"status":"success","values":[..]}`). `from`/`to` are Unix seconds (a
    /// window of at most 30 days), `limit` at most 100.
    pub fn get_rent_history(
        &self,
        from: Option<i64>,
        to: Option<i64>,
        offset: Option<u32>,
        limit: Option<u32>,
    ) -> Call<Vec<RentHistoryItem>> {
        let mut p = vec![];
        opt(&mut p, "from", from);
        opt(&mut p, "to", to);
        opt(&mut p, "offset", offset);
        opt(&mut p, "limit", limit);
        let tz = self.tz_offset_min;
        req(self, "getRentHistory", p, false, move |r| {
            let list = match classify(r)? {
                Body::Json(Value::Array(a)) if r.status < 400 => a,
                _ => {
                    let v = match json_envelope(r) {
                        Ok(v) => v,
                        Err(ProviderError::NoNumbers) | Err(ProviderError::NoIdRent) => return Ok(vec![]),
                        Err(e) => return Err(e),
                    };
                    match v.get("values").or_else(|| v.get("data")) {
                        Some(x @ (Value::Array(_) | Value::Object(_))) => list_of(x).into_iter().cloned().collect(),
                        _ => return Err(unexpected(&v)),
                    }
                }
            };
            try_map(&list, |x| {
                if !x.is_object() {
                    return Err(unexpected(x));
                }
                let id = field_str(x, "id").filter(|i| !i.is_empty()).ok_or_else(|| unexpected(x))?;
                let date = match x.get("date") {
                    None | Some(Value::Null) => None,
                    Some(Value::Number(n)) => Some(n.as_i64().ok_or_else(|| unexpected(x))?),
                    Some(d) => {
                        let d = str_of(d).ok_or_else(|| unexpected(x))?;
                        Some(
                            crate::text::int::<i64>(d.trim())
                                .or_else(|| parse_datetime(&d, tz))
                                .ok_or_else(|| unexpected(x))?,
                        )
                    }
                };
                Ok(RentHistoryItem {
                    id,
                    date,
                    phone: digits(&field_str(x, "phone").unwrap_or_default()),
                    sms: match x.get("sms") {
                        None | Some(Value::Null) => None,
                        Some(Value::String(s)) => Some(s.clone()),
                        Some(other) => Some(crate::json::text(other)),
                    },
                    cost: x.get("cost").and_then(f64_of),
                    status: field_str(x, "status"),
                })
            })
        })
    }

    /// `getNumber` (spends money): a one-off activation → `ACCESS_NUMBER:<id>:<number>`.
    pub fn get_number(
        &self,
        service: &str,
        country: &str,
        operator: Option<&str>,
        max_price: Option<f64>,
    ) -> Call<Rental> {
        let mut p = vec![("service", service.to_string()), ("country", country.to_string())];
        opt(&mut p, "operator", operator);
        opt(&mut p, "maxPrice", max_price.and_then(crate::http::number_text));
        let (svc, ctry) = (service.to_string(), country.to_string());
        req(self, "getNumber", p, true, move |r| {
            if let Ok(Body::Json(v)) = classify(r) {
                if let (Some(id), Some(n)) = (field_str(&v, "activationId"), field_str(&v, "phoneNumber")) {
                    let mut rental = Rental::new(Provider::Smsonline, Kind::Activation, id, digits(&n));
                    rental.service = svc.clone();
                    rental.country = Some(ctry.clone());
                    rental.cost = v.get("activationCost").and_then(f64_of);
                    return Ok(rental);
                }
            }
            let t = token(r)?;
            let mut parts = t.splitn(3, ':');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("ACCESS_NUMBER"), Some(id), Some(n)) if !id.is_empty() && !digits(n).is_empty() => {
                    let mut rental = Rental::new(Provider::Smsonline, Kind::Activation, id.to_string(), digits(n));
                    rental.service = svc.clone();
                    rental.country = Some(ctry.clone());
                    Ok(rental)
                }
                _ => Err(unexpected_text(&t)),
            }
        })
    }

    /// `getStatus` of an activation.
    pub fn get_status(&self, id: &str) -> Call<ActivationStatus> {
        req(self, "getStatus", vec![("id", id.to_string())], false, |r| {
            let t = match token(r) {
                Ok(t) => t,
                Err(ProviderError::StatusWaitCode) => return Ok(ActivationStatus::WaitCode),
                Err(ProviderError::StatusCancel) => return Ok(ActivationStatus::Cancelled),
                Err(ProviderError::StatusWaitRetry { code }) => return Ok(ActivationStatus::WaitRetry(code)),
                Err(ProviderError::StatusWaitResend) => return Ok(ActivationStatus::WaitResend),
                Err(e) => return Err(e),
            };
            let (head, tail) =
                t.split_once(':').map(|(a, b)| (a, b.to_string())).unwrap_or((t.as_str(), String::new()));
            match head {
                "STATUS_WAIT_RETRY" => Ok(ActivationStatus::WaitRetry(tail)),
                "STATUS_WAIT_RESEND" => Ok(ActivationStatus::WaitResend),
                "STATUS_OK" => Ok(ActivationStatus::Ok(tail)),
                _ => Err(ProviderError::UnknownCode { code: t.clone() }),
            }
        })
    }

    /// `setStatus`: 1 ready, 3 another SMS, 6 finish, 8 cancel.
    pub fn set_status(&self, id: &str, status: SetStatus) -> Call<SetStatusResult> {
        let bad = bad_id(id);
        req(self, "setStatus", vec![("id", id.to_string()), ("status", (status as u8).to_string())], false, move |r| {
            if let Some(d) = &bad {
                return Err(invalid(d));
            }
            let t = token(r)?;
            match t.as_str() {
                "ACCESS_READY" => Ok(SetStatusResult::Ready),
                "ACCESS_RETRY_GET" => Ok(SetStatusResult::RetryGet),
                "ACCESS_ACTIVATION" => Ok(SetStatusResult::Finished),
                "ACCESS_CANCEL" => Ok(SetStatusResult::Cancelled),
                _ => Err(ProviderError::UnknownCode { code: t.clone() }),
            }
        })
    }

    /// `getActiveActivations`: every open one-off activation with its codes.
    pub fn get_active_activations(&self) -> Call<Vec<Activation>> {
        let tz = self.tz_offset_min;
        req(self, "getActiveActivations", vec![], false, move |r| {
            let v = match json_envelope(r) {
                Ok(v) => v,
                Err(ProviderError::NoActivations) => return Ok(vec![]),
                Err(e) => return Err(e),
            };
            let list = match v.get("activeActivations") {
                Some(x @ (Value::Array(_) | Value::Object(_))) => list_of(x),
                _ => return Err(unexpected(&v)),
            };
            let mut out = Vec::with_capacity(list.len());
            for a in list {
                if !a.is_object() {
                    return Err(unexpected(a));
                }
                let id = field_str(a, "activationId").ok_or_else(|| unexpected(a))?;
                let number = digits(&field_str(a, "phoneNumber").unwrap_or_default());
                let mut rental = Rental::new(Provider::Smsonline, Kind::Activation, id, number);
                rental.service = field_str(a, "serviceCode").unwrap_or_default();
                rental.country = field_str(a, "countryCode");
                rental.cost = a.get("activationCost").and_then(f64_of);
                rental.created = field_str(a, "activationTime").and_then(|d| parse_datetime(&d, tz));
                rental.until = rental.created.map(|c| c + 20 * 60);
                rental.can_get_another_sms = a.get("canGetAnotherSms").and_then(bool_of).unwrap_or(false);
                let codes: Vec<String> = match a.get("smsCode") {
                    Some(Value::Array(xs)) => xs.iter().filter_map(str_of).collect(),
                    Some(Value::Null) | None => vec![],
                    Some(x) => str_of(x).into_iter().collect(),
                };
                let text = match a.get("smsText") {
                    Some(Value::Array(xs)) => xs.iter().filter_map(str_of).next_back(),
                    Some(x) => str_of(x),
                    None => None,
                };
                let status = a.get("activationStatus").and_then(i64_of).unwrap_or(0);
                rental.state = match status {
                    3 => State::WaitingRetry,
                    6 => State::Finished,
                    8 => State::Cancelled,
                    _ if !codes.is_empty() => State::Received,
                    _ => State::Waiting,
                };
                rental.has_new_sms = !codes.is_empty();
                out.push(Activation { rental, codes, text });
            }
            Ok(out)
        })
    }
}
