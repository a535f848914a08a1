//! What the popup shows and which actions each rental allows, and how the
//! popup's intents become provider requests. The provider rules (status
//! codes, hour lists, the 2-minute and 20-minute cancel windows, prolong
//! limits) live here, not in the popup. Words are locale keys with
//! arguments (`Label`); the extension says them in the user's language.

use super::{Banner, Engine, Record};
use crate::api::Request;
use crate::error::ErrorInfo;
use crate::model::{Kind, Provider, Sms, State};
use crate::vecmap::VecMap;
use serde::Serialize;

/// SMS.online rent durations offered for prolonging (hours).
pub const PROLONG_HOURS: [u32; 8] = [4, 8, 12, 24, 72, 168, 360, 720];
/// SMS.online: a one-off activation can be cancelled only after 2 minutes.
pub const ACTIVATION_CANCEL_AFTER_S: i64 = 120;
/// SMS.online: a rent can be cancelled only in its first 20 minutes (`CANT_CANCEL` after).
pub const RENT_CANCEL_WITHIN_S: i64 = 20 * 60;
/// SMSPVA prolong choices: (unit, count, days).
pub const PVA_PROLONG: [(&str, u32, i64); 4] = [("week", 1, 7), ("week", 2, 14), ("month", 1, 30), ("month", 2, 60)];
/// Renewals due within this window count against the balance (the low-balance warning).
pub const RENEW_WINDOW_S: i64 = 24 * 3600;
/// SMS shown per rental before "show all".
pub const SMS_SHOWN: usize = 3;

/// A locale key and its arguments.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Label {
    pub key: &'static str,
    pub args: Vec<String>,
}

impl crate::json::AsJson for Label {
    /// As its `Serialize` writes it (a test compares the two)
    fn as_json(&self) -> crate::json::Value {
        crate::obj!({"key": self.key, "args": self.args})
    }
}

fn label(key: &'static str, args: &[&dyn ToString]) -> Label {
    Label { key, args: args.iter().map(|a| a.to_string()).collect() }
}

/// The currency a provider prices in. SMS.online documents US dollars; SMSPVA's API numbers
/// carry no unit, and smspva.com shows its prices and balances in US dollars.
pub fn currency(_provider: Provider) -> &'static str {
    "USD"
}

/// The currency of an account's balance: SMS.online documents it in dollars; SMSPVA's rent API
/// has no balance.
pub fn balance_currency(provider: Provider) -> Option<&'static str> {
    match provider {
        Provider::Smsonline => Some("USD"),
        Provider::Smspva => None,
    }
}

/// An account's balance as shown: `12.50 USD` (the options page's key check and the popup).
pub fn balance_text(provider: Provider, amount: f64) -> String {
    match balance_currency(provider) {
        Some(c) => money(amount, c),
        None => decimals(amount),
    }
}

/// An amount with its currency: `12.50 USD`, `0.125 USD` (see [`decimals`]).
pub fn money(amount: f64, currency: &str) -> String {
    format!("{} {currency}", decimals(amount))
}

/// An amount with two decimals, or up to four when it has them (`12.50`, `0.125`, `0.0735`):
/// providers price in fractions of a cent, and a price is never shown rounded to another one.
/// Beyond four decimals it is rounded (a sum of prices, `0.1 + 0.2`, reads `0.30`).
pub fn decimals(amount: f64) -> String {
    // in integers: core's `{:.4}` links its float formatter (Grisu and Dragon, ~9 KB of wasm
    // gzip), which nothing else in the wasm needs
    let scaled = (amount.abs() * 10_000.0).round();
    if scaled.is_nan() || scaled > 1e19 {
        // beyond 10^15 (or not a number): the shortest form that reads back as the same number
        return crate::http::number_text(amount).unwrap_or_else(|| "?".into());
    }
    let n = scaled as u64;
    // no minus on a zero (-0.0, or a tiny negative rounded away)
    let sign = if amount < 0.0 && n != 0 { "-" } else { "" };
    let frac = format!("{:04}", n % 10_000);
    let keep = frac.trim_end_matches('0').len().max(2);
    format!("{sign}{}.{}", n / 10_000, &frac[..keep])
}

fn known(amount: Option<f64>) -> Option<f64> {
    amount.filter(|a| a.is_finite() && *a >= 0.0)
}

/// The price line of a confirmation that spends money: `Price: 12.50 USD`, or, when the
/// price cannot be known before the spend, words that say so (never nothing).
pub fn price_label(amount: Option<f64>, currency: &str) -> Label {
    match known(amount) {
        Some(a) => label("priceIs", &[&money(a, currency)]),
        None => label("priceUnknown", &[]),
    }
}

/// The price as the object of a sentence ("Rent X for $3?"): `12.50 USD` or "an unknown price".
pub fn price_amount(amount: Option<f64>, currency: &str) -> Label {
    match known(amount) {
        Some(a) => Label { key: "", args: vec![money(a, currency)] },
        None => label("priceUnknownShort", &[]),
    }
}

/// What a prolong would cost, as the popup's confirmation says it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Quote {
    pub price: Option<f64>,
    pub currency: &'static str,
    pub label: Label,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: Label,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Action {
    pub intent: &'static str,
    pub label: Label,
    pub primary: bool,
    pub confirm: Option<Label>,
    pub options: Vec<Choice>,
    /// Ask for the price (`quote`) before confirming.
    pub quote: bool,
    pub enable_at: Option<i64>,
    pub disable_at: Option<i64>,
    pub note: Option<Label>,
}

impl Action {
    fn new(intent: &'static str, key: &'static str) -> Action {
        Action {
            intent,
            label: label(key, &[]),
            primary: false,
            confirm: None,
            options: vec![],
            quote: false,
            enable_at: None,
            disable_at: None,
            note: None,
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SmsView {
    pub key: String,
    pub from: String,
    pub text: String,
    pub date: i64,
    pub code: Option<String>,
    pub unseen: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RentalView {
    pub key: String,
    pub account: String,
    pub account_label: String,
    pub provider: Provider,
    pub kind: Kind,
    pub number: String,
    pub state: State,
    pub open: bool,
    pub service: String,
    pub service_name: Option<String>,
    pub country: Option<String>,
    /// ISO 3166 alpha-2 when known (the extension names it in the user's language).
    pub country_iso: Option<String>,
    pub until: Option<i64>,
    pub bound_host: Option<String>,
    pub sms: Vec<SmsView>,
    pub sms_total: usize,
    pub other: Vec<SmsView>,
    pub other_total: usize,
    pub notice: Option<ErrorInfo>,
    pub actions: Vec<Action>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AccountView {
    pub id: String,
    pub provider: Provider,
    pub label: String,
    pub balance: Option<f64>,
    pub currency: Option<&'static str>,
    /// The balance as the popup shows it (`12.50 USD`, see [`money`]).
    pub balance_text: Option<String>,
    pub error: Option<ErrorInfo>,
    pub spending: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct View {
    pub now: i64,
    /// When the view was made, in milliseconds (the popup keeps the latest made, whichever
    /// answer arrives last: a refresh's view, made after its poll, is newer than the views
    /// asked meanwhile, and may hold what no storage change announced).
    pub at_ms: i64,
    pub unseen: usize,
    pub accounts: Vec<AccountView>,
    pub banners: Vec<Banner>,
    pub rentals: Vec<RentalView>,
    /// All rentals, when `rentals` holds only the first ones (a view with a limit).
    pub rentals_total: usize,
}

/// SMS.online's numeric country ids (sms-activate family) and their ISO 3166 alpha-2 codes,
/// `|<id><ISO>|`: a table as data, which a `match` of string arms would make code (1 KB).
const SMSONLINE_COUNTRIES: &str = concat!(
    "|0RU|1UA|2KZ|3CN|4PH|5MM|6ID|7MY|8KE|10VN|11KG|12US|13IL|14HK|15PL|16GB|19NG|21EG|22IN|23IE|",
    "24KH|31ZA|32RO|33CO|34EE|36CA|39AR|40UZ|43DE|44LT|46SE|48NL|49LV|50AT|51BY|52TH|54MX|56ES|62TR|",
    "63CZ|73BR|78FR|86IT|117PT|172DK|175AU|187US|",
);

/// The ISO code of an SMS.online country id.
pub fn smsonline_country_iso(id: &str) -> Option<&'static str> {
    crate::text::keyed_iso(SMSONLINE_COUNTRIES, id)
}

pub fn country_iso(provider: Provider, c: &str) -> Option<String> {
    match provider {
        Provider::Smsonline => smsonline_country_iso(c).map(String::from),
        // SMSPVA uses ISO codes, except the UK
        Provider::Smspva if c == "UK" => Some("GB".into()),
        Provider::Smspva if c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()) => Some(c.to_string()),
        Provider::Smspva => None,
    }
}

/// The service's name: the provider's, else (SMS.online sends codes like "tg") the family's
/// table's; `None` leaves the code.
pub fn service_name(r: &crate::model::Rental) -> Option<String> {
    r.service_name.clone().or_else(|| match r.provider {
        Provider::Smsonline => super::catalogue::service_name(&r.service).map(String::from),
        Provider::Smspva => None,
    })
}

fn sms_view(m: &Sms, unseen: &[String]) -> SmsView {
    SmsView {
        key: m.key.clone(),
        from: m.from.clone(),
        text: m.text.clone(),
        date: m.date,
        code: if m.other { None } else { m.code.clone() },
        unseen: unseen.contains(&m.key),
    }
}

/// The rental's own SMS and the other services' ones (SMSPVA `OtherSms`), newest first.
pub fn history(rec: &Record, limit: usize) -> (Vec<SmsView>, usize, Vec<SmsView>, usize) {
    let own: Vec<&Sms> = rec.sms.iter().filter(|m| !m.other).collect();
    let other: Vec<&Sms> = rec.sms.iter().filter(|m| m.other).collect();
    let v = |l: &[&Sms]| l.iter().take(limit).map(|m| sms_view(m, &rec.unseen)).collect::<Vec<_>>();
    (v(&own), own.len(), v(&other), other.len())
}

/// SMSPVA prolongs only when fewer than 7 days are left: shown, disabled until then.
fn prolong_later(r: &crate::model::Rental, note: Option<Label>) -> Action {
    let mut n = Action::new("prolong-later", "prolong");
    n.note = note;
    match r.until {
        Some(u) => n.enable_at = Some(u - 7 * 86400),
        // no expiry known: not possible now (a `disable_at` in the past)
        None => n.disable_at = Some(0),
    }
    n
}

/// Finishing ends the number for good: asked first.
fn finish(number: &str) -> Action {
    let mut f = Action::new("finish", "finish");
    f.confirm = Some(label("confirmFinish", &[&number]));
    f
}

fn actions(rec: &Record, services: Option<&Vec<(String, String)>>) -> Vec<Action> {
    let r = &rec.rental;
    let mut a = vec![];
    if !r.state.is_open() {
        return a;
    }
    let got = rec.sms.iter().any(|m| !m.other);
    let number = format!("+{}", r.number);
    a.push(Action::new("fill-number", "fill"));
    if rec.spend_unknown.is_some() {
        a.push(Action::new("clear-unknown", "checkedRental"));
    }
    match (r.provider, r.kind) {
        (Provider::Smsonline, Kind::Activation) => {
            if got {
                a.push(Action::new("another-sms", "anotherSms"));
                a.push(finish(&number));
            } else {
                let mut c = Action::new("cancel", "cancel");
                c.enable_at = r.created.map(|t| t + ACTIVATION_CANCEL_AFTER_S);
                a.push(c);
            }
        }
        (Provider::Smsonline, Kind::Rent) => {
            if rec.spend_unknown.is_none() {
                let mut p = Action::new("prolong", "prolong");
                p.options = PROLONG_HOURS
                    .iter()
                    .map(|h| Choice { value: h.to_string(), label: label("hours", &[h]) })
                    .collect();
                p.confirm = Some(label("confirmProlong", &[&number]));
                p.quote = true;
                a.push(p);
            }
            a.push(finish(&number));
            if !got {
                let mut c = Action::new("cancel", "cancel");
                c.disable_at = r.created.map(|t| t + RENT_CANCEL_WITHIN_S);
                a.push(c);
            }
        }
        (Provider::Smspva, _) => {
            if r.state == State::NeedsActivation {
                let mut x = Action::new("activate", "activate");
                x.primary = true;
                a.push(x);
            }
            if r.can_prolong && rec.spend_unknown.is_none() {
                let max = r.prolong_max_days.unwrap_or(0);
                let options: Vec<Choice> = PVA_PROLONG
                    .iter()
                    .filter(|(_, _, days)| *days <= max)
                    .map(|(u, n, _)| Choice {
                        value: format!("{u}:{n}"),
                        label: label(if *u == "week" { "weeks" } else { "months" }, &[n]),
                    })
                    .collect();
                let mut p = Action::new("prolong", "prolong");
                p.note = Some(label("prolongMax", &[&max]));
                if !options.is_empty() {
                    p.options = options;
                    p.confirm = Some(label("confirmProlong", &[&number]));
                    // spends money: the confirmation asks the price list first
                    p.quote = true;
                    a.push(p);
                } else {
                    a.push(prolong_later(r, p.note));
                }
            } else if !r.can_prolong {
                a.push(prolong_later(r, Some(label("prolongLater", &[]))));
            }
            if let Some(list) = services.filter(|l| !l.is_empty()) {
                let mut s = Action::new("add-service", "addService");
                s.options = list
                    .iter()
                    .map(|(c, n)| Choice { value: c.clone(), label: Label { key: "", args: vec![n.clone()] } })
                    .collect();
                a.push(s);
            }
            let mut d = Action::new("delete", "delete");
            d.confirm = Some(label("confirmDelete", &[&number]));
            a.push(d);
        }
    }
    a
}

impl Engine {
    /// The popup's view. `labels` are the accounts' names as the user gave them.
    pub fn view(&self, now: i64, labels: &VecMap<String, String>, limit: Option<usize>) -> View {
        let mut recs: Vec<(&String, &Record)> =
            self.store.records.iter().filter(|(_, r)| self.accounts.contains_key(&r.account)).collect();
        crate::sort::sort_by(&mut recs, |(_, a), (_, b)| {
            b.rental.state.is_open().cmp(&a.rental.state.is_open()).then(b.rental.created.cmp(&a.rental.created))
        });
        let rentals_total = recs.len();
        let rentals = recs
            .into_iter()
            .take(limit.unwrap_or(usize::MAX))
            .map(|(k, rec)| {
                let r = &rec.rental;
                let (sms, sms_total, other, other_total) = history(rec, SMS_SHOWN);
                let services = r
                    .country
                    .as_ref()
                    .and_then(|c| self.services.get(&(rec.account.clone(), c.clone())).map(|s| &s.list));
                RentalView {
                    key: k.clone(),
                    account: rec.account.clone(),
                    account_label: labels.get(&rec.account).cloned().unwrap_or_default(),
                    provider: r.provider,
                    kind: r.kind,
                    number: r.number.clone(),
                    state: r.state,
                    open: r.state.is_open(),
                    service: r.service.clone(),
                    // SMS.online sends codes ("tg"): a name from the family's table, the code as fallback
                    service_name: service_name(r),
                    country: r.country.clone(),
                    country_iso: r.country.as_deref().and_then(|c| country_iso(r.provider, c)),
                    until: r.until,
                    bound_host: rec.tab_host.clone(),
                    sms,
                    sms_total,
                    other,
                    other_total,
                    notice: rec.spend_unknown.map(|_| super::engine_error("OUTCOME_PENDING", true)),
                    actions: actions(rec, services),
                }
            })
            .collect();
        let accounts = self
            .accounts
            .values()
            .map(|a| {
                let balance = self.store.balances.get(&a.id).copied();
                let currency = balance_currency(a.provider);
                AccountView {
                    id: a.id.clone(),
                    provider: a.provider,
                    label: labels.get(&a.id).cloned().unwrap_or_default(),
                    balance,
                    currency,
                    balance_text: balance.map(|b| balance_text(a.provider, b)),
                    error: self.store.errors.get(&a.id).cloned(),
                    spending: self.is_spending(&a.id),
                }
            })
            .collect();
        let mut banners = self.banners.clone();
        banners.extend(self.low_balance(now, &|a| labels.get(a).cloned().unwrap_or_default()));
        View { now, at_ms: now * 1000, unseen: self.store.unseen_count(), accounts, banners, rentals, rentals_total }
    }

    /// Accounts whose balance does not cover prolonging their rentals that end within 24 h.
    /// Neither provider renews a rental by itself (SMS.online rents end at their end date
    /// unless prolonged, SMSPVA's too), so the renewals due are the open SMS.online rents
    /// ending within [`RENEW_WINDOW_S`], each at the price of its current period (`price` in
    /// the rent list). SMSPVA's rent API reports no balance: no warning can be computed there.
    /// Banner `LOW_BALANCE` `[account, balance, needed, rentals]`, or `LOW_BALANCE_PARTIAL`
    /// `[account, balance, needed so far, rentals, rentals of unknown price]`.
    /// `label`: the user's name of an account ("" when none).
    pub fn low_balance(&self, now: i64, label: &dyn Fn(&str) -> String) -> Vec<Banner> {
        let mut out = vec![];
        for a in self.accounts.values().filter(|a| a.provider == Provider::Smsonline) {
            let Some(&bal) = self.store.balances.get(&a.id) else { continue };
            let (n, needed, unknown) =
                super::export::due_renewals(self.store.records.values(), &a.id, now, RENEW_WINDOW_S);
            // cents: a balance equal to the price covers it
            if n == 0 || (needed * 100.0).round() <= (bal * 100.0).round() {
                continue;
            }
            let name = Some(label(&a.id)).filter(|l| !l.is_empty()).unwrap_or_else(|| "SMS.online".into());
            let cur = currency(a.provider);
            let mut params = vec![name, money(bal, cur), money(needed, cur), n.to_string()];
            let code = if unknown > 0 {
                params.push(unknown.to_string());
                "LOW_BALANCE_PARTIAL"
            } else {
                "LOW_BALANCE"
            };
            out.push(Banner { code: code.into(), params, level: "warn" });
        }
        out
    }

    /// The keys of the rentals the popup's filter box keeps for `query`, in no order: the query,
    /// case aside, is in the number, the service (code or name), the country, the account's
    /// label, the bound host, or an SMS (sender, text, code; the whole history, not only the
    /// SMS the view shows). A query of digits and separators (`+7 (900) 12-3`) also matches
    /// the number's digits. An empty query keeps every rental.
    /// `label`: the user's name of an account ("" when none).
    pub fn matches(&self, query: &str, label: &dyn Fn(&str) -> String) -> Vec<String> {
        let q = crate::text::lower(query.trim());
        let digits = crate::model::digits(&q);
        let numeric = !digits.is_empty() && q.chars().all(|c| c.is_ascii_digit() || " +-().".chars().any(|p| p == c));
        let has = |s: &str| !s.is_empty() && crate::text::has(&crate::text::lower(s), &q);
        self.store
            .records
            .iter()
            .filter(|(_, rec)| self.accounts.contains_key(&rec.account))
            .filter(|(_, rec)| {
                let r = &rec.rental;
                if q.is_empty() || (numeric && crate::text::has(&r.number, &digits)) {
                    return true;
                }
                let name = service_name(r);
                has(&format!("+{}", r.number))
                    || has(&r.service)
                    || name.as_deref().is_some_and(has)
                    || r.country.as_deref().is_some_and(has)
                    || has(&label(&rec.account))
                    || rec.tab_host.as_deref().is_some_and(has)
                    || rec.sms.iter().any(|m| has(&m.text) || has(&m.from) || m.code.as_deref().is_some_and(has))
            })
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// The provider request for a popup intent on a rental (`option` as the view offered it).
    pub fn intent_request(
        &self,
        record: &str,
        intent: &str,
        option: Option<&str>,
        now: i64,
    ) -> Result<Request, ErrorInfo> {
        let bad = || super::engine_error("BAD_REQUEST", false);
        let rec = self.store.records.get(record).ok_or_else(|| super::engine_error("NO_RENTAL", false))?;
        let offered = actions(rec, None);
        let allowed = offered.iter().any(|a| a.intent == intent) || intent == "add-service";
        if !allowed {
            return Err(super::engine_error("NOT_ALLOWED", false));
        }
        if let Some(a) = offered.iter().find(|a| a.intent == intent) {
            if a.enable_at.is_some_and(|t| now < t) || a.disable_at.is_some_and(|t| now >= t) {
                return Err(super::engine_error("NOT_ALLOWED_NOW", false));
            }
            if !a.options.is_empty() && !option.is_some_and(|o| a.options.iter().any(|c| c.value == o)) {
                return Err(bad());
            }
        }
        let r = &rec.rental;
        let id = r.id.clone();
        Ok(match (r.provider, r.kind, intent) {
            (Provider::Smsonline, Kind::Activation, "another-sms") => Request::SetStatus { id, status: 3 },
            (Provider::Smsonline, Kind::Activation, "finish") => Request::SetStatus { id, status: 6 },
            (Provider::Smsonline, Kind::Activation, "cancel") => Request::SetStatus { id, status: 8 },
            (Provider::Smsonline, Kind::Rent, "prolong") => {
                Request::ContinueRentNumber { id, rent_time: option.and_then(crate::text::int).ok_or_else(bad)? }
            }
            (Provider::Smsonline, Kind::Rent, "finish") => Request::SetRentStatus { id, status: 1 },
            (Provider::Smsonline, Kind::Rent, "cancel") => Request::SetRentStatus { id, status: 2 },
            (Provider::Smspva, _, "activate") => Request::Activate { id },
            (Provider::Smspva, _, "prolong") => {
                let (u, n) = option.and_then(|o| o.split_once(':')).ok_or_else(bad)?;
                Request::Prolong { id, dtype: u.to_string(), dcount: crate::text::int(n).ok_or_else(bad)? }
            }
            (Provider::Smspva, _, "add-service") => Request::AddServiceToOrder {
                id,
                service: option.filter(|o| !o.is_empty()).ok_or_else(bad)?.to_string(),
                pnumber: r.number.clone(),
            },
            (Provider::Smspva, _, "delete") => Request::Delete { id },
            _ => return Err(bad()),
        })
    }

    /// The price request shown before confirming a prolong: SMS.online's `getContinueRentPrice`,
    /// SMSPVA's price list (`getdata` for the rental's country and the chosen period).
    pub fn quote_request(&self, record: &str, option: Option<&str>) -> Option<Request> {
        let rec = self.store.records.get(record)?;
        match (rec.rental.provider, rec.rental.kind) {
            (Provider::Smsonline, Kind::Rent) => Some(Request::GetContinueRentPrice {
                id: rec.rental.id.clone(),
                rent_time: option.and_then(crate::text::int)?,
            }),
            (Provider::Smspva, _) => {
                let (u, n) = option?.split_once(':')?;
                Some(Request::GetData {
                    country: rec.rental.country.clone()?,
                    dtype: Some(u.to_string()),
                    dcount: crate::text::int(n),
                })
            }
            _ => None,
        }
    }

    /// The quote of a prolong from the answer to [`Engine::quote_request`] (`None`: there was
    /// no request, or it failed). SMSPVA: the rental's service's daily price × the period's
    /// days, labelled as the current price list's (its API has no prolong quote).
    pub fn quote(&self, record: &str, option: Option<&str>, answer: Option<&crate::api::Answer>) -> Quote {
        let provider = self.store.records.get(record).map_or(Provider::Smsonline, |r| r.rental.provider);
        let cur = currency(provider);
        let unknown = Quote { price: None, currency: cur, label: price_label(None, cur) };
        let (Some(rec), Some(answer)) = (self.store.records.get(record), answer) else { return unknown };
        match provider {
            Provider::Smsonline => {
                let price = known(match answer {
                    crate::api::Answer::Amount(x) => Some(*x),
                    _ => None,
                });
                Quote { price, currency: cur, label: price_label(price, cur) }
            }
            Provider::Smspva => {
                let days = PVA_PROLONG.iter().find(|(u, n, _)| option == Some(&format!("{u}:{n}"))).map(|p| p.2);
                let per_day = match answer {
                    crate::api::Answer::Services(l) => {
                        l.iter().find(|s| s.service == rec.rental.service).and_then(|s| s.price_day)
                    }
                    _ => None,
                };
                match (days, known(per_day)) {
                    (Some(d), Some(p)) => {
                        let price = (p * d as f64 * 100.0).round() / 100.0;
                        Quote { price: Some(price), currency: cur, label: label("priceByList", &[&money(price, cur)]) }
                    }
                    _ => unknown,
                }
            }
        }
    }

    /// The confirmation before restoring an archived SMSPVA rental.
    pub fn restore_confirm(number: &str, price: Option<f64>, days: Option<i64>) -> Label {
        let days = days.map_or("?".to_string(), |d| d.to_string());
        let number = format!("+{number}");
        match known(price) {
            Some(p) => label("restoreQuote", &[&number, &money(p, currency(Provider::Smspva)), &days]),
            None => label("restoreQuoteNoPrice", &[&number, &days]),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::api::Account;
    use crate::model::Rental;
    use std::collections::BTreeMap;

    pub(crate) fn engine_with(recs: Vec<(&str, Provider, Rental)>) -> Engine {
        let mut e = Engine::new();
        e.load(&crate::json::Map::new(), 0);
        let accounts = [("so", Provider::Smsonline), ("pva", Provider::Smspva)]
            .into_iter()
            .map(|(id, provider)| Account {
                id: id.into(),
                provider,
                key: "k".repeat(8),
                base: None,
                tz_offset_min: None,
                learned_tz_offset_min: None,
            })
            .collect();
        e.set_accounts(accounts, 0);
        for (account, _, r) in recs {
            let key = format!("{account}/{}", r.uid());
            e.store.records.insert(key, Record { account: account.into(), rental: r, ..Default::default() });
        }
        e
    }

    pub(crate) fn rental(p: Provider, kind: Kind, id: &str, until: i64) -> Rental {
        let mut r = Rental::new(p, kind, id.into(), format!("7900000{id:0>4}"));
        r.until = Some(until);
        r.created = Some(0);
        r.country = Some(if p == Provider::Smspva { "RU".into() } else { "0".into() });
        r.service = if p == Provider::Smspva { "opt16".into() } else { "tg".into() };
        r.can_prolong = true;
        r.prolong_max_days = Some(60);
        r
    }

    #[test]
    fn every_smsonline_country_id_has_its_iso_code() {
        // the table as the match it replaced had it
        let ids = [
            ("0", "RU"),
            ("1", "UA"),
            ("2", "KZ"),
            ("3", "CN"),
            ("4", "PH"),
            ("5", "MM"),
            ("6", "ID"),
            ("7", "MY"),
            ("8", "KE"),
            ("10", "VN"),
            ("11", "KG"),
            ("12", "US"),
            ("13", "IL"),
            ("14", "HK"),
            ("15", "PL"),
            ("16", "GB"),
            ("19", "NG"),
            ("21", "EG"),
            ("22", "IN"),
            ("23", "IE"),
            ("24", "KH"),
            ("31", "ZA"),
            ("32", "RO"),
            ("33", "CO"),
            ("34", "EE"),
            ("36", "CA"),
            ("39", "AR"),
            ("40", "UZ"),
            ("43", "DE"),
            ("44", "LT"),
            ("46", "SE"),
            ("48", "NL"),
            ("49", "LV"),
            ("50", "AT"),
            ("51", "BY"),
            ("52", "TH"),
            ("54", "MX"),
            ("56", "ES"),
            ("62", "TR"),
            ("63", "CZ"),
            ("73", "BR"),
            ("78", "FR"),
            ("86", "IT"),
            ("117", "PT"),
            ("172", "DK"),
            ("175", "AU"),
            ("187", "US"),
        ];
        for (id, iso) in ids {
            assert_eq!(smsonline_country_iso(id), Some(iso), "{id}");
        }
        for unknown in ["9", "17", "1000", "", "RU", "0RU", "-1"] {
            assert_eq!(smsonline_country_iso(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn every_action_that_spends_money_asks_the_price_first() {
        let now = 1_000;
        let e = engine_with(vec![
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Rent, "1", now + 3600)),
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Activation, "2", now + 600)),
            ("pva", Provider::Smspva, rental(Provider::Smspva, Kind::Rent, "3", now + 86400)),
        ]);
        let mut spends = 0;
        for (key, rec) in &e.store.records {
            let acc = e.accounts.get(&rec.account).unwrap();
            for a in actions(rec, None) {
                let option = a.options.first().map(|c| c.value.clone());
                let Ok(req) = e.intent_request(key, a.intent, option.as_deref(), now + 10_000) else { continue };
                if crate::api::build(acc, &req).unwrap().spends_money {
                    spends += 1;
                    assert!(a.quote, "{key} {}: spends money without asking the price", a.intent);
                    assert!(a.confirm.is_some(), "{key} {}: spends money without a confirmation", a.intent);
                    assert!(e.quote_request(key, option.as_deref()).is_some(), "{key} {}", a.intent);
                }
            }
        }
        assert_eq!(spends, 2, "both prolongs were checked");
    }

    #[test]
    fn quotes_say_the_price_with_its_currency_or_that_it_is_unknown() {
        let e = engine_with(vec![
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Rent, "1", 0)),
            ("pva", Provider::Smspva, rental(Provider::Smspva, Kind::Rent, "3", 0)),
        ]);
        use crate::api::Answer;
        let q = e.quote("so/smsonline:1", Some("24"), Some(&Answer::Amount(12.5)));
        assert_eq!(q.label, label("priceIs", &[&"12.50 USD"]));
        let q = e.quote("so/smsonline:1", Some("24"), None);
        assert_eq!((q.price, q.label.key), (None, "priceUnknown"));
        // an answer of another shape (a count is not a price) is no price
        let q = e.quote("so/smsonline:1", Some("24"), Some(&Answer::Count(12)));
        assert_eq!((q.price, q.label.key), (None, "priceUnknown"));
        let day = |service: &str, p: f64| crate::smspva::ServiceOffer {
            name: String::new(),
            service: service.into(),
            price_day: Some(p),
            count: None,
        };
        let list = Answer::Services(vec![day("opt6", 6.0), day("opt16", 5.0)]);
        let q = e.quote("pva/smspva:3", Some("week:2"), Some(&list));
        assert_eq!(q.price, Some(70.0));
        assert_eq!(q.label, label("priceByList", &[&"70.00 USD"]));
        // the rental's service is not in the list: unknown, never another service's price
        let q = e.quote("pva/smspva:3", Some("week:1"), Some(&Answer::Services(vec![day("opt6", 6.0)])));
        assert_eq!(q.label.key, "priceUnknown");
        assert_eq!(
            e.quote_request("pva/smspva:3", Some("month:1")),
            Some(Request::GetData { country: "RU".into(), dtype: Some("month".into()), dcount: Some(1) })
        );
        assert_eq!(Engine::restore_confirm("7909", Some(155.0), Some(3)).args, vec!["+7909", "155.00 USD", "3"]);
        assert_eq!(Engine::restore_confirm("7909", None, None).key, "restoreQuoteNoPrice");
        assert_eq!(price_amount(Some(f64::NAN), "USD").key, "priceUnknownShort");
        // two decimals at least, four at most: a price is never shown as another one
        for (x, shown) in [
            (12.5, "12.50"),
            (3.0, "3.00"),
            (0.125, "0.125"),
            (0.0735, "0.0735"),
            (0.1 + 0.2, "0.30"),
            (1.23456, "1.2346"),
            (0.0, "0.00"),
            (-0.0, "0.00"),
            (-0.00001, "0.00"),
            (-2.5, "-2.50"),
            (1e15, "1000000000000000.00"),
            (2e15, "2000000000000000"),
            (f64::NAN, "?"),
        ] {
            assert_eq!(decimals(x), shown, "{x}");
        }
        // as core's `{:.4}` rounds, trailing zeros past the second decimal dropped, on amounts
        // as providers write them (up to four decimals, up to 10^9) and on sums of them
        let core = |x: f64| {
            let mut s = format!("{x:.4}");
            while s.len() > s.find('.').unwrap() + 3 && s.ends_with('0') {
                s.pop();
            }
            if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
                s.remove(0);
            }
            s
        };
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..200_000u64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let whole = (seed >> 20) % [10, 1000, 1_000_000_000][(i % 3) as usize];
            let x = whole as f64 + ((seed % 10_000) as f64) / 10_000.0;
            let y = if i % 2 == 0 { x } else { x + 0.1 * (i % 7) as f64 };
            let y = if i % 5 == 0 { -y } else { y };
            assert_eq!(decimals(y), core(y), "{y}");
        }
        assert_eq!(money(0.125, "USD"), "0.125 USD");
    }

    #[test]
    fn the_filter_matches_number_service_and_sms_text_case_aside_and_numbers_by_digits() {
        let mut e = engine_with(vec![
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Rent, "1", 0)),
            ("pva", Provider::Smspva, rental(Provider::Smspva, Kind::Rent, "2", 0)),
        ]);
        let so = "so/smsonline:1".to_string();
        let pva = "pva/smspva:2".to_string();
        e.store.records.get_mut(&pva).unwrap().rental.service_name = Some("Instagram".into());
        let text = "Ваш код ВХОДА: 4821, never share it".to_string();
        e.store.records.get_mut(&so).unwrap().sms.push(Sms::new("1", "TG".into(), text, 5));
        let labels = BTreeMap::from([("pva".to_string(), "Work phones".to_string())]);
        let m = |q: &str| {
            let mut v = e.matches(q, &|a| labels.get(a).cloned().unwrap_or_default());
            v.sort();
            v
        };
        assert_eq!(m(""), vec![pva.clone(), so.clone()]);
        assert_eq!(m("telegram"), vec![so.clone()], "the name of the code tg");
        assert_eq!(m("INSTA"), vec![pva.clone()]);
        assert_eq!(m("вход"), vec![so.clone()], "SMS text, case aside beyond ASCII");
        assert_eq!(m("4821"), vec![so.clone()], "a code");
        assert_eq!(m("+7 900-000 (0002)"), vec![pva.clone()], "a number with separators");
        assert_eq!(m("79000000001"), vec![so.clone()]);
        assert_eq!(m("work"), vec![pva.clone()], "the account's label");
        assert!(m("nothing like it").is_empty());
        assert!(m("+").len() == 2, "'+' is in every number");
    }

    #[test]
    fn the_filter_over_1000_rentals_with_20_sms_each_is_fast() {
        let recs = (0..1000)
            .map(|i| ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Rent, &i.to_string(), 0)))
            .collect();
        let mut e = engine_with(recs);
        for rec in e.store.records.values_mut() {
            let id = rec.rental.id.clone();
            for j in 0..20 {
                rec.sms.push(Sms::new(&id, "Sender".into(), format!("Your code is {} for rental {id}", 100000 + j), j));
            }
        }
        let t = std::time::Instant::now();
        let m = e.matches("rental 999", &|_| String::new());
        let took = t.elapsed();
        assert_eq!(m, vec!["so/smsonline:999".to_string()]);
        assert!(took.as_millis() < 500, "{took:?}");
    }

    #[test]
    fn a_balance_short_of_the_renewals_due_within_24_hours_raises_a_banner() {
        let now = 10_000;
        let mut e = engine_with(vec![
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Rent, "1", now + 3_600)),
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Rent, "2", now + 2 * 86_400)),
        ]);
        e.store.records.get_mut("so/smsonline:1").unwrap().rental.cost = Some(50.0);
        e.store.records.get_mut("so/smsonline:2").unwrap().rental.cost = Some(500.0);
        let labels = crate::vecmap::VecMap::from([("so".to_string(), "Main".to_string())]);
        let label = |a: &str| labels.get(a).cloned().unwrap_or_default();
        e.store.balances.insert("so".into(), 50.0);
        assert!(e.low_balance(now, &label).is_empty(), "50 covers the one due within 24 h");
        e.store.balances.insert("so".into(), 49.99);
        let b = e.low_balance(now, &label);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].code.as_str(), b[0].level), ("LOW_BALANCE", "warn"));
        assert_eq!(b[0].params, vec!["Main", "49.99 USD", "50.00 USD", "1"]);
        let v = e.view(now, &labels, None);
        assert_eq!(v.banners, b, "the view carries it");
        assert_eq!(
            v.accounts.iter().find(|a| a.id == "so").and_then(|a| a.balance_text.as_deref()),
            Some("49.99 USD"),
            "the balance as shown"
        );
        // a rental of unknown price: the banner says the sum is a floor
        let mut r = rental(Provider::Smsonline, Kind::Rent, "3", now + 600);
        r.cost = None;
        e.store
            .records
            .insert("so/smsonline:3".into(), Record { account: "so".into(), rental: r, ..Default::default() });
        let b = e.low_balance(now, &label);
        assert_eq!(b[0].code, "LOW_BALANCE_PARTIAL");
        assert_eq!(b[0].params[3..], ["2".to_string(), "1".to_string()]);
        // closed, or already past its end: nothing to prolong
        for k in ["so/smsonline:1", "so/smsonline:3"] {
            e.store.records.get_mut(k).unwrap().rental.state = State::Finished;
        }
        assert!(e.low_balance(now, &label).is_empty());
    }
}
