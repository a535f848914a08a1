//! The new-rental form: which provider calls give its choices (rent catalogue,
//! activation prices, SMSPVA countries and services) and which request the
//! chosen offer becomes. The asking is a function handed in, so this stays
//! free of I/O and runs natively in tests.

use super::engine_error;
use super::view::{smsonline_country_iso, Label};
use crate::api::{Answer, Request};
use crate::error::ErrorInfo;
use crate::json::Value;
use crate::model::{PriceOffer, Provider};
use crate::vecmap::VecMap;
use serde::Serialize;
use std::future::Future;
use std::rc::Rc;

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

/// Human names of the sms-activate family's service codes, `|<code>=<name>|`: a table as data
/// (a `match` of string arms is code). The code stays the fallback.
const SERVICE_NAMES: &str = concat!(
    "|tg=Telegram|wa=WhatsApp|ig=Instagram|go=Google|fb=Facebook|vk=VK|ok=Odnoklassniki|ds=Discord|",
    "tw=Twitter / X|mm=Microsoft|am=Amazon|ub=Uber|wb=WeChat|vi=Viber|lf=TikTok|oi=Tinder|ya=Yandex|",
    "av=Avito|mt=Steam|nf=Netflix|ts=PayPal|tn=LinkedIn|mb=Yahoo|dh=eBay|ka=Shopee|hw=Alipay|",
    "bw=Signal|full=Any service|",
);

/// The human name of a service code of the sms-activate family.
pub fn service_name(code: &str) -> Option<&'static str> {
    if code.is_empty() {
        return None;
    }
    SERVICE_NAMES.split('|').find_map(|p| p.strip_prefix(code)?.strip_prefix('='))
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

/// A price list answer's lines; any other answer is unexpected (never read as an empty list).
fn offers(a: &Answer) -> Result<&[PriceOffer], ErrorInfo> {
    match a {
        Answer::Prices(list) => Ok(list),
        _ => Err(engine_error("UNEXPECTED_LIST", false)),
    }
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
    Fut: Future<Output = Result<Rc<Answer>, ErrorInfo>>,
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
                let a = ask(Request::GetPrices { service: None, country: None }).await?;
                return Ok(from_offers(kinds, kind, offers(&a)?, country, vec![], String::new()));
            }
            let durations: Vec<Opt> = provider
                .rent_hours()
                .iter()
                .map(|h| Opt { value: h.to_string(), label: keyed("hours", h), iso: None })
                .collect();
            let duration = pick(&durations, duration, "24");
            let hours: u32 = crate::text::int(&duration).unwrap_or(24);
            match ask(Request::GetRentPrices { country: None, rent_time: Some(hours) }).await {
                Ok(a) => Ok(from_offers(kinds, kind, offers(&a)?, country, durations, duration)),
                // older servers of the family: getRentServicesAndCountries
                Err(e) if e.code == "BAD_ACTION" => {
                    let a = ask(Request::GetRentServicesAndCountries {
                        rent_time: Some(hours),
                        operator: None,
                        country: country.clone(),
                    })
                    .await?;
                    let Answer::RentOffers(v) = &*a else { return Err(engine_error("UNEXPECTED_LIST", false)) };
                    let countries: Vec<Opt> = v.countries.iter().map(|c| country_opt(c)).collect();
                    let country = pick(&countries, country, "0");
                    let operators =
                        v.operators.iter().map(|o| Opt { value: o.clone(), label: text(o), iso: None }).collect();
                    let mut services: Vec<ServiceOpt> = v
                        .services
                        .iter()
                        .map(|s| {
                            ServiceOpt::new(
                                s.code.clone(),
                                service_name(&s.code).map_or_else(|| s.code.clone(), String::from),
                                s.cost,
                                s.count,
                                Provider::Smsonline,
                            )
                        })
                        .collect();
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
            let a = ask(Request::GetCountries).await?;
            let Answer::Countries(list) = &*a else { return Err(engine_error("UNEXPECTED_LIST", false)) };
            let countries: Vec<Opt> = list
                .iter()
                .map(|c| {
                    let iso =
                        if c.code == "UK" { Some("GB".into()) } else { Some(c.code.clone()).filter(|c| c.len() == 2) };
                    Opt { value: c.code.clone(), label: text(&c.name), iso }
                })
                .collect();
            let country = pick(&countries, country, "RU");
            let durations: Vec<Opt> = PVA_PERIODS
                .iter()
                .map(|(v, k, n, _)| Opt { value: v.to_string(), label: keyed(k, n), iso: None })
                .collect();
            let duration = pick(&durations, duration, "week:1");
            let (dtype, dcount) = duration.split_once(':').unwrap_or(("week", "1"));
            let days = PVA_PERIODS.iter().find(|p| p.0 == duration).map_or(7, |p| p.3);
            let a = ask(Request::GetData {
                country: country.clone(),
                dtype: Some(dtype.into()),
                dcount: crate::text::int(dcount),
            })
            .await?;
            let Answer::Services(list) = &*a else { return Err(engine_error("UNEXPECTED_LIST", false)) };
            let mut services: Vec<ServiceOpt> = list
                .iter()
                .map(|s| {
                    ServiceOpt::new(
                        s.service.clone(),
                        s.name.clone(),
                        s.price_day.map(|p| (p * days as f64 * 100.0).round() / 100.0),
                        s.count,
                        Provider::Smspva,
                    )
                })
                .collect();
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
            let offer = |cost| PriceOffer { country: "0".into(), service: "tg".into(), cost, count: Some(10) };
            async move {
                match r {
                    Request::GetPrices { .. } => Ok(Rc::new(Answer::Prices(vec![offer(0.5)]))),
                    _ => Ok(Rc::new(Answer::Prices(vec![offer(9.0)]))),
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
                _ => Ok(Rc::new(Answer::RentOffers(crate::smsonline::RentOffers {
                    countries: vec!["0".into(), "16".into()],
                    operators: vec!["any".into()],
                    services: vec![crate::smsonline::ServiceOffer {
                        code: "wa".into(),
                        cost: Some(2.0),
                        count: Some(3),
                    }],
                    currency: None,
                }))),
            }
        }))
        .unwrap();
        assert_eq!(c.duration, "4");
        assert_eq!(c.countries.len(), 2);
        assert_eq!(c.services[0].label, "WhatsApp");
        assert_eq!(c.operators[0].value, "any");
        assert_eq!(c.countries[1].iso.as_deref(), Some("GB"));
    }

    #[test]
    fn smspva_catalogue_prices_the_chosen_period() {
        use crate::smspva::{Country, ServiceOffer};
        let c = block_on(load(Provider::Smspva, None, Some("UK".into()), Some("week:2".into()), |r| async move {
            Ok(Rc::new(match r {
                Request::GetCountries => Answer::Countries(vec![
                    Country { name: "Russia".into(), code: "RU".into() },
                    Country { name: "United Kingdom".into(), code: "UK".into() },
                ]),
                Request::GetData { country, dtype, dcount } => {
                    assert_eq!((country.as_str(), dtype.as_deref(), dcount), ("UK", Some("week"), Some(2)));
                    Answer::Services(vec![
                        ServiceOffer {
                            name: "WhatsApp".into(),
                            service: "opt20".into(),
                            price_day: Some(0.333),
                            count: Some(4),
                        },
                        ServiceOffer { name: "Amazon".into(), service: "opt44".into(), price_day: None, count: None },
                    ])
                }
                _ => panic!("{r:?}"),
            }))
        }))
        .unwrap();
        assert_eq!((c.country.as_str(), c.countries[1].iso.as_deref()), ("UK", Some("GB")));
        assert_eq!(c.duration, "week:2");
        // by name; 14 days at 0.333 a day, rounded to cents; no price is no price (never 0)
        assert_eq!(
            c.services.iter().map(|s| (s.label.as_str(), s.cost)).collect::<Vec<_>>(),
            [("Amazon", None), ("WhatsApp", Some(4.66))]
        );
    }

    #[test]
    fn an_answer_of_another_shape_is_unexpected_never_an_empty_form() {
        for provider in [Provider::Smsonline, Provider::Smspva] {
            let e = block_on(load(provider, None, None, None, |_| async { Ok(Rc::new(Answer::Unit)) })).unwrap_err();
            assert_eq!(e.code, "UNEXPECTED_LIST", "{provider:?}");
        }
        let e = block_on(load(Provider::Smsonline, Some("activation".into()), None, None, |_| async {
            Ok(Rc::new(Answer::Amount(1.0)))
        }))
        .unwrap_err();
        assert_eq!(e.code, "UNEXPECTED_LIST");
    }

    #[test]
    fn every_service_code_has_its_name() {
        // the table as the match it replaced had it
        let names = [
            ("tg", "Telegram"),
            ("wa", "WhatsApp"),
            ("ig", "Instagram"),
            ("go", "Google"),
            ("fb", "Facebook"),
            ("vk", "VK"),
            ("ok", "Odnoklassniki"),
            ("ds", "Discord"),
            ("tw", "Twitter / X"),
            ("mm", "Microsoft"),
            ("am", "Amazon"),
            ("ub", "Uber"),
            ("wb", "WeChat"),
            ("vi", "Viber"),
            ("lf", "TikTok"),
            ("oi", "Tinder"),
            ("ya", "Yandex"),
            ("av", "Avito"),
            ("mt", "Steam"),
            ("nf", "Netflix"),
            ("ts", "PayPal"),
            ("tn", "LinkedIn"),
            ("mb", "Yahoo"),
            ("dh", "eBay"),
            ("ka", "Shopee"),
            ("hw", "Alipay"),
            ("bw", "Signal"),
            ("full", "Any service"),
        ];
        for (code, name) in names {
            assert_eq!(service_name(code), Some(name), "{code}");
        }
        for unknown in ["", "t", "tgx", "Telegram", "=", "tg=", "|"] {
            assert_eq!(service_name(unknown), None, "{unknown:?}");
        }
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
