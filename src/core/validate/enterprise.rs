//! 企业基础信息 (and the expense page's 企业工商登记名): the company name and the channel.

use super::chars::is_blank;
use super::{ids, Hit};

const RECOMMENDED_CHANNEL: &str = "新电子服务平台";
const LEQI: &str = "乐企";

pub fn name(value: &str) -> Vec<Hit> {
    if value.chars().all(is_blank) {
        return vec![Hit::new(ids::NAME_EMPTY)];
    }
    let mut hits = Vec::new();
    let starts_or_ends = value.starts_with(is_blank) || value.ends_with(is_blank);
    let doubled = value.chars().zip(value.chars().skip(1)).any(|(a, b)| is_blank(a) && is_blank(b));
    if starts_or_ends || doubled {
        hits.push(Hit::new(ids::NAME_SPACES));
    }
    // Only a note: the activated name decides, and it may have half-width brackets itself, so
    // suggesting full-width ones could break an exact match.
    if value.contains(['(', ')']) {
        hits.push(Hit::new(ids::NAME_HALFWIDTH_PARENS));
    }
    hits
}

pub fn channel(value: &str) -> Vec<Hit> {
    let value = value.trim_matches(is_blank);
    vec![match value {
        RECOMMENDED_CHANNEL => Hit::new(ids::CHANNEL_OK),
        v if v.contains(LEQI) => Hit::new(ids::CHANNEL_LEQI),
        v => Hit::new(ids::CHANNEL_OTHER).arg("value", v),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::rules_of as rules;
    use crate::core::validate::{validate_field, Context};

    #[test]
    fn a_registered_name_passes() {
        assert!(rules("enterprise.name", "金蝶软件（中国）有限公司").is_empty());
        assert!(rules("enterprise.name", "Kingdee International Software Group").is_empty());
    }

    #[test]
    fn empty_names_and_stray_spaces_are_errors() {
        assert_eq!(rules("enterprise.name", ""), [ids::NAME_EMPTY]);
        assert_eq!(rules("enterprise.name", "\u{3000}"), [ids::NAME_EMPTY]);
        assert_eq!(rules("enterprise.name", " 甲公司"), [ids::NAME_SPACES]);
        assert_eq!(rules("enterprise.name", "甲公司\u{3000}"), [ids::NAME_SPACES]);
        assert_eq!(rules("enterprise.name", "Kingdee  Software"), [ids::NAME_SPACES]);
        assert_eq!(rules("expense.name", "甲公司\u{00A0}"), [ids::NAME_SPACES]);
    }

    #[test]
    fn half_width_brackets_are_a_note_that_suggests_no_other_name() {
        let f = validate_field("enterprise.name", "金蝶软件(中国)有限公司", &Context::default());
        assert_eq!(f[0].rule, ids::NAME_HALFWIDTH_PARENS);
        assert_eq!(f[0].severity, crate::core::validate::Severity::Info);
        for lang in [crate::core::i18n::Lang::Zh, crate::core::i18n::Lang::En] {
            let text = f[0].message(lang) + &f[0].why(lang) + &f[0].fix(lang);
            assert!(!text.contains("金蝶软件（中国）"), "{text}");
        }
    }

    #[test]
    fn the_channel_is_the_new_platform_unless_on_leqi() {
        assert_eq!(rules("enterprise.channel", "新电子服务平台"), [ids::CHANNEL_OK]);
        assert_eq!(rules("enterprise.channel", "乐企"), [ids::CHANNEL_LEQI]);
        assert_eq!(rules("enterprise.channel", "乐企直连"), [ids::CHANNEL_LEQI]);
        assert_eq!(rules("enterprise.channel", "税控盘"), [ids::CHANNEL_OTHER]);
        assert_eq!(rules("enterprise.channel", ""), [ids::CHANNEL_OTHER]);
    }
}
