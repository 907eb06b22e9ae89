//! Decisions: what a body decided, its numbered resolutions, how it was
//! reached, and the constituent bodies asked to ratify it.

use crate::ids::{PartialDate, Slug};
use crate::register::model::Party;
use placeworks_kernel::Exemption;
use serde::{Deserialize, Serialize};
vocabulary! {
    /// Where a constituent body is with ratifying a decision.
    RatificationStatus {
        Pending = "pending" / "Pending",
        Ratified = "ratified" / "Ratified",
        Declined = "declined" / "Declined",
    }
}

/// One constituent body's answer to a request to ratify a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ratification {
    /// The constituent organisation asked.
    pub organisation: Slug,
    pub requested: chrono::NaiveDate,
    pub status: RatificationStatus,
    /// The day it ratified or declined.
    pub answered: Option<chrono::NaiveDate>,
    /// The minute reference of its decision.
    pub minute: Option<String>,
}

/// One numbered item of a decision: "That the progress ... be NOTED."
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    pub number: Option<String>,
    pub text: String,
    /// The outcome verb, in capitals as minuted: AGREED, NOTED, ...
    pub verb: String,
}

/// How a decision was reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "kebab-case")]
pub enum Reached {
    Consensus,
    Vote { r#for: u32, against: u32, abstaining: u32 },
}

/// A decision record: who decided what, when, and the minutes of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub slug: Slug,
    /// The body that took it.
    pub body: Slug,
    /// A day, or only a month where the record gives no day.
    pub date: PartialDate,
    pub title: String,
    /// Whether it is a key decision, where the record says.
    pub key_decision: Option<bool>,
    /// Its call-in status in words, such as "Not subject to call-in".
    pub call_in: Option<String>,
    /// The "Decision" summary, paragraph by paragraph.
    pub summary: Vec<String>,
    /// The full "Minutes", paragraph by paragraph.
    pub minutes: Vec<String>,
    pub resolutions: Vec<Resolution>,
    pub reached: Option<Reached>,
    /// The areas (wards) it affects.
    pub areas: Vec<String>,
    /// Supporting documents, by title.
    pub documents: Vec<String>,
    /// The matter it belongs to: decisions sharing an issue are its history.
    pub issue: Option<Slug>,
    /// The meeting it was taken at.
    #[serde(default)]
    pub meeting: Option<Slug>,
    /// On the forward plan: to be taken, not yet taken.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forthcoming: bool,
    /// The day it was first notified on the forward plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified: Option<chrono::NaiveDate>,
    /// Whether it goes beyond the members' delegated authority.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub beyond_delegation: bool,
    /// The body's power it was taken under (one of the body's `powers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<Slug>,
    /// The constituent bodies asked to ratify it, and their answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ratifications: Vec<Ratification>,
    pub sources: Vec<Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<Exemption>,
}

/// A commitment with a due date: "Members had committed to producing a
/// report on Levelling Up within 3 months". Overdue once its due date has
/// passed and nothing has met it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    pub slug: Slug,
    /// Who committed: an organisation or a body.
    pub by: Party,
    /// What was committed to, in the source's words.
    pub text: String,
    pub made: Option<PartialDate>,
    pub due: PartialDate,
    /// The decision that met it, where one did.
    pub met_by: Option<Slug>,
    /// When it was met.
    pub met: Option<PartialDate>,
    pub sources: Vec<Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
}

impl Commitment {
    /// Whether it is overdue on `today`: due and passed, and not met.
    pub fn overdue(&self, today: chrono::NaiveDate) -> bool {
        self.met.is_none() && self.met_by.is_none() && self.due.passed(today)
    }
}

/// One stage of a body's escalation path a disagreement went through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputeStep {
    /// The stage, in the words of the body's escalation path.
    pub stage: String,
    pub on: chrono::NaiveDate,
    pub note: Option<String>,
}

/// A disagreement between partners of a body, taken up the body's own
/// escalation path ("to the chair, then a panel of officers or a critical
/// friend") until it is resolved. Confidential unless the body opens it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dispute {
    pub slug: Slug,
    pub body: Slug,
    pub title: String,
    /// The partners who disagree.
    pub parties: Vec<Slug>,
    pub raised: chrono::NaiveDate,
    pub steps: Vec<DisputeStep>,
    pub outcome: Option<String>,
    pub resolved: Option<chrono::NaiveDate>,
    /// Whether it is published; disagreements are confidential by default.
    #[serde(default)]
    pub public: bool,
}

impl Dispute {
    /// Whether it is still open on `today`.
    pub fn open(&self, today: chrono::NaiveDate) -> bool {
        self.raised <= today && self.resolved.is_none_or(|r| r > today)
    }
}
