//! CSV tables as a council officer writes them: a header row, one record per
//! line, optional columns left empty. Problems name the file, line and column.

use placeworks_kernel::problems::Collector;

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
        for want in required {
            if !headers.iter().any(|h| h == want) {
                c.add(file, Some(1), Some(want), format!("the column `{want}` is missing; the columns are: {}", expected()));
                ok = false;
            }
        }
        for h in &headers {
            if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
                c.add(file, Some(1), Some(h), format!("unknown column `{h}`; the columns are: {}", expected()));
                ok = false;
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
