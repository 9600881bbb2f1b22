//! The root component: owns what the content script learned (detected page, worker state) and
//! hands it to the panel.

use yew::prelude::*;

use super::connection::ConnectionTest;
use super::panel::Panel;
use crate::core::i18n::Lang;

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
    /// The page (or dialog) detected on the console, by page id.
    Detected(Option<&'static str>),
    Worker(WorkerState),
    ToggleCollapsed,
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub lang: Lang,
}

pub struct App {
    current_page: Option<&'static str>,
    worker: WorkerState,
    collapsed: bool,
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(_: &Context<Self>) -> Self {
        App { current_page: None, worker: WorkerState::Pending, collapsed: false }
    }

    fn update(&mut self, _: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Detected(page) if page != self.current_page => self.current_page = page,
            Msg::Worker(state) if state != self.worker => self.worker = state,
            Msg::ToggleCollapsed => self.collapsed = !self.collapsed,
            _ => return false,
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        html! {
            <div class="pa-root" data-worker={self.worker.attr()}>
                <Panel
                    lang={ctx.props().lang}
                    current_page={self.current_page}
                    collapsed={self.collapsed}
                    on_toggle={ctx.link().callback(|_| Msg::ToggleCollapsed)}
                />
                if self.current_page == Some("auth_config") {
                    <ConnectionTest lang={ctx.props().lang} />
                }
            </div>
        }
    }
}
