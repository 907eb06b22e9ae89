//! Decisions' pages: a council's decisions, one decision, and their Atom feed.

use crate::shell::errors::not_found;
use crate::shell::feeds::*;
use crate::shell::render::*;
use crate::AppState;
use axum::extract::{Path, State};
use placeworks_domain::decisions::{ratification_state, short_notice, RatificationState};
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use serde_json::json;

pub(crate) fn brief(ix: &Index, d: &Decision) -> serde_json::Value {
    let body = ix.body(d.body.as_str()).map(|b| json!({ "slug": b.slug, "name": b.name }));
    json!({
        "slug": d.slug, "title": d.title, "date": d.date.display(), "body": body, "key_decision": d.key_decision,
        "verbs": d.resolutions.iter().map(|r| r.verb.clone()).collect::<Vec<_>>(),
    })
}

/// A body's decisions, newest first, for its page.
pub fn of_body(ix: &Index, body: &str) -> Vec<serde_json::Value> {
    let mut list: Vec<&Decision> = ix.register.decisions.iter().filter(|d| d.body.as_str() == body && !d.forthcoming).collect();
    list.sort_by(|a, b| b.date.cmp(&a.date));
    list.into_iter().map(|d| brief(ix, d)).collect()
}

/// The commitments an organisation or body has made, for its page: what,
/// when it was due, whether it was met (and by which decision) or is overdue.
pub fn commitments_by(ix: &Index, by: &placeworks_domain::records::Party, today: chrono::NaiveDate) -> Vec<serde_json::Value> {
    ix.register
        .commitments
        .iter()
        .filter(|c| &c.by == by)
        .map(|c| {
            let met_by =
                c.met_by.as_ref().and_then(|s| ix.register.decisions.iter().find(|d| &d.slug == s)).map(|d| json!({ "slug": d.slug, "title": d.title }));
            json!({
                "slug": c.slug, "text": c.text, "made": c.made.as_ref().map(|m| m.display()), "due": c.due.display(),
                "met": c.met.as_ref().map(|m| m.display()), "met_by": met_by, "overdue": c.overdue(today), "example": c.example,
            })
        })
        .collect()
}

/// Every decision, newest first.
pub async fn decisions(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let mut list: Vec<&Decision> = ix.register.decisions.iter().filter(|d| !d.forthcoming).collect();
    list.sort_by(|a, b| b.date.cmp(&a.date));
    let rows: Vec<_> = list.into_iter().map(|d| brief(&ix, d)).collect();
    page(
        "decisions.html",
        json!({ "council": council_json(&ix), "page_title": "Decisions", "section": "decisions", "breadcrumbs": crumbs(&ix, &[]), "decisions": rows }),
    )
}

/// One decision as minuted.
pub async fn decision(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let d = ix
        .register
        .decisions
        .iter()
        .find(|d| d.slug.as_str() == slug)
        .ok_or_else(|| not_found(format!("There is no decision called “{slug}” in {}.", ix.register.council.name)))?;
    let areas: Vec<_> = d.areas.iter().filter_map(|a| ix.area(a)).map(|a| json!({ "code": a.code, "name": a.name })).collect();
    let reached = d.reached.as_ref().map(|r| match r {
        Reached::Consensus => "By consensus".to_owned(),
        Reached::Vote { r#for, against, abstaining } => format!("By a vote: {for} for, {against} against, {abstaining} abstaining"),
    });
    let history = placeworks_domain::decisions::history(&ix.register, d);
    let sources = crate::shell::render::source_titles(&ix, &d.sources);
    let c = ix.register.council.slug.as_str();
    let long = |d: chrono::NaiveDate| d.format("%-d %B %Y").to_string();
    let state = ratification_state(&ix, d);
    let org = |o: &placeworks_domain::Slug| ix.organisation(o.as_str()).map_or_else(|| o.to_string(), |x| x.name.clone());
    let ratification = (state != RatificationState::NotNeeded).then(|| {
        json!({
            "state": state.label(), "code": state,
            "requests": d.ratifications.iter().map(|r| json!({ "organisation": org(&r.organisation), "requested": long(r.requested), "status": r.status.label(), "answered": r.answered.map(long), "minute": r.minute })).collect::<Vec<_>>(),
        })
    });
    let notice = short_notice(&ix, d).map(|(had, required)| {
        format!(
            "{} where {} asks for {required} days",
            had.map_or("No notice was recorded".to_owned(), |h| format!("{h} days' notice"),),
            ix.body(d.body.as_str()).map_or("the body", |b| b.name.as_str())
        )
    });
    let meeting = d
        .meeting
        .as_ref()
        .map(|m| json!({ "slug": m, "date": ix.register.meetings.iter().find(|x| &x.slug == m).map_or_else(|| d.date.display(), |x| x.date.display()) }));
    let can_edit = crate::shell::auth::viewer().is_some_and(|v| {
        placeworks_domain::permissions::can(
            &v.actor_in(&council),
            placeworks_domain::permissions::Action::Edit,
            &placeworks_domain::permissions::Resource::Decision(d.body.clone()),
        )
    });
    page(
        "decision.html",
        json!({
            "council": council_json(&ix), "page_title": d.title, "section": "decisions",
            "breadcrumbs": crumbs(&ix, &[("Decisions", format!("/{c}/decisions"))]),
            "decision": d, "date": d.date.display(), "body": ix.body(d.body.as_str()).map(|b| json!({ "slug": b.slug, "name": b.name })),
            "areas": areas, "reached": reached, "sources": sources, "ratification": ratification, "notice": notice, "meeting": meeting, "can_edit": can_edit,
            "notified": d.notified.map(long),
            "power": d.power.as_ref().and_then(|p| ix.body(d.body.as_str())?.powers.iter().find(|x| &x.slug == p)).map(|p| p.text.clone()),
            "outside_powers": d.power.is_none() && !d.forthcoming && ix.body(d.body.as_str()).is_some_and(|b| !b.powers.is_empty()),
            "commitments": ix.register.commitments.iter().filter(|c| c.met_by.as_ref() == Some(&d.slug)).map(|c| json!({
                "text": c.text, "by": ix.party_name(&c.by), "made": c.made.as_ref().map(|m| m.display()), "due": c.due.display(),
                "met": c.met.as_ref().map(|m| m.display()), "example": c.example,
            })).collect::<Vec<_>>(),
            "history": if history.len() > 1 { history.into_iter().map(|x| json!({ "current": x.slug == d.slug, "brief": brief(&ix, x) })).collect::<Vec<_>>() } else { Vec::new() },
        }),
    )
}

/// New decisions as an Atom feed, newest first.
pub async fn atom(State(state): State<AppState>, Path(council): Path<String>) -> Result<axum::response::Response, crate::shell::errors::AppError> {
    let ix = council_of(&state, &council)?;
    let mut list: Vec<&Decision> = ix.register.decisions.iter().filter(|d| !d.forthcoming).collect();
    list.sort_by(|a, b| b.date.cmp(&a.date));
    // Atom wants full timestamps: a decision dated by month or day is stamped at its start.
    let stamp = |d: &placeworks_domain::PartialDate| {
        let s = d.as_str();
        let full = match s.len() {
            4 => format!("{s}-01-01"),
            7 => format!("{s}-01"),
            _ => s.to_owned(),
        };
        format!("{full}T00:00:00Z")
    };
    let c = ix.register.council.slug.as_str();
    let entries: Vec<Entry> = list
        .into_iter()
        .map(|d| {
            let body = ix.body(d.body.as_str()).map_or(d.body.to_string(), |b| b.name.clone());
            let resolved: Vec<String> = d.resolutions.iter().map(|r| r.text.clone()).collect();
            Entry {
                title: format!("{body}: {}", d.title),
                path: format!("/{c}/decisions/{}", d.slug),
                updated: stamp(&d.date),
                summary: format!("{}. Resolved: {}", d.date.display(), resolved.join(" ")),
            }
        })
        .collect();
    Ok(atom_feed(&ix, &state, &format!("Decisions of {}'s partnerships", ix.register.council.name), &format!("/{c}/decisions"), &entries))
}

/// A body's recorded meetings, newest first, each with the decisions taken at it.
pub fn recorded_meetings(ix: &Index, body: &str) -> Vec<serde_json::Value> {
    let mut list: Vec<&placeworks_domain::records::Meeting> = ix.register.meetings.iter().filter(|m| m.body.as_str() == body).collect();
    list.sort_by(|a, b| b.date.cmp(&a.date));
    list.into_iter()
        .map(|m| {
            let taken: Vec<_> = ix.register.decisions.iter().filter(|d| d.meeting.as_ref() == Some(&m.slug)).map(|d| json!({ "slug": d.slug, "title": d.title })).collect();
            json!({ "slug": m.slug, "date": m.date.display(), "time": m.time.map(|t| t.format("%H:%M").to_string()), "status": m.status.label(), "note": m.note, "decisions": taken, "example": m.example })
        })
        .collect()
}
