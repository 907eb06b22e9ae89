//! Places: areas (official, with GSS codes, or the council's own), the
//! indicators measured for them and their values.

use crate::ids::{PartialDate, Slug};
use serde::{Deserialize, Serialize};
vocabulary! {
    /// The kind of an area. Official kinds carry ONS GSS codes; the others are
    /// the council's own named areas and carry a local code.
    AreaKind {
        Country = "country" / "Country",
        Region = "region" / "Region",
        County = "county" / "County",
        UnitaryAuthority = "unitary-authority" / "Unitary authority",
        District = "district" / "District",
        Ward = "ward" / "Ward",
        ElectoralDivision = "electoral-division" / "Electoral division",
        Parish = "parish" / "Parish",
        Lsoa = "lsoa" / "Lower-layer super output area",
        LocalCommunityArea = "local-community-area" / "Local community area",
        NamedSet = "named-set" / "Named set of areas",
    }
}

impl AreaKind {
    /// Whether areas of this kind are identified by an ONS GSS code.
    pub fn is_official(self) -> bool {
        !matches!(self, AreaKind::LocalCommunityArea | AreaKind::NamedSet)
    }
}

/// A geographic area: an official one with a GSS code, or a council's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// The GSS code, or the council's own code for its named areas.
    pub code: String,
    pub name: String,
    pub kind: AreaKind,
    pub parent: Option<String>,
    pub valid_from: Option<PartialDate>,
    pub valid_to: Option<PartialDate>,
    /// For a named set: the areas it is made of.
    pub members: Vec<String>,
    /// The boundary as a GeoJSON geometry in WGS84, shared (not copied)
    /// by every view of the register that holds the area.
    pub boundary: Option<std::sync::Arc<serde_json::Value>>,
    pub note: Option<String>,
    /// The sources (keys of the council's `[[source]]`) the record is taken from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<crate::ids::Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
}

impl Area {
    /// Whether the area carries an ONS GSS code.
    pub fn has_gss_code(&self) -> bool {
        self.kind.is_official()
    }
}

vocabulary! {
    /// Which way an indicator is good.
    Polarity {
        HigherIsWorse = "higher-is-worse" / "Higher is worse",
        HigherIsBetter = "higher-is-better" / "Higher is better",
        Neutral = "neutral" / "Neither",
    }
}

/// What an indicator measures, where it comes from, and for which areas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub slug: Slug,
    pub name: String,
    /// Such as `rank`, `score`, `people`, `%`.
    pub unit: String,
    pub polarity: Polarity,
    /// The theme or domain it belongs to, such as "Income".
    pub theme: Option<String>,
    pub source: String,
    pub licence: String,
    /// How often it is published, such as "every four or five years".
    pub frequency: Option<String>,
    /// The kind of area its values are for.
    pub geography: AreaKind,
    pub note: Option<String>,
}

/// One value of an indicator for an area and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    pub indicator: Slug,
    pub area: String,
    /// Such as `2019`, `2015-16` or `2024-Q1`.
    pub period: String,
    /// None when missing, with the reason in `missing`.
    pub value: Option<f64>,
    pub missing: Option<Missing>,
    /// For a rate: what it is made of.
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// Why a value is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// `*`: withheld to protect confidentiality or because it is unreliable.
    Suppressed,
    /// `..`: not available.
    NotAvailable,
    /// `-`: nil, or not applicable.
    NotApplicable,
    /// Nothing written.
    Empty,
}

impl Missing {
    /// The code stored and exported.
    pub fn code(self) -> &'static str {
        match self {
            Missing::Suppressed => "suppressed",
            Missing::NotAvailable => "not-available",
            Missing::NotApplicable => "not-applicable",
            Missing::Empty => "empty",
        }
    }

    /// Reads a code back.
    pub fn parse(s: &str) -> Option<Missing> {
        [Missing::Suppressed, Missing::NotAvailable, Missing::NotApplicable, Missing::Empty].into_iter().find(|m| m.code() == s)
    }

    /// The reason in words.
    pub fn reason(self) -> &'static str {
        match self {
            Missing::Suppressed => "suppressed (*)",
            Missing::NotAvailable => "not available (..)",
            Missing::NotApplicable => "nil or not applicable (-)",
            Missing::Empty => "empty",
        }
    }
}
