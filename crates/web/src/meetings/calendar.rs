//! A council's meetings as a calendar: the page, and the iCalendar feeds of
//! a body and of the council.

pub use crate::shell::calendar::{meeting_json, next_year};
use crate::shell::errors::{not_found, AppError};
use crate::shell::feeds::*;
use crate::shell::render::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use placeworks_domain::meetings::schedule::{planned, Planned};
use placeworks_domain::register::Index;
use serde_json::json;

/// Every body's planned meetings in a period, in date order.
pub(crate) fn all_planned(ix: &Index, from: NaiveDate, until: NaiveDate) -> Vec<Planned> {
    let mut out: Vec<Planned> = ix.register.bodies.iter().flat_map(|b| planned(ix, b.slug.as_str(), from, until).unwrap_or_default()).collect();
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.body_name.cmp(&b.body_name)));
    out
}

/// A body's planned meetings for the next year.
pub fn body_meetings(ix: &Index, body: &str, today: NaiveDate) -> Vec<serde_json::Value> {
    let (from, until) = next_year(today);
    planned(ix, body, from, until).unwrap_or_default().iter().map(meeting_json).collect()
}

/// A body's planned meetings as iCalendar.
pub async fn body_ics(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Result<Response, AppError> {
    let ix = council_of(&state, &council)?;
    let b = ix.body(&slug).ok_or_else(|| not_found(format!("There is no body called “{slug}” in {}.", ix.register.council.name)))?;
    let (from, until) = next_year(state.clock.today());
    let meetings = planned(&ix, &slug, from, until).unwrap_or_default();
    Ok(ics_response(&slug, crate::shell::calendar::ics(&b.name, &council, &state.base_url, &meetings)))
}

/// Every body's planned meetings as iCalendar.
pub async fn council_ics(State(state): State<AppState>, Path(council): Path<String>) -> Result<Response, AppError> {
    let ix = council_of(&state, &council)?;
    let (from, until) = next_year(state.clock.today());
    let meetings = all_planned(&ix, from, until);
    Ok(ics_response(
        &format!("{council}-meetings"),
        crate::shell::calendar::ics(&format!("{} partnership meetings", ix.register.council.name), &council, &state.base_url, &meetings),
    ))
}

/// The next year of meetings, month by month.
pub async fn calendar(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let (from, until) = next_year(state.clock.today());
    let mut months: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for m in all_planned(&ix, from, until) {
        let label = format!("{} {}", m.start.format("%B"), m.start.year());
        match months.last_mut() {
            Some((l, list)) if *l == label => list.push(meeting_json(&m)),
            _ => months.push((label, vec![meeting_json(&m)])),
        }
    }
    let months: Vec<_> = months.into_iter().map(|(label, meetings)| json!({ "label": label, "meetings": meetings })).collect();
    let c = ix.register.council.slug.as_str();
    page(
        "calendar.html",
        json!({
            "council": council_json(&ix), "page_title": "Calendar", "section": "calendar", "breadcrumbs": crumbs(&ix, &[]),
            "months": months, "from": from.format("%-d %B %Y").to_string(), "until": until.format("%-d %B %Y").to_string(), "ics": format!("/{c}/meetings.ics"),
        }),
    )
}
