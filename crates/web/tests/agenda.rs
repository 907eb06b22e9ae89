//! Business up the lines, over HTTP on SQLite and PostgreSQL: CADEX, which
//! manages the BSP Board's agenda, drafts it with the Implementation Group's
//! latest minutes offered as an item; only the Board's chair agrees it; only
//! then does the Board's own secretariat publish it, and sees who drafted it
//! and who agreed it.

use axum::http::StatusCode;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::change::Write;
use placeworks_domain::meetings::schedule::{meeting_slug, planned};
use placeworks_domain::permissions::Grant;
use placeworks_domain::records::{Meeting, MeetingStatus};
use placeworks_domain::register::Index;
use placeworks_domain::{PartialDate, Slug};
use placeworks_store::testing::both;
use placeworks_web::{router, AppState, Options};

mod common;
use common::*;

/// The app, the database, the next BSP Board meeting's slug, and the day of
/// the Implementation Group meeting whose minutes are recorded.
async fn apps() -> Vec<(axum::Router, placeworks_store::testing::TestDb, String, String)> {
    let mut out = Vec::new();
    let clock = placeworks_store::testing::bsp_era_clock();
    let today = clock.today();
    for db in both().await {
        buckinghamshire_with_secretariat(&db).await;
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        let grant = |g: Grant| vec![("buckinghamshire".to_owned(), g)];
        let body = |s: &str| Slug::parse(s).unwrap();
        db.store.create_account("cad", "cadex@example.org", "Casey Cadex", &hash, &grant(Grant::Secretariat(body("cadex"))), 0).await.unwrap();
        db.store.create_account("chr", "chair@example.org", "Charlie Chairman", &hash, &grant(Grant::Chair(body("bsp-board"))), 0).await.unwrap();
        // The Implementation Group met ten days ago; its minutes are recorded.
        let day = today - chrono::Days::new(10);
        let mut tx = db.store.begin_write("buckinghamshire").await.unwrap();
        let ix = Index::new(tx.register().await.unwrap());
        let next = planned(&ix, "bsp-board", today, today + chrono::Days::new(200)).unwrap().into_iter().next().expect("a planned Board meeting");
        let at = day.and_hms_opt(10, 0, 0).unwrap();
        let mut ig = Meeting::new(
            meeting_slug("bsp-implementation-group", at),
            body("bsp-implementation-group"),
            PartialDate::parse(&day.format("%Y-%m-%d").to_string()).unwrap(),
            Some(at.time()),
            MeetingStatus::DraftMinutes,
            None,
            None,
        );
        ig.minutes = vec!["The Group reviewed delivery against the LAA.".into()];
        tx.apply(&[Write::PutMeeting(ig)], &[]).await.unwrap();
        tx.commit("test setup").await.unwrap();
        let state = AppState::new(db.store.clone(), clock.clone()).await.unwrap();
        out.push((router(state, &Options::default()), db, meeting_slug("bsp-board", next.start).to_string(), day.format("%-d %B %Y").to_string()));
    }
    out
}

#[tokio::test]
async fn cadex_drafts_the_boards_agenda_the_chair_agrees_it_and_the_boards_secretariat_publishes_it() {
    for (app, db, meeting, ig_day) in apps().await {
        let agenda = format!("/buckinghamshire/meetings/{meeting}/agenda");
        let (cadex, cadex_csrf) = sign_in(&app, "cadex@example.org").await;
        let (_, page) = get(&app, &format!("/buckinghamshire/meetings/{meeting}"), Some(&cadex)).await;
        assert!(page.contains(&format!("href=\"{agenda}\"")), "CADEX is offered the draft agenda on {}", db.name);
        let (status, form) = get(&app, &agenda, Some(&cadex)).await;
        assert_eq!(status, StatusCode::OK, "CADEX manages the Board's agenda");
        let minutes = format!("Minutes of the BSP Implementation Group meeting of {ig_day}");
        assert!(form.contains(&minutes), "the Implementation Group's latest minutes are offered: {form}");
        assert!(form.contains("Report from the BSP Implementation Group"));
        assert!(form.contains("Summary performance management information for the outcomes expressed in the SCS"), "the Board's standing item");
        let fields = [("csrf", cadex_csrf.as_str()), ("number", "1"), ("title", minutes.as_str()), ("from_body", "bsp-implementation-group")];
        let (status, location, _, body) = send(&app, multipart(&agenda, &cadex, &fields, None)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(location.as_deref(), Some(agenda.as_str()), "CADEX goes back to the agenda, not to the Board's own pages");
        // CADEX drafts; it neither publishes nor agrees, and it cannot touch the Board's other business.
        for uri in ["publish", "agree"] {
            let (status, _, _) = post(&app, &format!("/buckinghamshire/meetings/{meeting}/{uri}"), &cadex, &format!("csrf={cadex_csrf}&what=agenda")).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "CADEX may not {uri}");
        }
        let (status, _) = get(&app, "/buckinghamshire/bodies/bsp-board/meetings", Some(&cadex)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The Board's secretariat cannot publish until the chair agrees, nor agree for them.
        let (sec, sec_csrf) = sign_in(&app, "secretariat@example.org").await;
        let (status, _, page) = post(&app, &format!("/buckinghamshire/meetings/{meeting}/publish"), &sec, &format!("csrf={sec_csrf}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("The chair has not agreed this agenda yet"), "{page}");
        let (status, _, _) = post(&app, &format!("/buckinghamshire/meetings/{meeting}/agree"), &sec, &format!("csrf={sec_csrf}&what=agenda")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only the chair agrees");

        // The chair agrees the agenda.
        let (chair, chair_csrf) = sign_in(&app, "chair@example.org").await;
        let (status, page) = get(&app, &format!("/buckinghamshire/meetings/{meeting}/agree"), Some(&chair)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&minutes), "the chair sees the draft agenda");
        let (status, _, _) = post(&app, &format!("/buckinghamshire/meetings/{meeting}/agree"), &chair, &format!("csrf={chair_csrf}&what=agenda")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, _, page) = post(&app, &format!("/buckinghamshire/meetings/{meeting}/agree"), &chair, &format!("csrf={chair_csrf}&what=agenda")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "agreed once");
        assert!(page.contains("has already been agreed"));

        // CADEX adds an item after the chair agreed: the agreement lapses, and the chair agrees again.
        let fields =
            [("csrf", cadex_csrf.as_str()), ("number", "2"), ("title", "Summary performance management information for the outcomes expressed in the SCS")];
        assert_eq!(send(&app, multipart(&agenda, &cadex, &fields, None)).await.0, StatusCode::SEE_OTHER);
        let (status, _, page) = post(&app, &format!("/buckinghamshire/meetings/{meeting}/publish"), &sec, &format!("csrf={sec_csrf}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "on {}: the agenda changed after it was agreed", db.name);
        assert!(page.contains("The chair has not agreed this agenda yet"));
        let (status, _, _) = post(&app, &format!("/buckinghamshire/meetings/{meeting}/agree"), &chair, &format!("csrf={chair_csrf}&what=agenda")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "the chair agrees the changed agenda");

        // Now it publishes, and the Board's secretariat sees who drafted and who agreed.
        let (status, _, _) = post(&app, &format!("/buckinghamshire/meetings/{meeting}/publish"), &sec, &format!("csrf={sec_csrf}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, manage) = get(&app, &format!("/buckinghamshire/meetings/{meeting}/manage"), Some(&sec)).await;
        let agreement = manage.split_once("id=\"agreement\"").expect("the drafting and agreement section").1;
        assert!(agreement.contains("Casey Cadex (item 1)") && agreement.contains("Casey Cadex (item 2)"), "who drafted: {agreement}");
        assert!(agreement.contains("The agenda: Charlie Chairman"), "who agreed: {agreement}");
        let (_, public) = get(&app, &format!("/buckinghamshire/meetings/{meeting}"), None).await;
        assert!(public.contains(&minutes), "the published agenda");
        let (_, board) = get(&app, "/buckinghamshire/bodies/bsp-board", None).await;
        let received = board.split_once("id=\"received\"").expect("what the Board received from below").1;
        assert!(received.contains(&minutes) && received.contains("BSP Implementation Group"));
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        let who = |action: &str| trail.iter().filter(|e| e.action == action).map(|e| e.actor_id.clone()).collect::<Vec<_>>();
        let (cad, chr) = ("cad".to_owned(), "chr".to_owned());
        assert_eq!((who("add-agenda-item"), who("agree"), who("publish-agenda")), (vec![cad.clone(), cad], vec![chr.clone(), chr], vec!["sec".to_owned()]));
    }
}

#[tokio::test]
async fn draft_minutes_reach_the_public_only_once_the_chair_has_agreed_them_and_a_date_is_provisional_until_agreed() {
    for (app, db, _, _) in apps().await {
        let (sec, csrf) = sign_in(&app, "secretariat@example.org").await;
        let day = placeworks_store::testing::bsp_era_clock().today() - chrono::Days::new(5);
        let add = format!("csrf={csrf}&action=add&date={}&time=10:00", day.format("%Y-%m-%d"));
        assert_eq!(post(&app, "/buckinghamshire/bodies/bsp-board/meetings", &sec, &add).await.0, StatusCode::SEE_OTHER);
        let slug = format!("bsp-board-{}-1000", day.format("%Y-%m-%d"));
        let page_of = |who: Option<String>| {
            let (app, slug) = (app.clone(), slug.clone());
            async move { get(&app, &format!("/buckinghamshire/meetings/{slug}"), who.as_deref()).await.1 }
        };
        assert!(page_of(None).await.contains("has not yet agreed this one"), "on {}: the date is provisional", db.name);
        let minutes = format!("/buckinghamshire/meetings/{slug}/minutes");
        assert_eq!(post(&app, &minutes, &sec, &format!("csrf={csrf}&action=held")).await.0, StatusCode::SEE_OTHER);
        let text = "The Board agreed its forward plan for the year";
        assert_eq!(post(&app, &minutes, &sec, &format!("csrf={csrf}&action=minutes&minutes={}", encode(text))).await.0, StatusCode::SEE_OTHER);

        // Before the chair agrees: the secretariat sees the draft, the public and the API do not.
        assert!(page_of(Some(sec.clone())).await.contains(text));
        let public = page_of(None).await;
        assert!(!public.contains(text) && public.contains("circulated once the body's chair has agreed them"), "{public}");
        let (_, api) = get(&app, &format!("/api/v1/councils/buckinghamshire/meetings/{slug}"), None).await;
        assert!(!api.contains(text), "nor the API");

        // The chair agrees the minutes: they are circulated.
        let (chair, chair_csrf) = sign_in(&app, "chair@example.org").await;
        assert!(page_of(Some(chair.clone())).await.contains(text), "the chair reads what they agree");
        let agree = format!("/buckinghamshire/meetings/{slug}/agree");
        assert_eq!(post(&app, &agree, &chair, &format!("csrf={chair_csrf}&what=minutes")).await.0, StatusCode::SEE_OTHER);
        assert!(page_of(None).await.contains(text), "on {}: agreed, the draft minutes are public", db.name);
        let (_, api) = get(&app, &format!("/api/v1/councils/buckinghamshire/meetings/{slug}"), None).await;
        assert!(api.contains(text));

        // Changed afterwards, they wait for the chair again.
        let changed = format!("{text}, and thanked the Implementation Group");
        assert_eq!(post(&app, &minutes, &sec, &format!("csrf={csrf}&action=minutes&minutes={}", encode(&changed))).await.0, StatusCode::SEE_OTHER);
        assert!(!page_of(None).await.contains("thanked the Implementation Group"), "changed minutes need the chair's agreement again");
    }
}
