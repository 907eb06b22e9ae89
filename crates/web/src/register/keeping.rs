//! The register keeper's pages: setting up a body, ending one, and posts
//! (a ward's councillors among them) with whoever holds them.

use crate::register::manage::body_extra;
use crate::shell::errors::not_found;
use crate::shell::write::*;
use crate::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use placeworks_domain::permissions::{Action, Resource};
use placeworks_domain::register::*;
use serde::Deserialize;
use serde_json::json;

/// The bodies that exist today, as the viewer may see them, for a list.
fn current_bodies(ix: &Index, today: chrono::NaiveDate, except: Option<&str>) -> Vec<serde_json::Value> {
    ix.register.bodies.iter().filter(|b| b.is_current(today) && Some(b.slug.as_str()) != except).map(|b| json!({ "value": b.slug, "label": b.name })).collect()
}

// ---- setting up a body -------------------------------------------------------------

fn new_body_extra(ix: &Index, today: chrono::NaiveDate) -> serde_json::Value {
    let mut extra = body_extra(ix);
    extra["bodies"] = json!(current_bodies(ix, today, None));
    extra
}

const NEW_BODY: &str = "Set up a new body";

fn bodies_crumb(council: &str) -> [(&'static str, String); 1] {
    [("Bodies", format!("/{council}/bodies"))]
}

/// The "Set up a new body" form.
pub async fn new_body(State(state): State<AppState>, Path(council): Path<String>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Register));
    let (ix, _) = registers(&state, &council, &v)?;
    let form = NewBodyForm { details: BodyForm { chair_kind: "appointed".into(), ..BodyForm::default() }, ..NewBodyForm::default() };
    council_form_page("body-new.html", &ix, &v, NEW_BODY, &bodies_crumb(&council), form, &[], new_body_extra(&ix, state.clock.today()))
}

/// Sets the body up: checked, permitted, written with its audit entry.
pub async fn create_body(State(state): State<AppState>, Path(council): Path<String>, Form(post): Form<Posted<NewBodyForm>>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Register));
    let (ix, _) = registers(&state, &council, &v)?;
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_create_body(ix, &v.actor_in(&council), &form)).await {
        Ok(change) => Ok(Redirect::to(&format!("/{council}/bodies/{}", change.recorded.record_id)).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            council_form_page("body-new.html", &ix, &v, NEW_BODY, &bodies_crumb(&council), &form, errors, new_body_extra(&ix, state.clock.today()))
        }),
    }
}

// ---- ending a body -----------------------------------------------------------------

fn end_extra(ix: &Index, body: &str, today: chrono::NaiveDate) -> serde_json::Value {
    let open = ix.register.memberships.iter().filter(|m| m.body.as_str() == body && m.end.as_ref().is_none_or(|e| !e.passed(today))).count();
    json!({ "bodies": current_bodies(ix, today, Some(body)), "open_memberships": open })
}

/// The "End this body" form.
pub async fn end_body_form(State(state): State<AppState>, Path((council, body)): Path<(String, String)>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, |_| Resource::Register));
    form_page("body-end.html", &ix, &body, &v, "End this body", EndBodyForm::default(), &[], end_extra(&ix, &body, state.clock.today()))
}

/// Ends the body, and its open memberships with it.
pub async fn end_body(State(state): State<AppState>, Path((council, body)): Path<(String, String)>, Form(post): Form<Posted<EndBodyForm>>) -> Handled {
    let (ix, v, _) = or_respond!(editor(&state, &council, &body, Action::Edit, |_| Resource::Register));
    let form = or_respond!(post.checked(&v));
    match write(&state, &council, &v, None, |ix| plan_end_body(ix, &v.actor_in(&council), &body, &form)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/bodies/{body}")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, _, _| {
            form_page("body-end.html", &ix, &body, &v, "End this body", &form, errors, end_extra(&ix, &body, state.clock.today()))
        }),
    }
}

// ---- posts -------------------------------------------------------------------------

fn post_extra(ix: &Index, council: &str, post: Option<&Post>, back: &str) -> serde_json::Value {
    let parties: Vec<_> = ix
        .register
        .organisations
        .iter()
        .map(|o| json!({ "value": format!("organisation:{}", o.slug), "label": o.name }))
        .chain(ix.register.bodies.iter().map(|b| json!({ "value": format!("body:{}", b.slug), "label": format!("{} (body)", b.name) })))
        .collect();
    let (button, action) = match post {
        Some(p) => ("Save the post", format!("/{council}/posts/{}/edit", p.slug)),
        None => ("Add the post", format!("/{council}/posts/new")),
    };
    json!({ "parties": parties, "button": button, "action": action, "cancel": back })
}

/// Where a post's form returns to: its ward's page, or what it belongs to.
fn post_home(council: &str, area: Option<&str>, of: Option<&Party>) -> String {
    match (area, of) {
        (Some(a), _) => format!("/{council}/areas/{a}#councillors"),
        (None, Some(Party::Body(b))) => format!("/{council}/bodies/{b}"),
        (None, Some(Party::Organisation(o))) => format!("/{council}/organisations/{o}"),
        (None, None) => format!("/{council}/organisations"),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewPostQuery {
    /// A ward or division to add a councillor's post for.
    area: String,
}

/// The "Add a post" form; `?area=CODE` fills it in for a ward's councillor.
pub async fn new_post(State(state): State<AppState>, Path(council): Path<String>, Query(q): Query<NewPostQuery>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Post));
    let (ix, _) = registers(&state, &council, &v)?;
    let area = ix.area(q.area.trim());
    let form = match area {
        Some(a) => PostForm {
            title: "Councillor".into(),
            of: council_organisation(&ix).map(|o| format!("organisation:{o}")).unwrap_or_default(),
            area: a.name.clone(),
            ..PostForm::default()
        },
        None => PostForm::default(),
    };
    let back = post_home(&council, area.map(|a| a.code.as_str()), None);
    council_form_page("post-form.html", &ix, &v, "Add a post", &[], form, &[], post_extra(&ix, &council, None, &back))
}

/// The council's own organisation: the first unitary, county or district council that has not ended.
fn council_organisation(ix: &Index) -> Option<&placeworks_domain::Slug> {
    ix.register
        .organisations
        .iter()
        .find(|o| o.ended.is_none() && matches!(o.kind, OrganisationKind::UnitaryCouncil | OrganisationKind::CountyCouncil | OrganisationKind::DistrictCouncil))
        .map(|o| &o.slug)
}

/// Adds a post.
pub async fn create_post(State(state): State<AppState>, Path(council): Path<String>, Form(post): Form<Posted<PostForm>>) -> Handled {
    save_post(state, council, None, post).await
}

/// The "Change a post" form: its title, its ward, and who holds it.
pub async fn edit_post(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Post));
    let (ix, version) = registers(&state, &council, &v)?;
    let p = ix.post(&slug).ok_or_else(|| not_found("There is no such post."))?;
    let back = post_home(&council, p.area.as_deref(), Some(&p.of));
    let extra = opened_at(post_extra(&ix, &council, Some(p), &back), Some(version), json!(null));
    council_form_page("post-form.html", &ix, &v, &format!("{}: who holds it", p.title), &[], PostForm::from_record(&ix, p), &[], extra)
}

/// Saves a changed post.
pub async fn update_post(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, Form(post): Form<Posted<PostForm>>) -> Handled {
    save_post(state, council, Some(slug), post).await
}

async fn save_post(state: AppState, council: String, slug: Option<String>, post: Posted<PostForm>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Post));
    let (ix, _) = registers(&state, &council, &v)?;
    let old = match &slug {
        Some(s) => Some(ix.post(s).ok_or_else(|| not_found("There is no such post."))?.clone()),
        None => None,
    };
    let (form, opened) = or_respond!(post.checked_with_version(&v));
    let record = slug.as_ref().map(|s| Opened { kind: "post", id: s.clone(), version: opened });
    let title = old.as_ref().map_or_else(|| "Add a post".to_owned(), |p| format!("{}: who holds it", p.title));
    match write(&state, &council, &v, record, |ix| plan_post(ix, &v.actor_in(&council), slug.as_deref(), &form)).await {
        Ok(change) => {
            let saved = change.writes.iter().find_map(|w| match w {
                placeworks_domain::change::Write::PutPost(p) => Some(p.clone()),
                _ => None,
            });
            let to = saved.map_or_else(|| format!("/{council}"), |p| post_home(&council, p.area.as_deref(), Some(&p.of)));
            Ok(Redirect::to(&to).into_response())
        }
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            let back = old.as_ref().map_or_else(|| format!("/{council}/organisations"), |p| post_home(&council, p.area.as_deref(), Some(&p.of)));
            let extra = post_extra(&ix, &council, old.as_ref(), &back);
            let extra = if old.is_some() { opened_at(extra, version.or(opened), conflict) } else { extra };
            council_form_page("post-form.html", &ix, &v, &title, &[], &form, errors, extra)
        }),
    }
}

// ---- organisations -----------------------------------------------------------------

fn organisation_extra(ix: &Index, council: &str, org: Option<&Organisation>) -> serde_json::Value {
    let kinds: Vec<_> = OrganisationKind::ALL.iter().map(|k| json!({ "value": k.code(), "label": k.label() })).collect();
    let sectors: Vec<_> = Sector::ALL.iter().map(|k| json!({ "value": k.code(), "label": k.label() })).collect();
    let parents: Vec<_> =
        ix.register.organisations.iter().filter(|o| Some(&o.slug) != org.map(|x| &x.slug)).map(|o| json!({ "value": o.slug, "label": o.name })).collect();
    let (button, action, cancel) = match org {
        Some(o) => ("Save the organisation", format!("/{council}/organisations/{}/edit", o.slug), format!("/{council}/organisations/{}", o.slug)),
        None => ("Add the organisation", format!("/{council}/organisations/new"), format!("/{council}/organisations")),
    };
    json!({ "kinds": kinds, "sectors": sectors, "parents": parents, "button": button, "action": action, "cancel": cancel })
}

fn organisations_crumb(council: &str) -> [(&'static str, String); 1] {
    [("Organisations", format!("/{council}/organisations"))]
}

/// The "Add an organisation" form.
pub async fn new_organisation(State(state): State<AppState>, Path(council): Path<String>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Organisation));
    let (ix, _) = registers(&state, &council, &v)?;
    let extra = organisation_extra(&ix, &council, None);
    council_form_page("organisation-form.html", &ix, &v, "Add an organisation", &organisations_crumb(&council), OrganisationForm::default(), &[], extra)
}

/// Adds an organisation.
pub async fn create_organisation(State(state): State<AppState>, Path(council): Path<String>, Form(post): Form<Posted<OrganisationForm>>) -> Handled {
    save_organisation(state, council, None, post).await
}

/// The "Change an organisation" form.
pub async fn edit_organisation(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Organisation));
    let (ix, version) = registers(&state, &council, &v)?;
    let o = ix.organisation(&slug).ok_or_else(|| not_found("There is no such organisation."))?;
    let extra = opened_at(organisation_extra(&ix, &council, Some(o)), Some(version), json!(null));
    council_form_page(
        "organisation-form.html",
        &ix,
        &v,
        &format!("Change {}", o.name),
        &organisations_crumb(&council),
        OrganisationForm::from_record(o),
        &[],
        extra,
    )
}

/// Saves a changed organisation.
pub async fn update_organisation(
    State(state): State<AppState>,
    Path((council, slug)): Path<(String, String)>,
    Form(post): Form<Posted<OrganisationForm>>,
) -> Handled {
    save_organisation(state, council, Some(slug), post).await
}

async fn save_organisation(state: AppState, council: String, slug: Option<String>, post: Posted<OrganisationForm>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Organisation));
    let (ix, _) = registers(&state, &council, &v)?;
    let old = match &slug {
        Some(s) => Some(ix.organisation(s).ok_or_else(|| not_found("There is no such organisation."))?.clone()),
        None => None,
    };
    let (form, opened) = or_respond!(post.checked_with_version(&v));
    let record = slug.as_ref().map(|s| Opened { kind: "organisation", id: s.clone(), version: opened });
    let title = old.as_ref().map_or_else(|| "Add an organisation".to_owned(), |o| format!("Change {}", o.name));
    match write(&state, &council, &v, record, |ix| plan_organisation(ix, slug.as_deref(), &form)).await {
        Ok(change) => Ok(Redirect::to(&format!("/{council}/organisations/{}", change.recorded.record_id)).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            let extra = organisation_extra(&ix, &council, old.as_ref());
            let extra = if old.is_some() { opened_at(extra, version.or(opened), conflict) } else { extra };
            council_form_page("organisation-form.html", &ix, &v, &title, &organisations_crumb(&council), &form, errors, extra)
        }),
    }
}

// ---- people ------------------------------------------------------------------------

fn person_extra(council: &str, p: &Person) -> serde_json::Value {
    json!({ "button": "Save", "action": format!("/{council}/people/{}/edit", p.slug), "cancel": format!("/{council}/people/{}", p.slug) })
}

/// The form to change a person's name or note.
pub async fn edit_person(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Person));
    let (ix, version) = registers(&state, &council, &v)?;
    let p = ix.person(&slug).ok_or_else(|| not_found("There is no such person."))?;
    let extra = opened_at(person_extra(&council, p), Some(version), json!(null));
    council_form_page("person-form.html", &ix, &v, &format!("Change {}'s details", p.name), &[], PersonForm::from_record(p), &[], extra)
}

/// Saves a person's changed details.
pub async fn update_person(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, Form(post): Form<Posted<PersonForm>>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Person));
    let (ix, _) = registers(&state, &council, &v)?;
    let old = ix.person(&slug).ok_or_else(|| not_found("There is no such person."))?.clone();
    let (form, opened) = or_respond!(post.checked_with_version(&v));
    let record = Some(Opened { kind: "person", id: slug.clone(), version: opened });
    match write(&state, &council, &v, record, |ix| plan_person(ix, &slug, &form)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/people/{slug}")).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            let extra = opened_at(person_extra(&council, &old), version.or(opened), conflict);
            council_form_page("person-form.html", &ix, &v, &format!("Change {}'s details", old.name), &[], &form, errors, extra)
        }),
    }
}
