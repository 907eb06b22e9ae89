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
    PartialDate::parse(v).map_err(|_| errors.push(err(field, format!("{what} must be a real date, like 2024-05-01 (or just 2024-05)")))).ok()
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
