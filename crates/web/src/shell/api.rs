//! What every capability's API resources share: the error body, and the
//! council a request names.

use crate::shell::errors::{api_not_found, ApiError};
use crate::AppState;
use placeworks_domain::register::Index;
use serde::Serialize;
use std::sync::Arc;
use utoipa::ToSchema;

/// An error: what went wrong, in words.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The detail of an error.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    pub status: u16,
    pub message: String,
}

pub(crate) fn council(state: &AppState, slug: &str) -> Result<Arc<Index>, ApiError> {
    state.site().council(slug).cloned().ok_or_else(|| api_not_found(format!("there is no council `{slug}`; GET /api/v1/councils lists them")))
}
