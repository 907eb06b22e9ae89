//! Every capability's pages put together: the routes, the page cache that
//! keeps what anonymous visitors are sent, the sitemap, and the health checks.

use crate::shell::errors::AppError;
use crate::shell::render::*;
use crate::AppState;
use crate::{decisions, governance, meetings, places, programmes, register, services};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The page routes. Rendered pages are kept by the site they were made from.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(register::pages::home_default))
        .route("/councils", get(register::pages::councils))
        .route("/{council}", get(register::pages::home))
        .route("/{council}/bodies", get(register::pages::bodies))
        .route("/{council}/bodies/{slug}", get(register::pages::body))
        .route("/{council}/organisations", get(register::pages::organisations))
        .route("/{council}/organisations/{slug}", get(register::pages::organisation))
        .route("/{council}/areas", get(places::pages::areas))
        .route("/{council}/areas/{code}", get(places::pages::area))
        .route("/{council}/structure", get(register::pages::structure))
        .route("/{council}/structure.svg", get(register::pages::structure_svg))
        .route("/{council}/overlap", get(register::pages::overlap))
        .route("/{council}/needs", get(places::needs::needs))
        .route("/{council}/needs.csv", get(places::needs::needs_csv))
        .route("/{council}/compare", get(places::needs::compare))
        .route("/{council}/services", get(services::pages::services))
        .route("/{council}/programmes", get(programmes::pages::programmes))
        .route("/{council}/money", get(programmes::money::money))
        .route("/{council}/programmes/{slug}", get(programmes::pages::programme))
        .route("/{council}/strategies/{slug}", get(programmes::plans::strategy))
        .route("/{council}/programmes/{slug}/measures/{measure}", get(programmes::pages::measure))
        .route("/{council}/programmes/{slug}/initiatives/{initiative}", get(programmes::pages::initiative))
        .route("/{council}/programmes/{slug}/themes/{theme}", get(programmes::pages::theme))
        .route("/{council}/programmes/{slug}/outcomes/{outcome}", get(programmes::pages::outcome))
        .route("/{council}/programmes/{slug}/areas/{code}", get(programmes::pages::target_area))
        .route("/{council}/programmes/{slug}/report", get(programmes::report::report_page))
        .route("/{council}/programmes/{slug}/report.csv", get(programmes::report::report_csv_file))
        .route("/{council}/programmes/{slug}/report.pdf", get(programmes::report::report_pdf_file))
        .route("/{council}/values.csv", get(places::needs::values_csv))
        .route("/{council}/calendar", get(meetings::calendar::calendar))
        .route("/{council}/decisions", get(decisions::pages::decisions))
        .route("/{council}/decisions.atom", get(decisions::pages::atom))
        .route("/{council}/governance", get(governance::pages::governance))
        .route("/{council}/decisions/{slug}", get(decisions::pages::decision))
        .route("/{council}/bodies/{body}/disputes/new", get(decisions::manage::new_dispute).post(decisions::manage::add_dispute))
        .route("/{council}/bodies/{body}/disputes/{slug}", get(decisions::manage::dispute).post(decisions::manage::update_dispute))
        .route("/{council}/meetings.ics", get(meetings::calendar::council_ics))
        .route("/{council}/meetings/{slug}", get(meetings::pages::meeting))
        .route("/{council}/meetings/{slug}/papers/{paper}", get(meetings::pages::paper))
        .route("/{council}/papers.atom", get(meetings::pages::papers_atom))
        .route("/{council}/forward-plan", get(meetings::pages::forward_plan))
        .route("/{council}/people/{slug}", get(meetings::pages::person))
        .route("/{council}/people/{slug}/meetings.ics", get(meetings::pages::person_ics))
        .route("/{council}/bodies/{slug}/attendance", get(meetings::pages::body_attendance))
        .route("/{council}/bodies/{slug}/meetings.ics", get(meetings::calendar::body_ics))
        .layer(axum::middleware::from_fn_with_state(state, cache_pages))
        // Answers to a search depend on what was asked: never cached.
        .route("/{council}/find", get(places::find::find))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
        .route("/brand/{file}", get(brand))
}

/// Every public page, for search engines (sitemaps.org 0.9). Built from the
/// public register, so nothing exempt is listed.
async fn sitemap(State(state): State<AppState>) -> Response {
    let site = state.site();
    let base = origin(&state);
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
        if !ix.register.funds.is_empty() || !ix.register.contributions.is_empty() {
            paths.push(format!("/{c}/money"));
        }
        if !ix.register.programmes.is_empty() {
            paths.push(format!("/{c}/programmes"));
            paths.extend(ix.register.programmes.iter().map(|p| format!("/{c}/programmes/{}", p.slug)));
            paths.extend(ix.register.programmes.iter().map(|p| format!("/{c}/programmes/{}/report", p.slug)));
            for p in &ix.register.programmes {
                paths.extend(p.themes.iter().map(|t| format!("/{c}/programmes/{}/themes/{}", p.slug, t.slug)));
                paths.extend(p.outcomes.iter().map(|o| format!("/{c}/programmes/{}/outcomes/{}", p.slug, o.slug)));
                let targets = p.areas.iter().flat_map(|a| std::iter::once(a.clone()).chain(ix.area(a).map(|x| x.members.clone()).unwrap_or_default()));
                paths.extend(targets.map(|a| format!("/{c}/programmes/{}/areas/{a}", p.slug)));
            }
            paths.extend(ix.register.measures.iter().map(|m| format!("/{c}/programmes/{}/measures/{}", m.programme, m.slug)));
            paths.extend(ix.register.initiatives.iter().map(|i| format!("/{c}/programmes/{}/initiatives/{}", i.programme, i.slug)));
        }
        paths.extend(ix.register.strategies.iter().map(|s| format!("/{c}/strategies/{}", s.slug)));
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

/// A council's brand colour as a stylesheet (`/brand/1d4f91.css`), so pages
/// need no inline style and the Content-Security-Policy can forbid it.
async fn brand(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match file.strip_suffix(".css") {
        Some(hex) if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) => (
            [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
            format!(":root {{ --pw-brand: #{}; }}\n", hex.to_ascii_lowercase()),
        )
            .into_response(),
        _ => crate::shell::errors::fallback(axum::http::Uri::from_static("/brand")).await,
    }
}

/// Where the sitemap is; signed-in pages are not for robots.
async fn robots(State(state): State<AppState>) -> Response {
    let text = format!(
        "User-agent: *\nDisallow: /sign-in\nDisallow: /account\nDisallow: /*/audit\nDisallow: /*/bodies/*/manage\nDisallow: /*/meetings/*/manage\nSitemap: {}/sitemap.xml\n",
        origin(&state)
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

/// Serves a page (or a calendar feed) from the site's cache, or renders it
/// and keeps it when it rendered successfully. Only GET routes of this
/// router pass through here, never the API.
async fn cache_pages(State(state): State<AppState>, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    // Signed-in pages differ from person to person: never cached or served
    // from the cache. Only GET and HEAD read a page; any other method goes
    // on to the route, which answers 405.
    let reading = matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    if crate::shell::auth::viewer().is_some() || !reading {
        return next.run(req).await;
    }
    // Pages show the next year of meetings from today: a new day, a new page.
    let key = crate::shell::site::page_key(state.clock.today(), req.uri());
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
            site.pages_for(&path)
                .keep(key, crate::shell::site::Cached { content_type: content_type.expect("checked above"), disposition, body: bytes.clone() });
            Response::from_parts(parts, axum::body::Body::from(bytes))
        }
        Err(e) => AppError::Internal(format!("reading a rendered page: {e}")).into_response(),
    }
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
