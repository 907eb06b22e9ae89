//! The council's grants as a 360Giving data package (standard 1.4): each
//! allocation from a fund to another organisation's initiative or to a
//! place, and each approved bid, with its recipient, award date and the
//! places it benefits by their ONS codes.
//!
//! A grant must name its recipient and the day it was awarded; a record
//! without them (an allocation to the council's own initiative, a bid with no
//! dated decision) is not a grant to publish and is left out, and the package
//! says how many were. Identifiers start with the council's registered
//! 360Giving prefix (`giving_prefix` in council.toml), and the funder is
//! named by its organisation identifier (`org_id`); a council without them
//! gets `360G-placeworks-COUNCIL`, which it must replace before publishing
//! to 360Giving, and the package's description says so.

use crate::council::Register;
use crate::ids::PartialDate;
use crate::places::model::AreaKind;
use crate::programmes::model::*;
use crate::register::model::Party;
use serde_json::{json, Value};

/// The package, and how many records were left out for want of a recipient or an award date.
pub struct Package {
    pub json: Value,
    pub grants: usize,
    pub left_out: usize,
}

/// The council's grants as a 360Giving package; `None` when it has none to publish.
pub fn package(reg: &Register, issued: chrono::NaiveDate) -> Option<Package> {
    let c = &reg.council;
    let prefix = prefix(c);
    let funder = json!([{ "id": c.org_id.clone().unwrap_or_else(|| format!("{prefix}-council")), "name": c.name }]);
    let mut grants = Vec::new();
    let mut left_out = 0;
    let decision_day = |d: &Option<crate::ids::Slug>| d.as_ref().and_then(|d| reg.decisions.iter().find(|x| &x.slug == d)).map(|d| d.date.clone());
    for f in &reg.funds {
        for a in &f.allocations {
            let initiative = a.initiative.as_ref().and_then(|i| reg.initiatives.iter().find(|x| &x.slug == i));
            // A grant goes to another organisation: an initiative the council itself leads is its own spending.
            let recipient = initiative.and_then(|i| i.lead.as_ref()).filter(|l| !is_council(reg, l));
            let day = a.date.clone().or_else(|| decision_day(&a.decision));
            let (Some(recipient), Some(day)) = (recipient, day.and_then(|d| full_day(&d))) else {
                left_out += 1;
                continue;
            };
            let places: Vec<String> = a.area.iter().cloned().chain(initiative.map(|i| i.areas.clone()).unwrap_or_default()).collect();
            grants.push(grant(
                reg,
                format!("{prefix}-{}-{}", f.slug, a.slug),
                &a.name,
                &description(f, initiative.and_then(|i| i.summary.as_deref())),
                a.amount,
                None,
                &day,
                recipient,
                &funder,
                f,
                &places,
            ));
        }
        for b in f.bids.iter().filter(|b| b.status == BidStatus::Approved) {
            let day = decision_day(&b.decision).or_else(|| b.submitted.clone());
            let (Some(recipient), Some(day)) = (b.by.as_ref().filter(|p| !is_council(reg, p)), day.and_then(|d| full_day(&d))) else {
                left_out += 1;
                continue;
            };
            let places: Vec<String> = b.area.iter().cloned().chain(f.areas.iter().cloned()).collect();
            grants.push(grant(
                reg,
                format!("{prefix}-{}-{}", f.slug, b.slug),
                &b.name,
                &description(f, None),
                b.amount,
                Some(b.amount),
                &day,
                recipient,
                &funder,
                f,
                &places,
            ));
        }
    }
    if grants.is_empty() {
        return None;
    }
    let count = grants.len();
    let mut doc = json!({
        "grants": grants,
        "version": "1.4",
        "title": format!("{}: grants and allocations", c.name),
        "description": format!(
            "Grants recorded in Placeworks for {}: allocations from its funds to other organisations' initiatives, and approved bids.{}",
            c.name,
            if left_out > 0 { format!(" {left_out} allocations or bids without a recipient or an award date are left out.") } else { String::new() }
        ) + if c.giving_prefix.is_none() { " Its identifiers use a placeholder prefix (360G-placeworks-): the council has not recorded its registered 360Giving prefix." } else { "" },
        "issued": issued.format("%Y-%m-%d").to_string(),
    });
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("license".into(), json!("https://creativecommons.org/licenses/by/4.0/"));
    }
    Some(Package { json: doc, grants: count, left_out })
}

/// The prefix of the council's identifiers: its registered one, or a placeholder.
fn prefix(c: &crate::register::model::Council) -> String {
    c.giving_prefix.clone().unwrap_or_else(|| format!("360G-placeworks-{}", c.slug))
}

fn description(f: &Fund, summary: Option<&str>) -> String {
    let mut d = format!("From {}", f.name);
    if let Some(s) = &f.source {
        d.push_str(&format!(" ({s})"));
    }
    d.push('.');
    if let Some(s) = summary.or(f.conditions.as_deref()) {
        d.push(' ');
        d.push_str(s);
    }
    d
}

/// Whether a party is the council itself (its own organisation record).
fn is_council(reg: &Register, p: &Party) -> bool {
    match p {
        Party::Organisation(o) => reg.organisations.iter().any(|x| &x.slug == o && x.name == reg.council.name),
        Party::Body(_) => false,
    }
}

/// A day as 360Giving wants it (YYYY-MM-DD); a month or a year is not one.
fn full_day(d: &PartialDate) -> Option<String> {
    let s = d.to_string();
    (s.len() == 10).then_some(s)
}

#[allow(clippy::too_many_arguments)]
fn grant(
    reg: &Register,
    id: String,
    title: &str,
    description: &str,
    awarded: f64,
    applied: Option<f64>,
    day: &str,
    recipient: &Party,
    funder: &Value,
    fund: &Fund,
    places: &[String],
) -> Value {
    let (rid, name) = match recipient {
        Party::Organisation(o) => {
            (format!("{}-organisation-{o}", prefix(&reg.council)), reg.organisations.iter().find(|x| &x.slug == o).map_or(o.to_string(), |x| x.name.clone()))
        }
        Party::Body(b) => (format!("{}-body-{b}", prefix(&reg.council)), reg.bodies.iter().find(|x| &x.slug == b).map_or(b.to_string(), |x| x.name.clone())),
    };
    let mut g = json!({
        "id": id,
        "title": title.chars().take(140).collect::<String>(),
        "description": description,
        "currency": "GBP",
        "amountAwarded": awarded,
        "awardDate": day,
        "recipientOrganization": [{ "id": rid, "name": name }],
        "fundingOrganization": funder,
        "grantProgramme": [{ "code": fund.slug.to_string(), "title": fund.name }],
        "beneficiaryLocation": locations(reg, places),
    });
    if let (Some(a), Some(obj)) = (applied, g.as_object_mut()) {
        obj.insert("amountAppliedFor".into(), json!(a));
    }
    g
}

/// The places a grant benefits, by their ONS codes: a named set of wards as its wards.
fn locations(reg: &Register, codes: &[String]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut add = |code: &str| {
        let Some(a) = reg.areas.iter().find(|x| x.code == code) else { return };
        let kind = match a.kind {
            AreaKind::Ward => "WD",
            AreaKind::UnitaryAuthority => "UA",
            AreaKind::District => "NMD",
            AreaKind::County => "CTY",
            AreaKind::Lsoa => "LSOA",
            _ => return,
        };
        if !out.iter().any(|l| l["geoCode"] == a.code) {
            out.push(json!({ "name": a.name, "geoCode": a.code, "geoCodeType": kind, "countryCode": "GB" }));
        }
    };
    for code in codes {
        match reg.areas.iter().find(|x| &x.code == code) {
            Some(a) if !a.members.is_empty() => a.members.iter().for_each(|m| add(m)),
            Some(_) => add(code),
            None => {}
        }
    }
    out
}
