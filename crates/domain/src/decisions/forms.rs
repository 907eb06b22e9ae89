//! Decisions' forms as typed: a decision, a ratification, a forthcoming
//! decision.

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
