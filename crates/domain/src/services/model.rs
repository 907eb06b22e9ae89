//! Services: where a service is delivered, and the baselines an area's
//! provision is held to.

use crate::ids::Slug;
use crate::places::model::AreaKind;
use crate::register::model::BodyKind;
use serde::{Deserialize, Serialize};
vocabulary! {
    /// The kind of a service point.
    ServiceKind {
        CommunityHub = "community-hub" / "Community hub",
        Library = "library" / "Library",
        School = "school" / "School",
        ChildrensCentre = "childrens-centre" / "Children's centre",
        AdultLearningCentre = "adult-learning-centre" / "Adult learning centre",
        GpSurgery = "gp-surgery" / "GP surgery",
        PoliceStation = "police-station" / "Police station",
    }
}

/// A place where a service is delivered, in an area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicePoint {
    pub slug: Slug,
    pub name: String,
    pub kind: ServiceKind,
    /// For a school: whether it is an extended school.
    pub extended: bool,
    /// The code of the area it is in.
    pub area: String,
    pub note: Option<String>,
}

/// What a baseline asks of each area: at least so many service points of a kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requirement {
    pub kind: ServiceKind,
    /// Only extended schools count.
    #[serde(default)]
    pub extended: bool,
    pub at_least: u32,
}

/// A baseline every area of a kind is held to: service points of a kind,
/// posts with a holder ("a Local Head of Service in each local community
/// area") and bodies that serve it ("a Local Forum in each").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub slug: Slug,
    pub area_kind: AreaKind,
    pub requires: Vec<Requirement>,
    /// Posts each area has, held, by title: a post of this title for the area.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<String>,
    /// Kinds of body each area is served by: a current body of the kind
    /// that serves the area.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bodies: Vec<BodyKind>,
    /// The rule in the source's words.
    pub text: String,
    pub source: Option<Slug>,
}
