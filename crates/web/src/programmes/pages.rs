//! A council's programmes and each programme's page.

use crate::shell::errors::not_found;
use crate::shell::render::{council_json, council_of, crumbs, page, source_titles, Page};
use crate::AppState;
use axum::extract::{Path, State};
use placeworks_domain::programmes::{initiative_tree, roll_up, Initiative, Programme};
use placeworks_domain::register::Index;
use serde_json::json;

/// Every programme of the council.
pub async fn programmes(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let list: Vec<_> = ix
        .register
        .programmes
        .iter()
        .map(|p| json!({ "slug": p.slug, "name": p.name, "aim": p.aim, "status": p.status.label(), "launched": p.launched.as_ref().map(|d| d.display()) }))
        .collect();
    let strategies: Vec<_> = ix
        .register
        .strategies
        .iter()
        .map(|s| json!({ "slug": s.slug, "name": s.name, "summary": s.summary, "status": s.status.label(), "dated": s.dated.as_ref().map(|d| d.display()), "aims": s.aims.len(), "objectives": s.objectives.len() }))
        .collect();
    page(
        "programmes.html",
        json!({
            "council": council_json(&ix), "page_title": "Programmes", "section": "programmes", "breadcrumbs": crumbs(&ix, &[]), "programmes": list, "strategies": strategies,
            "money": !ix.register.funds.is_empty() || !ix.register.contributions.is_empty() || !ix.register.agreements.is_empty(),
        }),
    )
}

/// A programme's page.
pub async fn programme(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let p = programme_called(&ix, &slug)?;
    let body = |b: &placeworks_domain::Slug| {
        ix.body(b.as_str()).map(|x| json!({ "slug": x.slug, "name": x.name, "example": x.example.iter().filter(|f| *f == "name").collect::<Vec<_>>() }))
    };
    let levels: Vec<_> =
        p.levels.iter().map(|l| json!({ "name": l.name, "text": l.text, "bodies": l.bodies.iter().filter_map(body).collect::<Vec<_>>() })).collect();
    // A target area that is a set of areas is listed with its members.
    let areas: Vec<_> = p
        .areas
        .iter()
        .filter_map(|a| ix.area(a))
        .map(|a| {
            let members: Vec<_> = a.members.iter().filter_map(|m| ix.area(m)).map(|m| json!({ "code": m.code, "name": m.name })).collect();
            json!({ "code": a.code, "name": a.name, "members": members })
        })
        .collect();
    let decisions: Vec<_> = p
        .decisions
        .iter()
        .filter_map(|d| ix.register.decisions.iter().find(|x| &x.slug == d))
        .map(
            |d| json!({ "slug": d.slug, "title": d.title, "date": d.date.display(), "example": d.example.iter().filter(|f| *f == "date").collect::<Vec<_>>() }),
        )
        .collect();
    let measures: Vec<_> = ix.register.measures.iter().filter(|m| m.programme == p.slug).map(|m| measure_row(p, m)).collect();
    let c = ix.register.council.slug.as_str();
    // The initiatives as a tree, each with its progress rolled up by the programme's rule.
    let tops: Vec<_> = ix.register.initiatives.iter().filter(|i| i.programme == p.slug && i.part_of.is_none()).collect();
    let initiatives: Vec<_> = tops.iter().map(|i| initiative_row(&ix, p, i, 0)).collect();
    let whole = placeworks_domain::programmes::Part {
        name: p.name.clone(),
        progress: None,
        weight: 1.0,
        parts: tops.iter().map(|i| placeworks_domain::programmes::initiative_tree(&ix.register.initiatives, i)).collect(),
    };
    let rolled = placeworks_domain::programmes::roll_up(&whole, p.roll_up);
    page(
        "programme.html",
        json!({
            "council": council_json(&ix), "page_title": p.name, "section": "programmes",
            "breadcrumbs": crumbs(&ix, &[("Programmes", format!("/{c}/programmes"))]),
            "programme": p, "status": p.status.label(), "launched": p.launched.as_ref().map(|d| d.display()),
            "governed_by": p.governed_by.as_ref().and_then(body), "levels": levels, "areas": areas, "decisions": decisions,
            "roll_up": p.roll_up.label(), "sources": source_titles(&ix, &p.sources), "measures": measures,
            "initiatives": initiatives,
            "plans": ix.register.plans.iter().filter(|x| x.programme.as_ref() == Some(&p.slug)).map(|x| crate::programmes::plans::plan_json(&ix, x, state.clock.today())).collect::<Vec<_>>(),
            "funds": ix.register.funds.iter().filter(|f| f.programme.as_ref() == Some(&p.slug)).map(|f| crate::programmes::money::fund_row(&ix, f)).collect::<Vec<_>>(),
            "progress": (!tops.is_empty()).then(|| json!({ "words": rolled.in_words(), "working": rolled.working })),
            "may_edit": crate::shell::write::viewer_may(c, placeworks_domain::permissions::Action::Edit, &placeworks_domain::permissions::Resource::Programme(p.slug.clone())),
        }),
    )
}

/// The programme with this slug, or the page saying there is none.
fn programme_called<'a>(ix: &'a Index, slug: &str) -> Result<&'a Programme, crate::shell::errors::AppError> {
    ix.register.programmes.iter().find(|p| p.slug.as_str() == slug).ok_or_else(|| not_found(format!("There is no programme called “{slug}”.")))
}

/// The names of a programme's themes and outcomes among `slugs`, in their order.
fn named(p: &Programme, slugs: &[placeworks_domain::Slug]) -> Vec<String> {
    let all = p.themes.iter().map(|t| (&t.slug, t.name.as_str())).chain(p.outcomes.iter().map(|o| (&o.slug, o.name.as_str())));
    let all: Vec<_> = all.collect();
    slugs.iter().filter_map(|s| all.iter().find(|(x, _)| *x == s).map(|(_, n)| (*n).to_owned())).collect()
}

fn percent(p: f64) -> String {
    format!("{}%", placeworks_domain::programmes::forms::number_text((p * 10.0).round() / 10.0))
}

/// An initiative's line in its programme's tree: its status, its progress
/// rolled up from its parts, and its parts below it.
fn initiative_row(ix: &Index, p: &Programme, i: &Initiative, depth: usize) -> serde_json::Value {
    let rolled = roll_up(&initiative_tree(&ix.register.initiatives, i), p.roll_up);
    let parts: Vec<_> = if depth < 8 {
        ix.register.initiatives.iter().filter(|x| x.part_of.as_ref() == Some(&i.slug)).map(|x| initiative_row(ix, p, x, depth + 1)).collect()
    } else {
        Vec::new()
    };
    json!({
        "slug": i.slug, "name": i.name, "status": i.status.label(), "status_code": i.status.code(), "example": i.example,
        "progress": rolled.progress.map(percent), "parts": parts,
        "measures": ix.register.measures.iter().filter(|m| m.initiative.as_ref() == Some(&i.slug)).count(),
    })
}

/// An initiative's page: what it is, who leads it, where it works, its
/// milestones, the decisions behind it, its parts with its progress rolled
/// up from theirs (and how), and its measures.
pub async fn initiative(State(state): State<AppState>, Path((council, slug, initiative)): Path<(String, String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let p = programme_called(&ix, &slug)?;
    let i = ix
        .register
        .initiatives
        .iter()
        .find(|i| i.slug.as_str() == initiative && i.programme == p.slug)
        .ok_or_else(|| not_found(format!("There is no initiative called “{initiative}” in {}.", p.name)))?;
    let c = ix.register.council.slug.as_str();
    let rolled = roll_up(&initiative_tree(&ix.register.initiatives, i), p.roll_up);
    let areas: Vec<_> = i.areas.iter().filter_map(|a| ix.area(a)).map(|a| json!({ "code": a.code, "name": a.name })).collect();
    let partners: Vec<_> = i.partners.iter().filter_map(|o| ix.organisation(o.as_str())).map(|o| json!({ "slug": o.slug, "name": o.name })).collect();
    let decisions: Vec<_> = i
        .decisions
        .iter()
        .filter_map(|d| ix.register.decisions.iter().find(|x| &x.slug == d))
        .map(
            |d| json!({ "slug": d.slug, "title": d.title, "date": d.date.display(), "example": d.example.iter().filter(|f| *f == "date").collect::<Vec<_>>() }),
        )
        .collect();
    let meetings: Vec<_> = i
        .meetings
        .iter()
        .filter_map(|m| ix.register.meetings.iter().find(|x| &x.slug == m))
        .map(|m| json!({ "slug": m.slug, "title": ix.body(m.body.as_str()).map(|b| b.name.clone()).unwrap_or_default(), "date": m.date.to_string() }))
        .collect();
    let milestones: Vec<_> = i
        .milestones
        .iter()
        .map(|m| json!({ "name": m.name, "due": m.due.as_ref().map(|d| d.display()), "achieved": m.achieved.as_ref().map(|d| d.display()) }))
        .collect();
    let parent = i.part_of.as_ref().and_then(|x| ix.register.initiatives.iter().find(|y| &y.slug == x)).map(|x| json!({ "slug": x.slug, "name": x.name }));
    let parts: Vec<_> = ix.register.initiatives.iter().filter(|x| x.part_of.as_ref() == Some(&i.slug)).map(|x| initiative_row(&ix, p, x, 1)).collect();
    let measures: Vec<_> = ix.register.measures.iter().filter(|m| m.initiative.as_ref() == Some(&i.slug)).map(|m| measure_row(p, m)).collect();
    page(
        "initiative.html",
        json!({
            "council": council_json(&ix), "page_title": format!("{}: {}", i.name, p.name), "section": "programmes",
            "breadcrumbs": crumbs(&ix, &[("Programmes", format!("/{c}/programmes")), (&p.name, format!("/{c}/programmes/{}", p.slug))]),
            "programme": { "slug": p.slug, "name": p.name }, "initiative": i, "status": i.status.label(), "status_code": i.status.code(),
            "lead": i.lead.as_ref().map(|l| crate::shell::render::party(&ix, l)),
            "partners": partners, "areas": areas, "decisions": decisions, "meetings": meetings, "milestones": milestones,
            "themes": named(p, &i.themes), "outcomes": named(p, &i.outcomes),
            "starts": i.starts.as_ref().map(|d| d.display()), "ends": i.ends.as_ref().map(|d| d.display()),
            "progress": rolled.in_words(),
            "working": rolled.working, "roll_up": p.roll_up.label(),
            "parent": parent, "parts": parts, "measures": measures, "sources": source_titles(&ix, &i.sources),
            "funding": ix.register.funds.iter().flat_map(|f| f.allocations.iter().filter(|a| a.initiative.as_ref() == Some(&i.slug)).map(move |a| json!({
                "fund": f.name, "amount": placeworks_domain::programmes::pounds(a.amount), "source": f.source, "example": f.example,
            }))).collect::<Vec<_>>(),
        }),
    )
}

/// A measure's page: what it counts and how it is judged, every period's
/// target and actual with its status in words, and (for those who may see
/// it) every value entered, by whom and when.
pub async fn measure(State(state): State<AppState>, Path((council, slug, measure)): Path<(String, String, String)>) -> Page {
    use placeworks_domain::permissions::{Action, Resource};
    use placeworks_domain::programmes::{measure_status, Period, Status};
    let ix = council_of(&state, &council)?;
    let p = programme_called(&ix, &slug)?;
    let m = ix
        .register
        .measures
        .iter()
        .find(|m| m.slug.as_str() == measure && m.programme == p.slug)
        .ok_or_else(|| not_found(format!("There is no measure called “{measure}” in {}.", p.name)))?;
    let c = ix.register.council.slug.as_str();
    let may_edit = crate::shell::write::viewer_may(c, Action::Edit, &placeworks_domain::programmes::figures_resource(&ix.register.initiatives, m));
    let may_history = crate::shell::write::viewer_may(c, Action::ViewHistory, &Resource::Programme(p.slug.clone()));
    let number = |x: f64| placeworks_domain::programmes::forms::number_text(x);
    // Every period with a target or an actual, latest first.
    let mut periods: Vec<Period> = m.targets.iter().filter_map(|t| t.period).chain(m.actuals.iter().map(|a| a.period)).collect();
    periods.sort_by(|a, b| b.partial_cmp(a).unwrap_or(std::cmp::Ordering::Equal));
    periods.dedup();
    let rows: Vec<_> = periods
        .iter()
        .map(|&period| {
            let actual = m.actuals.iter().find(|a| a.period == period);
            let status = if actual.is_some() { measure_status(m, period).status } else { Status::Missing };
            let target = m.target_for(period);
            json!({
                "period": period.to_string(), "label": period.label(),
                "target": target.map(|t| number(t.value)), "target_undated": target.is_some_and(|t| t.period.is_none()),
                "actual": actual.map(|a| number(a.value)),
                "commentary": actual.and_then(|a| a.commentary.clone()),
                "corrective_action": actual.and_then(|a| a.corrective_action.clone()),
                "action_owner": actual.and_then(|a| a.action_owner.clone()),
                "entered": actual.and_then(|a| a.entered_at).map(crate::shell::write::format_time),
                "entered_by": if may_history { actual.and_then(|a| a.entered_by.clone()) } else { None },
                "status": status.code(), "status_words": status.label(), "tag": tag(status),
            })
        })
        .collect();
    let history: Vec<_> = if may_history {
        state
            .store
            .actual_entries(c, m.slug.as_str())
            .await
            .map_err(|e| crate::shell::errors::AppError::from_store("reading a measure's history", e))?
            .iter()
            .map(|a| {
                json!({
                    "at": a.entered_at.map(crate::shell::write::format_time), "by": a.entered_by, "period": a.period.label(), "value": number(a.value),
                    "commentary": a.commentary, "corrective_action": a.corrective_action, "action_owner": a.action_owner,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let row = measure_row(p, m);
    let indicator = m.indicator.as_ref().and_then(|i| ix.register.indicators.iter().find(|x| &x.slug == i)).map(|i| i.name.clone());
    page(
        "measure.html",
        json!({
            "council": council_json(&ix), "page_title": format!("{}: {}", m.name, p.name), "section": "programmes",
            "breadcrumbs": crumbs(&ix, &[("Programmes", format!("/{c}/programmes")), (&p.name, format!("/{c}/programmes/{}", p.slug))]),
            "programme": { "slug": p.slug, "name": p.name }, "measure": m, "row": row,
            "polarity": m.polarity.label(), "frequency": m.frequency.label(), "indicator": indicator,
            "baseline": m.baseline.as_ref().map(|b| json!({ "value": number(b.value), "period": b.period.label() })),
            "undated_target": m.targets.iter().find(|t| t.period.is_none()).map(|t| number(t.value)),
            "rows": rows, "history": history, "may_edit": may_edit, "may_history": may_history,
            "initiative": m.initiative.as_ref().and_then(|i| ix.register.initiatives.iter().find(|x| &x.slug == i)).map(|i| json!({ "slug": i.slug, "name": i.name })),
            "sources": source_titles(&ix, &m.sources),
        }),
    )
}

/// GOV.UK's tag colour for a status, always shown with the status in words.
fn tag(status: placeworks_domain::programmes::Status) -> &'static str {
    use placeworks_domain::programmes::Status;
    match status {
        Status::Green => "govuk-tag--green",
        Status::Amber => "govuk-tag--yellow",
        Status::Red => "govuk-tag--red",
        _ => "govuk-tag--grey",
    }
}

/// A measure's line on its programme's page: its latest actual against its
/// target, the status by its rule in words, and its direction of travel.
fn measure_row(p: &placeworks_domain::programmes::Programme, m: &placeworks_domain::programmes::Measure) -> serde_json::Value {
    use placeworks_domain::programmes::{measure_status, Direction, Status};
    let number = placeworks_domain::programmes::forms::number_text;
    let latest = m.latest();
    let judged = latest.map(|a| measure_status(m, a.period));
    let status = judged.map_or(Status::Missing, |j| j.status);
    let target = latest.and_then(|a| m.target_for(a.period)).or_else(|| m.targets.first());
    let direction = |then: Option<f64>| latest.map_or(Direction::Unknown, |a| Direction::of(m.polarity, then, Some(a.value)));
    json!({
        "slug": m.slug, "name": m.name, "unit": m.unit, "note": m.note, "example": m.example,
        "rule": m.rule.describe(),
        "themes": named(p, &m.themes), "outcomes": named(p, &m.outcomes),
        "actual": latest.map(|a| json!({ "value": number(a.value), "period": a.period.label(), "commentary": a.commentary, "corrective_action": a.corrective_action, "action_owner": a.action_owner })),
        "target": target.map(|t| json!({ "value": number(t.value), "period": t.period.map(|p| p.label()) })),
        "status": status.code(), "status_words": status.label(),
        "tag": tag(status),
        "since_last": latest.map(|a| direction(m.actual_for(a.period.previous())).label()),
        "since_year": latest.map(|a| direction(m.actual_for(a.period.year_before())).label()),
    })
}

/// What a theme or outcome page is about.
enum Facet {
    Theme,
    Outcome,
}

/// The measures' statuses counted, for a roll-up by theme, outcome or area.
fn status_counts(ms: &[&placeworks_domain::programmes::Measure]) -> serde_json::Value {
    use placeworks_domain::programmes::{measure_status, Status};
    let statuses: Vec<Status> = ms.iter().map(|m| m.latest().map_or(Status::Missing, |a| measure_status(m, a.period).status)).collect();
    let count = |s: Status| statuses.iter().filter(|x| **x == s).count();
    json!([
        { "words": Status::Green.label(), "tag": tag(Status::Green), "count": count(Status::Green) },
        { "words": Status::Amber.label(), "tag": tag(Status::Amber), "count": count(Status::Amber) },
        { "words": Status::Red.label(), "tag": tag(Status::Red), "count": count(Status::Red) },
        { "words": Status::Grey.label(), "tag": tag(Status::Grey), "count": count(Status::Grey) },
        { "words": Status::Undated.label(), "tag": tag(Status::Undated), "count": count(Status::Undated) },
        { "words": Status::Missing.label(), "tag": tag(Status::Missing), "count": count(Status::Missing) },
    ])
}

/// A theme's or outcome's page: its measures with their status and the
/// count of each status, and the initiatives that serve it.
async fn facet_page(state: &AppState, council: &str, slug: &str, of: &str, facet: Facet) -> Page {
    let ix = council_of(state, council)?;
    let p = programme_called(&ix, slug)?;
    let (name, text, what) = match facet {
        Facet::Theme => {
            let t = p.themes.iter().find(|t| t.slug.as_str() == of).ok_or_else(|| not_found(format!("{} has no theme called “{of}”.", p.name)))?;
            (t.name.clone(), t.text.clone(), "Theme")
        }
        Facet::Outcome => {
            let o = p.outcomes.iter().find(|o| o.slug.as_str() == of).ok_or_else(|| not_found(format!("{} has no outcome called “{of}”.", p.name)))?;
            (o.name.clone(), None, "Outcome for residents")
        }
    };
    let serves = |themes: &[placeworks_domain::Slug], outcomes: &[placeworks_domain::Slug]| match facet {
        Facet::Theme => themes.iter().any(|t| t.as_str() == of),
        Facet::Outcome => outcomes.iter().any(|o| o.as_str() == of),
    };
    let measures: Vec<&placeworks_domain::programmes::Measure> =
        ix.register.measures.iter().filter(|m| m.programme == p.slug && serves(&m.themes, &m.outcomes)).collect();
    let initiatives: Vec<_> =
        ix.register.initiatives.iter().filter(|i| i.programme == p.slug && serves(&i.themes, &i.outcomes)).map(|i| initiative_row(&ix, p, i, 8)).collect();
    let c = ix.register.council.slug.as_str();
    page(
        "programme-facet.html",
        json!({
            "council": council_json(&ix), "page_title": format!("{name}: {}", p.name), "section": "programmes",
            "breadcrumbs": crumbs(&ix, &[("Programmes", format!("/{c}/programmes")), (&p.name, format!("/{c}/programmes/{}", p.slug))]),
            "programme": { "slug": p.slug, "name": p.name }, "what": what, "name": name, "text": text,
            "measures": measures.iter().map(|m| measure_row(p, m)).collect::<Vec<_>>(), "counts": status_counts(&measures),
            "initiatives": initiatives,
        }),
    )
}

/// A programme's theme: its measures and initiatives.
pub async fn theme(State(state): State<AppState>, Path((council, slug, theme)): Path<(String, String, String)>) -> Page {
    facet_page(&state, &council, &slug, &theme, Facet::Theme).await
}

/// A programme's outcome for residents: its measures and initiatives.
pub async fn outcome(State(state): State<AppState>, Path((council, slug, outcome)): Path<(String, String, String)>) -> Page {
    facet_page(&state, &council, &slug, &outcome, Facet::Outcome).await
}

/// A target area of a programme (a ward it targets, or the set of them):
/// the initiatives for it, those across the programme's wards, the money
/// recorded for it, and its need.
pub async fn target_area(State(state): State<AppState>, Path((council, slug, code)): Path<(String, String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let p = programme_called(&ix, &slug)?;
    let targets: Vec<String> =
        p.areas.iter().flat_map(|a| std::iter::once(a.clone()).chain(ix.area(a).map(|x| x.members.clone()).unwrap_or_default())).collect();
    if !targets.contains(&code) {
        return Err(not_found(format!("{} does not target an area “{code}”.", p.name)));
    }
    let area = ix.area(&code).ok_or_else(|| not_found(format!("There is no area “{code}”.")))?;
    let here: Vec<_> =
        ix.register.initiatives.iter().filter(|i| i.programme == p.slug && i.areas.contains(&code)).map(|i| initiative_row(&ix, p, i, 8)).collect();
    let across: Vec<_> = ix
        .register
        .initiatives
        .iter()
        .filter(|i| i.programme == p.slug && !i.areas.contains(&code) && i.areas.iter().any(|a| p.areas.contains(a)))
        .map(|i| initiative_row(&ix, p, i, 8))
        .collect();
    let needs = state.site().needs(ix.register.council.slug.as_str());
    let money = placeworks_domain::programmes::queries::money_by_place(&ix.register, needs.as_deref()).into_iter().find(|m| m.code == code);
    let need = needs.as_deref().and_then(|a| a.ward(&code)).map(|w| json!({ "score": format!("{:.1}", w.average_score), "rank": w.rank }));
    let c = ix.register.council.slug.as_str();
    let members: Vec<_> = area.members.iter().filter_map(|m| ix.area(m)).map(|m| json!({ "code": m.code, "name": m.name })).collect();
    page(
        "programme-area.html",
        json!({
            "council": council_json(&ix), "page_title": format!("{}: {}", area.name, p.name), "section": "programmes",
            "breadcrumbs": crumbs(&ix, &[("Programmes", format!("/{c}/programmes")), (&p.name, format!("/{c}/programmes/{}", p.slug))]),
            "programme": { "slug": p.slug, "name": p.name }, "area": { "code": area.code, "name": area.name }, "members": members,
            "here": here, "across": across, "need": need,
            "plan": crate::programmes::plans::local_plan(&ix, &p.slug, &code).map(|x| crate::programmes::plans::plan_json(&ix, x, state.clock.today())),
            "money": money.map(|m| json!({ "amount": placeworks_domain::programmes::pounds(m.amount), "items": m.items.iter().map(|(w, a)| json!({ "what": w, "amount": placeworks_domain::programmes::pounds(*a) })).collect::<Vec<_>>() })),
        }),
    )
}
