//! The progress report Cabinet receives for a programme and a period: its
//! highlights, each measure with its status by its rule and its direction
//! of travel, spend against funding, and the same by theme and by ward.
//! One value, worked out once from the record; the page, the CSV and the
//! PDF are each a rendering of it, so their figures cannot differ.

use crate::council::Register;
use crate::programmes::model::period::Period;
use crate::programmes::model::*;
use crate::programmes::progress::{initiative_tree, roll_up, Part};
use crate::programmes::status::{measure_status, Direction, Status};
use serde::Serialize;

/// A programme's progress report for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub programme: String,
    pub programme_slug: String,
    pub period: Period,
    /// "Q3 2023/24 (October to December 2023)".
    pub period_label: String,
    /// The day it was made, and the version of the record it was made from.
    pub made_on: chrono::NaiveDate,
    pub record_version: i64,
    pub highlights: Vec<Highlight>,
    pub measures: Vec<MeasureLine>,
    /// The programme's progress from its initiatives, in words, and how it was worked out.
    pub progress: Option<(String, String)>,
    pub money: Vec<FundLine>,
    pub themes: Vec<ThemeLine>,
    pub wards: Vec<WardLine>,
}

/// A measure as the report gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureLine {
    pub slug: String,
    pub name: String,
    pub unit: String,
    pub target: Option<f64>,
    /// Whether the target is one the source gives no date for.
    pub target_undated: bool,
    pub actual: Option<f64>,
    pub status: Status,
    pub since_last: Direction,
    pub since_year: Direction,
    pub commentary: Option<String>,
    pub corrective_action: Option<String>,
    pub action_owner: Option<String>,
}

/// A fund as the report gives it: what it holds, what is allocated and
/// what is spent by the end of the period's financial year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundLine {
    pub name: String,
    pub amount: f64,
    pub allocated: f64,
    pub spent: f64,
}

/// A theme's measures counted by status, and its initiatives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeLine {
    pub name: String,
    pub green: usize,
    pub amber: usize,
    pub red: usize,
    /// Measures monitored, not judged, or with no actual.
    pub other: usize,
    pub initiatives: usize,
}

/// A target ward and the initiatives working in it, there or across the programme's wards.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WardLine {
    pub code: String,
    pub name: String,
    /// Initiatives for this ward alone.
    pub here: Vec<String>,
    /// Initiatives across the programme's wards.
    pub across: usize,
}

/// Makes the report of `programme` for `period` from the register as it
/// stands at `record_version`, on `made_on`. `None` when there is no such programme.
pub fn report(reg: &Register, programme: &str, period: Period, made_on: chrono::NaiveDate, record_version: i64) -> Option<Report> {
    let p = reg.programmes.iter().find(|p| p.slug.as_str() == programme)?;
    let measures: Vec<&Measure> = reg.measures.iter().filter(|m| m.programme == p.slug).collect();
    let lines: Vec<MeasureLine> = measures.iter().map(|m| measure_line(m, period)).collect();
    let highlights = p.highlights.iter().filter(|h| h.period == period).cloned().collect();
    let tops: Vec<&Initiative> = reg.initiatives.iter().filter(|i| i.programme == p.slug && i.part_of.is_none()).collect();
    let progress = (!tops.is_empty()).then(|| {
        let whole = Part { name: p.name.clone(), progress: None, weight: 1.0, parts: tops.iter().map(|i| initiative_tree(&reg.initiatives, i)).collect() };
        let r = roll_up(&whole, p.roll_up);
        (r.in_words(), r.working)
    });
    // Money to the end of the financial year the period falls in.
    let year_end = period.financial_year();
    let money = reg
        .funds
        .iter()
        .filter(|f| f.programme.as_ref() == Some(&p.slug))
        .map(|f| FundLine {
            name: f.name.clone(),
            amount: f.amount,
            allocated: f.allocated(),
            spent: f.spend.iter().filter(|s| s.period.financial_year() <= year_end).map(|s| s.amount).sum(),
        })
        .collect();
    let themes = p
        .themes
        .iter()
        .map(|t| {
            let of: Vec<&MeasureLine> = measures.iter().zip(&lines).filter(|(m, _)| m.themes.contains(&t.slug)).map(|(_, l)| l).collect();
            let count = |s: Status| of.iter().filter(|l| l.status == s).count();
            ThemeLine {
                name: t.name.clone(),
                green: count(Status::Green),
                amber: count(Status::Amber),
                red: count(Status::Red),
                other: of.len() - count(Status::Green) - count(Status::Amber) - count(Status::Red),
                initiatives: reg.initiatives.iter().filter(|i| i.programme == p.slug && i.themes.contains(&t.slug)).count(),
            }
        })
        .collect();
    let wards = target_wards(reg, p)
        .into_iter()
        .map(|(code, name)| {
            let mine: Vec<&Initiative> = reg.initiatives.iter().filter(|i| i.programme == p.slug).collect();
            WardLine {
                here: mine.iter().filter(|i| i.areas.contains(&code)).map(|i| i.name.clone()).collect(),
                across: mine.iter().filter(|i| i.areas.iter().any(|a| p.areas.contains(a))).count(),
                code,
                name,
            }
        })
        .collect();
    Some(Report {
        programme: p.name.clone(),
        programme_slug: p.slug.to_string(),
        period,
        period_label: period.label(),
        made_on,
        record_version,
        highlights,
        measures: lines,
        progress,
        money,
        themes,
        wards,
    })
}

fn measure_line(m: &Measure, period: Period) -> MeasureLine {
    let actual = m.actuals.iter().find(|a| a.period == period);
    let target = m.target_for(period);
    let status = if actual.is_some() { measure_status(m, period).status } else { Status::Missing };
    let now = actual.map(|a| a.value);
    MeasureLine {
        slug: m.slug.to_string(),
        name: m.name.clone(),
        unit: m.unit.clone(),
        target: target.map(|t| t.value),
        target_undated: target.is_some_and(|t| t.period.is_none()),
        actual: now,
        status,
        since_last: Direction::of(m.polarity, m.actual_for(period.previous()), now),
        since_year: Direction::of(m.polarity, m.actual_for(period.year_before()), now),
        commentary: actual.and_then(|a| a.commentary.clone()),
        corrective_action: actual.and_then(|a| a.corrective_action.clone()),
        action_owner: actual.and_then(|a| a.action_owner.clone()),
    }
}

/// The wards a programme targets: its areas that are wards, and the members of those that are sets of them.
fn target_wards(reg: &Register, p: &Programme) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for code in &p.areas {
        let Some(a) = reg.areas.iter().find(|x| &x.code == code) else { continue };
        let members: Vec<&String> = if a.members.is_empty() { vec![&a.code] } else { a.members.iter().collect() };
        for m in members {
            if let Some(w) = reg.areas.iter().find(|x| &x.code == m) {
                if !out.iter().any(|(c, _)| c == &w.code) {
                    out.push((w.code.clone(), w.name.clone()));
                }
            }
        }
    }
    out
}

/// The periods a programme can be reported for: every period one of its
/// measures has an actual or a dated target for, latest first.
pub fn report_periods(reg: &Register, programme: &str) -> Vec<Period> {
    let mut out: Vec<Period> = reg
        .measures
        .iter()
        .filter(|m| m.programme.as_str() == programme)
        .flat_map(|m| m.actuals.iter().map(|a| a.period).chain(m.targets.iter().filter_map(|t| t.period)))
        .chain(reg.programmes.iter().filter(|p| p.slug.as_str() == programme).flat_map(|p| p.highlights.iter().map(|h| h.period)))
        .collect();
    out.sort_by(|a, b| b.partial_cmp(a).unwrap_or(std::cmp::Ordering::Equal));
    out.dedup();
    out
}

/// The report's measures as CSV rows under [`CSV_HEADER`].
pub const CSV_HEADER: [&str; 13] = [
    "section",
    "name",
    "period",
    "unit",
    "target",
    "actual",
    "status",
    "since_last_period",
    "since_same_period_last_year",
    "amount",
    "allocated",
    "spent",
    "commentary",
];

/// The report as CSV: its measures, then its funds, then its themes, each row
/// a line; every figure as on the page.
pub fn report_csv(r: &Report) -> Vec<Vec<String>> {
    let n = |x: Option<f64>| x.map(crate::programmes::forms::number_text).unwrap_or_default();
    let mut rows = Vec::new();
    for m in &r.measures {
        rows.push(vec![
            "measure".into(),
            m.name.clone(),
            r.period.to_string(),
            m.unit.clone(),
            n(m.target),
            n(m.actual),
            m.status.label().into(),
            m.since_last.label().into(),
            m.since_year.label().into(),
            String::new(),
            String::new(),
            String::new(),
            m.commentary.clone().unwrap_or_default(),
        ]);
    }
    for f in &r.money {
        rows.push(vec![
            "fund".into(),
            f.name.clone(),
            r.period.financial_year().to_string(),
            "pounds".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            n(Some(f.amount)),
            n(Some(f.allocated)),
            n(Some(f.spent)),
            String::new(),
        ]);
    }
    for t in &r.themes {
        let text = format!("Green: {}; Amber: {}; Red: {}; other: {}; initiatives: {}", t.green, t.amber, t.red, t.other, t.initiatives);
        rows.push(vec![
            "theme".into(),
            t.name.clone(),
            r.period.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            text,
        ]);
    }
    for h in &r.highlights {
        rows.push(vec![
            "highlight".into(),
            h.by.clone().unwrap_or_default(),
            r.period.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            h.text.clone(),
        ]);
    }
    rows
}
