//! The options page (`options.html`): one section per setting, each saved on its own and only
//! when all of it checks out, with what the enterprise policy set shown read-only beside it.

use std::rc::Rc;

use yew::prelude::*;

use super::bindings::BindingsSection;
use super::endpoints::EndpointsSection;
use super::environments::EnvironmentsSection;
use super::sites::SitesSection;
use super::transfer::TransferSection;
use super::{filled, value_of, words, Host, Saved, Status};
use crate::core::i18n::Lang;
use crate::core::settings::{Policy, Stored, ENVIRONMENTS_KEY, LANG_KEY, LANG_SETTINGS};
use crate::ui::Sender;

/// What the connection test opened this page for (`options.html#grant=<origin>` or `#allow=`):
/// grant the origin's host access, and with `add`, add it to the token endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantAsk {
    pub origin: String,
    pub add: bool,
}

#[derive(Properties, PartialEq)]
pub struct OptionsProps {
    pub host: Host,
    pub send: Sender,
    /// The browser's own language, for the `auto` setting (an options page has no console).
    pub browser_lang: Lang,
    pub dark: bool,
    #[prop_or_default]
    pub grant: Option<GrantAsk>,
}

/// Everything a section starts from.
#[derive(PartialEq, Clone)]
pub struct Section {
    pub lang: Lang,
    pub host: Host,
    pub send: Sender,
    pub stored: Rc<Stored>,
    pub policy: Rc<Policy>,
    /// The section saved: the page reads the settings again (another section's draft is kept).
    pub on_saved: Callback<()>,
}

impl Section {
    /// Writes `items`; resolves to `text` as the status once stored (or the browser's error),
    /// after the page has been told to read the settings again.
    pub fn save(&self, items: serde_json::Value, text: String) -> super::Pending<Saved> {
        let (write, on_saved) = (self.host.write(items), self.on_saved.clone());
        Box::pin(async move {
            match write.await {
                Ok(()) => {
                    on_saved.emit(());
                    Saved::Ok(text)
                }
                Err(e) => Saved::Refused(vec![e]),
            }
        })
    }
}

pub enum Msg {
    /// Boxed: the settings are much larger than the other messages.
    Loaded(Box<Result<(Stored, Policy), String>>),
    /// The environments of an older options page were saved as rows.
    Migrated,
    Reload,
    /// An import replaced everything: every section starts again from what is stored.
    Imported,
    Lang(String),
    LangSaved(Saved),
}

/// The settings read, and the policy's.
type Loaded = (Rc<Stored>, Rc<Policy>);

pub struct Options {
    loaded: Option<Result<Loaded, String>>,
    /// Bumped once an import is read back: the sections' drafts start again from the file.
    generation: u32,
    imported: bool,
    migrated: bool,
    lang_saved: Saved,
}

impl Component for Options {
    type Message = Msg;
    type Properties = OptionsProps;

    fn create(ctx: &Context<Self>) -> Self {
        load(ctx);
        Options { loaded: None, generation: 0, imported: false, migrated: false, lang_saved: Saved::Nothing }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Loaded(loaded) => match *loaded {
                Ok((stored, policy)) => {
                    if std::mem::take(&mut self.imported) {
                        self.generation += 1;
                    }
                    if stored.environments_former {
                        // Migrate at once: the rows say the same, and the worker reads either shape.
                        let items = serde_json::json!({ ENVIRONMENTS_KEY: stored.environments });
                        let (write, link) = (ctx.props().host.write(items), ctx.link().clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            if write.await.is_ok() {
                                link.send_message(Msg::Migrated);
                            }
                        });
                    }
                    self.loaded = Some(Ok((Rc::new(stored), Rc::new(policy))));
                }
                Err(message) => self.loaded = Some(Err(message)),
            },
            Msg::Migrated => self.migrated = true,
            Msg::Reload => load(ctx),
            Msg::Imported => {
                self.imported = true;
                load(ctx);
            }
            Msg::Lang(setting) => {
                let Some(Ok((stored, _))) = &mut self.loaded else { return false };
                Rc::make_mut(stored).lang = setting.clone();
                let (write, link) = (ctx.props().host.write(serde_json::json!({ LANG_KEY: setting })), ctx.link().clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let saved = match write.await {
                        Ok(()) => Saved::Ok(String::new()),
                        Err(e) => Saved::Refused(vec![e]),
                    };
                    link.send_message(Msg::LangSaved(saved));
                });
            }
            Msg::LangSaved(saved) => {
                let lang = self.lang(ctx);
                self.lang_saved = match saved {
                    Saved::Ok(_) => Saved::Ok(words(lang).saved.into()),
                    other => other,
                };
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let lang = self.lang(ctx);
        let w = words(lang);
        let body = match &self.loaded {
            None => html! { <p class="pa-note">{ w.loading }</p> },
            Some(Err(message)) => html! { <p class="pa-set-error" role="alert">{ format!("{}{message}", w.load_failed) }</p> },
            Some(Ok((stored, policy))) => {
                let section = Section {
                    lang,
                    host: props.host.clone(),
                    send: props.send.clone(),
                    stored: stored.clone(),
                    policy: policy.clone(),
                    on_saved: ctx.link().callback(|()| Msg::Reload),
                };
                let generation = self.generation.to_string();
                let on_lang = ctx.link().callback(|e: Event| Msg::Lang(value_of(&e)));
                html! {
                    <>
                        if let Some(ask) = &props.grant {
                            <GrantBanner lang={lang} host={props.host.clone()} ask={ask.clone()} on_saved={ctx.link().callback(|()| Msg::Reload)} />
                        }
                        <section class="pa-set-section" aria-labelledby="lang-title" data-pa="lang-section">
                            <h2 id="lang-title"><label for="lang">{ "语言 / Language" }</label></h2>
                            <select id="lang" onchange={on_lang}>
                                { for LANG_SETTINGS.iter().map(|setting| {
                                    let text = match *setting { "zh-CN" => "简体中文", "en" => "English", _ => w.lang_auto };
                                    html! { <option value={*setting} selected={stored.lang == *setting}>{ text }</option> }
                                }) }
                            </select>
                            <Status lang={lang} saved={self.lang_saved.clone()} of="lang" />
                        </section>
                        <EnvironmentsSection key={format!("env{generation}")} migrated={self.migrated} section={section.clone()} />
                        <EndpointsSection key={format!("end{generation}")} section={section.clone()} />
                        <BindingsSection key={format!("bind{generation}")} section={section.clone()} />
                        <SitesSection key={format!("sites{generation}")} section={section.clone()} />
                        <TransferSection on_imported={ctx.link().callback(|()| Msg::Imported)} section={section} />
                    </>
                }
            }
        };
        html! {
            <div class={classes!("pa-root", "pa-settings", props.dark.then_some("is-dark"))} lang={lang.tag()} data-pa="options">
                <main class="pa-set-main">
                    <h1>{ w.options_title }</h1>
                    { body }
                </main>
            </div>
        }
    }
}

impl Options {
    /// The chosen language, else the browser's.
    fn lang(&self, ctx: &Context<Self>) -> Lang {
        let setting = match &self.loaded {
            Some(Ok((stored, _))) => Some(stored.lang.as_str()),
            _ => None,
        };
        Lang::pick(setting, None, Some(ctx.props().browser_lang.tag()))
    }
}

fn load(ctx: &Context<Options>) {
    let host = ctx.props().host.clone();
    let link = ctx.link().clone();
    wasm_bindgen_futures::spawn_local(async move {
        let local = host.read_local().await;
        let managed = host.read_managed().await;
        link.send_message(Msg::Loaded(Box::new(local.map(|local| (Stored::from_local(&local), Policy::from_managed(&managed))))));
    });
}

#[derive(Properties, PartialEq)]
struct GrantProps {
    lang: Lang,
    host: Host,
    ask: GrantAsk,
    on_saved: Callback<()>,
}

/// The connection test's missing host access (or endpoint), granted by the admin's click here:
/// the console page cannot ask for it.
#[function_component(GrantBanner)]
fn grant_banner(props: &GrantProps) -> Html {
    let w = words(props.lang);
    let outcome = use_state(|| None::<bool>);
    let click = {
        let (host, ask, outcome, on_saved) = (props.host.clone(), props.ask.clone(), outcome.clone(), props.on_saved.clone());
        Callback::from(move |e: MouseEvent| {
            if !e.is_trusted() {
                return;
            }
            // The request first: it must stay inside the click's user gesture.
            let granted = host.request_hosts(vec![ask.origin.clone()]);
            let (host, ask, outcome, on_saved) = (host.clone(), ask.clone(), outcome.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let granted = granted.await;
                if granted && ask.add {
                    if let Ok(local) = host.read_local().await {
                        let mut list = Stored::from_local(&local).token_endpoints;
                        if !list.contains(&ask.origin) {
                            list.push(ask.origin.clone());
                        }
                        let _ = host.write(serde_json::json!({ crate::core::settings::TOKEN_ENDPOINTS_KEY: list })).await;
                        on_saved.emit(());
                    }
                }
                outcome.set(Some(granted));
            });
        })
    };
    let label = filled(if props.ask.add { w.allow_button } else { w.grant_button }, &[("origin", &props.ask.origin)]);
    let (ok, text) = match *outcome {
        Some(true) => (Some("true"), w.granted_again),
        Some(false) => (Some("false"), w.not_granted),
        None => (None, ""),
    };
    html! {
        <section id="grant" class="pa-set-section pa-set-grant" aria-labelledby="grant-button">
            <p class="pa-set-hint">{ w.grant_hint }</p>
            <button id="grant-button" type="button" class="pa-set-primary" onclick={click}>{ label }</button>
            <p id="grant-status" role="status" data-ok={ok}>{ text }</p>
        </section>
    }
}
