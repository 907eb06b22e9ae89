//! A council's programmes and each programme's page.

use crate::shell::errors::not_found;
use crate::shell::render::{council_json, council_of, crumbs, page, source_titles, Page};
use crate::AppState;
use axum::extract::{Path, State};
use serde_json::json;

/// Every programme of the council.
pub async fn programmes(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let list: Vec<_> = ix
        .register
        .programmes
        .iter()
        .map(|p| json!({ "slug": p.slug, "name": p.name, "aim": p.aim, "status": p.status.label(), "launched": p.launched.as_ref().map(|d| d.display()) }))
        .collect();
    page(
        "programmes.html",
        json!({ "council": council_json(&ix), "page_title": "Programmes", "section": "programmes", "breadcrumbs": crumbs(&ix, &[]), "programmes": list }),
    )
}

/// A programme's page.
pub async fn programme(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let p = ix.register.programmes.iter().find(|p| p.slug.as_str() == slug).ok_or_else(|| not_found(format!("There is no programme called “{slug}”.")))?;
    let body = |b: &placeworks_domain::Slug| {
        ix.body(b.as_str()).map(|x| json!({ "slug": x.slug, "name": x.name, "example": x.example.iter().filter(|f| *f == "name").collect::<Vec<_>>() }))
    };
    let levels: Vec<_> =
        p.levels.iter().map(|l| json!({ "name": l.name, "text": l.text, "bodies": l.bodies.iter().filter_map(body).collect::<Vec<_>>() })).collect();
    // A target area that is a set of areas is listed with its members.
    let areas: Vec<_> = p
        .areas
        .iter()
        .filter_map(|a| ix.area(a))
        .map(|a| {
            let members: Vec<_> = a.members.iter().filter_map(|m| ix.area(m)).map(|m| json!({ "code": m.code, "name": m.name })).collect();
            json!({ "code": a.code, "name": a.name, "members": members })
        })
        .collect();
    let decisions: Vec<_> = p
        .decisions
        .iter()
        .filter_map(|d| ix.register.decisions.iter().find(|x| &x.slug == d))
        .map(
            |d| json!({ "slug": d.slug, "title": d.title, "date": d.date.display(), "example": d.example.iter().filter(|f| *f == "date").collect::<Vec<_>>() }),
        )
        .collect();
    let c = ix.register.council.slug.as_str();
    page(
        "programme.html",
        json!({
            "council": council_json(&ix), "page_title": p.name, "section": "programmes",
            "breadcrumbs": crumbs(&ix, &[("Programmes", format!("/{c}/programmes"))]),
            "programme": p, "status": p.status.label(), "launched": p.launched.as_ref().map(|d| d.display()),
            "governed_by": p.governed_by.as_ref().and_then(body), "levels": levels, "areas": areas, "decisions": decisions,
            "roll_up": p.roll_up.label(), "sources": source_titles(&ix, &p.sources),
        }),
    )
}
