//! Engine CPU of one full poll tick and the bytes it writes, at a realistic size
//! (100 open rentals) and at 10× (1000), each with 20 SMS already stored.
//! SMS.online (one status call per rent) and SMSPVA (one orders call, SMS only for new ones).
//! `--check` fails when a 1000-rental tick takes more than 50 ms or writes more than the change.
use otpdock::api::Account;
use otpdock::engine::Engine;
use otpdock::http::HttpResponse;
use otpdock::model::Provider;
use std::time::Instant;

fn account(p: Provider) -> Account {
    Account {
        id: "acc".into(),
        provider: p,
        key: "k".into(),
        base: Some("http://127.0.0.1:9/x".into()),
        tz_offset_min: Some(0),
        learned_tz_offset_min: None,
    }
}

fn query(url: &str, k: &str) -> String {
    url.split(['?', '&']).find_map(|kv| kv.strip_prefix(&format!("{k}="))).unwrap_or("").to_string()
}

/// The provider, answering from fixed data: `n` open rentals, 20 SMS each, `extra` newer SMS on rental 0.
fn answer(p: Provider, url: &str, n: usize, extra: usize) -> HttpResponse {
    let sms_of = |id: usize, count: usize| -> Vec<String> {
        (0..count)
            .map(|j| {
                let secs = 1_700_000_000 + (id * 100 + j) as i64 * 60;
                let d = secs / 86400;
                let t = secs % 86400;
                // civil date of day number d (days since 1970-01-01), good enough for 2023
                let (y, m, day) = civil(d);
                format!(
                    r#"{{"phoneFrom":"Service","text":"Your code is {:06}. Do not share it.","service":"tg","date":"{y:04}-{m:02}-{day:02} {:02}:{:02}:{:02}"}}"#,
                    (id * 7919 + j * 104729) % 1_000_000,
                    t / 3600,
                    t % 3600 / 60,
                    t % 60
                )
            })
            .collect()
    };
    let body = match p {
        Provider::Smsonline => match query(url, "action").as_str() {
            "getRentList" => {
                let v: Vec<String> = (0..n)
                    .map(|i| format!(r#"{{"id":"{}","phone":"7900{:07}","price":"1","hours":"4"}}"#, i + 1, i))
                    .collect();
                format!(r#"{{"status":"success","values":[{}]}}"#, v.join(","))
            }
            "getRentStatus" => {
                let id: usize = query(url, "id").parse().unwrap();
                let page: usize = query(url, "page").parse().unwrap_or(0);
                let total = 20 + if id == 1 && extra != FIRST { extra } else { 0 };
                let all = sms_of(id, total);
                let newest_first: Vec<String> = all.into_iter().rev().skip(page * 10).take(10).collect();
                let values: Vec<String> =
                    newest_first.iter().enumerate().map(|(i, s)| format!(r#""{i}":{s}"#)).collect();
                format!(r#"{{"status":"success","quantity":"{total}","values":{{{}}}}}"#, values.join(","))
            }
            "getActiveActivations" => r#"{"status":"error","message":"NO_ACTIVATIONS"}"#.to_string(),
            "getBalance" => "ACCESS_BALANCE:100.00".to_string(),
            other => panic!("unexpected {other}"),
        },
        Provider::Smspva => match query(url, "method").as_str() {
            "orders" => {
                let v: Vec<String> = (0..n)
                    .map(|i| {
                        format!(
                            r#"{{"id":{},"pnumber":"900{:07}","ccode":"+7","service":"opt16","service_name":"Instagram","country":"RU","state":1,"until":1800000000,"can_prolong":false,"prolong_max_days":0,"hasnewsms":{}}}"#,
                            i + 1,
                            i,
                            (i == 0 && extra > 0) || extra == FIRST
                        )
                    })
                    .collect();
                format!(r#"{{"status":1,"data":[{}]}}"#, v.join(","))
            }
            "sms" => {
                let id: usize = query(url, "id").parse().unwrap();
                let list: Vec<String> = (0..20 + if extra == FIRST { 0 } else { extra })
                    .map(|j| {
                        format!(
                            r#"{{"text":"Code {:06}","sender":"IG","date":{}}}"#,
                            (id * 31 + j) % 1_000_000,
                            1_700_000_000 + j * 60
                        )
                    })
                    .collect();
                format!(r#"{{"status":1,"data":[{}]}}"#, list.join(","))
            }
            other => panic!("unexpected {other}"),
        },
    };
    HttpResponse { status: 200, content_type: "text/plain".into(), body }
}

/// `extra` on the first sync: every SMSPVA order announces new SMS.
const FIRST: usize = usize::MAX;

fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Runs full ticks until every account's queue is empty; returns (engine CPU seconds, answers, bytes written).
fn tick(
    e: &mut Engine,
    p: Provider,
    now: &mut i64,
    n: usize,
    extra: usize,
    answers: &mut Vec<(u64, HttpResponse)>,
) -> (f64, usize, usize) {
    e.poll_now(*now);
    let mut cpu = 0.0;
    let mut count = 0;
    let mut bytes = 0;
    loop {
        let t = Instant::now();
        let out = e.due(*now);
        cpu += t.elapsed().as_secs_f64();
        if out.is_empty() {
            if e.idle() {
                break;
            }
            *now = e.next_wake_ms(*now).max(*now + 1);
            continue;
        }
        // the provider's answers are made outside the timed part
        answers.clear();
        for o in &out {
            answers.push((o.id, answer(p, &o.url, n, extra)));
        }
        let t = Instant::now();
        for (id, r) in answers.drain(..) {
            e.answer(id, Ok(r), *now);
            count += 1;
        }
        let w = e.take_writes();
        let _ = e.take_events();
        cpu += t.elapsed().as_secs_f64();
        bytes += w.bytes();
        // one tick: stop when its last answer is in (the next tick would start on the next `due`)
        if e.idle() {
            break;
        }
    }
    (cpu, count, bytes)
}

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let mut failed = false;
    for p in [Provider::Smsonline, Provider::Smspva] {
        for n in [100usize, 1000] {
            let mut e = Engine::new();
            let mut now = 1_700_100_000_000i64;
            e.load(&otpdock::json::Map::new(), now);
            e.set_accounts(vec![account(p)], now);
            let mut scratch = vec![];
            // first sync: every SMS is new
            let (c0, a0, b0) = tick(&mut e, p, &mut now, n, FIRST, &mut scratch);
            // steady state: nothing changed
            now += 31_000;
            let mut best = f64::MAX;
            let mut steady_bytes = 0;
            let mut answers = 0;
            for _ in 0..5 {
                let (c, a, b) = tick(&mut e, p, &mut now, n, 0, &mut scratch);
                best = best.min(c);
                steady_bytes = steady_bytes.max(b);
                answers = a;
                now += 31_000;
            }
            // one new SMS on one rental
            let (c1, _, b1) = tick(&mut e, p, &mut now, n, 1, &mut scratch);
            let sms: usize = e.store.records.values().map(|r| r.sms.len()).sum();
            println!(
                "engine tick {:?} {n:>4} rentals × 20 SMS ({sms} stored): first sync {:.1} ms ({a0} answers, {} KB written); \
                 steady tick {:.2} ms ({answers} answers, {steady_bytes} B written); one new SMS {:.2} ms ({b1} B written)",
                p,
                c0 * 1e3,
                b0 / 1024,
                best * 1e3,
                c1 * 1e3
            );
            if n == 1000 {
                if best > 0.050 {
                    eprintln!("FAIL: a full tick of 1000 rentals took {:.1} ms (budget 50 ms)", best * 1e3);
                    failed = true;
                }
                if steady_bytes > 2048 {
                    eprintln!("FAIL: an unchanged tick wrote {steady_bytes} bytes");
                    failed = true;
                }
                // one rental's record (20 SMS) at most, plus meta
                let one_record =
                    e.store.records.values().next().map(|r| serde_json::to_string(r).unwrap().len()).unwrap_or(0);
                if b1 > 2 * one_record + 2048 {
                    eprintln!("FAIL: one new SMS wrote {b1} bytes (one record is {one_record})");
                    failed = true;
                }
            }
        }
    }
    if check && failed {
        std::process::exit(1);
    }
}
