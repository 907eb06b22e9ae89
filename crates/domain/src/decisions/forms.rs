//! Decisions' forms as typed: a decision, a ratification, a forthcoming
//! decision.

use crate::decisions::model::Commitment;
use serde::{Deserialize, Serialize};

/// "Record a decision" taken at a meeting, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DecisionForm {
    /// The forthcoming decision on the forward plan it takes, if any.
    pub forthcoming: String,
    pub title: String,
    pub summary: String,
    /// One resolution a line, each with its outcome verb in capitals.
    pub resolutions: String,
    /// `consensus` or `vote`.
    pub reached: String,
    pub votes_for: String,
    pub votes_against: String,
    pub votes_abstaining: String,
    /// The day it was first notified, when not taken from the forward plan.
    pub notified: String,
    pub beyond_delegation: Option<String>,
    /// The body's power it is taken under (a power's slug), or `beyond`
    /// when it goes beyond what the body may decide.
    pub power: String,
    pub key_decision: Option<String>,
    pub exempt: String,
    /// The wards (or other areas) it affects: codes or names, one a line or separated by commas.
    pub areas: String,
    /// An earlier decision on the same matter: the two share an issue history.
    pub follows: String,
}

/// A constituent body's answer, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RatificationForm {
    pub organisation: String,
    /// `pending`, `ratified` or `declined`.
    pub status: String,
    pub answered: String,
    pub minute: String,
}

/// "Add to the forward plan" as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ForthcomingForm {
    pub title: String,
    /// The day it is expected to be taken.
    pub date: String,
    /// The day it was first notified (today when left empty).
    pub notified: String,
    pub beyond_delegation: Option<String>,
    pub key_decision: Option<String>,
    pub exempt: String,
}

/// "Record a disagreement" and "Take it further" as typed: a new
/// disagreement gives its title, parties and the day it was raised; each
/// later save may take it to a stage of the body's escalation path, and
/// records its outcome once resolved.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DisputeForm {
    pub title: String,
    /// The partners who disagree: organisations by name or slug, one a line.
    pub parties: String,
    pub raised: String,
    /// A stage of the body's escalation path, in its words.
    pub stage: String,
    pub stage_on: String,
    pub note: String,
    pub outcome: String,
    pub resolved: String,
    /// Ticked to publish it; disagreements are confidential by default.
    pub public: Option<String>,
}

/// "Record a commitment" or "Change a commitment" as typed: what was
/// committed to, when, by when, and once met, when and by which decision.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CommitmentForm {
    pub text: String,
    pub made: String,
    pub due: String,
    pub met: String,
    /// The slug of the decision that met it, or empty.
    pub met_by: String,
}

impl CommitmentForm {
    /// The form filled in from a commitment.
    pub fn from_record(c: &Commitment) -> CommitmentForm {
        let d = |x: &Option<crate::ids::PartialDate>| x.as_ref().map(|d| d.to_string()).unwrap_or_default();
        CommitmentForm {
            text: c.text.clone(),
            made: d(&c.made),
            due: c.due.to_string(),
            met: d(&c.met),
            met_by: c.met_by.as_ref().map(|s| s.to_string()).unwrap_or_default(),
        }
    }
}
