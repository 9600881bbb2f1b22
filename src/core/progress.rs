//! The checklist's state, decided without a browser: which steps are done and how, which 发票云
//! branch applies, where the panel sits. What the console shows comes in as [`Seen`] (read by the
//! browser layer, never holding a secret); this module decides what it proves.
//!
//! Stored per console origin as it is serialised here: step ids, how each was completed, the
//! branch and the panel's place. Nothing typed into the console is ever part of it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::guide::{self, Branch, ShownDone, Step, STEPS};
use super::validate::{self, Context, Severity};

/// How a step came to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// The console showed it (a passed connection test, a listed enterprise, …).
    Observed,
    /// The admin ticked it.
    Ticked,
}

impl Completion {
    pub fn as_str(self) -> &'static str {
        match self {
            Completion::Observed => "observed",
            Completion::Ticked => "ticked",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dock {
    Left,
    #[default]
    Right,
}

impl Dock {
    pub fn other(self) -> Dock {
        match self {
            Dock::Left => Dock::Right,
            Dock::Right => Dock::Left,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dock::Left => "left",
            Dock::Right => "right",
        }
    }
}

/// Where the admin put the panel.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Placement {
    pub dock: Dock,
    /// Distance of the panel's top from the viewport's top, in CSS pixels.
    pub top: f64,
    /// The admin's own choice; `None` until they make one.
    pub collapsed: Option<bool>,
}

impl Default for Placement {
    fn default() -> Self {
        Placement { dock: Dock::Right, top: PANEL_TOP, collapsed: None }
    }
}

/// The open panel's size and margins (see `.pa-panel` in style.css).
pub const PANEL_WIDTH: f64 = 320.0;
pub const PANEL_MARGIN: f64 = 12.0;
pub const PANEL_TOP: f64 = 72.0;
/// The panel keeps at least this much of itself on screen when moved.
const PANEL_MIN_VISIBLE: f64 = 120.0;

/// A rectangle in viewport pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn intersects(&self, other: &Rect) -> bool {
        self.left < other.left + other.width
            && other.left < self.left + self.width
            && self.top < other.top + other.height
            && other.top < self.top + self.height
    }
}

impl Placement {
    /// The room the open panel may take with this placement (its full height: it grows with
    /// what it shows, so assume the most).
    pub fn rect(&self, dock: Dock, viewport: (f64, f64)) -> Rect {
        let (width, height) = viewport;
        let left = match dock {
            Dock::Left => PANEL_MARGIN,
            Dock::Right => width - PANEL_MARGIN - PANEL_WIDTH,
        };
        let top = self.clamped_top(height);
        Rect { left, top, width: PANEL_WIDTH, height: (height - top - 24.0).max(0.0) }
    }

    /// `top` kept inside the viewport.
    pub fn clamped_top(&self, viewport_height: f64) -> f64 {
        self.top.min(viewport_height - PANEL_MIN_VISIBLE).max(0.0)
    }

    /// Moves the panel by `dy` pixels, staying on screen.
    pub fn moved(self, dy: f64, viewport_height: f64) -> Placement {
        let top = Placement { top: self.top + dy, ..self }.clamped_top(viewport_height);
        Placement { top, ..self }
    }
}

/// Where the panel is drawn while `focused` (the field being edited) is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effective {
    pub dock: Dock,
    pub collapsed: bool,
}

/// The panel never covers the field being edited: it moves to the other side when that side is
/// free, else it collapses until the field loses focus. Nothing is stored: the admin's place
/// comes back afterwards.
pub fn effective(placement: &Placement, collapsed: bool, focused: Option<Rect>, viewport: (f64, f64)) -> Effective {
    let stay = Effective { dock: placement.dock, collapsed };
    let Some(field) = focused else { return stay };
    if collapsed || !placement.rect(placement.dock, viewport).intersects(&field) {
        return stay;
    }
    let other = placement.dock.other();
    if !placement.rect(other, viewport).intersects(&field) {
        Effective { dock: other, collapsed: false }
    } else {
        Effective { dock: placement.dock, collapsed: true }
    }
}

/// A row of the 维护租户授权信息 grid at the moment 保存 was clicked: the account, and only
/// whether the two secrets were filled in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TenantRow {
    pub client_id: String,
    pub has_secret: bool,
    pub has_encrypt_key: bool,
}

/// What the admin's actions proved (the page's contents are [`shown_done`]'s).
#[derive(Debug, Default)]
pub struct Seen<'a> {
    /// The connection test's outcome was `ok`.
    pub connection_ok: bool,
    /// The tenant grid, when 保存 was clicked in 维护租户授权信息.
    pub tenant_saved: &'a [TenantRow],
}

/// The steps `page` can show done, with what to read for each (guide/steps.toml `shown_done`).
pub fn shown_on(page: Option<&str>) -> impl Iterator<Item = (&'static str, &'static ShownDone)> + '_ {
    guide::STEPS
        .iter()
        .filter_map(|step| Some((step.id, step.shown_done?)))
        .filter(move |(_, shown)| shown.page.is_none_or(|p| Some(p) == page))
}

/// Whether the values read for `shown` prove its step done: one of them is accepted.
pub fn shown_done(shown: &ShownDone, values: &[String]) -> bool {
    values.iter().any(|value| match shown.field {
        Some(field) => valid(field, value),
        None => !value.trim().is_empty(),
    })
}

/// A value a field's validators accept (warnings allowed, errors not).
fn valid(field_id: &str, value: &str) -> bool {
    !value.trim().is_empty() && validate::verdict(&validate::validate_field(field_id, value, &Context::default())) != Severity::Error
}

/// The steps that what was seen proves done.
pub fn observed_steps(seen: &Seen) -> Vec<&'static str> {
    let mut steps = Vec::new();
    if seen.connection_ok {
        steps.push("auth_config");
    }
    if seen.tenant_saved.iter().any(|r| valid("tenant.client_id", &r.client_id) && r.has_secret && r.has_encrypt_key) {
        steps.push("etax_tenant");
    }
    steps
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Done(Completion),
    Current,
    Todo,
}

impl StepState {
    /// The `data-state` hook.
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Done(_) => "done",
            StepState::Current => "current",
            StepState::Todo => "todo",
        }
    }
}

/// The checklist of one console origin.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    pub done: BTreeMap<String, Completion>,
    /// The 发票云 version's branch (`V8` or `Legacy`); `None` until shown or chosen.
    pub branch: Option<Branch>,
    /// The console showed the branch (its 数电配置 page variant), rather than the admin choosing.
    pub branch_observed: bool,
    pub placement: Placement,
}

impl Progress {
    /// Records what the console proved. Returns whether anything changed. A step once observed
    /// stays done: another enterprise or an empty grid later does not undo it.
    pub fn observe(&mut self, steps: &[&str]) -> bool {
        let mut changed = false;
        for id in steps {
            if self.done.insert(id.to_string(), Completion::Observed) != Some(Completion::Observed) {
                changed = true;
            }
        }
        changed
    }

    /// The console shows its version (the 数电配置 page variant): that decides the branch.
    pub fn observe_branch(&mut self, branch: Branch) -> bool {
        if branch == Branch::Both || (self.branch == Some(branch) && self.branch_observed) {
            return false;
        }
        self.branch = Some(branch);
        self.branch_observed = true;
        true
    }

    /// The admin's choice, while the console has not shown which.
    pub fn choose_branch(&mut self, branch: Branch) {
        if !self.branch_observed && branch != Branch::Both {
            self.branch = Some(branch);
        }
    }

    /// The admin's tick box: ticks a step, or unticks a done one (observed or not).
    pub fn toggle(&mut self, step_id: &str) {
        if self.done.remove(step_id).is_none() {
            self.done.insert(step_id.to_string(), Completion::Ticked);
        }
    }

    /// Forgets what is done and the branch; the panel stays where the admin put it.
    pub fn reset(&mut self) {
        *self = Progress { placement: self.placement, ..Progress::default() };
    }

    pub fn state(&self, step: &Step, current_step: Option<&str>) -> StepState {
        match self.done.get(step.id) {
            Some(how) => StepState::Done(*how),
            None if current_step == Some(step.id) => StepState::Current,
            None => StepState::Todo,
        }
    }

    /// Whether a step belongs to the branch in use (both branches' steps until one is known).
    pub fn applies(&self, step: &Step) -> bool {
        match (self.branch, step.branch) {
            (None, _) | (_, Branch::Both) => true,
            (Some(chosen), own) => chosen == own,
        }
    }

    /// Done and applicable steps, and all applicable steps.
    pub fn count(&self) -> (usize, usize) {
        let applicable: Vec<_> = STEPS.iter().filter(|s| self.applies(s)).collect();
        (applicable.iter().filter(|s| self.done.contains_key(s.id)).count(), applicable.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::guide::step;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn each_observation_proves_its_step_and_only_when_valid() {
        assert_eq!(observed_steps(&Seen { connection_ok: true, ..Default::default() }), ["auth_config"]);
        let on = |page: &str| shown_on(Some(page)).map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(on("enterprise_list"), ["import_org", "etax_account"], "the account grid is looked for on any page");
        assert_eq!(on("business_unit"), ["business_unit", "etax_account"]);
        let shown = |id: &str| step(id).and_then(|s| s.shown_done).unwrap();
        assert_eq!(shown("import_org").columns, ["企业税号"]);
        assert!(shown_done(shown("import_org"), &s(&["", "91440300MA5F000181"])));
        assert!(!shown_done(shown("import_org"), &s(&["91440300MA5F000180", "9144030OMA5F00018X"])));
        assert!(shown_done(shown("etax_account"), &s(&["13800138000"])));
        assert!(!shown_done(shown("etax_account"), &s(&["  "])));
        assert!(shown_done(shown("business_unit"), &s(&["业务组织,核算组织"])));
        assert!(!shown_done(shown("business_unit"), &s(&["业务组织,采购组织"])));
    }

    #[test]
    fn tenant_saved_needs_a_tn_account_and_both_secrets() {
        let row = |id: &str, secret, key| TenantRow { client_id: id.into(), has_secret: secret, has_encrypt_key: key };
        let saved = |rows: &[TenantRow]| observed_steps(&Seen { tenant_saved: rows, ..Default::default() });
        assert_eq!(saved(&[row("TN_DEMO0001", true, true)]), ["etax_tenant"]);
        assert!(saved(&[row("TN_DEMO0001", true, false)]).is_empty());
        assert!(saved(&[row("pz_prod_demo", true, true)]).is_empty(), "an enterprise key is not a tenant key");
        assert!(saved(&[]).is_empty());
    }

    #[test]
    fn done_beats_current_and_ticks_toggle() {
        let mut p = Progress::default();
        let auth = step("auth_config").unwrap();
        assert_eq!(p.state(auth, Some("auth_config")), StepState::Current);
        assert_eq!(p.state(auth, None), StepState::Todo);
        p.toggle("auth_config");
        assert_eq!(p.state(auth, Some("auth_config")), StepState::Done(Completion::Ticked));
        p.toggle("auth_config");
        assert_eq!(p.state(auth, None), StepState::Todo);
        assert!(p.observe(&["auth_config"]));
        assert!(!p.observe(&["auth_config"]), "observing again changes nothing");
        assert_eq!(p.state(auth, None), StepState::Done(Completion::Observed));
        p.toggle("auth_config");
        assert_eq!(p.state(auth, None), StepState::Todo, "the admin can untick an observed step");
    }

    #[test]
    fn the_console_decides_the_branch_over_the_admin() {
        let mut p = Progress::default();
        let legacy = step("etax_legacy").unwrap();
        let tenant = step("etax_tenant").unwrap();
        assert!(p.applies(legacy) && p.applies(tenant), "both branches until one is known");
        p.choose_branch(Branch::Legacy);
        assert!(p.applies(legacy) && !p.applies(tenant));
        assert!(p.observe_branch(Branch::V8));
        p.choose_branch(Branch::Legacy);
        assert_eq!(p.branch, Some(Branch::V8), "a shown version is not overridden");
        assert!(!p.applies(legacy) && p.applies(tenant));
        assert!(p.applies(step("auth_config").unwrap()));
        let (_, total) = p.count();
        assert_eq!(total, STEPS.len() - 1);
    }

    #[test]
    fn reset_keeps_the_panel_where_it_is() {
        let mut p = Progress::default();
        p.toggle("admin_org");
        p.choose_branch(Branch::V8);
        p.placement.dock = Dock::Left;
        p.reset();
        assert!(p.done.is_empty() && p.branch.is_none());
        assert_eq!(p.placement.dock, Dock::Left);
    }

    #[test]
    fn stored_form_holds_ids_and_how_only() {
        let mut p = Progress::default();
        p.observe(&["import_org"]);
        p.toggle("admin_org");
        p.observe_branch(Branch::V8);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"done":{"admin_org":"ticked","import_org":"observed"},"branch":"v8","branch_observed":true,"placement":{"dock":"right","top":72.0,"collapsed":null}}"#
        );
        let back: Progress = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        // An older or partial record still reads.
        let partial: Progress = serde_json::from_str(r#"{"done":{"admin_org":"ticked"}}"#).unwrap();
        assert_eq!(partial.placement, Placement::default());
    }

    #[test]
    fn the_panel_gets_out_of_the_focused_fields_way() {
        let viewport = (1280.0, 900.0);
        let placement = Placement::default();
        let under_right = Rect { left: 1000.0, top: 200.0, width: 200.0, height: 30.0 };
        let mid = Rect { left: 400.0, top: 200.0, width: 500.0, height: 30.0 };
        let left_side = Rect { left: 20.0, top: 200.0, width: 200.0, height: 30.0 };
        assert_eq!(effective(&placement, false, None, viewport), Effective { dock: Dock::Right, collapsed: false });
        assert_eq!(effective(&placement, false, Some(left_side), viewport), Effective { dock: Dock::Right, collapsed: false });
        assert_eq!(effective(&placement, false, Some(under_right), viewport), Effective { dock: Dock::Left, collapsed: false });
        let wide = Rect { left: 100.0, top: 200.0, width: 1100.0, height: 30.0 };
        assert_eq!(effective(&placement, false, Some(wide), viewport), Effective { dock: Dock::Right, collapsed: true });
        assert!(!effective(&placement, false, Some(mid), viewport).collapsed);
        let above = Rect { left: 1000.0, top: 10.0, width: 200.0, height: 30.0 };
        assert_eq!(effective(&placement, false, Some(above), viewport).dock, Dock::Right, "above the panel's top");
    }

    #[test]
    fn moving_keeps_the_panel_on_screen() {
        let p = Placement::default();
        assert_eq!(p.moved(40.0, 900.0).top, 112.0);
        assert_eq!(p.moved(-500.0, 900.0).top, 0.0);
        assert_eq!(p.moved(5000.0, 900.0).top, 780.0);
    }
}
