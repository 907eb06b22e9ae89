//! Nothing hostile gets through: names in any script, the security headers,
//! pages only by GET and HEAD, links that never come from the Host header, a
//! page cache bounded by bytes, and a server loop that closes slow
//! connections, on SQLite and PostgreSQL where the store is involved.

use axum::http::{header, StatusCode};
use http_body_util::BodyExt;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::permissions::Grant;
use placeworks_store::testing::both;
use placeworks_web::{router, AppState, Options};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

mod common;
use common::*;

async fn states() -> Vec<(AppState, placeworks_store::testing::TestDb)> {
    let mut out = Vec::new();
    for db in both().await {
        buckinghamshire_with_secretariat(&db).await;
        let state = AppState::new(db.store.clone(), placeworks_store::testing::bsp_era_clock()).await.unwrap();
        out.push((state, db));
    }
    out
}

async fn headers_of(app: &axum::Router, uri: &str, cookie: Option<&str>) -> (StatusCode, header::HeaderMap) {
    let res = app.clone().oneshot(req("GET", uri, cookie, None)).await.unwrap();
    (res.status(), res.headers().clone())
}

#[tokio::test]
async fn seats_and_members_named_in_any_script_are_added_with_readable_slugs() {
    for (state, db) in states().await {
        let app = router(state.clone(), &Options::default());
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let bsp = "/buckinghamshire/bodies/bsp-board";
        let (status, location, body) =
            post(&app, &format!("{bsp}/seats/new"), &session, &format!("csrf={csrf}&label={}&role=member&on_behalf_of=&note=", encode("Ω"))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "the seat labelled Ω is added on {}: {body}", db.name);
        assert!(location.is_some());
        let view = state.site().view("buckinghamshire").unwrap().full.clone();
        let omega = view.seats_of("bsp-board").find(|s| s.label == "Ω").expect("the new seat");
        let seat = omega.slug.to_string();
        assert!(seat.ends_with('o') || seat.contains("-o"), "the seat's slug reads like its label: {seat}");
        for (name, slug) in [("李雷", "li-lei"), ("Олена Коваль", "olena-koval")] {
            let form = format!("csrf={csrf}&seat={seat}&person={}&start_date=2009-05-01&substitute=", encode(name));
            let (status, _, body) = post(&app, &format!("{bsp}/members/new"), &session, &form).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{name} is added on {}: {body}", db.name);
            let (status, page) = get(&app, &format!("/buckinghamshire/people/{slug}"), None).await;
            assert_eq!(status, StatusCode::OK, "{name} has the page /people/{slug}");
            assert!(page.contains(name), "{name}'s page names them as written");
        }
        let (_, page) = get(&app, bsp, None).await;
        assert!(page.contains("李雷") && page.contains("Олена Коваль") && page.contains("Ω"), "the body's page shows them");
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_signed_in_pages_are_private() {
    let (state, _db) = states().await.into_iter().next().unwrap();
    let app = router(state.clone(), &Options::default());
    for uri in ["/buckinghamshire/bodies/bsp-board", "/api/v1/councils/buckinghamshire/bodies", "/buckinghamshire/decisions.atom", "/no-such-page"] {
        let (_, h) = headers_of(&app, uri, None).await;
        let csp = h.get(header::CONTENT_SECURITY_POLICY).unwrap_or_else(|| panic!("{uri} has a CSP")).to_str().unwrap();
        for part in ["default-src 'none'", "frame-ancestors 'none'", "form-action 'self'", "style-src 'self'"] {
            assert!(csp.contains(part), "{uri}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline") && !csp.contains("script-src"), "no script is allowed: {csp}");
        assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff", "{uri}");
        assert_eq!(h.get(header::X_FRAME_OPTIONS).unwrap(), "DENY", "{uri}");
        assert_eq!(h.get(header::REFERRER_POLICY).unwrap(), "same-origin", "{uri}");
        assert!(h.get(header::VARY).unwrap().to_str().unwrap().contains("Cookie"), "{uri}");
        assert!(h.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "no HSTS on a site served over HTTP");
    }
    // The page obeys its own policy: no inline style, the brand colour from a stylesheet.
    let (_, page) = get(&app, "/buckinghamshire", None).await;
    assert!(!page.contains("style=") && !page.contains("<style") && !page.contains("<script"), "no inline style or script");
    let brand = links(&page).into_iter().find(|l| l.starts_with("/brand/")).expect("a brand stylesheet");
    let (status, css) = get(&app, &brand, None).await;
    assert_eq!((status, css.starts_with(":root { --pw-brand: #")), (StatusCode::OK, true), "{css}");
    assert_eq!(get(&app, "/brand/zzzzzz.css", None).await.0, StatusCode::NOT_FOUND);

    // Signed in: the pages may be someone's own, so no shared cache keeps them.
    let (session, _) = sign_in(&app, "secretariat@example.org").await;
    for uri in ["/buckinghamshire/bodies/bsp-board", "/buckinghamshire/bodies/bsp-board/manage", "/account"] {
        let (status, h) = headers_of(&app, uri, Some(&session)).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(h.get(header::CACHE_CONTROL).unwrap().to_str().unwrap().contains("private"), "{uri}: {:?}", h.get(header::CACHE_CONTROL));
        assert!(h.get(header::VARY).unwrap().to_str().unwrap().contains("Cookie"), "{uri}");
    }

    // Served over HTTPS, HSTS.
    let secure = router(state.with_base_url("https://partnerships.example.gov.uk/"), &Options::default());
    let (_, h) = headers_of(&secure, "/buckinghamshire", None).await;
    assert!(h.get(header::STRICT_TRANSPORT_SECURITY).unwrap().to_str().unwrap().starts_with("max-age="));
}

#[tokio::test]
async fn pages_answer_only_get_and_head_even_when_cached() {
    let (state, _db) = states().await.into_iter().next().unwrap();
    let app = router(state.clone(), &Options::default());
    let page = "/buckinghamshire/bodies/bsp-board";
    let (status, body) = get(&app, page, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(state.site().cached_page(state.clock.today(), page).is_some(), "the page is kept in the cache");
    for method in ["POST", "PUT", "DELETE", "PATCH", "FOO"] {
        let (status, _, _, answer) = send(&app, req(method, page, None, Some("a=b"))).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} on a cached page");
        assert!(!answer.contains("Buckinghamshire Strategic Partnership Board"), "{method} is not answered with the page");
    }
    let res = app.clone().oneshot(req("HEAD", page, None, None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "HEAD reads the page");
    assert_eq!(get(&app, page, None).await.1, body, "GET still reads it");
}

#[tokio::test]
async fn links_in_feeds_the_sitemap_and_reset_links_come_from_the_base_url_never_the_host_header() {
    let (state, db) = states().await.into_iter().next().unwrap();
    let app = router(state.with_base_url("https://partnerships.example.gov.uk"), &Options::default());
    for uri in ["/sitemap.xml", "/buckinghamshire/decisions.atom", "/buckinghamshire/papers.atom", "/robots.txt", "/buckinghamshire/meetings.ics"] {
        let mut r = req("GET", uri, None, None);
        r.headers_mut().insert(header::HOST, "evil.example".parse().unwrap());
        let res = app.clone().oneshot(r).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        let body = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(!body.contains("evil.example"), "{uri} never names the Host it was asked with");
        if uri != "/buckinghamshire/meetings.ics" {
            assert!(body.contains("https://partnerships.example.gov.uk/"), "{uri} links from the base URL");
        }
    }
    let hash = NewPassword::parse(PASSWORD).unwrap().hash();
    db.store.create_account("adm", "admin@example.org", "Ada Admin", &hash, &[("*".into(), Grant::Administrator)], 0).await.unwrap();
    let (session, csrf) = sign_in(&app, "admin@example.org").await;
    let mut r = req("POST", "/accounts/sec/reset-link", Some(&session), Some(&format!("csrf={csrf}")));
    r.headers_mut().insert(header::HOST, "evil.example".parse().unwrap());
    let res = app.clone().oneshot(r).await.unwrap();
    let body = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap().replace("&#x2f;", "/");
    assert!(body.contains("https://partnerships.example.gov.uk/reset-password/") && !body.contains("evil.example"), "{body}");
}

#[tokio::test]
async fn unique_query_strings_leave_the_page_cache_within_its_bytes_and_the_body_page_in_it() {
    let (state, _db) = states().await.into_iter().next().unwrap();
    let app = router(state.clone(), &Options::default());
    let page = "/buckinghamshire/bodies/bsp-board";
    let today = state.clock.today();
    assert_eq!(get(&app, page, None).await.0, StatusCode::OK);
    // Parameters no page reads share the page's one kept copy.
    for i in 0..2500 {
        assert_eq!(get(&app, &format!("{page}?utm_source=x{i}&fbclid={i}"), None).await.0, StatusCode::OK);
    }
    let (_, pages) = state.site().pages_for(page).usage();
    assert_eq!(pages, 1, "2,500 unknown query strings are one page in the cache");
    // Parameters a page reads, with values of an attacker's choosing, each a page.
    for i in 0..2500 {
        assert_eq!(get(&app, &format!("/buckinghamshire/bodies?kind=x{i}"), None).await.0, StatusCode::OK);
        if i % 50 == 0 {
            assert_eq!(get(&app, page, None).await.0, StatusCode::OK, "the body page is read while the cache fills");
        }
    }
    let (bytes, pages) = state.site().pages_for(page).usage();
    assert!(bytes <= placeworks_web::PAGE_CACHE_BYTES, "the cache keeps {bytes} bytes, within its limit");
    assert!(pages < 2500, "the least recently used were let go ({pages} kept)");
    assert!(state.site().cached_page(today, page).is_some(), "the body page, read often, is still served from the cache");
}

#[tokio::test]
async fn a_handler_that_panics_answers_a_500_page_and_the_server_goes_on() {
    let app = axum::Router::new()
        .route(
            "/boom",
            axum::routing::get(|| async {
                if true {
                    panic!("a bug")
                }
                "unreachable"
            }),
        )
        .route("/fine", axum::routing::get(|| async { "fine" }))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(placeworks_web::shell::guard::panicked));
    let (status, _, _, body) = send(&app, req("GET", "/boom", None, None)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("Sorry, there is a problem with the service") && !body.contains("a bug"), "a plain page, no internals");
    assert_eq!(send(&app, req("GET", "/fine", None, None)).await.0, StatusCode::OK);
}

/// 500 connections that send nothing, or half a request and then nothing:
/// each is closed within the header timeout, and pages answer meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_connections_are_closed_within_the_timeout_and_pages_keep_answering() {
    let (state, _db) = states().await.into_iter().next().unwrap();
    let app = router(state, &Options::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let timeouts = placeworks_web::shell::guard::Timeouts { headers: Duration::from_secs(2), body: Duration::from_secs(2) };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(placeworks_web::shell::guard::serve(listener, app, timeouts, async {
        stopped.await.ok();
    }));
    let opened = std::time::Instant::now();
    let mut slow = Vec::new();
    for i in 0..500 {
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        match i % 3 {
            0 => {}
            1 => tcp.write_all(b"GET /buckinghamshire HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap(),
            _ => tcp
                .write_all(b"POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=")
                .await
                .unwrap(),
        }
        slow.push(tcp);
    }
    // While they hang, a page answers at once.
    let page = tokio::time::timeout(Duration::from_secs(1), async {
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
        let mut answer = String::new();
        tcp.read_to_string(&mut answer).await.unwrap();
        answer
    })
    .await
    .expect("a page answers while 500 slow connections are open");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    // Every slow connection is closed by the server within the timeout (and some slack).
    for (i, tcp) in slow.iter_mut().enumerate() {
        let left = Duration::from_secs(6).saturating_sub(opened.elapsed());
        let mut buf = [0u8; 1024];
        let closed = tokio::time::timeout(left, async {
            loop {
                match tcp.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => continue, // a 408 or 400 answer, then the close
                }
            }
        })
        .await;
        assert!(closed.is_ok(), "slow connection {i} is still open after {:?}", opened.elapsed());
    }
    assert!(opened.elapsed() >= Duration::from_millis(1500), "they were held until the timeout, not refused at once");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// Every text field of every editing form has a limit, with a message that
/// names the field and the limit: far too much typed into any one of them is
/// refused (422) with that message, and nothing is saved.
#[tokio::test]
async fn every_text_field_has_a_limit_with_a_clear_message() {
    for (state, db) in states().await {
        let app = router(state.clone(), &Options::default());
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let bsp = "/buckinghamshire/bodies/bsp-board";
        let day = placeworks_store::testing::bsp_era_clock().today() - chrono::Days::new(1);
        let add = format!("csrf={csrf}&action=add&date={}&time=10:00", day.format("%Y-%m-%d"));
        assert_eq!(send(&app, req("POST", &format!("{bsp}/meetings"), Some(&session), Some(&add))).await.0, StatusCode::SEE_OTHER);
        let meeting = format!("/buckinghamshire/meetings/bsp-board-{}-1000", day.format("%Y-%m-%d"));
        let held = format!("csrf={csrf}&action=held");
        assert_eq!(send(&app, req("POST", &format!("{meeting}/minutes"), Some(&session), Some(&held))).await.0, StatusCode::SEE_OTHER);
        let (_, _, _, edit) = send(&app, req("GET", &format!("{bsp}/edit"), Some(&session), None)).await;
        let version = value_after(&edit, "name=\"version\" value=\"").to_owned();
        let before = db.store.register("buckinghamshire").await.unwrap().unwrap();

        let body = format!("csrf={csrf}&version={version}&kind=board");
        let forms: [(String, String, &[&str]); 9] = [
            (format!("{bsp}/edit"), body, &["short_name", "purpose", "terms_of_reference", "cadence_text", "cadence_rule", "chair_text", "name"]),
            (format!("{bsp}/seats/new"), format!("csrf={csrf}&role=member"), &["label", "note"]),
            (format!("{bsp}/links"), format!("csrf={csrf}&kind=links-with&to=cadex"), &["note"]),
            (format!("{bsp}/members/new"), format!("csrf={csrf}&seat=encompass"), &["person", "substitute"]),
            (format!("{bsp}/meetings"), format!("csrf={csrf}&action=add&date=2099-01-05&time=10:00"), &["note"]),
            (format!("{meeting}/attendance"), format!("csrf={csrf}&kind=present"), &["person"]),
            (format!("{meeting}/minutes"), format!("csrf={csrf}&action=minutes"), &["minutes"]),
            (format!("{bsp}/forward-plan/new"), format!("csrf={csrf}&date=2099-01-01"), &["title"]),
            (format!("{meeting}/decisions/new"), format!("csrf={csrf}&reached=consensus"), &["title", "summary", "resolutions", "areas"]),
        ];
        let long = "x".repeat(60_000);
        let mut checked = 0;
        for (uri, base, fields) in &forms {
            for field in *fields {
                let form = format!("{base}&{field}={long}");
                let (status, _, _, page) = send(&app, req("POST", uri, Some(&session), Some(&form))).await;
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri} with a long {field} on {}", db.name);
                let message = page
                    .split(&format!("<a href=\"#{field}\">"))
                    .nth(1)
                    .unwrap_or_else(|| panic!("{uri}: no message for {field}"))
                    .split("</a>")
                    .next()
                    .unwrap();
                assert!(
                    message.contains("characters or fewer") || message.contains("at most"),
                    "{uri}: the message for a long {field} says the limit: {message}"
                );
                assert!(message.len() < 300, "{uri}: the message for {field} does not echo what was typed");
                checked += 1;
            }
        }
        assert_eq!(checked, 20, "every field listed was tried");
        // A form larger than any form needs is refused before it is read, with a page that says so.
        let (status, _, _, page) =
            send(&app, req("POST", &format!("{bsp}/seats/new"), Some(&session), Some(&format!("csrf={csrf}&label={}", "x".repeat(300_000))))).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(page.contains("too large"), "{page}");
        let after = db.store.register("buckinghamshire").await.unwrap().unwrap();
        assert!(after == before, "nothing was saved on {}", db.name);
    }
}
