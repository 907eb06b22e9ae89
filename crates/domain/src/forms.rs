//! Reading what a person typed into a form: each helper takes the text as
//! typed and either gives a value that cannot be wrong or names the field
//! and says how to put it right. Forms keep every value as typed, so a page
//! showing errors shows the values back and nothing is lost on a failed
//! submit.

use crate::ids::{PartialDate, Slug};
use placeworks_kernel::Exemption;
use serde::Serialize;
use serde_json::Value;

/// A problem with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

pub(crate) fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

/// One line of text, trimmed, with inner runs of space made single.
pub(crate) fn line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn opt_line(s: &str) -> Option<String> {
    Some(line(s)).filter(|s| !s.is_empty())
}

pub(crate) fn check_len(errors: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.push(err(field, format!("{what} must be {max} characters or fewer")));
    }
}

/// Paragraphs from a text area: one item a line, blank lines dropped.
pub(crate) fn lines(errors: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str) -> Vec<String> {
    let items: Vec<String> = value.lines().map(line).filter(|l| !l.is_empty()).collect();
    if items.len() > 100 {
        errors.push(err(field, format!("{what} can have at most 100 lines")));
    }
    if items.iter().any(|i| i.chars().count() > 2000) {
        errors.push(err(field, format!("Each line of {} must be 2000 characters or fewer", what.to_lowercase())));
    }
    items
}

pub(crate) fn date(errors: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str) -> Option<PartialDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    written_date(v).map_err(|_| errors.push(err(field, format!("{what} must be a real date, like 31/12/2026 (or a month, like 12/2026)")))).ok()
}

const MONTHS: [&str; 12] = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/// A month by its name or its first three letters ("Dec", "december").
fn month_named(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    (w.len() >= 3).then(|| MONTHS.iter().position(|m| m.starts_with(&w)).map(|i| i as u32 + 1)).flatten()
}

/// A year as written: four digits, or two meaning this century.
fn year_written(word: &str) -> Option<i32> {
    match word.len() {
        4 => word.parse().ok(),
        2 => word.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

/// A date as people in the UK write it, day first: 31/12/2026, 31-12-26,
/// 31.12.2026, 31 December 2026, 31 Dec 2026, as well as 2026-12-31; or a
/// month alone (12/2026, December 2026, 2026-12) or a year (2026). Anything
/// ambiguous or not on the calendar is refused.
pub fn written_date(text: &str) -> Result<PartialDate, String> {
    let t = text.trim();
    if let Ok(d) = PartialDate::parse(t) {
        return Ok(d);
    }
    let bad = || format!("`{t}` is not a date: write it like 31/12/2026");
    let words: Vec<&str> = t.split(|c: char| c == '/' || c == '-' || c == '.' || c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    let number = |w: &str| w.parse::<u32>().ok().filter(|_| w.len() <= 2);
    let (day, month, year) = match words.as_slice() {
        [d, m, y] => (Some(number(d).ok_or_else(bad)?), number(m).or_else(|| month_named(m)).ok_or_else(bad)?, year_written(y).ok_or_else(bad)?),
        [m, y] => (None, number(m).or_else(|| month_named(m)).ok_or_else(bad)?, year_written(y).ok_or_else(bad)?),
        _ => return Err(bad()),
    };
    let iso = match day {
        Some(d) => format!("{year:04}-{month:02}-{d:02}"),
        None => format!("{year:04}-{month:02}"),
    };
    PartialDate::parse(&iso).map_err(|_| format!("`{t}` is not a day of the calendar"))
}

/// A whole day (not a month or a year), written any of the ways [`written_date`] reads.
pub fn written_day(text: &str) -> Result<chrono::NaiveDate, String> {
    let d = written_date(text)?;
    chrono::NaiveDate::parse_from_str(d.as_str(), "%Y-%m-%d").map_err(|_| format!("`{}` is not a whole date: give the day too, like 31/12/2026", text.trim()))
}

/// A time of day as people write it: 14:00, 14.00, 1400, 2pm, 2.30pm,
/// 10am, 10:30 am, noon or midday.
pub fn written_time(text: &str) -> Result<chrono::NaiveTime, String> {
    let t = text.trim().to_lowercase().replace(' ', "");
    let bad = || format!("`{}` is not a time of day: write it like 14:00 or 2pm", text.trim());
    if t == "noon" || t == "midday" || t == "12noon" {
        return Ok(chrono::NaiveTime::from_hms_opt(12, 0, 0).expect("noon"));
    }
    let (digits, half) = match (t.strip_suffix("am"), t.strip_suffix("pm")) {
        (Some(d), _) => (d.to_owned(), Some(false)),
        (_, Some(d)) => (d.to_owned(), Some(true)),
        _ => (t.clone(), None),
    };
    let (h, m): (u32, u32) = match digits.split_once([':', '.']) {
        Some((h, m)) if m.len() == 2 => (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?),
        None if digits.len() <= 2 => (digits.parse().map_err(|_| bad())?, 0),
        None if digits.len() == 4 && half.is_none() => (digits[..2].parse().map_err(|_| bad())?, digits[2..].parse().map_err(|_| bad())?),
        _ => return Err(bad()),
    };
    let h = match half {
        Some(pm) if (1..=12).contains(&h) => (h % 12) + if pm { 12 } else { 0 },
        Some(_) => return Err(bad()),
        None => h,
    };
    chrono::NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
}

/// A day and a time together, as people write them: 14/01/2027 10am,
/// 14 January 2027, 10:00, or 2027-01-14T10:00.
pub fn written_moment(text: &str) -> Result<chrono::NaiveDateTime, String> {
    let t = text.trim();
    if let Ok(m) = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M") {
        return Ok(m);
    }
    let bad = || format!("`{t}` is not a day and a time: write it like 14/01/2027 10am");
    // The time is the last word (or the last two, "10:30 am").
    let words: Vec<&str> = t.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    for take in [1, 2] {
        if words.len() > take {
            let (day, time) = words.split_at(words.len() - take);
            if let (Ok(d), Ok(h)) = (written_day(&day.join(" ")), written_time(&time.join(" "))) {
                return Ok(d.and_time(h));
            }
        }
    }
    Err(bad())
}

pub(crate) fn number(errors: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<u32>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.push(err(field, format!("{what} must be a whole number from {} to {}", range.start(), range.end())));
            None
        }
    }
}

pub(crate) fn exemption(errors: &mut Vec<FieldError>, value: &str) -> Option<Exemption> {
    let v = value.trim();
    if v.is_empty() || v == "public" {
        return None;
    }
    Exemption::parse(v)
        .map_err(|_| errors.push(err("exempt", "Select whether the record is public or which paragraph of Schedule 12A it is exempt under")))
        .ok()
}

pub(crate) fn exempt_text(e: Option<Exemption>) -> String {
    e.map(|e| e.number().to_string()).unwrap_or_default()
}

pub(crate) fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty() && v != "no" && v != "false")
}

pub(crate) fn tick(on: bool) -> Option<String> {
    on.then(|| "yes".to_owned())
}

pub(crate) fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("register records serialise")
}

/// A free slug: `base`, or `base-2`, `base-3` and so on.
pub(crate) fn free_slug(base: &str, taken: impl Fn(&str) -> bool) -> Slug {
    let base = if base.is_empty() { "item".to_owned() } else { base.to_owned() };
    let s = (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|s| !taken(s)).expect("a free slug");
    Slug::parse(&s).expect("slugify makes slugs")
}

/// The slug for a new record: readable (`base`, made free) for a public
/// one; for a confidential one, a slug that reveals nothing of it (not its
/// title, nor how many others there are): `confidential-{kind}-` and a
/// hash of what makes it, made free the same way. So a public record's slug
/// never shows that a confidential one of the same name was made first (and
/// no public one is given a slug of that form, so none can be made to
/// collide with a confidential one on purpose).
pub(crate) fn record_slug(exempt: Option<Exemption>, kind: &str, base: &str, taken: impl Fn(&str) -> bool) -> Slug {
    match exempt {
        None if base.starts_with("confidential-") => free_slug(&format!("public-{base}"), taken),
        None => free_slug(base, taken),
        Some(_) => {
            let hash = format!("{kind}\u{0}{base}").bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
            free_slug(&format!("confidential-{kind}-{:010x}", hash & 0xff_ffff_ffff), taken)
        }
    }
}

pub(crate) fn check_name(errors: &mut Vec<FieldError>, field: &'static str, value: &str, missing: &str) {
    let v = value.trim();
    if v.is_empty() {
        errors.push(err(field, missing));
    } else {
        check_len(errors, field, "Name", v, 200);
    }
}

// ---- adding a member ---------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confidential_records_slug_reveals_nothing_and_a_public_one_cannot_imitate_it() {
        let secret = Some(Exemption::paragraph(3).unwrap());
        let s = record_slug(secret, "decision", "sale-of-the-depot-2027-01-14", |_| false);
        assert!(s.as_str().starts_with("confidential-decision-") && !s.as_str().contains("depot"), "{s}");
        assert_eq!(record_slug(None, "decision", "sale-of-the-depot-2027-01-14", |_| false).as_str(), "sale-of-the-depot-2027-01-14");
        // A public record of the same name beside the confidential one gets the plain slug.
        let taken = |x: &str| x == s.as_str();
        assert_eq!(record_slug(None, "decision", "sale-of-the-depot-2027-01-14", taken).as_str(), "sale-of-the-depot-2027-01-14");
        // A public title typed to look like the confidential slug cannot collide with it.
        let imitation = record_slug(None, "decision", s.as_str(), taken);
        assert_eq!(imitation.as_str(), format!("public-{s}"));
    }
}

#[cfg(test)]
mod written {
    use super::*;

    #[test]
    fn dates_are_read_the_ways_people_write_them() {
        for (typed, iso) in [
            ("31/12/2026", "2026-12-31"),
            ("1/3/2027", "2027-03-01"),
            ("31-12-26", "2026-12-31"),
            ("31.12.2026", "2026-12-31"),
            ("31 December 2026", "2026-12-31"),
            ("31 dec 2026", "2026-12-31"),
            ("2026-12-31", "2026-12-31"),
            ("12/2026", "2026-12"),
            ("May 2024", "2024-05"),
            ("2024", "2024"),
        ] {
            assert_eq!(written_date(typed).unwrap().as_str(), iso, "{typed}");
        }
        for bad in ["31/02/2027", "soon", "13/13/2026", "1/2/3/4", "next spring"] {
            assert!(written_date(bad).is_err(), "{bad}");
        }
        assert!(written_day("12/2026").is_err(), "a month is not a day");
    }

    #[test]
    fn times_are_read_the_ways_people_write_them() {
        for (typed, hm) in [
            ("10am", "10:00"),
            ("10 am", "10:00"),
            ("2pm", "14:00"),
            ("2.30pm", "14:30"),
            ("12pm", "12:00"),
            ("12am", "00:00"),
            ("14:00", "14:00"),
            ("9.15", "09:15"),
            ("1400", "14:00"),
            ("noon", "12:00"),
        ] {
            assert_eq!(written_time(typed).unwrap().format("%H:%M").to_string(), hm, "{typed}");
        }
        for bad in ["13pm", "25:00", "10:7", "ten", ""] {
            assert!(written_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_day_and_a_time_together() {
        for typed in ["14/01/2027 10am", "14 January 2027, 10:00", "2027-01-14T10:00", "14/1/27 10:00 am"] {
            assert_eq!(written_moment(typed).unwrap().format("%Y-%m-%dT%H:%M").to_string(), "2027-01-14T10:00", "{typed}");
        }
        assert!(written_moment("14/01/2027").is_err());
    }
}
