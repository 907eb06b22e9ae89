//! Services in a dataset: services.csv.

use crate::reader::*;
use crate::services::model::*;
use std::collections::HashMap;

pub(crate) fn read_services(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<ServicePoint> {
    const FILE: &str = "services.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let Some(t) = Table::read(FILE, text, columns(FILE).0, columns(FILE).1, &mut r.c) else { return Vec::new() };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let (Some(slug), Some(name), Some(kind), Some(area)) =
            (t.req(row, "slug", &mut r.c), t.req(row, "name", &mut r.c), t.req(row, "kind", &mut r.c), t.req(row, "area", &mut r.c))
        else {
            continue;
        };
        let Some(slug) = r.slug(at, "slug", slug) else { continue };
        first_use(&mut seen, &slug, row.line, FILE, &mut r.c);
        r.refer(at, "area", Target::Area, area);
        let Ok(kind) = ServiceKind::parse(kind).map_err(|e| r.c.add(FILE, Some(row.line), Some("kind"), e)) else { continue };
        let extended = match t.opt(row, "extended").map(str::to_lowercase).as_deref() {
            None | Some("no" | "false") => false,
            Some("yes" | "true") => true,
            Some(other) => {
                r.c.add(FILE, Some(row.line), Some("extended"), format!("`{other}` is not yes or no"));
                false
            }
        };
        if extended && kind != ServiceKind::School {
            r.c.add(FILE, Some(row.line), Some("extended"), "only schools are extended schools: leave `extended` empty for other kinds");
        }
        out.push(ServicePoint { slug, name: name.to_owned(), kind, extended, area: area.to_owned(), note: t.opt(row, "note").map(str::to_owned) });
    }
    out
}
