//! The troubleshooter: which FAQ entries explain an error text the console shows.
//!
//! A pattern is literal fragments that must appear in order (`当前组织无…特性分组许可`); text and
//! patterns are compared after [`normalize_for_match`] (case, full-width forms, spacing), so the
//! console's `非法的客户ID` matches the guide's `非法的客户id`. build.rs compiled the patterns.

use super::guide::{Faq, FAQS};
use super::validate::chars::normalize_for_match;

/// A FAQ entry that explains the text, and how specific the match was.
#[derive(Debug, Clone, Copy)]
pub struct FaqMatch {
    pub faq: &'static Faq,
    /// Characters of pattern matched: longer patterns explain more precisely.
    pub strength: usize,
}

/// Whether `fragments` occur in `text` in this order, without overlapping. Linear in `text`.
fn matches_in_order(text: &str, fragments: &[&str]) -> bool {
    let mut rest = text;
    for fragment in fragments {
        match rest.find(fragment) {
            Some(at) => rest = &rest[at + fragment.len()..],
            None => return false,
        }
    }
    true
}

/// The FAQ entries whose patterns occur in `text`, most specific first.
pub fn match_text(text: &str) -> Vec<FaqMatch> {
    let text = normalize_for_match(text);
    let mut found: Vec<FaqMatch> = FAQS
        .iter()
        .filter_map(|faq| {
            let strength = faq
                .patterns
                .iter()
                .filter(|fragments| matches_in_order(&text, fragments))
                .map(|fragments| fragments.iter().map(|f| f.chars().count()).sum())
                .max()?;
            Some(FaqMatch { faq, strength })
        })
        .collect();
    found.sort_by_key(|m| std::cmp::Reverse(m.strength));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<&'static str> {
        match_text(text).iter().map(|m| m.faq.id).collect()
    }

    #[test]
    fn the_guides_connection_test_errors_point_to_the_keys() {
        for text in ["连接测试失败：非法的客户id", "非法的客户ID，请联系管理员", "签名认证不通过", "errcode 1101 应用id不能为空"]
        {
            assert_eq!(ids(text).first(), Some(&"key_env_mismatch"), "{text}");
        }
    }

    #[test]
    fn case_full_width_and_spacing_do_not_matter() {
        assert_eq!(ids("非法的客户ＩＤ"), ["key_env_mismatch"]);
        assert_eq!(ids("Connect   TIMED\u{00A0}out"), ["unreachable"]);
        assert_eq!(ids("java.net.UnknownHostException: api.piaozone.com"), ["unreachable"]);
    }

    #[test]
    fn fragments_must_appear_in_order() {
        assert_eq!(ids("当前组织无发票服务特性分组许可"), ["org_no_feature_license"]);
        // Also contains 无发票云特性分组 (the expense-module entry), which matches less of it.
        assert_eq!(ids("当前组织无发票云特性分组许可"), ["org_no_feature_license", "no_feature_group"]);
        assert!(ids("特性分组许可 当前组织无").is_empty());
        assert_eq!(ids("连接服务器超时"), ["unreachable"]);
        assert!(ids("超时后再连接").is_empty());
    }

    #[test]
    fn the_most_specific_entry_comes_first() {
        let m = match_text("非法的客户id；在当前维护的租户中都没有权限");
        assert_eq!(m[0].faq.id, "tenant_no_permission");
        assert_eq!(m[1].faq.id, "key_env_mismatch");
        assert!(m[0].strength > m[1].strength);
    }

    #[test]
    fn unrelated_text_matches_nothing() {
        assert!(match_text("").is_empty());
        assert!(match_text("保存成功").is_empty());
    }

    #[test]
    fn no_receipt_licence_is_blamed_on_the_expense_per_company_setup_not_on_original_auth() {
        let m = match_text("调用发票助手失败：当前组织没有发票云收票特性许可");
        let faq = m[0].faq;
        assert_eq!(faq.id, "org_no_receipt_license");
        assert_eq!(faq.step, Some("expense_config"));
        // The guide: per company in 费报, and the organisation one works in; 否 does not avoid it.
        for needle in ["每个企业", "费报的发票云配置", "操作的组织", "选“否”时，费报若启用也必须配置"] {
            assert!(faq.cause.zh.contains(needle), "{needle}: {}", faq.cause.zh);
        }
        for needle in ["each company", "that authorized organisation", "with 否"] {
            assert!(faq.cause.en.contains(needle), "{needle}: {}", faq.cause.en);
        }
        assert!(!faq.fields.contains(&"auth.use_original_auth"), "是否使用原授权 is not the cause");
    }

    #[test]
    fn the_erp_service_logic_is_found_by_its_title() {
        let hits = crate::core::search::search("ERP访问税局服务的基本逻辑");
        assert_eq!(hits.first().map(|h| h.key()), Some("faq:erp_service_logic".to_string()));
        let faq = crate::core::guide::faq("erp_service_logic").unwrap();
        assert!(faq.cause.zh.contains("权益验证通过后"), "{}", faq.cause.zh);
    }

    /// A source that cites the guide names one of its four parts: the FAQ is 四, 数电配置 is in 三.
    #[test]
    fn sources_cite_the_guides_own_sections() {
        const PARTS: [&str; 4] = ["一、星瀚基础配置", "二、发票云授权配置", "三、企业信息配置", "四、常见问题解答"];
        for faq in FAQS {
            for cited in faq.source.split('；').filter(|c| c.contains('、')) {
                assert!(PARTS.iter().any(|p| cited.starts_with(p)) || cited.starts_with("三、引入组织"), "{}: {cited}", faq.id);
            }
        }
        assert!(crate::core::guide::faq("tenant_no_permission").unwrap().source.contains("三、企业信息配置 → 数电配置"));
    }

    #[test]
    fn every_faq_matches_its_own_written_patterns() {
        for faq in FAQS {
            for written in faq.written {
                let text = written.replace('…', " xyz ");
                assert!(ids(&text).contains(&faq.id), "{}: {written}", faq.id);
            }
        }
    }
}
