//! The guided panel: the whole procedure as a checklist (what is done and how, the open page's
//! step current), the troubleshooter for the console's messages, and a search over the FAQ and
//! the steps. It only shows the way: nothing here clicks through the console.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::comparison::{CompareState, ListComparison};
use crate::core::guide::{self, Branch, Faq, Required, Step, STEPS};
use crate::core::i18n::Lang;
use crate::core::progress::{Completion, Dock, Progress, StepState};
use crate::core::search::{search, Hit};

/// What the admin asked of the panel; the app owns the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    ToggleCollapsed,
    Tick(&'static str),
    ChooseBranch(Branch),
    Reset,
    Dock(Dock),
    /// Move the panel vertically by this many pixels.
    Move(f64),
    Dismiss(&'static str),
    /// Show the page-structure report of the console page.
    PageReport,
    /// 对照清单: compare this page's grid with the companies of this file.
    CompareWith(web_sys::File),
    ClearComparison,
    /// The search has English words, and this module has no English texts yet
    /// (`core::i18n::english_installed`): load them.
    NeedEnglish,
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub lang: Lang,
    pub current_page: Option<&'static str>,
    pub progress: Rc<Progress>,
    /// Where it is drawn now (it may stand aside for the field being edited).
    pub dock: Dock,
    pub collapsed: bool,
    /// FAQ entries the console's messages matched, newest first.
    pub troubles: Rc<Vec<&'static str>>,
    /// 对照清单, on a page whose grid shows companies.
    pub compare: Option<CompareState>,
    pub on_action: Callback<Action>,
    /// Drawn in the browser's side panel: it fills it, with nothing to move, dock or collapse.
    #[prop_or_default]
    pub in_side: bool,
    /// The guide's English texts are in memory: the search looks in them too (a change draws the
    /// results again).
    #[prop_or(true)]
    pub english: bool,
}

/// UI strings of the panel itself (the guide's own text comes from `guide/`).
pub(crate) struct Labels {
    pub title: &'static str,
    collapse: &'static str,
    required: &'static str,
    optional: &'static str,
    conditional: &'static str,
    path: &'static str,
    current: &'static str,
    legacy: &'static str,
    v8: &'static str,
    no_page: &'static str,
    steps: &'static str,
    observed: &'static str,
    ticked: &'static str,
    tick: &'static str,
    version: &'static str,
    version_seen: &'static str,
    reset: &'static str,
    page_report: &'static str,
    dock_left: &'static str,
    dock_right: &'static str,
    move_panel: &'static str,
    search: &'static str,
    search_results: &'static str,
    no_results: &'static str,
    troubleshooter: &'static str,
    cause: &'static str,
    fix: &'static str,
    go_to_step: &'static str,
    dismiss: &'static str,
    done_count: &'static str,
    pub open_side: &'static str,
    pub problem: &'static str,
    /// "：" in Chinese, ": " in English.
    pub colon: &'static str,
}

const ZH: Labels = Labels {
    title: "发票云配置助手",
    collapse: "收起",
    required: "必需",
    optional: "可选",
    conditional: "视情况",
    path: "路径",
    current: "当前页面",
    legacy: "低于V8.0",
    v8: "V8.0及以上",
    no_page: "当前页面不属于发票云配置步骤。",
    steps: "配置步骤",
    observed: "自动识别",
    ticked: "手动勾选",
    tick: "标记完成",
    version: "发票云版本",
    version_seen: "（页面识别）",
    reset: "重置进度",
    page_report: "复制页面结构",
    dock_left: "停靠左侧",
    dock_right: "停靠右侧",
    move_panel: "移动面板（↑↓ 上下移动，←→ 换边）",
    search: "搜索问题或步骤",
    search_results: "搜索结果",
    no_results: "没有找到。",
    troubleshooter: "问题排查",
    cause: "原因",
    fix: "解决",
    go_to_step: "查看步骤",
    dismiss: "知道了",
    done_count: "已完成",
    open_side: "在侧边栏打开",
    problem: "发现问题",
    colon: "：",
};

const EN: Labels = Labels {
    title: "Piaozone setup",
    collapse: "Collapse",
    required: "Required",
    optional: "Optional",
    conditional: "Depends",
    path: "Path",
    current: "Current page",
    legacy: "Below V8.0",
    v8: "V8.0+",
    no_page: "This page is not part of the Piaozone setup.",
    steps: "Setup steps",
    observed: "Detected",
    ticked: "Ticked",
    tick: "Mark done",
    version: "Piaozone version",
    version_seen: " (seen on the page)",
    reset: "Reset progress",
    page_report: "Copy page structure",
    dock_left: "Dock left",
    dock_right: "Dock right",
    move_panel: "Move the panel (↑↓ up and down, ←→ side)",
    search: "Search problems or steps",
    search_results: "Search results",
    no_results: "Nothing found.",
    troubleshooter: "Troubleshooter",
    cause: "Cause",
    fix: "Fix",
    go_to_step: "Go to step",
    dismiss: "Dismiss",
    done_count: "done",
    open_side: "Open in side panel",
    problem: "Problem found",
    colon: ": ",
};

pub(crate) fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// Pixels one arrow key moves the panel.
const KEY_STEP_PX: f64 = 40.0;

#[function_component]
pub fn Panel(props: &PanelProps) -> Html {
    let lang = props.lang;
    let l = labels(lang);
    let on_action = props.on_action.clone();
    let current_step = props.current_page.and_then(guide::step_for_page).map(|s| s.id);
    // A step the admin opened by click (the current step is always open), the search text, the
    // FAQ result opened, and a drag in progress (pointer y at its start, offset so far).
    let selected = use_state(|| None::<&'static str>);
    let query = use_state(String::new);
    let open_faq = use_state(|| None::<&'static str>);
    let drag = use_state(|| None::<(f64, f64)>);
    let steps_ref = use_node_ref();

    // "Go to step" and step results bring the step into view and focus it.
    {
        let steps_ref = steps_ref.clone();
        use_effect_with(*selected, move |selected| {
            let head = selected.and_then(|id| {
                let list = steps_ref.cast::<Element>()?;
                list.query_selector(&format!("[data-step=\"{id}\"] .pa-step-head")).ok().flatten()
            });
            if let Some(head) = head.and_then(|h| h.dyn_into::<HtmlElement>().ok()) {
                head.scroll_into_view();
                let _ = head.focus();
            }
        });
    }

    // After collapse or reopen, focus lands on the button that undoes it, so a keyboard user
    // keeps their place.
    let toggle_ref = use_node_ref();
    let toggled = use_mut_ref(|| false);
    {
        let toggle_ref = toggle_ref.clone();
        let toggled = toggled.clone();
        use_effect_with(props.collapsed, move |_| {
            if std::mem::take(&mut *toggled.borrow_mut()) {
                if let Some(button) = toggle_ref.cast::<HtmlElement>() {
                    let _ = button.focus();
                }
            }
        });
    }
    let toggle = {
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| {
            *toggled.borrow_mut() = true;
            on_action.emit(Action::ToggleCollapsed);
        })
    };

    let act = |action: Action| {
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    if props.collapsed {
        let current_title = current_step.and_then(guide::step).map(|s| s.title.get(lang));
        return html! {
            <button class={classes!("pa-reopen", format!("dock-{}", props.dock.as_str()))} data-pa="panel-reopen" type="button"
                    ref={toggle_ref} onclick={toggle} aria-expanded="false">
                { l.title }
                if let Some(title) = current_title { <span class="pa-reopen-step">{ " · " }{ title }</span> }
            </button>
        };
    }

    let progress = &props.progress;
    let (done, total) = progress.count();
    let top = progress.placement.top + drag.map(|(_, dy)| dy).unwrap_or(0.0);
    let style = format!("top:{top:.0}px");

    // Dragging the header moves the panel up and down; letting go on the other half of the
    // screen docks it there.
    let on_pointer_down = {
        let drag = drag.clone();
        Callback::from(move |e: PointerEvent| {
            let on_control = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .is_some_and(|t| t.closest("button:not(.pa-grip)").ok().flatten().is_some());
            if e.button() != 0 || on_control {
                return;
            }
            if let Some(header) = e.current_target().and_then(|t| t.dyn_into::<Element>().ok()) {
                let _ = header.set_pointer_capture(e.pointer_id());
            }
            drag.set(Some((f64::from(e.client_y()), 0.0)));
        })
    };
    let on_pointer_move = {
        let drag = drag.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some((start, _)) = *drag {
                drag.set(Some((start, f64::from(e.client_y()) - start)));
            }
        })
    };
    let on_pointer_up = {
        let drag = drag.clone();
        let on_action = on_action.clone();
        let dock = props.dock;
        Callback::from(move |e: PointerEvent| {
            // From the event itself: the last move may not have rendered yet.
            let Some((start, _)) = *drag else { return };
            let dy = f64::from(e.client_y()) - start;
            drag.set(None);
            if dy != 0.0 {
                on_action.emit(Action::Move(dy));
            }
            let width = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|w| w.as_f64()).unwrap_or(0.0);
            let side = if f64::from(e.client_x()) < width / 2.0 { Dock::Left } else { Dock::Right };
            if side != dock {
                on_action.emit(Action::Dock(side));
            }
        })
    };
    let on_grip_key = {
        let on_action = on_action.clone();
        Callback::from(move |e: KeyboardEvent| {
            let action = match e.key().as_str() {
                "ArrowUp" => Action::Move(-KEY_STEP_PX),
                "ArrowDown" => Action::Move(KEY_STEP_PX),
                "ArrowLeft" => Action::Dock(Dock::Left),
                "ArrowRight" => Action::Dock(Dock::Right),
                _ => return,
            };
            e.prevent_default();
            on_action.emit(action);
        })
    };
    // Esc closes what is open on top: a search, else a step's details.
    let on_key = {
        let query = query.clone();
        let selected = selected.clone();
        let open_faq = open_faq.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Escape" {
                return;
            }
            if !query.is_empty() || open_faq.is_some() {
                query.set(String::new());
                open_faq.set(None);
            } else if selected.is_some() {
                selected.set(None);
            } else {
                return;
            }
            e.stop_propagation();
        })
    };
    let on_search = {
        let query = query.clone();
        let (on_action, english) = (on_action.clone(), props.english);
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                let value = input.value();
                if !english && value.chars().any(|c| c.is_ascii_alphabetic()) {
                    on_action.emit(Action::NeedEnglish);
                }
                query.set(value);
            }
        })
    };
    let go_to = |step: &'static str| {
        let selected = selected.clone();
        let query = query.clone();
        Callback::from(move |_: MouseEvent| {
            query.set(String::new());
            selected.set(Some(step));
        })
    };
    let other_dock = props.dock.other();
    let dock_label = match other_dock {
        Dock::Left => l.dock_left,
        Dock::Right => l.dock_right,
    };

    let head = if props.in_side {
        html! {
            <header class="pa-head">
                <h2>{ l.title }</h2>
                <span class="pa-count" data-pa="progress-count">{ format!("{done}/{total} {}", l.done_count) }</span>
            </header>
        }
    } else {
        html! {
            <header class="pa-head" onpointerdown={on_pointer_down} onpointermove={on_pointer_move} onpointerup={on_pointer_up.clone()}
                    onpointercancel={on_pointer_up}>
                <button class="pa-icon pa-grip" data-pa="panel-move" type="button" aria-label={l.move_panel} title={l.move_panel}
                        onkeydown={on_grip_key}>{ "⠿" }</button>
                <h2>{ l.title }</h2>
                <span class="pa-count" data-pa="progress-count">{ format!("{done}/{total} {}", l.done_count) }</span>
                <button class="pa-icon" data-pa="panel-dock" type="button" aria-label={dock_label} title={dock_label}
                        onclick={act(Action::Dock(other_dock))}>{ if other_dock == Dock::Left { "⇤" } else { "⇥" } }</button>
                <button class="pa-icon" data-pa="panel-collapse" type="button" ref={toggle_ref} onclick={toggle}
                        aria-expanded="true" aria-label={l.collapse} title={l.collapse}>{ "—" }</button>
            </header>
        }
    };
    html! {
        <aside class={classes!("pa-panel", format!("dock-{}", props.dock.as_str()), drag.is_some().then_some("is-dragging"),
                               props.in_side.then_some("in-side"))}
               data-pa="panel" data-dock={props.dock.as_str()} role="complementary" aria-label={l.title} lang={lang.tag()}
               style={(!props.in_side).then_some(style)} onkeydown={on_key}>
            { head }
            <div class="pa-body">
                if !props.troubles.is_empty() {
                    <section class="pa-trouble" data-pa="troubleshooter" aria-label={l.troubleshooter}>
                        <h3>{ l.troubleshooter }</h3>
                        { for props.troubles.iter().filter_map(|id| guide::faq(id)).map(|faq| html! {
                            <article class="pa-faq" data-faq={faq.id} key={faq.id} aria-label={faq.title.get(lang)}>
                                { faq_body(faq, lang) }
                                <div class="pa-faq-actions">
                                    if let Some(step) = faq.step.and_then(guide::step) {
                                        <button type="button" class="pa-link" data-pa="faq-step" onclick={go_to(step.id)}>
                                            { l.go_to_step }{ l.colon }{ step.title.get(lang) }
                                        </button>
                                    }
                                    <button type="button" class="pa-link" data-pa="faq-dismiss" onclick={act(Action::Dismiss(faq.id))}>{ l.dismiss }</button>
                                </div>
                            </article>
                        }) }
                    </section>
                }
                <div class="pa-search">
                    <input type="search" data-pa="search" aria-label={l.search} placeholder={l.search}
                           value={(*query).clone()} oninput={on_search} />
                </div>
                if !query.trim().is_empty() {
                    { search_results(&query, lang, &open_faq, &go_to) }
                }
                { branch_choice(progress, lang, &on_action) }
                if let Some(state) = &props.compare {
                    <ListComparison lang={lang} state={state.clone()}
                        on_file={on_action.reform(Action::CompareWith)} on_clear={on_action.reform(|()| Action::ClearComparison)} />
                }
                if current_step.is_none() {
                    <p class="pa-note">{ l.no_page }</p>
                }
                <ol class="pa-steps" aria-label={l.steps} ref={steps_ref}>
                    { for STEPS.iter().filter(|s| progress.applies(s)).map(|step| {
                        let select = {
                            let selected = selected.clone();
                            let id = step.id;
                            Callback::from(move |_: MouseEvent| selected.set(if *selected == Some(id) { None } else { Some(id) }))
                        };
                        let is_current = current_step == Some(step.id);
                        let open = is_current || *selected == Some(step.id);
                        step_item(step, progress.state(step, current_step), is_current, open, select, act(Action::Tick(step.id)), lang)
                    }) }
                </ol>
                <footer class="pa-foot">
                    <button type="button" class="pa-link" data-pa="page-report" onclick={act(Action::PageReport)}>{ l.page_report }</button>
                    <button type="button" class="pa-link" data-pa="reset" onclick={act(Action::Reset)}>{ l.reset }</button>
                </footer>
            </div>
        </aside>
    }
}

fn faq_body(faq: &Faq, lang: Lang) -> Html {
    let l = labels(lang);
    html! {
        <>
            <h4 class="pa-faq-title">{ faq.title.get(lang) }</h4>
            <p><b>{ l.cause }{ l.colon }</b>{ faq.cause.get(lang) }</p>
            <p><b>{ l.fix }{ l.colon }</b>{ faq.fix.get(lang) }</p>
        </>
    }
}

fn search_results(
    query: &str,
    lang: Lang,
    open_faq: &UseStateHandle<Option<&'static str>>,
    go_to: &dyn Fn(&'static str) -> Callback<MouseEvent>,
) -> Html {
    let l = labels(lang);
    let hits = search(query);
    html! {
        <ul class="pa-results" data-pa="search-results" aria-label={l.search_results}>
            if hits.is_empty() { <li class="pa-note">{ l.no_results }</li> }
            { for hits.iter().map(|hit| match hit {
                Hit::Faq(faq) => {
                    let is_open = **open_faq == Some(faq.id);
                    let toggle = {
                        let open_faq = open_faq.clone();
                        let id = faq.id;
                        Callback::from(move |_: MouseEvent| open_faq.set(if is_open { None } else { Some(id) }))
                    };
                    html! {
                        <li data-hit={hit.key()}>
                            <button type="button" class="pa-hit" aria-expanded={is_open.to_string()} onclick={toggle}>
                                <span class="pa-hit-kind">{ "FAQ" }</span>{ faq.title.get(lang) }
                            </button>
                            if is_open { <div class="pa-faq">{ faq_body(faq, lang) }</div> }
                        </li>
                    }
                }
                Hit::Step(step) => html! {
                    <li data-hit={hit.key()}>
                        <button type="button" class="pa-hit" onclick={go_to(step.id)}>
                            <span class="pa-hit-kind">{ l.steps }</span>{ step.title.get(lang) }
                        </button>
                    </li>
                },
            }) }
        </ul>
    }
}

/// The V8.0+ / legacy choice: shown as seen when the console showed it, else the admin picks.
fn branch_choice(progress: &Progress, lang: Lang, on_action: &Callback<Action>) -> Html {
    let l = labels(lang);
    if progress.branch_observed {
        let name = if progress.branch == Some(Branch::Legacy) { l.legacy } else { l.v8 };
        return html! { <p class="pa-version" data-pa="version" data-branch={branch_attr(progress.branch)}>{ l.version }{ l.colon }{ name }{ l.version_seen }</p> };
    }
    let choice = |branch: Branch, text: &'static str| {
        let on_action = on_action.clone();
        let pressed = progress.branch == Some(branch);
        html! {
            <button type="button" class="pa-choice" aria-pressed={pressed.to_string()} data-branch={branch_attr(Some(branch))}
                    onclick={Callback::from(move |_: MouseEvent| on_action.emit(Action::ChooseBranch(branch)))}>{ text }</button>
        }
    };
    html! {
        <div class="pa-version" data-pa="version" data-branch={branch_attr(progress.branch)} role="group" aria-label={l.version}>
            <span>{ l.version }{ l.colon }</span>
            { choice(Branch::V8, l.v8) }
            { choice(Branch::Legacy, l.legacy) }
        </div>
    }
}

fn branch_attr(branch: Option<Branch>) -> &'static str {
    match branch {
        Some(Branch::V8) => "v8",
        Some(Branch::Legacy) => "legacy",
        _ => "unknown",
    }
}

fn step_item(
    step: &'static Step,
    state: StepState,
    is_current: bool,
    open: bool,
    on_select: Callback<MouseEvent>,
    on_tick: Callback<MouseEvent>,
    lang: Lang,
) -> Html {
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
    let how = match state {
        StepState::Done(how) => Some(how),
        _ => None,
    };
    let title = step.title.get(lang);
    html! {
        <li class={classes!("pa-step", is_current.then_some("is-current"))} data-step={step.id} data-state={state.as_str()}
            data-completion={how.map(Completion::as_str)} aria-current={is_current.then_some("step")}>
            <button type="button" class="pa-tick" role="checkbox" aria-checked={how.is_some().to_string()} data-pa="tick"
                    aria-label={format!("{}{}{title}", l.tick, l.colon)} onclick={on_tick}>{ if how.is_some() { "✓" } else { "" } }</button>
            <button class="pa-step-head" type="button" onclick={on_select} aria-expanded={open.to_string()}>
                <span class="pa-step-title">{ title }</span>
                <span class={required_class}>{ required_text }</span>
                if let Some(branch) = branch { <span class="pa-branch">{ branch }</span> }
                if is_current { <span class="pa-current-tag">{ l.current }</span> }
                if let Some(how) = how {
                    <span class={classes!("pa-how", how.as_str())}>{ if how == Completion::Observed { l.observed } else { l.ticked } }</span>
                }
            </button>
            if let Some(condition) = step.condition {
                <p class="pa-cond">{ condition.get(lang) }</p>
            }
            <p class="pa-path"><span class="pa-path-label">{ l.path }{ l.colon }</span>{ step.path.get(lang) }</p>
            if open {
                <p class="pa-guidance">{ step.guidance.get(lang) }</p>
            }
        </li>
    }
}
