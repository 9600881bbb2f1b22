//! 业务单元 → 职能类型, and the organisation of the expense module's 发票云配置.

use super::chars::is_blank;
use super::{ids, Hit};

/// Piaozone lists only organisations of this functional type (guide: 否则发票云会选不到这个企业).
const ACCOUNTING_ORG: &str = "核算组织";
const SEPARATORS: &[char] = &[',', '，', '、', ';', '；', '|', '/'];

/// The ticked functional types, as a list or one string joined by commas or 、.
pub fn functional_types(value: &str) -> Vec<Hit> {
    let ticked = value.split(|c: char| SEPARATORS.contains(&c) || is_blank(c)).any(|t| t == ACCOUNTING_ORG);
    if ticked {
        Vec::new()
    } else {
        vec![Hit::new(ids::FUNCTIONAL_TYPES_MISSING_ACCOUNTING)]
    }
}

pub fn organisation(value: &str) -> Vec<Hit> {
    if value.chars().all(is_blank) {
        vec![Hit::new(ids::ORG_EMPTY)]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::rules_of as rules;

    #[test]
    fn accounting_organisation_must_be_ticked() {
        for ok in ["核算组织", "法人企业,核算组织", "法人企业、核算组织、采购组织", " 核算组织 "] {
            assert!(rules("org.functional_types", ok).is_empty(), "{ok}");
        }
        for bad in ["", "法人企业", "法人企业,采购组织", "非核算组织"] {
            assert_eq!(rules("org.functional_types", bad), [ids::FUNCTIONAL_TYPES_MISSING_ACCOUNTING], "{bad}");
        }
    }

    #[test]
    fn the_expense_organisation_is_required() {
        assert!(rules("expense.org", "华南公司").is_empty());
        assert_eq!(rules("expense.org", " "), [ids::ORG_EMPTY]);
    }
}
