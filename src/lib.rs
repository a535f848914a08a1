//! OTP Dock core: provider clients, typed errors, the rental model, OTP
//! extraction and the policies the extension's background worker follows.
//!
//! Everything here is pure Rust (no `web_sys`), so `cargo test` runs it
//! natively. The browser-facing layer lives in `wasm.rs`, compiled only for
//! `wasm32`.

pub mod api;
pub mod engine;
pub mod error;
pub mod fill;
pub mod http;
pub mod json;
pub mod model;
pub mod otp;
pub mod read;
pub mod seq;
pub mod site;
pub mod smsonline;
pub mod smspva;
pub mod sort;
pub mod text;
pub mod vecmap;

pub use error::{Lang, ProviderError};

#[cfg(target_arch = "wasm32")]
pub mod wasm;
