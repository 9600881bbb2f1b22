//! The typed messages between the extension's contexts: the content script (and popup) asking
//! the background worker (`Request` → `Response`) and the worker telling a tab (`Notice`). Plain
//! data, no web API: the UI builds requests, `ext::messages` sends them.
//! Externally tagged (`{"SiteStatus": {…}}`, `"Ping"`): an internally tagged enum makes serde buffer
//! every message in its generic `Content` tree, about 13 KB of gzip wasm for nothing.
//! They never carry a secret except `ConnectionTest`, which goes to the worker only. The worker
//! admits each request only from its [`Audience`] (`core::trust`).

use serde::{Deserialize, Serialize};

use super::bindings::Bindings;
use super::companies::Remembered;
use super::piaozone::{ConnectionRequest, Outcome};
use super::progress::Progress;
use super::trust::Audience;

#[derive(Debug, Serialize, Deserialize)]
pub enum Request {
    Ping,
    /// The page's CSP stopped WebAssembly in the content script (sent by the JS loader).
    WasmBlocked {
        #[serde(default)]
        reason: String,
    },
    /// The content script failed to start for another reason (sent by the JS loader).
    StartFailed {
        #[serde(default)]
        reason: String,
    },
    SiteStatus {
        origin: String,
        tab_id: i32,
    },
    /// Sent by the popup once the user granted the origin.
    EnableSite {
        origin: String,
        tab_id: Option<i32>,
    },
    DisableSite {
        origin: String,
    },
    /// The values of the 发票云授权配置 page, for one token call (and the counterpart probe).
    /// `plain_http_confirmed`: the admin confirmed a relay over plain `http://`.
    ConnectionTest {
        request: ConnectionRequest,
        #[serde(default)]
        plain_http_confirmed: bool,
    },
    /// Stops the connection test running for the sender's tab.
    CancelConnectionTest,
    /// Opens the options page on the button that grants `origin`, or adds it to the token
    /// endpoints (a permission request needs a user gesture on an extension page; the content
    /// script cannot ask). Only for the origin this tab's last test found missing.
    OpenPermissionPage {
        origin: String,
    },
    /// The language setting and the checklist of the sender's console.
    LoadStored,
    SaveProgress {
        progress: Progress,
    },
    /// What the sender's console remembers of its companies (`seen:<origin>`).
    LoadSeen,
    SaveSeen {
        seen: Remembered,
    },
    /// The options page's field bindings (JSON text; empty removes them), checked by the worker.
    SaveBindings {
        text: String,
    },
}

impl Request {
    /// Who may send it. The origin a console request is about is always the sender's own.
    pub fn audience(&self) -> Audience {
        match self {
            Request::Ping => Audience::Anyone,
            Request::SiteStatus { .. } | Request::EnableSite { .. } | Request::DisableSite { .. } | Request::SaveBindings { .. } => {
                Audience::ExtensionPages
            }
            Request::WasmBlocked { .. }
            | Request::StartFailed { .. }
            | Request::LoadStored
            | Request::LoadSeen
            | Request::SaveSeen { .. } => Audience::ConsoleFrames,
            Request::ConnectionTest { .. }
            | Request::CancelConnectionTest
            | Request::OpenPermissionPage { .. }
            | Request::SaveProgress { .. } => Audience::ConsoleTop,
        }
    }
}

/// From the extension to a tab's content scripts (`chrome.tabs.sendMessage`: only our own
/// extension can send them).
#[derive(Debug, Serialize, Deserialize)]
pub enum Notice {
    /// The options page's language setting changed (`auto`, `zh-CN`, `en`, or none).
    Lang { setting: Option<String> },
    /// The field bindings (policy and options page, merged) changed: bind again at once.
    Bindings { bindings: Bindings },
    /// The popup asks for the page-structure report (answered with its Markdown text).
    PageReport { lang: super::i18n::Lang },
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub enum Response {
    Pong {
        version: String,
    },
    Ack,
    SiteStatus {
        enabled: bool,
        managed: bool,
        wasm_blocked: bool,
    },
    /// How the connection test ended, as the card shows it.
    ConnectionTest(TestAnswer),
    Stored {
        lang: Option<String>,
        progress: Progress,
        #[serde(default)]
        bindings: Bindings,
    },
    /// The field bindings were checked and saved: how many pages and fields they extend.
    BindingsSaved {
        pages: usize,
        fields: usize,
    },
    Seen {
        seen: Remembered,
    },
    /// The sender may not send this request (`core::trust`).
    Refused {
        reason: String,
    },
    Error {
        message: String,
    },
}

/// How a connection test ended: the shape the card shows, so the UI renders it as it comes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TestAnswer {
    /// Boxed: an outcome is much larger than the other answers.
    Outcome(Box<Outcome>),
    /// The url's origin needs a host permission first: no call was made.
    PermissionNeeded { origin: String },
    /// The url is not among the token endpoints the admin or the policy allowed: no call was made.
    EndpointNotListed { origin: String },
    /// An official Piaozone host over `http://`: no call was made.
    OfficialOverHttp { origin: String },
    /// A relay over plain `http://`: sent only once the admin confirms.
    PlainHttpConfirmation { origin: String },
    /// The worker could not be asked or did not answer as expected (never sent by the worker).
    Failed { message: String },
    /// Cancelled (by the admin, or by a newer test on the same tab): nothing to show.
    Cancelled,
}
