//! When a field's verdict is shown: guidance on focus, validation while typing, the verdict on
//! blur; an error stays until fixed, and a fixed field goes quiet after a brief ok (WalkMe-style
//! SmartTips). Pure, so the rules are tested without a browser; times are milliseconds.

use super::guide::Widget;
use super::validate::Severity;

/// How long the "fixed" tick stays before the field goes quiet.
pub const OK_FLASH_MS: f64 = 1500.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// Nothing drawn (never touched, or fixed and quiet).
    Quiet,
    /// Focused before its first blur: the guidance line, no verdict yet.
    Guidance,
    /// The verdict's outline and badge.
    Verdict,
    /// Just fixed: a brief ok tick.
    Fixed,
}

impl Display {
    /// Whether the finding's message is drawn (the badge's title and label).
    pub fn shows_message(self) -> bool {
        self != Display::Quiet
    }

    /// Whether its why and fix are drawn (the explanation behind the badge).
    pub fn shows_explanation(self) -> bool {
        self == Display::Verdict
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Display::Quiet => "quiet",
            Display::Guidance => "guidance",
            Display::Verdict => "verdict",
            Display::Fixed => "fixed",
        }
    }
}

/// Whether a field event finishes the edit the way leaving the field does: a choice in a combo or
/// a checkbox group is made at once (its `change`), while typed text is finished on blur.
pub fn finishes_edit(widget: Widget, event: &str) -> bool {
    event == "change" && matches!(widget, Widget::Combo | Widget::Checkbox)
}

/// What the overlay remembers of one field between events.
#[derive(Debug, Clone, Default)]
pub struct FieldMemory {
    focused: bool,
    /// Blurred at least once, or found filled in: its verdict is now shown as it changes.
    judged: bool,
    /// The severity last shown as a problem (warning or error), to notice the fix.
    problem_shown: bool,
    ok_until: Option<f64>,
}

fn is_problem(severity: Severity) -> bool {
    severity >= Severity::Warning
}

impl FieldMemory {
    /// A field the console rendered with a value already (saved earlier, or pre-filled) is judged
    /// at once: nobody will blur it to find out.
    pub fn bound(prefilled: bool) -> FieldMemory {
        FieldMemory { judged: prefilled, ..FieldMemory::default() }
    }

    pub fn focus(&mut self) {
        self.focused = true;
    }

    pub fn blur(&mut self, severity: Severity, now: f64) {
        self.focused = false;
        self.judged = true;
        self.settle(severity, now);
    }

    /// A new value (typed, pasted, chosen), validated.
    pub fn input(&mut self, severity: Severity, now: f64) {
        if self.judged {
            self.settle(severity, now);
        }
    }

    fn settle(&mut self, severity: Severity, now: f64) {
        if is_problem(severity) {
            self.problem_shown = true;
            self.ok_until = None;
        } else if self.problem_shown {
            self.problem_shown = false;
            self.ok_until = Some(now + OK_FLASH_MS);
        }
    }

    pub fn display(&self, severity: Severity, now: f64) -> Display {
        if !self.judged {
            return if self.focused { Display::Guidance } else { Display::Quiet };
        }
        if is_problem(severity) || severity == Severity::Info {
            return Display::Verdict;
        }
        match self.ok_until {
            Some(until) if now < until => Display::Fixed,
            _ if self.focused => Display::Guidance,
            _ => Display::Quiet,
        }
    }

    pub fn is_focused(&self) -> bool {
        self.focused
    }

    /// When the display will change by itself (the ok tick ending), if it will.
    pub fn next_change(&self, now: f64) -> Option<f64> {
        self.ok_until.filter(|until| *until > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Severity::*;

    #[test]
    fn a_choice_finishes_an_edit_at_once_and_typing_does_not() {
        assert!(finishes_edit(Widget::Combo, "change") && finishes_edit(Widget::Checkbox, "change"));
        assert!(!finishes_edit(Widget::Text, "change") && !finishes_edit(Widget::Combo, "input"));
        assert!(Display::Fixed.shows_message() && !Display::Quiet.shows_message());
        assert!(Display::Verdict.shows_explanation() && !Display::Guidance.shows_explanation());
    }

    #[test]
    fn guidance_on_focus_verdict_only_after_blur() {
        let mut m = FieldMemory::bound(false);
        assert_eq!(m.display(Ok, 0.0), Display::Quiet);
        m.focus();
        assert_eq!(m.display(Ok, 0.0), Display::Guidance);
        m.input(Error, 10.0);
        assert_eq!(m.display(Error, 10.0), Display::Guidance, "no error while first typing");
        m.blur(Error, 20.0);
        assert_eq!(m.display(Error, 20.0), Display::Verdict);
    }

    #[test]
    fn error_stays_until_fixed_then_brief_ok_then_quiet() {
        let mut m = FieldMemory::bound(false);
        m.focus();
        m.blur(Error, 0.0);
        m.focus();
        m.input(Error, 100.0);
        assert_eq!(m.display(Error, 100.0), Display::Verdict, "still wrong while typing");
        m.input(Ok, 200.0);
        assert_eq!(m.display(Ok, 200.0), Display::Fixed);
        assert_eq!(m.next_change(200.0), Some(200.0 + OK_FLASH_MS));
        m.blur(Ok, 300.0);
        assert_eq!(m.display(Ok, 300.0), Display::Fixed, "the tick survives the blur");
        assert_eq!(m.display(Ok, 200.0 + OK_FLASH_MS), Display::Quiet);
        assert_eq!(m.next_change(200.0 + OK_FLASH_MS), None);
    }

    #[test]
    fn prefilled_fields_are_judged_and_info_stays_visible() {
        let m = FieldMemory::bound(true);
        assert_eq!(m.display(Warning, 0.0), Display::Verdict);
        assert_eq!(m.display(Info, 0.0), Display::Verdict);
        assert_eq!(m.display(Ok, 0.0), Display::Quiet, "a correct value needs no tick of its own");
    }

    #[test]
    fn a_good_first_value_goes_quiet_without_a_tick() {
        let mut m = FieldMemory::bound(false);
        m.focus();
        m.input(Ok, 0.0);
        m.blur(Ok, 10.0);
        assert_eq!(m.display(Ok, 10.0), Display::Quiet);
    }
}
