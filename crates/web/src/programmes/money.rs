//! A council's money on the web: its funds with what is allocated, bid for
//! and spent; partners' matched contributions; agreements to devolve
//! services; and the money by place set against each place's need, as a
//! chart and a table.

use crate::shell::render::{council_json, council_of, crumbs, page, source_titles, Page};
use crate::shell::svg::esc;
use crate::AppState;
use axum::extract::{Path, State};
use placeworks_domain::programmes::queries::{money_by_place, PlaceMoney};
use placeworks_domain::programmes::{pounds, Fund};
use placeworks_domain::register::Index;
use serde_json::json;

/// A fund as its row in a table: its amount and what is allocated, bid for, spent and matched.
pub(crate) fn fund_row(ix: &Index, f: &Fund) -> serde_json::Value {
    let matched: f64 = ix.register.contributions.iter().filter(|c| c.fund.as_ref() == Some(&f.slug)).map(|c| c.amount).sum();
    let bids: Vec<_> = f
        .bids
        .iter()
        .map(|b| json!({ "name": b.name, "amount": pounds(b.amount), "status": b.status.label(), "by": b.by.as_ref().map(|p| ix.party_name(p)) }))
        .collect();
    json!({
        "slug": f.slug, "name": f.name, "kind": f.kind.label(), "source": f.source, "example": f.example,
        "held_by": f.held_by.as_ref().map(|p| crate::shell::render::party(ix, p)),
        "programme": f.programme.as_ref().and_then(|p| ix.register.programmes.iter().find(|x| &x.slug == p)).map(|p| json!({ "slug": p.slug, "name": p.name })),
        "amount": pounds(f.amount), "period": f.period.map(|p| p.label()), "each_year": f.each_year, "conditions": f.conditions,
        "allocated": pounds(f.allocated()), "spent": pounds(f.spent()), "matched": (matched > 0.0).then(|| pounds(matched)),
        "allocations": f.allocations.iter().map(|a| json!({
            "name": a.name, "amount": pounds(a.amount),
            "initiative": a.initiative.as_ref().and_then(|i| ix.register.initiatives.iter().find(|x| &x.slug == i)).map(|i| json!({ "slug": i.slug, "name": i.name, "programme": i.programme })),
            "area": a.area.as_ref().and_then(|c| ix.area(c)).map(|x| json!({ "code": x.code, "name": x.name })),
        })).collect::<Vec<_>>(),
        "bids": bids,
        "areas": f.areas.iter().filter_map(|c| ix.area(c)).map(|x| json!({ "code": x.code, "name": x.name })).collect::<Vec<_>>(),
        "sources": source_titles(ix, &f.sources),
    })
}

/// The council's money.
pub async fn money(State(state): State<AppState>, Path(council): Path<String>) -> Page {
    let ix = council_of(&state, &council)?;
    let funds: Vec<_> = ix.register.funds.iter().map(|f| fund_row(&ix, f)).collect();
    let contributions: Vec<_> = ix
        .register
        .contributions
        .iter()
        .map(|c| {
            json!({
                "slug": c.slug, "name": c.name, "amount": c.amount_words.clone().unwrap_or_else(|| pounds(c.amount)), "each_year": c.each_year,
                "status": c.status.label(), "note": c.note, "example": c.example,
                "partner": ix.organisation(c.partner.as_str()).map(|o| json!({ "slug": o.slug, "name": o.name })),
                "fund": c.fund.as_ref().and_then(|f| ix.register.funds.iter().find(|x| &x.slug == f)).map(|f| f.name.clone()),
            })
        })
        .collect();
    let agreements: Vec<_> = ix
        .register
        .agreements
        .iter()
        .map(|g| {
            json!({
                "slug": g.slug, "status": g.status.label(), "note": g.note, "example": g.example,
                "parish": ix.organisation(g.parish.as_str()).map(|o| json!({ "slug": o.slug, "name": o.name })),
                "with": g.with.as_ref().and_then(|w| ix.organisation(w.as_str())).map(|o| o.name.clone()),
                "services": g.services.iter().map(|s| json!({ "service": s.service, "quantity": s.quantity })).collect::<Vec<_>>(),
                "contribution": g.contribution.map(pounds),
                "starts": g.starts.as_ref().map(|d| d.display()), "ends": g.ends.as_ref().map(|d| d.display()),
            })
        })
        .collect();
    let needs = state.site().needs(ix.register.council.slug.as_str());
    let places = money_by_place(&ix.register, needs.as_deref());
    let rows: Vec<_> = places.iter().map(place_row).collect();
    let c = ix.register.council.slug.as_str();
    page(
        "money.html",
        json!({
            "council": council_json(&ix), "page_title": "Money", "section": "programmes",
            "breadcrumbs": crumbs(&ix, &[("Programmes", format!("/{c}/programmes"))]),
            "funds": funds, "contributions": contributions, "agreements": agreements,
            "places": rows, "chart": (!places.is_empty()).then(|| chart(&places)),
        }),
    )
}

fn place_row(p: &PlaceMoney) -> serde_json::Value {
    json!({
        "code": p.code, "name": p.name, "amount": pounds(p.amount),
        "items": p.items.iter().map(|(what, amount)| json!({ "what": what, "amount": pounds(*amount) })).collect::<Vec<_>>(),
        "score": p.need.as_ref().map(|n| format!("{:.1}", n.average_score)),
        "rank": p.need.as_ref().map(|n| n.rank),
        "extent": p.need.as_ref().map(|n| format!("{:.0}%", n.extent * 100.0)),
        "need_from": p.need_from,
    })
}

/// The money by place beside each place's need, most in need first: two
/// bars a place, drawn by the server.
fn chart(places: &[PlaceMoney]) -> String {
    let mut rows: Vec<&PlaceMoney> = places.iter().collect();
    rows.sort_by(|a, b| {
        let s = |p: &PlaceMoney| p.need.as_ref().map_or(f64::NEG_INFINITY, |n| n.average_score);
        s(b).total_cmp(&s(a)).then_with(|| a.name.cmp(&b.name))
    });
    let max_money = rows.iter().map(|p| p.amount).fold(0.0_f64, f64::max).max(1.0);
    let max_need = rows.iter().filter_map(|p| p.need.as_ref().map(|n| n.average_score)).fold(0.0_f64, f64::max).max(1.0);
    let (label_w, bar_w, row_h, top) = (150.0, 200.0, 44.0, 40.0);
    let width = label_w + 2.0 * bar_w + 40.0;
    let height = top + row_h * rows.len() as f64 + 10.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"money-need-title\" class=\"pw-money-chart\">\
         <title id=\"money-need-title\">Money recorded by place beside each place's need (average deprivation score), most in need first</title>\
         <text x=\"{label_w}\" y=\"20\" font-size=\"14\" font-weight=\"700\" fill=\"#0b0c0c\">Need (average IMD score)</text>\
         <text x=\"{}\" y=\"20\" font-size=\"14\" font-weight=\"700\" fill=\"#0b0c0c\">Money recorded</text>",
        label_w + bar_w + 20.0
    );
    for (i, p) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        svg.push_str(&format!("<text x=\"0\" y=\"{}\" font-size=\"14\" fill=\"#0b0c0c\">{}</text>", y + 20.0, esc(&p.name)));
        match &p.need {
            Some(n) => {
                let w = (n.average_score / max_need * (bar_w - 50.0)).max(1.0);
                svg.push_str(&format!(
                    "<rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"20\" fill=\"#d4351c\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"14\" fill=\"#0b0c0c\">{:.1}</text>",
                    y + 6.0,
                    label_w + w + 4.0,
                    y + 20.0,
                    n.average_score
                ));
            }
            None => svg.push_str(&format!("<text x=\"{label_w}\" y=\"{}\" font-size=\"14\" fill=\"#505a5f\">Not known</text>", y + 20.0)),
        }
        let x = label_w + bar_w + 20.0;
        let w = (p.amount / max_money * (bar_w - 90.0)).max(1.0);
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{w:.1}\" height=\"20\" fill=\"#1d70b8\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"14\" fill=\"#0b0c0c\">{}</text>",
            y + 6.0,
            x + w + 4.0,
            y + 20.0,
            esc(&pounds(p.amount))
        ));
    }
    svg.push_str("</svg>");
    svg
}
