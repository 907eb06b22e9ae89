//! Reading a council's dataset folder: its files, where in them a value came
//! from, and the reader every capability's `dataset` room reports its
//! problems and references through, so one dataset yields every problem at
//! once and references are checked after everything is declared.

mod table;

pub(crate) use placeworks_kernel::problems::suggestion;
pub use placeworks_kernel::problems::{Problem, Problems};
pub use table::CSV_COLUMNS;
pub(crate) use table::{columns, example_columns, Table};

use crate::ids::{PartialDate, Slug};
use placeworks_kernel::problems::{line_of, Collector};
use placeworks_kernel::Exemption;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use toml::Spanned;

/// A dataset's files, by path relative to the dataset folder (with `/`).
#[derive(Debug, Clone, Default)]
pub struct DatasetFiles {
    files: BTreeMap<String, String>,
}

impl DatasetFiles {
    /// Reads every file under a folder.
    pub fn from_dir(root: &Path) -> std::io::Result<DatasetFiles> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) -> std::io::Result<()> {
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    walk(root, &path, out)?;
                } else {
                    let rel = path.strip_prefix(root).unwrap_or(&path);
                    let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                    let bytes = std::fs::read(&path)?;
                    let text = String::from_utf8(bytes)
                        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{rel} is not UTF-8 text; save it as UTF-8")))?;
                    out.insert(rel, text);
                }
            }
            Ok(())
        }
        if !root.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not a folder; give the folder that holds council.toml", root.display()),
            ));
        }
        let mut files = BTreeMap::new();
        walk(root, root, &mut files)?;
        Ok(DatasetFiles { files })
    }

    /// Builds a dataset from (path, text) pairs: embedded data and tests.
    pub fn from_pairs<P: Into<String>, T: Into<String>>(pairs: impl IntoIterator<Item = (P, T)>) -> DatasetFiles {
        DatasetFiles { files: pairs.into_iter().map(|(p, t)| (p.into(), t.into())).collect() }
    }

    /// The text of one file.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Replaces or adds one file (used by tests to break a dataset on purpose).
    pub fn set(&mut self, path: &str, text: impl Into<String>) {
        self.files.insert(path.to_owned(), text.into());
    }

    /// Every path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

// ---- the TOML files as written -------------------------------------------------

pub(crate) type S = Spanned<String>;

/// Where in a file a value came from.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub(crate) file: &'a str,
    pub(crate) line: usize,
}

/// A reference to check once everything is declared.
pub(crate) struct Reference<'a> {
    pub(crate) at: At<'a>,
    pub(crate) field: &'static str,
    pub(crate) to: Target,
    pub(crate) value: String,
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Target {
    Organisation,
    Body,
    Person,
    Post,
    Area,
    Source,
    Indicator,
    Meeting,
    Decision,
}

impl Target {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Target::Organisation => "organisation",
            Target::Body => "body",
            Target::Person => "person",
            Target::Post => "post",
            Target::Area => "area",
            Target::Source => "source",
            Target::Indicator => "indicator",
            Target::Meeting => "meeting",
            Target::Decision => "decision",
        }
    }
    /// The one file that declares records of this kind, where there is one.
    pub(crate) fn file(self) -> Option<&'static str> {
        match self {
            Target::Organisation => Some("organisations.csv"),
            Target::Person => Some("people.csv"),
            Target::Area => Some("areas.csv"),
            Target::Source => Some("council.toml"),
            Target::Indicator => Some("indicators.csv"),
            Target::Meeting => Some("meetings.csv"),
            Target::Body | Target::Post | Target::Decision => None,
        }
    }
    pub(crate) fn declared_in(self) -> &'static str {
        match self {
            Target::Organisation => "organisations are declared in organisations.csv",
            Target::Body => "bodies are declared in bodies/*.toml",
            Target::Person => "people are declared in people.csv",
            Target::Post => "posts come from seats with a `post` title, or posts.csv",
            Target::Area => "areas are declared in areas.csv",
            Target::Source => "sources are declared as [[source]] in council.toml",
            Target::Indicator => "indicators are declared in indicators.csv",
            Target::Meeting => "meetings are declared in meetings.csv",
            Target::Decision => "decisions are declared in decisions/*.toml",
        }
    }
}

pub(crate) struct Reader<'a> {
    pub(crate) c: Collector,
    pub(crate) refs: Vec<Reference<'a>>,
    /// Names declared by records that have problems of their own: references
    /// to them are not reported again, so one mistake gives one message.
    pub(crate) declared: Vec<(Target, String)>,
    /// Files that could not be read at all (their TOML does not parse).
    pub(crate) unread: Vec<String>,
}

impl<'a> Reader<'a> {
    pub(crate) fn refer(&mut self, at: At<'a>, field: &'static str, to: Target, value: &str) {
        self.refs.push(Reference { at, field, to, value: value.to_owned() });
    }

    /// A reference to another record (checked once everything is read), as a slug.
    pub(crate) fn referred(&mut self, at: At<'a>, field: &'static str, to: Target, value: &str) -> Option<Slug> {
        self.refer(at, field, to, value);
        self.slug(at, field, value)
    }

    pub(crate) fn slug(&mut self, at: At<'a>, field: &str, value: &str) -> Option<Slug> {
        Slug::parse(value).map_err(|e| self.c.add(at.file, Some(at.line), Some(field), e)).ok()
    }

    pub(crate) fn exempt(&mut self, at: At<'a>, field: &str, value: Option<&str>) -> Option<Exemption> {
        let v = value?;
        Exemption::parse(v).map_err(|e| self.c.add(at.file, Some(at.line), Some(field), e)).ok()
    }

    pub(crate) fn date(&mut self, at: At<'a>, field: &str, value: Option<&str>) -> Option<PartialDate> {
        let v = value?;
        PartialDate::parse(v).map_err(|e| self.c.add(at.file, Some(at.line), Some(field), e)).ok()
    }

    /// A CSV row's `sources` column: keys of the council's `[[source]]`,
    /// separated by semicolons, each checked once everything is declared.
    pub(crate) fn sources_column(&mut self, at: At<'a>, value: Option<&str>) -> Vec<Slug> {
        let keys = value.map(|v| v.split(';').map(str::trim).filter(|k| !k.is_empty()).collect::<Vec<_>>()).unwrap_or_default();
        keys.into_iter()
            .filter_map(|k| {
                self.refer(at, "sources", Target::Source, k);
                self.slug(at, "sources", k)
            })
            .collect()
    }

    /// A record's `example` marks (a CSV column separated by semicolons, or
    /// a TOML list): the fields whose values are the example's, each one of
    /// `fields`, the fields of that kind of record.
    pub(crate) fn example_fields<'v>(&mut self, marks: impl IntoIterator<Item = (At<'a>, &'v str)>, fields: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (at, m) in marks {
            let m = m.trim();
            if m.is_empty() {
                continue;
            }
            if !fields.contains(&m) {
                let hint = suggestion(m, fields.iter().copied());
                self.c.add(
                    at.file,
                    Some(at.line),
                    Some("example"),
                    format!("`{m}` is not a field of this record{hint}; the fields that may be marked as the example's are: {}", fields.join(", ")),
                );
            } else if out.iter().any(|o| o == m) {
                self.c.add(at.file, Some(at.line), Some("example"), format!("`{m}` is marked twice"));
            } else {
                out.push(m.to_owned());
            }
        }
        out
    }
}

/// The marks of a CSV row's `example` column, each at the row's line.
pub(crate) fn example_column<'a, 'v>(at: At<'a>, value: Option<&'v str>) -> Vec<(At<'a>, &'v str)> {
    value.map(|v| v.split(';').map(|m| (at, m)).collect()).unwrap_or_default()
}

pub(crate) fn toml_problem(file: &str, text: &str, e: &toml::de::Error, c: &mut Collector) {
    let span = e.span();
    let line = span.as_ref().map(|s| line_of(text, s.start));
    // The key on the offending line is the field; inside an inline table
    // ({ notice_days = -3 }) the nearest key before the value, under it.
    let field = span.as_ref().zip(line).and_then(|(s, l)| {
        let line_start = text[..s.start.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
        let row = text.lines().nth(l - 1)?;
        let outer = row.split_once('=').map(|(k, _)| k.trim()).filter(|k| !k.is_empty() && !k.starts_with('['))?;
        let before = &text[line_start..s.start.min(text.len())];
        let inner =
            before.rfind('=').and_then(|eq| before[..eq].trim_end().rsplit(|ch: char| ch == '{' || ch == ',' || ch.is_whitespace()).next()).map(str::trim);
        // An unknown key is named by the message itself ("unknown field `votes`").
        let named = e.message().strip_prefix("unknown field `").and_then(|r| r.split('`').next());
        Some(match (named, inner) {
            (Some(k), _) if k != outer => format!("{outer}.{k}"),
            (None, Some(k)) if !k.is_empty() && k != outer && before.contains('{') => format!("{outer}.{k}"),
            _ => outer.to_owned(),
        })
    });
    c.add(file, line, field.as_deref(), plain_words(e.message()));
}

/// The TOML parser's words put as an officer would: what was found, and how to write it.
fn plain_words(message: &str) -> String {
    let m = message.trim().replace('\n', " ");
    // "string \"seven\"" → `seven`; "integer `-3`" → `-3`.
    let found = |m: &str| {
        m.split_once("invalid type: ").or_else(|| m.split_once("invalid value: ")).map(|(_, rest)| {
            let what = rest.split(", expected").next().unwrap_or(rest);
            let value = what.split_once(' ').map_or(what, |(_, v)| v).trim_matches(['"', '`']);
            format!("`{value}`")
        })
    };
    if m.contains("invalid value: integer `-") {
        return format!("{} is below zero: write a number of 0 or more", found(&m).unwrap_or_else(|| "this".into()));
    }
    if m.contains("expected u32") || m.contains("expected u16") || m.contains("expected usize") || m.contains("expected i64") {
        return format!("{} is not a whole number: write a number such as 7, without quotes", found(&m).unwrap_or_else(|| "this".into()));
    }
    if m.contains("expected a boolean") {
        return format!("{} is not true or false: write true or false, without quotes", found(&m).unwrap_or_else(|| "this".into()));
    }
    if m.contains("expected a sequence") {
        return format!("{} is not a list: write a list in square brackets, like [\"first\", \"second\"]", found(&m).unwrap_or_else(|| "this".into()));
    }
    if m.contains("expected a string") {
        return format!("{} is not text: put text in double quotes, like \"Meets monthly\"", found(&m).unwrap_or_else(|| "this".into()));
    }
    if m.contains("invalid escape sequence") || m.contains("invalid basic string") {
        return "a backslash inside double quotes starts an escape: write \\\\ for a backslash, or put the text in single quotes".to_owned();
    }
    if let Some(rest) = m.strip_prefix("unknown field ") {
        // "`votes`, expected one of `consensus`, `voting`, ...": suggest the nearest key.
        let name = rest.split('`').nth(1).unwrap_or_default();
        let keys: Vec<&str> = rest.split_once("expected").map(|(_, k)| k.split('`').skip(1).step_by(2).collect()).unwrap_or_default();
        let hint = suggestion(name, keys.iter().copied());
        return format!("unknown key `{name}`{hint}; the keys are {}", keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "));
    }
    if let Some(rest) = m.strip_prefix("missing field ") {
        return format!("the key {rest} is missing");
    }
    m
}

/// Records a slug's first line in a CSV file, reporting any later use.
pub(crate) fn first_use(seen: &mut HashMap<Slug, usize>, slug: &Slug, line: usize, file: &str, c: &mut Collector) {
    if let Some(first) = seen.insert(slug.clone(), line) {
        c.add(file, Some(line), Some("slug"), format!("duplicate slug `{slug}`: line {first} already uses it"));
    }
}
