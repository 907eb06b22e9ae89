//! Signing in and out over HTTP, in-process, on SQLite and PostgreSQL.

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

struct Reply {
    status: StatusCode,
    cookies: Vec<String>,
    location: Option<String>,
    body: String,
}

async fn send(app: &axum::Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let cookies = res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let location = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned());
    let body = String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
    Reply { status, cookies, location, body }
}

fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(uri);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

fn post(uri: &str, cookie: Option<&str>, form: &str) -> Request<Body> {
    let mut b = Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(form.to_owned())).unwrap()
}

fn cookie_value(cookies: &[String], name: &str) -> Option<String> {
    cookies.iter().find_map(|c| c.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap().to_owned()))
}

fn enc(s: &str) -> String {
    s.replace('@', "%40").replace(' ', "+")
}

async fn app() -> Vec<(axum::Router, placeworks_store::testing::TestDb)> {
    let mut out = Vec::new();
    for db in both().await {
        let reg = dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
        db.store.replace_council(&reg, "1").await.unwrap();
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        let grants = vec![("buckinghamshire".to_owned(), Grant::Secretariat(Slug::parse("bsp-board").unwrap()))];
        db.store.create_account("acc1", "officer@example.org", "Olive Officer", &hash, &grants, 0).await.unwrap();
        let state = AppState::new(db.store.clone(), placeworks_store::testing::clock()).await.unwrap();
        out.push((router(state, &Options::default()), db));
    }
    out
}

/// Signs in and returns the session cookie ("pw_session=...").
async fn sign_in(app: &axum::Router, password: &str) -> Reply {
    let form = send(app, get("/sign-in", None)).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = cookie_value(&form.cookies, "pw_csrf").expect("a CSRF cookie");
    assert!(form.body.contains(&format!("name=\"csrf\" value=\"{csrf}\"")));
    send(app, post("/sign-in", Some(&format!("pw_csrf={csrf}")), &format!("email={}&password={}&csrf={csrf}", enc("Officer@Example.org"), enc(password)))).await
}

struct SignedIn {
    session: String,
    csrf: String,
}

/// Signs in as anyone, and returns the session cookie and its CSRF token.
async fn sign_in_as(app: &axum::Router, email: &str, password: &str) -> SignedIn {
    let form = send(app, get("/sign-in", None)).await;
    let csrf = cookie_value(&form.cookies, "pw_csrf").expect("a CSRF cookie");
    let r = send(app, post("/sign-in", Some(&format!("pw_csrf={csrf}")), &format!("email={}&password={}&csrf={csrf}", enc(email), enc(password)))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{email} signs in");
    let session = format!("pw_session={}", cookie_value(&r.cookies, "pw_session").unwrap());
    let account = send(app, get("/account", Some(&session))).await;
    let csrf = account.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    SignedIn { session, csrf }
}

#[tokio::test]
async fn signing_in_sets_a_secure_http_only_session_and_shows_who_is_signed_in() {
    for (app, db) in app().await {
        // An anonymous view first, so the page cache holds the public page.
        let public = send(&app, get("/buckinghamshire", None)).await;
        assert!(public.body.contains(">Sign in</a>"));
        let r = sign_in(&app, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "on {}: {}", db.name, r.body);
        assert_eq!(r.location.as_deref(), Some("/account"));
        let set = r.cookies.iter().find(|c| c.starts_with("pw_session=")).expect("session cookie");
        for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
            assert!(set.contains(attr), "{set} lacks {attr}");
        }
        let session = format!("pw_session={}", cookie_value(&r.cookies, "pw_session").unwrap());
        let account = send(&app, get("/account", Some(&session))).await;
        assert!(account.body.contains("Olive Officer") && account.body.contains("secretariat:bsp-board (buckinghamshire)"));
        let home = send(&app, get("/buckinghamshire", Some(&session))).await;
        assert!(home.body.contains(">Olive Officer</a>"), "a signed-in page is not served from the anonymous cache");
        let again = send(&app, get("/buckinghamshire", None)).await;
        assert!(!again.body.contains("Olive Officer"), "and a signed-in page is never cached for others");
    }
}

#[tokio::test]
async fn a_wrong_password_or_unknown_email_gets_the_same_clear_error() {
    for (app, _db) in app().await {
        let r = sign_in(&app, "not the password at all").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("govuk-error-summary") && r.body.contains("The email address or password is not right"));
        assert!(r.body.contains("href=\"#email\""), "the summary links to the field");
        assert!(r.body.contains("value=\"officer@example.org\""), "what was typed is kept");
        assert!(!r.body.contains("not the password at all"), "the password is never echoed");
    }
}

#[tokio::test]
async fn ten_wrong_passwords_are_throttled_even_before_the_right_one() {
    for (app, db) in app().await {
        let mut statuses = Vec::new();
        for _ in 0..10 {
            statuses.push(sign_in(&app, "wrong password guess").await.status);
        }
        assert_eq!(&statuses[..5], &[StatusCode::UNPROCESSABLE_ENTITY; 5]);
        assert!(statuses[5..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?} on {}", db.name);
        let right = sign_in(&app, PASSWORD).await;
        assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(right.body.contains("too many attempts"));
    }
}

/// 40 wrong guesses at one account at once: each takes its place in the
/// count before its password is checked, so at most the limit are checked;
/// the right password after them is refused too; a reset link lets the
/// account's holder in at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_simultaneous_guesses_check_at_most_the_limit_and_a_reset_link_opens_the_account_again() {
    for (_, db) in app().await {
        let state = AppState::new(db.store.clone(), placeworks_store::testing::clock()).await.unwrap();
        let app = router(state.clone(), &Options::default());
        let form = send(&app, get("/sign-in", None)).await;
        let csrf = cookie_value(&form.cookies, "pw_csrf").unwrap();
        let guesses: Vec<_> = (0..40)
            .map(|i| {
                let app = app.clone();
                let csrf = csrf.clone();
                tokio::spawn(async move {
                    let body = format!("email={}&password=guess+number+{i}&csrf={csrf}", enc("officer@example.org"));
                    send(&app, post("/sign-in", Some(&format!("pw_csrf={csrf}")), &body)).await.status
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for g in guesses {
            statuses.push(g.await.unwrap());
        }
        let checked = state.password_checks.load(std::sync::atomic::Ordering::Relaxed);
        assert!(checked <= 5, "{checked} of 40 simultaneous guesses were checked on {}", db.name);
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY).count() as u64, checked);
        assert!(statuses.iter().all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY || *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
        assert!(!statuses.contains(&StatusCode::INTERNAL_SERVER_ERROR));
        let right = sign_in(&app, PASSWORD).await;
        assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "the right password after the limit is refused");
        assert!(right.body.contains("password reset link"), "the page says how to get in");
        assert_eq!(state.password_checks.load(std::sync::atomic::Ordering::Relaxed), checked, "and not checked");

        // The holder gets a reset link from an administrator and is in at once.
        let id = db.store.account_by_email("officer@example.org").await.unwrap().unwrap().id;
        let (token, _) = placeworks_web::accounts::make_reset_token(&state.store, &id, &[]).await.unwrap();
        let path = format!("/reset-password/{token}");
        let page = send(&app, get(&path, None)).await;
        let csrf = page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let done =
            send(&app, post(&path, Some(&format!("pw_csrf={csrf}")), &format!("csrf={csrf}&password=a+new+long+password&confirm=a+new+long+password"))).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        sign_in_as(&app, "officer@example.org", "a new long password").await;
    }
}

#[tokio::test]
async fn a_forged_cross_site_post_is_refused() {
    for (app, _db) in app().await {
        let r = send(&app, post("/sign-in", None, &format!("email={}&password={}&csrf=guess", enc("officer@example.org"), enc(PASSWORD)))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.cookies.iter().all(|c| !c.starts_with("pw_session=")));
        let ok = sign_in(&app, PASSWORD).await;
        let session = format!("pw_session={}", cookie_value(&ok.cookies, "pw_session").unwrap());
        let forged = send(&app, post("/sign-out-everywhere", Some(&session), "csrf=")).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(send(&app, get("/account", Some(&session))).await.status, StatusCode::OK, "the forged sign-out did nothing");
    }
}

#[tokio::test]
async fn a_session_cookie_reused_after_sign_out_is_refused() {
    for (app, _db) in app().await {
        let ok = sign_in(&app, PASSWORD).await;
        let session = format!("pw_session={}", cookie_value(&ok.cookies, "pw_session").unwrap());
        let other = sign_in(&app, PASSWORD).await;
        let other_session = format!("pw_session={}", cookie_value(&other.cookies, "pw_session").unwrap());
        let page = send(&app, get("/account", Some(&session))).await;
        let csrf = page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let out = send(&app, post("/sign-out", Some(&session), &format!("csrf={csrf}"))).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(out.cookies.iter().any(|c| c.starts_with("pw_session=;") && c.contains("Max-Age=0")));
        let reused = send(&app, get("/account", Some(&session))).await;
        assert_eq!(reused.location.as_deref(), Some("/sign-in?next=/account"), "the old cookie no longer signs anyone in");
        assert_eq!(send(&app, get("/account", Some(&other_session))).await.status, StatusCode::OK, "other sessions carry on");

        let page = send(&app, get("/account", Some(&other_session))).await;
        let csrf = page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        send(&app, post("/sign-out-everywhere", Some(&other_session), &format!("csrf={csrf}"))).await;
        assert_eq!(send(&app, get("/account", Some(&other_session))).await.location.as_deref(), Some("/sign-in?next=/account"));
    }
}

#[tokio::test]
async fn an_oversize_form_is_refused_before_it_is_read() {
    for (app, _db) in app().await {
        let big = format!("email=a&password={}&csrf=x", "x".repeat(200 * 1024));
        let r = send(&app, post("/sign-in", Some("pw_csrf=x"), &big)).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_with_a_link_an_administrator_makes() {
    for (app, db) in app().await {
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        db.store.create_account("adm", "admin@example.org", "Ada Admin", &hash, &[("*".into(), Grant::Administrator)], 0).await.unwrap();
        // The officer is signed in somewhere when they forget their password.
        let officer = sign_in_as(&app, "officer@example.org", PASSWORD).await;
        assert!(send(&app, get("/sign-in", None)).await.body.contains("href=\"/forgot-password\""));
        assert!(send(&app, get("/forgot-password", None)).await.body.contains("Ask your council's administrator for a password reset link"));

        // Only administrators see the accounts page and make links.
        assert_eq!(send(&app, get("/accounts", Some(&officer.session))).await.status, StatusCode::FORBIDDEN);
        let admin = sign_in_as(&app, "admin@example.org", PASSWORD).await;
        let page = send(&app, get("/accounts", Some(&admin.session))).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("officer@example.org"));
        let officer_id = db.store.account_by_email("officer@example.org").await.unwrap().unwrap().id;
        let uri = format!("/accounts/{officer_id}/reset-link");
        assert_eq!(send(&app, post(&uri, Some(&admin.session), "csrf=forged")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(send(&app, post(&uri, Some(&officer.session), &format!("csrf={}", officer.csrf))).await.status, StatusCode::FORBIDDEN);
        let made = send(&app, post(&uri, Some(&admin.session), &format!("csrf={}", admin.csrf))).await;
        assert_eq!(made.status, StatusCode::OK);
        let link = made.body.split("value=\"").find(|v| v.contains("reset-password")).unwrap().split('"').next().unwrap().replace("&#x2f;", "/");
        let path = format!("/reset-password/{}", link.rsplit('/').next().unwrap());

        // The link's page, its checks, and a change that signs out everywhere.
        let form = send(&app, get(&path, None)).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("officer@example.org"));
        let csrf = form.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let cookie = format!("pw_csrf={csrf}");
        let bad = send(&app, post(&path, Some(&cookie), &format!("csrf={csrf}&password=short&confirm=short"))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#password\"") && bad.body.contains("12 characters or more"));
        let csrf = bad.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let cookie = format!("pw_csrf={csrf}");
        let mismatch = send(&app, post(&path, Some(&cookie), &format!("csrf={csrf}&password=a+new+long+password&confirm=another+long+one"))).await;
        assert!(mismatch.body.contains("href=\"#confirm\""), "the confirmation must match");
        let csrf = mismatch.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let cookie = format!("pw_csrf={csrf}");
        assert_eq!(
            send(&app, post(&path, None, &format!("csrf={csrf}&password=a+new+long+password&confirm=a+new+long+password"))).await.status,
            StatusCode::FORBIDDEN,
            "a forged post is refused"
        );
        let done = send(&app, post(&path, Some(&cookie), &format!("csrf={csrf}&password=a+new+long+password&confirm=a+new+long+password"))).await;
        assert_eq!((done.status, done.location.as_deref()), (StatusCode::SEE_OTHER, Some("/sign-in?reset=done")));
        assert!(send(&app, get("/sign-in?reset=done", None)).await.body.contains("Your password has been changed"));
        assert_eq!(send(&app, get("/account", Some(&officer.session))).await.location.as_deref(), Some("/sign-in?next=/account"), "the old session has ended");
        sign_in_as(&app, "officer@example.org", "a new long password").await;

        // The link works once.
        let again = send(&app, get(&path, None)).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert!(again.body.contains("expired or has already been used"), "on {}", db.name);
    }
}
