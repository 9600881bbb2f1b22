//! The typed messages between the content script (and popup) and the background worker.
//! They never carry a secret except `ConnectionTest`, which goes to the worker only.

use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Request {
    Ping,
    /// The page's CSP stopped WebAssembly in the content script (sent by the JS loader).
    WasmBlocked { origin: String, #[serde(default)] reason: String },
    /// The content script failed to start for another reason (sent by the JS loader).
    StartFailed { origin: String, #[serde(default)] reason: String },
    SiteStatus { origin: String, tab_id: i32 },
    /// Sent by the popup once the user granted the origin.
    EnableSite { origin: String, tab_id: Option<i32> },
    DisableSite { origin: String },
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type")]
pub enum Response {
    Pong { version: String },
    Ack,
    SiteStatus { enabled: bool, managed: bool, wasm_blocked: bool },
    Error { message: String },
}
