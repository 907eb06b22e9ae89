//! Programmes' forms as typed: an actual for one measure and period, and a
//! CSV file of actuals for many. Both read each value the same way
//! ([`ActualForm::read`]), so a figure refused in the form is refused in
//! the file, and the file's refusals name their line and column.

use crate::forms::{check_len, err, FieldError};
use crate::ids::Slug;
use crate::programmes::model::{Actual, Measure};
use crate::programmes::period::Period;
use crate::programmes::status::{measure_status, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// "Enter an actual" for a measure, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ActualForm {
    /// `2024/25 Q1`, `2024/25` or `2024-04`, as the measure is reported.
    pub period: String,
    pub value: String,
    pub commentary: String,
    /// For a Red: what is being done about it, and who owns that.
    pub corrective_action: String,
    pub action_owner: String,
}

/// The longest commentary or corrective action kept.
const TEXT_MAX: usize = 4000;

impl ActualForm {
    /// The form filled in from an actual already reported.
    pub fn from_record(a: &Actual) -> ActualForm {
        ActualForm {
            period: a.period.to_string(),
            value: number_text(a.value),
            commentary: a.commentary.clone().unwrap_or_default(),
            corrective_action: a.corrective_action.clone().unwrap_or_default(),
            action_owner: a.action_owner.clone().unwrap_or_default(),
        }
    }

    /// The actual this form gives for `m`, checked: a period of the
    /// measure's frequency that has begun by `today`, a number, and for a
    /// Red by the measure's own rule its corrective action and its owner.
    /// `entered_by` and `entered_at` say who is entering it and when.
    pub fn read(&self, m: &Measure, today: NaiveDate, entered_by: &str, entered_at: i64) -> Result<Actual, Vec<FieldError>> {
        let mut errors = Vec::new();
        let period = match Period::parse(&self.period) {
            _ if self.period.trim().is_empty() => {
                errors.push(err("period", format!("Enter the period, like {}", Period::last_ended(m.frequency, today))));
                None
            }
            Err(e) => {
                errors.push(err("period", e));
                None
            }
            Ok(p) if p.frequency() != m.frequency => {
                errors.push(err(
                    "period",
                    format!("{} is reported {}: enter a period like {}", m.name, m.frequency.label().to_lowercase(), Period::last_ended(m.frequency, today)),
                ));
                None
            }
            Ok(p) if p.starts() > today => {
                errors.push(err("period", format!("{} has not begun yet: an actual can be entered once its period has begun", p.label())));
                None
            }
            Ok(p) => Some(p),
        };
        let value = read_number(&self.value).map_err(|e| errors.push(err("value", e))).ok();
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        check_len(&mut errors, "commentary", "The commentary", &self.commentary, TEXT_MAX);
        check_len(&mut errors, "corrective_action", "The corrective action", &self.corrective_action, TEXT_MAX);
        check_len(&mut errors, "action_owner", "Who owns the action", &self.action_owner, 200);
        let (Some(period), Some(value)) = (period, value) else { return Err(errors) };
        let actual = Actual {
            period,
            value,
            commentary: text(&self.commentary),
            corrective_action: text(&self.corrective_action),
            action_owner: text(&self.action_owner),
            entered_by: Some(entered_by.to_owned()),
            entered_at: Some(entered_at),
        };
        if status_with(m, &actual) == Status::Red {
            let rule = m.rule.describe();
            if actual.corrective_action.is_none() {
                errors.push(err("corrective_action", format!("This actual is Red by the measure's rule ({rule}): say what is being done about it")));
            }
            if actual.action_owner.is_none() {
                errors.push(err("action_owner", "This actual is Red: say who owns the corrective action"));
            }
        }
        if errors.is_empty() {
            Ok(actual)
        } else {
            Err(errors)
        }
    }
}

/// The status `actual` would give `m` for its period.
pub fn status_with(m: &Measure, actual: &Actual) -> Status {
    let mut with = m.clone();
    with.actuals.retain(|a| a.period != actual.period);
    with.actuals.push(actual.clone());
    measure_status(&with, actual.period).status
}

/// A figure as typed: `9`, `12.5`, `1,250` or `45%`.
fn read_number(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter the actual, as a number like 9 or 12.5".into());
    }
    let plain: String = t.trim_end_matches('%').chars().filter(|c| *c != ',').collect();
    plain.trim().parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| format!("`{t}` is not a number: enter the actual as a number like 9 or 12.5"))
}

/// A figure as it is shown in a form: without a needless `.0`.
pub fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

/// The columns a CSV file of actuals has: the first three required, the
/// others optional, in any order.
pub const ACTUAL_COLUMNS: [&str; 6] = ["measure", "period", "value", "commentary", "corrective_action", "action_owner"];

/// A CSV file of actuals for a programme's measures, read whole: every
/// row's actual, or every problem in the file, each with its line and
/// column. One bad row refuses the file: nothing of it is kept.
pub fn read_actuals_csv(
    file: &str,
    text: &str,
    measures: &[&Measure],
    today: NaiveDate,
    entered_by: &str,
    entered_at: i64,
) -> Result<Vec<(Slug, Actual)>, Vec<FieldError>> {
    let problem = |line: u64, column: Option<&str>, message: String| {
        let at = match column {
            Some(c) => format!("{file}, line {line}, column {c}"),
            None => format!("{file}, line {line}"),
        };
        err("file", format!("{at}: {message}"))
    };
    let mut errors = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(vec![err("file", format!("{file} is empty: it needs a header line ({}) and a line for each actual", ACTUAL_COLUMNS.join(",")))]);
    }
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|x| x.to_lowercase().replace([' ', '-'], "_")).collect(),
        Err(e) => return Err(vec![problem(1, None, format!("the header line cannot be read ({e})"))]),
    };
    for h in &headers {
        if !ACTUAL_COLUMNS.contains(&h.as_str()) {
            errors.push(problem(1, Some(h), format!("`{h}` is not a column of actuals: the columns are {}", ACTUAL_COLUMNS.join(", "))));
        }
    }
    for required in &ACTUAL_COLUMNS[..3] {
        if !headers.iter().any(|h| h == required) {
            errors.push(problem(1, None, format!("the `{required}` column is missing: the header line needs measure, period and value")));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let column = |row: &csv::StringRecord, name: &str| headers.iter().position(|h| h == name).and_then(|i| row.get(i)).unwrap_or("").to_owned();
    let mut out: Vec<(Slug, Actual, u64)> = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                errors.push(problem(line, None, format!("the line cannot be read: {}", csv_error(&e, headers.len()))));
                continue;
            }
        };
        let line = row.position().map_or(0, csv::Position::line);
        if row.iter().all(str::is_empty) {
            continue;
        }
        let name = column(&row, "measure");
        let Some(m) = measures.iter().find(|m| m.slug.as_str() == name || m.name.eq_ignore_ascii_case(&name)) else {
            let known: Vec<&str> = measures.iter().map(|m| m.slug.as_str()).collect();
            errors.push(problem(
                line,
                Some("measure"),
                if name.is_empty() {
                    "give the measure".to_owned()
                } else {
                    format!("there is no measure `{name}` in this programme: its measures are {}", known.join(", "))
                },
            ));
            continue;
        };
        let form = ActualForm {
            period: column(&row, "period"),
            value: column(&row, "value"),
            commentary: column(&row, "commentary"),
            corrective_action: column(&row, "corrective_action"),
            action_owner: column(&row, "action_owner"),
        };
        match form.read(m, today, entered_by, entered_at) {
            Ok(a) => {
                if let Some((_, _, first)) = out.iter().find(|(s, x, _)| *s == m.slug && x.period == a.period) {
                    errors.push(problem(line, Some("period"), format!("{} for {} is given on line {first} already: give it once", a.period.label(), m.name)));
                } else {
                    out.push((m.slug.clone(), a, line));
                }
            }
            Err(es) => errors.extend(es.into_iter().map(|e| problem(line, Some(e.field), e.message))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.is_empty() {
        return Err(vec![err("file", format!("{file} has a header line but no actuals: add a line for each"))]);
    }
    Ok(out.into_iter().map(|(s, a, _)| (s, a)).collect())
}

/// A CSV reading error in words.
fn csv_error(e: &csv::Error, columns: usize) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { len, .. } => format!("it has {len} values where the header line has {columns} columns"),
        csv::ErrorKind::Utf8 { .. } => "it is not UTF-8 text: save the file as CSV UTF-8".into(),
        _ => e.to_string(),
    }
}

/// "Write the highlights" for a programme's report, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct HighlightForm {
    pub period: String,
    /// One highlight a line.
    pub text: String,
}

impl HighlightForm {
    /// The highlights this form gives: a period that has begun by `today`, and some text.
    pub fn read(&self, today: NaiveDate, by: &str, at: i64) -> Result<crate::programmes::model::Highlight, Vec<FieldError>> {
        let mut errors = Vec::new();
        let period = match Period::parse(&self.period) {
            Ok(p) if p.starts() > today => {
                errors.push(err("period", format!("{} has not begun yet", p.label())));
                None
            }
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(err("period", e));
                None
            }
        };
        let lines: Vec<String> = self.text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
        if lines.is_empty() {
            errors.push(err("text", "Write the highlights, one a line"));
        }
        check_len(&mut errors, "text", "The highlights", &self.text, 8000);
        match (period, errors.is_empty()) {
            (Some(period), true) => Ok(crate::programmes::model::Highlight { period, text: lines.join("\n"), by: Some(by.to_owned()), at: Some(at) }),
            _ => Err(errors),
        }
    }
}

/// "Update an action" of a plan, as typed: how far it has got, who owns it, and when.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct PlanActionForm {
    /// A [`crate::programmes::model::WorkStatus`] code.
    pub status: String,
    pub owner: String,
    pub starts: String,
    pub due: String,
}

impl PlanActionForm {
    /// The form as an action stands.
    pub fn of(a: &crate::programmes::model::PlanAction) -> PlanActionForm {
        PlanActionForm {
            status: a.status.code().to_owned(),
            owner: a.owner.clone().unwrap_or_default(),
            starts: a.starts.as_ref().map(|d| d.display()).unwrap_or_default(),
            due: a.due.as_ref().map(|d| d.display()).unwrap_or_default(),
        }
    }

    /// The action with what this form gives; its words, objectives, themes and steps stay.
    pub fn read(&self, current: &crate::programmes::model::PlanAction) -> Result<crate::programmes::model::PlanAction, Vec<FieldError>> {
        let mut errors = Vec::new();
        let status =
            crate::programmes::model::WorkStatus::parse(self.status.trim()).map_err(|_| errors.push(err("status", "Select how far the action has got"))).ok();
        check_len(&mut errors, "owner", "The owner", &self.owner, 200);
        let starts = crate::forms::date(&mut errors, "starts", "The start", &self.starts);
        let due = crate::forms::date(&mut errors, "due", "The due date", &self.due);
        if let (Some(s), Some(d)) = (&starts, &due) {
            if d < s {
                errors.push(err("due", format!("The due date must be on or after its start ({})", s.display())));
            }
        }
        match status {
            Some(status) if errors.is_empty() => {
                Ok(crate::programmes::model::PlanAction { status, owner: crate::forms::opt_line(&self.owner), starts, due, ..current.clone() })
            }
            _ => Err(errors),
        }
    }
}

/// "Change the programme's details", as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ProgrammeForm {
    pub name: String,
    pub aim: String,
    pub launched: String,
    /// A [`crate::programmes::model::ProgrammeStatus`] code.
    pub status: String,
}

impl ProgrammeForm {
    /// The form as a programme stands.
    pub fn of(p: &crate::programmes::model::Programme) -> ProgrammeForm {
        ProgrammeForm {
            name: p.name.clone(),
            aim: p.aim.clone(),
            launched: p.launched.as_ref().map(|d| d.display()).unwrap_or_default(),
            status: p.status.code().to_owned(),
        }
    }

    /// The programme's details this form gives.
    pub fn read(&self) -> Result<crate::programmes::model::ProgrammeDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        crate::forms::check_name(&mut errors, "name", &self.name, "Enter the programme's name");
        check_len(&mut errors, "name", "The name", &self.name, 200);
        let aim = self.aim.split_whitespace().collect::<Vec<_>>().join(" ");
        if aim.is_empty() {
            errors.push(err("aim", "Enter what the programme aims to do"));
        }
        check_len(&mut errors, "aim", "The aim", &self.aim, 4000);
        let launched = crate::forms::date(&mut errors, "launched", "The launch date", &self.launched);
        let status = crate::programmes::model::ProgrammeStatus::parse(self.status.trim())
            .map_err(|_| errors.push(err("status", "Select where the programme is in its life")))
            .ok();
        match status {
            Some(status) if errors.is_empty() => Ok(crate::programmes::model::ProgrammeDetails { name: crate::forms::line(&self.name), aim, launched, status }),
            _ => Err(errors),
        }
    }
}
