//! Pictures drawn by the server as SVG: the structure chart and a body's
//! neighbourhood (maps are in `maps`). Each carries a title and description
//! for screen readers, and every page that shows one also says the same in
//! words.

use placeworks_domain::records::{Body, RelationKind};
use placeworks_domain::register::Index;
use std::collections::HashMap;
use std::fmt::Write;

/// Escapes text for SVG content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Width of a line of text at 14px, generous enough for the widest common
/// system sans-serif faces (DejaVu Sans), so labels never overflow their boxes.
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| match c {
            'm' | 'w' | 'M' | 'W' => 12.0,
            c if c.is_uppercase() => 10.0,
            ' ' | 'i' | 'l' | 'j' | ',' | '.' | '\'' | 'I' | 'f' | 't' | 'r' => 5.0,
            _ => 8.4,
        })
        .sum()
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A prepared structure chart: the SVG, and the tree it draws for the text version.
pub struct Chart {
    pub svg: String,
    /// Root bodies, each with its children: (slug, depth) in drawing order.
    pub rows: Vec<(String, usize)>,
}

/// The body's display name on charts.
fn label(b: &Body) -> String {
    b.short_name.clone().unwrap_or_else(|| b.name.clone())
}

/// Children of each body in the reporting and part-of tree, in dataset order.
pub fn tree(ix: &Index) -> (Vec<String>, HashMap<String, Vec<String>>) {
    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    let mut roots = Vec::new();
    for b in &ix.register.bodies {
        match ix.parent_of(b.slug.as_str()) {
            Some(r) => children.entry(r.to.to_string()).or_default().push(b.slug.to_string()),
            None => roots.push(b.slug.to_string()),
        }
    }
    (roots, children)
}

const ROW: f64 = 30.0;
const BOX_H: f64 = 24.0;
const INDENT: f64 = 26.0;

/// The whole partnership-of-partnerships graph as an indented tree, with the
/// non-hierarchical relations drawn as dashed lanes to the right.
pub fn structure_chart(ix: &Index) -> Chart {
    let (roots, children) = tree(ix);
    let mut rows: Vec<(String, usize)> = Vec::new();
    fn visit(slug: &str, depth: usize, children: &HashMap<String, Vec<String>>, rows: &mut Vec<(String, usize)>) {
        if rows.iter().any(|(s, _)| s == slug) {
            return;
        }
        rows.push((slug.to_owned(), depth));
        for c in children.get(slug).into_iter().flatten() {
            visit(c, depth + 1, children, rows);
        }
    }
    for r in &roots {
        visit(r, 0, &children, &mut rows);
    }
    let pos: HashMap<&str, usize> = rows.iter().enumerate().map(|(i, (s, _))| (s.as_str(), i)).collect();
    let mut boxes = Vec::new();
    let mut right_edge: f64 = 0.0;
    for (i, (slug, depth)) in rows.iter().enumerate() {
        let b = ix.body(slug).expect("charted bodies exist");
        let text = shorten(&label(b), 60);
        let x = 10.0 + *depth as f64 * INDENT;
        let w = text_width(&text) + 20.0;
        let y = 10.0 + i as f64 * ROW;
        right_edge = right_edge.max(x + w);
        boxes.push((x, y, w, text, b.kind.label(), b.ended.is_some()));
    }
    let cross: Vec<_> = ix.register.relations.iter().filter(|r| !matches!(r.kind, RelationKind::ReportsTo | RelationKind::PartOf)).collect();
    let lane0 = right_edge + 30.0;
    let width = lane0 + cross.len() as f64 * 14.0 + 30.0;
    let height = 20.0 + rows.len() as f64 * ROW;
    let mut s = String::with_capacity(rows.len() * 400);
    let council = esc(&ix.register.council.name);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-labelledby="chart-title chart-desc" class="pw-chart" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="14"><title id="chart-title">Structure chart of {council} partnerships</title><desc id="chart-desc">{n} bodies drawn as a tree of reporting lines and parts, with {c} other relations as dashed lines. The page lists the same structure in words.</desc>"##,
        n = rows.len(),
        c = cross.len()
    );
    // Tree connectors: from a parent's left edge down to each child's middle.
    s.push_str(r##"<g stroke="#505a5f" stroke-width="1.5" fill="none">"##);
    for (i, (slug, depth)) in rows.iter().enumerate() {
        if let Some(r) = ix.parent_of(slug) {
            if let Some(&p) = pos.get(r.to.as_str()) {
                let px = boxes[p].0 + 10.0;
                let py = boxes[p].1 + BOX_H;
                let cy = boxes[i].1 + BOX_H / 2.0;
                let cx = 10.0 + *depth as f64 * INDENT;
                let dash = if r.kind == RelationKind::PartOf { r#" stroke-dasharray="1 0""# } else { "" };
                let _ = write!(s, r#"<path d="M{px:.1} {py:.1}V{cy:.1}H{cx:.1}"{dash}/>"#);
            }
        }
    }
    s.push_str("</g>");
    for (x, y, w, text, kind, ended) in &boxes {
        let fill = if *ended { "#f3f2f1" } else { "#ffffff" };
        let _ = write!(
            s,
            r##"<g><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{BOX_H}" rx="3" fill="{fill}" stroke="#0b0c0c" stroke-width="1"/><rect x="{x:.1}" y="{y:.1}" width="4" height="{BOX_H}" fill="var(--pw-brand, #2b5b34)"/><text x="{tx:.1}" y="{ty:.1}" fill="#0b0c0c">{t}</text><title>{t} ({k})</title></g>"##,
            tx = x + 12.0,
            ty = y + 17.0,
            t = esc(text),
            k = esc(kind)
        );
    }
    for (lane, r) in cross.iter().enumerate() {
        let (Some(&a), Some(&b)) = (pos.get(r.from.as_str()), pos.get(r.to.as_str())) else { continue };
        let lx = lane0 + lane as f64 * 14.0;
        let (ax, ay) = (boxes[a].0 + boxes[a].2, boxes[a].1 + BOX_H / 2.0 - 3.0);
        let (bx, by) = (boxes[b].0 + boxes[b].2, boxes[b].1 + BOX_H / 2.0 + 3.0);
        let colour = match r.kind {
            RelationKind::LinksWith => "#1d70b8",
            RelationKind::ManagesAgendaOf => "#6f3a8b",
            _ => "#b58840",
        };
        let _ = write!(
            s,
            r#"<path d="M{ax:.1} {ay:.1}H{lx:.1}V{by:.1}H{bx:.1}" fill="none" stroke="{colour}" stroke-width="1.5" stroke-dasharray="5 3" marker-end="url(#arrow)"><title>{from} {what} {to}</title></path>"#,
            from = esc(&ix.body(r.from.as_str()).map(label).unwrap_or_default()),
            what = r.kind.label().to_lowercase(),
            to = esc(&ix.body(r.to.as_str()).map(label).unwrap_or_default())
        );
    }
    s.push_str(r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#505a5f"/></marker></defs></svg>"##);
    Chart { svg: s, rows }
}

/// One body with what it reports to above, what reports to it below and its
/// other relations beside it.
pub fn neighbourhood(ix: &Index, slug: &str) -> String {
    let Some(body) = ix.body(slug) else { return String::new() };
    let mut above = Vec::new();
    let mut below = Vec::new();
    let mut beside = Vec::new();
    for r in ix.relations_from(slug) {
        let other = ix.body(r.to.as_str()).map(label).unwrap_or_default();
        match r.kind {
            RelationKind::ReportsTo | RelationKind::PartOf => above.push((other, r.kind.label().to_owned())),
            k => beside.push((other, k.label().to_owned())),
        }
    }
    for r in ix.relations_to(slug) {
        let other = ix.body(r.from.as_str()).map(label).unwrap_or_default();
        match r.kind {
            RelationKind::ReportsTo | RelationKind::PartOf => below.push((other, String::new())),
            RelationKind::LinksWith => beside.push((other, "Links with".to_owned())),
            RelationKind::ManagesAgendaOf => beside.push((other, "Its agenda is managed by".to_owned())),
            RelationKind::HoldsToAccount => beside.push((other, "Is held to account by".to_owned())),
        }
    }
    let width = 760.0;
    let row_y = [10.0, 90.0, 170.0];
    let mut s = String::new();
    let n = above.len() + below.len() + beside.len();
    let height = if below.is_empty() { 130.0 } else { 210.0 };
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="nb-title" class="pw-chart pw-chart--wide" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="13"><title id="nb-title">{name} and {n} related {bodies}</title>"##,
        name = esc(&body.name),
        bodies = if n == 1 { "body" } else { "bodies" }
    );
    // A box centred on `cx`, at most `room` wide, its text cut to fit.
    let node = |s: &mut String, cx: f64, y: f64, text: &str, main: bool, room: f64| {
        let mut t = shorten(text, if main { 44 } else { 26 });
        while text_width(&t) + 20.0 > room && t.chars().count() > 4 {
            let keep = t.chars().count() - 2;
            t = shorten(&t, keep);
        }
        let w = (text_width(&t) + 20.0).min(room);
        let (fill, stroke, weight) = if main { ("#0b0c0c", "#0b0c0c", "700") } else { ("#ffffff", "#505a5f", "400") };
        let colour = if main { "#ffffff" } else { "#0b0c0c" };
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="30" rx="4" fill="{fill}" stroke="{stroke}"/><text x="{cx:.1}" y="{ty}" text-anchor="middle" fill="{colour}" font-weight="{weight}">{t}</text>"#,
            x = cx - w / 2.0,
            ty = y + 20.0,
            t = esc(&t)
        );
    };
    let centre = width / 2.0;
    let spread = |k: usize, i: usize| if k == 0 { centre } else { width * (i as f64 + 0.5) / k as f64 };
    s.push_str(r##"<g stroke="#505a5f" stroke-width="1.5">"##);
    for i in 0..above.len() {
        let _ = write!(s, r#"<line x1="{:.1}" y1="{}" x2="{centre}" y2="{}"/>"#, spread(above.len(), i), row_y[0] + 30.0, row_y[1]);
    }
    for i in 0..below.len().min(8) {
        let _ = write!(s, r#"<line x1="{centre}" y1="{}" x2="{:.1}" y2="{}"/>"#, row_y[1] + 30.0, spread(below.len().min(8), i), row_y[2]);
    }
    s.push_str("</g>");
    let room = |k: usize| width / k.max(1) as f64 - 8.0;
    for (i, (t, _)) in above.iter().enumerate() {
        node(&mut s, spread(above.len(), i), row_y[0], t, false, room(above.len()));
    }
    node(&mut s, centre, row_y[1], &label(body), true, 360.0);
    let shown_below = below.len().min(8);
    for (i, (t, _)) in below.iter().take(shown_below).enumerate() {
        node(&mut s, spread(shown_below, i), row_y[2], t, false, room(shown_below));
    }
    if below.len() > shown_below {
        let _ =
            write!(s, r##"<text x="{}" y="{}" text-anchor="end" fill="#505a5f">and {} more</text>"##, width - 4.0, row_y[2] + 48.0, below.len() - shown_below);
    }
    // Other relations sit either side of the body, left then right.
    let shown_beside = beside.len().min(6);
    for (i, (t, how)) in beside.iter().take(shown_beside).enumerate() {
        let (x, anchor) = if i % 2 == 0 { (4.0, "start") } else { (width - 4.0, "end") };
        let y = row_y[1] - 14.0 + (i / 2) as f64 * 18.0;
        let _ = write!(s, r##"<text x="{x}" y="{y}" text-anchor="{anchor}" fill="#1d4f91" font-size="12">{}: {}</text>"##, esc(how), esc(&shorten(t, 24)));
    }
    if beside.len() > shown_beside {
        let _ = write!(s, r##"<text x="4" y="{}" fill="#505a5f" font-size="12">and {} more relations</text>"##, row_y[1] + 44.0, beside.len() - shown_beside);
    }
    s.push_str("</svg>");
    s
}

/// The points each domain adds to an area's deprivation score, as grouped
/// bars against comparators (the council, England). The page gives the same
/// numbers in a table.
pub fn domain_chart(id: &str, name: &str, area: &[f64; 7], others: &[(&str, &[f64; 7])], england: Option<&[f64; 7]>) -> String {
    use placeworks_domain::places::needs::Domain;
    let mut series: Vec<(String, &[f64; 7], &str)> = vec![(name.to_owned(), area, "#1d70b8")];
    for (n, v) in others {
        series.push(((*n).to_owned(), v, "#505a5f"));
    }
    if let Some(e) = england {
        series.push(("England".to_owned(), e, "#d4351c"));
    }
    let max = series.iter().flat_map(|s| s.1.iter()).copied().fold(1.0f64, f64::max);
    let (left, bar_w, bar_h, gap) = (250.0, 330.0, 12.0, 16.0);
    let legend_h = 22.0 * series.len() as f64 + 8.0;
    let group_h = series.len() as f64 * (bar_h + 3.0) + gap;
    let height = legend_h + group_h * 7.0 + 8.0;
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 {height:.0}" role="img" aria-labelledby="{id}-title" class="pw-bars" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"><title id="{id}-title">Points each domain adds to the deprivation score of {}{}</title>"##,
        esc(name),
        if series.len() > 1 { ", against its comparators" } else { "" }
    );
    for (i, (label, _, colour)) in series.iter().enumerate() {
        let y = 4.0 + 22.0 * i as f64;
        let _ = write!(
            s,
            r##"<rect x="{left}" y="{y}" width="16" height="14" fill="{colour}"/><text x="{:.0}" y="{:.0}" font-size="14" fill="#0b0c0c">{}</text>"##,
            left + 24.0,
            y + 12.0,
            esc(label)
        );
    }
    for (d, domain) in Domain::ALL.iter().enumerate() {
        let top = legend_h + group_h * d as f64;
        let _ =
            write!(s, r##"<text x="{:.0}" y="{:.0}" font-size="13" fill="#0b0c0c" text-anchor="end">{}</text>"##, left - 8.0, top + bar_h, esc(domain.label()));
        for (i, (_, values, colour)) in series.iter().enumerate() {
            let v = values[d];
            let y = top + i as f64 * (bar_h + 3.0);
            let w = (v / max * bar_w).max(1.0);
            let _ = write!(
                s,
                r##"<rect x="{left}" y="{y:.1}" width="{w:.1}" height="{bar_h}" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#0b0c0c">{v:.1}</text>"##,
                left + w + 4.0,
                y + bar_h - 2.0
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_makes_markup_inert() {
        assert_eq!(esc("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
    }
}
