//! Pictures drawn by the server as SVG: the structure chart and a body's
//! neighbourhood (maps are in `maps`). Each carries a title and description
//! for screen readers, and every page that shows one also says the same in
//! words.

use chrono::NaiveDate;
use placeworks_domain::records::{Body, BodyKind, RelationKind};
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

/// A prepared structure chart: the SVG, and how many boxes it draws.
pub struct Chart {
    pub svg: String,
    /// The boxes drawn: bodies, and families of bodies in the overview.
    pub boxes: usize,
}

/// What the structure chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartView {
    /// The top of the structure on one screen: each body at the top with
    /// what reports to it, and four or more alike bodies with nothing below
    /// them folded into one box.
    Overview,
    /// Every current body.
    Detail,
}

/// The body's display name on charts.
fn label(b: &Body) -> String {
    b.short_name.clone().unwrap_or_else(|| b.name.clone())
}

/// Children of each current body in the reporting and part-of tree, in
/// dataset order, and the bodies at the top. A body whose parent has ended
/// is at the top.
pub fn tree(ix: &Index, today: NaiveDate) -> (Vec<String>, HashMap<String, Vec<String>>) {
    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    let mut roots = Vec::new();
    for b in ix.register.bodies.iter().filter(|b| b.is_current(today)) {
        match ix.parent_of(b.slug.as_str()).filter(|r| ix.body(r.to.as_str()).is_some_and(|p| p.is_current(today))) {
            Some(r) => children.entry(r.to.to_string()).or_default().push(b.slug.to_string()),
            None => roots.push(b.slug.to_string()),
        }
    }
    (roots, children)
}

const ROW: f64 = 30.0;
const BOX_H: f64 = 24.0;
const INDENT: f64 = 26.0;
/// Siblings of one kind folded into one box in the overview, from this many.
const FAMILY: usize = 4;

/// The colour and dash of each kind of line, for the chart and its legend.
pub fn line_style(kind: RelationKind) -> (&'static str, &'static str) {
    match kind {
        RelationKind::ReportsTo => ("#505a5f", "none"),
        RelationKind::PartOf => ("#505a5f", "2 3"),
        RelationKind::LinksWith => ("#1d70b8", "6 3"),
        RelationKind::ManagesAgendaOf => ("#6f3a8b", "6 3"),
        RelationKind::HoldsToAccount => ("#b58840", "6 3"),
        RelationKind::Replaces => ("#505a5f", "1 4"),
    }
}

/// A short line in a kind's style, for a legend.
pub fn line_swatch(kind: RelationKind) -> String {
    let (colour, dash) = line_style(kind);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="12" viewBox="0 0 40 12" aria-hidden="true" focusable="false" class="pw-swatch"><path d="M2 6H38" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}" fill="none"/></svg>"#
    )
}

/// A kind's name in the plural, for a family box: "Ward partnerships".
fn plural(label: &str) -> String {
    match label.strip_suffix('y') {
        Some(stem) if !stem.ends_with('e') => format!("{stem}ies"),
        _ => format!("{label}s"),
    }
}

/// One box of the chart.
struct Row {
    /// The body it stands for (none for a family).
    slug: Option<String>,
    depth: usize,
    text: String,
    title: String,
    href: String,
}

/// The partnership-of-partnerships graph as an indented tree of boxes, each
/// a link, with the non-hierarchical relations drawn as dashed lanes to the
/// right. Only bodies that exist on `today` are drawn.
pub fn structure_chart(ix: &Index, today: NaiveDate, view: ChartView) -> Chart {
    let c = ix.register.council.slug.as_str();
    let (roots, children) = tree(ix, today);
    let body_row = |slug: &str, depth: usize, below: usize| {
        let b = ix.body(slug).expect("charted bodies exist");
        let more = if below > 0 { format!(" · {below} below") } else { String::new() };
        Row {
            slug: Some(slug.to_owned()),
            depth,
            text: format!("{}{more}", shorten(&label(b), 60)),
            title: format!("{} ({})", b.name, b.kind.label()),
            href: format!("/{c}/bodies/{slug}"),
        }
    };
    let mut rows: Vec<Row> = Vec::new();
    match view {
        ChartView::Detail => {
            fn visit(slug: &str, depth: usize, children: &HashMap<String, Vec<String>>, out: &mut Vec<(String, usize)>) {
                if out.iter().any(|(s, _)| s == slug) {
                    return;
                }
                out.push((slug.to_owned(), depth));
                for c in children.get(slug).into_iter().flatten() {
                    visit(c, depth + 1, children, out);
                }
            }
            let mut order = Vec::new();
            for r in &roots {
                visit(r, 0, &children, &mut order);
            }
            rows.extend(order.iter().map(|(slug, depth)| body_row(slug, *depth, 0)));
        }
        ChartView::Overview => {
            let count_below = |slug: &str| children.get(slug).map_or(0, Vec::len);
            let kind_of = |slug: &str| ix.body(slug).expect("charted bodies exist").kind;
            let family = |kind: BodyKind, n: usize, depth: usize, under: &str| Row {
                slug: None,
                depth,
                text: format!("{n} {}", plural(kind.label()).to_lowercase()),
                title: format!("{n} {}{under}", plural(kind.label()).to_lowercase()),
                href: format!("/{c}/bodies?kind={}", kind.code()),
            };
            let mut folded: Vec<BodyKind> = Vec::new();
            for r in &roots {
                // Alike bodies at the top fold into one box where the first of them is.
                let kind = kind_of(r);
                let leaf = |x: &str| count_below(x) == 0;
                let alike = roots.iter().filter(|x| leaf(x) && kind_of(x) == kind).count();
                if leaf(r) && alike >= FAMILY {
                    if !folded.contains(&kind) {
                        folded.push(kind);
                        rows.push(family(kind, alike, 0, ""));
                    }
                    continue;
                }
                rows.push(body_row(r, 0, 0));
                let kids: Vec<&String> = children.get(r).into_iter().flatten().collect();
                let mut kinds: Vec<BodyKind> = Vec::new();
                for k in &kids {
                    let kind = kind_of(k);
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
                for kind in kinds {
                    let alike: Vec<&&String> = kids.iter().filter(|k| kind_of(k) == kind).collect();
                    if alike.len() >= FAMILY && alike.iter().all(|k| count_below(k) == 0) {
                        let parent = ix.body(r).map(label).unwrap_or_default();
                        rows.push(family(kind, alike.len(), 1, &format!(" under {parent}")));
                    } else {
                        rows.extend(alike.iter().map(|k| body_row(k, 1, count_below(k))));
                    }
                }
            }
        }
    }
    let pos: HashMap<&str, usize> = rows.iter().enumerate().filter_map(|(i, r)| r.slug.as_deref().map(|s| (s, i))).collect();
    let mut boxes = Vec::new();
    let mut right_edge: f64 = 0.0;
    for (i, r) in rows.iter().enumerate() {
        let x = 10.0 + r.depth as f64 * INDENT;
        let w = text_width(&r.text) + 20.0;
        let y = 10.0 + i as f64 * ROW;
        right_edge = right_edge.max(x + w);
        boxes.push((x, y, w));
    }
    let cross: Vec<_> = ix
        .register
        .relations
        .iter()
        .filter(|r| !matches!(r.kind, RelationKind::ReportsTo | RelationKind::PartOf))
        .filter(|r| pos.contains_key(r.from.as_str()) && pos.contains_key(r.to.as_str()))
        .collect();
    let lane0 = right_edge + 30.0;
    let width = lane0 + cross.len() as f64 * 14.0 + 30.0;
    let height = 20.0 + rows.len() as f64 * ROW;
    let mut s = String::with_capacity(rows.len() * 500);
    let council = esc(&ix.register.council.name);
    let what = match view {
        ChartView::Overview => "The bodies at the top of the structure and what reports to them, families of alike bodies folded into one box",
        ChartView::Detail => "Every current body",
    };
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="group" aria-labelledby="chart-title chart-desc" class="pw-chart" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="14"><title id="chart-title">Structure chart of {council} partnerships</title><desc id="chart-desc">{what}: {n} boxes drawn as a tree of reporting lines and parts, each a link, with {c} other relations as dashed lines. The page lists the same structure in words.</desc>"##,
        n = rows.len(),
        c = cross.len()
    );
    // Tree connectors: from a parent's left edge down to each child's middle.
    s.push_str(r##"<g stroke-width="1.5" fill="none" aria-hidden="true">"##);
    let mut parent_at: Vec<usize> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        parent_at.truncate(r.depth);
        if let Some(&p) = parent_at.last() {
            let kind = r.slug.as_deref().and_then(|s| ix.parent_of(s)).map_or(RelationKind::ReportsTo, |rel| rel.kind);
            let (colour, dash) = line_style(kind);
            let (px, py) = (boxes[p].0 + 10.0, boxes[p].1 + BOX_H);
            let (cx, cy) = (boxes[i].0, boxes[i].1 + BOX_H / 2.0);
            let _ = write!(s, r#"<path d="M{px:.1} {py:.1}V{cy:.1}H{cx:.1}" stroke="{colour}" stroke-dasharray="{dash}"/>"#);
        }
        parent_at.push(i);
    }
    s.push_str("</g>");
    for (r, (x, y, w)) in rows.iter().zip(&boxes) {
        let (fill, stroke) = if r.slug.is_some() { ("#ffffff", "#0b0c0c") } else { ("#f3f2f1", "#505a5f") };
        let _ = write!(
            s,
            r##"<a href="{href}" class="pw-chart__box"><title>{title}</title><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{BOX_H}" rx="3" fill="{fill}" stroke="{stroke}" stroke-width="1"/><rect x="{x:.1}" y="{y:.1}" width="4" height="{BOX_H}" fill="var(--pw-brand, #2b5b34)"/><text x="{tx:.1}" y="{ty:.1}" fill="#1d70b8" text-decoration="underline">{t}</text></a>"##,
            href = esc(&r.href),
            title = esc(&r.title),
            tx = x + 12.0,
            ty = y + 17.0,
            t = esc(&r.text),
        );
    }
    for (lane, r) in cross.iter().enumerate() {
        let (a, b) = (pos[r.from.as_str()], pos[r.to.as_str()]);
        let lx = lane0 + lane as f64 * 14.0;
        let (ax, ay) = (boxes[a].0 + boxes[a].2, boxes[a].1 + BOX_H / 2.0 - 3.0);
        let (bx, by) = (boxes[b].0 + boxes[b].2, boxes[b].1 + BOX_H / 2.0 + 3.0);
        let (colour, dash) = line_style(r.kind);
        let _ = write!(
            s,
            r#"<path d="M{ax:.1} {ay:.1}H{lx:.1}V{by:.1}H{bx:.1}" fill="none" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}" marker-end="url(#arrow)" aria-hidden="true"><title>{from} {what} {to}</title></path>"#,
            from = esc(&ix.body(r.from.as_str()).map(label).unwrap_or_default()),
            what = r.kind.label().to_lowercase(),
            to = esc(&ix.body(r.to.as_str()).map(label).unwrap_or_default())
        );
    }
    s.push_str(r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#505a5f"/></marker></defs></svg>"##);
    Chart { svg: s, boxes: rows.len() }
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
            RelationKind::Replaces => beside.push((other, "Was replaced by".to_owned())),
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
