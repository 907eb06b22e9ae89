//! Resetting a forgotten password, and the administrators' list of accounts.
//!
//! Placeworks sends no email of its own: an administrator makes a one-time
//! reset link (here, or with `placeworks user reset-link`) and passes it on.
//! The link works once, for a day, and only the latest one works; using it
//! sets the new password and signs the account out everywhere.

use crate::shell::auth::{csrf_matches, hash_off_the_workers, set_cookie, viewer, CSRF_COOKIE};
use crate::shell::errors::AppError;
use crate::shell::templates;
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use placeworks_domain::accounts::{new_token, token_hash, NewPassword};
use placeworks_domain::permissions::{can, Action, Actor, Grant, Resource};
use placeworks_store::Store;
use serde::Deserialize;
use serde_json::json;

/// How long a reset link works: a day, time enough to pass it on.
pub const RESET_SECONDS: i64 = 24 * 3600;

/// Makes a reset link's token for an account; returns the token, which is
/// stored only as its hash, and when it stops working.
pub async fn make_reset_token(store: &Store, account_id: &str, audit: &[placeworks_store::AuditEntry]) -> Result<(String, i64), placeworks_store::StoreError> {
    let token = new_token();
    let t = store.clock().unix();
    store.create_password_reset(&token_hash(&token), account_id, t, t + RESET_SECONDS, audit).await?;
    Ok((token, t + RESET_SECONDS))
}

fn internal(what: &str) -> impl Fn(placeworks_store::StoreError) -> AppError + '_ {
    move |e| AppError::from_store(what, e)
}

fn no_referrer(mut res: Response) -> Response {
    // The page's address holds the token: never send it on to another site.
    res.headers_mut().insert(header::REFERRER_POLICY, "no-referrer".parse().expect("header"));
    res.headers_mut().insert(header::CACHE_CONTROL, "no-store".parse().expect("header"));
    res
}

fn gone() -> Result<Response, AppError> {
    let html = templates::render_error(
        404,
        "This link has expired or has already been used",
        "A password reset link works once, for a day, and only the newest one for an account works. Ask your council's administrator for a new link.",
    )?;
    Ok(no_referrer((StatusCode::NOT_FOUND, Html(html)).into_response()))
}

fn reset_page(email: &str, csrf: &str, errors: &[(&str, String)], status: StatusCode) -> Result<Response, AppError> {
    let errors: Vec<_> = errors.iter().map(|(field, message)| json!({ "field": field, "message": message })).collect();
    let title = if errors.is_empty() { "Choose a new password" } else { "Error: Choose a new password" };
    let html = templates::render(
        "reset-password.html",
        minijinja::Value::from_serialize(json!({ "page_title": title, "email": email, "errors": errors, "csrf": csrf })),
    )?;
    let mut res = (status, Html(html)).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, csrf, 3600).parse().expect("cookie header"));
    Ok(no_referrer(res))
}

/// The "choose a new password" form behind a reset link.
pub async fn reset_form(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, AppError> {
    match state.store.password_reset_account(&token_hash(&token), state.clock.unix()).await.map_err(internal("reading a reset link"))? {
        Some(account) => reset_page(&account.email, &new_token(), &[], StatusCode::OK),
        None => gone(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    password: String,
    confirm: String,
    csrf: String,
}

/// Sets the new password, spends the link and signs the account out everywhere.
pub async fn reset(
    State(state): State<AppState>,
    Path(token): Path<String>,
    crate::shell::auth::PeerAddr(peer): crate::shell::auth::PeerAddr,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    if !csrf_matches(&headers, &form.csrf, None) {
        let html = templates::render_error(
            403,
            "This form could not be accepted",
            "The form had expired or did not come from this site. Go back, reload the page and try again.",
        )?;
        return Ok(no_referrer((StatusCode::FORBIDDEN, Html(html)).into_response()));
    }
    let hash = token_hash(&token);
    let Some(account) = state.store.password_reset_account(&hash, state.clock.unix()).await.map_err(internal("reading a reset link"))? else {
        return gone();
    };
    let mut errors = Vec::new();
    let password = NewPassword::parse(&form.password).map_err(|e| errors.push(("password", e))).ok();
    if password.is_some() && form.confirm != form.password {
        errors.push(("confirm", "The passwords do not match: type the same new password twice".to_owned()));
    }
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return reset_page(&account.email, &new_token(), &errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let hashed = hash_off_the_workers(&state, move || password.hash()).await?;
    match state.store.reset_password(&hash, &hashed, state.clock.unix()).await.map_err(internal("resetting a password"))? {
        Some(id) => {
            tracing::info!(account.id = %id, "password reset; every session ended");
            // The holder proved who they are: the limits on guesses at their
            // password, and from where they are, start again.
            let client = crate::shell::auth::client_address(&state.trusted_proxies, peer, &headers).map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
            for subject in [format!("account:{}", account.email), format!("address:{client}")] {
                state.store.clear_sign_in_attempts(&subject).await.map_err(internal("clearing the sign-in limit"))?;
            }
            let mut res = Redirect::to("/sign-in?reset=done").into_response();
            res.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, "", 0).parse().expect("cookie header"));
            Ok(no_referrer(res))
        }
        None => gone(),
    }
}

/// What to do when a password is forgotten.
pub async fn forgot() -> Result<Response, AppError> {
    let html = templates::render("forgot-password.html", minijinja::Value::from_serialize(json!({ "page_title": "Forgotten your password?" })))?;
    Ok(Html(html).into_response())
}

fn for_administrators() -> Result<crate::shell::auth::Viewer, Response> {
    let Some(v) = viewer() else { return Err(crate::shell::viewer::sign_in_first().into_response()) };
    let actor = Actor::with(v.grants.iter().map(|(_, g)| g.clone()));
    if can(&actor, Action::Edit, &Resource::Account) {
        Ok(v)
    } else {
        let html = templates::render_error(403, "You do not have access to this page", "Only administrators manage accounts.").unwrap_or_default();
        Err((StatusCode::FORBIDDEN, Html(html)).into_response())
    }
}

/// Every account, for administrators.
pub async fn list(State(state): State<AppState>) -> Result<Response, AppError> {
    let v = match for_administrators() {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    let accounts: Vec<_> = state
        .store
        .accounts()
        .await
        .map_err(internal("listing accounts"))?
        .into_iter()
        .map(|a| {
            let roles: Vec<String> = a
                .grants
                .iter()
                .map(|(c, g)| format!("{} ({})", placeworks_domain::accounts::grant_text(g), if c == "*" { "every council" } else { c }))
                .collect();
            json!({ "id": a.id, "email": a.email, "name": a.name, "roles": roles, "disabled": a.disabled })
        })
        .collect();
    let names: std::collections::HashMap<String, String> =
        state.store.accounts().await.map_err(internal("listing accounts"))?.into_iter().map(|a| (a.id, a.email)).collect();
    let trail: Vec<_> = state
        .store
        .account_trail(30)
        .await
        .map_err(internal("reading the changes to accounts"))?
        .into_iter()
        .map(|e| {
            let what = e.after.as_deref().or(e.before.as_deref()).and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok());
            let role = what.as_ref().and_then(|w| w["role"].as_str().map(str::to_owned));
            json!({ "when": crate::shell::write::format_time(e.at), "who": e.actor_name, "action": e.action.replace('-', " "),
                    "account": names.get(&e.record_id).cloned().unwrap_or(e.record_id), "role": role })
        })
        .collect();
    let html = templates::render(
        "accounts.html",
        minijinja::Value::from_serialize(json!({ "page_title": "Accounts", "accounts": accounts, "csrf": v.csrf_token, "trail": trail })),
    )?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

/// Makes a reset link for an account and shows it, once, to the administrator.
pub async fn create_reset_link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    let (v, account) = match acting_on(&state, &headers, &form.csrf, &id).await? {
        Ok(both) => both,
        Err(res) => return Ok(res),
    };
    let entry = account_entry(&state, &v, "create-reset-link", &account.id, None, Some(json!({ "email": account.email, "reset_link": "made" })));
    let (token, expires) = make_reset_token(&state.store, &account.id, &[entry]).await.map_err(internal("making a reset link"))?;
    tracing::info!(account.id = %account.id, by = %v.account_id, "password reset link made");
    let link = format!("{}/reset-password/{token}", crate::shell::render::origin(&state));
    let html = templates::render(
        "reset-link.html",
        minijinja::Value::from_serialize(
            json!({ "page_title": "Password reset link", "account": { "email": account.email, "name": account.name }, "link": link, "expires": crate::shell::write::format_time(expires) }),
        ),
    )?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// The audit entry for a change to an account, made by an administrator.
/// Accounts belong to the site, not to one council: their entries are kept
/// under the council `*`, and listed on the accounts page.
fn account_entry(
    state: &AppState,
    v: &crate::shell::auth::Viewer,
    action: &str,
    account_id: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> placeworks_store::AuditEntry {
    placeworks_store::AuditEntry {
        id: placeworks_store::AuditEntry::new_id(),
        council: "*".into(),
        at: state.clock.unix(),
        actor_id: v.account_id.clone(),
        actor_name: v.name.clone(),
        action: action.into(),
        record_kind: "account".into(),
        record_id: account_id.into(),
        body: String::new(),
        before: before.map(|b| b.to_string()),
        after: after.map(|a| a.to_string()),
    }
}

/// A role in words, with where it applies: "Secretariat of CADEX (Buckinghamshire)".
fn role_words(state: &AppState, council: &str, g: &Grant) -> String {
    let site = state.site();
    let council_name = site.councils().iter().find(|c| c.register.council.slug.as_str() == council).map(|c| c.register.council.name.clone());
    let body_name = |b: &placeworks_domain::Slug| {
        site.councils()
            .iter()
            .find(|c| c.register.council.slug.as_str() == council)
            .and_then(|c| c.register.bodies.iter().find(|x| &x.slug == b).map(|x| x.name.clone()))
            .unwrap_or_else(|| b.to_string())
    };
    let what = match g {
        Grant::Administrator => "Administrator".to_owned(),
        Grant::Analyst => "Analyst".to_owned(),
        Grant::ProgrammeManager => "Programme manager of every programme".to_owned(),
        Grant::ManagesProgramme(p) => format!(
            "Programme manager of {}",
            site.councils()
                .iter()
                .find(|c| c.register.council.slug.as_str() == council)
                .and_then(|c| c.register.programmes.iter().find(|x| &x.slug == p).map(|x| x.name.clone()))
                .unwrap_or_else(|| p.to_string())
        ),
        Grant::LeadsInitiative(i) => format!(
            "Lead of {}",
            site.councils()
                .iter()
                .find(|c| c.register.council.slug.as_str() == council)
                .and_then(|c| c.register.initiatives.iter().find(|x| &x.slug == i).map(|x| x.name.clone()))
                .unwrap_or_else(|| i.to_string())
        ),
        Grant::Registrar => "Register keeper".to_owned(),
        Grant::Secretariat(b) => format!("Secretariat of {}", body_name(b)),
        Grant::Member(b) => format!("Member of {}", body_name(b)),
        Grant::Chair(b) => format!("Chair of {}", body_name(b)),
        Grant::DraftsAgendaOf(b) => format!("Drafts the agenda of {}", body_name(b)),
    };
    match council_name {
        Some(n) => format!("{what} ({n})"),
        None => format!("{what} (every council)"),
    }
}

/// The roles an administrator can give, and the bodies a scoped role can be for.
fn role_options(state: &AppState) -> (serde_json::Value, serde_json::Value) {
    let roles = json!([
        { "value": "administrator", "label": "Administrator: accounts, the audit trail and every body" },
        { "value": "register-keeper", "label": "Register keeper: creates and ends bodies, and keeps organisations, posts, councillors, people and areas" },
        { "value": "secretariat", "label": "Secretariat of a body: keeps its membership, meetings and decisions" },
        { "value": "member", "label": "Member of a body: sees its confidential business" },
        { "value": "chair", "label": "Chair of a body: agrees its meeting dates, agendas, draft minutes and invitations" },
        { "value": "analyst", "label": "Analyst: areas and indicators" },
        { "value": "programme-manager", "label": "Programme manager: a programme (or, with none chosen, every programme), its measures and their actuals" },
        { "value": "initiative-lead", "label": "Initiative lead: enters the actuals of an initiative's measures and its parts'" },
    ]);
    let site = state.site();
    let many = site.councils().len() > 1;
    let bodies: Vec<_> = site
        .councils()
        .iter()
        .flat_map(|c| {
            let council = c.register.council.clone();
            let today = state.clock.today();
            c.register.bodies.iter().filter(move |b| b.is_current(today)).map(move |b| {
                let label = if many { format!("{} ({})", b.name, council.name) } else { b.name.clone() };
                json!({ "value": format!("{}/{}", council.slug, b.slug), "label": label })
            })
        })
        .chain(site.councils().iter().flat_map(|c| {
            let council = c.register.council.clone();
            c.register.programmes.iter().map(move |p| {
                let label = if many { format!("Programme: {} ({})", p.name, council.name) } else { format!("Programme: {}", p.name) };
                json!({ "value": format!("{}/{}", council.slug, p.slug), "label": label })
            })
        }))
        .chain(site.councils().iter().flat_map(|c| {
            let council = c.register.council.clone();
            c.register.initiatives.iter().map(move |i| {
                let label = if many { format!("Initiative: {} ({})", i.name, council.name) } else { format!("Initiative: {}", i.name) };
                json!({ "value": format!("{}/{}", council.slug, i.slug), "label": label })
            })
        }))
        .collect();
    (roles, json!(bodies))
}

/// Reads the role fields of a form into a role and where it applies, or the
/// field that is wrong and why.
fn chosen_role(role: &str, body: &str) -> Result<(String, Grant), (&'static str, String)> {
    let scoped = matches!(role, "secretariat" | "member" | "chair" | "initiative-lead");
    let (council, body) = match body.split_once('/') {
        Some((c, b)) if !c.is_empty() && !b.is_empty() => (Some(c.to_owned()), Some(b.to_owned())),
        _ => (None, None),
    };
    if role.is_empty() {
        return Err(("role", "Select a role".into()));
    }
    if role == "initiative-lead" && body.is_none() {
        return Err(("body", "Select the initiative the role is for".into()));
    }
    if scoped && body.is_none() {
        return Err(("body", "Select the body the role is for".into()));
    }
    if !scoped && body.is_some() && role != "programme-manager" {
        return Err(("body", "This role is not for one body: leave the body empty".into()));
    }
    let text = match &body {
        Some(b) => format!("{role}:{b}"),
        None => role.to_owned(),
    };
    let grant = placeworks_domain::accounts::parse_grant(&text).map_err(|e| ("role", e))?;
    Ok((council.unwrap_or_else(|| "*".to_owned()), grant))
}

/// Whether a chosen body exists on this site.
fn body_exists(state: &AppState, council: &str, g: &Grant) -> bool {
    match g {
        Grant::Secretariat(b) | Grant::Member(b) | Grant::Chair(b) => {
            state.site().councils().iter().any(|c| c.register.council.slug.as_str() == council && c.register.bodies.iter().any(|x| &x.slug == b))
        }
        Grant::ManagesProgramme(p) => {
            state.site().councils().iter().any(|c| c.register.council.slug.as_str() == council && c.register.programmes.iter().any(|x| &x.slug == p))
        }
        Grant::LeadsInitiative(i) => {
            state.site().councils().iter().any(|c| c.register.council.slug.as_str() == council && c.register.initiatives.iter().any(|x| &x.slug == i))
        }
        _ => true,
    }
}

fn refused_form() -> Result<Response, AppError> {
    let html = templates::render_error(
        403,
        "This form could not be accepted",
        "The form had expired or did not come from this site. Go back, reload the page and try again.",
    )?;
    Ok((StatusCode::FORBIDDEN, Html(html)).into_response())
}

/// Sends the administrator back to a page with a confirmation banner.
fn saved_and_back(action: &'static str, to: &str) -> Response {
    crate::shell::viewer::saved(action);
    Redirect::to(to).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewAccountForm {
    name: String,
    email: String,
    role: String,
    body: String,
    csrf: String,
}

fn new_account_page(state: &AppState, form: &NewAccountForm, errors: &[(&str, String)], csrf: &str, status: StatusCode) -> Result<Response, AppError> {
    let (roles, bodies) = role_options(state);
    let errors: Vec<_> = errors.iter().map(|(field, message)| json!({ "field": field, "message": message })).collect();
    let title = if errors.is_empty() { "Create an account" } else { "Error: Create an account" };
    let html = templates::render(
        "account-new.html",
        minijinja::Value::from_serialize(json!({
            "page_title": title, "errors": errors, "csrf": csrf, "roles": roles, "bodies": bodies,
            "form": { "name": form.name, "email": form.email, "role": form.role, "body": form.body },
        })),
    )?;
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// The form to create an account.
pub async fn new_account(State(state): State<AppState>) -> Result<Response, AppError> {
    let v = match for_administrators() {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    new_account_page(&state, &NewAccountForm::default(), &[], &v.csrf_token, StatusCode::OK)
}

/// Creates an account with one role, and shows the link its holder uses to
/// choose a password (Placeworks sends no email): both audited.
pub async fn create_account(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<NewAccountForm>) -> Result<Response, AppError> {
    let v = match for_administrators() {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    if !csrf_matches(&headers, &form.csrf, Some(&v.csrf_token)) {
        return refused_form();
    }
    let mut errors: Vec<(&str, String)> = Vec::new();
    let name = form.name.trim().to_owned();
    if name.is_empty() {
        errors.push(("name", "Enter the person's full name".into()));
    } else if name.chars().count() > 200 {
        errors.push(("name", "The name must be 200 characters or fewer".into()));
    }
    let email = placeworks_domain::accounts::Email::parse(&form.email).map_err(|e| errors.push(("email", e))).ok();
    let role = match chosen_role(&form.role, &form.body) {
        Ok((council, g)) if body_exists(&state, &council, &g) => Some((council, g)),
        Ok(_) => {
            errors.push(("body", "Select a body from the list".into()));
            None
        }
        Err((field, message)) => {
            errors.push((field, message));
            None
        }
    };
    if let Some(e) = &email {
        if state.store.account_by_email(e.as_str()).await.map_err(internal("reading accounts"))?.is_some() {
            errors.push(("email", format!("There is already an account for {e}: find it in the list of accounts")));
        }
    }
    let (Some(email), Some((council, grant))) = (email, role) else {
        return new_account_page(&state, &form, &errors, &v.csrf_token, StatusCode::UNPROCESSABLE_ENTITY);
    };
    if !errors.is_empty() {
        return new_account_page(&state, &form, &errors, &v.csrf_token, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Nobody knows the first password: the holder chooses one with the link.
    let unusable = NewPassword::parse(&new_token()).expect("a token is long enough");
    let hashed = hash_off_the_workers(&state, move || unusable.hash()).await?;
    let id = new_token()[..16].to_owned();
    let after = json!({ "email": email.as_str(), "name": name, "roles": [role_words(&state, &council, &grant)] });
    let created = account_entry(&state, &v, "create-account", &id, None, Some(after));
    match state.store.create_account_audited(&id, email.as_str(), &name, &hashed, &[(council, grant)], state.clock.unix(), &[created]).await {
        Ok(()) => {}
        Err(placeworks_store::StoreError::Conflict(_)) => {
            let errors = [("email", format!("There is already an account for {email}: find it in the list of accounts"))];
            return new_account_page(&state, &form, &errors, &v.csrf_token, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(e) => return Err(internal("creating an account")(e)),
    }
    let entry = account_entry(&state, &v, "create-reset-link", &id, None, Some(json!({ "email": email.as_str(), "reset_link": "made" })));
    let (token, expires) = make_reset_token(&state.store, &id, &[entry]).await.map_err(internal("making a reset link"))?;
    tracing::info!(account.id = %id, by = %v.account_id, "account created");
    let link = format!("{}/reset-password/{token}", crate::shell::render::origin(&state));
    let html = templates::render(
        "reset-link.html",
        minijinja::Value::from_serialize(json!({
            "page_title": "Account created", "created": true, "account": { "email": email.as_str(), "name": name, "id": id },
            "link": link, "expires": crate::shell::write::format_time(expires),
        })),
    )?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// One account: its roles, to give and take away; disabling it; a reset link.
pub async fn account_page(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    let v = match for_administrators() {
        Ok(v) => v,
        Err(res) => return Ok(res),
    };
    let Some(account) = state.store.account(&id).await.map_err(internal("reading an account"))? else {
        return Err(crate::shell::errors::not_found("There is no such account."));
    };
    role_page(&state, &v, &account, &NewRoleForm::default(), &[], StatusCode::OK)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewRoleForm {
    role: String,
    body: String,
    council: String,
    csrf: String,
}

fn role_page(
    state: &AppState,
    v: &crate::shell::auth::Viewer,
    account: &placeworks_store::Account,
    form: &NewRoleForm,
    errors: &[(&str, String)],
    status: StatusCode,
) -> Result<Response, AppError> {
    let (roles, bodies) = role_options(state);
    let held: Vec<_> = account
        .grants
        .iter()
        .map(|(c, g)| json!({ "words": role_words(state, c, g), "role": placeworks_domain::accounts::grant_text(g), "council": c }))
        .collect();
    let errors: Vec<_> = errors.iter().map(|(field, message)| json!({ "field": field, "message": message })).collect();
    let title = format!("{}{}", if errors.is_empty() { "" } else { "Error: " }, account.name);
    let html = templates::render(
        "account-manage.html",
        minijinja::Value::from_serialize(json!({
            "page_title": title, "errors": errors, "csrf": v.csrf_token, "roles": roles, "bodies": bodies,
            "account": { "id": account.id, "name": account.name, "email": account.email, "disabled": account.disabled, "roles": held },
            "yourself": account.id == v.account_id, "form": { "role": form.role, "body": form.body },
        })),
    )?;
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// An administrator's form about one account: who is acting, and on which
/// account; or the answer when they may not, the form is forged, or there is no such account.
async fn acting_on(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
    id: &str,
) -> Result<Result<(crate::shell::auth::Viewer, placeworks_store::Account), Response>, AppError> {
    let v = match for_administrators() {
        Ok(v) => v,
        Err(res) => return Ok(Err(res)),
    };
    if !csrf_matches(headers, csrf, Some(&v.csrf_token)) {
        return Ok(Err(refused_form()?));
    }
    let Some(account) = state.store.account(id).await.map_err(internal("reading an account"))? else {
        return Err(crate::shell::errors::not_found("There is no such account."));
    };
    Ok(Ok((v, account)))
}

/// Gives an account a role, audited.
pub async fn add_role(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, Form(form): Form<NewRoleForm>) -> Result<Response, AppError> {
    let (v, account) = match acting_on(&state, &headers, &form.csrf, &id).await? {
        Ok(both) => both,
        Err(res) => return Ok(res),
    };
    let (council, grant) = match chosen_role(&form.role, &form.body) {
        Ok((c, g)) if body_exists(&state, &c, &g) => (c, g),
        Ok(_) => return role_page(&state, &v, &account, &form, &[("body", "Select a body from the list".into())], StatusCode::UNPROCESSABLE_ENTITY),
        Err((field, message)) => return role_page(&state, &v, &account, &form, &[(field, message)], StatusCode::UNPROCESSABLE_ENTITY),
    };
    if account.grants.iter().any(|(c, g)| c == &council && g == &grant) {
        let errors = [("role", format!("{} already has this role", account.name))];
        return role_page(&state, &v, &account, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let entry = account_entry(&state, &v, "add-role", &id, None, Some(json!({ "email": account.email, "role": role_words(&state, &council, &grant) })));
    state.store.change_grants(&id, &[(council, grant)], &[], &[entry]).await.map_err(internal("giving a role"))?;
    Ok(saved_and_back("add-role", &format!("/accounts/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleRef {
    role: String,
    council: String,
    csrf: String,
}

/// Takes a role away from an account, audited. An administrator cannot take
/// away their own administrator role, so the site always has one.
pub async fn remove_role(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, Form(form): Form<RoleRef>) -> Result<Response, AppError> {
    let (v, account) = match acting_on(&state, &headers, &form.csrf, &id).await? {
        Ok(both) => both,
        Err(res) => return Ok(res),
    };
    let Some((council, grant)) = account.grants.iter().find(|(c, g)| c == &form.council && placeworks_domain::accounts::grant_text(g) == form.role).cloned()
    else {
        return Err(crate::shell::errors::not_found("This account does not have that role."));
    };
    if id == v.account_id && grant == Grant::Administrator {
        let errors = [("role", "You cannot take away your own administrator role: ask another administrator".to_owned())];
        return role_page(&state, &v, &account, &NewRoleForm::default(), &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let entry = account_entry(&state, &v, "remove-role", &id, Some(json!({ "email": account.email, "role": role_words(&state, &council, &grant) })), None);
    state.store.change_grants(&id, &[], &[(council, grant)], &[entry]).await.map_err(internal("taking a role away"))?;
    Ok(saved_and_back("remove-role", &format!("/accounts/{id}")))
}

/// Disables an account (it is signed out everywhere and cannot sign in) or
/// enables it again, audited. Administrators cannot disable themselves.
pub async fn set_disabled(
    State(state): State<AppState>,
    Path((id, what)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    let disable = match what.as_str() {
        "disable" => true,
        "enable" => false,
        _ => return Err(crate::shell::errors::not_found("There is no such page.")),
    };
    let (v, account) = match acting_on(&state, &headers, &form.csrf, &id).await? {
        Ok(both) => both,
        Err(res) => return Ok(res),
    };
    if disable && id == v.account_id {
        let errors = [("disable", "You cannot disable your own account: ask another administrator".to_owned())];
        return role_page(&state, &v, &account, &NewRoleForm::default(), &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let action = if disable { "disable-account" } else { "enable-account" };
    let entry = account_entry(
        &state,
        &v,
        action,
        &id,
        Some(json!({ "email": account.email, "disabled": account.disabled })),
        Some(json!({ "email": account.email, "disabled": disable })),
    );
    state.store.set_disabled(&id, disable, state.clock.unix(), &[entry]).await.map_err(internal("disabling an account"))?;
    tracing::info!(account.id = %id, by = %v.account_id, disabled = disable, "account disabled or enabled");
    Ok(saved_and_back(action, &format!("/accounts/{id}")))
}
