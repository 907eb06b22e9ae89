//! Strategies and action plans: a strategy's aims and its numbered
//! objectives with the year each is to be met by; the action plans that
//! carry them out (a strategy's phase, or a programme's local action plan
//! for one of the places it targets), each action with its owner, dates and
//! status.

use super::period::Period;
use super::ProgrammeStatus;
use crate::ids::{PartialDate, Slug};
use serde::{Deserialize, Serialize};

vocabulary! {
    /// How far an objective or an action has got.
    WorkStatus {
        NotReported = "not-reported" / "No progress reported",
        NotStarted = "not-started" / "Not started",
        Underway = "underway" / "Under way",
        Achieved = "achieved" / "Achieved",
        Dropped = "dropped" / "Dropped",
    }
}

vocabulary! {
    /// Where an action plan is in its life.
    PlanStatus {
        Developing = "developing" / "Being developed",
        Agreed = "agreed" / "Agreed",
        Ended = "ended" / "Ended",
    }
}

/// A strategy such as "Getting Closer to Communities": its vision, aims
/// and numbered objectives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    pub slug: Slug,
    pub name: String,
    /// Its vision or purpose, in the source's words.
    pub summary: Option<String>,
    /// The date of the paper, or of its adoption.
    pub dated: Option<PartialDate>,
    pub status: ProgrammeStatus,
    /// Whose strategy it is: an organisation or a body.
    pub owner: Option<crate::register::model::Party>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aims: Vec<Aim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<Objective>,
    /// Its supporting principles, in the source's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub principles: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    pub note: Option<String>,
}

/// An aim: "Aim 1 - To enhance the community leadership role of local members".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aim {
    pub number: u32,
    pub name: String,
    /// What the strategy says of it.
    pub text: Option<String>,
}

/// A numbered objective: what will have been done by its year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    pub number: u32,
    /// The number of the aim it serves.
    pub aim: u32,
    /// As the strategy lists it: "Developed a Local Forum of elected Members …".
    pub name: String,
    /// As the strategy states it under its aim: "We will develop …".
    pub text: Option<String>,
    /// The financial year it is to be met by.
    pub by: Option<Period>,
    pub status: WorkStatus,
    /// The measures of its progress (a programme's measures).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Slug>,
    pub note: Option<String>,
}

/// An action plan: a strategy's (a phase of it), or a programme's local
/// action plan for one place it targets, led by that place's partnership.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionPlan {
    pub slug: Slug,
    pub name: String,
    pub strategy: Option<Slug>,
    pub programme: Option<Slug>,
    /// The place it is for (an area's code).
    pub area: Option<String>,
    /// The body that leads it: a ward partnership or a community board.
    pub led_by: Option<Slug>,
    pub period: Option<Period>,
    pub status: PlanStatus,
    /// What the source says of it.
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<PlanAction>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    pub note: Option<String>,
}

/// An action of a plan, with who owns it, when, and how far it has got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanAction {
    pub text: String,
    /// The numbers of the strategy's objectives it serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<u32>,
    /// The programme's themes it comes under.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<Slug>,
    pub owner: Option<String>,
    pub starts: Option<PartialDate>,
    pub due: Option<PartialDate>,
    pub status: WorkStatus,
    /// The programme's initiative that carries it out.
    pub initiative: Option<Slug>,
    /// Its steps, in the source's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
}

impl PlanAction {
    /// Whether it is past its due date and not finished, on `today`.
    pub fn overdue(&self, today: chrono::NaiveDate) -> bool {
        matches!(self.status, WorkStatus::NotReported | WorkStatus::NotStarted | WorkStatus::Underway)
            && self.due.as_ref().is_some_and(|d| d.last_day() < today)
    }
}
