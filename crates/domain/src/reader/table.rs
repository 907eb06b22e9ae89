//! CSV tables as a council officer writes them: a header row, one record per
//! line, optional columns left empty. Problems name the file, line and column.

use placeworks_kernel::problems::Collector;

/// Every CSV file of a dataset with the columns the loader reads: those it
/// requires, then those that may be left out. docs/DATASET.md describes each
/// (a test checks it does).
pub const CSV_COLUMNS: &[(&str, &[&str], &[&str])] = &[
    ("organisations.csv", &["slug", "name", "kind", "sector"], &["short_name", "parent", "ended", "note", "sources", "example"]),
    ("people.csv", &["slug", "name"], &["note", "exempt", "sources", "example"]),
    ("posts.csv", &["slug", "title"], &["organisation", "body", "holder", "area", "party", "start_date", "end_date", "sources", "example"]),
    ("memberships.csv", &["slug", "body", "seat"], &["person", "start_date", "end_date", "substitutes", "exempt"]),
    ("areas.csv", &["code", "name", "kind"], &["parent", "valid_from", "valid_to", "members", "note", "sources", "example"]),
    ("indicators.csv", &["slug", "name", "unit", "polarity", "source", "licence", "geography"], &["theme", "frequency", "note"]),
    ("values/*.csv", &["area_code", "indicator", "period", "value"], &[]),
    ("meetings.csv", &["slug", "body", "date", "status"], &["time", "group", "planned_for", "note", "sources", "example"]),
    ("services.csv", &["slug", "name", "kind", "area"], &["extended", "note"]),
];

/// The fields of a CSV file's records that may be marked as the example's:
/// every column but the identifier and the marks themselves.
pub(crate) fn example_columns(file: &str) -> Vec<&'static str> {
    let (required, optional) = columns(file);
    required.iter().skip(1).chain(optional).copied().filter(|c| !matches!(*c, "sources" | "example" | "note" | "exempt")).collect()
}

/// The columns of one CSV file: required, then optional.
pub(crate) fn columns(file: &str) -> (&'static [&'static str], &'static [&'static str]) {
    CSV_COLUMNS.iter().find(|(f, _, _)| *f == file).map(|(_, r, o)| (*r, *o)).expect("every CSV file is listed in CSV_COLUMNS")
}

/// A CSV file read into rows, each remembering its line.
pub(crate) struct Table<'a> {
    pub file: &'a str,
    headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One record and the line it starts on.
pub(crate) struct Row {
    pub line: usize,
    values: Vec<String>,
}

impl<'a> Table<'a> {
    /// Reads `text`, checking that every `required` column is there and no
    /// column is unknown. Returns `None` (with problems recorded) when the
    /// header is unusable.
    pub fn read(file: &'a str, text: &str, required: &[&str], optional: &[&str], c: &mut Collector) -> Option<Table<'a>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
            Err(e) => {
                c.add(file, Some(1), None, format!("cannot read the header row: {e}"));
                return None;
            }
        };
        let expected = || {
            let mut all: Vec<&str> = required.to_vec();
            all.extend(optional);
            all.join(", ")
        };
        let mut ok = true;
        let known: Vec<&str> = required.iter().chain(optional).copied().collect();
        // A column written in other letters, or misspelt, is one problem: its name.
        let meant = |h: &str| -> Option<&str> {
            known.iter().copied().find(|w| w.eq_ignore_ascii_case(h)).or_else(|| {
                let hint = placeworks_kernel::problems::suggestion(h, known.iter().copied());
                known.iter().copied().find(|w| hint.contains(&format!("`{w}`")))
            })
        };
        let mut renamed: Vec<&str> = Vec::new();
        for h in &headers {
            if known.contains(&h.as_str()) {
                continue;
            }
            ok = false;
            match meant(h) {
                Some(w) if w.eq_ignore_ascii_case(h) => {
                    renamed.push(w);
                    c.add(file, Some(1), Some(h), format!("the column `{h}` must be written `{w}`: column names are case-sensitive"));
                }
                Some(w) => {
                    renamed.push(w);
                    c.add(file, Some(1), Some(h), format!("unknown column `{h}`: did you mean `{w}`? The columns are: {}", expected()));
                }
                None => c.add(file, Some(1), Some(h), format!("unknown column `{h}`; the columns are: {}", expected())),
            }
        }
        for want in required {
            if !headers.iter().any(|h| h == want) {
                ok = false;
                if !renamed.contains(want) {
                    c.add(file, Some(1), Some(want), format!("the column `{want}` is missing; the columns are: {}", expected()));
                }
            }
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| p.line() as usize);
                    if r.iter().all(|v| v.trim().is_empty()) {
                        continue;
                    }
                    rows.push(Row { line, values: r.iter().map(|v| v.trim().to_owned()).collect() });
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize);
                    let msg = match e.kind() {
                        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                            format!("this row has {len} fields but the header has {expected_len}; a value containing a comma must be in double quotes")
                        }
                        _ => e.to_string(),
                    };
                    c.add(file, line, None, msg);
                    ok = false;
                }
            }
        }
        ok.then_some(Table { file, headers, rows })
    }

    fn index(&self, column: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == column)
    }

    /// The value of an optional column; empty is `None`.
    pub fn opt<'r>(&self, row: &'r Row, column: &str) -> Option<&'r str> {
        self.index(column).map(|i| row.values[i].as_str()).filter(|v| !v.is_empty())
    }

    /// The value of a required column, recording a problem when it is empty.
    pub fn req<'r>(&self, row: &'r Row, column: &str, c: &mut Collector) -> Option<&'r str> {
        let v = self.opt(row, column);
        if v.is_none() {
            c.add(self.file, Some(row.line), Some(column), "this value is required and is empty");
        }
        v
    }
}
