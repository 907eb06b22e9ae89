//! Meetings as iCalendar (RFC 5545): a body's planned meetings, or a whole
//! council's, for calendar applications to subscribe to. Times are written
//! in UTC, so every reader places them right without a time zone table;
//! they are London times converted.

use chrono::{Duration, Months, NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use placeworks_domain::meetings::schedule::planned;
use placeworks_domain::register::Index;
use serde_json::json;
use {placeworks_domain::meetings::schedule::Planned, placeworks_domain::recurrence::LONDON};

/// How long a meeting is shown as lasting, where the papers do not say.
const ASSUMED_LENGTH_HOURS: i64 = 2;

/// The iCalendar document for some planned meetings.
/// Each links to its meeting's page under `base`, the site's public address.
pub fn ics(name: &str, council: &str, base: &str, meetings: &[Planned]) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    for m in meetings {
        let Some(start) = LONDON.from_local_datetime(&m.start).earliest() else { continue };
        let start = start.with_timezone(&Utc);
        let mut summary = m.body_name.clone();
        if let Some(g) = &m.group {
            summary.push_str(&format!(" ({g})"));
        }
        let page = format!("{base}/{council}/meetings/{}", m.slug);
        let mut description = format!("Planned from the body's cadence; the secretariat confirms the date. Agenda and papers: {page}");
        if let Some(c) = &m.chair {
            description.push_str(&format!("\nChair: {c}"));
        }
        if let Some(from) = &m.rescheduled_from {
            description.push_str(&format!("\nRescheduled from {}", from.format("%-d %B %Y, %H:%M")));
        }
        let mut event = Event::new();
        event
            // The meeting's slug stays the same when it moves: calendars update it in place.
            .uid(&format!("{}@{council}.placeworks", m.slug))
            .add_property("URL", &page)
            .summary(&summary)
            .starts(start)
            .ends(start + Duration::hours(ASSUMED_LENGTH_HOURS))
            .description(&description);
        if let Some(h) = &m.host {
            event.location(&format!("Hosted by {h}"));
        }
        if m.cancelled {
            event.status(EventStatus::Cancelled);
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}

/// Today, and a year on: the span pages and feeds list meetings for.
pub fn next_year(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today, today + Months::new(12))
}

/// The next meetings of some bodies, soonest first, at most `most`.
pub(crate) fn next_of(ix: &Index, bodies: &[String], today: NaiveDate, most: usize) -> Vec<serde_json::Value> {
    let (from, until) = next_year(today);
    let mut out: Vec<Planned> = bodies.iter().flat_map(|b| planned(ix, b, from, until).unwrap_or_default()).filter(|m| !m.cancelled).collect();
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.body_name.cmp(&b.body_name)));
    out.iter().take(most).map(meeting_json).collect()
}

/// A meeting for a page: when, in words, and the rest.
pub fn meeting_json(m: &Planned) -> serde_json::Value {
    json!({
        "body": { "slug": m.body, "name": m.body_name }, "date": m.start.format("%A %-d %B %Y").to_string(),
        "time": m.start.format("%H:%M").to_string(), "iso": m.start.format("%Y-%m-%dT%H:%M").to_string(),
        "group": m.group, "chair": m.chair, "host": m.host, "cancelled": m.cancelled, "slug": m.slug,
        "rescheduled_from": m.rescheduled_from.map(|d| d.format("%A %-d %B %Y, %H:%M").to_string()),
    })
}
