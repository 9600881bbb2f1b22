//! The guided panel: the whole procedure as a checklist, the step of the open page marked current.

use yew::prelude::*;

use crate::core::guide::{self, Branch, Required, Step, STEPS};
use crate::core::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub lang: Lang,
    pub current_page: Option<&'static str>,
    pub collapsed: bool,
    pub on_toggle: Callback<()>,
}

/// UI strings of the panel itself (the guide's own text comes from `guide/`).
struct Labels {
    title: &'static str,
    collapse: &'static str,
    expand: &'static str,
    required: &'static str,
    optional: &'static str,
    conditional: &'static str,
    path: &'static str,
    current: &'static str,
    legacy: &'static str,
    v8: &'static str,
    no_page: &'static str,
}

const ZH: Labels = Labels {
    title: "发票云配置助手",
    collapse: "收起",
    expand: "发票云配置助手",
    required: "必需",
    optional: "可选",
    conditional: "视情况",
    path: "路径",
    current: "当前页面",
    legacy: "低于V8.0",
    v8: "V8.0及以上",
    no_page: "当前页面不属于发票云配置步骤。",
};

const EN: Labels = Labels {
    title: "Piaozone setup",
    collapse: "Collapse",
    expand: "Piaozone setup",
    required: "Required",
    optional: "Optional",
    conditional: "Depends",
    path: "Path",
    current: "Current page",
    legacy: "Below V8.0",
    v8: "V8.0+",
    no_page: "This page is not part of the Piaozone setup.",
};

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

#[function_component]
pub fn Panel(props: &PanelProps) -> Html {
    let lang = props.lang;
    let l = labels(lang);
    let current_step = props.current_page.and_then(guide::step_for_page).map(|s| s.id);
    // A step the admin opened by click; the current step is always open.
    let selected = use_state(|| None::<&'static str>);
    let toggle = {
        let on_toggle = props.on_toggle.clone();
        Callback::from(move |_: MouseEvent| on_toggle.emit(()))
    };
    if props.collapsed {
        let current_title = current_step.and_then(guide::step).map(|s| s.title.get(lang));
        return html! {
            <button class="pa-reopen" data-pa="panel-reopen" type="button" onclick={toggle} aria-expanded="false">
                { l.expand }
                if let Some(title) = current_title { <span class="pa-reopen-step">{ " · " }{ title }</span> }
            </button>
        };
    }
    html! {
        <aside class="pa-panel" data-pa="panel" role="complementary" aria-label={l.title} lang={lang.tag()}>
            <header class="pa-head">
                <h2>{ l.title }</h2>
                <button class="pa-icon" data-pa="panel-collapse" type="button" onclick={toggle}
                        aria-expanded="true" aria-label={l.collapse} title={l.collapse}>{ "—" }</button>
            </header>
            if current_step.is_none() {
                <p class="pa-note">{ l.no_page }</p>
            }
            <ol class="pa-steps">
                { for STEPS.iter().map(|step| {
                    let select = {
                        let selected = selected.clone();
                        let id = step.id;
                        Callback::from(move |_: MouseEvent| {
                            selected.set(if *selected == Some(id) { None } else { Some(id) })
                        })
                    };
                    let open = current_step == Some(step.id) || *selected == Some(step.id);
                    step_item(step, current_step == Some(step.id), open, select, lang)
                }) }
            </ol>
        </aside>
    }
}

fn step_item(step: &'static Step, is_current: bool, open: bool, on_select: Callback<MouseEvent>, lang: Lang) -> Html {
    let l = labels(lang);
    let (required_class, required_text) = match step.required {
        Required::Yes => ("pa-req yes", l.required),
        Required::No => ("pa-req no", l.optional),
        Required::Conditional => ("pa-req cond", l.conditional),
    };
    let branch = match step.branch {
        Branch::Both => None,
        Branch::V8 => Some(l.v8),
        Branch::Legacy => Some(l.legacy),
    };
    let state = if is_current { "current" } else { "todo" };
    html! {
        <li class={classes!("pa-step", is_current.then_some("is-current"))} data-step={step.id} data-state={state}
            aria-current={is_current.then_some("step")}>
            <button class="pa-step-head" type="button" onclick={on_select} aria-expanded={open.to_string()}>
                <span class="pa-step-title">{ step.title.get(lang) }</span>
                <span class={required_class}>{ required_text }</span>
                if let Some(branch) = branch { <span class="pa-branch">{ branch }</span> }
                if is_current { <span class="pa-current-tag">{ l.current }</span> }
            </button>
            if let Some(condition) = step.condition {
                <p class="pa-cond">{ condition.get(lang) }</p>
            }
            <p class="pa-path"><span class="pa-path-label">{ l.path }{ "：" }</span>{ step.path.get(lang) }</p>
            if open {
                <p class="pa-guidance">{ step.guidance.get(lang) }</p>
            }
        </li>
    }
}
