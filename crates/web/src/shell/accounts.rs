//! Resetting a forgotten password, and the administrators' list of accounts.
//!
//! Placeworks sends no email of its own: an administrator makes a one-time
//! reset link (here, or with `placeworks user reset-link`) and passes it on.
//! The link works once, for a day, and only the latest one works; using it
//! sets the new password and signs the account out everywhere.

use crate::shell::auth::{csrf_matches, hash_off_the_workers, set_cookie, viewer, CSRF_COOKIE};
use crate::shell::errors::AppError;
use crate::shell::templates;
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use placeworks_domain::accounts::{new_token, token_hash, NewPassword};
use placeworks_domain::permissions::{can, Action, Actor, Resource};
use placeworks_store::Store;
use serde::Deserialize;
use serde_json::json;

/// How long a reset link works: a day, time enough to pass it on.
pub const RESET_SECONDS: i64 = 24 * 3600;

/// Makes a reset link's token for an account; returns the token, which is
/// stored only as its hash, and when it stops working.
pub async fn make_reset_token(store: &Store, account_id: &str) -> Result<(String, i64), placeworks_store::StoreError> {
    let token = new_token();
    let t = store.clock().unix();
    store.create_password_reset(&token_hash(&token), account_id, t, t + RESET_SECONDS).await?;
    Ok((token, t + RESET_SECONDS))
}

fn internal(what: &str) -> impl Fn(placeworks_store::StoreError) -> AppError + '_ {
    move |e| AppError::Internal(format!("{what}: {e}"))
}

fn no_referrer(mut res: Response) -> Response {
    // The page's address holds the token: never send it on to another site.
    res.headers_mut().insert(header::REFERRER_POLICY, "no-referrer".parse().expect("header"));
    res.headers_mut().insert(header::CACHE_CONTROL, "no-store".parse().expect("header"));
    res
}

fn gone() -> Result<Response, AppError> {
    let html = templates::render_error(
        404,
        "This link has expired or has already been used",
        "A password reset link works once, for a day, and only the newest one for an account works. Ask your council's administrator for a new link.",
    )?;
    Ok(no_referrer((StatusCode::NOT_FOUND, Html(html)).into_response()))
}

fn reset_page(email: &str, csrf: &str, errors: &[(&str, String)], status: StatusCode) -> Result<Response, AppError> {
    let errors: Vec<_> = errors.iter().map(|(field, message)| json!({ "field": field, "message": message })).collect();
    let title = if errors.is_empty() { "Choose a new password" } else { "Error: Choose a new password" };
    let html = templates::render(
        "reset-password.html",
        minijinja::Value::from_serialize(json!({ "page_title": title, "email": email, "errors": errors, "csrf": csrf })),
    )?;
    let mut res = (status, Html(html)).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, csrf, 3600).parse().expect("cookie header"));
    Ok(no_referrer(res))
}

/// The "choose a new password" form behind a reset link.
pub async fn reset_form(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, AppError> {
    match state.store.password_reset_account(&token_hash(&token), state.clock.unix()).await.map_err(internal("reading a reset link"))? {
        Some(account) => reset_page(&account.email, &new_token(), &[], StatusCode::OK),
        None => gone(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    password: String,
    confirm: String,
    csrf: String,
}

/// Sets the new password, spends the link and signs the account out everywhere.
pub async fn reset(
    State(state): State<AppState>,
    Path(token): Path<String>,
    crate::shell::auth::PeerAddr(peer): crate::shell::auth::PeerAddr,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    if !csrf_matches(&headers, &form.csrf, None) {
        let html = templates::render_error(
            403,
            "This form could not be accepted",
            "The form had expired or did not come from this site. Go back, reload the page and try again.",
        )?;
        return Ok(no_referrer((StatusCode::FORBIDDEN, Html(html)).into_response()));
    }
    let hash = token_hash(&token);
    let Some(account) = state.store.password_reset_account(&hash, state.clock.unix()).await.map_err(internal("reading a reset link"))? else {
        return gone();
    };
    let mut errors = Vec::new();
    let password = NewPassword::parse(&form.password).map_err(|e| errors.push(("password", e))).ok();
    if password.is_some() && form.confirm != form.password {
        errors.push(("confirm", "The passwords do not match: type the same new password twice".to_owned()));
    }
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return reset_page(&account.email, &new_token(), &errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let hashed = hash_off_the_workers(&state, move || password.hash()).await?;
    match state.store.reset_password(&hash, &hashed, state.clock.unix()).await.map_err(internal("resetting a password"))? {
        Some(id) => {
            tracing::info!(account.id = %id, "password reset; every session ended");
            // The holder proved who they are: the limits on guesses at their
            // password, and from where they are, start again.
            let client = crate::shell::auth::client_address(&state.trusted_proxies, peer, &headers).map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
            for subject in [format!("account:{}", account.email), format!("address:{client}")] {
                state.store.clear_sign_in_attempts(&subject).await.map_err(internal("clearing the sign-in limit"))?;
            }
            let mut res = Redirect::to("/sign-in?reset=done").into_response();
            res.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, "", 0).parse().expect("cookie header"));
            Ok(no_referrer(res))
        }
        None => gone(),
    }
}

/// What to do when a password is forgotten.
pub async fn forgot() -> Result<Response, AppError> {
    let html = templates::render("forgot-password.html", minijinja::Value::from_serialize(json!({ "page_title": "Forgotten your password?" })))?;
    Ok(Html(html).into_response())
}

fn for_administrators() -> Result<crate::shell::auth::Viewer, Response> {
    let Some(v) = viewer() else { return Err(crate::shell::viewer::sign_in_first().into_response()) };
    let actor = Actor::with(v.grants.iter().map(|(_, g)| g.clone()));
    if can(&actor, Action::Edit, &Resource::Account) {
        Ok(v)
    } else {
        let html = templates::render_error(403, "You do not have access to this page", "Only administrators manage accounts.").unwrap_or_default();
        Err((StatusCode::FORBIDDEN, Html(html)).into_response())
    }
}

/// Every account, for administrators.
pub async fn list(State(state): State<AppState>) -> Result<Response, AppError> {
    let v = match for_administrators() {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    let accounts: Vec<_> = state
        .store
        .accounts()
        .await
        .map_err(internal("listing accounts"))?
        .into_iter()
        .map(|a| {
            let roles: Vec<String> = a
                .grants
                .iter()
                .map(|(c, g)| format!("{} ({})", placeworks_domain::accounts::grant_text(g), if c == "*" { "every council" } else { c }))
                .collect();
            json!({ "id": a.id, "email": a.email, "name": a.name, "roles": roles, "disabled": a.disabled })
        })
        .collect();
    let html =
        templates::render("accounts.html", minijinja::Value::from_serialize(json!({ "page_title": "Accounts", "accounts": accounts, "csrf": v.csrf_token })))?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

/// Makes a reset link for an account and shows it, once, to the administrator.
pub async fn create_reset_link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    let v = match for_administrators() {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    if !csrf_matches(&headers, &form.csrf, Some(&v.csrf_token)) {
        let html = templates::render_error(
            403,
            "This form could not be accepted",
            "The form had expired or did not come from this site. Go back, reload the page and try again.",
        )?;
        return Ok((StatusCode::FORBIDDEN, Html(html)).into_response());
    }
    let Some(account) = state.store.account(&id).await.map_err(internal("reading an account"))? else {
        return Err(crate::shell::errors::not_found("There is no such account."));
    };
    let (token, expires) = make_reset_token(&state.store, &account.id).await.map_err(internal("making a reset link"))?;
    tracing::info!(account.id = %account.id, by = %v.account_id, "password reset link made");
    let link = format!("{}/reset-password/{token}", crate::shell::render::origin(&state));
    let html = templates::render(
        "reset-link.html",
        minijinja::Value::from_serialize(
            json!({ "page_title": "Password reset link", "account": { "email": account.email, "name": account.name }, "link": link, "expires": crate::shell::write::format_time(expires) }),
        ),
    )?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}
