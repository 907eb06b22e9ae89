//! Finding your place: a ward, place or GSS code by name, or a postcode
//! once the council has loaded a postcode lookup. One place found goes
//! straight to its page; several are listed. Answers depend on what was
//! asked, so they are never kept in the page cache.

use crate::shell::errors::AppError;
use crate::shell::render::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use placeworks_domain::places::{find, postcodes};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub(crate) struct Asked {
    q: Option<String>,
}

/// The longest search taken; more is not a place name.
const LONGEST: usize = 100;

pub(crate) async fn find(State(state): State<AppState>, Path(council): Path<String>, Query(asked): Query<Asked>) -> Result<Response, AppError> {
    let ix = council_of(&state, &council)?;
    let c = ix.register.council.slug.to_string();
    let q: String = asked.q.unwrap_or_default().trim().chars().take(LONGEST).collect();
    let today = state.clock.today();
    let mut message = None;
    let mut found: Vec<serde_json::Value> = Vec::new();
    let go = |code: &str| Ok(Redirect::to(&format!("/{c}/areas/{code}")).into_response());
    if postcodes::looks_like_postcode(&q) {
        let pc = postcodes::normalise(&q).expect("checked");
        match state.store.postcode_area(&c, &pc).await.map_err(|e| AppError::from_store("postcode lookup", e))? {
            Some(code) if ix.area(&code).is_some() => return go(&code),
            _ if state.store.postcode_count(&c).await.map_err(|e| AppError::from_store("postcode lookup", e))? == 0 => {
                message = Some(format!(
                    "Postcode search is not available for {} yet. Search by the name of your ward, town or village instead.",
                    ix.register.council.name
                ));
            }
            _ => {
                message =
                    Some(format!("{pc} is not a postcode in {}. Check it, or search by the name of your ward, town or village.", ix.register.council.name))
            }
        }
    } else if !q.is_empty() {
        let areas = find::areas(&ix.register.areas, &q, today);
        let exact: Vec<_> = areas.iter().filter(|a| a.name.eq_ignore_ascii_case(&q) && a.valid_to.as_ref().is_none_or(|t| !t.passed(today))).collect();
        if areas.len() == 1 || exact.len() == 1 {
            let only = if areas.len() == 1 { areas[0] } else { exact[0] };
            return go(&only.code);
        }
        found = areas
            .iter()
            .map(|a| {
                let ended = a.valid_to.as_ref().is_some_and(|t| t.passed(today));
                json!({ "code": a.code, "name": a.name, "kind": a.kind.label(), "period": crate::places::pages::period(a), "ended": ended,
                        "within": ix.ancestors_of(&a.code).first().map(|p| p.name.clone()) })
            })
            .collect();
        if found.is_empty() {
            message =
                Some(format!("No ward, town, village or area in {} matches “{q}”. Check the spelling, or try part of the name.", ix.register.council.name));
        }
    }
    let html = page(
        "find.html",
        json!({ "council": council_json(&ix), "page_title": if q.is_empty() { "Find your place".to_owned() } else { format!("Places matching “{q}”") },
                "section": "find", "q": q, "found": found, "message": message, "most": find::MOST, "breadcrumbs": crumbs(&ix, &[]) }),
    )?;
    Ok(([(header::CACHE_CONTROL, "no-store")], html).into_response())
}
