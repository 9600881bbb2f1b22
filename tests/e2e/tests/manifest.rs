//! The store package: the zip exists and its manifest asks for no more than it needs.

use std::io::Read;

use e2e::Env;
use serde_json::{json, Value};

fn zipped_manifest(env: &Env) -> (Value, Vec<String>) {
    let file = std::fs::File::open(&env.release_zip).unwrap_or_else(|e| panic!("{}: {e}", env.release_zip.display()));
    let mut zip = zip::ZipArchive::new(file).expect("a valid zip");
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    let mut text = String::new();
    zip.by_name("manifest.json").expect("manifest.json at the zip root").read_to_string(&mut text).unwrap();
    (serde_json::from_str(&text).unwrap(), names)
}

#[test]
fn release_zip_manifest_is_minimal_and_complete() {
    let env = Env::get();
    let (m, names) = zipped_manifest(&env);
    let text = m.to_string();
    assert_eq!(m["manifest_version"], 3);
    assert_eq!(m["default_locale"], "zh_CN");
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["permissions"], json!(["storage", "scripting", "activeTab", "sidePanel"]));
    assert_eq!(m["host_permissions"], json!(["https://api.piaozone.com/*", "https://api-dev.piaozone.com/*"]));
    assert!(!text.contains("<all_urls>"), "no <all_urls> anywhere");
    assert!(!text.contains("127.0.0.1") && !text.contains("localhost"), "no local hosts in a release build");
    assert!(m.get("content_scripts").is_none(), "content scripts are registered per enabled site, not declared");
    assert!(m.get("key").is_none(), "the dev key stays out of the store build");
    assert!(m["optional_host_permissions"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(m["content_security_policy"]["extension_pages"].as_str().unwrap().contains("'wasm-unsafe-eval'"));
    assert_eq!(m["background"], json!({ "service_worker": "background.js", "type": "module" }));
    assert_eq!(m["action"]["default_popup"], "popup.html");
    assert_eq!(m["side_panel"], json!({ "default_path": "sidepanel.html" }));
    assert_eq!(m["commands"]["open-side-panel"]["suggested_key"]["default"], "Alt+Shift+F");
    let war = &m["web_accessible_resources"][0];
    assert_eq!(war["use_dynamic_url"], true);
    let resources: Vec<&str> = war["resources"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    // fallback.js: the no-wasm content script, imported by content.js where the page forbids wasm.
    for needed in ["pkg/piaozone_assist.js", "pkg/piaozone_assist_bg.wasm", "fallback.js"] {
        assert!(resources.contains(&needed), "{needed} web-accessible");
        assert!(names.iter().any(|n| n == needed), "{needed} in the zip");
    }
    // The worker's and the side panel's modules are the browser's alone: no page may fetch them;
    // nor the English texts, which the worker reads for the page.
    for worker_only in ["worker/worker.js", "worker/worker_bg.wasm", "pages/pages.js", "pages/pages_bg.wasm", "english.json"] {
        assert!(!resources.contains(&worker_only), "{worker_only} must not be web-accessible");
        assert!(names.iter().any(|n| n == worker_only), "{worker_only} in the zip");
    }
    for needed in [
        "_locales/zh_CN/messages.json",
        "_locales/en/messages.json",
        "content.js",
        "fallback.js",
        "sidepanel.html",
        "sidepanel.js",
        "background.js",
        "popup.html",
        "options.html",
        "icons/128.png",
    ] {
        assert!(names.iter().any(|n| n == needed), "{needed} in the zip");
    }
    // The unpacked release folder is what the zip holds.
    let unpacked: Value = serde_json::from_str(&std::fs::read_to_string(env.release.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(unpacked, m);
}

#[test]
fn locales_name_the_extension_in_both_languages() {
    let env = Env::get();
    for (locale, name) in [("zh_CN", "发票云配置助手"), ("en", "Piaozone Setup Assistant")] {
        let path = env.release.join(format!("_locales/{locale}/messages.json"));
        let messages: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(messages["extName"]["message"], name);
        assert!(messages["extDescription"]["message"].as_str().is_some_and(|d| !d.is_empty()));
    }
}

#[test]
fn dev_build_adds_only_local_hosts() {
    let env = Env::get();
    let dev: Value = serde_json::from_str(&std::fs::read_to_string(env.extension.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        dev["host_permissions"],
        json!(["https://api.piaozone.com/*", "https://api-dev.piaozone.com/*", "http://127.0.0.1/*", "http://localhost/*"])
    );
    assert_eq!(dev["permissions"], json!(["storage", "scripting", "activeTab", "sidePanel"]));
}

#[test]
fn content_script_module_carries_no_worker_code() {
    // Two builds of one crate: the page's glue must not export the worker's entry points (the token
    // call and its signing stay out of every console page), and the worker's must not mount the UI.
    let env = Env::get();
    let read = |path: &str| std::fs::read_to_string(env.release.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let page = read("pkg/piaozone_assist.js");
    let worker = read("worker/worker.js");
    assert!(page.contains("export function start_content"), "the page glue starts the content script");
    for entry in ["handle_message", "register_consoles"] {
        assert!(!page.contains(entry), "the page glue exports the worker's {entry}");
        assert!(worker.contains(&format!("export function {entry}")), "the worker glue exports {entry}");
    }
    assert!(!worker.contains("start_content"), "the worker glue exports the content script's entry");
    // The list reader (对照清单) is its own module, web-accessible for the page to load on demand;
    // the page's wasm carries none of the spreadsheet parsers.
    let lists = read("lists/lists.js");
    assert!(
        lists.contains("export function read_company_list") && !page.contains("read_company_list"),
        "the list reader is its own module"
    );
    let page_wasm = std::fs::read(env.release.join("pkg/piaozone_assist_bg.wasm")).unwrap();
    for parser in [&b"calamine"[..], b"encoding_rs", b"zlib_rs", b"csv_core"] {
        assert!(!page_wasm.windows(parser.len()).any(|w| w == parser), "{} in the page's wasm", String::from_utf8_lossy(parser));
    }
    let manifest: Value = serde_json::from_str(&read("manifest.json")).unwrap();
    let resources = manifest["web_accessible_resources"][0]["resources"].to_string();
    assert!(resources.contains("lists/lists.js") && resources.contains("lists/lists_bg.wasm"), "{resources}");
}

#[test]
fn the_store_build_closes_our_shadow_root_and_marks_nothing_only_the_dev_build_does() {
    // A page script reaches an open shadow root (`host.shadowRoot`) and reads performance marks: the
    // store build attaches the root closed and makes neither the bench's marks nor its memory probe.
    let env = Env::get();
    let loader = |dir: &std::path::Path| std::fs::read_to_string(dir.join("content.js")).unwrap();
    let (store, dev) = (loader(&env.release), loader(&env.extension));
    assert!(store.contains("const DEV_BUILD = false;") && !store.contains("DEV_BUILD = true"), "{store}");
    assert!(dev.contains("const DEV_BUILD = true;"), "{dev}");
    assert!(store.contains("glue.start_content(DEV_BUILD, listReader, stored)"), "{store}");
    assert!(store.contains("if (DEV_BUILD) performance.mark("), "the loader's own mark is the dev build's: {store}");
}

#[test]
fn the_page_module_carries_the_guide_in_chinese_only() {
    // Its English is `english.json`, which the worker reads when a page shows English; the side
    // panel's module (an extension page, loaded once) keeps both languages.
    let env = Env::get();
    let read = |path: &str| std::fs::read(env.release.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let contains = |bytes: &[u8], text: &str| bytes.windows(text.len()).any(|w| w == text.as_bytes());
    let english: Vec<String> = serde_json::from_slice(&read("english.json")).expect("english.json: a list of texts");
    assert_eq!(english.len(), piaozone_assist::core::i18n::ENGLISH_COUNT);
    let (page, side) = (read("pkg/piaozone_assist_bg.wasm"), read("pages/pages_bg.wasm"));
    for (zh, en) in [("创建业务单元", "Create the business unit"), ("发票云授权配置", "Piaozone authorization")] {
        assert!(english.iter().any(|t| t.contains(en)), "{en} in english.json");
        assert!(contains(&page, zh) && !contains(&page, en), "the page module: {zh} without {en}");
        assert!(contains(&side, zh) && contains(&side, en), "the side panel's module: {zh} and {en}");
    }
}
