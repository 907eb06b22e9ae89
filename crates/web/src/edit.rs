//! Editing the register in the portal. Every write here goes the same way:
//! the signed-in viewer, the permission from `can`, the form checked by the
//! domain's use case, one transaction with its audit entries, then the site
//! is rebuilt so the public pages show the change at once.

use crate::auth::{now, viewer, Viewer};
use crate::errors::{not_found, AppError};
use crate::{templates, AppState};
use axum::extract::{Form, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use placeworks_domain::accounts::new_token;
use placeworks_domain::edits::{plan_add_membership, AddMembershipForm, FieldError};
use placeworks_domain::permissions::{can, Action, Resource};
use placeworks_domain::queries::Index;
use placeworks_domain::Slug;
use placeworks_store::AuditEntry;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// The viewer, when signed in and allowed `action` on `resource`; otherwise
/// the response to give instead (sign in, or a 403 page that leaks nothing).
fn allowed(council: &str, action: Action, resource: &Resource) -> Result<Viewer, Response> {
    let Some(v) = viewer() else { return Err(Redirect::to("/sign-in").into_response()) };
    if can(&v.actor_in(council), action, resource) {
        Ok(v)
    } else {
        let html = templates::render_error(403, "You do not have access to this page", "Your account does not have a role that allows this. Ask your council's administrator if you need one.")
            .unwrap_or_default();
        Err((StatusCode::FORBIDDEN, Html(html)).into_response())
    }
}

fn council_and_body(state: &AppState, council: &str, body: &str) -> Result<Arc<Index>, AppError> {
    let ix = state.site().council(council).cloned().ok_or_else(|| not_found(format!("There is no council called “{council}” on this site.")))?;
    if ix.body(body).is_none() {
        return Err(not_found(format!("There is no body called “{body}” in {}.", ix.register.council.name)));
    }
    Ok(ix)
}

fn body_slug(body: &str) -> Result<Slug, AppError> {
    Slug::parse(body).map_err(|_| not_found(format!("There is no body called “{body}”.")))
}

fn form_page(ix: &Index, body: &str, v: &Viewer, form: &AddMembershipForm, errors: &[FieldError], status: StatusCode) -> Result<Response, AppError> {
    let b = ix.body(body).expect("checked");
    let seats: Vec<_> = ix.seats_of(body).map(|s| json!({ "slug": s.slug, "label": s.label, "role": s.role.label() })).collect();
    let c = &ix.register.council;
    let ctx = json!({
        "page_title": if errors.is_empty() { format!("Add a member to {}", b.name) } else { format!("Error: Add a member to {}", b.name) },
        "council": { "slug": c.slug, "name": c.name, "brand_colour": c.brand_colour, "attribution": c.attribution },
        "section": "bodies", "body": { "slug": b.slug, "name": b.name }, "seats": seats, "form": form, "errors": errors, "csrf": v.csrf_token,
        "breadcrumbs": [{ "label": "Home", "href": format!("/{}", c.slug) }, { "label": "Bodies", "href": format!("/{}/bodies", c.slug) }, { "label": b.name, "href": format!("/{}/bodies/{}", c.slug, b.slug) }],
    });
    let html = templates::render("membership-new.html", minijinja::Value::from_serialize(&ctx))?;
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// The "Add a member" form.
pub async fn new_membership(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Result<Response, AppError> {
    let ix = council_and_body(&state, &council, &body)?;
    let v = match allowed(&council, Action::Edit, &Resource::Seat(body_slug(&body)?)) {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    form_page(&ix, &body, &v, &AddMembershipForm::default(), &[], StatusCode::OK)
}

#[derive(Deserialize)]
pub struct MembershipPost {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    form: AddMembershipForm,
}

/// Adds the member: checked, permitted, written with its audit entry.
pub async fn create_membership(State(state): State<AppState>, Path((council, body)): Path<(String, String)>, Form(post): Form<MembershipPost>) -> Result<Response, AppError> {
    let ix = council_and_body(&state, &council, &body)?;
    let v = match allowed(&council, Action::Edit, &Resource::Seat(body_slug(&body)?)) {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    if post.csrf.is_empty() || post.csrf != v.csrf_token {
        let html = templates::render_error(403, "This form could not be accepted", "The form had expired or did not come from this site. Go back, reload the page and try again.")?;
        return Ok((StatusCode::FORBIDDEN, Html(html)).into_response());
    }
    let plan = match plan_add_membership(&ix, &body, &post.form) {
        Ok(plan) => plan,
        Err(errors) => return form_page(&ix, &body, &v, &post.form, &errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let m = &plan.membership;
    let name_of = |slug: &Slug| plan.new_people.iter().find(|p| &p.slug == slug).map(|p| p.name.clone()).or_else(|| ix.person(slug.as_str()).map(|p| p.name.clone())).unwrap_or_default();
    let after = json!({
        "seat": m.seat, "person": m.person.as_ref().map(name_of), "start_date": m.start,
        "substitutes": m.substitutes.iter().map(name_of).collect::<Vec<_>>(),
    });
    let entry = AuditEntry {
        id: new_token()[..20].to_owned(),
        council: council.clone(),
        at: now(),
        actor_id: v.account_id.clone(),
        actor_name: v.name.clone(),
        action: "add-membership".into(),
        record_kind: "membership".into(),
        record_id: m.slug.to_string(),
        body: body.clone(),
        before: None,
        after: Some(after.to_string()),
    };
    state.store.add_membership(&council, &plan.new_people, m, &[entry]).await.map_err(|e| AppError::Internal(format!("adding a membership: {e}")))?;
    state.reload().await.map_err(|e| AppError::Internal(format!("reloading after a write: {e}")))?;
    tracing::info!(account.id = %v.account_id, council = %council, body = %body, membership = %m.slug, "added a membership");
    Ok(Redirect::to(&format!("/{council}/bodies/{body}#membership")).into_response())
}

/// The history of a body's records.
pub async fn history(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Result<Response, AppError> {
    let ix = council_and_body(&state, &council, &body)?;
    if let Err(res) = allowed(&council, Action::ViewHistory, &Resource::Body(body_slug(&body)?)) {
        return Ok(res);
    }
    let entries = state.store.body_history(&council, &body).await.map_err(|e| AppError::Internal(format!("reading history: {e}")))?;
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            let after: serde_json::Value = e.after.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
            json!({ "at": format_time(e.at), "actor": e.actor_name, "action": e.action.replace('-', " "), "record": e.record_id, "after": after })
        })
        .collect();
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
    let ix = state.site().council(&council).cloned().ok_or_else(|| not_found(format!("There is no council called “{council}” on this site.")))?;
    if let Err(res) = allowed(&council, Action::View, &Resource::AuditTrail) {
        return Ok(res);
    }
    let entries = state.store.audit_trail(&council).await.map_err(|e| AppError::Internal(format!("reading the audit trail: {e}")))?;
    if q.get("format").map(String::as_str) == Some("csv") {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut write = |row: &[&str]| w.write_record(row).map_err(|e| AppError::Internal(format!("writing CSV: {e}")));
        write(&["at_utc", "actor_id", "actor_name", "action", "record_kind", "record_id", "body", "before", "after"])?;
        for e in &entries {
            let at = format_iso(e.at);
            write(&[&at, &e.actor_id, &e.actor_name, &e.action, &e.record_kind, &e.record_id, &e.body, e.before.as_deref().unwrap_or(""), e.after.as_deref().unwrap_or("")])?;
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
    let rows: Vec<_> = entries
        .iter()
        .rev()
        .map(|e| {
            let after: serde_json::Value = e.after.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
            let body = ix.body(&e.body).map(|b| json!({ "slug": b.slug, "name": b.name }));
            json!({ "at": format_time(e.at), "actor": e.actor_name, "action": e.action.replace('-', " "), "record": e.record_id, "after": after, "body": body })
        })
        .collect();
    let c = &ix.register.council;
    let ctx = json!({
        "page_title": "Audit trail", "council": { "slug": c.slug, "name": c.name, "brand_colour": c.brand_colour, "attribution": c.attribution },
        "entries": rows, "breadcrumbs": [{ "label": "Home", "href": format!("/{}", c.slug) }],
    });
    let html = templates::render("audit.html", minijinja::Value::from_serialize(&ctx))?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// A Unix time as ISO 8601 in UTC, for CSV.
fn format_iso(t: i64) -> String {
    let (y, m, d) = civil(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// Year, month and day from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A Unix time as "23 November 2026, 14:05 UTC".
fn format_time(t: i64) -> String {
    let (y, m, d) = civil(t.div_euclid(86_400));
    let secs = t.rem_euclid(86_400);
    const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    format!("{d} {} {y}, {:02}:{:02} UTC", MONTHS[(m - 1) as usize], secs / 3600, secs % 3600 / 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_read_as_dates() {
        assert_eq!(super::format_time(0), "1 January 1970, 00:00 UTC");
        assert_eq!(super::format_time(1_795_441_500), "23 November 2026, 13:45 UTC");
        assert_eq!(super::format_time(951_782_400), "29 February 2000, 00:00 UTC");
        assert_eq!(super::format_iso(1_795_441_500), "2026-11-23T13:45:00Z");
    }
}
