//! Entering a programme's figures: an actual for a measure in a form, and a
//! CSV file of actuals imported whole. Both go the one write path, so each
//! is decided inside its transaction, audited, and never overwrites
//! another manager's figure unseen. And a programme's own details (name,
//! aim, launch, status), changed by its managers.

use crate::shell::errors::not_found;
use crate::shell::viewer::Viewer;
use crate::shell::write::*;
use crate::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use axum::Form;
use placeworks_domain::forms::FieldError;
use placeworks_domain::permissions::{Action, Resource};
use placeworks_domain::programmes::commands::{actual_id, plan_actual, plan_actuals_import, plan_programme_details, Entering, Replacing};
use placeworks_domain::programmes::forms::{ActualForm, ProgrammeForm, ACTUAL_COLUMNS};
use placeworks_domain::programmes::{Measure, Period, Programme};
use placeworks_domain::register::Index;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// The largest CSV file of actuals taken.
pub(crate) const MAX_CSV_BYTES: usize = 2 * 1024 * 1024;

/// The programme and measure, as the viewer may see them, when the viewer
/// may enter its figures.
fn measure_editor(
    state: &AppState,
    council: &str,
    programme: &str,
    measure: &str,
) -> Result<(Arc<Index>, Viewer, i64, Programme, Measure), axum::response::Response> {
    let v = signed_in()?;
    let (ix, version) = registers(state, council, &v).map_err(IntoResponse::into_response)?;
    let p = ix.register.programmes.iter().find(|p| p.slug.as_str() == programme).cloned();
    let m = ix.register.measures.iter().find(|m| m.slug.as_str() == measure && m.programme.as_str() == programme).cloned();
    let (Some(p), Some(m)) = (p, m) else { return Err(not_found("There is no such measure.").into_response()) };
    let v = allowed(council, Action::Edit, &placeworks_domain::programmes::figures_resource(&ix.register.initiatives, &m))?;
    Ok((ix, v, version, p, m))
}

/// Who is entering figures, now.
fn entering<'a>(state: &AppState, v: &'a Viewer) -> Entering<'a> {
    Entering { by: &v.name, at: state.clock.unix(), today: state.clock.today() }
}

fn measure_page(council: &str, p: &Programme, m: &Measure) -> String {
    format!("/{council}/programmes/{}/measures/{}", p.slug, m.slug)
}

fn actual_extra(council: &str, p: &Programme, m: &Measure, state: &AppState, replacing: bool) -> serde_json::Value {
    let last = Period::last_ended(m.frequency, state.clock.today());
    json!({
        "caption": format!("{}: {}", p.name, m.name),
        "measure": { "name": m.name, "unit": m.unit, "rule": m.rule.describe(), "frequency": m.frequency.label().to_lowercase() },
        "period_hint": format!("{} is reported {}: for example {last} ({})", m.name, m.frequency.label().to_lowercase(), last.label()),
        "replacing": replacing,
        "action": format!("{}/actual", measure_page(council, p, m)),
        "cancel": measure_page(council, p, m),
    })
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    period: String,
}

/// The form to enter (or correct) a measure's actual for a period.
pub async fn actual_form(
    State(state): State<AppState>,
    Path((council, programme, measure)): Path<(String, String, String)>,
    Query(q): Query<PeriodQuery>,
) -> Handled {
    let (ix, v, version, p, m) = or_respond!(measure_editor(&state, &council, &programme, &measure));
    let existing = Period::parse(&q.period).ok().and_then(|period| m.actuals.iter().find(|a| a.period == period));
    let form = match existing {
        Some(a) => ActualForm::from_record(a),
        None => ActualForm { period: Period::last_ended(m.frequency, state.clock.today()).to_string(), ..ActualForm::default() },
    };
    let title = if existing.is_some() { "Correct an actual" } else { "Enter an actual" };
    let extra = opened_at(actual_extra(&council, &p, &m, &state, existing.is_some()), Some(version), json!(null));
    council_form_page("actual-form.html", &ix, &v, title, &crumbs(&council, &p, Some(&m)), form, &[], extra)
}

/// Saves the actual.
pub async fn enter_actual(
    State(state): State<AppState>,
    Path((council, programme, measure)): Path<(String, String, String)>,
    Form(post): Form<Posted<ActualForm>>,
) -> Handled {
    let (ix, v, _, p, m) = or_respond!(measure_editor(&state, &council, &programme, &measure));
    let (form, version) = or_respond!(post.checked_with_version(&v));
    // Saving over a figure someone else entered since the form was opened is
    // a conflict; a post from no form may add a figure, never replace one.
    let opened = version.map(|version| Opened {
        kind: "actual",
        id: actual_id(&m.slug, Period::parse(&form.period).unwrap_or(Period::Year { year: 0 })),
        version: Some(version),
    });
    let replacing = if opened.is_some() { Replacing::Allowed } else { Replacing::Refused };
    let who = entering(&state, &v);
    match write(&state, &council, &v, opened, |ix| plan_actual(ix, m.slug.as_str(), &form, &who, replacing)).await {
        Ok(_) => Ok(Redirect::to(&measure_page(&council, &p, &m)).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            let extra = opened_at(actual_extra(&council, &p, &m, &state, false), version, conflict);
            council_form_page("actual-form.html", &ix, &v, "Enter an actual", &crumbs(&council, &p, Some(&m)), &form, errors, extra)
        }),
    }
}

/// The way back from a programme's forms: its programmes, the programme and, for a measure's, the measure.
fn crumbs<'a>(council: &str, p: &'a Programme, m: Option<&'a Measure>) -> Vec<(&'a str, String)> {
    let mut out = vec![("Programmes", format!("/{council}/programmes")), (p.name.as_str(), format!("/{council}/programmes/{}", p.slug))];
    if let Some(m) = m {
        out.push((m.name.as_str(), measure_page(council, p, m)));
    }
    out
}

/// The programme, as the viewer may see it, when the viewer may enter its
/// figures or change it, with the version of the council read.
fn programme_editor(state: &AppState, council: &str, programme: &str) -> Result<(Arc<Index>, Viewer, i64, Programme), axum::response::Response> {
    let v = signed_in()?;
    let (ix, version) = registers(state, council, &v).map_err(IntoResponse::into_response)?;
    let Some(p) = ix.register.programmes.iter().find(|p| p.slug.as_str() == programme).cloned() else {
        return Err(not_found("There is no such programme.").into_response());
    };
    let v = allowed(council, Action::Edit, &Resource::Programme(p.slug.clone()))?;
    Ok((ix, v, version, p))
}

fn import_extra(ix: &Index, council: &str, p: &Programme, state: &AppState) -> serde_json::Value {
    let today = state.clock.today();
    let measures: Vec<_> = ix
        .register
        .measures
        .iter()
        .filter(|m| m.programme == p.slug)
        .map(|m| json!({ "slug": m.slug, "name": m.name, "frequency": m.frequency.label().to_lowercase(), "example": Period::last_ended(m.frequency, today).to_string() }))
        .collect();
    json!({
        "caption": p.name,
        "measures": measures,
        "columns": ACTUAL_COLUMNS,
        "action": format!("/{council}/programmes/{}/actuals/import", p.slug),
        "cancel": format!("/{council}/programmes/{}", p.slug),
        "max_mb": MAX_CSV_BYTES / 1024 / 1024,
    })
}

/// The form to import a CSV file of actuals.
pub async fn import_form(State(state): State<AppState>, Path((council, programme)): Path<(String, String)>) -> Handled {
    let (ix, v, _, p) = or_respond!(programme_editor(&state, &council, &programme));
    let title = format!("Import actuals for {}", p.name);
    let crumbs = crumbs(&council, &p, None);
    council_form_page("actuals-import.html", &ix, &v, &title, &crumbs, json!({}), &[], import_extra(&ix, &council, &p, &state))
}

/// Imports the file: every line saved, or (with every bad line named) none.
pub async fn import_actuals(State(state): State<AppState>, Path((council, programme)): Path<(String, String)>, multipart: Multipart) -> Handled {
    let (ix, v, _, p) = or_respond!(programme_editor(&state, &council, &programme));
    let title = format!("Import actuals for {}", p.name);
    let crumbs = crumbs(&council, &p, None);
    let refuse =
        |errors: &[FieldError]| council_form_page("actuals-import.html", &ix, &v, &title, &crumbs, json!({}), errors, import_extra(&ix, &council, &p, &state));
    let (csrf, file) = match read_upload(multipart).await {
        Ok(x) => x,
        Err(e) => {
            let html = crate::shell::templates::render_error(
                413,
                "The upload could not be read",
                &format!("{e}. The file must be smaller than {} MB.", MAX_CSV_BYTES / 1024 / 1024),
            )
            .unwrap_or_default();
            return Ok((StatusCode::PAYLOAD_TOO_LARGE, Html(html)).into_response());
        }
    };
    or_respond!(Posted { csrf, version: None, form: () }.checked(&v));
    let Some((name, bytes)) = file else {
        return refuse(&[FieldError { field: "file", message: "Choose a CSV file of actuals".into() }]);
    };
    if bytes.len() > MAX_CSV_BYTES {
        return refuse(&[FieldError {
            field: "file",
            message: format!("{name} is larger than {} MB: split it into smaller files", MAX_CSV_BYTES / 1024 / 1024),
        }]);
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return refuse(&[FieldError { field: "file", message: format!("{name} is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”") }]);
    };
    let who = entering(&state, &v);
    match write(&state, &council, &v, None, |ix| plan_actuals_import(ix, p.slug.as_str(), &name, &text, &who)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/programmes/{}#measures", p.slug)).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| refuse(errors)),
    }
}

/// The CSRF token and the chosen file (its name and bytes), if one was chosen.
async fn read_upload(mut multipart: Multipart) -> Result<(String, Option<(String, Vec<u8>)>), String> {
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|e| e.body_text())?;
                if !name.is_empty() || !bytes.is_empty() {
                    file = Some((if name.is_empty() { "the file".to_owned() } else { name }, bytes.to_vec()));
                }
            }
            "csrf" => csrf = field.text().await.map_err(|e| e.body_text())?,
            _ => {}
        }
    }
    Ok((csrf, file))
}

// ---- a programme's details -----------------------------------------------------

/// The details form's page: as opened, or as posted with what was wrong with it.
fn programme_page(
    council: &str,
    (ix, v, p): (&Index, &Viewer, &Programme),
    form: &ProgrammeForm,
    errors: &[FieldError],
    version: Option<i64>,
    conflict: serde_json::Value,
) -> Handled {
    let statuses: Vec<_> = placeworks_domain::programmes::ProgrammeStatus::ALL.iter().map(|s| json!({ "value": s.code(), "label": s.label() })).collect();
    let extra = json!({
        "caption": p.name, "statuses": statuses,
        "action": format!("/{council}/programmes/{}/edit", p.slug), "cancel": format!("/{council}/programmes/{}", p.slug),
    });
    let crumbs = [("Programmes", format!("/{council}/programmes")), (p.name.as_str(), format!("/{council}/programmes/{}", p.slug))];
    council_form_page("programme-form.html", ix, v, "Change the programme's details", &crumbs, form, errors, opened_at(extra, version, conflict))
}

/// The form to change a programme's details.
pub async fn programme_form(State(state): State<AppState>, Path((council, programme)): Path<(String, String)>) -> Handled {
    let (ix, v, version, p) = or_respond!(programme_editor(&state, &council, &programme));
    programme_page(&council, (&ix, &v, &p), &ProgrammeForm::of(&p), &[], Some(version), json!(null))
}

/// Saves the programme's details and goes back to its page.
pub async fn save_programme(
    State(state): State<AppState>,
    Path((council, programme)): Path<(String, String)>,
    Form(post): Form<Posted<ProgrammeForm>>,
) -> Handled {
    let (ix, v, _, p) = or_respond!(programme_editor(&state, &council, &programme));
    let (form, version) = or_respond!(post.checked_with_version(&v));
    let opened = Some(Opened { kind: "programme", id: p.slug.to_string(), version });
    match write(&state, &council, &v, opened, |ix| plan_programme_details(ix, p.slug.as_str(), &form)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/programmes/{}", p.slug)).into_response()),
        Err(refused) => {
            refused_page(refused, &ix, |errors, shown, conflict| programme_page(&council, (&ix, &v, &p), &form, errors, shown.or(version), conflict))
        }
    }
}
