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
        }
    }
}

/// One Chromium with the extension loaded, in a fresh profile.
pub struct Session {
    pub client: Client,
    pub env: Env,
    profile: PathBuf,
}

/// The shadow root we render into, as a JS expression.
pub const SHADOW: &str = "document.querySelector('piaozone-assist')?.shadowRoot";

impl Session {
    pub async fn start() -> Session {
        let env = Env::get();
        let profile = std::env::temp_dir().join(format!("pa-e2e-{}-{}", std::process::id(), unique()));
        Session::start_with_profile(env, profile).await
    }

    /// Starts Chromium on an existing profile folder (to test what survives a restart).
    pub async fn start_with_profile(env: Env, profile: PathBuf) -> Session {
        let ext = env.extension.display().to_string();
        let args = vec![
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
            format!("--user-data-dir={}", profile.display()),
            format!("--load-extension={ext}"),
            format!("--disable-extensions-except={ext}"),
        ];
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": env.chromium.display().to_string(), "args": args }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&env.webdriver)
            .await
            .unwrap_or_else(|e| panic!("cannot start Chromium through {}: {e}", env.webdriver));
        Session { client, env, profile }
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
            let truthy = !matches!(&value, Value::Null | Value::Bool(false))
                && value != json!(0)
                && value != json!("");
            if truthy {
                return value;
            }
            if started.elapsed() > timeout {
                panic!("timed out after {timeout:?} waiting for {what}; last value {value}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for our panel to render on the open page.
    pub async fn wait_for_panel(&self) {
        self.wait_for("the panel in the shadow root", &format!("{SHADOW}?.querySelector('[data-pa=\"panel\"]')"), Duration::from_secs(15))
            .await;
    }

    /// Saves a PNG of the viewport under the artifacts folder and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let path = self.env.artifacts.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
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
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
