//! The options page and the popup (extension pages: our wasm runs there): mounts their Yew
//! components and gives them the browser (`ui::settings::Browser`): chrome.storage, host access,
//! tabs, the side panel, downloads. Everything else goes to the worker (`ext::messages`).

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::chrome::{self, to_js};
use super::messages::{self, ask_tab};
use crate::core::i18n::Lang;
use crate::core::protocol::{SideAnswer, SideAsk, TabView};
use crate::ui::settings::options::{GrantAsk, Options, OptionsProps};
use crate::ui::settings::popup::{Popup, PopupProps};
use crate::ui::settings::{Browser, Host, Pending};

/// The options page's own rules, after the panel's (whose components it shares).
const SETTINGS_STYLE: &str = include_str!("../ui/settings/settings.css");

/// Starts the options page (`options.html`, or `#grant=<origin>` / `#allow=<origin>` when the
/// connection test opened it for a missing host access).
#[wasm_bindgen]
pub fn start_options() -> Result<(), JsValue> {
    let (window, root) = mount()?;
    let hash = window.location().hash().unwrap_or_default();
    let props = OptionsProps {
        host: Host(Rc::new(ChromeBrowser { tab: None })),
        send: messages::sender(),
        browser_lang: browser_lang(&window),
        dark: prefers_dark(&window),
        grant: grant_ask(&hash),
    };
    yew::Renderer::<Options>::with_root_and_props(root, props).render();
    Ok(())
}

/// Starts the toolbar popup (`popup.html`; `popup.html?tab=<id>` shows that tab instead of the
/// window's active one, as headless Chromium draws no toolbar to open the popup from).
#[wasm_bindgen]
pub fn start_popup() -> Result<(), JsValue> {
    let (window, root) = mount()?;
    let search = window.location().search().unwrap_or_default();
    let tab = search.strip_prefix("?tab=").and_then(|id| id.parse().ok());
    let props = PopupProps {
        host: Host(Rc::new(ChromeBrowser { tab })),
        send: messages::sender(),
        browser_lang: browser_lang(&window),
        dark: prefers_dark(&window),
    };
    yew::Renderer::<Popup>::with_root_and_props(root, props).render();
    Ok(())
}

/// Our styles in the page's head and the element the components render into.
fn mount() -> Result<(web_sys::Window, web_sys::Element), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let style = document.create_element("style")?;
    style.set_text_content(Some(&format!("{}\n{SETTINGS_STYLE}", crate::ui::STYLE)));
    document.head().ok_or("no head")?.append_child(&style)?;
    let root = document.create_element("div")?;
    document.body().ok_or("no body")?.append_child(&root)?;
    Ok((window, root))
}

fn browser_lang(window: &web_sys::Window) -> Lang {
    Lang::pick(None, None, window.navigator().language().as_deref())
}

fn prefers_dark(window: &web_sys::Window) -> bool {
    window.match_media("(prefers-color-scheme: dark)").ok().flatten().is_some_and(|query| query.matches())
}

/// `#grant=<origin>` or `#allow=<origin>`, with a plain origin only (anything else is ignored).
fn grant_ask(hash: &str) -> Option<GrantAsk> {
    let (action, encoded) = hash.strip_prefix('#')?.split_once('=')?;
    let origin = js_sys::decode_uri_component(encoded).ok()?.as_string()?;
    crate::core::site::validate_origin(&origin).ok()?;
    match action {
        "grant" => Some(GrantAsk { origin, add: false }),
        "allow" => Some(GrantAsk { origin, add: true }),
        _ => None,
    }
}

fn origins_js(origins: &[String]) -> JsValue {
    let patterns: Vec<String> = origins.iter().map(|origin| format!("{origin}/*")).collect();
    to_js(&serde_json::json!({ "origins": patterns }))
}

struct ChromeBrowser {
    /// The tab the popup shows, when not the active one.
    tab: Option<i32>,
}

impl Browser for ChromeBrowser {
    fn read_local(&self) -> Pending<Result<Value, String>> {
        Box::pin(async {
            let all = chrome::local_get(&JsValue::NULL).await.map_err(|e| chrome::error_text(&e))?;
            chrome::from_js(&all)
        })
    }

    fn read_managed(&self) -> Pending<Value> {
        // No policy installed (or none for this extension): an empty object, or an error.
        Box::pin(async {
            chrome::managed_get(&JsValue::NULL)
                .await
                .ok()
                .and_then(|all| chrome::from_js(&all).ok())
                .unwrap_or(Value::Object(Default::default()))
        })
    }

    fn write(&self, items: Value) -> Pending<Result<(), String>> {
        Box::pin(async move { chrome::local_set(&to_js(&items)).await.map(|_| ()).map_err(|e| chrome::error_text(&e)) })
    }

    fn request_hosts(&self, origins: Vec<String>) -> Pending<bool> {
        // Called now, inside the caller's click; only the answer is awaited.
        let asked = chrome::permissions_request(&origins_js(&origins));
        Box::pin(async move {
            let Ok(asked) = asked else { return false };
            JsFuture::from(asked).await.is_ok_and(|granted| granted.as_bool() == Some(true))
        })
    }

    fn hosts_granted(&self, origins: Vec<String>) -> Pending<bool> {
        Box::pin(
            async move { chrome::permissions_contains(&origins_js(&origins)).await.is_ok_and(|granted| granted.as_bool() == Some(true)) },
        )
    }

    fn remove_hosts(&self, origins: Vec<String>) -> Pending<()> {
        Box::pin(async move {
            // The manifest's own hosts cannot be removed: that refusal is fine.
            let _ = chrome::permissions_remove(&origins_js(&origins)).await;
        })
    }

    fn download(&self, file_name: &str, text: &str) -> Result<(), String> {
        let error = |e: JsValue| chrome::error_text(&e);
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(error)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(error)?;
        let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
        let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(error)?.unchecked_into();
        link.set_href(&url);
        link.set_download(file_name);
        link.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Ok(())
    }

    fn has_side_panel(&self) -> bool {
        chrome::has_side_panel()
    }

    fn active_tab(&self) -> Pending<Option<(i32, String)>> {
        let fixed = self.tab;
        Box::pin(async move {
            let tab = match fixed {
                Some(id) => chrome::get_tab(id).await.ok()?,
                None => {
                    let tabs = chrome::query_tabs(&to_js(&serde_json::json!({ "active": true, "currentWindow": true }))).await.ok()?;
                    js_sys::Array::from(&tabs).get(0)
                }
            };
            let id: i32 = chrome::read_key(&tab, "id")?;
            let url: String = chrome::read_key(&tab, "url").unwrap_or_default();
            Some((id, url))
        })
    }

    fn tab_view(&self, tab_id: i32) -> Pending<Option<TabView>> {
        Box::pin(async move {
            match ask_tab(tab_id, SideAsk::View).await {
                Ok(SideAnswer::TabView(view)) => Some(*view),
                _ => None,
            }
        })
    }

    fn page_report(&self, tab_id: i32, lang: Lang) -> Pending<Option<String>> {
        Box::pin(async move {
            match ask_tab(tab_id, SideAsk::PageReport { lang }).await {
                Ok(SideAnswer::PageReport { text }) => Some(text),
                _ => None,
            }
        })
    }

    fn open_side_panel(&self, tab_id: i32) -> Pending<Result<(), String>> {
        let opened = chrome::side_panel_open(&to_js(&serde_json::json!({ "tabId": tab_id })));
        Box::pin(async move {
            let opened = opened.map_err(|e| chrome::error_text(&e))?;
            JsFuture::from(opened).await.map(|_| ()).map_err(|e| chrome::error_text(&e))
        })
    }

    fn open_options(&self) {
        wasm_bindgen_futures::spawn_local(async {
            let _ = chrome::open_options_page().await;
        });
    }

    fn close_window(&self) {
        if let Some(window) = web_sys::window() {
            let _ = window.close();
        }
    }
}
