//! Governance health: every breach of the bodies' own rules, with the rule
//! and a link to the record to put right.

use crate::shell::render::{council_json, council_of, crumbs, page, Page};
use crate::AppState;
use axum::extract::{Path, State};
use placeworks_domain::governance::{check, RULES};
use placeworks_domain::services::shortfalls;
use serde_json::json;

/// Breaches, grouped by the rule they break.
pub async fn governance(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let today = state.clock.today();
    let breaches = check(&ix, today);
    let groups: Vec<_> = RULES
        .iter()
        .map(|(rule, title)| json!({ "rule": rule, "title": title, "breaches": breaches.iter().filter(|b| b.rule == *rule).collect::<Vec<_>>() }))
        .collect();
    let short: Vec<_> = shortfalls(&ix, today)
        .into_iter()
        .map(|r| json!({ "code": r.area, "name": r.area_name, "what": r.shortfalls.iter().map(|s| s.what.clone()).collect::<Vec<_>>() }))
        .collect();
    let total = breaches.len() + short.len();
    page(
        "governance.html",
        json!({
            "council": council_json(&ix), "page_title": "Governance health", "section": "governance", "breadcrumbs": crumbs(&ix, &[]),
            "groups": groups, "short": short, "total": total, "today": today.format("%-d %B %Y").to_string(),
        }),
    )
}
