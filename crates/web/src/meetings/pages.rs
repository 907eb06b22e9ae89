//! A meeting's own page (agenda, papers, attendance, minutes, decisions),
//! its papers as files and as an Atom feed, the forward plan, people's
//! pages with their attendance and calendars, and a body's attendance by seat.

use crate::meetings::calendar::next_year;
use crate::shell::errors::{not_found, AppError};
use crate::shell::feeds::ics_response;
use crate::shell::feeds::{atom_feed, Entry};
use crate::shell::render::{council_json, council_of, crumbs, page, Page};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use placeworks_domain::meetings::schedule::{find_meeting, planned, Planned};
use placeworks_domain::permissions::{can, Action, Resource};
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use placeworks_domain::Slug;
use placeworks_domain::{
    decisions::{ratification_state, short_notice},
    meetings::{agenda_deadline, quorum_count, PAPER_TYPES},
};
use serde_json::json;

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A size in words: "312 KB".
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
        b if b >= 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{b} bytes"),
    }
}

fn file_kind(media: &str) -> String {
    PAPER_TYPES.iter().find(|t| t.1 == media).map_or_else(|| "File".to_owned(), |t| t.0.to_uppercase())
}

fn seat_label(ix: &Index, body: &str, seat: Option<&Slug>) -> Option<String> {
    seat.and_then(|s| ix.seats_of(body).find(|x| &x.slug == s)).map(|s| s.label.clone())
}

fn person_name(ix: &Index, p: &Slug) -> String {
    ix.person(p.as_str()).map_or_else(|| p.to_string(), |p| p.name.clone())
}

/// Whether the signed-in viewer may change this body's meetings.
fn can_edit(council: &str, body: &Slug) -> bool {
    crate::shell::auth::viewer().is_some_and(|v| can(&v.actor_in(council), Action::Edit, &Resource::Meeting(body.clone())))
}

/// The meeting as a page shows it.
pub fn meeting_view(ix: &Index, m: &Meeting, plan: Option<&Planned>) -> serde_json::Value {
    let c = ix.register.council.slug.as_str();
    let body = m.body.as_str();
    let b = ix.body(body);
    let day = NaiveDate::parse_from_str(m.date.as_str(), "%Y-%m-%d").ok();
    let items: Vec<_> = m
        .items
        .iter()
        .map(|i| {
            let papers: Vec<_> = i
                .papers
                .iter()
                .map(|p| json!({ "title": p.title, "href": format!("/{c}/meetings/{}/papers/{}", m.slug, p.slug), "kind": file_kind(&p.media_type), "size": size(p.size), "file_name": p.file_name }))
                .collect();
            json!({ "number": i.number, "title": i.title, "presenter": i.presenter, "decision_required": i.decision_required, "exempt": i.exempt.map(|e| json!({ "number": e.number(), "description": e.description() })), "papers": papers })
        })
        .collect();
    let attendance: Vec<_> = m
        .attendance
        .iter()
        .map(|a| {
            json!({
                "name": person_name(ix, &a.person), "person": a.person, "kind": a.kind.label(), "seat": seat_label(ix, body, a.seat.as_ref()),
                "substitute_for": a.substitute_for.as_ref().map(|p| person_name(ix, p)), "chair_agreed": a.chair_agreed,
            })
        })
        .collect();
    let decisions: Vec<_> = ix
        .register
        .decisions
        .iter()
        .filter(|d| d.meeting.as_ref() == Some(&m.slug))
        .map(|d| json!({ "slug": d.slug, "title": d.title, "verbs": d.resolutions.iter().map(|r| r.verb.clone()).collect::<Vec<_>>(), "ratification": ratification_state(ix, d).label(), "needs": ratification_state(ix, d) != placeworks_domain::decisions::RatificationState::NotNeeded }))
        .collect();
    let expected: Vec<_> = ix
        .register
        .decisions
        .iter()
        .filter(|d| d.forthcoming && d.body == m.body && d.date == m.date)
        .map(|d| json!({ "slug": d.slug, "title": d.title, "notified": d.notified.map(long), "short": short_notice(ix, d).is_some() }))
        .collect();
    let approved_at = m
        .minutes_approved_at
        .as_ref()
        .and_then(|s| ix.register.meetings.iter().find(|x| &x.slug == s))
        .map(|x| json!({ "slug": x.slug, "date": x.date.display() }));
    let quorum = b
        .and_then(|b| b.decisions.quorum)
        .map(|q| json!({ "required": q, "present": quorum_count(ix, m), "met": m.attendance.is_empty() || quorum_count(ix, m) >= q as usize }));
    // A meeting planned from a cadence whose days are the example's has the example's date.
    let mut example = m.example.clone();
    if plan.is_some() && b.is_some_and(|b| b.example.iter().any(|f| f.starts_with("cadence"))) {
        example.extend(["date".to_owned(), "time".to_owned()].into_iter().filter(|f| !m.example.contains(f)));
    }
    json!({
        "slug": m.slug, "body": { "slug": body, "name": b.map_or(body, |b| b.name.as_str()) }, "example": example,
        "date": day.map_or_else(|| m.date.display(), |d| d.format("%A %-d %B %Y").to_string()), "iso": m.start().map(|s| s.format("%Y-%m-%dT%H:%M").to_string()),
        "time": m.time.map(|t| t.format("%H:%M").to_string()), "status": m.status.label(), "status_code": m.status.code(),
        "group": plan.and_then(|p| p.group.clone()).or_else(|| m.group.as_ref().and_then(|g| b.and_then(|b| b.groups.iter().find(|x| &x.slug == g))).map(|g| g.name.clone())),
        "chair": plan.and_then(|p| p.chair.clone()), "host": plan.and_then(|p| p.host.clone()),
        "chaired_by": seat_label(ix, body, m.chaired_by.as_ref()),
        "rescheduled_from": plan.and_then(|p| p.rescheduled_from).map(|d| d.format("%A %-d %B %Y, %H:%M").to_string()),
        "note": m.note, "agenda_published": m.agenda_published.map(long), "deadline": agenda_deadline(ix, m).map(long),
        "items": items, "attendance": attendance, "minutes": m.minutes, "minutes_draft": m.status == MeetingStatus::DraftMinutes, "approved_at": approved_at,
        "decisions": decisions, "expected": expected, "quorum": quorum, "cancelled": m.status == MeetingStatus::Cancelled,
        "href": format!("/{c}/meetings/{}", m.slug),
    })
}

fn meeting_or_404(ix: &Index, slug: &str) -> Result<(Meeting, Option<Planned>), AppError> {
    find_meeting(ix, slug).ok_or_else(|| not_found(format!("There is no meeting called “{slug}” in {}.", ix.register.council.name)))
}

/// A meeting's page.
pub async fn meeting(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let (m, plan) = meeting_or_404(&ix, &slug)?;
    let mut view = meeting_view(&ix, &m, plan.as_ref());
    let c = ix.register.council.slug.as_str();
    let b = ix.body(m.body.as_str()).map_or_else(|| m.body.to_string(), |b| b.name.clone());
    let may_agree = crate::shell::auth::viewer().is_some_and(|v| can(&v.actor_in(&council), Action::Edit, &Resource::Approval(m.body.clone())));
    let recorded = ix.register.meetings.iter().any(|x| x.slug == m.slug);
    // Draft minutes the chair has not agreed reach only the secretariat and the chair.
    if !placeworks_domain::meetings::commands::minutes_circulated(&ix, &m) {
        if !(can_edit(&council, &m.body) || may_agree) {
            view["minutes"] = json!([]);
        }
        view["minutes_awaiting_chair"] = json!(true);
    }
    view["date_provisional"] = json!(recorded && placeworks_domain::meetings::commands::date_provisional(&ix, &m));
    page(
        "meeting.html",
        json!({
            "council": council_json(&ix), "page_title": format!("{b}: {}", view["date"].as_str().unwrap_or_default()), "section": "calendar",
            "breadcrumbs": crumbs(&ix, &[("Calendar", format!("/{c}/calendar")), (b.as_str(), format!("/{c}/bodies/{}", m.body))]),
            "meeting": view, "can_edit": can_edit(&council, &m.body),
            "sources": crate::shell::render::source_titles(&ix, if m.sources.is_empty() { ix.body(m.body.as_str()).map_or(&[][..], |b| &b.sources) } else { &m.sources }),
            "can_draft": crate::shell::auth::viewer().is_some_and(|v| {
                let actor = placeworks_domain::change::with_derived_grants(&ix.register, &v.actor_in(&council));
                can(&actor, Action::Edit, &Resource::Agenda(m.body.clone()))
            }),
            "can_agree": may_agree,
        }),
    )
}

/// A paper's file: exempt papers only for those who may see them (a 404
/// for anyone signed out, a 403 for a signed-in viewer without the right).
pub async fn paper(
    State(state): State<AppState>,
    Path((council, meeting, paper)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let site = state.site();
    let missing = || not_found(format!("There is no paper called “{paper}” for this meeting."));
    let full = site.full(&council).ok_or_else(|| not_found(format!("There is no council called “{council}” on this site.")))?;
    let m = full.register.meetings.iter().find(|m| m.slug.as_str() == meeting).ok_or_else(missing)?;
    let (item, p) = m.items.iter().find_map(|i| i.papers.iter().find(|p| p.slug.as_str() == paper).map(|p| (i, p))).ok_or_else(missing)?;
    // A confidential item's paper, or any paper of an agenda not yet
    // published (a draft), reaches only the body's members and secretariat;
    // to anyone else it answers exactly as a paper that does not exist.
    let draft = m.agenda_published.is_none();
    let insider = || crate::shell::auth::viewer().is_some_and(|v| can(&v.actor_in(&council), Action::ViewConfidential, &Resource::Document(m.body.clone())));
    if (item.exempt.is_some() || draft) && !insider() {
        return Err(missing());
    }
    let body_visible = site.council(&council).is_some_and(|ix| ix.body(m.body.as_str()).is_some());
    if !body_visible && crate::shell::auth::viewer().is_none_or(|v| !can(&v.actor_in(&council), Action::ViewConfidential, &Resource::Body(m.body.clone()))) {
        return Err(missing());
    }
    let private = item.exempt.is_some() || draft || !body_visible;
    paper_response(&state, p, private, &headers).await
}

/// A paper's bytes, streamed from where papers are kept: whole, or the one
/// range asked for (206, or 416 when none of it exists), with the SHA-256 as
/// its strong `ETag` (so an unchanged paper answers 304).
async fn paper_response(state: &AppState, p: &Paper, private: bool, headers: &HeaderMap) -> Result<Response, AppError> {
    use placeworks_store::papers::Wanted;
    let etag = format!("\"{}\"", p.sha256);
    let header_str = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    let cache = if private { "private, no-store" } else { "public, max-age=3600" };
    let common = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, cache.to_owned()),
        (header::ACCEPT_RANGES, "bytes".to_owned()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    if header_str(header::IF_NONE_MATCH).is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*")) {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    // A range is honoured only for the version it was asked of (If-Range).
    let wanted = match header_str(header::IF_RANGE) {
        Some(tag) if tag.trim() != etag => Wanted::All,
        _ => Wanted::from_header(header_str(header::RANGE)),
    };
    let size = p.size;
    let Some(range) = wanted.within(size) else {
        return Ok((StatusCode::RANGE_NOT_SATISFIABLE, common, [(header::CONTENT_RANGE, format!("bytes */{size}"))]).into_response());
    };
    let fetched = state
        .papers
        .fetch(&p.sha256, range.clone(), size)
        .await
        .map_err(|e| AppError::Internal(format!("reading the paper {}: {e}", p.sha256)))?
        .ok_or_else(|| AppError::Internal(format!("the paper {} is named by its record but is not in {}", p.sha256, state.papers.location())))?;
    let disposition = format!("inline; filename=\"{}\"", p.file_name.replace(|c: char| !c.is_ascii() || c.is_ascii_control() || c == '"', "_"));
    let partial = wanted != Wanted::All;
    let status = if partial { StatusCode::PARTIAL_CONTENT } else { StatusCode::OK };
    let mut response = (
        status,
        common,
        [
            (header::CONTENT_TYPE, p.media_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_LENGTH, (range.end - range.start).to_string()),
        ],
        axum::body::Body::from_stream(fetched.chunks),
    )
        .into_response();
    if partial {
        let value = format!("bytes {}-{}/{size}", range.start, range.end.saturating_sub(1));
        response.headers_mut().insert(header::CONTENT_RANGE, value.parse().expect("a Content-Range is a header value"));
    }
    Ok(response)
}

/// Papers as they are published with their agendas, as an Atom feed.
pub async fn papers_atom(State(state): State<AppState>, Path(council): Path<String>) -> Result<Response, AppError> {
    let ix = council_of(&state, &council)?;
    let c = ix.register.council.slug.as_str();
    let mut entries: Vec<Entry> = Vec::new();
    for m in ix.register.meetings.iter().filter(|m| m.agenda_published.is_some()) {
        let body = ix.body(m.body.as_str()).map_or(m.body.to_string(), |b| b.name.clone());
        for i in &m.items {
            for p in &i.papers {
                entries.push(Entry {
                    title: format!("{body}, {}: {} ({})", m.date.display(), p.title, file_kind(&p.media_type)),
                    path: format!("/{c}/meetings/{}/papers/{}", m.slug, p.slug),
                    updated: p.uploaded.clone(),
                    summary: format!("Item {}: {}. For the meeting of {body} on {}.", i.number, i.title, m.date.display()),
                });
            }
        }
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated));
    Ok(atom_feed(&ix, &state, &format!("Meeting papers of {}'s partnerships", ix.register.council.name), &format!("/{c}/papers"), &entries))
}

/// Forthcoming decisions, with the day each was first notified and whether
/// the notice is enough under the body's rule.
pub async fn forward_plan(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let mut list: Vec<&Decision> = ix.register.decisions.iter().filter(|d| d.forthcoming).collect();
    list.sort_by(|a, b| a.date.cmp(&b.date));
    let rows: Vec<_> = list
        .iter()
        .map(|d| {
            let b = ix.body(d.body.as_str());
            let notice = short_notice(&ix, d).map(|(had, required)| format!("{} (the rule asks for {required} days): it will need ratification", had.map_or("No notice recorded".to_owned(), |h| format!("{h} days' notice"))));
            json!({ "slug": d.slug, "title": d.title, "date": d.date.display(), "notified": d.notified.map(long), "body": b.map(|b| json!({ "slug": b.slug, "name": b.name })), "key_decision": d.key_decision, "short": notice, "beyond_delegation": d.beyond_delegation })
        })
        .collect();
    let c = ix.register.council.slug.as_str();
    let editable: Vec<_> = crate::shell::auth::viewer()
        .map(|v| {
            ix.register
                .bodies
                .iter()
                .filter(|b| can(&v.actor_in(&council), Action::Edit, &Resource::Decision(b.slug.clone())))
                .map(|b| json!({ "slug": b.slug, "name": b.name }))
                .collect()
        })
        .unwrap_or_default();
    page(
        "forward-plan.html",
        json!({ "council": council_json(&ix), "page_title": "Forward plan", "section": "decisions", "breadcrumbs": crumbs(&ix, &[("Decisions", format!("/{c}/decisions"))]), "decisions": rows, "editable": editable }),
    )
}

/// The meetings a person attended or sent apologies to, newest first.
fn attendance_of(ix: &Index, person: &Slug) -> Vec<serde_json::Value> {
    let mut list: Vec<(&Meeting, &Attendance)> =
        ix.register.meetings.iter().flat_map(|m| m.attendance.iter().filter(|a| &a.person == person).map(move |a| (m, a))).collect();
    list.sort_by(|a, b| b.0.date.cmp(&a.0.date));
    let c = ix.register.council.slug.as_str();
    list.into_iter()
        .map(|(m, a)| {
            json!({
                "date": m.date.display(), "href": format!("/{c}/meetings/{}", m.slug), "body": ix.body(m.body.as_str()).map_or(m.body.as_str(), |b| b.name.as_str()),
                "kind": a.kind.label(), "seat": seat_label(ix, m.body.as_str(), a.seat.as_ref()), "substitute_for": a.substitute_for.as_ref().map(|p| person_name(ix, p)),
            })
        })
        .collect()
}

/// A person's page: their seats, their attendance, and their calendar.
pub async fn person(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let p = ix.person(&slug).ok_or_else(|| not_found(format!("There is no person called “{slug}” in {}.", ix.register.council.name)))?;
    let c = ix.register.council.slug.as_str();
    let today = state.clock.today();
    let seats: Vec<_> = ix
        .register
        .memberships
        .iter()
        .filter(|m| m.person.as_ref() == Some(&p.slug) || m.substitutes.contains(&p.slug))
        .map(|m| {
            json!({
                "body": ix.body(m.body.as_str()).map(|b| json!({ "slug": b.slug, "name": b.name })), "seat": seat_label(&ix, m.body.as_str(), Some(&m.seat)),
                "substitute": m.person.as_ref() != Some(&p.slug), "start": m.start.as_ref().map(|d| d.display()), "end": m.end.as_ref().map(|d| d.display()),
                "former": m.is_former(today),
            })
        })
        .collect();
    // The posts they hold or held, and the wards they represent as a councillor.
    let posts: Vec<_> = ix
        .register
        .posts
        .iter()
        .filter(|x| x.holder.as_ref() == Some(&p.slug))
        .map(|x| {
            let area = x.area.as_ref().and_then(|a| ix.area(a)).map(|a| json!({ "code": a.code, "name": a.name, "kind": a.kind.label() }));
            json!({
                "title": x.title, "of": ix.party_name(&x.of), "area": area, "party": x.party,
                "start": x.start.as_ref().map(|d| d.display()), "end": x.end.as_ref().map(|d| d.display()),
                "former": x.end.as_ref().is_some_and(|e| e.passed(today)),
            })
        })
        .collect();
    page(
        "person.html",
        json!({
            "council": council_json(&ix), "page_title": p.name, "sources": crate::shell::render::source_titles(&ix, &p.sources),
            "can_change": crate::shell::write::viewer_may(&council, Action::Edit, &Resource::Person), "section": "bodies", "breadcrumbs": crumbs(&ix, &[]),
            "person": p, "seats": seats, "posts": posts, "attendance": attendance_of(&ix, &p.slug), "ics": format!("/{c}/people/{}/meetings.ics", p.slug),
        }),
    )
}

/// The meetings of every body a person sits on, as iCalendar.
pub async fn person_ics(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Result<Response, AppError> {
    let ix = council_of(&state, &council)?;
    let p = ix.person(&slug).ok_or_else(|| not_found(format!("There is no person called “{slug}” in {}.", ix.register.council.name)))?;
    let (from, until) = next_year(state.clock.today());
    let mut meetings: Vec<Planned> =
        ix.bodies_of(&p.slug, state.clock.today()).iter().flat_map(|b| planned(&ix, b.as_str(), from, until).unwrap_or_default()).collect();
    meetings.sort_by_key(|m| m.start);
    Ok(ics_response(&slug, crate::shell::calendar::ics(&format!("Meetings for {}", p.name), &council, &state.base_url, &meetings)))
}

/// A body's attendance, seat by seat, over its recorded meetings.
pub async fn body_attendance(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let b = ix.body(&slug).ok_or_else(|| not_found(format!("There is no body called “{slug}” in {}.", ix.register.council.name)))?;
    let mut held: Vec<&Meeting> = ix.register.meetings.iter().filter(|m| m.body == b.slug && !m.attendance.is_empty()).collect();
    held.sort_by(|x, y| y.date.cmp(&x.date));
    held.truncate(12);
    let c = ix.register.council.slug.as_str();
    let rows: Vec<_> = ix
        .seats_of(&slug)
        .map(|s| {
            let cells: Vec<_> = held
                .iter()
                .map(|m| {
                    m.attendance.iter().find(|a| a.seat.as_ref() == Some(&s.slug)).map(|a| {
                        let who = person_name(&ix, &a.person);
                        match a.kind {
                            AttendanceKind::Substitute => format!("Substitute: {who}"),
                            k => format!("{}: {who}", k.label()),
                        }
                    })
                })
                .collect();
            let present = cells.iter().filter(|x| x.as_deref().is_some_and(|t| t.starts_with("Present") || t.starts_with("Substitute"))).count();
            json!({ "label": s.label, "role": s.role.label(), "cells": cells, "present": present })
        })
        .collect();
    let columns: Vec<_> = held.iter().map(|m| json!({ "date": m.date.display(), "href": format!("/{c}/meetings/{}", m.slug) })).collect();
    page(
        "attendance.html",
        json!({
            "council": council_json(&ix), "page_title": format!("Attendance: {}", b.name), "section": "bodies",
            "breadcrumbs": crumbs(&ix, &[("Bodies", format!("/{c}/bodies")), (b.name.as_str(), format!("/{c}/bodies/{}", b.slug))]),
            "body": { "slug": b.slug, "name": b.name }, "rows": rows, "columns": columns,
        }),
    )
}
