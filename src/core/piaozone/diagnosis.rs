//! The connection test's sequence, written once for the extension's worker and `doctor`: the
//! precheck, the token call, on a refusal the same keys against the counterpart environment, then
//! the combined outcome with the Encrypt Key's problem. Pure: a step that needs the network asks
//! the caller for it ([`Next::Call`]); the caller makes the call its own way (fetch in the worker,
//! the staged HTTP of `doctor`) and hands the outcome back.

use std::fmt;

use super::environments::{Environment, EnvironmentPair};
use super::outcome::{combine, conclude, precheck, probe_target, ConnectionInput, Outcome};
use super::secret::Secret;

/// One connection test's values, owned: what the console's 发票云授权配置 (or a list row, or the
/// command line) gives. The two keys are [`Secret`]s, wiped when dropped.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConnectionRequest {
    pub url: String,
    pub client_id: String,
    pub client_secret: Secret,
    #[serde(default)]
    pub encrypt_key: Option<Secret>,
}

impl ConnectionRequest {
    pub fn input(&self) -> ConnectionInput<'_> {
        ConnectionInput {
            url: &self.url,
            client_id: &self.client_id,
            client_secret: &self.client_secret.0,
            encrypt_key: self.encrypt_key.as_ref().map(|key| key.0.as_str()),
        }
    }
}

impl fmt::Debug for ConnectionRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.input().fmt(f)
    }
}

/// What the diagnosis needs next.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// A token call against `base`; `probe` names the counterpart environment when this call is
    /// the probe (the caller may decline it, see [`Diagnosis::decline`]).
    Call {
        base: String,
        probe: Option<Environment>,
    },
    Done(Outcome),
}

pub struct Diagnosis<'a> {
    request: &'a ConnectionRequest,
    first: Option<Outcome>,
    probing: Option<Environment>,
}

impl<'a> Diagnosis<'a> {
    /// Starts: the precheck's outcome, or the first call (to the url as typed, trimmed). Nothing
    /// else is needed before a call is: the caller reads its configuration only then.
    pub fn start(request: &'a ConnectionRequest) -> (Diagnosis<'a>, Next) {
        let diagnosis = Diagnosis { request, first: None, probing: None };
        let next = match precheck(&request.input()) {
            Some(outcome) => Next::Done(outcome),
            None => Next::Call { base: request.url.trim().to_owned(), probe: None },
        };
        (diagnosis, next)
    }

    /// The outcome of the call [`Next::Call`] asked for; a refusal is probed against the
    /// counterpart of the url in `pairs`.
    pub fn answer(&mut self, outcome: Outcome, pairs: &[EnvironmentPair]) -> Next {
        let Some(first) = self.first.take() else {
            return match probe_target(&outcome, self.request.url.trim(), pairs) {
                Some(environment) => {
                    self.first = Some(outcome);
                    self.probing = Some(environment.clone());
                    Next::Call { base: environment.base.clone(), probe: Some(environment.clone()) }
                }
                None => Next::Done(self.finish(outcome)),
            };
        };
        let combined = match self.probing.take() {
            Some(environment) => combine(first, Some((&environment, &outcome))),
            None => first,
        };
        Next::Done(self.finish(combined))
    }

    /// The caller may not make the probe (its endpoint is not allowed here): the first call's
    /// outcome stands.
    pub fn decline(&mut self) -> Outcome {
        let first = self.first.take().expect("decline answers a probe, after the first call");
        self.probing = None;
        self.finish(first)
    }

    fn finish(&self, outcome: Outcome) -> Outcome {
        conclude(outcome, &self.request.input())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::piaozone::{default_pair, OutcomeKind};

    fn request(url: &str, key: Option<&str>) -> ConnectionRequest {
        ConnectionRequest {
            url: url.into(),
            client_id: "pz_prod_demo".into(),
            client_secret: Secret("prod-demo-secret".into()),
            encrypt_key: key.map(|k| Secret(k.into())),
        }
    }

    #[test]
    fn a_refusal_is_probed_in_the_other_environment_and_combined() {
        let pairs = [default_pair()];
        let request = request(" https://api-dev.piaozone.com/test ", Some("short"));
        let (mut diagnosis, next) = Diagnosis::start(&request);
        assert_eq!(next, Next::Call { base: "https://api-dev.piaozone.com/test".into(), probe: None });
        let Next::Call { base, probe: Some(environment) } = diagnosis.answer(Outcome::new(OutcomeKind::CredentialsRejected), &pairs) else {
            panic!("a refusal is probed")
        };
        assert_eq!(base, "https://api.piaozone.com");
        assert_eq!(environment.base, base);
        let Next::Done(outcome) = diagnosis.answer(Outcome::new(OutcomeKind::Ok), &pairs) else { panic!("two calls at most") };
        assert_eq!(outcome.kind, OutcomeKind::EnvironmentMismatch);
        assert_eq!(outcome.right_url.as_deref(), Some("https://api.piaozone.com"));
        assert_eq!(outcome.untested_fields.len(), 1, "the Encrypt Key's problem is concluded");
    }

    #[test]
    fn the_precheck_an_ok_and_a_declined_probe_end_the_test() {
        let pairs = [default_pair()];
        let empty = ConnectionRequest::default();
        assert!(matches!(Diagnosis::start(&empty).1, Next::Done(o) if o.kind == OutcomeKind::InvalidInput));
        let request = request("https://api.piaozone.com", None);
        let (mut diagnosis, _) = Diagnosis::start(&request);
        assert!(matches!(diagnosis.answer(Outcome::new(OutcomeKind::Ok), &pairs), Next::Done(o) if o.kind == OutcomeKind::Ok));
        let (mut diagnosis, _) = Diagnosis::start(&request);
        assert!(matches!(diagnosis.answer(Outcome::new(OutcomeKind::CredentialsRejected), &pairs), Next::Call { probe: Some(_), .. }));
        assert_eq!(diagnosis.decline().kind, OutcomeKind::CredentialsRejected);
        let shown = format!("{request:?}");
        assert!(!shown.contains("prod-demo-secret"), "{shown}");
    }
}
