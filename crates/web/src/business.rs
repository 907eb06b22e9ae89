//! The secretariat's pages for a meeting's business: the agenda and its
//! papers, attendance, held and minutes, decisions, the forward plan and
//! ratifications. Every write goes the one way `edit` sets out: permission,
//! the domain's use case, one transaction with its audit entry, reload.

use super::*;
use crate::pages::meeting_view;
use axum::extract::Multipart;
use placeworks_domain::meetings::schedule::{find_meeting, Planned};
use placeworks_domain::records::{AttendanceKind, Meeting, MeetingStatus, RatificationStatus};

/// The register, the viewer and the meeting, when the viewer may change the
/// meeting's body's records of the kind `resource` makes.
fn meeting_editor(
    state: &AppState,
    council: &str,
    slug: &str,
    resource: fn(Slug) -> Resource,
) -> Result<(Arc<Index>, Viewer, Meeting, Option<Planned>), Response> {
    let ix = state.site().full(council).cloned().ok_or_else(|| not_found(format!("There is no council called “{council}” on this site.")).into_response())?;
    let (m, plan) = find_meeting(&ix, slug).ok_or_else(|| not_found(format!("There is no meeting called “{slug}”.")).into_response())?;
    let v = allowed(council, Action::Edit, &resource(m.body.clone()))?;
    Ok((ix, v, m, plan))
}

/// A meeting's editing page: the form, its errors, the meeting as it stands.
// A form page is made of each of these; a struct of them would only rename them.
#[allow(clippy::too_many_arguments)]
fn meeting_page(
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

fn to_manage(council: &str, m: &str) -> Response {
    Redirect::to(&format!("/{council}/meetings/{m}/manage")).into_response()
}

// ---- the hub -----------------------------------------------------------------------

/// Everything the secretariat records about one meeting.
pub async fn manage(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Meeting));
    let ratify: Vec<_> = ix
        .register
        .decisions
        .iter()
        .filter(|d| d.meeting.as_ref() == Some(&m.slug) && !d.ratifications.is_empty())
        .map(|d| json!({ "slug": d.slug, "title": d.title, "state": ratification_state(&ix, d).label() }))
        .collect();
    meeting_page("meeting-manage.html", &ix, &v, &m, plan.as_ref(), "Manage the meeting", json!({}), &[], json!({ "ratify": ratify }))
}

// ---- the agenda --------------------------------------------------------------------

fn agenda_extra() -> serde_json::Value {
    json!({ "max_mb": MAX_PAPER_BYTES / 1024 / 1024, "types": PAPER_TYPES.iter().map(|t| t.0.to_uppercase()).collect::<Vec<_>>().join(", "), "accept": PAPER_TYPES.iter().map(|t| format!(".{}", t.0)).collect::<Vec<_>>().join(",") })
}

/// The form to add an agenda item, or a paper to one.
pub async fn agenda_form(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Document));
    meeting_page("agenda-item.html", &ix, &v, &m, plan.as_ref(), "Add to the agenda", AgendaItemForm::default(), &[], agenda_extra())
}

/// Reads the agenda form: its fields, the CSRF token and the file, if one was chosen.
async fn read_agenda_form(mut multipart: Multipart) -> Result<(String, AgendaItemForm, Option<(String, Vec<u8>)>), String> {
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
            _ => {}
        }
    }
    Ok((csrf, form, file))
}

/// Adds the item (and its paper): the file is kept first, then the record;
/// if the record cannot be saved, a file this upload made is taken away.
pub async fn add_agenda_item(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, multipart: Multipart) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Document));
    let (csrf, form, file) = match read_agenda_form(multipart).await {
        Ok(x) => x,
        Err(e) => {
            let html = crate::templates::render_error(
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
        return meeting_page("agenda-item.html", &ix, &v, &m, plan.as_ref(), "Add to the agenda", &form, &errors, agenda_extra());
    }
    let kept = match file {
        Some((_, bytes)) => Some(state.papers.keep(bytes).await.map_err(|e| AppError::Internal(format!("keeping a paper: {e}")))?),
        None => None,
    };
    let now = now_rfc3339(&state);
    match write(&state, &council, &v, None, |ix| plan_agenda_item(ix, &slug, &form, upload.as_ref(), &now)).await {
        Ok(_) => Ok(to_manage(&council, &slug)),
        Err(refused) => {
            // The record was not saved. The paper is not taken away at once
            // (another upload of the same file may be saving it this moment):
            // the sweeper takes it once no record has named it for an hour.
            if let Some(k) = kept.as_ref().filter(|k| k.created) {
                tracing::info!(sha256 = %k.sha256, "a paper whose record was not saved is left for the sweeper");
            }
            refused_page(refused, &ix, |errors, _, _| {
                meeting_page("agenda-item.html", &ix, &v, &m, plan.as_ref(), "Add to the agenda", &form, errors, agenda_extra())
            })
        }
    }
}

fn now_rfc3339(state: &AppState) -> String {
    state.clock.now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[derive(Deserialize, Default)]
pub struct Nothing {}

/// Publishes the agenda today.
pub async fn publish_agenda(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, Form(post): Form<Posted<Nothing>>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Meeting));
    or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_publish_agenda(ix, &slug, state.clock.today())).await {
        Ok(_) => Ok(to_manage(&council, &slug)),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            meeting_page("meeting-manage.html", &ix, &v, &m, plan.as_ref(), "Manage the meeting", json!({}), errors, json!({ "ratify": [] }))
        }),
    }
}

// ---- attendance --------------------------------------------------------------------

fn attendance_extra(ix: &Index, m: &Meeting) -> serde_json::Value {
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
    match write(&state, &council, &v, None, |ix| plan_attendance(ix, &slug, &form)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/meetings/{slug}/attendance")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            meeting_page("attendance-form.html", &ix, &v, &m, plan.as_ref(), "Record attendance", &form, errors, attendance_extra(&ix, &m))
        }),
    }
}

// ---- held and minutes ----------------------------------------------------------------

fn minutes_extra(ix: &Index, m: &Meeting) -> serde_json::Value {
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

fn decision_extra(ix: &Index, m: &Meeting) -> serde_json::Value {
    let planned: Vec<_> = ix
        .register
        .decisions
        .iter()
        .filter(|d| d.forthcoming && d.body == m.body)
        .map(|d| json!({ "value": d.slug, "label": format!("{} (notified {})", d.title, d.notified.map_or("on no recorded day".to_owned(), |n| n.format("%-d %B %Y").to_string())) }))
        .collect();
    let b = ix.body(m.body.as_str());
    let rule = b.and_then(|b| b.decisions.notice_days).map(|n| {
        format!(
            "{} asks for {n} days' notice of a decision; with less, each constituent body is asked to ratify it.",
            b.map_or("The body", |b| b.name.as_str())
        )
    });
    let reached = [("consensus", "By consensus"), ("vote", "By a vote")].map(|(v, l)| json!({ "value": v, "label": l }));
    let mut earlier: Vec<&placeworks_domain::records::Decision> = ix.register.decisions.iter().filter(|d| !d.forthcoming).collect();
    earlier.sort_by(|a, b| b.date.cmp(&a.date));
    let earlier: Vec<_> = earlier.into_iter().map(|d| json!({ "value": d.slug, "label": format!("{} ({}, {})", d.title, ix.body(d.body.as_str()).map_or(d.body.as_str(), |b| b.name.as_str()), d.date.display()) })).collect();
    json!({ "earlier": earlier, "forthcoming": planned, "rule": rule, "reached_options": reached, "verbs": placeworks_domain::decisions::OUTCOME_VERBS.join(", ") })
}

/// The form to record a decision taken at the meeting.
pub async fn decision_form(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Decision));
    let form = DecisionForm { reached: "consensus".into(), ..DecisionForm::default() };
    meeting_page("decision-form.html", &ix, &v, &m, plan.as_ref(), "Record a decision", form, &[], decision_extra(&ix, &m))
}

/// Records the decision; where it needs ratification, shows the requests.
pub async fn record_decision(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, Form(post): Form<Posted<DecisionForm>>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Decision));
    let form = or_respond!(post.checked(&v));
    let today = state.clock.today();
    match write(&state, &council, &v, None, |ix| plan_decision(ix, &slug, &form, today)).await {
        Ok(change) => {
            let d = change.recorded.record_id.clone();
            let asks = change.writes.iter().any(|w| matches!(w, Write::PutDecision(d) if !d.ratifications.is_empty()));
            let to = if asks { format!("/{council}/decisions/{d}/ratifications") } else { format!("/{council}/decisions/{d}") };
            Ok(Redirect::to(&to).into_response())
        }
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            meeting_page("decision-form.html", &ix, &v, &m, plan.as_ref(), "Record a decision", &form, errors, decision_extra(&ix, &m))
        }),
    }
}

// ---- ratifications -----------------------------------------------------------------

fn ratification_page(ix: &Index, v: &Viewer, d: &placeworks_domain::records::Decision, form: &RatificationForm, errors: &[FieldError]) -> Handled {
    let c = ix.register.council.slug.as_str();
    let org = |o: &Slug| ix.organisation(o.as_str()).map_or_else(|| o.to_string(), |x| x.name.clone());
    let long = |d: chrono::NaiveDate| d.format("%-d %B %Y").to_string();
    let requests: Vec<_> = d
        .ratifications
        .iter()
        .map(|r| json!({ "organisation": org(&r.organisation), "requested": long(r.requested), "status": r.status.label(), "code": r.status.code(), "answered": r.answered.map(long), "minute": r.minute }))
        .collect();
    let mut options: Vec<_> =
        d.ratifications.iter().map(|r| (r.status != RatificationStatus::Pending, json!({ "value": r.organisation, "label": org(&r.organisation) }))).collect();
    options.sort_by_key(|(answered, _)| *answered);
    let statuses: Vec<_> = RatificationStatus::ALL.iter().map(|s| json!({ "value": s.code(), "label": s.label() })).collect();
    let notice = short_notice(ix, d).map(|(had, required)| {
        format!("Taken with {} where the rule asks for {required} days.", had.map_or("no notice recorded".to_owned(), |h| format!("{h} days' notice")))
    });
    let extra = json!({
        "decision": { "slug": d.slug, "title": d.title, "date": d.date.display(), "beyond_delegation": d.beyond_delegation },
        "state": ratification_state(ix, d).label(), "notice": notice, "requests": requests, "organisations": options.into_iter().map(|(_, o)| o).collect::<Vec<_>>(), "statuses": statuses,
        "breadcrumbs": [
            { "label": "Home", "href": format!("/{c}") }, { "label": "Decisions", "href": format!("/{c}/decisions") },
            { "label": d.title, "href": format!("/{c}/decisions/{}", d.slug) },
        ],
    });
    form_page("ratifications.html", ix, d.body.as_str(), v, "Ratification", form, errors, extra)
}

fn decision_editor(state: &AppState, council: &str, slug: &str) -> Result<(Arc<Index>, Viewer, placeworks_domain::records::Decision), Response> {
    let ix = state.site().full(council).cloned().ok_or_else(|| not_found(format!("There is no council called “{council}” on this site.")).into_response())?;
    let d = ix
        .register
        .decisions
        .iter()
        .find(|d| d.slug.as_str() == slug)
        .cloned()
        .ok_or_else(|| not_found(format!("There is no decision called “{slug}”.")).into_response())?;
    let v = allowed(council, Action::Edit, &Resource::Decision(d.body.clone()))?;
    Ok((ix, v, d))
}

/// The requests to ratify a decision and the answers so far.
pub async fn ratifications(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let (ix, v, d) = or_respond!(decision_editor(&state, &council, &slug));
    ratification_page(&ix, &v, &d, &RatificationForm { status: "ratified".into(), ..RatificationForm::default() }, &[])
}

/// Records a constituent body's answer.
pub async fn record_ratification(
    State(state): State<AppState>,
    Path((council, slug)): Path<(String, String)>,
    Form(post): Form<Posted<RatificationForm>>,
) -> Handled {
    let (ix, v, d) = or_respond!(decision_editor(&state, &council, &slug));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_ratification(ix, &slug, &form, state.clock.today())).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/decisions/{slug}/ratifications")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| ratification_page(&ix, &v, &d, &form, errors)),
    }
}

// ---- the forward plan --------------------------------------------------------------

/// The form to put a decision to come on a body's forward plan.
pub async fn forthcoming_form(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Decision));
    let form = ForthcomingForm { notified: state.clock.today().format("%Y-%m-%d").to_string(), ..ForthcomingForm::default() };
    form_page("forthcoming-form.html", &ix, &body, &v, "Add to the forward plan", form, &[], json!({}))
}

/// Adds the decision to the forward plan.
pub async fn add_forthcoming(
    State(state): State<AppState>,
    Path((council, body)): Path<(String, String)>,
    Form(post): Form<Posted<ForthcomingForm>>,
) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Decision));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_forthcoming(ix, &body, &form, state.clock.today())).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/forward-plan")).into_response()),
        Err(refused) => {
            refused_page(refused, &ix, |errors, _, _| form_page("forthcoming-form.html", &ix, &body, &v, "Add to the forward plan", &form, errors, json!({})))
        }
    }
}
