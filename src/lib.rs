//! 发票云配置助手 (piaozone-assist): the Piaozone setup guide, inside the Xinghan console.
//!
//! `core` is pure Rust and builds natively (the CLI uses it); the browser layers are behind the
//! `web` feature and only observe, render and send messages.

pub mod core;

#[cfg(feature = "web")]
pub mod console;
#[cfg(feature = "web")]
pub mod ext;
#[cfg(feature = "web")]
pub mod ui;
