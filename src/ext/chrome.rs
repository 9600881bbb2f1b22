//! The few extension APIs we call, bound directly (no JS shim). Every call can reject, so each is
//! `catch`: a missing permission becomes an `Err`, never a trap.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = sendMessage, catch)]
    pub async fn send_message(message: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getURL)]
    pub fn get_url(path: &str) -> String;
    /// `listener(message, sender, sendResponse)` for messages to this context.
    #[wasm_bindgen(js_namespace = ["chrome", "runtime", "onMessage"], js_name = addListener)]
    pub fn on_message(listener: &js_sys::Function);
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getManifest)]
    pub fn get_manifest() -> JsValue;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = query, catch)]
    pub async fn query_tabs(query: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = sendMessage, catch)]
    pub async fn send_tab_message(tab_id: i32, message: &JsValue) -> Result<JsValue, JsValue>;
    /// `options` = `{ frameId }`: to one frame of the tab.
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = sendMessage, catch)]
    pub async fn send_frame_message(tab_id: i32, message: &JsValue, options: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = get, catch)]
    pub async fn get_tab(tab_id: i32) -> Result<JsValue, JsValue>;
    /// `listener({ tabId, windowId })`: the side panel follows its window's active tab.
    #[wasm_bindgen(js_namespace = ["chrome", "tabs", "onActivated"], js_name = addListener)]
    pub fn on_tab_activated(listener: &js_sys::Function);
    /// `listener(tabId, changeInfo, tab)`.
    #[wasm_bindgen(js_namespace = ["chrome", "tabs", "onUpdated"], js_name = addListener)]
    pub fn on_tab_updated(listener: &js_sys::Function);
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = create, catch)]
    pub async fn create_tab(properties: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "scripting"], js_name = registerContentScripts, catch)]
    pub async fn register_content_scripts(scripts: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "scripting"], js_name = unregisterContentScripts, catch)]
    pub async fn unregister_content_scripts(filter: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "scripting"], js_name = getRegisteredContentScripts, catch)]
    pub async fn get_registered_content_scripts(filter: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "scripting"], js_name = executeScript, catch)]
    pub async fn execute_script(injection: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = contains, catch)]
    pub async fn permissions_contains(permissions: &JsValue) -> Result<JsValue, JsValue>;
    /// Shows the browser's prompt: only within a user gesture, so it is called at once (not on
    /// a future's first poll) and returns the promise.
    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = request, catch)]
    pub fn permissions_request(permissions: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = remove, catch)]
    pub async fn permissions_remove(permissions: &JsValue) -> Result<JsValue, JsValue>;
    /// Opens the side panel on a tab: only within a user gesture (called at once, as above).
    #[wasm_bindgen(js_namespace = ["chrome", "sidePanel"], js_name = open, catch)]
    pub fn side_panel_open(options: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = openOptionsPage, catch)]
    pub async fn open_options_page() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = setBadgeText, catch)]
    pub async fn set_badge_text(details: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = setBadgeBackgroundColor, catch)]
    pub async fn set_badge_background_color(details: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = setTitle, catch)]
    pub async fn set_title(details: &JsValue) -> Result<JsValue, JsValue>;
    /// A text of `_locales` in the browser's language.
    #[wasm_bindgen(js_namespace = ["chrome", "i18n"], js_name = getMessage)]
    pub fn i18n_message(name: &str) -> String;

    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = get, catch)]
    pub async fn local_get(keys: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = set, catch)]
    pub async fn local_set(items: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = remove, catch)]
    pub async fn local_remove(keys: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = get, catch)]
    pub async fn session_get(keys: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = set, catch)]
    pub async fn session_set(items: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "managed"], js_name = get, catch)]
    pub async fn managed_get(keys: &JsValue) -> Result<JsValue, JsValue>;
}

/// Our extension's origin, `chrome-extension://<id>`.
#[cfg(feature = "worker")]
pub fn extension_origin() -> String {
    get_url("").trim_end_matches('/').to_owned()
}

/// Whether this browser has the side panel (`chrome.sidePanel`, Chrome 114+, Edge).
#[cfg(any(feature = "worker", feature = "settings"))]
pub fn has_side_panel() -> bool {
    let chrome = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("chrome")).unwrap_or(JsValue::UNDEFINED);
    js_sys::Reflect::get(&chrome, &JsValue::from_str("sidePanel")).is_ok_and(|api| api.is_object())
}

/// Serialises to plain JS objects, as the extension APIs and the storage viewer expect: maps as
/// objects, `None` as `null` (serde-wasm-bindgen's JSON-compatible mode), no JSON text.
pub fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
}

/// Reads a plain JS value (a message, a stored item) into `T`.
pub fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value.clone()).map_err(|e| e.to_string())
}

/// One key of a `chrome.storage.*.get` result, or `None` when absent or of another shape.
#[cfg(any(feature = "worker", feature = "settings"))]
pub fn read_key<T: serde::de::DeserializeOwned>(result: &JsValue, key: &str) -> Option<T> {
    let value = js_sys::Reflect::get(result, &JsValue::from_str(key)).ok()?;
    if value.is_undefined() || value.is_null() {
        return None;
    }
    from_js(&value).ok()
}

pub fn error_text(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
