//! Postcodes to wards, so a resident can type a postcode and land on their
//! ward's page. Read from the Office for National Statistics' postcode
//! directories as published: the ONS Postcode Directory (ONSPD) and the
//! National Statistics Postcode Lookup (NSPL), whose CSV files name the
//! postcode `pcds` and the ward `osward` (ONSPD) or `wdYYcd` (NSPL, by the
//! year of the ward boundaries). Terminated postcodes (`doterm` set) are left
//! out, and so are those whose ward is not one of the council's.

use placeworks_kernel::problems::Problem;
use std::collections::{BTreeMap, HashSet};

/// A postcode in its one written form: capitals, one space before the
/// inward code ("HP12 4AA"); or why the text is not a postcode.
pub fn normalise(text: &str) -> Result<String, String> {
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let bad = || format!("`{}` is not a postcode: a postcode is written like HP12 4AA", text.trim());
    if !(5..=7).contains(&squeezed.len()) || !squeezed.is_ascii() {
        return Err(bad());
    }
    let (outward, inward) = squeezed.split_at(squeezed.len() - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    let outward_ok =
        outward.as_bytes()[0].is_ascii_alphabetic() && outward.chars().all(|c| c.is_ascii_alphanumeric()) && outward.chars().any(|c| c.is_ascii_digit());
    if inward_ok && outward_ok {
        Ok(format!("{outward} {inward}"))
    } else {
        Err(bad())
    }
}

/// Whether text looks like someone typed a postcode (whole, with or without
/// its space), rather than a place name.
pub fn looks_like_postcode(text: &str) -> bool {
    normalise(text).is_ok()
}

/// The postcodes of one council's wards, read from a directory file.
#[derive(Debug, Default)]
pub struct PostcodePlan {
    /// Postcode to ward code, in postcode order.
    pub postcodes: BTreeMap<String, String>,
    /// Rows read.
    pub rows: usize,
    /// Live postcodes in wards that are not the council's.
    pub elsewhere: usize,
    /// Terminated postcodes left out.
    pub terminated: usize,
    /// The column the ward codes were read from.
    pub ward_column: String,
}

fn problem(file: &str, line: Option<usize>, field: Option<&str>, message: impl Into<String>) -> Problem {
    Problem { file: file.to_owned(), line, field: field.map(str::to_owned), message: message.into() }
}

/// The ward column of a directory's header: `osward`, else the latest `wdYYcd`.
fn ward_column(headers: &[String]) -> Option<usize> {
    let lower: Vec<String> = headers.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    if let Some(i) = lower.iter().position(|h| h == "osward") {
        return Some(i);
    }
    lower
        .iter()
        .enumerate()
        .filter(|(_, h)| h.len() == 6 && h.starts_with("wd") && h.ends_with("cd") && h[2..4].chars().all(|c| c.is_ascii_digit()))
        .max_by_key(|(_, h)| h[2..4].to_owned())
        .map(|(i, _)| i)
}

/// Reads a postcode directory (streamed: the national file has 2.7 million
/// rows), keeping the live postcodes of the council's `wards`. The whole
/// file is read or refused: every unreadable row and malformed postcode is
/// named with its line, up to 100. `progress` is told the rows read so far.
pub fn read(name: &str, input: impl std::io::Read, wards: &HashSet<String>, progress: &mut dyn FnMut(usize)) -> Result<PostcodePlan, Vec<Problem>> {
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|s| s.trim().trim_start_matches('\u{feff}').to_owned()).collect(),
        Err(e) => return Err(vec![problem(name, Some(1), None, format!("the header row cannot be read: {e}"))]),
    };
    let found = || headers.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ");
    let Some(pcds) = headers.iter().position(|h| h.eq_ignore_ascii_case("pcds")) else {
        return Err(vec![problem(
            name,
            Some(1),
            Some("pcds"),
            format!("there is no `pcds` column (the postcode, as the ONS Postcode Directory writes it); the header has {}", found()),
        )]);
    };
    let Some(ward) = ward_column(&headers) else {
        return Err(vec![problem(
            name,
            Some(1),
            Some("osward"),
            format!("there is no ward column: expected `osward` (ONS Postcode Directory) or `wdYYcd`, like `wd24cd` (National Statistics Postcode Lookup); the header has {}", found()),
        )]);
    };
    let doterm = headers.iter().position(|h| h.eq_ignore_ascii_case("doterm"));
    let mut plan = PostcodePlan { ward_column: headers[ward].clone(), ..PostcodePlan::default() };
    let mut problems = Vec::new();
    for rec in r.records() {
        plan.rows += 1;
        if plan.rows.is_multiple_of(100_000) {
            progress(plan.rows);
        }
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                problems.push(problem(name, line, None, format!("this row cannot be read: {e}")));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line() as usize);
        if doterm.and_then(|i| rec.get(i)).is_some_and(|t| !t.trim().is_empty()) {
            plan.terminated += 1;
            continue;
        }
        let code = rec.get(ward).unwrap_or_default().trim();
        if !wards.contains(code) {
            plan.elsewhere += 1;
            continue;
        }
        match normalise(rec.get(pcds).unwrap_or_default()) {
            Ok(pc) => {
                plan.postcodes.insert(pc, code.to_owned());
            }
            Err(e) => problems.push(problem(name, line, Some(&headers[pcds]), e)),
        }
        if problems.len() >= 100 {
            break;
        }
    }
    progress(plan.rows);
    if !problems.is_empty() {
        return Err(problems);
    }
    if plan.postcodes.is_empty() {
        return Err(vec![problem(
            name,
            None,
            Some(&headers[ward]),
            format!("none of the {} postcodes is in one of the council's wards: is this the right file, and the right council?", plan.rows),
        )]);
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_written_one_way() {
        assert_eq!(normalise("hp124aa").unwrap(), "HP12 4AA");
        assert_eq!(normalise(" HP12  4AA ").unwrap(), "HP12 4AA");
        assert_eq!(normalise("sw1a1aa").unwrap(), "SW1A 1AA");
        assert_eq!(normalise("M1 1AE").unwrap(), "M1 1AE");
        assert!(normalise("Castlefield").is_err());
        assert!(normalise("HP12").is_err());
        assert!(normalise("12345").is_err());
    }

    #[test]
    fn a_directory_is_read_for_the_councils_wards_only() {
        let file = "pcd7,pcds,doterm,osward\nHP124AA,HP12 4AA,,E05015942\nHP124AB,HP12 4AB,202001,E05015942\nSW1A1AA,SW1A 1AA,,E05000644\n";
        let wards = HashSet::from(["E05015942".to_owned()]);
        let plan = read("onspd.csv", file.as_bytes(), &wards, &mut |_| {}).unwrap();
        assert_eq!(plan.postcodes.into_iter().collect::<Vec<_>>(), [("HP12 4AA".to_owned(), "E05015942".to_owned())]);
        assert_eq!((plan.rows, plan.terminated, plan.elsewhere), (3, 1, 1));
    }

    #[test]
    fn the_nspl_ward_column_is_found_by_its_year() {
        let file = "pcds,wd19cd,wd24cd\nHP12 4AA,E05002000,E05015942\n";
        let wards = HashSet::from(["E05015942".to_owned()]);
        let plan = read("nspl.csv", file.as_bytes(), &wards, &mut |_| {}).unwrap();
        assert_eq!(plan.ward_column, "wd24cd");
        assert_eq!(plan.postcodes.len(), 1);
    }

    #[test]
    fn a_bad_file_names_its_line_and_column() {
        let wards = HashSet::from(["E05015942".to_owned()]);
        let missing = read("p.csv", "postcode,ward\nHP12 4AA,E05015942\n".as_bytes(), &wards, &mut |_| {}).unwrap_err();
        assert_eq!((missing[0].line, missing[0].field.as_deref()), (Some(1), Some("pcds")));
        let bad = read("p.csv", "pcds,osward\nHP12 4AA,E05015942\nnot a code,E05015942\n".as_bytes(), &wards, &mut |_| {}).unwrap_err();
        assert_eq!(bad.len(), 1);
        assert_eq!((bad[0].line, bad[0].field.as_deref()), (Some(3), Some("pcds")));
        assert!(bad[0].message.contains("`not a code` is not a postcode"), "{}", bad[0].message);
        let none = read("p.csv", "pcds,osward\nSW1A 1AA,E05000644\n".as_bytes(), &wards, &mut |_| {}).unwrap_err();
        assert!(none[0].message.contains("right council"), "{}", none[0].message);
    }
}
