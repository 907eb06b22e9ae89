//! A programme's records: its aim, who governs it, the levels it works at,
//! its themes and outcomes, the places it targets and the decisions that set
//! it going.

use crate::ids::{PartialDate, Slug};
use serde::{Deserialize, Serialize};

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
