//! The secretariat's pages for decisions: recording one taken at a meeting,
//! the constituent bodies' ratifications, and the forward plan.

use crate::meetings::manage::*;
use crate::shell::auth::Viewer;
use crate::shell::errors::not_found;
use crate::shell::write::*;
use crate::AppState;
use axum::extract::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use placeworks_domain::permissions::{Action, Resource};
use placeworks_domain::records::RatificationStatus;
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use placeworks_domain::Slug;
use placeworks_domain::{change::*, decisions::*, forms::FieldError};
use serde_json::json;
use std::sync::Arc;

/// The decision form's lists: the body's own forthcoming decisions, and the
/// earlier decisions one may follow as the viewer may see them (`seen`).
pub(crate) fn decision_extra(ix: &Index, m: &Meeting) -> serde_json::Value {
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
    let powers: Vec<_> = b
        .map(|b| b.powers.iter().map(|p| json!({ "value": p.slug, "label": p.text })).collect::<Vec<_>>())
        .filter(|p| !p.is_empty())
        .map(|mut p| {
            p.push(json!({ "value": "beyond", "label": "None of these: it goes beyond what the body may decide" }));
            p
        })
        .unwrap_or_default();
    json!({ "earlier": earlier, "forthcoming": planned, "rule": rule, "powers": powers, "reached_options": reached, "verbs": placeworks_domain::decisions::OUTCOME_VERBS.join(", ") })
}

/// The form to record a decision taken at the meeting.
pub async fn decision_form(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Decision));
    let form = DecisionForm { reached: "consensus".into(), ..DecisionForm::default() };
    decision_page(&ix, &v, (&m, plan.as_ref()), form, &[])
}

/// The decision form for a meeting, with what was typed and its errors.
fn decision_page(
    ix: &Index,
    v: &Viewer,
    (m, plan): (&Meeting, Option<&placeworks_domain::meetings::schedule::Planned>),
    form: impl serde::Serialize,
    errors: &[FieldError],
) -> Handled {
    meeting_page("decision-form.html", ix, v, m, plan, "Record a decision", form, errors, decision_extra(ix, m))
}

/// Records the decision; where it needs ratification, shows the requests.
pub async fn record_decision(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, Form(post): Form<Posted<DecisionForm>>) -> Handled {
    let (ix, v, m, plan) = or_respond!(meeting_editor(&state, &council, &slug, Resource::Decision));
    let form = or_respond!(post.checked(&v));
    let today = state.clock.today();
    let actor = v.actor_in(&council);
    match write(&state, &council, &v, None, |ix| plan_decision(ix, &actor, &slug, &form, today)).await {
        Ok(change) => {
            let d = change.recorded.record_id.clone();
            let asks = change.writes.iter().any(|w| matches!(w, Write::PutDecision(d) if !d.ratifications.is_empty()));
            let to = if asks { format!("/{council}/decisions/{d}/ratifications") } else { format!("/{council}/decisions/{d}") };
            Ok(Redirect::to(&to).into_response())
        }
        Err(refused) => refused_page(refused, &ix, |errors, _, _| decision_page(&ix, &v, (&m, plan.as_ref()), &form, errors)),
    }
}

// ---- ratifications -----------------------------------------------------------------

pub(crate) fn ratification_page(ix: &Index, v: &Viewer, d: &placeworks_domain::records::Decision, form: &RatificationForm, errors: &[FieldError]) -> Handled {
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

pub(crate) fn decision_editor(state: &AppState, council: &str, slug: &str) -> Result<(Arc<Index>, Viewer, placeworks_domain::records::Decision), Response> {
    let v = crate::shell::write::signed_in()?;
    let (ix, _) = crate::shell::write::registers(state, council, &v).map_err(IntoResponse::into_response)?;
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

// ---- disagreements -----------------------------------------------------------------

/// The disagreement form: a new one, or the next step of `d`.
fn dispute_page(ix: &Index, (body, today): (&str, chrono::NaiveDate), v: &Viewer, d: Option<&Dispute>, form: &DisputeForm, errors: &[FieldError]) -> Handled {
    let c = ix.register.council.slug.as_str();
    let b = ix.body(body).expect("checked");
    let long = |d: chrono::NaiveDate| d.format("%-d %B %Y").to_string();
    let stages: Vec<_> = b.escalation.iter().map(|s| json!({ "value": s, "label": s })).collect();
    let dispute = d.map(|d| {
        json!({
            "slug": d.slug, "title": d.title, "raised": long(d.raised), "open": d.open(today), "public": d.public, "outcome": d.outcome,
            "resolved": d.resolved.map(long),
            "parties": d.parties.iter().map(|p| ix.organisation(p.as_str()).map_or_else(|| p.to_string(), |o| o.name.clone())).collect::<Vec<_>>(),
            "steps": d.steps.iter().map(|s| json!({ "stage": s.stage, "on": long(s.on), "note": s.note })).collect::<Vec<_>>(),
        })
    });
    let action = match d {
        Some(d) => format!("/{c}/bodies/{body}/disputes/{}", d.slug),
        None => format!("/{c}/bodies/{body}/disputes/new"),
    };
    let title = d.map_or("Record a disagreement".to_owned(), |d| d.title.clone());
    form_page("dispute-form.html", ix, body, v, &title, form, errors, json!({ "dispute": dispute, "stages": stages, "action": action }))
}

/// The form to record a disagreement among a body's partners.
pub async fn new_dispute(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Dispute));
    let form = DisputeForm { raised: state.clock.today().format("%-d/%-m/%Y").to_string(), ..DisputeForm::default() };
    dispute_page(&ix, (&body, state.clock.today()), &v, None, &form, &[])
}

/// Records the disagreement, confidential unless published.
pub async fn add_dispute(State(state): State<AppState>, Path((council, body)): Path<(String, String)>, Form(post): Form<Posted<DisputeForm>>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Dispute));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_dispute(ix, &body, None, &form, state.clock.today())).await {
        Ok(change) => Ok(Redirect::to(&format!("/{council}/bodies/{body}/disputes/{}", change.recorded.record_id)).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| dispute_page(&ix, (&body, state.clock.today()), &v, None, &form, errors)),
    }
}

/// A disagreement, with the form to take it further.
pub async fn dispute(State(state): State<AppState>, Path((council, body, slug)): Path<(String, String, String)>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Dispute));
    let Some(d) = ix.register.disputes.iter().find(|d| d.slug.as_str() == slug && d.body.as_str() == body) else {
        return Err(not_found("There is no such disagreement.".to_owned()));
    };
    let form = DisputeForm { public: d.public.then(|| "yes".to_owned()), ..DisputeForm::default() };
    dispute_page(&ix, (&body, state.clock.today()), &v, Some(d), &form, &[])
}

/// Takes a disagreement to a further stage, or records how it was resolved.
pub async fn update_dispute(
    State(state): State<AppState>,
    Path((council, body, slug)): Path<(String, String, String)>,
    Form(post): Form<Posted<DisputeForm>>,
) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Dispute));
    let form = or_respond!(post.checked(&v));
    let Some(d) = ix.register.disputes.iter().find(|d| d.slug.as_str() == slug && d.body.as_str() == body).cloned() else {
        return Err(not_found("There is no such disagreement.".to_owned()));
    };
    match write(&state, &council, &v, None, |ix| plan_dispute(ix, &body, Some(&slug), &form, state.clock.today())).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/bodies/{body}/disputes/{slug}")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| dispute_page(&ix, (&body, state.clock.today()), &v, Some(&d), &form, errors)),
    }
}

// ---- commitments -------------------------------------------------------------------

/// Who made a commitment, from `body:slug` or `organisation:slug`, before
/// it is looked up (in the register as the viewer may see it).
fn maker(by: &str) -> Option<Party> {
    match by.trim().split_once(':') {
        Some(("body", s)) => Slug::parse(s).ok().map(Party::Body),
        Some(("organisation", s)) => Slug::parse(s).ok().map(Party::Organisation),
        _ => None,
    }
}

/// Whether the maker is in the register as the viewer may see it.
fn known(ix: &Index, by: &Party) -> bool {
    match by {
        Party::Body(b) => ix.body(b.as_str()).is_some(),
        Party::Organisation(o) => ix.organisation(o.as_str()).is_some(),
    }
}

/// Who may record a commitment of `by`: a body's secretariat, or the register's keeper for an organisation.
fn commitment_resource(by: &Party) -> Resource {
    match by {
        Party::Body(b) => Resource::Decision(b.clone()),
        Party::Organisation(_) => Resource::Register,
    }
}

/// The maker's page, where its commitments are listed.
fn maker_page(council: &str, by: &Party) -> String {
    match by {
        Party::Body(b) => format!("/{council}/bodies/{b}#commitments"),
        Party::Organisation(o) => format!("/{council}/organisations/{o}#commitments"),
    }
}

fn commitment_extra(ix: &Index, council: &str, by: &Party, c: Option<&Commitment>) -> serde_json::Value {
    let decisions: Vec<_> = ix
        .register
        .decisions
        .iter()
        .filter(|d| !d.forthcoming)
        .map(|d| json!({ "value": d.slug, "label": format!("{} ({}, {})", d.title, ix.body(d.body.as_str()).map_or(d.body.as_str(), |b| b.name.as_str()), d.date.display()) }))
        .collect();
    let (button, action) = match c {
        Some(c) => ("Save the commitment", format!("/{council}/commitments/{}/edit", c.slug)),
        None => ("Record the commitment", format!("/{council}/commitments/new?by={}", party_code(by))),
    };
    json!({ "decisions": decisions, "maker": ix.party_name(by), "button": button, "action": action, "cancel": maker_page(council, by) })
}

fn party_code(by: &Party) -> String {
    match by {
        Party::Body(b) => format!("body:{b}"),
        Party::Organisation(o) => format!("organisation:{o}"),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MakerQuery {
    by: String,
}

/// The form to record a commitment an organisation or body has made.
pub async fn new_commitment(State(state): State<AppState>, Path(council): Path<String>, axum::extract::Query(q): axum::extract::Query<MakerQuery>) -> Handled {
    let by = maker(&q.by).ok_or_else(|| not_found("There is no such organisation or body."))?;
    let v = or_respond!(allowed(&council, Action::Edit, &commitment_resource(&by)));
    let (ix, _) = registers(&state, &council, &v)?;
    if !known(&ix, &by) {
        return Err(not_found("There is no such organisation or body."));
    }
    let title = format!("Record a commitment of {}", ix.party_name(&by));
    council_form_page("commitment-form.html", &ix, &v, &title, &[], CommitmentForm::default(), &[], commitment_extra(&ix, &council, &by, None))
}

/// Records the commitment.
pub async fn add_commitment(
    State(state): State<AppState>,
    Path(council): Path<String>,
    axum::extract::Query(q): axum::extract::Query<MakerQuery>,
    Form(post): Form<Posted<CommitmentForm>>,
) -> Handled {
    let by = maker(&q.by).ok_or_else(|| not_found("There is no such organisation or body."))?;
    let v = or_respond!(allowed(&council, Action::Edit, &commitment_resource(&by)));
    let (ix, _) = registers(&state, &council, &v)?;
    if !known(&ix, &by) {
        return Err(not_found("There is no such organisation or body."));
    }
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_commitment(ix, &by, None, &form)).await {
        Ok(_) => Ok(Redirect::to(&maker_page(&council, &by)).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            let title = format!("Record a commitment of {}", ix.party_name(&by));
            council_form_page("commitment-form.html", &ix, &v, &title, &[], &form, errors, commitment_extra(&ix, &council, &by, None))
        }),
    }
}

/// The form to change a commitment, or record that it was met.
pub async fn edit_commitment(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let v = or_respond!(crate::shell::write::signed_in());
    let (ix, _) = registers(&state, &council, &v)?;
    let c = ix.register.commitments.iter().find(|c| c.slug.as_str() == slug).cloned().ok_or_else(|| not_found("There is no such commitment."))?;
    let v = or_respond!(allowed(&council, Action::Edit, &commitment_resource(&c.by)));
    let title = format!("A commitment of {}", ix.party_name(&c.by));
    council_form_page("commitment-form.html", &ix, &v, &title, &[], CommitmentForm::from_record(&c), &[], commitment_extra(&ix, &council, &c.by, Some(&c)))
}

/// Saves a changed commitment.
pub async fn update_commitment(
    State(state): State<AppState>,
    Path((council, slug)): Path<(String, String)>,
    Form(post): Form<Posted<CommitmentForm>>,
) -> Handled {
    let v = or_respond!(crate::shell::write::signed_in());
    let (ix, _) = registers(&state, &council, &v)?;
    let c = ix.register.commitments.iter().find(|c| c.slug.as_str() == slug).cloned().ok_or_else(|| not_found("There is no such commitment."))?;
    let v = or_respond!(allowed(&council, Action::Edit, &commitment_resource(&c.by)));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_commitment(ix, &c.by, Some(&slug), &form)).await {
        Ok(_) => Ok(Redirect::to(&maker_page(&council, &c.by)).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            let title = format!("A commitment of {}", ix.party_name(&c.by));
            council_form_page("commitment-form.html", &ix, &v, &title, &[], &form, errors, commitment_extra(&ix, &council, &c.by, Some(&c)))
        }),
    }
}
