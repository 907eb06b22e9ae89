//! Recurrence: RFC 5545 rules in Europe/London local time, and rotation
//! among a body's groups and chairs. The one user of `rrule`.

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
    #[error(
        "the rule `{rule}` plans more than {MAX_MEETINGS_PER_WEEK} meetings within a week (from {from}); a body meets at most {MAX_MEETINGS_PER_WEEK} times a week: write a rule like `FREQ=WEEKLY` or `FREQ=MONTHLY;INTERVAL=3`"
    )]
    TooOften { rule: String, from: NaiveDate },
}

/// The most meetings a body's rule may plan within any seven days. A rule
/// that plans more (`FREQ=DAILY;BYHOUR=0,1,...`) is refused: no body meets so
/// often, and its calendars would be enormous.
pub const MAX_MEETINGS_PER_WEEK: usize = 3;

/// Checks a body's rule from its first meeting: that the first meeting
/// exists in London time, that the rule is one this schedule understands,
/// and that over its first year it never plans more than
/// [`MAX_MEETINGS_PER_WEEK`] meetings within seven days.
pub fn check_schedule(rule: &str, first: NaiveDateTime) -> Result<(), ScheduleError> {
    let year = first.date() + chrono::Days::new(365);
    let limit = u16::try_from(MAX_MEETINGS_PER_WEEK * 53 + 1).expect("a small number");
    let planned = occurrences(rule, first, first.date(), year, limit)?;
    for window in planned.windows(MAX_MEETINGS_PER_WEEK + 1) {
        if window[MAX_MEETINGS_PER_WEEK] - window[0] < chrono::Duration::days(7) {
            return Err(ScheduleError::TooOften { rule: rule.to_owned(), from: window[0].date() });
        }
    }
    Ok(())
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

/// Checks the part of an RFC 5545 RRULE the register relies on: a known
/// FREQ, and well-formed NAME=VALUE parts.
pub fn check_rrule(rule: &str) -> Result<(), String> {
    let mut freq = None;
    for part in rule.split(';') {
        let Some((name, value)) = part.split_once('=') else {
            return Err(format!("`{part}` in the rule `{rule}` is not NAME=VALUE; write a rule like `FREQ=MONTHLY;INTERVAL=3`"));
        };
        match name {
            "FREQ" => freq = Some(value),
            "INTERVAL" | "COUNT" => {
                if value.parse::<u32>().map_or(true, |n| n == 0) {
                    return Err(format!("{name} must be a whole number above 0, not `{value}`"));
                }
            }
            "BYDAY" | "BYMONTH" | "BYMONTHDAY" | "BYSETPOS" | "WKST" | "UNTIL" | "BYHOUR" | "BYMINUTE" => {}
            _ => return Err(format!("`{name}` is not a recurrence rule part this register understands")),
        }
    }
    match freq {
        Some("YEARLY" | "MONTHLY" | "WEEKLY" | "DAILY") => Ok(()),
        Some(f) => Err(format!("FREQ=`{f}` is not one of YEARLY, MONTHLY, WEEKLY, DAILY")),
        None => Err(format!("the rule `{rule}` has no FREQ; write a rule like `FREQ=MONTHLY;INTERVAL=3`")),
    }
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
    fn a_rule_that_meets_more_than_three_times_a_week_is_refused() {
        let first = at(2027, 1, 4, 10, 0);
        let hours: Vec<String> = (0..24).map(|h| h.to_string()).collect();
        let minutes: Vec<String> = (0..60).map(|m| m.to_string()).collect();
        let flood = format!("FREQ=DAILY;BYHOUR={};BYMINUTE={}", hours.join(","), minutes.join(","));
        let started = std::time::Instant::now();
        let e = check_schedule(&flood, first).unwrap_err();
        assert!(matches!(e, ScheduleError::TooOften { .. }), "{e}");
        assert!(e.to_string().contains("at most 3 times a week"), "{e}");
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "checking a flood of meetings is quick");
        assert!(check_schedule("FREQ=DAILY", first).is_err());
        assert!(check_schedule("FREQ=WEEKLY;BYDAY=MO,WE,FR", first).is_ok(), "three a week is allowed");
        assert!(check_schedule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH", first).is_err(), "four a week is not");
        assert!(check_schedule("FREQ=MONTHLY;INTERVAL=3", first).is_ok());
        assert!(check_schedule("FREQ=MONTHLY;BYDAY=2TU", first).is_ok());
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

/// A recurrence rule in words, as a resident would say it:
/// `FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU` is "Every three months, on the second
/// Tuesday"; `FREQ=YEARLY;BYMONTH=6;BYDAY=2FR` "Every year, on the second
/// Friday in June". None for a rule with a part this cannot say (the rule is
/// then best left unsaid to the public).
pub fn describe(rule: &str) -> Option<String> {
    let mut unit = None;
    let mut interval = 1u32;
    let (mut days, mut months, mut month_days, mut count) = (Vec::new(), Vec::new(), Vec::new(), None);
    for part in rule.split(';').filter(|p| !p.is_empty()) {
        let (name, value) = part.split_once('=')?;
        match name {
            "FREQ" => {
                unit = Some(match value {
                    "DAILY" => ("day", "days"),
                    "WEEKLY" => ("week", "weeks"),
                    "MONTHLY" => ("month", "months"),
                    "YEARLY" => ("year", "years"),
                    _ => return None,
                })
            }
            "INTERVAL" => interval = value.parse().ok().filter(|n| *n > 0)?,
            "COUNT" => count = Some(value.parse::<u32>().ok()?),
            "BYDAY" => days = value.split(',').map(weekday_in_words).collect::<Option<Vec<_>>>()?,
            "BYMONTH" => months = value.split(',').map(|m| MONTHS.get(m.parse::<usize>().ok()?.checked_sub(1)?).copied()).collect::<Option<Vec<_>>>()?,
            "BYMONTHDAY" => {
                month_days = value.split(',').map(|d| d.parse::<i32>().ok().filter(|d| (1..=31).contains(d)).map(ordinal_day)).collect::<Option<Vec<_>>>()?
            }
            "WKST" => {}
            _ => return None,
        }
    }
    let (one, many) = unit?;
    let mut out = match interval {
        1 => format!("Every {one}"),
        n => format!("Every {} {many}", NUMBERS.get(n as usize).copied().map_or_else(|| n.to_string(), str::to_owned)),
    };
    let on: Vec<String> = days.into_iter().chain(month_days).collect();
    if !on.is_empty() {
        out.push_str(&format!(", on {}", and_list(&on)));
    }
    if !months.is_empty() {
        let months: Vec<String> = months.iter().map(|m| (*m).to_owned()).collect();
        out.push_str(&format!("{}in {}", if on.is_empty() { ", " } else { " " }, and_list(&months)));
    }
    if let Some(n) = count {
        out.push_str(&format!(", {n} time{}", if n == 1 { "" } else { "s" }));
    }
    Some(out)
}

const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const NUMBERS: [&str; 13] = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn ordinal_day(d: i32) -> String {
    format!("the {}", crate::ids::ordinal(d.unsigned_abs()))
}

/// `2TU` as "the second Tuesday", `-1FR` "the last Friday", `MO` "Monday".
fn weekday_in_words(day: &str) -> Option<String> {
    let (n, code) = day.split_at(day.len().checked_sub(2)?);
    let name = match code {
        "MO" => "Monday",
        "TU" => "Tuesday",
        "WE" => "Wednesday",
        "TH" => "Thursday",
        "FR" => "Friday",
        "SA" => "Saturday",
        "SU" => "Sunday",
        _ => return None,
    };
    Some(match n {
        "" => name.to_owned(),
        "-1" => format!("the last {name}"),
        "-2" => format!("the last but one {name}"),
        _ => {
            let n: usize = n.trim_start_matches('+').parse().ok()?;
            let nth = ["first", "second", "third", "fourth", "fifth"].get(n.checked_sub(1)?)?;
            format!("the {nth} {name}")
        }
    })
}

#[cfg(test)]
mod described {
    use super::describe;

    #[test]
    fn rules_read_as_a_resident_would_say_them() {
        let cases = [
            ("FREQ=MONTHLY;INTERVAL=3", "Every three months"),
            ("FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU", "Every three months, on the second Tuesday"),
            ("FREQ=YEARLY;BYMONTH=6;BYDAY=2FR", "Every year, on the second Friday in June"),
            ("FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE", "Every two months, on the third Wednesday"),
            ("FREQ=MONTHLY;BYDAY=1TU", "Every month, on the first Tuesday"),
            ("FREQ=WEEKLY;BYDAY=TU,TH", "Every week, on Tuesday and Thursday"),
            ("FREQ=MONTHLY;BYDAY=-1FR", "Every month, on the last Friday"),
            ("FREQ=MONTHLY;BYMONTHDAY=1", "Every month, on the 1st"),
            ("FREQ=YEARLY;BYMONTH=3,9", "Every year, in March and September"),
            ("FREQ=WEEKLY;INTERVAL=2;COUNT=6", "Every two weeks, 6 times"),
        ];
        for (rule, words) in cases {
            assert_eq!(describe(rule).as_deref(), Some(words), "{rule}");
        }
        for unsayable in ["FREQ=HOURLY", "FREQ=DAILY;BYHOUR=9", "FREQ=MONTHLY;BYDAY=9TU", "nonsense", "FREQ=MONTHLY;BYMONTH=13"] {
            assert_eq!(describe(unsayable), None, "{unsayable}");
        }
    }
}
