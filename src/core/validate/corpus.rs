//! The severity policy (guide/README.md) proved on values: right values that real customers have
//! (shared/reference/real-world-values.md and more of the same kinds) get no error, and every
//! wrong value the validators were written for is still an error.

use std::sync::Arc;

use super::{check_config, ids, validate_field, Config, Context, Finding, Severity};
use crate::core::companies::KnownCompanies;

/// Published credit codes with the companies' registered names (real-world-values.md), and the
/// bureau of each code's division.
const COMPANIES: &[(&str, &str, &str)] = &[
    ("914403001922038216", "华为技术有限公司", "深圳市"),
    ("9144030071526726XG", "腾讯科技（深圳）有限公司", "深圳市"),
    ("91110108795101314G", "谷歌信息技术（中国）有限公司", "北京市"),
    ("91310000MA1K35Y38P", "锤子科贸（上海）有限公司", "上海市"),
    ("91120222MA06DG3067", "天津云上畅游科技合伙企业（有限合伙）", "天津市"),
    ("9135020026015919XW", "厦门象屿集团有限公司", "厦门市"),
    ("913504001555807674", "福建一建集团有限公司", "福建省"),
    ("91350100M000100Y43", "GB 32100 的示例代码", "福建省"),
    // Pre-standard codes of the pilot region: legal, though they fail the check character.
    ("91350100M0001TGQXM", "福建恒跃柳工机械销售有限公司", "福建省"),
    ("91350211M0000XUF46", "厦门云上晴空航空科技有限公司", "厦门市"),
    ("91350203M0001FUE2P", "厦门黑脉网络科技有限公司", "厦门市"),
];

/// GB 11643 resident IDs (the standard's example, and check digits computed from its algorithm),
/// as individual businesses' taxpayer ids and as e-tax accounts.
const RESIDENT_IDS: &[&str] = &[
    "11010519491231002X",
    "440306199003071232",
    "35020319850615002X",
    "31011519721108203X",
    "510107200012294066",
    "440101198002290014",
    "81000019920817001X", // 港澳台居民居住证 of a 香港 resident
];

/// Right values of single fields, each with what it is.
const RIGHT: &[(&str, &str, &str)] = &[
    ("auth.url", "https://api.piaozone.com", "production"),
    ("auth.url", "https://api.piaozone.com/", "production, trailing slash"),
    ("auth.url", "https://api-dev.piaozone.com/test", "test, as the guide gives it"),
    ("auth.url", "https://api-dev.piaozone.com", "test, as a public client posts to it"),
    ("auth.url", "http://api.piaozone.com", "production over http"),
    ("auth.url", "https://api-sit.piaozone.com", "another Piaozone environment"),
    ("auth.url", "https://fpy-proxy.example.com.cn:8443/piaozone", "relay with a path"),
    ("auth.url", "http://10.0.0.5:8080", "relay on the intranet"),
    ("auth.url", "https://xn--fiq228c.xn--fiqs8s", "relay on a punycode domain"),
    ("auth.proxy", "", "no proxy"),
    ("auth.proxy", "172.18.1.1:10086", "the guide's example"),
    ("auth.proxy", "proxy.corp.local:8080", "proxy by name"),
    ("auth.proxy", "http://172.18.1.1:10086", "proxy with a scheme"),
    ("auth.use_original_auth", "否", "new customers"),
    ("auth.use_original_auth", "是", "old customers"),
    ("enterprise.tax_id", "440300708461136", "15-character legacy taxpayer id"),
    ("enterprise.tax_id", "44030619900307123201", "20-character taxpayer id"),
    ("enterprise.name", "腾讯科技(深圳)有限公司", "activated with half-width brackets"),
    ("enterprise.name", "Kingdee International Software Group Company Limited", "English name"),
    ("enterprise.channel", "新电子服务平台", "the guide's channel"),
    ("enterprise.channel", "乐企", "乐企"),
    ("etax.account", "13800138000", "mobile"),
    ("etax.account", "19912345678", "mobile, 199"),
    ("etax.account", "E12345678", "passport"),
    ("etax.account", "EA1234567", "passport, newer series"),
    ("etax.account", "G12345678", "passport, older series"),
    ("etax.account", "H12345678", "港澳居民来往内地通行证"),
    ("etax.account", "M12345678", "港澳居民来往内地通行证 of a 澳门 resident"),
    ("etax.account", "H1234567890", "港澳居民来往内地通行证, older 11-character form"),
    ("etax.account", "12345678", "台湾居民来往大陆通行证"),
    ("etax.password", "GoodPass#2024", "password"),
    ("etax.password", "pass word", "password with an inner space"),
    ("etax.role", "管理员", "a role our list may lack"),
    ("etax.login_type", "人工登录", "manual"),
    ("etax.login_type", "扫码登录", "a login type our list may lack"),
    ("legacy.email", "finance@example.com", "e-mail"),
    ("legacy.email", "a.b+tag@mail.kingdee.com.cn", "e-mail with a tag"),
    ("legacy.email", "admin@例子.中国", "e-mail on an internationalised domain"),
    ("legacy.email", "admin@xn--fsqu00a.xn--fiqs8s", "the same domain in punycode"),
    ("legacy.email", "财务@example.com", "UTF-8 mailbox name (RFC 6531)"),
    ("legacy.activation_code", "A1B2-C3D4-E5F6", "activation code"),
    ("expense.org", "深圳示例科技", "organisation"),
    ("org.functional_types", "法人企业,核算组织", "accounting organisation"),
];

/// Several companies' key sets on one site: each enterprise's own, and the tenant's.
const KEY_SETS: &[(&str, &str, &str)] = &[
    ("pz_ent_7f3k2m9q", "GOODsecret-4471-zz", "Kq8vN2xW5tY7pL3a"),
    ("a1b2c3d4e5f6a7b8", "9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", "0123456789abcdef"),
    ("pz_ent_xm_0002", "Zq7pLm2xVb9K", "Tz5wQ8rE2yU6iO1p"),
];
const TENANT_KEYS: (&str, &str, &str) = ("TN_4h7d2k", "TENANTsecret-9921", "Tz5wQ8rE2yU6iO1q");

fn assert_no_error(findings: &[Finding], value: &str, what: &str) {
    for f in findings {
        assert!(f.severity < Severity::Error, "{}: {value:?} ({what}) got error {}", f.field, f.rule);
    }
}

fn known<'a>(companies: impl Iterator<Item = (&'a str, &'a str)>) -> KnownCompanies {
    let mut known = KnownCompanies::default();
    for (name, tax_id) in companies {
        known.put(name, tax_id);
    }
    known
}

fn check(field: &str, value: &str, ctx: &Context, what: &str) {
    assert_no_error(&validate_field(field, value, ctx), value, what);
}

#[test]
fn no_right_value_is_an_error() {
    let none = Context::default();
    for (field, value, what) in RIGHT {
        check(field, value, &none, what);
    }
    // Several companies on one site: every one seen on 企业信息, each one's 费报 row right.
    let site = Arc::new(known(COMPANIES.iter().map(|(tax_id, name, _)| (*name, *tax_id))));
    for (tax_id, name, bureau) in COMPANIES {
        let company = Context::default().with("enterprise.tax_id", tax_id).with("enterprise.name", name).with_companies(site.clone());
        for field in ["enterprise.tax_id", "expense.tax_id"] {
            check(field, tax_id, &company, name);
        }
        for field in ["enterprise.name", "expense.name"] {
            check(field, name, &company, tax_id);
        }
        check("etax.region", bureau, &company, tax_id);
        // A company that moved may sign in elsewhere than its registration: a note, not an error.
        check("etax.region", "广东省", &company, tax_id);
    }
    for id in RESIDENT_IDS {
        check("enterprise.tax_id", id, &none, "resident ID as taxpayer id");
        check("etax.account", id, &none, "resident ID as account");
    }
    for role in crate::core::guide::ROLES {
        check("etax.role", role, &none, "role");
    }
    for (client_id, secret, key) in KEY_SETS {
        for section in ["auth", "expense"] {
            let ctx = Context::default().with(&format!("{section}.client_id"), client_id).with(&format!("{section}.encrypt_key"), key);
            check(&format!("{section}.client_id"), client_id, &ctx, "client id");
            check(&format!("{section}.client_secret"), secret, &ctx, "client secret");
            check(&format!("{section}.encrypt_key"), key, &ctx, "encrypt key");
        }
        let tenant = Context::default().with("auth.client_id", client_id);
        check("tenant.client_id", TENANT_KEYS.0, &tenant, "tenant id beside an enterprise id");
    }
    check("tenant.client_secret", TENANT_KEYS.1, &Context::default(), "tenant secret");
    check("tenant.encrypt_key", TENANT_KEYS.2, &Context::default(), "tenant key");
    let small = Context::default().with("etax.login_type", "小号登录");
    check("etax.app_key", "qxy_app_key_01", &small, "小号登录 app key");
    check("etax.app_secret", "QXYappSECRET-0042", &small, "小号登录 app secret");
}

/// The recognitions are notes or warnings that say what the value is, not silence that hides it.
#[test]
fn right_values_of_other_kinds_are_recognised_for_what_they_are() {
    let rules =
        |field: &str, value: &str| -> Vec<&str> { validate_field(field, value, &Context::default()).iter().map(|f| f.rule).collect() };
    assert_eq!(rules("enterprise.tax_id", "11010519491231002X"), [ids::TAX_ID_RESIDENT_ID]);
    assert_eq!(rules("enterprise.tax_id", "91350100M0001TGQXM"), [ids::TAX_ID_PILOT_CODE]);
    assert_eq!(rules("enterprise.tax_id", "440300708461136"), [ids::TAX_ID_LEGACY_LENGTH]);
    assert_eq!(rules("auth.url", "https://api-dev.piaozone.com"), [ids::URL_DEV_WITHOUT_TEST]);
    assert_eq!(rules("etax.role", "管理员"), [ids::ROLE_UNKNOWN]);
}

/// One site with the whole configuration of a company whose accounts use every kind of document.
#[test]
fn a_whole_real_configuration_has_no_error() {
    let config = Config::default()
        .with_section(
            "auth",
            [
                ("url", "https://api-dev.piaozone.com"),
                ("proxy", "172.18.1.1:10086"),
                ("use_original_auth", "否"),
                ("client_id", KEY_SETS[0].0),
                ("client_secret", KEY_SETS[0].1),
                ("encrypt_key", KEY_SETS[0].2),
            ],
        )
        .with_section("enterprise", [("name", "腾讯科技（深圳）有限公司"), ("tax_id", "9144030071526726XG"), ("channel", "新电子服务平台")])
        .with_section("tenant", [("client_id", TENANT_KEYS.0), ("client_secret", TENANT_KEYS.1), ("encrypt_key", TENANT_KEYS.2)])
        .with_item(
            "etax",
            [("region", "深圳市"), ("account", "H12345678"), ("password", "GoodPass#2024"), ("role", "办税人"), ("login_type", "人工登录")],
        )
        .with_item(
            "etax",
            [
                ("region", "广东省"),
                ("account", "11010519491231002X"),
                ("password", "SmallPass#2024"),
                ("role", "开票员"),
                ("login_type", "小号登录"),
                ("app_key", "qxy_app_key_01"),
                ("app_secret", "QXYappSECRET-0042"),
            ],
        )
        .with_section("legacy", [("email", "admin@例子.中国"), ("activation_code", "A1B2-C3D4-E5F6")])
        .with_section(
            "expense",
            [
                ("org", "腾讯科技"),
                ("tax_id", "9144030071526726XG"),
                ("name", "腾讯科技（深圳）有限公司"),
                ("client_id", KEY_SETS[1].0),
                ("client_secret", KEY_SETS[1].1),
                ("encrypt_key", KEY_SETS[1].2),
            ],
        )
        .with_section("org", [("functional_types", "法人企业,核算组织")]);
    let findings = check_config(&config);
    assert_no_error(&findings, "the whole configuration", "腾讯科技");
}

/// What the validators were written to catch: each value still gets its rule as an error.
#[test]
fn every_true_error_is_still_an_error() {
    let enterprise = Context::default()
        .with("enterprise.tax_id", "914403001922038216")
        .with("enterprise.name", "华为技术有限公司")
        .with("auth.client_id", "pz_ent_7f3k2m9q")
        .with("etax.login_type", "小号登录")
        .with("expense.tax_id", "914403001922038216")
        .with("expense.name", "华为技术有限公司")
        .with_companies(Arc::new(known(
            [("华为技术有限公司", "914403001922038216"), ("腾讯科技（深圳）有限公司", "9144030071526726XG")].into_iter(),
        )));
    let wrong: &[(&str, &str, &str)] = &[
        ("enterprise.tax_id", "914403001922038217", ids::TAX_ID_CHECK_CHAR),
        ("enterprise.tax_id", "9144030071526726XH", ids::TAX_ID_CHECK_CHAR),
        ("enterprise.tax_id", "91440300708461136U", ids::TAX_ID_CHECK_CHAR),
        ("enterprise.tax_id", "91350100M0002TGQXM", ids::TAX_ID_ORG_CODE),
        ("enterprise.tax_id", "9144030O71526726XG", ids::TAX_ID_CHARSET),
        ("enterprise.tax_id", "", ids::TAX_ID_EMPTY),
        // 腾讯's tax id beside 华为's name (the context's 费报 row): one company's with another's.
        ("expense.tax_id", "9144030071526726XG", ids::TAX_ID_DIFFERS),
        ("enterprise.name", "", ids::NAME_EMPTY),
        ("expense.name", "华为技术有限责任公司", ids::NAME_DIFFERS),
        ("auth.url", "", ids::URL_EMPTY),
        ("auth.url", "ftp://api.piaozone.com", ids::URL_NOT_HTTP),
        ("auth.url", "https://api.piaozone.com/test", ids::URL_PROD_WITH_TEST),
        ("auth.url", "https://api.piaozone.com/base/oauth/token", ids::URL_EXTRA_PATH),
        ("auth.url", "ｈｔｔｐｓ：／／api.piaozone.com", ids::URL_NEAR_MISS),
        ("auth.url", "https://api.piaozone.com ", ids::URL_NEAR_MISS),
        ("auth.proxy", "172.18.1.1：10086", ids::PROXY_FULLWIDTH_COLON),
        ("auth.proxy", "172.18.1.1", ids::PROXY_MISSING_PORT),
        ("auth.proxy", "172.18.1.1:70000", ids::PROXY_BAD_PORT),
        ("auth.proxy", "300.1.1.1:80", ids::PROXY_BAD_HOST),
        ("auth.use_original_auth", "可能", ids::ORIGINAL_AUTH_INVALID),
        ("auth.client_id", "", ids::CREDENTIALS_EMPTY),
        ("auth.client_id", "TN_4h7d2k", ids::CREDENTIALS_TENANT_ON_ENTERPRISE),
        ("expense.client_id", "TN_4h7d2k", ids::CREDENTIALS_TENANT_ON_ENTERPRISE),
        ("auth.client_id", "pz_ent\u{200B}7f3k", ids::CREDENTIALS_INVISIBLE),
        ("auth.client_secret", "ＧＯＯＤsecret", ids::CREDENTIALS_FULLWIDTH),
        ("auth.encrypt_key", "Kq8vN2xW5tY7pL3ａ", ids::CREDENTIALS_FULLWIDTH),
        ("auth.client_secret", "\"GOODsecret\"", ids::CREDENTIALS_QUOTED),
        ("auth.encrypt_key", "Kq8vN2xW5tY7pL3", ids::CREDENTIALS_KEY_LENGTH),
        ("tenant.client_id", "pz_ent_other", ids::CREDENTIALS_NOT_TENANT),
        ("tenant.client_id", "pz_ent_7f3k2m9q", ids::CREDENTIALS_TENANT_SAME_AS_ENTERPRISE),
        ("etax.region", "", ids::REGION_EMPTY),
        ("etax.account", "", ids::ACCOUNT_EMPTY),
        ("etax.password", "", ids::PASSWORD_EMPTY),
        ("etax.role", "", ids::ROLE_EMPTY),
        ("etax.login_type", "", ids::LOGIN_TYPE_EMPTY),
        ("etax.app_key", "", ids::APP_KEY_REQUIRED),
        ("legacy.email", "", ids::EMAIL_EMPTY),
        ("legacy.email", "ops@example", ids::EMAIL_INVALID),
        ("legacy.email", "finance＠example.com", ids::EMAIL_FULLWIDTH),
        ("legacy.activation_code", "", ids::ACTIVATION_CODE_EMPTY),
        ("expense.org", "", ids::ORG_EMPTY),
        ("org.functional_types", "法人企业,采购组织", ids::FUNCTIONAL_TYPES_MISSING_ACCOUNTING),
    ];
    for (field, value, rule) in wrong {
        let findings = validate_field(field, value, &enterprise);
        assert!(
            findings.iter().any(|f| f.rule == *rule && f.severity == Severity::Error),
            "{field} = {value:?}: expected {rule} as an error, got {:?}",
            findings.iter().map(|f| (f.rule, f.severity)).collect::<Vec<_>>()
        );
    }
}
