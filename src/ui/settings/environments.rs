//! 发票云环境: rows of name, production base and test base, each base checked as typed by the
//! console's url rules, with a 测试 per row that runs the connection test against the row as typed,
//! with keys typed on this page (read from the input at the click, never kept).

use yew::prelude::*;

use super::options::Section;
use super::{filled, value_of, words, ManagedTag, Saved, Status};
use crate::core::i18n::Lang;
use crate::core::piaozone::{default_pair, ConnectionRequest, EnvironmentRow, HttpUrl, Secret};
use crate::core::protocol::{Request, TestAnswer};
use crate::core::settings::{base_findings, checked_environments, ENVIRONMENTS_KEY};
use crate::core::validate::{verdict, Severity};
use crate::ui::connection::{ConnectionCard, PageValues};

#[derive(Properties, PartialEq)]
pub struct EnvironmentsProps {
    pub section: Section,
    /// The stored list was in the former JSON shape and has just been saved as rows.
    #[prop_or_default]
    pub migrated: bool,
}

pub enum Msg {
    Edit {
        row: usize,
        column: Column,
        value: String,
    },
    Add,
    Remove(usize),
    Save,
    Saved(Saved),
    ClientId(String),
    Test {
        row: usize,
        plain_http_confirmed: bool,
    },
    /// `rows_removed`: the count when the test started (a removal since moves the rows up).
    Tested {
        row: usize,
        rows_removed: u32,
        answer: TestAnswer,
    },
    Grant(String),
    CloseTest(usize),
}

#[derive(Clone, Copy)]
pub enum Column {
    Name,
    Production,
    Test,
}

/// A row's test: running, or its answer.
#[derive(Clone, PartialEq)]
enum RowTest {
    Running,
    Answered(TestAnswer),
}

pub struct EnvironmentsSection {
    rows: Vec<EnvironmentRow>,
    tests: Vec<Option<RowTest>>,
    /// Rows removed so far: an answer for a row index from before a removal is dropped.
    rows_removed: u32,
    saved: Saved,
    client_id: String,
    secret: NodeRef,
}

impl Component for EnvironmentsSection {
    type Message = Msg;
    type Properties = EnvironmentsProps;

    fn create(ctx: &Context<Self>) -> Self {
        let rows = ctx.props().section.stored.environments.clone();
        EnvironmentsSection {
            tests: vec![None; rows.len()],
            rows_removed: 0,
            rows,
            saved: Saved::Nothing,
            client_id: String::new(),
            secret: NodeRef::default(),
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let section = &ctx.props().section;
        match msg {
            Msg::Edit { row, column, value } => {
                let Some(edited) = self.rows.get_mut(row) else { return false };
                match column {
                    Column::Name => edited.name = value,
                    Column::Production => edited.production = value,
                    Column::Test => edited.test = value,
                }
            }
            Msg::Add => {
                self.rows.push(EnvironmentRow::default());
                self.tests.push(None);
            }
            Msg::Remove(row) if row < self.rows.len() => {
                self.rows_removed += 1;
                self.rows.remove(row);
                self.tests.remove(row);
            }
            Msg::Remove(_) => return false,
            Msg::Save => match checked_environments(&self.rows) {
                Err(problems) => self.saved = Saved::refused(&problems, section.lang),
                Ok(rows) => {
                    let count = rows.len().to_string();
                    let text = filled(words(section.lang).env_saved, &[("n", &count)]);
                    let (saved, link) = (section.save(serde_json::json!({ ENVIRONMENTS_KEY: rows }), text), ctx.link().clone());
                    wasm_bindgen_futures::spawn_local(async move { link.send_message(Msg::Saved(saved.await)) });
                }
            },
            Msg::Saved(saved) => self.saved = saved,
            Msg::ClientId(value) => self.client_id = value,
            Msg::Test { row, plain_http_confirmed } => return self.test(ctx, row, plain_http_confirmed),
            Msg::Tested { row, rows_removed, answer } => {
                if rows_removed != self.rows_removed {
                    return false;
                }
                if let Some(test) = self.tests.get_mut(row) {
                    *test = (answer != TestAnswer::Cancelled).then_some(RowTest::Answered(answer));
                }
            }
            Msg::Grant(origin) => {
                // Within the card button's click (ConnectionCard passes only trusted clicks).
                let granted = section.host.request_hosts(vec![origin]);
                wasm_bindgen_futures::spawn_local(async move {
                    granted.await;
                });
                return false;
            }
            Msg::CloseTest(row) => {
                if let Some(test) = self.tests.get_mut(row) {
                    *test = None;
                }
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let section = &ctx.props().section;
        let (lang, link) = (section.lang, ctx.link());
        let w = words(lang);
        let official = default_pair();
        let managed = section.policy.environments.iter().map(|row| {
            html! {
                <tr class="is-readonly" data-pa="env-managed">
                    <td>{ &row.name }</td><td>{ &row.production }</td><td>{ &row.test }</td><td><ManagedTag lang={lang} /></td>
                </tr>
            }
        });
        let rows = self.rows.iter().enumerate().map(|(index, row)| {
            let number = index + 1;
            let edit = |column: Column| link.callback(move |e: InputEvent| Msg::Edit { row: index, column, value: value_of(&e) });
            let test = link.batch_callback(move |e: MouseEvent| e.is_trusted().then_some(Msg::Test { row: index, plain_http_confirmed: false }));
            let running = self.tests[index] == Some(RowTest::Running);
            let card = match &self.tests[index] {
                Some(RowTest::Answered(answer)) => html! {
                    <tr class="pa-set-test-row"><td colspan="4">
                        <ConnectionCard lang={lang} result={answer.clone()}
                            values={PageValues { url: row.production.trim().to_owned(), client_id: self.client_id.trim().to_owned(), proxy: String::new() }}
                            on_grant={link.callback(Msg::Grant)}
                            on_confirm_plain_http={link.callback(move |()| Msg::Test { row: index, plain_http_confirmed: true })}
                            on_close={link.callback(move |()| Msg::CloseTest(index))} />
                    </td></tr>
                },
                _ => Html::default(),
            };
            html! {
                <>
                    <tr data-pa="env-row" data-row={number.to_string()}>
                        <td>
                            <input type="text" value={row.name.clone()} oninput={edit(Column::Name)} data-pa="env-name"
                                aria-label={format!("{} {} {number}", w.env_name, w.row)} />
                        </td>
                        <td>{ base_cell(lang, number, &row.production, edit(Column::Production), "env-production", format!("{} {} {number}", w.env_production, w.row)) }</td>
                        <td>{ base_cell(lang, number, &row.test, edit(Column::Test), "env-test", format!("{} {} {number}", w.env_test, w.row)) }</td>
                        <td class="pa-set-actions">
                            <button type="button" data-pa="env-run-test" disabled={running} aria-busy={running.to_string()} onclick={test}>
                                { if running { w.env_testing } else { w.env_test_button } }
                            </button>
                            <button type="button" class="pa-set-quiet" data-pa="env-remove" onclick={link.callback(move |_| Msg::Remove(index))}
                                aria-label={format!("{} {} {number}", w.remove, w.row)}>{ w.remove }</button>
                        </td>
                    </tr>
                    { card }
                </>
            }
        });
        html! {
            <section class="pa-set-section" aria-labelledby="env-title" data-pa="env-section">
                <h2 id="env-title">{ w.env_section }</h2>
                <p class="pa-set-hint">{ w.env_hint }</p>
                if ctx.props().migrated {
                    <p class="pa-set-note" data-pa="env-migrated" role="status">{ w.env_migrated }</p>
                }
                <table class="pa-set-table">
                    <thead><tr><th scope="col">{ w.env_name }</th><th scope="col">{ w.env_production }</th><th scope="col">{ w.env_test }</th><th scope="col"><span class="pa-sr">{ w.save }</span></th></tr></thead>
                    <tbody>
                        <tr class="is-readonly" data-pa="env-builtin">
                            <td>{ "发票云 / Piaozone" }</td><td>{ &official.production.base }</td><td>{ &official.test.base }</td>
                            <td><span class="pa-set-tag">{ w.builtin }</span></td>
                        </tr>
                        { for managed }
                        { for rows }
                    </tbody>
                </table>
                <fieldset class="pa-set-keys">
                    <legend>{ w.env_keys }</legend>
                    <p class="pa-set-hint">{ w.env_keys_hint }</p>
                    <label>{ w.env_client_id }
                        <input type="text" data-pa="env-client-id" autocomplete="off" spellcheck="false" value={self.client_id.clone()}
                            oninput={link.callback(|e: InputEvent| Msg::ClientId(value_of(&e)))} />
                    </label>
                    <label>{ w.env_client_secret }
                        <input type="password" data-pa="env-client-secret" autocomplete="off" ref={self.secret.clone()} />
                    </label>
                </fieldset>
                <div class="pa-set-buttons">
                    <button type="button" class="pa-set-quiet" data-pa="env-add" onclick={link.callback(|_| Msg::Add)}>{ w.add_row }</button>
                    <button type="button" class="pa-set-primary" data-pa="env-save" onclick={link.callback(|_| Msg::Save)}>{ w.save }</button>
                </div>
                <Status lang={lang} saved={self.saved.clone()} of="env" />
            </section>
        }
    }
}

impl EnvironmentsSection {
    /// The row's test, from the admin's click: the host access is asked for within it, the keys
    /// read from the inputs now and moved into the message.
    fn test(&mut self, ctx: &Context<Self>, index: usize, plain_http_confirmed: bool) -> bool {
        let section = &ctx.props().section;
        let Some(row) = self.rows.get(index).cloned() else { return false };
        if let Err(problems) = checked_environments(std::slice::from_ref(&row)) {
            let message: Vec<String> = problems.iter().map(|p| p.text(section.lang).to_owned()).collect();
            self.tests[index] = Some(RowTest::Answered(TestAnswer::Failed { message: message.join("；") }));
            return true;
        }
        let origins: Vec<String> = row.bases().filter_map(HttpUrl::parse).map(|url| url.origin()).collect();
        let granted = section.host.request_hosts(origins);
        let secret = self.secret.cast::<web_sys::HtmlInputElement>().map(|input| input.value()).unwrap_or_default();
        let request = ConnectionRequest {
            url: row.production.trim().to_owned(),
            client_id: self.client_id.trim().to_owned(),
            client_secret: Secret(secret),
            encrypt_key: None,
        };
        let message = Request::SettingsConnectionTest { environment: row, request, plain_http_confirmed };
        self.tests[index] = Some(RowTest::Running);
        let (send, link, rows_removed) = (section.send.clone(), ctx.link().clone(), self.rows_removed);
        wasm_bindgen_futures::spawn_local(async move {
            granted.await; // refused: the worker answers that access is needed
            let answer = TestAnswer::from_reply(send.send(message).await);
            link.send_message(Msg::Tested { row: index, rows_removed, answer });
        });
        true
    }
}

/// A base's input with what the console's url rules say of it as typed.
fn base_cell(lang: Lang, number: usize, value: &str, oninput: Callback<InputEvent>, pa: &'static str, label: String) -> Html {
    let findings = base_findings(value);
    let severity = verdict(&findings);
    let shown = findings.iter().find(|f| f.severity == severity && severity != Severity::Ok);
    let id = format!("{pa}-check-{number}");
    html! {
        <>
            <input type="url" value={value.to_owned()} oninput={oninput} data-pa={pa} aria-label={label} spellcheck="false"
                data-severity={severity.as_str()} aria-invalid={(severity == Severity::Error).to_string()}
                aria-describedby={shown.is_some().then(|| id.clone())} />
            if let Some(finding) = shown {
                <p class={classes!("pa-set-check", severity.as_str())} id={id} data-pa={format!("{pa}-check")} data-rule={finding.rule}>
                    { finding.message(lang) }
                </p>
            }
        </>
    }
}
