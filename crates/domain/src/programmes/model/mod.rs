//! A programme's records: its aim, who governs it, the levels it works at,
//! its themes and outcomes, the places it targets and the decisions that set
//! it going; its initiatives (a tree: an initiative may have parts) with
//! their milestones; and its measures with their targets and actuals.

use crate::ids::{PartialDate, Slug};
use crate::places::model::Polarity;
pub mod money;
pub mod period;
pub mod plans;
pub mod status;

pub use money::*;
pub use plans::*;

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
    /// What its manager wrote for Cabinet, period by period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<Highlight>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    pub note: Option<String>,
}

/// The highlights a programme manager writes for a period's report to
/// Cabinet, one a line, with who wrote them and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Highlight {
    pub period: Period,
    pub text: String,
    pub by: Option<String>,
    /// Seconds since 1970 (UTC).
    pub at: Option<i64>,
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

vocabulary! {
    /// Where an initiative is in its life.
    InitiativeStatus {
        Planned = "planned" / "Planned",
        Underway = "underway" / "Underway",
        Completed = "completed" / "Completed",
        Paused = "paused" / "Paused",
        Stopped = "stopped" / "Stopped",
    }
}

/// A piece of a programme's work, such as the Horizons Programme or the
/// traffic calming measures in Castlefield; it may have parts of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Initiative {
    pub slug: Slug,
    pub programme: Slug,
    /// The initiative it is a part of.
    pub part_of: Option<Slug>,
    pub name: String,
    /// What it is, in the source's words.
    pub summary: Option<String>,
    pub status: InitiativeStatus,
    pub starts: Option<PartialDate>,
    pub ends: Option<PartialDate>,
    /// The organisation or body that leads it.
    pub lead: Option<crate::register::model::Party>,
    /// The partner organisations that work on it with the lead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Slug>,
    /// The areas it serves (codes: wards, or a named set of them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    /// The decisions that set it going or reported on it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Slug>,
    /// The meetings that discussed it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<Slug>,
    /// Its own progress, 0 to 100, as reported; an initiative with parts takes theirs.
    pub progress: Option<f64>,
    /// Its weight when its parent's progress rolls up by weight.
    pub weight: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    pub note: Option<String>,
}

/// A milestone of an initiative: when it is due, and when it was achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub name: String,
    pub due: Option<PartialDate>,
    pub achieved: Option<PartialDate>,
}

impl Initiative {
    /// Its progress as reported; a completed initiative is done. Nothing
    /// else is guessed: milestones achieved say what happened, not how far
    /// along the whole is, so an initiative underway that reports no
    /// progress has none known.
    pub fn own_progress(&self) -> Option<f64> {
        match (self.progress, self.status) {
            (Some(p), _) => Some(p),
            (None, InitiativeStatus::Completed) => Some(100.0),
            (None, _) => None,
        }
    }
}

/// A measure of a programme's progress: what is counted, which way is
/// better, how often, against which targets, by which status rule, and the
/// actuals reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub slug: Slug,
    pub programme: Slug,
    /// The initiative it measures, if it measures one rather than the whole programme.
    pub initiative: Option<Slug>,
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

/// What entering `m`'s figures is an edit of: its initiative's (which that
/// initiative's lead, or the lead of anything it is a part of, may enter, as
/// may the programme's managers), or else the programme's.
pub fn figures_resource(initiatives: &[Initiative], m: &Measure) -> crate::permissions::Resource {
    use crate::permissions::Resource;
    let Some(first) = &m.initiative else { return Resource::Programme(m.programme.clone()) };
    let mut lineage = vec![first.clone()];
    while let Some(up) = initiatives.iter().find(|i| i.slug == *lineage.last().expect("one at least")).and_then(|i| i.part_of.clone()) {
        if lineage.contains(&up) {
            break;
        }
        lineage.push(up);
    }
    Resource::InitiativeFigures { programme: m.programme.clone(), lineage }
}

/// What updating a plan's actions is an edit of: the plan's programme (its
/// managers) and the body that leads it (its secretariat).
pub fn plan_resource(plan: &ActionPlan) -> crate::permissions::Resource {
    crate::permissions::Resource::ActionPlan { programme: plan.programme.clone(), led_by: plan.led_by.clone() }
}

/// The id an action of a plan has in the audit trail and among record versions: its plan and number (from 1).
pub fn plan_action_id(plan: &Slug, number: usize) -> String {
    format!("{plan} {number}")
}

/// What a programme manager changes of a programme in the portal: its name,
/// aim, launch date and status (its structure comes with the dataset).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeDetails {
    pub name: String,
    pub aim: String,
    pub launched: Option<PartialDate>,
    pub status: ProgrammeStatus,
}
