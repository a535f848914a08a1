//! Blocking HTTP/1.1 GET over a plain socket, used to run the sans-IO
//! provider calls natively against the emulator.
#![allow(dead_code)]

use otpdock::http::{Call, HttpResponse};
use otpdock::ProviderError;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub fn get(url: &str, timeout: Duration) -> Result<HttpResponse, ProviderError> {
    let rest = url.strip_prefix("http://").ok_or_else(|| ProviderError::InvalidInput { detail: url.into() })?;
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, "/".into()));
    let mut s = TcpStream::connect(host).map_err(|e| ProviderError::Network { detail: e.to_string() })?;
    s.set_read_timeout(Some(timeout)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
        .map_err(|e| ProviderError::Network { detail: e.to_string() })?;
    let mut raw = Vec::new();
    if let Err(e) = s.read_to_end(&mut raw) {
        return Err(match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => ProviderError::Timeout,
            _ => ProviderError::Network { detail: e.to_string() },
        });
    }
    if raw.is_empty() {
        return Err(ProviderError::Network { detail: "connection closed".into() });
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let content_type = head
        .lines()
        .find_map(|l| {
            l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    Ok(HttpResponse { status, content_type, body: body.to_string() })
}

pub fn run<T: 'static>(call: &Call<T>) -> Result<T, ProviderError> {
    run_with(call, Duration::from_secs(3))
}

pub fn run_with<T: 'static>(call: &Call<T>, timeout: Duration) -> Result<T, ProviderError> {
    let resp = get(&call.url, timeout)?;
    call.parse(&resp)
}

/// Calls an emulator control endpoint and returns its JSON.
pub fn control(emu: &otpdock_emulator::Emulator, path_and_query: &str) -> serde_json::Value {
    let r = get(&emu.url(&format!("/_emu/{path_and_query}")), Duration::from_secs(3)).expect("control call");
    serde_json::from_str(&r.body).expect("control json")
}

/// Both emulator dialects: the published pages and the live shapes.
pub const DIALECTS: [otpdock_emulator::Dialect; 2] =
    [otpdock_emulator::Dialect::Documented, otpdock_emulator::Dialect::Live];

/// The emulator's request log with timestamps and keys (`/_emu/requests`).
pub fn requests(emu: &otpdock_emulator::Emulator) -> Vec<serde_json::Value> {
    control(emu, "requests").as_array().cloned().unwrap_or_default()
}
