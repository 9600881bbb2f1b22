//! Writing text to the clipboard from our shadow root, where `navigator.clipboard` may be
//! missing (an http console) or refuse (no focus): the caller says so and the text stays on
//! screen to select by hand.

use wasm_bindgen::JsCast;

/// Whether the browser took the text.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).ok().filter(|c| !c.is_undefined());
    let write = clipboard
        .as_ref()
        .and_then(|c| js_sys::Reflect::get(c, &"writeText".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let (Some(clipboard), Some(write)) = (clipboard, write) else { return false };
    let Ok(Ok(promise)) = write.call1(&clipboard, &text.into()).map(JsCast::dyn_into::<js_sys::Promise>) else { return false };
    // A refusal must not surface as an unhandled rejection: it is awaited here.
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}
