//! Per-field validation on 100-character inputs, the overlay's per-keystroke cost.
//! Run: `cargo bench --bench validate --no-default-features`. Target: under 20 µs per field.

use divan::{black_box, Bencher};
use std::sync::Arc;

use piaozone_assist::core::companies::{KnownCompanies, CAPACITY};
use piaozone_assist::core::faq::match_text;
use piaozone_assist::core::guide::FIELDS;
use piaozone_assist::core::validate::{validate_field, Context};

fn main() {
    divan::main();
}

/// 100 characters that look like what a field holds, plus a damaged variant (blanks, full-width),
/// so that the paths that build findings are measured too.
fn input(field: &str, damaged: bool) -> String {
    let base = match field {
        f if f.ends_with("url") => "https://api-dev.piaozone.com/test",
        f if f.ends_with("proxy") => "172.18.1.1:10086",
        f if f.ends_with("tax_id") => "91440300MA5F7Q2K59",
        f if f.ends_with("region") => "深圳市",
        f if f.ends_with("account") => "13800138000",
        f if f.ends_with("email") => "finance@example.com",
        f if f.ends_with("functional_types") => "法人企业,核算组织",
        _ => "金蝶软件（中国）有限公司 Kq8vN2xW5tY7pL3a",
    };
    let filler = if damaged { "ａ\u{3000}(\u{200B}" } else { "x" };
    let mut value: String = base.chars().take(100).collect();
    while value.chars().count() < 100 {
        value.push_str(filler);
    }
    value.chars().take(100).collect()
}

/// A full memory of companies (the worst case of the expense page's lookups), the last one the
/// inputs' own.
fn companies() -> Arc<KnownCompanies> {
    const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut known = KnownCompanies::default();
    for i in 0..CAPACITY - 1 {
        let body = format!("91440300MA5F{i:04}");
        let tax_id = CHARSET
            .chars()
            .flat_map(|a| CHARSET.chars().map(move |b| (a, b)))
            .map(|(a, b)| format!("{body}{a}{b}"))
            .find(|t| known.remember(&format!("示例{i}有限公司"), t));
        assert!(tax_id.is_some());
    }
    assert!(known.remember("深圳示例科技有限公司", "91440300MA5F7Q2K59"));
    assert_eq!(known.len(), CAPACITY);
    Arc::new(known)
}

fn context() -> Context {
    Context::default()
        .with_companies(companies())
        .with("enterprise.tax_id", "91440300MA5F7Q2K59")
        .with("enterprise.name", "深圳示例科技有限公司")
        .with("auth.client_id", "pz_ent_7f3k2m9q")
        .with("auth.encrypt_key", "Kq8vN2xW5tY7pL3a")
        .with("etax.login_type", "小号登录")
}

fn field_ids() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|f| f.id)
}

#[divan::bench(args = field_ids())]
fn field(bencher: Bencher, id: &str) {
    let (value, ctx) = (input(id, false), context());
    bencher.bench_local(|| validate_field(black_box(id), black_box(&value), &ctx));
}

#[divan::bench(args = field_ids())]
fn field_damaged(bencher: Bencher, id: &str) {
    let (value, ctx) = (input(id, true), context());
    bencher.bench_local(|| validate_field(black_box(id), black_box(&value), &ctx));
}

/// Every field once, as the overlay does when a page opens: divide by the field count.
#[divan::bench]
fn all_fields(bencher: Bencher) {
    let inputs: Vec<(&str, String)> = field_ids().map(|id| (id, input(id, true))).collect();
    let ctx = context();
    bencher.bench_local(|| {
        for (id, value) in &inputs {
            black_box(validate_field(id, value, &ctx));
        }
    });
}

#[divan::bench]
fn faq_match_100_chars(bencher: Bencher) {
    let text = "连接测试失败：非法的客户ID，请联系管理员。errcode=1101 description=签名认证不通过 at com.kingdee.fpy";
    bencher.bench_local(|| match_text(black_box(text)));
}
