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
use super::company_list::{CompareState, ListCompany};
use super::guide::Branch;
use super::i18n::Lang;
use super::piaozone::{ConnectionRequest, EnvironmentRow, Outcome};
use super::progress::Progress;
use super::trust::Audience;
use super::validate::Severity;

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
    /// The guide's English texts (`english.json`), which the page module leaves out.
    English,
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
    /// The in-page launcher asks for the side panel on its tab (`background.js` opens it while
    /// the click's user gesture lasts; the worker only acknowledges).
    OpenSidePanel,
    /// The top frame's assistant changed what the side panel shows; the worker passes it on to
    /// the extension's pages as [`PanelNotice::TabView`].
    TabView {
        view: TabView,
    },
    /// The no-wasm content script (a page whose CSP forbids WebAssembly) saw the page change;
    /// passed on as [`PanelNotice::TabChanged`].
    PageChanged,
    /// The side panel asks the top frame of console tab `tab_id` (passed on as [`Notice::Side`]).
    SidePanel {
        tab_id: i32,
        ask: SideAsk,
    },
    /// The side panel of a tab whose page cannot run wasm keeps that console's checklist itself.
    SideStored {
        tab_id: i32,
    },
    SideSaveProgress {
        tab_id: i32,
        progress: Progress,
    },
    /// The side panel's connection test, with the values the tab's page had at the admin's click.
    SideConnectionTest {
        tab_id: i32,
        request: ConnectionRequest,
        #[serde(default)]
        plain_http_confirmed: bool,
    },
    /// The options page's 测试 of an environment row as typed (saved or not), with the keys typed
    /// on that page: `request.url` is one of the row's bases.
    SettingsConnectionTest {
        environment: EnvironmentRow,
        request: ConnectionRequest,
        #[serde(default)]
        plain_http_confirmed: bool,
    },
}

impl Request {
    /// Who may send it. The origin a console request is about is always the sender's own.
    pub fn audience(&self) -> Audience {
        match self {
            Request::Ping => Audience::Anyone,
            Request::SiteStatus { .. }
            | Request::EnableSite { .. }
            | Request::DisableSite { .. }
            | Request::SaveBindings { .. }
            | Request::SidePanel { .. }
            | Request::SideStored { .. }
            | Request::SideSaveProgress { .. }
            | Request::SideConnectionTest { .. }
            | Request::SettingsConnectionTest { .. } => Audience::ExtensionPages,
            Request::WasmBlocked { .. }
            | Request::StartFailed { .. }
            | Request::PageChanged
            | Request::LoadStored
            | Request::English
            | Request::LoadSeen
            | Request::SaveSeen { .. } => Audience::ConsoleFrames,
            Request::ConnectionTest { .. }
            | Request::CancelConnectionTest
            | Request::OpenPermissionPage { .. }
            | Request::SaveProgress { .. }
            | Request::OpenSidePanel
            | Request::TabView { .. } => Audience::ConsoleTop,
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
    PageReport { lang: Lang },
    /// Where the checklist lives changed (options page): in the side panel, or in the page.
    Checklist { in_side: bool },
    /// From the side panel, through the worker, to the tab's top frame.
    Side(SideAsk),
}

/// What the side panel asks of its tab's top frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SideAsk {
    /// What the panel shows now (answered `SideAnswer::TabView`); it also starts the tab's updates.
    /// A page whose CSP forbids wasm answers every ask but `Reveal` with `SideAnswer::Snapshot`.
    View,
    Act(PanelAction),
    /// The page-structure report (answered `SideAnswer::PageReport`).
    PageReport {
        lang: Lang,
    },
    /// Scroll to the field with this key (a verdict's) and focus it.
    Reveal {
        key: String,
    },
    /// The page as it is now (the no-wasm content script answers it).
    Snapshot,
}

/// The tab's answer to a [`SideAsk`]: the worker passes it on unread (so the console page's
/// module never decodes a view), or answers `Refused`/`Error` itself, spelt as in [`Response`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SideAnswer {
    /// Boxed: a view is much larger than the other answers.
    TabView(Box<TabView>),
    Snapshot(Snapshot),
    PageReport {
        text: String,
    },
    Ack,
    Refused {
        reason: String,
    },
    Error {
        message: String,
    },
}

/// What the admin did in the side panel's checklist, applied by the tab's assistant (which owns
/// the progress, so page and side panel never disagree).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PanelAction {
    Tick(String),
    ChooseBranch(Branch),
    Reset,
    Dismiss(String),
    /// 对照清单: the side panel is reading this file / read it / could not.
    CompareReading {
        file: String,
    },
    Compare {
        file: String,
        companies: Vec<ListCompany>,
    },
    CompareFailed {
        file: String,
        reason: String,
    },
    ClearComparison,
}

/// From the worker to the extension's pages (`chrome.runtime.sendMessage`): the side panel
/// follows its tab with them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PanelNotice {
    TabView {
        tab_id: i32,
        /// Boxed: a view is much larger than the other notice.
        view: Box<TabView>,
    },
    /// A no-wasm page changed: ask it for a new snapshot.
    TabChanged { tab_id: i32 },
}

/// What the side panel shows of a console tab: the in-page assistant's state, as data. Never a
/// secret: verdict texts name a secret's length or shape, never its value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TabView {
    pub lang: Lang,
    pub dark: bool,
    /// The page detected (guide/pages.toml id).
    pub page: Option<String>,
    pub progress: Progress,
    /// FAQ ids the console's messages matched, newest first.
    pub troubles: Vec<String>,
    /// 对照清单, on a page whose grid shows companies.
    pub compare: Option<CompareState>,
    /// The fields of the page with something to say, in page order.
    pub verdicts: Vec<Verdict>,
    pub last_test: Option<LastTest>,
}

/// One field's verdict, as the side panel lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Names the field for [`SideAsk::Reveal`].
    pub key: String,
    pub field_id: String,
    pub severity: Severity,
    /// The rule of the finding shown (guide/rules.toml).
    pub rule: String,
    pub message: String,
    pub fix: String,
}

/// The tab's last connection test, with the non-secret values it ran with (the doctor command).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastTest {
    pub answer: TestAnswer,
    pub url: String,
    pub client_id: String,
    pub proxy: String,
}

/// A page that cannot run our wasm, as its plain-JS content script sends it: the document's body
/// with each control's current value written into its markup and each element without a layout
/// box marked `data-pa-hidden`, and each control numbered `data-pa-ref` (for `Reveal`).
/// The values include the secrets typed on the page: it travels inside the extension only and is
/// never stored.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub html: String,
    pub url: String,
    #[serde(default)]
    pub lang: Option<String>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Snapshot {{ url: {:?}, html: <{} bytes> }}", self.url, self.html.len())
    }
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
        /// The build's own content-script sites (the dev build's local hosts): always on.
        #[serde(default)]
        declared: bool,
        wasm_blocked: bool,
    },
    /// How the connection test ended, as the card shows it.
    ConnectionTest(TestAnswer),
    Stored {
        lang: Option<String>,
        progress: Progress,
        #[serde(default)]
        bindings: Bindings,
        /// The checklist lives in the side panel (the setting, where the browser has one).
        #[serde(default)]
        in_side: bool,
    },
    /// `english.json` as the extension ships it: a JSON array of the guide's English texts.
    English {
        texts: String,
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

/// Why a reply is not the answer asked for: the worker's error or refusal, no answer at all
/// (the sender's message), or another answer.
pub fn unexpected(reply: Result<Response, String>) -> String {
    match reply {
        Ok(Response::Error { message } | Response::Refused { reason: message }) | Err(message) => message,
        // Its name, not its `Debug`: that would put every answer's formatting in the page module.
        Ok(other) => format!("unexpected answer: {}", other.name()),
    }
}

impl Response {
    fn name(&self) -> &'static str {
        match self {
            Response::Pong { .. } => "Pong",
            Response::Ack => "Ack",
            Response::SiteStatus { .. } => "SiteStatus",
            Response::ConnectionTest(_) => "ConnectionTest",
            Response::Stored { .. } => "Stored",
            Response::English { .. } => "English",
            Response::BindingsSaved { .. } => "BindingsSaved",
            Response::Seen { .. } => "Seen",
            Response::Refused { .. } => "Refused",
            Response::Error { .. } => "Error",
        }
    }
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

impl TestAnswer {
    /// The worker's reply to a connection test, as the card shows it: anything but its answer
    /// becomes `Failed`, saying why ([`unexpected`]).
    pub fn from_reply(reply: Result<Response, String>) -> TestAnswer {
        match reply {
            Ok(Response::ConnectionTest(answer)) => answer,
            other => TestAnswer::Failed { message: unexpected(other) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_that_is_not_the_answer_says_why() {
        assert_eq!(TestAnswer::from_reply(Ok(Response::ConnectionTest(TestAnswer::Cancelled))), TestAnswer::Cancelled);
        let failed = |reply| match TestAnswer::from_reply(reply) {
            TestAnswer::Failed { message } => message,
            other => panic!("{other:?}"),
        };
        assert_eq!(failed(Err("no background worker".into())), "no background worker");
        assert_eq!(failed(Ok(Response::Refused { reason: "refused: x".into() })), "refused: x");
        assert_eq!(failed(Ok(Response::Error { message: "boom".into() })), "boom");
        assert_eq!(failed(Ok(Response::Ack)), "unexpected answer: Ack");
    }
}
