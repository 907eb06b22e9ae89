//! Decision records: every decision a council's bodies have recorded, and
//! each one as minuted.

use super::{council_json, council_of, crumbs, page, Page};
use crate::errors::not_found;
use crate::AppState;
use axum::extract::{Path, State};
use placeworks_domain::queries::Index;
use placeworks_domain::register::{Decision, Reached};
use serde_json::json;

fn brief(ix: &Index, d: &Decision) -> serde_json::Value {
    let body = ix.body(d.body.as_str()).map(|b| json!({ "slug": b.slug, "name": b.name }));
    json!({
        "slug": d.slug, "title": d.title, "date": d.date.display(), "body": body, "key_decision": d.key_decision,
        "verbs": d.resolutions.iter().map(|r| r.verb.clone()).collect::<Vec<_>>(),
    })
}

/// A body's decisions, newest first, for its page.
pub fn of_body(ix: &Index, body: &str) -> Vec<serde_json::Value> {
    let mut list: Vec<&Decision> = ix.register.decisions.iter().filter(|d| d.body.as_str() == body).collect();
    list.sort_by(|a, b| b.date.cmp(&a.date));
    list.into_iter().map(|d| brief(ix, d)).collect()
}

/// Every decision, newest first.
pub async fn decisions(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let mut list: Vec<&Decision> = ix.register.decisions.iter().collect();
    list.sort_by(|a, b| b.date.cmp(&a.date));
    let rows: Vec<_> = list.into_iter().map(|d| brief(&ix, d)).collect();
    page("decisions.html", json!({ "council": council_json(&ix), "page_title": "Decisions", "section": "decisions", "breadcrumbs": crumbs(&ix, &[]), "decisions": rows }))
}

/// One decision as minuted.
pub async fn decision(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let d = ix.register.decisions.iter().find(|d| d.slug.as_str() == slug).ok_or_else(|| not_found(format!("There is no decision called “{slug}” in {}.", ix.register.council.name)))?;
    let areas: Vec<_> = d.areas.iter().filter_map(|a| ix.area(a)).map(|a| json!({ "code": a.code, "name": a.name })).collect();
    let reached = d.reached.as_ref().map(|r| match r {
        Reached::Consensus => "By consensus".to_owned(),
        Reached::Vote { r#for, against, abstaining } => format!("By a vote: {for} for, {against} against, {abstaining} abstaining"),
    });
    let mut history: Vec<&Decision> = d.issue.as_ref().map(|i| ix.register.decisions.iter().filter(|x| x.issue.as_ref() == Some(i)).collect()).unwrap_or_default();
    history.sort_by(|a, b| a.date.cmp(&b.date));
    let sources: Vec<_> = d.sources.iter().filter_map(|s| ix.register.council.sources.iter().find(|x| &x.key == s)).map(|s| s.title.clone()).collect();
    let c = ix.register.council.slug.as_str();
    page(
        "decision.html",
        json!({
            "council": council_json(&ix), "page_title": d.title, "section": "decisions",
            "breadcrumbs": crumbs(&ix, &[("Decisions", format!("/{c}/decisions"))]),
            "decision": d, "date": d.date.display(), "body": ix.body(d.body.as_str()).map(|b| json!({ "slug": b.slug, "name": b.name })),
            "areas": areas, "reached": reached, "sources": sources,
            "history": if history.len() > 1 { history.into_iter().map(|x| json!({ "current": x.slug == d.slug, "brief": brief(&ix, x) })).collect::<Vec<_>>() } else { Vec::new() },
        }),
    )
}
