//! A programme's records: its aim, who governs it, the levels it works at,
//! its themes and outcomes, the places it targets and the decisions that set
//! it going.

use crate::ids::{PartialDate, Slug};
use crate::places::model::Polarity;
pub mod period;
pub mod status;

use period::{Frequency, Period};
use serde::{Deserialize, Serialize};
use status::StatusRule;

vocabulary! {
    /// Where a programme is in its life.
    ProgrammeStatus {
        Proposed = "proposed" / "Proposed",
        Active = "active" / "Active",
        Closed = "closed" / "Closed",
    }
}

vocabulary! {
    /// The rule an initiative's progress rolls up by.
    RollUp {
        Plain = "plain" / "The mean of its parts' progress",
        Weighted = "weighted" / "The mean of its parts' progress, weighted by each part's weight",
    }
}

/// A programme such as Opportunity Bucks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    pub slug: Slug,
    pub name: String,
    /// Its aim, in the source's words.
    pub aim: String,
    pub launched: Option<PartialDate>,
    pub status: ProgrammeStatus,
    /// The body that governs it.
    pub governed_by: Option<Slug>,
    /// The levels it works at, each with the bodies that work at it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<Theme>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Outcome>,
    /// The areas it targets (codes; a named set of wards, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
    /// The decisions that set it going.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Slug>,
    /// How its initiatives' progress rolls up.
    pub roll_up: RollUp,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    pub note: Option<String>,
}

/// A level of working: "Thematic partnerships which operated at a strategic level".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub name: String,
    /// In the source's words.
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bodies: Vec<Slug>,
}

/// A theme the programme's work is organised under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub slug: Slug,
    pub name: String,
    pub text: Option<String>,
}

/// An outcome the programme works towards for residents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub slug: Slug,
    pub name: String,
}

/// A measure of a programme's progress: what is counted, which way is
/// better, how often, against which targets, by which status rule, and the
/// actuals reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub slug: Slug,
    pub programme: Slug,
    pub name: String,
    /// What is counted, like "people referred".
    pub unit: String,
    pub polarity: Polarity,
    pub frequency: Frequency,
    /// Where the figures come from.
    pub source: Option<String>,
    /// The indicator of the places capability it is, where one is.
    pub indicator: Option<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Slug>,
    pub baseline: Option<Reading>,
    /// Its targets, by period; a target the source gives no date for has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<MeasureTarget>,
    pub rule: StatusRule,
    /// Who answers for it.
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actuals: Vec<Actual>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    pub note: Option<String>,
}

/// A value for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub period: Period,
    pub value: f64,
}

/// A target: for a period, or (where the source gives none) for no date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureTarget {
    pub period: Option<Period>,
    pub value: f64,
}

/// An actual reported for a period, with what was said of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actual {
    pub period: Period,
    pub value: f64,
    pub commentary: Option<String>,
    /// For a Red: what is being done about it, and by whom.
    pub corrective_action: Option<String>,
    pub action_owner: Option<String>,
    /// Who entered it (an account's name), when it was entered in Placeworks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<String>,
    /// When it was entered, in seconds since 1970 (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_at: Option<i64>,
}

/// The id an actual has in the audit trail and among record versions.
pub fn actual_id(measure: &Slug, period: Period) -> String {
    format!("{measure} {period}")
}

impl Measure {
    /// The target for `period`: its own, or else the one with no date.
    pub fn target_for(&self, period: Period) -> Option<&MeasureTarget> {
        self.targets.iter().find(|t| t.period == Some(period)).or_else(|| self.targets.iter().find(|t| t.period.is_none()))
    }

    /// The actual for `period`.
    pub fn actual_for(&self, period: Period) -> Option<f64> {
        self.actuals.iter().find(|a| a.period == period).map(|a| a.value)
    }

    /// The latest actual reported.
    pub fn latest(&self) -> Option<&Actual> {
        self.actuals.iter().max_by(|a, b| a.period.partial_cmp(&b.period).unwrap_or(std::cmp::Ordering::Equal))
    }
}
