//! Editing the register in the portal. Every write here goes the same way:
//! the signed-in viewer, the permission from `can`, the form checked by the
//! domain's use case, one transaction with its audit entries, then the site
//! is rebuilt so the public pages show the change at once.

use crate::auth::{viewer, Viewer};
pub(crate) use crate::errors::{forbidden, unavailable};
use crate::errors::{not_found, AppError};
use crate::{templates, AppState};
use axum::extract::{Form, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use placeworks_domain::permissions::{can, Action, Resource};
use placeworks_domain::records::{BodyKind, ChairKind, RelationKind, Role};
use placeworks_domain::register::Index;
use placeworks_domain::visibility::Exemption;
use placeworks_domain::Slug;
use placeworks_domain::{change::*, decisions::*, forms::FieldError, meetings::*, register::*};
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
        Err(forbidden())
    }
}

/// The council's whole register (exempt records included: editors need
/// them) when the body exists in it.
fn council_and_body(state: &AppState, council: &str, body: &str) -> Result<(Arc<Index>, i64), AppError> {
    let site = state.site();
    let view = site.view(council).ok_or_else(|| not_found(format!("There is no council called “{council}” on this site.")))?;
    if view.full.body(body).is_none() {
        return Err(not_found(format!("There is no body called “{body}” in {}.", view.full.register.council.name)));
    }
    Ok((view.full.clone(), view.version))
}

fn body_slug(body: &str) -> Result<Slug, AppError> {
    Slug::parse(body).map_err(|_| not_found(format!("There is no body called “{body}”.")))
}

/// The register and the viewer, when the body exists and the viewer may do
/// `action` on the body's records of the kind `resource` makes.
/// Also the version of the council the register was read at: what an edit
/// form is opened on.
fn editor(state: &AppState, council: &str, body: &str, action: Action, resource: fn(Slug) -> Resource) -> Result<(Arc<Index>, Viewer, i64), Response> {
    let (ix, version) = council_and_body(state, council, body).map_err(IntoResponse::into_response)?;
    let slug = body_slug(body).map_err(IntoResponse::into_response)?;
    let v = allowed(council, action, &resource(slug))?;
    Ok((ix, v, version))
}

/// A page's extra values with the version its form was opened on and, after
/// a conflict, what someone else changed meanwhile.
fn opened_at(mut extra: serde_json::Value, version: Option<i64>, conflict: serde_json::Value) -> serde_json::Value {
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
    csrf: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(flatten)]
    form: F,
}

impl<F> Posted<F> {
    fn checked(self, v: &Viewer) -> Result<F, Response> {
        Ok(self.checked_with_version(v)?.0)
    }

    /// The form and the version it was opened on.
    fn checked_with_version(self, v: &Viewer) -> Result<(F, Option<i64>), Response> {
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

/// The one way a change reaches the store. Inside one write transaction
/// (which holds the council's write lock): the record's version is checked
/// against the form's, the register is read as it stands, the change is
/// planned on it, its permission checked, and the records and their audit
/// entry written; then it commits. Only after the commit does this return
/// the change, with this server's view of the council brought up to it, so
/// the page the writer is sent to shows it.
pub(crate) async fn write(
    state: &AppState,
    council: &str,
    v: &Viewer,
    opened: Option<Opened>,
    plan: impl Fn(&Index) -> Result<Change, Vec<FieldError>>,
) -> Result<Change, Refused> {
    let _turn = state.writing_turn(council).await;
    let outcome = placeworks_store::retrying(|| write_once(state, council, v, opened.as_ref(), &plan)).await;
    let (change, version, base) = match outcome {
        Ok(Ok(written)) => written,
        Ok(Err(refused)) => return Err(refused),
        Err(e) => return Err(Refused::Respond(not_saved(&e))),
    };
    tracing::info!(account.id = %v.account_id, council = %council, version, action = change.recorded.action, record = %change.recorded.record_id, "changed the register");
    // The change is committed: whatever happens now, it is kept. When it was
    // decided on this server's view of the version before it, the next view
    // is that register with the change made to it in memory, as the store
    // made it to the rows; otherwise (or should that fail) it is read back.
    // If this server cannot do either at once, the change feed brings it soon.
    if let Some(base) = base {
        let mut reg = base.register.clone();
        match change.writes.iter().try_for_each(|w| w.apply_to(&mut reg)) {
            Ok(()) => {
                state.install(council, crate::CouncilView::new(reg, version));
                return Ok(change);
            }
            Err(e) => tracing::warn!(council = %council, version, error = %e, "the view could not follow the write; reading it back"),
        }
    }
    if let Err(e) = state.refresh(council, Some(version)).await {
        tracing::warn!(council = %council, version, error = %e, "committed, but could not refresh the view at once");
    }
    Ok(change)
}

/// A committed change, the version it committed as, and the view of the
/// version before it that it was decided on, when it was decided on one.
type Written = (Change, i64, Option<Arc<Index>>);

/// One try at a write, inside one transaction.
async fn write_once(
    state: &AppState,
    council: &str,
    v: &Viewer,
    opened: Option<&Opened>,
    plan: &impl Fn(&Index) -> Result<Change, Vec<FieldError>>,
) -> Result<Result<Written, Refused>, placeworks_store::StoreError> {
    let mut tx = state.store.begin_write(council).await?;
    if let Some(o) = opened {
        // A record changed after the version the form was opened on was changed by someone else.
        let now = tx.record_version(o.kind, &o.id).await?;
        if o.version.is_none_or(|opened| now > opened) {
            let changes = tx.audit_since(o.kind, &o.id, o.version.unwrap_or(0)).await?;
            tx.rollback().await?;
            return Ok(Err(Refused::Conflict { version: now, changes }));
        }
    }
    // This server's view of the council at the version just before this
    // write is exactly what the store holds (every write and load bumps the
    // version, under the lock this transaction now has): decide on it rather
    // than read the register again. Any other view is stale; read the rows.
    let base = state.site().full_at(council, tx.version() - 1);
    let ix = match &base {
        Some(ix) => ix.clone(),
        None => Arc::new(Index::new(tx.register().await?)),
    };
    let change = match plan(&ix) {
        Ok(change) => change,
        Err(errors) => {
            tx.rollback().await?;
            return Ok(Err(Refused::Problems(errors)));
        }
    };
    if !can(&v.actor_in(council), Action::Edit, &change.resource) {
        tx.rollback().await?;
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
        body: r.body.to_string(),
        before: r.before.as_ref().map(ToString::to_string),
        after: r.after.as_ref().map(ToString::to_string),
    };
    tx.apply(&change.writes, &[entry]).await?;
    let version = tx.commit(r.action).await?;
    Ok(Ok((change, version, base)))
}

/// The page for a change the database would not take: nothing was saved,
/// and it says why and what to do.
pub(crate) fn not_saved(e: &placeworks_store::StoreError) -> Response {
    unavailable(e, "Your change has not been saved")
}

/// The form again, after a refused write: with its problems, or with what
/// someone else changed meanwhile. `page` renders the form with the errors,
/// the version to carry on with and the changes to show.
fn refused_page(refused: Refused, ix: &Index, page: impl FnOnce(&[FieldError], Option<i64>, serde_json::Value) -> Handled) -> Handled {
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

fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<serde_json::Value> {
    all.iter().map(|&x| json!({ "value": code(x), "label": label(x) })).collect()
}

fn paragraphs() -> Vec<serde_json::Value> {
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
fn form_page(
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

macro_rules! or_respond {
    ($e:expr) => {
        match $e {
            Ok(x) => x,
            Err(res) => return Ok(res),
        }
    };
}

type Handled = Result<Response, AppError>;

fn seat_options(ix: &Index, body: &str) -> Vec<serde_json::Value> {
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
    form_page("manage.html", &ix, &body, &v, "Manage", json!({}), &[], json!({ "seats": seats }))
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
    match write(&state, &council, &v, None, |ix| plan_add_membership(ix, &body, &form).map(|p| p.into_change(ix))).await {
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

fn membership_extra(ix: &Index, body: &str, slug: &str, council: &str) -> Result<serde_json::Value, AppError> {
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
    match write(&state, &council, &v, Some(record), |ix| plan_edit_membership(ix, &body, &slug, &form)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/bodies/{body}/manage")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            form_page("membership-edit.html", &ix, &body, &v, "Change a membership", &form, errors, opened_at(extra, version.or(opened), conflict))
        }),
    }
}

// ---- the body's details ------------------------------------------------------------

fn body_extra(ix: &Index) -> serde_json::Value {
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

fn seat_extra(ix: &Index, body: &str, council: &str, seat: Option<&str>) -> serde_json::Value {
    let parties: Vec<_> = ix
        .register
        .organisations
        .iter()
        .map(|o| json!({ "value": format!("organisation:{}", o.slug), "label": o.name }))
        .chain(
            ix.register
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

async fn save_seat(state: AppState, council: String, body: String, seat: Option<String>, post: Posted<SeatForm>) -> Handled {
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
    match write(&state, &council, &v, record, |ix| plan_seat(ix, &body, seat.as_deref(), &form)).await {
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

fn links_extra(ix: &Index, body: &str) -> serde_json::Value {
    let links: Vec<_> = ix
        .relations_from(body)
        .filter_map(|r| {
            ix.body(r.to.as_str())
                .map(|b| json!({ "kind": r.kind.code(), "label": r.kind.label(), "exempt": r.exempt, "body": { "slug": b.slug, "name": b.name } }))
        })
        .collect();
    let bodies: Vec<_> = ix.register.bodies.iter().filter(|b| b.slug.as_str() != body).map(|b| json!({ "value": b.slug, "label": b.name })).collect();
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
    match write(&state, &council, &v, None, |ix| plan_add_relation(ix, &body, &form)).await {
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

fn meetings_extra(ix: &Index, body: &str, council: &str, today: chrono::NaiveDate) -> serde_json::Value {
    let (from, until) = crate::pages::next_year(today);
    let planned = placeworks_domain::meetings::schedule::planned(ix, body, from, until).unwrap_or_default();
    let options: Vec<_> = planned
        .iter()
        .map(|m| {
            let slot = m.rescheduled_from.unwrap_or(m.start);
            let mut label = m.start.format("%A %-d %B %Y, %H:%M").to_string();
            if let Some(g) = &m.group {
                label.push_str(&format!(" ({g})"));
            }
            if m.cancelled {
                label.push_str(": cancelled");
            } else if m.rescheduled_from.is_some() {
                label.push_str(&format!(": moved from {}", slot.format("%-d %B")));
            }
            json!({ "value": slot.format("%Y-%m-%dT%H:%M").to_string(), "label": label })
        })
        .collect();
    let actions =
        [("move", "Move a planned meeting"), ("cancel", "Cancel a planned meeting"), ("add", "Add a meeting")].map(|(v, l)| json!({ "value": v, "label": l }));
    json!({ "planned": options, "actions": actions, "action_url": format!("/{council}/bodies/{body}/meetings") })
}

/// The secretariat's form to move, cancel or add meetings.
pub async fn meetings_form(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Meeting));
    form_page(
        "meetings-edit.html",
        &ix,
        &body,
        &v,
        "Meetings",
        MeetingForm { action: "move".into(), ..MeetingForm::default() },
        &[],
        meetings_extra(&ix, &body, &council, state.clock.today()),
    )
}

/// Moves, cancels or adds a meeting.
pub async fn save_meeting(State(state): State<AppState>, Path((council, body)): Path<(String, String)>, Form(post): Form<Posted<MeetingForm>>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, Resource::Meeting));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_meeting(ix, &body, &form, state.clock.today())).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/bodies/{body}#meetings")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            form_page("meetings-edit.html", &ix, &body, &v, "Meetings", &form, errors, meetings_extra(&ix, &body, &council, state.clock.today()))
        }),
    }
}

/// The history of a body's records.
pub async fn history(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Result<Response, AppError> {
    let (ix, _) = council_and_body(&state, &council, &body)?;
    if let Err(res) = allowed(&council, Action::ViewHistory, &Resource::Body(body_slug(&body)?)) {
        return Ok(res);
    }
    let entries = state.store.body_history(&council, &body).await.map_err(|e| AppError::Internal(format!("reading history: {e}")))?;
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
    let entries = state.store.audit_trail(&council).await.map_err(|e| AppError::Internal(format!("reading the audit trail: {e}")))?;
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
    let rows: Vec<_> = entries.iter().rev().map(|e| entry_row(&ix, e)).collect();
    let c = &ix.register.council;
    let ctx = json!({
        "page_title": "Audit trail", "council": { "slug": c.slug, "name": c.name, "brand_colour": c.brand_colour, "attribution": c.attribution },
        "entries": rows, "breadcrumbs": [{ "label": "Home", "href": format!("/{}", c.slug) }],
    });
    let html = templates::render("audit.html", minijinja::Value::from_serialize(&ctx))?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// A value from a record, in words for the history table.
fn in_words(v: &serde_json::Value) -> String {
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
fn entry_row(ix: &Index, e: &AuditEntry) -> serde_json::Value {
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
pub(crate) fn format_time(t: i64) -> String {
    let (y, m, d) = civil(t.div_euclid(86_400));
    let secs = t.rem_euclid(86_400);
    const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    format!("{d} {} {y}, {:02}:{:02} UTC", MONTHS[(m - 1) as usize], secs / 3600, secs % 3600 / 60)
}

#[path = "business.rs"]
pub(crate) mod business;

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
