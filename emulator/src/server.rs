//! The HTTP/1.1 server: request parsing, latency and failure injection, routing to the
//! control endpoints and the two protocols, and writing replies.

use crate::{control, smsonline, smspva, Dialect, LogEntry, State, PVA_RATE_LIMIT_MSG};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub(crate) struct Reply {
    pub status: u16,
    pub ctype: &'static str,
    pub body: String,
}

pub(crate) fn text(s: impl Into<String>) -> Reply {
    Reply { status: 200, ctype: "text/plain; charset=utf-8", body: s.into() }
}
pub(crate) fn js(v: Value) -> Reply {
    Reply { status: 200, ctype: "application/json; charset=utf-8", body: v.to_string() }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match h {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_query(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

pub(crate) fn handle(stream: TcpStream, st: &Arc<Mutex<State>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("/").to_string();
    let mut content_len = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                content_len = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; content_len.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mut q = parse_query(query);
    if method == "POST" {
        q.extend(parse_query(&String::from_utf8_lossy(&body)));
    }
    let mut out = stream;
    if method == "OPTIONS" {
        return write_reply(&mut out, &Reply { status: 204, ctype: "text/plain", body: String::new() });
    }
    let (protocol, name) = match path {
        "/stubs/handler_api.php" | "/handler_api.php" => ("smsonline", q.get("action").cloned().unwrap_or_default()),
        "/api/rent.php" | "/rent.php" => ("smspva", q.get("method").cloned().unwrap_or_default()),
        p if p.starts_with("/_emu/") => ("control", p[6..].to_string()),
        _ => ("", String::new()),
    };
    if protocol == "control" {
        let reply = control::control(&name, &q, st);
        return write_reply(&mut out, &reply);
    }
    if protocol.is_empty() {
        return write_reply(
            &mut out,
            &Reply { status: 404, ctype: "text/html", body: "<html><body><h1>404 Not Found</h1></body></html>".into() },
        );
    }
    // request log, SMSPVA min-gap, latency and injected failures
    let (latency, inj) = {
        let mut s = st.lock().unwrap();
        s.log.push(format!("{protocol}:{name}"));
        let at_ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
        let key = q.get("api_key").or_else(|| q.get("apikey")).cloned().unwrap_or_default();
        let mut rate_limited = false;
        if protocol == "smspva" && s.pva_min_gap_ms > 0 {
            // every request counts, refused ones too (as rate limiters do)
            if let Some(last) = s.pva_last_ms.insert(key.clone(), at_ms) {
                rate_limited = at_ms.saturating_sub(last) < s.pva_min_gap_ms;
            }
        }
        s.requests.push(LogEntry { at_ms, protocol: protocol.into(), method: name.clone(), key, rate_limited });
        if rate_limited {
            let status = if s.dialect == Dialect::Live { json!("0") } else { json!(0) };
            drop(s);
            return write_reply(&mut out, &js(json!({"status": status, "msg": PVA_RATE_LIMIT_MSG})));
        }
        let lat = s.latency_ms;
        let pos = s.injections.iter().position(|i| {
            (i.protocol.is_empty() || i.protocol == protocol) && (i.method.is_empty() || i.method == name)
        });
        let inj = pos.map(|p| {
            let i = s.injections[p].clone();
            s.injections[p].count -= 1;
            if s.injections[p].count == 0 {
                s.injections.remove(p);
            }
            i
        });
        (lat, inj)
    };
    if latency > 0 {
        std::thread::sleep(Duration::from_millis(latency));
    }
    let mut mode = inj.as_ref().map(|i| i.mode.clone()).unwrap_or_default();
    if let Some(after) = mode.strip_prefix("after:") {
        // perform the request for real, then lose the answer
        let _ = dispatch(protocol, &name, &q, st);
        mode = after.to_string();
    }
    let reply = match mode.as_str() {
        "" => dispatch(protocol, &name, &q, st),
        "html" => Reply { status: 502, ctype: "text/html", body: "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>".into() },
        "html200" => Reply { status: 200, ctype: "text/html", body: "<html><body>Technical works. Please wait.</body></html>".into() },
        "malformed" => Reply { status: 200, ctype: "application/json", body: "{\"status\":\"success\",\"values\":{\"0\":{\"text\":\"trunc".into() },
        "empty" => Reply { status: 200, ctype: "text/plain", body: String::new() },
        "timeout" => {
            std::thread::sleep(Duration::from_millis(inj.as_ref().map(|i| i.delay_ms).filter(|d| *d > 0).unwrap_or(15_000)));
            return Ok(());
        }
        m if m.starts_with("status:") => Reply { status: m[7..].parse().unwrap_or(500), ctype: "text/plain", body: String::new() },
        // the `{"title","details"}` error shape of newer sms-activate family servers, HTTP 400
        m if m.starts_with("title:") => Reply {
            status: 400,
            ctype: "application/json",
            body: json!({"title": &m[6..], "details": "Request rejected"}).to_string(),
        },
        // a server page that echoes the request URL (and so the key) back
        "echo" => text(format!("Unknown request {target}")),
        "echojson" => js(json!({"status": "error", "message": format!("BAD_REQUEST {target}")})),
        "echohtml" => Reply { status: 500, ctype: "text/html", body: format!("<html><body>Error in {target}</body></html>") },
        m if m.starts_with("code:") => {
            let code = &m[5..];
            if protocol == "smspva" {
                js(json!({"status": 0, "msg": code}))
            } else if smsonline::is_json_action(&name) {
                js(json!({"status": "error", "message": code}))
            } else {
                text(code)
            }
        }
        other => text(format!("UNKNOWN_INJECTION:{other}")),
    };
    write_reply(&mut out, &reply)
}

fn write_reply(out: &mut TcpStream, r: &Reply) -> std::io::Result<()> {
    let reason = match r.status {
        200 => "OK",
        204 => "No Content",
        404 => "Not Found",
        502 => "Bad Gateway",
        _ => "Status",
    };
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: GET, POST, OPTIONS\r\nAccess-Control-Allow-Headers: *\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        r.status,
        reason,
        r.ctype,
        r.body.len()
    );
    out.write_all(head.as_bytes())?;
    out.write_all(r.body.as_bytes())?;
    out.flush()
}

fn dispatch(protocol: &str, name: &str, q: &HashMap<String, String>, st: &Arc<Mutex<State>>) -> Reply {
    let mut s = st.lock().unwrap();
    s.tick();
    if protocol == "smspva" {
        smspva::pva(name, q, &mut s)
    } else {
        smsonline::so(name, q, &mut s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_decoding() {
        let q = parse_query("text=Code%3A+123%20456&x=%E2%82%BD");
        assert_eq!(q["text"], "Code: 123 456");
        assert_eq!(q["x"], "₽");
    }
}
