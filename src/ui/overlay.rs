//! The overlay layer: an outline and a badge over each bound field, the guidance line on focus,
//! and the explanation (what, why, fix) behind the badge. Drawn in our shadow root at the fields'
//! viewport positions; nothing is added to the console's DOM.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::i18n::Lang;
use crate::core::overlay::Display;
use crate::core::validate::Severity;

/// What to draw for one field, computed by the controller each frame it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldView {
    /// Field id plus grid row: unique on the page.
    pub key: String,
    /// 对照清单's mark on a grid cell, not a field being edited: the panel does not stand aside for it.
    pub over_grid: bool,
    pub field_id: &'static str,
    /// left, top, width, height in viewport pixels.
    pub rect: (f64, f64, f64, f64),
    pub severity: Severity,
    pub rule: &'static str,
    pub display: Display,
    pub message: String,
    pub why: String,
    pub fix: String,
    pub guidance: &'static str,
}

#[derive(Properties, PartialEq)]
pub struct OverlayProps {
    pub views: Rc<Vec<FieldView>>,
    pub lang: Lang,
}

struct Words {
    why: &'static str,
    fix: &'static str,
    close: &'static str,
    explain: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Zh => Words { why: "原因", fix: "改法", close: "关闭", explain: "查看说明" },
        Lang::En => Words { why: "Why", fix: "Fix", close: "Close", explain: "Show explanation" },
    }
}

fn badge_symbol(severity: Severity, display: Display) -> &'static str {
    match (display, severity) {
        (Display::Fixed, _) => "✓",
        (_, Severity::Error) => "!",
        (_, Severity::Warning) => "!",
        (_, Severity::Info) => "i",
        (_, Severity::Ok) => "✓",
    }
}

#[function_component]
pub fn Overlays(props: &OverlayProps) -> Html {
    // The field whose explanation is open (one at a time).
    let open = use_state(|| None::<String>);
    let w = words(props.lang);
    html! {
        <div class="pa-layer">
            { for props.views.iter().map(|view| {
                let (left, top, width, height) = view.rect;
                let frame = format!("left:{left:.1}px;top:{top:.1}px;width:{width:.1}px;height:{height:.1}px");
                let is_open = open.as_deref() == Some(view.key.as_str()) && view.display == Display::Verdict;
                let toggle = {
                    let open = open.clone();
                    let key = view.key.clone();
                    Callback::from(move |_: MouseEvent| open.set(if open.as_deref() == Some(key.as_str()) { None } else { Some(key.clone()) }))
                };
                let close_on_escape = {
                    let open = open.clone();
                    Callback::from(move |e: KeyboardEvent| if e.key() == "Escape" { open.set(None) })
                };
                let close = {
                    let open = open.clone();
                    Callback::from(move |_: MouseEvent| open.set(None))
                };
                html! {
                    <div key={view.key.clone()} class={classes!("pa-field", format!("sev-{}", view.severity.as_str()), format!("show-{}", view.display.as_str()))}
                         data-field={view.field_id} data-severity={view.severity.as_str()} data-rule={view.rule}
                         data-display={view.display.as_str()} style={frame}>
                        if matches!(view.display, Display::Verdict | Display::Fixed) {
                            <button type="button" class="pa-badge" data-pa="badge" onclick={toggle} onkeydown={close_on_escape.clone()}
                                    aria-expanded={is_open.to_string()} aria-label={format!("{}：{}", w.explain, view.message)}
                                    title={view.message.clone()}>
                                { badge_symbol(view.severity, view.display) }
                            </button>
                        }
                        if view.display == Display::Guidance {
                            <p class="pa-guide" role="note">{ view.guidance }</p>
                        }
                        if is_open {
                            <div class="pa-pop" role="dialog" aria-label={view.message.clone()} data-pa="explanation" onkeydown={close_on_escape}>
                                <p class="pa-pop-what">{ &view.message }</p>
                                if !view.why.is_empty() { <p><b>{ w.why }{ "：" }</b>{ &view.why }</p> }
                                if !view.fix.is_empty() { <p><b>{ w.fix }{ "：" }</b>{ &view.fix }</p> }
                                <button type="button" class="pa-pop-close" onclick={close}>{ w.close }</button>
                            </div>
                        }
                    </div>
                }
            }) }
        </div>
    }
}
