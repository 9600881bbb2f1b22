//! 对照清单's file, read in the page: its bytes handed to the list module (`src/list_file.rs`),
//! which `content.js` loads from the extension on first use. Nothing leaves the page.

use js_sys::{Array, Function, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::core::company_list::{ListCompany, COMPANY_TEXTS};
use crate::core::i18n::Lang;

/// Larger than any company list (50,000 rows of keys are about 10 MB).
const MAX_FILE_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

fn reason(error: JsValue) -> String {
    error
        .as_string()
        .or_else(|| error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{error:?}"))
}

/// The companies of `file` (name, tax id, Client id; never a secret), or why not, in `lang`.
pub async fn read_companies(file: &web_sys::File, load_reader: &Function, lang: Lang) -> Result<Vec<ListCompany>, String> {
    if file.size() > MAX_FILE_BYTES {
        return Err(match lang {
            Lang::Zh => format!("文件有 {:.0} MB，不像企业清单（最多 64 MB）。", file.size() / 1048576.0),
            Lang::En => format!("{:.0} MB is not a company list (at most 64 MB).", file.size() / 1048576.0),
        });
    }
    let bytes = JsFuture::from(file.array_buffer()).await.map_err(reason)?;
    let bytes = Uint8Array::new(&bytes);
    let loading = load_reader.call0(&JsValue::NULL).map_err(reason)?;
    let reader: Function =
        JsFuture::from(Promise::resolve(&loading)).await.map_err(reason)?.dyn_into().map_err(|_| "no list reader".to_string())?;
    let answer = reader.call1(&JsValue::NULL, &bytes).map_err(reason);
    bytes.fill(0, 0, bytes.length());
    let texts: Array = answer?.dyn_into().map_err(|_| "the list reader answered no list".to_string())?;
    let texts: Vec<String> = texts.iter().map(|text| text.as_string().unwrap_or_default()).collect();
    Ok(texts.chunks_exact(COMPANY_TEXTS).filter_map(|company| Some(ListCompany::from_texts(company.try_into().ok()?))).collect())
}
