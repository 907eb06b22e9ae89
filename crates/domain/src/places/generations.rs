//! Generations of areas: wards are redrawn (Buckinghamshire's 2020 wards
//! gave way to new ones in May 2025), and the bodies set up for an old ward
//! still serve its place. Where no official lookup links one generation to
//! the next, an area is matched to the areas of the same kind it replaced by
//! the place names they share: a best fit, and every page that uses it says so.

use crate::places::model::Area;
use std::collections::BTreeSet;

/// Words that say where in a place, not which place.
const NOT_PLACE_NAMES: &[&str] = &["the", "north", "south", "east", "west", "central", "rural", "town", "with", "of", "upper", "lower", "great", "little"];

/// A name's words, lower case, without punctuation: "Castlefield & Oakridge"
/// and "Castlefield and Oakridge" are one name.
fn plain(name: &str) -> String {
    name.to_lowercase().replace('&', " and ").split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The places a name lists, lower case: "Booker, Cressex and Castlefield"
/// gives booker, castlefield, cressex; "Chesham North" gives chesham.
fn place_names(name: &str) -> BTreeSet<String> {
    name.to_lowercase()
        .replace('&', ",")
        .replace(" and ", ",")
        .split(',')
        .map(|part| part.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty() && !NOT_PLACE_NAMES.contains(w)).collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// How well two names fit: 2 for the same name, else the share of the places
/// they list that they have in common (0 to 1).
fn fit(a: &str, b: &str) -> f64 {
    if plain(a) == plain(b) {
        return 2.0;
    }
    let (a, b) = (place_names(a), place_names(b));
    let union = a.union(&b).count();
    if union == 0 {
        0.0
    } else {
        a.intersection(&b).count() as f64 / union as f64
    }
}

/// Whether `older` ended when or before `newer` began, so that `newer` can follow it.
fn earlier(older: &Area, newer: &Area) -> bool {
    match (&older.valid_to, &newer.valid_from) {
        (Some(to), Some(from)) => {
            let n = to.as_str().len().min(from.as_str().len());
            to.as_str()[..n] <= from.as_str()[..n]
        }
        _ => false,
    }
}

/// The areas `area` replaced: those of the same kind and parent that ended
/// when or before it began and whose names fit its name best: the same name,
/// or else the most places in common. Empty for an
/// area with no start date or no such area.
pub fn predecessors<'a>(areas: &'a [Area], area: &Area) -> Vec<&'a Area> {
    let candidates: Vec<(f64, &Area)> = areas
        .iter()
        .filter(|o| o.code != area.code && o.kind == area.kind && o.parent == area.parent && earlier(o, area))
        .map(|o| (fit(&area.name, &o.name), o))
        .filter(|(s, _)| *s > 0.0)
        .collect();
    let best = candidates.iter().map(|(s, _)| *s).fold(0.0, f64::max);
    candidates.into_iter().filter(|(s, _)| *s == best).map(|(_, o)| o).collect()
}

/// The areas that replaced `area`: those it is a best-fit predecessor of.
pub fn successors<'a>(areas: &'a [Area], area: &Area) -> Vec<&'a Area> {
    areas.iter().filter(|n| n.valid_from.is_some() && earlier(area, n) && predecessors(areas, n).iter().any(|p| p.code == area.code)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names_leave_out_directions_and_joining_words() {
        let names: Vec<String> = place_names("Booker, Cressex and Castlefield").into_iter().collect();
        assert_eq!(names, ["booker", "castlefield", "cressex"]);
        assert_eq!(place_names("Chesham North"), place_names("Chesham"));
    }

    #[test]
    fn the_same_name_fits_best_and_a_shared_place_fits() {
        assert_eq!(fit("Totteridge & Bowerdean", "Totteridge and Bowerdean"), 2.0);
        assert!(fit("Aylesbury East", "Aylesbury East") > fit("Aylesbury East", "Aylesbury West"));
        assert!(fit("Castlefield & Oakridge", "Booker, Cressex and Castlefield") > 0.0);
        assert_eq!(fit("Berryfields, Buckingham Park & Watermead", "Buckingham East"), 0.0, "Buckingham Park is not Buckingham");
    }
}
