//! Extension contexts: the content script, the background worker, the messages between them and
//! the extension APIs they use.

#[cfg(feature = "worker")]
pub mod background;
mod chrome;
#[cfg(feature = "worker")]
pub mod connection;
#[cfg(feature = "page")]
pub mod content;
#[cfg(feature = "page")]
mod english;
#[cfg(feature = "page")]
mod field_checks;
#[cfg(feature = "ui")]
mod list_reader;
#[cfg(feature = "page")]
mod marks;
pub mod messages;
#[cfg(feature = "ui")]
mod page_report;
#[cfg(feature = "settings")]
pub mod settings_page;
#[cfg(feature = "side")]
pub mod side_panel;
#[cfg(feature = "worker")]
pub mod stored;

/// The guide's English texts as the build writes them into the extension (`core::i18n::ENGLISH`).
#[cfg(any(feature = "worker", feature = "page"))]
pub const ENGLISH_FILE: &str = "english.json";
