//! The field checks of the content script (the controller behind the Yew `Overlays` layer): binds the detected page's fields,
//! validates on input (batched per frame), keeps each field's display state (core::overlay) and
//! hands positioned views to the Yew overlay layer. Listens on the document (delegation), so
//! inputs the console re-creates stay covered without rebinding listeners.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Event, Node};
use yew::html::Scope;

use super::messages::{self, Request, Response};
use crate::console::fields::{self, Bound};
use crate::console::grid;
use crate::core::companies::{self, is_remembered, Remembered};
use crate::core::company_list::{compare, ListCompany, Mismatch};
use crate::core::detect::Detected;
use crate::core::guide;
use crate::core::i18n::Lang;
use crate::core::overlay::{finishes_edit, Display, FieldMemory};
use crate::core::validate::{self, Context, Finding, Severity};
use crate::ui::app::{App, Msg};
use crate::ui::comparison::{CompareState, Compared};
use crate::ui::overlay::FieldView;

struct Slot {
    bound: Bound,
    memory: FieldMemory,
    findings: Vec<Finding>,
}

impl Slot {
    fn severity(&self) -> Severity {
        validate::verdict(&self.findings)
    }

    /// Field id plus grid row: unique on the page (the views' and the side panel's key).
    fn key(&self) -> String {
        format!("{}#{}", self.bound.field.id, self.bound.row)
    }
}

/// A grid row 对照清单 found different from the list: drawn like a field's verdict, over the cell
/// that differs.
struct RowMark {
    cell: web_sys::Element,
    mismatch: Mismatch,
}

impl RowMark {
    fn key(&self) -> String {
        format!("grid#{}", self.mismatch.grid_row())
    }

    /// The field the difference is about, for the overlay's `data-field`.
    fn field_id(&self) -> &'static str {
        match self.mismatch {
            Mismatch::NameDiffers { .. } => "enterprise.name",
            Mismatch::TaxIdDiffers { .. } => "enterprise.tax_id",
            Mismatch::ClientIdDiffers { .. } => "expense.client_id",
        }
    }
}

pub struct FieldChecks {
    app: Scope<App>,
    lang: Lang,
    page: Option<&'static str>,
    /// The active root (a tab page, a dialog or the body) the slots were bound in.
    root: Option<web_sys::Element>,
    slots: Vec<Slot>,
    /// What other pages showed (core::companies), stored per console origin as `seen:<origin>`.
    seen: Remembered,
    /// `seen` read from storage: written back only after, so a page never overwrites the stored
    /// companies with the few it has seen itself.
    loaded: bool,
    /// `seen` and the company this page echoes, for the checks.
    remembered: Context,
    /// Fields edited since the last frame (index, and whether the edit was a finished choice):
    /// validated once per frame, not per keystroke.
    typed: Vec<(usize, bool)>,
    /// Fields moved (scroll, resize): draw again at the next frame.
    reposition: bool,
    /// Where each slot was last drawn (`None`: not rendered): a layout change that moved no
    /// field (a form growing below them) costs only the reading.
    drawn_at: Vec<Option<Rect>>,
    frame_scheduled: bool,
    /// 对照清单's list (file name, companies), kept in this page only, until cleared.
    list: Option<(String, Rc<Vec<ListCompany>>)>,
    marks: Vec<RowMark>,
    this: Weak<RefCell<FieldChecks>>,
}

type Shared = Rc<RefCell<FieldChecks>>;
/// A field's place on screen as the views carry it: left, top, width, height (CSS px).
type Rect = (f64, f64, f64, f64);

fn now() -> f64 {
    js_sys::Date::now()
}

impl FieldChecks {
    pub fn start(document: &Document, app: Scope<App>, lang: Lang) -> Result<Shared, JsValue> {
        let shared = Rc::new(RefCell::new(FieldChecks {
            app,
            lang,
            page: None,
            root: None,
            slots: Vec::new(),
            seen: Remembered::default(),
            loaded: false,
            remembered: Context::default(),
            typed: Vec::new(),
            reposition: false,
            drawn_at: Vec::new(),
            frame_scheduled: false,
            list: None,
            marks: Vec::new(),
            this: Weak::new(),
        }));
        shared.borrow_mut().this = Rc::downgrade(&shared);
        listen(document, &shared)?;
        load_remembered(shared.clone());
        Ok(shared)
    }

    /// The console changed (a frame after its mutations): rebind in `root`, where the admin
    /// works now (see `console::active_root`).
    pub fn refresh(&mut self, detected: &Detected, root: Option<web_sys::Element>) {
        let page = detected.current().map(|p| p.id);
        let fresh = match (page, &root) {
            (Some(page), Some(root)) => fields::bind(root, page),
            _ => Vec::new(),
        };
        let mut echoed = Vec::new();
        if let (Some(page), Some(root)) = (page, &root) {
            // Other pages echo the company's name and tax id read-only; they count as seen.
            let enterprise_page = guide::field(companies::NAME).map_or("", |f| f.page);
            for (field, value) in fields::echoes(root, page, enterprise_page) {
                self.remembered.set(field.id, &value);
                echoed.push((field.id, value));
            }
        }
        self.typed.clear();
        let mut old = std::mem::take(&mut self.slots);
        // Each value read from the DOM once: for the context and for its own check.
        let values: Vec<String> = fresh.iter().map(Bound::value).collect();
        let context = self.context_from(fresh.iter().zip(&values));
        self.slots = fresh
            .into_iter()
            .zip(values)
            .map(|(bound, value)| {
                let findings = validate::validate_shown(bound.field.id, &value, bound.locked, &context);
                // The same field after a re-render keeps its state; a new one is judged if filled.
                let memory = match old.iter().position(|s| s.bound.field.id == bound.field.id && s.bound.row == bound.row) {
                    Some(i) => old.swap_remove(i).memory,
                    None => FieldMemory::bound(!value.trim().is_empty()),
                };
                Slot { bound, memory, findings }
            })
            .collect();
        self.page = page;
        self.root = root;
        self.remember_seen(&echoed);
        self.compare_grid();
        self.render();
    }

    /// 对照清单: compares this page's grid with `companies` now and after every change of the grid.
    pub fn compare_with(&mut self, file: String, companies: Vec<ListCompany>) {
        self.list = Some((file, Rc::new(companies)));
        self.compare_grid();
        self.render();
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The side panel's 定位: brings the field (or the marked cell) with this key into view and
    /// focuses it.
    pub fn reveal(&self, key: &str) {
        let field = self.slots.iter().find(|s| s.key() == key).map(|s| s.bound.anchor());
        let Some(target) = field.or_else(|| self.marks.iter().find(|m| m.key() == key).map(|m| m.cell.clone())) else { return };
        target.scroll_into_view();
        if let Some(target) = target.dyn_ref::<web_sys::HtmlElement>() {
            let _ = target.focus();
        }
    }

    /// The list could not be read: the panel says why.
    pub fn report_compare_failure(&self, file: String, reason: String) {
        self.app.send_message(Msg::Compared(CompareState::Failed { file, reason }));
    }

    pub fn clear_comparison(&mut self) {
        self.list = None;
        self.marks.clear();
        self.render();
    }

    /// Marks the grid's rows that differ from the list and tells the panel what was found. A page
    /// without a grid of companies keeps the list for when the admin comes back to one.
    fn compare_grid(&mut self) {
        self.marks.clear();
        let Some((file, companies)) = &self.list else { return };
        let grid = self.page.and_then(guide::page).and_then(|p| p.grid);
        let (Some(grid), Some(root)) = (grid, &self.root) else { return };
        let Some(read) = grid::read(root, grid) else { return };
        let comparison = compare(companies, &read.rows);
        self.marks = comparison
            .mismatches
            .iter()
            .filter_map(|m| {
                let cells = read.cells.get(m.grid_row())?;
                let cell = match m {
                    Mismatch::NameDiffers { .. } => &cells.name,
                    Mismatch::TaxIdDiffers { .. } => &cells.tax_id,
                    Mismatch::ClientIdDiffers { .. } => &cells.client_id,
                };
                Some(RowMark { cell: cell.clone().unwrap_or_else(|| cells.row.clone()), mismatch: m.clone() })
            })
            .collect();
        let compared =
            Compared { file: file.clone(), list_rows: companies.len(), grid_rows: read.rows.len(), grid_total: read.total, comparison };
        self.app.send_message(Msg::Compared(CompareState::Done(Rc::new(compared))));
    }

    /// The console's layout may have moved the fields (nothing came or went): draw them again
    /// if any did.
    pub fn reposition(&mut self) {
        let rects = self.rects();
        if rects != self.drawn_at {
            self.render_at(rects);
        }
    }

    /// Where the admin works now and the containers of the fields bound there: what the console
    /// watcher needs to observe (see `console::Watcher::scope`).
    pub fn watched(&self) -> (Option<&web_sys::Element>, Vec<web_sys::Element>) {
        (self.root.as_ref(), self.slots.iter().map(|s| s.bound.container.clone()).collect())
    }

    /// The admin switched the language: the verdicts are worded again.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        self.render();
    }

    /// Values of the bound fields plus those remembered from other pages.
    fn context_from<'a>(&self, fields: impl Iterator<Item = (&'a Bound, &'a String)>) -> Context {
        let mut context = self.remembered.clone();
        for (bound, value) in fields {
            context.set(bound.field.id, value);
        }
        context
    }

    fn revalidate_all(&mut self) {
        let values: Vec<String> = self.slots.iter().map(|s| s.bound.value()).collect();
        let context = self.context_from(self.slots.iter().map(|s| &s.bound).zip(&values));
        for (slot, value) in self.slots.iter_mut().zip(&values) {
            slot.findings = validate::validate_shown(slot.bound.field.id, value, slot.bound.locked, &context);
        }
    }

    fn slot_of(&self, target: &Node) -> Option<usize> {
        self.slots.iter().position(|s| s.bound.container.contains(Some(target)))
    }

    fn on_event(&mut self, kind: &str, target: &Node) {
        let Some(index) = self.slot_of(target) else { return };
        let t = now();
        match kind {
            "focusin" => self.slots[index].memory.focus(),
            "focusout" => {
                self.revalidate_all();
                let severity = self.slots[index].severity();
                self.slots[index].memory.blur(severity, t);
                self.remember_seen(&[]);
            }
            _ => {
                // input / change: validated in the next frame, however many keystrokes came. A
                // choice in a combo or checkbox group is finished at once, like a blur.
                let chosen = finishes_edit(self.slots[index].bound.field.widget, kind);
                match self.typed.iter_mut().find(|(i, _)| *i == index) {
                    Some(entry) => entry.1 |= chosen,
                    None => self.typed.push((index, chosen)),
                }
                // The first edit of a frame is answered at once (the admin sees the verdict in
                // the same frame); edits arriving before the next frame wait for it, so a burst
                // (a paste, fast typing) still costs one validation per frame.
                if !self.frame_scheduled {
                    self.flush();
                }
                self.schedule_frame();
                return;
            }
        }
        self.render();
    }

    /// The frame after typing: validate (every field may depend on the typed one through
    /// cross-field rules), update the typed fields' state, draw.
    fn flush(&mut self) {
        if !self.typed.is_empty() {
            self.revalidate_all();
            let t = now();
            for (index, chosen) in std::mem::take(&mut self.typed) {
                if let Some(slot) = self.slots.get_mut(index) {
                    let severity = slot.severity();
                    if chosen {
                        slot.memory.blur(severity, t);
                    } else {
                        slot.memory.input(severity, t);
                    }
                }
            }
        }
        self.render();
    }

    /// Runs `flush` at most once per animation frame.
    fn schedule_frame(&mut self) {
        if self.frame_scheduled {
            return;
        }
        self.frame_scheduled = true;
        let this = self.this.clone();
        let frame = Closure::once_into_js(move || {
            if let Some(shared) = this.upgrade() {
                if let Ok(mut overlays) = shared.try_borrow_mut() {
                    overlays.frame_scheduled = false;
                    // Only when something waits: edits after the frame's first, or a scroll.
                    let moved = std::mem::take(&mut overlays.reposition);
                    if !overlays.typed.is_empty() {
                        overlays.flush();
                    } else if moved {
                        overlays.reposition();
                    }
                }
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(frame.unchecked_ref());
        }
    }

    /// Where each slot's field is on screen now; `None` when it is not rendered (a collapsed
    /// section, a hidden row).
    /// The slots' places, then the row marks'.
    fn rects(&self) -> Vec<Option<Rect>> {
        let place = |element: &web_sys::Element| {
            let rect = element.get_bounding_client_rect();
            let rendered = rect.width() > 0.0 || rect.height() > 0.0;
            rendered.then(|| (rect.left(), rect.top(), rect.width(), rect.height()))
        };
        self.slots.iter().map(|slot| place(&slot.bound.anchor())).chain(self.marks.iter().map(|mark| place(&mark.cell))).collect()
    }

    /// Builds the positioned views and hands them to the UI.
    fn render(&mut self) {
        let rects = self.rects();
        self.render_at(rects);
    }

    fn render_at(&mut self, rects: Vec<Option<Rect>>) {
        let t = now();
        let lang = self.lang;
        let views: Vec<FieldView> = self
            .slots
            .iter()
            .zip(&rects)
            .filter_map(|(slot, rect)| {
                let rect = (*rect)?;
                let severity = slot.severity();
                let display = slot.memory.display(severity, t);
                let worst = slot.findings.iter().max_by_key(|f| f.severity);
                Some(FieldView {
                    key: slot.key(),
                    over_grid: false,
                    field_id: slot.bound.field.id,
                    rect,
                    severity,
                    rule: worst.map(|f| f.rule).unwrap_or(""),
                    display,
                    message: worst.filter(|_| display.shows_message()).map(|f| f.message(lang)).unwrap_or_default(),
                    why: worst.filter(|_| display.shows_explanation()).map(|f| f.why(lang)).unwrap_or_default(),
                    fix: worst.filter(|_| display.shows_explanation()).map(|f| f.fix(lang)).unwrap_or_default(),
                    guidance: slot.bound.field.focus.get(lang),
                })
            })
            .chain(self.marks.iter().zip(&rects[self.slots.len().min(rects.len())..]).filter_map(|(mark, rect)| {
                let finding = mark.mismatch.finding();
                Some(FieldView {
                    key: mark.key(),
                    over_grid: true,
                    field_id: mark.field_id(),
                    rect: (*rect)?,
                    severity: finding.severity,
                    rule: finding.rule,
                    display: Display::Verdict,
                    message: finding.message(lang),
                    why: finding.why(lang),
                    fix: finding.fix(lang),
                    guidance: "",
                })
            }))
            .collect();
        self.app.send_message(Msg::Overlays(Rc::new(views)));
        self.drawn_at = rects;
        if let Some(at) = self.slots.iter().filter_map(|s| s.memory.next_change(t)).reduce(f64::min) {
            self.schedule_at(at - t);
        }
    }

    /// The ok tick ends by itself: draw again then.
    fn schedule_at(&self, delay_ms: f64) {
        let Some(window) = web_sys::window() else { return };
        let this = self.this.clone();
        let callback = Closure::once_into_js(move || {
            if let Some(shared) = this.upgrade() {
                if let Ok(mut overlays) = shared.try_borrow_mut() {
                    overlays.render();
                }
            }
        });
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), delay_ms.ceil() as i32 + 10);
    }

    /// Keeps what this page shows of the companies and the Client id (never a secret field) for
    /// the other pages' checks; `echoed`: the company a page repeats read-only.
    fn remember_seen(&mut self, echoed: &[(&'static str, String)]) {
        let shown: Vec<(&str, String)> =
            self.slots.iter().filter(|s| is_remembered(s.bound.field.id)).map(|s| (s.bound.field.id, s.bound.value())).collect();
        if self.seen.observe(echoed.iter().chain(&shown).map(|(id, v)| (*id, v.as_str()))) {
            self.remembered = self.seen.apply(std::mem::take(&mut self.remembered));
            if self.loaded {
                self.store();
            }
        }
    }

    /// Through the worker, which keeps it as this console's `seen:<origin>`.
    fn store(&self) {
        let request = Request::SaveSeen { seen: self.seen.clone() };
        wasm_bindgen_futures::spawn_local(async move {
            let _ = messages::send(&request).await;
        });
    }
}

/// Reads what this console remembers (either shape it has had: core::companies) and adds what
/// this page saw meanwhile.
fn load_remembered(shared: Shared) {
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(Response::Seen { mut seen }) = messages::send(&Request::LoadSeen).await else { return };
        let mut overlays = shared.borrow_mut();
        let newer = seen.absorb(&overlays.seen);
        let context = std::mem::take(&mut overlays.remembered);
        overlays.remembered = seen.apply(context);
        overlays.seen = seen;
        overlays.loaded = true;
        if newer {
            overlays.store();
        }
        overlays.revalidate_all();
        overlays.render();
    });
}

/// One set of listeners on the document: field events, and scroll/resize for positions.
fn listen(document: &Document, shared: &Shared) -> Result<(), JsValue> {
    for kind in ["focusin", "focusout", "input", "change"] {
        let shared = shared.clone();
        let on = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            let Some(target) = event.target().and_then(|t| t.dyn_into::<Node>().ok()) else { return };
            if let Ok(mut overlays) = shared.try_borrow_mut() {
                overlays.on_event(&event.type_(), &target);
            }
        });
        document.add_event_listener_with_callback_and_bool(kind, on.as_ref().unchecked_ref(), true)?;
        on.forget(); // as long as the page
    }
    let reposition = {
        let shared = shared.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Ok(mut overlays) = shared.try_borrow_mut() {
                if !overlays.slots.is_empty() || !overlays.marks.is_empty() {
                    overlays.reposition = true;
                    overlays.schedule_frame();
                }
            }
        })
    };
    let window = web_sys::window().ok_or("no window")?;
    // Capture: scrolls of any container, not only the window, move the fields.
    document.add_event_listener_with_callback_and_bool("scroll", reposition.as_ref().unchecked_ref(), true)?;
    window.add_event_listener_with_callback("resize", reposition.as_ref().unchecked_ref())?;
    reposition.forget();
    Ok(())
}
