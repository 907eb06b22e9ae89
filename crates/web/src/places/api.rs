//! The API for indicators and the needs assessment.

use crate::shell::api::{council, ErrorBody};
use crate::shell::errors::{api_not_found, ApiError};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Json;
use placeworks_domain::places::needs::{decile, Domain, Summary};
use placeworks_domain::records::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What an indicator measures.
#[derive(Serialize, ToSchema)]
pub struct IndicatorView {
    pub slug: String,
    pub name: String,
    pub unit: String,
    /// `higher-is-worse`, `higher-is-better` or `neutral`.
    pub polarity: String,
    pub theme: Option<String>,
    pub source: String,
    pub licence: String,
    pub frequency: Option<String>,
    /// The kind of area its values are for, such as `lsoa`.
    pub geography: String,
    pub note: Option<String>,
}

/// One value of an indicator.
#[derive(Serialize, ToSchema)]
pub struct ValueView {
    pub indicator: String,
    pub area: String,
    pub period: String,
    /// Null when missing; `missing` then says why.
    pub value: Option<f64>,
    /// `suppressed`, `not-available`, `not-applicable` or `empty`.
    pub missing: Option<String>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// Filters for values.
#[derive(Deserialize, IntoParams)]
pub struct ValueQueryParams {
    /// Only values for this area (a GSS or local code).
    pub area: Option<String>,
    /// Only values of this indicator.
    pub indicator: Option<String>,
}

/// The points each domain adds to a score.
#[derive(Serialize, ToSchema)]
pub struct DomainPoints {
    pub income: f64,
    pub employment: f64,
    pub education: f64,
    pub health: f64,
    pub crime: f64,
    pub barriers: f64,
    pub living_environment: f64,
}

impl From<&[f64; 7]> for DomainPoints {
    fn from(c: &[f64; 7]) -> Self {
        DomainPoints { income: c[0], employment: c[1], education: c[2], health: c[3], crime: c[4], barriers: c[5], living_environment: c[6] }
    }
}

/// A larger area's summary of its LSOAs.
#[derive(Serialize, ToSchema)]
pub struct AreaNeeds {
    pub area_code: String,
    pub area_name: String,
    /// Population-weighted average of its LSOAs' scores.
    pub score: f64,
    /// 1 = the most deprived among the areas listed.
    pub rank: u32,
    pub decile: u32,
    pub average_rank: f64,
    pub extent: f64,
    pub local_concentration: f64,
    pub share_most_deprived_10: f64,
    pub share_most_deprived_20: f64,
    pub lsoas: usize,
    pub population: f64,
    pub points: DomainPoints,
}

/// One LSOA's score.
#[derive(Serialize, ToSchema)]
pub struct LsoaNeeds {
    pub area_code: String,
    pub area_name: String,
    pub score: f64,
    /// The published national IMD rank (1 = most deprived of 32,844).
    pub rank: u32,
    pub decile: u32,
    pub points: DomainPoints,
}

/// An area in most need, and the domains that drive it.
#[derive(Serialize, ToSchema)]
pub struct SelectedNeeds {
    pub area_code: String,
    pub area_name: String,
    pub score: f64,
    pub rank: u32,
    /// The main drivers in words, against the council and England.
    pub reason: String,
}

/// A council's needs assessment by the published method and weights.
#[derive(Serialize, ToSchema)]
pub struct NeedsView {
    pub method: String,
    /// The weights, in per cent, by domain.
    pub weights: DomainPoints,
    /// Said of every ward figure: the LSOA-to-ward lookup is a best fit.
    pub caveat: String,
    pub council: AreaNeeds,
    pub england_score: Option<f64>,
    pub england_points: Option<DomainPoints>,
    /// Every ward, most deprived first.
    pub wards: Vec<AreaNeeds>,
    /// The ten wards in most need.
    pub most_deprived_wards: Vec<SelectedNeeds>,
    pub lsoas: Vec<LsoaNeeds>,
}

fn area_needs(ix: &placeworks_domain::register::Index, s: &Summary, count: u32) -> AreaNeeds {
    AreaNeeds {
        area_code: s.code.clone(),
        area_name: ix.area(&s.code).map_or(s.name.clone(), |a| a.name.clone()),
        score: s.average_score,
        rank: s.rank,
        decile: decile(s.rank, count.max(1)),
        average_rank: s.average_rank,
        extent: s.extent,
        local_concentration: s.local_concentration,
        share_most_deprived_10: s.share_most_deprived_10,
        share_most_deprived_20: s.share_most_deprived_20,
        lsoas: s.lsoas,
        population: s.population,
        points: (&s.contributions).into(),
    }
}

/// A council's indicators.
#[utoipa::path(get, path = "/api/v1/councils/{council}/indicators", tag = "places", params(("council" = String, Path, description = "The council's slug")),
    responses((status = 200, body = [IndicatorView]), (status = 404, body = ErrorBody)))]
pub async fn list_indicators(State(state): State<AppState>, Path(c): Path<String>) -> Result<Json<Vec<IndicatorView>>, ApiError> {
    let ix = council(&state, &c)?;
    Ok(Json(
        ix.register
            .indicators
            .iter()
            .map(|i| IndicatorView {
                slug: i.slug.to_string(),
                name: i.name.clone(),
                unit: i.unit.clone(),
                polarity: i.polarity.code().to_owned(),
                theme: i.theme.clone(),
                source: i.source.clone(),
                licence: i.licence.clone(),
                frequency: i.frequency.clone(),
                geography: i.geography.code().to_owned(),
                note: i.note.clone(),
            })
            .collect(),
    ))
}

/// A council's indicator values, for an area or an indicator.
#[utoipa::path(get, path = "/api/v1/councils/{council}/values", tag = "places", params(("council" = String, Path, description = "The council's slug"), ValueQueryParams),
    responses((status = 200, body = [ValueView]), (status = 404, body = ErrorBody)))]
pub async fn list_values(State(state): State<AppState>, Path(c): Path<String>, Query(q): Query<ValueQueryParams>) -> Result<Json<Vec<ValueView>>, ApiError> {
    let ix = council(&state, &c)?;
    let keep = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w.is_empty() || w == have);
    Ok(Json(
        ix.register
            .values
            .iter()
            .filter(|v| keep(&q.area, &v.area) && keep(&q.indicator, v.indicator.as_str()))
            .map(|v| ValueView {
                indicator: v.indicator.to_string(),
                area: v.area.clone(),
                period: v.period.clone(),
                value: v.value,
                missing: v.missing.map(|m| m.code().to_owned()),
                numerator: v.numerator,
                denominator: v.denominator,
            })
            .collect(),
    ))
}

/// A council's needs assessment: its wards and LSOAs scored and ranked by
/// the published method of the English Indices of Deprivation 2019.
#[utoipa::path(get, path = "/api/v1/councils/{council}/needs", tag = "places", params(("council" = String, Path, description = "The council's slug")),
    responses((status = 200, body = NeedsView), (status = 404, body = ErrorBody)))]
pub async fn get_needs(State(state): State<AppState>, Path(c): Path<String>) -> Result<Json<NeedsView>, ApiError> {
    let ix = council(&state, &c)?;
    let a = state.site().needs(&c).ok_or_else(|| api_not_found(format!("`{c}` holds no indices of deprivation, so there is no needs assessment")))?;
    let n = a.wards.len() as u32;
    let mut wards: Vec<&Summary> = a.wards.iter().collect();
    wards.sort_by_key(|w| w.rank);
    let names = [ix.register.council.name.as_str(), "England"];
    let comparators = &names[..1 + usize::from(a.england.is_some())];
    let mut lsoas: Vec<LsoaNeeds> = a
        .lsoas
        .iter()
        .map(|s| LsoaNeeds {
            area_code: s.code.clone(),
            area_name: s.name.clone(),
            score: s.score,
            rank: s.rank,
            decile: s.decile,
            points: (&s.contributions).into(),
        })
        .collect();
    lsoas.sort_by_key(|l| l.rank);
    Ok(Json(NeedsView {
        method: "English Indices of Deprivation 2019: each domain rank turned into an exponential score, weighted, summed; wards are population-weighted averages of their LSOAs".into(),
        weights: (&Domain::ALL.map(Domain::official_weight)).into(),
        caveat: crate::places::needs::BEST_FIT.into(),
        council: area_needs(&ix, &a.council, 1),
        england_score: a.england_score,
        england_points: a.england.as_ref().map(Into::into),
        wards: wards.iter().map(|w| area_needs(&ix, w, n)).collect(),
        most_deprived_wards: a
            .most_deprived_wards(10)
            .into_iter()
            .map(|s| SelectedNeeds { reason: s.reason(comparators), area_code: s.code, area_name: s.name, score: s.score, rank: s.rank })
            .collect(),
        lsoas,
    }))
}

/// An area.
#[derive(Serialize, ToSchema)]
pub struct AreaView {
    /// The GSS code, or the council's own code.
    pub code: String,
    pub name: String,
    pub kind: String,
    pub gss: bool,
    pub parent: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub members: Vec<String>,
    /// The boundary as a GeoJSON geometry (WGS84), on the single-area resource only.
    #[schema(value_type = Option<Object>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boundary: Option<serde_json::Value>,
}

/// Filters for the area list.
#[derive(Deserialize, IntoParams)]
pub struct AreaQueryParams {
    /// Only areas of this kind, such as `ward`.
    pub kind: Option<String>,
}

pub(crate) fn area_view(a: &Area, with_boundary: bool) -> AreaView {
    AreaView {
        code: a.code.clone(),
        name: a.name.clone(),
        kind: a.kind.code().to_owned(),
        gss: a.has_gss_code(),
        parent: a.parent.clone(),
        valid_from: a.valid_from.as_ref().map(|d| d.to_string()),
        valid_to: a.valid_to.as_ref().map(|d| d.to_string()),
        members: a.members.clone(),
        boundary: if with_boundary { a.boundary.as_deref().cloned() } else { None },
    }
}

/// A council's areas, without boundaries.
#[utoipa::path(get, path = "/api/v1/councils/{council}/areas", tag = "register", params(("council" = String, Path, description = "The council's slug"), AreaQueryParams),
    responses((status = 200, body = [AreaView]), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_areas(
    State(state): State<AppState>,
    Path(c): Path<String>,
    Query(q): Query<AreaQueryParams>,
) -> Result<Json<Vec<AreaView>>, ApiError> {
    let ix = council(&state, &c)?;
    Ok(Json(ix.register.areas.iter().filter(|a| q.kind.as_deref().is_none_or(|k| k.is_empty() || a.kind.code() == k)).map(|a| area_view(a, false)).collect()))
}

/// One area, with its boundary where known.
#[utoipa::path(get, path = "/api/v1/councils/{council}/areas/{code}", tag = "register",
    params(("council" = String, Path, description = "The council's slug"), ("code" = String, Path, description = "The area's GSS or local code")),
    responses((status = 200, body = AreaView), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_area(State(state): State<AppState>, Path((c, code)): Path<(String, String)>) -> Result<Json<AreaView>, ApiError> {
    let ix = council(&state, &c)?;
    let a = ix.area(&code).ok_or_else(|| api_not_found(format!("there is no area `{code}` in `{c}`")))?;
    Ok(Json(area_view(a, true)))
}
