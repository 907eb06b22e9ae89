//! The portal's pages. Handlers gather what a page shows and hand it to its
//! template; they hold no business rules.

mod decisions;
mod governance;
mod meeting;
pub(crate) use meeting::meeting_view;
mod meetings;
pub use meetings::next_year;
mod needs;
mod services;
pub use needs::BEST_FIT;

use crate::errors::{not_found, AppError};
use crate::{svg, templates, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::Value;
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The page routes. Rendered pages are kept by the site they were made from.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(home_default))
        .route("/councils", get(councils))
        .route("/{council}", get(home))
        .route("/{council}/bodies", get(bodies))
        .route("/{council}/bodies/{slug}", get(body))
        .route("/{council}/organisations", get(organisations))
        .route("/{council}/organisations/{slug}", get(organisation))
        .route("/{council}/areas", get(areas))
        .route("/{council}/areas/{code}", get(area))
        .route("/{council}/structure", get(structure))
        .route("/{council}/structure.svg", get(structure_svg))
        .route("/{council}/overlap", get(overlap))
        .route("/{council}/needs", get(needs::needs))
        .route("/{council}/needs.csv", get(needs::needs_csv))
        .route("/{council}/compare", get(needs::compare))
        .route("/{council}/services", get(services::services))
        .route("/{council}/values.csv", get(needs::values_csv))
        .route("/{council}/calendar", get(meetings::calendar))
        .route("/{council}/decisions", get(decisions::decisions))
        .route("/{council}/decisions.atom", get(decisions::atom))
        .route("/{council}/governance", get(governance::governance))
        .route("/{council}/decisions/{slug}", get(decisions::decision))
        .route("/{council}/meetings.ics", get(meetings::council_ics))
        .route("/{council}/meetings/{slug}", get(meeting::meeting))
        .route("/{council}/meetings/{slug}/papers/{paper}", get(meeting::paper))
        .route("/{council}/papers.atom", get(meeting::papers_atom))
        .route("/{council}/forward-plan", get(meeting::forward_plan))
        .route("/{council}/people/{slug}", get(meeting::person))
        .route("/{council}/people/{slug}/meetings.ics", get(meeting::person_ics))
        .route("/{council}/bodies/{slug}/attendance", get(meeting::body_attendance))
        .route("/{council}/bodies/{slug}/meetings.ics", get(meetings::body_ics))
        .layer(axum::middleware::from_fn_with_state(state, cache_pages))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
}

/// The site's origin as the visitor reached it, for absolute links.
pub(crate) fn origin(headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "http" || *p == "https")
        .unwrap_or(if host.starts_with("localhost") || host.starts_with("127.") { "http" } else { "https" });
    format!("{scheme}://{host}")
}

/// Every public page, for search engines (sitemaps.org 0.9). Built from the
/// public register, so nothing exempt is listed.
async fn sitemap(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let site = state.site();
    let base = origin(&headers);
    let mut paths = vec!["/".to_owned(), "/councils".to_owned()];
    for ix in site.councils() {
        let c = ix.register.council.slug.as_str();
        paths.extend(
            ["", "/bodies", "/organisations", "/areas", "/structure", "/overlap", "/calendar", "/decisions", "/forward-plan", "/governance"]
                .iter()
                .map(|p| format!("/{c}{p}")),
        );
        if site.needs(c).is_some() {
            paths.extend(["/needs", "/compare"].iter().map(|p| format!("/{c}{p}")));
        }
        if !ix.register.baselines.is_empty() {
            paths.push(format!("/{c}/services"));
        }
        paths.extend(ix.register.decisions.iter().map(|d| format!("/{c}/decisions/{}", d.slug)));
        paths.extend(ix.register.meetings.iter().map(|m| format!("/{c}/meetings/{}", m.slug)));
        paths.extend(ix.register.people.iter().map(|p| format!("/{c}/people/{}", p.slug)));
        paths.extend(ix.register.bodies.iter().map(|b| format!("/{c}/bodies/{}", b.slug)));
        paths.extend(ix.register.organisations.iter().map(|o| format!("/{c}/organisations/{}", o.slug)));
        paths.extend(ix.register.areas.iter().map(|a| format!("/{c}/areas/{}", a.code)));
    }
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in paths {
        let loc = format!("{base}{p}").replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response()
}

/// Where the sitemap is; signed-in pages are not for robots.
async fn robots(headers: axum::http::HeaderMap) -> Response {
    let text = format!(
        "User-agent: *\nDisallow: /sign-in\nDisallow: /account\nDisallow: /*/audit\nDisallow: /*/bodies/*/manage\nDisallow: /*/meetings/*/manage\nSitemap: {}/sitemap.xml\n",
        origin(&headers)
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

/// Serves a page (or a calendar feed) from the site's cache, or renders it
/// and keeps it when it rendered successfully. Only GET routes of this
/// router pass through here, never the API.
async fn cache_pages(State(state): State<AppState>, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    // Signed-in pages differ from person to person: never cached or served from the cache.
    if crate::auth::viewer().is_some() {
        return next.run(req).await;
    }
    // Pages show the next year of meetings from today: a new day, a new page.
    // Feeds name the host in their identifiers, so the host is part of the key.
    let day = state.clock.today();
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default().to_owned();
    let key = format!("{day} {host} {}", req.uri().path_and_query().map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned()));
    let site = state.site();
    if let Some(page) = site.pages_for(req.uri().path()).get(&key) {
        let mut res = (page.body).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, page.content_type);
        if let Some(d) = page.disposition {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, d);
        }
        return res;
    }
    let path = req.uri().path().to_owned();
    let res = next.run(req).await;
    let content_type = res.headers().get(header::CONTENT_TYPE).cloned();
    let keep = content_type.as_ref().is_some_and(|v| v.as_bytes().starts_with(b"text/html") || v.as_bytes().starts_with(b"text/calendar"));
    if res.status() != StatusCode::OK || !keep || res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let disposition = res.headers().get(header::CONTENT_DISPOSITION).cloned();
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            site.pages_for(&path).keep(key, crate::site::Cached { content_type: content_type.expect("checked above"), disposition, body: bytes.clone() });
            Response::from_parts(parts, axum::body::Body::from(bytes))
        }
        Err(e) => AppError::Internal(format!("reading a rendered page: {e}")).into_response(),
    }
}

type Page = Result<Html<String>, AppError>;

fn page(name: &str, ctx: serde_json::Value) -> Page {
    Ok(Html(templates::render(name, Value::from_serialize(&ctx))?))
}

/// A council's register as the viewer may see it: the public register for
/// anonymous visitors, with what their roles open for those signed in.
fn council_of(state: &AppState, slug: &str) -> Result<Arc<Index>, AppError> {
    let site = state.site();
    let ix = match crate::auth::viewer() {
        Some(v) => site.council_for(slug, &v.actor_in(slug)),
        None => site.council(slug).cloned(),
    };
    ix.ok_or_else(|| not_found(format!("There is no council called “{slug}” on this site.")))
}

fn council_json(ix: &Index) -> serde_json::Value {
    let c = &ix.register.council;
    let needs = ix.register.values.iter().any(|v| v.indicator.as_str() == placeworks_domain::places::needs::IMD_RANK);
    json!({ "slug": c.slug, "name": c.name, "brand_colour": c.brand_colour, "attribution": c.attribution, "description": c.description, "sources": c.sources, "needs": needs, "services": !ix.register.baselines.is_empty() })
}

fn crumbs(ix: &Index, extra: &[(&str, String)]) -> serde_json::Value {
    let c = ix.register.council.slug.as_str();
    let mut out = vec![json!({ "label": "Home", "href": format!("/{c}") })];
    for (label, href) in extra {
        out.push(json!({ "label": label, "href": href }));
    }
    json!(out)
}

fn party(ix: &Index, p: &Party) -> serde_json::Value {
    let kind = match p {
        Party::Organisation(_) => "organisation",
        Party::Body(_) => "body",
    };
    json!({ "type": kind, "slug": p.slug(), "name": ix.party_name(p) })
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "the database is not answering\n").into_response()
        }
    }
}

/// Ready to serve writes: a heartbeat written and committed proves the
/// database takes writes (`/healthz` only proves it answers).
async fn readyz(State(state): State<AppState>) -> Response {
    let text = [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    match state.store.heartbeat(&state.server).await {
        Ok(()) => (StatusCode::OK, text, "ready\n".to_owned()).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed: the database takes no writes");
            let why = e.unavailable().unwrap_or("the database did not take a write");
            (StatusCode::SERVICE_UNAVAILABLE, text, format!("not ready: {why}\n")).into_response()
        }
    }
}

async fn home_default(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = state.site();
    match site.default_council() {
        Some(ix) => Ok(render_home(ix)?.into_response()),
        None => Ok(councils(State(state)).await?.into_response()),
    }
}

async fn home(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    render_home(&*council_of(&state, &council)?)
}

fn render_home(ix: &Index) -> Page {
    let c = ix.register.council.slug.as_str();
    let reg = &ix.register;
    let counts = json!([
        { "n": reg.bodies.len(), "label": "bodies", "href": format!("/{c}/bodies") },
        { "n": reg.seats.len(), "label": "seats", "href": format!("/{c}/overlap") },
        { "n": reg.organisations.len(), "label": "organisations", "href": format!("/{c}/organisations") },
        { "n": reg.areas.len(), "label": "areas", "href": format!("/{c}/areas") },
    ]);
    let roots: Vec<_> = reg
        .bodies
        .iter()
        .filter(|b| ix.parent_of(b.slug.as_str()).is_none() && b.kind != BodyKind::CommunityBoard)
        .map(|b| json!({ "slug": b.slug, "name": b.name, "kind": b.kind.label() }))
        .collect();
    page("home.html", json!({ "council": council_json(ix), "page_title": "Home", "section": "home", "counts": counts, "roots": roots }))
}

async fn councils(State(state): State<AppState>) -> Page {
    let site = state.site();
    let list: Vec<_> = site
        .councils()
        .iter()
        .map(|ix| json!({ "slug": ix.register.council.slug, "name": ix.register.council.name, "bodies": ix.register.bodies.len(), "organisations": ix.register.organisations.len() }))
        .collect();
    page("councils.html", json!({ "page_title": "Councils", "councils": list }))
}

#[derive(Deserialize)]
struct BodyFilter {
    kind: Option<String>,
    sector: Option<String>,
}

async fn bodies(State(state): State<AppState>, Path(council): Path<String>, Query(f): Query<BodyFilter>) -> Page {
    let ix = council_of(&state, &council)?;
    let kind = f.kind.filter(|k| !k.is_empty()).and_then(|k| BodyKind::parse(&k).ok());
    let sector = f.sector.filter(|s| !s.is_empty()).and_then(|s| Sector::parse(&s).ok());
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
        .filter(|b| kind.is_none_or(|k| b.kind == k) && has_sector(b))
        .map(|b| {
            let parent = ix.parent_of(b.slug.as_str()).and_then(|r| ix.body(r.to.as_str())).map(|p| json!({ "slug": p.slug, "name": p.name }));
            json!({ "slug": b.slug, "name": b.name, "kind": b.kind.label(), "statutory": b.statutory, "ended": b.ended, "parent": parent, "seats": ix.seats_of(b.slug.as_str()).count() })
        })
        .collect();
    let mut kind_counts: BTreeMap<BodyKind, usize> = BTreeMap::new();
    for b in &ix.register.bodies {
        *kind_counts.entry(b.kind).or_default() += 1;
    }
    let kinds: Vec<_> = kind_counts.iter().map(|(k, n)| json!({ "code": k.code(), "label": k.label(), "n": n })).collect();
    let sectors: Vec<_> = Sector::ALL.iter().map(|s| json!({ "code": s.code(), "label": s.label() })).collect();
    page(
        "bodies.html",
        json!({ "council": council_json(&ix), "page_title": "Bodies", "section": "bodies", "bodies": list, "kinds": kinds, "sectors": sectors,
                "kind": kind.map(|k| k.code()), "sector": sector.map(|s| s.code()), "breadcrumbs": crumbs(&ix, &[]) }),
    )
}

fn seat_row(ix: &Index, s: &Seat, body: &Body) -> serde_json::Value {
    let groups: Vec<&str> = s.groups.iter().filter_map(|g| body.groups.iter().find(|bg| &bg.slug == g)).map(|g| g.name.as_str()).collect();
    let post = s.post.as_ref().and_then(|p| ix.post(p.as_str()));
    let name = |p: &placeworks_domain::Slug| ix.person(p.as_str()).map(|p| p.name.clone());
    let mut holders: Vec<String> = ix
        .memberships_of(s.body.as_str(), s.slug.as_str())
        .filter_map(|m| {
            let holder = m.person.as_ref().and_then(name)?;
            let subs: Vec<String> = m.substitutes.iter().filter_map(name).collect();
            Some(if subs.is_empty() { holder } else { format!("{holder} (named substitute: {})", subs.join(", ")) })
        })
        .collect();
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

async fn body(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let Some(b) = ix.body(&slug) else {
        // Someone signed in who may not see a confidential body is told so,
        // and nothing more; to anyone else it is simply not there.
        if crate::auth::viewer().is_some() && state.site().full(&council).is_some_and(|f| f.body(&slug).is_some()) {
            return Err(AppError::Forbidden("This record is confidential".into()));
        }
        return Err(not_found(format!("There is no body called “{slug}” in {}.", ix.register.council.name)));
    };
    let mut rows: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
    for s in ix.seats_of(&slug) {
        let key = match s.role {
            Role::Adviser => "advisers",
            Role::Observer => "observers",
            Role::Secretariat => "others",
            _ => "members",
        };
        rows.entry(key).or_default().push(seat_row(&ix, s, b));
    }
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
    let sources: Vec<_> = b
        .sources
        .iter()
        .filter_map(|s| ix.register.council.sources.iter().find(|x| &x.key == s))
        .map(|s| match &s.date {
            Some(d) => format!("{} ({})", s.title, d.display()),
            None => s.title.clone(),
        })
        .collect();
    let chair_post = b.chair.as_ref().and_then(|c| c.post.as_ref()).and_then(|p| ix.post(p.as_str())).map(|p| format!("{}, {}", p.title, ix.party_name(&p.of)));
    let c = ix.register.council.slug.as_str();
    page(
        "body.html",
        json!({
            "council": council_json(&ix), "page_title": b.name, "section": "bodies",
            "breadcrumbs": crumbs(&ix, &[("Bodies", format!("/{c}/bodies"))]),
            "body": b, "kind": b.kind.label(), "chair_kind": b.chair.as_ref().map(|c| c.kind.label()), "chair_post": chair_post,
            "groups": b.groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>(),
            "secretariat": b.secretariat.as_ref().map(|s| party(&ix, &Party::Organisation(s.clone()))),
            "accountable_body": b.accountable_body.as_ref().map(|s| party(&ix, &Party::Organisation(s.clone()))),
            "members": rows.remove("members").unwrap_or_default(), "advisers": rows.remove("advisers").unwrap_or_default(),
            "observers": rows.remove("observers").unwrap_or_default(), "others": rows.remove("others").unwrap_or_default(),
            "relation_groups": relation_groups, "areas": areas, "sources": sources,
            "neighbourhood_svg": svg::neighbourhood(&ix, &slug),
            "meetings": meetings::body_meetings(&ix, &slug, state.clock.today()),
            "decisions": decisions::of_body(&ix, &slug),
            "recorded_meetings": decisions::recorded_meetings(&ix, &slug),
            "can_edit": crate::auth::viewer().is_some_and(|v| {
                use placeworks_domain::permissions::{can, Action, Resource};
                can(&v.actor_in(&council), Action::Edit, &Resource::Seat(b.slug.clone()))
            }),
        }),
    )
}

async fn organisations(State(state): State<AppState>, Path(council): Path<String>) -> Page {
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
                "organisations": ix.register.organisations.iter().map(|o| o.slug.to_string()).collect::<Vec<_>>(), "breadcrumbs": crumbs(&ix, &[]) }),
    )
}

async fn organisation(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
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
        .map(|x| json!({ "title": x.title, "holder": x.holder.as_ref().and_then(|h| ix.person(h.as_str())).map(|h| h.name.clone()) }))
        .collect();
    let secretariat_for: Vec<_> =
        ix.register.bodies.iter().filter(|b| b.secretariat.as_ref() == Some(&o.slug)).map(|b| json!({ "slug": b.slug, "name": b.name })).collect();
    let parent = o.parent.as_ref().and_then(|x| ix.organisation(x.as_str())).map(|x| json!({ "slug": x.slug, "name": x.name }));
    let c = ix.register.council.slug.as_str();
    page(
        "organisation.html",
        json!({ "council": council_json(&ix), "page_title": o.name, "section": "organisations", "org": o, "kind": o.kind.label(), "sector": o.sector.label(),
                "seats": seats, "body_count": body_count, "posts": posts, "secretariat_for": secretariat_for, "parent": parent,
                "breadcrumbs": crumbs(&ix, &[("Organisations", format!("/{c}/organisations"))]) }),
    )
}

fn period(a: &Area) -> Option<String> {
    match (&a.valid_from, &a.valid_to) {
        (Some(f), Some(t)) => Some(format!("{} to {}", f.display(), t.display())),
        (Some(f), None) => Some(format!("from {}", f.display())),
        (None, Some(t)) => Some(format!("until {}", t.display())),
        (None, None) => None,
    }
}

async fn areas(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    // The hierarchy, down to the level above wards; wards are listed on their parent's page.
    fn node(ix: &Index, a: &Area, depth: usize) -> serde_json::Value {
        let kids: Vec<&Area> = ix.children_of(&a.code).collect();
        let expand = depth < 3 && kids.iter().all(|k| k.kind != AreaKind::Ward);
        let children: Vec<_> = if expand { kids.iter().map(|k| node(ix, k, depth + 1)).collect() } else { Vec::new() };
        json!({ "code": a.code, "name": a.name, "kind": a.kind.label(), "gss": a.has_gss_code(), "period": period(a), "children": children, "children_count": kids.len() })
    }
    let roots: Vec<_> = ix.register.areas.iter().filter(|a| a.parent.as_ref().is_none_or(|p| ix.area(p).is_none())).map(|a| node(&ix, a, 0)).collect();
    page("areas.html", json!({ "council": council_json(&ix), "page_title": "Areas", "section": "areas", "roots": roots, "breadcrumbs": crumbs(&ix, &[]) }))
}

async fn area(State(state): State<AppState>, Path((council, code)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let a = ix.area(&code).ok_or_else(|| not_found(format!("There is no area with the code “{code}” in {}.", ix.register.council.name)))?;
    let brief = |x: &Area| json!({ "code": x.code, "name": x.name, "period": period(x) });
    let children: Vec<_> = ix.children_of(&code).map(brief).collect();
    let members: Vec<_> = a.members.iter().filter_map(|m| ix.area(m)).map(brief).collect();
    let sets: Vec<_> = ix.register.areas.iter().filter(|s| s.members.iter().any(|m| m == &code)).map(brief).collect();
    let ancestors: Vec<_> = ix.ancestors_of(&code).into_iter().map(brief).collect();
    let bodies: Vec<_> = ix.bodies_serving(&code).map(|b| json!({ "slug": b.slug, "name": b.name })).collect();
    // Bodies that serve a named set this area is in, or a wider area it lies within.
    let through: Vec<_> = ix
        .register
        .areas
        .iter()
        .filter(|s| s.members.iter().any(|m| m == &code))
        .chain(ix.ancestors_of(&code))
        .map(|wider| {
            let serving: Vec<_> = ix.bodies_serving(&wider.code).map(|b| json!({ "slug": b.slug, "name": b.name })).collect();
            json!({ "area": brief(wider), "bodies": serving })
        })
        .filter(|t| t["bodies"].as_array().is_some_and(|b| !b.is_empty()))
        .collect();
    // The same place in another geography: wards are redrawn, names mostly stay.
    let same_name = |n: &str| n.to_lowercase().replace(" & ", " and ");
    let namesakes: Vec<_> =
        ix.register.areas.iter().filter(|x| x.code != a.code && x.kind == a.kind && same_name(&x.name) == same_name(&a.name)).map(brief).collect();
    let boundary_svg = a.boundary.as_deref().and_then(|g| crate::maps::boundary(g, 400.0, &a.name));
    let c = ix.register.council.slug.as_str();
    page(
        "area.html",
        json!({ "council": council_json(&ix), "page_title": a.name, "section": "areas", "area": a, "kind": a.kind.label(), "gss": a.has_gss_code(),
                "children": children, "members": members, "sets": sets, "ancestors": ancestors, "bodies": bodies, "through": through,
                "namesakes": namesakes, "boundary_svg": boundary_svg, "profile": needs::profile(&state, &ix, a),
                "breadcrumbs": crumbs(&ix, &[("Areas", format!("/{c}/areas"))]) }),
    )
}

async fn structure(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let site = state.site();
    let chart = site.structure(&council).ok_or_else(|| not_found("no chart"))?;
    let (roots, children) = svg::tree(&ix);
    fn node(ix: &Index, slug: &str, children: &std::collections::HashMap<String, Vec<String>>, depth: usize) -> serde_json::Value {
        let b = ix.body(slug).expect("tree bodies exist");
        let how = ix.parent_of(slug).map(|r| r.kind.label().to_owned());
        let kids: Vec<_> = if depth > 8 { Vec::new() } else { children.get(slug).into_iter().flatten().map(|c| node(ix, c, children, depth + 1)).collect() };
        json!({ "slug": b.slug, "name": b.name, "kind": b.kind.label(), "how": how, "children": kids })
    }
    let roots: Vec<_> = roots.iter().map(|r| node(&ix, r, &children, 0)).collect();
    let cross: Vec<_> = ix
        .register
        .relations
        .iter()
        .filter(|r| !matches!(r.kind, RelationKind::ReportsTo | RelationKind::PartOf))
        .filter_map(|r| {
            let (f, t) = (ix.body(r.from.as_str())?, ix.body(r.to.as_str())?);
            Some(json!({ "label": r.kind.label(), "from": { "slug": f.slug, "name": f.name }, "to": { "slug": t.slug, "name": t.name } }))
        })
        .collect();
    page(
        "structure.html",
        json!({ "council": council_json(&ix), "page_title": "Structure chart", "section": "structure", "chart": chart.svg, "roots": roots, "cross": cross, "breadcrumbs": crumbs(&ix, &[]) }),
    )
}

async fn structure_svg(State(state): State<AppState>, Path(council): Path<String>) -> Result<Response, AppError> {
    let site = state.site();
    let chart = site.structure(&council).ok_or_else(|| not_found(format!("There is no council called “{council}” on this site.")))?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], chart.svg.clone()).into_response())
}

async fn overlap(State(state): State<AppState>, Path(council): Path<String>) -> Page {
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
