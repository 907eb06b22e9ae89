//! The places' files in a dataset: areas.csv, the boundaries council.toml
//! names, indicators.csv and values.csv.

use crate::ids::{GssCode, Slug};
use crate::places::model::*;
use crate::reader::*;
use placeworks_kernel::problems::line_of;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBoundaries {
    file: S,
    code_property: String,
}

pub(crate) fn read_indicators(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<Indicator> {
    const FILE: &str = "indicators.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let (required, optional) = columns(FILE);
    let Some(t) = Table::read(FILE, text, required, optional, &mut r.c) else { return Vec::new() };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let vals: Vec<Option<&str>> = required.iter().map(|c| t.req(row, c, &mut r.c)).collect();
        let [Some(slug), Some(name), Some(unit), Some(polarity), Some(source), Some(licence), Some(geography)] = vals[..] else { continue };
        let Some(slug) = r.slug(at, "slug", slug) else { continue };
        first_use(&mut seen, &slug, row.line, FILE, &mut r.c);
        let polarity = Polarity::parse(polarity).map_err(|e| r.c.add(FILE, Some(row.line), Some("polarity"), e)).ok();
        let geography = AreaKind::parse(geography).map_err(|e| r.c.add(FILE, Some(row.line), Some("geography"), e)).ok();
        let (Some(polarity), Some(geography)) = (polarity, geography) else { continue };
        out.push(Indicator {
            slug,
            name: name.to_owned(),
            unit: unit.to_owned(),
            polarity,
            theme: t.opt(row, "theme").map(str::to_owned),
            source: source.to_owned(),
            licence: licence.to_owned(),
            frequency: t.opt(row, "frequency").map(str::to_owned),
            geography,
            note: t.opt(row, "note").map(str::to_owned),
        });
    }
    out
}

/// Reads `values/*.csv`, each in the long format (`area_code, indicator,
/// period, value`, optionally `numerator` and `denominator`).
pub(crate) fn read_values<'a>(files: &'a DatasetFiles, r: &mut Reader<'a>) -> Vec<IndicatorValue> {
    let mut out = Vec::new();
    let mut seen: HashMap<(String, String, String), (&str, usize)> = HashMap::new();
    for path in files.paths().filter(|p| p.starts_with("values/") && p.ends_with(".csv")) {
        let text = files.get(path).unwrap_or_default();
        match crate::places::import::read_long(path, text) {
            Err(problems) => r.c.problems.extend(problems),
            Ok(values) => {
                for v in values {
                    let at = At { file: path, line: v.line };
                    r.refer(at, "area_code", Target::Area, &v.area);
                    r.refer(at, "indicator", Target::Indicator, &v.indicator);
                    let key = (v.area.clone(), v.indicator.clone(), v.period.clone());
                    if let Some((f, l)) = seen.insert(key, (path, v.line)) {
                        r.c.add(
                            path,
                            Some(v.line),
                            Some("area_code"),
                            format!("a second value for {}, {}, {}: {f}:{l} has one already", v.area, v.indicator, v.period),
                        );
                    }
                    let Ok(indicator) = Slug::parse(&v.indicator) else { continue };
                    out.push(IndicatorValue {
                        indicator,
                        area: v.area,
                        period: v.period,
                        value: v.value.ok(),
                        missing: v.value.err(),
                        numerator: v.numerator,
                        denominator: v.denominator,
                    });
                }
            }
        }
    }
    out
}

pub(crate) fn read_areas(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<Area> {
    const FILE: &str = "areas.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let Some(t) = Table::read(FILE, text, columns(FILE).0, columns(FILE).1, &mut r.c) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let (Some(code), Some(name), Some(kind)) = (t.req(row, "code", &mut r.c), t.req(row, "name", &mut r.c), t.req(row, "kind", &mut r.c)) else {
            continue;
        };
        let Ok(kind) = AreaKind::parse(kind).map_err(|e| r.c.add(FILE, Some(row.line), Some("kind"), e)) else { continue };
        let code_ok = if kind.is_official() {
            GssCode::parse(code).map_err(|e| r.c.add(FILE, Some(row.line), Some("code"), format!("{e} ({} areas carry ONS codes)", kind.label()))).is_ok()
        } else {
            Slug::parse(code).map_err(|e| r.c.add(FILE, Some(row.line), Some("code"), format!("{e}: the council's own areas use a slug as their code"))).is_ok()
        };
        if let Some(first) = seen.insert(code.to_owned(), row.line) {
            r.c.add(FILE, Some(row.line), Some("code"), format!("duplicate area code `{code}`: line {first} already uses it"));
        }
        if let Some(p) = t.opt(row, "parent") {
            r.refer(at, "parent", Target::Area, p);
        }
        let members: Vec<String> =
            t.opt(row, "members").map_or_else(Vec::new, |m| m.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect());
        for m in &members {
            r.refer(at, "members", Target::Area, m);
        }
        let valid_from = r.date(at, "valid_from", t.opt(row, "valid_from"));
        let valid_to = r.date(at, "valid_to", t.opt(row, "valid_to"));
        let sources = r.sources_column(at, t.opt(row, "sources"));
        let example = r.example_fields(example_column(at, t.opt(row, "example")), &example_columns(FILE));
        if code_ok {
            out.push(Area {
                code: code.to_owned(),
                name: name.to_owned(),
                kind,
                parent: t.opt(row, "parent").map(str::to_owned),
                valid_from,
                valid_to,
                members,
                boundary: None,
                note: t.opt(row, "note").map(str::to_owned),
                sources,
                example,
            });
        }
    }
    out
}

pub(crate) fn read_boundaries(files: &DatasetFiles, r: &mut Reader<'_>, boundaries: &[RawBoundaries], areas: &mut [Area]) {
    let council_text = files.get("council.toml").unwrap_or_default();
    for b in boundaries {
        let file = b.file.get_ref();
        let Some(text) = files.get(file) else {
            r.c.add(
                "council.toml",
                Some(line_of(council_text, b.file.span().start)),
                Some("file"),
                format!("the boundary file `{file}` is not in the dataset folder"),
            );
            continue;
        };
        let json: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                r.c.add(file, Some(e.line()), None, format!("not valid GeoJSON: {e}"));
                continue;
            }
        };
        let Some(features) = json.get("features").and_then(|f| f.as_array()) else {
            r.c.add(file, Some(1), Some("features"), "expected a GeoJSON FeatureCollection with a `features` list");
            continue;
        };
        for (i, f) in features.iter().enumerate() {
            let code = f.pointer(&format!("/properties/{}", b.code_property)).and_then(|v| v.as_str());
            let Some(code) = code else {
                r.c.add(file, None, Some(&b.code_property), format!("feature {} has no `{}` property", i + 1, b.code_property));
                continue;
            };
            let Some(geometry) = f.get("geometry").filter(|g| !g.is_null()) else {
                r.c.add(file, None, Some("geometry"), format!("the feature for `{code}` has no geometry"));
                continue;
            };
            match areas.iter_mut().find(|a| a.code == code) {
                Some(area) => area.boundary = Some(std::sync::Arc::new(geometry.clone())),
                None => r.c.add(file, None, Some(&b.code_property), format!("the boundary for `{code}` names an area that is not in areas.csv")),
            }
        }
    }
}
