//! Which page or dialog of the guide is open, decided from what the console shows: the active
//! tab's formId where the reference knows it, otherwise the page's marker texts (most formIds of
//! the 发票云 pages are unknown, so markers must be enough).

use super::bindings::{self, Bindings};
use super::guide::{Page, PageKind, PAGES};

/// What the browser layer read off the console.
#[derive(Debug, Default)]
pub struct Observed<'a> {
    /// formId of the visible tab (from `data-splitscreen-pageid` or the URL), if any.
    pub form_id: Option<&'a str>,
    /// Text of the visible tab page (labels, buttons, headers; not input values).
    pub page_text: &'a str,
    /// Text of each open dialog, topmost last.
    pub dialog_texts: &'a [String],
    /// The `data-form-id` of each open dialog's form where it has one, in the same order.
    pub dialog_form_ids: &'a [Option<String>],
    /// The admin's added form ids and marker sets (`core::bindings`), if any.
    pub bindings: Option<&'a Bindings>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Detected {
    pub page: Option<&'static Page>,
    pub dialog: Option<&'static Page>,
}

impl Detected {
    /// The dialog when one of the guide's dialogs is open, else the page.
    pub fn current(&self) -> Option<&'static Page> {
        self.dialog.or(self.page)
    }
}

/// Lower-cases ASCII and drops whitespace, so `Encrypt  Key` matches `encryptkey` and a label
/// split over elements still matches.
fn fold(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect()
}

/// How many markers of `page` all appear: its own set, or the admin's added set (0: none match).
fn matched_markers(page: &Page, folded: &str, bindings: &Bindings) -> usize {
    let present = |marker: &str| folded.contains(&fold(marker));
    let added = bindings.markers(page.id);
    if page.markers.iter().all(|m| present(m)) {
        page.markers.len()
    } else if !added.is_empty() && added.iter().all(|m| present(m)) {
        added.len()
    } else {
        0
    }
}

/// The page whose markers all appear, preferring the one with the most markers (the most
/// specific); ties go to the earlier page in `pages.toml`.
fn best(kind: PageKind, folded: &str, bindings: &Bindings) -> Option<&'static Page> {
    PAGES
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| (p, matched_markers(p, folded, bindings)))
        .filter(|&(_, n)| n > 0)
        .fold(None, |best: Option<(&'static Page, usize)>, (p, n)| match best {
            Some((b, m)) if m >= n => Some((b, m)),
            _ => Some((p, n)),
        })
        .map(|(p, _)| p)
}

/// The page or dialog a formId names: the id itself, or a tab's `<pageId>_<formId>`; the
/// guide's ids, then the admin's added ones.
fn page_of_form(id: &str, bindings: &Bindings) -> Option<&'static Page> {
    let names = |f: &str| id == f || id.strip_suffix(f).is_some_and(|rest| rest.ends_with('_'));
    PAGES
        .iter()
        .find(|p| p.form_ids.iter().any(|f| names(f)))
        .or_else(|| PAGES.iter().find(|p| bindings.form_ids(p.id).iter().any(|f| names(f))))
}

/// Form ids first (the visible form's, each dialog's), marker texts where no form id is known.
pub fn identify(observed: &Observed) -> Detected {
    let bindings = observed.bindings.unwrap_or(&bindings::NONE);
    let by_form_id = observed.form_id.and_then(|id| page_of_form(id, bindings));
    let page = match by_form_id {
        Some(p) if p.kind == PageKind::Page => Some(p),
        _ => best(PageKind::Page, &fold(observed.page_text), bindings),
    };
    let dialog = observed
        .dialog_texts
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, text)| {
            let form_id = observed.dialog_form_ids.get(i).and_then(|f| f.as_deref());
            form_id
                .and_then(|id| page_of_form(id, bindings))
                .filter(|p| p.kind == PageKind::Dialog)
                .or_else(|| best(PageKind::Dialog, &fold(text), bindings))
        })
        .or(by_form_id.filter(|p| p.kind == PageKind::Dialog));
    Detected { page, dialog }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(d: Detected) -> (Option<&'static str>, Option<&'static str>) {
        (d.page.map(|p| p.id), d.dialog.map(|p| p.id))
    }

    #[test]
    fn auth_page_by_its_labels() {
        let text = "发票云授权配置 保存 连接测试 url 代理 是否使用原授权 否 Client id Client Secret Encrypt  Key";
        let d = identify(&Observed { page_text: text, ..Default::default() });
        assert_eq!(ids(d), (Some("auth_config"), None));
        assert_eq!(d.current().unwrap().id, "auth_config");
    }

    #[test]
    fn the_expense_list_and_its_edit_form_are_told_apart() {
        let form = "发票云配置 保存 新增 组织 企业税号 企业工商登记名 发票云授权标识 客户端标识 接入标识";
        assert_eq!(ids(identify(&Observed { page_text: form, ..Default::default() })), (Some("expense_config"), None));
        let list = "发票云配置 新增 修改 删除 组织 企业税号 企业工商登记名 发票云授权标识 共 3 条";
        assert_eq!(ids(identify(&Observed { page_text: list, ..Default::default() })), (Some("expense_list"), None));
    }

    #[test]
    fn unrelated_page_is_nothing() {
        let d = identify(&Observed { page_text: "应付单 供应商 金额 保存", ..Default::default() });
        assert_eq!(ids(d), (None, None));
    }

    #[test]
    fn known_form_id_wins_over_text() {
        let d = identify(&Observed { form_id: Some("root5f2_bdm_enterprise_baseinfo"), page_text: "", ..Default::default() });
        assert_eq!(ids(d), (Some("enterprise_info"), None));
    }

    #[test]
    fn a_dialog_is_named_by_its_form_id_before_its_texts() {
        // 新增账号's formId (entity metadata) decides even while its labels are not rendered yet.
        let dialogs = vec!["新增账号 确定 取消".to_string()];
        let form_ids = vec![Some("bdm_einvoice_account".to_string())];
        let d = identify(&Observed {
            page_text: "数电配置详情 新增账号 修改所属租户",
            dialog_texts: &dialogs,
            dialog_form_ids: &form_ids,
            ..Default::default()
        });
        assert_eq!(ids(d), (Some("etax_detail"), Some("etax_account")));
        // An unknown form id leaves the markers to decide.
        let tenant = vec!["维护租户授权信息 授权账号 授权密钥 加密key".to_string()];
        let unknown = vec![Some("demo_etax_tenant".to_string())];
        let d = identify(&Observed { dialog_texts: &tenant, dialog_form_ids: &unknown, ..Default::default() });
        assert_eq!(d.dialog.map(|p| p.id), Some("etax_tenant"));
        // A form id that only ends like a known one is not it.
        assert!(identify(&Observed { form_id: Some("xbdm_enterprise_baseinfo"), ..Default::default() }).page.is_none());
    }

    #[test]
    fn the_admins_form_ids_and_markers_name_a_page_the_guide_does_not_know() {
        let text = "发票云服务URL 沿用原授权 应用 Client Secret 报文加密密钥";
        assert_eq!(ids(identify(&Observed { form_id: Some("cust_pz_authconfig"), page_text: text, ..Default::default() })), (None, None));
        let by_form_id = Bindings::parse(r#"{"pages": {"auth_config": {"form_ids": ["cust_pz_authconfig"]}}}"#).unwrap();
        let d = identify(&Observed {
            form_id: Some("root9_cust_pz_authconfig"),
            page_text: "",
            bindings: Some(&by_form_id),
            ..Default::default()
        });
        assert_eq!(ids(d), (Some("auth_config"), None));
        let by_markers = Bindings::parse(r#"{"pages": {"auth_config": {"markers": ["沿用原授权", "报文加密密钥"]}}}"#).unwrap();
        let d = identify(&Observed { page_text: text, bindings: Some(&by_markers), ..Default::default() });
        assert_eq!(ids(d), (Some("auth_config"), None));
        // The built-in markers still name it on their own.
        let d = identify(&Observed { page_text: "是否使用原授权 Encrypt Key", bindings: Some(&by_markers), ..Default::default() });
        assert_eq!(ids(d), (Some("auth_config"), None));
    }

    #[test]
    fn dialog_over_page_is_current() {
        let dialogs = vec!["维护租户授权信息 租户名称 授权账号 授权密钥 加密key 保存".to_string()];
        let d =
            identify(&Observed {
                page_text: "数电配置 维护租户授权信息 升级数电票 更多", dialog_texts: &dialogs, ..Default::default()
            });
        assert_eq!(ids(d), (Some("etax_list"), Some("etax_tenant")));
        assert_eq!(d.current().unwrap().id, "etax_tenant");
    }

    #[test]
    fn legacy_and_v8_etax_pages_are_told_apart() {
        let v8 = identify(&Observed { page_text: "维护租户授权信息 升级数电票", ..Default::default() });
        let legacy = identify(&Observed { page_text: "升级数电发票 导入激活码 更新", ..Default::default() });
        assert_eq!(v8.page.unwrap().id, "etax_list");
        assert_eq!(legacy.page.unwrap().id, "etax_legacy");
    }

    #[test]
    fn etax_detail_page_is_where_accounts_are_added() {
        // The tab a company's name opens: its header fields and account grid, no list buttons.
        let text = "数电配置详情 新增账号 编辑账号 修改所属租户 返回列表 企业信息 企业名称 企业税号 电子税局账号 税局所属地 角色 登录类型";
        let d = identify(&Observed { page_text: text, ..Default::default() });
        assert_eq!(ids(d), (Some("etax_detail"), None));
        assert_eq!(crate::core::guide::step_for_page("etax_detail").unwrap().id, "etax_account");
        let list =
            identify(&Observed { page_text: "数电配置 维护租户授权信息 升级数电票 企业名称", ..Default::default() });
        assert_eq!(list.page.unwrap().id, "etax_list");
    }
}
