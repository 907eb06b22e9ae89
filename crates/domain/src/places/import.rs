//! Reading indicator files as real publishers write them: a UTF-8 byte-order
//! mark, quoted headers with commas in them, numbers with thousands
//! separators ("1,296"), and the usual markers for a value that is not there
//! (`*` suppressed, `..` not available, `-` nil or not applicable, empty).
//!
//! Three shapes are understood: the English Indices of Deprivation 2019 as
//! published (File 1, the IMD rank and decile; File 2, the domain ranks;
//! File 6, the population denominators), a table of domain ranks with plain
//! column names (`LSOA11CD` or `area_code`, `income_rank`, ...), and a plain
//! long format (`area_code, indicator, period, value`). A file is read whole
//! or refused with every bad row's line and column.

use crate::places::needs::{Domain, DomainRanks};
use placeworks_kernel::problems::Problem;
use serde::Serialize;
use std::collections::HashMap;

pub use crate::places::model::Missing;

/// A cell read as a number, or why it holds none. Thousands separators and
/// surrounding spaces are allowed; anything else that is not a number is an
/// error that says what was found.
pub fn number(cell: &str) -> Result<Result<f64, Missing>, String> {
    let t = cell.trim();
    match t {
        "" => return Ok(Err(Missing::Empty)),
        "*" => return Ok(Err(Missing::Suppressed)),
        ".." => return Ok(Err(Missing::NotAvailable)),
        "-" | "–" => return Ok(Err(Missing::NotApplicable)),
        _ => {}
    }
    let plain: String = t.chars().filter(|c| *c != ',').collect();
    let grouped_ok = !t.contains(',') || {
        // "1,296" and "12,345.6" are numbers; "1,2" is not.
        let int = t.split('.').next().unwrap_or_default().trim_start_matches(['-', '+']);
        let groups: Vec<&str> = int.split(',').collect();
        groups[0].len() <= 3 && !groups[0].is_empty() && groups[1..].iter().all(|g| g.len() == 3)
    };
    match plain.parse::<f64>() {
        Ok(v) if grouped_ok && v.is_finite() => Ok(Ok(v)),
        _ => Err(format!("`{t}` is not a number (numbers may use thousands separators, like 1,296; a missing value is *, .., - or empty)")),
    }
}

/// A CSV file read into memory, with its header names and each row's line.
pub struct CsvFile<'a> {
    pub name: &'a str,
    pub headers: Vec<String>,
    pub rows: Vec<(usize, csv::StringRecord)>,
}

/// A row the CSV reader could not read, with its line and what is wrong.
fn row_problem(name: &str, e: &csv::Error) -> Problem {
    let line = e.position().map(|p| p.line() as usize);
    let msg = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!("this row has {len} columns; the header has {expected_len}"),
        _ => format!("this row cannot be read: {e}"),
    };
    problem(name, line, None, msg)
}

fn problem(file: &str, line: Option<usize>, field: Option<&str>, message: impl Into<String>) -> Problem {
    Problem { file: file.to_owned(), line, field: field.map(str::to_owned), message: message.into() }
}

impl<'a> CsvFile<'a> {
    /// Reads CSV text (with or without a byte-order mark).
    pub fn read(name: &'a str, text: &str) -> Result<CsvFile<'a>, Vec<Problem>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
        let headers: Vec<String> = match r.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
            Err(e) => return Err(vec![problem(name, Some(1), None, format!("the header row cannot be read: {e}"))]),
        };
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        for rec in r.records() {
            match rec {
                Ok(rec) => {
                    let line = rec.position().map_or(0, |p| p.line() as usize);
                    rows.push((line, rec));
                }
                Err(e) => problems.push(row_problem(name, &e)),
            }
        }
        if problems.is_empty() {
            Ok(CsvFile { name, headers, rows })
        } else {
            Err(problems)
        }
    }

    /// The column whose header, lower-cased, satisfies `test`.
    fn column(&self, test: impl Fn(&str) -> bool) -> Option<usize> {
        self.headers.iter().position(|h| test(&h.to_lowercase()))
    }
}

/// The columns of a file of domain ranks.
struct RankColumns {
    code: usize,
    name: Option<usize>,
    ranks: [usize; 7],
}

fn rank_columns(f: &CsvFile<'_>) -> Option<RankColumns> {
    let code = f.column(|h| h.starts_with("lsoa code") || h == "lsoa11cd" || h == "area_code" || h == "code")?;
    let name = f.column(|h| h.starts_with("lsoa name") || h == "lsoa11nm" || h == "area_name" || h == "name");
    let mut ranks = [0; 7];
    for d in Domain::ALL {
        let published = format!("{} rank", d.label().to_lowercase());
        let plain = format!("{}_rank", d.code().replace('-', "_"));
        let short = if d == Domain::LivingEnvironment { "living_env_rank" } else { "" };
        ranks[Domain::ALL.iter().position(|x| *x == d).expect("in ALL")] =
            f.column(|h| h.starts_with(&published) || h == plain || (!short.is_empty() && h == short))?;
    }
    Some(RankColumns { code, name, ranks })
}

fn expected_rank_columns() -> String {
    format!(
        "an area code column (`LSOA code (2011)`, `LSOA11CD` or `area_code`) and a rank column for each domain, as published (`Income Rank (where 1 is most deprived)`, ...) or plain ({})",
        Domain::ALL.map(|d| format!("`{}_rank`", d.code().replace('-', "_"))).join(", ")
    )
}

/// Bytes with a leading UTF-8 byte-order mark, if any, left out.
struct SkipBom<R> {
    inner: R,
    checked: bool,
    /// Bytes read while looking for the mark, still to be handed on.
    pending: Vec<u8>,
}

impl<R: std::io::Read> std::io::Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let mut head = [0u8; 3];
            let mut got = 0;
            while got < 3 {
                let n = self.inner.read(&mut head[got..])?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            if !(got == 3 && head == [0xef, 0xbb, 0xbf]) {
                self.pending = head[..got].to_vec();
            }
        }
        if !self.pending.is_empty() {
            let n = self.pending.len().min(buf.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// A rank as publishers write it ("1,296" or "1296"), read without
/// allocating; `None` sends the cell to [`number`] for a proper message.
fn fast_rank(cell: &[u8]) -> Option<u32> {
    let mut n: u32 = 0;
    let mut digits = 0;
    for &b in cell {
        match b {
            b'0'..=b'9' => {
                n = n.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
                digits += 1;
            }
            b',' if digits > 0 => {}
            _ => return None,
        }
    }
    (digits > 0 && n > 0).then_some(n)
}

/// Reads the domain ranks of small areas: File 2 of the English Indices of
/// Deprivation 2019 as published, or the same ranks under plain names.
/// Streams the rows (the national file has 32,844), allocating only each
/// area's code and name.
pub fn read_domain_ranks(name: &str, text: &str) -> Result<Vec<DomainRanks>, Vec<Problem>> {
    read_domain_ranks_from(name, text.as_bytes(), text.len() / 120)
}

/// [`read_domain_ranks`] from a stream of bytes (such as a file being
/// decompressed), so a large file is never held whole; `expected` rows size
/// the buffers.
pub fn read_domain_ranks_from(name: &str, bytes: impl std::io::Read, expected: usize) -> Result<Vec<DomainRanks>, Vec<Problem>> {
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(SkipBom { inner: bytes, checked: false, pending: Vec::new() });
    let headers: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => return Err(vec![problem(name, Some(1), None, format!("the header row cannot be read: {e}"))]),
    };
    let f = CsvFile { name, headers, rows: Vec::new() };
    let Some(cols) = rank_columns(&f) else {
        return Err(vec![problem(
            name,
            Some(1),
            None,
            format!("the columns cannot be recognised as domain ranks; expected {}. Found: {}", expected_rank_columns(), f.headers.join(", ")),
        )]);
    };
    let mut out = Vec::with_capacity(expected);
    let mut lines: Vec<usize> = Vec::with_capacity(expected);
    let mut bad_rows: Vec<(String, usize)> = Vec::new();
    let mut problems = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                problems.push(row_problem(name, &e));
                continue;
            }
        }
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let text_of = |c: usize| std::str::from_utf8(rec.get(c).unwrap_or_default()).unwrap_or_default().trim();
        let code = text_of(cols.code);
        if code.is_empty() {
            problems.push(problem(name, Some(line), Some(&f.headers[cols.code]), "the area code is empty"));
            continue;
        }
        let mut ranks = [0u32; 7];
        let mut ok = true;
        for (i, col) in cols.ranks.iter().enumerate() {
            if let Some(v) = fast_rank(rec.get(*col).unwrap_or_default()) {
                ranks[i] = v;
                continue;
            }
            ok = false;
            let header = &f.headers[*col];
            let message = match number(text_of(*col)) {
                Ok(Ok(v)) => format!("a rank is a whole number from 1, not {v}"),
                Ok(Err(m)) => format!("the rank is missing ({}); every area needs every domain's rank", m.reason()),
                Err(e) => e,
            };
            problems.push(problem(name, Some(line), Some(header), message));
        }
        if ok {
            let area_name = cols.name.map(text_of).unwrap_or_default().to_owned();
            out.push(DomainRanks { code: code.to_owned(), name: area_name, ranks });
            lines.push(line);
        } else {
            bad_rows.push((code.to_owned(), line));
        }
    }
    // An area twice: found by sorting rather than hashing every code.
    let mut all: Vec<(&str, usize)> =
        out.iter().zip(&lines).map(|(a, l)| (a.code.as_str(), *l)).chain(bad_rows.iter().map(|(c, l)| (c.as_str(), *l))).collect();
    all.sort_unstable();
    for pair in all.windows(2) {
        if pair[0].0 == pair[1].0 {
            problems.push(problem(
                name,
                Some(pair[1].1),
                Some(&f.headers[cols.code]),
                format!("`{}` appears twice: line {} has it already", pair[1].0, pair[0].1),
            ));
        }
    }
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Reads one numeric column per area, found by `column`: the population of
/// File 6, or the IMD rank of File 1. Missing values are left out, with the
/// count of those left out returned beside.
fn read_column(name: &str, text: &str, column: impl Fn(&str) -> bool, what: &str) -> Result<(HashMap<String, f64>, usize), Vec<Problem>> {
    let f = CsvFile::read(name, text)?;
    let code = f.column(|h| h.starts_with("lsoa code") || h == "lsoa11cd" || h == "area_code" || h == "code");
    let value = f.column(column);
    let (Some(code), Some(value)) = (code, value) else {
        return Err(vec![problem(
            name,
            Some(1),
            None,
            format!("the columns cannot be recognised: expected an area code column and {what}. Found: {}", f.headers.join(", ")),
        )]);
    };
    let mut out = HashMap::with_capacity(f.rows.len());
    let (mut problems, mut missing) = (Vec::new(), 0);
    for (line, rec) in &f.rows {
        let c = rec.get(code).unwrap_or_default().trim().to_owned();
        match number(rec.get(value).unwrap_or_default()) {
            Ok(Ok(v)) => {
                if out.insert(c.clone(), v).is_some() {
                    problems.push(problem(name, Some(*line), Some(&f.headers[code]), format!("`{c}` appears twice")));
                }
            }
            Ok(Err(_)) => missing += 1,
            Err(e) => problems.push(problem(name, Some(*line), Some(&f.headers[value]), e)),
        }
    }
    if problems.is_empty() {
        Ok((out, missing))
    } else {
        Err(problems)
    }
}

/// Reads each area's total population: File 6 of the 2019 indices, or a
/// file with `area_code` and `population`.
pub fn read_population(name: &str, text: &str) -> Result<HashMap<String, f64>, Vec<Problem>> {
    read_column(
        name,
        text,
        |h| h.starts_with("total population") || h == "population",
        "a population column (`Total population: mid 2015 ...` or `population`)",
    )
    .map(|(m, _)| m)
}

/// Reads each area's published IMD rank: File 1 (or File 2) of the 2019 indices.
pub fn read_imd_ranks(name: &str, text: &str) -> Result<HashMap<String, u32>, Vec<Problem>> {
    let (m, _) =
        read_column(name, text, |h| h.starts_with("index of multiple deprivation (imd) rank") || h == "imd19_rank" || h == "imd_rank", "the IMD rank column")?;
    Ok(m.into_iter().map(|(k, v)| (k, v as u32)).collect())
}

/// Reads which larger area each small area lies in: a best-fit lookup with
/// the small area's code (`LSOA11CD` or `area_code`) and the larger area's
/// code and name (`WD25CD` and `WD25NM`, any year's ward columns, or
/// `parent_code` and `parent_name`).
pub fn read_lookup(name: &str, text: &str) -> Result<HashMap<String, (String, String)>, Vec<Problem>> {
    let f = CsvFile::read(name, text)?;
    let ward = |suffix: &'static str| move |h: &str| h.len() == 6 && h.starts_with("wd") && h[2..4].chars().all(|c| c.is_ascii_digit()) && h.ends_with(suffix);
    let code = f.column(|h| h.starts_with("lsoa code") || h == "lsoa11cd" || h == "lsoa21cd" || h == "area_code");
    let parent = f.column(|h| ward("cd")(h) || h == "parent_code" || h == "ward_code");
    let parent_name = f.column(|h| ward("nm")(h) || h == "parent_name" || h == "ward_name");
    let (Some(code), Some(parent), Some(parent_name)) = (code, parent, parent_name) else {
        return Err(vec![problem(name, Some(1), None, format!("the columns cannot be recognised as a lookup: expected the small area's code (`LSOA11CD` or `area_code`) and the larger area's code and name (`WD25CD` and `WD25NM`, or `parent_code` and `parent_name`). Found: {}", f.headers.join(", ")))]);
    };
    let mut out = HashMap::with_capacity(f.rows.len());
    let mut problems = Vec::new();
    for (line, rec) in &f.rows {
        let get = |c: usize| rec.get(c).unwrap_or_default().trim().to_owned();
        let (c, p, n) = (get(code), get(parent), get(parent_name));
        if c.is_empty() || p.is_empty() {
            problems.push(problem(name, Some(*line), Some(&f.headers[if c.is_empty() { code } else { parent }]), "the code is empty"));
        } else if out.insert(c.clone(), (p, n)).is_some() {
            problems.push(problem(name, Some(*line), Some(&f.headers[code]), format!("`{c}` appears twice: a small area lies in one larger area")));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// One value of the plain long format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LongValue {
    pub line: usize,
    pub area: String,
    pub indicator: String,
    pub period: String,
    /// The value, or why it is missing.
    pub value: Result<f64, Missing>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// Whether the row has a problem of its own (reported beside it).
    #[serde(skip)]
    pub bad: bool,
}

/// Reads the long format: `area_code, indicator, period, value`, with
/// optional `numerator` and `denominator`. A value may be missing with its
/// marker; the same area, indicator and period twice is an error.
pub fn read_long(name: &str, text: &str) -> Result<Vec<LongValue>, Vec<Problem>> {
    let (values, problems) = read_long_all(name, text)?;
    if problems.is_empty() {
        Ok(values.into_iter().filter(|v| !v.bad).collect())
    } else {
        Err(problems)
    }
}

/// Reads the long format, returning the good rows and the problems with the
/// bad ones, so that callers can add checks of their own before refusing.
/// Fails outright only when the file or its columns cannot be read.
fn read_long_all(name: &str, text: &str) -> Result<(Vec<LongValue>, Vec<Problem>), Vec<Problem>> {
    let f = CsvFile::read(name, text)?;
    let col = |n: &str| f.column(|h| h == n);
    let (Some(area), Some(indicator), Some(period), Some(value)) = (col("area_code"), col("indicator"), col("period"), col("value")) else {
        return Err(vec![problem(name, Some(1), None, format!("the columns cannot be recognised: expected `area_code`, `indicator`, `period` and `value` (and optionally `numerator`, `denominator`). Found: {}", f.headers.join(", ")))]);
    };
    let (numerator, denominator) = (col("numerator"), col("denominator"));
    let mut out = Vec::with_capacity(f.rows.len());
    let mut problems = Vec::new();
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    for (line, rec) in &f.rows {
        let get = |c: usize| rec.get(c).unwrap_or_default().trim().to_owned();
        let (a, i, p) = (get(area), get(indicator), get(period));
        let before = problems.len();
        for (v, c) in [(&a, area), (&i, indicator), (&p, period)] {
            if v.is_empty() {
                problems.push(problem(name, Some(*line), Some(&f.headers[c]), format!("`{}` is empty", f.headers[c])));
            }
        }
        let v = number(&get(value)).map_err(|e| problems.push(problem(name, Some(*line), Some(&f.headers[value]), e))).ok();
        let optional = |c: Option<usize>, problems: &mut Vec<Problem>| {
            let c = c?;
            match number(&get(c)) {
                Ok(Ok(x)) => Some(x),
                Ok(Err(_)) => None,
                Err(e) => {
                    problems.push(problem(name, Some(*line), Some(&f.headers[c]), e));
                    None
                }
            }
        };
        let num = optional(numerator, &mut problems);
        let den = optional(denominator, &mut problems);
        if let Some(first) = seen.insert((a.clone(), i.clone(), p.clone()), *line) {
            problems.push(problem(name, Some(*line), Some(&f.headers[area]), format!("a second value for {a}, {i}, {p}: line {first} has one already")));
        }
        let bad = problems.len() > before;
        out.push(LongValue { line: *line, area: a, indicator: i, period: p, value: v.unwrap_or(Err(Missing::Empty)), numerator: num, denominator: den, bad });
    }
    Ok((out, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_publishers_write_them() {
        assert_eq!(number("1,296"), Ok(Ok(1296.0)));
        assert_eq!(number(" 12,345.5 "), Ok(Ok(12345.5)));
        assert_eq!(number("-3.5"), Ok(Ok(-3.5)));
        assert_eq!(number("*"), Ok(Err(Missing::Suppressed)));
        assert_eq!(number(".."), Ok(Err(Missing::NotAvailable)));
        assert_eq!(number("-"), Ok(Err(Missing::NotApplicable)));
        assert_eq!(number(""), Ok(Err(Missing::Empty)));
        assert!(number("1,2").unwrap_err().contains("`1,2` is not a number"));
        assert!(number("n/a").is_err());
        assert!(number("NaN").is_err() && number("inf").is_err());
    }

    const FILE2: &str = "\u{feff}LSOA code (2011),LSOA name (2011),Local Authority District code (2019),Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs),Income Rank (where 1 is most deprived),Income Decile (where 1 is most deprived 10% of LSOAs),Employment Rank (where 1 is most deprived),Employment Decile (where 1 is most deprived 10% of LSOAs),\"Education, Skills and Training Rank (where 1 is most deprived)\",\"Education, Skills and Training Decile (where 1 is most deprived 10% of LSOAs)\",Health Deprivation and Disability Rank (where 1 is most deprived),Health Deprivation and Disability Decile (where 1 is most deprived 10% of LSOAs),Crime Rank (where 1 is most deprived),Crime Decile (where 1 is most deprived 10% of LSOAs),Barriers to Housing and Services Rank (where 1 is most deprived),Barriers to Housing and Services Decile (where 1 is most deprived 10% of LSOAs),Living Environment Rank (where 1 is most deprived),Living Environment Decile (where 1 is most deprived 10% of LSOAs)
E01000001,City of London 001A,E09000001,City of London,29199,9,32831,10,32742,10,32842,10,32113,10,32662,10,7319,3,7789,3
E01000002,City of London 001B,E09000001,City of London,30379,10,\"29,901\",10,31190,10,32832,10,29705,10,32789,10,11707,4,13070,4
";

    #[test]
    fn a_stream_reads_the_same_with_or_without_a_byte_order_mark() {
        let plain = FILE2.trim_start_matches('\u{feff}');
        let a = read_domain_ranks_from("a", FILE2.as_bytes(), 2).unwrap();
        let b = read_domain_ranks_from("b", plain.as_bytes(), 2).unwrap();
        assert_eq!(a, b);
        // One byte at a time, as a slow stream might give them.
        struct Drip<'a>(&'a [u8]);
        impl std::io::Read for Drip<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let Some((first, rest)) = self.0.split_first() else { return Ok(0) };
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
        }
        assert_eq!(read_domain_ranks_from("c", Drip(FILE2.as_bytes()), 2).unwrap(), a);
        assert_eq!(read_domain_ranks_from("d", Drip(plain.as_bytes()), 2).unwrap(), a);
    }

    #[test]
    fn the_published_domain_ranks_are_recognised() {
        let rows = read_domain_ranks("File_2.csv", FILE2).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].code, "E01000001");
        assert_eq!(rows[0].name, "City of London 001A");
        assert_eq!(rows[0].ranks, [32831, 32742, 32842, 32113, 32662, 7319, 7789]);
        assert_eq!(rows[1].ranks[0], 29901, "a quoted number with a thousands separator");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_column() {
        let text = FILE2.replace("32742,10,32842", "*,10,lots").replace("E01000002,City", "E01000001,City");
        let problems = read_domain_ranks("File_2.csv", &text).unwrap_err();
        let got: Vec<(Option<usize>, Option<&str>)> = problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
        assert_eq!(
            got,
            [
                (Some(2), Some("Employment Rank (where 1 is most deprived)")),
                (Some(2), Some("Education, Skills and Training Rank (where 1 is most deprived)")),
                (Some(3), Some("LSOA code (2011)")),
            ]
        );
        assert!(problems[0].message.contains("suppressed (*)"));
        assert!(problems[1].message.contains("`lots` is not a number"));
        assert!(problems[2].message.contains("appears twice: line 2"));
    }

    #[test]
    fn unrecognised_columns_say_what_was_expected() {
        let p = read_domain_ranks("x.csv", "code,score\nE01000001,3\n").unwrap_err();
        assert!(
            p[0].message.contains("expected an area code column") && p[0].message.contains("`income_rank`") && p[0].message.contains("Found: code, score"),
            "{}",
            p[0].message
        );
        let p = read_long("x.csv", "area,what,value\n").unwrap_err();
        assert!(p[0].message.contains("expected `area_code`, `indicator`, `period` and `value`"));
        let p = read_population("x.csv", "a,b\n1,2,3\n").unwrap_err();
        assert!(p[0].message.contains("this row has 3 columns; the header has 2") && p[0].line == Some(2));
    }

    #[test]
    fn the_long_format_reads_missing_values_and_refuses_duplicates() {
        let text = "area_code,indicator,period,value,numerator,denominator\nE05015927,unemployment,2024,\"1,204\",,\nE05015928,unemployment,2024,*,,\nE05015927,unemployment,2024,3,,\nE05015929,unemployment,2024,abc,,\n";
        let p = read_long("long.csv", text).unwrap_err();
        assert_eq!(p.iter().map(|p| p.line.unwrap()).collect::<Vec<_>>(), [4, 5]);
        let ok = read_long("long.csv", &text.lines().take(3).collect::<Vec<_>>().join("\n")).unwrap();
        assert_eq!(ok[0].value, Ok(1204.0));
        assert_eq!(ok[1].value, Err(Missing::Suppressed));
    }

    #[test]
    fn population_is_read_from_the_published_denominators() {
        let text = "\u{feff}LSOA code (2011),LSOA name (2011),Local Authority District code (2019),Local Authority District name (2019),Total population: mid 2015 (excluding prisoners),Dependent Children aged 0-15: mid 2015 (excluding prisoners)\nE01000001,City of London 001A,E09000001,City of London,\"1,296\",175\n";
        assert_eq!(read_population("File_6.csv", text).unwrap()["E01000001"], 1296.0);
    }
}

// ---- importing into a council's register ----------------------------------------------

use crate::council::Register;
use crate::ids::Slug;
use crate::places::model::{AreaKind, Indicator, IndicatorValue, Polarity};

/// What an import adds to a council's register.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// What the file was recognised as.
    pub shape: &'static str,
    /// Indicators the file defines (the published files define their own).
    pub indicators: Vec<Indicator>,
    pub values: Vec<IndicatorValue>,
    /// Rows for areas outside the council, left out (published national files only).
    pub skipped: usize,
}

const IOD_SOURCE: &str = "Ministry of Housing, Communities and Local Government: English Indices of Deprivation 2019";
const OGL: &str = "Open Government Licence v3.0";

fn iod_indicator(slug: &str, name: &str, unit: &str, polarity: Polarity, theme: &str, note: &str) -> Indicator {
    Indicator {
        slug: Slug::parse(slug).expect("a fixed slug"),
        name: name.to_owned(),
        unit: unit.to_owned(),
        polarity,
        theme: Some(theme.to_owned()),
        source: IOD_SOURCE.to_owned(),
        licence: OGL.to_owned(),
        frequency: Some("every four or five years".to_owned()),
        geography: AreaKind::Lsoa,
        note: Some(note.to_owned()),
    }
}

/// Plans importing a file of indicator values into a council's register.
/// The English Indices of Deprivation 2019 (Files 1, 2 and 6 as published)
/// bring their own indicator definitions and keep only the council's areas;
/// the long format (`area_code, indicator, period, value`) must name
/// indicators and areas the register holds. Every bad row is reported with
/// its line and column, and nothing is planned from a file with an error.
pub fn plan_import(reg: &Register, name: &str, text: &str) -> Result<Import, Vec<Problem>> {
    let f = CsvFile::read(name, text)?;
    let lower: Vec<String> = f.headers.iter().map(|h| h.to_lowercase()).collect();
    let has = |prefix: &str| lower.iter().any(|h| h.starts_with(prefix));
    let known = |code: &str| reg.areas.iter().any(|a| a.code == code);
    let number_of = |i: &str| format!("rank (1 = most deprived of 32,844){i}");
    if has("lsoa code") && (has("index of multiple deprivation (imd) rank") || has("total population")) {
        let mut defs: Vec<(usize, Indicator, &str)> = Vec::new();
        let col = |prefix: &str| lower.iter().position(|h| h.starts_with(prefix));
        let shape = if has("total population") {
            "File 6 of the English Indices of Deprivation 2019 (population)"
        } else if rank_columns(&f).is_some() {
            "File 2 of the English Indices of Deprivation 2019 (domains)"
        } else {
            "File 1 of the English Indices of Deprivation 2019 (IMD)"
        };
        if let Some(c) = col("index of multiple deprivation (imd) rank") {
            defs.push((
                c,
                iod_indicator(
                    "imd-2019-rank",
                    "Index of Multiple Deprivation rank",
                    &number_of(""),
                    Polarity::HigherIsBetter,
                    "Index of Multiple Deprivation",
                    "As published",
                ),
                "2019",
            ));
        }
        if let Some(c) = col("index of multiple deprivation (imd) decile") {
            defs.push((
                c,
                iod_indicator(
                    "imd-2019-decile",
                    "Index of Multiple Deprivation decile",
                    "decile (1 = most deprived 10%)",
                    Polarity::HigherIsBetter,
                    "Index of Multiple Deprivation",
                    "As published",
                ),
                "2019",
            ));
        }
        if let Some(cols) = rank_columns(&f) {
            for (i, d) in crate::places::needs::Domain::ALL.iter().enumerate() {
                defs.push((
                    cols.ranks[i],
                    iod_indicator(
                        &format!("{}-2019-rank", d.code()),
                        &format!("{} rank", d.label()),
                        &number_of(""),
                        Polarity::HigherIsBetter,
                        d.label(),
                        "As published",
                    ),
                    "2019",
                ));
            }
        }
        if let Some(c) = col("total population") {
            defs.push((
                c,
                iod_indicator("population-2015", "Population, mid-2015", "people", Polarity::Neutral, "Population", "As published (excluding prisoners)"),
                "2015",
            ));
        }
        let code = col("lsoa code").expect("checked above");
        let mut values = Vec::new();
        let mut problems = Vec::new();
        let mut skipped = 0;
        for (line, rec) in &f.rows {
            let area = rec.get(code).unwrap_or_default().trim();
            if !known(area) {
                skipped += 1;
                continue;
            }
            for (c, ind, p) in &defs {
                match number(rec.get(*c).unwrap_or_default()) {
                    Ok(v) => values.push(IndicatorValue {
                        indicator: ind.slug.clone(),
                        area: area.to_owned(),
                        period: (*p).to_owned(),
                        value: v.ok(),
                        missing: v.err(),
                        numerator: None,
                        denominator: None,
                    }),
                    Err(e) => problems.push(problem(name, Some(*line), Some(&f.headers[*c]), e)),
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        if values.is_empty() {
            return Err(vec![problem(
                name,
                None,
                None,
                format!(
                    "none of the file's {} areas is one of {}'s; check the file is for England's LSOAs and that the council's areas are loaded",
                    f.rows.len(),
                    reg.council.name
                ),
            )]);
        }
        return Ok(Import { shape, indicators: defs.into_iter().map(|(_, i, _)| i).collect(), values, skipped });
    }
    let (long, mut problems) = read_long_all(name, text).map_err(|p| {
        if p.len() == 1 && p[0].line == Some(1) {
            vec![problem(name, Some(1), None, format!("the columns cannot be recognised. Expected one of: the English Indices of Deprivation 2019 as published (File 1, 2 or 6, with `LSOA code (2011)`), or the long format with `area_code`, `indicator`, `period` and `value`. Found: {}", f.headers.join(", ")))]
        } else {
            p
        }
    })?;
    for v in &long {
        if !known(&v.area) {
            problems.push(problem(
                name,
                Some(v.line),
                Some("area_code"),
                format!("`{}` is not an area of {}; areas are declared in areas.csv", v.area, reg.council.name),
            ));
        }
        if !reg.indicators.iter().any(|i| i.slug.as_str() == v.indicator) {
            let names: Vec<&str> = reg.indicators.iter().map(|i| i.slug.as_str()).collect();
            problems.push(problem(
                name,
                Some(v.line),
                Some("indicator"),
                format!(
                    "`{}` is not an indicator of {}{}; declare it in indicators.csv first",
                    v.indicator,
                    reg.council.name,
                    placeworks_kernel::problems::suggestion(&v.indicator, names.iter().copied())
                ),
            ));
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(problems);
    }
    let values = long
        .into_iter()
        .filter_map(|v| {
            Some(IndicatorValue {
                indicator: Slug::parse(&v.indicator).ok()?,
                area: v.area,
                period: v.period,
                value: v.value.ok(),
                missing: v.value.err(),
                numerator: v.numerator,
                denominator: v.denominator,
            })
        })
        .collect();
    Ok(Import { shape: "the long format (area_code, indicator, period, value)", indicators: Vec::new(), values, skipped: 0 })
}
