//! Places: the areas, an area's profile, and the needs assessment.

use crate::shell::errors::not_found;
use crate::shell::render::*;
use crate::AppState;
use axum::extract::{Path, State};
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use serde_json::json;

pub(crate) fn period(a: &Area) -> Option<String> {
    match (&a.valid_from, &a.valid_to) {
        (Some(f), Some(t)) => Some(format!("{} to {}", f.display(), t.display())),
        (Some(f), None) => Some(format!("from {}", f.display())),
        (None, Some(t)) => Some(format!("until {}", t.display())),
        (None, None) => None,
    }
}

pub(crate) async fn areas(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    // The hierarchy, down to the level above wards; wards are listed on their parent's page.
    fn node(ix: &Index, a: &Area, depth: usize) -> serde_json::Value {
        let kids: Vec<&Area> = ix.children_of(&a.code).collect();
        let expand = depth < 3 && kids.iter().all(|k| k.kind != AreaKind::Ward);
        let children: Vec<_> = if expand { kids.iter().map(|k| node(ix, k, depth + 1)).collect() } else { Vec::new() };
        json!({ "code": a.code, "name": a.name, "kind": a.kind.label(), "gss": a.has_gss_code(), "period": period(a), "children": children, "children_count": kids.len() })
    }
    let roots: Vec<_> = ix.register.areas.iter().filter(|a| a.parent.as_ref().is_none_or(|p| ix.area(p).is_none())).map(|a| node(&ix, a, 0)).collect();
    let can_define = crate::shell::write::viewer_may(&council, placeworks_domain::permissions::Action::Edit, &placeworks_domain::permissions::Resource::Area);
    page(
        "areas.html",
        json!({ "council": council_json(&ix), "page_title": "Areas", "section": "areas", "roots": roots, "can_define": can_define, "breadcrumbs": crumbs(&ix, &[]) }),
    )
}

pub(crate) async fn area(State(state): State<AppState>, Path((council, code)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let a = ix.area(&code).ok_or_else(|| not_found(format!("There is no area with the code “{code}” in {}.", ix.register.council.name)))?;
    let brief = |x: &Area| json!({ "code": x.code, "name": x.name, "period": period(x) });
    let today = state.clock.today();
    let (children, former_children): (Vec<&Area>, Vec<&Area>) = ix.children_of(&code).partition(|x| x.valid_to.as_ref().is_none_or(|t| !t.passed(today)));
    let (children, former_children): (Vec<_>, Vec<_>) = (children.into_iter().map(brief).collect(), former_children.into_iter().map(brief).collect());
    let members: Vec<_> = a.members.iter().filter_map(|m| ix.area(m)).map(brief).collect();
    let sets: Vec<_> = ix.register.areas.iter().filter(|s| s.members.iter().any(|m| m == &code)).map(brief).collect();
    let ancestors: Vec<_> = ix.ancestors_of(&code).into_iter().map(brief).collect();
    // Which areas a body serves may be the example's: tagged where the area's page lists it.
    let link = |b: &Body| json!({ "slug": b.slug, "name": b.name, "ended": b.ended.as_ref().map(|d| d.display()), "example": b.example.iter().filter(|f| *f == "areas").collect::<Vec<_>>() });
    let bodies: Vec<_> = ix.bodies_serving(&code).filter(|b| b.is_current(today)).map(link).collect();
    let former_bodies: Vec<_> = ix.bodies_serving(&code).filter(|b| !b.is_current(today)).map(link).collect();
    // The wards this one replaced, matched by name where no lookup exists, and the bodies still serving them.
    let generation = |areas: Vec<&Area>| -> Vec<serde_json::Value> {
        areas
            .into_iter()
            .map(|o| {
                let serving: Vec<_> = ix.bodies_serving(&o.code).filter(|b| b.is_current(today)).map(link).collect();
                json!({ "area": brief(o), "bodies": serving })
            })
            .collect()
    };
    let before = placeworks_domain::places::generations::predecessors(&ix.register.areas, a);
    let follows = generation(before.clone());
    let followed_by = generation(placeworks_domain::places::generations::successors(&ix.register.areas, a));
    // Bodies that serve a named set this area (or the ward it follows) is in, or a wider area it lies within.
    let in_set = |s: &&Area| s.members.iter().any(|m| m == &code || before.iter().any(|b| &b.code == m));
    let through: Vec<_> = ix
        .register
        .areas
        .iter()
        .filter(in_set)
        .chain(ix.ancestors_of(&code))
        .map(|wider| {
            let serving: Vec<_> = ix.bodies_serving(&wider.code).filter(|b| b.is_current(today)).map(link).collect();
            json!({ "area": brief(wider), "bodies": serving, "named_set": wider.kind == AreaKind::NamedSet, "by_predecessor": wider.kind == AreaKind::NamedSet && !wider.members.contains(&code) })
        })
        .filter(|t| t["bodies"].as_array().is_some_and(|b| !b.is_empty()))
        .collect();
    // The next meetings of the bodies that serve the place itself: directly,
    // through the ward it follows, or through a named set of wards.
    let local: Vec<String> = ix
        .bodies_serving(&code)
        .chain(before.iter().flat_map(|o| ix.bodies_serving(&o.code)))
        .chain(ix.register.areas.iter().filter(in_set).flat_map(|s| ix.bodies_serving(&s.code)))
        .filter(|b| b.is_current(today))
        .map(|b| b.slug.to_string())
        .collect();
    let next_meetings = crate::shell::calendar::next_of(&ix, &local, today, 5);
    // The programmes that target the place: directly, through a named set of
    // wards it is in, or through the ward it follows.
    let targeted = |t: &String| {
        t == &code
            || before.iter().any(|b| &b.code == t)
            || ix.area(t).is_some_and(|s| s.members.iter().any(|m| m == &code || before.iter().any(|b| &b.code == m)))
    };
    let programmes: Vec<_> = ix
        .register
        .programmes
        .iter()
        .filter(|p| p.areas.iter().any(targeted))
        .map(|p| {
            let through =
                p.areas.iter().find(|t| targeted(t)).and_then(|t| ix.area(t)).filter(|t| t.code != code).map(|t| json!({ "code": t.code, "name": t.name }));
            // Its initiatives here: those for this ward (or the ward it follows) first, then those across a set it is in.
            let mut work: Vec<_> = ix
                .register
                .initiatives
                .iter()
                .filter(|i| i.programme == p.slug && i.areas.iter().any(targeted))
                .map(|i| {
                    let direct = i.areas.iter().any(|t| t == &code || before.iter().any(|b| &b.code == t));
                    (!direct, json!({ "slug": i.slug, "name": i.name, "status": i.status.label(), "status_code": i.status.code(), "direct": direct, "example": i.example }))
                })
                .collect();
            work.sort_by_key(|(across, _)| *across);
            // Its local action plan for this ward (or the ward it follows).
            let plan = ix
                .register
                .plans
                .iter()
                .find(|x| x.programme.as_ref() == Some(&p.slug) && x.area.as_ref().is_some_and(|t| t == &code || before.iter().any(|b| &b.code == t)))
                .map(|x| json!({ "name": x.name, "area": x.area, "status": x.status.label(), "actions": x.actions.len(), "example": x.example }));
            json!({ "slug": p.slug, "name": p.name, "status": p.status.label(), "through": through, "plan": plan,
                    "measures": ix.register.measures.iter().filter(|m| m.programme == p.slug).count(),
                    "initiatives": work.into_iter().map(|(_, w)| w).collect::<Vec<_>>() })
        })
        .collect();
    // The same place in another geography: wards are redrawn, names mostly stay.
    let same_name = |n: &str| n.to_lowercase().replace(" & ", " and ");
    let namesakes: Vec<_> =
        ix.register.areas.iter().filter(|x| x.code != a.code && x.kind == a.kind && same_name(&x.name) == same_name(&a.name)).map(brief).collect();
    let boundary_svg = a.boundary.as_deref().and_then(|g| crate::shell::maps::boundary(g, 400.0, &a.name));
    let councillors = councillors_of(&ix, &code, today);
    let keeps_posts = crate::shell::write::viewer_may(&council, placeworks_domain::permissions::Action::Edit, &placeworks_domain::permissions::Resource::Post);
    let c = ix.register.council.slug.as_str();
    page(
        "area.html",
        json!({ "council": council_json(&ix), "page_title": a.name, "section": "areas", "area": a, "kind": a.kind.label(), "gss": a.has_gss_code(),
                "children": children, "members": members, "sets": sets, "ancestors": ancestors, "bodies": bodies, "through": through,
                "former_bodies": former_bodies, "next_meetings": next_meetings, "serves_locally": !local.is_empty(), "former_children": former_children, "follows": follows, "followed_by": followed_by, "current": a.valid_to.as_ref().is_none_or(|t| !t.passed(today)),
                "can_change": !a.kind.is_official() && crate::shell::write::viewer_may(&council, placeworks_domain::permissions::Action::Edit, &placeworks_domain::permissions::Resource::Area),
                "namesakes": namesakes, "boundary_svg": boundary_svg, "programmes": programmes, "sources": crate::shell::render::source_titles(&ix, &a.sources), "councillors": councillors, "keeps_posts": keeps_posts,
                "elected": matches!(a.kind, AreaKind::Ward | AreaKind::ElectoralDivision), "profile": crate::places::needs::profile(&state, &ix, a),
                "breadcrumbs": crumbs(&ix, &[("Areas", format!("/{c}/areas"))]) }),
    )
}

/// The councillors' posts of a ward or division: who holds each now (or that
/// it is vacant or not known), their party and term, and the bodies they sit on.
pub(crate) fn councillors_of(ix: &Index, code: &str, today: chrono::NaiveDate) -> Vec<serde_json::Value> {
    ix.register
        .posts
        .iter()
        .filter(|p| p.area.as_deref() == Some(code))
        .map(|p| {
            let holder = p.holder_on(today).and_then(|h| ix.person(h.as_str()));
            let bodies: Vec<_> = holder
                .map(|h| ix.bodies_of(&h.slug, today))
                .unwrap_or_default()
                .iter()
                .filter_map(|b| ix.body(b.as_str()))
                .map(|b| json!({ "slug": b.slug, "name": b.name }))
                .collect();
            json!({
                "slug": p.slug, "title": p.title,
                "holder": holder.map(|h| json!({ "slug": h.slug, "name": h.name })),
                "party": p.party, "start": p.start.as_ref().map(|d| d.display()), "end": p.end.as_ref().map(|d| d.display()),
                "bodies": bodies,
            })
        })
        .collect()
}
