//! A council's programmes and each programme's page.

use crate::shell::errors::not_found;
use crate::shell::render::{council_json, council_of, crumbs, page, source_titles, Page};
use crate::AppState;
use axum::extract::{Path, State};
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
    page(
        "programmes.html",
        json!({ "council": council_json(&ix), "page_title": "Programmes", "section": "programmes", "breadcrumbs": crumbs(&ix, &[]), "programmes": list }),
    )
}

/// A programme's page.
pub async fn programme(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let p = ix.register.programmes.iter().find(|p| p.slug.as_str() == slug).ok_or_else(|| not_found(format!("There is no programme called “{slug}”.")))?;
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
    page(
        "programme.html",
        json!({
            "council": council_json(&ix), "page_title": p.name, "section": "programmes",
            "breadcrumbs": crumbs(&ix, &[("Programmes", format!("/{c}/programmes"))]),
            "programme": p, "status": p.status.label(), "launched": p.launched.as_ref().map(|d| d.display()),
            "governed_by": p.governed_by.as_ref().and_then(body), "levels": levels, "areas": areas, "decisions": decisions,
            "roll_up": p.roll_up.label(), "sources": source_titles(&ix, &p.sources), "measures": measures,
        }),
    )
}

/// A measure's line on its programme's page: its latest actual against its
/// target, the status by its rule in words, and its direction of travel.
fn measure_row(p: &placeworks_domain::programmes::Programme, m: &placeworks_domain::programmes::Measure) -> serde_json::Value {
    use placeworks_domain::programmes::{measure_status, Direction, Status};
    let number = |x: f64| if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x:.1}") };
    let latest = m.latest();
    let judged = latest.map(|a| measure_status(m, a.period));
    let status = judged.map_or(Status::Missing, |j| j.status);
    let target = latest.and_then(|a| m.target_for(a.period)).or_else(|| m.targets.first());
    let direction = |then: Option<f64>| latest.map_or(Direction::Unknown, |a| Direction::of(m.polarity, then, Some(a.value)));
    let names = |slugs: &[placeworks_domain::Slug], all: Vec<(&placeworks_domain::Slug, &str)>| {
        slugs.iter().filter_map(|s| all.iter().find(|(x, _)| *x == s).map(|(_, n)| (*n).to_owned())).collect::<Vec<_>>()
    };
    json!({
        "slug": m.slug, "name": m.name, "unit": m.unit, "note": m.note, "example": m.example,
        "rule": m.rule.describe(),
        "themes": names(&m.themes, p.themes.iter().map(|t| (&t.slug, t.name.as_str())).collect()),
        "outcomes": names(&m.outcomes, p.outcomes.iter().map(|o| (&o.slug, o.name.as_str())).collect()),
        "actual": latest.map(|a| json!({ "value": number(a.value), "period": a.period.label(), "commentary": a.commentary, "corrective_action": a.corrective_action, "action_owner": a.action_owner })),
        "target": target.map(|t| json!({ "value": number(t.value), "period": t.period.map(|p| p.label()) })),
        "status": status.code(), "status_words": status.label(),
        // GOV.UK's tag colours, with the status always in words beside the colour.
        "tag": match status { Status::Green => "govuk-tag--green", Status::Amber => "govuk-tag--yellow", Status::Red => "govuk-tag--red", _ => "govuk-tag--grey" },
        "since_last": latest.map(|a| direction(m.actual_for(a.period.previous())).label()),
        "since_year": latest.map(|a| direction(m.actual_for(a.period.year_before())).label()),
    })
}
