//! Programmes' writes, planned without I/O: an actual entered in the form,
//! and a CSV file of actuals imported whole.

use crate::change::*;
use crate::forms::{err, FieldError};
use crate::ids::Slug;
use crate::permissions::Resource;
use crate::programmes::forms::*;
pub use crate::programmes::model::{actual_id, plan_action_id};
use crate::programmes::model::{Actual, Measure, Programme};
use crate::register::queries::Index;
use chrono::NaiveDate;
use serde_json::{json, Value};

/// Who is entering figures and when: the account's name, the time and the day.
#[derive(Debug, Clone)]
pub struct Entering<'a> {
    pub by: &'a str,
    pub at: i64,
    pub today: NaiveDate,
}

/// An actual as the audit trail keeps it.
fn actual_view(m: &Measure, a: &Actual) -> Value {
    json!({
        "measure": m.name,
        "period": a.period.label(),
        "value": number_text(a.value),
        "unit": m.unit,
        "status": status_with(m, a).label(),
        "commentary": a.commentary,
        "corrective_action": a.corrective_action,
        "action_owner": a.action_owner,
    })
}

/// Whether an actual may replace one already reported for its period: only
/// when it was entered on a form opened on that figure (whose version the
/// write checks), never by a post that did not see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacing {
    Allowed,
    Refused,
}

/// Plans an actual for one of a programme's measures, new or replacing the
/// one reported for its period before: checked by [`ActualForm::read`].
pub fn plan_actual(ix: &Index, measure: &str, form: &ActualForm, who: &Entering, replacing: Replacing) -> Result<Change, Vec<FieldError>> {
    let Some(m) = ix.register.measures.iter().find(|m| m.slug.as_str() == measure) else {
        return Err(vec![err("value", "There is no such measure")]);
    };
    let actual = form.read(m, who.today, who.by, who.at)?;
    let old = m.actuals.iter().find(|a| a.period == actual.period);
    if let (Some(old), Replacing::Refused) = (old, replacing) {
        return Err(vec![err(
            "period",
            format!(
                "An actual of {} is already reported for {}{}: open it from the measure's page to correct it",
                number_text(old.value),
                actual.period.label(),
                old.entered_by.as_ref().map(|b| format!(" (entered by {b})")).unwrap_or_default()
            ),
        )]);
    }
    let recorded = Recorded {
        action: if old.is_some() { "change-actual" } else { "enter-actual" },
        record_kind: "actual",
        record_id: actual_id(&m.slug, actual.period),
        body: None,
        before: old.map(|a| actual_view(m, a)),
        after: Some(actual_view(m, &actual)),
    };
    Ok(Change { writes: vec![Write::PutActual { measure: m.slug.clone(), actual }], resource: super::figures_resource(&ix.register.initiatives, m), recorded })
}

/// Plans a CSV file of actuals for a programme's measures: all of them, or
/// (with every bad line named) none.
pub fn plan_actuals_import(ix: &Index, programme: &str, file: &str, text: &str, who: &Entering) -> Result<Change, Vec<FieldError>> {
    let Some(p) = ix.register.programmes.iter().find(|p| p.slug.as_str() == programme) else {
        return Err(vec![err("file", "There is no such programme")]);
    };
    let measures: Vec<&Measure> = ix.register.measures.iter().filter(|m| m.programme == p.slug).collect();
    if measures.is_empty() {
        return Err(vec![err("file", format!("{} has no measures to import actuals for", p.name))]);
    }
    let rows = read_actuals_csv(file, text, &measures, who.today, who.by, who.at)?;
    let measure = |s: &Slug| measures.iter().find(|m| m.slug == *s).copied().expect("read against these measures");
    let before: Vec<Value> =
        rows.iter().filter_map(|(s, a)| measure(s).actuals.iter().find(|x| x.period == a.period).map(|old| actual_view(measure(s), old))).collect();
    let after: Vec<Value> = rows.iter().map(|(s, a)| actual_view(measure(s), a)).collect();
    let recorded = Recorded {
        action: "import-actuals",
        record_kind: "programme",
        record_id: p.slug.to_string(),
        body: None,
        before: Some(json!({ "actuals": before })),
        after: Some(json!({ "file": file, "actuals": after })),
    };
    let writes = rows.into_iter().map(|(measure, actual)| Write::PutActual { measure, actual }).collect();
    Ok(Change { writes, resource: Resource::Programme(p.slug.clone()), recorded })
}

/// The programme a measure belongs to.
pub fn programme_of<'a>(ix: &'a Index, m: &Measure) -> Option<&'a Programme> {
    ix.register.programmes.iter().find(|p| p.slug == m.programme)
}

/// Plans a programme's highlights for a period, new or replacing those
/// written for it before.
pub fn plan_highlight(ix: &Index, programme: &str, form: &HighlightForm, who: &Entering, replacing: Replacing) -> Result<Change, Vec<FieldError>> {
    let Some(p) = ix.register.programmes.iter().find(|p| p.slug.as_str() == programme) else {
        return Err(vec![err("text", "There is no such programme")]);
    };
    let highlight = form.read(who.today, who.by, who.at)?;
    let old = p.highlights.iter().find(|h| h.period == highlight.period);
    if let (Some(old), Replacing::Refused) = (old, replacing) {
        let by = old.by.as_ref().map(|b| format!(" by {b}")).unwrap_or_default();
        return Err(vec![err(
            "period",
            format!("Highlights for {} are already written{by}: open them from the report to change them", highlight.period.label()),
        )]);
    }
    let view = |h: &crate::programmes::model::Highlight| json!({ "programme": p.name, "period": h.period.label(), "highlights": h.text });
    let recorded = Recorded {
        action: if old.is_some() { "change-highlights" } else { "write-highlights" },
        record_kind: "highlight",
        record_id: format!("{} {}", p.slug, highlight.period),
        body: None,
        before: old.map(view),
        after: Some(view(&highlight)),
    };
    Ok(Change { writes: vec![Write::PutHighlight { programme: p.slug.clone(), highlight }], resource: Resource::Programme(p.slug.clone()), recorded })
}

/// Plans an update of a plan's action (its `number`, from 1): its status, owner and dates.
pub fn plan_action_update(ix: &Index, plan: &str, number: usize, form: &PlanActionForm) -> Result<Change, Vec<FieldError>> {
    let Some((p, old)) = ix.register.plans.iter().find(|p| p.slug.as_str() == plan).and_then(|p| Some((p, p.actions.get(number.checked_sub(1)?)?))) else {
        return Err(vec![err("status", "There is no such action")]);
    };
    let action = form.read(old)?;
    let view = |a: &crate::programmes::model::PlanAction| {
        json!({
            "plan": p.name, "action": a.text, "status": a.status.label(), "owner": a.owner,
            "starts": a.starts.as_ref().map(|d| d.display()), "due": a.due.as_ref().map(|d| d.display()),
        })
    };
    let recorded = Recorded {
        action: "update-plan-action",
        record_kind: "plan-action",
        record_id: plan_action_id(&p.slug, number),
        body: p.led_by.clone(),
        before: Some(view(old)),
        after: Some(view(&action)),
    };
    Ok(Change {
        writes: vec![Write::PutPlanAction { plan: p.slug.clone(), position: number - 1, action }],
        resource: crate::programmes::model::plan_resource(p),
        recorded,
    })
}

/// Plans a change to a programme's details.
pub fn plan_programme_details(ix: &Index, programme: &str, form: &ProgrammeForm) -> Result<Change, Vec<FieldError>> {
    let Some(p) = ix.register.programmes.iter().find(|p| p.slug.as_str() == programme) else {
        return Err(vec![err("name", "There is no such programme")]);
    };
    let details = form.read()?;
    let view = |name: &str, aim: &str, launched: &Option<crate::ids::PartialDate>, status: crate::programmes::model::ProgrammeStatus| json!({ "name": name, "aim": aim, "launched": launched.as_ref().map(|d| d.display()), "status": status.label() });
    let recorded = Recorded {
        action: "edit-programme",
        record_kind: "programme",
        record_id: p.slug.to_string(),
        body: None,
        before: Some(view(&p.name, &p.aim, &p.launched, p.status)),
        after: Some(view(&details.name, &details.aim, &details.launched, details.status)),
    };
    Ok(Change { writes: vec![Write::PutProgrammeDetails { programme: p.slug.clone(), details }], resource: Resource::Programme(p.slug.clone()), recorded })
}
