//! The background service worker: answers the content script and the popup (each request only
//! from the context it is for: `core::trust`), registers the content script on the console sites
//! the admin enabled, keeps their stored state (content scripts cannot reach `chrome.storage`),
//! and shows the CSP badge.

use serde_json::json;
use wasm_bindgen::prelude::*;

use super::chrome::{self, to_js};
use super::connection;
use super::messages::{Notice, Request, Response};
use super::stored::{self, Area};
use super::ENGLISH_FILE;
use crate::core::bindings::Bindings;
use crate::core::piaozone::ConnectionRequest;
use crate::core::protocol::{PanelNotice, SideAsk, TestAnswer};
// The bindings are an object in both areas (older options pages stored the text itself).
use crate::core::settings::{BINDINGS_KEY, CHECKLIST_KEY, LANG_KEY, MANAGED_CONSOLES_KEY, SITES_KEY};
use crate::core::site::{covers, validate_origin};
use crate::core::trust::{self, Caller, Sender};

/// The options page's connection tests, in the place of a tab id (one at a time).
const SETTINGS_TEST: i32 = -2;

/// Entry for every `chrome.runtime.onMessage` (wired in `background.js`), with the browser's
/// `MessageSender`.
#[wasm_bindgen]
pub async fn handle_message(message: JsValue, sender: JsValue) -> JsValue {
    let response = match chrome::from_js::<Request>(&message) {
        Ok(Request::SidePanel { tab_id, ask }) => match admit(&Request::SidePanel { tab_id, ask: ask.clone() }, &sender).await {
            Ok(_) => return ask_tab(tab_id, ask).await,
            Err(reason) => Response::Refused { reason },
        },
        Ok(request) => match admit(&request, &sender).await {
            Ok(caller) => answer(request, caller).await.unwrap_or_else(|message| match message.starts_with("refused:") {
                true => Response::Refused { reason: message },
                false => Response::Error { message },
            }),
            Err(reason) => Response::Refused { reason },
        },
        Err(e) => Response::Error { message: format!("unknown message: {e}") },
    };
    to_js(&response)
}

/// Re-registers the content script for every enabled or policy-listed console origin
/// (at browser start and install; registrations persist, this repairs a lost one).
#[wasm_bindgen]
pub async fn register_consoles() -> Result<(), JsValue> {
    for origin in consoles().await {
        register(&origin).await.map_err(|e| JsValue::from_str(&e))?;
    }
    Ok(())
}

/// The options page changed the language: every open console tab re-words at once.
#[wasm_bindgen]
pub async fn announce_language() {
    notify_consoles(&Notice::Lang { setting: stored::read(Area::Local, LANG_KEY).await }).await;
}

/// The options page moved the checklist (side panel / page): every open console tab follows.
#[wasm_bindgen]
pub async fn announce_checklist() {
    notify_consoles(&Notice::Checklist { in_side: checklist_in_side().await }).await;
}

/// The checklist lives in the side panel unless the admin chose the page, or the browser has none.
async fn checklist_in_side() -> bool {
    let setting: Option<String> = stored::read(Area::Local, CHECKLIST_KEY).await;
    setting.as_deref() != Some("page") && chrome::has_side_panel()
}

/// The field bindings changed (options page or policy): every open console tab binds again.
#[wasm_bindgen]
pub async fn announce_bindings() {
    notify_consoles(&Notice::Bindings { bindings: bindings().await }).await;
}

async fn notify_consoles(notice: &Notice) {
    let notice = to_js(notice);
    for entry in consoles_and_declared().await {
        let pattern = if entry.ends_with("/*") { entry } else { format!("{entry}/*") };
        let Ok(tabs) = chrome::query_tabs(&to_js(&json!({ "url": pattern }))).await else { continue };
        for tab in js_sys::Array::from(&tabs).iter() {
            if let Some(id) = js_sys::Reflect::get(&tab, &JsValue::from_str("id")).ok().and_then(|id| id.as_f64()) {
                // A tab whose content script is not running has no receiver: nothing to update.
                let _ = chrome::send_tab_message(id as i32, &notice).await;
            }
        }
    }
}

/// The policy's bindings, then the options page's. A policy entry that does not check out is
/// left out (the admin of the fleet sees why on the options page); the options page saves only
/// what checks out.
async fn bindings() -> Bindings {
    let policy = stored_bindings(stored::read(Area::Managed, BINDINGS_KEY).await);
    policy.merged(stored_bindings(stored::read(Area::Local, BINDINGS_KEY).await))
}

/// A stored bindings value, checked: an object, or the JSON text of an older options page.
fn stored_bindings(value: Option<serde_json::Value>) -> Bindings {
    let text = match value {
        Some(serde_json::Value::String(text)) => text,
        Some(value) => value.to_string(),
        None => return Bindings::default(),
    };
    Bindings::parse(&text).unwrap_or_default()
}

async fn admit(request: &Request, sender: &JsValue) -> Result<Caller, String> {
    let sender: Sender = chrome::from_js(sender).map_err(|e| format!("refused: no sender ({e})"))?;
    let audience = request.audience();
    let consoles = if audience.needs_consoles() { consoles_and_declared().await } else { Vec::new() };
    let ours = chrome::extension_origin();
    let id = ours.rsplit('/').next().unwrap_or_default();
    trust::admit(&sender, id, &ours, audience, &consoles)
}

async fn answer(request: Request, caller: Caller) -> Result<Response, String> {
    let (origin, tab_id) = match &caller {
        Caller::Console { origin, tab_id, .. } => (origin.clone(), *tab_id),
        _ => (String::new(), -1),
    };
    Ok(match request {
        Request::Ping => Response::Pong { version: env!("CARGO_PKG_VERSION").into() },
        Request::WasmBlocked { .. } => {
            flag_wasm_blocked(tab_id, &origin).await;
            Response::Ack
        }
        Request::StartFailed { .. } => Response::Ack,
        Request::SiteStatus { origin, tab_id } => {
            let blocked: Option<String> = session_value(&blocked_key(tab_id)).await;
            Response::SiteStatus {
                enabled: enabled_sites().await.contains(&origin),
                managed: managed_sites().await.contains(&origin),
                declared: declared_consoles().iter().any(|pattern| covers(pattern, &origin)),
                wasm_blocked: blocked.as_deref() == Some(origin.as_str()),
            }
        }
        Request::EnableSite { origin, tab_id } => {
            validate_origin(&origin)?;
            if !register(&origin).await? {
                return Err("host permission not granted".into());
            }
            let mut sites = enabled_sites().await;
            if !sites.contains(&origin) {
                sites.push(origin);
                store_sites(&sites).await?;
            }
            if let Some(tab_id) = tab_id {
                // Start on the open page too, without a reload.
                let injection = to_js(&json!({ "target": { "tabId": tab_id, "allFrames": true }, "files": ["content.js"] }));
                chrome::execute_script(&injection).await.map_err(|e| chrome::error_text(&e))?;
            }
            Response::Ack
        }
        Request::DisableSite { origin } => {
            let ids = to_js(&json!({ "ids": [script_id(&origin)] }));
            // Already unregistered is fine: the goal is "not registered".
            let _ = chrome::unregister_content_scripts(&ids).await;
            let sites: Vec<String> = enabled_sites().await.into_iter().filter(|s| *s != origin).collect();
            store_sites(&sites).await?;
            Response::Ack
        }
        Request::ConnectionTest { request, plain_http_confirmed } => test_connection(tab_id, &request, plain_http_confirmed).await,
        Request::SideConnectionTest { tab_id, request, plain_http_confirmed } => {
            console_tab(tab_id).await?;
            test_connection(tab_id, &request, plain_http_confirmed).await
        }
        Request::SettingsConnectionTest { environment, request, plain_http_confirmed } => {
            // Not a console tab's test: no 授权 page to remember (the options page asks itself).
            connection::test(SETTINGS_TEST, &request, plain_http_confirmed, Some(&environment)).await
        }
        // background.js opened it, within the click's user gesture.
        Request::OpenSidePanel => Response::Ack,
        Request::TabView { view } => {
            tell_extension_pages(&PanelNotice::TabView { tab_id, view: Box::new(view) }).await;
            Response::Ack
        }
        Request::PageChanged => {
            tell_extension_pages(&PanelNotice::TabChanged { tab_id }).await;
            Response::Ack
        }
        Request::SidePanel { .. } => return Err("the side panel's asks are passed on in handle_message".into()),
        Request::SideStored { tab_id } => {
            let origin = console_tab(tab_id).await?;
            stored(&origin).await?
        }
        Request::SideSaveProgress { tab_id, progress } => {
            let origin = console_tab(tab_id).await?;
            local_set(json!({ progress_key(&origin): progress })).await?;
            Response::Ack
        }
        Request::CancelConnectionTest => {
            connection::cancel(tab_id);
            Response::Ack
        }
        Request::OpenPermissionPage { origin } => {
            // Only what this tab's last test asked for: a forged message cannot pick the origin.
            match session_value::<PermissionPage>(&pending_key(tab_id)).await {
                Some(page) if page.origin == origin => connection::open_permission_page(&page.origin, page.add).await?,
                _ => Response::Refused { reason: format!("refused: no connection test of this tab asked for {origin}") },
            }
        }
        Request::LoadStored => {
            if matches!(caller, Caller::Console { top_frame: true, .. }) {
                clear_wasm_blocked(tab_id).await; // our wasm runs on this tab's page now
            }
            stored(&origin).await?
        }
        Request::English => Response::English { texts: stored::extension_file(ENGLISH_FILE).await? },
        Request::SaveBindings { text } => {
            let checked = Bindings::parse(&text)?;
            if text.trim().is_empty() {
                stored::local_remove(BINDINGS_KEY).await?;
            } else {
                local_set(json!({ BINDINGS_KEY: checked })).await?;
            }
            Response::BindingsSaved { pages: checked.pages.len(), fields: checked.fields.len() }
        }
        Request::SaveProgress { progress } => {
            local_set(json!({ progress_key(&origin): progress })).await?;
            Response::Ack
        }
        Request::LoadSeen => {
            let key = seen_key(&origin);
            let found = stored::get(Area::Local, &key).await.map_err(|e| chrome::error_text(&e))?;
            Response::Seen { seen: chrome::read_key(&found, &key).unwrap_or_default() }
        }
        Request::SaveSeen { seen } => {
            local_set(json!({ seen_key(&origin): seen })).await?;
            Response::Ack
        }
    })
}

/// The language setting, the checklist and the bindings of a console origin.
async fn stored(origin: &str) -> Result<Response, String> {
    let key = progress_key(origin);
    let progress = stored::get(Area::Local, &key).await.map_err(|e| chrome::error_text(&e))?;
    Ok(Response::Stored {
        lang: stored::read(Area::Local, LANG_KEY).await,
        progress: chrome::read_key(&progress, &key).unwrap_or_default(),
        bindings: bindings().await,
        in_side: checklist_in_side().await,
    })
}

/// One connection test for `tab_id`; a missing permission is remembered for that tab's 授权 button.
async fn test_connection(tab_id: i32, request: &ConnectionRequest, plain_http_confirmed: bool) -> Response {
    let response = connection::test(tab_id, request, plain_http_confirmed, None).await;
    if let Response::ConnectionTest(answer @ (TestAnswer::PermissionNeeded { origin } | TestAnswer::EndpointNotListed { origin })) =
        &response
    {
        let page = PermissionPage { origin: origin.clone(), add: matches!(answer, TestAnswer::EndpointNotListed { .. }) };
        let _ = chrome::session_set(&to_js(&json!({ pending_key(tab_id): page }))).await;
    }
    response
}

/// The origin of console tab `tab_id`, or why the side panel may not ask about it.
async fn console_tab(tab_id: i32) -> Result<String, String> {
    let tab = chrome::get_tab(tab_id).await.map_err(|_| format!("refused: no tab {tab_id}"))?;
    let url: Option<String> = chrome::read_key(&tab, "url");
    trust::console_tab(url.as_deref(), &consoles_and_declared().await)
}

/// The side panel's ask, passed to the top frame of console tab `tab_id`; its answer (a
/// `SideAnswer`) comes back unread.
async fn ask_tab(tab_id: i32, ask: SideAsk) -> JsValue {
    if let Err(reason) = console_tab(tab_id).await {
        return to_js(&Response::Refused { reason });
    }
    match chrome::send_frame_message(tab_id, &to_js(&Notice::Side(ask)), &to_js(&json!({ "frameId": 0 }))).await {
        Ok(reply) => reply,
        Err(_) => to_js(&Response::Error { message: "the assistant is not running on this tab (reload the console page)".into() }),
    }
}

/// To the extension's pages (the side panel); none open is fine.
async fn tell_extension_pages(notice: &PanelNotice) {
    let _ = chrome::send_message(&to_js(notice)).await;
}

/// The options page a tab's connection test may open: grant `origin`, and with `add`, first add
/// it to the token endpoints.
#[derive(serde::Serialize, serde::Deserialize)]
struct PermissionPage {
    origin: String,
    add: bool,
}

fn pending_key(tab_id: i32) -> String {
    format!("permission_page:{tab_id}")
}

/// The checklist's storage key: one per console origin (never a secret inside; see core::progress).
fn progress_key(origin: &str) -> String {
    format!("progress:{origin}")
}

/// What one console's pages remember of its companies (core::companies; never a secret field).
fn seen_key(origin: &str) -> String {
    format!("seen:{origin}")
}

fn script_id(origin: &str) -> String {
    format!("console:{origin}")
}

fn blocked_key(tab_id: i32) -> String {
    format!("wasm_blocked:{tab_id}")
}

/// Registers the content script on `origin` if its host permission is granted; `Ok(false)` if not.
async fn register(origin: &str) -> Result<bool, String> {
    let matches = json!([format!("{origin}/*")]);
    let granted =
        chrome::permissions_contains(&to_js(&json!({ "origins": matches }))).await.map(|v| v.as_bool() == Some(true)).unwrap_or(false);
    if !granted {
        return Ok(false);
    }
    let id = script_id(origin);
    let existing = chrome::get_registered_content_scripts(&to_js(&json!({ "ids": [id] }))).await.map_err(|e| chrome::error_text(&e))?;
    if js_sys::Array::from(&existing).length() == 0 {
        let script = json!([{ "id": id, "matches": matches, "js": ["content.js"], "allFrames": true,
                              "runAt": "document_idle", "persistAcrossSessions": true }]);
        chrome::register_content_scripts(&to_js(&script)).await.map_err(|e| chrome::error_text(&e))?;
    }
    Ok(true)
}

/// The enabled and the policy-listed console origins; anything stored that is not a plain
/// origin (a pattern, a path) is never registered nor trusted.
async fn consoles() -> Vec<String> {
    let mut origins = enabled_sites().await;
    origins.extend(managed_sites().await);
    origins.retain(|origin| validate_origin(origin).is_ok());
    origins
}

/// The consoles plus the manifest's own content-script patterns.
async fn consoles_and_declared() -> Vec<String> {
    let mut entries = consoles().await;
    entries.extend(declared_consoles());
    entries
}

/// The manifest's own content-script patterns (the dev build's local hosts, where the content
/// script runs without being enabled).
fn declared_consoles() -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct ContentScript {
        matches: Vec<String>,
    }
    thread_local! {
        /// The manifest does not change while the worker lives: read once.
        static DECLARED: std::cell::OnceCell<Vec<String>> = const { std::cell::OnceCell::new() };
    }
    DECLARED.with(|declared| {
        declared
            .get_or_init(|| {
                let scripts: Vec<ContentScript> = chrome::read_key(&chrome::get_manifest(), "content_scripts").unwrap_or_default();
                scripts.into_iter().flat_map(|script| script.matches).collect()
            })
            .clone()
    })
}

async fn enabled_sites() -> Vec<String> {
    stored::read(Area::Local, SITES_KEY).await.unwrap_or_default()
}

async fn managed_sites() -> Vec<String> {
    stored::read(Area::Managed, MANAGED_CONSOLES_KEY).await.unwrap_or_default() // none without a policy
}

async fn store_sites(sites: &[String]) -> Result<(), String> {
    local_set(json!({ SITES_KEY: sites })).await
}

async fn local_set(items: serde_json::Value) -> Result<(), String> {
    stored::local_set(&items).await
}

async fn session_value<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let result = chrome::session_get(&JsValue::from_str(key)).await.ok()?;
    chrome::read_key(&result, key)
}

/// The tab's top page runs our wasm (a page of the site without the strict CSP): the badge, the
/// title and the popup's alert of an earlier page go.
async fn clear_wasm_blocked(tab_id: i32) {
    if session_value::<String>(&blocked_key(tab_id)).await.is_none() {
        return;
    }
    let _ = chrome::session_set(&to_js(&json!({ blocked_key(tab_id): null }))).await;
    let _ = chrome::set_badge_text(&to_js(&json!({ "tabId": tab_id, "text": "" }))).await;
    let _ = chrome::set_title(&to_js(&json!({ "tabId": tab_id, "title": chrome::i18n_message("extShortName") }))).await;
}

/// The content script could not run WebAssembly on this tab: badge + title now, details in the popup.
async fn flag_wasm_blocked(tab_id: i32, origin: &str) {
    if tab_id < 0 {
        return;
    }
    let _ = chrome::session_set(&to_js(&json!({ blocked_key(tab_id): origin }))).await;
    let _ = chrome::set_badge_text(&to_js(&json!({ "tabId": tab_id, "text": "!" }))).await;
    let _ = chrome::set_badge_background_color(&to_js(&json!({ "tabId": tab_id, "color": "#c5221f" }))).await;
    let title = "发票云配置助手：此页面的 CSP 禁止 WebAssembly，已在侧边栏检查（点击查看说明）";
    let _ = chrome::set_title(&to_js(&json!({ "tabId": tab_id, "title": title }))).await;
}
