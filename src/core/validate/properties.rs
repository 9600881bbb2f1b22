//! Property tests: an independent GB 32100 encoder, single-character changes, secrecy, and
//! behaviour on arbitrary Unicode up to 1 MB.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::{check_config, ids, validate_field, verdict, Config, Context, Severity};
use crate::core::faq::match_text;
use crate::core::guide::FIELDS;
use crate::core::i18n::Lang;

/// Written from the standard's text, not from the validator: the 31 code characters in order.
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const PAIRS: &[&str] = &[
    "11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39", "41", "49", "51", "52", "53", "59", "61", "62", "69", "71",
    "72", "79", "81", "89", "91", "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1",
];

/// GB 32100-2015 encoder: 登记管理部门 + 机构类别 + 区划 + 主体标识码 (GB 11714 with its own check)
/// + the check character over positions 1–17 with weights 3^(i−1) mod 31.
fn encode(pair: &str, division: &str, org_body: &str) -> String {
    let gb11714_value = |c: char| c.to_digit(36).unwrap();
    let org_sum: u32 = org_body.chars().zip([3, 7, 9, 10, 5, 8, 4, 2]).map(|(c, w)| gb11714_value(c) * w).sum();
    let org_check = match 11 - org_sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap(),
    };
    let first17 = format!("{pair}{division}{org_body}{org_check}");
    let mut weight = 1u32;
    let mut sum = 0u32;
    for c in first17.chars() {
        sum += ALPHABET.find(c).unwrap() as u32 * weight;
        weight = weight * 3 % 31;
    }
    let check = ALPHABET.chars().nth(((31 - sum % 31) % 31) as usize).unwrap();
    format!("{first17}{check}")
}

fn uscc() -> impl Strategy<Value = String> {
    (prop::sample::select(PAIRS), "[0-9]{6}", proptest::collection::vec(prop::sample::select(ALPHABET.chars().collect::<Vec<_>>()), 8))
        .prop_map(|(pair, division, body)| encode(pair, &division, &body.into_iter().collect::<String>()))
}

/// GB 11643-1999 written from the standard: 6-digit address code, birth date, 3-digit sequence,
/// and the check character of Σ aᵢ·2^(18−i) mod 11 mapped through 1 0 X 9 8 7 6 5 4 3 2.
fn resident_id() -> impl Strategy<Value = String> {
    (prop::sample::select(vec![11u32, 31, 35, 44, 51, 65, 81, 82, 83]), 0u32..10_000, 1900u32..2025, 1u32..13, 1u32..29, 0u32..1000)
        .prop_map(|(province, area, year, month, day, sequence)| {
            let first17 = format!("{province:02}{area:04}{year:04}{month:02}{day:02}{sequence:03}");
            let sum: u32 = first17.chars().enumerate().map(|(i, c)| c.to_digit(10).unwrap() * (2u32.pow(17 - i as u32) % 11)).sum();
            let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
            format!("{first17}{check}")
        })
}

fn rules_of(findings: &[super::Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule).collect()
}

fn all_text(field: &str, value: &str, ctx: &Context) -> String {
    let mut text = String::new();
    for f in validate_field(field, value, ctx) {
        for lang in [Lang::Zh, Lang::En] {
            text += &(f.message(lang) + &f.why(lang) + &f.fix(lang));
        }
        text += &format!("{:?}", f.args);
    }
    text
}

/// Characters that stress parsers: blanks of every kind, bidi marks, full-width forms, emoji,
/// the replacement character, separators the validators split on.
const NASTY: &[char] = &[
    ' ', '\t', '\n', '\u{00A0}', '\u{3000}', '\u{200B}', '\u{200E}', '\u{200F}', '\u{202E}', '\u{FEFF}', '\u{FFFD}', '：', '／', '。',
    '（', '）', '＠', 'Ａ', '１', '😀', 'é', 'ا', '…', ':', '/', '.', '@', '"', '{', '}', '-', '_', '1', '9', 'T', 'N', 'x', 'X',
];

fn nasty_text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof![3 => prop::sample::select(NASTY), 1 => any::<char>()], 0..max)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn every_encoded_code_validates(code in uscc()) {
        let findings = validate_field("enterprise.tax_id", &code, &Context::default());
        prop_assert!(findings.is_empty(), "{code}: {findings:?}");
    }

    /// A substitution inside the alphabet changes Σ by w·Δ with 0 < |Δ| < 31 and w ≠ 0 mod the
    /// prime 31, so the check character catches it: an error, unless the result is what a right
    /// value may also be (real-world-values.md): a valid resident ID, or a code of the pilot
    /// regions (35…, organisation part M000…) whose organisation code still checks.
    #[test]
    fn every_substitution_within_the_alphabet_is_an_error(code in uscc(), at in 0usize..18, by in 1usize..31) {
        let mut chars: Vec<char> = code.chars().collect();
        let old = ALPHABET.find(chars[at]).unwrap();
        chars[at] = ALPHABET.chars().nth((old + by) % 31).unwrap();
        let changed: String = chars.into_iter().collect();
        let findings = validate_field("enterprise.tax_id", &changed, &Context::default());
        match rules_of(&findings).as_slice() {
            [ids::TAX_ID_RESIDENT_ID] => prop_assert!(
                changed[..17].bytes().all(|b| b.is_ascii_digit()),
                "{changed} is no resident ID"
            ),
            [ids::TAX_ID_PILOT_CODE] => prop_assert!(
                &changed[2..4] == "35" && &changed[8..12] == "M000" && !(8..17).contains(&at),
                "{changed} is no pilot code with its organisation part intact"
            ),
            _ => prop_assert_eq!(verdict(&findings), Severity::Error, "{} → {}: {:?}", code, changed, findings),
        }
    }

    /// Any GB 11643 resident ID is a right taxpayer number (individual businesses) and a right
    /// e-tax account: never an error, and as a tax id it is recognised for what it is.
    #[test]
    fn every_resident_id_is_recognised_and_never_an_error(id in resident_id()) {
        let as_tax_id = validate_field("enterprise.tax_id", &id, &Context::default());
        prop_assert!(verdict(&as_tax_id) < Severity::Warning, "{id}: {as_tax_id:?}");
        prop_assert!(
            as_tax_id.is_empty() || rules_of(&as_tax_id) == [ids::TAX_ID_RESIDENT_ID],
            "{id}: {as_tax_id:?}"
        );
        let as_account = validate_field("etax.account", &id, &Context::default());
        prop_assert!(as_account.is_empty(), "{id}: {as_account:?}");
    }

    /// Any other single-character change (I, O, S, V, Z, punctuation, blanks, non-ASCII) is never
    /// accepted as clean; only a case change is, with a warning.
    #[test]
    fn every_single_character_change_is_reported(code in uscc(), at in 0usize..18, by in any::<char>()) {
        let mut chars: Vec<char> = code.chars().collect();
        prop_assume!(by.to_ascii_uppercase() != chars[at]);
        chars[at] = by;
        let changed: String = chars.into_iter().collect();
        let findings = validate_field("enterprise.tax_id", &changed, &Context::default());
        prop_assert!(verdict(&findings) >= Severity::Warning, "{:?}: {:?}", changed, findings);
    }

    #[test]
    fn secrets_never_appear_in_findings(
        secret in "[A-Za-z0-9]{8,24}",
        damage in prop::sample::select(vec!["", " ", "\u{200B}", "\"", "１"]),
        at in 0usize..24,
    ) {
        let at = at.min(secret.len());
        let value = format!("{}{damage}{}", &secret[..at], &secret[at..]);
        for field in FIELDS.iter().filter(|f| f.secret) {
            let ctx = Context::default().with(&format!("{}.client_id", field.section), &value);
            let text = all_text(field.id, &value, &ctx);
            prop_assert!(!text.contains(&secret[..at]) || at < 8, "{} leaks {:?}: {}", field.id, value, text);
            prop_assert!(!text.contains(&secret[at..]) || secret.len() - at < 8, "{} leaks {:?}: {}", field.id, value, text);
        }
    }

    #[test]
    fn no_validator_panics_on_arbitrary_text(value in nasty_text(300)) {
        let ctx = Context::default()
            .with("enterprise.tax_id", &value)
            .with("enterprise.name", &value)
            .with("etax.login_type", "小号登录");
        for field in FIELDS {
            for f in validate_field(field.id, &value, &ctx) {
                prop_assert!(field.rules.contains(&f.rule), "{} reported {}", field.id, f.rule);
                let _ = (f.message(Lang::Zh), f.fix(Lang::En));
            }
        }
        let _ = match_text(&value);
    }
}

/// Inputs of `bytes`: runs of one character and a pseudo-random mix of the nasty ones (xorshift,
/// so that a failure reproduces). Few of them: unoptimised test builds walk ~60 ns per character.
fn inputs_of(bytes: usize) -> Vec<String> {
    let mut inputs: Vec<String> = [" ", "😀", "\u{FFFD}"].iter().map(|s| s.repeat(bytes / s.len())).collect();
    inputs.push(format!("https://{}", "a".repeat(bytes)));
    inputs.push("91350100M000100Y43".repeat(bytes / 18));
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut mix = String::with_capacity(bytes);
    while mix.len() < bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        mix.push(NASTY[(state % NASTY.len() as u64) as usize]);
    }
    inputs.push(mix);
    inputs
}

fn time_field(field: &str, input: &str) -> Duration {
    let ctx = Context::default()
        .with("enterprise.tax_id", input)
        .with("enterprise.name", input)
        .with("auth.client_id", input)
        .with("etax.login_type", input);
    let start = thread_cpu_time();
    for f in validate_field(field, input, &ctx) {
        let _ = (f.message(Lang::Zh), f.why(Lang::En), f.fix(Lang::Zh));
    }
    thread_cpu_time() - start
}

/// CPU time of this thread: unlike wall time it does not grow while other processes have the
/// cores, so the ratio below measures the algorithm, not the machine's load.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// 16 times the input may take 16 times as long, not 256 (quadratic); the allowance absorbs
/// the noise of a shared machine. Quadratic work on 1 MB would take hours, hence the hard limit.
#[test]
fn every_validator_is_linear_up_to_a_megabyte() {
    const SMALL: usize = 1 << 16;
    const LARGE: usize = 1 << 20;
    let allowance = Duration::from_millis(60);
    let limit = Duration::from_secs(2);
    for (small, large) in inputs_of(SMALL).iter().zip(inputs_of(LARGE)) {
        let name = large.chars().take(8).collect::<String>();
        for field in FIELDS {
            let t_small = time_field(field.id, small);
            // Even CPU time varies with caches and a busy memory bus on a shared machine;
            // quadratic work is slow every time, so a run over the bound is measured twice more
            // and the fastest counts.
            let within = |t: Duration| t < limit && t < t_small * 40 + allowance;
            let mut t_large = time_field(field.id, &large);
            for _ in 0..2 {
                if within(t_large) {
                    break;
                }
                t_large = t_large.min(time_field(field.id, &large));
            }
            assert!(t_large < limit, "{} took {t_large:?} on 1 MB of {name:?}…", field.id);
            assert!(t_large < t_small * 40 + allowance, "{}: {t_small:?} on 64 KB but {t_large:?} on 1 MB of {name:?}…", field.id);
        }
        let start = Instant::now();
        let _ = match_text(&large);
        assert!(start.elapsed() < limit, "faq took {:?}", start.elapsed());
    }
}

#[test]
fn a_whole_file_of_megabyte_values_is_checked_in_linear_time() {
    let big = "\u{3000}x".repeat(1 << 19);
    let values: Vec<(&str, &str)> = FIELDS.iter().filter(|f| f.section == "auth").map(|f| (f.key, big.as_str())).collect();
    let start = Instant::now();
    let findings = check_config(&Config::default().with_section("auth", values.clone()).with_item("etax", []));
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    assert!(!findings.is_empty());
}
