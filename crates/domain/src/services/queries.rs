//! The service baseline: what each area of a kind should have (at least one
//! extended school, one community hub and one children's centre in each
//! local community area, in the 2005 strategy's words) against the service
//! points recorded in it.

use crate::ids::covers;
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
    /// For a service point: its kind; `None` for a post or a body.
    pub kind: Option<ServiceKind>,
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

/// Every area of each baseline's kind that exists on `today`, with what
/// counts towards it and where it falls short: service points, posts of the
/// area held on `today`, current bodies that serve it.
pub fn against_baselines(ix: &Index, today: chrono::NaiveDate) -> Vec<AreaAgainstBaseline> {
    let reg = &ix.register;
    let mut out = Vec::new();
    for b in &reg.baselines {
        for area in reg.areas.iter().filter(|a| a.kind == b.area_kind && covers(a.valid_from.as_ref(), a.valid_to.as_ref(), today)) {
            let inside: Vec<&ServicePoint> = reg.services.iter().filter(|s| lies_in(ix, s, area)).collect();
            let mut shortfalls: Vec<Shortfall> = b
                .requires
                .iter()
                .filter_map(|q| {
                    let have = inside.iter().filter(|s| q.counts(s)).count() as u32;
                    (have < q.at_least).then(|| Shortfall { kind: Some(q.kind), extended: q.extended, what: q.describe(), have, need: q.at_least })
                })
                .collect();
            for title in &b.posts {
                let posts: Vec<_> = reg.posts.iter().filter(|p| p.area.as_deref() == Some(area.code.as_str()) && p.title.eq_ignore_ascii_case(title)).collect();
                if !posts.iter().any(|p| p.holder_on(today).is_some()) {
                    let what = if posts.is_empty() { format!("a {title}") } else { format!("a {title} (the post is vacant)") };
                    shortfalls.push(Shortfall { kind: None, extended: false, what, have: 0, need: 1 });
                }
            }
            for kind in &b.bodies {
                let serving = reg.bodies.iter().filter(|x| x.kind == *kind && x.is_current(today) && x.areas.contains(&area.code)).count();
                if serving == 0 {
                    let what = format!("a {} that serves it", kind.label().to_lowercase());
                    shortfalls.push(Shortfall { kind: None, extended: false, what, have: 0, need: 1 });
                }
            }
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

/// The areas that fall short of a baseline on `today`, as governance health
/// reports them: with no service points recorded at all, every area would
/// lack every service, which is something to load rather than a breach, so
/// only the posts and bodies a baseline asks for are reported then.
pub fn shortfalls(ix: &Index, today: chrono::NaiveDate) -> Vec<AreaAgainstBaseline> {
    let no_services = ix.register.services.is_empty();
    let mut out = against_baselines(ix, today);
    for a in &mut out {
        a.shortfalls.retain(|s| !(no_services && s.kind.is_some()));
    }
    out.retain(|a| !a.shortfalls.is_empty());
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
        let all = against_baselines(&ix, chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        let quayside = all.iter().find(|a| a.area == "E05999901").expect("each ward is checked");
        assert!(quayside.shortfalls.is_empty(), "{quayside:?}");
        let hilltop = all.iter().find(|a| a.area == "E05999902").unwrap();
        let lacks: Vec<&str> = hilltop.shortfalls.iter().map(|s| s.what.as_str()).collect();
        assert_eq!(lacks, ["one extended school"], "a school that is not extended does not count");
        let set = all.iter().find(|a| a.area == "priority-wards");
        assert!(set.is_none(), "only areas of the baseline's kind are checked");
    }
}
