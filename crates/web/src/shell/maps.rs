//! Maps drawn by the server as SVG from GeoJSON boundaries (WGS84): one
//! area's outline, or a choropleth of several areas shaded by class. Every
//! page that shows a map also gives its data as a table.

use crate::shell::svg::esc;
use placeworks_domain::places::needs::{decile, Assessment};
use placeworks_domain::register::Index;
use serde_json::Value;
use std::fmt::Write;

/// The rings of a Polygon or MultiPolygon, as (longitude, latitude) points.
fn rings(geometry: &Value) -> Vec<Vec<(f64, f64)>> {
    let polys: Vec<&Value> = match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon") => geometry.get("coordinates").into_iter().collect(),
        Some("MultiPolygon") => geometry.get("coordinates").and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default(),
        _ => Vec::new(),
    };
    polys
        .iter()
        .filter_map(|p| p.as_array())
        .flatten()
        .filter_map(|ring| ring.as_array().map(|pts| pts.iter().filter_map(|pt| Some((pt.get(0)?.as_f64()?, pt.get(1)?.as_f64()?))).collect()))
        .collect()
}

/// An equirectangular projection scaled at the middle latitude, fitted to a
/// box: faithful at the scale of a county.
struct Projection {
    x0: f64,
    y1: f64,
    k: f64,
    scale: f64,
    ox: f64,
    oy: f64,
    width: f64,
    height: f64,
}

impl Projection {
    /// Fits the points into `width`, with a margin; the height follows the shape,
    /// up to `max_height`.
    fn fit<'a>(points: impl Iterator<Item = &'a (f64, f64)>, width: f64, max_height: f64) -> Option<Projection> {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in points {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        if x0 > x1 {
            return None;
        }
        let k = ((y0 + y1) / 2.0).to_radians().cos();
        let (w, h) = ((x1 - x0) * k, y1 - y0);
        let margin = 10.0;
        let scale = ((width - 2.0 * margin) / w.max(1e-12)).min((max_height - 2.0 * margin) / h.max(1e-12));
        let height = (h * scale + 2.0 * margin).min(max_height);
        Some(Projection { x0, y1, k, scale, ox: (width - w * scale) / 2.0, oy: (height - h * scale) / 2.0, width, height })
    }

    fn path(&self, rings: &[Vec<(f64, f64)>]) -> String {
        let mut d = String::new();
        for ring in rings {
            for (i, &(x, y)) in ring.iter().enumerate() {
                let px = self.ox + (x - self.x0) * self.k * self.scale;
                let py = self.oy + (self.y1 - y) * self.scale;
                let _ = write!(d, "{}{px:.1} {py:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        d
    }
}

/// One area's outline, in a square box of `size`.
pub fn boundary(geometry: &Value, size: f64, name: &str) -> Option<String> {
    let rings = rings(geometry);
    let p = Projection::fit(rings.iter().flatten(), size, size)?;
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-labelledby="boundary-title" class="pw-map"><title id="boundary-title">Map of the boundary of {n}</title><path d="{d}" fill="#d2e2f1" stroke="#1d70b8" stroke-width="2" stroke-linejoin="round" fill-rule="evenodd"/></svg>"##,
        w = p.width,
        h = p.height,
        d = p.path(&rings),
        n = esc(name)
    ))
}

/// Ten shades from the most deprived (darkest) to the least (palest), each
/// far enough from its neighbours to tell apart, with a dark outline that
/// keeps pale areas visible on white.
pub const SHADES: [&str; 10] = ["#3f007d", "#54278f", "#6a51a3", "#807dba", "#9e9ac8", "#bcbddc", "#d4d3e8", "#e4e3f0", "#efedf5", "#fcfbfd"];

/// One area on a choropleth.
pub struct Shape<'a> {
    pub name: &'a str,
    pub geometry: &'a Value,
    /// 0 for the darkest shade, up to 9.
    pub class: usize,
    /// Where the area links to.
    pub href: Option<String>,
    /// The area's value in words, for its tooltip and accessible name.
    pub label: String,
}

/// A choropleth: the areas shaded by class, each linking to its page, with a
/// legend. `legend` names each class used, darkest first.
pub fn choropleth(id: &str, title: &str, shapes: &[Shape<'_>], width: f64, legend: &[(usize, String)]) -> Option<String> {
    let all: Vec<Vec<Vec<(f64, f64)>>> = shapes.iter().map(|s| rings(s.geometry)).collect();
    let legend_h = 24.0 * legend.len() as f64 + 16.0;
    let p = Projection::fit(all.iter().flatten().flatten(), width, width * 1.1)?;
    let height = p.height + legend_h;
    // A map whose areas are links is a group of links, not a single image.
    let role = if shapes.iter().any(|s| s.href.is_some()) { "group" } else { "img" };
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {height:.0}" role="{role}" aria-labelledby="{id}-title" class="pw-map pw-choropleth" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"><title id="{id}-title">{t}</title>"##,
        w = p.width,
        t = esc(title)
    );
    for (s, r) in shapes.iter().zip(&all) {
        let fill = SHADES[s.class.min(9)];
        let path = format!(
            r##"<path d="{}" fill="{fill}" stroke="#0b0c0c" stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd"><title>{}: {}</title></path>"##,
            p.path(r),
            esc(s.name),
            esc(&s.label)
        );
        match &s.href {
            Some(h) => {
                let _ = write!(out, r##"<a href="{}" aria-label="{}: {}">{path}</a>"##, esc(h), esc(s.name), esc(&s.label));
            }
            None => out.push_str(&path),
        }
    }
    for (i, (class, text)) in legend.iter().enumerate() {
        let y = p.height + 8.0 + 24.0 * i as f64;
        let _ = write!(
            out,
            r##"<rect x="10" y="{y:.0}" width="28" height="18" fill="{}" stroke="#0b0c0c" stroke-width="0.6"/><text x="46" y="{:.0}" font-size="14" fill="#0b0c0c">{}</text>"##,
            SHADES[(*class).min(9)],
            y + 14.0,
            esc(text)
        );
    }
    out.push_str("</svg>");
    Some(out)
}

/// Quintile among `n` ranked areas, as a shade (0, 2, 4, 6, 8: darkest first).
fn quintile_class(rank: u32, n: u32) -> usize {
    ((decile(rank, n) - 1) / 2 * 2) as usize
}

const FIFTHS: [&str; 5] = ["Most deprived fifth", "Second fifth", "Middle fifth", "Fourth fifth", "Least deprived fifth"];

/// The wards of a council shaded by their rank among its wards.
pub fn ward_map(ix: &Index, a: &Assessment) -> Option<String> {
    let n = a.wards.len() as u32;
    let c = ix.register.council.slug.as_str();
    let shapes: Vec<Shape<'_>> = a
        .wards
        .iter()
        .filter_map(|w| {
            let area = ix.area(&w.code)?;
            Some(Shape {
                name: &area.name,
                geometry: area.boundary.as_deref()?,
                class: quintile_class(w.rank, n),
                href: Some(format!("/{c}/areas/{}", w.code)),
                label: format!("average score {:.1}, number {} of {n}", w.average_score, w.rank),
            })
        })
        .collect();
    if shapes.is_empty() {
        return None;
    }
    let legend: Vec<(usize, String)> = FIFTHS.iter().enumerate().map(|(i, t)| (i * 2, format!("{t} of {}'s wards", ix.register.council.name))).collect();
    choropleth(
        "ward-map",
        &format!("Map of {}'s {} wards shaded by their average deprivation score", ix.register.council.name, shapes.len()),
        &shapes,
        640.0,
        &legend,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_fits_a_square_into_the_box() {
        let g = serde_json::json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]]]});
        let svg = boundary(&g, 100.0, "Square").unwrap();
        assert!(svg.contains("M10.0 90.0"), "{svg}");
        assert!(svg.contains("Map of the boundary of Square"));
        assert!(boundary(&serde_json::json!({"type": "Point", "coordinates": [0, 0]}), 100.0, "x").is_none());
    }

    #[test]
    fn a_choropleth_shades_links_and_explains_each_area() {
        let a = serde_json::json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]]]});
        let b = serde_json::json!({"type": "MultiPolygon", "coordinates": [[[[1.0, 0.0], [1.0, 1.0], [2.0, 1.0], [2.0, 0.0], [1.0, 0.0]]]]});
        let shapes = [
            Shape { name: "A <ward>", geometry: &a, class: 0, href: Some("/x/areas/A".into()), label: "score 30".into() },
            Shape { name: "B", geometry: &b, class: 9, href: None, label: "score 2".into() },
        ];
        let svg = choropleth("m", "Wards by score", &shapes, 300.0, &[(0, "Most deprived".into()), (9, "Least deprived".into())]).unwrap();
        assert!(svg.contains(SHADES[0]) && svg.contains(SHADES[9]));
        assert!(svg.contains(r#"<a href="/x/areas/A" aria-label="A &lt;ward&gt;: score 30">"#), "{svg}");
        assert!(svg.contains("<title>B: score 2</title>") && svg.contains("Least deprived"));
        assert_eq!(svg.matches("<path").count(), 2);
    }
}
