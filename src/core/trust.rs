//! Who may ask the background worker for what. Each extension message comes with the browser's
//! own account of its sender (`chrome.runtime.MessageSender`: filled in by the browser process,
//! not by the sender), and the worker admits a request only from the context that has a reason to
//! send it: site management from the extension's own pages, the connection test from the top
//! frame of a console the admin enabled (or policy lists), for that tab.

use serde::Deserialize;

use super::site::{covers, validate_origin};

/// The parts of `chrome.runtime.MessageSender` the decision reads.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Sender {
    /// The sending extension's id: ours, for every message `runtime.onMessage` receives.
    pub id: Option<String>,
    /// The origin of the sending document (a content script's page, or our own extension origin).
    pub origin: Option<String>,
    pub url: Option<String>,
    pub tab: Option<SenderTab>,
    /// 0 for a tab's top frame; absent for extension pages not in a tab.
    pub frame_id: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct SenderTab {
    pub id: Option<i32>,
}

/// Which contexts a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Harmless to anyone of ours (the liveness ping).
    Anyone,
    /// The popup and the options page: they manage sites and permissions.
    ExtensionPages,
    /// The content script in any frame of an enabled console.
    ConsoleFrames,
    /// The content script in the top frame of an enabled console (the panel, the connection test).
    ConsoleTop,
}

impl Audience {
    /// Whether deciding needs the list of enabled and policy-listed consoles.
    pub fn needs_consoles(self) -> bool {
        matches!(self, Audience::ConsoleFrames | Audience::ConsoleTop)
    }
}

/// Who the worker is talking to, once admitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// The popup, the options page (or a test's extension page).
    ExtensionPage,
    /// Our content script on a console page.
    Console { origin: String, tab_id: i32, top_frame: bool },
    /// Any of ours, not otherwise known (admitted only for [`Audience::Anyone`]).
    Other,
}

/// Admits `sender` for a request meant for `audience`, or says why not. `extension_origin` is
/// ours (`chrome-extension://<id>`); `consoles` the enabled and policy-listed console origins and
/// the manifest's own content-script patterns (`core::site::covers`).
pub fn admit(
    sender: &Sender,
    extension_id: &str,
    extension_origin: &str,
    audience: Audience,
    consoles: &[String],
) -> Result<Caller, String> {
    if sender.id.as_deref() != Some(extension_id) {
        return Err("refused: the message is not from this extension".into());
    }
    let caller = classify(sender, extension_origin);
    let is_console = |origin: &str| consoles.iter().any(|entry| covers(entry, origin));
    let admitted = match (audience, &caller) {
        (Audience::Anyone, _) => true,
        (Audience::ExtensionPages, Caller::ExtensionPage) => true,
        (Audience::ConsoleFrames, Caller::Console { origin, .. }) => is_console(origin),
        (Audience::ConsoleTop, Caller::Console { origin, top_frame, .. }) => *top_frame && is_console(origin),
        _ => false,
    };
    if admitted {
        Ok(caller)
    } else {
        Err(format!("refused: {} may not send this message", caller.describe()))
    }
}

/// The console origin of a tab the side panel asks about (its URL as the browser reports it), or
/// why the side panel gets nothing of it: it shows only a tab of an enabled console.
pub fn console_tab(url: Option<&str>, consoles: &[String]) -> Result<String, String> {
    let origin = url.and_then(super::piaozone::HttpUrl::parse).map(|u| u.origin()).ok_or("refused: the tab shows no web page")?;
    if validate_origin(&origin).is_ok() && consoles.iter().any(|entry| covers(entry, &origin)) {
        Ok(origin)
    } else {
        Err(format!("refused: {origin} is not an enabled console"))
    }
}

fn classify(sender: &Sender, extension_origin: &str) -> Caller {
    let url_is_ours = sender.url.as_deref().and_then(|url| url.strip_prefix(extension_origin)).is_some_and(|rest| rest.starts_with('/'));
    if sender.origin.as_deref() == Some(extension_origin) || (sender.origin.is_none() && url_is_ours) {
        return Caller::ExtensionPage;
    }
    let tab_id = sender.tab.as_ref().and_then(|tab| tab.id);
    match (sender.origin.as_deref(), tab_id, sender.frame_id) {
        // An opaque origin ("null": a sandboxed frame, a data: URL) is no console's.
        (Some(origin), Some(tab_id), Some(frame_id)) if validate_origin(origin).is_ok() => {
            Caller::Console { origin: origin.to_owned(), tab_id, top_frame: frame_id == 0 }
        }
        _ => Caller::Other,
    }
}

impl Caller {
    fn describe(&self) -> String {
        match self {
            Caller::ExtensionPage => "an extension page".into(),
            Caller::Console { origin, top_frame: true, .. } => format!("a page of {origin}"),
            Caller::Console { origin, top_frame: false, .. } => format!("a frame of {origin}"),
            Caller::Other => "an unknown context".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "abcdefghijklmnopabcdefghijklmnop";
    const OURS: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";
    const CONSOLE: &str = "https://erp.example.com";

    fn page(origin: &str, frame_id: i32) -> Sender {
        Sender {
            id: Some(ID.into()),
            origin: Some(origin.into()),
            url: Some(format!("{origin}/ierp/index.html")),
            tab: Some(SenderTab { id: Some(7) }),
            frame_id: Some(frame_id),
        }
    }

    fn popup() -> Sender {
        Sender { id: Some(ID.into()), origin: Some(OURS.into()), url: Some(format!("{OURS}/popup.html")), ..Sender::default() }
    }

    fn admit_for(sender: &Sender, audience: Audience) -> Result<Caller, String> {
        admit(sender, ID, OURS, audience, &[CONSOLE.to_owned()])
    }

    #[test]
    fn site_management_is_for_extension_pages_only() {
        assert_eq!(admit_for(&popup(), Audience::ExtensionPages), Ok(Caller::ExtensionPage));
        // The options page opened in a tab has a tab and a frame, and is still ours.
        let options = Sender { tab: Some(SenderTab { id: Some(3) }), frame_id: Some(0), ..popup() };
        assert_eq!(admit_for(&options, Audience::ExtensionPages), Ok(Caller::ExtensionPage));
        let refused = admit_for(&page(CONSOLE, 0), Audience::ExtensionPages).unwrap_err();
        assert!(refused.contains("a page of https://erp.example.com"), "{refused}");
    }

    #[test]
    fn the_connection_test_is_for_the_top_frame_of_an_enabled_console() {
        assert_eq!(
            admit_for(&page(CONSOLE, 0), Audience::ConsoleTop),
            Ok(Caller::Console { origin: CONSOLE.into(), tab_id: 7, top_frame: true })
        );
        assert!(admit_for(&page(CONSOLE, 4), Audience::ConsoleTop).unwrap_err().contains("a frame of"));
        assert!(admit_for(&page("https://other.example.com", 0), Audience::ConsoleTop).is_err());
        assert!(admit_for(&popup(), Audience::ConsoleTop).is_err());
        // The dev build's static content script: every port of its local host.
        let local = admit(&page("http://127.0.0.1:8786", 0), ID, OURS, Audience::ConsoleTop, &["http://127.0.0.1/*".to_owned()]);
        assert!(local.is_ok(), "{local:?}");
        // Frames may load and save what their page saw, but only on a console.
        assert!(admit_for(&page(CONSOLE, 4), Audience::ConsoleFrames).is_ok());
        assert!(admit_for(&page("https://other.example.com", 4), Audience::ConsoleFrames).is_err());
    }

    #[test]
    fn the_side_panel_gets_only_tabs_of_enabled_consoles() {
        let consoles = [CONSOLE.to_owned(), "http://127.0.0.1/*".to_owned()];
        assert_eq!(console_tab(Some("https://erp.example.com/ierp/index.html?formId=x"), &consoles), Ok(CONSOLE.into()));
        assert_eq!(console_tab(Some("http://127.0.0.1:8786/auth-config.html"), &consoles), Ok("http://127.0.0.1:8786".into()));
        assert!(console_tab(Some("https://mail.example.com/inbox"), &consoles).unwrap_err().contains("not an enabled console"));
        assert!(console_tab(Some("chrome://newtab/"), &consoles).is_err());
        assert!(console_tab(None, &consoles).is_err(), "a tab whose URL the browser does not tell");
    }

    #[test]
    fn opaque_origins_and_other_extensions_are_refused() {
        assert!(admit_for(&page("null", 0), Audience::ConsoleTop).is_err());
        let other = Sender { id: Some("zzzz".into()), ..popup() };
        assert!(admit_for(&other, Audience::Anyone).unwrap_err().contains("not from this extension"));
        let no_tab = Sender { tab: None, ..page(CONSOLE, 0) };
        assert_eq!(admit_for(&no_tab, Audience::Anyone), Ok(Caller::Other));
        assert!(admit_for(&no_tab, Audience::ConsoleFrames).is_err());
    }

    #[test]
    fn an_extension_url_on_a_page_origin_is_not_ours() {
        // The origin decides when present: a page cannot pass for ours by its path.
        let sender = Sender { url: Some(format!("{OURS}/options.html")), ..page(CONSOLE, 0) };
        assert!(admit_for(&sender, Audience::ExtensionPages).is_err());
    }

    #[test]
    fn senders_read_from_the_browsers_shape() {
        let sender: Sender = serde_json::from_value(serde_json::json!({
            "id": ID, "origin": CONSOLE, "url": "https://erp.example.com/ierp/", "frameId": 0,
            "documentId": "X", "tab": { "id": 7, "url": "https://erp.example.com/ierp/", "active": true }
        }))
        .unwrap();
        assert_eq!(sender, Sender { url: Some("https://erp.example.com/ierp/".into()), ..page(CONSOLE, 0) });
    }
}
