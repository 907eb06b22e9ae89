//! The service baseline: what each area of a kind should have (at least one
//! extended school, one community hub and one children's centre in each
//! local community area, in the 2005 strategy's words) against the service
//! points recorded in it.

use crate::places::model::Area;
use crate::register::queries::Index;
use crate::services::model::{Requirement, ServiceKind, ServicePoint};
use serde::Serialize;

impl Requirement {
    /// What the requirement asks for, in words: "one extended school".
    pub fn describe(&self) -> String {
        let what = if self.extended { "extended school".to_owned() } else { self.kind.label().to_lowercase() };
        let n = self.at_least;
        match n {
            1 => format!("one {what}"),
            _ => format!("{n} {what}s"),
        }
    }

    fn counts(&self, s: &ServicePoint) -> bool {
        s.kind == self.kind && (!self.extended || s.extended)
    }
}

/// How far one area falls short of one requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortfall {
    pub kind: ServiceKind,
    pub extended: bool,
    pub what: String,
    pub have: u32,
    pub need: u32,
}

/// One area against one baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaAgainstBaseline {
    pub baseline: String,
    pub area: String,
    pub area_name: String,
    /// The service points that count towards it.
    pub points: Vec<String>,
    pub shortfalls: Vec<Shortfall>,
}

/// Whether a service point lies in an area: in it, in an area within it, or
/// in one of the areas a named set or local community area is made of.
fn lies_in(ix: &Index, s: &ServicePoint, area: &Area) -> bool {
    if s.area == area.code {
        return true;
    }
    let mut chain: Vec<&str> = vec![s.area.as_str()];
    chain.extend(ix.ancestors_of(&s.area).into_iter().map(|a| a.code.as_str()));
    chain.contains(&area.code.as_str()) || area.members.iter().any(|m| chain.contains(&m.as_str()))
}

/// Every area of each baseline's kind, with what counts towards it and where
/// it falls short.
pub fn against_baselines(ix: &Index) -> Vec<AreaAgainstBaseline> {
    let reg = &ix.register;
    let mut out = Vec::new();
    for b in &reg.baselines {
        for area in reg.areas.iter().filter(|a| a.kind == b.area_kind) {
            let inside: Vec<&ServicePoint> = reg.services.iter().filter(|s| lies_in(ix, s, area)).collect();
            let shortfalls = b
                .requires
                .iter()
                .filter_map(|q| {
                    let have = inside.iter().filter(|s| q.counts(s)).count() as u32;
                    (have < q.at_least).then(|| Shortfall { kind: q.kind, extended: q.extended, what: q.describe(), have, need: q.at_least })
                })
                .collect();
            out.push(AreaAgainstBaseline {
                baseline: b.slug.to_string(),
                area: area.code.clone(),
                area_name: area.name.clone(),
                points: inside.iter().map(|s| s.slug.to_string()).collect(),
                shortfalls,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{self, DatasetFiles};

    #[test]
    fn an_area_short_of_its_baseline_says_what_it_lacks() {
        let files = DatasetFiles::from_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
        let ix = Index::new(dataset::read(&files).unwrap());
        let all = against_baselines(&ix);
        let quayside = all.iter().find(|a| a.area == "E05999901").expect("each ward is checked");
        assert!(quayside.shortfalls.is_empty(), "{quayside:?}");
        let hilltop = all.iter().find(|a| a.area == "E05999902").unwrap();
        let lacks: Vec<&str> = hilltop.shortfalls.iter().map(|s| s.what.as_str()).collect();
        assert_eq!(lacks, ["one extended school"], "a school that is not extended does not count");
        let set = all.iter().find(|a| a.area == "priority-wards");
        assert!(set.is_none(), "only areas of the baseline's kind are checked");
    }
}
