//! The register's pages: the councils, a council's home, its bodies and
//! organisations, a body, the structure chart and the overlap of partnerships.

use crate::shell::errors::{not_found, AppError};
use crate::shell::render::*;
use crate::shell::svg;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

pub(crate) async fn home_default(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = state.site();
    match site.default_council(state.default_council.as_deref()) {
        Some(ix) => Ok(render_home(ix, state.clock.today())?.into_response()),
        None => Ok(councils(State(state)).await?.into_response()),
    }
}

pub(crate) async fn home(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    render_home(&*council_of(&state, &council)?, state.clock.today())
}

/// A council's home page: what exists today, and where to start.
pub(crate) fn render_home(ix: &Index, today: chrono::NaiveDate) -> Page {
    let c = ix.register.council.slug.as_str();
    let reg = &ix.register;
    let current = |slug: &placeworks_domain::Slug| ix.body(slug.as_str()).is_some_and(|b| b.is_current(today));
    let counts = json!([
        { "n": reg.bodies.iter().filter(|b| b.is_current(today)).count(), "label": "bodies", "href": format!("/{c}/bodies") },
        { "n": reg.seats.iter().filter(|s| current(&s.body)).count(), "label": "seats", "href": format!("/{c}/overlap") },
        { "n": reg.organisations.len(), "label": "organisations", "href": format!("/{c}/organisations") },
        { "n": reg.areas.len(), "label": "areas", "href": format!("/{c}/areas") },
    ]);
    let roots: Vec<_> = reg
        .bodies
        .iter()
        .filter(|b| b.is_current(today) && ix.parent_of(b.slug.as_str()).is_none() && b.kind != BodyKind::CommunityBoard)
        .map(|b| json!({ "slug": b.slug, "name": b.name, "kind": b.kind.label() }))
        .collect();
    page("home.html", json!({ "council": council_json(ix), "page_title": "Home", "section": "home", "counts": counts, "roots": roots }))
}

pub(crate) async fn councils(State(state): State<AppState>) -> Page {
    let site = state.site();
    let today = state.clock.today();
    let list: Vec<_> = site
        .councils()
        .iter()
        .map(|ix| {
            let bodies = ix.register.bodies.iter().filter(|b| b.is_current(today)).count();
            json!({ "slug": ix.register.council.slug, "name": ix.register.council.name, "bodies": bodies, "organisations": ix.register.organisations.len() })
        })
        .collect();
    page("councils.html", json!({ "page_title": "Councils", "councils": list }))
}

#[derive(Deserialize)]
pub(crate) struct BodyFilter {
    kind: Option<String>,
    status: Option<String>,
    sector: Option<String>,
}

pub(crate) async fn bodies(State(state): State<AppState>, Path(council): Path<String>, Query(f): Query<BodyFilter>) -> Page {
    let ix = council_of(&state, &council)?;
    let kind = f.kind.filter(|k| !k.is_empty()).and_then(|k| BodyKind::parse(&k).ok());
    let sector = f.sector.filter(|s| !s.is_empty()).and_then(|s| Sector::parse(&s).ok());
    let standing = Standing::from_query(f.status.as_deref());
    let today = state.clock.today();
    let has_sector = |b: &Body| {
        sector.is_none_or(|sec| {
            ix.seats_of(b.slug.as_str()).any(|s| match &s.on_behalf_of {
                Some(Party::Organisation(o)) => ix.organisation(o.as_str()).is_some_and(|o| o.sector == sec),
                _ => false,
            })
        })
    };
    let list: Vec<_> = ix
        .register
        .bodies
        .iter()
        .filter(|b| standing.admits(b, today) && kind.is_none_or(|k| b.kind == k) && has_sector(b))
        .map(|b| {
            let parent = ix.parent_of(b.slug.as_str()).and_then(|r| ix.body(r.to.as_str())).map(|p| json!({ "slug": p.slug, "name": p.name }));
            json!({ "slug": b.slug, "name": b.name, "kind": b.kind.label(), "statutory": b.statutory, "ended": b.ended, "parent": parent, "seats": ix.seats_of(b.slug.as_str()).count(), "example": b.example })
        })
        .collect();
    let mut kind_counts: BTreeMap<BodyKind, usize> = BTreeMap::new();
    for b in ix.register.bodies.iter().filter(|b| standing.admits(b, today)) {
        *kind_counts.entry(b.kind).or_default() += 1;
    }
    let former = ix.register.bodies.iter().filter(|b| !b.is_current(today)).count();
    let standings: Vec<_> = Standing::ALL.iter().map(|s| json!({ "code": s.code(), "label": s.label() })).collect();
    let kinds: Vec<_> = kind_counts.iter().map(|(k, n)| json!({ "code": k.code(), "label": k.label(), "n": n })).collect();
    let sectors: Vec<_> = Sector::ALL.iter().map(|s| json!({ "code": s.code(), "label": s.label() })).collect();
    page(
        "bodies.html",
        json!({ "council": council_json(&ix), "page_title": "Bodies", "section": "bodies", "bodies": list, "kinds": kinds, "sectors": sectors,
                "kind": kind.map(|k| k.code()), "sector": sector.map(|s| s.code()), "breadcrumbs": crumbs(&ix, &[]),
                "status": standing.code(), "standings": standings, "former_count": former, "filtered": kind.is_some() || sector.is_some() || standing != Standing::Current,
                "can_set_up": crate::shell::write::viewer_may(&council, placeworks_domain::permissions::Action::Edit, &placeworks_domain::permissions::Resource::Register) }),
    )
}

/// Who holds a membership, in words: the member and any named substitutes,
/// or only the substitutes where the member is not named.
fn holder_words(ix: &Index, m: &placeworks_domain::register::Membership) -> Option<String> {
    let name = |p: &placeworks_domain::Slug| ix.person(p.as_str()).map(|p| p.name.clone());
    let subs: Vec<String> = m.substitutes.iter().filter_map(name).collect();
    match (m.person.as_ref().and_then(name), subs.is_empty()) {
        (Some(holder), true) => Some(holder),
        (Some(holder), false) => Some(format!("{holder} (named substitute: {})", subs.join(", "))),
        (None, false) => Some(format!("Named substitute: {}", subs.join(", "))),
        (None, true) => None,
    }
}

/// One seat for a body's page, with the people holding it on `today`.
pub(crate) fn seat_row(ix: &Index, s: &Seat, body: &Body, today: chrono::NaiveDate) -> serde_json::Value {
    let groups: Vec<&str> = s.groups.iter().filter_map(|g| body.groups.iter().find(|bg| &bg.slug == g)).map(|g| g.name.as_str()).collect();
    let post = s.post.as_ref().and_then(|p| ix.post(p.as_str()));
    let mut holders: Vec<String> =
        ix.memberships_of(s.body.as_str(), s.slug.as_str()).filter(|m| m.is_current(today)).filter_map(|m| holder_words(ix, m)).collect();
    if holders.is_empty() {
        if let Some(h) = post.and_then(|p| p.holder.as_ref()).and_then(|h| ix.person(h.as_str())) {
            holders.push(h.name.clone());
        }
    }
    json!({
        "label": s.label, "exempt": s.exempt, "source_text": s.source_text, "role": s.role.code(), "role_label": s.role.label(), "groups": groups, "note": s.note,
        "party": s.on_behalf_of.as_ref().map(|p| party(ix, p)),
        "post": post.map(|p| format!("{}, {}", p.title, ix.party_name(&p.of))),
        "holders": holders,
    })
}

pub(crate) async fn body(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    // A confidential body answers anyone who may not see it exactly as a
    // body that does not exist: the same status, page and headers.
    let Some(b) = ix.body(&slug) else {
        return Err(not_found(format!("There is no body called “{slug}” in {}.", ix.register.council.name)));
    };
    let today = state.clock.today();
    let mut rows: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
    for s in ix.seats_of(&slug) {
        let key = match s.role {
            Role::Adviser => "advisers",
            Role::Observer => "observers",
            Role::Secretariat => "others",
            _ => "members",
        };
        rows.entry(key).or_default().push(seat_row(&ix, s, b, today));
    }
    // Those who held a seat and no longer do, most recent first.
    let mut former: Vec<(&placeworks_domain::register::Membership, &Seat)> =
        ix.seats_of(&slug).flat_map(|s| ix.memberships_of(s.body.as_str(), s.slug.as_str()).filter(|m| m.is_former(today)).map(move |m| (m, s))).collect();
    former.sort_by(|a, b| b.0.end.cmp(&a.0.end).then(a.1.label.cmp(&b.1.label)));
    let former: Vec<_> = former
        .into_iter()
        .filter_map(|(m, s)| {
            let who = holder_words(&ix, m)?;
            Some(json!({ "who": who, "seat": s.label, "start": m.start.as_ref().map(|d| d.display()), "end": m.end.as_ref().map(|d| d.display()) }))
        })
        .collect();
    let rel = |r: &Relation, other: &str, label: &str| {
        ix.body(other).map(|o| json!({ "label": label, "kind": r.kind.code(), "body": { "slug": o.slug, "name": o.name } }))
    };
    let relations_out: Vec<_> = ix.relations_from(&slug).filter_map(|r| rel(r, r.to.as_str(), r.kind.label())).collect();
    let relations_in: Vec<_> = ix
        .relations_to(&slug)
        .filter_map(|r| {
            let label = match r.kind {
                RelationKind::ReportsTo => "Reported to by",
                RelationKind::LinksWith => "Links with",
                RelationKind::ManagesAgendaOf => "Agenda managed by",
                RelationKind::HoldsToAccount => "Held to account by",
                RelationKind::PartOf => "Includes",
                RelationKind::Replaces => "Replaced by",
            };
            rel(r, r.from.as_str(), label)
        })
        .collect();
    // One line per kind of relation: "Reported to by: A, B, C".
    let mut relation_groups: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for r in relations_out.iter().chain(relations_in.iter()) {
        let label = r["label"].as_str().unwrap_or_default().to_owned();
        match relation_groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, bodies)) => bodies.push(r["body"].clone()),
            None => relation_groups.push((label, vec![r["body"].clone()])),
        }
    }
    let relation_groups: Vec<_> = relation_groups.into_iter().map(|(label, bodies)| json!({ "label": label, "bodies": bodies })).collect();
    let areas: Vec<_> = b.areas.iter().filter_map(|a| ix.area(a)).map(|a| json!({ "code": a.code, "name": a.name })).collect();
    let sources = crate::shell::render::source_titles(&ix, &b.sources);
    let chair_post = b.chair.as_ref().and_then(|c| c.post.as_ref()).and_then(|p| ix.post(p.as_str())).map(|p| format!("{}, {}", p.title, ix.party_name(&p.of)));
    let c = ix.register.council.slug.as_str();
    page(
        "body.html",
        json!({
            "council": council_json(&ix), "page_title": b.name, "section": "bodies",
            "breadcrumbs": crumbs(&ix, &[("Bodies", format!("/{c}/bodies"))]),
            "body": b, "meets_rule": b.cadence.as_ref().and_then(|c| c.rule.as_deref()).and_then(placeworks_domain::recurrence::describe), "kind": b.kind.label(), "chair_kind": b.chair.as_ref().map(|c| c.kind.label()), "chair_post": chair_post,
            "groups": b.groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>(),
            "secretariat": b.secretariat.as_ref().map(|s| party(&ix, &Party::Organisation(s.clone()))),
            "accountable_body": b.accountable_body.as_ref().map(|s| party(&ix, &Party::Organisation(s.clone()))),
            "members": rows.remove("members").unwrap_or_default(), "advisers": rows.remove("advisers").unwrap_or_default(),
            "observers": rows.remove("observers").unwrap_or_default(), "others": rows.remove("others").unwrap_or_default(), "former": former,
            "ended": !b.is_current(today),
            "relation_groups": relation_groups, "areas": areas, "sources": sources,
            "first_meeting": b.cadence.as_ref().and_then(|c| c.first).map(|f| f.format("%-d %B %Y, %H:%M").to_string()),
            "rotation": b.chair.as_ref().map(|c| c.rotation.iter().map(|x| ix.register.seats.iter().find(|s| s.body == b.slug && &s.slug == x).map_or_else(|| x.to_string(), |s| s.label.clone())).collect::<Vec<_>>()),
            "planned_by_example": b.example.iter().any(|f| f.starts_with("cadence")),
            "neighbourhood_svg": svg::neighbourhood(&ix, &slug),
            "meetings": crate::meetings::calendar::body_meetings(&ix, &slug, today),
            "decisions": crate::decisions::pages::of_body(&ix, &slug),
            "recorded_meetings": crate::decisions::pages::recorded_meetings(&ix, &slug),
            "received": received_from_below(&ix, &slug),
            "commitments": crate::decisions::pages::commitments_by(&ix, &Party::Body(b.slug.clone()), today),
            "add_commitment": crate::shell::write::viewer_may(&council, placeworks_domain::permissions::Action::Edit, &placeworks_domain::permissions::Resource::Decision(b.slug.clone()))
                .then(|| format!("body:{}", b.slug)),
            "disputes": ix.register.disputes.iter().filter(|d| d.body.as_str() == slug).map(|d| json!({
                "slug": d.slug, "title": d.title, "raised": d.raised.format("%-d %B %Y").to_string(), "open": d.open(today), "public": d.public,
            })).collect::<Vec<_>>(),
            "records_disputes": crate::shell::auth::viewer().is_some_and(|v| {
                use placeworks_domain::permissions::{can, Action, Resource};
                can(&v.actor_in(&council), Action::Edit, &Resource::Dispute(b.slug.clone()))
            }),
            "can_edit": crate::shell::auth::viewer().is_some_and(|v| {
                use placeworks_domain::permissions::{can, Action, Resource};
                can(&v.actor_in(&council), Action::Edit, &Resource::Seat(b.slug.clone()))
            }),
        }),
    )
}

pub(crate) async fn organisations(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let groups: Vec<_> = Sector::ALL
        .iter()
        .map(|sec| {
            let orgs: Vec<_> = ix
                .register
                .organisations
                .iter()
                .filter(|o| o.sector == *sec)
                .map(|o| json!({ "slug": o.slug, "name": o.name, "kind": o.kind.label(), "ended": o.ended, "seats": ix.seats_held_by(&Party::Organisation(o.slug.clone())).count() }))
                .collect();
            json!({ "label": sec.label(), "organisations": orgs })
        })
        .filter(|g| g["organisations"].as_array().is_some_and(|a| !a.is_empty()))
        .collect();
    page(
        "organisations.html",
        json!({ "council": council_json(&ix), "page_title": "Organisations", "section": "organisations", "sectors": groups,
                "can_add": crate::shell::write::viewer_may(&council, placeworks_domain::permissions::Action::Edit, &placeworks_domain::permissions::Resource::Organisation),
                "organisations": ix.register.organisations.iter().map(|o| o.slug.to_string()).collect::<Vec<_>>(), "breadcrumbs": crumbs(&ix, &[]) }),
    )
}

pub(crate) async fn organisation(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let o = ix.organisation(&slug).ok_or_else(|| not_found(format!("There is no organisation called “{slug}” in {}.", ix.register.council.name)))?;
    let p = Party::Organisation(o.slug.clone());
    let seats: Vec<_> = ix
        .seats_held_by(&p)
        .map(|s| {
            let b = ix.body(s.body.as_str());
            json!({ "body_slug": s.body, "body_name": b.map(|b| b.name.clone()), "label": s.label, "role": s.role.label() })
        })
        .collect();
    let body_count = ix.seats_held_by(&p).map(|s| s.body.as_str()).collect::<std::collections::BTreeSet<_>>().len();
    let posts: Vec<_> = ix
        .register
        .posts
        .iter()
        .filter(|x| x.of == p)
        .map(|x| json!({ "title": x.title, "holder": x.holder.as_ref().and_then(|h| ix.person(h.as_str())).map(|h| h.name.clone()), "example": x.example }))
        .collect();
    let secretariat_for: Vec<_> =
        ix.register.bodies.iter().filter(|b| b.secretariat.as_ref() == Some(&o.slug)).map(|b| json!({ "slug": b.slug, "name": b.name })).collect();
    let parent = o.parent.as_ref().and_then(|x| ix.organisation(x.as_str())).map(|x| json!({ "slug": x.slug, "name": x.name }));
    let c = ix.register.council.slug.as_str();
    page(
        "organisation.html",
        json!({ "council": council_json(&ix), "page_title": o.name, "section": "organisations", "org": o, "kind": o.kind.label(), "sector": o.sector.label(),
                "seats": seats, "body_count": body_count, "posts": posts, "secretariat_for": secretariat_for, "parent": parent,
                "sources": crate::shell::render::source_titles(&ix, &o.sources),
                "can_change": crate::shell::write::viewer_may(&council, placeworks_domain::permissions::Action::Edit, &placeworks_domain::permissions::Resource::Organisation),
                "commitments": crate::decisions::pages::commitments_by(&ix, &Party::Organisation(o.slug.clone()), state.clock.today()),
                "add_commitment": crate::shell::write::viewer_may(&council, placeworks_domain::permissions::Action::Edit, &placeworks_domain::permissions::Resource::Register)
                    .then(|| format!("organisation:{}", o.slug)),
                "breadcrumbs": crumbs(&ix, &[("Organisations", format!("/{c}/organisations"))]) }),
    )
}

#[derive(Deserialize)]
pub(crate) struct ChartQuery {
    view: Option<String>,
}

impl ChartQuery {
    /// `?view=all` for every body; the overview otherwise.
    fn view(&self) -> svg::ChartView {
        if self.view.as_deref() == Some("all") {
            svg::ChartView::Detail
        } else {
            svg::ChartView::Overview
        }
    }
}

pub(crate) async fn structure(State(state): State<AppState>, Path(council): Path<String>, Query(q): Query<ChartQuery>) -> Page {
    let ix = council_of(&state, &council)?;
    let site = state.site();
    let today = state.clock.today();
    let view = q.view();
    let chart = site.structure(&council, today, view).ok_or_else(|| not_found("no chart"))?;
    let (roots, children) = svg::tree(&ix, today);
    fn node(ix: &Index, slug: &str, children: &std::collections::HashMap<String, Vec<String>>, depth: usize) -> serde_json::Value {
        let b = ix.body(slug).expect("tree bodies exist");
        let how = ix.parent_of(slug).map(|r| r.kind.label().to_owned());
        let kids: Vec<_> = if depth > 8 { Vec::new() } else { children.get(slug).into_iter().flatten().map(|c| node(ix, c, children, depth + 1)).collect() };
        json!({ "slug": b.slug, "name": b.name, "kind": b.kind.label(), "how": how, "children": kids })
    }
    let roots: Vec<_> = roots.iter().map(|r| node(&ix, r, &children, 0)).collect();
    let current = |slug: &placeworks_domain::Slug| ix.body(slug.as_str()).filter(|b| b.is_current(today));
    let cross: Vec<_> = ix
        .register
        .relations
        .iter()
        .filter(|r| !matches!(r.kind, RelationKind::ReportsTo | RelationKind::PartOf))
        .filter_map(|r| {
            let (f, t) = (current(&r.from)?, current(&r.to)?);
            Some(json!({ "label": r.kind.label(), "from": { "slug": f.slug, "name": f.name }, "to": { "slug": t.slug, "name": t.name } }))
        })
        .collect();
    let legend: Vec<_> = RelationKind::ALL.iter().map(|k| json!({ "label": k.label(), "swatch": svg::line_swatch(*k) })).collect();
    let bodies = ix.register.bodies.iter().filter(|b| b.is_current(today)).count();
    let former = ix.register.bodies.len() - bodies;
    page(
        "structure.html",
        json!({ "council": council_json(&ix), "page_title": "Structure chart", "section": "structure", "chart": chart.svg, "roots": roots, "cross": cross,
                "legend": legend, "detail": view == svg::ChartView::Detail, "bodies": bodies, "former": former, "breadcrumbs": crumbs(&ix, &[]),
                "example_names": ix.register.bodies.iter().filter(|b| b.example.iter().any(|f| f == "name")).count() }),
    )
}

pub(crate) async fn structure_svg(State(state): State<AppState>, Path(council): Path<String>, Query(q): Query<ChartQuery>) -> Result<Response, AppError> {
    let site = state.site();
    let chart =
        site.structure(&council, state.clock.today(), q.view()).ok_or_else(|| not_found(format!("There is no council called “{council}” on this site.")))?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], chart.svg.clone()).into_response())
}

pub(crate) async fn overlap(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let brief = |s: &str| ix.body(s).map(|b| json!({ "slug": b.slug, "name": b.name }));
    let overlaps: Vec<_> = ix
        .overlaps(2)
        .into_iter()
        .take(25)
        .map(|o| json!({ "a": brief(&o.a), "b": brief(&o.b), "shared": o.shared, "percent": (o.share * 100.0).round() as i64 }))
        .collect();
    page(
        "overlap.html",
        json!({ "council": council_json(&ix), "page_title": "Overlap", "section": "overlap", "counts": ix.seat_counts(), "overlaps": overlaps, "breadcrumbs": crumbs(&ix, &[]) }),
    )
}

/// What a body's published agendas brought up from the bodies below it:
/// their minutes and reports, newest first.
fn received_from_below(ix: &Index, body: &str) -> Vec<serde_json::Value> {
    let mut out: Vec<(&str, serde_json::Value)> = ix
        .register
        .meetings
        .iter()
        .filter(|m| m.body.as_str() == body && m.agenda_published.is_some())
        .flat_map(|m| {
            m.items.iter().filter_map(move |i| {
                let from = ix.body(i.from_body.as_ref()?.as_str())?;
                Some((
                    m.date.as_str(),
                    json!({ "meeting": m.slug, "date": m.date.display(), "number": i.number, "title": i.title, "from": { "slug": from.slug, "name": from.name } }),
                ))
            })
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(a.0));
    out.into_iter().map(|(_, v)| v).collect()
}
