//! The console pages `cargo xtask bench` loads: written into a folder next to the replica's
//! `console.css` / `console.js`, so they get the same behaviour (tabs, combos, dialogs) as the demo,
//! as static markup in the shell live consoles render (../shared/reference/cosmic-dom-evidence.md:
//! `#tabap > .kd-cq-tab-panel > [data-tab-hidden] > .kd-cq-form[data-form-id]`, fields with their key
//! as `id` and `data-page-id`, toolbar items as `<div>`s), so the bench measures the binding path a
//! real console takes.
//!
//! - `small.html`: about 500 nodes, one form (the 发票云授权配置 fields).
//! - `large.html`: about 20,000 nodes, 10 tabs, 200 fields: each tab a form of 20 fields (those of
//!   a guide page where there is one, the rest fields the guide does not know) over a data grid,
//!   plus a navigation tree, the way a long-open console looks.
//!
//! Both carry the page's own long-task observer in `<head>`, identical with and without the
//! extension, so the bench reads long tasks from the page's point of view.

use std::fmt::Write;
use std::path::Path;

use crate::tools::repo_root;
use crate::Result;

/// Registered before anything else runs, buffered: long tasks from the very first one.
const PROBE: &str = "<script>\
window.__benchLongTasks = [];\
new PerformanceObserver((list) => { for (const e of list.getEntries()) __benchLongTasks.push({ start: e.startTime, duration: e.duration }); })\
.observe({ type: 'longtask', buffered: true });\
</script>";

/// A field as the console draws it (`KD.field` in console.js, as static markup).
struct Field<'a> {
    /// Its key: a guide key where the guide knows one, else one the guide does not know (bound by
    /// label).
    key: &'a str,
    label: &'a str,
    kind: Kind,
    value: &'a str,
}

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Password,
    Combo(&'static str),
}

const fn text<'a>(key: &'a str, label: &'a str, value: &'a str) -> Field<'a> {
    Field { key, label, kind: Kind::Text, value }
}

/// The 发票云授权配置 form, filled with the sandbox's production pair (all verdicts ok).
const AUTH_FIELDS: [Field; 6] = [
    text("url", "url", "https://api.kingdee.com"),
    text("proxy", "代理", ""),
    Field { key: "use_original_auth", label: "是否使用原授权", kind: Kind::Combo("是|否"), value: "否" },
    text("client_id", "Client id", "a1b2c3d4e5"),
    Field { key: "client_secret", label: "Client Secret", kind: Kind::Password, value: "bench-client-secret" },
    Field { key: "encrypt_key", label: "Encrypt Key", kind: Kind::Password, value: "0123456789abcdef0123456789abcdef" },
];

const ENTERPRISE_FIELDS: [Field; 4] = [
    text("name", "企业名称", "演示科技有限公司"),
    text("number", "企业税号", "91440300MA5F00026U"),
    Field { key: "bench_channel", label: "开收票通道", kind: Kind::Combo("发票云|乐企|电子税局"), value: "发票云" },
    Field { key: "authtype", label: "认证类型", kind: Kind::Combo("普通|特殊"), value: "普通" },
];

const ETAX_FIELDS: [Field; 4] = [
    Field { key: "bench_region", label: "税局所属地", kind: Kind::Combo("广东|北京|上海"), value: "广东" },
    text("alleinvoiceaccount", "电子税局账号", "13800000000"),
    Field { key: "secret", label: "密码", kind: Kind::Password, value: "bench-password" },
    Field { key: "logintype", label: "登录类型", kind: Kind::Combo("个人|企业"), value: "个人" },
];

const EXPENSE_FIELDS: [Field; 4] = [
    text("bench_regname", "企业工商登记名", "演示科技有限公司"),
    text("client_id", "发票云授权标识", "a1b2c3d4e5"),
    text("client_secret", "客户端标识", "client-01"),
    text("encrypt_key", "接入标识", "access-01"),
];

/// Labels no guide page uses (nor contains a marker of): the console's ordinary fields.
const FILLER_LABELS: [&str; 20] = [
    "单据编号",
    "单据日期",
    "创建人",
    "创建时间",
    "修改人",
    "修改时间",
    "审核人",
    "审核日期",
    "备注",
    "业务类型",
    "币别",
    "部门",
    "联系人",
    "联系电话",
    "结算方式",
    "付款条件",
    "汇率",
    "开户银行",
    "银行账户",
    "单据状态",
];

const GRID_COLUMNS: [&str; 8] = ["编码", "名称", "规格型号", "计量单位", "数量", "单价", "金额", "状态"];

/// (formId, tab title, the guide page's fields first): the 10 tabs of the large page.
const LARGE_TABS: [(&str, &str, &[Field]); 10] = [
    ("demo_invoicecloud_authconfig", "发票云授权配置", &AUTH_FIELDS),
    ("bdm_enterprise_baseinfo", "企业信息", &ENTERPRISE_FIELDS),
    ("bdm_einvoice_account", "数电账号", &ETAX_FIELDS),
    ("demo_expense_config", "费用发票云配置", &EXPENSE_FIELDS),
    ("pm_purorderbill", "采购订单", &[]),
    ("sm_salorder", "销售订单", &[]),
    ("im_saloutbill", "销售出库单", &[]),
    ("ap_finapbill", "财务应付单", &[]),
    ("ar_receivingbill", "收款单", &[]),
    ("gl_voucher", "凭证", &[]),
];

pub const SMALL: &str = "small.html";
pub const LARGE: &str = "large.html";

/// The scale pages, (open tabs, grid rows per form): the figures must not grow with the hidden
/// tabs Cosmic keeps in the DOM or with the rows of their grids. The bench's measurement
/// (`tests/e2e/tests/bench.rs`) loads the same list.
pub const SCALES: [(usize, usize); 4] = [(1, 50), (5, 50), (20, 50), (20, 500)];

pub fn scale_name(tabs: usize, rows: usize) -> String {
    format!("scale-{tabs}-tabs-{rows}-rows.html")
}

/// Writes both pages and the replica's shell into `dir`.
pub fn write(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for shell in ["console.css", "console.js"] {
        std::fs::copy(repo_root().join("www/demo").join(shell), dir.join(shell)).map_err(|e| format!("{shell}: {e}"))?;
    }
    for (name, html) in [(SMALL.to_string(), small()), (LARGE.to_string(), large())] {
        std::fs::write(dir.join(&name), html).map_err(|e| format!("{name}: {e}"))?;
    }
    for (tabs, rows) in SCALES {
        let name = scale_name(tabs, rows);
        std::fs::write(dir.join(&name), scale(tabs, rows)).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// A page's id as the console gives it (random there, fixed here so runs compare).
fn page_id(tab: usize) -> String {
    format!("b{tab:09x}")
}

fn field_html(out: &mut String, field: &Field, page_id: &str) {
    let key = field.key;
    let _ = write!(
        out,
        r#"<div class="kd-cq-field kd-cq-text" data-field-item="true" id="{key}" data-page-id="{page_id}_{key}"><div class="kd-cq-field-title-wrap" title="{0}"><span>{0}</span></div><div class="kd-cq-field-value-wrap">"#,
        field.label
    );
    match field.kind {
        Kind::Text => {
            let _ = write!(out, r#"<input type="text" class="kd-cq-input" autocomplete="off" value="{}">"#, field.value);
        }
        Kind::Password => {
            let _ = write!(out, r#"<input type="password" class="kd-cq-input" autocomplete="new-password" value="{}">"#, field.value);
        }
        Kind::Combo(options) => {
            let _ = write!(
                out,
                r#"<div class="kd-cq-combo" tabindex="0" role="combobox" aria-expanded="false" data-options="{options}" data-value="{0}"><span class="kd-cq-combo-selected" title="{0}">{0}</span></div>"#,
                field.value
            );
        }
    }
    out.push_str("</div></div>");
}

/// A tab's form: title, toolbar, a fieldset of `fields`, then a data grid of `rows`, in its
/// `[data-tab-hidden]` wrapper.
fn form_html(out: &mut String, tab: usize, form_id: &str, title: &str, fields: &[Field], rows: usize) {
    let page_id = page_id(tab);
    let hidden = tab != 0;
    let _ = write!(
        out,
        r#"<div data-tab-hidden="{hidden}"><div class="kd-cq-form" data-form-id="{form_id}" id="{page_id}" data-page-id="{page_id}"><div class="kd-cq-form-head"><span class="kd-cq-form-title">{title}</span><span class="kd-cq-breadcrumb">发票云 › 系统管理 › {title}</span></div><div class="kd-cq-toolbar">"#
    );
    for (i, button) in ["保存", "提交", "审核", "连接测试", "关闭"].iter().enumerate() {
        let _ = write!(
            out,
            r#"<div class="kd-cq-baritem" data-baritem-show-type="1" id="bar_{tab}_{i}"><span class="kd-cq-btn">{button}</span></div>"#
        );
    }
    out.push_str(r#"</div><div class="kd-cq-form-body"><div class="kd-cq-fieldset"><div class="kd-cq-fieldset-title">基本信息</div><div class="kd-cq-flexpanel">"#);
    for field in fields {
        field_html(out, field, &page_id);
    }
    out.push_str("</div></div>");
    if rows > 0 {
        out.push_str(r#"<div class="kd-table-container"><table class="kd-table"><thead><tr>"#);
        for column in GRID_COLUMNS {
            let _ = write!(out, r#"<th><span class="kd-table-header-title">{column}</span></th>"#);
        }
        out.push_str("</tr></thead><tbody>");
        for row in 0..rows {
            out.push_str("<tr>");
            for column in 0..GRID_COLUMNS.len() {
                let _ = write!(out, r#"<td data-code="c{column}"><span class="link-cell-content">R{row}-C{column}</span></td>"#);
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</div></div></div>");
}

/// Keys the guide does not know, one per filler field of a form.
const FILLER_KEYS: [&str; 20] = [
    "billno",
    "billdate",
    "creator",
    "createtime",
    "modifier",
    "modifytime",
    "auditor",
    "auditdate",
    "remark",
    "biztype",
    "currency",
    "dept",
    "contact",
    "phone",
    "settletype",
    "payterm",
    "exrate",
    "bank",
    "bankaccount",
    "billstatus",
];

/// The fields of a tab: the guide page's own, then filler up to `count`.
fn tab_fields<'a>(known: &'a [Field<'a>], count: usize) -> Vec<Field<'a>> {
    let filler =
        FILLER_KEYS.iter().zip(FILLER_LABELS).cycle().map(|(key, label)| text(key, label, "")).take(count.saturating_sub(known.len()));
    known.iter().map(|f| Field { key: f.key, label: f.label, kind: f.kind, value: f.value }).chain(filler).collect()
}

fn page(title: &str, tabs: &[(&str, &str)], forms: &str, nav_items: usize) -> String {
    let mut out = format!(
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 星瀚（bench）</title>{PROBE}<link rel="stylesheet" href="console.css"></head><body><div id="kd-theme" class="kd-cq-root"><header class="kd-cq-header" data-org="演示科技有限公司" data-app="发票云"></header>"#
    );
    if nav_items > 0 {
        out.push_str(r#"<nav class="kd-cq-menu" style="display:none"><ul>"#);
        for i in 0..nav_items {
            let _ = write!(
                out,
                r#"<li class="kd-cq-menu-item"><a href="javascript:void 0"><i class="kd-cq-icon"></i><span>菜单项 {i}</span></a></li>"#
            );
        }
        out.push_str("</ul></nav>");
    }
    out.push_str(r#"<div id="tabap" class="kd-cq-tabs"><div class="kd-cq-tabs-nav"><ul class="kd-cq-tabs-nav-list" role="tablist">"#);
    for (i, (form_id, tab_title)) in tabs.iter().enumerate() {
        let (active, selected) = if i == 0 { (" active kd-cq-tabs-tab-active", true) } else { ("", false) };
        let _ = write!(
            out,
            r#"<li class="kd-cq-tabs-tab{active}" role="tab" aria-selected="{selected}" data-splitscreen-pageid="{}_{form_id}">{tab_title}</li>"#,
            page_id(i)
        );
    }
    let _ = write!(
        out,
        r#"</ul></div><div class="kd-cq-tab-panel">{forms}</div></div></div>{}<script src="console.js"></script></body></html>"#,
        dialog_template()
    );
    out
}

/// The tenant dialog of the 数电 page (an entry grid), for the dialogs of the simulated use.
fn dialog_template() -> &'static str {
    r#"<template id="dlg_tenant"><div class="kd-cq-modal-root"><div class="kd-cq-modal-mask"></div><div class="kd-cq-modal" role="dialog" aria-modal="true" data-form-id="demo_etax_tenant" style="width:860px"><div class="kd-cq-modal-header"><div class="kd-cq-modal-title">维护租户授权信息</div><button type="button" class="kd-cq-modal-close" aria-label="关闭">×</button></div><div class="kd-cq-modal-body"><div class="kd-table-container"><table class="kd-table"><thead><tr><th><span class="kd-table-header-title">租户名称</span></th><th><span class="kd-table-header-title">授权账号</span></th><th><span class="kd-table-header-title">授权密钥</span></th><th><span class="kd-table-header-title">加密key</span></th></tr></thead><tbody><tr><td><input type="text" class="kd-cq-input" value="演示租户"></td><td><input type="text" class="kd-cq-input" value="TN_DEMO0001"></td><td><input type="password" class="kd-cq-input" value="demo-tenant-secret"></td><td><input type="password" class="kd-cq-input" value="demo-tenant-key"></td></tr></tbody></table></div></div><div class="kd-cq-modal-footer"><button type="button" class="kd-cq-btn kd-cq-modal-close">关闭</button></div></div></div></template>"#
}

fn small() -> String {
    let mut forms = String::new();
    form_html(&mut forms, 0, "demo_invoicecloud_authconfig", "发票云授权配置", &tab_fields(&AUTH_FIELDS, 16), 8);
    page("发票云授权配置", &[("demo_invoicecloud_authconfig", "发票云授权配置")], &forms, 10)
}

fn large() -> String {
    let mut forms = String::new();
    for (i, (form_id, title, known)) in LARGE_TABS.iter().enumerate() {
        form_html(&mut forms, i, form_id, title, &tab_fields(known, 20), 62);
    }
    let tabs: Vec<(&str, &str)> = LARGE_TABS.iter().map(|(id, title, _)| (*id, *title)).collect();
    page("星瀚", &tabs, &forms, 300)
}

/// `tabs` open tabs, the first (发票云授权配置) shown and the others hidden in the DOM, each a form
/// of 20 fields over a grid of `rows` rows.
fn scale(tabs: usize, rows: usize) -> String {
    let mut forms = String::new();
    let mut titles = Vec::new();
    for i in 0..tabs {
        let (form_id, title, known) = LARGE_TABS[i % LARGE_TABS.len()];
        form_html(&mut forms, i, form_id, title, &tab_fields(known, 20), rows);
        titles.push((form_id, title));
    }
    page("星瀚", &titles, &forms, 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Elements plus non-empty text nodes, as the browser will count them (near enough).
    fn nodes(html: &str) -> usize {
        let elements = html.match_indices('<').filter(|(i, _)| html[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic())).count();
        let texts = html.split('<').filter(|part| part.split_once('>').is_some_and(|(_, text)| !text.trim().is_empty())).count();
        elements + texts
    }

    #[test]
    fn the_pages_have_the_sizes_the_bench_promises() {
        let (small, large) = (small(), large());
        assert!((400..=650).contains(&nodes(&small)), "small: {} nodes", nodes(&small));
        assert!((18_000..=22_000).contains(&nodes(&large)), "large: {} nodes", nodes(&large));
        assert_eq!(large.matches("data-field-item").count(), 200);
        assert_eq!(large.matches("data-splitscreen-pageid=").count(), 10);
        // The evidenced shell: one visible form, every field with its key and data-page-id.
        assert_eq!(large.matches(r#"data-tab-hidden="false""#).count(), 1);
        assert_eq!(large.matches("data-form-id=").count(), 11); // ten forms and the tenant dialog
        assert_eq!(large.matches(r#"data-page-id="b"#).count(), 210);
    }

    #[test]
    fn the_scale_pages_grow_in_hidden_tabs_and_rows_only() {
        let one = scale(1, 50);
        let most = scale(20, 500);
        assert_eq!(one.matches("data-splitscreen-pageid=").count(), 1);
        assert_eq!(most.matches("data-splitscreen-pageid=").count(), 20);
        assert_eq!(most.matches(r#"data-tab-hidden="false""#).count(), 1, "one tab shown");
        assert_eq!(most.matches("<tr>").count(), 20 * 501 + 2, "20 grids of a header and 500 rows, and the tenant dialog's");
        assert!(nodes(&most) > 50 * nodes(&one) / 2, "{} vs {}", nodes(&most), nodes(&one));
    }
}
