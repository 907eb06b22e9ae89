//! Schedules from cadence: a body's RFC 5545 recurrence rule, in
//! Europe/London local time, turned into meeting times; and who each
//! meeting is for and who chairs it, when a body alternates between groups
//! or rotates its chair. This module is the one place that knows the
//! `rrule` crate.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use rrule::{RRuleSet, Tz};

/// The time zone every meeting is held in.
pub const LONDON: Tz = Tz::Europe__London;

/// Why a schedule cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("the rule `{rule}` is not a recurrence rule this schedule understands: {reason}")]
    BadRule { rule: String, reason: String },
    #[error("{0} does not exist in London: the clocks go forward over it; choose another time")]
    NoSuchLocalTime(NaiveDateTime),
}

/// The meeting times of a rule from its first meeting (local time), that
/// fall within `from` to `until` (inclusive, local dates), at most `limit`.
pub fn occurrences(rule: &str, first: NaiveDateTime, from: NaiveDate, until: NaiveDate, limit: u16) -> Result<Vec<NaiveDateTime>, ScheduleError> {
    if LONDON.from_local_datetime(&first).earliest().is_none() {
        return Err(ScheduleError::NoSuchLocalTime(first));
    }
    let text = format!("DTSTART;TZID=Europe/London:{}\nRRULE:{rule}", first.format("%Y%m%dT%H%M%S"));
    let set: RRuleSet = text.parse().map_err(|e: rrule::RRuleError| ScheduleError::BadRule { rule: rule.to_owned(), reason: e.to_string() })?;
    let after = LONDON.from_local_datetime(&from.and_hms_opt(0, 0, 0).expect("midnight")).earliest().expect("midnight exists in London");
    let before = LONDON.from_local_datetime(&until.and_hms_opt(23, 59, 59).expect("a time")).earliest().expect("late evening exists in London");
    let result = set.after(after).before(before).all(limit);
    Ok(result.dates.into_iter().map(|d| d.with_timezone(&LONDON).naive_local()).collect())
}

/// What became of a meeting, as far as rotations are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Scheduled or held: it counts.
    Takes,
    /// Cancelled: it does not count towards a group's turn or a chair's.
    Cancelled,
}

/// Who a meeting is for and who chairs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Index into the body's groups, when it alternates between them.
    pub group: Option<usize>,
    /// Index into the rotation of chairs, when the chair rotates.
    pub chair: Option<usize>,
}

/// Assigns groups and chairs to meetings in date order. Groups alternate
/// meeting by meeting; each chair holds `per_turn` consecutive meetings,
/// then the next takes over. A cancelled meeting is nobody's turn: the
/// alternation and the rotation carry on at the next meeting that takes place.
pub fn assign(statuses: &[Status], groups: usize, chairs: usize, per_turn: u32) -> Vec<Assignment> {
    let mut taken = 0usize;
    statuses
        .iter()
        .map(|s| match s {
            Status::Cancelled => Assignment { group: None, chair: None },
            Status::Takes => {
                let a = Assignment {
                    group: (groups > 0).then(|| taken % groups),
                    chair: (chairs > 0 && per_turn > 0).then(|| (taken / per_turn as usize) % chairs),
                };
                taken += 1;
                a
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike, Weekday};
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn a_quarterly_board_keeps_its_local_time_through_the_clock_changes() {
        let got = occurrences(
            "FREQ=MONTHLY;INTERVAL=3",
            at(2026, 1, 15, 10, 0),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            100,
        )
        .unwrap();
        let days: Vec<String> = got.iter().map(|d| d.format("%Y-%m-%d %H:%M").to_string()).collect();
        assert_eq!(days, ["2026-01-15 10:00", "2026-04-15 10:00", "2026-07-15 10:00", "2026-10-15 10:00"], "10:00 in GMT and in BST alike");
        let utc: Vec<u32> = got.iter().map(|d| LONDON.from_local_datetime(d).unwrap().naive_utc().hour()).collect();
        assert_eq!(utc, [10, 9, 9, 9], "which is 09:00 UTC while British Summer Time lasts (to 25 October 2026)");
    }

    #[test]
    fn bad_rules_and_missing_times_are_refused_with_the_reason() {
        let e = occurrences(
            "FREQ=FORTNIGHTLY",
            at(2026, 1, 15, 10, 0),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            10,
        )
        .unwrap_err();
        assert!(matches!(e, ScheduleError::BadRule { .. }), "{e}");
        let e =
            occurrences("FREQ=MONTHLY", at(2026, 3, 29, 1, 30), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), 10)
                .unwrap_err();
        assert_eq!(e, ScheduleError::NoSuchLocalTime(at(2026, 3, 29, 1, 30)), "01:30 on the day the clocks go forward does not exist");
    }

    #[test]
    fn cadex_alternates_and_each_chief_executive_chairs_three_in_a_row_despite_a_cancellation() {
        use Status::*;
        let statuses = [Takes, Takes, Cancelled, Takes, Takes, Takes, Takes, Takes];
        let a = assign(&statuses, 2, 5, 3);
        let groups: Vec<Option<usize>> = a.iter().map(|x| x.group).collect();
        let chairs: Vec<Option<usize>> = a.iter().map(|x| x.chair).collect();
        assert_eq!(groups, [Some(0), Some(1), None, Some(0), Some(1), Some(0), Some(1), Some(0)]);
        assert_eq!(chairs, [Some(0), Some(0), None, Some(0), Some(1), Some(1), Some(1), Some(2)], "the cancelled meeting is nobody's turn");
    }

    fn rules() -> impl Strategy<Value = (String, Option<Weekday>)> {
        prop_oneof![
            (1u32..=4).prop_map(|k| (format!("FREQ=MONTHLY;INTERVAL={k}"), None)),
            (0usize..5).prop_map(|d| {
                let days = [("MO", Weekday::Mon), ("TU", Weekday::Tue), ("WE", Weekday::Wed), ("TH", Weekday::Thu), ("FR", Weekday::Fri)];
                (format!("FREQ=MONTHLY;BYDAY=2{}", days[d].0), Some(days[d].1))
            }),
            (0usize..5).prop_map(|d| {
                let days = [("MO", Weekday::Mon), ("TU", Weekday::Tue), ("WE", Weekday::Wed), ("TH", Weekday::Thu), ("FR", Weekday::Fri)];
                (format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={}", days[d].0), Some(days[d].1))
            }),
            Just(("FREQ=YEARLY".to_owned(), None)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Meetings fall on the rule's days, at the first meeting's local
        /// time, in order, whatever the clocks do in between.
        #[test]
        fn meetings_keep_their_day_and_local_time_across_clock_changes(
            (rule, weekday) in rules(), year in 2025i32..2030, month in 1u32..=12, day in 1u32..=28, hour in 8u32..=18, half in any::<bool>(),
        ) {
            let first = at(year, month, day, hour, if half { 30 } else { 0 });
            let until = NaiveDate::from_ymd_opt(year + 3, 12, 31).unwrap();
            let got = occurrences(&rule, first, first.date(), until, 500).unwrap();
            prop_assert!(!got.is_empty());
            for pair in got.windows(2) {
                prop_assert!(pair[0] < pair[1]);
            }
            for d in &got {
                prop_assert_eq!((d.hour(), d.minute()), (first.hour(), first.minute()));
                prop_assert!(d.date() >= first.date() && d.date() <= until);
                if let Some(w) = weekday {
                    prop_assert_eq!(d.weekday(), w);
                }
                if rule.contains("BYDAY=2") {
                    prop_assert!((8..=14).contains(&d.day()), "the second weekday of the month");
                }
            }
        }

        /// Groups alternate over the meetings that take place, each chair
        /// holds exactly `per_turn` of them in a row (the last turn may be
        /// cut short), and cancelled meetings are nobody's.
        #[test]
        fn rotations_hold_whatever_is_cancelled(cancelled in proptest::collection::vec(any::<bool>(), 1..80), chairs in 1usize..7, per_turn in 1u32..5, groups in 0usize..3) {
            let statuses: Vec<Status> = cancelled.iter().map(|c| if *c { Status::Cancelled } else { Status::Takes }).collect();
            let a = assign(&statuses, groups, chairs, per_turn);
            let held: Vec<&Assignment> = a.iter().zip(&statuses).filter(|(_, s)| **s == Status::Takes).map(|(x, _)| x).collect();
            for (x, s) in a.iter().zip(&statuses) {
                if *s == Status::Cancelled {
                    prop_assert_eq!(x, &Assignment { group: None, chair: None });
                }
            }
            if groups > 1 {
                for pair in held.windows(2) {
                    prop_assert_eq!((pair[0].group.unwrap() + 1) % groups, pair[1].group.unwrap());
                }
            }
            let mut runs: Vec<(usize, u32)> = Vec::new();
            for x in &held {
                let c = x.chair.unwrap();
                match runs.last_mut() {
                    Some((last, n)) if *last == c && *n < per_turn => *n += 1,
                    _ => runs.push((c, 1)),
                }
            }
            for (i, (c, n)) in runs.iter().enumerate() {
                if i + 1 < runs.len() {
                    prop_assert_eq!(*n, per_turn);
                    prop_assert_eq!((c + 1) % chairs, runs[i + 1].0);
                }
            }
        }
    }
}

// ---- a body's planned meetings --------------------------------------------------------

use crate::queries::Index;
use crate::register::{ChairKind, Party};

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
pub fn find_meeting(ix: &Index, slug: &str) -> Option<(crate::register::Meeting, Option<Planned>)> {
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
            let m = crate::register::Meeting::new(
                crate::ids::Slug::parse(slug).ok()?,
                crate::ids::Slug::parse(&body).ok()?,
                date,
                Some(p.start.time()),
                crate::register::MeetingStatus::Scheduled,
                group,
                p.slot,
            );
            Some((m, Some(p)))
        }
        (None, None) => None,
    }
}

/// The meetings a body's cadence plans between two dates, with the group
/// each is for and who chairs it. Counting starts at the cadence's first
/// meeting, so the rotation and the alternation come out the same however
/// far ahead one looks. Empty for a body without a rule or a first meeting.
pub fn planned(ix: &Index, body: &str, from: NaiveDate, until: NaiveDate) -> Result<Vec<Planned>, ScheduleError> {
    let Some(b) = ix.body(body) else { return Ok(Vec::new()) };
    let Some(c) = &b.cadence else { return Ok(Vec::new()) };
    let (Some(rule), Some(first)) = (&c.rule, c.first) else { return Ok(Vec::new()) };
    if until < first.date() {
        return Ok(Vec::new());
    }
    let all = occurrences(rule, first, first.date(), until, u16::MAX)?;
    // Recorded meetings stand for planned ones: moved (a new time) or cancelled.
    let records: Vec<&crate::register::Meeting> = ix.register.meetings.iter().filter(|m| m.body == b.slug).collect();
    let record_for = |slot: &NaiveDateTime| records.iter().find(|m| m.planned_for.as_ref() == Some(slot)).copied();
    let statuses: Vec<Status> = all
        .iter()
        .map(|slot| if record_for(slot).is_some_and(|m| m.status == crate::register::MeetingStatus::Cancelled) { Status::Cancelled } else { Status::Takes })
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
            let cancelled = record.is_some_and(|m| m.status == crate::register::MeetingStatus::Cancelled);
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
    for m in records.iter().filter(|m| m.planned_for.is_none()) {
        if let Some(start) = m.start().filter(|s| s.date() >= from && s.date() <= until) {
            out.push(Planned {
                body: b.slug.to_string(),
                body_name: b.name.clone(),
                start,
                group: m.group.as_ref().and_then(|g| b.groups.iter().find(|x| &x.slug == g)).map(|g| g.name.clone()),
                chair: fixed_chair.clone(),
                host: None,
                cancelled: m.status == crate::register::MeetingStatus::Cancelled,
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
