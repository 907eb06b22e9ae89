//! How an initiative's progress rolls up from its parts, by an explicit rule
//! kept with the programme and shown with how it was worked out.
//!
//! A part with no parts of its own reports its progress (0 to 100 %). An
//! initiative with parts takes theirs: under the **plain** rule, the mean
//! of the parts that report; under the **weighted** rule, their mean
//! weighted by each part's weight (its budget, say), a part of weight zero
//! counting for nothing. Parts that report nothing are left out and said to
//! be left out; with none reporting, the progress is not known.

use serde::{Deserialize, Serialize};

use crate::programmes::model::Initiative;
pub use crate::programmes::model::RollUp;

/// An initiative, or a part of one, as the roll-up sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    /// Its own progress, 0 to 100, for a part with no parts.
    pub progress: Option<f64>,
    /// Its weight under the weighted rule.
    pub weight: f64,
    pub parts: Vec<Part>,
}

/// A roll-up and how it was worked out.
#[derive(Debug, Clone, PartialEq)]
pub struct Rolled {
    /// 0 to 100, or `None` when nothing reports.
    pub progress: Option<f64>,
    /// How many parts counted, and how many were left out for reporting nothing.
    pub counted: usize,
    pub left_out: usize,
    /// The working, in words.
    pub working: String,
}

/// An initiative and its parts, all the way down, as the roll-up sees them.
pub fn initiative_tree(all: &[Initiative], of: &Initiative) -> Part {
    fn walk(all: &[Initiative], of: &Initiative, depth: usize) -> Part {
        // A tree read from a dataset has no loops; the depth only guards against one made some other way.
        let parts =
            if depth > 32 { Vec::new() } else { all.iter().filter(|i| i.part_of.as_ref() == Some(&of.slug)).map(|i| walk(all, i, depth + 1)).collect() };
        Part { name: of.name.clone(), progress: of.own_progress(), weight: of.weight, parts }
    }
    walk(all, of, 0)
}

impl Rolled {
    /// The result in words that never claim more than was reported:
    /// "100% across the 4 of 7 parts that report it; 3 report nothing and are left out".
    pub fn in_words(&self) -> String {
        let total = self.counted + self.left_out;
        match self.progress {
            None if total <= 1 => "not known: none is reported".to_owned(),
            None => format!("not known: none of its {total} parts reports progress"),
            Some(p) if self.left_out == 0 => percent(p),
            Some(p) => format!("{} across the {} of {total} parts that report it; {} report nothing and are left out", percent(p), self.counted, self.left_out),
        }
    }
}

/// Rolls `part` up by `rule`.
pub fn roll_up(part: &Part, rule: RollUp) -> Rolled {
    if part.parts.is_empty() {
        let progress = part.progress.map(|p| p.clamp(0.0, 100.0));
        let working = match progress {
            Some(p) => format!("{}: {} reported", part.name, percent(p)),
            None => format!("{}: nothing reported", part.name),
        };
        return Rolled { progress, counted: usize::from(progress.is_some()), left_out: usize::from(progress.is_none()), working };
    }
    let rolled: Vec<(f64, &Part, Rolled)> = part.parts.iter().map(|p| (p.weight.max(0.0), p, roll_up(p, rule))).collect();
    let reporting: Vec<&(f64, &Part, Rolled)> = rolled.iter().filter(|(_, _, r)| r.progress.is_some()).collect();
    let left_out = rolled.len() - reporting.len();
    let (sum, total) = reporting.iter().fold((0.0, 0.0), |(s, t), (w, _, r)| {
        let w = if rule == RollUp::Plain { 1.0 } else { *w };
        (s + w * r.progress.expect("reporting"), t + w)
    });
    let progress = (total > 0.0).then(|| (sum / total).clamp(0.0, 100.0));
    let terms: Vec<String> = reporting
        .iter()
        .map(|(w, p, r)| match rule {
            RollUp::Plain => format!("{} {}", p.name, percent(r.progress.expect("reporting"))),
            RollUp::Weighted => format!("{} {} × weight {}", p.name, percent(r.progress.expect("reporting")), number(*w)),
        })
        .collect();
    let mut working = match (progress, rule) {
        (Some(p), RollUp::Plain) => format!("{}: {} = ({}) ÷ {}", part.name, percent(p), terms.join(" + "), reporting.len()),
        (Some(p), RollUp::Weighted) => format!("{}: {} = ({}) ÷ total weight {}", part.name, percent(p), terms.join(" + "), number(total)),
        (None, _) if reporting.is_empty() => format!("{}: not known, as none of its {} parts reports progress", part.name, rolled.len()),
        (None, _) => format!("{}: not known, as its reporting parts all have weight zero", part.name),
    };
    if left_out > 0 && !reporting.is_empty() {
        working.push_str(&format!("; {left_out} of its {} parts report nothing and are left out", rolled.len()));
    }
    Rolled { progress, counted: reporting.len(), left_out, working }
}

fn percent(p: f64) -> String {
    format!("{}%", number(p))
}

fn number(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}
