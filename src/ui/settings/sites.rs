//! 已启用的网站: the consoles the admin enabled (each with 停用) and those the policy lists, and
//! where the checklist lives.

use yew::prelude::*;

use super::options::Section;
use super::{disable_site, value_of, words, ManagedTag, Saved, Status};
use crate::core::settings::{CHECKLIST_KEY, CHECKLIST_PLACES};

#[derive(Properties, PartialEq)]
pub struct SitesProps {
    pub section: Section,
}

#[function_component(SitesSection)]
pub fn sites_section(props: &SitesProps) -> Html {
    let section = &props.section;
    let (lang, w) = (section.lang, words(section.lang));
    let saved = use_state(|| Saved::Nothing);
    let has_side = section.host.has_side_panel();
    let disable = |origin: String| {
        let (send, host, saved, on_saved) = (section.send.clone(), section.host.clone(), saved.clone(), section.on_saved.clone());
        Callback::from(move |_: MouseEvent| {
            let (disabled, saved, on_saved) = (disable_site(&send, &host, origin.clone()), saved.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match disabled.await {
                    Ok(()) => {
                        saved.set(Saved::Ok(words(lang).saved.into()));
                        on_saved.emit(());
                    }
                    Err(message) => saved.set(Saved::Refused(vec![message])),
                }
            });
        })
    };
    let place = {
        let (section, saved) = (section.clone(), saved.clone());
        Callback::from(move |e: Event| {
            let (write, saved) =
                (section.save(serde_json::json!({ CHECKLIST_KEY: value_of(&e) }), words(lang).saved.into()), saved.clone());
            wasm_bindgen_futures::spawn_local(async move { saved.set(write.await) });
        })
    };
    let current_place = if has_side { section.stored.checklist.as_str() } else { "page" };
    html! {
        <section class="pa-set-section" aria-labelledby="sites-title" data-pa="sites-section">
            <h2 id="sites-title">{ w.sites_section }</h2>
            <p class="pa-set-hint">{ w.sites_hint }</p>
            <ul class="pa-set-list">
                { for section.policy.consoles.iter().map(|origin| html! {
                    <li data-pa="site-managed" data-origin={origin.clone()}><span class="pa-set-origin">{ origin.clone() }</span><ManagedTag lang={lang} /></li>
                }) }
                { for section.stored.sites.iter().map(|origin| html! {
                    <li data-pa="site" data-origin={origin.clone()}>
                        <span class="pa-set-origin">{ origin.clone() }</span>
                        <button type="button" class="pa-set-quiet" data-pa="site-disable" aria-label={format!("{} {origin}", w.site_disable)}
                            onclick={disable(origin.clone())}>{ w.site_disable }</button>
                    </li>
                }) }
                if section.stored.sites.is_empty() && section.policy.consoles.is_empty() {
                    <li class="pa-note">{ w.sites_none }</li>
                }
            </ul>
            <label class="pa-set-label" for="checklist">{ w.checklist_label }</label>
            <select id="checklist" disabled={!has_side} onchange={place}>
                { for CHECKLIST_PLACES.iter().map(|value| html! {
                    <option value={*value} selected={current_place == *value}>{ if *value == "side" { w.checklist_side } else { w.checklist_page } }</option>
                }) }
            </select>
            if !has_side {
                <p class="pa-set-hint">{ w.checklist_no_side }</p>
            }
            <Status lang={lang} saved={(*saved).clone()} of="sites" />
        </section>
    }
}
