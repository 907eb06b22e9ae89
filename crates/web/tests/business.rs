//! A meeting's business over HTTP, on SQLite and PostgreSQL: papers uploaded
//! and served (and refused), the agenda published, attendance with a
//! substitute, a decision with too little notice ratified by each
//! constituent body, and the governance page showing and clearing the breach.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::permissions::Grant;
use placeworks_domain::{dataset, Slug};
use placeworks_store::papers::digest;
use placeworks_store::testing::both;
use placeworks_store::Papers;
use placeworks_web::{router, AppState, Options};
use tower::ServiceExt;

mod common;
use common::*;

struct App {
    app: axum::Router,
    db: placeworks_store::testing::TestDb,
    /// A folder on SQLite, the S3-compatible test server on PostgreSQL.
    papers: Papers,
    _dir: Option<tempfile::TempDir>,
}

async fn apps() -> Vec<App> {
    let mut out = Vec::new();
    let mut paper_stores = placeworks_store::testing::paper_stores().into_iter();
    for db in both().await {
        let (papers, dir) = paper_stores.next().unwrap_or_else(|| {
            let dir = tempfile::tempdir().unwrap();
            (Papers::folder(dir.path()).unwrap(), Some(dir))
        });
        db.store.replace_council(&dataset::read(&placeworks_builtin::buckinghamshire()).unwrap(), "1").await.unwrap();
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        db.store
            .create_account(
                "sec",
                "secretariat@example.org",
                "Sally Secretariat",
                &hash,
                &[("buckinghamshire".into(), Grant::Secretariat(Slug::parse("bsp-board").unwrap()))],
                0,
            )
            .await
            .unwrap();
        db.store
            .create_account("bsp", "board@example.org", "Bea Board", &hash, &[("buckinghamshire".into(), Grant::Member(Slug::parse("bsp-board").unwrap()))], 0)
            .await
            .unwrap();
        db.store
            .create_account("mem", "member@example.org", "Cadex Member", &hash, &[("buckinghamshire".into(), Grant::Member(Slug::parse("cadex").unwrap()))], 0)
            .await
            .unwrap();
        db.store
            .create_account(
                "chr",
                "chair@example.org",
                "Charlie Chairman",
                &hash,
                &[("buckinghamshire".into(), Grant::Chair(Slug::parse("bsp-board").unwrap()))],
                0,
            )
            .await
            .unwrap();
        let state = AppState::new(db.store.clone(), placeworks_store::testing::bsp_era_clock()).await.unwrap().with_papers(papers.clone());
        out.push(App { app: router(state, &Options::default()), db, papers, _dir: dir });
    }
    out
}

async fn fetch(app: &axum::Router, uri: &str, session: Option<&str>) -> (StatusCode, Option<String>, Vec<u8>) {
    let res = app.clone().oneshot(req("GET", uri, session, None)).await.unwrap();
    let status = res.status();
    let kind = res.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned());
    (status, kind, res.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// The SHA-256s of the papers kept, in order.
async fn kept(papers: &Papers) -> Vec<String> {
    let mut names: Vec<String> = papers.list().await.unwrap().into_iter().map(|(n, _)| n).collect();
    names.sort();
    names
}

/// A GET with extra headers: (status, headers, body).
async fn fetch_with(app: &axum::Router, uri: &str, headers: &[(header::HeaderName, &str)]) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let mut r = req("GET", uri, None, None);
    for (k, v) in headers {
        r.headers_mut().insert(k.clone(), v.parse().unwrap());
    }
    let res = app.clone().oneshot(r).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// The BSP Board's next two planned meetings from today: (slug, planned start as the form writes it).
fn next_board_meetings() -> [(String, String); 2] {
    let ix = placeworks_domain::register::Index::new(dataset::read(&placeworks_builtin::buckinghamshire()).unwrap());
    let today = placeworks_store::testing::bsp_era_clock().today();
    let planned = placeworks_domain::meetings::schedule::planned(&ix, "bsp-board", today + chrono::Days::new(1), today + chrono::Months::new(12)).unwrap();
    let slot = |i: usize| (planned[i].slug.clone(), planned[i].start.format("%Y-%m-%dT%H:%M").to_string());
    [slot(0), slot(1)]
}

/// Yesterday in London: a meeting that has happened.
fn yesterday() -> chrono::NaiveDate {
    placeworks_store::testing::bsp_era_clock().today() - chrono::Days::new(1)
}

/// The secretariat adds a meeting held yesterday; its slug.
async fn add_meeting(app: &axum::Router, session: &str, csrf: &str) -> String {
    let day = yesterday().format("%Y-%m-%d");
    let (status, _, body) = post(app, "/buckinghamshire/bodies/bsp-board/meetings", session, &format!("csrf={csrf}&action=add&date={day}&time=10:00")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    format!("bsp-board-{day}-1000")
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const DOCX: &[u8] = b"PK\x03\x04\x14\x00\x06\x00confidential terms";

#[tokio::test]
async fn papers_are_kept_outside_the_database_served_with_their_type_and_confidential_ones_only_to_members() {
    for App { app, db, papers, _dir } in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let m = add_meeting(&app, &session, &csrf).await;
        let agenda = format!("/buckinghamshire/meetings/{m}/agenda");
        let (status, body) = get(&app, &agenda, Some(&session)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("enctype=\"multipart/form-data\"") && body.contains("type=\"file\""), "an upload form");

        // Refused: a type not allowed, a file that is not what its name says, and one over the limit.
        let before = db.store.audit_trail("buckinghamshire").await.unwrap().len();
        for (name, bytes, message) in [
            ("tool.exe", b"MZ\x90\x00".to_vec(), "must be a PDF, DOCX"),
            ("report.pdf", b"<html>not a pdf</html>".to_vec(), "not a real PDF file"),
            ("huge.pdf", [PDF, &vec![b' '; 20 * 1024 * 1024]].concat(), "smaller than 20 MB"),
        ] {
            let (status, _, _, body) =
                send(&app, multipart(&agenda, &session, &[("csrf", &csrf), ("number", "2"), ("title", "Budget")], Some(("paper", name, &bytes)))).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name} on {}", db.name);
            assert!(body.contains(message) && body.contains("href=\"#paper\""), "{name}: {message}");
            assert!(body.contains("value=\"Budget\""), "what was typed is kept");
        }
        // Far over the limit: refused before it is read whole, with the limit said.
        let (status, _, _, body) = send(
            &app,
            multipart(
                &agenda,
                &session,
                &[("csrf", &csrf), ("number", "2"), ("title", "Budget")],
                Some(("paper", "vast.pdf", &[PDF, &vec![b' '; 23 * 1024 * 1024]].concat())),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "on {}", db.name);
        assert!(body.contains("Papers must be smaller than 20 MB"), "{body}");
        assert_eq!(kept(&papers).await.len(), 0, "no refused file is kept");
        assert_eq!(db.store.audit_trail("buckinghamshire").await.unwrap().len(), before, "nothing was written");

        // A public paper and a confidential one.
        let (status, location, _, _) = send(
            &app,
            multipart(
                &agenda,
                &session,
                &[("csrf", &csrf), ("number", "2"), ("title", "Partnership budget"), ("presenter", "Treasurer"), ("decision_required", "yes"), ("exempt", "")],
                Some(("paper", "Budget 2027.pdf", PDF)),
            ),
        )
        .await;
        assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some(format!("/buckinghamshire/meetings/{m}/manage").as_str())));
        let (status, _, _, _) = send(
            &app,
            multipart(
                &agenda,
                &session,
                &[("csrf", &csrf), ("number", "3"), ("title", "ZZSECRET property disposal"), ("exempt", "3"), ("paper_title", "ZZSECRET heads of terms")],
                Some(("paper", "terms.docx", DOCX)),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let mut both_papers = vec![digest(PDF), digest(DOCX)];
        both_papers.sort();
        assert_eq!(kept(&papers).await, both_papers, "each paper is kept outside the database, named by its SHA-256, in {}", papers.location());

        // Before publication the public sees no agenda.
        let (_, page) = get(&app, &format!("/buckinghamshire/meetings/{m}"), None).await;
        assert!(page.contains("No agenda has been published yet") && !page.contains("Partnership budget"));
        // Nor its papers, even to someone who guesses the address: answered as a paper that does not exist.
        let draft = format!("/buckinghamshire/meetings/{m}/papers/item-2-budget-2027");
        let (status, h, _) = fetch_with(&app, &draft, &[]).await;
        let (missing, h2, _) = fetch_with(&app, &format!("/buckinghamshire/meetings/{m}/papers/item-9-no-such-paper"), &[]).await;
        assert_eq!((status, missing), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "a paper of a draft agenda is not served to the public");
        assert_eq!(h.get(header::CACHE_CONTROL), h2.get(header::CACHE_CONTROL));
        let (status, _, _) = fetch(&app, &draft, Some(&session)).await;
        assert_eq!(status, StatusCode::OK, "the secretariat reads the draft's paper");
        // The Board's Chairman agrees its agendas before they go out.
        let (chair, chair_csrf) = sign_in(&app, "chair@example.org").await;
        let (status, _, _) = post(&app, &format!("/buckinghamshire/meetings/{m}/agree"), &chair, &format!("csrf={chair_csrf}&what=agenda")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, location, _) = post(&app, &format!("/buckinghamshire/meetings/{m}/publish"), &session, &format!("csrf={csrf}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{location:?}");

        let (_, page) = get(&app, &format!("/buckinghamshire/meetings/{m}"), None).await;
        assert!(
            page.contains("Partnership budget") && page.contains("Presented by Treasurer") && page.contains(&format!("(PDF, {} bytes)", PDF.len())),
            "the public item and its paper"
        );
        assert!(!page.contains("ZZSECRET"), "the confidential item is not on the public page");
        let public = format!("/buckinghamshire/meetings/{m}/papers/item-2-budget-2027");
        let secret = format!("/buckinghamshire/meetings/{m}/papers/item-3-zzsecret-heads-of-terms");
        assert!(
            page.contains(&public.replace("/", "&#x2f;")) || page.contains(&public),
            "the page links to the paper: {}",
            page.split("pw-agenda").nth(1).unwrap_or_default()
        );
        let (status, kind, bytes) = fetch(&app, &public, None).await;
        assert_eq!((status, kind.as_deref(), bytes.as_slice()), (StatusCode::OK, Some("application/pdf"), PDF));

        // Streamed with an ETag and byte ranges (RFC 9110).
        let etag = format!("\"{}\"", digest(PDF));
        let (status, h, bytes) = fetch_with(&app, &public, &[]).await;
        assert_eq!((status, h.get(header::ETAG).unwrap().to_str().unwrap()), (StatusCode::OK, etag.as_str()));
        assert_eq!(
            (h.get(header::ACCEPT_RANGES).unwrap().to_str().unwrap(), h.get(header::CONTENT_LENGTH).unwrap().to_str().unwrap()),
            ("bytes", PDF.len().to_string().as_str())
        );
        assert_eq!(bytes, PDF);
        // A paper carries the security headers too: never sniffed as something else, never framed.
        assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
        assert!(h.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().contains("frame-ancestors 'none'"));
        let (status, h, bytes) = fetch_with(&app, &public, &[(header::RANGE, "bytes=2-6")]).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::PARTIAL_CONTENT, &PDF[2..7]));
        assert_eq!(h.get(header::CONTENT_RANGE).unwrap().to_str().unwrap(), format!("bytes 2-6/{}", PDF.len()));
        let (status, _, bytes) = fetch_with(&app, &public, &[(header::RANGE, "bytes=-6")]).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::PARTIAL_CONTENT, &PDF[PDF.len() - 6..]));
        let (status, h, _) = fetch_with(&app, &public, &[(header::RANGE, "bytes=9999-")]).await;
        assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(h.get(header::CONTENT_RANGE).unwrap().to_str().unwrap(), format!("bytes */{}", PDF.len()));
        let (status, _, bytes) = fetch_with(&app, &public, &[(header::IF_NONE_MATCH, &etag)]).await;
        assert_eq!((status, bytes.len()), (StatusCode::NOT_MODIFIED, 0), "an unchanged paper is not sent again");
        let (status, _, bytes) = fetch_with(&app, &public, &[(header::RANGE, "bytes=2-6"), (header::IF_RANGE, "\"stale\"")]).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PDF), "a range of another version gets the whole paper");
        assert_eq!(fetch(&app, &secret, None).await.0, StatusCode::NOT_FOUND, "anonymous visitors are told nothing");
        let (member, _) = sign_in(&app, "member@example.org").await;
        let (status, _, body) = fetch(&app, &secret, Some(&member)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "a member of another body is told what anyone asking for a missing paper is");
        assert!(!String::from_utf8_lossy(&body).contains("ZZSECRET"));
        let (board, _) = sign_in(&app, "board@example.org").await;
        let (status, kind, bytes) = fetch(&app, &secret, Some(&board)).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::OK, DOCX), "a member of the Board may read it");
        assert_eq!(kind.as_deref(), Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
        let (_, page) = get(&app, &format!("/buckinghamshire/meetings/{m}"), Some(&board)).await;
        assert!(page.contains("ZZSECRET property disposal") && page.contains("paragraph 3"), "the Board's members see the confidential item");

        let (status, api) = get(&app, &format!("/api/v1/councils/buckinghamshire/meetings/{m}"), None).await;
        assert_eq!(status, StatusCode::OK);
        let api: serde_json::Value = serde_json::from_str(&api).unwrap();
        assert_eq!(api["items"].as_array().unwrap().len(), 1, "the API lists the public item only: {api}");
        assert_eq!(api["items"][0]["papers"][0]["url"], public.as_str());
        let (_, list) = get(&app, "/api/v1/councils/buckinghamshire/meetings", None).await;
        assert!(list.contains(&m) && !list.contains("ZZSECRET"));
        let (_, feed) = get(&app, "/buckinghamshire/papers.atom", None).await;
        assert!(feed.contains("Budget 2027") && feed.contains(&format!("{public}</id>")) && !feed.contains("ZZSECRET"), "{feed}");

        // A paper whose record is refused after it was kept is left for the
        // sweeper (an identical upload may be saving it), which takes it and
        // nothing that a meeting names.
        let orphan = [PDF, b"% a draft".as_slice()].concat();
        let (status, _, _, body) =
            send(&app, multipart(&agenda, &session, &[("csrf", &csrf), ("number", ""), ("title", "Draft")], Some(("paper", "draft.pdf", &orphan)))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(kept(&papers).await.contains(&digest(&orphan)));
        assert!(db.store.sweep_papers(&papers, std::time::Duration::from_secs(3600)).await.unwrap().is_empty(), "a paper kept this hour stays");
        assert_eq!(db.store.sweep_papers(&papers, std::time::Duration::ZERO).await.unwrap(), vec![digest(&orphan)]);
        assert_eq!(kept(&papers).await, both_papers, "the papers meetings name are kept");
        assert_eq!(fetch(&app, &public, None).await.2, PDF);
    }
}

#[tokio::test]
async fn attendance_substitutes_a_short_notice_decision_and_its_ratification_through_to_governance() {
    for App { app, db, .. } in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        // A member with a named substitute.
        let (status, _, body) = post(
            &app,
            "/buckinghamshire/bodies/bsp-board/members/new",
            &session,
            &format!("csrf={csrf}&seat=encompass&person=Jo+Bloggs&start_date=2009-05-01&substitute=Sam+Patel"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let m = add_meeting(&app, &session, &csrf).await;
        let attendance = format!("/buckinghamshire/meetings/{m}/attendance");
        let (_, form) = get(&app, &attendance, Some(&session)).await;
        assert!(form.contains("Jo Bloggs ("), "the member is offered to stand in for");
        let member = form.split("Jo Bloggs (").next().unwrap().rsplit("<option value=\"").next().unwrap().split('"').next().unwrap().to_owned();

        let (status, _, body) = post(&app, &attendance, &session, &format!("csrf={csrf}&person=Pat+Stranger&kind=substitute&substitute_for={member}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("Pat Stranger is not a named substitute for Jo Bloggs"),
            "{}",
            body.split("govuk-error-summary__list").nth(1).unwrap_or_default()
        );
        let (status, _, _) = post(&app, &attendance, &session, &format!("csrf={csrf}&person=Sam+Patel&kind=substitute&substitute_for={member}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, _, _) = post(&app, &attendance, &session, &format!("csrf={csrf}&person=Ann+Advisor&kind=adviser")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, page) = get(&app, &format!("/buckinghamshire/meetings/{m}"), None).await;
        assert!(page.contains("Substitute for Jo Bloggs") && page.contains("Ann Advisor"), "attendance is public");
        let (_, person) = get(&app, "/buckinghamshire/people/sam-patel", None).await;
        assert!(person.contains("Substitute for Jo Bloggs") && person.contains(&m), "the person's attendance history");
        let (_, seats) = get(&app, "/buckinghamshire/bodies/bsp-board/attendance", None).await;
        assert!(seats.contains("Substitute: Sam Patel"), "the seat's attendance history");

        // On the forward plan first, then taken from it at the meeting.
        let (status, location, body) = post(
            &app,
            "/buckinghamshire/bodies/bsp-board/forward-plan/new",
            &session,
            &format!("csrf={csrf}&title=Town+centre+strategy&date={}&notified={}", yesterday(), yesterday() - chrono::Days::new(30)),
        )
        .await;
        assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/buckinghamshire/forward-plan")), "{body}");
        let (_, plan) = get(&app, "/buckinghamshire/forward-plan", None).await;
        assert!(plan.contains("Town centre strategy"));
        let (_, page) = get(&app, &format!("/buckinghamshire/meetings/{m}"), None).await;
        assert!(
            page.contains("On the forward plan for this meeting") && page.contains("Town centre strategy"),
            "the meeting shows what it is expected to decide"
        );
        let planned = format!("town-centre-strategy-{}", yesterday());
        let form =
            format!("csrf={csrf}&forthcoming={planned}&resolutions=That+the+strategy+be+ADOPTED.&reached=vote&votes_for=9&votes_against=1&votes_abstaining=2");
        let (status, location, body) = post(&app, &format!("/buckinghamshire/meetings/{m}/decisions/new"), &session, &form).await;
        assert_eq!(
            (status, location.as_deref()),
            (StatusCode::SEE_OTHER, Some(format!("/buckinghamshire/decisions/{planned}").as_str())),
            "30 days' notice: no ratification; {}",
            body.split("govuk-error-summary__list").nth(1).unwrap_or_default()
        );
        let (_, page) = get(&app, &format!("/buckinghamshire/decisions/{planned}"), None).await;
        assert!(page.contains("By a vote: 9 for, 1 against, 2 abstaining") && !page.contains("id=\"ratification\""));

        // A decision by consensus with five days' notice: each constituent body is asked.
        let notified = (yesterday() - chrono::Days::new(5)).format("%Y-%m-%d");
        let form = format!("csrf={csrf}&title=Partnership+budget&summary=The+Board+agreed+the+budget.&resolutions=That+the+budget+be+AGREED.&reached=consensus&notified={notified}");
        let (status, location, body) = post(&app, &format!("/buckinghamshire/meetings/{m}/decisions/new"), &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", body.split("govuk-error-summary__list").nth(1).unwrap_or_default());
        let location = location.unwrap();
        assert!(location.ends_with("/ratifications"), "{location}");
        let decision = location.trim_end_matches("/ratifications").rsplit('/').next().unwrap().to_owned();
        let (_, page) = get(&app, &location, Some(&session)).await;
        assert!(page.contains("Awaiting ratification") && page.contains("Taken with 5 days&#x27; notice where the rule asks for 10 days"), "{page}");
        let orgs: Vec<String> = page
            .split("name=\"organisation\"")
            .nth(1)
            .unwrap()
            .split("</select>")
            .next()
            .unwrap()
            .split("<option value=\"")
            .skip(1)
            .map(|o| o.split('"').next().unwrap().to_owned())
            .collect();
        assert!(orgs.len() > 5 && orgs.iter().any(|o| o == "thames-valley-police-authority"), "{orgs:?}");

        let (_, health) = get(&app, "/buckinghamshire/governance", None).await;
        assert!(
            health.contains("Partnership budget") && health.contains("with 5 days&#x27; notice (the rule asks for 10) and is not yet ratified"),
            "the breach shows"
        );
        let ratify = format!("/buckinghamshire/decisions/{decision}/ratifications");
        let (status, _, body) = post(
            &app,
            &ratify,
            &session,
            &format!("csrf={csrf}&organisation=buckinghamshire-new-university&status=ratified&answered={}&minute=1", yesterday()),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Buckinghamshire New University is not a constituent body of Bucks Strategic Partnership Board"));
        for (i, o) in orgs.iter().enumerate() {
            let (status, _, body) = post(
                &app,
                &ratify,
                &session,
                &format!("csrf={csrf}&organisation={o}&status=ratified&answered={}&minute=R{i}", placeworks_store::testing::bsp_era_clock().today()),
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{}", body.split("govuk-error-summary__list").nth(1).unwrap_or_default());
        }
        let (_, page) = get(&app, &format!("/buckinghamshire/decisions/{decision}"), None).await;
        assert!(page.contains(">Ratified<") && page.contains("minute R0"), "the decision shows it is ratified");
        let (_, health) = get(&app, "/buckinghamshire/governance", None).await;
        assert!(!health.contains("Partnership budget"), "the breach has cleared");
        let (_, feed) = get(&app, "/buckinghamshire/decisions.atom", None).await;
        assert!(feed.contains("Partnership budget"));
        let (_, api) = get(&app, "/api/v1/councils/buckinghamshire/decisions", None).await;
        let api: serde_json::Value = serde_json::from_str(&api).unwrap();
        let d = api.as_array().unwrap().iter().find(|d| d["slug"] == decision.as_str()).expect("the decision in the API");
        assert_eq!((d["ratification"].as_str(), d["resolutions"][0]["verb"].as_str()), (Some("ratified"), Some("AGREED")));
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert!(
            trail.iter().any(|e| e.action == "record-decision") && trail.iter().filter(|e| e.action == "record-ratification").count() == orgs.len(),
            "on {}",
            db.name
        );
    }
}

#[tokio::test]
async fn a_cancelled_meeting_refuses_business_and_a_future_one_is_not_yet_held() {
    for App { app, db, .. } in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let [(cancelled, cancelled_at), (later, _)] = next_board_meetings();
        let (status, _, _) =
            post(&app, "/buckinghamshire/bodies/bsp-board/meetings", &session, &format!("csrf={csrf}&action=cancel&planned_for={}", encode(&cancelled_at)))
                .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let before = db.store.audit_trail("buckinghamshire").await.unwrap().len();
        let (status, _, _, body) = send(
            &app,
            multipart(&format!("/buckinghamshire/meetings/{cancelled}/agenda"), &session, &[("csrf", &csrf), ("number", "1"), ("title", "Minutes")], None),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("This meeting is cancelled, so no item can be added to its agenda"));
        let minutes = format!("/buckinghamshire/meetings/{later}/minutes");
        let (status, _, body) = post(&app, &minutes, &session, &format!("csrf={csrf}&action=held")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("This meeting has not happened yet"));
        assert_eq!(db.store.audit_trail("buckinghamshire").await.unwrap().len(), before, "nothing half-saved");
        let (status, _, _) = post(&app, &minutes, &session, "csrf=forged&action=held").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (member, mcsrf) = sign_in(&app, "member@example.org").await;
        assert_eq!(get(&app, &format!("/buckinghamshire/meetings/{later}/manage"), Some(&member)).await.0, StatusCode::FORBIDDEN);
        assert_eq!(post(&app, &format!("/buckinghamshire/meetings/{later}/publish"), &member, &format!("csrf={mcsrf}")).await.0, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_cached_calendar_feed_keeps_its_type_and_links_from_the_base_url_whatever_the_host() {
    for App { app, .. } in apps().await {
        for host in ["one.example", "one.example", "two.example"] {
            let r = Request::builder().uri("/buckinghamshire/bodies/cadex/meetings.ics").header(header::HOST, host).body(Body::empty()).unwrap();
            let res = app.clone().oneshot(r).await.unwrap();
            assert_eq!(res.headers()[header::CONTENT_TYPE], "text/calendar; charset=utf-8", "served from the cache as from the handler");
            assert!(res.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().contains("cadex.ics"));
            let text = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap().replace("\r\n ", "");
            let base = placeworks_web::DEFAULT_BASE_URL;
            assert!(text.contains(&format!("URL:{base}/buckinghamshire/meetings/cadex-")), "links start with the site's base URL");
            assert!(!text.contains(host), "never with the Host asked for: {host}");
        }
    }
}
