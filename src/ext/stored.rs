//! The worker's reads of `chrome.storage` (local, managed) and of host permissions, kept until
//! the browser says they changed: each read is a round trip to the browser (1–2 ms), and every
//! connection test made five of them before its call. `background.js` wires
//! `storage.onChanged` to [`forget_stored`] (the keys that changed: a checklist saved after each
//! passed test must not send the next test back to the browser for the sites and endpoints) and
//! `permissions.onAdded/onRemoved` to [`forget_granted`]; the worker's own writes forget their
//! keys at once. A worker that restarts starts empty.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use wasm_bindgen::prelude::*;

use super::chrome::{self, to_js};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    Local,
    /// The enterprise policy's values (none when no policy is installed).
    Managed,
}

thread_local! {
    static VALUES: RefCell<HashMap<(Area, String), JsValue>> = RefCell::new(HashMap::new());
    static GRANTED: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
    /// Bumped by every forget: a read that started before it does not keep what it read.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// These keys of `area` (`local` or `managed`, as `storage.onChanged` names it) changed: read
/// them again. A read in flight keeps nothing (it may have read the old value).
#[wasm_bindgen]
pub fn forget_stored(area: &str, keys: Vec<String>) {
    let area = match area {
        "local" => Area::Local,
        "managed" => Area::Managed,
        _ => return,
    };
    forget(area, &keys);
}

fn forget(area: Area, keys: &[String]) {
    GENERATION.with(|g| g.set(g.get() + 1));
    VALUES.with(|v| v.borrow_mut().retain(|(cached_area, key), _| *cached_area != area || !keys.contains(key)));
}

/// A host permission was granted or removed: ask the browser again.
#[wasm_bindgen]
pub fn forget_granted() {
    GENERATION.with(|g| g.set(g.get() + 1));
    GRANTED.with(|g| g.borrow_mut().clear());
}

/// The `chrome.storage.<area>.get(key)` result object (`{ key: value }`, or `{}`), cached.
pub async fn get(area: Area, key: &str) -> Result<JsValue, JsValue> {
    let cache_key = (area, key.to_owned());
    if let Some(known) = VALUES.with(|v| v.borrow().get(&cache_key).cloned()) {
        return Ok(known);
    }
    let generation = GENERATION.with(Cell::get);
    let keys = JsValue::from_str(key);
    let result = match area {
        Area::Local => chrome::local_get(&keys).await?,
        Area::Managed => chrome::managed_get(&keys).await?,
    };
    if GENERATION.with(Cell::get) == generation {
        VALUES.with(|v| v.borrow_mut().insert(cache_key, result.clone()));
    }
    Ok(result)
}

/// One stored key read as `T`; `None` when absent, of another shape, or the area unreadable.
pub async fn read<T: serde::de::DeserializeOwned>(area: Area, key: &str) -> Option<T> {
    chrome::read_key(&get(area, key).await.ok()?, key)
}

/// Whether the extension may fetch from `origin` (a granted host permission; ports included).
pub async fn host_granted(origin: &str) -> bool {
    if let Some(known) = GRANTED.with(|g| g.borrow().get(origin).copied()) {
        return known;
    }
    let generation = GENERATION.with(Cell::get);
    let pattern = js_sys::Array::of1(&JsValue::from_str(&format!("{origin}/*")));
    let query = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&query, &JsValue::from_str("origins"), &pattern);
    let granted = chrome::permissions_contains(&query.into()).await.is_ok_and(|granted| granted.as_bool() == Some(true));
    if GENERATION.with(Cell::get) == generation {
        GRANTED.with(|g| g.borrow_mut().insert(origin.to_owned(), granted));
    }
    granted
}

/// One of the extension's own files (`english.json`, the dev build's `environments.dev.json`),
/// read once while the worker lives: they do not change, and a file the build does not ship
/// (the store build has no `environments.dev.json`) is not asked for again either.
pub async fn extension_file(name: &str) -> Result<String, String> {
    thread_local! {
        static READ: RefCell<HashMap<String, Result<String, String>>> = RefCell::new(HashMap::new());
    }
    if let Some(known) = READ.with(|read| read.borrow().get(name).cloned()) {
        return known;
    }
    let read = async {
        let response = gloo_net::http::Request::get(&chrome::get_url(name)).send().await.map_err(|e| format!("{name}: {e}"))?;
        if !response.ok() {
            return Err(format!("{name}: HTTP {}", response.status()));
        }
        response.text().await.map_err(|e| format!("{name}: {e}"))
    };
    let result = read.await;
    READ.with(|read| read.borrow_mut().insert(name.to_owned(), result.clone()));
    result
}

/// `chrome.storage.local.set(items)`; what was cached is forgotten before the change event comes.
pub async fn local_set(items: &impl serde::Serialize) -> Result<(), String> {
    let items = to_js(items);
    let keys: Vec<String> = js_sys::Object::keys(&items.clone().into()).iter().filter_map(|key| key.as_string()).collect();
    forget(Area::Local, &keys);
    let result = chrome::local_set(&items).await.map(|_| ()).map_err(|e| chrome::error_text(&e));
    forget(Area::Local, &keys);
    result
}

pub async fn local_remove(key: &str) -> Result<(), String> {
    let keys = [key.to_owned()];
    forget(Area::Local, &keys);
    let result = chrome::local_remove(&JsValue::from_str(key)).await.map(|_| ()).map_err(|e| chrome::error_text(&e));
    forget(Area::Local, &keys);
    result
}
