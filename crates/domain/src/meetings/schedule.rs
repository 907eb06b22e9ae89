//! A body's planned meetings: its cadence's occurrences, matched with the
//! meetings recorded.

use crate::recurrence::*;
use crate::register::model::{ChairKind, Party};
use crate::register::queries::Index;
use chrono::{NaiveDate, NaiveDateTime};

/// A meeting planned from a body's cadence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Planned {
    pub body: String,
    pub body_name: String,
    /// London local time.
    pub start: NaiveDateTime,
    /// The group the meeting is for, when the body alternates.
    pub group: Option<String>,
    /// Who chairs, in words: a seat, a post or the arrangement.
    pub chair: Option<String>,
    /// Who hosts, when the chair hosts.
    pub host: Option<String>,
    /// Cancelled: kept in the list, so people see it will not happen.
    pub cancelled: bool,
    /// Where a recorded meeting moved it from.
    pub rescheduled_from: Option<NaiveDateTime>,
    /// The recorded meeting, where there is one.
    pub meeting: Option<String>,
    /// The meeting's slug: the record's, or the one a record of it would have.
    pub slug: String,
    /// The slot in the cadence it stands for (None for an added meeting).
    pub slot: Option<NaiveDateTime>,
    /// The seat whose holder is to chair, when the chair rotates.
    pub chair_seat: Option<String>,
    /// The group's slug, when the body alternates.
    pub group_slug: Option<String>,
}

/// The slug of the meeting a body's cadence plans at `slot` (London time),
/// which a record of that meeting keeps wherever it moves.
pub fn meeting_slug(body: &str, slot: NaiveDateTime) -> crate::ids::Slug {
    crate::ids::Slug::parse(&crate::ids::slugify(&format!("{body} {}", slot.format("%Y-%m-%d %H%M")))).expect("slugify makes slugs")
}

/// The meeting with this slug, as recorded or (when nothing is recorded of
/// it yet) as a new record of what the cadence plans, with its planned place.
pub fn find_meeting(ix: &Index, slug: &str) -> Option<(crate::meetings::model::Meeting, Option<Planned>)> {
    let record = ix.register.meetings.iter().find(|m| m.slug.as_str() == slug);
    let body = record.map(|m| m.body.to_string()).or_else(|| {
        ix.register.bodies.iter().filter(|b| slug.starts_with(&format!("{}-", b.slug))).max_by_key(|b| b.slug.as_str().len()).map(|b| b.slug.to_string())
    })?;
    // The date in the slug bounds the search; a moved meeting may be a year off.
    let day = slug.get(body.len() + 1..body.len() + 11).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let around = record.and_then(|m| m.start()).map(|s| s.date()).or(day);
    let plan = around
        .and_then(|a| planned(ix, &body, a - chrono::Months::new(24), a + chrono::Months::new(24)).ok())
        .and_then(|all| all.into_iter().find(|p| p.slug == slug));
    match (record, plan) {
        (Some(m), plan) => Some((m.clone(), plan)),
        (None, Some(p)) => {
            let date = crate::ids::PartialDate::parse(&p.start.format("%Y-%m-%d").to_string()).ok()?;
            let group = p.group_slug.as_ref().and_then(|g| crate::ids::Slug::parse(g).ok());
            let m = crate::meetings::model::Meeting::new(
                crate::ids::Slug::parse(slug).ok()?,
                crate::ids::Slug::parse(&body).ok()?,
                date,
                Some(p.start.time()),
                crate::meetings::model::MeetingStatus::Scheduled,
                group,
                p.slot,
            );
            Some((m, Some(p)))
        }
        (None, None) => None,
    }
}

/// Which recorded meeting stands for which turn of the cadence. A record
/// stands for the turn it names (`planned_for`); a record that names none
/// stands for the first turn not already taken that has its slug (the one a
/// record of that turn is given: body, day and time), or else falls on its
/// day (at any time that day: the meeting was held then, perhaps moved within
/// the day), or else, for a record dated only to a month, falls in its month.
/// Any other record is a meeting added outside the cadence.
fn match_records<'a>(
    body: &str,
    slots: &[NaiveDateTime],
    records: &[&'a crate::meetings::model::Meeting],
) -> Vec<(NaiveDateTime, &'a crate::meetings::model::Meeting)> {
    use std::collections::HashMap;
    // Every lookup by a map built once: a body's cadence runs to hundreds of
    // turns and its records to hundreds of meetings, and this runs on every
    // page that shows a meeting.
    let at: HashMap<NaiveDateTime, usize> = slots.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut by_day: HashMap<NaiveDate, Vec<usize>> = HashMap::new();
    let mut by_month: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, s) in slots.iter().enumerate() {
        by_day.entry(s.date()).or_default().push(i);
        by_month.entry(s.format("%Y-%m").to_string()).or_default().push(i);
    }
    let mut taken = vec![false; slots.len()];
    let mut out = Vec::new();
    let mut rest = Vec::new();
    for m in records {
        match m.planned_for.and_then(|p| at.get(&p).copied()) {
            Some(i) => {
                taken[i] = true;
                out.push((slots[i], *m));
            }
            None if m.planned_for.is_none() => rest.push(*m),
            None => {}
        }
    }
    // The turn a record's slug names: `{body}-YYYY-MM-DD-HHMM`, as `meeting_slug` makes it.
    let epoch = meeting_slug(body, NaiveDateTime::default());
    let prefix = epoch.as_str().trim_end_matches("1970-01-01-0000");
    let named = |m: &crate::meetings::model::Meeting| {
        let rest = m.slug.as_str().strip_prefix(prefix)?;
        NaiveDateTime::parse_from_str(rest, "%Y-%m-%d-%H%M").ok().and_then(|t| at.get(&t).copied())
    };
    let on_day = |m: &crate::meetings::model::Meeting| NaiveDate::parse_from_str(m.date.as_str(), "%Y-%m-%d").ok().and_then(|d| by_day.get(&d));
    let in_month = |m: &crate::meetings::model::Meeting| (m.date.as_str().len() == 7).then(|| by_month.get(m.date.as_str())).flatten();
    for way in 0..3 {
        rest.retain(|m| {
            let candidates: Vec<usize> = match way {
                0 => named(m).into_iter().collect(),
                1 => on_day(m).cloned().unwrap_or_default(),
                _ => in_month(m).cloned().unwrap_or_default(),
            };
            match candidates.into_iter().find(|i| !taken[*i]) {
                Some(i) => {
                    taken[i] = true;
                    out.push((slots[i], *m));
                    false
                }
                None => true,
            }
        });
    }
    out
}

/// The meetings a body's cadence plans between two dates, with the group
/// each is for and who chairs it. Counting starts at the cadence's first
/// meeting, so the rotation and the alternation come out the same however
/// far ahead one looks. Empty for a body without a rule or a first meeting.
pub fn planned(ix: &Index, body: &str, from: NaiveDate, until: NaiveDate) -> Result<Vec<Planned>, ScheduleError> {
    let Some(b) = ix.body(body) else { return Ok(Vec::new()) };
    let Some(c) = &b.cadence else { return Ok(Vec::new()) };
    let (Some(rule), Some(first)) = (&c.rule, c.first) else { return Ok(Vec::new()) };
    // Nothing is planned for a body after it ends.
    let until = b.ended.as_ref().map_or(until, |e| until.min(e.last_day()));
    if until < first.date() || until < from {
        return Ok(Vec::new());
    }
    let all = occurrences(rule, first, first.date(), until, u16::MAX)?;
    // Recorded meetings stand for planned ones: moved (a new time) or cancelled.
    let records: Vec<&crate::meetings::model::Meeting> = ix.register.meetings.iter().filter(|m| m.body == b.slug).collect();
    let matched: std::collections::HashMap<NaiveDateTime, &crate::meetings::model::Meeting> = match_records(body, &all, &records).into_iter().collect();
    let record_for = |slot: &NaiveDateTime| matched.get(slot).copied();
    let statuses: Vec<Status> = all
        .iter()
        .map(
            |slot| {
                if record_for(slot).is_some_and(|m| m.status == crate::meetings::model::MeetingStatus::Cancelled) {
                    Status::Cancelled
                } else {
                    Status::Takes
                }
            },
        )
        .collect();
    let chair = b.chair.as_ref();
    let rotation: Vec<&crate::register::Seat> =
        chair.map(|c| c.rotation.iter().filter_map(|s| ix.seats_of(body).find(|x| &x.slug == s)).collect()).unwrap_or_default();
    let per_turn = chair.and_then(|c| c.rotation_meetings).unwrap_or(0);
    let assigned = assign(&statuses, b.groups.len(), rotation.len(), per_turn);
    // A cancelled meeting keeps the group and chair it would have had, for the record.
    let shadow = assign(&vec![Status::Takes; all.len()], b.groups.len(), rotation.len(), per_turn);
    let fixed_chair = chair.and_then(|c| match c.kind {
        ChairKind::Rotating => None,
        _ => c.post.as_ref().and_then(|p| ix.post(p.as_str())).map(|p| format!("{}, {}", p.title, ix.party_name(&p.of))),
    });
    let mut out: Vec<Planned> = all
        .into_iter()
        .zip(assigned.into_iter().zip(shadow))
        .map(|(slot, (a, shadow))| {
            let record = record_for(&slot);
            let cancelled = record.is_some_and(|m| m.status == crate::meetings::model::MeetingStatus::Cancelled);
            let a = if cancelled { Assignment { group: shadow.group, chair: None } } else { a };
            let seat = a.chair.map(|i| rotation[i]);
            let host = seat.filter(|_| chair.is_some_and(|c| c.chair_hosts)).and_then(|s| s.on_behalf_of.as_ref()).map(|p: &Party| ix.party_name(p).to_owned());
            let moved = record.filter(|_| !cancelled).and_then(|m| m.start()).filter(|s| *s != slot);
            Planned {
                body: b.slug.to_string(),
                body_name: b.name.clone(),
                start: moved.unwrap_or(slot),
                group: a.group.map(|g| b.groups[g].name.clone()),
                chair: if cancelled { None } else { seat.map(|s| s.label.clone()).or_else(|| fixed_chair.clone()) },
                host,
                cancelled,
                rescheduled_from: moved.map(|_| slot),
                meeting: record.map(|m| m.slug.to_string()),
                slug: record.map(|m| m.slug.clone()).unwrap_or_else(|| meeting_slug(body, slot)).to_string(),
                slot: Some(slot),
                chair_seat: if cancelled { None } else { seat.map(|s| s.slug.to_string()) },
                group_slug: a.group.map(|g| b.groups[g].slug.to_string()),
            }
        })
        .filter(|p| p.start.date() >= from && p.start.date() <= until)
        .collect();
    // Meetings added outside the cadence.
    let standing: std::collections::HashSet<&str> = matched.values().map(|m| m.slug.as_str()).collect();
    for m in records.iter().filter(|m| !standing.contains(m.slug.as_str())) {
        if let Some(start) = m.start().filter(|s| s.date() >= from && s.date() <= until) {
            out.push(Planned {
                body: b.slug.to_string(),
                body_name: b.name.clone(),
                start,
                group: m.group.as_ref().and_then(|g| b.groups.iter().find(|x| &x.slug == g)).map(|g| g.name.clone()),
                chair: fixed_chair.clone(),
                host: None,
                cancelled: m.status == crate::meetings::model::MeetingStatus::Cancelled,
                rescheduled_from: None,
                meeting: Some(m.slug.to_string()),
                slug: m.slug.to_string(),
                slot: None,
                chair_seat: None,
                group_slug: m.group.as_ref().map(ToString::to_string),
            });
        }
    }
    out.sort_by_key(|p| p.start);
    Ok(out)
}
