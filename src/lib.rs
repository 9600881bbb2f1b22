//! 发票云配置助手 (piaozone-assist): the Piaozone setup guide, inside the Xinghan console.
//!
//! `core` is pure Rust and builds natively (the CLI uses it); the browser layers are behind the
//! `page` (content script), `side` (side panel) and `worker` (background) features and only observe, render and send
//! messages; `lists` is the module the page loads to read a company list file.

pub mod core;

#[cfg(feature = "ui")]
pub mod console;
#[cfg(feature = "browser")]
pub mod ext;
#[cfg(feature = "lists")]
pub mod list_file;
#[cfg(feature = "ui")]
pub mod ui;
