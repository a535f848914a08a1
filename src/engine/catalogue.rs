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

fn pick(choices: &[Opt], wanted: Option<&str>, fallback: &str) -> String {
    match wanted {
        Some(w) if choices.iter().any(|c| c.value == w) => w.to_string(),
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

/// What the form needs next: a provider request, or its choices.
#[derive(Debug)]
pub enum Step {
    Ask(Request),
    Done(Catalogue),
}

/// The form's choices asked for: the kind, country and duration the user picked (each falls
/// back to a default the provider offers).
#[derive(Clone, Copy, Debug)]
pub struct Wanted<'a> {
    pub kind: Option<&'a str>,
    pub country: Option<&'a str>,
    pub duration: Option<&'a str>,
}

/// The form's next step from the answers so far, in the order they were asked for (an answer may
/// be the provider's error). Pure, no I/O: [`load`] asks and calls it again with one more answer.
pub fn step(provider: Provider, want: Wanted<'_>, got: &[Result<Rc<Answer>, ErrorInfo>]) -> Result<Step, ErrorInfo> {
    let unexpected = || engine_error("UNEXPECTED_LIST", false);
    // the n-th answer, `None` while it has not been asked for
    let answer = |n: usize| got.get(n).map(|r| r.as_deref().map_err(Clone::clone));
    match provider {
        Provider::Smsonline => {
            let kinds = vec![
                Opt { value: "rent".into(), label: keyed("kindRent", ""), iso: None },
                Opt { value: "activation".into(), label: keyed("kindActivation", ""), iso: None },
            ];
            let kind = pick(&kinds, want.kind, "rent");
            if kind == "activation" {
                // one-off activations have their own prices (getPrices), never the rent catalogue's
                let Some(a) = answer(0) else {
                    return Ok(Step::Ask(Request::GetPrices { service: None, country: None }));
                };
                return Ok(Step::Done(from_offers(kinds, kind, offers(a?)?, want.country, vec![], String::new())));
            }
            let durations: Vec<Opt> = provider
                .rent_hours()
                .iter()
                .map(|h| Opt { value: h.to_string(), label: keyed("hours", h), iso: None })
                .collect();
            let duration = pick(&durations, want.duration, "24");
            let hours: u32 = crate::text::int(&duration).unwrap_or(24);
            let Some(a) = answer(0) else {
                return Ok(Step::Ask(Request::GetRentPrices { country: None, rent_time: Some(hours) }));
            };
            let e = match a {
                Ok(a) => {
                    return Ok(Step::Done(from_offers(kinds, kind, offers(a)?, want.country, durations, duration)))
                }
                Err(e) => e,
            };
            // older servers of the family: getRentServicesAndCountries
            if e.code != "BAD_ACTION" {
                return Err(e);
            }
            let Some(a) = answer(1) else {
                return Ok(Step::Ask(Request::GetRentServicesAndCountries {
                    rent_time: Some(hours),
                    operator: None,
                    country: want.country.map(String::from),
                }));
            };
            let Answer::RentOffers(v) = a? else { return Err(unexpected()) };
            let countries: Vec<Opt> = v.countries.iter().map(|c| country_opt(c)).collect();
            let country = pick(&countries, want.country, "0");
            let operators = v.operators.iter().map(|o| Opt { value: o.clone(), label: text(o), iso: None }).collect();
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
            Ok(Step::Done(Catalogue {
                kinds,
                kind,
                countries,
                country,
                operators,
                durations,
                duration,
                services,
                currency: Some("USD"),
            }))
        }
        Provider::Smspva => {
            let Some(a) = answer(0) else { return Ok(Step::Ask(Request::GetCountries)) };
            let Answer::Countries(list) = a? else { return Err(unexpected()) };
            let countries: Vec<Opt> = list
                .iter()
                .map(|c| {
                    let iso =
                        if c.code == "UK" { Some("GB".into()) } else { Some(c.code.clone()).filter(|c| c.len() == 2) };
                    Opt { value: c.code.clone(), label: text(&c.name), iso }
                })
                .collect();
            let country = pick(&countries, want.country, "RU");
            let durations: Vec<Opt> = PVA_PERIODS
                .iter()
                .map(|(v, k, n, _)| Opt { value: v.to_string(), label: keyed(k, n), iso: None })
                .collect();
            let duration = pick(&durations, want.duration, "week:1");
            let (dtype, dcount) = duration.split_once(':').unwrap_or(("week", "1"));
            let days = PVA_PERIODS.iter().find(|p| p.0 == duration).map_or(7, |p| p.3);
            let Some(a) = answer(1) else {
                return Ok(Step::Ask(Request::GetData {
                    country,
                    dtype: Some(dtype.into()),
                    dcount: crate::text::int(dcount),
                }));
            };
            let Answer::Services(list) = a? else { return Err(unexpected()) };
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
            Ok(Step::Done(Catalogue {
                kinds: vec![],
                kind: "rent".into(),
                countries,
                country,
                operators: vec![],
                durations,
                duration,
                services,
                currency: Some(super::view::currency(Provider::Smspva)),
            }))
        }
    }
}

/// Loads the form's choices: asks `ask` what [`step`] says, one provider request at a time.
pub async fn load<F, Fut>(provider: Provider, want: Wanted<'_>, ask: F) -> Result<Catalogue, ErrorInfo>
where
    F: Fn(Request) -> Fut,
    Fut: Future<Output = Result<Rc<Answer>, ErrorInfo>>,
{
    let mut got = Vec::new();
    // two requests at most; a third would be a bug, never a loop of provider calls
    while got.len() < 3 {
        match step(provider, want, &got)? {
            Step::Done(c) => return Ok(c),
            Step::Ask(req) => got.push(ask(req).await),
        }
    }
    Err(engine_error("UNEXPECTED_LIST", false))
}

/// An SMS.online catalogue from a price list (`getPrices`, `getRentPrices`): its countries, and the
/// services of the chosen one.
fn from_offers(
    kinds: Vec<Opt>,
    kind: String,
    offers: &[PriceOffer],
    country: Option<&str>,
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

    fn want<'a>(kind: Option<&'a str>, country: Option<&'a str>, duration: Option<&'a str>) -> Wanted<'a> {
        Wanted { kind, country, duration }
    }

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
        let c = block_on(load(Provider::Smsonline, want(Some("activation"), None, None), |r| {
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
        let c = block_on(load(Provider::Smsonline, want(None, None, Some("4")), |r| async move {
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
        let c = block_on(load(Provider::Smspva, want(None, Some("UK"), Some("week:2")), |r| async move {
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
            let e =
                block_on(load(provider, want(None, None, None), |_| async { Ok(Rc::new(Answer::Unit)) })).unwrap_err();
            assert_eq!(e.code, "UNEXPECTED_LIST", "{provider:?}");
        }
        let e = block_on(load(Provider::Smsonline, want(Some("activation"), None, None), |_| async {
            Ok(Rc::new(Answer::Amount(1.0)))
        }))
        .unwrap_err();
        assert_eq!(e.code, "UNEXPECTED_LIST");
    }

    #[test]
    fn each_step_asks_what_the_answers_so_far_leave_open() {
        let w = want(None, Some("16"), Some("4"));
        let ask = |got: &[Result<Rc<Answer>, ErrorInfo>]| match step(Provider::Smsonline, w, got).unwrap() {
            Step::Ask(r) => r,
            Step::Done(c) => panic!("done early: {c:?}"),
        };
        assert_eq!(ask(&[]), Request::GetRentPrices { country: None, rent_time: Some(4) });
        let old_server = [Err(engine_error("BAD_ACTION", false))];
        assert_eq!(
            ask(&old_server),
            Request::GetRentServicesAndCountries { rent_time: Some(4), operator: None, country: Some("16".into()) }
        );
        // any other failure is the form's error, never a second request
        let e = step(Provider::Smsonline, w, &[Err(engine_error("BAD_KEY", false))]).unwrap_err();
        assert_eq!(e.code, "BAD_KEY");
        let pva = |got: &[Result<Rc<Answer>, ErrorInfo>]| step(Provider::Smspva, want(None, None, None), got);
        assert!(matches!(pva(&[]), Ok(Step::Ask(Request::GetCountries))));
        let countries =
            Ok(Rc::new(Answer::Countries(vec![crate::smspva::Country { name: "R".into(), code: "RU".into() }])));
        assert!(matches!(
            pva(&[countries]),
            Ok(Step::Ask(Request::GetData { country, dtype: Some(t), dcount: Some(1) })) if country == "RU" && t == "week"
        ));
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
