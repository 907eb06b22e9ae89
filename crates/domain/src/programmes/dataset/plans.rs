//! Strategies and action plans in a dataset: `[[strategy]]` tables in
//! programmes/*.toml with their `[[strategy.aim]]` and
//! `[[strategy.objective]]`; `[[plan]]` tables (a strategy's phase, or a
//! programme's local action plan for one place) with their `[[plan.action]]`.
//! Each mistake is named: an objective under an aim the strategy lacks, a
//! year that is not a financial year, an action serving an objective or a
//! theme its plan's strategy or programme does not have, a second local
//! plan for one place.

use crate::programmes::model::period::Period;
use crate::programmes::model::*;
use crate::reader::*;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStrategy {
    slug: S,
    name: String,
    summary: Option<String>,
    dated: Option<S>,
    status: S,
    owner_organisation: Option<S>,
    owner_body: Option<S>,
    #[serde(default)]
    aim: Vec<RawAim>,
    #[serde(default)]
    objective: Vec<RawObjective>,
    #[serde(default)]
    principles: Vec<String>,
    #[serde(default)]
    decisions: Vec<S>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAim {
    number: u32,
    name: S,
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    number: u32,
    aim: u32,
    name: S,
    text: Option<String>,
    by: Option<S>,
    status: Option<S>,
    #[serde(default)]
    measures: Vec<S>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlan {
    slug: S,
    name: String,
    strategy: Option<S>,
    programme: Option<S>,
    area: Option<S>,
    led_by: Option<S>,
    period: Option<S>,
    status: S,
    text: Option<String>,
    #[serde(default)]
    action: Vec<RawAction>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    text: S,
    #[serde(default)]
    objectives: Vec<u32>,
    #[serde(default)]
    themes: Vec<S>,
    owner: Option<String>,
    starts: Option<S>,
    due: Option<S>,
    status: Option<S>,
    initiative: Option<S>,
    #[serde(default)]
    steps: Vec<String>,
}

/// The fields of a strategy that may be marked as the example's.
const STRATEGY_FIELDS: &[&str] = &["name", "summary", "dated", "status", "owner", "aim", "objective", "objective.status", "objective.measures", "principles"];

/// The fields of a plan that may be marked as the example's.
const PLAN_FIELDS: &[&str] =
    &["name", "area", "led_by", "period", "status", "text", "action", "action.objectives", "action.themes", "action.owner", "action.status"];

pub(super) type Raw<'a, T> = Vec<(&'a str, &'a str, T)>;

/// A year a strategy's objective is to be met by, or a plan's period: a financial year.
fn financial_year<'a>(r: &mut Reader<'a>, at: At<'a>, field: &'static str, text: &str) -> Option<Period> {
    match Period::parse(text) {
        Ok(p @ Period::Year { .. }) => Some(p),
        Ok(p) => {
            r.c.add(at.file, Some(at.line), Some(field), format!("{} is not a financial year: write one like {}", p.label(), p.financial_year()));
            None
        }
        Err(e) => {
            r.c.add(at.file, Some(at.line), Some(field), e);
            None
        }
    }
}

fn work_status<'a>(r: &mut Reader<'a>, at: &dyn Fn(&S) -> At<'a>, field: &'static str, status: &Option<S>) -> Option<WorkStatus> {
    match status {
        None => Some(WorkStatus::NotReported),
        Some(s) => WorkStatus::parse(s.get_ref()).map_err(|e| r.c.add(at(s).file, Some(at(s).line), Some(field), e)).ok(),
    }
}

/// The strategies, and the slugs of every one declared (a strategy refused
/// for problems of its own is not reported again by the plans that name it).
pub(super) fn read_strategies<'a>(raw: Raw<'a, RawStrategy>, measures: &[Measure], r: &mut Reader<'a>) -> (Vec<Strategy>, Vec<String>) {
    let declared = raw.iter().map(|(_, _, x)| x.slug.get_ref().clone()).collect();
    let mut out: Vec<Strategy> = Vec::new();
    for (file, text, x) in raw {
        let at = |s: &S| At { file, line: placeworks_kernel::problems::line_of(text, s.span().start) };
        let a = at(&x.slug);
        let Some(slug) = r.slug(a, "slug", x.slug.get_ref()) else { continue };
        if out.iter().any(|s| s.slug == slug) {
            r.c.add(file, Some(a.line), Some("slug"), format!("duplicate strategy `{slug}`: give each strategy its own slug"));
            continue;
        }
        if x.name.trim().is_empty() {
            r.c.add(file, Some(a.line), Some("name"), "name the strategy");
        }
        let status = ProgrammeStatus::parse(x.status.get_ref()).map_err(|e| r.c.add(file, Some(at(&x.status).line), Some("status"), e)).ok();
        let dated = x.dated.as_ref().and_then(|d| r.date(at(d), "dated", Some(d.get_ref())));
        let owner = super::party(r, &at, &x.owner_organisation, &x.owner_body, ("owner_organisation", "owner_body"));
        let mut aims: Vec<Aim> = Vec::new();
        for m in &x.aim {
            let line = at(&m.name).line;
            if aims.iter().any(|y| y.number == m.number) {
                r.c.add(file, Some(line), Some("aim.number"), format!("aim {} is given twice: number each aim once", m.number));
                continue;
            }
            if m.name.get_ref().trim().is_empty() {
                r.c.add(file, Some(line), Some("aim.name"), "say what the aim is, in the source's words");
            }
            aims.push(Aim { number: m.number, name: m.name.get_ref().trim().to_owned(), text: m.text.clone() });
        }
        let mut objectives: Vec<Objective> = Vec::new();
        for o in &x.objective {
            let line = at(&o.name).line;
            if objectives.iter().any(|y| y.number == o.number) {
                r.c.add(file, Some(line), Some("objective.number"), format!("objective {} is given twice: number each objective once", o.number));
                continue;
            }
            if !aims.iter().any(|m| m.number == o.aim) {
                let known = aims.iter().map(|m| m.number.to_string()).collect::<Vec<_>>().join(", ");
                r.c.add(file, Some(line), Some("objective.aim"), format!("the strategy has no aim {}: its aims are {known}", o.aim));
            }
            if o.name.get_ref().trim().is_empty() {
                r.c.add(file, Some(line), Some("objective.name"), "say what the objective is, in the source's words");
            }
            let by = o.by.as_ref().and_then(|b| financial_year(r, at(b), "objective.by", b.get_ref()));
            let status = work_status(r, &at, "objective.status", &o.status);
            let mut found = Vec::new();
            for m in &o.measures {
                match measures.iter().find(|x| x.slug.as_str() == m.get_ref()) {
                    Some(x) => found.push(x.slug.clone()),
                    None => {
                        let hint = suggestion(m.get_ref(), measures.iter().map(|x| x.slug.as_str()));
                        r.c.add(file, Some(at(m).line), Some("objective.measures"), format!("unknown measure `{}`{hint}", m.get_ref()));
                    }
                }
            }
            // A bad status is reported; the objective stays, so that the
            // actions serving it are not reported as serving nothing.
            let status = status.unwrap_or(WorkStatus::NotReported);
            objectives.push(Objective {
                number: o.number,
                aim: o.aim,
                name: o.name.get_ref().trim().to_owned(),
                text: o.text.clone(),
                by,
                status,
                measures: found,
                note: o.note.clone(),
            });
        }
        let decisions = x.decisions.iter().filter_map(|d| r.referred(at(d), "decisions", Target::Decision, d.get_ref())).collect();
        let sources = super::cited(r, &x.sources, &at);
        let example = r.example_fields(x.example.iter().map(|e| (at(e), e.get_ref().as_str())), STRATEGY_FIELDS);
        let Some(status) = status else { continue };
        out.push(Strategy {
            slug,
            name: x.name.trim().to_owned(),
            summary: x.summary.clone(),
            dated,
            status,
            owner,
            aims,
            objectives,
            principles: x.principles.iter().map(|p| p.trim().to_owned()).collect(),
            decisions,
            sources,
            example,
            note: x.note.clone(),
        });
    }
    (out, declared)
}

pub(super) fn read_plans<'a>(
    raw: Raw<'a, RawPlan>,
    (strategies, declared_strategies): (&[Strategy], &[String]),
    programmes: &[Programme],
    declared: &[crate::ids::Slug],
    initiatives: &[Initiative],
    r: &mut Reader<'a>,
) -> Vec<ActionPlan> {
    let mut out: Vec<ActionPlan> = Vec::new();
    for (file, text, x) in raw {
        let at = |s: &S| At { file, line: placeworks_kernel::problems::line_of(text, s.span().start) };
        let a = at(&x.slug);
        let Some(slug) = r.slug(a, "slug", x.slug.get_ref()) else { continue };
        if out.iter().any(|p| p.slug == slug) {
            r.c.add(file, Some(a.line), Some("slug"), format!("duplicate plan `{slug}`: give each plan its own slug"));
            continue;
        }
        if x.name.trim().is_empty() {
            r.c.add(file, Some(a.line), Some("name"), "name the plan");
        }
        let strategy = match &x.strategy {
            None => None,
            Some(s) => match strategies.iter().find(|y| y.slug.as_str() == s.get_ref()) {
                Some(y) => Some(y),
                None if declared_strategies.contains(s.get_ref()) => continue,
                None => {
                    let hint = suggestion(s.get_ref(), strategies.iter().map(|y| y.slug.as_str()));
                    r.c.add(file, Some(at(s).line), Some("strategy"), format!("unknown strategy `{}`{hint}", s.get_ref()));
                    continue;
                }
            },
        };
        let programme = match &x.programme {
            None => None,
            Some(s) => match programmes.iter().find(|y| y.slug.as_str() == s.get_ref()) {
                Some(y) => Some(y),
                // A programme refused for problems of its own: those are reported.
                None if declared.iter().any(|d| d.as_str() == s.get_ref()) => continue,
                None => {
                    let hint = suggestion(s.get_ref(), programmes.iter().map(|y| y.slug.as_str()));
                    r.c.add(file, Some(at(s).line), Some("programme"), format!("unknown programme `{}`{hint}", s.get_ref()));
                    continue;
                }
            },
        };
        if strategy.is_none() && programme.is_none() {
            r.c.add(file, Some(a.line), Some("strategy"), "say whose plan it is: give its `strategy` or its `programme`");
            continue;
        }
        if let Some(area) = &x.area {
            r.refer(at(area), "area", Target::Area, area.get_ref());
            if let Some(p) = programme {
                if let Some(other) = out.iter().find(|o| o.programme.as_ref() == Some(&p.slug) && o.area.as_deref() == Some(area.get_ref().as_str())) {
                    r.c.add(
                        file,
                        Some(at(area).line),
                        Some("area"),
                        format!("{} already has a local action plan for `{}` (`{}`): a programme has one plan a place", p.name, area.get_ref(), other.slug),
                    );
                }
            }
        }
        let led_by = x.led_by.as_ref().and_then(|b| r.referred(at(b), "led_by", Target::Body, b.get_ref()));
        let period = x.period.as_ref().and_then(|p| financial_year(r, at(p), "period", p.get_ref()));
        let status = PlanStatus::parse(x.status.get_ref()).map_err(|e| r.c.add(file, Some(at(&x.status).line), Some("status"), e)).ok();
        let mut actions = Vec::new();
        for act in &x.action {
            let line = at(&act.text).line;
            if act.text.get_ref().trim().is_empty() {
                r.c.add(file, Some(line), Some("action.text"), "say what the action is, in the source's words");
            }
            for n in &act.objectives {
                match strategy {
                    None => r.c.add(
                        file,
                        Some(line),
                        Some("action.objectives"),
                        "the plan has no strategy whose objectives an action could serve: give the plan's `strategy`",
                    ),
                    Some(s) if !s.objectives.iter().any(|o| o.number == *n) => r.c.add(
                        file,
                        Some(line),
                        Some("action.objectives"),
                        format!(
                            "{} has no objective {n}: its objectives are numbered 1 to {}",
                            s.name,
                            s.objectives.iter().map(|o| o.number).max().unwrap_or(0)
                        ),
                    ),
                    Some(_) => {}
                }
            }
            let themes = act
                .themes
                .iter()
                .filter_map(|t| {
                    match programme {
                        None => r.c.add(
                            file,
                            Some(at(t).line),
                            Some("action.themes"),
                            "the plan has no programme whose themes an action could come under: give the plan's `programme`",
                        ),
                        Some(p) if !p.themes.iter().any(|x| x.slug.as_str() == t.get_ref()) => r.c.add(
                            file,
                            Some(at(t).line),
                            Some("action.themes"),
                            format!(
                                "`{}` is not one of {}'s themes: {}",
                                t.get_ref(),
                                p.name,
                                p.themes.iter().map(|x| x.slug.as_str()).collect::<Vec<_>>().join(", ")
                            ),
                        ),
                        Some(_) => return r.slug(at(t), "action.themes", t.get_ref()),
                    }
                    None
                })
                .collect();
            let starts = act.starts.as_ref().and_then(|d| r.date(at(d), "action.starts", Some(d.get_ref())));
            let due = act.due.as_ref().and_then(|d| r.date(at(d), "action.due", Some(d.get_ref())));
            if let (Some(s), Some(d), Some(raw)) = (&starts, &due, &act.due) {
                if d < s {
                    r.c.add(
                        file,
                        Some(at(raw).line),
                        Some("action.due"),
                        format!("it is due before it starts ({}): give a due date on or after its start", s.display()),
                    );
                }
            }
            let initiative = match &act.initiative {
                None => None,
                Some(i) => match initiatives.iter().find(|y| y.slug.as_str() == i.get_ref() && programme.is_none_or(|p| p.slug == y.programme)) {
                    Some(y) => Some(y.slug.clone()),
                    None => {
                        let hint = suggestion(i.get_ref(), initiatives.iter().map(|y| y.slug.as_str()));
                        r.c.add(file, Some(at(i).line), Some("action.initiative"), format!("unknown initiative `{}`{hint}", i.get_ref()));
                        None
                    }
                },
            };
            let Some(status) = work_status(r, &at, "action.status", &act.status) else { continue };
            actions.push(PlanAction {
                text: act.text.get_ref().trim().to_owned(),
                objectives: act.objectives.clone(),
                themes,
                owner: act.owner.clone(),
                starts,
                due,
                status,
                initiative,
                steps: act.steps.iter().map(|s| s.trim().to_owned()).collect(),
            });
        }
        let sources = super::cited(r, &x.sources, &at);
        let example = r.example_fields(x.example.iter().map(|e| (at(e), e.get_ref().as_str())), PLAN_FIELDS);
        let Some(status) = status else { continue };
        out.push(ActionPlan {
            slug,
            name: x.name.trim().to_owned(),
            strategy: strategy.map(|s| s.slug.clone()),
            programme: programme.map(|p| p.slug.clone()),
            area: x.area.as_ref().map(|a| a.get_ref().clone()),
            led_by,
            period,
            status,
            text: x.text.clone(),
            actions,
            sources,
            example,
            note: x.note.clone(),
        });
    }
    out
}
