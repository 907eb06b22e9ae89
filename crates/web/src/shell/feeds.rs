//! Feeds: Atom (RFC 4287) documents and iCalendar (RFC 5545) answers, for
//! any capability's pages.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use placeworks_domain::register::Index;

/// One entry of an Atom feed.
pub struct Entry {
    pub title: String,
    /// The page it is about, under the site's origin: also its id.
    pub path: String,
    /// RFC 3339.
    pub updated: String,
    pub summary: String,
}

pub(crate) fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An Atom feed (RFC 4287) of `entries`, newest first, for the page at `path`.
pub fn atom_feed(ix: &Index, state: &crate::AppState, title: &str, path: &str, entries: &[Entry]) -> axum::response::Response {
    use axum::response::IntoResponse;
    let base = crate::shell::render::origin(state);
    let updated = entries.iter().map(|e| e.updated.as_str()).max().unwrap_or("1970-01-01T00:00:00Z");
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml(title)));
    out.push_str(&format!(
        "  <id>{base}{path}</id>\n  <link rel=\"self\" href=\"{base}{path}.atom\"/>\n  <link href=\"{base}{path}\"/>\n  <updated>{updated}</updated>\n"
    ));
    out.push_str(&format!("  <author><name>{}</name></author>\n", xml(&ix.register.council.name)));
    for e in entries {
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml(&e.title)));
        out.push_str(&format!("    <id>{base}{}</id>\n    <link href=\"{base}{}\"/>\n", xml(&e.path), xml(&e.path)));
        out.push_str(&format!("    <updated>{}</updated>\n", e.updated));
        out.push_str(&format!("    <summary>{}</summary>\n", xml(&e.summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    ([(axum::http::header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], out).into_response()
}

pub(crate) fn ics_response(name: &str, text: String) -> Response {
    ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}.ics\""))], text)
        .into_response()
}
