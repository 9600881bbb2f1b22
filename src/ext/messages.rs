//! The typed messages between the content script (and popup) and the background worker.
//! Externally tagged (`{"SiteStatus": {…}}`, `"Ping"`): an internally tagged enum makes serde buffer
//! every message in its generic `Content` tree, about 13 KB of gzip wasm for nothing.
//! They never carry a secret except `ConnectionTest`, which goes to the worker only.

use serde::{Deserialize, Serialize};

use super::chrome::{self, to_js};
use crate::core::piaozone::Outcome;

#[derive(Debug, Serialize, Deserialize)]
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
    /// The values of the 发票云授权配置 page, for one token call (and the counterpart probe).
    ConnectionTest { url: String, client_id: String, client_secret: Secret, encrypt_key: Option<Secret> },
    /// Stops the connection test running for the sender's tab.
    CancelConnectionTest,
    /// Opens the options page on the button that grants `origin` (a permission request needs a
    /// user gesture on an extension page; the content script cannot ask).
    OpenPermissionPage { origin: String },
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub enum Response {
    Pong { version: String },
    Ack,
    SiteStatus { enabled: bool, managed: bool, wasm_blocked: bool },
    ConnectionResult { outcome: Outcome },
    /// The base URL's origin is not among the granted hosts, so no call was made.
    HostPermissionNeeded { origin: String },
    /// The test was cancelled (by the admin, or by a newer test on the same tab).
    ConnectionCancelled,
    Error { message: String },
}

/// A Client Secret or Encrypt Key on its way to the worker (redacted in `Debug`, wiped on drop).
pub use crate::core::piaozone::Secret;

/// Sends `request` to the background worker and reads its answer.
pub async fn send(request: &Request) -> Result<Response, String> {
    let reply = chrome::send_message(&to_js(request)).await.map_err(|e| chrome::error_text(&e))?;
    chrome::from_js(&reply).map_err(|e| format!("unexpected answer from the worker: {e}"))
}
