//! The options page and the popup: Yew components on the same core, checks and texts as the
//! panel. They reach the browser only through [`Browser`] (given by `ext::settings_page`), so that
//! they only render and ask, and component tests give them a browser of their own.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde_json::Value;
use yew::prelude::*;

use crate::core::i18n::Lang;
use crate::core::protocol::{unexpected, Request, Response, TabView};
use crate::core::settings::RowProblem;
use crate::ui::Sender;

mod bindings;
mod endpoints;
mod environments;
pub mod options;
pub mod popup;
mod sites;
mod transfer;
mod words;

pub use words::words;

pub type Pending<T> = Pin<Box<dyn Future<Output = T>>>;

/// What the settings pages need of the browser.
pub trait Browser {
    /// `chrome.storage.local.get(null)`.
    fn read_local(&self) -> Pending<Result<Value, String>>;
    /// `chrome.storage.managed.get(null)`: `{}` without a policy.
    fn read_managed(&self) -> Pending<Value>;
    fn write(&self, items: Value) -> Pending<Result<(), String>>;
    /// Asks for host access to the origins. The browser asks only within a user gesture: call it
    /// from the admin's click, before anything is awaited.
    fn request_hosts(&self, origins: Vec<String>) -> Pending<bool>;
    fn hosts_granted(&self, origins: Vec<String>) -> Pending<bool>;
    fn remove_hosts(&self, origins: Vec<String>) -> Pending<()>;
    /// Saves `text` as a file the browser downloads.
    fn download(&self, file_name: &str, text: &str) -> Result<(), String>;
    fn has_side_panel(&self) -> bool;
    /// The popup's tab: its id and URL.
    fn active_tab(&self) -> Pending<Option<(i32, String)>>;
    /// What the assistant on console tab `tab_id` shows (`None`: not running there).
    fn tab_view(&self, tab_id: i32) -> Pending<Option<TabView>>;
    fn page_report(&self, tab_id: i32, lang: Lang) -> Pending<Option<String>>;
    /// Within a user gesture, like [`Browser::request_hosts`].
    fn open_side_panel(&self, tab_id: i32) -> Pending<Result<(), String>>;
    fn open_options(&self);
    fn close_window(&self);
}

/// The browser, as a prop.
#[derive(Clone)]
pub struct Host(pub Rc<dyn Browser>);

impl PartialEq for Host {
    fn eq(&self, other: &Host) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Host {
    type Target = dyn Browser;

    fn deref(&self) -> &(dyn Browser + 'static) {
        &*self.0
    }
}

/// A section's last save: what the status line says.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Saved {
    #[default]
    Nothing,
    Ok(String),
    Refused(Vec<String>),
}

impl Saved {
    fn refused(problems: &[RowProblem], lang: Lang) -> Saved {
        Saved::Refused(problems.iter().map(|p| p.shown(lang)).collect())
    }
}

/// The status line under a section (`role="status"`, so a screen reader says it).
#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub lang: Lang,
    pub saved: Saved,
    /// Names the section for tests and for the page's own links.
    pub of: &'static str,
    /// What a refusal starts with (default: not saved).
    #[prop_or_default]
    pub refused: Option<&'static str>,
}

#[function_component(Status)]
pub fn status(props: &StatusProps) -> Html {
    let w = words(props.lang);
    let (ok, body) = match &props.saved {
        Saved::Nothing => (None, Html::default()),
        Saved::Ok(text) => (Some("true"), html! { { text.clone() } }),
        Saved::Refused(problems) => (
            Some("false"),
            html! {
                <>
                    { props.refused.unwrap_or(w.not_saved) }
                    <ul class="pa-set-problems">{ for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
                </>
            },
        ),
    };
    html! { <div class="pa-set-status" role="status" data-pa={format!("{}-status", props.of)} data-ok={ok}>{ body }</div> }
}

/// "由企业策略管理" next to what the policy set.
#[function_component(ManagedTag)]
pub fn managed_tag(props: &LangProps) -> Html {
    html! { <span class="pa-set-tag is-managed" data-pa="managed">{ words(props.lang).managed }</span> }
}

#[derive(Properties, PartialEq)]
pub struct LangProps {
    pub lang: Lang,
}

/// The value of the input or select an event came from.
fn value_of(event: &Event) -> String {
    use wasm_bindgen::JsCast;
    let target = event.target();
    if let Some(input) = target.as_ref().and_then(|t| t.dyn_ref::<web_sys::HtmlInputElement>()) {
        return input.value();
    }
    if let Some(select) = target.as_ref().and_then(|t| t.dyn_ref::<web_sys::HtmlSelectElement>()) {
        return select.value();
    }
    target.and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()).map(|t| t.value()).unwrap_or_default()
}

/// Stops the assistant on `origin` (the worker unregisters it) and gives back its host access:
/// 停用 in the popup and on the options page.
fn disable_site(send: &Sender, host: &Host, origin: String) -> Pending<Result<(), String>> {
    let (answer, host) = (send.send(Request::DisableSite { origin: origin.clone() }), host.clone());
    Box::pin(async move {
        acked(answer.await)?;
        host.remove_hosts(vec![origin]).await;
        Ok(())
    })
}

/// A reply that should be `Ack`, or why it is not.
fn acked(reply: Result<Response, String>) -> Result<(), String> {
    match reply {
        Ok(Response::Ack) => Ok(()),
        other => Err(unexpected(other)),
    }
}

/// Fills `{name}` placeholders of our own texts.
fn filled(template: &str, values: &[(&str, &str)]) -> String {
    crate::core::i18n::fill(template, |name| values.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned()))
}
