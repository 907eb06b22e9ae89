//! Money: funds with their allocations, bids and spend; partners' matched
//! contributions; and agreements under which a parish delivers services
//! the council would otherwise deliver. Amounts are in pounds.

use crate::ids::{PartialDate, Slug};
use crate::programmes::model::period::Period;
use crate::register::model::Party;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// What kind of money a fund is.
    FundKind {
        Grant = "grant" / "Grant from outside the council",
        DelegatedBudget = "delegated-budget" / "Budget delegated to a body",
        Budget = "budget" / "The council's own budget",
    }
}

vocabulary! {
    /// Where a bid for money stands.
    BidStatus {
        Draft = "draft" / "Draft",
        Submitted = "submitted" / "Submitted",
        Assessed = "assessed" / "Assessed",
        Approved = "approved" / "Approved",
        Rejected = "rejected" / "Rejected",
        Withdrawn = "withdrawn" / "Withdrawn",
    }
}

vocabulary! {
    /// Whether a partner's contribution is certain.
    ContributionStatus {
        Confirmed = "confirmed" / "Confirmed",
        Pledged = "pledged" / "Pledged",
    }
}

vocabulary! {
    /// Where an agreement to devolve services stands.
    AgreementStatus {
        Proposed = "proposed" / "Proposed",
        InDiscussion = "in-discussion" / "In discussion",
        Agreed = "agreed" / "Agreed",
        Ended = "ended" / "Ended",
    }
}

/// A pot of money: a grant, a delegated budget, a budget line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fund {
    pub slug: Slug,
    pub name: String,
    pub kind: FundKind,
    /// Who it comes from, in the source's words ("Government").
    pub source: Option<String>,
    /// The body whose decisions direct it (a Local Committee's budget).
    pub held_by: Option<Party>,
    /// The programme it serves, if one.
    pub programme: Option<Slug>,
    pub amount: f64,
    /// The financial year it is for, when it is for one.
    pub period: Option<Period>,
    /// Whether the amount comes every year rather than once.
    pub each_year: bool,
    pub conditions: Option<String>,
    /// The areas it is for (codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allocations: Vec<Allocation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bids: Vec<Bid>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spend: Vec<Spend>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    pub note: Option<String>,
}

/// Money given from a fund to an initiative or a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    pub slug: Slug,
    pub name: String,
    pub amount: f64,
    pub initiative: Option<Slug>,
    /// The area it is for (a code), if one.
    pub area: Option<String>,
    /// The decision that made it.
    pub decision: Option<Slug>,
    pub date: Option<PartialDate>,
}

/// A bid for money from a fund.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bid {
    pub slug: Slug,
    pub name: String,
    pub by: Option<Party>,
    pub amount: f64,
    pub status: BidStatus,
    pub submitted: Option<PartialDate>,
    /// The decision that approved or rejected it.
    pub decision: Option<Slug>,
    pub area: Option<String>,
    pub initiative: Option<Slug>,
}

/// Money spent from a fund in a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spend {
    pub period: Period,
    pub amount: f64,
    /// The allocation it was spent on, if one.
    pub allocation: Option<Slug>,
}

/// A partner's money matched to a fund or an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub slug: Slug,
    /// The partner organisation.
    pub partner: Slug,
    /// What it is for, in the source's words.
    pub name: String,
    pub amount: f64,
    /// The amount as the source puts it ("over £500,000"), when it is not exact.
    pub amount_words: Option<String>,
    pub each_year: bool,
    pub status: ContributionStatus,
    pub fund: Option<Slug>,
    pub initiative: Option<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    pub note: Option<String>,
}

/// An agreement under which a parish or town council delivers services
/// (a Quality Parish's), for a contribution, for a term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub slug: Slug,
    /// The parish or town council that delivers.
    pub parish: Slug,
    /// The council that contributes.
    pub with: Option<Slug>,
    pub status: AgreementStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<AgreedService>,
    /// The agreed contribution a year, when one is agreed.
    pub contribution: Option<f64>,
    pub starts: Option<PartialDate>,
    pub ends: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    pub note: Option<String>,
}

/// A service delivered under an agreement, and how much of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreedService {
    pub service: String,
    pub quantity: Option<String>,
}

impl Fund {
    /// What has been allocated from it.
    pub fn allocated(&self) -> f64 {
        self.allocations.iter().map(|a| a.amount).sum()
    }

    /// What has been spent from it.
    pub fn spent(&self) -> f64 {
        self.spend.iter().map(|s| s.amount).sum()
    }
}

/// Pounds as written: £2,100,000, or £2,100,000.50 with pence.
pub fn pounds(amount: f64) -> String {
    let negative = amount < 0.0;
    let pence = (amount.abs() * 100.0).round() as u128;
    let (whole, part) = (pence / 100, pence % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if negative { "-" } else { "" };
    if part == 0 {
        format!("{sign}£{grouped}")
    } else {
        format!("{sign}£{grouped}.{part:02}")
    }
}
