//! `cargo run --example otp -- "SMS text"`: prints the extracted code and WebOTP host.
fn main() {
    for text in std::env::args().skip(1) {
        match otpdock::otp::extract(&text) {
            Some(e) => println!("{}\t{}", e.code, e.host.unwrap_or_default()),
            None => println!("-"),
        }
    }
}
