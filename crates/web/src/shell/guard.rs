//! What stands between the open internet and the portal: the headers every
//! answer carries (a Content-Security-Policy the script-free pages need no
//! exception to, no framing, no referrer to other sites, no sniffing, HSTS
//! when the site is HTTPS), `Cache-Control: private` and `Vary: Cookie` where
//! a page may be someone's own, a panic turned into a logged 500 page rather
//! than a dropped connection, and the server loop with its read timeouts, so
//! a slow client cannot hold a connection open.

use crate::shell::auth::{cookie, SESSION_COOKIE};
use crate::shell::templates;
use crate::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Response as HttpResponse, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::future::Future;
use std::time::Duration;

/// The pages need no script, no frame and nothing from another site.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers to every answer, whatever made it.
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // A request with a session cookie may be answered with someone's own
    // page: no shared cache may keep it.
    let personal = cookie(req.headers(), SESSION_COOKIE).is_some();
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    if let Some(page) = rejection_page(&res).filter(|_| !api) {
        res = page;
    }
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: header::HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "same-origin");
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    set(h, header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if state.base_url.starts_with("https://") {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    // Whether a page is public or someone's own depends on the cookie.
    let vary = match h.get(header::VARY).and_then(|v| v.to_str().ok()) {
        Some(v) if v.to_ascii_lowercase().contains("cookie") => None,
        Some(v) => Some(format!("{v}, Cookie")),
        None => Some("Cookie".to_owned()),
    };
    if let Some(v) = vary.and_then(|v| HeaderValue::from_str(&v).ok()) {
        h.insert(header::VARY, v);
    }
    if personal {
        let cache = match h.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()) {
            Some(v) if v.contains("private") => None,
            Some(v) => Some(format!("private, {}", v.replace("public, ", "").replace("public", "no-cache"))),
            None => Some("private, no-cache".to_owned()),
        };
        if let Some(v) = cache.and_then(|v| HeaderValue::from_str(&v).ok()) {
            h.insert(header::CACHE_CONTROL, v);
        }
    }
    res
}

/// A handler that panicked: logged with what it said, answered with the
/// plain 500 page, and the connection kept.
/// A request refused by a form extractor before any handler ran (too large,
/// or not a form at all) is answered in plain text by axum; a person gets a
/// page that says what happened and what to do instead.
fn rejection_page(res: &Response) -> Option<Response> {
    let plain = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/plain"));
    let status = res.status();
    if !plain || !status.is_client_error() {
        return None;
    }
    let (title, detail) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "What you sent is too large",
            "A form here takes at most 64 KB of text, and a paper at most the size its form says. Go back, shorten what you typed (or choose a smaller file) and try again.",
        ),
        StatusCode::BAD_REQUEST | StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY => {
            ("This form could not be read", "What was sent was not a form from this site. Go back, reload the page and try again.")
        }
        _ => return None,
    };
    let body = templates::render_error(status.as_u16(), title, detail).ok()?;
    let mut page = Response::new(axum::body::Body::from(body));
    *page.status_mut() = status;
    page.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    page.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Some(page)
}

pub fn panicked(err: Box<dyn std::any::Any + Send + 'static>) -> HttpResponse<axum::body::Body> {
    let detail = err.downcast_ref::<String>().map(String::as_str).or_else(|| err.downcast_ref::<&str>().copied()).unwrap_or("(no message)");
    tracing::error!(panic = %detail, "a handler panicked");
    let body = templates::render_error(500, "Sorry, there is a problem with the service", "Try again later.")
        .unwrap_or_else(|_| "Sorry, there is a problem with the service".into());
    let mut res = HttpResponse::new(axum::body::Body::from(body));
    *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// How long a client may take: to send a request's headers (from the moment
/// the connection is open or idle), and between two pieces of its body.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub headers: Duration,
    pub body: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { headers: Duration::from_secs(10), body: Duration::from_secs(30) }
    }
}

/// Serves `app` on `listener` until `shutdown` finishes, then lets the
/// requests under way end (for at most 10 seconds). Each connection must send
/// a request's headers within `timeouts.headers` and its body without a
/// pause longer than `timeouts.body`; otherwise it is closed.
pub async fn serve(listener: tokio::net::TcpListener, app: axum::Router, timeouts: Timeouts, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, most likely: wait rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small responses go out at once rather than waiting to be coalesced.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY");
        }
        let service = tower::ServiceBuilder::new().layer(tower_http::timeout::RequestBodyTimeoutLayer::new(timeouts.body)).service(app.clone()).map_request(
            move |mut req: axum::http::Request<_>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            },
        );
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(timeouts.headers)
            .serve_connection(TokioIo::new(tcp), hyper_util::service::TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "a connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still under way after 10 seconds were cut off");
    }
    Ok(())
}

/// What is worth compressing: text (pages, stylesheets, feeds, calendars,
/// CSV), JSON, XML and SVG of more than a few bytes, never a partial answer
/// to a range request, and never a paper or an image already compressed.
#[derive(Debug, Clone, Copy)]
pub struct Compressible;

impl tower_http::compression::Predicate for Compressible {
    fn should_compress<B: axum::body::HttpBody>(&self, res: &HttpResponse<B>) -> bool {
        if res.headers().contains_key(header::CONTENT_RANGE) || res.body().size_hint().exact().is_some_and(|n| n < 256) {
            return false;
        }
        let kind = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let essence = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        essence.starts_with("text/")
            || essence == "image/svg+xml"
            || essence.ends_with("+json")
            || essence.ends_with("+xml")
            || matches!(essence.as_str(), "application/json" | "application/xml" | "application/javascript")
    }
}

/// The compiled stylesheet in `assets`, with the address it is served at: a
/// name made from its content (`/assets/placeworks-` and the first ten hex
/// digits of its SHA-256), so a browser may keep it for a year and a new
/// stylesheet is a new address. None when there is no stylesheet.
pub fn hashed_stylesheet(assets: &std::path::Path) -> Option<(String, axum::body::Bytes)> {
    use sha2::{Digest, Sha256};
    let css = std::fs::read(assets.join("placeworks.css")).ok()?;
    let digest = Sha256::digest(&css);
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    Some((format!("/assets/placeworks-{hex}.css"), axum::body::Bytes::from(css)))
}

/// The stylesheet under its content's name: kept by browsers for a year.
pub async fn immutable_css(css: axum::body::Bytes) -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], css).into_response()
}
