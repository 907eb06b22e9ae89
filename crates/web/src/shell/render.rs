//! Rendering a page: the template and its context, the council as the viewer
//! may see it, breadcrumbs, and the site's origin for absolute links.

use crate::shell::errors::{not_found, AppError};
use crate::shell::templates;
use crate::AppState;
use axum::response::Html;
use minijinja::Value;
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use serde_json::json;
use std::sync::Arc;

/// The site's public address (`--base-url`), for absolute links in feeds,
/// the sitemap and reset links: configured, never taken from the request's
/// Host header, which anyone can set.
pub(crate) fn origin(state: &AppState) -> String {
    state.base_url.to_string()
}

pub(crate) type Page = Result<Html<String>, AppError>;

pub(crate) fn page(name: &str, ctx: serde_json::Value) -> Page {
    Ok(Html(templates::render(name, Value::from_serialize(&ctx))?))
}

/// A council's register as the viewer may see it: the public register for
/// anonymous visitors, with what their roles open for those signed in.
pub(crate) fn council_of(state: &AppState, slug: &str) -> Result<Arc<Index>, AppError> {
    let site = state.site();
    let ix = match crate::shell::auth::viewer() {
        Some(v) => site.council_for(slug, &v.actor_in(slug)),
        None => site.council(slug).cloned(),
    };
    ix.ok_or_else(|| not_found(format!("There is no council called “{slug}” on this site.")))
}

pub(crate) fn council_json(ix: &Index) -> serde_json::Value {
    let c = &ix.register.council;
    let needs = ix.register.values.iter().any(|v| v.indicator.as_str() == placeworks_domain::places::needs::IMD_RANK);
    json!({ "slug": c.slug, "name": c.name, "brand_colour": c.brand_colour, "attribution": c.attribution, "description": c.description, "sources": c.sources, "needs": needs, "services": !ix.register.baselines.is_empty(), "programmes": !ix.register.programmes.is_empty() })
}

pub(crate) fn crumbs(ix: &Index, extra: &[(&str, String)]) -> serde_json::Value {
    let c = ix.register.council.slug.as_str();
    let mut out = vec![json!({ "label": "Home", "href": format!("/{c}") })];
    for (label, href) in extra {
        out.push(json!({ "label": label, "href": href }));
    }
    json!(out)
}

pub(crate) fn party(ix: &Index, p: &Party) -> serde_json::Value {
    let kind = match p {
        Party::Organisation(_) => "organisation",
        Party::Body(_) => "body",
    };
    json!({ "type": kind, "slug": p.slug(), "name": ix.party_name(p) })
}

/// The sources a record cites, each by its title (and date), for the record's page.
pub(crate) fn source_titles(ix: &Index, keys: &[placeworks_domain::Slug]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| ix.register.council.sources.iter().find(|s| &s.key == k))
        .map(|s| match &s.date {
            Some(d) => format!("{} ({})", s.title, d.display()),
            None => s.title.clone(),
        })
        .collect()
}
