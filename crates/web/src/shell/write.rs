//! The one way a change reaches the store, for every capability's forms:
//! permission, the domain's use case decided inside the write's transaction,
//! the audit entry, the commit, and the view brought up to it; and the form
//! pages around it (values kept, errors, conflicts).

use crate::shell::auth::{viewer, Viewer};
use crate::shell::commit::Batch;
pub(crate) use crate::shell::errors::{forbidden, unavailable};
use crate::shell::errors::{not_found, AppError};
use crate::shell::templates;
use crate::AppState;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use placeworks_domain::permissions::{can, Action, Resource};
use placeworks_domain::register::Index;
use placeworks_domain::visibility::Exemption;
use placeworks_domain::Slug;
use placeworks_domain::{change::*, forms::FieldError};
use placeworks_store::AuditEntry;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// The viewer, when signed in and allowed `action` on `resource`; otherwise
/// the response to give instead (sign in, or a 403 page that leaks nothing).
pub(crate) fn allowed(council: &str, action: Action, resource: &Resource) -> Result<Viewer, Response> {
    let Some(v) = viewer() else { return Err(crate::shell::viewer::sign_in_first().into_response()) };
    if can(&v.actor_in(council), action, resource) {
        Ok(v)
    } else {
        Err(forbidden())
    }
}

/// Whether whoever is asking (signed in or not) may do `action` on
/// `resource`: for the links a page offers to those who may follow them.
pub(crate) fn viewer_may(council: &str, action: Action, resource: &Resource) -> bool {
    viewer().is_some_and(|v| can(&v.actor_in(council), action, resource))
}

/// The viewer; anyone not signed in is sent to sign in first, whatever they
/// asked for and whether or not it exists, so an editing address tells an
/// anonymous visitor nothing.
pub(crate) fn signed_in() -> Result<Viewer, Response> {
    viewer().ok_or_else(|| crate::shell::viewer::sign_in_first().into_response())
}

/// The council as the viewer may see it, and its version: what every editing
/// page is made from, so a record the viewer may not see answers as one that
/// does not exist and no page names it (an editor sees their own body's
/// confidential records in it). Writes are planned on the whole register,
/// inside their transaction (`write`).
pub(crate) fn registers(state: &AppState, council: &str, v: &Viewer) -> Result<(Arc<Index>, i64), AppError> {
    let site = state.site();
    let view = site.view(council).ok_or_else(|| not_found(format!("There is no council called “{council}” on this site.")))?;
    Ok((view.for_actor(&v.actor_in(council)), view.version))
}

/// The council as the signed-in viewer may see it and its version, when the
/// body is there for them (anyone not signed in is sent to sign in).
pub(crate) fn council_and_body(state: &AppState, council: &str, body: &str) -> Result<(Arc<Index>, i64), Response> {
    let v = signed_in()?;
    let (seen, version) = registers(state, council, &v).map_err(IntoResponse::into_response)?;
    if seen.body(body).is_none() {
        return Err(not_found(format!("There is no body called “{body}” in {}.", seen.register.council.name)).into_response());
    }
    Ok((seen, version))
}

pub(crate) fn body_slug(body: &str) -> Result<Slug, AppError> {
    Slug::parse(body).map_err(|_| not_found(format!("There is no body called “{body}”.")))
}

/// The register and the viewer, when the body exists and the viewer may do
/// `action` on the body's records of the kind `resource` makes.
/// Also the version of the council the register was read at: what an edit
/// form is opened on.
pub(crate) fn editor(
    state: &AppState,
    council: &str,
    body: &str,
    action: Action,
    resource: fn(Slug) -> Resource,
) -> Result<(Arc<Index>, Viewer, i64), Response> {
    let (ix, version) = council_and_body(state, council, body)?;
    let slug = body_slug(body).map_err(IntoResponse::into_response)?;
    let v = allowed(council, action, &resource(slug))?;
    Ok((ix, v, version))
}

/// A page's extra values with the version its form was opened on and, after
/// a conflict, what someone else changed meanwhile.
pub(crate) fn opened_at(mut extra: serde_json::Value, version: Option<i64>, conflict: serde_json::Value) -> serde_json::Value {
    if let Some(map) = extra.as_object_mut() {
        map.insert("version".into(), json!(version));
        map.insert("conflict".into(), conflict);
    }
    extra
}

/// A form as posted: its fields, the CSRF token that proves it came from a
/// page of this site shown to this session, and, for a form that changes a
/// record, the version of the record it was opened on.
#[derive(Deserialize)]
pub struct Posted<F> {
    #[serde(default)]
    pub(crate) csrf: String,
    #[serde(default)]
    pub(crate) version: Option<String>,
    #[serde(flatten)]
    pub(crate) form: F,
}

impl<F> Posted<F> {
    pub(crate) fn checked(self, v: &Viewer) -> Result<F, Response> {
        Ok(self.checked_with_version(v)?.0)
    }

    /// The form and the version it was opened on.
    pub(crate) fn checked_with_version(self, v: &Viewer) -> Result<(F, Option<i64>), Response> {
        if self.csrf.is_empty() || self.csrf != v.csrf_token {
            let html = templates::render_error(
                403,
                "This form could not be accepted",
                "The form had expired or did not come from this site. Go back, reload the page and try again.",
            )
            .unwrap_or_default();
            return Err((StatusCode::FORBIDDEN, Html(html)).into_response());
        }
        Ok((self.form, self.version.and_then(|v| v.trim().parse().ok())))
    }
}

/// Why a write was not made.
pub(crate) enum Refused {
    /// The form has problems, field by field.
    Problems(Vec<FieldError>),
    /// Someone else changed the record since the form was opened: the
    /// record's version now, and what they changed.
    Conflict { version: i64, changes: Vec<AuditEntry> },
    /// The answer to give instead (not allowed, or the database failed).
    Respond(Response),
}

/// The record a form edits, and the version it was opened on.
pub(crate) struct Opened {
    pub kind: &'static str,
    pub id: String,
    pub version: Option<i64>,
}

/// The one way a change reaches the store. Inside a write transaction
/// (which holds the council's write lock): the record's version is checked
/// against the form's, the register is read as it stands, the change is
/// planned on it, its permission checked, and the records and their audit
/// entry written; then it commits, with the writes of any officers queued
/// behind it (`commit`). Only after the commit does this return the change,
/// with this server's view of the council brought up to it, so the page the
/// writer is sent to shows it.
pub(crate) async fn write(
    state: &AppState,
    council: &str,
    v: &Viewer,
    opened: Option<Opened>,
    plan: impl Fn(&Index) -> Result<Change, Vec<FieldError>>,
) -> Result<Change, Refused> {
    let outcome = placeworks_store::retrying(|| write_once(state, council, v, opened.as_ref(), &plan)).await;
    let (change, version) = match outcome {
        Ok(Ok(written)) => written,
        Ok(Err(refused)) => return Err(refused),
        Err(e) => return Err(Refused::Respond(not_saved(&e))),
    };
    tracing::info!(account.id = %v.account_id, council = %council, version, action = change.recorded.action, record = %change.recorded.record_id, "changed the register");
    crate::shell::viewer::saved(change.recorded.action);
    Ok(change)
}

/// One try at a write: in the transaction handed on by the writer before,
/// or in one of its own.
pub(crate) async fn write_once(
    state: &AppState,
    council: &str,
    v: &Viewer,
    opened: Option<&Opened>,
    plan: &impl Fn(&Index) -> Result<Change, Vec<FieldError>>,
) -> Result<Result<(Change, i64), Refused>, placeworks_store::StoreError> {
    let mut turn = state.writers(council).turn().await;
    let mut batch = match turn.take() {
        Some(batch) => batch,
        None => {
            let tx = state.store.begin_write(council).await?;
            // This server's view of the council at the version just before
            // this write is exactly what the store holds (every write and load
            // bumps the version, under the lock this transaction now has):
            // decide on it rather than read the register again. Any other
            // view is stale; the rows are read instead.
            let base = state.site().full_at(council, tx.version() - 1);
            Batch::new(tx, base)
        }
    };
    // Should this fail, the transaction is dropped: nothing in it is kept,
    // and the writes before this one in it are tried again.
    match decide(state, council, v, opened, plan, &mut batch).await? {
        Ok(change) => {
            let version = turn.end(state, council, batch, true).await?;
            Ok(Ok((change, version)))
        }
        Err(refused) => {
            // Refused: the writes before it in the transaction go on.
            if let Err(e) = turn.end(state, council, batch, false).await {
                tracing::warn!(council = %council, error = %e, "the writes before a refused one could not be committed");
            }
            Ok(Err(refused))
        }
    }
}

/// Decides one write in `batch`'s transaction and makes it there.
async fn decide(
    state: &AppState,
    council: &str,
    v: &Viewer,
    opened: Option<&Opened>,
    plan: &impl Fn(&Index) -> Result<Change, Vec<FieldError>>,
    batch: &mut Batch,
) -> Result<Result<Change, Refused>, placeworks_store::StoreError> {
    let tx = &mut batch.tx;
    if let Some(o) = opened {
        // A record changed after the version the form was opened on was changed by someone else.
        let now = tx.record_version(o.kind, &o.id).await?;
        if o.version.is_none_or(|opened| now > opened) {
            let changes = tx.audit_since(o.kind, &o.id, o.version.unwrap_or(0)).await?;
            return Ok(Err(Refused::Conflict { version: now, changes }));
        }
    }
    let ix = match &batch.base {
        Some(ix) => ix.clone(),
        None => Arc::new(Index::new(tx.register().await?)),
    };
    let change = match plan(&ix) {
        Ok(change) => change,
        Err(errors) => return Ok(Err(Refused::Problems(errors))),
    };
    if !change.permitted(&ix.register, &v.actor_in(council)) {
        return Ok(Err(Refused::Respond(forbidden())));
    }
    let r = &change.recorded;
    let entry = AuditEntry {
        id: AuditEntry::new_id(),
        council: council.to_owned(),
        at: state.clock.unix(),
        actor_id: v.account_id.clone(),
        actor_name: v.name.clone(),
        action: r.action.to_owned(),
        record_kind: r.record_kind.to_owned(),
        record_id: r.record_id.clone(),
        body: r.body.as_ref().map(ToString::to_string).unwrap_or_default(),
        before: r.before.as_ref().map(ToString::to_string),
        after: r.after.as_ref().map(ToString::to_string),
    };
    tx.apply(&change.writes, &[entry]).await?;
    let version = tx.made(r.action);
    // The register after it, for the next write and the view: the change
    // made to it in memory as the store made it to the rows; should that
    // fail, it is read back after the commit.
    let mut reg = ix.register.clone();
    batch.base = match change.writes.iter().try_for_each(|w| w.apply_to(&mut reg)) {
        Ok(()) => Some(Arc::new(Index::new(reg))),
        Err(e) => {
            tracing::warn!(council = %council, version, error = %e, "the view could not follow the write; reading it back");
            None
        }
    };
    Ok(Ok(change))
}

/// The page for a change the database would not take: nothing was saved,
/// and it says why and what to do.
pub(crate) fn not_saved(e: &placeworks_store::StoreError) -> Response {
    unavailable(e, "Your change has not been saved")
}

/// The form again, after a refused write: with its problems, or with what
/// someone else changed meanwhile. `page` renders the form with the errors,
/// the version to carry on with and the changes to show.
pub(crate) fn refused_page(refused: Refused, ix: &Index, page: impl FnOnce(&[FieldError], Option<i64>, serde_json::Value) -> Handled) -> Handled {
    match refused {
        Refused::Problems(errors) => page(&errors, None, json!(null)),
        Refused::Respond(res) => Ok(res),
        Refused::Conflict { version, changes } => {
            let rows: Vec<_> = changes.iter().map(|e| entry_row(ix, e)).collect();
            let message = if rows.is_empty() {
                "This record was changed since you opened it: the register was loaded again from a dataset. Check the details below, then save again to keep yours".to_owned()
            } else {
                "This record was changed by someone else since you opened it. Your changes are below, not saved: check what they changed, then save again to keep yours".to_owned()
            };
            let errors = [FieldError { field: "conflict", message }];
            let mut res = page(&errors, Some(version), json!(rows))?;
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(res)
        }
    }
}

pub(crate) fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<serde_json::Value> {
    all.iter().map(|&x| json!({ "value": code(x), "label": label(x) })).collect()
}

pub(crate) fn paragraphs() -> Vec<serde_json::Value> {
    std::iter::once(json!({ "value": "", "label": "Public" }))
        .chain(
            Exemption::all()
                .map(|e| json!({ "value": e.number().to_string(), "label": format!("Confidential: paragraph {}. {}", e.number(), e.description()) })),
        )
        .collect()
}

/// Renders one of the editing pages: the body, the form as typed, its
/// errors (a 422 when there are any), and whatever else the page lists.
// A form page is made of each of these; a struct of them would only rename them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn form_page(
    template: &str,
    ix: &Index,
    body: &str,
    v: &Viewer,
    title: &str,
    form: impl serde::Serialize,
    errors: &[FieldError],
    extra: serde_json::Value,
) -> Result<Response, AppError> {
    let b = ix.body(body).expect("checked");
    let c = &ix.register.council;
    let mut ctx = json!({
        "page_title": if errors.is_empty() { format!("{title}: {}", b.name) } else { format!("Error: {title}: {}", b.name) },
        "council": { "slug": c.slug, "name": c.name, "brand_colour": c.brand_colour, "attribution": c.attribution },
        "section": "bodies", "body": { "slug": b.slug, "name": b.name, "exempt": b.exempt }, "form": form, "errors": errors, "csrf": v.csrf_token,
        "paragraphs": paragraphs(),
        "breadcrumbs": [
            { "label": "Home", "href": format!("/{}", c.slug) }, { "label": "Bodies", "href": format!("/{}/bodies", c.slug) },
            { "label": b.name, "href": format!("/{}/bodies/{}", c.slug, b.slug) }, { "label": "Manage", "href": format!("/{}/bodies/{}/manage", c.slug, b.slug) },
        ],
    });
    if let (Some(ctx), Some(extra)) = (ctx.as_object_mut(), extra.as_object()) {
        ctx.extend(extra.clone());
    }
    let html = templates::render(template, minijinja::Value::from_serialize(&ctx))?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// Renders an editing page of the council's register that belongs to no one
/// body (a new body, a post): as [`form_page`], with its own breadcrumbs.
// As form_page: a struct of these would only rename them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn council_form_page(
    template: &str,
    ix: &Index,
    v: &Viewer,
    title: &str,
    crumbs: &[(&str, String)],
    form: impl serde::Serialize,
    errors: &[FieldError],
    extra: serde_json::Value,
) -> Result<Response, AppError> {
    let c = &ix.register.council;
    let breadcrumbs: Vec<_> = std::iter::once(json!({ "label": "Home", "href": format!("/{}", c.slug) }))
        .chain(crumbs.iter().map(|(label, href)| json!({ "label": label, "href": href })))
        .collect();
    let mut ctx = json!({
        "page_title": if errors.is_empty() { title.to_owned() } else { format!("Error: {title}") },
        "heading": title,
        "council": { "slug": c.slug, "name": c.name, "brand_colour": c.brand_colour, "attribution": c.attribution },
        "form": form, "errors": errors, "csrf": v.csrf_token, "paragraphs": paragraphs(), "breadcrumbs": breadcrumbs,
    });
    if let (Some(ctx), Some(extra)) = (ctx.as_object_mut(), extra.as_object()) {
        ctx.extend(extra.clone());
    }
    let html = templates::render(template, minijinja::Value::from_serialize(&ctx))?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// The value, or return the response an early refusal gave.
macro_rules! or_respond {
    ($e:expr) => {
        match $e {
            Ok(x) => x,
            Err(res) => return Ok(res),
        }
    };
}
pub(crate) use or_respond;

pub(crate) type Handled = Result<Response, AppError>;

/// A value from a record, in words for the history table.
pub(crate) fn in_words(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(none)".to_owned(),
        serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        serde_json::Value::String(s) if s.is_empty() => "(none)".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) if items.is_empty() => "(none)".to_owned(),
        serde_json::Value::Array(items) => items.iter().map(in_words).collect::<Vec<_>>().join("; "),
        serde_json::Value::Object(fields) => fields
            .iter()
            .filter(|(_, v)| !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)))
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), in_words(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// One audit entry as a row of a history table: what changed, field by field.
pub(crate) fn entry_row(ix: &Index, e: &AuditEntry) -> serde_json::Value {
    let parse = |t: &Option<String>| t.as_deref().and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok());
    let (before, after) = (parse(&e.before), parse(&e.after));
    let changes: Vec<_> = differences(before.as_ref(), after.as_ref())
        .into_iter()
        .map(|(field, b, a)| json!({ "field": field.replace('_', " "), "before": before.as_ref().map(|_| in_words(&b)), "after": after.as_ref().map(|_| in_words(&a)) }))
        .collect();
    let body = ix.body(&e.body).map(|b| json!({ "slug": b.slug, "name": b.name }));
    json!({ "at": format_time(e.at), "actor": e.actor_name, "action": e.action.replace('-', " "), "record": e.record_id, "changes": changes, "body": body })
}

/// A Unix time as ISO 8601 in UTC, for CSV.
pub(crate) fn format_iso(t: i64) -> String {
    let (y, m, d) = civil(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// Year, month and day from days since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil(days: i64) -> (i64, i64, i64) {
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
pub(crate) fn format_time(t: i64) -> String {
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
