//! The register's API: councils, bodies with their seats and links, and
//! organisations.

use crate::shell::api::{council, ErrorBody};
use crate::shell::errors::{api_not_found, ApiError};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Json;
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A council held on this site.
#[derive(Serialize, ToSchema)]
pub struct CouncilSummary {
    pub slug: String,
    pub name: String,
    /// The GSS code of the area the council governs.
    pub area: Option<String>,
    pub bodies: usize,
    pub organisations: usize,
    pub areas: usize,
}

/// A body in a list.
#[derive(Serialize, ToSchema)]
pub struct BodySummary {
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    /// The kind of body, such as `board` or `thematic-partnership`.
    pub kind: String,
    pub statutory: bool,
    /// The body it reports to or is part of.
    pub parent: Option<String>,
    pub ended: Option<String>,
    /// How many seats the body has.
    pub seat_count: usize,
}

/// A seat at a body's table.
#[derive(Serialize, ToSchema)]
pub struct SeatView {
    pub slug: String,
    pub label: String,
    /// The words of the membership list the seat comes from.
    pub source_text: String,
    /// chair, vice-chair, member, adviser, observer or secretariat.
    pub role: String,
    /// The organisation (`organisation:slug`) or body (`body:slug`) the seat is held on behalf of.
    pub on_behalf_of: Option<String>,
    /// The post that holds the seat ex officio.
    pub post: Option<String>,
    pub groups: Vec<String>,
    /// People holding the seat today, where known.
    pub holders: Vec<String>,
    /// People who held the seat and no longer do, most recent first.
    pub former_holders: Vec<String>,
}

/// A relation from one body to another.
#[derive(Serialize, ToSchema)]
pub struct RelationView {
    /// reports-to, links-with, manages-agenda-of, holds-to-account or part-of.
    pub kind: String,
    pub from: String,
    pub to: String,
}

/// How often a body meets.
#[derive(Serialize, ToSchema)]
pub struct CadenceView {
    pub text: String,
    /// An RFC 5545 recurrence rule.
    pub rule: Option<String>,
}

/// A body with its seats and relations.
#[derive(Serialize, ToSchema)]
pub struct BodyDetail {
    #[serde(flatten)]
    pub summary: BodySummary,
    pub purpose: Option<String>,
    pub terms_of_reference: Vec<String>,
    pub operation: Vec<String>,
    pub cadence: Option<CadenceView>,
    pub chair: Option<String>,
    pub chair_text: Option<String>,
    pub decision_rules: Vec<String>,
    pub notice_days: Option<u32>,
    pub agenda_notice_days: Option<u32>,
    pub publication: Vec<String>,
    pub secretariat: Option<String>,
    pub established: Option<String>,
    pub review: Option<String>,
    pub areas: Vec<String>,
    pub seats: Vec<SeatView>,
    pub relations: Vec<RelationView>,
}

/// A partner organisation.
#[derive(Serialize, ToSchema)]
pub struct OrganisationView {
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub sector: String,
    pub parent: Option<String>,
    pub ended: Option<String>,
    /// Seats it holds: `body/seat`.
    pub seats: Vec<String>,
}

/// Filters for the body list.
#[derive(Deserialize, IntoParams)]
pub struct BodyQueryParams {
    /// Only bodies of this kind.
    pub kind: Option<String>,
    /// `current` (the default: bodies that have not ended), `former` or `all`.
    pub status: Option<String>,
}

pub(crate) fn party_ref(p: &Party) -> String {
    match p {
        Party::Organisation(s) => format!("organisation:{s}"),
        Party::Body(s) => format!("body:{s}"),
    }
}

pub(crate) fn summary(ix: &Index, b: &Body) -> BodySummary {
    BodySummary {
        slug: b.slug.to_string(),
        name: b.name.clone(),
        short_name: b.short_name.clone(),
        kind: b.kind.code().to_owned(),
        statutory: b.statutory,
        parent: ix.parent_of(b.slug.as_str()).map(|r| r.to.to_string()),
        ended: b.ended.as_ref().map(|d| d.to_string()),
        seat_count: ix.seats_of(b.slug.as_str()).count(),
    }
}

/// Every council held on this site.
#[utoipa::path(get, path = "/api/v1/councils", tag = "register", responses((status = 200, body = [CouncilSummary])))]
pub(crate) async fn list_councils(State(state): State<AppState>) -> Json<Vec<CouncilSummary>> {
    let site = state.site();
    Json(
        site.councils()
            .iter()
            .map(|ix| CouncilSummary {
                slug: ix.register.council.slug.to_string(),
                name: ix.register.council.name.clone(),
                area: ix.register.council.area.clone(),
                bodies: ix.register.bodies.len(),
                organisations: ix.register.organisations.len(),
                areas: ix.register.areas.len(),
            })
            .collect(),
    )
}

/// A council's bodies.
#[utoipa::path(get, path = "/api/v1/councils/{council}/bodies", tag = "register", params(("council" = String, Path, description = "The council's slug"), BodyQueryParams),
    responses((status = 200, body = [BodySummary]), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_bodies(
    State(state): State<AppState>,
    Path(c): Path<String>,
    Query(q): Query<BodyQueryParams>,
) -> Result<Json<Vec<BodySummary>>, ApiError> {
    let ix = council(&state, &c)?;
    let standing = Standing::from_query(q.status.as_deref());
    let today = state.clock.today();
    Ok(Json(
        ix.register
            .bodies
            .iter()
            .filter(|b| standing.admits(b, today) && q.kind.as_deref().is_none_or(|k| k.is_empty() || b.kind.code() == k))
            .map(|b| summary(&ix, b))
            .collect(),
    ))
}

/// One body with its seats and relations.
#[utoipa::path(get, path = "/api/v1/councils/{council}/bodies/{slug}", tag = "register",
    params(("council" = String, Path, description = "The council's slug"), ("slug" = String, Path, description = "The body's slug")),
    responses((status = 200, body = BodyDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_body(State(state): State<AppState>, Path((c, slug)): Path<(String, String)>) -> Result<Json<BodyDetail>, ApiError> {
    let ix = council(&state, &c)?;
    let b = ix.body(&slug).ok_or_else(|| api_not_found(format!("there is no body `{slug}` in `{c}`")))?;
    let today = state.clock.today();
    let seats = ix
        .seats_of(&slug)
        .map(|s| SeatView {
            slug: s.slug.to_string(),
            label: s.label.clone(),
            source_text: s.source_text.clone(),
            role: s.role.code().to_owned(),
            on_behalf_of: s.on_behalf_of.as_ref().map(party_ref),
            post: s.post.as_ref().map(|p| p.to_string()),
            groups: s.groups.iter().map(|g| g.to_string()).collect(),
            holders: ix
                .memberships_of(s.body.as_str(), s.slug.as_str())
                .filter(|m| m.is_current(today))
                .filter_map(|m| m.person.as_ref().map(|p| p.to_string()))
                .collect(),
            former_holders: {
                let mut former: Vec<_> = ix.memberships_of(s.body.as_str(), s.slug.as_str()).filter(|m| m.is_former(today)).collect();
                former.sort_by(|a, b| b.end.cmp(&a.end));
                former.into_iter().filter_map(|m| m.person.as_ref().map(|p| p.to_string())).collect()
            },
        })
        .collect();
    let relations = ix
        .relations_from(&slug)
        .chain(ix.relations_to(&slug))
        .map(|r| RelationView { kind: r.kind.code().to_owned(), from: r.from.to_string(), to: r.to.to_string() })
        .collect();
    Ok(Json(BodyDetail {
        summary: summary(&ix, b),
        purpose: b.purpose.clone(),
        terms_of_reference: b.terms_of_reference.clone(),
        operation: b.operation.clone(),
        cadence: b.cadence.as_ref().map(|c| CadenceView { text: c.text.clone(), rule: c.rule.clone() }),
        chair: b.chair.as_ref().map(|c| c.kind.code().to_owned()),
        chair_text: b.chair.as_ref().and_then(|c| c.text.clone()),
        decision_rules: b.decisions.text.clone(),
        notice_days: b.decisions.notice_days,
        agenda_notice_days: b.agenda_notice_days,
        publication: b.publication.clone(),
        secretariat: b.secretariat.as_ref().map(|s| s.to_string()),
        established: b.established.as_ref().map(|d| d.to_string()),
        review: b.review.clone(),
        areas: b.areas.clone(),
        seats,
        relations,
    }))
}

pub(crate) fn org_view(ix: &Index, o: &Organisation) -> OrganisationView {
    OrganisationView {
        slug: o.slug.to_string(),
        name: o.name.clone(),
        short_name: o.short_name.clone(),
        kind: o.kind.code().to_owned(),
        sector: o.sector.code().to_owned(),
        parent: o.parent.as_ref().map(|p| p.to_string()),
        ended: o.ended.as_ref().map(|d| d.to_string()),
        seats: ix.seats_held_by(&Party::Organisation(o.slug.clone())).map(|s| format!("{}/{}", s.body, s.slug)).collect(),
    }
}

/// A council's partner organisations, with the seats each holds.
#[utoipa::path(get, path = "/api/v1/councils/{council}/organisations", tag = "register", params(("council" = String, Path, description = "The council's slug")),
    responses((status = 200, body = [OrganisationView]), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_organisations(State(state): State<AppState>, Path(c): Path<String>) -> Result<Json<Vec<OrganisationView>>, ApiError> {
    let ix = council(&state, &c)?;
    Ok(Json(ix.register.organisations.iter().map(|o| org_view(&ix, o)).collect()))
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/councils/{council}/organisations/{slug}", tag = "register",
    params(("council" = String, Path, description = "The council's slug"), ("slug" = String, Path, description = "The organisation's slug")),
    responses((status = 200, body = OrganisationView), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_organisation(State(state): State<AppState>, Path((c, slug)): Path<(String, String)>) -> Result<Json<OrganisationView>, ApiError> {
    let ix = council(&state, &c)?;
    let o = ix.organisation(&slug).ok_or_else(|| api_not_found(format!("there is no organisation `{slug}` in `{c}`")))?;
    Ok(Json(org_view(&ix, o)))
}
