//! The new-rental form: which provider calls give its choices (rent catalogue,
//! activation prices, SMSPVA countries and services) and which request the
//! chosen offer becomes. The asking is a function handed in, so this stays
//! free of I/O and runs natively in tests.

use super::engine_error;
use super::view::{smsonline_country_iso, Label};
use crate::api::Request;
use crate::error::ErrorInfo;
use crate::json::Value;
use crate::model::{PriceOffer, Provider};
use crate::seq::try_map;
use crate::vecmap::VecMap;
use serde::Serialize;
use std::future::Future;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Opt {
    pub value: String,
    /// A locale key with arguments; an empty key means `args[0]` is the text itself.
    pub label: Label,
    /// ISO 3166 alpha-2 for countries (named in the user's language by the extension).
    pub iso: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ServiceOpt {
    pub value: String,
    pub label: String,
    pub cost: Option<f64>,
    pub count: Option<i64>,
    /// The price with its currency for the confirmation ("… for $3?"), or words saying it is unknown.
    pub price: Label,
}

impl ServiceOpt {
    fn new(value: String, label: String, cost: Option<f64>, count: Option<i64>, provider: Provider) -> ServiceOpt {
        let price = super::view::price_amount(cost, super::view::currency(provider));
        ServiceOpt { value, label, cost, count, price }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Catalogue {
    pub kinds: Vec<Opt>,
    pub kind: String,
    pub countries: Vec<Opt>,
    pub country: String,
    pub operators: Vec<Opt>,
    pub durations: Vec<Opt>,
    pub duration: String,
    pub services: Vec<ServiceOpt>,
    pub currency: Option<&'static str>,
}

/// SMSPVA rent periods offered: (value, unit key, count, days).
pub const PVA_PERIODS: [(&str, &str, u32, u32); 6] = [
    ("week:1", "weeks", 1, 7),
    ("week:2", "weeks", 2, 14),
    ("week:3", "weeks", 3, 21),
    ("month:1", "months", 1, 30),
    ("month:2", "months", 2, 60),
    ("month:3", "months", 3, 90),
];

fn text(s: &str) -> Label {
    Label { key: "", args: vec![s.to_string()] }
}

fn keyed(key: &'static str, arg: impl ToString) -> Label {
    Label { key, args: vec![arg.to_string()] }
}

/// Human names of the sms-activate family's service codes (the code stays the fallback).
pub fn service_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "tg" => "Telegram",
        "wa" => "WhatsApp",
        "ig" => "Instagram",
        "go" => "Google",
        "fb" => "Facebook",
        "vk" => "VK",
        "ok" => "Odnoklassniki",
        "ds" => "Discord",
        "tw" => "Twitter / X",
        "mm" => "Microsoft",
        "am" => "Amazon",
        "ub" => "Uber",
        "wb" => "WeChat",
        "vi" => "Viber",
        "lf" => "TikTok",
        "oi" => "Tinder",
        "ya" => "Yandex",
        "av" => "Avito",
        "mt" => "Steam",
        "nf" => "Netflix",
        "ts" => "PayPal",
        "tn" => "LinkedIn",
        "mb" => "Yahoo",
        "dh" => "eBay",
        "ka" => "Shopee",
        "hw" => "Alipay",
        "bw" => "Signal",
        "full" => "Any service",
        _ => return None,
    })
}

/// Services in the order a person looks for them: by name, case aside.
fn by_name(list: &mut [ServiceOpt]) {
    crate::sort::sort_by_key(list, |s| crate::text::lower(&s.label));
}

fn services_from(offers: &[PriceOffer], country: &str) -> Vec<ServiceOpt> {
    let mut v: Vec<ServiceOpt> = offers
        .iter()
        .filter(|o| o.country == country)
        .map(|o| {
            ServiceOpt::new(
                o.service.clone(),
                service_name(&o.service).map(String::from).unwrap_or_else(|| o.service.clone()),
                Some(o.cost),
                o.count,
                Provider::Smsonline,
            )
        })
        .collect();
    by_name(&mut v);
    v
}

fn country_opt(code: &str) -> Opt {
    Opt { value: code.to_string(), label: text(code), iso: smsonline_country_iso(code).map(String::from) }
}

fn pick(choices: &[Opt], wanted: Option<String>, fallback: &str) -> String {
    match wanted {
        Some(w) if choices.iter().any(|c| c.value == w) => w,
        _ => choices
            .iter()
            .find(|c| c.value == fallback)
            .or(choices.first())
            .map(|c| c.value.clone())
            .unwrap_or_default(),
    }
}

/// A price list's JSON (`[{country, service, cost, count}]`, see [`PriceOffer`]) read back; a
/// line without its country, service or price makes the whole list unreadable (never a guess).
fn offers(v: Value) -> Result<Vec<PriceOffer>, ErrorInfo> {
    let bad = || engine_error("UNEXPECTED_LIST", false);
    let Value::Array(list) = v else { return Err(bad()) };
    try_map(&list, |o| {
        let s = |k: &str| o.get(k).and_then(Value::as_str).map(String::from);
        Ok(PriceOffer {
            country: s("country").ok_or_else(bad)?,
            service: s("service").ok_or_else(bad)?,
            cost: o.get("cost").and_then(Value::as_f64).ok_or_else(bad)?,
            count: match o.get("count") {
                None | Some(Value::Null) => None,
                Some(c) => Some(c.as_i64().ok_or_else(bad)?),
            },
        })
    })
}

/// Loads the form's choices with `ask` (one provider request at a time).
pub async fn load<F, Fut>(
    provider: Provider,
    kind: Option<String>,
    country: Option<String>,
    duration: Option<String>,
    ask: F,
) -> Result<Catalogue, ErrorInfo>
where
    F: Fn(Request) -> Fut,
    Fut: Future<Output = Result<Value, ErrorInfo>>,
{
    match provider {
        Provider::Smsonline => {
            let kinds = vec![
                Opt { value: "rent".into(), label: keyed("kindRent", ""), iso: None },
                Opt { value: "activation".into(), label: keyed("kindActivation", ""), iso: None },
            ];
            let kind = pick(&kinds, kind, "rent");
            if kind == "activation" {
                // one-off activations have their own prices (getPrices), never the rent catalogue's
                let list = offers(ask(Request::GetPrices { service: None, country: None }).await?)?;
                return Ok(from_offers(kinds, kind, &list, country, vec![], String::new()));
            }
            let durations: Vec<Opt> = provider
                .rent_hours()
                .iter()
                .map(|h| Opt { value: h.to_string(), label: keyed("hours", h), iso: None })
                .collect();
            let duration = pick(&durations, duration, "24");
            let hours: u32 = crate::text::int(&duration).unwrap_or(24);
            match ask(Request::GetRentPrices { country: None, rent_time: Some(hours) }).await {
                Ok(v) => Ok(from_offers(kinds, kind, &offers(v)?, country, durations, duration)),
                // older servers of the family: getRentServicesAndCountries
                Err(e) if e.code == "BAD_ACTION" => {
                    let v = ask(Request::GetRentServicesAndCountries {
                        rent_time: Some(hours),
                        operator: None,
                        country: country.clone(),
                    })
                    .await?;
                    let countries: Vec<Opt> = v
                        .get("countries")
                        .and_then(Value::as_array)
                        .map(|l| l.iter().filter_map(Value::as_str).map(country_opt).collect())
                        .unwrap_or_default();
                    let country = pick(&countries, country, "0");
                    let operators = v
                        .get("operators")
                        .and_then(Value::as_array)
                        .map(|l| {
                            l.iter()
                                .filter_map(Value::as_str)
                                .map(|o| Opt { value: o.into(), label: text(o), iso: None })
                                .collect()
                        })
                        .unwrap_or_default();
                    let mut services: Vec<ServiceOpt> = v
                        .get("services")
                        .and_then(Value::as_array)
                        .map(|l| {
                            l.iter()
                                .filter_map(|s| {
                                    let code = s.get("code")?.as_str()?;
                                    Some(ServiceOpt::new(
                                        code.into(),
                                        service_name(code).map(String::from).unwrap_or_else(|| code.into()),
                                        s.get("cost").and_then(Value::as_f64),
                                        s.get("count").and_then(Value::as_i64),
                                        Provider::Smsonline,
                                    ))
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    by_name(&mut services);
                    Ok(Catalogue {
                        kinds,
                        kind,
                        countries,
                        country,
                        operators,
                        durations,
                        duration,
                        services,
                        currency: Some("USD"),
                    })
                }
                Err(e) => Err(e),
            }
        }
        Provider::Smspva => {
            let list = ask(Request::GetCountries).await?;
            let countries: Vec<Opt> = list
                .as_array()
                .map(|l| {
                    l.iter()
                        .filter_map(|c| {
                            let code = c.get("code")?.as_str()?;
                            let name = c.get("name").and_then(Value::as_str).unwrap_or(code);
                            let iso = if code == "UK" {
                                Some("GB".into())
                            } else {
                                Some(code.to_string()).filter(|c| c.len() == 2)
                            };
                            Some(Opt { value: code.into(), label: text(name), iso })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let country = pick(&countries, country, "RU");
            let durations: Vec<Opt> = PVA_PERIODS
                .iter()
                .map(|(v, k, n, _)| Opt { value: v.to_string(), label: keyed(k, n), iso: None })
                .collect();
            let duration = pick(&durations, duration, "week:1");
            let (dtype, dcount) = duration.split_once(':').unwrap_or(("week", "1"));
            let days = PVA_PERIODS.iter().find(|p| p.0 == duration).map_or(7, |p| p.3);
            let v = ask(Request::GetData {
                country: country.clone(),
                dtype: Some(dtype.into()),
                dcount: crate::text::int(dcount),
            })
            .await?;
            let mut services: Vec<ServiceOpt> = v
                .as_array()
                .map(|l| {
                    l.iter()
                        .filter_map(|s| {
                            let code = s.get("service")?.as_str()?;
                            Some(ServiceOpt::new(
                                code.into(),
                                s.get("name").and_then(Value::as_str).unwrap_or(code).to_string(),
                                s.get("price_day")
                                    .and_then(Value::as_f64)
                                    .map(|p| (p * days as f64 * 100.0).round() / 100.0),
                                s.get("count").and_then(Value::as_i64),
                                Provider::Smspva,
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            by_name(&mut services);
            Ok(Catalogue {
                kinds: vec![],
                kind: "rent".into(),
                countries,
                country,
                operators: vec![],
                durations,
                duration,
                services,
                currency: Some(super::view::currency(Provider::Smspva)),
            })
        }
    }
}

/// An SMS.online catalogue from a price list (`getPrices`, `getRentPrices`): its countries, and the
/// services of the chosen one.
fn from_offers(
    kinds: Vec<Opt>,
    kind: String,
    offers: &[PriceOffer],
    country: Option<String>,
    durations: Vec<Opt>,
    duration: String,
) -> Catalogue {
    let countries = distinct_countries(offers);
    let country = pick(&countries, country, "0");
    Catalogue {
        kinds,
        kind,
        services: services_from(offers, &country),
        countries,
        country,
        operators: vec![],
        durations,
        duration,
        currency: Some("USD"),
    }
}

fn distinct_countries(offers: &[PriceOffer]) -> Vec<Opt> {
    let mut seen: VecMap<i64, String> = VecMap::new();
    for o in offers {
        seen.entry_or_insert_with(crate::text::int(&o.country).unwrap_or(i64::MAX), || o.country.clone());
    }
    seen.into_values().map(|c| country_opt(&c)).collect()
}

/// The spending request for the form's choice `{kind, service, country, operator?, duration}`.
pub fn rent_request(provider: Provider, c: &Value) -> Result<Request, ErrorInfo> {
    let bad = || engine_error("BAD_REQUEST", false);
    let s = |k: &str| c.get(k).and_then(Value::as_str).filter(|x| !x.is_empty()).map(String::from);
    let service = s("service").ok_or_else(bad)?;
    let country = s("country").ok_or_else(bad)?;
    Ok(match provider {
        Provider::Smsonline if s("kind").as_deref() == Some("activation") => {
            Request::GetNumber { service, country, operator: s("operator"), max_price: None }
        }
        Provider::Smsonline => {
            let hours: u32 = s("duration").and_then(|d| crate::text::int(&d)).ok_or_else(bad)?;
            if !provider.rent_hours().contains(&hours) {
                return Err(bad());
            }
            Request::GetRentNumber { service, country, operator: s("operator"), rent_time: Some(hours) }
        }
        Provider::Smspva => {
            let d = s("duration").ok_or_else(bad)?;
            if !PVA_PERIODS.iter().any(|p| p.0 == d) {
                return Err(bad());
            }
            let (dtype, n) = d.split_once(':').ok_or_else(bad)?;
            Request::Create { dtype: dtype.into(), dcount: crate::text::int(n).ok_or_else(bad)?, country, service }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_value as json;

    fn block_on<F: Future>(f: F) -> F::Output {
        // the futures here never wait on anything: poll once with a no-op waker
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut f = std::pin::pin!(f);
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => v,
            std::task::Poll::Pending => panic!("pending"),
        }
    }

    #[test]
    fn activation_form_shows_activation_prices_never_rent_prices() {
        let asked = std::cell::RefCell::new(vec![]);
        let c = block_on(load(Provider::Smsonline, Some("activation".into()), None, None, |r| {
            asked.borrow_mut().push(format!("{r:?}"));
            async move {
                match r {
                    Request::GetPrices { .. } => Ok(json!([{"country":"0","service":"tg","cost":0.5,"count":10}])),
                    _ => Ok(json!([{"country":"0","service":"tg","cost":9.0,"count":10}])),
                }
            }
        }))
        .unwrap();
        assert_eq!(c.services[0].cost, Some(0.5));
        assert_eq!(c.services[0].label, "Telegram");
        assert_eq!(c.services[0].price, Label { key: "", args: vec!["0.50 USD".into()] });
        assert!(asked.borrow().iter().all(|a| a.starts_with("GetPrices")), "{:?}", asked.borrow());
        assert_eq!(c.countries[0].iso.as_deref(), Some("RU"));
    }

    #[test]
    fn rent_catalogue_falls_back_to_the_older_method() {
        let c = block_on(load(Provider::Smsonline, None, None, Some("4".into()), |r| async move {
            match r {
                Request::GetRentPrices { .. } => Err(engine_error("BAD_ACTION", false)),
                _ => Ok(
                    json!({"countries":["0","16"],"operators":["any"],"services":[{"code":"wa","cost":2.0,"count":3}]}),
                ),
            }
        }))
        .unwrap();
        assert_eq!(c.duration, "4");
        assert_eq!(c.countries.len(), 2);
        assert_eq!(c.services[0].label, "WhatsApp");
    }

    #[test]
    fn rent_requests_only_for_offered_choices() {
        let r = rent_request(Provider::Smspva, &json!({"service":"opt16","country":"RU","duration":"week:2"})).unwrap();
        assert_eq!(
            r,
            Request::Create { dtype: "week".into(), dcount: 2, country: "RU".into(), service: "opt16".into() }
        );
        assert!(rent_request(Provider::Smspva, &json!({"service":"opt16","country":"RU","duration":"day:2"})).is_err());
        assert!(rent_request(Provider::Smsonline, &json!({"service":"tg","country":"0","duration":"5"})).is_err());
        assert!(matches!(
            rent_request(Provider::Smsonline, &json!({"kind":"activation","service":"tg","country":"0"})).unwrap(),
            Request::GetNumber { .. }
        ));
    }
}
