//! `otpdock-emulator [--port N] [--dialect documented|live]`: serves both provider protocols
//! on 127.0.0.1 until killed. Prints `listening on http://127.0.0.1:PORT` once ready.
//! The dialect defaults to `OTPDOCK_EMU_DIALECT` (documented when unset) and can be switched
//! at run time with `/_emu/dialect?set=live`.

use otpdock_emulator::{Dialect, Emulator};

fn main() {
    let mut port = 0u16;
    let mut dialect = Dialect::from_env();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).expect("--port needs a number"),
            "--dialect" => {
                dialect = args.next().and_then(|d| Dialect::parse(&d)).expect("--dialect is documented or live")
            }
            "--help" | "-h" => {
                println!("usage: otpdock-emulator [--port N] [--dialect documented|live]");
                return;
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let emu = Emulator::start_with(port, dialect).expect("bind 127.0.0.1");
    // test.sh and e2e/lib.mjs read the URL from this exact line
    println!("listening on http://{}", emu.addr);
    println!("dialect {}", dialect.as_str());
    loop {
        std::thread::park();
    }
}
