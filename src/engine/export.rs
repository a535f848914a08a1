//! The options page's export: every rental, its whole SMS history and the spends the
//! engine knows, as CSV or JSON. Sans-IO: the extension only saves the text as a file.
//!
//! "Spends" are what the engine can prove it knows: the price of each rental when the
//! provider said it (SMS.online activations' `activationCost`, rents' `price` of the
//! current period in `getRentList`; SMSPVA's rent API states none), and every spend whose
//! outcome is still unsettled (a journal; amount unknown). API keys are never part of it:
//! accounts are named by their id, provider and the user's label only.
//!
//! CSV (RFC 4180, CRLF): one table, one row per rental, per SMS and per spend, told apart
//! by the `type` column. Fields holding a comma, quote, CR or LF are quoted (quotes doubled);
//! a cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'` so a spreadsheet
//! shows it as text instead of running it as a formula.

use super::view::currency;
use super::{Engine, Record};
use crate::model::{Kind, Provider, State};

const COLUMNS: [&str; 17] = [
    "type",
    "account",
    "account_label",
    "provider",
    "kind",
    "rental_id",
    "number",
    "service",
    "country",
    "state",
    "created",
    "until",
    "amount",
    "currency",
    "sms_from",
    "sms_date",
    "sms_text",
];

/// `2026-12-01T08:57:34Z` (UTC), or empty for none.
pub fn iso(t: Option<i64>) -> String {
    let Some(t) = t else { return String::new() };
    let (days, secs) = (t.div_euclid(86400), t.rem_euclid(86400));
    // days since 1970-01-01 → civil date (H. Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// One CSV cell: defused against formulas, quoted when needed.
pub fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv_row(out: &mut String, cells: &[String]) {
    let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

fn provider_name(p: Provider) -> String {
    match p {
        Provider::Smsonline => "smsonline",
        Provider::Smspva => "smspva",
    }
    .into()
}

fn kind_name(k: Kind) -> String {
    match k {
        Kind::Rent => "rent",
        Kind::Activation => "activation",
    }
    .into()
}

/// As the view and the JSON name it (serde's snake_case).
fn state_name(s: State) -> String {
    match s {
        State::Waiting => "waiting",
        State::Received => "received",
        State::NeedsActivation => "needs_activation",
        State::Activating => "activating",
        State::WaitingRetry => "waiting_retry",
        State::Finished => "finished",
        State::Cancelled => "cancelled",
        State::Revoked => "revoked",
        State::Expired => "expired",
    }
    .into()
}

fn amount(a: Option<f64>) -> String {
    a.map_or(String::new(), super::view::decimals)
}

/// The JSON export: the rentals as the engine keeps them (unix seconds, numbers without `+`),
/// each with its whole SMS history, and the spends.
#[derive(serde::Serialize)]
struct JsonExport<'a> {
    format: &'static str,
    exported_at: i64,
    rentals: Vec<JsonRental<'a>>,
    spends: Vec<JsonSpend<'a>>,
}

#[derive(serde::Serialize)]
struct JsonRental<'a> {
    record: &'a str,
    account_label: String,
    service_name: Option<String>,
    /// The currency of `rental.cost`.
    currency: &'static str,
    bound_host: Option<&'a str>,
    rental: &'a crate::model::Rental,
    sms: &'a [crate::model::Sms],
}

#[derive(serde::Serialize)]
struct JsonSpend<'a> {
    account: &'a str,
    account_label: String,
    kind: String,
    record: Option<&'a str>,
    at: Option<i64>,
    amount: Option<f64>,
    currency: &'static str,
    outcome: &'static str,
}

/// A spend the engine knows: a rental's price, or an unsettled spend.
struct Spend<'a> {
    account: &'a str,
    provider: Provider,
    kind: String,
    record: Option<&'a str>,
    at: Option<i64>,
    amount: Option<f64>,
    outcome: &'static str,
}

impl Engine {
    fn export_records(&self) -> Vec<(&String, &Record)> {
        let mut recs: Vec<(&String, &Record)> =
            self.store.records.iter().filter(|(_, r)| self.accounts.contains_key(&r.account)).collect();
        crate::sort::sort_by(&mut recs, |(_, a), (_, b)| a.rental.created.cmp(&b.rental.created));
        recs
    }

    fn spends(&self) -> Vec<Spend<'_>> {
        let mut v: Vec<Spend> = self
            .export_records()
            .into_iter()
            .filter(|(_, rec)| rec.rental.cost.is_some())
            .map(|(k, rec)| Spend {
                account: &rec.account,
                provider: rec.rental.provider,
                kind: kind_name(rec.rental.kind),
                record: Some(k.as_str()),
                at: rec.rental.created,
                amount: rec.rental.cost,
                outcome: "charged",
            })
            .collect();
        for j in self.journals.values() {
            let Some(acc) = self.accounts.get(&j.account) else { continue };
            v.push(Spend {
                account: &j.account,
                provider: acc.provider,
                kind: j.kind.clone(),
                record: j.record.as_deref(),
                at: Some(j.at),
                amount: None,
                outcome: "unknown",
            });
        }
        v
    }

    /// The export as `csv` or `json` (`None` for another format). `label`: the user's name of an
    /// account ("" when none).
    pub fn export(&self, format: &str, label: &dyn Fn(&str) -> String, now: i64) -> Option<String> {
        let recs = self.export_records();
        match format {
            "json" => {
                let rentals = recs
                    .iter()
                    .map(|(k, rec)| JsonRental {
                        record: k,
                        account_label: label(&rec.account),
                        service_name: super::view::service_name(&rec.rental),
                        currency: currency(rec.rental.provider),
                        bound_host: rec.tab_host.as_deref(),
                        rental: &rec.rental,
                        sms: &rec.sms,
                    })
                    .collect();
                let spends = self
                    .spends()
                    .into_iter()
                    .map(|s| JsonSpend {
                        account_label: label(s.account),
                        currency: currency(s.provider),
                        account: s.account,
                        kind: s.kind,
                        record: s.record,
                        at: s.at,
                        amount: s.amount,
                        outcome: s.outcome,
                    })
                    .collect();
                serde_json::to_string(&JsonExport { format: "otpdock-export-1", exported_at: now, rentals, spends })
                    .ok()
            }
            "csv" => {
                let mut out = String::new();
                csv_row(&mut out, &COLUMNS.map(String::from));
                for (_, rec) in &recs {
                    let r = &rec.rental;
                    let base = |ty: &str| {
                        vec![
                            ty.to_string(),
                            rec.account.clone(),
                            label(&rec.account),
                            provider_name(r.provider),
                            kind_name(r.kind),
                            r.id.clone(),
                            r.number.clone(),
                            super::view::service_name(r).unwrap_or_else(|| r.service.clone()),
                            r.country.clone().unwrap_or_default(),
                            state_name(r.state),
                            iso(r.created),
                            iso(r.until),
                        ]
                    };
                    let mut row = base("rental");
                    row.extend([amount(r.cost), r.cost.map_or("", |_| currency(r.provider)).into()]);
                    row.extend([String::new(), String::new(), String::new()]);
                    csv_row(&mut out, &row);
                    for m in rec.sms.iter().rev() {
                        let mut row = base(if m.other { "sms_other_service" } else { "sms" });
                        row.extend([String::new(), String::new(), m.from.clone(), iso(Some(m.date)), m.text.clone()]);
                        csv_row(&mut out, &row);
                    }
                }
                for s in self.spends() {
                    let rec = s.record.and_then(|k| self.store.records.get(k));
                    let r = rec.map(|x| &x.rental);
                    csv_row(
                        &mut out,
                        &[
                            format!("spend_{}", s.outcome),
                            s.account.to_string(),
                            label(s.account),
                            provider_name(s.provider),
                            s.kind.clone(),
                            r.map(|r| r.id.clone()).unwrap_or_default(),
                            r.map(|r| r.number.clone()).unwrap_or_default(),
                            r.map(|r| super::view::service_name(r).unwrap_or_else(|| r.service.clone()))
                                .unwrap_or_default(),
                            r.and_then(|r| r.country.clone()).unwrap_or_default(),
                            String::new(),
                            iso(s.at),
                            String::new(),
                            amount(s.amount),
                            currency(s.provider).into(),
                            String::new(),
                            String::new(),
                            String::new(),
                        ],
                    );
                }
                Some(out)
            }
            _ => None,
        }
    }
}

/// Open SMS.online rents of `account` that end within `window_s` of `now` (they are not
/// renewed by themselves: the user would have to prolong them), with their known prices.
pub fn due_renewals<'a>(
    recs: impl Iterator<Item = &'a Record>,
    account: &str,
    now: i64,
    window_s: i64,
) -> (usize, f64, usize) {
    let (mut n, mut sum, mut unknown) = (0, 0.0, 0);
    for rec in recs.filter(|r| r.account == account) {
        let r = &rec.rental;
        let due = r.kind == Kind::Rent && r.state.is_open() && r.until.is_some_and(|u| u > now && u <= now + window_s);
        if !due {
            continue;
        }
        n += 1;
        match r.cost.filter(|c| c.is_finite() && *c >= 0.0) {
            Some(c) => sum += c,
            None => unknown += 1,
        }
    }
    (n, sum, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::view::tests::{engine_with, rental};
    use crate::model::Sms;
    use std::collections::BTreeMap;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("line1\nline2"), "\"line1\nline2\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1 555"), "'+1 555");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(iso(Some(0)), "1970-01-01T00:00:00Z");
        assert_eq!(iso(Some(1_764_579_454)), "2025-12-01T08:57:34Z");
        assert_eq!(iso(Some(951_782_400)), "2000-02-29T00:00:00Z");
    }

    fn sample() -> Engine {
        let mut e = engine_with(vec![
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Rent, "1", 2_000)),
            ("pva", Provider::Smspva, rental(Provider::Smspva, Kind::Rent, "2", 3_000)),
        ]);
        let rec = e.store.records.get_mut("so/smsonline:1").unwrap();
        rec.rental.cost = Some(50.0);
        rec.sms.push(Sms::new("1", "TG".into(), "Code 4821, \"do not\" share\n=cmd|' /C calc'!A0".into(), 100));
        e
    }

    #[test]
    fn csv_holds_rentals_sms_and_spends_and_reads_back_as_the_same_cells() {
        let e = sample();
        let labels = BTreeMap::from([("so".to_string(), "Main, \"personal\"".to_string())]);
        let labels = |a: &str| labels.get(a).cloned().unwrap_or_default();
        let csv = e.export("csv", &labels, 5_000).unwrap();
        assert!(!csv.contains("kkkkkkkk"), "never the key");
        // a minimal RFC 4180 reader: the rows come back with the exact texts
        let rows = read_csv(&csv);
        assert_eq!(rows[0], COLUMNS.map(String::from).to_vec());
        assert!(rows.iter().all(|r| r.len() == COLUMNS.len()), "{rows:?}");
        let sms = rows.iter().find(|r| r[0] == "sms").unwrap();
        assert_eq!(sms[16], "Code 4821, \"do not\" share\n=cmd|' /C calc'!A0");
        assert_eq!(sms[2], "Main, \"personal\"");
        let spend = rows.iter().find(|r| r[0] == "spend_charged").unwrap();
        assert_eq!((spend[6].as_str(), spend[12].as_str(), spend[13].as_str()), ("79000000001", "50.00", "USD"));
        assert_eq!(rows.iter().filter(|r| r[0] == "rental").count(), 2);
        // a text starting like a formula is defused
        let mut e = e;
        e.store.records.get_mut("pva/smspva:2").unwrap().sms.push(Sms::new("2", "X".into(), "=1+1".into(), 1));
        let rows = read_csv(&e.export("csv", &labels, 5_000).unwrap());
        assert_eq!(rows.iter().find(|r| r[0] == "sms" && r[5] == "2").unwrap()[16], "'=1+1");
    }

    #[test]
    fn json_holds_the_same_and_no_key() {
        let e = sample();
        let j: serde_json::Value = serde_json::from_str(&e.export("json", &|_| String::new(), 5_000).unwrap()).unwrap();
        assert_eq!(j["rentals"].as_array().unwrap().len(), 2);
        let so = j["rentals"].as_array().unwrap().iter().find(|r| r["rental"]["id"] == "1").unwrap();
        assert_eq!(so["rental"]["number"], "79000000001");
        assert_eq!(so["service_name"], "Telegram");
        assert_eq!(so["sms"][0]["text"], "Code 4821, \"do not\" share\n=cmd|' /C calc'!A0");
        assert_eq!(j["spends"][0]["amount"], 50.0);
        assert_eq!(j["spends"][0]["currency"], "USD");
        assert!(!j.to_string().contains("kkkkkkkk"));
        assert!(e.export("xml", &|_| String::new(), 0).is_none());
    }

    #[test]
    fn renewals_due_within_24_hours_are_counted_with_their_known_prices() {
        let mut e = engine_with(vec![
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Rent, "1", 1_000 + 3_600)),
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Rent, "2", 1_000 + 20 * 3_600)),
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Rent, "3", 1_000 + 30 * 3_600)),
            ("so", Provider::Smsonline, rental(Provider::Smsonline, Kind::Activation, "4", 1_000 + 600)),
        ]);
        e.store.records.get_mut("so/smsonline:1").unwrap().rental.cost = Some(50.0);
        let (n, sum, unknown) = due_renewals(e.store.records.values(), "so", 1_000, 86_400);
        assert_eq!((n, sum, unknown), (2, 50.0, 1));
    }

    fn read_csv(s: &str) -> Vec<Vec<String>> {
        let (mut rows, mut row, mut f, mut q) = (vec![], vec![], String::new(), false);
        let mut it = s.chars().peekable();
        while let Some(c) = it.next() {
            match (q, c) {
                (true, '"') if it.peek() == Some(&'"') => {
                    it.next();
                    f.push('"');
                }
                (true, '"') => q = false,
                (true, c) => f.push(c),
                (false, '"') => q = true,
                (false, ',') => row.push(std::mem::take(&mut f)),
                (false, '\r') => {}
                (false, '\n') => {
                    row.push(std::mem::take(&mut f));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => f.push(c),
            }
        }
        rows
    }
}
