//! Programmes in a dataset: programmes/*.toml, each with `[[programme]]`
//! tables and their `[[programme.level]]`, `[[programme.theme]]` and
//! `[[programme.outcome]]`; `[[initiative]]` tables with their
//! `[[initiative.milestone]]`; `[[measure]]` tables; money (`money`); and
//! strategies and action plans (`plans`).

mod money;
mod plans;

use crate::ids::Slug;
use crate::programmes::model::*;
use crate::reader::*;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    programme: Vec<RawProgramme>,
    #[serde(default)]
    measure: Vec<RawMeasure>,
    #[serde(default)]
    initiative: Vec<RawInitiative>,
    #[serde(default)]
    fund: Vec<money::RawFund>,
    #[serde(default)]
    contribution: Vec<money::RawContribution>,
    #[serde(default)]
    agreement: Vec<money::RawAgreement>,
    #[serde(default)]
    strategy: Vec<plans::RawStrategy>,
    #[serde(default)]
    plan: Vec<plans::RawPlan>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInitiative {
    slug: S,
    programme: S,
    part_of: Option<S>,
    name: String,
    summary: Option<String>,
    status: S,
    starts: Option<S>,
    ends: Option<S>,
    lead_organisation: Option<S>,
    lead_body: Option<S>,
    #[serde(default)]
    partners: Vec<S>,
    #[serde(default)]
    themes: Vec<S>,
    #[serde(default)]
    outcomes: Vec<S>,
    #[serde(default)]
    areas: Vec<S>,
    #[serde(default)]
    milestone: Vec<RawMilestone>,
    #[serde(default)]
    decisions: Vec<S>,
    #[serde(default)]
    meetings: Vec<S>,
    progress: Option<f64>,
    weight: Option<f64>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilestone {
    name: S,
    due: Option<S>,
    achieved: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    slug: S,
    programme: S,
    initiative: Option<S>,
    name: String,
    unit: String,
    polarity: S,
    frequency: S,
    source: Option<String>,
    indicator: Option<S>,
    #[serde(default)]
    themes: Vec<S>,
    #[serde(default)]
    outcomes: Vec<S>,
    baseline: Option<RawReading>,
    #[serde(default)]
    target: Vec<RawTarget>,
    rule: S,
    owner: Option<String>,
    #[serde(default)]
    actual: Vec<RawActual>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReading {
    period: S,
    value: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    period: Option<S>,
    value: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActual {
    period: S,
    value: f64,
    commentary: Option<String>,
    corrective_action: Option<String>,
    action_owner: Option<String>,
    /// Who entered it in Placeworks, and when (`2026-12-05T11:38:00Z`): kept by the export.
    entered_by: Option<String>,
    entered_at: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    slug: S,
    name: String,
    aim: String,
    launched: Option<S>,
    status: S,
    governed_by: Option<S>,
    #[serde(default)]
    level: Vec<RawLevel>,
    #[serde(default)]
    theme: Vec<RawNamed>,
    #[serde(default)]
    outcome: Vec<RawNamed>,
    #[serde(default)]
    areas: Vec<S>,
    #[serde(default)]
    decisions: Vec<S>,
    roll_up: Option<S>,
    #[serde(default)]
    highlight: Vec<RawHighlight>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHighlight {
    period: S,
    text: String,
    by: Option<String>,
    /// When it was written in Placeworks (`2026-12-05T11:38:00Z`): kept by the export.
    at: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    name: S,
    text: Option<String>,
    #[serde(default)]
    bodies: Vec<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNamed {
    slug: S,
    name: String,
    text: Option<String>,
}

/// The fields of a programme that may be marked as the example's.
pub(crate) const PROGRAMME_FIELDS: &[&str] =
    &["name", "aim", "launched", "status", "governed_by", "level", "theme", "outcome", "areas", "decisions", "roll_up"];

/// The fields of an initiative that may be marked as the example's.
pub(crate) const INITIATIVE_FIELDS: &[&str] = &[
    "name",
    "summary",
    "status",
    "starts",
    "ends",
    "lead",
    "partners",
    "themes",
    "outcomes",
    "areas",
    "milestone",
    "decisions",
    "meetings",
    "progress",
    "weight",
];

/// The fields of a measure that may be marked as the example's.
pub(crate) const MEASURE_FIELDS: &[&str] =
    &["initiative", "name", "unit", "polarity", "frequency", "source", "indicator", "themes", "outcomes", "baseline", "target", "rule", "owner", "actual"];

/// A council's programmes, their initiatives and their measures.
pub(crate) struct Read {
    pub programmes: Vec<Programme>,
    pub initiatives: Vec<Initiative>,
    pub measures: Vec<Measure>,
    pub money: money::Money,
    pub strategies: Vec<Strategy>,
    pub plans: Vec<ActionPlan>,
}

pub(crate) fn read_programmes<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>) -> Read {
    let mut out = Vec::new();
    let mut raw_measures: Vec<(&'a str, &'a str, RawMeasure)> = Vec::new();
    let mut raw_initiatives: Vec<(&'a str, &'a str, RawInitiative)> = Vec::new();
    let mut raw_money = money::RawMoney { funds: Vec::new(), contributions: Vec::new(), agreements: Vec::new() };
    let mut raw_strategies: plans::Raw<'a, plans::RawStrategy> = Vec::new();
    let mut raw_plans: plans::Raw<'a, plans::RawPlan> = Vec::new();
    let mut seen: HashMap<Slug, (String, usize)> = HashMap::new();
    for file in files.paths().filter(|p| p.starts_with("programmes/") && p.ends_with(".toml")) {
        let text = files.get(file).unwrap_or_default();
        let raw: RawFile = match toml::from_str(text) {
            Ok(x) => x,
            Err(e) => {
                toml_problem(file, text, &e, &mut r.c);
                r.unread.push(file.to_owned());
                continue;
            }
        };
        let at = |s: &S| At { file, line: placeworks_kernel::problems::line_of(text, s.span().start) };
        raw_measures.extend(raw.measure.into_iter().map(|m| (file, text, m)));
        raw_initiatives.extend(raw.initiative.into_iter().map(|i| (file, text, i)));
        raw_money.funds.extend(raw.fund.into_iter().map(|x| (file, text, x)));
        raw_money.contributions.extend(raw.contribution.into_iter().map(|x| (file, text, x)));
        raw_money.agreements.extend(raw.agreement.into_iter().map(|x| (file, text, x)));
        raw_strategies.extend(raw.strategy.into_iter().map(|x| (file, text, x)));
        raw_plans.extend(raw.plan.into_iter().map(|x| (file, text, x)));
        for p in raw.programme {
            let a = at(&p.slug);
            let Some(slug) = r.slug(a, "slug", p.slug.get_ref()) else { continue };
            if let Some((f, l)) = seen.insert(slug.clone(), (file.to_owned(), a.line)) {
                r.c.add(file, Some(a.line), Some("slug"), format!("duplicate slug `{slug}`: {f}:{l} already uses it"));
            }
            if p.aim.trim().is_empty() {
                r.c.add(file, Some(a.line), Some("aim"), "say what the programme aims to do, in the source's words");
            }
            let status = ProgrammeStatus::parse(p.status.get_ref()).map_err(|e| r.c.add(file, Some(at(&p.status).line), Some("status"), e)).ok();
            let roll_up = match &p.roll_up {
                None => Some(RollUp::Plain),
                Some(x) => RollUp::parse(x.get_ref()).map_err(|e| r.c.add(file, Some(at(x).line), Some("roll_up"), e)).ok(),
            };
            let launched = p.launched.as_ref().and_then(|l| r.date(at(l), "launched", Some(l.get_ref())));
            let governed_by = p.governed_by.as_ref().and_then(|b| r.referred(at(b), "governed_by", Target::Body, b.get_ref()));
            let mut levels = Vec::new();
            for l in &p.level {
                let bodies = l.bodies.iter().filter_map(|b| r.referred(at(b), "level.bodies", Target::Body, b.get_ref())).collect();
                if l.name.get_ref().trim().is_empty() {
                    r.c.add(file, Some(at(&l.name).line), Some("level.name"), "name the level of working");
                }
                levels.push(Level { name: l.name.get_ref().trim().to_owned(), text: l.text.clone(), bodies });
            }
            let mut named = |list: &[RawNamed], field: &'static str| -> Vec<(Slug, String, Option<String>)> {
                let mut got: Vec<(Slug, String, Option<String>)> = Vec::new();
                for n in list {
                    let Some(s) = r.slug(at(&n.slug), field, n.slug.get_ref()) else { continue };
                    if got.iter().any(|(x, _, _)| *x == s) {
                        r.c.add(file, Some(at(&n.slug).line), Some(field), format!("`{s}` is given twice: give each its own slug"));
                        continue;
                    }
                    got.push((s, n.name.trim().to_owned(), n.text.clone()));
                }
                got
            };
            let themes = named(&p.theme, "theme.slug").into_iter().map(|(slug, name, text)| Theme { slug, name, text }).collect();
            let outcomes = named(&p.outcome, "outcome.slug").into_iter().map(|(slug, name, _)| Outcome { slug, name }).collect();
            for x in &p.areas {
                r.refer(at(x), "areas", Target::Area, x.get_ref());
            }
            let decisions = p.decisions.iter().filter_map(|d| r.referred(at(d), "decisions", Target::Decision, d.get_ref())).collect();
            let mut highlights: Vec<Highlight> = Vec::new();
            for h in &p.highlight {
                let Ok(period) = crate::programmes::period::Period::parse(h.period.get_ref())
                    .map_err(|e| r.c.add(file, Some(at(&h.period).line), Some("highlight.period"), e))
                else {
                    continue;
                };
                if highlights.iter().any(|x| x.period == period) {
                    r.c.add(
                        file,
                        Some(at(&h.period).line),
                        Some("highlight.period"),
                        format!("{} has two sets of highlights: give each period one", period.label()),
                    );
                    continue;
                }
                if h.text.trim().is_empty() {
                    r.c.add(file, Some(at(&h.period).line), Some("highlight.text"), "write the highlights, one a line");
                    continue;
                }
                let written = match &h.at {
                    None => None,
                    Some(t) => match chrono::DateTime::parse_from_rfc3339(t.get_ref()) {
                        Ok(d) => Some(d.timestamp()),
                        Err(_) => {
                            r.c.add(
                                file,
                                Some(at(t).line),
                                Some("highlight.at"),
                                format!("`{}` is not a time: write it like 2026-12-05T11:38:00Z", t.get_ref()),
                            );
                            continue;
                        }
                    },
                };
                highlights.push(Highlight { period, text: h.text.trim().to_owned(), by: h.by.clone(), at: written });
            }
            let sources = cited(r, &p.sources, &at);
            let example = r.example_fields(p.example.iter().map(|e| (at(e), e.get_ref().as_str())), PROGRAMME_FIELDS);
            let (Some(status), Some(roll_up)) = (status, roll_up) else { continue };
            out.push(Programme {
                slug,
                name: p.name.trim().to_owned(),
                aim: p.aim.trim().to_owned(),
                launched,
                status,
                governed_by,
                levels,
                themes,
                outcomes,
                areas: p.areas.iter().map(|a| a.get_ref().clone()).collect(),
                decisions,
                roll_up,
                highlights,
                sources,
                example,
                note: p.note.clone(),
            });
        }
    }
    let declared: Vec<Slug> = seen.keys().cloned().collect();
    let mut every: Vec<String> = declared.iter().map(ToString::to_string).collect();
    every.extend(raw_initiatives.iter().map(|(_, _, i)| i.slug.get_ref().clone()));
    let initiatives = read_initiatives(raw_initiatives, &out, &declared, r);
    let measures: Vec<Measure> = raw_measures.into_iter().filter_map(|(file, text, m)| read_measure(file, text, m, &out, &declared, &initiatives, r)).collect();
    let every: Vec<&str> = every.iter().map(String::as_str).collect();
    let money = money::read_money(raw_money, &out, &initiatives, &every, r);
    let (strategies, declared_strategies) = plans::read_strategies(raw_strategies, &measures, r);
    let plans = plans::read_plans(raw_plans, (&strategies, &declared_strategies), &out, &declared, &initiatives, r);
    Read { programmes: out, initiatives, measures, money, strategies, plans }
}

/// The programme a record names, reporting it when no programme has that
/// slug (but not when one does and was refused for problems of its own).
fn programme_named<'p, 'a>(
    file: &'a str,
    line: usize,
    slug: &str,
    programmes: &'p [Programme],
    declared: &[Slug],
    r: &mut Reader<'a>,
) -> Result<Option<&'p Programme>, ()> {
    if let Some(p) = programmes.iter().find(|p| p.slug.as_str() == slug) {
        return Ok(Some(p));
    }
    if declared.iter().any(|d| d.as_str() == slug) {
        return Err(());
    }
    let hint = suggestion(slug, programmes.iter().map(|p| p.slug.as_str()));
    r.c.add(file, Some(line), Some("programme"), format!("unknown programme `{slug}`{hint}; programmes are declared in programmes/*.toml"));
    Ok(None)
}

/// Slugs from a list, each one of the programme's own (its themes, say).
fn programme_own<'a>(
    file: &'a str,
    at: &dyn Fn(&S) -> At<'a>,
    list: &[S],
    field: &'static str,
    programme: Option<&Programme>,
    of: &dyn Fn(&Programme) -> Vec<String>,
    r: &mut Reader<'a>,
) -> Vec<Slug> {
    list.iter()
        .filter_map(|x| {
            if let Some(p) = programme {
                if !of(p).iter().any(|s| s == x.get_ref()) {
                    r.c.add(file, Some(at(x).line), Some(field), format!("`{}` is not one of {}'s {field}: {}", x.get_ref(), p.name, of(p).join(", ")));
                    return None;
                }
            }
            r.slug(at(x), field, x.get_ref())
        })
        .collect()
}

fn theme_slugs(p: &Programme) -> Vec<String> {
    p.themes.iter().map(|t| t.slug.to_string()).collect()
}

fn outcome_slugs(p: &Programme) -> Vec<String> {
    p.outcomes.iter().map(|t| t.slug.to_string()).collect()
}

/// An initiative read, with its file and the line and slug of the initiative it is part of.
type ReadInitiative<'a> = (Initiative, &'a str, Option<(usize, String)>);

/// The initiatives, each checked against its programme: its themes and
/// outcomes the programme's, the initiative it is part of in the same
/// programme (and no initiative part of itself, however far round), its
/// milestones named and dated, its progress a percentage.
fn read_initiatives<'a>(raw: Vec<(&'a str, &'a str, RawInitiative)>, programmes: &[Programme], declared: &[Slug], r: &mut Reader<'a>) -> Vec<Initiative> {
    let mut out: Vec<ReadInitiative<'a>> = Vec::new();
    let mut seen: HashMap<Slug, (String, usize)> = HashMap::new();
    for (file, text, i) in raw {
        let at = |s: &S| At { file, line: placeworks_kernel::problems::line_of(text, s.span().start) };
        let a = at(&i.slug);
        let Some(slug) = r.slug(a, "slug", i.slug.get_ref()) else { continue };
        if let Some((f, l)) = seen.insert(slug.clone(), (file.to_owned(), a.line)) {
            r.c.add(file, Some(a.line), Some("slug"), format!("duplicate slug `{slug}`: {f}:{l} already uses it"));
        }
        let Ok(programme) = programme_named(file, at(&i.programme).line, i.programme.get_ref(), programmes, declared, r) else { continue };
        if i.name.trim().is_empty() {
            r.c.add(file, Some(a.line), Some("name"), "name the initiative");
        }
        let status = InitiativeStatus::parse(i.status.get_ref()).map_err(|e| r.c.add(file, Some(at(&i.status).line), Some("status"), e)).ok();
        let starts = i.starts.as_ref().and_then(|d| r.date(at(d), "starts", Some(d.get_ref())));
        let ends = i.ends.as_ref().and_then(|d| r.date(at(d), "ends", Some(d.get_ref())));
        if let (Some(s), Some(e), Some(x)) = (&starts, &ends, &i.ends) {
            if e < s {
                r.c.add(file, Some(at(x).line), Some("ends"), format!("it ends before it starts ({}): give an end on or after its start", s.display()));
            }
        }
        let lead = party(r, &at, &i.lead_organisation, &i.lead_body, ("lead_organisation", "lead_body"));
        let partners = i.partners.iter().filter_map(|o| r.referred(at(o), "partners", Target::Organisation, o.get_ref())).collect();
        let themes = programme_own(file, &at, &i.themes, "themes", programme, &theme_slugs, r);
        let outcomes = programme_own(file, &at, &i.outcomes, "outcomes", programme, &outcome_slugs, r);
        for x in &i.areas {
            r.refer(at(x), "areas", Target::Area, x.get_ref());
        }
        let mut milestones = Vec::new();
        for m in &i.milestone {
            if m.name.get_ref().trim().is_empty() {
                r.c.add(file, Some(at(&m.name).line), Some("milestone.name"), "name the milestone");
            }
            let due = m.due.as_ref().and_then(|d| r.date(at(d), "milestone.due", Some(d.get_ref())));
            let achieved = m.achieved.as_ref().and_then(|d| r.date(at(d), "milestone.achieved", Some(d.get_ref())));
            milestones.push(Milestone { name: m.name.get_ref().trim().to_owned(), due, achieved });
        }
        let decisions = i.decisions.iter().filter_map(|d| r.referred(at(d), "decisions", Target::Decision, d.get_ref())).collect();
        let meetings = i.meetings.iter().filter_map(|m| r.referred(at(m), "meetings", Target::Meeting, m.get_ref())).collect();
        if let Some(p) = i.progress.filter(|p| !(0.0..=100.0).contains(p) || !p.is_finite()) {
            r.c.add(file, Some(a.line), Some("progress"), format!("{p} is not a percentage: give progress from 0 to 100"));
        }
        let weight = i.weight.unwrap_or(1.0);
        if !weight.is_finite() || weight < 0.0 {
            r.c.add(file, Some(a.line), Some("weight"), format!("{weight} is not a weight: give a number of 0 or more"));
        }
        let part_of = i.part_of.as_ref().and_then(|x| r.slug(at(x), "part_of", x.get_ref()).map(|s| (s, at(x).line)));
        let sources = cited(r, &i.sources, &at);
        let example = r.example_fields(i.example.iter().map(|e| (at(e), e.get_ref().as_str())), INITIATIVE_FIELDS);
        let (Some(programme), Some(status)) = (programme, status) else { continue };
        out.push((
            Initiative {
                slug,
                programme: programme.slug.clone(),
                part_of: part_of.as_ref().map(|(s, _)| s.clone()),
                name: i.name.trim().to_owned(),
                summary: i.summary.clone(),
                status,
                starts,
                ends,
                lead,
                partners,
                themes,
                outcomes,
                areas: i.areas.iter().map(|a| a.get_ref().clone()).collect(),
                milestones,
                decisions,
                meetings,
                progress: i.progress,
                weight,
                sources,
                example,
                note: i.note.clone(),
            },
            file,
            part_of.map(|(s, line)| (line, s.to_string())),
        ));
    }
    // Each part belongs to an initiative of the same programme, and no initiative is part of itself.
    for (i, file, part) in &out {
        let Some((line, parent)) = part else { continue };
        match out.iter().find(|(x, ..)| x.slug.as_str() == parent) {
            None => {
                let hint = suggestion(parent, out.iter().map(|(x, ..)| x.slug.as_str()));
                r.c.add(file, Some(*line), Some("part_of"), format!("unknown initiative `{parent}`{hint}"));
            }
            Some((p, ..)) if p.programme != i.programme => {
                r.c.add(
                    file,
                    Some(*line),
                    Some("part_of"),
                    format!("`{parent}` is an initiative of another programme ({}): a part belongs to its parent's programme", p.programme),
                );
            }
            Some(_) => {
                let mut at = i.part_of.clone();
                let mut steps = 0;
                while let Some(s) = at {
                    if s == i.slug || steps > out.len() {
                        r.c.add(
                            file,
                            Some(*line),
                            Some("part_of"),
                            format!("`{}` would be a part of itself through `{parent}`: an initiative's parts cannot contain it", i.slug),
                        );
                        break;
                    }
                    steps += 1;
                    at = out.iter().find(|(x, ..)| x.slug == s).and_then(|(x, ..)| x.part_of.clone());
                }
            }
        }
    }
    out.into_iter().map(|(i, ..)| i).collect()
}

/// One measure, checked against its programme: its periods of its own
/// frequency, targets without gaps, an actual for each period at most once,
/// and every Red actual with its corrective action and who owns it.
fn read_measure<'a>(
    file: &'a str,
    text: &'a str,
    m: RawMeasure,
    programmes: &[Programme],
    declared: &[Slug],
    initiatives: &[Initiative],
    r: &mut Reader<'a>,
) -> Option<Measure> {
    let at = |s: &S| At { file, line: placeworks_kernel::problems::line_of(text, s.span().start) };
    let a = at(&m.slug);
    let slug = r.slug(a, "slug", m.slug.get_ref())?;
    let Ok(programme) = programme_named(file, at(&m.programme).line, m.programme.get_ref(), programmes, declared, r) else { return None };
    let initiative = m.initiative.as_ref().and_then(|x| match initiatives.iter().find(|i| i.slug.as_str() == x.get_ref()) {
        Some(i) if programme.is_some_and(|p| p.slug != i.programme) => {
            r.c.add(file, Some(at(x).line), Some("initiative"), format!("`{}` is an initiative of another programme ({})", x.get_ref(), i.programme));
            None
        }
        Some(i) => Some(i.slug.clone()),
        None => {
            let hint = suggestion(x.get_ref(), initiatives.iter().map(|i| i.slug.as_str()));
            r.c.add(file, Some(at(x).line), Some("initiative"), format!("unknown initiative `{}`{hint}", x.get_ref()));
            None
        }
    });
    let polarity = crate::places::model::Polarity::parse(m.polarity.get_ref()).map_err(|e| r.c.add(file, Some(at(&m.polarity).line), Some("polarity"), e)).ok();
    let frequency =
        crate::programmes::period::Frequency::parse(m.frequency.get_ref()).map_err(|e| r.c.add(file, Some(at(&m.frequency).line), Some("frequency"), e)).ok();
    let rule = crate::programmes::status::StatusRule::parse(m.rule.get_ref()).map_err(|e| r.c.add(file, Some(at(&m.rule).line), Some("rule"), e)).ok();
    let period = |s: &S, field: &'static str, r: &mut Reader<'a>| -> Option<crate::programmes::period::Period> {
        let p = crate::programmes::period::Period::parse(s.get_ref()).map_err(|e| r.c.add(file, Some(at(s).line), Some(field), e)).ok()?;
        match frequency {
            Some(f) if p.frequency() != f => {
                r.c.add(
                    file,
                    Some(at(s).line),
                    Some(field),
                    format!("`{p}` is {}; this measure is reported {}", article(p.frequency()), f.label().to_lowercase()),
                );
                None
            }
            _ => Some(p),
        }
    };
    let themes = programme_own(file, &at, &m.themes, "themes", programme, &theme_slugs, r);
    let outcomes = programme_own(file, &at, &m.outcomes, "outcomes", programme, &outcome_slugs, r);
    let indicator = m.indicator.as_ref().and_then(|i| r.referred(at(i), "indicator", Target::Indicator, i.get_ref()));
    let baseline = m.baseline.as_ref().and_then(|b| Some(Reading { period: period(&b.period, "baseline.period", r)?, value: b.value }));
    let mut targets: Vec<MeasureTarget> = Vec::new();
    for t in &m.target {
        match &t.period {
            None => targets.push(MeasureTarget { period: None, value: t.value }),
            Some(s) => {
                let Some(p) = period(s, "target.period", r) else { continue };
                if targets.iter().any(|x| x.period == Some(p)) {
                    r.c.add(file, Some(at(s).line), Some("target.period"), format!("{} has two targets: give each period one", p.label()));
                    continue;
                }
                targets.push(MeasureTarget { period: Some(p), value: t.value });
            }
        }
    }
    if targets.iter().filter(|t| t.period.is_none()).count() > 1 {
        r.c.add(file, Some(a.line), Some("target"), "give at most one target without a period");
    }
    // A target profile has no gaps: every period from the first to the last.
    let mut dated: Vec<crate::programmes::period::Period> = targets.iter().filter_map(|t| t.period).collect();
    dated.sort_by(|x, y| x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal));
    if let (Some(first), Some(last)) = (dated.first(), dated.last()) {
        let missing: Vec<String> = first.through(*last).into_iter().filter(|p| !dated.contains(p)).map(|p| p.to_string()).collect();
        if !missing.is_empty() {
            r.c.add(
                file,
                Some(a.line),
                Some("target"),
                format!("the targets leave out {}: give a target for every period from {first} to {last}", missing.join(", ")),
            );
        }
    }
    let mut actuals: Vec<Actual> = Vec::new();
    for x in &m.actual {
        let Some(p) = period(&x.period, "actual.period", r) else { continue };
        if actuals.iter().any(|y| y.period == p) {
            r.c.add(file, Some(at(&x.period).line), Some("actual.period"), format!("{} has two actuals: give each period one", p.label()));
            continue;
        }
        if !x.value.is_finite() {
            r.c.add(file, Some(at(&x.period).line), Some("actual.value"), "give the actual as a number");
            continue;
        }
        actuals.push(Actual {
            period: p,
            value: x.value,
            commentary: x.commentary.clone().filter(|c| !c.trim().is_empty()),
            corrective_action: x.corrective_action.clone().filter(|c| !c.trim().is_empty()),
            action_owner: x.action_owner.clone().filter(|c| !c.trim().is_empty()),
            entered_by: x.entered_by.clone().filter(|c| !c.trim().is_empty()),
            entered_at: match &x.entered_at {
                None => None,
                Some(t) => match chrono::DateTime::parse_from_rfc3339(t.get_ref()) {
                    Ok(d) => Some(d.timestamp()),
                    Err(_) => {
                        r.c.add(
                            file,
                            Some(at(t).line),
                            Some("actual.entered_at"),
                            format!("`{}` is not a time: write it like 2026-12-05T11:38:00Z", t.get_ref()),
                        );
                        continue;
                    }
                },
            },
        });
    }
    let sources = cited(r, &m.sources, &at);
    let example = r.example_fields(m.example.iter().map(|e| (at(e), e.get_ref().as_str())), MEASURE_FIELDS);
    let (Some(_), Some(polarity), Some(frequency), Some(rule)) = (programme, polarity, frequency, rule) else { return None };
    let measure = Measure {
        slug,
        programme: Slug::parse(m.programme.get_ref()).ok()?,
        initiative,
        name: m.name.trim().to_owned(),
        unit: m.unit.trim().to_owned(),
        polarity,
        frequency,
        source: m.source.clone(),
        indicator,
        themes,
        outcomes,
        baseline,
        targets,
        rule,
        owner: m.owner.clone(),
        actuals,
        sources,
        example,
        note: m.note.clone(),
    };
    // Every Red has its corrective action and who owns it.
    for x in &m.actual {
        let Ok(p) = crate::programmes::period::Period::parse(x.period.get_ref()) else { continue };
        let Some(actual) = measure.actuals.iter().find(|y| y.period == p) else { continue };
        if crate::programmes::status::measure_status(&measure, p).status == crate::programmes::status::Status::Red
            && (actual.corrective_action.is_none() || actual.action_owner.is_none())
        {
            r.c.add(
                file,
                Some(at(&x.period).line),
                Some("actual.corrective_action"),
                format!("{} is Red by the measure's rule: give its corrective_action and its action_owner", p.label()),
            );
        }
    }
    Some(measure)
}

fn article(f: crate::programmes::period::Frequency) -> &'static str {
    match f {
        crate::programmes::period::Frequency::Monthly => "a month",
        crate::programmes::period::Frequency::Quarterly => "a quarter",
        crate::programmes::period::Frequency::Annual => "a financial year",
    }
}

/// An organisation or a body, from the one of two fields that is given.
pub(super) fn party<'a>(
    r: &mut Reader<'a>,
    at: &dyn Fn(&S) -> At<'a>,
    organisation: &Option<S>,
    body: &Option<S>,
    fields: (&'static str, &'static str),
) -> Option<crate::register::model::Party> {
    match (organisation, body) {
        (Some(o), None) => r.referred(at(o), fields.0, Target::Organisation, o.get_ref()).map(crate::register::model::Party::Organisation),
        (None, Some(b)) => r.referred(at(b), fields.1, Target::Body, b.get_ref()).map(crate::register::model::Party::Body),
        (Some(o), Some(_)) => {
            let a = at(o);
            r.c.add(a.file, Some(a.line), Some(fields.0), format!("give one of `{}` and `{}`, not both", fields.0, fields.1));
            None
        }
        (None, None) => None,
    }
}

/// A record's `sources`: each a key of the council's `[[source]]`, checked once all are read.
fn cited<'a>(r: &mut Reader<'a>, sources: &[S], at: &dyn Fn(&S) -> At<'a>) -> Vec<Slug> {
    sources.iter().filter_map(|s| r.referred(at(s), "sources", Target::Source, s.get_ref())).collect()
}
