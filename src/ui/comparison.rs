//! 对照清单 in the panel, on a list page with a grid of companies (企业信息, 发票云配置): the admin
//! picks the customer's key list, the grid's rows that differ are marked over the grid, and the
//! list's companies this page does not show are listed. The file is read in this page only.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::core::company_list::ListCompany;
pub use crate::core::company_list::{CompareState, Compared};
use crate::core::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct ListComparisonProps {
    pub lang: Lang,
    pub state: CompareState,
    pub on_file: Callback<web_sys::File>,
    pub on_clear: Callback<()>,
}

struct Words {
    title: &'static str,
    intro: &'static str,
    choose: &'static str,
    again: &'static str,
    clear: &'static str,
    reading: &'static str,
    failed: &'static str,
    missing: &'static str,
    more: &'static str,
}

const ZH: Words = Words {
    title: "对照清单",
    intro: "选择客户的密钥清单（CSV 或 Excel），与本页列表逐行对照名称和税号。文件只在本机读取，不会上传；密钥列不读取。",
    choose: "选择清单文件…",
    again: "换一个文件…",
    clear: "清除对照",
    reading: "正在读取",
    failed: "无法读取",
    missing: "清单中有、本页没有的企业",
    more: "另有 {n} 家",
};

const EN: Words = Words {
    title: "Compare with a list",
    intro: "Pick the customer's key list (CSV or Excel) to compare names and tax ids with this page's rows. The file is read on this computer only, never uploaded; key columns are not read.",
    choose: "Choose a list file…",
    again: "Another file…",
    clear: "Clear",
    reading: "Reading",
    failed: "Cannot read",
    missing: "In the list, not on this page",
    more: "{n} more",
};

/// Missing companies shown before "and N more".
const MISSING_SHOWN: usize = 10;

fn summary(compared: &Compared, lang: Lang) -> String {
    let c = &compared.comparison;
    let (list, shown, same, differ, missing) = (compared.list_rows, compared.grid_rows, c.matching, c.mismatches.len(), c.missing.len());
    let mut text = match lang {
        Lang::Zh => format!("清单 {list} 家，本页 {shown} 行：{same} 行一致，{differ} 行不同（已在列表中标出），{missing} 家不在本页。"),
        Lang::En => format!(
            "List: {list}; this page: {shown} rows. {same} match, {differ} differ (marked in the grid), {missing} not on this page."
        ),
    };
    if let Some(total) = compared.grid_total.filter(|total| *total > shown) {
        text += &match lang {
            Lang::Zh => format!("控制台共 {total} 条，本页只显示 {shown} 条：不在本页的企业可能在其他页。"),
            Lang::En => format!(" The console has {total} rows and shows {shown} here: companies not on this page may be on another."),
        };
    }
    text
}

fn company_line(company: &ListCompany, lang: Lang) -> String {
    let row = match lang {
        Lang::Zh => format!("第 {} 行", company.row),
        Lang::En => format!("row {}", company.row),
    };
    format!("{row}  {}  {}", company.name, company.tax_id)
}

#[function_component]
pub fn ListComparison(props: &ListComparisonProps) -> Html {
    let w = match props.lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    };
    let input = use_node_ref();
    let on_change = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_file.emit(file);
            }
            // The same file may be picked again after it changed.
            input.set_value("");
        })
    };
    let choose = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let clear = {
        let on_clear = props.on_clear.clone();
        Callback::from(move |_: MouseEvent| on_clear.emit(()))
    };
    let picked = !matches!(props.state, CompareState::Idle);
    html! {
        <section class="pa-compare" data-pa="compare" aria-label={w.title}>
            <h3>{ w.title }</h3>
            <input type="file" class="pa-file" data-pa="compare-file" ref={input} onchange={on_change} tabindex="-1" aria-hidden="true"
                   accept=".csv,.txt,.xlsx,.xls,.xlsm,.ods,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel" />
            { match &props.state {
                CompareState::Idle => html! { <p class="pa-note">{ w.intro }</p> },
                CompareState::Reading { file } => html! { <p class="pa-note" data-pa="compare-status" aria-busy="true">{ w.reading }{ " " }{ file }{ "…" }</p> },
                CompareState::Failed { file, reason } => html! {
                    <p class="pa-compare-error" data-pa="compare-status" role="alert">{ w.failed }{ " " }{ file }{ ": " }{ reason }</p>
                },
                CompareState::Done(compared) => html! {
                    <>
                        <p data-pa="compare-status" data-file={compared.file.clone()}>{ summary(compared, props.lang) }</p>
                        if !compared.comparison.missing.is_empty() {
                            <h4>{ w.missing }</h4>
                            <ul class="pa-compare-missing" data-pa="compare-missing">
                                { for compared.comparison.missing.iter().take(MISSING_SHOWN).map(|c| html! {
                                    <li key={c.row} data-row={c.row.to_string()}>{ company_line(c, props.lang) }</li>
                                }) }
                                if compared.comparison.missing.len() > MISSING_SHOWN {
                                    <li class="pa-note">{ w.more.replace("{n}", &(compared.comparison.missing.len() - MISSING_SHOWN).to_string()) }</li>
                                }
                            </ul>
                        }
                    </>
                },
            } }
            <div class="pa-compare-actions">
                <button type="button" class="pa-link" data-pa="compare-choose" onclick={choose}>{ if picked { w.again } else { w.choose } }</button>
                if picked {
                    <button type="button" class="pa-link" data-pa="compare-clear" onclick={clear}>{ w.clear }</button>
                }
            </div>
        </section>
    }
}
