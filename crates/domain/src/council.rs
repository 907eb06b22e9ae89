//! One council's register: the records of every capability, as one value.
//! It holds the records and nothing else; every capability reads it, and it
//! uses nothing but the capabilities' models.

use crate::decisions::model::*;
use crate::meetings::model::*;
use crate::places::model::*;
use crate::programmes::model::{ActionPlan, Agreement, Contribution, Fund, Initiative, Measure, Programme, Strategy};
use crate::register::model::*;
use crate::services::model::*;
use serde::{Deserialize, Serialize};

/// One council's whole register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub council: Council,
    pub organisations: Vec<Organisation>,
    pub people: Vec<Person>,
    pub posts: Vec<Post>,
    pub bodies: Vec<Body>,
    pub seats: Vec<Seat>,
    pub memberships: Vec<Membership>,
    pub relations: Vec<Relation>,
    pub areas: Vec<Area>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub values: Vec<IndicatorValue>,
    #[serde(default)]
    pub services: Vec<ServicePoint>,
    #[serde(default)]
    pub baselines: Vec<Baseline>,
    #[serde(default)]
    pub decisions: Vec<Decision>,
    #[serde(default)]
    pub meetings: Vec<Meeting>,
    #[serde(default)]
    pub commitments: Vec<Commitment>,
    #[serde(default)]
    pub disputes: Vec<Dispute>,
    #[serde(default)]
    pub programmes: Vec<Programme>,
    #[serde(default)]
    pub measures: Vec<Measure>,
    #[serde(default)]
    pub initiatives: Vec<Initiative>,
    #[serde(default)]
    pub funds: Vec<Fund>,
    #[serde(default)]
    pub contributions: Vec<Contribution>,
    #[serde(default)]
    pub agreements: Vec<Agreement>,
    #[serde(default)]
    pub strategies: Vec<Strategy>,
    #[serde(default)]
    pub plans: Vec<ActionPlan>,
}
