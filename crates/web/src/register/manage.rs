//! The register kept in the portal by a body's secretariat: its details,
//! seats, members and links, and the history of its changes.

use crate::shell::errors::{not_found, AppError};
use crate::shell::templates;
use crate::shell::write::*;
use crate::AppState;
use axum::extract::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use placeworks_domain::permissions::{Action, Resource};
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use placeworks_domain::Slug;
use placeworks_domain::{change::*, register::*};
use serde::Deserialize;
use serde_json::json;

pub(crate) fn seat_options(ix: &Index, body: &str) -> Vec<serde_json::Value> {
    ix.seats_of(body)
        .map(|s| json!({ "value": s.slug, "label": if s.role == Role::Member { s.label.clone() } else { format!("{} ({})", s.label, s.role.label()) } }))
        .collect()
}

// ---- the hub -----------------------------------------------------------------------

/// Everything the secretariat can change about a body, in one place.
pub async fn manage(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Body));
    let name = |p: &Slug| ix.person(p.as_str()).map(|p| p.name.clone());
    let seats: Vec<_> = ix
        .seats_of(&body)
        .map(|s| {
            let ms: Vec<_> = ix
                .memberships_of(&body, s.slug.as_str())
                .map(|m| {
                    let period = match (&m.start, &m.end) {
                        (Some(a), Some(b)) => Some(format!("{} to {}", a.display(), b.display())),
                        (Some(a), None) => Some(format!("from {}", a.display())),
                        (None, Some(b)) => Some(format!("until {}", b.display())),
                        (None, None) => None,
                    };
                    json!({ "slug": m.slug, "person": m.person.as_ref().and_then(name), "period": period, "exempt": m.exempt })
                })
                .collect();
            json!({ "slug": s.slug, "label": s.label, "role": s.role.label(), "exempt": s.exempt, "memberships": ms })
        })
        .collect();
    let can_end = ix.body(&body).is_some_and(|b| b.ended.is_none()) && viewer_may(&council, Action::Edit, &Resource::Register);
    form_page("manage.html", &ix, &body, &v, "Manage", json!({}), &[], json!({ "seats": seats, "can_end": can_end }))
}

// ---- adding a member ---------------------------------------------------------------

/// The "Add a member" form.
pub async fn new_membership(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Seat));
    form_page("membership-new.html", &ix, &body, &v, "Add a member", AddMembershipForm::default(), &[], json!({ "seats": seat_options(&ix, &body) }))
}

/// Adds the member: checked, permitted, written with its audit entry.
pub async fn create_membership(
    State(state): State<AppState>,
    Path((council, body)): Path<(String, String)>,
    Form(post): Form<Posted<AddMembershipForm>>,
) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Seat));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_add_membership(ix, &v.actor_in(&council), &body, &form, state.clock.today()).map(|p| p.into_change(ix)))
        .await
    {
        Ok(_) => {}
        Err(refused) => {
            return refused_page(refused, &ix, |errors, _, _| {
                form_page("membership-new.html", &ix, &body, &v, "Add a member", &form, errors, json!({ "seats": seat_options(&ix, &body) }))
            })
        }
    }
    Ok(Redirect::to(&format!("/{council}/bodies/{body}#membership")).into_response())
}

// ---- changing a membership ---------------------------------------------------------

pub(crate) fn membership_extra(ix: &Index, body: &str, slug: &str, council: &str) -> Result<serde_json::Value, AppError> {
    let m = ix
        .register
        .memberships
        .iter()
        .find(|m| m.slug.as_str() == slug && m.body.as_str() == body)
        .ok_or_else(|| not_found("There is no such membership in this body."))?;
    let seat = ix.seats_of(body).find(|s| s.slug == m.seat).map(|s| s.label.clone()).unwrap_or_default();
    let member = m.person.as_ref().and_then(|p| ix.person(p.as_str())).map(|p| p.name.clone());
    Ok(json!({ "seat": seat, "member": member, "action": format!("/{council}/bodies/{body}/memberships/{slug}/edit") }))
}

/// The "Change a membership" form.
pub async fn edit_membership(State(state): State<AppState>, Path((council, body, slug)): Path<(String, String, String)>) -> Handled {
    let (ix, v, version) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Membership));
    let extra = opened_at(membership_extra(&ix, &body, &slug, &council)?, Some(version), json!(null));
    let m = ix.register.memberships.iter().find(|m| m.slug.as_str() == slug).expect("checked");
    form_page("membership-edit.html", &ix, &body, &v, "Change a membership", MembershipForm::from_record(&ix, m), &[], extra)
}

/// Saves a changed membership.
pub async fn update_membership(
    State(state): State<AppState>,
    Path((council, body, slug)): Path<(String, String, String)>,
    Form(post): Form<Posted<MembershipForm>>,
) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Membership));
    let extra = membership_extra(&ix, &body, &slug, &council)?;
    let (form, opened) = or_respond!(post.checked_with_version(&v));
    let record = Opened { kind: "membership", id: slug.clone(), version: opened };
    match write(&state, &council, &v, Some(record), |ix| plan_edit_membership(ix, &v.actor_in(&council), &body, &slug, &form)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/bodies/{body}/manage")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            form_page("membership-edit.html", &ix, &body, &v, "Change a membership", &form, errors, opened_at(extra, version.or(opened), conflict))
        }),
    }
}

// ---- the body's details ------------------------------------------------------------

pub(crate) fn body_extra(ix: &Index) -> serde_json::Value {
    let posts: Vec<_> = ix.register.posts.iter().map(|p| json!({ "value": p.slug, "label": format!("{}, {}", p.title, ix.party_name(&p.of)) })).collect();
    json!({
        "kinds": options(BodyKind::ALL, BodyKind::code, BodyKind::label),
        "chair_kinds": options(ChairKind::ALL, ChairKind::code, ChairKind::label),
        "posts": posts,
    })
}

/// The "Change the body's details" form.
pub async fn edit_body(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Handled {
    let (ix, v, version) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Body));
    let form = BodyForm::from_record(ix.body(&body).expect("checked"));
    form_page("body-edit.html", &ix, &body, &v, "Change the body's details", form, &[], opened_at(body_extra(&ix), Some(version), json!(null)))
}

/// Saves the body's details.
pub async fn update_body(State(state): State<AppState>, Path((council, body)): Path<(String, String)>, Form(post): Form<Posted<BodyForm>>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Body));
    let (form, opened) = or_respond!(post.checked_with_version(&v));
    let record = Opened { kind: "body", id: body.clone(), version: opened };
    match write(&state, &council, &v, Some(record), |ix| plan_edit_body(ix, &body, &form)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/bodies/{body}")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            form_page("body-edit.html", &ix, &body, &v, "Change the body's details", &form, errors, opened_at(body_extra(&ix), version.or(opened), conflict))
        }),
    }
}

// ---- seats -------------------------------------------------------------------------

/// The seat form's lists, from the register as the viewer may see it (`seen`).
pub(crate) fn seat_extra(seen: &Index, body: &str, council: &str, seat: Option<&str>) -> serde_json::Value {
    let parties: Vec<_> = seen
        .register
        .organisations
        .iter()
        .map(|o| json!({ "value": format!("organisation:{}", o.slug), "label": o.name }))
        .chain(
            seen.register
                .bodies
                .iter()
                .filter(|b| b.slug.as_str() != body)
                .map(|b| json!({ "value": format!("body:{}", b.slug), "label": format!("{} (body)", b.name) })),
        )
        .collect();
    let (heading, button, action) = match seat {
        Some(s) => ("Change a seat", "Save changes", format!("/{council}/bodies/{body}/seats/{s}/edit")),
        None => ("Add a seat", "Add seat", format!("/{council}/bodies/{body}/seats/new")),
    };
    json!({ "roles": options(Role::ALL, Role::code, Role::label), "parties": parties, "heading": heading, "button": button, "action": action })
}

/// The "Add a seat" form.
pub async fn new_seat(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Seat));
    let form = SeatForm { role: "member".into(), ..SeatForm::default() };
    form_page("seat-form.html", &ix, &body, &v, "Add a seat", form, &[], seat_extra(&ix, &body, &council, None))
}

/// Adds a seat.
pub async fn create_seat(State(state): State<AppState>, Path((council, body)): Path<(String, String)>, Form(post): Form<Posted<SeatForm>>) -> Handled {
    save_seat(state, council, body, None, post).await
}

/// The "Change a seat" form.
pub async fn edit_seat(State(state): State<AppState>, Path((council, body, seat)): Path<(String, String, String)>) -> Handled {
    let (ix, v, version) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Seat));
    let s = ix.seats_of(&body).find(|s| s.slug.as_str() == seat).ok_or_else(|| not_found("There is no such seat in this body."))?;
    let extra = opened_at(seat_extra(&ix, &body, &council, Some(&seat)), Some(version), json!(null));
    form_page("seat-form.html", &ix, &body, &v, "Change a seat", SeatForm::from_record(s), &[], extra)
}

/// Saves a changed seat.
pub async fn update_seat(
    State(state): State<AppState>,
    Path((council, body, seat)): Path<(String, String, String)>,
    Form(post): Form<Posted<SeatForm>>,
) -> Handled {
    save_seat(state, council, body, Some(seat), post).await
}

pub(crate) async fn save_seat(state: AppState, council: String, body: String, seat: Option<String>, post: Posted<SeatForm>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Seat));
    if let Some(s) = &seat {
        ix.seats_of(&body).find(|x| x.slug.as_str() == s).ok_or_else(|| not_found("There is no such seat in this body."))?;
    }
    let (form, opened) = or_respond!(post.checked_with_version(&v));
    let title = if seat.is_some() { "Change a seat" } else { "Add a seat" };
    // A change to a seat is checked against the version it was opened on; a new seat conflicts with nothing.
    let record = match (&seat, body_slug(&body), seat.as_deref().map(Slug::parse)) {
        (Some(_), Ok(b), Some(Ok(s))) => Some(Opened { kind: "seat", id: seat_id(&b, &s), version: opened }),
        _ => None,
    };
    match write(&state, &council, &v, record, |ix| plan_seat(ix, &v.actor_in(&council), &body, seat.as_deref(), &form, state.clock.today())).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/bodies/{body}/manage")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            let extra = seat_extra(&ix, &body, &council, seat.as_deref());
            form_page(
                "seat-form.html",
                &ix,
                &body,
                &v,
                title,
                &form,
                errors,
                if seat.is_some() { opened_at(extra, version.or(opened), conflict) } else { extra },
            )
        }),
    }
}

// ---- reporting lines and links -----------------------------------------------------

/// The links page's lists, from the register as the viewer may see it (`seen`).
pub(crate) fn links_extra(seen: &Index, body: &str) -> serde_json::Value {
    let links: Vec<_> = seen
        .relations_from(body)
        .filter_map(|r| {
            seen.body(r.to.as_str())
                .map(|b| json!({ "kind": r.kind.code(), "label": r.kind.label(), "exempt": r.exempt, "body": { "slug": b.slug, "name": b.name } }))
        })
        .collect();
    let bodies: Vec<_> = seen.register.bodies.iter().filter(|b| b.slug.as_str() != body).map(|b| json!({ "value": b.slug, "label": b.name })).collect();
    json!({ "links": links, "bodies": bodies, "kinds": options(RelationKind::ALL, RelationKind::code, RelationKind::label) })
}

/// A body's own reporting lines and links, with the form to add one.
pub async fn links(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Body));
    form_page("links.html", &ix, &body, &v, "Reporting lines and links", RelationForm::default(), &[], links_extra(&ix, &body))
}

/// Adds a reporting line or link.
pub async fn create_link(State(state): State<AppState>, Path((council, body)): Path<(String, String)>, Form(post): Form<Posted<RelationForm>>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Body));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_add_relation(ix, &v.actor_in(&council), &body, &form)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/bodies/{body}/links")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            form_page("links.html", &ix, &body, &v, "Reporting lines and links", &form, errors, links_extra(&ix, &body))
        }),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RemoveLink {
    kind: String,
    to: String,
}

/// Takes a reporting line or link away.
pub async fn remove_link(State(state): State<AppState>, Path((council, body)): Path<(String, String)>, Form(post): Form<Posted<RemoveLink>>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Body));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_remove_relation(ix, &body, &form.kind, &form.to)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/bodies/{body}/links")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            form_page("links.html", &ix, &body, &v, "Reporting lines and links", RelationForm::default(), errors, links_extra(&ix, &body))
        }),
    }
}

// ---- meetings -----------------------------------------------------------------------

/// The history of a body's records.
pub async fn history(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Result<Response, AppError> {
    let (ix, _) = or_respond!(council_and_body(&state, &council, &body));
    if let Err(res) = allowed(&council, Action::ViewHistory, &Resource::Body(body_slug(&body)?)) {
        return Ok(res);
    }
    let entries = state.store.body_history(&council, &body).await.map_err(|e| AppError::from_store("reading history", e))?;
    let rows: Vec<_> = entries.iter().map(|e| entry_row(&ix, e)).collect();
    let b = ix.body(&body).expect("checked");
    let c = &ix.register.council;
    let ctx = json!({
        "page_title": format!("History of {}", b.name), "section": "bodies",
        "council": { "slug": c.slug, "name": c.name, "brand_colour": c.brand_colour, "attribution": c.attribution },
        "body": { "slug": b.slug, "name": b.name }, "entries": rows,
        "breadcrumbs": [{ "label": "Home", "href": format!("/{}", c.slug) }, { "label": b.name, "href": format!("/{}/bodies/{}", c.slug, b.slug) }],
    });
    let html = templates::render("history.html", minijinja::Value::from_serialize(&ctx))?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// The whole audit trail of a council, for administrators: as a page, or as
/// CSV with `?format=csv`.
pub async fn audit_trail(
    State(state): State<AppState>,
    Path(council): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let ix = state.site().full(&council).cloned().ok_or_else(|| not_found(format!("There is no council called “{council}” on this site.")))?;
    if let Err(res) = allowed(&council, Action::View, &Resource::AuditTrail) {
        return Ok(res);
    }
    let entries = state.store.audit_trail(&council).await.map_err(|e| AppError::from_store("reading the audit trail", e))?;
    if q.get("format").map(String::as_str) == Some("csv") {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut write = |row: &[&str]| w.write_record(row).map_err(|e| AppError::Internal(format!("writing CSV: {e}")));
        write(&["at_utc", "actor_id", "actor_name", "action", "record_kind", "record_id", "body", "before", "after"])?;
        for e in &entries {
            let at = format_iso(e.at);
            write(&[
                &at,
                &e.actor_id,
                &e.actor_name,
                &e.action,
                &e.record_kind,
                &e.record_id,
                &e.body,
                e.before.as_deref().unwrap_or(""),
                e.after.as_deref().unwrap_or(""),
            ])?;
        }
        let bytes = w.into_inner().map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{council}-audit-trail.csv\"")),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response());
    }
    // Filters: the body, who made the change, a person named in it, and a span of days.
    let asked = |k: &str| q.get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let (body, who, person) = (asked("body"), asked("who"), asked("person").map(|p| p.to_lowercase()));
    let mut errors = Vec::new();
    let mut day = |field: &'static str, label: &str| -> Option<String> {
        let v = asked(field)?;
        match chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").or_else(|_| chrono::NaiveDate::parse_from_str(&v, "%d/%m/%Y")) {
            Ok(d) => Some(d.format("%Y-%m-%d").to_string()),
            Err(_) => {
                errors.push(json!({ "field": field, "message": format!("{label} must be a real date, like 31/12/2026") }));
                None
            }
        }
    };
    let (from, to) = (day("from", "The first day"), day("to", "The last day"));
    let mut actors: Vec<(String, String)> = entries.iter().map(|e| (e.actor_id.clone(), e.actor_name.clone())).collect();
    actors.sort_by(|a, b| a.1.cmp(&b.1));
    actors.dedup();
    let kept: Vec<&placeworks_store::AuditEntry> = entries
        .iter()
        .rev()
        .filter(|e| body.as_ref().is_none_or(|b| &e.body == b))
        .filter(|e| who.as_ref().is_none_or(|w| &e.actor_id == w))
        .filter(|e| {
            person.as_ref().is_none_or(|p| {
                [e.before.as_deref(), e.after.as_deref(), Some(e.record_id.as_str())].iter().flatten().any(|t| t.to_lowercase().contains(p.as_str()))
            })
        })
        .filter(|e| {
            let d = format_iso(e.at);
            from.as_ref().is_none_or(|f| d[..10] >= *f.as_str()) && to.as_ref().is_none_or(|t| d[..10] <= *t.as_str())
        })
        .collect();
    const SHOWN: usize = 200;
    let rows: Vec<_> = kept.iter().take(SHOWN).map(|e| entry_row(&ix, e)).collect();
    let bodies: Vec<_> = ix.register.bodies.iter().map(|b| json!({ "value": b.slug, "label": b.name })).collect();
    let actors: Vec<_> = actors.into_iter().map(|(id, name)| json!({ "value": id, "label": name })).collect();
    let c = &ix.register.council;
    let filtered = body.is_some() || who.is_some() || person.is_some() || from.is_some() || to.is_some();
    let ctx = json!({
        "page_title": if errors.is_empty() { "Audit trail" } else { "Error: Audit trail" }, "council": { "slug": c.slug, "name": c.name, "brand_colour": c.brand_colour, "attribution": c.attribution },
        "entries": rows, "breadcrumbs": [{ "label": "Home", "href": format!("/{}", c.slug) }],
        "total": entries.len(), "matching": kept.len(), "shown": SHOWN, "filtered": filtered, "errors": errors, "bodies": bodies, "actors": actors,
        "form": { "body": body, "who": who, "person": asked("person"), "from": asked("from"), "to": asked("to") },
    });
    let html = templates::render("audit.html", minijinja::Value::from_serialize(&ctx))?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}
