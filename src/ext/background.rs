//! The background service worker: answers the content script and the popup, registers the
//! content script on the console sites the admin enabled, and shows the CSP badge.

use serde_json::json;
use wasm_bindgen::prelude::*;

use super::chrome::{self, to_js};
use super::connection::{self, TestInput};
use super::messages::{Request, Response};

const SITES_KEY: &str = "sites";

/// Entry for every `chrome.runtime.onMessage` (wired in `background.js`).
#[wasm_bindgen]
pub async fn handle_message(message: JsValue, tab_id: i32) -> JsValue {
    let response = match chrome::from_js::<Request>(&message) {
        Ok(request) => answer(request, tab_id).await.unwrap_or_else(|message| Response::Error { message }),
        Err(e) => Response::Error { message: format!("unknown message: {e}") },
    };
    to_js(&response)
}

/// Re-registers the content script for every enabled or policy-listed console origin
/// (at browser start and install; registrations persist, this repairs a lost one).
#[wasm_bindgen]
pub async fn register_consoles() -> Result<(), JsValue> {
    let mut origins = enabled_sites().await;
    origins.extend(managed_sites().await);
    for origin in origins {
        register(&origin).await.map_err(|e| JsValue::from_str(&e))?;
    }
    Ok(())
}

async fn answer(request: Request, tab_id: i32) -> Result<Response, String> {
    Ok(match request {
        Request::Ping => Response::Pong { version: env!("CARGO_PKG_VERSION").into() },
        Request::WasmBlocked { origin, .. } => {
            flag_wasm_blocked(tab_id, &origin).await;
            Response::Ack
        }
        Request::StartFailed { .. } => Response::Ack,
        Request::SiteStatus { origin, tab_id } => {
            let blocked: Option<String> = session_value(&blocked_key(tab_id)).await;
            Response::SiteStatus {
                enabled: enabled_sites().await.contains(&origin),
                managed: managed_sites().await.contains(&origin),
                wasm_blocked: blocked.as_deref() == Some(origin.as_str()),
            }
        }
        Request::EnableSite { origin, tab_id } => {
            crate::core::site::validate_origin(&origin)?;
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
        Request::ConnectionTest { url, client_id, client_secret, encrypt_key } => {
            connection::test(tab_id, TestInput { url, client_id, client_secret, encrypt_key }).await
        }
        Request::CancelConnectionTest => {
            connection::cancel(tab_id);
            Response::Ack
        }
        Request::OpenPermissionPage { origin } => connection::open_permission_page(&origin).await?,
    })
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
    let granted = chrome::permissions_contains(&to_js(&json!({ "origins": matches })))
        .await
        .map(|v| v.as_bool() == Some(true))
        .unwrap_or(false);
    if !granted {
        return Ok(false);
    }
    let id = script_id(origin);
    let existing = chrome::get_registered_content_scripts(&to_js(&json!({ "ids": [id] })))
        .await
        .map_err(|e| chrome::error_text(&e))?;
    if js_sys::Array::from(&existing).length() == 0 {
        let script = json!([{ "id": id, "matches": matches, "js": ["content.js"], "allFrames": true,
                              "runAt": "document_idle", "persistAcrossSessions": true }]);
        chrome::register_content_scripts(&to_js(&script)).await.map_err(|e| chrome::error_text(&e))?;
    }
    Ok(true)
}

async fn enabled_sites() -> Vec<String> {
    match chrome::local_get(&JsValue::from_str(SITES_KEY)).await {
        Ok(result) => chrome::read_key(&result, SITES_KEY).unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

async fn managed_sites() -> Vec<String> {
    match chrome::managed_get(&JsValue::from_str("consoleOrigins")).await {
        Ok(result) => chrome::read_key(&result, "consoleOrigins").unwrap_or_default(),
        Err(_) => Vec::new(), // no policy installed
    }
}

async fn store_sites(sites: &[String]) -> Result<(), String> {
    chrome::local_set(&to_js(&json!({ SITES_KEY: sites }))).await.map(|_| ()).map_err(|e| chrome::error_text(&e))
}

async fn session_value<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let result = chrome::session_get(&JsValue::from_str(key)).await.ok()?;
    chrome::read_key(&result, key)
}

/// The content script could not run WebAssembly on this tab: badge + title now, details in the popup.
async fn flag_wasm_blocked(tab_id: i32, origin: &str) {
    if tab_id < 0 {
        return;
    }
    let _ = chrome::session_set(&to_js(&json!({ blocked_key(tab_id): origin }))).await;
    let _ = chrome::set_badge_text(&to_js(&json!({ "tabId": tab_id, "text": "!" }))).await;
    let _ = chrome::set_badge_background_color(&to_js(&json!({ "tabId": tab_id, "color": "#c5221f" }))).await;
    let title = "发票云配置助手：此页面的 CSP 禁止 WebAssembly，助手无法运行（点击查看说明）";
    let _ = chrome::set_title(&to_js(&json!({ "tabId": tab_id, "title": title }))).await;
}
