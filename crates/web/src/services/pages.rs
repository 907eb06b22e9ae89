//! The service baseline: what each area should have, what it has, and
//! where it falls short.

use crate::shell::render::{council_json, council_of, crumbs, page, Page};
use crate::AppState;
use axum::extract::{Path, State};
use placeworks_domain::services::against_baselines;
use serde_json::json;

/// The baselines, each area against them, and every service point.
pub async fn services(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let reg = &ix.register;
    let results = against_baselines(&ix, state.clock.today());
    let name_of = |slug: &str| reg.services.iter().find(|s| s.slug.as_str() == slug).map(|s| s.name.clone()).unwrap_or_default();
    let baselines: Vec<_> = reg
        .baselines
        .iter()
        .map(|b| {
            let rows: Vec<_> = results
                .iter()
                .filter(|r| r.baseline == b.slug.as_str())
                .map(|r| json!({ "code": r.area, "name": r.area_name, "points": r.points.iter().map(|p| name_of(p)).collect::<Vec<_>>(), "shortfalls": r.shortfalls }))
                .collect();
            let short = rows.iter().filter(|r| r["shortfalls"].as_array().is_some_and(|s| !s.is_empty())).count();
            let source = b.source.as_ref().and_then(|s| reg.council.sources.iter().find(|x| &x.key == s)).map(|s| s.title.clone());
            json!({
                "slug": b.slug, "kind": b.area_kind.label(), "text": b.text, "source": source, "rows": rows, "short": short,
                "requires": b.requires.iter().map(|q| q.describe())
                    .chain(b.posts.iter().map(|t| format!("a {t}")))
                    .chain(b.bodies.iter().map(|k| format!("a {} that serves it", k.label().to_lowercase())))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    let points: Vec<_> = reg
        .services
        .iter()
        .map(|s| json!({ "name": s.name, "kind": s.kind.label(), "extended": s.extended, "area": ix.area(&s.area).map(|a| json!({ "code": a.code, "name": a.name })), "note": s.note }))
        .collect();
    page(
        "services.html",
        json!({ "council": council_json(&ix), "page_title": "Services against the baseline", "section": "services", "breadcrumbs": crumbs(&ix, &[]), "baselines": baselines, "points": points }),
    )
}
