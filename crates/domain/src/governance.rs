//! Governance health: the register checked against the rules the bodies set
//! themselves. Each breach names the rule it breaks, in the source's words
//! where there are some, and the record to fix. For now: reviews overdue
//! and seats without a holder; the rules about meetings, notice and
//! ratification follow when meetings are recorded.

use crate::ids::PartialDate;
use crate::queries::Index;
use chrono::NaiveDate;
use serde::Serialize;

/// One breach of a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    /// `review-overdue`, `seat-vacant`.
    pub rule: &'static str,
    /// The rule in words.
    pub rule_text: String,
    pub body: String,
    pub body_name: String,
    /// What is wrong, in words.
    pub what: String,
}

/// Whether a date (a year, a month or a day) has wholly passed by `today`.
fn passed(d: &PartialDate, today: NaiveDate) -> bool {
    let s = d.as_str();
    let t = today.format("%Y-%m-%d").to_string();
    s < &t[..s.len()]
}

/// Whether a period that starts and ends on these dates covers `today`.
fn covers(start: Option<&PartialDate>, end: Option<&PartialDate>, today: NaiveDate) -> bool {
    let t = today.format("%Y-%m-%d").to_string();
    start.is_none_or(|s| s.as_str() <= &t[..s.as_str().len()]) && end.is_none_or(|e| !passed(e, today))
}

/// Every breach in a register as of `today`, body by body.
pub fn check(ix: &Index, today: NaiveDate) -> Vec<Breach> {
    let reg = &ix.register;
    let mut out = Vec::new();
    for b in reg.bodies.iter().filter(|b| b.ended.as_ref().is_none_or(|e| !passed(e, today))) {
        if let Some(due) = b.review_due.as_ref().filter(|d| passed(d, today)) {
            out.push(Breach {
                rule: "review-overdue",
                rule_text: b.review.clone().unwrap_or_else(|| format!("The arrangements are reviewed by {}", due.display())),
                body: b.slug.to_string(),
                body_name: b.name.clone(),
                what: format!("The review was due by {} and none is recorded", due.display()),
            });
        }
        let vacant: Vec<&str> = ix
            .seats_of(b.slug.as_str())
            .filter(|s| s.role.decides())
            .filter(|s| {
                let held = ix.memberships_of(b.slug.as_str(), s.slug.as_str()).any(|m| m.person.is_some() && covers(m.start.as_ref(), m.end.as_ref(), today));
                let ex_officio = s.post.as_ref().and_then(|p| ix.post(p.as_str())).is_some_and(|p| p.holder.is_some());
                !held && !ex_officio
            })
            .map(|s| s.label.as_str())
            .collect();
        if !vacant.is_empty() {
            let n = ix.seats_of(b.slug.as_str()).filter(|s| s.role.decides()).count();
            out.push(Breach {
                rule: "seat-vacant",
                rule_text: "Every member's seat has a holder".to_owned(),
                body: b.slug.to_string(),
                body_name: b.name.clone(),
                what: format!("{} of {n} member seats have no holder recorded: {}", vacant.len(), vacant.join("; ")),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{self, DatasetFiles};

    fn riverside() -> Index {
        let files = DatasetFiles::from_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
        Index::new(dataset::read(&files).unwrap())
    }

    #[test]
    fn a_review_is_overdue_once_its_month_has_passed() {
        let ix = riverside();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let rules = |t: &str| check(&ix, day(t)).into_iter().filter(|b| b.rule == "review-overdue").map(|b| b.body).collect::<Vec<_>>();
        assert!(rules("2025-04-30").is_empty(), "due in April 2025: not overdue on its last day");
        assert_eq!(rules("2025-05-01"), ["riverside-partnership-board"]);
    }

    #[test]
    fn a_seat_is_vacant_without_a_current_holder() {
        let ix = riverside();
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let vacant = check(&ix, day).into_iter().find(|b| b.rule == "seat-vacant" && b.body == "riverside-partnership-board").expect("some seats are empty");
        assert!(!vacant.what.contains("Riverside CVS"), "Sam Patel holds the CVS seat from May 2024: {}", vacant.what);
        let before = check(&ix, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).into_iter().find(|b| b.rule == "seat-vacant" && b.body == "riverside-partnership-board").unwrap();
        assert!(before.what.contains("Riverside CVS") || before.what.contains("voluntary"), "before the membership starts the seat is vacant: {}", before.what);
    }
}
