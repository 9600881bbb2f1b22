//! Timing marks for `cargo xtask bench`, made in the page's performance timeline: Chromium records
//! marks made from the content script's isolated world there too, so the page's
//! `performance.getEntriesByName` sees them. Nothing is written to the console's DOM. The first,
//! `piaozone-assist:content-start`, is made by `content.js` before the wasm is fetched.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, MutationObserver, MutationObserverInit, ShadowRoot};

/// The panel (or its tab) is in our shadow root.
pub const PANEL: &str = "piaozone-assist:panel";
/// The first field overlay is in our shadow root.
pub const OVERLAY: &str = "piaozone-assist:overlay";
/// Asked for by the bench through a `piaozone-assist:measure-memory` event on the document; the
/// answer is a mark named `piaozone-assist:wasm-memory=<bytes>`.
const MEMORY_PROBE: &str = "piaozone-assist:measure-memory";

pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Marks `name` once, the first time `shadow` holds `selector`; then stops watching.
pub fn mark_first(shadow: &ShadowRoot, selector: &'static str, name: &'static str) -> Result<(), JsValue> {
    let root = shadow.clone();
    let callback = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new(move |_, observer: MutationObserver| {
        if root.query_selector(selector).ok().flatten().is_some() {
            mark(name);
            observer.disconnect();
        }
    });
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    observer.observe_with_options(shadow, &options)?;
    callback.forget(); // one per page, dropped with it
    Ok(())
}

/// Answers the bench's memory probe with the size of our wasm linear memory.
pub fn answer_memory_probe(document: &Document) -> Result<(), JsValue> {
    let answer = Closure::<dyn FnMut()>::new(|| {
        let bytes = wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length())
            .unwrap_or_default();
        mark(&format!("piaozone-assist:wasm-memory={bytes}"));
    });
    document.add_event_listener_with_callback(MEMORY_PROBE, answer.as_ref().unchecked_ref())?;
    answer.forget(); // as long as the page
    Ok(())
}
