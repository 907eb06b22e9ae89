//! Finding a place by what a resident types: a ward, parish or place name,
//! or a GSS code. (Postcodes are looked up in the council's postcode table;
//! see `postcodes`.)

use crate::places::model::{Area, AreaKind};

/// How many places a search lists at most.
pub const MOST: usize = 20;

/// Text as it is compared: lower case, "&" read as "and", single spaces.
fn plain(text: &str) -> String {
    text.to_lowercase().replace('&', " and ").split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Which places come first: wards and parishes, then the council's own
/// areas, then the wider areas, and the small statistical areas last.
fn kind_order(k: AreaKind) -> u8 {
    match k {
        AreaKind::Ward | AreaKind::ElectoralDivision => 0,
        AreaKind::Parish => 1,
        AreaKind::LocalCommunityArea | AreaKind::NamedSet => 2,
        AreaKind::District | AreaKind::UnitaryAuthority | AreaKind::County => 3,
        AreaKind::Region | AreaKind::Country => 4,
        AreaKind::Lsoa => 5,
    }
}

/// The areas whose code is the query, or whose name is, starts with, or
/// contains it (in that order; current areas before those that have ended),
/// at most [`MOST`]. Empty for an empty query.
pub fn areas<'a>(all: &'a [Area], query: &str, today: chrono::NaiveDate) -> Vec<&'a Area> {
    let q = plain(query);
    if q.is_empty() {
        return Vec::new();
    }
    if let Some(a) = all.iter().find(|a| a.code.eq_ignore_ascii_case(query.trim())) {
        return vec![a];
    }
    let mut hits: Vec<(u8, bool, u8, &Area)> = all
        .iter()
        .filter_map(|a| {
            let name = plain(&a.name);
            let how = if name == q {
                0
            } else if name.starts_with(&q) {
                1
            } else if name.split(' ').any(|w| w.starts_with(&q)) || name.contains(&format!(" {q}")) {
                2
            } else if name.contains(&q) {
                3
            } else {
                return None;
            };
            let ended = a.valid_to.as_ref().is_some_and(|t| t.passed(today));
            Some((how, ended, kind_order(a.kind), a))
        })
        .collect();
    hits.sort_by(|x, y| (x.0, x.1, x.2, &x.3.name).cmp(&(y.0, y.1, y.2, &y.3.name)));
    hits.into_iter().take(MOST).map(|h| h.3).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(code: &str, name: &str, kind: AreaKind, to: Option<&str>) -> Area {
        Area {
            code: code.into(),
            name: name.into(),
            kind,
            parent: None,
            valid_from: None,
            valid_to: to.map(|t| crate::ids::PartialDate::parse(t).unwrap()),
            members: vec![],
            boundary: None,
            note: None,
            sources: vec![],
            example: vec![],
        }
    }

    #[test]
    fn a_name_finds_current_wards_first() {
        let all = vec![
            area("E05013131", "Booker, Cressex and Castlefield", AreaKind::Ward, Some("2025-05")),
            area("E05015942", "Castlefield & Oakridge", AreaKind::Ward, None),
            area("E01017903", "Wycombe 013A", AreaKind::Lsoa, None),
        ];
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let found: Vec<&str> = areas(&all, "castlefield", today).iter().map(|a| a.code.as_str()).collect();
        assert_eq!(found, ["E05015942", "E05013131"], "a name that starts with it first, the current ward first");
        assert_eq!(areas(&all, "castlefield and oakridge", today)[0].code, "E05015942", "& and and are the same");
        assert_eq!(areas(&all, "e05015942", today)[0].name, "Castlefield & Oakridge", "a GSS code finds its area");
        assert!(areas(&all, "  ", today).is_empty());
        assert!(areas(&all, "Nowhere", today).is_empty());
    }
}
