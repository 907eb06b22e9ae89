//! The council's own areas defined in the portal: a local community area or
//! a named set made of wards, electoral divisions, LSOAs or parishes. Planned
//! without I/O like every command: checked against the register, refused
//! field by field, or a [`Change`] with its audit entry.

use crate::change::*;
use crate::council::Register;
use crate::forms::*;
use crate::ids::{slugify, PartialDate};
use crate::permissions::Resource;
use crate::places::forms::AreaForm;
use crate::places::model::{Area, AreaKind};
use serde_json::json;

/// The area a person means by `text`: its code, or its name (ignoring case
/// and spacing, and "and" for "&"). Of several areas with one name, the one
/// still in use.
pub fn area_named<'a>(areas: &'a [Area], text: &str) -> Result<&'a Area, String> {
    let t = line(text);
    if let Some(a) = areas.iter().find(|a| a.code == t) {
        return Ok(a);
    }
    let norm = |s: &str| line(s).to_lowercase().replace(" and ", " & ");
    let named: Vec<&Area> = areas.iter().filter(|a| norm(&a.name) == norm(&t)).collect();
    match named.iter().filter(|a| a.valid_to.is_none()).count() {
        1 => Ok(named.into_iter().find(|a| a.valid_to.is_none()).expect("counted")),
        0 if named.len() == 1 => Ok(named[0]),
        0 if named.is_empty() => Err(format!("There is no area called “{t}”: give its name as the areas list has it, or its code, like E05015942")),
        _ => Err(format!("More than one area is called “{t}”: give its code instead")),
    }
}

/// The kinds of area a council's own area may be made of.
const BUILDING_BLOCKS: &[AreaKind] = &[AreaKind::Ward, AreaKind::ElectoralDivision, AreaKind::Lsoa, AreaKind::Parish, AreaKind::LocalCommunityArea];

/// Whether two periods (from, to; either end open) share a day.
fn overlap(a: (&Option<PartialDate>, &Option<PartialDate>), b: (&Option<PartialDate>, &Option<PartialDate>)) -> bool {
    let starts_before_end = |from: &Option<PartialDate>, to: &Option<PartialDate>| match (from, to) {
        (Some(f), Some(t)) => f <= t,
        _ => true,
    };
    starts_before_end(a.0, b.1) && starts_before_end(b.0, a.1)
}

/// Plans a new area of the council's own (`code` is `None`) or a change to
/// one: its name, kind, the areas it is made of, what it lies within and
/// when it exists. A local community area may not share a ward (or LSOA, or
/// parish) with another that exists at the same time; a named set may.
pub fn plan_area(reg: &Register, code: Option<&str>, form: &AreaForm) -> Result<Change, Vec<FieldError>> {
    let old = match code {
        Some(c) => match reg.areas.iter().find(|a| a.code == c) {
            Some(a) if !a.kind.is_official() => Some(a),
            Some(a) => {
                return Err(vec![err("name", format!("{} is an official area: its name and boundary come from the ONS and are not changed here", a.name))])
            }
            None => return Err(vec![err("name", "There is no such area")]),
        },
        None => None,
    };
    let mut errors = Vec::new();
    let name = line(&form.name);
    check_name(&mut errors, "name", &name, "Enter the area's name");
    check_len(&mut errors, "name", "Name", &name, 200);
    let kind = match AreaKind::parse(form.kind.trim()) {
        Ok(k) if !k.is_official() => Some(k),
        _ => {
            errors.push(err("kind", "Select whether it is a local community area or a named set of areas"));
            None
        }
    };
    let valid_from = date(&mut errors, "valid_from", "Date it starts", &form.valid_from);
    let valid_to = date(&mut errors, "valid_to", "Date it ends", &form.valid_to);
    if let (Some(f), Some(t)) = (&valid_from, &valid_to) {
        if t < f {
            errors.push(err("valid_to", format!("Date it ends must be the same as or after the date it starts ({})", f.display())));
        }
    }
    let note = opt_line(&form.note);
    check_len(&mut errors, "note", "Note", note.as_deref().unwrap_or(""), 1000);
    // Its members: each an area that exists, of one kind, listed once.
    let mut members: Vec<&Area> = Vec::new();
    let mut unknown = Vec::new();
    for text in form.members.split(['\n', ';']).map(line).filter(|t| !t.is_empty()) {
        match area_named(&reg.areas, &text) {
            Ok(a) if members.iter().any(|m| m.code == a.code) => errors.push(err("members", format!("{} is listed twice", a.name))),
            Ok(a) if Some(a.code.as_str()) == code => errors.push(err("members", format!("{} cannot be made of itself", a.name))),
            Ok(a) if !BUILDING_BLOCKS.contains(&a.kind) => errors.push(err(
                "members",
                format!(
                    "{} is a {}: an area is made of wards, electoral divisions, LSOAs, parishes or local community areas",
                    a.name,
                    a.kind.label().to_lowercase()
                ),
            )),
            Ok(a) => members.push(a),
            Err(_) => unknown.push(text),
        }
    }
    if !unknown.is_empty() {
        let list = unknown.iter().map(|u| format!("“{u}”")).collect::<Vec<_>>().join(", ");
        errors.push(err("members", format!("There is no area called {list}: give each by its name as the areas list has it, or its code, like E05015942")));
    }
    if members.is_empty() && unknown.is_empty() && !errors.iter().any(|e| e.field == "members") {
        errors.push(err("members", "List the areas it is made of, one to a line"));
    }
    if let Some(first) = members.first() {
        if let Some(other) = members.iter().find(|m| m.kind != first.kind) {
            errors.push(err(
                "members",
                format!(
                    "{} is a {} and {} a {}: make an area of one kind of area",
                    first.name,
                    first.kind.label().to_lowercase(),
                    other.name,
                    other.kind.label().to_lowercase()
                ),
            ));
        }
    }
    // A local community area shares no member with another that exists at the same time.
    if kind == Some(AreaKind::LocalCommunityArea) {
        for m in &members {
            let taken = reg.areas.iter().find(|o| {
                o.kind == AreaKind::LocalCommunityArea
                    && Some(o.code.as_str()) != code
                    && o.members.contains(&m.code)
                    && overlap((&o.valid_from, &o.valid_to), (&valid_from, &valid_to))
            });
            if let Some(o) = taken {
                errors.push(err(
                    "members",
                    format!("{} is already in the local community area {}: an area may be in only one local community area at a time", m.name, o.name),
                ));
            }
        }
    }
    let parent = match form.parent.trim() {
        "" => old.and_then(|o| o.parent.clone()).or_else(|| reg.council.area.clone()),
        p => match area_named(&reg.areas, p) {
            Ok(a) if Some(a.code.as_str()) == code => {
                errors.push(err("parent", "An area cannot lie within itself"));
                None
            }
            Ok(a) => Some(a.code.clone()),
            Err(e) => {
                errors.push(err("parent", e));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let kind = kind.expect("checked");
    let new_code = match old {
        Some(o) => o.code.clone(),
        None => {
            let base = slugify(&name);
            let base = if kind == AreaKind::LocalCommunityArea && !base.starts_with("lca-") { format!("lca-{base}") } else { base };
            free_slug(&base, |s| reg.areas.iter().any(|a| a.code == s)).to_string()
        }
    };
    let area = Area {
        code: new_code.clone(),
        name,
        kind,
        parent,
        valid_from,
        valid_to,
        members: members.iter().map(|m| m.code.clone()).collect(),
        boundary: old.and_then(|o| o.boundary.clone()),
        note,
        sources: old.map(|o| o.sources.clone()).unwrap_or_default(),
        example: Vec::new(),
    };
    let view = |a: &Area| {
        let name = |c: &str| reg.areas.iter().find(|x| x.code == c).map_or_else(|| c.to_owned(), |x| x.name.clone());
        json!({
            "name": a.name, "kind": a.kind.label(), "members": a.members.iter().map(|m| name(m)).collect::<Vec<_>>(),
            "parent": a.parent.as_deref().map(name), "valid_from": a.valid_from, "valid_to": a.valid_to, "note": a.note,
        })
    };
    let recorded = Recorded {
        action: if old.is_some() { "edit-area" } else { "create-area" },
        record_kind: "area",
        record_id: new_code,
        body: None,
        before: old.map(view),
        after: Some(view(&area)),
    };
    Ok(Change { writes: vec![Write::PutArea(Box::new(area))], resource: Resource::Area, recorded })
}
