//! How answers travel: compressed (gzip or brotli) for whoever asks, never a
//! paper or a range; the stylesheet under a name made from its content, kept
//! by browsers for a year.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use placeworks_store::testing::sqlite;
use placeworks_web::{router, AppState, Options};
use std::io::Read;
use tower::ServiceExt;

mod common;
use common::*;

/// The app over the built-in dataset, with a stylesheet in its assets folder.
async fn app() -> (axum::Router, placeworks_store::testing::TestDb, tempfile::TempDir, String) {
    let db = sqlite().await;
    buckinghamshire_with_secretariat(&db).await;
    let assets = tempfile::tempdir().unwrap();
    let css = ".govuk-header { color: #0b0c0c; }\n".repeat(400);
    std::fs::write(assets.path().join("placeworks.css"), &css).unwrap();
    let state = AppState::new(db.store.clone(), placeworks_store::testing::clock()).await.unwrap();
    (router(state, &Options { assets: Some(assets.path().to_owned()) }), db, assets, css)
}

async fn fetch(app: &axum::Router, uri: &str, encoding: Option<&str>) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let mut r = Request::get(uri);
    if let Some(e) = encoding {
        r = r.header(header::ACCEPT_ENCODING, e);
    }
    let res = app.clone().oneshot(r.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = res.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli_decompressor::Decompressor::new(bytes, 4096).read_to_end(&mut out).unwrap();
    out
}

#[tokio::test]
async fn pages_css_json_svg_and_feeds_come_compressed_when_asked() {
    let (app, _db, _assets, _) = app().await;
    let (_, _, home) = fetch(&app, "/buckinghamshire", None).await;
    let stylesheet = value_after(std::str::from_utf8(&home).unwrap(), "rel=\"stylesheet\" href=\"").replace("&#x2f;", "/");
    for uri in [
        "/buckinghamshire/bodies/bsp-board",
        stylesheet.as_str(),
        "/api/v1/councils/buckinghamshire/bodies",
        "/buckinghamshire/structure.svg",
        "/buckinghamshire/decisions.atom",
    ] {
        let (status, plain_headers, plain) = fetch(&app, uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(plain_headers.get(header::CONTENT_ENCODING).is_none(), "{uri} is sent as it is to whoever does not ask");
        for (encoding, decode) in [("gzip", gunzip as fn(&[u8]) -> Vec<u8>), ("br", unbrotli)] {
            let (status, headers, packed) = fetch(&app, uri, Some(encoding)).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()), Some(encoding), "{uri} in {encoding}");
            assert!(packed.len() * 2 < plain.len(), "{uri} in {encoding}: {} bytes for {}", packed.len(), plain.len());
            assert_eq!(decode(&packed), plain, "{uri} in {encoding} is the same answer");
            let vary: Vec<String> = headers.get_all(header::VARY).iter().map(|v| v.to_str().unwrap().to_ascii_lowercase()).collect();
            assert!(vary.iter().any(|v| v.contains("accept-encoding")), "{uri} varies by encoding: {vary:?}");
        }
    }
}

#[tokio::test]
async fn the_stylesheet_has_a_name_made_from_its_content_and_is_kept_for_a_year() {
    let (app, _db, _assets, css) = app().await;
    let (_, _, home) = fetch(&app, "/buckinghamshire", None).await;
    let href = value_after(std::str::from_utf8(&home).unwrap(), "rel=\"stylesheet\" href=\"").replace("&#x2f;", "/");
    assert!(href.starts_with("/assets/placeworks-") && href.ends_with(".css") && href.len() > "/assets/placeworks-.css".len() + 8, "{href}");
    let (status, headers, body) = fetch(&app, &href, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, css.as_bytes());
    let cache = headers.get(header::CACHE_CONTROL).unwrap().to_str().unwrap();
    assert!(cache.contains("max-age=31536000") && cache.contains("immutable"), "{cache}");
    assert!(headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("text/css"));
    // Another content would have another name; the plain name still answers, briefly cached.
    let (status, headers, _) = fetch(&app, "/assets/placeworks.css", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!headers.get(header::CACHE_CONTROL).map_or("", |v| v.to_str().unwrap()).contains("immutable"));
    let (status, _, _) = fetch(&app, "/assets/placeworks-0000000000.css", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a name of content it does not have is not found");
}

#[tokio::test]
async fn a_paper_and_a_range_are_never_compressed() {
    let db = sqlite().await;
    buckinghamshire_with_secretariat(&db).await;
    let papers = tempfile::tempdir().unwrap();
    let state = AppState::new(db.store.clone(), placeworks_store::testing::bsp_era_clock())
        .await
        .unwrap()
        .with_papers(placeworks_store::Papers::folder(papers.path()).unwrap());
    let app = router(state, &Options::default());
    let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
    let meeting = "/buckinghamshire/meetings/bsp-board-2010-01-14-1000";
    let pdf = format!("%PDF-1.4\n{}\n%%EOF\n", "0 0 0 rg\n".repeat(2000));
    let fields = [("csrf", csrf.as_str()), ("number", "2"), ("title", "Budget"), ("presenter", ""), ("paper_title", "Budget report")];
    let (status, _, _, _) = send(&app, multipart(&format!("{meeting}/agenda"), &session, &fields, Some(("paper", "budget.pdf", pdf.as_bytes())))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let paper = format!("{meeting}/papers/item-2-budget-report");
    let get = |range: Option<&str>| {
        let mut r = Request::get(&paper).header(header::ACCEPT_ENCODING, "gzip, br").header(header::COOKIE, &session);
        if let Some(range) = range {
            r = r.header(header::RANGE, range);
        }
        app.clone().oneshot(r.body(Body::empty()).unwrap())
    };
    let whole = get(None).await.unwrap();
    assert_eq!(whole.status(), StatusCode::OK, "the paper is there");
    assert!(whole.headers().get(header::CONTENT_ENCODING).is_none(), "a paper goes as it is");
    let part = get(Some("bytes=0-99")).await.unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert!(part.headers().get(header::CONTENT_ENCODING).is_none(), "a range goes as it is");
}
