//! The connection test in the background worker: the token call with the values of the
//! 发票云授权配置 page, the probe of the counterpart environment after a refusal, and the
//! diagnosis (`core::piaozone`). It runs here because only the worker's fetch is exempt from the
//! page's CORS rules; the secret arrives in the message, is signed, and is dropped with the call.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use gloo_net::http::Request as HttpRequest;
use serde_json::json;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, RequestRedirect, ResponseType};

use super::chrome::{self, to_js};
use super::messages::Response;
use super::stored::{self, host_granted, Area};
use crate::core::endpoints::{check_endpoint, EndpointCheck};
use crate::core::piaozone::{
    classify, default_pair, rows_from_stored, token_url, Attempt, ConnectionRequest, Diagnosis, EncType, EnvironmentPair, EnvironmentRow,
    HttpAnswer, HttpUrl, Next, Outcome, Stage, StoredEnvironment, TokenRequest, TransportError,
};
use crate::core::protocol::TestAnswer;
// Where the options page, an enterprise policy (and the dev build) list extra environments and
// the relays and proxies the test may call.
use crate::core::settings::{ENVIRONMENTS_KEY, TOKEN_ENDPOINTS_KEY};

/// How long one token call may take before it counts as a timeout.
const TIMEOUT_MS: i32 = 10_000;
/// Shipped in the dev build only: the demo sandbox's pair.
const PACKAGED_ENVIRONMENTS: &str = "environments.dev.json";

#[wasm_bindgen]
extern "C" {
    // Bound on the global object: the worker has no `window`.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: i32) -> i32;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: i32);
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// The call in flight for a tab, so that a cancel (or a newer test) can stop it.
struct Running {
    test: u64,
    controller: AbortController,
    cancelled: Rc<Cell<bool>>,
}

thread_local! {
    static RUNNING: RefCell<HashMap<i32, Running>> = RefCell::new(HashMap::new());
    static NEXT_TEST: Cell<u64> = const { Cell::new(0) };
}

/// Runs one connection test for `tab_id` and returns what the card shows. `typed` is an
/// environment the admin typed on the options page and tests there before saving it: its bases
/// count as allowed and paired for this test only.
pub async fn test(tab_id: i32, request: &ConnectionRequest, plain_http_confirmed: bool, typed: Option<&EnvironmentRow>) -> Response {
    let (mut diagnosis, first) = Diagnosis::start(request);
    let base = match first {
        Next::Done(outcome) => return Response::ConnectionTest(TestAnswer::Outcome(Box::new(outcome))),
        Next::Call { base, .. } => base,
    };
    // Read only for a test that will call: the precheck needs none of it.
    let (mut configured, mut allowed) = configured_and_allowed().await;
    if let Some(row) = typed {
        allowed.extend(row.bases().map(str::to_owned));
        configured.push(row.clone());
    }
    let pairs = environment_pairs(&configured);
    let url = HttpUrl::parse(&base).expect("the precheck accepted the url");
    let origin = url.origin();
    match check_endpoint(&url, &declared_hosts(), &allowed, plain_http_confirmed) {
        EndpointCheck::Allowed => {}
        EndpointCheck::NotListed => return Response::ConnectionTest(TestAnswer::EndpointNotListed { origin }),
        EndpointCheck::OfficialOverHttp => return Response::ConnectionTest(TestAnswer::OfficialOverHttp { origin }),
        EndpointCheck::NeedsHttpConfirmation => return Response::ConnectionTest(TestAnswer::PlainHttpConfirmation { origin }),
    }
    if !host_granted(&origin).await {
        return Response::ConnectionTest(TestAnswer::PermissionNeeded { origin });
    }
    cancel(tab_id); // a newer test replaces the running one
    let test = NEXT_TEST.with(|next| next.replace(next.get() + 1));
    let cancelled = Rc::new(Cell::new(false));
    let mut next = Next::Call { base, probe: None };
    let response = loop {
        match next {
            Next::Done(outcome) => break Ok(outcome),
            Next::Call { base, probe } => {
                // The probe goes only where a first call could go: an allowed, granted endpoint.
                if probe.is_some() {
                    let allowed_here = match HttpUrl::parse(&base) {
                        Some(url) => {
                            check_endpoint(&url, &declared_hosts(), &allowed, false) == EndpointCheck::Allowed
                                && host_granted(&url.origin()).await
                        }
                        None => false,
                    };
                    if !allowed_here {
                        break Ok(diagnosis.decline());
                    }
                }
                match token_call(tab_id, test, &base, &request.client_id, &request.client_secret.0, cancelled.clone()).await {
                    Ok(outcome) => next = diagnosis.answer(outcome, &pairs),
                    Err(cancelled) => break Err(cancelled),
                }
            }
        }
    };
    RUNNING.with(|running| {
        let mut running = running.borrow_mut();
        if running.get(&tab_id).is_some_and(|r| r.test == test) {
            running.remove(&tab_id);
        }
    });
    match response {
        Ok(outcome) => Response::ConnectionTest(TestAnswer::Outcome(Box::new(outcome))),
        Err(Cancelled) => Response::ConnectionTest(TestAnswer::Cancelled),
    }
}

pub fn cancel(tab_id: i32) {
    if let Some(running) = RUNNING.with(|running| running.borrow_mut().remove(&tab_id)) {
        running.cancelled.set(true);
        running.controller.abort();
    }
}

/// Opens the options page on the button that asks for `origin` (see `options.js`); with `add`,
/// the button also adds it to the token endpoints.
pub async fn open_permission_page(origin: &str, add: bool) -> Result<Response, String> {
    crate::core::site::validate_origin(origin)?;
    let hash = js_sys::encode_uri_component(origin);
    let action = if add { "allow" } else { "grant" };
    let url = chrome::get_url(&format!("options.html#{action}={hash}"));
    chrome::create_tab(&to_js(&json!({ "url": url }))).await.map_err(|e| chrome::error_text(&e))?;
    Ok(Response::Ack)
}

struct Cancelled;

/// One `POST {base}/base/oauth/token`, timed, with the timeout and the tab's cancel wired to one
/// AbortController.
async fn token_call(
    tab_id: i32,
    test: u64,
    base: &str,
    client_id: &str,
    secret: &str,
    cancelled: Rc<Cell<bool>>,
) -> Result<Outcome, Cancelled> {
    if cancelled.get() {
        return Err(Cancelled);
    }
    let request = TokenRequest::new(client_id, secret, js_sys::Date::now() as u64, EncType::Md5);
    let body = request.to_json();
    let controller = AbortController::new().expect("AbortController exists in every MV3 browser");
    let signal = controller.signal();
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout = {
        let (timed_out, controller) = (timed_out.clone(), controller.clone());
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    RUNNING.with(|running| running.borrow_mut().insert(tab_id, Running { test, controller, cancelled: cancelled.clone() }));
    let timer = set_timeout(on_timeout.as_ref().unchecked_ref(), TIMEOUT_MS);
    let started = performance_now();
    let answer = async {
        // Never follow a redirect: the signed request goes only to the address the admin entered
        // (a 307 would resend it, signature and all, wherever the first host points).
        let response = HttpRequest::post(&token_url(base))
            .header("Content-Type", "application/json")
            .redirect(RequestRedirect::Manual)
            .abort_signal(Some(&signal))
            .body(body)?
            .send()
            .await?;
        if response.type_() == ResponseType::Opaqueredirect {
            return Ok(None);
        }
        let headers = response.headers();
        let text = response.text().await?;
        Ok::<_, gloo_net::Error>(Some((response.status(), headers.get("content-type"), headers.get("location"), text)))
    }
    .await;
    clear_timeout(timer);
    drop(on_timeout);
    let latency_ms = (performance_now() - started).round().max(0.0) as u64;
    if cancelled.get() {
        return Err(Cancelled);
    }
    let outcome = match &answer {
        Ok(None) => classify(Attempt::Redirected, latency_ms),
        Ok(Some((status, content_type, location, body))) => classify(
            Attempt::Answered(HttpAnswer { status: *status, content_type: content_type.as_deref(), location: location.as_deref(), body }),
            latency_ms,
        ),
        Err(error) => {
            // A browser's fetch names no stage (DNS, connect and TLS all read "Failed to fetch").
            let error = if timed_out.get() {
                TransportError { stage: Stage::Timeout, detail: format!("no answer within {} s", TIMEOUT_MS / 1000) }
            } else {
                TransportError { stage: Stage::Other, detail: error.to_string() }
            };
            classify(Attempt::Failed(&error), latency_ms)
        }
    };
    Ok(outcome.without_echoes(&request))
}

/// The manifest's own host permissions: the official hosts (and the dev build's local hosts).
fn declared_hosts() -> Vec<String> {
    thread_local! {
        /// The manifest does not change while the worker lives: read once.
        static DECLARED: std::cell::OnceCell<Vec<String>> = const { std::cell::OnceCell::new() };
    }
    DECLARED
        .with(|declared| declared.get_or_init(|| chrome::read_key(&chrome::get_manifest(), "host_permissions").unwrap_or_default()).clone())
}

/// The environments the enterprise policy, the options page and the build add (rows, or the
/// former `[{name, base}]` list: `core::piaozone::rows_from_stored`), and the token endpoints
/// allowed: the relays and proxies of the policy and the options page, and every configured
/// environment's base (cached until they change: `ext::stored`).
async fn configured_and_allowed() -> (Vec<EnvironmentRow>, Vec<String>) {
    // No policy installed, or an unreadable area: nothing from it.
    let mut environments: Vec<EnvironmentRow> = Vec::new();
    let mut allowed: Vec<String> = Vec::new();
    for area in [Area::Managed, Area::Local] {
        environments.extend(rows_from_stored(&stored::read::<Vec<StoredEnvironment>>(area, ENVIRONMENTS_KEY).await.unwrap_or_default()));
        allowed.extend(stored::read::<Vec<String>>(area, TOKEN_ENDPOINTS_KEY).await.unwrap_or_default());
    }
    environments.extend(packaged_environments().await);
    allowed.extend(environments.iter().flat_map(EnvironmentRow::bases).map(str::to_owned));
    (environments, allowed)
}

/// The official pair, then the pairs among the configured environments.
fn environment_pairs(configured: &[EnvironmentRow]) -> Vec<EnvironmentPair> {
    let mut pairs = vec![default_pair()];
    pairs.extend(configured.iter().filter_map(EnvironmentRow::pair));
    pairs
}

/// `environments.dev.json` from the extension's own files; the store build has none.
async fn packaged_environments() -> Vec<EnvironmentRow> {
    let text = stored::extension_file(PACKAGED_ENVIRONMENTS).await.unwrap_or_default();
    rows_from_stored(&serde_json::from_str::<Vec<StoredEnvironment>>(&text).unwrap_or_default())
}
