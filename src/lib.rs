//! 发票云配置助手 (piaozone-assist): the Piaozone setup guide, inside the Xinghan console.
//!
//! `core` is pure Rust and builds natively (the CLI uses it); the browser layers are behind the
//! `page` (content script) and `worker` (background) features and only observe, render and send
//! messages.

pub mod core;

#[cfg(feature = "page")]
pub mod console;
#[cfg(feature = "browser")]
pub mod ext;
#[cfg(feature = "page")]
pub mod ui;
