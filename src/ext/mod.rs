//! Extension contexts: the content script, the background worker, the messages between them and
//! the extension APIs they use.

pub mod background;
mod chrome;
pub mod connection;
pub mod content;
mod marks;
pub mod messages;
mod overlays;
