//! The API for programmes: each programme with its themes and outcomes, its
//! initiatives, its measures with their targets and status, and every
//! actual as JSON and as CSV.

use crate::shell::api::{council, ErrorBody};
use crate::shell::errors::{api_not_found, ApiError};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Json, Response};
use placeworks_domain::programmes::{measure_status, Measure, Programme, Status};
use placeworks_domain::register::Index;
use serde::Serialize;
use std::sync::Arc;
use utoipa::ToSchema;

/// A theme or an outcome of a programme.
#[derive(Serialize, ToSchema)]
pub struct NamedView {
    pub slug: String,
    pub name: String,
}

/// A programme.
#[derive(Serialize, ToSchema)]
pub struct ProgrammeView {
    pub slug: String,
    pub name: String,
    pub aim: String,
    /// The day it was launched (`2022-12-07`, or a month or year).
    pub launched: Option<String>,
    /// `proposed`, `active` or `closed`.
    pub status: String,
    /// The slug of the body that governs it.
    pub governed_by: Option<String>,
    /// The codes of the areas it targets.
    pub areas: Vec<String>,
    pub themes: Vec<NamedView>,
    pub outcomes: Vec<NamedView>,
    /// The slugs of the decisions that set it going.
    pub decisions: Vec<String>,
    /// How its initiatives' progress rolls up: `plain` or `weighted`.
    pub roll_up: String,
}

/// An initiative of a programme.
#[derive(Serialize, ToSchema)]
pub struct InitiativeView {
    pub slug: String,
    pub name: String,
    pub summary: Option<String>,
    /// The slug of the initiative it is a part of.
    pub part_of: Option<String>,
    /// `planned`, `underway`, `completed`, `paused` or `stopped`.
    pub status: String,
    pub starts: Option<String>,
    pub ends: Option<String>,
    /// The lead: `organisation:SLUG` or `body:SLUG`.
    pub lead: Option<String>,
    pub partners: Vec<String>,
    pub themes: Vec<String>,
    pub outcomes: Vec<String>,
    pub areas: Vec<String>,
    /// Its progress rolled up from its parts by the programme's rule, 0 to 100; null when not known.
    pub progress: Option<f64>,
    /// How the progress was worked out.
    pub progress_working: String,
    pub milestones: Vec<MilestoneView>,
    pub decisions: Vec<String>,
}

/// A milestone of an initiative.
#[derive(Serialize, ToSchema)]
pub struct MilestoneView {
    pub name: String,
    pub due: Option<String>,
    pub achieved: Option<String>,
}

/// A target of a measure: for a period, or with none where the source gives none.
#[derive(Serialize, ToSchema)]
pub struct TargetView {
    pub period: Option<String>,
    pub value: f64,
}

/// A measure of a programme, with its latest actual's status by its own rule.
#[derive(Serialize, ToSchema)]
pub struct MeasureView {
    pub slug: String,
    pub name: String,
    pub initiative: Option<String>,
    pub unit: String,
    /// `higher-is-better`, `higher-is-worse` or `neutral`.
    pub polarity: String,
    /// `monthly`, `quarterly` or `annual`.
    pub frequency: String,
    /// Its status rule, as `percent:5` or `absolute:2`.
    pub rule: String,
    /// The rule in words.
    pub rule_words: String,
    pub themes: Vec<String>,
    pub outcomes: Vec<String>,
    pub targets: Vec<TargetView>,
    /// The period of its latest actual.
    pub latest_period: Option<String>,
    pub latest_value: Option<f64>,
    /// `green`, `amber`, `red`, `grey`, `undated` or `missing`.
    pub status: String,
    /// The status in words.
    pub status_words: String,
}

/// One actual reported for a measure.
#[derive(Serialize, ToSchema)]
pub struct ActualView {
    pub measure: String,
    /// `2024/25 Q1`, `2024/25` or `2024-04`.
    pub period: String,
    pub value: f64,
    pub target: Option<f64>,
    /// `green`, `amber`, `red`, `grey`, `undated` or `missing`.
    pub status: String,
    pub status_words: String,
    pub commentary: Option<String>,
    pub corrective_action: Option<String>,
    pub action_owner: Option<String>,
    /// When it was entered in Placeworks (ISO 8601, UTC); null for one that came with the dataset.
    pub entered_at: Option<String>,
}

fn programme_of(state: &AppState, c: &str, slug: &str) -> Result<(Arc<Index>, Programme), ApiError> {
    let ix = council(state, c)?;
    let p = ix
        .register
        .programmes
        .iter()
        .find(|p| p.slug.as_str() == slug)
        .cloned()
        .ok_or_else(|| api_not_found(format!("there is no programme `{slug}`; GET /api/v1/councils/{c}/programmes lists them")))?;
    Ok((ix, p))
}

fn strings<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

fn programme_view(p: &Programme) -> ProgrammeView {
    ProgrammeView {
        slug: p.slug.to_string(),
        name: p.name.clone(),
        aim: p.aim.clone(),
        launched: p.launched.as_ref().map(ToString::to_string),
        status: p.status.code().to_owned(),
        governed_by: p.governed_by.as_ref().map(ToString::to_string),
        areas: p.areas.clone(),
        themes: p.themes.iter().map(|t| NamedView { slug: t.slug.to_string(), name: t.name.clone() }).collect(),
        outcomes: p.outcomes.iter().map(|o| NamedView { slug: o.slug.to_string(), name: o.name.clone() }).collect(),
        decisions: strings(&p.decisions),
        roll_up: p.roll_up.code().to_owned(),
    }
}

/// A council's programmes.
#[utoipa::path(get, path = "/api/v1/councils/{council}/programmes", tag = "programmes", params(("council" = String, Path, description = "The council's slug")),
    responses((status = 200, body = [ProgrammeView]), (status = 404, body = ErrorBody)))]
pub async fn list_programmes(State(state): State<AppState>, Path(c): Path<String>) -> Result<Json<Vec<ProgrammeView>>, ApiError> {
    let ix = council(&state, &c)?;
    Ok(Json(ix.register.programmes.iter().map(programme_view).collect()))
}

/// One programme.
#[utoipa::path(get, path = "/api/v1/councils/{council}/programmes/{programme}", tag = "programmes",
    params(("council" = String, Path, description = "The council's slug"), ("programme" = String, Path, description = "The programme's slug")),
    responses((status = 200, body = ProgrammeView), (status = 404, body = ErrorBody)))]
pub async fn get_programme(State(state): State<AppState>, Path((c, slug)): Path<(String, String)>) -> Result<Json<ProgrammeView>, ApiError> {
    let (_, p) = programme_of(&state, &c, &slug)?;
    Ok(Json(programme_view(&p)))
}

/// A programme's initiatives, parts included, each with its progress rolled up.
#[utoipa::path(get, path = "/api/v1/councils/{council}/programmes/{programme}/initiatives", tag = "programmes",
    params(("council" = String, Path, description = "The council's slug"), ("programme" = String, Path, description = "The programme's slug")),
    responses((status = 200, body = [InitiativeView]), (status = 404, body = ErrorBody)))]
pub async fn list_initiatives(State(state): State<AppState>, Path((c, slug)): Path<(String, String)>) -> Result<Json<Vec<InitiativeView>>, ApiError> {
    use placeworks_domain::programmes::{initiative_tree, roll_up};
    use placeworks_domain::register::model::Party;
    let (ix, p) = programme_of(&state, &c, &slug)?;
    let all = &ix.register.initiatives;
    Ok(Json(
        all.iter()
            .filter(|i| i.programme == p.slug)
            .map(|i| {
                let rolled = roll_up(&initiative_tree(all, i), p.roll_up);
                InitiativeView {
                    slug: i.slug.to_string(),
                    name: i.name.clone(),
                    summary: i.summary.clone(),
                    part_of: i.part_of.as_ref().map(ToString::to_string),
                    status: i.status.code().to_owned(),
                    starts: i.starts.as_ref().map(ToString::to_string),
                    ends: i.ends.as_ref().map(ToString::to_string),
                    lead: i.lead.as_ref().map(|l| match l {
                        Party::Organisation(o) => format!("organisation:{o}"),
                        Party::Body(b) => format!("body:{b}"),
                    }),
                    partners: strings(&i.partners),
                    themes: strings(&i.themes),
                    outcomes: strings(&i.outcomes),
                    areas: i.areas.clone(),
                    progress: rolled.progress,
                    progress_working: rolled.working,
                    milestones: i
                        .milestones
                        .iter()
                        .map(|m| MilestoneView {
                            name: m.name.clone(),
                            due: m.due.as_ref().map(ToString::to_string),
                            achieved: m.achieved.as_ref().map(ToString::to_string),
                        })
                        .collect(),
                    decisions: strings(&i.decisions),
                }
            })
            .collect(),
    ))
}

fn measure_view(m: &Measure) -> MeasureView {
    let latest = m.latest();
    let status = latest.map_or(Status::Missing, |a| measure_status(m, a.period).status);
    MeasureView {
        slug: m.slug.to_string(),
        name: m.name.clone(),
        initiative: m.initiative.as_ref().map(ToString::to_string),
        unit: m.unit.clone(),
        polarity: m.polarity.code().to_owned(),
        frequency: m.frequency.code().to_owned(),
        rule: m.rule.code(),
        rule_words: m.rule.describe(),
        themes: strings(&m.themes),
        outcomes: strings(&m.outcomes),
        targets: m.targets.iter().map(|t| TargetView { period: t.period.map(|p| p.to_string()), value: t.value }).collect(),
        latest_period: latest.map(|a| a.period.to_string()),
        latest_value: latest.map(|a| a.value),
        status: status.code().to_owned(),
        status_words: status.label().to_owned(),
    }
}

/// A programme's measures, each with its targets and its latest status.
#[utoipa::path(get, path = "/api/v1/councils/{council}/programmes/{programme}/measures", tag = "programmes",
    params(("council" = String, Path, description = "The council's slug"), ("programme" = String, Path, description = "The programme's slug")),
    responses((status = 200, body = [MeasureView]), (status = 404, body = ErrorBody)))]
pub async fn list_measures(State(state): State<AppState>, Path((c, slug)): Path<(String, String)>) -> Result<Json<Vec<MeasureView>>, ApiError> {
    let (ix, p) = programme_of(&state, &c, &slug)?;
    Ok(Json(ix.register.measures.iter().filter(|m| m.programme == p.slug).map(measure_view).collect()))
}

fn actuals(ix: &Index, p: &Programme) -> Vec<ActualView> {
    ix.register
        .measures
        .iter()
        .filter(|m| m.programme == p.slug)
        .flat_map(|m| {
            m.actuals.iter().map(move |a| {
                let status = measure_status(m, a.period).status;
                ActualView {
                    measure: m.slug.to_string(),
                    period: a.period.to_string(),
                    value: a.value,
                    target: m.target_for(a.period).map(|t| t.value),
                    status: status.code().to_owned(),
                    status_words: status.label().to_owned(),
                    commentary: a.commentary.clone(),
                    corrective_action: a.corrective_action.clone(),
                    action_owner: a.action_owner.clone(),
                    entered_at: a.entered_at.map(crate::shell::write::format_iso),
                }
            })
        })
        .collect()
}

/// Every actual reported for a programme's measures, with its status by the measure's rule.
#[utoipa::path(get, path = "/api/v1/councils/{council}/programmes/{programme}/actuals", tag = "programmes",
    params(("council" = String, Path, description = "The council's slug"), ("programme" = String, Path, description = "The programme's slug")),
    responses((status = 200, body = [ActualView]), (status = 404, body = ErrorBody)))]
pub async fn list_actuals(State(state): State<AppState>, Path((c, slug)): Path<(String, String)>) -> Result<Json<Vec<ActualView>>, ApiError> {
    let (ix, p) = programme_of(&state, &c, &slug)?;
    Ok(Json(actuals(&ix, &p)))
}

/// The same actuals as CSV with a header line.
#[utoipa::path(get, path = "/api/v1/councils/{council}/programmes/{programme}/actuals.csv", tag = "programmes",
    params(("council" = String, Path, description = "The council's slug"), ("programme" = String, Path, description = "The programme's slug")),
    responses((status = 200, description = "CSV: measure, period, value, target, status, status_words, commentary, corrective_action, action_owner, entered_at", content_type = "text/csv", body = String), (status = 404, body = ErrorBody)))]
pub async fn actuals_csv(State(state): State<AppState>, Path((c, slug)): Path<(String, String)>) -> Result<Response, ApiError> {
    let (ix, p) = programme_of(&state, &c, &slug)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| ApiError { status: axum::http::StatusCode::INTERNAL_SERVER_ERROR, message: format!("writing CSV: {e}") };
    w.write_record(["measure", "period", "value", "target", "status", "status_words", "commentary", "corrective_action", "action_owner", "entered_at"])
        .map_err(failed)?;
    let n = |x: f64| placeworks_domain::programmes::forms::number_text(x);
    for a in actuals(&ix, &p) {
        w.write_record([
            a.measure,
            a.period,
            n(a.value),
            a.target.map(n).unwrap_or_default(),
            a.status,
            a.status_words,
            a.commentary.unwrap_or_default(),
            a.corrective_action.unwrap_or_default(),
            a.action_owner.unwrap_or_default(),
            a.entered_at.unwrap_or_default(),
        ])
        .map_err(failed)?;
    }
    let bytes = w.into_inner().map_err(|e| ApiError { status: axum::http::StatusCode::INTERNAL_SERVER_ERROR, message: format!("writing CSV: {e}") })?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response())
}
