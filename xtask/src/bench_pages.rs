//! The console pages `cargo xtask bench` loads: written into a folder next to the replica's
//! `console.css` / `console.js`, so they get the same shell (tabs, combos, dialogs) as the demo.
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

const fn text<'a>(label: &'a str, value: &'a str) -> Field<'a> {
    Field {
        label,
        kind: Kind::Text,
        value,
    }
}

/// The 发票云授权配置 form, filled with the sandbox's production pair (all verdicts ok).
const AUTH_FIELDS: [Field; 6] = [
    text("url", "https://api.kingdee.com"),
    text("代理", ""),
    Field {
        label: "是否使用原授权",
        kind: Kind::Combo("是|否"),
        value: "否",
    },
    text("Client id", "a1b2c3d4e5"),
    Field {
        label: "Client Secret",
        kind: Kind::Password,
        value: "bench-client-secret",
    },
    Field {
        label: "Encrypt Key",
        kind: Kind::Password,
        value: "0123456789abcdef0123456789abcdef",
    },
];

const ENTERPRISE_FIELDS: [Field; 4] = [
    text("企业名称", "演示科技有限公司"),
    text("企业税号", "91440300MA5F00026U"),
    Field {
        label: "开收票通道",
        kind: Kind::Combo("发票云|乐企|电子税局"),
        value: "发票云",
    },
    Field {
        label: "认证类型",
        kind: Kind::Combo("普通|特殊"),
        value: "普通",
    },
];

const ETAX_FIELDS: [Field; 4] = [
    Field {
        label: "税局所属地",
        kind: Kind::Combo("广东|北京|上海"),
        value: "广东",
    },
    text("电子税局账号", "13800000000"),
    Field {
        label: "密码",
        kind: Kind::Password,
        value: "bench-password",
    },
    Field {
        label: "登录类型",
        kind: Kind::Combo("个人|企业"),
        value: "个人",
    },
];

const EXPENSE_FIELDS: [Field; 4] = [
    text("企业工商登记名", "演示科技有限公司"),
    text("发票云授权标识", "a1b2c3d4e5"),
    text("客户端标识", "client-01"),
    text("接入标识", "access-01"),
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

const GRID_COLUMNS: [&str; 8] = [
    "编码",
    "名称",
    "规格型号",
    "计量单位",
    "数量",
    "单价",
    "金额",
    "状态",
];

/// (formId, tab title, the guide page's fields first): the 10 tabs of the large page.
const LARGE_TABS: [(&str, &str, &[Field]); 10] = [
    (
        "demo_invoicecloud_authconfig",
        "发票云授权配置",
        &AUTH_FIELDS,
    ),
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

/// Writes both pages and the replica's shell into `dir`.
pub fn write(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for shell in ["console.css", "console.js"] {
        std::fs::copy(repo_root().join("www/demo").join(shell), dir.join(shell))
            .map_err(|e| format!("{shell}: {e}"))?;
    }
    for (name, html) in [(SMALL, small()), (LARGE, large())] {
        std::fs::write(dir.join(name), html).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

fn field_html(out: &mut String, field: &Field, id: usize) {
    let _ = write!(
        out,
        r#"<div class="kd-cq-field kd-cq-control" data-field-item="true" id="fld_{id}"><div class="kd-cq-field-title-wrap" title="{0}"><span>{0}</span></div><div class="kd-cq-field-value-wrap">"#,
        field.label
    );
    match field.kind {
        Kind::Text => {
            let _ = write!(
                out,
                r#"<input type="text" class="kd-cq-input" autocomplete="off" value="{}">"#,
                field.value
            );
        }
        Kind::Password => {
            let _ = write!(
                out,
                r#"<input type="password" class="kd-cq-input" autocomplete="new-password" value="{}">"#,
                field.value
            );
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

/// A form: title, toolbar, a fieldset of `fields`, then a data grid of `rows`.
fn form_html(out: &mut String, title: &str, fields: &[Field], rows: usize, first_id: usize) {
    let _ = write!(
        out,
        r#"<div class="kd-cq-form"><div class="kd-cq-form-head"><span class="kd-cq-form-title">{title}</span><span class="kd-cq-breadcrumb">发票云 › 系统管理 › {title}</span></div><div class="kd-cq-toolbar">"#
    );
    for button in ["保存", "提交", "审核", "连接测试", "关闭"] {
        let _ = write!(
            out,
            r#"<button type="button" class="kd-cq-btn kd-cq-toolbar-item">{button}</button>"#
        );
    }
    out.push_str(r#"</div><div class="kd-cq-form-body"><div class="kd-cq-fieldset"><div class="kd-cq-fieldset-title">基本信息</div><div class="kd-cq-flexpanel">"#);
    for (i, field) in fields.iter().enumerate() {
        field_html(out, field, first_id + i);
    }
    out.push_str("</div></div>");
    if rows > 0 {
        out.push_str(r#"<div class="kd-table-container"><table class="kd-table"><thead><tr>"#);
        for column in GRID_COLUMNS {
            let _ = write!(
                out,
                r#"<th><span class="kd-table-header-title">{column}</span></th>"#
            );
        }
        out.push_str("</tr></thead><tbody>");
        for row in 0..rows {
            out.push_str("<tr>");
            for column in 0..GRID_COLUMNS.len() {
                let _ = write!(
                    out,
                    r#"<td><span class="link-cell-content">R{row}-C{column}</span></td>"#
                );
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</div></div>");
}

/// The fields of a tab: the guide page's own, then filler up to `count`.
fn tab_fields<'a>(known: &'a [Field<'a>], count: usize) -> Vec<Field<'a>> {
    let filler = FILLER_LABELS
        .iter()
        .cycle()
        .map(|label| text(label, ""))
        .take(count.saturating_sub(known.len()));
    known
        .iter()
        .map(|f| Field {
            label: f.label,
            kind: f.kind,
            value: f.value,
        })
        .chain(filler)
        .collect()
}

fn page(title: &str, tabs: &[(&str, &str)], body: &str, nav_items: usize) -> String {
    let mut out = format!(
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 星瀚（bench）</title>{PROBE}<link rel="stylesheet" href="console.css"></head><body><div class="kd-cq-root"><header class="kd-cq-header" data-org="演示科技有限公司" data-app="发票云"></header>"#
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
    out.push_str(r#"<div class="kd-cq-tabs-bar"><ul class="kd-cq-tabs">"#);
    for (i, (form_id, tab_title)) in tabs.iter().enumerate() {
        let active = if i == 0 {
            " active kd-cq-tabs-tab-active"
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<li class="kd-cq-tabs-tab{active}" data-splitscreen-pageid="b{i}_{form_id}">{tab_title}</li>"#
        );
    }
    let _ = write!(
        out,
        r#"</ul></div><div class="kd-cq-tabpages">{body}</div></div>{}<script src="console.js"></script></body></html>"#,
        dialog_template()
    );
    out
}

/// The tenant dialog of the 数电 page (an entry grid), for the dialogs of the simulated use.
fn dialog_template() -> &'static str {
    r#"<template id="dlg_tenant"><div class="kd-cq-modal-root"><div class="kd-cq-modal-mask"></div><div class="kd-cq-modal" role="dialog" aria-modal="true" data-form-id="demo_etax_tenant" style="width:860px"><div class="kd-cq-modal-header"><div class="kd-cq-modal-title">维护租户授权信息</div><button type="button" class="kd-cq-modal-close" aria-label="关闭">×</button></div><div class="kd-cq-modal-body"><div class="kd-table-container"><table class="kd-table"><thead><tr><th><span class="kd-table-header-title">租户名称</span></th><th><span class="kd-table-header-title">授权账号</span></th><th><span class="kd-table-header-title">授权密钥</span></th><th><span class="kd-table-header-title">加密key</span></th></tr></thead><tbody><tr><td><input type="text" class="kd-cq-input" value="演示租户"></td><td><input type="text" class="kd-cq-input" value="TN_DEMO0001"></td><td><input type="password" class="kd-cq-input" value="demo-tenant-secret"></td><td><input type="password" class="kd-cq-input" value="demo-tenant-key"></td></tr></tbody></table></div></div><div class="kd-cq-modal-footer"><button type="button" class="kd-cq-btn kd-cq-modal-close">关闭</button></div></div></div></template>"#
}

fn small() -> String {
    let mut body = String::from(
        r#"<div class="kd-cq-tabpage" data-pageid="b0_demo_invoicecloud_authconfig" role="tabpanel">"#,
    );
    form_html(
        &mut body,
        "发票云授权配置",
        &tab_fields(&AUTH_FIELDS, 16),
        8,
        0,
    );
    body.push_str("</div>");
    page(
        "发票云授权配置",
        &[("demo_invoicecloud_authconfig", "发票云授权配置")],
        &body,
        10,
    )
}

fn large() -> String {
    let mut body = String::new();
    for (i, (form_id, title, known)) in LARGE_TABS.iter().enumerate() {
        let hidden = if i == 0 { "" } else { " hidden" };
        let _ = write!(
            body,
            r#"<div class="kd-cq-tabpage{hidden}" data-pageid="b{i}_{form_id}" role="tabpanel">"#
        );
        form_html(&mut body, title, &tab_fields(known, 20), 62, i * 20);
        body.push_str("</div>");
    }
    let tabs: Vec<(&str, &str)> = LARGE_TABS
        .iter()
        .map(|(id, title, _)| (*id, *title))
        .collect();
    page("星瀚", &tabs, &body, 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Elements plus non-empty text nodes, as the browser will count them (near enough).
    fn nodes(html: &str) -> usize {
        let elements = html
            .match_indices('<')
            .filter(|(i, _)| html[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic()))
            .count();
        let texts = html
            .split('<')
            .filter(|part| {
                part.split_once('>')
                    .is_some_and(|(_, text)| !text.trim().is_empty())
            })
            .count();
        elements + texts
    }

    #[test]
    fn the_pages_have_the_sizes_the_bench_promises() {
        let (small, large) = (small(), large());
        assert!(
            (400..=650).contains(&nodes(&small)),
            "small: {} nodes",
            nodes(&small)
        );
        assert!(
            (18_000..=22_000).contains(&nodes(&large)),
            "large: {} nodes",
            nodes(&large)
        );
        assert_eq!(large.matches("data-field-item").count(), 200);
        assert_eq!(large.matches("data-splitscreen-pageid=").count(), 10);
    }
}
