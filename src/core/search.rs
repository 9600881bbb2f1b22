//! The panel's search box: FAQ entries and steps, in either language. A pasted console message
//! finds its FAQ entry through the troubleshooter's own patterns; words find titles first.

use super::faq::match_text;
use super::guide::{Faq, Step, FAQS, STEPS};
use super::i18n::Text;
use super::validate::chars::normalize_for_match;

#[derive(Debug, Clone, Copy)]
pub enum Hit {
    Faq(&'static Faq),
    Step(&'static Step),
}

impl Hit {
    /// `faq:<id>` or `step:<id>`: the result's hook in the panel.
    pub fn key(&self) -> String {
        match self {
            Hit::Faq(f) => format!("faq:{}", f.id),
            Hit::Step(s) => format!("step:{}", s.id),
        }
    }
}

/// At most this many results: the panel is narrow.
const LIMIT: usize = 8;

fn both(text: &Text) -> String {
    normalize_for_match(&format!("{} {}", text.zh, text.english().unwrap_or_default()))
}

fn all_terms_in(haystack: &str, terms: &[String]) -> bool {
    terms.iter().all(|t| haystack.contains(t.as_str()))
}

/// Results for `query`, best first: FAQ entries whose patterns the query contains (a pasted
/// message), then entries and steps whose title has every word, then those whose text has.
pub fn search(query: &str) -> Vec<Hit> {
    let normalized = normalize_for_match(query);
    let terms: Vec<String> = normalized.split(' ').filter(|t| !t.is_empty()).map(String::from).collect();
    if terms.is_empty() {
        return Vec::new();
    }
    let mut ranked: Vec<(u8, Hit)> = match_text(query).into_iter().map(|m| (0, Hit::Faq(m.faq))).collect();
    for faq in FAQS {
        let body = format!("{} {} {}", both(&faq.cause), both(&faq.fix), normalize_for_match(&faq.written.join(" ")));
        let rank = if all_terms_in(&both(&faq.title), &terms) {
            1
        } else if all_terms_in(&body, &terms) {
            2
        } else {
            continue;
        };
        ranked.push((rank, Hit::Faq(faq)));
    }
    for step in STEPS {
        let body = format!("{} {} {}", both(&step.path), both(&step.guidance), step.condition.map(|c| both(&c)).unwrap_or_default());
        let rank = if all_terms_in(&both(&step.title), &terms) {
            1
        } else if all_terms_in(&body, &terms) {
            2
        } else {
            continue;
        };
        ranked.push((rank, Hit::Step(step)));
    }
    // Stable: within a rank, FAQ matches keep their strength order and the guide its order.
    ranked.sort_by_key(|(rank, _)| *rank);
    let mut seen = Vec::new();
    ranked
        .into_iter()
        .map(|(_, hit)| hit)
        .filter(|hit| {
            let key = hit.key();
            !seen.contains(&key) && {
                seen.push(key);
                true
            }
        })
        .take(LIMIT)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(query: &str) -> Vec<String> {
        search(query).iter().map(Hit::key).collect()
    }

    #[test]
    fn a_pasted_console_message_finds_its_faq_first() {
        assert_eq!(keys("连接测试失败：非法的客户ID").first().map(String::as_str), Some("faq:key_env_mismatch"));
        assert_eq!(keys("未配置全电开票账号，请联系工作人员").first().map(String::as_str), Some("faq:no_etax_account"));
    }

    #[test]
    fn words_find_steps_in_either_language() {
        assert_eq!(keys("业务单元").first().map(String::as_str), Some("step:business_unit"));
        assert!(keys("tenant").contains(&"step:etax_tenant".to_string()));
        assert!(keys("WECHAT").contains(&"step:etax_wechat".to_string()), "case does not matter");
    }

    #[test]
    fn every_word_must_match_and_results_are_unique_and_few() {
        assert!(keys("核算组织 不存在的词").is_empty());
        assert!(keys("   ").is_empty());
        let all = keys("发票云");
        assert!(all.len() <= LIMIT);
        let mut unique = all.clone();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
    }

    #[test]
    fn titles_rank_before_bodies() {
        let hits = keys("核算组织");
        let title = hits.iter().position(|k| k == "step:business_unit");
        let body = hits.iter().position(|k| k == "step:import_org");
        assert!(title.is_some() && body.is_some(), "{hits:?}");
    }
}
