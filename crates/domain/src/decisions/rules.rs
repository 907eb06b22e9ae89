//! The rules a decision is held to: outcome verbs, notice, and ratification
//! by constituent bodies.

use crate::decisions::model::*;
use crate::ids::Slug;
use crate::register::model::*;
use crate::register::queries::Index;
use chrono::NaiveDate;
use serde::Serialize;

/// The outcome verbs a resolution may end on.
pub const OUTCOME_VERBS: [&str; 11] =
    ["AGREED", "SUPPORTED", "NOTED", "APPROVED", "ENDORSED", "ADOPTED", "REJECTED", "DEFERRED", "RECOMMENDED", "DELEGATED", "RATIFIED"];

/// The outcome verb a resolution's words contain, in capitals as minuted.
pub fn outcome_verb(text: &str) -> Option<&'static str> {
    OUTCOME_VERBS.iter().copied().find(|v| text.split(|c: char| !c.is_alphanumeric()).any(|w| w == *v))
}

/// The organisations that make up a body: those its members' seats are for.
/// They are the constituent bodies asked to ratify its decisions.
pub fn constituents(ix: &Index, body: &str) -> Vec<Slug> {
    let mut out: Vec<Slug> = Vec::new();
    for s in ix.seats_of(body).filter(|s| s.role.decides()) {
        if let Some(Party::Organisation(o)) = &s.on_behalf_of {
            if !out.contains(o) {
                out.push(o.clone());
            }
        }
    }
    out
}

/// The notice a decision had, in days, and the notice its body's rule asks
/// for, when the decision had less.
pub fn short_notice(ix: &Index, d: &Decision) -> Option<(Option<i64>, u32)> {
    let required = ix.body(d.body.as_str())?.decisions.notice_days?;
    let day = NaiveDate::parse_from_str(d.date.as_str(), "%Y-%m-%d").ok()?;
    let had = d.notified.map(|n| (day - n).num_days());
    (had.is_none_or(|h| h < i64::from(required))).then_some((had, required))
}

/// Whether a decision must be ratified by each constituent body: its body's
/// rule says so for decisions beyond delegated authority or taken with too
/// little notice.
pub fn needs_ratification(ix: &Index, d: &Decision) -> bool {
    !d.forthcoming
        && ix.body(d.body.as_str()).is_some_and(|b| b.decisions.ratification_by_constituents)
        && (d.beyond_delegation || short_notice(ix, d).is_some())
}

/// Where a decision is with ratification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RatificationState {
    NotNeeded,
    Awaiting,
    Ratified,
    Failed,
}

impl RatificationState {
    pub fn label(self) -> &'static str {
        match self {
            RatificationState::NotNeeded => "No ratification needed",
            RatificationState::Awaiting => "Awaiting ratification",
            RatificationState::Ratified => "Ratified",
            RatificationState::Failed => "Not ratified",
        }
    }
}

pub fn ratification_state(ix: &Index, d: &Decision) -> RatificationState {
    if !needs_ratification(ix, d) {
        RatificationState::NotNeeded
    } else if d.ratifications.iter().any(|r| r.status == RatificationStatus::Declined) {
        RatificationState::Failed
    } else if !d.ratifications.is_empty() && d.ratifications.iter().all(|r| r.status == RatificationStatus::Ratified) {
        RatificationState::Ratified
    } else {
        RatificationState::Awaiting
    }
}
