//! The needs assessment pages: the council's wards ranked and mapped, each
//! area's deprivation profile, and areas side by side.

use crate::shell::errors::{not_found, AppError};
use crate::shell::maps::{choropleth, ward_map, Shape};
use crate::shell::render::{council_json, council_of, crumbs, page, Page};
use crate::shell::svg;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use placeworks_domain::places::needs::{agreement, decile, Assessment, Domain, Summary, ENGLAND_LSOAS_2019};
use placeworks_domain::records::{Area, AreaKind};
use placeworks_domain::register::Index;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// Said on every page that places LSOAs in wards.
pub const BEST_FIT: &str = "LSOAs are placed in the 2025 wards by where their centre falls: a best fit, not an official lookup. LSOAs do not nest in wards, so ward figures are approximate.";

fn assessment(state: &AppState, ix: &Index) -> Result<Arc<Assessment>, AppError> {
    state
        .site()
        .needs(ix.register.council.slug.as_str())
        .ok_or_else(|| not_found(format!("{} holds no indices of deprivation yet, so there is no needs assessment.", ix.register.council.name)))
}

fn r1(x: f64) -> String {
    format!("{x:.1}")
}

fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p > 0.0 && p < 9.95 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// The LSOAs placed in an area, shaded by their national IMD decile.
fn lsoa_map(ix: &Index, a: &Assessment, lsoas: &[&Area], title: &str) -> Option<String> {
    let c = ix.register.council.slug.as_str();
    let shapes: Vec<Shape<'_>> = lsoas
        .iter()
        .filter_map(|l| {
            let s = a.lsoa(&l.code)?;
            Some(Shape {
                name: &l.name,
                geometry: l.boundary.as_deref()?,
                class: (s.decile - 1) as usize,
                href: Some(format!("/{c}/areas/{}", l.code)),
                label: format!("IMD decile {} (rank {} of {ENGLAND_LSOAS_2019} in England)", s.decile, thousands(s.rank)),
            })
        })
        .collect();
    if shapes.is_empty() {
        return None;
    }
    let mut present: Vec<usize> = shapes.iter().map(|s| s.class).collect();
    present.sort_unstable();
    present.dedup();
    let legend: Vec<(usize, String)> = present
        .into_iter()
        .map(|c| {
            (
                c,
                format!(
                    "Decile {}{}",
                    c + 1,
                    match c {
                        0 => ": most deprived 10% in England",
                        9 => ": least deprived 10% in England",
                        _ => "",
                    }
                ),
            )
        })
        .collect();
    choropleth("lsoa-map", title, &shapes, 560.0, &legend)
}

pub use placeworks_domain::ids::ordinal;

pub fn thousands(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn summary_json(ix: &Index, s: &Summary, count: u32) -> serde_json::Value {
    json!({
        "code": s.code, "name": ix.area(&s.code).map_or(s.name.as_str(), |a| a.name.as_str()), "score": r1(s.average_score), "rank": s.rank,
        "decile": decile(s.rank, count.max(1)), "average_rank": thousands(s.average_rank.round() as u32), "extent": pct(s.extent),
        "share_10": pct(s.share_most_deprived_10), "share_20": pct(s.share_most_deprived_20), "lsoas": s.lsoas, "population": thousands(s.population.round() as u32),
    })
}

/// The council's needs assessment: wards ranked and mapped, the ten in most
/// need and why, and how they agree with the council's own chosen areas.
pub async fn needs(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let a = assessment(&state, &ix)?;
    let n = a.wards.len() as u32;
    let mut wards: Vec<&Summary> = a.wards.iter().collect();
    wards.sort_by_key(|w| w.rank);
    let council_name = ix.register.council.name.clone();
    let comparators = [council_name.as_str(), "England"];
    let top = a.most_deprived_wards(10);
    let top_json: Vec<_> = top
        .iter()
        .map(|s| json!({ "code": s.code, "name": s.name, "score": r1(s.score), "rank": s.rank, "reason": s.reason(&comparators[..1 + usize::from(a.england.is_some())]) }))
        .collect();
    // Named sets of wards the council chose itself, against the engine's choice.
    let chosen: Vec<(String, String)> = top.iter().map(|s| (s.code.clone(), s.name.clone())).collect();
    let checks: Vec<_> = ix
        .register
        .areas
        .iter()
        .filter(|s| s.kind == AreaKind::NamedSet && !s.members.is_empty() && s.members.iter().all(|m| ix.area(m).is_some_and(|x| x.kind == AreaKind::Ward)))
        .map(|set| {
            let named: Vec<(String, String)> = set.members.iter().filter_map(|m| ix.area(m)).map(|x| (x.code.clone(), x.name.clone())).collect();
            let town = ix.register.areas.iter().filter(|x| x.kind == AreaKind::Ward && x.name.split_whitespace().count() > 1).filter_map(|x| x.name.split_whitespace().next()).filter(|w| ix.register.areas.iter().filter(|x| x.kind == AreaKind::Ward && x.name.starts_with(w)).count() > 3).map(str::to_lowercase).collect::<std::collections::BTreeSet<_>>();
            let town: Vec<&str> = town.iter().map(String::as_str).collect();
            let matched = agreement(&chosen, &named, &town);
            let rows: Vec<_> = chosen.iter().zip(&matched).map(|(c, m)| json!({ "code": c.0, "name": c.1, "match": m.map(|m| json!({ "code": m.0, "name": m.1 })) })).collect();
            let covered: std::collections::BTreeSet<&str> = matched.iter().flatten().map(|m| m.0.as_str()).collect();
            let missed: Vec<_> = named.iter().filter(|x| !covered.contains(x.0.as_str())).map(|x| json!({ "code": x.0, "name": x.1 })).collect();
            json!({ "set": { "code": set.code, "name": set.name, "note": set.note }, "rows": rows, "agree": matched.iter().filter(|m| m.is_some()).count(), "of": chosen.len(), "covered": covered.len(), "size": named.len(), "missed": missed, "town_words": town })
        })
        .collect();
    let c = ix.register.council.slug.as_str();
    page(
        "needs.html",
        json!({
            "council": council_json(&ix), "page_title": "Needs assessment", "section": "needs",
            "breadcrumbs": crumbs(&ix, &[]),
            "county": summary_json(&ix, &a.council, 1), "england_score": a.england_score.map(r1),
            "wards": wards.iter().map(|w| summary_json(&ix, w, n)).collect::<Vec<_>>(), "ward_count": n,
            "top": top_json, "checks": checks, "best_fit": BEST_FIT, "lsoa_count": a.lsoas.len(),
            "map": ward_map(&ix, &a), "csv": format!("/{c}/needs.csv"),
            "domain_chart": svg::domain_chart("council-domains", &council_name, &a.council.contributions, &[], a.england.as_ref()),
        }),
    )
}

/// Rows as a CSV download.
fn csv_download(name: String, rows: impl IntoIterator<Item = Vec<String>>) -> Result<Response, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(&row).map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
    }
    let bytes = w.into_inner().map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))], bytes)
        .into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CsvQuery {
    level: String,
    area: String,
    indicator: String,
}

/// A council's indicator values as CSV, for an area or an indicator: the
/// long format `placeworks import indicators` reads.
pub async fn values_csv(State(state): State<AppState>, Path(council): Path<String>, Query(q): Query<CsvQuery>) -> Result<Response, AppError> {
    let ix = council_of(&state, &council)?;
    let keep = |want: &str, have: &str| want.is_empty() || want == have;
    let head = ["area_code", "indicator", "period", "value", "missing", "numerator", "denominator"].map(String::from).to_vec();
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let rows = ix.register.values.iter().filter(|v| keep(&q.area, &v.area) && keep(&q.indicator, v.indicator.as_str())).map(|v| {
        vec![
            v.area.clone(),
            v.indicator.to_string(),
            v.period.clone(),
            num(v.value),
            v.missing.map(|m| m.code().to_owned()).unwrap_or_default(),
            num(v.numerator),
            num(v.denominator),
        ]
    });
    csv_download(format!("{council}-values.csv"), std::iter::once(head).chain(rows))
}

/// The needs assessment as CSV: each ward (the default) or each LSOA (`?level=lsoa`).
pub async fn needs_csv(State(state): State<AppState>, Path(council): Path<String>, Query(q): Query<CsvQuery>) -> Result<Response, AppError> {
    let ix = council_of(&state, &council)?;
    let a = assessment(&state, &ix)?;
    if q.level == "lsoa" {
        let mut head = ["area_code", "area_name", "score", "rank", "decile", "ward_code_best_fit"].map(String::from).to_vec();
        head.extend(Domain::ALL.map(|d| format!("{}_points", d.code().replace('-', "_"))));
        let mut lsoas: Vec<_> = a.lsoas.iter().collect();
        lsoas.sort_by_key(|s| s.rank);
        let rows = lsoas.into_iter().map(|s| {
            let mut row = vec![
                s.code.clone(),
                s.name.clone(),
                format!("{:.3}", s.score),
                s.rank.to_string(),
                s.decile.to_string(),
                ix.area(&s.code).and_then(|x| x.parent.clone()).unwrap_or_default(),
            ];
            row.extend(s.contributions.iter().map(|x| format!("{x:.3}")));
            row
        });
        return csv_download(format!("{council}-lsoa-needs.csv"), std::iter::once(head).chain(rows));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec![
        "area_code",
        "area_name",
        "score",
        "rank",
        "decile",
        "average_rank",
        "extent",
        "local_concentration",
        "share_most_deprived_10",
        "share_most_deprived_20",
        "lsoas",
        "population",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    head.extend(Domain::ALL.map(|d| format!("{}_points", d.code().replace('-', "_"))));
    let internal = |e: csv::Error| AppError::Internal(format!("writing CSV: {e}"));
    w.write_record(&head).map_err(internal)?;
    let n = a.wards.len() as u32;
    let mut wards: Vec<&Summary> = a.wards.iter().collect();
    wards.sort_by_key(|w| w.rank);
    for s in wards {
        let mut row = vec![
            s.code.clone(),
            ix.area(&s.code).map_or(s.name.clone(), |x| x.name.clone()),
            format!("{:.3}", s.average_score),
            s.rank.to_string(),
            decile(s.rank, n).to_string(),
            format!("{:.1}", s.average_rank),
            format!("{:.4}", s.extent),
            format!("{:.1}", s.local_concentration),
            format!("{:.4}", s.share_most_deprived_10),
            format!("{:.4}", s.share_most_deprived_20),
            s.lsoas.to_string(),
            format!("{}", s.population),
        ];
        row.extend(s.contributions.iter().map(|x| format!("{x:.3}")));
        w.write_record(&row).map_err(internal)?;
    }
    let bytes = w.into_inner().map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{council}-ward-needs.csv\"")),
        ],
        bytes,
    )
        .into_response())
}

/// What the area page shows of deprivation, for a council with an
/// assessment: a ward's summary, chart and LSOA map; an LSOA's ranks; the
/// council's ward map.
pub fn profile(state: &AppState, ix: &Index, area: &Area) -> Option<serde_json::Value> {
    let a = state.site().needs(ix.register.council.slug.as_str())?;
    let council_name = ix.register.council.name.as_str();
    let c = ix.register.council.slug.as_str();
    if let Some(w) = a.ward(&area.code) {
        let n = a.wards.len() as u32;
        let lsoas: Vec<&Area> = ix.children_of(&area.code).filter(|x| x.kind == AreaKind::Lsoa).collect();
        let rows: Vec<_> = lsoas
            .iter()
            .filter_map(|l| {
                a.lsoa(&l.code).map(|s| json!({ "code": l.code, "name": l.name, "rank": thousands(s.rank), "decile": s.decile, "score": r1(s.score) }))
            })
            .collect();
        return Some(json!({
            "kind": "ward", "summary": summary_json(ix, w, n), "ward_count": n, "council_score": r1(a.council.average_score), "england_score": a.england_score.map(r1),
            "chart": svg::domain_chart("area-domains", &area.name, &w.contributions, &[(council_name, &a.council.contributions)], a.england.as_ref()),
            "domains": domain_rows(&w.contributions, Some(&a.council.contributions), a.england.as_ref()),
            "map": lsoa_map(ix, &a, &lsoas, &format!("Map of the LSOAs placed in {} shaded by their national IMD decile", area.name)),
            "lsoas": rows, "best_fit": BEST_FIT, "needs_href": format!("/{c}/needs"),
        }));
    }
    if let Some(s) = a.lsoa(&area.code) {
        let ranks = ix.register.values.iter().filter(|v| v.area == area.code).filter_map(|v| Some((v.indicator.as_str(), v.value?))).collect::<HashMap<_, _>>();
        let domains: Vec<_> = Domain::ALL
            .iter()
            .filter_map(|d| {
                let r = *ranks.get(placeworks_domain::places::needs::rank_indicator(*d).as_str())? as u32;
                Some(json!({ "label": d.label(), "rank": thousands(r), "decile": decile(r, ENGLAND_LSOAS_2019) }))
            })
            .collect();
        return Some(json!({
            "kind": "lsoa", "rank": thousands(s.rank), "decile": s.decile, "score": r1(s.score), "domains": domains,
            "population": ranks.get(placeworks_domain::places::needs::POPULATION).map(|p| thousands(*p as u32)), "best_fit": BEST_FIT,
            "chart": svg::domain_chart("area-domains", &area.name, &s.contributions, &[(council_name, &a.council.contributions)], a.england.as_ref()),
            "needs_href": format!("/{c}/needs"),
        }));
    }
    if !area.kind.is_official() {
        let p = placeworks_domain::places::needs::profile_of_set(&ix.register, &a, area)?;
        let lsoas: Vec<&Area> = p.lsoas.iter().filter_map(|l| ix.area(l)).collect();
        let rows: Vec<_> = lsoas
            .iter()
            .filter_map(|l| {
                a.lsoa(&l.code).map(|s| json!({ "code": l.code, "name": l.name, "rank": thousands(s.rank), "decile": s.decile, "score": r1(s.score) }))
            })
            .collect();
        let name = |c: &str| ix.area(c).map_or_else(|| c.to_owned(), |x| x.name.clone());
        let followed: Vec<_> =
            p.followed.iter().map(|(old, new)| json!({ "old": name(old), "new": new.iter().map(|n| name(n)).collect::<Vec<_>>() })).collect();
        return Some(json!({
            "kind": "set", "summary": summary_json(ix, &p.summary, 1), "council_score": r1(a.council.average_score), "england_score": a.england_score.map(r1),
            "chart": svg::domain_chart("area-domains", &area.name, &p.summary.contributions, &[(council_name, &a.council.contributions)], a.england.as_ref()),
            "domains": domain_rows(&p.summary.contributions, Some(&a.council.contributions), a.england.as_ref()),
            "map": lsoa_map(ix, &a, &lsoas, &format!("Map of the LSOAs of {} shaded by their national IMD decile", area.name)),
            "lsoas": rows, "followed": followed, "best_fit": BEST_FIT, "needs_href": format!("/{c}/needs"),
        }));
    }
    if ix.register.council.area.as_deref() == Some(area.code.as_str()) {
        return Some(json!({
            "kind": "council", "summary": summary_json(ix, &a.council, 1), "england_score": a.england_score.map(r1), "map": ward_map(ix, &a),
            "best_fit": BEST_FIT, "needs_href": format!("/{c}/needs"),
        }));
    }
    None
}

fn domain_rows(area: &[f64; 7], council: Option<&[f64; 7]>, england: Option<&[f64; 7]>) -> Vec<serde_json::Value> {
    Domain::ALL
        .iter()
        .enumerate()
        .map(|(i, d)| json!({ "label": d.label(), "area": r1(area[i]), "council": council.map(|c| r1(c[i])), "england": england.map(|e| r1(e[i])) }))
        .collect()
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CompareQuery {
    a1: String,
    a2: String,
    a3: String,
    a4: String,
}

/// Two to four areas side by side.
pub async fn compare(State(state): State<AppState>, Path(council): Path<String>, Query(q): Query<CompareQuery>) -> Page {
    let ix = council_of(&state, &council)?;
    let a = assessment(&state, &ix)?;
    let chosen: Vec<&str> = [&q.a1, &q.a2, &q.a3, &q.a4].into_iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    let n = a.wards.len() as u32;
    let mut columns = Vec::new();
    let mut errors = Vec::new();
    for (i, code) in chosen.iter().enumerate() {
        let field = format!("a{}", i + 1);
        let Some(area) = ix.area(code) else {
            errors.push(json!({ "field": field, "message": format!("There is no area with the code “{code}”; choose one from the list") }));
            continue;
        };
        let (score, rank, decile_text, contributions, people) = if let Some(w) = a.ward(code) {
            (w.average_score, format!("{} of {n} wards", ordinal(w.rank)), format!("{} among wards", decile(w.rank, n)), w.contributions, w.population)
        } else if let Some(s) = a.lsoa(code) {
            (
                s.score,
                format!("{} of {} LSOAs in England", thousands(s.rank), thousands(ENGLAND_LSOAS_2019)),
                format!("{} in England", s.decile),
                s.contributions,
                a.population.get(*code).copied().unwrap_or(0.0),
            )
        } else if ix.register.council.area.as_deref() == Some(*code) {
            (a.council.average_score, "the whole council".to_owned(), "—".to_owned(), a.council.contributions, a.council.population)
        } else {
            errors.push(json!({ "field": field, "message": format!("{} has no deprivation figures; choose a ward or LSOA", area.name) }));
            continue;
        };
        columns.push(json!({
            "code": area.code, "name": area.name, "kind": area.kind.label(), "score": r1(score), "rank": rank, "decile": decile_text,
            "population": thousands(people.round() as u32), "domains": contributions.iter().map(|x| r1(*x)).collect::<Vec<_>>(),
        }));
    }
    if chosen.len() == 1 && errors.is_empty() {
        errors.push(json!({ "field": "a2", "message": "Choose a second area to compare with the first" }));
    }
    let mut options: Vec<_> =
        vec![json!({ "value": ix.register.council.area.clone().unwrap_or_default(), "label": format!("{} (the whole council)", ix.register.council.name) })];
    let mut wards: Vec<&Summary> = a.wards.iter().collect();
    wards.sort_by(|x, y| x.name.cmp(&y.name));
    options
        .extend(wards.iter().map(|w| json!({ "value": w.code, "label": format!("{} (ward)", ix.area(&w.code).map_or(w.name.as_str(), |x| x.name.as_str())) })));
    options.extend(a.lsoas.iter().map(|s| json!({ "value": s.code, "label": format!("{} (LSOA)", s.name) })));
    let c = ix.register.council.slug.as_str();
    page(
        "compare.html",
        json!({
            "council": council_json(&ix), "page_title": if errors.is_empty() { "Compare areas".to_owned() } else { "Error: Compare areas".to_owned() }, "section": "needs",
            "breadcrumbs": crumbs(&ix, &[("Needs assessment", format!("/{c}/needs"))]),
            "columns": columns, "errors": errors, "options": options, "chosen": [q.a1, q.a2, q.a3, q.a4],
            "domains": Domain::ALL.map(Domain::label), "england": a.england.map(|e| e.iter().map(|x| r1(*x)).collect::<Vec<_>>()), "england_score": a.england_score.map(r1),
            "best_fit": BEST_FIT,
        }),
    )
}
