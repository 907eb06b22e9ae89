//! The secretariat's pages for a body's meetings and a meeting's business:
//! the meeting itself, the agenda and its papers, attendance, held and
//! minutes. Every write goes the one way `shell::write` sets out.

use crate::meetings::pages::meeting_view;
use crate::shell::auth::Viewer;
use crate::shell::errors::{not_found, AppError};
use crate::shell::write::*;
use crate::AppState;
use axum::extract::Form;
use axum::extract::Multipart;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use placeworks_domain::meetings::schedule::{find_meeting, Planned};
use placeworks_domain::permissions::{Action, Resource};
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use placeworks_domain::Slug;
use placeworks_domain::{decisions::*, forms::FieldError, meetings::*};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

pub(crate) fn meetings_extra(ix: &Index, body: &str, council: &str, today: chrono::NaiveDate) -> serde_json::Value {
    let (from, until) = crate::meetings::calendar::next_year(today);
    let planned = placeworks_domain::meetings::schedule::planned(ix, body, from, until).unwrap_or_default();
    let options: Vec<_> = planned
        .iter()
        .map(|m| {
            let slot = m.rescheduled_from.unwrap_or(m.start);
            let mut label = m.start.format("%A %-d %B %Y, %H:%M").to_string();
            if let Some(g) = &m.group {
                label.push_str(&format!(" ({g})"));
            }
            if m.cancelled {
                label.push_str(": cancelled");
            } else if m.rescheduled_from.is_some() {
                label.push_str(&format!(": moved from {}", slot.format("%-d %B")));
            }
            json!({ "value": slot.format("%Y-%m-%dT%H:%M").to_string(), "label": label })
        })
        .collect();
    let actions =
        [("move", "Move a planned meeting"), ("cancel", "Cancel a planned meeting"), ("add", "Add a meeting")].map(|(v, l)| json!({ "value": v, "label": l }));
    json!({ "planned": options, "actions": actions, "action_url": format!("/{council}/bodies/{body}/meetings") })
}

/// The secretariat's form to move, cancel or add meetings.
pub async fn meetings_form(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Meeting));
    form_page(
        "meetings-edit.html",
        &ix,
        &body,
        &v,
        "Meetings",
        MeetingForm { action: "move".into(), ..MeetingForm::default() },
        &[],
        meetings_extra(&ix, &body, &council, state.clock.today()),
    )
}

/// Moves, cancels or adds a meeting.
pub async fn save_meeting(State(state): State<AppState>, Path((council, body)): Path<(String, String)>, Form(post): Form<Posted<MeetingForm>>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Meeting));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_meeting(ix, &body, &form, state.clock.today())).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/bodies/{body}#meetings")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            form_page("meetings-edit.html", &ix, &body, &v, "Meetings", &form, errors, meetings_extra(&ix, &body, &council, state.clock.today()))
        }),
    }
}

/// The register, the viewer and the meeting, when the viewer may change the
/// meeting's body's records of the kind `resource` makes.
pub(crate) fn meeting_editor(
    state: &AppState,
    council: &str,
    slug: &str,
    resource: fn(Slug) -> Resource,
) -> Result<(Arc<Index>, Viewer, Meeting, Option<Planned>), Response> {
    let v = crate::shell::write::signed_in()?;
    let (ix, _) = crate::shell::write::registers(state, council, &v).map_err(IntoResponse::into_response)?;
    let (m, plan) = find_meeting(&ix, slug).ok_or_else(|| not_found(format!("There is no meeting called “{slug}”.")).into_response())?;
    let v = allowed(council, Action::Edit, &resource(m.body.clone()))?;
    Ok((ix, v, m, plan))
}

/// As [`meeting_editor`], for the agenda: its body's secretariat, or the
/// secretariat of a body that manages its agenda.
pub(crate) fn agenda_editor(state: &AppState, council: &str, slug: &str) -> Result<(Arc<Index>, Viewer, Meeting, Option<Planned>), Response> {
    let v = crate::shell::write::signed_in()?;
    let (ix, _) = crate::shell::write::registers(state, council, &v).map_err(IntoResponse::into_response)?;
    let (m, plan) = find_meeting(&ix, slug).ok_or_else(|| not_found(format!("There is no meeting called “{slug}”.")).into_response())?;
    let actor = placeworks_domain::change::with_derived_grants(&ix.register, &v.actor_in(council));
    if !placeworks_domain::permissions::can(&actor, Action::Edit, &Resource::Agenda(m.body.clone())) {
        return Err(forbidden());
    }
    Ok((ix, v, m, plan))
}

/// Where a writer of the agenda returns: the meeting's hub for its
/// secretariat, the agenda for the secretariat drafting it from above.
fn after_agenda(council: &str, v: &Viewer, m: &Meeting) -> Response {
    if placeworks_domain::permissions::can(&v.actor_in(council), Action::Edit, &Resource::Meeting(m.body.clone())) {
        to_manage(council, m.slug.as_str())
    } else {
        Redirect::to(&format!("/{council}/meetings/{}/agenda", m.slug)).into_response()
    }
}

/// A meeting's editing page: the form, its errors, the meeting as it stands.
// A form page is made of each of these; a struct of them would only rename them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn meeting_page(
    template: &str,
    ix: &Index,
    v: &Viewer,
    m: &Meeting,
    plan: Option<&Planned>,
    title: &str,
    form: impl serde::Serialize,
    errors: &[FieldError],
    extra: serde_json::Value,
) -> Handled {
    let c = ix.register.council.slug.as_str();
    let view = meeting_view(ix, m, plan);
    let b = ix.body(m.body.as_str()).map_or_else(|| m.body.to_string(), |b| b.name.clone());
    let mut ctx = json!({
        "meeting": view,
        "heading": title,
        "breadcrumbs": [
            { "label": "Home", "href": format!("/{c}") }, { "label": b, "href": format!("/{c}/bodies/{}", m.body) },
            { "label": view["date"], "href": format!("/{c}/meetings/{}", m.slug) },
            { "label": "Manage", "href": format!("/{c}/meetings/{}/manage", m.slug) },
        ],
    });
    if let (Some(ctx), Some(extra)) = (ctx.as_object_mut(), extra.as_object()) {
        ctx.extend(extra.clone());
    }
    form_page(template, ix, m.body.as_str(), v, &format!("{title}, {}", view["date"].as_str().unwrap_or_default()), form, errors, ctx)
}

pub(crate) fn to_manage(council: &str, m: &str) -> Response {
    Redirect::to(&format!("/{council}/meetings/{m}/manage")).into_response()
}

// ---- the hub -----------------------------------------------------------------------

/// Everything the secretariat records about one meeting.
pub async fn manage(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Meeting));
    let business = business_of(&state, &council, &ix, &m).await?;
    let ratify: Vec<_> = ix
        .register
        .decisions
        .iter()
        .filter(|d| d.meeting.as_ref() == Some(&m.slug) && !d.ratifications.is_empty())
        .map(|d| json!({ "slug": d.slug, "title": d.title, "state": ratification_state(&ix, d).label() }))
        .collect();
    meeting_page("meeting-manage.html", &ix, &v, &m, plan.as_ref(), "Manage the meeting", json!({}), &[], json!({ "ratify": ratify, "business": business }))
}

/// Who drafted a meeting's agenda and what its chair agreed: from the audit
/// trail and the meeting's approvals.
pub(crate) async fn business_of(state: &AppState, council: &str, ix: &Index, m: &Meeting) -> Result<serde_json::Value, AppError> {
    let entries = state.store.body_history(council, m.body.as_str()).await.map_err(|e| AppError::from_store("reading history", e))?;
    let prefix = format!("{}/", m.slug);
    let mut drafted: Vec<serde_json::Value> = entries
        .iter()
        .rev()
        .filter(|e| e.action == "add-agenda-item" && (e.record_id == m.slug.as_str() || e.record_id.starts_with(&prefix)))
        .map(|e| {
            // The first item of a planned meeting is recorded with the meeting.
            let item = e.record_id.strip_prefix(&prefix).map(str::to_owned).or_else(|| {
                let after: serde_json::Value = serde_json::from_str(e.after.as_deref()?).ok()?;
                let numbers: Vec<&str> = after["items"].as_array()?.iter().filter_map(|i| i["number"].as_str()).collect();
                Some(numbers.join(", "))
            });
            json!({ "by": e.actor_name, "at": format_time(e.at), "item": item })
        })
        .collect();
    drafted.dedup_by(|a, b| a["by"] == b["by"] && a["item"] == b["item"]);
    let approvals: Vec<_> = m.approvals.iter().map(|a| json!({ "what": a.what.label(), "by": a.by, "on": a.on.format("%-d %B %Y").to_string() })).collect();
    // Only what there is to agree: the dates, an agenda with items, minutes once written.
    let due = |k: &ApprovalKind| match k {
        ApprovalKind::Dates => true,
        ApprovalKind::Agenda => !m.items.is_empty() && m.agenda_published.is_none(),
        ApprovalKind::Minutes => !m.minutes.is_empty(),
        ApprovalKind::Invitations => false,
    };
    let awaiting: Vec<_> =
        ApprovalKind::ALL.iter().filter(|k| due(k) && placeworks_domain::meetings::awaiting_approval(ix, m, **k)).map(|k| k.label().to_lowercase()).collect();
    Ok(json!({ "drafted": drafted, "approvals": approvals, "awaiting": awaiting }))
}

// ---- the agenda --------------------------------------------------------------------

pub(crate) fn agenda_extra() -> serde_json::Value {
    json!({ "max_mb": MAX_PAPER_BYTES / 1024 / 1024, "types": PAPER_TYPES.iter().map(|t| t.0.to_uppercase()).collect::<Vec<_>>().join(", "), "accept": PAPER_TYPES.iter().map(|t| format!(".{}", t.0)).collect::<Vec<_>>().join(",") })
}

/// The form to add an agenda item, or a paper to one.
pub async fn agenda_form(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let (ix, v, m, plan) = or_respond!(agenda_editor(&state, &council, &slug));
    let form = AgendaItemForm { number: next_item_number(&m), ..AgendaItemForm::default() };
    meeting_page("agenda-item.html", &ix, &v, &m, plan.as_ref(), "Add to the agenda", form, &[], agenda_extra_for(&ix, &m))
}

/// The agenda form's values: the paper types, and what is offered for the agenda.
pub(crate) fn agenda_extra_for(ix: &Index, m: &Meeting) -> serde_json::Value {
    let mut extra = agenda_extra();
    extra["offered"] = json!(offered_items(ix, m));
    extra["next_number"] = json!(next_item_number(m));
    extra
}

/// Reads the agenda form: its fields, the CSRF token and the file, if one was chosen.
pub(crate) async fn read_agenda_form(mut multipart: Multipart) -> Result<(String, AgendaItemForm, Option<(String, Vec<u8>)>), String> {
    let mut form = AgendaItemForm::default();
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "paper" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|e| e.body_text())?;
            if !file_name.is_empty() {
                file = Some((file_name, bytes.to_vec()));
            }
            continue;
        }
        let text = field.text().await.map_err(|e| e.body_text())?;
        match name.as_str() {
            "csrf" => csrf = text,
            "number" => form.number = text,
            "title" => form.title = text,
            "presenter" => form.presenter = text,
            "decision_required" => form.decision_required = Some(text),
            "exempt" => form.exempt = text,
            "paper_title" => form.paper_title = text,
            "from_body" => form.from_body = text,
            _ => {}
        }
    }
    Ok((csrf, form, file))
}

/// Adds the item (and its paper): the file is kept first, then the record;
/// if the record cannot be saved, a file this upload made is taken away.
pub async fn add_agenda_item(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, multipart: Multipart) -> Handled {
    let (ix, v, m, plan) = or_respond!(agenda_editor(&state, &council, &slug));
    let (csrf, form, file) = match read_agenda_form(multipart).await {
        Ok(x) => x,
        Err(e) => {
            let html = crate::shell::templates::render_error(
                413,
                "The upload could not be read",
                &format!("{e}. Papers must be smaller than {} MB.", MAX_PAPER_BYTES / 1024 / 1024),
            )
            .unwrap_or_default();
            return Ok((StatusCode::PAYLOAD_TOO_LARGE, Html(html)).into_response());
        }
    };
    let form = or_respond!(Posted { csrf, version: None, form }.checked(&v));
    let upload = file.as_ref().map(|(name, bytes)| Upload {
        file_name: name.clone(),
        head: bytes.iter().take(16).copied().collect(),
        size: bytes.len(),
        sha256: placeworks_store::papers::digest(bytes),
    });
    // A file that cannot be a paper is refused before it is kept.
    if let Some(e) = upload.as_ref().and_then(|u| paper_type(u).err()) {
        let errors = [FieldError { field: "paper", message: e }];
        return meeting_page("agenda-item.html", &ix, &v, &m, plan.as_ref(), "Add to the agenda", &form, &errors, agenda_extra_for(&ix, &m));
    }
    let kept = match file {
        Some((_, bytes)) => Some(state.papers.keep(bytes).await.map_err(|e| AppError::Internal(format!("keeping a paper: {e}")))?),
        None => None,
    };
    let now = now_rfc3339(&state);
    match write(&state, &council, &v, None, |ix| plan_agenda_item(ix, &slug, &form, upload.as_ref(), &now)).await {
        Ok(_) => Ok(after_agenda(&council, &v, &m)),
        Err(refused) => {
            // The record was not saved. The paper is not taken away at once
            // (another upload of the same file may be saving it this moment):
            // the sweeper takes it once no record has named it for an hour.
            if let Some(k) = kept.as_ref().filter(|k| k.created) {
                tracing::info!(sha256 = %k.sha256, "a paper whose record was not saved is left for the sweeper");
            }
            refused_page(refused, &ix, |errors, _, _| {
                meeting_page("agenda-item.html", &ix, &v, &m, plan.as_ref(), "Add to the agenda", &form, errors, agenda_extra_for(&ix, &m))
            })
        }
    }
}

pub(crate) fn now_rfc3339(state: &AppState) -> String {
    state.clock.now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[derive(Deserialize, Default)]
pub struct Nothing {}

/// Publishes the agenda today.
pub async fn publish_agenda(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, Form(post): Form<Posted<Nothing>>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Meeting));
    or_respond!(post.checked(&v));
    let business = business_of(&state, &council, &ix, &m).await?;
    match write(&state, &council, &v, None, |ix| plan_publish_agenda(ix, &slug, state.clock.today())).await {
        Ok(_) => Ok(to_manage(&council, &slug)),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            meeting_page(
                "meeting-manage.html",
                &ix,
                &v,
                &m,
                plan.as_ref(),
                "Manage the meeting",
                json!({}),
                errors,
                json!({ "ratify": [], "business": business }),
            )
        }),
    }
}

// ---- the chair's agreement ----------------------------------------------------------

/// What the chair may agree of a meeting, not yet agreed.
fn to_agree(ix: &Index, m: &Meeting) -> Vec<serde_json::Value> {
    let agrees = ix
        .body(m.body.as_str())
        .and_then(|b| b.chair.as_ref())
        .map(|c| c.agrees.clone())
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| ApprovalKind::ALL.to_vec());
    agrees.iter().filter(|k| !m.approvals.iter().any(|a| a.what == **k)).map(|k| json!({ "value": k.code(), "label": k.label() })).collect()
}

/// The chair's page for a meeting: its agenda, who drafted it, what has
/// been agreed, and the form to agree the rest.
// A form page is made of each of these; a struct of them would only rename them.
#[allow(clippy::too_many_arguments)]
async fn agree_page(
    state: &AppState,
    council: &str,
    ix: &Index,
    v: &Viewer,
    m: &Meeting,
    plan: Option<&Planned>,
    form: &ApprovalForm,
    errors: &[FieldError],
) -> Handled {
    let business = business_of(state, council, ix, m).await?;
    let extra = json!({ "business": business, "options": to_agree(ix, m) });
    meeting_page("meeting-agree.html", ix, v, m, plan, "Agree the meeting's business", form, errors, extra)
}

/// The chair's page to agree a meeting's business.
pub async fn agree_form(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Approval));
    let form = ApprovalForm { what: to_agree(&ix, &m).first().and_then(|o| o["value"].as_str()).unwrap_or_default().to_owned() };
    agree_page(&state, &council, &ix, &v, &m, plan.as_ref(), &form, &[]).await
}

/// Records the chair's agreement.
pub async fn agree(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, Form(post): Form<Posted<ApprovalForm>>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Approval));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_approval(ix, &v.actor_in(&council), &slug, &form, &v.name, state.clock.today())).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/meetings/{slug}/agree")).into_response()),
        Err(Refused::Problems(errors)) => {
            let mut res = agree_page(&state, &council, &ix, &v, &m, plan.as_ref(), &form, &errors).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        // Not allowed, or the database failed: its answer. (No version was opened, so no conflict.)
        Err(refused) => refused_page(refused, &ix, |_, _, _| Ok(StatusCode::CONFLICT.into_response())),
    }
}

// ---- attendance --------------------------------------------------------------------

pub(crate) fn attendance_extra(ix: &Index, m: &Meeting) -> serde_json::Value {
    let body = m.body.as_str();
    let seats: Vec<_> = ix
        .seats_of(body)
        .map(|s| json!({ "value": s.slug, "label": if s.role.decides() { s.label.clone() } else { format!("{} ({})", s.label, s.role.label()) } }))
        .collect();
    let members: Vec<_> = ix
        .register
        .memberships
        .iter()
        .filter(|x| x.body == m.body && x.end.is_none())
        .filter_map(|x| {
            let who = ix.person(x.person.as_ref()?.as_str())?;
            let seat = ix.seats_of(body).find(|s| s.slug == x.seat).map_or(String::new(), |s| format!(" ({})", s.label));
            Some(json!({ "value": x.slug, "label": format!("{}{seat}", who.name) }))
        })
        .collect();
    let kinds: Vec<_> = AttendanceKind::ALL.iter().map(|k| json!({ "value": k.code(), "label": k.label() })).collect();
    json!({ "seats": seats, "members": members, "kinds": kinds })
}

/// The attendance form, with the attendance so far.
pub async fn attendance_form(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Meeting));
    let form = AttendanceForm { kind: "present".into(), ..AttendanceForm::default() };
    meeting_page("attendance-form.html", &ix, &v, &m, plan.as_ref(), "Record attendance", form, &[], attendance_extra(&ix, &m))
}

/// Records one person's attendance.
pub async fn record_attendance(
    State(state): State<AppState>,
    Path((council, slug)): Path<(String, String)>,
    Form(post): Form<Posted<AttendanceForm>>,
) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Meeting));
    let form = or_respond!(post.checked(&v));
    let today = state.clock.today();
    match write(&state, &council, &v, None, |ix| plan_attendance(ix, &v.actor_in(&council), &slug, &form, today)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/meetings/{slug}/attendance")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            meeting_page("attendance-form.html", &ix, &v, &m, plan.as_ref(), "Record attendance", &form, errors, attendance_extra(&ix, &m))
        }),
    }
}

// ---- held and minutes ----------------------------------------------------------------

pub(crate) fn minutes_extra(ix: &Index, m: &Meeting) -> serde_json::Value {
    let seats: Vec<_> = ix.seats_of(m.body.as_str()).map(|s| json!({ "value": s.slug, "label": s.label })).collect();
    let later: Vec<_> = ix
        .register
        .meetings
        .iter()
        .filter(|x| {
            x.body == m.body
                && x.date.as_str() > m.date.as_str()
                && matches!(x.status, MeetingStatus::Held | MeetingStatus::DraftMinutes | MeetingStatus::MinutesApproved)
        })
        .map(|x| json!({ "value": x.slug, "label": x.date.display() }))
        .collect();
    let actions = [("held", "Record the meeting as held"), ("minutes", "Save the draft minutes"), ("approve", "Record the minutes as approved")]
        .map(|(v, l)| json!({ "value": v, "label": l }));
    json!({ "seats": seats, "later": later, "actions": actions })
}

/// The form to record the meeting as held, its minutes, and their approval.
pub async fn minutes_form(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Meeting));
    let action = match m.status {
        MeetingStatus::Held => "minutes",
        MeetingStatus::DraftMinutes => "approve",
        _ => "held",
    };
    let form = MinutesForm {
        action: action.into(),
        chaired_by: m.chaired_by.as_ref().map(ToString::to_string).or_else(|| plan.as_ref().and_then(|p| p.chair_seat.clone())).unwrap_or_default(),
        minutes: m.minutes.join("\n"),
        approved_at: String::new(),
    };
    meeting_page("minutes-form.html", &ix, &v, &m, plan.as_ref(), "Held and minutes", form, &[], minutes_extra(&ix, &m))
}

/// Records the meeting as held, saves its minutes, or records their approval.
pub async fn save_minutes(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, Form(post): Form<Posted<MinutesForm>>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Meeting));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_minutes(ix, &slug, &form, state.clock.today())).await {
        Ok(_) => Ok(to_manage(&council, &slug)),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            meeting_page("minutes-form.html", &ix, &v, &m, plan.as_ref(), "Held and minutes", &form, errors, minutes_extra(&ix, &m))
        }),
    }
}

// ---- decisions ---------------------------------------------------------------------
