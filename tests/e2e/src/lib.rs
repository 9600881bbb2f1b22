//! Harness for the end-to-end tests: a headless Chromium with the built dev extension, driven over
//! WebDriver (fantoccini), against the replica console and the sandbox that `cargo xtask test`
//! starts. Our UI is read through the open shadow root of `<piaozone-assist>`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

/// Where everything is, as `cargo xtask test` exported it.
pub struct Env {
    pub extension: PathBuf,
    pub extension_id: String,
    pub release: PathBuf,
    pub release_zip: PathBuf,
    pub console: String,
    pub sandbox: String,
    pub webdriver: String,
    pub chromium: PathBuf,
    pub artifacts: PathBuf,
    /// axe-core's `axe.min.js`, installed by xtask, for the accessibility audit.
    pub axe: PathBuf,
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the end-to-end tests through `cargo xtask test`, which builds the extension and starts the servers")
    })
}

impl Env {
    pub fn get() -> Env {
        let artifacts = PathBuf::from(var("PA_E2E_ARTIFACTS"));
        std::fs::create_dir_all(&artifacts).unwrap();
        Env {
            extension: var("PA_E2E_EXTENSION").into(),
            extension_id: var("PA_E2E_EXTENSION_ID"),
            release: var("PA_E2E_RELEASE").into(),
            release_zip: var("PA_E2E_RELEASE_ZIP").into(),
            console: var("PA_E2E_CONSOLE"),
            sandbox: var("PA_E2E_SANDBOX"),
            webdriver: var("PA_E2E_WEBDRIVER"),
            chromium: var("PA_E2E_CHROMIUM").into(),
            artifacts,
            axe: var("PA_E2E_AXE").into(),
        }
    }
}

/// One Chromium with the extension loaded, in a fresh profile.
pub struct Session {
    pub client: Client,
    pub env: Env,
    profile: PathBuf,
    /// Left on disk when the session ends (see `restart`).
    keep_profile: bool,
}

/// The shadow root we render into, as a JS expression.
pub const SHADOW: &str = "document.querySelector('piaozone-assist')?.shadowRoot";

impl Session {
    pub async fn start() -> Session {
        let env = Env::get();
        let profile = std::env::temp_dir().join(format!("pa-e2e-{}-{}", std::process::id(), unique()));
        Session::start_with_profile(env, profile, true).await
    }

    /// The extension as installed, with no setting made: the checklist lives in the side panel
    /// (every other session keeps it in the page, where most tests read it).
    pub async fn start_default() -> Session {
        let env = Env::get();
        let profile = std::env::temp_dir().join(format!("pa-e2e-{}-{}", std::process::id(), unique()));
        Session::launch_as_installed(env, profile, true, &[]).await
    }

    /// The same browser without our extension: the baseline a page must look like with it.
    pub async fn start_without_extension() -> Session {
        let env = Env::get();
        let profile = std::env::temp_dir().join(format!("pa-e2e-{}-{}", std::process::id(), unique()));
        Session::start_with_profile(env, profile, false).await
    }

    /// The extension in a fresh profile, with extra Chromium flags (logging, net logs).
    pub async fn start_with_flags(flags: &[String]) -> Session {
        let env = Env::get();
        let profile = std::env::temp_dir().join(format!("pa-e2e-{}-{}", std::process::id(), unique()));
        Session::launch(env, profile, true, flags).await
    }

    /// Starts Chromium on a profile folder (an existing one, to test what survives a restart).
    pub async fn start_with_profile(env: Env, profile: PathBuf, with_extension: bool) -> Session {
        Session::launch(env, profile, with_extension, &[]).await
    }

    /// For `cargo xtask bench`: exact `performance.memory` figures and `gc()` in the page, so heaps
    /// compare after a full collection.
    pub async fn start_for_bench(with_extension: bool) -> Session {
        let env = Env::get();
        let profile = std::env::temp_dir().join(format!("pa-bench-{}-{}", std::process::id(), unique()));
        let flags = ["--enable-precise-memory-info".to_string(), "--js-flags=--expose-gc".to_string()];
        Session::launch(env, profile, with_extension, &flags).await
    }

    /// A session whose checklist is in the page (the options page's 控制台页面内), where the tests
    /// of the panel read it.
    async fn launch(env: Env, profile: PathBuf, with_extension: bool, flags: &[String]) -> Session {
        let session = Session::launch_as_installed(env, profile, with_extension, flags).await;
        if with_extension {
            session.set_checklist("page").await;
        }
        session
    }

    /// Sets where the checklist lives (`side` or `page`), on the options page in this window.
    pub async fn set_checklist(&self, place: &str) {
        self.client.goto(&self.extension_url("options.html")).await.unwrap();
        self.wait_for(
            "the options page",
            "!!globalThis.chrome?.storage?.local && document.readyState === 'complete'",
            Duration::from_secs(10),
        )
        .await;
        self.eval_async(&format!("await chrome.storage.local.set({{ checklist: {} }}); return true;", json!(place))).await;
    }

    async fn launch_as_installed(env: Env, profile: PathBuf, with_extension: bool, flags: &[String]) -> Session {
        let ext = env.extension.display().to_string();
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            // A Chinese administrator's browser: extension pages set to 跟随 follow its language.
            "--accept-lang=zh-CN".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        if with_extension {
            args.push(format!("--load-extension={ext}"));
            args.push(format!("--disable-extensions-except={ext}"));
        } else {
            args.push("--disable-extensions".into());
        }
        args.extend_from_slice(flags);
        let mut caps = Capabilities::new();
        caps.insert("goog:chromeOptions".into(), json!({ "binary": env.chromium.display().to_string(), "args": args }));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&env.webdriver)
            .await
            .unwrap_or_else(|e| panic!("cannot start Chromium through {}: {e}", env.webdriver));
        Session { client, env, profile, keep_profile: false }
    }

    /// Quits Chromium and starts it again on the same profile: what a browser restart keeps.
    pub async fn restart(mut self) -> Session {
        self.keep_profile = true;
        let profile = self.profile.clone();
        drop(self);
        // Chromium releases the profile's lock as it exits.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut next = Session::start_with_profile(Env::get(), profile, true).await;
        next.keep_profile = false;
        next
    }

    /// The page-structure report of the console tab's top frame, asked for as the popup asks.
    pub async fn page_report(&self, lang: &str) -> String {
        let text = self
            .on_extension_page(&format!(
                "const [tab] = await chrome.tabs.query({{ url: {} }});
                 return await chrome.tabs.sendMessage(tab.id, {{ PageReport: {{ lang: {} }} }}, {{ frameId: 0 }});",
                json!(format!("{}/*", self.env.console)),
                json!(lang)
            ))
            .await;
        text.as_str().unwrap_or_else(|| panic!("no page-structure report: {text}")).to_owned()
    }

    /// Runs `body` (async JS) on the options page in a second window, then comes back.
    pub async fn on_extension_page(&self, body: &str) -> Value {
        self.on_extension_page_at("options.html", body).await
    }

    /// Runs `body` (async JS) on one of our extension pages in a second window, then comes back.
    pub async fn on_extension_page_at(&self, page: &str, body: &str) -> Value {
        let console = self.client.window().await.unwrap();
        let extension = self.client.new_window(true).await.unwrap().handle;
        self.client.switch_to_window(extension).await.unwrap();
        self.client.goto(&self.extension_url(page)).await.unwrap();
        // Seen once under load: the script ran before the extension page replaced about:blank.
        self.wait_for(
            "the extension page",
            "location.protocol === 'chrome-extension:' && !!chrome.storage && !!chrome.tabs && document.readyState === 'complete'",
            Duration::from_secs(10),
        )
        .await;
        let value = self.eval_async(body).await;
        self.client.close_window().await.unwrap();
        self.client.switch_to_window(console).await.unwrap();
        value
    }

    /// Opens the side panel page (`sidepanel.html?tab=<id>`, as headless Chromium draws no real
    /// side panel) for this session's other tab, in a second window, and stays there; returns the
    /// console's window.
    pub async fn open_side_panel(&self) -> fantoccini::wd::WindowHandle {
        let console = self.client.window().await.unwrap();
        let side = self.client.new_window(true).await.unwrap().handle;
        self.client.switch_to_window(side).await.unwrap();
        self.client.goto(&self.extension_url("options.html")).await.unwrap();
        self.wait_for("an extension page", "!!globalThis.chrome?.tabs && document.readyState === 'complete'", Duration::from_secs(10))
            .await;
        let tab = self
            .eval_async("const own = await chrome.tabs.getCurrent(); return (await chrome.tabs.query({})).find(t => t.id !== own.id).id;")
            .await;
        self.client.goto(&self.extension_url(&format!("sidepanel.html?tab={tab}"))).await.unwrap();
        console
    }

    /// Presses keys (WebDriver key codes, e.g. `\u{E004}` Tab) on whatever has focus.
    pub async fn press(&self, keys: &str) {
        let focused = self.client.active_element().await.expect("a focused element");
        focused.send_keys(keys).await.unwrap_or_else(|e| panic!("keys {keys:?}: {e}"));
    }

    pub fn console_url(&self, page: &str) -> String {
        format!("{}/{}", self.env.console, page.trim_start_matches('/'))
    }

    pub fn extension_url(&self, page: &str) -> String {
        format!("chrome-extension://{}/{}", self.env.extension_id, page)
    }

    pub async fn open(&self, page: &str) {
        let url = self.console_url(page);
        self.client.goto(&url).await.unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Runs `body` (a JS function body) in the page and returns what it returns.
    pub async fn eval(&self, body: &str) -> Value {
        self.client.execute(body, vec![]).await.unwrap_or_else(|e| panic!("script failed: {e}\n{body}"))
    }

    /// Runs an async JS body (it may `await`) and returns its result.
    pub async fn eval_async(&self, body: &str) -> Value {
        let wrapped = format!(
            "const done = arguments[arguments.length - 1];\
             (async () => {{ {body} }})().then(done, e => done({{ __error: String(e) }}));"
        );
        let value = self.client.execute_async(&wrapped, vec![]).await.unwrap_or_else(|e| panic!("script failed: {e}\n{body}"));
        if let Some(err) = value.get("__error") {
            panic!("script threw {err}\n{body}");
        }
        value
    }

    /// Polls the JS expression `expr` until it is truthy and returns its value, or panics with
    /// `what` and the last value after `timeout`.
    pub async fn wait_for(&self, what: &str, expr: &str, timeout: Duration) -> Value {
        let started = Instant::now();
        let body = format!("try {{ return ({expr}); }} catch (e) {{ return null; }}");
        loop {
            let value = self.eval(&body).await;
            let truthy = !matches!(&value, Value::Null | Value::Bool(false)) && value != json!(0) && value != json!("");
            if truthy {
                return value;
            }
            if started.elapsed() > timeout {
                panic!("timed out after {timeout:?} waiting for {what}; last value {value}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for our UI to start on the open page (the panel, or its tab when it stays out of
    /// the fields' way).
    pub async fn wait_for_assistant(&self) {
        self.wait_for(
            "the panel (or its tab) in the shadow root",
            &format!("{SHADOW}?.querySelector('[data-pa=\"panel\"], [data-pa=\"panel-reopen\"]')"),
            Duration::from_secs(15),
        )
        .await;
    }

    /// Waits for the assistant and opens the panel if it is collapsed.
    pub async fn open_panel(&self) {
        self.wait_for_assistant().await;
        self.eval(&format!("{SHADOW}.querySelector('[data-pa=\"panel-reopen\"]')?.click();")).await;
        self.wait_for("the panel in the shadow root", &format!("{SHADOW}?.querySelector('[data-pa=\"panel\"]')"), Duration::from_secs(5))
            .await;
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`).
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(CdpCommand { body: json!({ "cmd": cmd, "params": params }) })
            .await
            .unwrap_or_else(|e| panic!("CDP {cmd} failed: {e}"))
    }

    /// Saves a PNG of the viewport under the artifacts folder and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let path = self.env.artifacts.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }
}

/// chromedriver's pass-through to the DevTools Protocol of the session's page.
#[derive(Debug)]
struct CdpCommand {
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Ends the browser session even when a test panicked, so no Chromium outlives its test.
impl Drop for Session {
    fn drop(&mut self) {
        let client = self.client.clone();
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(client.close()).ok()
        })
        .join();
        if !self.keep_profile {
            let _ = std::fs::remove_dir_all(&self.profile);
        }
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Finds a console field's input by its label, as an admin would: in the topmost open dialog,
/// else the visible form (`#tabap > .kd-cq-tab-panel > [data-tab-hidden="false"] > .kd-cq-form`,
/// or the shown `.kd-cq-tabpage` of the older shell); `[data-field-item]` labels (the required `*`
/// before or after, a trailing colon ignored) or entry-grid column headers (row 0).
const FIND_INPUT_JS: &str = r#"
const want = arguments[0].replace(/[\s*＊:：]/g, '').toLowerCase();
const norm = (t) => (t || '').replace(/[\s*＊:：]/g, '').toLowerCase();
const shown = (e) => e && !e.classList.contains('hidden') && (e.offsetWidth > 0 || e.offsetHeight > 0);
const dialogs = [...document.querySelectorAll('[role=dialog], .kd-cq-modal')].filter(shown);
const form = [...document.querySelectorAll('#tabap > .kd-cq-tab-panel > [data-tab-hidden="false"] > .kd-cq-form')].find(shown)
  || [...document.querySelectorAll('.kd-cq-tabpage')].find(shown);
const roots = [dialogs[dialogs.length - 1], form, document.body].filter(Boolean);
for (const root of roots) {
  for (const item of root.querySelectorAll('[data-field-item]')) {
    const title = item.querySelector('.kd-cq-field-title-wrap');
    if (title && norm(title.textContent) === want) {
      return item.querySelector('input:not([type=checkbox]):not([type=radio]), textarea, .kd-cq-combo') || item;
    }
  }
  for (const table of root.querySelectorAll('table')) {
    const heads = [...table.querySelectorAll('th')];
    const col = heads.findIndex((th) => norm(th.textContent) === want);
    const row = table.querySelector('tbody tr');
    if (col >= 0 && row && row.children[col]) return row.children[col].querySelector('input, textarea');
  }
}
return null;"#;

impl Session {
    /// The element a JS body returns, as a WebDriver element.
    pub async fn element_by_js(&self, body: &str, args: Vec<Value>) -> Option<fantoccini::elements::Element> {
        let value = self.client.execute(body, args).await.unwrap_or_else(|e| panic!("script failed: {e}"));
        let id = value.get("element-6066-11e4-a52e-4f735466cecf")?.as_str()?.to_string();
        Some(fantoccini::elements::Element::from_element_id(self.client.clone(), id.into()))
    }

    /// Clicks the element `selector` finds in our shadow root as the admin would: WebDriver's own
    /// (trusted) click, not a script's `click()`, which the extension ignores for anything that
    /// reaches the network or opens a permission page.
    pub async fn click_ours(&self, selector: &str) {
        let body = format!("return {SHADOW}?.querySelector({}) ?? null;", serde_json::to_string(selector).unwrap());
        let element = self.element_by_js(&body, vec![]).await.unwrap_or_else(|| panic!("no {selector} in our shadow root"));
        element.click().await.unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    /// The input (or combo) of the console field labelled `label`, waiting for it to render.
    pub async fn field(&self, label: &str) -> fantoccini::elements::Element {
        let started = Instant::now();
        loop {
            if let Some(element) = self.element_by_js(FIND_INPUT_JS, vec![json!(label)]).await {
                return element;
            }
            if started.elapsed() > Duration::from_secs(10) {
                let seen = self.client.execute(FIND_INPUT_JS, vec![json!(label)]).await;
                panic!("no console field labelled {label:?} (the page answered {seen:?})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Replaces a field's value by typing, then leaves it with Tab, as an admin does.
    pub async fn type_into(&self, label: &str, value: &str) {
        let input = self.field(label).await;
        input.click().await.unwrap_or_else(|e| panic!("click {label}: {e}"));
        // Select-all + Backspace clears through real key events, so the console sees input events.
        input.send_keys("\u{E009}a\u{E009}\u{E003}").await.unwrap();
        input.send_keys(value).await.unwrap_or_else(|e| panic!("type into {label}: {e}"));
        input.send_keys("\u{E004}").await.unwrap();
    }

    /// Picks `option` in the console combo labelled `label`.
    pub async fn choose(&self, label: &str, option: &str) {
        self.field(label).await.click().await.unwrap();
        let item = self
            .element_by_js(
                "return [...document.querySelectorAll('.kd-cq-dropdown-menu-item')].find(i => i.offsetWidth > 0 && i.textContent.trim() === arguments[0]) || null;",
                vec![json!(option)],
            )
            .await
            .unwrap_or_else(|| panic!("no option {option:?} in {label}"));
        item.click().await.unwrap();
    }

    /// Waits until the verdict drawn for `field_id` has `rule` (any rule when `None`) and
    /// returns its `data-severity`.
    pub async fn verdict(&self, field_id: &str, rule: Option<&str>) -> String {
        let rule_check = rule.map(|r| format!(" && v.dataset.rule === '{r}'")).unwrap_or_default();
        let expr = format!(
            "(() => {{ const v = {SHADOW}?.querySelector('[data-field=\"{field_id}\"]'); \
               return v && v.dataset.display !== 'guidance'{rule_check} ? v.dataset.severity : null; }})()"
        );
        let value = self.wait_for(&format!("verdict of {field_id} ({rule:?})"), &expr, Duration::from_secs(8)).await;
        value.as_str().unwrap().to_string()
    }
}

impl Session {
    /// Types into whatever has focus, through WebDriver key actions: keeps working while the
    /// page replaces the focused element (a stale element reference would not).
    pub async fn type_keys(&self, text: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut keys = KeyActions::new("keyboard".into());
        for c in text.chars() {
            keys = keys.then(KeyAction::Down { value: c }).then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(keys).await.unwrap_or_else(|e| panic!("typing {text:?}: {e}"));
    }
}

/// A Chromium managed-policy file (as an administrator installs one), removed when dropped. A
/// policy reaches every Chromium of the machine: a test that installs one runs alone in its binary.
pub struct Policy(PathBuf);

impl Policy {
    pub fn install(policy: Value) -> Policy {
        let dir = std::path::Path::new("/etc/chromium/policies/managed");
        std::fs::create_dir_all(dir)
            .unwrap_or_else(|e| panic!("cannot write Chromium's policy folder {} (the tests run as root): {e}", dir.display()));
        let path = dir.join(format!("piaozone-assist-e2e-{}.json", std::process::id()));
        std::fs::write(&path, policy.to_string()).unwrap();
        Policy(path)
    }
}

impl Drop for Policy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
