//! The JSON API under `/api/v1/`: every capability's resources put together
//! in one OpenAPI 3.1 document, and the Popolo export of the whole register.

use crate::shell::api::ErrorBody;
use crate::shell::errors::{api_not_found, ApiError};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Placeworks API", description = "The partnership register: councils, bodies, seats, organisations and areas. Everything here is public.", license(name = "AGPL-3.0-or-later")),
    tags((name = "register", description = "The partnership register"), (name = "places", description = "Indicators and the needs assessment"), (name = "meetings", description = "Meetings, agendas, papers, attendance and decisions"), (name = "programmes", description = "Programmes, their initiatives, measures and actuals"), (name = "open data", description = "Standard formats"))
)]
struct ApiDoc;

/// The API routes with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(crate::register::api::list_councils))
        .routes(routes!(crate::register::api::list_bodies))
        .routes(routes!(crate::register::api::get_body))
        .routes(routes!(crate::register::api::list_organisations))
        .routes(routes!(crate::register::api::get_organisation))
        .routes(routes!(crate::places::api::list_areas))
        .routes(routes!(crate::places::api::get_area))
        .routes(routes!(popolo_all))
        .routes(routes!(popolo_council))
        .routes(routes!(giving_council))
        .routes(routes!(crate::places::api::list_indicators))
        .routes(routes!(crate::places::api::list_values))
        .routes(routes!(crate::places::api::get_needs))
        .routes(routes!(crate::meetings::api::list_meetings))
        .routes(routes!(crate::meetings::api::get_meeting))
        .routes(routes!(crate::meetings::api::list_decisions))
        .routes(routes!(crate::programmes::api::list_programmes))
        .routes(routes!(crate::programmes::api::get_programme))
        .routes(routes!(crate::programmes::api::list_initiatives))
        .routes(routes!(crate::programmes::api::list_measures))
        .routes(routes!(crate::programmes::api::list_actuals))
        .routes(routes!(crate::programmes::api::actuals_csv))
}

fn json_text(body: axum::body::Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The whole public register of every council as one Popolo document.
#[utoipa::path(get, path = "/api/v1/popolo", tag = "open data",
    responses((status = 200, description = "A Popolo document with organizations, persons, posts, memberships, areas, events (planned meetings) and motions (resolutions)", content_type = "application/json", body = Object)))]
async fn popolo_all(State(state): State<AppState>) -> Response {
    json_text(state.site().popolo(state.clock.today()))
}

/// One council's grants as a 360Giving data package (standard 1.4): allocations from its
/// funds to other organisations' initiatives, and approved bids, with the wards they benefit.
#[utoipa::path(get, path = "/api/v1/councils/{council}/360giving", tag = "open data", params(("council" = String, Path, description = "The council's slug")),
    responses((status = 200, description = "A 360Giving data package", content_type = "application/json", body = Object), (status = 404, body = ErrorBody)))]
async fn giving_council(State(state): State<AppState>, Path(c): Path<String>) -> Result<Response, ApiError> {
    let ix = crate::shell::api::council(&state, &c)?;
    let package = placeworks_domain::open_data::giving::package(&ix.register, state.clock.today()).ok_or_else(|| {
        api_not_found(format!(
            "{} has no grants to publish: no allocation to another organisation or approved bid with an award date",
            ix.register.council.name
        ))
    })?;
    Ok(axum::Json(package.json).into_response())
}

/// One council's public register as a Popolo document.
#[utoipa::path(get, path = "/api/v1/councils/{council}/popolo", tag = "open data", params(("council" = String, Path, description = "The council's slug")),
    responses((status = 200, description = "A Popolo document", content_type = "application/json", body = Object), (status = 404, body = ErrorBody)))]
async fn popolo_council(State(state): State<AppState>, Path(c): Path<String>) -> Result<Response, ApiError> {
    let site = state.site();
    let doc = site.council_popolo(&c, state.clock.today()).ok_or_else(|| api_not_found(format!("there is no council `{c}`")))?;
    Ok(json_text(doc))
}
