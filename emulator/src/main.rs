//! `otpdock-emulator [--port N]`: serves both provider protocols on 127.0.0.1
//! until killed. Prints `listening on http://127.0.0.1:PORT` once ready.

fn main() {
    let mut port = 0u16;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).expect("--port needs a number"),
            "--help" | "-h" => {
                println!("usage: otpdock-emulator [--port N]");
                return;
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let emu = otpdock_emulator::Emulator::start(port).expect("bind 127.0.0.1");
    println!("listening on http://{}", emu.addr);
    loop {
        std::thread::park();
    }
}
