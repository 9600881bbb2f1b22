//! 连接测试允许的地址: the relays and proxies the worker lets the connection test call, as rows of
//! scheme, host and port. Adding one asks for its host access within that click.

use std::collections::HashMap;

use yew::prelude::*;

use super::options::Section;
use super::{filled, value_of, words, ManagedTag, Saved, Status};
use crate::core::settings::{EndpointRow, TOKEN_ENDPOINTS_KEY};

#[derive(Properties, PartialEq)]
pub struct EndpointsProps {
    pub section: Section,
}

pub enum Msg {
    Scheme(String),
    Host(String),
    Port(String),
    Add,
    Remove(String),
    Grant(String),
    Granted(Vec<(String, bool)>),
    Written { list: Vec<String>, saved: Saved },
}

pub struct EndpointsSection {
    list: Vec<String>,
    draft: EndpointRow,
    granted: HashMap<String, bool>,
    saved: Saved,
}

impl Component for EndpointsSection {
    type Message = Msg;
    type Properties = EndpointsProps;

    fn create(ctx: &Context<Self>) -> Self {
        let section = &ctx.props().section;
        let list = section.stored.token_endpoints.clone();
        let all: Vec<String> = list.iter().chain(&section.policy.token_endpoints).cloned().collect();
        check_access(ctx, all);
        EndpointsSection { list, draft: EndpointRow::default(), granted: HashMap::new(), saved: Saved::Nothing }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let section = &ctx.props().section;
        let w = words(section.lang);
        match msg {
            Msg::Scheme(value) => self.draft.scheme = value,
            Msg::Host(value) => self.draft.host = value,
            Msg::Port(value) => self.draft.port = value,
            Msg::Add => {
                let origin = match self.draft.origin() {
                    Ok(origin) => origin,
                    Err(problem) => {
                        self.saved = Saved::Refused(vec![problem.text(section.lang).to_owned()]);
                        return true;
                    }
                };
                // Asked within the click; the list is saved whatever the answer (a later 授权 works too).
                let granted = section.host.request_hosts(vec![origin.clone()]);
                let mut list = self.list.clone();
                if !list.contains(&origin) {
                    list.push(origin.clone());
                }
                self.write(ctx, list, filled(w.endpoint_added, &[("origin", &origin)]));
                let link = ctx.link().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let granted = granted.await;
                    link.send_message(Msg::Granted(vec![(origin, granted)]));
                });
                self.draft = EndpointRow::default();
            }
            Msg::Remove(origin) => {
                let list: Vec<String> = self.list.iter().filter(|o| **o != origin).cloned().collect();
                self.write(ctx, list, w.saved.into());
                return false;
            }
            Msg::Grant(origin) => {
                let granted = section.host.request_hosts(vec![origin.clone()]);
                let link = ctx.link().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let granted = granted.await;
                    link.send_message(Msg::Granted(vec![(origin, granted)]));
                });
                return false;
            }
            Msg::Granted(found) => self.granted.extend(found),
            Msg::Written { list, saved } => {
                if matches!(saved, Saved::Ok(_)) {
                    self.list = list;
                }
                self.saved = saved;
            }
        }
        true
    }

    /// The list has no draft of its own (each add and remove saves): it follows what is stored,
    /// e.g. an origin the connection test's grant banner added.
    fn changed(&mut self, ctx: &Context<Self>, _: &EndpointsProps) -> bool {
        let stored = &ctx.props().section.stored.token_endpoints;
        if *stored != self.list {
            let new: Vec<String> = stored.iter().filter(|origin| !self.granted.contains_key(*origin)).cloned().collect();
            check_access(ctx, new);
            self.list = stored.clone();
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let section = &ctx.props().section;
        let (lang, link) = (section.lang, ctx.link());
        let w = words(lang);
        let row = |origin: &String, managed: bool| {
            let cells = EndpointRow::from_origin(origin);
            let access = match self.granted.get(origin) {
                Some(true) => {
                    html! { <span class="pa-set-tag is-ok" data-pa="endpoint-access" data-granted="true">{ w.endpoint_granted }</span> }
                }
                Some(false) => {
                    let origin = origin.clone();
                    html! {
                        <>
                            <span class="pa-set-tag" data-pa="endpoint-access" data-granted="false">{ w.endpoint_not_granted }</span>
                            <button type="button" data-pa="endpoint-grant"
                                onclick={link.batch_callback(move |e: MouseEvent| e.is_trusted().then(|| Msg::Grant(origin.clone())))}>
                                { w.endpoint_grant }
                            </button>
                        </>
                    }
                }
                None => Html::default(),
            };
            let action = if managed {
                html! { <ManagedTag lang={lang} /> }
            } else {
                let origin = origin.clone();
                html! {
                    <button type="button" class="pa-set-quiet" data-pa="endpoint-remove" aria-label={format!("{} {origin}", w.remove)}
                        onclick={link.callback(move |_| Msg::Remove(origin.clone()))}>{ w.remove }</button>
                }
            };
            html! {
                <tr data-pa={if managed { "endpoint-managed" } else { "endpoint-row" }} data-origin={origin.clone()}>
                    <td>{ cells.scheme }</td><td>{ cells.host }</td><td>{ cells.port }</td>
                    <td class="pa-set-actions">{ access }{ action }</td>
                </tr>
            }
        };
        let problem = (!self.draft.host.trim().is_empty()).then(|| self.draft.origin().err()).flatten();
        let problem_text = problem.map(|problem| problem.text(lang).to_owned());
        html! {
            <section class="pa-set-section" aria-labelledby="endpoints-title" data-pa="endpoints-section">
                <h2 id="endpoints-title">{ w.endpoints_section }</h2>
                <p class="pa-set-hint">{ w.endpoints_hint }</p>
                <table class="pa-set-table">
                    <thead><tr><th scope="col">{ w.endpoint_scheme }</th><th scope="col">{ w.endpoint_host }</th><th scope="col">{ w.endpoint_port }</th><th scope="col"><span class="pa-sr">{ w.endpoint_grant }</span></th></tr></thead>
                    <tbody>
                        { for section.policy.token_endpoints.iter().map(|origin| row(origin, true)) }
                        { for self.list.iter().map(|origin| row(origin, false)) }
                        if self.list.is_empty() && section.policy.token_endpoints.is_empty() {
                            <tr><td colspan="4" class="pa-note">{ w.endpoints_none }</td></tr>
                        }
                        <tr class="pa-set-new" data-pa="endpoint-new">
                            <td>
                                <select aria-label={w.endpoint_scheme} data-pa="endpoint-scheme" onchange={link.callback(|e: Event| Msg::Scheme(value_of(&e)))}>
                                    <option value="https" selected={self.draft.scheme == "https"}>{ "https" }</option>
                                    <option value="http" selected={self.draft.scheme == "http"}>{ "http" }</option>
                                </select>
                            </td>
                            <td>
                                <input type="text" aria-label={w.endpoint_host} data-pa="endpoint-host" spellcheck="false" placeholder="relay.example.com"
                                    value={self.draft.host.clone()} oninput={link.callback(|e: InputEvent| Msg::Host(value_of(&e)))}
                                    aria-invalid={problem_text.is_some().to_string()} aria-describedby={problem_text.is_some().then_some("endpoint-check")} />
                                if let Some(text) = &problem_text {
                                    <p class="pa-set-check error" id="endpoint-check" data-pa="endpoint-check">{ text.clone() }</p>
                                }
                            </td>
                            <td>
                                <input type="text" inputmode="numeric" aria-label={w.endpoint_port} data-pa="endpoint-port" placeholder="443" size="6"
                                    value={self.draft.port.clone()} oninput={link.callback(|e: InputEvent| Msg::Port(value_of(&e)))} />
                            </td>
                            <td>
                                <button type="button" class="pa-set-primary" data-pa="endpoint-add"
                                    onclick={link.batch_callback(|e: MouseEvent| e.is_trusted().then_some(Msg::Add))}>{ w.endpoint_add }</button>
                            </td>
                        </tr>
                    </tbody>
                </table>
                <Status lang={lang} saved={self.saved.clone()} of="endpoints" />
            </section>
        }
    }
}

impl EndpointsSection {
    fn write(&self, ctx: &Context<Self>, list: Vec<String>, text: String) {
        let saved = ctx.props().section.save(serde_json::json!({ TOKEN_ENDPOINTS_KEY: list }), text);
        let link = ctx.link().clone();
        wasm_bindgen_futures::spawn_local(async move { link.send_message(Msg::Written { list, saved: saved.await }) });
    }
}

/// Whether each origin has its host access.
fn check_access(ctx: &Context<EndpointsSection>, origins: Vec<String>) {
    let (host, link) = (ctx.props().section.host.clone(), ctx.link().clone());
    wasm_bindgen_futures::spawn_local(async move {
        let mut found = Vec::new();
        for origin in origins {
            let granted = host.hosts_granted(vec![origin.clone()]).await;
            found.push((origin, granted));
        }
        link.send_message(Msg::Granted(found));
    });
}
