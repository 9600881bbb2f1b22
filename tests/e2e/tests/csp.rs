//! A console whose CSP forbids WebAssembly: the assistant cannot run there, so it says so (action
//! badge, popup status) instead of failing silently, and the console keeps working.

use std::time::Duration;

use e2e::Session;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn wasm_blocked_by_page_csp_is_reported_and_the_console_still_works() {
    let s = Session::start().await;
    // The replica server sends `script-src 'self' 'unsafe-inline'` for everything under /csp/.
    s.open("csp/auth-config.html").await;
    let origin = s.env.console.clone();

    // The console's own behaviour is untouched: 保存 shows its toast.
    s.eval("document.getElementById('bar_save').click();").await;
    s.wait_for("the console's 保存成功 toast", "document.body.innerText.includes('保存成功')", Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(s.eval("return document.querySelector('piaozone-assist');").await, json!(null));

    // From an extension page: the worker recorded the block for that tab and badged the action.
    let csp_tab = s.client.window().await.unwrap();
    s.client.new_window(true).await.unwrap();
    let handles = s.client.windows().await.unwrap();
    let ext_tab = handles.into_iter().find(|h| *h != csp_tab).unwrap();
    s.client.switch_to_window(ext_tab.clone()).await.unwrap();
    s.client.goto(&s.extension_url("options.html")).await.unwrap();
    let status = s
        .eval_async(&format!(
            "const [tab] = await chrome.tabs.query({{ url: '{origin}/csp/*' }});
             for (let i = 0; i < 50; i++) {{
               const {{ SiteStatus: status }} = await chrome.runtime.sendMessage({{ SiteStatus: {{ origin: '{origin}', tab_id: tab.id }} }});
               if (status.wasm_blocked) {{
                 return {{ status, badge: await chrome.action.getBadgeText({{ tabId: tab.id }}), title: await chrome.action.getTitle({{ tabId: tab.id }}) }};
               }}
               await new Promise(r => setTimeout(r, 100));
             }}
             return {{ status: (await chrome.runtime.sendMessage({{ SiteStatus: {{ origin: '{origin}', tab_id: tab.id }} }})).SiteStatus }};"
        ))
        .await;
    assert_eq!(status["status"]["wasm_blocked"], true, "{status}");
    assert_eq!(status["badge"], "!", "{status}");
    assert!(status["title"].as_str().unwrap().contains("WebAssembly"), "{status}");

    // The same console without the strict CSP gets the assistant (the block was the CSP's doing),
    // and the tab's badge and the popup's alert of the blocked page go.
    s.client.switch_to_window(csp_tab.clone()).await.unwrap();
    s.open("auth-config.html").await;
    s.open_panel().await;
    s.client.switch_to_window(ext_tab).await.unwrap();
    let cleared = s
        .eval_async(&format!(
            "const [tab] = await chrome.tabs.query({{ url: '{origin}/auth-config.html' }});
             for (let i = 0; i < 50; i++) {{
               const {{ SiteStatus: status }} = await chrome.runtime.sendMessage({{ SiteStatus: {{ origin: '{origin}', tab_id: tab.id }} }});
               const badge = await chrome.action.getBadgeText({{ tabId: tab.id }});
               if (!status.wasm_blocked && badge === '') return {{ status, badge, title: await chrome.action.getTitle({{ tabId: tab.id }}) }};
               await new Promise(r => setTimeout(r, 100));
             }}
             return null;"
        ))
        .await;
    assert!(cleared.is_object(), "the blocked page's flag outlived it");
    assert!(!cleared["title"].as_str().unwrap().contains("WebAssembly"), "{cleared}");
}
