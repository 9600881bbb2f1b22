//! 导出 / 导入: the options page's own settings as one JSON file (`core::settings::SettingsFile`:
//! no site, no policy value, no secret). An import is checked whole and written in one call.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::options::Section;
use super::{filled, words, Saved, Status};
use crate::core::i18n::Lang;
use crate::core::settings::SettingsFile;

#[derive(Properties, PartialEq)]
pub struct TransferProps {
    pub section: Section,
    pub on_imported: Callback<()>,
}

#[function_component(TransferSection)]
pub fn transfer_section(props: &TransferProps) -> Html {
    let section = &props.section;
    let (lang, w) = (section.lang, words(section.lang));
    let saved = use_state(|| Saved::Nothing);
    let export = {
        let (host, stored, saved) = (section.host.clone(), section.stored.clone(), saved.clone());
        Callback::from(move |_: MouseEvent| {
            let text = stored.file().to_text();
            saved.set(match host.download(SettingsFile::FILE_NAME, &text) {
                Ok(()) => Saved::Ok(filled(words(lang).exported, &[("name", SettingsFile::FILE_NAME)])),
                Err(e) => Saved::Refused(vec![e]),
            });
        })
    };
    let import = {
        let (host, saved, on_imported) = (section.host.clone(), saved.clone(), props.on_imported.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
            input.set_value(""); // the same file can be picked again after a correction
            let (host, saved, on_imported) = (host.clone(), saved.clone(), on_imported.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(text) => text.as_string().unwrap_or_default(),
                    Err(e) => {
                        saved.set(Saved::Refused(vec![format!("{e:?}")]));
                        return;
                    }
                };
                match SettingsFile::parse(&text) {
                    Err(problems) => {
                        let shown = problems.into_iter().map(|(zh, en)| if lang == Lang::Zh { zh } else { en }).collect();
                        saved.set(Saved::Refused(shown));
                    }
                    Ok(file) => match host.write(file.items()).await {
                        Ok(()) => {
                            saved.set(Saved::Ok(words(lang).imported.into()));
                            on_imported.emit(());
                        }
                        Err(e) => saved.set(Saved::Refused(vec![e])),
                    },
                }
            });
        })
    };
    html! {
        <section class="pa-set-section" aria-labelledby="transfer-title" data-pa="transfer-section">
            <h2 id="transfer-title">{ w.transfer_section }</h2>
            <p class="pa-set-hint">{ w.transfer_hint }</p>
            <div class="pa-set-buttons">
                <button type="button" class="pa-set-primary" data-pa="export" onclick={export}>{ w.export }</button>
                <label class="pa-set-file">
                    { w.import }
                    <input type="file" accept=".json,application/json" data-pa="import" onchange={import} />
                </label>
            </div>
            <Status lang={lang} saved={(*saved).clone()} of="transfer" refused={w.import_refused} />
        </section>
    }
}
