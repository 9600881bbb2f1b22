//! Typed view over the knowledge base in `guide/*.toml`, which `build.rs` checked and compiled
//! into the static tables included below.

pub use super::i18n::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Yes,
    No,
    Conditional,
}

/// Which 发票云 version a step or page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Branch {
    Both,
    V8,
    Legacy,
}

#[derive(Debug)]
pub struct Step {
    pub id: &'static str,
    pub title: Text,
    pub required: Required,
    /// Set exactly when `required` is `Conditional`.
    pub condition: Option<Text>,
    pub branch: Branch,
    pub path: Text,
    pub guidance: Text,
    /// Pages on which this step is the current one.
    pub pages: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Page,
    Dialog,
}

#[derive(Debug)]
pub struct Page {
    pub id: &'static str,
    pub kind: PageKind,
    /// For a dialog: the page it opens over.
    pub over: Option<&'static str>,
    pub title: Text,
    pub form_ids: &'static [&'static str],
    /// Texts that are all present when this page is open.
    pub markers: &'static [&'static str],
    pub version: Branch,
}

include!(concat!(env!("OUT_DIR"), "/guide_tables.rs"));

pub fn step(id: &str) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.id == id)
}

pub fn page(id: &str) -> Option<&'static Page> {
    PAGES.iter().find(|p| p.id == id)
}

/// The step an admin is on when `page_id` is open.
pub fn step_for_page(page_id: &str) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.pages.contains(&page_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_the_guide_in_order() {
        let ids: Vec<_> = STEPS.iter().map(|s| s.id).collect();
        let pos = |id| ids.iter().position(|s| *s == id).unwrap();
        assert!(pos("business_unit") < pos("auth_config"));
        assert!(pos("auth_config") < pos("import_org"));
        assert!(pos("import_org") < pos("enterprise_info"));
        assert!(pos("etax_tenant") < pos("etax_upgrade"));
        assert!(pos("etax_upgrade") < pos("etax_account"));
    }

    #[test]
    fn conditional_steps_say_when() {
        for s in STEPS {
            assert_eq!(s.required == Required::Conditional, s.condition.is_some(), "{}", s.id);
        }
        assert_eq!(step("etax_wechat").unwrap().required, Required::No);
        assert_eq!(step("etax_legacy").unwrap().branch, Branch::Legacy);
    }

    #[test]
    fn every_step_page_exists_and_auth_page_maps_to_its_step() {
        for s in STEPS {
            for p in s.pages {
                assert!(page(p).is_some(), "{} → {}", s.id, p);
            }
        }
        assert_eq!(step_for_page("auth_config").unwrap().id, "auth_config");
        assert_eq!(step_for_page("import_org").unwrap().id, "import_org");
    }
}
