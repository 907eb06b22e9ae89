//! Meetings and decisions as JSON: what the public pages show, for other
//! systems. Built from the register the caller may see, so confidential
//! items and decisions are absent for the public.

use crate::shell::api::{council, ErrorBody};
use crate::shell::errors::{api_not_found, ApiError};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Json;
use placeworks_domain::decisions::ratification_state;
use placeworks_domain::meetings::schedule::find_meeting;
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use serde::Serialize;
use utoipa::ToSchema;

/// A paper on an agenda.
#[derive(Serialize, ToSchema)]
pub struct PaperView {
    pub title: String,
    /// Where to download it.
    pub url: String,
    pub media_type: String,
    pub size: u64,
}

/// An item of business.
#[derive(Serialize, ToSchema)]
pub struct ItemView {
    pub number: String,
    pub title: String,
    pub presenter: Option<String>,
    pub decision_required: bool,
    /// The Schedule 12A paragraph of a confidential item. The API is public, so it
    /// lists no confidential item and this is always empty here.
    pub exempt: Option<u8>,
    pub papers: Vec<PaperView>,
}

/// One line of attendance.
#[derive(Serialize, ToSchema)]
pub struct AttendanceView {
    /// The person's slug.
    pub person: String,
    pub name: String,
    /// `present`, `apologies`, `substitute`, `adviser`, `observer` or `in-attendance`.
    pub kind: String,
    pub seat: Option<String>,
    /// For a substitute: the slug of the member they stood in for.
    pub substitute_for: Option<String>,
}

/// A meeting: planned from the cadence or recorded.
#[derive(Serialize, ToSchema)]
pub struct MeetingView {
    pub slug: String,
    pub body: String,
    /// A day (`2027-01-14`) or a month where the record gives no day.
    pub date: String,
    /// London time.
    pub time: Option<String>,
    /// `scheduled`, `agenda-published`, `held`, `draft-minutes`, `minutes-approved` or `cancelled`.
    pub status: String,
    pub agenda_published: Option<String>,
    /// Only once the agenda is published.
    pub items: Vec<ItemView>,
    pub attendance: Vec<AttendanceView>,
    pub minutes: Vec<String>,
    /// Slugs of the decisions taken at it.
    pub decisions: Vec<String>,
}

/// A resolution, with its outcome verb.
#[derive(Serialize, ToSchema)]
pub struct ResolutionView {
    pub number: Option<String>,
    pub text: String,
    pub verb: String,
}

/// A decision, taken or on the forward plan.
#[derive(Serialize, ToSchema)]
pub struct DecisionView {
    pub slug: String,
    pub body: String,
    pub date: String,
    pub title: String,
    /// On the forward plan, not yet taken.
    pub forthcoming: bool,
    /// The day notice of it was first given.
    pub notified: Option<String>,
    pub key_decision: Option<bool>,
    pub meeting: Option<String>,
    pub resolutions: Vec<ResolutionView>,
    /// `not-needed`, `awaiting`, `ratified` or `failed`.
    pub ratification: String,
}

fn meeting_view(ix: &Index, m: &Meeting) -> MeetingView {
    let c = ix.register.council.slug.as_str();
    let published = m.agenda_published.is_some();
    MeetingView {
        slug: m.slug.to_string(),
        body: m.body.to_string(),
        date: m.date.to_string(),
        time: m.time.map(|t| t.format("%H:%M").to_string()),
        status: m.status.code().to_owned(),
        agenda_published: m.agenda_published.map(|d| d.to_string()),
        items: m
            .items
            .iter()
            .filter(|_| published)
            .map(|i| ItemView {
                number: i.number.clone(),
                title: i.title.clone(),
                presenter: i.presenter.clone(),
                decision_required: i.decision_required,
                exempt: i.exempt.map(|e| e.number()),
                papers: i
                    .papers
                    .iter()
                    .map(|p| PaperView {
                        title: p.title.clone(),
                        url: format!("/{c}/meetings/{}/papers/{}", m.slug, p.slug),
                        media_type: p.media_type.clone(),
                        size: p.size,
                    })
                    .collect(),
            })
            .collect(),
        attendance: m
            .attendance
            .iter()
            .map(|a| AttendanceView {
                person: a.person.to_string(),
                name: ix.person(a.person.as_str()).map_or_else(|| a.person.to_string(), |p| p.name.clone()),
                kind: a.kind.code().to_owned(),
                seat: a.seat.as_ref().map(ToString::to_string),
                substitute_for: a.substitute_for.as_ref().map(ToString::to_string),
            })
            .collect(),
        // Draft minutes are published once the chair (where the chair agrees them) has agreed them.
        minutes: if placeworks_domain::meetings::commands::minutes_circulated(ix, m) { m.minutes.clone() } else { Vec::new() },
        decisions: ix.register.decisions.iter().filter(|d| d.meeting.as_ref() == Some(&m.slug)).map(|d| d.slug.to_string()).collect(),
    }
}

/// Every recorded meeting of a council's bodies, newest first.
#[utoipa::path(get, path = "/api/v1/councils/{council}/meetings", tag = "meetings", params(("council" = String, Path, description = "The council's slug")),
    responses((status = 200, body = [MeetingView]), (status = 404, body = ErrorBody)))]
pub async fn list_meetings(State(state): State<AppState>, Path(c): Path<String>) -> Result<Json<Vec<MeetingView>>, ApiError> {
    let ix = council(&state, &c)?;
    let mut list: Vec<&Meeting> = ix.register.meetings.iter().collect();
    list.sort_by(|a, b| b.date.cmp(&a.date));
    Ok(Json(list.into_iter().map(|m| meeting_view(&ix, m)).collect()))
}

/// One meeting, recorded or planned from its body's cadence.
#[utoipa::path(get, path = "/api/v1/councils/{council}/meetings/{slug}", tag = "meetings",
    params(("council" = String, Path, description = "The council's slug"), ("slug" = String, Path, description = "The meeting's slug, such as `bsp-board-2010-01-14-1000`")),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
pub async fn get_meeting(State(state): State<AppState>, Path((c, slug)): Path<(String, String)>) -> Result<Json<MeetingView>, ApiError> {
    let ix = council(&state, &c)?;
    let (m, _) = find_meeting(&ix, &slug).ok_or_else(|| api_not_found(format!("there is no meeting `{slug}` in `{c}`")))?;
    Ok(Json(meeting_view(&ix, &m)))
}

/// Every decision, taken or forthcoming, newest first.
#[utoipa::path(get, path = "/api/v1/councils/{council}/decisions", tag = "meetings", params(("council" = String, Path, description = "The council's slug")),
    responses((status = 200, body = [DecisionView]), (status = 404, body = ErrorBody)))]
pub async fn list_decisions(State(state): State<AppState>, Path(c): Path<String>) -> Result<Json<Vec<DecisionView>>, ApiError> {
    let ix = council(&state, &c)?;
    let mut list: Vec<&Decision> = ix.register.decisions.iter().collect();
    list.sort_by(|a, b| b.date.cmp(&a.date));
    Ok(Json(
        list.into_iter()
            .map(|d| DecisionView {
                slug: d.slug.to_string(),
                body: d.body.to_string(),
                date: d.date.to_string(),
                title: d.title.clone(),
                forthcoming: d.forthcoming,
                notified: d.notified.map(|n| n.to_string()),
                key_decision: d.key_decision,
                meeting: d.meeting.as_ref().map(ToString::to_string),
                resolutions: d.resolutions.iter().map(|r| ResolutionView { number: r.number.clone(), text: r.text.clone(), verb: r.verb.clone() }).collect(),
                ratification: serde_json::to_value(ratification_state(&ix, d)).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            })
            .collect(),
    ))
}
