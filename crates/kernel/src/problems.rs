//! Problems with what a person or a file gave: each names the file, the line
//! and the field, says what was expected, and where it can, suggests the fix.
//! Every capability's dataset reader and importer reports in these.

use std::fmt;

/// One problem in a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, relative to the dataset folder.
    pub file: String,
    /// The 1-based line, where the problem has one.
    pub line: Option<usize>,
    /// The field (TOML key or CSV column).
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a dataset. A dataset with any problem loads nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "the dataset has {n} problem{}:", if n == 1 { "" } else { "s" })?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// Collects problems while a dataset is read, so that one run reports them all.
#[derive(Debug, Default)]
pub struct Collector {
    pub problems: Vec<Problem>,
}

impl Collector {
    pub fn add(&mut self, file: &str, line: Option<usize>, field: Option<&str>, message: impl Into<String>) {
        self.problems.push(Problem { file: file.to_owned(), line, field: field.map(str::to_owned), message: message.into() });
    }
}

/// "did you mean `x`?" for the closest known name, when one is close enough.
pub fn suggestion<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let best = known.into_iter().map(|k| (levenshtein(wanted, k), k)).min_by_key(|(d, _)| *d);
    match best {
        Some((d, k)) if d <= (wanted.len() / 3).max(2) => format!(" (did you mean `{k}`?)"),
        _ => String::new(),
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The 1-based line of a byte offset in a text.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(suggestion("bsp-bord", ["bsp-board", "cadex"]), " (did you mean `bsp-board`?)");
        assert_eq!(suggestion("growth", ["bsp-board", "cadex"]), "");
    }

    #[test]
    fn problems_read_file_line_field_message() {
        let p = Problem { file: "bodies/a.toml".into(), line: Some(4), field: Some("reports_to".into()), message: "unknown body `x`".into() };
        assert_eq!(p.to_string(), "bodies/a.toml:4: field `reports_to`: unknown body `x`");
    }
}
