//! 对照清单: the admin picks the customer's key list on a list page; the grid's rows that differ
//! are marked over the grid and follow it as it changes, the list's companies the page lacks are
//! listed, and the file (secrets included) never leaves the page.

use std::path::{Path, PathBuf};
use std::time::Duration;

use e2e::{Session, SHADOW};
use serde_json::Value;

/// A secret of the list: it must never be drawn, stored or sent.
const LIST_SECRET: &str = "Zq9-list-secret-never-shown";

fn write(s: &Session, name: &str, bytes: &[u8]) -> PathBuf {
    let path = s.env.artifacts.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Picks `file` in the panel's 对照清单, as the admin's file chooser would.
async fn pick(s: &Session, file: &Path) {
    let input = s
        .element_by_js(&format!("return {SHADOW}.querySelector('[data-pa=\"compare-file\"]');"), vec![])
        .await
        .expect("对照清单's file input on a list page");
    input.send_keys(&file.display().to_string()).await.expect("the file is picked");
}

async fn status(s: &Session, contains: &str) -> String {
    let expr = format!("(() => {{ const t = {SHADOW}.querySelector('[data-pa=\"compare-status\"]')?.textContent || ''; return t.includes({contains:?}) ? t : null; }})()");
    s.wait_for(&format!("对照清单 saying {contains:?}"), &expr, Duration::from_secs(15)).await.as_str().unwrap().to_string()
}

/// `(rule, field)` of each row mark over the grid.
async fn marks(s: &Session) -> Vec<(String, String)> {
    let found = s
        .eval(&format!("return [...{SHADOW}.querySelectorAll('[data-rule^=\"compare.\"]')].map(m => [m.dataset.rule, m.dataset.field]);"))
        .await;
    serde_json::from_value(found).unwrap()
}

/// What the page has fetched so far (its own files, the favicon): a pick must add nothing.
async fn fetched(s: &Session) -> Vec<String> {
    serde_json::from_value(
        s.eval("return performance.getEntriesByType('resource').map(e => e.name).filter(n => /^https?:/.test(n));").await,
    )
    .unwrap()
}

async fn nothing_left_the_page(s: &Session, before: &[String]) {
    let dom = s.eval(&format!("return document.documentElement.outerHTML + {SHADOW}.innerHTML;")).await;
    assert!(!dom.as_str().unwrap().contains(LIST_SECRET), "the list's secret is in the page");
    let sent: Vec<String> = fetched(s).await.into_iter().filter(|name| !before.contains(name)).collect();
    assert!(sent.is_empty(), "requests after the pick: {sent:?}");
    let stored = s
        .on_extension_page(
            "return JSON.stringify(await chrome.storage.local.get(null)) + JSON.stringify(await chrome.storage.session.get(null));",
        )
        .await;
    assert!(
        !stored.as_str().unwrap().contains(LIST_SECRET) && !stored.as_str().unwrap().contains("91440300MA5F000181\""),
        "the list is not stored: {stored}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_enterprise_grid_is_compared_with_a_gbk_list_and_followed_as_it_changes() {
    let s = Session::start().await;
    s.open("enterprise-list.html").await;
    s.open_panel().await;
    s.wait_for("对照清单 in the panel", &format!("{SHADOW}.querySelector('[data-pa=\"compare\"]')"), Duration::from_secs(5)).await;
    // Excel on Chinese Windows: GBK, CRLF; the grid shows 演示科技（上海）有限公司 with full-width brackets.
    let csv = format!(
        "企业名称,纳税人识别号,Client Secret\r\n演示科技(上海)有限公司,91310000MA1K00031C,{LIST_SECRET}\r\n演示科技有限公司,91440300MA5F000181,{LIST_SECRET}\r\n"
    );
    let file = write(&s, "compare-enterprises.csv", &encoding_rs::GBK.encode(&csv).0);
    let before = fetched(&s).await;
    pick(&s, &file).await;
    let said = status(&s, "1 行不同").await;
    assert!(said.contains("清单 2 家，本页 1 行：0 行一致，1 行不同") && said.contains("1 家不在本页"), "{said}");
    assert_eq!(marks(&s).await, [("compare.name_differs".to_string(), "enterprise.name".to_string())]);
    let missing =
        s.eval(&format!("return [...{SHADOW}.querySelectorAll('[data-pa=\"compare-missing\"] li')].map(li => li.textContent);")).await;
    assert_eq!(missing, serde_json::json!(["第 3 行  演示科技有限公司  91440300MA5F000181"]));
    s.screenshot("compare-enterprise-list-zh").await;
    s.click_ours("[data-rule=\"compare.name_differs\"] [data-pa=\"badge\"]").await;
    let explained = s
        .wait_for(
            "the mark's explanation",
            &format!("{SHADOW}.querySelector('[data-pa=\"explanation\"]')?.textContent"),
            Duration::from_secs(5),
        )
        .await;
    assert!(explained.as_str().unwrap().contains("清单为“演示科技(上海)有限公司”"), "{explained}");

    // The console imports the missing company and fixes nothing else: the comparison follows.
    s.eval("const tbody = document.querySelector('#entlist tbody'); const tr = tbody.rows[0].cloneNode(true); \
            tr.children[1].textContent = 'DEMO01'; tr.children[2].textContent = '演示科技有限公司'; tr.children[3].textContent = '91440300MA5F000181'; \
            tbody.appendChild(tr);").await;
    let said = status(&s, "1 行一致").await;
    assert!(said.contains("本页 2 行：1 行一致，1 行不同") && said.contains("0 家不在本页"), "{said}");
    assert_eq!(marks(&s).await.len(), 1);
    nothing_left_the_page(&s, &before).await;

    s.click_ours("[data-pa=\"compare-clear\"]").await;
    s.wait_for(
        "the marks cleared",
        &format!("{SHADOW}.querySelectorAll('[data-rule^=\"compare.\"]').length === 0"),
        Duration::from_secs(5),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_expense_list_is_compared_with_an_xlsx_list_and_a_page_of_a_longer_grid_says_so() {
    let s = Session::start().await;
    s.open("expense-list.html").await;
    s.open_panel().await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let rows = [
        ["企业工商登记名", "企业税号", "发票云授权标识", "客户端标识", "接入标识"],
        ["演示科技有限公司", "91440300MA5F000181", "pz_prod_demo", LIST_SECRET, "KeyKeyKeyKey16ch"],
        ["演示科技（深圳）分公司", "91440300MA5F00026U", "pz_demo_sz", LIST_SECRET, "KeyKeyKeyKey16ch"],
        ["演示科技（上海）有限公司", "91310000MA1K00031C", "pz_demo_sh_new", LIST_SECRET, "KeyKeyKeyKey16ch"],
        ["演示科技（北京）有限公司", "91110108MA01C3XM7K", "pz_demo_bj", LIST_SECRET, "KeyKeyKeyKey16ch"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    let file = write(&s, "compare-expense.xlsx", &workbook.save_to_buffer().unwrap());
    let before = fetched(&s).await;
    pick(&s, &file).await;
    let said = status(&s, "2 行不同").await;
    assert!(said.contains("清单 4 家，本页 3 行：1 行一致，2 行不同") && said.contains("1 家不在本页"), "{said}");
    let mut found = marks(&s).await;
    found.sort();
    assert_eq!(
        found,
        [
            ("compare.client_id_differs".to_string(), "expense.client_id".to_string()),
            ("compare.name_differs".to_string(), "enterprise.name".to_string())
        ]
    );
    nothing_left_the_page(&s, &before).await;

    // A grid of 30 rows showing 3: a company not on this page may be on another.
    s.eval("document.querySelector('#cfglist .kd-table-pager').textContent = '共 30 条';").await;
    s.eval("const tbody = document.querySelector('#cfglist tbody'); tbody.appendChild(tbody.rows[0].cloneNode(true)); tbody.lastChild.remove();").await;
    status(&s, "其他页").await;

    // English, from the options page's language setting.
    s.on_extension_page("await chrome.storage.local.set({ lang: 'en' }); return true;").await;
    let english = status(&s, "differ").await;
    assert!(english.contains("2 differ (marked in the grid)"), "{english}");
    s.screenshot("compare-expense-list-en").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_that_is_no_list_is_explained_and_a_form_page_offers_no_comparison() {
    let s = Session::start().await;
    s.open("enterprise-list.html").await;
    s.open_panel().await;
    let junk = write(&s, "compare-junk.csv", &[0x81, 0x30, 0xFF, 0xFF, 0x00, 0xFE, 0x81]);
    pick(&s, &junk).await;
    let said = status(&s, "无法读取").await;
    assert!(said.contains("compare-junk.csv") && said.contains("XLSX"), "{said}");
    let no_header = write(&s, "compare-no-company.csv", "备注,金额\r\n甲,1\r\n".as_bytes());
    pick(&s, &no_header).await;
    let said = status(&s, "企业税号").await;
    assert!(said.contains("无法读取"), "{said}");
    assert!(marks(&s).await.is_empty());

    s.open("expense-config.html").await;
    s.open_panel().await;
    s.wait_for(
        "the form's step current",
        &format!("{SHADOW}.querySelector('[data-step=\"expense_config\"][aria-current]')"),
        Duration::from_secs(5),
    )
    .await;
    let offered = s.eval(&format!("return !!{SHADOW}.querySelector('[data-pa=\"compare\"]');")).await;
    assert_eq!(offered, Value::Bool(false), "the edit form has no grid to compare");
}
