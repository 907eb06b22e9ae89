//! Signing in and out. Sessions live in the database; the browser holds only
//! a random token in an HTTP-only, Secure, SameSite cookie, and the database
//! only its hash. Every form carries a CSRF token: the session's own once
//! signed in, a double-submit cookie before. Failed sign-ins are throttled per
//! account and per address.

use crate::shell::errors::AppError;
use crate::shell::templates;
use crate::AppState;
use axum::extract::{ConnectInfo, Form, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use placeworks_domain::accounts::{decoy_hash, new_token, token_hash, verify_password, Email};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "pw_session";
pub const CSRF_COOKIE: &str = "pw_csrf";
/// How long a session lasts: a working day and a half.
const SESSION_SECONDS: i64 = 36 * 3600;
/// The window in which failed sign-ins are counted.
const THROTTLE_WINDOW: i64 = 15 * 60;
/// Failed sign-ins allowed per account, and per address, in the window.
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
const MAX_FAILURES_PER_ADDRESS: i64 = 20;

use crate::shell::viewer::{confirmation_of, safe_next, sign_in_first, ASKED, CONFIRMATION, SAVED, SAVED_COOKIE};
pub use crate::shell::viewer::{viewer, Viewer, VIEWER};

/// Runs a password hash or check on the blocking pool, a bounded number at
/// a time, so that a flood of sign-ins waits its turn there while pages go on
/// being served by the async workers.
pub(crate) async fn hash_off_the_workers<T: Send + 'static>(state: &AppState, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _permit = state.hashing.acquire().await.map_err(|e| AppError::Internal(format!("the hashing pool is closed: {e}")))?;
    tokio::task::spawn_blocking(work).await.map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
}

/// A cookie's value from the request's Cookie headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

pub(crate) fn set_cookie(name: &str, value: &str, max_age: i64) -> String {
    format!("{name}={value}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age}")
}

/// Finds the session behind the request's cookie and makes its viewer known
/// to the handler and templates.
pub async fn identify(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let viewer = match cookie(req.headers(), SESSION_COOKIE) {
        Some(token) => {
            let hash = token_hash(&token);
            match state.store.session(&hash, state.clock.unix()).await {
                Ok(Some(s)) => Some(Viewer {
                    account_id: s.account.id.clone(),
                    name: s.account.name.clone(),
                    email: s.account.email.clone(),
                    csrf_token: s.csrf_token,
                    roles: s
                        .account
                        .grants
                        .iter()
                        .map(|(c, g)| format!("{} ({})", placeworks_domain::accounts::grant_text(g), if c == "*" { "every council" } else { c }))
                        .collect(),
                    token_hash: hash,
                    admin: s.account.grants.iter().any(|(_, g)| *g == placeworks_domain::permissions::Grant::Administrator),
                    grants: s.account.grants.clone(),
                }),
                Ok(None) => None,
                Err(e) => {
                    return crate::shell::errors::unavailable(&e, "Your request has not been saved: the service could not read its database").into_response()
                }
            }
        }
        None => None,
    };
    // An anonymous read takes its turn among a few at a time; everything
    // else (signed in, or a write) goes straight on.
    let _turn = if viewer.is_none() && req.method() == axum::http::Method::GET { state.reading.clone().acquire_owned().await.ok() } else { None };
    // A confirmation carried from the save before this page is shown on it,
    // then forgotten; a save answered by sending the officer on carries one.
    let shown = cookie(req.headers(), SAVED_COOKIE).and_then(|a| confirmation_of(&a)).map(|(action, _)| action);
    let signed_in = viewer.is_some();
    let (mut res, saved) = SAVED
        .scope(std::cell::Cell::new(None), async {
            let asked = (req.method() == axum::http::Method::GET).then(|| req.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned());
            let res = ASKED.scope(asked, CONFIRMATION.scope(shown.filter(|_| signed_in), VIEWER.scope(viewer, next.run(req)))).await;
            (res, SAVED.with(std::cell::Cell::get))
        })
        .await;
    let status = res.status();
    let headers = res.headers_mut();
    match saved {
        Some(action) if status == StatusCode::SEE_OTHER => {
            if let Ok(v) = HeaderValue::from_str(&set_cookie(SAVED_COOKIE, action, 60)) {
                headers.append(header::SET_COOKIE, v);
            }
        }
        _ if shown.is_some() && status.is_success() => {
            if let Ok(v) = HeaderValue::from_str(&set_cookie(SAVED_COOKIE, "", 0)) {
                headers.append(header::SET_COOKIE, v);
            }
        }
        _ => {}
    }
    res
}

/// The address a request came from, where the server knows it.
pub struct PeerAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PeerAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// The address a request came from: the peer, or, when the peer is a proxy
/// the site trusts, the last address in `X-Forwarded-For` that is not one of
/// its trusted proxies.
pub fn client_address(trusted: &[std::net::IpAddr], peer: Option<std::net::IpAddr>, headers: &axum::http::HeaderMap) -> Option<std::net::IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<std::net::IpAddr> =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).filter_map(|a| a.trim().parse().ok()).collect();
    Some(forwarded.into_iter().rev().find(|a| !trusted.contains(a)).unwrap_or(peer))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    /// The page to return to once signed in.
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

fn sign_in_page((email, next): (&str, &str), errors: &[(&str, String)], csrf: &str, status: StatusCode) -> Result<Response, AppError> {
    sign_in_page_with((email, next), errors, csrf, status, false)
}

fn sign_in_page_with((email, next): (&str, &str), errors: &[(&str, String)], csrf: &str, status: StatusCode, reset_done: bool) -> Result<Response, AppError> {
    let errors: Vec<_> = errors.iter().map(|(field, text)| json!({ "field": field, "message": text })).collect();
    let ctx = json!({ "page_title": if errors.is_empty() { "Sign in" } else { "Error: Sign in" }, "email": email, "next": next, "errors": errors, "csrf": csrf, "reset_done": reset_done });
    let html = templates::render("sign-in.html", minijinja::Value::from_serialize(ctx))?;
    let mut res = (status, Html(html)).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, csrf, 3600).parse().expect("cookie header"));
    res.headers_mut().insert(header::CACHE_CONTROL, "no-store".parse().expect("header"));
    Ok(res)
}

/// The sign-in form.
pub async fn sign_in_form(axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>) -> Result<Response, AppError> {
    let next = q.get("next").and_then(|n| safe_next(n)).unwrap_or_default();
    if viewer().is_some() {
        return Ok(Redirect::to(if next.is_empty() { "/account" } else { &next }).into_response());
    }
    sign_in_page_with(("", &next), &[], &new_token(), StatusCode::OK, q.get("reset").is_some_and(|v| v == "done"))
}

/// Checks the form's CSRF token against the double-submit cookie.
pub(crate) fn csrf_matches(headers: &HeaderMap, submitted: &str, expected: Option<&str>) -> bool {
    let expected = expected.map(str::to_owned).or_else(|| cookie(headers, CSRF_COOKIE));
    matches!(expected, Some(e) if !e.is_empty() && constant_time_eq(e.as_bytes(), submitted.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn forbidden(message: &str) -> Result<Response, AppError> {
    let html = templates::render_error(403, "This form could not be accepted", message)?;
    Ok((StatusCode::FORBIDDEN, Html(html)).into_response())
}

/// Signs in: throttled, with the same answer for a wrong email as a wrong password.
/// Each attempt takes its place in the account's count and the address's
/// before the password is checked, in one statement each, so however many
/// guesses arrive at once, at most the limit are checked; a success gives its
/// places back. The address is the client's as a trusted proxy names it.
/// An account over its limit is opened again by a password reset link.
pub async fn sign_in(State(state): State<AppState>, PeerAddr(peer): PeerAddr, headers: HeaderMap, Form(form): Form<SignInForm>) -> Result<Response, AppError> {
    if !csrf_matches(&headers, &form.csrf, None) {
        return forbidden("The form had expired or did not come from this site. Go back, reload the page and try again.");
    }
    let fresh_csrf = new_token();
    let next = safe_next(&form.next).unwrap_or_default();
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(msg) => return sign_in_page((&form.email, &next), &[("email", msg)], &fresh_csrf, StatusCode::UNPROCESSABLE_ENTITY),
    };
    if form.password.is_empty() {
        return sign_in_page((email.as_str(), &next), &[("password", "Enter your password".into())], &fresh_csrf, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let store = &state.store;
    let t = state.clock.unix();
    let account_subject = format!("account:{email}");
    let client = client_address(&state.trusted_proxies, peer, &headers);
    let address_subject = format!("address:{}", client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string()));
    let internal = |e: placeworks_store::StoreError| AppError::from_store("sign-in", e);
    let over_account = store.take_sign_in_attempt(&account_subject, t, t - THROTTLE_WINDOW).await.map_err(internal)? > MAX_FAILURES_PER_ACCOUNT;
    let over_address = store.take_sign_in_attempt(&address_subject, t, t - THROTTLE_WINDOW).await.map_err(internal)? > MAX_FAILURES_PER_ADDRESS;
    if over_account || over_address {
        store.record_sign_in_attempt(&account_subject, t, false).await.map_err(internal)?;
        tracing::warn!(subject = %account_subject, address = %address_subject, "sign-in throttled");
        return sign_in_page(
            (email.as_str(), &next),
            &[(
                "email",
                "There have been too many attempts to sign in to this account. Ask your council's administrator for a password reset link, which lets you in at once, or wait 15 minutes and try again.".into(),
            )],
            &fresh_csrf,
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let account = store.account_by_email(email.as_str()).await.map_err(internal)?;
    // An unknown email is checked against a decoy hash, spending the same
    // time as a real check, so timing does not tell which emails exist.
    let (hash, usable) = match &account {
        Some(a) => (Some(a.password_hash.clone()), !a.disabled),
        None => (None, false),
    };
    let password = form.password.clone();
    let ok = hash_off_the_workers(&state, move || match &hash {
        Some(h) => verify_password(&password, h),
        None => verify_password(&password, decoy_hash()),
    })
    .await?
        && usable;
    state.password_checks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    store.record_sign_in_attempt(&account_subject, t, ok).await.map_err(internal)?;
    store.record_sign_in_attempt(&address_subject, t, ok).await.map_err(internal)?;
    if ok {
        store.give_back_sign_in_attempt(&account_subject).await.map_err(internal)?;
        store.give_back_sign_in_attempt(&address_subject).await.map_err(internal)?;
    }
    let Some(account) = account.filter(|_| ok) else {
        return sign_in_page(
            (email.as_str(), &next),
            &[("email", "The email address or password is not right".into())],
            &fresh_csrf,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let token = new_token();
    store.create_session(&token_hash(&token), &account.id, &new_token(), t, t + SESSION_SECONDS).await.map_err(internal)?;
    tracing::info!(account.id = %account.id, "signed in");
    let mut res = Redirect::to(if next.is_empty() { "/account" } else { &next }).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, SESSION_SECONDS).parse().expect("cookie header"));
    res.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, "", 0).parse().expect("cookie header"));
    Ok(res)
}

/// The signed-in person's own page: who they are, their roles, signing out.
pub async fn account(State(state): State<AppState>) -> Result<Response, AppError> {
    let Some(v) = viewer() else { return Ok(sign_in_first().into_response()) };
    let site = state.site();
    let held = site.councils();
    let councils: Vec<_> = held.iter().map(|c| json!({ "slug": c.register.council.slug, "name": c.register.council.name })).collect();
    // The bodies the viewer works on, each with what their role lets them do there.
    let bodies: Vec<_> = v
        .grants
        .iter()
        .filter_map(|(council, g)| {
            use placeworks_domain::permissions::Grant;
            let (slug, secretariat) = match g {
                Grant::Secretariat(b) => (b, true),
                Grant::Member(b) => (b, false),
                _ => return None,
            };
            let ix = held.iter().find(|c| c.register.council.slug.as_str() == council)?;
            let b = ix.register.bodies.iter().find(|b| &b.slug == slug)?;
            let base = format!("/{council}/bodies/{slug}");
            let can: Vec<serde_json::Value> = if secretariat {
                vec![
                    json!({ "label": "Manage its seats, members and links", "href": format!("{base}/manage") }),
                    json!({ "label": "Plan and run its meetings", "href": format!("{base}/meetings") }),
                    json!({ "label": "See its history", "href": format!("{base}/history") }),
                ]
            } else {
                vec![json!({ "label": "Read its confidential business", "href": base.clone() })]
            };
            Some(json!({ "name": b.name, "href": base, "role": if secretariat { "Secretariat" } else { "Member" }, "council": ix.register.council.name, "can": can }))
        })
        .collect();
    let html = templates::render(
        "account.html",
        minijinja::Value::from_serialize(
            json!({ "page_title": "Your account", "viewer": v, "councils": councils, "bodies": bodies, "many": councils.len() > 1 }),
        ),
    )?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

async fn end(state: &AppState, form: &CsrfForm, everywhere: bool) -> Result<Response, AppError> {
    let Some(v) = viewer() else { return Ok(sign_in_first().into_response()) };
    if !csrf_matches(&HeaderMap::new(), &form.csrf, Some(&v.csrf_token)) {
        return forbidden("The form had expired or did not come from this site. Go back, reload the page and try again.");
    }
    let result = if everywhere { state.store.end_all_sessions(&v.account_id).await.map(|_| ()) } else { state.store.end_session(&v.token_hash).await };
    result.map_err(|e| AppError::from_store("sign-out", e))?;
    tracing::info!(account.id = %v.account_id, everywhere, "signed out");
    let mut res = Redirect::to("/").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0).parse().expect("cookie header"));
    Ok(res)
}

/// Signs out of this browser.
pub async fn sign_out(State(state): State<AppState>, Form(form): Form<CsrfForm>) -> Result<Response, AppError> {
    end(&state, &form, false).await
}

/// Signs out of every browser.
pub async fn sign_out_everywhere(State(state): State<AppState>, Form(form): Form<CsrfForm>) -> Result<Response, AppError> {
    end(&state, &form, true).await
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use axum::http::HeaderMap;

    #[test]
    fn the_client_is_the_peer_unless_a_trusted_proxy_names_another() {
        let proxy = "10.0.0.5".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.9, 198.51.100.7".parse().unwrap());
        // Anyone can send the header: from an untrusted peer it is ignored.
        assert_eq!(client_address(&[], Some(proxy), &h), Some(proxy));
        // From a trusted proxy, the last address it was given that is not itself a trusted proxy.
        assert_eq!(client_address(&[proxy], Some(proxy), &h), Some("198.51.100.7".parse().unwrap()));
        let inner = "198.51.100.7".parse().unwrap();
        assert_eq!(client_address(&[proxy, inner], Some(proxy), &h), Some("203.0.113.9".parse().unwrap()));
        assert_eq!(client_address(&[proxy], Some(proxy), &HeaderMap::new()), Some(proxy));
        assert_eq!(client_address(&[proxy], None, &h), None);
    }
}
