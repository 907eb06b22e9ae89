//! What the HTTP tests share: sending requests in-process, signing in, and
//! reading forms and links out of pages.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery staple";

/// Loads the built-in Buckinghamshire into a test database, with the BSP
/// Board's secretariat (`secretariat@example.org`, id `sec`) as an account.
pub async fn buckinghamshire_with_secretariat(db: &placeworks_store::testing::TestDb) {
    use placeworks_domain::permissions::Grant;
    db.store.replace_council(&placeworks_domain::dataset::read(&placeworks_builtin::buckinghamshire()).unwrap(), "1").await.unwrap();
    let hash = placeworks_domain::accounts::NewPassword::parse(PASSWORD).unwrap().hash();
    let bsp = placeworks_domain::Slug::parse("bsp-board").unwrap();
    db.store
        .create_account("sec", "secretariat@example.org", "Sally Secretariat", &hash, &[("buckinghamshire".into(), Grant::Secretariat(bsp))], 0)
        .await
        .unwrap();
}

pub async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Option<String>, Vec<String>, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let location = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned());
    let cookies = res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    (status, location, cookies, String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned())
}

pub fn req(method: &str, uri: &str, cookie: Option<&str>, form: Option<&str>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(form.unwrap_or_default().to_owned())).unwrap()
}

pub fn value_after<'a>(html: &'a str, marker: &str) -> &'a str {
    html.split(marker).nth(1).unwrap().split('"').next().unwrap()
}

/// Signs in as `email` and returns (session cookie, CSRF token).
pub async fn sign_in(app: &axum::Router, email: &str) -> (String, String) {
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

pub async fn get(app: &axum::Router, uri: &str, session: Option<&str>) -> (StatusCode, String) {
    let (status, _, _, body) = send(app, req("GET", uri, session, None)).await;
    (status, body)
}

pub async fn post(app: &axum::Router, uri: &str, session: &str, form: &str) -> (StatusCode, Option<String>, String) {
    let (status, location, _, body) = send(app, req("POST", uri, Some(session), Some(form))).await;
    (status, location, body)
}

/// The fields a form page offers, with the values it shows.
pub fn form_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for chunk in html.split("name=\"").skip(1) {
        let name = chunk.split('"').next().unwrap().to_owned();
        let tag_end = chunk.find('>').unwrap_or(chunk.len());
        let value = chunk[..tag_end].split("value=\"").nth(1).map(|v| v.split('"').next().unwrap().to_owned()).unwrap_or_default();
        out.push((name, value));
    }
    out
}

pub fn encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Every same-site link (`href` and `src`) in a page, without its fragment.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for chunk in html.split(attr).skip(1) {
            let link = chunk.split('"').next().unwrap().replace("&amp;", "&").replace("&#x2f;", "/");
            let link = link.split('#').next().unwrap().to_owned();
            if link.starts_with('/') && !link.starts_with("//") {
                out.push(link);
            }
        }
    }
    out
}

/// A multipart form: text fields, and a file (`name`, file name, bytes).
pub fn multipart(uri: &str, session: &str, fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Request<Body> {
    let boundary = "----placeworks-test-boundary";
    let mut body: Vec<u8> = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    if let Some((name, file_name, bytes)) = file {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::COOKIE, session)
        .body(Body::from(body))
        .unwrap()
}

/// The version an edit form was opened on, as a form field to send back
/// (`&version=N`): what a browser posts from the page.
pub async fn opened_version(app: &axum::Router, uri: &str, session: &str) -> String {
    let (status, page) = get(app, uri, Some(session)).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    format!("&version={}", value_after(&page, "name=\"version\" value=\""))
}
