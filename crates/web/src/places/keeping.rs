//! The council's own areas defined in the portal by an analyst or the
//! register's keeper: a local community area or a named set of wards.

use crate::shell::errors::not_found;
use crate::shell::write::*;
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect};
use placeworks_domain::permissions::{Action, Resource};
use placeworks_domain::places::commands::plan_area;
use placeworks_domain::places::forms::AreaForm;
use placeworks_domain::places::{Area, AreaKind};
use placeworks_domain::register::Index;
use serde_json::json;

fn area_extra(council: &str, area: Option<&Area>) -> serde_json::Value {
    let kinds: Vec<_> = [AreaKind::LocalCommunityArea, AreaKind::NamedSet].iter().map(|k| json!({ "value": k.code(), "label": k.label() })).collect();
    let (button, action, cancel) = match area {
        Some(a) => ("Save the area", format!("/{council}/areas/{}/edit", a.code), format!("/{council}/areas/{}", a.code)),
        None => ("Define the area", format!("/{council}/areas/new"), format!("/{council}/areas")),
    };
    json!({ "kinds": kinds, "button": button, "action": action, "cancel": cancel })
}

fn areas_crumb(council: &str) -> [(&'static str, String); 1] {
    [("Areas", format!("/{council}/areas"))]
}

/// The council's own area called `code`, or a page saying there is none.
fn own_area<'a>(ix: &'a Index, code: &str) -> Result<&'a Area, crate::shell::errors::AppError> {
    ix.area(code).filter(|a| !a.kind.is_official()).ok_or_else(|| not_found("There is no area of the council's own with that code."))
}

/// The "Define an area" form.
pub async fn new_area(State(state): State<AppState>, Path(council): Path<String>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Area));
    let (ix, _) = registers(&state, &council, &v)?;
    let form = AreaForm { kind: AreaKind::LocalCommunityArea.code().into(), ..AreaForm::default() };
    council_form_page("area-form.html", &ix, &v, "Define an area", &areas_crumb(&council), form, &[], area_extra(&council, None))
}

/// Defines an area.
pub async fn create_area(State(state): State<AppState>, Path(council): Path<String>, Form(post): Form<Posted<AreaForm>>) -> Handled {
    save_area(state, council, None, post).await
}

/// The "Change an area" form.
pub async fn edit_area(State(state): State<AppState>, Path((council, code)): Path<(String, String)>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Area));
    let (ix, version) = registers(&state, &council, &v)?;
    let a = own_area(&ix, &code)?;
    let extra = opened_at(area_extra(&council, Some(a)), Some(version), json!(null));
    council_form_page(
        "area-form.html",
        &ix,
        &v,
        &format!("Change {}", a.name),
        &areas_crumb(&council),
        AreaForm::from_record(&ix.register.areas, a),
        &[],
        extra,
    )
}

/// Saves a changed area.
pub async fn update_area(State(state): State<AppState>, Path((council, code)): Path<(String, String)>, Form(post): Form<Posted<AreaForm>>) -> Handled {
    save_area(state, council, Some(code), post).await
}

async fn save_area(state: AppState, council: String, code: Option<String>, post: Posted<AreaForm>) -> Handled {
    let v = or_respond!(allowed(&council, Action::Edit, &Resource::Area));
    let (ix, _) = registers(&state, &council, &v)?;
    let old = match &code {
        Some(c) => Some(own_area(&ix, c)?.clone()),
        None => None,
    };
    let (form, opened) = or_respond!(post.checked_with_version(&v));
    let record = code.as_ref().map(|c| Opened { kind: "area", id: c.clone(), version: opened });
    let title = old.as_ref().map_or_else(|| "Define an area".to_owned(), |a| format!("Change {}", a.name));
    match write(&state, &council, &v, record, |ix| plan_area(&ix.register, code.as_deref(), &form)).await {
        Ok(change) => Ok(Redirect::to(&format!("/{council}/areas/{}", change.recorded.record_id)).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            let extra = area_extra(&council, old.as_ref());
            let extra = if old.is_some() { opened_at(extra, version.or(opened), conflict) } else { extra };
            council_form_page("area-form.html", &ix, &v, &title, &areas_crumb(&council), &form, errors, extra)
        }),
    }
}
