//! The guide's English texts for the console page's module, which leaves them out (feature
//! `english-file`): the worker reads them from the extension's own `english.json` the first time
//! this page shows English. A Chinese admin's page never asks.

use crate::core::i18n::{english_installed, Lang};

/// Returns once the English texts are in memory when `lang` is English (at once otherwise, and in
/// builds that carry them). Where they cannot be had, the texts stay Chinese: a warning in the
/// console says why, and nothing else changes.
pub async fn ensure(lang: Lang) {
    if missing(lang) {
        #[cfg(feature = "english-file")]
        if let Err(reason) = load().await {
            web_sys::console::warn_1(&format!("piaozone-assist: the English texts are missing ({reason}); showing Chinese").into());
        }
    }
}

/// Whether showing `lang` needs texts this module does not have yet.
fn missing(lang: Lang) -> bool {
    lang == Lang::En && !english_installed()
}

/// Runs `then` at once when the texts of `lang` are in memory, else once [`ensure`] has loaded
/// them; says whether it was deferred (a message listener then answers later).
pub fn then(lang: Lang, then: impl FnOnce() + 'static) -> bool {
    if !missing(lang) {
        then();
        return false;
    }
    wasm_bindgen_futures::spawn_local(async move {
        ensure(lang).await;
        then();
    });
    true
}

#[cfg(feature = "english-file")]
async fn load() -> Result<(), String> {
    use super::messages::{send, Request, Response};
    use wasm_bindgen::JsCast;
    let texts = match send(&Request::English).await {
        Ok(Response::English { texts }) => texts,
        other => return Err(crate::core::protocol::unexpected(other)),
    };
    let not_a_list = || format!("{} is not a list of texts", super::ENGLISH_FILE);
    let parsed = js_sys::JSON::parse(&texts).map_err(|_| not_a_list())?;
    let list = parsed.dyn_into::<js_sys::Array>().map_err(|_| not_a_list())?;
    let texts: Option<Vec<String>> = list.iter().map(|text| text.as_string()).collect();
    crate::core::i18n::install_english(texts.ok_or_else(not_a_list)?)
}
