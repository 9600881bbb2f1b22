//! The root component: owns what the content script learned (detected page, worker state, what
//! the console showed, the console's messages) and the checklist's progress, and hands them to
//! the panel. Progress goes out through `on_progress`; the content script stores it.

use std::rc::Rc;

use yew::prelude::*;

use super::comparison::CompareState;
use super::connection::ConnectionTest;
use super::overlay::{FieldView, Overlays};
use super::panel::{labels, Action, Panel};
use super::report::ReportPreview;
use crate::core::faq::match_text;
use crate::core::guide::{self, Branch};
use crate::core::i18n::{english_installed, Lang};
use crate::core::overlay::Display;
use crate::core::progress::{effective, observed_steps, Progress, Rect, Seen};
use crate::core::protocol::{LastTest, PanelAction, Request, TabView, Verdict};
use crate::core::validate::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerState {
    Pending,
    Ready,
    Unreachable,
}

impl WorkerState {
    fn attr(self) -> &'static str {
        match self {
            WorkerState::Pending => "pending",
            WorkerState::Ready => "ready",
            WorkerState::Unreachable => "unreachable",
        }
    }
}

pub enum Msg {
    /// The page (or dialog) detected on the console, by page id, and the 发票云 branch its
    /// variant shows (`Both` when it shows none).
    Detected(Option<&'static str>, Branch),
    Worker(WorkerState),
    /// The validation overlays to draw, positioned.
    Overlays(Rc<Vec<FieldView>>),
    /// Steps the console showed done.
    Observed(Vec<&'static str>),
    /// Texts of messages the console just showed (toasts, notifications, message boxes).
    ConsoleMessages(Vec<String>),
    Lang(Lang),
    /// The console uses a dark theme.
    Dark(bool),
    Panel(Action),
    CloseReport,
    /// Where 对照清单 is (reading, failed, compared), from the content script.
    Compared(CompareState),
    /// The side panel is reading a list file for this page.
    CompareReading(String),
    /// What the admin did in the side panel's checklist.
    Remote(PanelAction),
    /// The checklist moved to the side panel (`true`) or into the page.
    InSide(bool),
    /// The connection test ended with this result.
    Tested(LastTest),
    /// The guide's English texts are in memory now.
    EnglishLoaded,
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub lang: Lang,
    /// In a console frame only the overlays are drawn; the panel belongs to the top window.
    #[prop_or_default]
    pub in_frame: bool,
    /// The progress stored for this console origin.
    #[prop_or_default]
    pub progress: Progress,
    /// Called with the progress whenever it changes, to store it.
    #[prop_or_default]
    pub on_progress: Callback<Progress>,
    /// Builds the page-structure report of the console page, in this language.
    #[prop_or(Callback::from(|_| String::new()))]
    pub page_report: Callback<Lang, String>,
    /// 对照清单: a list file to compare the grid with, or `None` to stop comparing.
    #[prop_or_default]
    pub on_compare: Callback<Option<web_sys::File>>,
    /// To the background worker (the connection test).
    #[prop_or_default]
    pub send: super::Sender,
    /// The checklist lives in the side panel: the page shows only a launcher for it.
    #[prop_or_default]
    pub in_side: bool,
    /// Called with what the side panel shows whenever it changed (top frame only).
    #[prop_or_default]
    pub on_view: Callback<TabView>,
    /// The panel needs the guide's English texts, which this module may not have: load them,
    /// then send `Msg::EnglishLoaded`.
    #[prop_or_default]
    pub on_english: Callback<()>,
}

pub struct App {
    lang: Lang,
    dark: bool,
    current_page: Option<&'static str>,
    worker: WorkerState,
    overlays: Rc<Vec<FieldView>>,
    progress: Rc<Progress>,
    troubles: Rc<Vec<&'static str>>,
    /// The polite live region's text: new errors and troubleshooter matches.
    announcement: String,
    /// The page-structure report being previewed.
    report: Option<AttrValue>,
    compare: CompareState,
    in_side: bool,
    last_test: Option<LastTest>,
    /// The last view handed to `on_view`.
    shown_aside: Option<TabView>,
}

fn viewport() -> (f64, f64) {
    let Some(window) = web_sys::window() else { return (0.0, 0.0) };
    let size = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    (size(window.inner_width()), size(window.inner_height()))
}

fn rect_of(view: &FieldView) -> Rect {
    let (left, top, width, height) = view.rect;
    Rect { left, top, width, height }
}

/// The console input that has focus, if it is one of the fields we draw over.
fn focused_field(views: &[FieldView]) -> Option<Rect> {
    let active = web_sys::window()?.document()?.active_element()?;
    if !matches!(active.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
        return None;
    }
    let rect = active.get_bounding_client_rect();
    let focused = Rect { left: rect.left(), top: rect.top(), width: rect.width(), height: rect.height() };
    views.iter().map(rect_of).any(|r| r.intersects(&focused)).then_some(focused)
}

/// Errors that were not shown before, for the live region.
fn new_errors(before: &[FieldView], now: &[FieldView]) -> Vec<String> {
    let is_error = |v: &FieldView| v.display == Display::Verdict && v.severity == Severity::Error;
    now.iter()
        .filter(|v| is_error(v) && !before.iter().any(|b| b.key == v.key && is_error(b) && b.rule == v.rule))
        .map(|v| {
            let label = guide::field(v.field_id).and_then(|f| f.labels.first()).copied().unwrap_or(v.field_id);
            format!("{label}：{}", v.message)
        })
        .collect()
}

impl App {
    /// The admin's choice; until they make one, the panel stays out of the way of the fields.
    fn chosen_collapsed(&self) -> bool {
        self.progress.placement.collapsed.unwrap_or_else(|| {
            let panel = self.progress.placement.rect(self.progress.placement.dock, viewport());
            self.overlays.iter().filter(|v| !v.over_grid).any(|v| rect_of(v).intersects(&panel))
        })
    }

    fn change_progress(&mut self, ctx: &Context<Self>, change: impl FnOnce(&mut Progress) -> bool) -> bool {
        let changed = change(Rc::make_mut(&mut self.progress));
        if changed {
            ctx.props().on_progress.emit((*self.progress).clone());
        }
        changed
    }

    fn act(&mut self, ctx: &Context<Self>, action: Action) -> bool {
        let collapsed = self.chosen_collapsed();
        let height = viewport().1;
        match action {
            Action::Dismiss(id) => {
                Rc::make_mut(&mut self.troubles).retain(|t| *t != id);
                true
            }
            Action::PageReport => {
                self.report = Some(ctx.props().page_report.emit(self.lang).into());
                true
            }
            Action::NeedEnglish => {
                ctx.props().on_english.emit(());
                false
            }
            Action::CompareWith(file) => {
                self.compare = CompareState::Reading { file: file.name() };
                ctx.props().on_compare.emit(Some(file));
                true
            }
            Action::ClearComparison => {
                self.compare = CompareState::Idle;
                ctx.props().on_compare.emit(None);
                true
            }
            action => self.change_progress(ctx, |p| {
                match action {
                    Action::ToggleCollapsed => p.placement.collapsed = Some(!collapsed),
                    Action::Tick(id) => p.toggle(id),
                    Action::ChooseBranch(branch) => p.choose_branch(branch),
                    Action::Reset => p.reset(),
                    Action::Dock(dock) => p.placement.dock = dock,
                    Action::Move(dy) => p.placement = p.placement.moved(dy, height),
                    Action::Dismiss(_) | Action::PageReport | Action::CompareWith(_) | Action::ClearComparison | Action::NeedEnglish => {
                        return false
                    }
                }
                true
            }),
        }
    }

    /// Gives the side panel's view to `on_view` when it changed (the top frame's only).
    fn hand_out(&mut self, ctx: &Context<Self>) {
        if ctx.props().in_frame {
            return;
        }
        let view = self.aside();
        if self.shown_aside.as_ref() != Some(&view) {
            ctx.props().on_view.emit(view.clone());
            self.shown_aside = Some(view);
        }
    }

    /// What the side panel shows of this tab.
    fn aside(&self) -> TabView {
        let verdicts = self
            .overlays
            .iter()
            .filter(|v| v.display.shows_message() && !v.message.is_empty())
            .map(|v| Verdict {
                key: v.key.clone(),
                field_id: v.field_id.into(),
                severity: v.severity,
                rule: v.rule.into(),
                message: v.message.clone(),
                fix: v.fix.clone(),
            })
            .collect();
        TabView {
            lang: self.lang,
            dark: self.dark,
            page: self.current_page.map(Into::into),
            progress: (*self.progress).clone(),
            troubles: self.troubles.iter().map(|t| (*t).into()).collect(),
            compare: self.current_page.and_then(guide::page).and_then(|p| p.grid).map(|_| self.compare.clone()),
            verdicts,
            last_test: self.last_test.clone(),
        }
    }

    fn console_messages(&mut self, texts: Vec<String>) -> bool {
        let found: Vec<&'static str> = texts.iter().filter_map(|t| match_text(t).first().map(|m| m.faq.id)).collect();
        if found.is_empty() {
            return false;
        }
        let troubles = Rc::make_mut(&mut self.troubles);
        for id in &found {
            troubles.retain(|t| t != id);
            troubles.insert(0, id);
        }
        let titles: Vec<&str> = found.iter().filter_map(|id| guide::faq(id)).map(|f| f.title.get(self.lang)).collect();
        let l = labels(self.lang);
        self.announcement = format!("{}{}{}", l.problem, l.colon, titles.join("; "));
        // The troubleshooter is in the panel: open it.
        Rc::make_mut(&mut self.progress).placement.collapsed = Some(false);
        true
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        App {
            lang: ctx.props().lang,
            dark: false,
            current_page: None,
            worker: WorkerState::Pending,
            overlays: Rc::default(),
            progress: Rc::new(ctx.props().progress.clone()),
            troubles: Rc::default(),
            announcement: String::new(),
            report: None,
            compare: CompareState::Idle,
            in_side: ctx.props().in_side,
            last_test: None,
            shown_aside: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Detected(page, branch) => {
                let branch_changed = self.change_progress(ctx, |p| p.observe_branch(branch));
                let page_changed = page != self.current_page;
                self.current_page = page;
                branch_changed || page_changed
            }
            Msg::Worker(state) if state != self.worker => {
                self.worker = state;
                true
            }
            Msg::Overlays(views) if views != self.overlays => {
                let errors = new_errors(&self.overlays, &views);
                if !errors.is_empty() {
                    self.announcement = errors.join("；");
                }
                self.overlays = views;
                true
            }
            Msg::Observed(steps) => self.change_progress(ctx, |p| p.observe(&steps)),
            Msg::ConsoleMessages(texts) => self.console_messages(texts),
            Msg::Lang(lang) if lang != self.lang => {
                self.lang = lang;
                true
            }
            Msg::Dark(dark) if dark != self.dark => {
                self.dark = dark;
                true
            }
            Msg::Panel(action) => self.act(ctx, action),
            Msg::CloseReport => self.report.take().is_some(),
            Msg::EnglishLoaded => true,
            // A result for a list the admin has since cleared is dropped.
            Msg::Compared(state) if self.compare != CompareState::Idle && state != self.compare => {
                self.compare = state;
                true
            }
            Msg::CompareReading(file) => {
                self.compare = CompareState::Reading { file };
                true
            }
            Msg::Remote(action) => {
                let action = match action {
                    PanelAction::Tick(id) => guide::step(&id).map(|s| Action::Tick(s.id)),
                    PanelAction::ChooseBranch(branch) => Some(Action::ChooseBranch(branch)),
                    PanelAction::Reset => Some(Action::Reset),
                    PanelAction::Dismiss(id) => guide::faq(&id).map(|f| Action::Dismiss(f.id)),
                    PanelAction::ClearComparison => Some(Action::ClearComparison),
                    // The list itself goes to the field checks (the content script's part).
                    PanelAction::CompareReading { .. } | PanelAction::Compare { .. } | PanelAction::CompareFailed { .. } => None,
                };
                action.is_some_and(|action| self.act(ctx, action))
            }
            Msg::InSide(in_side) if in_side != self.in_side => {
                self.in_side = in_side;
                true
            }
            // The page shows it in the card already: only the side panel's view changes.
            Msg::Tested(test) => {
                self.last_test = Some(test);
                self.hand_out(ctx);
                false
            }
            _ => false,
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        self.hand_out(ctx);
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let lang = self.lang;
        let placed = effective(&self.progress.placement, self.chosen_collapsed(), focused_field(&self.overlays), viewport());
        let on_passed = ctx.link().callback(|_| Msg::Observed(observed_steps(&Seen { connection_ok: true, ..Seen::default() })));
        let open_side = {
            let send = ctx.props().send.clone();
            Callback::from(move |_: MouseEvent| {
                let answer = send.send(Request::OpenSidePanel);
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = answer.await;
                });
            })
        };
        html! {
            <div class={classes!("pa-root", self.dark.then_some("is-dark"))} data-worker={self.worker.attr()} lang={lang.tag()}>
                <Overlays views={self.overlays.clone()} lang={lang} />
                if !ctx.props().in_frame && self.in_side {
                    <button type="button" class={classes!("pa-reopen", "dock-right", (!self.troubles.is_empty()).then_some("has-trouble"))}
                            data-pa="side-launcher" onclick={open_side}>
                        { labels(lang).title }{ " · " }{ labels(lang).open_side }
                    </button>
                }
                if !ctx.props().in_frame && !self.in_side {
                    <Panel
                        lang={lang}
                        current_page={self.current_page}
                        progress={self.progress.clone()}
                        dock={placed.dock}
                        collapsed={placed.collapsed}
                        troubles={self.troubles.clone()}
                        compare={self.current_page.and_then(guide::page).and_then(|p| p.grid).map(|_| self.compare.clone())}
                        on_action={ctx.link().callback(Msg::Panel)}
                        english={english_installed()}
                    />
                }
                if let Some(page) = self.current_page.filter(|id| guide::page(id).is_some_and(|p| p.test_button.is_some())) {
                    <ConnectionTest lang={lang} page={page} send={ctx.props().send.clone()} on_passed={on_passed}
                        on_answer={ctx.link().callback(Msg::Tested)} />
                }
                if let Some(text) = &self.report {
                    <ReportPreview lang={lang} text={text.clone()} on_close={ctx.link().callback(|()| Msg::CloseReport)} />
                }
                <div class="pa-sr" role="status" aria-live="polite" data-pa="live">{ &self.announcement }</div>
            </div>
        }
    }
}
