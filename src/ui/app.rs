//! The root component: owns what the content script learned (detected page, worker state) and
//! hands it to the panel.

use std::rc::Rc;

use yew::prelude::*;

use super::connection::ConnectionTest;
use super::overlay::{FieldView, Overlays};
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
    /// The validation overlays to draw, positioned.
    Overlays(Rc<Vec<FieldView>>),
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub lang: Lang,
    /// In a console frame only the overlays are drawn; the panel belongs to the top window.
    #[prop_or_default]
    pub in_frame: bool,
}

pub struct App {
    current_page: Option<&'static str>,
    worker: WorkerState,
    /// The admin's own choice; until they make one, the panel stays out of the way of the fields.
    collapsed: Option<bool>,
    overlays: Rc<Vec<FieldView>>,
}

/// Where the open panel sits (see `.pa-panel` in style.css): right 12px, top 72px, 320px wide.
const PANEL: (f64, f64, f64) = (12.0, 72.0, 320.0);

/// Whether the open panel would cover one of the page's fields.
fn panel_would_cover(views: &[FieldView]) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let viewport_width = window.inner_width().ok().and_then(|w| w.as_f64()).unwrap_or(0.0);
    let (right, top, width) = PANEL;
    let left = viewport_width - right - width;
    views.iter().any(|v| {
        let (x, y, w, _) = v.rect;
        x < viewport_width - right && x + w > left && y + v.rect.3 > top
    })
}

impl App {
    fn is_collapsed(&self) -> bool {
        self.collapsed.unwrap_or_else(|| panel_would_cover(&self.overlays))
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(_: &Context<Self>) -> Self {
        App { current_page: None, worker: WorkerState::Pending, collapsed: None, overlays: Rc::default() }
    }

    fn update(&mut self, _: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Detected(page) if page != self.current_page => self.current_page = page,
            Msg::Worker(state) if state != self.worker => self.worker = state,
            Msg::ToggleCollapsed => self.collapsed = Some(!self.is_collapsed()),
            Msg::Overlays(views) if views != self.overlays => self.overlays = views,
            _ => return false,
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let collapsed = self.is_collapsed();
        html! {
            <div class="pa-root" data-worker={self.worker.attr()}>
                <Overlays views={self.overlays.clone()} lang={ctx.props().lang} />
                if !ctx.props().in_frame {
                    <Panel
                        lang={ctx.props().lang}
                        current_page={self.current_page}
                        collapsed={collapsed}
                        on_toggle={ctx.link().callback(|_| Msg::ToggleCollapsed)}
                    />
                }
                if self.current_page == Some("auth_config") {
                    <ConnectionTest lang={ctx.props().lang} />
                }
            </div>
        }
    }
}
