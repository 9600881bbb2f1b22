//! 企业税号: the unified social credit code of GB 32100-2015, with the GB 11714 organisation code
//! inside it; an 18-character resident ID (GB 11643) of an individual taxpayer; the pre-standard
//! codes of the pilot regions; other lengths are legacy taxpayer numbers that cannot be verified.

use super::chars::is_blank;
use super::etax::is_valid_resident_id;
use super::{ids, Hit};

/// GB 32100 code characters; a character's value is its index (0–30). No I, O, S, V, Z.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// 3^(i-1) mod 31 for positions 1–17.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/// GB 11714 weights of the organisation code's first 8 characters.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
/// Registration authority (position 1) and organisation type (position 2) pairs of GB 32100.
const AUTHORITY_TYPES: &[&str] = &[
    "11", "12", "13", "19", // 机构编制
    "21", "29", // 外交
    "31", "32", "33", "34", "35", "39", // 司法行政
    "41", "49", // 文化
    "51", "52", "53", "59", // 民政
    "61", "62", "69", // 旅游
    "71", "72", "79", // 宗教
    "81", "89", // 工会
    "91", "92", "93", // 工商
    "A1", "A9", // 中央军委改革和编制办公室
    "N1", "N2", "N3", "N9", // 农业
    "Y1", // 其他
];
/// Lengths of taxpayer numbers that predate or sit beside the credit code.
const UNVERIFIABLE_LENGTHS: [usize; 3] = [15, 17, 20];
/// Of those, the lengths older taxpayer numbers are known to have; 17 is more likely a credit code
/// one character short.
const LEGACY_LENGTHS: [usize; 2] = [15, 20];
const USCC_LENGTH: usize = 18;
/// Pre-standard codes of the pilot regions (real-world-values.md): registered in Fujian (35…) with an
/// organisation part starting M000. Some of them fail the final check character and are legal.
const PILOT_DIVISION_PREFIX: &[u8] = b"35";
const PILOT_ORG_PREFIX: &[u8] = b"M000";

fn code_value(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|v| v as u32)
}

/// GB 11714 value: digits 0–9, letters A=10 … Z=35.
fn org_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        _ => u32::from(c - b'A') + 10,
    }
}

/// The organisation-code check character for its first 8 characters.
fn org_check_char(body: &[u8]) -> u8 {
    let sum: u32 = body.iter().zip(ORG_WEIGHTS).map(|(&c, w)| org_value(c) * w).sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        c => b'0' + c as u8,
    }
}

/// The GB 32100 check character for the first 17 characters (all in CHARSET).
fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(&c, w)| code_value(c).unwrap_or(0) * w).sum();
    CHARSET[((31 - sum % 31) % 31) as usize]
}

/// The unified social credit code whose first 16 characters are `first16` (authority and type,
/// division, the organisation code's first 8), with its two check characters appended: for
/// generated lists (tests, benchmarks). `None` when a character is not one of the code's.
pub fn with_check_characters(first16: &str) -> Option<String> {
    let body = first16.as_bytes();
    if body.len() != 16 || body.iter().any(|&c| code_value(c).is_none()) {
        return None;
    }
    let mut code = body.to_vec();
    code.push(org_check_char(&body[8..16]));
    code.push(check_char(&code));
    String::from_utf8(code).ok()
}

/// The 6-digit division code (characters 3–8) of a well-formed 18-character code, for the region check.
pub(super) fn division(tax_id: &str) -> Option<&str> {
    let code = tax_id.trim_matches(is_blank);
    let division = code.get(2..8)?;
    (code.len() == USCC_LENGTH && division.bytes().all(|b| b.is_ascii_digit())).then_some(division)
}

/// What GB 32100 finds wrong with an 18-character ASCII code; empty when it is a valid code.
fn verify_uscc(code: &[u8]) -> Vec<Hit> {
    let mut hits = Vec::new();
    if let Some(i) = code.iter().position(|&c| code_value(c).is_none()) {
        hits.push(Hit::new(ids::TAX_ID_CHARSET).arg("position", i + 1).arg("char", code[i] as char));
        return hits;
    }
    let pair = std::str::from_utf8(&code[..2]).unwrap_or_default();
    if !AUTHORITY_TYPES.contains(&pair) {
        hits.push(Hit::new(ids::TAX_ID_AUTHORITY_TYPE).arg("code", pair));
    }
    if !code[2..8].iter().all(u8::is_ascii_digit) {
        hits.push(Hit::new(ids::TAX_ID_DIVISION));
    }
    if org_check_char(&code[8..16]) != code[16] {
        hits.push(Hit::new(ids::TAX_ID_ORG_CODE));
    }
    if check_char(&code[..17]) != code[17] {
        hits.push(Hit::new(ids::TAX_ID_CHECK_CHAR));
    }
    hits
}

/// A pilot-region code whose only fault is the final check character: its organisation code
/// (characters 9–17) checks, so a typo there is still caught.
fn is_pilot_code(code: &[u8], uscc_hits: &[Hit]) -> bool {
    code[2..].starts_with(PILOT_DIVISION_PREFIX)
        && code[8..].starts_with(PILOT_ORG_PREFIX)
        && uscc_hits.len() == 1
        && uscc_hits[0].rule == ids::TAX_ID_CHECK_CHAR
}

/// An 18-character ASCII value: a credit code, else what else it may rightly be.
fn verify_18(code: &str) -> Vec<Hit> {
    let uscc_hits = verify_uscc(code.as_bytes());
    if uscc_hits.is_empty() {
        uscc_hits
    } else if is_valid_resident_id(code) {
        vec![Hit::new(ids::TAX_ID_RESIDENT_ID)]
    } else if is_pilot_code(code.as_bytes(), &uscc_hits) {
        vec![Hit::new(ids::TAX_ID_PILOT_CODE)]
    } else {
        uscc_hits
    }
}

pub fn check(value: &str) -> Vec<Hit> {
    let trimmed = value.trim_matches(is_blank);
    if trimmed.is_empty() {
        return vec![Hit::new(ids::TAX_ID_EMPTY)];
    }
    let mut hits = Vec::new();
    if trimmed.len() != value.len() {
        hits.push(Hit::new(ids::TAX_ID_SURROUNDING_SPACE));
    }
    let code = trimmed.to_ascii_uppercase();
    if code != trimmed {
        hits.push(Hit::new(ids::TAX_ID_LOWERCASE).arg("suggestion", &code));
    }
    let length = code.chars().count();
    if length == USCC_LENGTH {
        if code.is_ascii() {
            hits.extend(verify_18(&code));
        } else {
            let (i, c) = code.chars().enumerate().find(|(_, c)| !c.is_ascii()).unwrap_or((0, '?'));
            hits.push(Hit::new(ids::TAX_ID_CHARSET).arg("position", i + 1).arg("char", c));
        }
    } else if UNVERIFIABLE_LENGTHS.contains(&length) && code.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) {
        let rule = if LEGACY_LENGTHS.contains(&length) { ids::TAX_ID_LEGACY_LENGTH } else { ids::TAX_ID_UNVERIFIABLE };
        hits.push(Hit::new(rule).arg("length", length));
    } else if let Some((i, c)) =
        UNVERIFIABLE_LENGTHS.contains(&length).then(|| code.chars().enumerate().find(|(_, c)| !c.is_ascii_alphanumeric())).flatten()
    {
        hits.push(Hit::new(ids::TAX_ID_CHARSET).arg("position", i + 1).arg("char", c));
    } else {
        hits.push(Hit::new(ids::TAX_ID_LENGTH).arg("length", length));
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::{validate_field, Context};

    fn rules(value: &str) -> Vec<&'static str> {
        validate_field("enterprise.tax_id", value, &Context::default()).iter().map(|f| f.rule).collect()
    }

    /// Right codes, with the companies they belong to (shared/reference/real-world-values.md:
    /// public validators' test data).
    const VALID: &[&str] = &[
        "91350100M000100Y43", // the standard's own example
        "914403001922038216", // 华为技术有限公司
        "9144030071526726XG", // 腾讯科技（深圳）有限公司
        "91110108795101314G", // 谷歌信息技术（中国）有限公司
        "91310000MA1K35Y38P", // 锤子科贸（上海）有限公司
        "9135020026015919XW", // 厦门象屿集团有限公司
        "913504001555807674", // 福建一建集团有限公司
    ];

    #[test]
    fn completed_codes_validate_and_match_published_ones() {
        assert_eq!(with_check_characters("9144030071526726").as_deref(), Some("9144030071526726XG"));
        for n in 0..200 {
            let code = with_check_characters(&format!("91440300{:08}", 10_000_000 + n)).unwrap();
            assert!(rules(&code).is_empty(), "{code}: {:?}", rules(&code));
        }
        assert_eq!(with_check_characters("91440300I1234567"), None, "I is not in the charset");
        assert_eq!(with_check_characters("914403"), None);
    }

    #[test]
    fn published_codes_validate() {
        for code in VALID {
            assert!(rules(code).is_empty(), "{code}: {:?}", rules(code));
        }
    }

    #[test]
    fn gb_11714_maps_remainders_ten_and_eleven() {
        // Σ = 0 → 11 − 0 = 11 → "0".
        assert_eq!(org_check_char(b"00000000"), b'0');
        // 5·2 = 10 → 11 − 10 = 1.
        assert_eq!(org_check_char(b"00000005"), b'1');
        // 1·3 = 3 → 8.
        assert_eq!(org_check_char(b"10000000"), b'8');
        // 4·3 = 12 ≡ 1 → 10 → "X".
        assert_eq!(org_check_char(b"40000000"), b'X');
        // Letters count from 10: 10·3 = 30 ≡ 8 → 3.
        assert_eq!(org_check_char(b"A0000000"), b'3');
    }

    #[test]
    fn whitespace_is_trimmed_with_a_warning_and_lower_case_is_normalised() {
        assert_eq!(rules(" 91350100M000100Y43 "), [ids::TAX_ID_SURROUNDING_SPACE]);
        assert_eq!(rules("91350100m000100y43"), [ids::TAX_ID_LOWERCASE]);
        let f = validate_field("enterprise.tax_id", "91350100m000100y43", &Context::default());
        assert_eq!(f[0].args, [("suggestion", "91350100M000100Y43".to_string())]);
    }

    #[test]
    fn each_gb_32100_failure_has_its_own_rule() {
        assert_eq!(rules(""), [ids::TAX_ID_EMPTY]);
        // I, O, S, V, Z and punctuation are outside the charset.
        assert_eq!(rules("91350100M000100YO3"), [ids::TAX_ID_CHARSET]);
        let f = validate_field("enterprise.tax_id", "9135010OM000100Y43", &Context::default());
        assert_eq!(f[0].args, [("position", "8".to_string()), ("char", "O".to_string())]);
        assert_eq!(rules("91350100M000100Y4Ｓ"), [ids::TAX_ID_CHARSET]);
        // 94 is not a registration-authority/type pair; the check character then differs too.
        assert!(rules("94350100M000100Y43").starts_with(&[ids::TAX_ID_AUTHORITY_TYPE]));
        assert!(rules("913501A0M000100Y43").contains(&ids::TAX_ID_DIVISION));
        // A changed organisation code digit breaks both the inner and the final check.
        assert_eq!(rules("91350100M000200Y43"), [ids::TAX_ID_ORG_CODE, ids::TAX_ID_CHECK_CHAR]);
        assert_eq!(rules("91440300708461136U"), [ids::TAX_ID_CHECK_CHAR]);
        // The standard's example has the pilot shape: its last character alone is only doubted.
        assert_eq!(rules("91350100M000100Y44"), [ids::TAX_ID_PILOT_CODE]);
    }

    #[test]
    fn legacy_lengths_are_recognised_and_seventeen_is_a_warning() {
        assert_eq!(rules("440301123456789"), [ids::TAX_ID_LEGACY_LENGTH]);
        assert_eq!(rules("4403011980010112341A"), [ids::TAX_ID_LEGACY_LENGTH]);
        assert_eq!(rules("44030119800101123"), [ids::TAX_ID_UNVERIFIABLE]);
        assert_eq!(rules("44030112345678-"), [ids::TAX_ID_CHARSET]);
    }

    #[test]
    fn resident_ids_are_recognised_not_reported_as_mistyped_codes() {
        for id in ["11010519491231002X", "440306199003071232", "11010519491231002x"] {
            assert!(rules(id).ends_with(&[ids::TAX_ID_RESIDENT_ID]), "{id}: {:?}", rules(id));
        }
        // A wrong GB 11643 check digit leaves it a broken credit code.
        assert!(rules("110105194912310021").contains(&ids::TAX_ID_CHECK_CHAR));
        // Not a birth date (month 13): not an identity number.
        assert!(!rules("110105194913310021").contains(&ids::TAX_ID_RESIDENT_ID));
    }

    #[test]
    fn pilot_codes_failing_only_the_check_character_are_a_warning() {
        for code in ["91350100M0001TGQXM", "91350211M0000XUF46", "91350203M0001FUE2P"] {
            assert_eq!(rules(code), [ids::TAX_ID_PILOT_CODE], "{code}");
        }
        // A typo in the organisation part breaks its own check: still an error.
        assert_eq!(rules("91350100M0002TGQXM"), [ids::TAX_ID_ORG_CODE, ids::TAX_ID_CHECK_CHAR]);
        // The same shape outside the pilot region, or without M000, is an ordinary code.
        assert_eq!(rules("91440100M0001TGQXM"), [ids::TAX_ID_CHECK_CHAR]);
        assert_eq!(rules("91350100MA1K35Y38X"), [ids::TAX_ID_CHECK_CHAR]);
    }

    #[test]
    fn other_lengths_are_warnings_stating_the_length() {
        assert_eq!(rules("9135010"), [ids::TAX_ID_LENGTH]);
        let f = validate_field("enterprise.tax_id", "91350100M000100Y4", &Context::default());
        assert_eq!(f[0].args, [("length", "17".to_string())]);
        assert_eq!(rules("91350100M000100Y431"), [ids::TAX_ID_LENGTH]);
    }

    #[test]
    fn division_is_read_only_from_well_formed_codes() {
        assert_eq!(division("9144030071526726XG"), Some("440300"));
        assert_eq!(division("123"), None);
        assert_eq!(division("914403一0708461136"), None);
    }
}
