//! One JSON-shaped entry point to every provider method, so the extension
//! can ask for `{"method":"getRentStatus","id":"1"}` on an account and get
//! typed, serialisable results back. Pure: builds [`Call`]s only.

use crate::error::ProviderError;
use crate::http::Call;
#[cfg(not(target_arch = "wasm32"))]
use crate::http::{f64_of, i64_of, str_of};
use crate::json::Value;
use crate::model::{Activation, ListedRent, PriceOffer, Provider, RentSnapshot, Rental, Sms};
use crate::{smsonline, smspva};
use serde::{Deserialize, Serialize};

/// A provider account as stored by the extension.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Account {
    pub id: String,
    pub provider: Provider,
    pub key: String,
    /// Full endpoint URL override (`https://host/stubs/handler_api.php`).
    #[serde(default)]
    pub base: Option<String>,
    /// Minutes east of UTC for dates the provider sends without a zone (manual override).
    #[serde(default)]
    pub tz_offset_min: Option<i32>,
    /// The offset learnt from a rent answer (`model::learn_tz_offset_min`), used when
    /// there is no manual `tz_offset_min`; stored by the engine.
    #[serde(default)]
    pub learned_tz_offset_min: Option<i32>,
}

impl Account {
    /// The zone used for SMS.online dates without one: manual, else learnt, else Moscow.
    pub fn effective_tz_offset_min(&self) -> i32 {
        self.tz_offset_min.or(self.learned_tz_offset_min).unwrap_or(smsonline::DEFAULT_TZ_OFFSET_MIN)
    }
}

/// One provider method with its parameters, as the extension sends it:
/// `{"method":"getRentStatus","id":"5"}`. Parsed by hand from a JSON value
/// (see [`Request::from_json`]): a derived internally-tagged enum costs ~50 KB of wasm.
#[derive(Clone, Debug)]
// natively (the JSON request API) and in tests; the shipped wasm compares no requests (see
// `wasm.rs::catalogue_key`)
#[cfg_attr(any(test, not(target_arch = "wasm32")), derive(PartialEq))]
pub enum Request {
    // --- both ---
    GetBalance,
    // --- SMS.online ---
    GetRentServicesAndCountries {
        rent_time: Option<u32>,
        operator: Option<String>,
        country: Option<String>,
    },
    /// → `Rental` with `created` (= `until` − hours) and, when `endDate` had no zone, `until_naive`
    /// (feed it to `model::learn_tz_offset_min` and `model::rezone`). Spends money.
    GetRentNumber {
        service: String,
        country: String,
        operator: Option<String>,
        rent_time: Option<u32>,
    },
    GetRentStatus {
        id: String,
        page: Option<u32>,
        size: Option<u32>,
    },
    /// → `[{id, phone}]`; no rents (`NO_NUMBERS`, `NO_ID_RENT`, empty) is `[]`, an unreadable answer an error.
    GetRentList,
    SetRentStatus {
        id: String,
        status: u8,
    },
    ContinueRentNumber {
        id: String,
        rent_time: u32,
    },
    GetNumber {
        service: String,
        country: String,
        operator: Option<String>,
        max_price: Option<f64>,
    },
    GetStatus {
        id: String,
    },
    SetStatus {
        id: String,
        status: i64,
    },
    GetActiveActivations,
    /// `getRentPrices` → `[PriceOffer{country, service, cost, count}]`: the rent catalogue. On
    /// `BAD_ACTION` fall back to `getRentServicesAndCountries`.
    GetRentPrices {
        country: Option<String>,
        rent_time: Option<u32>,
    },
    /// `getPrices` → `[PriceOffer{country, service, cost, count}]`: one-off activation prices.
    GetPrices {
        service: Option<String>,
        country: Option<String>,
    },
    /// `getContinueRentPrice` → a number: the price of `continueRentNumber` with the same arguments.
    GetContinueRentPrice {
        id: String,
        rent_time: u32,
    },
    /// `getRentHistory` (SMS.online) → `[RentHistoryItem{id, date, phone, sms, cost, status}]`.
    /// Not the SMSPVA archive (`get_rent_history`, [`Request::GetRentHistory`]).
    RentHistory {
        from: Option<i64>,
        to: Option<i64>,
        offset: Option<u32>,
        limit: Option<u32>,
    },
    // --- SMSPVA ---
    GetCountries,
    GetData {
        country: String,
        dtype: Option<String>,
        dcount: Option<u32>,
    },
    Create {
        dtype: String,
        dcount: u32,
        country: String,
        service: String,
    },
    Orders,
    AddServiceToOrder {
        id: String,
        service: String,
        pnumber: String,
    },
    /// SMSPVA `sms` (JSON method `"sms"`): the SMS of one order → `[Sms]`; live `OtherSms`
    /// entries have `other: true` and `code: null` (never fill them).
    /// Errors `ORDER_NOT_FOUND` / `INCORRECT_ORDER` have `closes_rental`.
    SmsOfOrder {
        id: String,
    },
    Prolong {
        id: String,
        dtype: String,
        dcount: u32,
    },
    Activate {
        id: String,
    },
    Delete {
        id: String,
    },
    GetRentHistory {
        skip: Option<u32>,
        take: Option<u32>,
    },
    RestorePrecalc {
        id: String,
    },
    Restore {
        id: String,
    },
}

impl Request {
    /// The hours a rent request buys (its `rent_time`, or the protocol's default when it names
    /// none); `None` for requests that buy no hours.
    pub fn rent_hours(&self) -> Option<u32> {
        match self {
            Request::GetRentNumber { rent_time, .. } => {
                Some(rent_time.unwrap_or(crate::model::SMSONLINE_DEFAULT_RENT_HOURS))
            }
            Request::ContinueRentNumber { rent_time, .. } => Some(*rent_time),
            _ => None,
        }
    }

    /// Parses `{"method": ..., params...}`; numbers may come as strings. Native only (the JSON
    /// request API for other tools): the extension never sends raw requests to the wasm.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(s: &str) -> Result<Request, String> {
        let v: Value = crate::json::parse(s).map_err(|e| e.to_string())?;
        let method = v.get("method").and_then(Value::as_str).ok_or("missing method")?;
        let opt_s = |k: &str| v.get(k).and_then(str_of);
        let req_s = |k: &str| opt_s(k).ok_or_else(|| format!("{method}: missing {k}"));
        let opt_n = |k: &str| v.get(k).and_then(i64_of);
        let opt_u = |k: &str| opt_n(k).and_then(|n| u32::try_from(n).ok());
        let req_u = |k: &str| opt_u(k).ok_or_else(|| format!("{method}: missing {k}"));
        use Request::*;
        Ok(match method {
            "getBalance" => GetBalance,
            "getRentServicesAndCountries" => GetRentServicesAndCountries {
                rent_time: opt_u("rent_time"),
                operator: opt_s("operator"),
                country: opt_s("country"),
            },
            "getRentNumber" => GetRentNumber {
                service: req_s("service")?,
                country: req_s("country")?,
                operator: opt_s("operator"),
                rent_time: opt_u("rent_time"),
            },
            "getRentStatus" => GetRentStatus { id: req_s("id")?, page: opt_u("page"), size: opt_u("size") },
            "getRentList" => GetRentList,
            "setRentStatus" => SetRentStatus {
                id: req_s("id")?,
                status: u8::try_from(opt_n("status").ok_or("setRentStatus: missing status")?)
                    .map_err(|e| e.to_string())?,
            },
            "continueRentNumber" => ContinueRentNumber { id: req_s("id")?, rent_time: req_u("rent_time")? },
            "getNumber" => GetNumber {
                service: req_s("service")?,
                country: req_s("country")?,
                operator: opt_s("operator"),
                max_price: v.get("max_price").and_then(f64_of),
            },
            "getStatus" => GetStatus { id: req_s("id")? },
            "setStatus" => SetStatus { id: req_s("id")?, status: opt_n("status").ok_or("setStatus: missing status")? },
            "getActiveActivations" => GetActiveActivations,
            "getRentPrices" => GetRentPrices { country: opt_s("country"), rent_time: opt_u("rent_time") },
            "getPrices" => GetPrices { service: opt_s("service"), country: opt_s("country") },
            "getContinueRentPrice" => GetContinueRentPrice { id: req_s("id")?, rent_time: req_u("rent_time")? },
            "getRentHistory" => {
                RentHistory { from: opt_n("from"), to: opt_n("to"), offset: opt_u("offset"), limit: opt_u("limit") }
            }
            "getcountries" => GetCountries,
            "getdata" => GetData { country: req_s("country")?, dtype: opt_s("dtype"), dcount: opt_u("dcount") },
            "create" => Create {
                dtype: req_s("dtype")?,
                dcount: req_u("dcount")?,
                country: req_s("country")?,
                service: req_s("service")?,
            },
            "orders" => Orders,
            "add_service_to_order" => {
                AddServiceToOrder { id: req_s("id")?, service: req_s("service")?, pnumber: req_s("pnumber")? }
            }
            "sms" => SmsOfOrder { id: req_s("id")? },
            "prolong" => Prolong { id: req_s("id")?, dtype: req_s("dtype")?, dcount: req_u("dcount")? },
            "activate" => Activate { id: req_s("id")? },
            "delete" => Delete { id: req_s("id")? },
            "get_rent_history" => GetRentHistory { skip: opt_u("skip"), take: opt_u("take") },
            "restore_user_precalc" => RestorePrecalc { id: req_s("id")? },
            "restore_user" => Restore { id: req_s("id")? },
            other => return Err(format!("unknown method \"{other}\"")),
        })
    }
}

/// What a provider answered, typed, whichever provider it was: the engine consumes it by
/// `match`, and it serialises (untagged) to exactly the JSON of the inner value, so the JSON
/// request API ([`build`]) answers as before.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// Done, nothing to say (`setRentStatus`, `add_service_to_order`, `restore_user`): `null`.
    Unit,
    /// A balance or a price (`getBalance`, `getContinueRentPrice`).
    Amount(f64),
    /// SMSPVA's stand-in for a balance: how many orders the key lists.
    Count(usize),
    /// An order id echoed back (`prolong`, `activate`, `delete`).
    Id(String),
    /// A rental bought or extended (`getRentNumber`, `getNumber`, `continueRentNumber`, `create`).
    Rental(Rental),
    /// Every current rental (SMSPVA `orders`).
    Rentals(Vec<Rental>),
    /// Every open rent, id and number only (SMS.online `getRentList`).
    Listed(Vec<ListedRent>),
    /// One rent's state and a page of its SMS (SMS.online `getRentStatus`).
    Snapshot(RentSnapshot),
    /// Every open activation with its codes (SMS.online `getActiveActivations`).
    Activations(Vec<Activation>),
    /// The SMS of one rental (SMSPVA `sms`).
    Sms(Vec<Sms>),
    /// A price list (`getRentPrices`, `getPrices`).
    Prices(Vec<PriceOffer>),
    // answers only shown to the user (passed through as JSON)
    RentOffers(smsonline::RentOffers),
    ActivationStatus(smsonline::ActivationStatus),
    StatusSet(smsonline::SetStatusResult),
    RentHistory(Vec<smsonline::RentHistoryItem>),
    Countries(Vec<smspva::Country>),
    Services(Vec<smspva::ServiceOffer>),
    Archive(Vec<smspva::ArchiveItem>),
    RestoreQuote(smspva::RestoreQuote),
}

impl Answer {
    /// The answer as JSON, as the JSON request API and the extension see it.
    pub fn to_value(&self) -> Value {
        // through its text: the answer types are then serialised by serde_json's one text
        // serializer only, not also by its `Value` serializer (some 6 KB of wasm more)
        serde_json::to_string(self).ok().and_then(|t| crate::json::parse(&t).ok()).unwrap_or(Value::Null)
    }

    /// A number answer (balance, price, order count).
    pub fn number(&self) -> Option<f64> {
        match self {
            Answer::Amount(x) => Some(*x),
            Answer::Count(n) => Some(*n as f64),
            _ => None,
        }
    }
}

fn bad(detail: impl Into<String>) -> ProviderError {
    ProviderError::InvalidInput { detail: detail.into() }
}

fn period(dtype: &str) -> Result<smspva::Period, ProviderError> {
    smspva::Period::parse(dtype).ok_or_else(|| bad(format!("dtype \"{dtype}\"")))
}

/// The JSON request API: the call for `req` on `acc`, answering the JSON of its [`Answer`].
pub fn build(acc: &Account, req: &Request) -> Result<Call<Value>, ProviderError> {
    call(acc, req).map(|c| c.map(|a| a.to_value()))
}

/// Builds the call for `req` on `acc`; asking a provider for a method it does not have is `BadAction`.
pub fn call(acc: &Account, req: &Request) -> Result<Call<Answer>, ProviderError> {
    use Answer as A;
    use Request::*;
    if acc.key.trim().is_empty() && !matches!(req, GetCountries | GetData { .. }) {
        return Err(ProviderError::BadKey);
    }
    match acc.provider {
        Provider::Smsonline => {
            let mut c = smsonline::Client::new(acc.base.as_deref(), &acc.key);
            c.tz_offset_min = acc.effective_tz_offset_min();
            Ok(match req {
                GetBalance => c.get_balance().map(A::Amount),
                GetRentServicesAndCountries { rent_time, operator, country } => c
                    .get_rent_services_and_countries(*rent_time, operator.as_deref(), country.as_deref())
                    .map(A::RentOffers),
                GetRentNumber { service, country, operator, rent_time } => {
                    if let Some(h) = rent_time {
                        if !smsonline::RENT_HOURS.contains(h) {
                            return Err(ProviderError::BadTime);
                        }
                    }
                    c.get_rent_number(service, country, operator.as_deref(), *rent_time, None).map(A::Rental)
                }
                GetRentStatus { id, page, size } => c.get_rent_status(id, *page, *size).map(A::Snapshot),
                GetRentList => c.get_rent_list().map(A::Listed),
                SetRentStatus { id, status } => {
                    let s = match status {
                        1 => smsonline::RentStatusChange::Finish,
                        2 => smsonline::RentStatusChange::Cancel,
                        _ => return Err(ProviderError::BadStatus),
                    };
                    c.set_rent_status(id, s).map(|()| A::Unit)
                }
                ContinueRentNumber { id, rent_time } => {
                    if !smsonline::RENT_HOURS.contains(rent_time) {
                        return Err(ProviderError::BadTime);
                    }
                    c.continue_rent_number(id, *rent_time).map(A::Rental)
                }
                GetNumber { service, country, operator, max_price } => {
                    c.get_number(service, country, operator.as_deref(), *max_price).map(A::Rental)
                }
                // The extension never asks for these two: an activation's codes come with
                // getActiveActivations, and the archive it shows is SMSPVA's. The JSON request
                // API answers them natively; the wasm leaves their clients out (1 KB of gzip),
                // and there they are `BadAction` (a test in tests/wasm_browser.rs says so).
                #[cfg(not(target_arch = "wasm32"))]
                GetStatus { id } => c.get_status(id).map(A::ActivationStatus),
                SetStatus { id, status } => c
                    .set_status(id, smsonline::SetStatus::from_i64(*status).ok_or(ProviderError::BadStatus)?)
                    .map(A::StatusSet),
                GetActiveActivations => c.get_active_activations().map(A::Activations),
                GetRentPrices { country, rent_time } => {
                    c.get_rent_prices(country.as_deref(), *rent_time).map(A::Prices)
                }
                GetPrices { service, country } => c.get_prices(service.as_deref(), country.as_deref()).map(A::Prices),
                GetContinueRentPrice { id, rent_time } => {
                    if !smsonline::RENT_HOURS.contains(rent_time) {
                        return Err(ProviderError::BadTime);
                    }
                    c.get_continue_rent_price(id, *rent_time).map(A::Amount)
                }
                #[cfg(not(target_arch = "wasm32"))]
                RentHistory { from, to, offset, limit } => {
                    if limit.is_some_and(|l| l > 100) {
                        return Err(bad("limit is at most 100"));
                    }
                    c.get_rent_history(*from, *to, *offset, *limit).map(A::RentHistory)
                }
                _ => return Err(ProviderError::BadAction),
            })
        }
        Provider::Smspva => {
            let c = smspva::Client::new(acc.base.as_deref(), &acc.key);
            Ok(match req {
                // SMSPVA's rent API has no balance method; `orders` validates the key instead.
                GetBalance => c.orders().map(|o| A::Count(o.len())),
                GetCountries => c.get_countries().map(A::Countries),
                GetData { country, dtype, dcount } => {
                    let p = match dtype {
                        Some(t) => Some((period(t)?, dcount.unwrap_or(1))),
                        None => None,
                    };
                    c.get_data(country, p).map(A::Services)
                }
                Create { dtype, dcount, country, service } => {
                    c.create(period(dtype)?, *dcount, country, service).map(A::Rental)
                }
                Orders => c.orders().map(A::Rentals),
                AddServiceToOrder { id, service, pnumber } => {
                    c.add_service_to_order(id, service, pnumber).map(|()| A::Unit)
                }
                SmsOfOrder { id } => c.sms(id).map(A::Sms),
                Prolong { id, dtype, dcount } => c.prolong(id, period(dtype)?, *dcount).map(A::Id),
                Activate { id } => c.activate(id).map(A::Id),
                Delete { id } => c.delete(id).map(A::Id),
                GetRentHistory { skip, take } => {
                    c.get_rent_history(skip.unwrap_or(0), take.unwrap_or(20)).map(A::Archive)
                }
                RestorePrecalc { id } => c.restore_precalc(id).map(A::RestoreQuote),
                Restore { id } => c.restore(id).map(|()| A::Unit),
                _ => return Err(ProviderError::BadAction),
            })
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // the JSON request API is native only
mod tests {
    use super::*;

    fn acc(p: Provider) -> Account {
        Account {
            id: "a".into(),
            provider: p,
            key: "k".into(),
            base: Some("http://127.0.0.1:1/x".into()),
            tz_offset_min: None,
            learned_tz_offset_min: None,
        }
    }

    #[test]
    fn requests_deserialize_from_extension_json() {
        let r = Request::from_json(r#"{"method":"getRentStatus","id":"5"}"#).unwrap();
        assert_eq!(r, Request::GetRentStatus { id: "5".into(), page: None, size: None });
        let r = Request::from_json(r#"{"method":"create","dtype":"week","dcount":1,"country":"RU","service":"opt6"}"#)
            .unwrap();
        let call = build(&acc(Provider::Smspva), &r).unwrap();
        assert!(call.spends_money);
        assert_eq!(call.url, "http://127.0.0.1:1/x?method=create&apikey=k&dtype=week&dcount=1&country=RU&service=opt6");
    }

    #[test]
    fn request_parsing_is_lenient_on_numbers_and_strict_on_names() {
        assert_eq!(
            Request::from_json(r#"{"method":"getRentStatus","id":5,"page":"1"}"#).unwrap(),
            Request::GetRentStatus { id: "5".into(), page: Some(1), size: None }
        );
        assert_eq!(
            Request::from_json(r#"{"method":"setStatus","id":"1","status":8}"#).unwrap(),
            Request::SetStatus { id: "1".into(), status: 8 }
        );
        assert!(Request::from_json(r#"{"method":"nope"}"#).unwrap_err().contains("unknown method"));
        assert!(Request::from_json(r#"{"method":"create","dtype":"week"}"#).unwrap_err().contains("missing"));
        assert!(Request::from_json(r#"{"id":"1"}"#).is_err());
        assert!(Request::from_json("not json").is_err());
        assert_eq!(
            Request::from_json(r#"{"method":"getNumber","service":"tg","country":"0","max_price":"12.5"}"#).unwrap(),
            Request::GetNumber { service: "tg".into(), country: "0".into(), operator: None, max_price: Some(12.5) }
        );
    }

    #[test]
    fn smsonline_price_and_history_requests() {
        let so = acc(Provider::Smsonline);
        let r = Request::from_json(r#"{"method":"getRentPrices","country":"0","rent_time":"24"}"#).unwrap();
        assert_eq!(r, Request::GetRentPrices { country: Some("0".into()), rent_time: Some(24) });
        let c = build(&so, &r).unwrap();
        assert!(!c.spends_money);
        assert_eq!(c.url, "http://127.0.0.1:1/x?api_key=k&action=getRentPrices&country=0&rent_time=24&time=24");
        let r = Request::from_json(r#"{"method":"getPrices","service":"tg"}"#).unwrap();
        assert_eq!(r, Request::GetPrices { service: Some("tg".into()), country: None });
        assert!(build(&so, &r).unwrap().url.ends_with("action=getPrices&service=tg"));
        let r = Request::from_json(r#"{"method":"getContinueRentPrice","id":"7","rent_time":4}"#).unwrap();
        assert_eq!(r, Request::GetContinueRentPrice { id: "7".into(), rent_time: 4 });
        let c = build(&so, &r).unwrap();
        assert!(!c.spends_money && c.url.ends_with("&id=7&rent_time=4&time=4"));
        assert_eq!(
            c.parse(&crate::http::HttpResponse::ok(r#"{"status":"success","price":"1.5"}"#)),
            Ok(Value::from(1.5))
        );
        let r = Request::from_json(r#"{"method":"getRentHistory","from":1700000000,"limit":50}"#).unwrap();
        assert_eq!(r, Request::RentHistory { from: Some(1700000000), to: None, offset: None, limit: Some(50) });
        assert!(build(&so, &r).unwrap().url.ends_with("action=getRentHistory&from=1700000000&limit=50"));
        assert!(matches!(
            build(&so, &Request::RentHistory { from: None, to: None, offset: None, limit: Some(101) }),
            Err(ProviderError::InvalidInput { .. })
        ));
        assert_eq!(
            build(&so, &Request::GetContinueRentPrice { id: "1".into(), rent_time: 5 }).err(),
            Some(ProviderError::BadTime)
        );
        assert_eq!(build(&acc(Provider::Smspva), &r).err(), Some(ProviderError::BadAction));
        let r = Request::from_json(r#"{"method":"continueRentNumber","id":"7","rent_time":8}"#).unwrap();
        assert!(build(&so, &r).unwrap().spends_money);
    }

    #[test]
    fn wrong_provider_method_and_bad_inputs() {
        assert_eq!(build(&acc(Provider::Smsonline), &Request::Orders).err(), Some(ProviderError::BadAction));
        assert_eq!(build(&acc(Provider::Smspva), &Request::GetRentList).err(), Some(ProviderError::BadAction));
        assert_eq!(
            build(&acc(Provider::Smsonline), &Request::SetStatus { id: "1".into(), status: 5 }).err(),
            Some(ProviderError::BadStatus)
        );
        assert_eq!(
            build(&acc(Provider::Smsonline), &Request::ContinueRentNumber { id: "1".into(), rent_time: 5 }).err(),
            Some(ProviderError::BadTime)
        );
        let mut a = acc(Provider::Smspva);
        a.key = " ".into();
        assert_eq!(build(&a, &Request::Orders).err(), Some(ProviderError::BadKey));
        assert!(build(&a, &Request::GetCountries).is_ok());
        assert!(matches!(
            build(&acc(Provider::Smspva), &Request::Prolong { id: "1".into(), dtype: "day".into(), dcount: 1 }),
            Err(ProviderError::InvalidInput { .. })
        ));
    }
}
