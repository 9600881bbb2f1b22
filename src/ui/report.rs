//! The page-structure report's preview (`[data-pa="report-preview"]`): the whole text, read
//! before anything is copied, with what it leaves out said above it.

use yew::prelude::*;

use crate::core::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct ReportPreviewProps {
    pub lang: Lang,
    pub text: AttrValue,
    pub on_close: Callback<()>,
}

#[function_component(ReportPreview)]
pub fn report_preview(props: &ReportPreviewProps) -> Html {
    let l = labels(props.lang);
    // None: not copied yet; Some(whether the browser took it).
    let copied = use_state(|| None::<bool>);
    let copy = {
        let (text, copied) = (props.text.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, copied) = (text.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move { copied.set(Some(super::clipboard::copy_text(&text).await)) });
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let status = match *copied {
        Some(true) => l.copied,
        Some(false) => l.copy_failed,
        None => "",
    };
    html! {
        <section class="pa-report" data-pa="report-preview" role="dialog" aria-label={l.title} lang={props.lang.tag()}>
            <header class="pa-conn-head">
                <h3>{ l.title }</h3>
                <button type="button" class="pa-conn-close" data-pa="report-close" aria-label={l.close} onclick={close}>{ "×" }</button>
            </header>
            <p class="pa-report-note">{ l.note }</p>
            <pre class="pa-report-text" data-pa="report-text" tabindex="0">{ props.text.clone() }</pre>
            <div class="pa-report-actions">
                <button type="button" class="pa-conn-grant" data-pa="report-copy" onclick={copy}>{ l.copy }</button>
                <span role="status" data-pa="report-status">{ status }</span>
            </div>
        </section>
    }
}

struct Labels {
    title: &'static str,
    note: &'static str,
    copy: &'static str,
    copied: &'static str,
    copy_failed: &'static str,
    close: &'static str,
}

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

const ZH: Labels = Labels {
    title: "页面结构报告",
    note: "只含页面结构（标签、按钮文字、元素 id 和类名）：不含任何输入框、下拉框的值，不含 Cookie、网址 # 之后的部分和浏览器存储。发送前请先看一遍。",
    copy: "复制",
    copied: "已复制，可以粘贴到问题反馈里",
    copy_failed: "没能复制：请选中上面的文字后按 Ctrl+C",
    close: "关闭",
};

const EN: Labels = Labels {
    title: "Page-structure report",
    note: "Structure only (labels, button texts, element ids and classes): no value of any input or combo, no cookie, no URL fragment, no browser storage. Read it before you send it.",
    copy: "Copy",
    copied: "Copied: paste it into your report",
    copy_failed: "Could not copy: select the text above and press Ctrl+C",
    close: "Close",
};
