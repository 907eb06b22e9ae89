//! Many officers writing at once, through the real forms, on SQLite and
//! PostgreSQL: every addition acknowledged is stored and audited, two edits
//! of one record never overwrite each other unseen, and nothing answers 500.

use axum::http::StatusCode;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::permissions::Grant;
use placeworks_domain::{dataset, Slug};
use placeworks_store::testing::{both, bsp_era_clock as clock};
use placeworks_web::{router, AppState, Options};

mod common;
use common::*;

const BSP: &str = "/buckinghamshire/bodies/bsp-board";

async fn apps() -> Vec<(axum::Router, placeworks_store::testing::TestDb, (tempfile::TempDir, AppState))> {
    let mut out = Vec::new();
    for db in both().await {
        db.store.replace_council(&dataset::read(&placeworks_builtin::buckinghamshire()).unwrap(), "1").await.unwrap();
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        for (id, email) in [("sec1", "one@example.org"), ("sec2", "two@example.org")] {
            let grant = ("buckinghamshire".to_owned(), Grant::Secretariat(Slug::parse("bsp-board").unwrap()));
            db.store.create_account(id, email, id, &hash, &[grant], 0).await.unwrap();
        }
        let papers = tempfile::tempdir().unwrap();
        let state = AppState::new(db.store.clone(), clock()).await.unwrap().with_papers(placeworks_store::Papers::folder(papers.path()).unwrap());
        out.push((router(state.clone(), &Options::default()), db, (papers, state)));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_officers_adding_agenda_items_to_one_meeting_at_once_are_all_stored_and_audited() {
    for (app, db, (_papers, state)) in apps().await {
        let (session, csrf) = sign_in(&app, "one@example.org").await;
        let day = clock().today() - chrono::Days::new(1);
        let (status, _, body) =
            post(&app, &format!("{BSP}/meetings"), &session, &format!("csrf={csrf}&action=add&date={}&time=10:00", day.format("%Y-%m-%d"))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let meeting = format!("bsp-board-{}-1000", day.format("%Y-%m-%d"));
        let agenda = format!("/buckinghamshire/meetings/{meeting}/agenda");

        let mut tasks = Vec::new();
        for i in 1..=16 {
            let (app, session, csrf, agenda) = (app.clone(), session.clone(), csrf.clone(), agenda.clone());
            tasks.push(tokio::spawn(async move {
                let number = i.to_string();
                let title = format!("Report number {i}");
                let fields = [("csrf", csrf.as_str()), ("number", number.as_str()), ("title", title.as_str())];
                send(&app, multipart(&agenda, &session, &fields, None)).await.0
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        assert!(statuses.iter().all(|s| *s == StatusCode::SEE_OTHER), "on {}: every addition is acknowledged: {statuses:?}", db.name);

        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let m = reg.meetings.iter().find(|m| m.slug.as_str() == meeting).expect("the meeting is recorded");
        let mut numbers: Vec<u32> = m.items.iter().map(|i| i.number.parse().unwrap()).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=16).collect::<Vec<_>>(), "on {}: all sixteen items are stored", db.name);
        let audited = db.store.audit_trail("buckinghamshire").await.unwrap().into_iter().filter(|e| e.action == "add-agenda-item").count();
        assert_eq!(audited, 16, "on {}: each addition has its audit entry", db.name);
        // The agenda is not published yet, so the secretariat sees it, at once; the public does not.
        let (_, page) = get(&app, &format!("/buckinghamshire/meetings/{meeting}"), Some(&session)).await;
        let (_, public) = get(&app, &format!("/buckinghamshire/meetings/{meeting}"), None).await;
        for i in 1..=16 {
            assert!(page.contains(&format!("{i}. Report number {i}<")), "on {}: the meeting page shows item {i} at once", db.name);
            assert!(!public.contains(&format!("Report number {i}<")), "on {}: a draft agenda is not public", db.name);
        }
        // The server's view followed each write in memory; it is exactly
        // what the store holds, at the store's version.
        assert_view_is_the_store(&state, &db).await;
    }
}

/// Writers queued for one council share a transaction (group commit): a
/// form refused among them costs the others nothing, every write takes a
/// version of its own with no gap, and the change feed has a row for each.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn officers_queued_together_each_keep_their_write_and_version_when_forms_among_them_are_refused() {
    for (app, db, (_papers, state)) in apps().await {
        let officers = [sign_in(&app, "one@example.org").await, sign_in(&app, "two@example.org").await];
        let (session, csrf) = &officers[0];
        let day = clock().today() - chrono::Days::new(2);
        let (status, _, body) =
            post(&app, &format!("{BSP}/meetings"), session, &format!("csrf={csrf}&action=add&date={}&time=10:00", day.format("%Y-%m-%d"))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let meeting = format!("bsp-board-{}-1000", day.format("%Y-%m-%d"));
        let agenda = format!("/buckinghamshire/meetings/{meeting}/agenda");
        let (_, before) = db.store.register_at("buckinghamshire").await.unwrap().unwrap();

        let mut tasks = Vec::new();
        for i in 1..=24u32 {
            let (app, (session, csrf), agenda) = (app.clone(), officers[i as usize % 2].clone(), agenda.clone());
            tasks.push(tokio::spawn(async move {
                let number = i.to_string();
                // Every other form has no title: refused, field by field.
                let title = if i % 2 == 0 { format!("Report number {i}") } else { String::new() };
                let fields = [("csrf", csrf.as_str()), ("number", number.as_str()), ("title", title.as_str())];
                (i, send(&app, multipart(&agenda, &session, &fields, None)).await)
            }));
        }
        for t in tasks {
            let (i, (status, _, _, page)) = t.await.unwrap();
            if i % 2 == 0 {
                assert_eq!(status, StatusCode::SEE_OTHER, "on {}: item {i} is acknowledged: {page}", db.name);
            } else {
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "on {}: item {i}, with no title, is refused", db.name);
                assert!(page.contains("title"), "on {}: the refusal names the field", db.name);
            }
        }

        let (reg, after) = db.store.register_at("buckinghamshire").await.unwrap().unwrap();
        let m = reg.meetings.iter().find(|m| m.slug.as_str() == meeting).expect("the meeting is recorded");
        let mut numbers: Vec<u32> = m.items.iter().map(|i| i.number.parse().unwrap()).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=12).map(|k| 2 * k).collect::<Vec<_>>(), "on {}: the twelve acknowledged items, and only they, are stored", db.name);
        assert_eq!(after, before + 12, "on {}: the council's version moved by one a write", db.name);
        let feed = db.store.changes_since("buckinghamshire", before).await.unwrap();
        let versions: Vec<i64> = feed.iter().map(|(v, _)| *v).collect();
        assert_eq!(versions, (before + 1..=after).collect::<Vec<_>>(), "on {}: each write has its own version in the change feed, none missing", db.name);
        assert!(feed.iter().all(|(_, action)| action == "add-agenda-item"), "on {}: {feed:?}", db.name);
        let audited = db.store.audit_trail("buckinghamshire").await.unwrap().into_iter().filter(|e| e.action == "add-agenda-item").count();
        assert_eq!(audited, 12, "on {}: each stored item has its audit entry", db.name);
        assert_view_is_the_store(&state, &db).await;
    }
}

/// The server's view of Buckinghamshire is the store's register, at its version.
async fn assert_view_is_the_store(state: &AppState, db: &placeworks_store::testing::TestDb) {
    let (stored, version) = db.store.register_at("buckinghamshire").await.unwrap().unwrap();
    let site = state.site();
    let view = site.view("buckinghamshire").unwrap();
    assert_eq!(view.version, version, "on {}: the view is at the store's version", db.name);
    assert!(view.full.register == stored, "on {}: the view held in memory is the register the store holds", db.name);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_officers_saving_one_body_at_once_never_overwrite_each_other_unseen() {
    for (app, db, (_papers, state)) in apps().await {
        let (one, csrf_one) = sign_in(&app, "one@example.org").await;
        let (two, csrf_two) = sign_in(&app, "two@example.org").await;
        let edit = format!("{BSP}/edit");
        // Both open the form before either saves.
        let opened_one = opened_version(&app, &edit, &one).await;
        let opened_two = opened_version(&app, &edit, &two).await;
        let form = |csrf: &str, purpose: &str, opened: &str| {
            format!("csrf={csrf}&name=Bucks+Strategic+Partnership+Board&kind=board&purpose={}{opened}", encode(purpose))
        };
        let a = form(&csrf_one, "Purpose written by the first officer", &opened_one);
        let b = form(&csrf_two, "Purpose written by the second officer", &opened_two);
        let (app_a, app_b, edit_a, edit_b, one_a, two_b) = (app.clone(), app.clone(), edit.clone(), edit.clone(), one.clone(), two.clone());
        let first = tokio::spawn(async move { post(&app_a, &edit_a, &one_a, &a).await });
        let second = tokio::spawn(async move { post(&app_b, &edit_b, &two_b, &b).await });
        let answers = [first.await.unwrap(), second.await.unwrap()];
        let statuses: Vec<StatusCode> = answers.iter().map(|a| a.0).collect();
        assert!(
            statuses.contains(&StatusCode::SEE_OTHER) && statuses.contains(&StatusCode::CONFLICT),
            "on {}: one saved, one told of the conflict: {statuses:?}",
            db.name
        );
        let (saved, refused) = if answers[0].0 == StatusCode::SEE_OTHER { (0, 1) } else { (1, 0) };
        let words = ["Purpose written by the first officer", "Purpose written by the second officer"];
        let page = &answers[refused].2;
        assert!(page.contains("This record was changed by someone else since you opened it"), "on {}: {page}", db.name);
        assert!(page.contains(words[refused]), "on {}: what the refused officer typed is kept", db.name);
        assert!(page.contains(words[saved]), "on {}: and what the other officer saved is shown", db.name);
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let body = reg.bodies.iter().find(|b| b.slug.as_str() == "bsp-board").unwrap();
        assert_eq!(body.purpose.as_deref(), Some(words[saved]), "on {}: the saved purpose is kept, not overwritten", db.name);

        // Saving again from the conflict page (it carries the record's new
        // version) is a deliberate overwrite, and is allowed.
        let version = value_after(page, "name=\"version\" value=\"");
        let (session, csrf) = if refused == 0 { (&one, &csrf_one) } else { (&two, &csrf_two) };
        let (status, _, body) = post(&app, &edit, session, &form(csrf, words[refused], &format!("&version={version}"))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let body = reg.bodies.iter().find(|b| b.slug.as_str() == "bsp-board").unwrap();
        assert_eq!(body.purpose.as_deref(), Some(words[refused]), "on {}", db.name);
        assert_view_is_the_store(&state, &db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_officers_recording_attendance_at_once_are_all_stored_and_audited() {
    for (app, db, (_papers, state)) in apps().await {
        let (session, csrf) = sign_in(&app, "one@example.org").await;
        let day = clock().today() - chrono::Days::new(1);
        let (status, _, body) =
            post(&app, &format!("{BSP}/meetings"), &session, &format!("csrf={csrf}&action=add&date={}&time=10:00", day.format("%Y-%m-%d"))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let meeting = format!("bsp-board-{}-1000", day.format("%Y-%m-%d"));
        let attendance = format!("/buckinghamshire/meetings/{meeting}/attendance");
        let mut tasks = Vec::new();
        for i in 1..=8 {
            let (app, session, csrf, attendance) = (app.clone(), session.clone(), csrf.clone(), attendance.clone());
            tasks.push(tokio::spawn(async move { post(&app, &attendance, &session, &format!("csrf={csrf}&person=Attendee+{i}&kind=observer")).await.0 }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        assert!(statuses.iter().all(|s| *s == StatusCode::SEE_OTHER), "on {}: every line is acknowledged: {statuses:?}", db.name);
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let m = reg.meetings.iter().find(|m| m.slug.as_str() == meeting).unwrap();
        let mut names: Vec<String> = m.attendance.iter().map(|a| reg.people.iter().find(|p| p.slug == a.person).unwrap().name.clone()).collect();
        names.sort();
        assert_eq!(names, (1..=8).map(|i| format!("Attendee {i}")).collect::<Vec<_>>(), "on {}: all eight are stored", db.name);
        let audited = db.store.audit_trail("buckinghamshire").await.unwrap().into_iter().filter(|e| e.action == "record-attendance").count();
        assert_eq!(audited, 8, "on {}: each line has its audit entry", db.name);
        assert_view_is_the_store(&state, &db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_disagreements_recorded_at_once_by_two_officers_are_all_stored_and_audited() {
    for (app, db, (_papers, state)) in apps().await {
        let mut tasks = Vec::new();
        for i in 1..=8 {
            let who = if i % 2 == 0 { "one@example.org" } else { "two@example.org" };
            let (session, csrf) = sign_in(&app, who).await;
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let form = format!("csrf={csrf}&title=Disagreement+number+{i}&parties=Thames+Valley+Police&raised=3%2F2%2F2009");
                post(&app, &format!("{BSP}/disputes/new"), &session, &form).await.0
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        assert!(statuses.iter().all(|s| *s == StatusCode::SEE_OTHER), "on {}: every disagreement is acknowledged: {statuses:?}", db.name);
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let mut titles: Vec<&str> = reg.disputes.iter().map(|d| d.title.as_str()).collect();
        titles.sort_unstable();
        assert_eq!(titles.len(), 8, "on {}: all eight are stored, each under its own slug: {titles:?}", db.name);
        let audited = db.store.audit_trail("buckinghamshire").await.unwrap().into_iter().filter(|e| e.action == "add-disagreement").count();
        assert_eq!(audited, 8, "on {}: each has its audit entry", db.name);
        assert_view_is_the_store(&state, &db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn keepers_defining_local_community_areas_with_one_ward_at_once_store_exactly_one() {
    for (app, db, (_papers, state)) in apps().await {
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        for (id, email) in [("kee1", "k1@example.org"), ("kee2", "k2@example.org")] {
            db.store.create_account(id, email, id, &hash, &[("buckinghamshire".into(), Grant::Registrar)], 0).await.unwrap();
        }
        let mut tasks = Vec::new();
        for i in 1..=6 {
            let who = if i % 2 == 0 { "k1@example.org" } else { "k2@example.org" };
            let (session, csrf) = sign_in(&app, who).await;
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let form = format!("csrf={csrf}&name=Chesham+area+{i}&kind=local-community-area&members=Chesham+North");
                post(&app, "/buckinghamshire/areas/new", &session, &form).await.0
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        let saved = statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count();
        let refused = statuses.iter().filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY).count();
        assert_eq!((saved, refused), (1, 5), "on {}: the first is kept, the rest are told the ward is taken: {statuses:?}", db.name);
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let holding: Vec<&str> = reg.areas.iter().filter(|a| a.members.iter().any(|m| m == "E05015945")).map(|a| a.code.as_str()).collect();
        assert_eq!(holding.len(), 1, "on {}: one local community area holds the ward: {holding:?}", db.name);
        assert_view_is_the_store(&state, &db).await;
    }
}
