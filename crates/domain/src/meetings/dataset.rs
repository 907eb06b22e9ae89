//! Meetings in a dataset: meetings.csv.

use crate::ids::Slug;
use crate::meetings::model::*;
use crate::reader::*;
use std::collections::HashMap;

pub(crate) fn read_meetings(files: &DatasetFiles, r: &mut Reader<'_>) -> Vec<Meeting> {
    const FILE: &str = "meetings.csv";
    let Some(text) = files.get(FILE) else { return Vec::new() };
    let Some(t) = Table::read(FILE, text, columns(FILE).0, columns(FILE).1, &mut r.c) else { return Vec::new() };
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for row in &t.rows {
        let at = At { file: FILE, line: row.line };
        let (Some(slug), Some(body), Some(date), Some(status)) =
            (t.req(row, "slug", &mut r.c), t.req(row, "body", &mut r.c), t.req(row, "date", &mut r.c), t.req(row, "status", &mut r.c))
        else {
            continue;
        };
        let Some(slug) = r.slug(at, "slug", slug) else { continue };
        first_use(&mut seen, &slug, row.line, FILE, &mut r.c);
        r.refer(at, "body", Target::Body, body);
        let date = r.date(at, "date", Some(date));
        let status = MeetingStatus::parse(status).map_err(|e| r.c.add(FILE, Some(row.line), Some("status"), e)).ok();
        let time = t.opt(row, "time").and_then(|x| {
            chrono::NaiveTime::parse_from_str(x, "%H:%M")
                .map_err(|_| r.c.add(FILE, Some(row.line), Some("time"), format!("`{x}` is not a time like 10:00 (London time)")))
                .ok()
        });
        let planned_for = t.opt(row, "planned_for").and_then(|x| {
            chrono::NaiveDateTime::parse_from_str(x, "%Y-%m-%dT%H:%M")
                .map_err(|_| r.c.add(FILE, Some(row.line), Some("planned_for"), format!("`{x}` is not a date and time like 2027-01-14T10:00")))
                .ok()
        });
        let group = t.opt(row, "group").and_then(|g| r.slug(at, "group", g));
        let sources = r.sources_column(at, t.opt(row, "sources"));
        let example = r.example_fields(example_column(at, t.opt(row, "example")), &example_columns(FILE));
        let (Some(body), Some(date), Some(status)) = (Slug::parse(body).ok(), date, status) else { continue };
        out.push(Meeting { note: t.opt(row, "note").map(str::to_owned), sources, example, ..Meeting::new(slug, body, date, time, status, group, planned_for) });
    }
    out
}
