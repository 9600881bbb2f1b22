//! 字段绑定: the added formIds and markers per page, keys and labels per field, as rows; a pasted
//! snippet (the page-structure report's suggestions) joins the rows. Saved through the worker,
//! which checks them again and tells the open console tabs.

use yew::prelude::*;

use super::options::Section;
use super::{filled, value_of, words, ManagedTag, Saved, Status};
use crate::core::bindings::Bindings;
use crate::core::protocol::{unexpected, Request, Response};
use crate::core::settings::{binding_rows, binding_targets, checked_bindings, with_rows_added, BindingKind, BindingRow};

#[derive(Properties, PartialEq)]
pub struct BindingsProps {
    pub section: Section,
}

pub enum Msg {
    Kind(usize, String),
    Target(usize, String),
    Value(usize, String),
    Add,
    Remove(usize),
    Paste(String),
    AddPasted,
    Save,
    Saved(Saved),
}

pub struct BindingsSection {
    rows: Vec<BindingRow>,
    paste: String,
    /// What the paste box's last 加入表格 said.
    pasted: Saved,
    saved: Saved,
}

impl Component for BindingsSection {
    type Message = Msg;
    type Properties = BindingsProps;

    fn create(ctx: &Context<Self>) -> Self {
        let stored = &ctx.props().section.stored;
        let lang = ctx.props().section.lang;
        // Text an older page saved that no longer checks out: kept where the admin can mend it.
        let (paste, pasted) = match &stored.bindings_unreadable {
            Some(text) => {
                let why = Bindings::parse(text).err().unwrap_or_default();
                (text.clone(), Saved::Refused(vec![format!("{}{why}", words(lang).bindings_unreadable)]))
            }
            None => (String::new(), Saved::Nothing),
        };
        BindingsSection { rows: binding_rows(&stored.bindings), paste, pasted, saved: Saved::Nothing }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let section = &ctx.props().section;
        let w = words(section.lang);
        match msg {
            Msg::Kind(row, kind) => {
                if let (Some(edited), Some(kind)) = (self.rows.get_mut(row), BindingKind::named(&kind)) {
                    if edited.kind.of_page() != kind.of_page() {
                        edited.target.clear(); // a page id is no field id
                    }
                    edited.kind = kind;
                }
            }
            Msg::Target(row, target) => {
                if let Some(edited) = self.rows.get_mut(row) {
                    edited.target = target;
                }
            }
            Msg::Value(row, value) => {
                if let Some(edited) = self.rows.get_mut(row) {
                    edited.value = value;
                }
            }
            Msg::Add => self.rows.push(BindingRow { kind: BindingKind::Label, target: String::new(), value: String::new() }),
            Msg::Remove(row) if row < self.rows.len() => {
                self.rows.remove(row);
            }
            Msg::Remove(_) => return false,
            Msg::Paste(text) => {
                self.paste = text;
                return false;
            }
            Msg::AddPasted => match Bindings::parse(&self.paste) {
                Ok(bindings) => {
                    let before = self.rows.len();
                    self.rows = with_rows_added(std::mem::take(&mut self.rows), binding_rows(&bindings));
                    let added = (self.rows.len() - before).to_string();
                    self.pasted = Saved::Ok(filled(w.bindings_pasted, &[("n", &added)]));
                    self.paste.clear();
                }
                Err(message) => self.pasted = Saved::Refused(vec![message]),
            },
            Msg::Save => match checked_bindings(&self.rows) {
                Err(problems) => self.saved = Saved::refused(&problems, section.lang),
                Ok(bindings) => {
                    let text = if bindings.is_empty() { String::new() } else { serde_json::to_string(&bindings).expect("plain data") };
                    let answer = section.send.send(Request::SaveBindings { text });
                    let (link, on_saved, lang) = (ctx.link().clone(), section.on_saved.clone(), section.lang);
                    wasm_bindgen_futures::spawn_local(async move {
                        let saved = match answer.await {
                            Ok(Response::BindingsSaved { pages, fields }) => {
                                on_saved.emit(());
                                Saved::Ok(filled(
                                    words(lang).bindings_saved,
                                    &[("pages", &pages.to_string()), ("fields", &fields.to_string())],
                                ))
                            }
                            other => Saved::Refused(vec![unexpected(other)]),
                        };
                        link.send_message(Msg::Saved(saved));
                    });
                }
            },
            Msg::Saved(saved) => self.saved = saved,
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let section = &ctx.props().section;
        let (lang, link) = (section.lang, ctx.link());
        let w = words(lang);
        // The choices, once per render: every page, every field of the guide.
        let (pages, fields) = (binding_targets(BindingKind::FormId, lang), binding_targets(BindingKind::Key, lang));
        let targets_of = |kind: BindingKind| if kind.of_page() { &pages } else { &fields };
        let managed = binding_rows(&section.policy.bindings).into_iter().map(|row| {
            html! {
                <tr class="is-readonly" data-pa="binding-managed">
                    <td>{ row.kind.label(lang) }</td><td>{ target_title(&row, targets_of(row.kind)) }</td><td>{ row.value }</td><td><ManagedTag lang={lang} /></td>
                </tr>
            }
        });
        let rows = self.rows.iter().enumerate().map(|(index, row)| {
            let number = index + 1;
            let targets = targets_of(row.kind);
            let known = targets.iter().any(|(id, _)| *id == row.target);
            html! {
                <tr data-pa="binding-row" data-row={number.to_string()}>
                    <td>
                        <select data-pa="binding-kind" aria-label={format!("{} {} {number}", w.binding_kind, w.row)}
                            onchange={link.callback(move |e: Event| Msg::Kind(index, value_of(&e)))}>
                            { for BindingKind::ALL.iter().map(|kind| html! {
                                <option value={kind.as_str()} selected={*kind == row.kind}>{ kind.label(lang) }</option>
                            }) }
                        </select>
                    </td>
                    <td>
                        <select data-pa="binding-target" aria-label={format!("{} {} {number}", w.binding_target, w.row)}
                            onchange={link.callback(move |e: Event| Msg::Target(index, value_of(&e)))}>
                            <option value="" selected={row.target.is_empty()}>{ "—" }</option>
                            if !known && !row.target.is_empty() {
                                <option value={row.target.clone()} selected=true>{ row.target.clone() }</option>
                            }
                            { for targets.iter().map(|(id, title)| html! {
                                <option value={*id} selected={*id == row.target}>{ format!("{title} ({id})") }</option>
                            }) }
                        </select>
                    </td>
                    <td>
                        <input type="text" data-pa="binding-value" spellcheck="false" value={row.value.clone()}
                            aria-label={format!("{} {} {number}", w.binding_value, w.row)}
                            oninput={link.callback(move |e: InputEvent| Msg::Value(index, value_of(&e)))} />
                    </td>
                    <td class="pa-set-actions">
                        <button type="button" class="pa-set-quiet" data-pa="binding-remove" aria-label={format!("{} {} {number}", w.remove, w.row)}
                            onclick={link.callback(move |_| Msg::Remove(index))}>{ w.remove }</button>
                    </td>
                </tr>
            }
        });
        html! {
            <section class="pa-set-section" aria-labelledby="bindings-title" data-pa="bindings-section">
                <h2 id="bindings-title">{ w.bindings_section }</h2>
                <p class="pa-set-hint">{ w.bindings_hint }</p>
                <table class="pa-set-table">
                    <thead><tr><th scope="col">{ w.binding_kind }</th><th scope="col">{ w.binding_target }</th><th scope="col">{ w.binding_value }</th><th scope="col"><span class="pa-sr">{ w.remove }</span></th></tr></thead>
                    <tbody>{ for managed }{ for rows }</tbody>
                </table>
                <div class="pa-set-buttons">
                    <button type="button" class="pa-set-quiet" data-pa="binding-add" onclick={link.callback(|_| Msg::Add)}>{ w.add_row }</button>
                    <button type="button" class="pa-set-primary" id="save-bindings" data-pa="bindings-save" onclick={link.callback(|_| Msg::Save)}>{ w.save }</button>
                </div>
                <Status lang={lang} saved={self.saved.clone()} of="bindings" />
                <label class="pa-set-label" for="bindings-paste">{ w.bindings_paste }</label>
                <p class="pa-set-hint">{ w.bindings_paste_hint }</p>
                <textarea id="bindings-paste" spellcheck="false" value={self.paste.clone()}
                    placeholder={r#"{"fields": {"auth.client_secret": {"labels": ["…"]}}}"#}
                    oninput={link.callback(|e: InputEvent| Msg::Paste(value_of(&e)))} />
                <div class="pa-set-buttons">
                    <button type="button" data-pa="bindings-paste-add" onclick={link.callback(|_| Msg::AddPasted)}>{ w.bindings_paste_add }</button>
                </div>
                <Status lang={lang} saved={self.pasted.clone()} of="bindings-paste" />
            </section>
        }
    }
}

/// A page's or field's title with its id, from the row's `targets`.
fn target_title(row: &BindingRow, targets: &[(&'static str, String)]) -> String {
    targets.iter().find(|(id, _)| *id == row.target).map(|(id, title)| format!("{title} ({id})")).unwrap_or_else(|| row.target.clone())
}
