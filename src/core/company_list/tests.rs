use super::*;

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn row(values: &[&str]) -> Vec<Cell> {
    values.iter().map(|v| Cell::text(*v)).collect()
}

const HEADER: [&str; 5] = ["企业名称", "企业税号", "发票云授权标识", "客户端标识", "接入标识"];
/// Valid check characters (GB 32100-2015), so that only the list's own rules fire.
const TAX_A: &str = "9144030071526726XG";
const TAX_B: &str = "914403001922038216";

fn check(rows: &[&[&str]]) -> ListReport {
    let columns = Columns::from_header(&headers(&HEADER), &[]).unwrap();
    check_list(columns, rows.iter().enumerate().map(|(i, r)| (i + 2, row(r))))
}

fn rules_of(report: &ListReport, row: usize) -> Vec<&'static str> {
    report.row(row).map_or(Vec::new(), |r| r.findings.iter().map(|(_, f)| f.rule).collect())
}

#[test]
fn headers_are_matched_like_the_console_labels() {
    let columns = Columns::from_header(
        &headers(&["序号", "*企业名称：", "纳税人识别号", "ClientID", "Client Secret", "EncryKey", "URL", "备注"]),
        &[],
    )
    .unwrap();
    assert_eq!(
        columns.found,
        [(Role::Name, 1), (Role::TaxId, 2), (Role::ClientId, 3), (Role::ClientSecret, 4), (Role::EncryptKey, 5), (Role::Url, 6)]
    );
    let expense = Columns::from_header(&headers(&HEADER), &[]).unwrap();
    assert_eq!(expense.found.len(), 5);
}

#[test]
fn a_mapping_names_columns_no_label_matches_and_bad_headers_are_explained() {
    let mapping = parse_mapping("税务登记号=tax_id, 公司=name").unwrap();
    let columns = Columns::from_header(&headers(&["公司", "税务登记号"]), &mapping).unwrap();
    assert_eq!(columns.found, [(Role::Name, 0), (Role::TaxId, 1)]);
    assert!(matches!(Columns::from_header(&headers(&["公司", "备注"]), &[]), Err(HeaderError::NoCompanyColumn { .. })));
    let twice = Columns::from_header(&headers(&["企业税号", "纳税人识别号"]), &[]).unwrap_err();
    assert!(twice.to_string().contains("--columns"), "{twice}");
    assert!(parse_mapping("税号=vat").is_err());
    assert!(Columns::from_header(&headers(&["企业税号"]), &parse_mapping("不存在=name").unwrap()).is_err());
}

#[test]
fn a_good_list_has_nothing_to_say() {
    let report = check(&[
        &["金蝶软件（中国）有限公司", TAX_A, "pz_a", "secret-a", "KeyKeyKeyKey16ch"],
        &["北京某某科技有限公司", TAX_B, "pz_b", "secret-b", "KeyKeyKeyKey16cX"],
    ]);
    assert_eq!(report.rows, 2);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn each_kind_of_bad_row_is_named_on_its_rows() {
    let report = check(&[
        /* 2 */ &["甲公司", TAX_A, "pz_a", "s", "KeyKeyKeyKey16ch"],
        /* 3 */ &["甲公司", TAX_A, "pz_a", "s", "KeyKeyKeyKey16ch"],
        /* 4 */ &["乙公司", TAX_A, "pz_b", "s", "KeyKeyKeyKey16ch"],
        /* 5 */ &["丙公司", TAX_B, "pz_a", "s", "KeyKeyKeyKey16ch"],
        /* 6 */ &["丙公司", "914403001922038217", "pz_c", "s", "KeyKeyKeyKey16ch"],
        /* 7 */ &["丁公司", "914403001922038215", "TN_tenant", "s", "short"],
        /* 8 */ &["", "", "", "", ""],
    ]);
    assert_eq!(report.rows, 6, "the empty row is skipped");
    assert_eq!(rules_of(&report, 3), [ids::LIST_DUPLICATE_ROW]);
    assert!(rules_of(&report, 2).contains(&ids::LIST_TAX_ID_TWO_NAMES), "{:?}", rules_of(&report, 2));
    assert!(rules_of(&report, 4).contains(&ids::LIST_TAX_ID_TWO_NAMES));
    assert!(rules_of(&report, 2).contains(&ids::LIST_CLIENT_ID_SHARED), "row 5 shares pz_a with row 2");
    assert!(rules_of(&report, 5).contains(&ids::LIST_CLIENT_ID_SHARED));
    assert!(rules_of(&report, 5).contains(&ids::LIST_NAME_TWO_TAX_IDS));
    assert!(rules_of(&report, 6).contains(&ids::LIST_NAME_TWO_TAX_IDS));
    assert!(rules_of(&report, 6).contains(&ids::TAX_ID_CHECK_CHAR), "the console's own tax id rule: {:?}", rules_of(&report, 6));
    let row7 = rules_of(&report, 7);
    for rule in [ids::CREDENTIALS_TENANT_ON_ENTERPRISE, ids::CREDENTIALS_KEY_LENGTH, ids::TAX_ID_CHECK_CHAR] {
        assert!(row7.contains(&rule), "{rule}: {row7:?}");
    }
    let row2 = report.row(2).unwrap();
    let shared = row2.findings.iter().find(|(_, f)| f.rule == ids::LIST_CLIENT_ID_SHARED).unwrap();
    assert_eq!(shared.1.args, [("row", "5".to_string())]);
    assert_eq!(row2.company.name, "甲公司", "an earlier row keeps its company");
    assert!(report.count(Severity::Error) >= 3);
}

#[test]
fn environments_mixed_in_one_list_mark_the_odd_rows() {
    let columns = Columns::from_header(&headers(&["企业税号", "url"]), &[]).unwrap();
    let report = check_list(
        columns,
        [
            (2, row(&[TAX_A, "https://api.piaozone.com"])),
            (3, row(&[TAX_B, "https://api-dev.piaozone.com/test"])),
            (4, row(&["91440300708461136U", "https://api.piaozone.com"])),
        ],
    );
    assert_eq!(rules_of(&report, 3), [ids::LIST_TEST_AMONG_PRODUCTION]);
    assert_eq!(report.row(3).unwrap().findings[0].1.args, [("count", "2".to_string())]);
    assert!(rules_of(&report, 2).is_empty());
}

#[test]
fn tax_ids_excel_stored_as_numbers_are_named_as_such() {
    let columns = Columns::from_header(&headers(&["企业税号"]), &[]).unwrap();
    let report = check_list(
        columns,
        [
            (2, vec![Cell { text: "914403007152009000".into(), number: true }]),
            (3, row(&["9.14403E+17"])),
            (4, vec![Cell { text: "440301715200986".into(), number: true }]),
        ],
    );
    assert_eq!(rules_of(&report, 2), [ids::LIST_TAX_ID_AS_NUMBER]);
    assert_eq!(rules_of(&report, 3), [ids::LIST_TAX_ID_AS_NUMBER]);
    assert!(!rules_of(&report, 4).contains(&ids::LIST_TAX_ID_AS_NUMBER), "15 digits survive a number cell");
}

#[test]
fn no_finding_quotes_a_secret_cell() {
    let secret = "S3cr3t-Value-Never-Shown";
    let report =
        check(&[&["甲公司", TAX_A, "pz_a", &format!(" {secret}"), secret], &["乙公司", TAX_B, "pz_b", secret, &format!("“{secret}”")]]);
    assert!(!report.problems.is_empty());
    let shown = serde_json::to_string(&report).unwrap();
    let texts: String = report
        .problems
        .iter()
        .flat_map(|r| &r.findings)
        .map(|(_, f)| f.message(crate::core::i18n::Lang::Zh) + &f.fix(crate::core::i18n::Lang::En))
        .collect();
    assert!(!shown.contains(secret) && !texts.contains(secret));
}

#[test]
fn a_company_goes_to_texts_and_back() {
    let company = ListCompany { row: 7, name: "甲公司".into(), tax_id: TAX_A.into(), client_id: String::new() };
    assert_eq!(ListCompany::from_texts(&company.clone().texts()), company);
    assert_eq!(Role::TaxId.label(), "企业税号");
    assert_eq!(Role::ClientId.label(), "Client id");
}

#[test]
fn column_letters_are_excels() {
    assert_eq!([0, 1, 25, 26, 27, 701, 702].map(column_letters), ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
}

#[cfg(not(target_arch = "wasm32"))]
proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..proptest::prelude::ProptestConfig::default() })]

    /// Any cells, any header: an answer, never a panic; every row reported is a row given.
    #[test]
    fn any_list_is_answered(header in proptest::collection::vec(proptest::sample::select(vec!["企业名称", "企业税号", "Client id", "Client Secret", "Encrypt Key", "url", "备注", ""]), 1..7),
                            rows in proptest::collection::vec(proptest::collection::vec(proptest::prelude::any::<String>(), 0..8), 0..30)) {
        if let Ok(columns) = Columns::from_header(&headers(&header), &[]) {
            let report = check_list(columns, rows.iter().enumerate().map(|(i, r)| (i + 2, r.iter().map(|v| Cell::text(v.clone())).collect::<Vec<_>>())));
            proptest::prop_assert!(report.problems.iter().all(|r| r.row >= 2 && r.row < rows.len() + 2));
        }
    }
}
