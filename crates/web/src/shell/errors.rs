//! What users see when something goes wrong.
//!
//! Policy: a page that does not exist is a helpful 404 page (or, under
//! `/api/`, a JSON error with a message); anything else is logged with its
//! context and shown as a plain 500 without internals.

use crate::shell::templates;
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Json, Response};
use serde_json::json;

/// An error a handler returns.
#[derive(Debug)]
pub enum AppError {
    /// Nothing at this address: what was looked for.
    NotFound(String),
    /// There, but not for this viewer: a title that gives nothing away.
    Forbidden(String),
    /// Something broke inside; logged, not shown.
    Internal(String),
    /// The request asked for something that cannot be: what, and how to ask instead.
    BadRequest(String),
    /// This server cannot do it now, through no fault of the request: why, and what to do.
    Unavailable(String),
}

impl AppError {
    /// A failure of the store while doing `what`: when the database cannot be
    /// used just now (full, read-only, too busy to answer in time), a 503
    /// saying why, to try again later; anything else a logged 500.
    pub fn from_store(what: &str, e: placeworks_store::StoreError) -> AppError {
        match e.unavailable() {
            Some(why) => AppError::Unavailable(format!(
                "This is because {why}. Nothing was changed. Try again in a few minutes; if it keeps happening, tell your council's administrator."
            )),
            None => AppError::Internal(format!("{what}: {e}")),
        }
    }
}

/// Shorthand for a missing thing.
pub fn not_found(what: impl Into<String>) -> AppError {
    AppError::NotFound(what.into())
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> Self {
        AppError::Internal(format!("template: {e:#}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound(what) => {
                let body = crate::shell::templates::render_error(404, "Page not found", &what).unwrap_or_else(|_| what.clone());
                (StatusCode::NOT_FOUND, Html(body)).into_response()
            }
            AppError::Forbidden(title) => {
                let body = crate::shell::templates::render_error(
                    403,
                    &title,
                    "Your account does not have a role that allows you to see this. If you think it should, ask the body's secretariat.",
                )
                .unwrap_or_else(|_| title.clone());
                (StatusCode::FORBIDDEN, Html(body)).into_response()
            }
            AppError::BadRequest(what) => {
                let body = crate::shell::templates::render_error(400, "That cannot be shown", &what).unwrap_or_else(|_| what.clone());
                (StatusCode::BAD_REQUEST, Html(body)).into_response()
            }
            AppError::Unavailable(what) => {
                tracing::warn!(reason = %what, "unavailable");
                let body = crate::shell::templates::render_error(503, "Sorry, this is not available now", &what).unwrap_or_else(|_| what.clone());
                (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "60")], Html(body)).into_response()
            }
            AppError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                let body = crate::shell::templates::render_error(500, "Sorry, there is a problem with the service", "Try again later.")
                    .unwrap_or_else(|_| "Sorry, there is a problem with the service".into());
                (StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response()
            }
        }
    }
}

/// An API error: JSON with a message.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

/// Shorthand for a missing API resource.
pub fn api_not_found(message: impl Into<String>) -> ApiError {
    ApiError { status: StatusCode::NOT_FOUND, message: message.into() }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": { "status": self.status.as_u16(), "message": self.message } }))).into_response()
    }
}

/// Anything no route matched.
pub async fn fallback(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return api_not_found(format!("there is no API resource at {}; the API is described at /api/openapi.json", uri.path())).into_response();
    }
    not_found(format!("There is nothing at {}. If you typed the web address, check it is correct.", uri.path())).into_response()
}

pub(crate) fn forbidden() -> Response {
    let html = templates::render_error(
        403,
        "You do not have access to this page",
        "Your account does not have a role that allows this. Ask your council's administrator if you need one.",
    )
    .unwrap_or_default();
    (StatusCode::FORBIDDEN, Html(html)).into_response()
}

/// A 503 page headed `title` when the database cannot be used just now
/// (full, read-only, too busy), saying why; any other failure is a logged 500.
pub(crate) fn unavailable(e: &placeworks_store::StoreError, title: &str) -> Response {
    match e.unavailable() {
        Some(why) => {
            tracing::error!(error = %e, "the database refused");
            let html = templates::render_error(
                503,
                title,
                &format!("This is because {why}. Nothing was changed. Go back and try again in a few minutes; if it keeps happening, tell your council's administrator."),
            )
            .unwrap_or_default();
            (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "60")], Html(html)).into_response()
        }
        None => AppError::Internal(format!("using the database: {e}")).into_response(),
    }
}
