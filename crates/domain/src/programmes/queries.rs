//! Questions asked of a council's programmes and money: where the money
//! goes, set against the need of each place (the 2005 strategy's objective
//! 10: "analyse the distribution in the context of the local community
//! needs' assessments").

use crate::council::Register;
use crate::places::model::AreaKind;
use crate::places::needs::{profile_of_set, summarise, Assessment, Summary, ENGLAND_LSOAS_2019};
use crate::programmes::model::*;
use std::collections::HashMap;

/// The money recorded for one place, what it is made of, and the place's need.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMoney {
    pub code: String,
    pub name: String,
    /// Pounds: the funds, allocations and contributions recorded for it.
    pub amount: f64,
    /// What the amount is made of, each with its pounds.
    pub items: Vec<(String, f64)>,
    /// The place's deprivation, from the needs assessment, when it can be worked out.
    pub need: Option<Summary>,
    /// How the need was worked out, in words.
    pub need_from: Option<&'static str>,
}

/// The money recorded by place, most money first. A fund counts where its
/// allocations say (each allocation to its area); a fund with no allocation
/// to an area counts in the areas it is for, shared equally; a partner's
/// contribution counts in its areas the same way. Money for no area is not
/// placed.
pub fn money_by_place(reg: &Register, needs: Option<&Assessment>) -> Vec<PlaceMoney> {
    let mut places: Vec<PlaceMoney> = Vec::new();
    let mut add = |code: &str, what: String, amount: f64| {
        let Some(area) = reg.areas.iter().find(|a| a.code == code) else { return };
        let i = match places.iter().position(|p| p.code == code) {
            Some(i) => i,
            None => {
                places.push(PlaceMoney { code: code.to_owned(), name: area.name.clone(), amount: 0.0, items: Vec::new(), need: None, need_from: None });
                places.len() - 1
            }
        };
        places[i].amount += amount;
        places[i].items.push((what, amount));
    };
    for f in &reg.funds {
        let placed: Vec<&Allocation> = f.allocations.iter().filter(|a| a.area.is_some()).collect();
        if !placed.is_empty() {
            for a in placed {
                add(a.area.as_deref().expect("placed"), format!("{}: {}", f.name, a.name), a.amount);
            }
        } else if !f.areas.is_empty() {
            let share = f.amount / f.areas.len() as f64;
            for code in &f.areas {
                add(code, f.name.clone(), share);
            }
        }
    }
    for c in &reg.contributions {
        if c.areas.is_empty() {
            continue;
        }
        let share = c.amount / c.areas.len() as f64;
        let partner = reg.organisations.iter().find(|o| o.slug == c.partner).map_or_else(|| c.partner.to_string(), |o| o.name.clone());
        for code in &c.areas {
            add(code, format!("{partner}: {}", c.name), share);
        }
    }
    if let Some(a) = needs {
        for p in &mut places {
            let (need, from) = need_of(reg, a, &p.code);
            p.need = need;
            p.need_from = from;
        }
    }
    places.sort_by(|x, y| y.amount.total_cmp(&x.amount).then_with(|| x.code.cmp(&y.code)));
    places
}

/// An area's deprivation: a ward's from the assessment; a named set's or
/// local community area's from its members; an older district's from the
/// small areas the ONS named after it ("Wycombe 010A" is in Wycombe).
fn need_of(reg: &Register, a: &Assessment, code: &str) -> (Option<Summary>, Option<&'static str>) {
    if let Some(w) = a.ward(code) {
        return (Some(w.clone()), Some("the ward's small areas, placed by best fit"));
    }
    let Some(area) = reg.areas.iter().find(|x| x.code == code) else { return (None, None) };
    if !area.members.is_empty() {
        return (profile_of_set(reg, a, area).map(|p| p.summary), Some("its member wards' small areas"));
    }
    if area.kind == AreaKind::District {
        let prefix = format!("{} ", area.name);
        let names: HashMap<&str, &str> = reg.areas.iter().filter(|x| x.kind == AreaKind::Lsoa).map(|x| (x.code.as_str(), x.name.as_str())).collect();
        let of: HashMap<String, (String, String)> = a
            .lsoas
            .iter()
            .filter(|s| names.get(s.code.as_str()).is_some_and(|n| n.starts_with(&prefix)))
            .map(|s| (s.code.clone(), (area.code.clone(), area.name.clone())))
            .collect();
        if of.is_empty() {
            return (None, None);
        }
        return (summarise(&a.lsoas, &of, &a.population, ENGLAND_LSOAS_2019).pop(), Some("the small areas the ONS named after the district"));
    }
    (None, None)
}
