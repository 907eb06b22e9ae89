//! A measure's status, by an explicit rule kept with the measure, and its
//! direction of travel.
//!
//! The rule compares an actual with its target the way the measure's
//! polarity says is better. On or better than target is **Green**. Worse,
//! but within the rule's tolerance, is **Amber**; further off is **Red**.
//! The tolerance is a percentage of the target (Buckinghamshire's own rule:
//! Amber within 5 %) or an absolute amount. A percentage of a target of
//! zero is zero, so a percentage rule carries a separate absolute band for
//! zero targets (by default none: any shortfall from zero is Red). A
//! measure with no target, or whose polarity says neither way is better, is
//! only monitored: **Grey**. With no actual the status is **No actual**,
//! never a colour. The status is always given in words beside its colour.

use crate::places::model::Polarity;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// Where an actual stands against its target.
    Status {
        Green = "green" / "Green: on or better than target",
        Amber = "amber" / "Amber: short of target, within tolerance",
        Red = "red" / "Red: short of target, beyond tolerance",
        Grey = "grey" / "Grey: monitored, no target",
        Undated = "undated" / "Not judged: its target has no date",
        Missing = "missing" / "No actual reported",
    }
}

impl Status {
    /// Red below Amber below Green; the others are not ranked.
    pub fn rank(self) -> Option<u8> {
        match self {
            Status::Red => Some(0),
            Status::Amber => Some(1),
            Status::Green => Some(2),
            Status::Grey | Status::Undated | Status::Missing => None,
        }
    }
}

/// How far short of target an actual may be and still be Amber.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tolerance {
    /// A percentage of the target.
    Percent(f64),
    /// An amount in the measure's unit.
    Absolute(f64),
}

/// A measure's status rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StatusRule {
    pub amber: Tolerance,
    /// For a percentage rule, the Amber band when the target is zero (in the
    /// measure's unit); none by default.
    #[serde(default)]
    pub zero_target_band: f64,
}

impl StatusRule {
    /// Buckinghamshire's own: Green on or better than target; Amber within 5 %; Red more than 5 % off.
    pub const BUCKINGHAMSHIRE: StatusRule = StatusRule { amber: Tolerance::Percent(5.0), zero_target_band: 0.0 };

    /// Reads `percent:5`, `absolute:2`, or `percent:5,zero:1`, saying what was expected otherwise.
    pub fn parse(text: &str) -> Result<StatusRule, String> {
        let bad = || {
            format!(
                "`{}` is not a status rule: write percent:5 (Amber within 5% of target), absolute:2 (within 2 of the unit) or percent:5,zero:1",
                text.trim()
            )
        };
        let mut parts = text.trim().split(',').map(str::trim);
        let (kind, n) = parts.next().and_then(|p| p.split_once(':')).ok_or_else(bad)?;
        let n: f64 = n.trim().parse().ok().filter(|n: &f64| n.is_finite() && *n >= 0.0).ok_or_else(bad)?;
        let amber = match kind.trim() {
            "percent" => Tolerance::Percent(n),
            "absolute" => Tolerance::Absolute(n),
            _ => return Err(bad()),
        };
        let mut rule = StatusRule { amber, zero_target_band: 0.0 };
        for p in parts {
            match p.split_once(':') {
                Some(("zero", z)) => rule.zero_target_band = z.trim().parse().ok().filter(|z: &f64| z.is_finite() && *z >= 0.0).ok_or_else(bad)?,
                _ => return Err(bad()),
            }
        }
        Ok(rule)
    }

    /// The rule as written in a dataset (`percent:5`), which [`StatusRule::parse`] reads back.
    pub fn code(&self) -> String {
        let base = match self.amber {
            Tolerance::Percent(p) => format!("percent:{p}"),
            Tolerance::Absolute(a) => format!("absolute:{a}"),
        };
        if self.zero_target_band > 0.0 {
            format!("{base},zero:{}", self.zero_target_band)
        } else {
            base
        }
    }

    /// The rule in words, for the measure's page.
    pub fn describe(&self) -> String {
        match self.amber {
            Tolerance::Percent(p) if self.zero_target_band > 0.0 => {
                format!("Green on or better than target; Amber within {p}% of it (within {} of a target of zero); Red further off", self.zero_target_band)
            }
            Tolerance::Percent(p) => format!("Green on or better than target; Amber within {p}% of it; Red further off"),
            Tolerance::Absolute(a) => format!("Green on or better than target; Amber within {a} of it; Red further off"),
        }
    }

    /// The Amber band for `target`, in the measure's unit.
    pub fn band(&self, target: f64) -> f64 {
        match self.amber {
            Tolerance::Absolute(a) => a,
            Tolerance::Percent(_) if target == 0.0 => self.zero_target_band,
            Tolerance::Percent(p) => target.abs() * p / 100.0,
        }
    }

    /// The status of `actual` against `target` for a measure of `polarity`,
    /// with how it was worked out.
    pub fn judge(&self, polarity: Polarity, target: Option<f64>, actual: Option<f64>) -> Judgement {
        let Some(actual) = actual else { return Judgement { status: Status::Missing, shortfall: None, band: None } };
        let (Some(target), false) = (target, polarity == Polarity::Neutral) else {
            return Judgement { status: Status::Grey, shortfall: None, band: None };
        };
        let shortfall = match polarity {
            Polarity::HigherIsBetter => target - actual,
            Polarity::HigherIsWorse => actual - target,
            Polarity::Neutral => unreachable!("monitored above"),
        };
        let band = self.band(target);
        // Rounding in the last place never turns an actual on the line into a miss.
        let slack = 1e-9 * target.abs().max(actual.abs()).max(1.0);
        let status = if shortfall <= slack {
            Status::Green
        } else if shortfall <= band + slack {
            Status::Amber
        } else {
            Status::Red
        };
        Judgement { status, shortfall: Some(shortfall.max(0.0)), band: Some(band) }
    }
}

/// A status and how it was reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    pub status: Status,
    /// How far worse than target the actual is (0 when on or better).
    pub shortfall: Option<f64>,
    /// The Amber band applied.
    pub band: Option<f64>,
}

vocabulary! {
    /// Which way a measure has moved since an earlier period.
    Direction {
        Improving = "improving" / "Improving",
        Worsening = "worsening" / "Worsening",
        Same = "same" / "No change",
        Up = "up" / "Up",
        Down = "down" / "Down",
        Unknown = "unknown" / "Not known: no earlier actual",
    }
}

impl Direction {
    /// From `then` to `now` for a measure of `polarity`: better or worse where
    /// the polarity says, up or down where it does not.
    pub fn of(polarity: Polarity, then: Option<f64>, now: Option<f64>) -> Direction {
        let (Some(then), Some(now)) = (then, now) else { return Direction::Unknown };
        if (now - then).abs() <= 1e-9 * then.abs().max(now.abs()).max(1.0) {
            return Direction::Same;
        }
        match (polarity, now > then) {
            (Polarity::HigherIsBetter, true) | (Polarity::HigherIsWorse, false) => Direction::Improving,
            (Polarity::HigherIsBetter, false) | (Polarity::HigherIsWorse, true) => Direction::Worsening,
            (Polarity::Neutral, true) => Direction::Up,
            (Polarity::Neutral, false) => Direction::Down,
        }
    }
}

/// A measure's status for `period`, by its own rule: against the period's
/// target; a target with no date is not judged (the status says so).
pub fn measure_status(m: &crate::programmes::model::Measure, period: crate::programmes::model::period::Period) -> Judgement {
    let actual = m.actual_for(period);
    match m.target_for(period) {
        Some(t) if t.period.is_none() && actual.is_some() && m.polarity != Polarity::Neutral => {
            Judgement { status: Status::Undated, shortfall: None, band: None }
        }
        t => m.rule.judge(m.polarity, t.map(|t| t.value), actual),
    }
}
