//! Editing the register over HTTP: permission, CSRF, validation, the public
//! page and the body's history, on SQLite and PostgreSQL.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::permissions::Grant;
use placeworks_domain::{dataset, Slug};
use placeworks_store::testing::both;
use placeworks_web::{router, AppState, Options};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Option<String>, Vec<String>, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let location = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned());
    let cookies = res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    (status, location, cookies, String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned())
}

fn req(method: &str, uri: &str, cookie: Option<&str>, form: Option<&str>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(form.unwrap_or_default().to_owned())).unwrap()
}

fn value_after<'a>(html: &'a str, marker: &str) -> &'a str {
    html.split(marker).nth(1).unwrap().split('"').next().unwrap()
}

/// Signs in as `email` and returns (session cookie, CSRF token).
async fn sign_in(app: &axum::Router, email: &str) -> (String, String) {
    let (_, _, cookies, body) = send(app, req("GET", "/sign-in", None, None)).await;
    let csrf = value_after(&body, "name=\"csrf\" value=\"").to_owned();
    assert!(cookies.iter().any(|c| c.starts_with("pw_csrf=")));
    let form = format!("email={}&password={}&csrf={csrf}", email.replace('@', "%40"), PASSWORD.replace(' ', "+"));
    let (status, _, cookies, _) = send(app, req("POST", "/sign-in", Some(&format!("pw_csrf={csrf}")), Some(&form))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let session = cookies.iter().find_map(|c| c.strip_prefix("pw_session=").map(|v| v.split(';').next().unwrap().to_owned())).unwrap();
    let session = format!("pw_session={session}");
    let (_, _, _, account) = send(app, req("GET", "/account", Some(&session), None)).await;
    (session.clone(), value_after(&account, "name=\"csrf\" value=\"").to_owned())
}

async fn apps() -> Vec<(axum::Router, placeworks_store::testing::TestDb)> {
    let mut out = Vec::new();
    for db in both().await {
        db.store.replace_council(&dataset::read(&placeworks_builtin::buckinghamshire()).unwrap(), "1").await.unwrap();
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        let bsp = Slug::parse("bsp-board").unwrap();
        db.store.create_account("sec", "secretariat@example.org", "Sally Secretariat", &hash, &[("buckinghamshire".into(), Grant::Secretariat(bsp))], 0).await.unwrap();
        db.store.create_account("adm", "admin@example.org", "Ada Admin", &hash, &[("*".into(), Grant::Administrator)], 0).await.unwrap();
        db.store.create_account("mem", "member@example.org", "Cadex Member", &hash, &[("buckinghamshire".into(), Grant::Member(Slug::parse("cadex").unwrap()))], 0).await.unwrap();
        let state = AppState::new(db.store.clone()).await.unwrap();
        out.push((router(state, &Options::default()), db));
    }
    out
}

const NEW: &str = "/buckinghamshire/bodies/bsp-board/members/new";

#[tokio::test]
async fn the_secretariat_adds_a_member_with_a_named_substitute_and_sees_it_in_public_and_in_the_history() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let (status, _, _, body) = send(&app, req("GET", "/buckinghamshire/bodies/bsp-board", Some(&session), None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(&format!("href=\"{NEW}\"")), "the secretariat is offered the form");
        let form = format!("csrf={csrf}&seat=encompass&person=Jo+Bloggs&start_date=2024-05-01&substitute=Sam+Patel");
        let (status, location, _, body) = send(&app, req("POST", NEW, Some(&session), Some(&form))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some("/buckinghamshire/bodies/bsp-board#membership"));
        let (_, _, _, public) = send(&app, req("GET", "/buckinghamshire/bodies/bsp-board", None, None)).await;
        assert!(public.contains("Jo Bloggs (named substitute: Sam Patel)"), "the public page shows the new member");
        let (_, _, _, history) = send(&app, req("GET", "/buckinghamshire/bodies/bsp-board/history", Some(&session), None)).await;
        assert!(history.contains("Sally Secretariat") && history.contains("Add membership") && history.contains("Jo Bloggs"), "{history}");
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!((trail[0].actor_id.as_str(), trail[0].action.as_str(), trail[0].before.is_none()), ("sec", "add-membership", true));
        let api: serde_json::Value = serde_json::from_str(&send(&app, req("GET", "/api/v1/councils/buckinghamshire/bodies/bsp-board", None, None)).await.3).unwrap();
        assert!(api["seats"].as_array().unwrap().iter().any(|s| s["holders"].as_array().unwrap().iter().any(|h| h == "jo-bloggs")));
    }
}

#[tokio::test]
async fn a_bad_form_keeps_what_was_typed_and_says_how_to_fix_each_field() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let form = format!("csrf={csrf}&seat=&person=&start_date=2024-13-40&substitute=Sam+Patel");
        let (status, _, _, body) = send(&app, req("POST", NEW, Some(&session), Some(&form))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("govuk-error-summary"));
        for (field, message) in [("seat", "Select the seat the member will hold"), ("person", "Enter the member&#x27;s full name"), ("start_date", "must be a real date")] {
            assert!(body.contains(&format!("href=\"#{field}\"")), "the summary links to {field}");
            assert!(body.contains(message), "{message}");
        }
        assert!(body.contains("value=\"Sam Patel\"") && body.contains("value=\"2024-13-40\""), "nothing typed is lost");
        assert!(db.store.audit_trail("buckinghamshire").await.unwrap().is_empty(), "nothing was written");
    }
}

#[tokio::test]
async fn only_the_bodys_secretariat_may_edit_it() {
    for (app, db) in apps().await {
        let (status, location, _, _) = send(&app, req("GET", NEW, None, None)).await;
        assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/sign-in")), "anonymous visitors are asked to sign in");
        let (status, _, _, _) = send(&app, req("POST", NEW, None, Some("seat=encompass&person=Mallory"))).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (session, csrf) = sign_in(&app, "member@example.org").await;
        let (status, _, _, body) = send(&app, req("GET", NEW, Some(&session), None)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(body.contains("You do not have access to this page") && !body.contains("Add a member</h1>"));
        let form = format!("csrf={csrf}&seat=encompass&person=Mallory");
        assert_eq!(send(&app, req("POST", NEW, Some(&session), Some(&form))).await.0, StatusCode::FORBIDDEN);
        assert_eq!(send(&app, req("GET", "/buckinghamshire/bodies/bsp-board/history", Some(&session), None)).await.0, StatusCode::FORBIDDEN);
        assert!(db.store.audit_trail("buckinghamshire").await.unwrap().is_empty(), "on {}", db.name);
    }
}

#[tokio::test]
async fn a_forged_edit_without_the_sessions_csrf_token_is_refused() {
    for (app, db) in apps().await {
        let (session, _) = sign_in(&app, "secretariat@example.org").await;
        let (status, _, _, _) = send(&app, req("POST", NEW, Some(&session), Some("csrf=forged&seat=encompass&person=Mallory"))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(db.store.audit_trail("buckinghamshire").await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_script_typed_into_a_name_is_shown_as_text() {
    for (app, _db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let form = format!("csrf={csrf}&seat=encompass&person=%3Cscript%3Ealert(1)%3C%2Fscript%3E&substitute=%3Cb%3Ex%3C%2Fb%3E");
        let (status, _, _, body) = send(&app, req("POST", NEW, Some(&session), Some(&form))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", body.split("govuk-error-summary__list").nth(1).unwrap_or_default());
        for uri in ["/buckinghamshire/bodies/bsp-board", "/buckinghamshire/bodies/bsp-board/history"] {
            let (_, _, _, body) = send(&app, req("GET", uri, Some(&session), None)).await;
            assert!(!body.contains("<script>alert(1)") && !body.contains("<b>x</b>"), "{uri} lets markup through");
            assert!(body.contains("&lt;script&gt;alert(1)&lt;"), "{uri} shows the text");
        }
    }
}

#[tokio::test]
async fn administrators_alone_see_and_export_the_whole_trail() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let form = format!("csrf={csrf}&seat=encompass&person=Jo+Bloggs%2C+OBE&substitute=Sam+Patel");
        assert_eq!(send(&app, req("POST", NEW, Some(&session), Some(&form))).await.0, StatusCode::SEE_OTHER);
        assert_eq!(send(&app, req("GET", "/buckinghamshire/audit", Some(&session), None)).await.0, StatusCode::FORBIDDEN, "not for the secretariat");
        assert_eq!(send(&app, req("GET", "/buckinghamshire/audit?format=csv", None, None)).await.1.as_deref(), Some("/sign-in"));
        let (admin, _) = sign_in(&app, "admin@example.org").await;
        let (status, _, _, page) = send(&app, req("GET", "/buckinghamshire/audit", Some(&admin), None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Sally Secretariat") && page.contains("href=\"/buckinghamshire/bodies/bsp-board/history\""));
        let res = app.clone().oneshot(req("GET", "/buckinghamshire/audit?format=csv", Some(&admin), None)).await.unwrap();
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        let csv = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("at_utc,actor_id,actor_name,action,record_kind,record_id,body,before,after"));
        let row = lines.next().expect("one change");
        assert!(row.contains(",sec,Sally Secretariat,add-membership,membership,") && row.contains("Jo Bloggs, OBE"), "{row} on {}", db.name);
        assert_eq!(lines.next(), None);
    }
}
