//! Editing the register over HTTP: permission, CSRF, validation, the public
//! page and the body's history, on SQLite and PostgreSQL.

use axum::http::{header, StatusCode};
use http_body_util::BodyExt;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::permissions::Grant;
use placeworks_domain::Slug;
use placeworks_store::testing::both;
use placeworks_web::{router, AppState, Options};
use tower::ServiceExt;

mod common;
use common::*;

async fn apps() -> Vec<(axum::Router, placeworks_store::testing::TestDb)> {
    let mut out = Vec::new();
    for db in both().await {
        buckinghamshire_with_secretariat(&db).await;
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        db.store.create_account("adm", "admin@example.org", "Ada Admin", &hash, &[("*".into(), Grant::Administrator)], 0).await.unwrap();
        db.store
            .create_account("mem", "member@example.org", "Cadex Member", &hash, &[("buckinghamshire".into(), Grant::Member(Slug::parse("cadex").unwrap()))], 0)
            .await
            .unwrap();
        let state = AppState::new(db.store.clone(), placeworks_store::testing::bsp_era_clock()).await.unwrap();
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
        let form = format!("csrf={csrf}&seat=encompass&person=Jo+Bloggs&start_date=2009-05-01&substitute=Sam+Patel");
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
        let api: serde_json::Value =
            serde_json::from_str(&send(&app, req("GET", "/api/v1/councils/buckinghamshire/bodies/bsp-board", None, None)).await.3).unwrap();
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
        for (field, message) in
            [("seat", "Select the seat the member will hold"), ("person", "Enter the member&#x27;s full name"), ("start_date", "must be a real date")]
        {
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
        assert_eq!(
            (status, location.as_deref()),
            (StatusCode::SEE_OTHER, Some(format!("/sign-in?next={NEW}").as_str())),
            "anonymous visitors are asked to sign in, and come back"
        );
        let (status, location, _, _) = send(&app, req("POST", NEW, None, Some("seat=encompass&person=Mallory"))).await;
        assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/sign-in")), "a form posted without signing in is not returned to");
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
        assert_eq!(
            send(&app, req("GET", "/buckinghamshire/audit?format=csv", None, None)).await.1.as_deref(),
            Some("/sign-in?next=/buckinghamshire/audit%3Fformat%3Dcsv"),
            "sent to sign in, and back to the trail after"
        );
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

const BSP: &str = "/buckinghamshire/bodies/bsp-board";

#[tokio::test]
async fn the_secretariat_changes_a_bodys_details_and_the_history_shows_before_and_after() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let (status, page) = get(&app, &format!("{BSP}/edit"), Some(&session)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<h1 class=\"govuk-heading-l\">Change the body&#x27;s details</h1>"), "{page}");
        assert!(
            page.contains("value=\"FREQ=MONTHLY;INTERVAL=3\"") && page.contains("Agreeing meeting dates.".to_lowercase().trim_end_matches('.')),
            "the form shows the body as it is"
        );
        // The first meeting is next February's, whatever year the test runs in.
        use chrono::Datelike;
        let first = chrono::NaiveDate::from_ymd_opt(placeworks_store::testing::bsp_era_clock().today().year() + 1, 2, 11).unwrap();
        let form = format!(
            "csrf={csrf}&name=Buckinghamshire+Strategic+Partnership+Board&kind=board&purpose={}&terms_of_reference=Set+the+vision%0D%0AAgree+priorities\
             &cadence_text=Meet+every+two+months&cadence_rule=FREQ%3DMONTHLY%3BINTERVAL%3D2&agenda_notice_days=7&consensus=yes&quorum=6&notice_days=10\
             &cadence_first={}T10%3A00&chair_kind=elected&chair_text=Elected+each+year&review_due=2027-04",
            encode("To lead the partnership"),
            first.format("%Y-%m-%d")
        ) + &opened_version(&app, &format!("{BSP}/edit"), &session).await;
        let shown_first = first.format("%A %-d %B %Y, 10:00").to_string();
        let shown_second = (first + chrono::Months::new(2)).format("%A %-d %B %Y, 10:00").to_string();
        let (status, location, body) = post(&app, &format!("{BSP}/edit"), &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some(BSP));
        let (_, public) = get(&app, BSP, None).await;
        for shown in [
            "To lead the partnership",
            "Meet every two months",
            "Planned here: Every two months",
            "Elected by the members",
            "Elected each year",
            "April 2027",
            "Agree priorities",
            &shown_first,
            &shown_second,
        ] {
            assert!(public.contains(shown), "the public page shows {shown}");
        }
        let (_, history) = get(&app, &format!("{BSP}/history"), Some(&session)).await;
        assert!(
            history.contains("Edit body") && history.contains("The Board will meet every three months") && history.contains("Meet every two months"),
            "before and after: {history}"
        );
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert_eq!((trail.len(), trail[0].action.as_str()), (1, "edit-body"));
        let before: serde_json::Value = serde_json::from_str(trail[0].before.as_deref().unwrap()).unwrap();
        assert_eq!(before["cadence"]["rule"], "FREQ=MONTHLY;INTERVAL=3");
    }
}

#[tokio::test]
async fn each_form_names_every_bad_field_keeps_the_values_and_writes_nothing() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let membership = db.store.register("buckinghamshire").await.unwrap().unwrap().memberships.into_iter().find(|m| m.body.as_str() == "bsp-board");
        let mut cases = vec![
            (
                format!("{BSP}/edit"),
                format!("csrf={csrf}&name=&kind=club&quorum=lots&cadence_rule=FREQ%3DSOMETIMES&cadence_first=next+spring&review_due=soon")
                    + &opened_version(&app, &format!("{BSP}/edit"), &session).await,
                vec!["name", "kind", "cadence_rule", "cadence_first", "quorum", "review_due"],
                "lots",
            ),
            (
                format!("{BSP}/seats/new"),
                format!("csrf={csrf}&label=&role=king&on_behalf_of=organisation%3Anobody&note=kept+note"),
                vec!["label", "role", "on_behalf_of"],
                "kept note",
            ),
            (format!("{BSP}/links"), format!("csrf={csrf}&kind=reports-to&to=bsp-board&note=kept+note"), vec!["to"], "kept note"),
        ];
        if let Some(m) = membership {
            cases.push((
                format!("{BSP}/memberships/{}/edit", m.slug),
                format!("csrf={csrf}&start_date=2024-05&end_date=2023-01&exempt=9")
                    + &opened_version(&app, &format!("{BSP}/memberships/{}/edit", m.slug), &session).await,
                vec!["end_date", "exempt"],
                "2023-01",
            ));
        }
        for (uri, form, fields, kept) in cases {
            let (status, _, body) = post(&app, &uri, &session, &form).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
            assert!(body.contains("<title>Error:"), "{uri}: the title says there is an error");
            for field in fields {
                assert!(body.contains(&format!("href=\"#{field}\"")), "{uri}: the summary links to {field}");
                assert!(body.contains(&format!("id=\"{field}-error\"")), "{uri}: {field} shows its error");
            }
            assert!(body.contains(kept), "{uri}: what was typed is kept");
        }
        assert!(db.store.audit_trail("buckinghamshire").await.unwrap().is_empty(), "nothing was written on {}", db.name);
    }
}

#[tokio::test]
async fn seats_are_added_and_changed_and_memberships_end() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let form = format!("csrf={csrf}&label=Chief+Executive%2C+Heart+of+Bucks&role=member&on_behalf_of=organisation%3Aencompass&note=From+2025");
        let (status, location, body) = post(&app, &format!("{BSP}/seats/new"), &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(location.as_deref(), Some(&*format!("{BSP}/manage")));
        let (_, public) = get(&app, BSP, None).await;
        assert!(public.contains("Chief Executive, Heart of Bucks"), "the new seat is public");
        let (_, manage) = get(&app, &format!("{BSP}/manage"), Some(&session)).await;
        let edit = manage
            .split("href=\"")
            .map(|h| h.split('"').next().unwrap())
            .find(|h| h.contains("/seats/chief-executive-heart-of-bucks"))
            .expect("a change link")
            .to_owned();
        let form = format!("csrf={csrf}&label=Chief+Executive%2C+Heart+of+Bucks&role=observer&on_behalf_of=") + &opened_version(&app, &edit, &session).await;
        assert_eq!(post(&app, &edit, &session, &form).await.0, StatusCode::SEE_OTHER);
        let (_, public) = get(&app, BSP, None).await;
        let observers = public.split("Observers</caption>").nth(1).expect("an observers table");
        assert!(observers.contains("Chief Executive, Heart of Bucks"), "the seat moved to the observers");

        // A member added, then their membership ended and a substitute named.
        let form = format!("csrf={csrf}&seat=encompass&person=Jo+Bloggs&start_date=2024-05");
        assert_eq!(post(&app, NEW, &session, &form).await.0, StatusCode::SEE_OTHER);
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let m = reg.memberships.iter().find(|m| m.person.as_ref().is_some_and(|p| p.as_str() == "jo-bloggs")).unwrap();
        let uri = format!("{BSP}/memberships/{}/edit", m.slug);
        let (status, page) = get(&app, &uri, Some(&session)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("value=\"2024-05\""));
        let form =
            format!("csrf={csrf}&start_date=2024-05&end_date=2025-03-31&substitutes=Sam+Patel%0D%0AAlex+Morgan") + &opened_version(&app, &uri, &session).await;
        assert_eq!(post(&app, &uri, &session, &form).await.0, StatusCode::SEE_OTHER);
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let m = reg.memberships.iter().find(|x| x.slug == m.slug).unwrap();
        assert_eq!(m.end.as_ref().map(|d| d.to_string()).as_deref(), Some("2025-03-31"));
        assert_eq!(m.substitutes.len(), 2);
        let actions: Vec<String> = db.store.audit_trail("buckinghamshire").await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["add-seat", "edit-seat", "add-membership", "edit-membership"], "on {}", db.name);
    }
}

#[tokio::test]
async fn links_are_added_and_removed_and_the_structure_follows() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let form = format!("csrf={csrf}&kind=links-with&to=growth-board&note=Shared+priorities");
        let (status, _, body) = post(&app, &format!("{BSP}/links"), &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (_, public) = get(&app, BSP, None).await;
        let related = public.split("In the structure").nth(1).unwrap().split("</aside>").next().unwrap();
        assert!(related.contains("/buckinghamshire/bodies/growth-board"), "the link shows on the public page");
        let (_, growth) = get(&app, "/buckinghamshire/bodies/growth-board", None).await;
        assert!(growth.contains("href=\"/buckinghamshire/bodies/bsp-board\""), "and on the other body's page");
        let form = format!("csrf={csrf}&kind=links-with&to=growth-board");
        assert_eq!(post(&app, &format!("{BSP}/links/remove"), &session, &form).await.0, StatusCode::SEE_OTHER);
        let (_, public) = get(&app, BSP, None).await;
        let related = public.split("In the structure").nth(1).unwrap().split("</aside>").next().unwrap();
        assert!(!related.contains("/buckinghamshire/bodies/growth-board"), "the link is gone");
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert_eq!(trail.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["add-relation", "remove-relation"]);
        assert!(trail[1].after.is_none() && trail[1].before.as_deref().unwrap().contains("growth-board"), "on {}", db.name);
    }
}

#[tokio::test]
async fn every_editing_form_refuses_a_forged_post_and_a_member() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let forms = [
            format!("{BSP}/edit"),
            format!("{BSP}/seats/new"),
            format!("{BSP}/seats/encompass/edit"),
            format!("{BSP}/links"),
            format!("{BSP}/links/remove"),
            format!("{BSP}/meetings"),
            NEW.to_owned(),
        ];
        for uri in &forms {
            let (status, page) = get(&app, uri, Some(&session)).await;
            if !uri.ends_with("/remove") {
                assert_eq!(status, StatusCode::OK, "{uri}");
                let fields = form_fields(&page);
                assert!(fields.iter().any(|(n, v)| n == "csrf" && *v == csrf), "{uri} carries the session's CSRF token");
            }
            assert_eq!(post(&app, uri, &session, "csrf=forged&name=Mallory&label=Mallory").await.0, StatusCode::FORBIDDEN, "{uri}");
        }
        let (member, member_csrf) = sign_in(&app, "member@example.org").await;
        for uri in &forms {
            assert_eq!(post(&app, uri, &member, &format!("csrf={member_csrf}&name=Mallory&label=Mallory")).await.0, StatusCode::FORBIDDEN, "{uri}");
            if !uri.ends_with("/remove") {
                assert_eq!(get(&app, uri, Some(&member)).await.0, StatusCode::FORBIDDEN, "{uri}");
            }
        }
        assert!(db.store.audit_trail("buckinghamshire").await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn the_secretariat_moves_cancels_and_adds_meetings_and_the_schedule_follows() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let uri = format!("{BSP}/meetings");
        let (status, page) = get(&app, &uri, Some(&session)).await;
        assert_eq!(status, StatusCode::OK);
        let slots: Vec<String> = page.split("<option value=\"2").skip(1).map(|s| format!("2{}", s.split('"').next().unwrap())).collect();
        assert!(slots.len() >= 3, "the planned meetings are offered: {slots:?}");
        let (cancel, moving) = (slots[1].clone(), slots[2].clone());
        let form = format!("csrf={csrf}&action=cancel&planned_for={}", encode(&cancel));
        let (status, _, body) = post(&app, &uri, &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        // Moved a week later, at 14:00; the dates follow whatever day the test runs on.
        use chrono::Datelike;
        let moved_to = chrono::NaiveDate::parse_from_str(&moving[..10], "%Y-%m-%d").unwrap() + chrono::Days::new(7);
        // The day in the GOV.UK date input's three boxes, and the time as people write it.
        assert!(page.contains("name=\"date_day\"") && page.contains("name=\"date_month\"") && page.contains("name=\"date_year\""));
        let form = format!(
            "csrf={csrf}&action=move&planned_for={}&date_day={}&date_month={}&date_year={}&time=2pm&note=Room+clash",
            encode(&moving),
            moved_to.day(),
            moved_to.month(),
            moved_to.year()
        );
        assert_eq!(post(&app, &uri, &session, &form).await.0, StatusCode::SEE_OTHER);
        let (_, public) = get(&app, BSP, None).await;
        let table = public.split("id=\"meetings\"").nth(1).unwrap().split("</table>").next().unwrap();
        assert!(table.contains("Cancelled"), "the cancelled meeting is shown as such on {}", db.name);
        assert!(table.contains(&moved_to.format("%A %-d %B %Y, 14:00").to_string()) && table.contains("Rescheduled from "), "{table}");
        let actions: Vec<String> = db.store.audit_trail("buckinghamshire").await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["cancel-meeting", "reschedule-meeting"]);

        // Bad input: nothing chosen, a date outside the body's life, a time the clocks skip.
        let (status, _, body) = post(&app, &uri, &session, &format!("csrf={csrf}&action=move&planned_for=nonsense&date=soon&time=")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["planned_for", "date", "time"] {
            assert!(body.contains(&format!("href=\"#{field}\"")), "{field}");
        }
        let (admin, admin_csrf) = sign_in(&app, "admin@example.org").await;
        let (_, _, body) =
            post(&app, "/buckinghamshire/bodies/cadex/meetings", &admin, &format!("csrf={admin_csrf}&action=add&date=1999-01-05&time=10%3A00")).await;
        assert!(body.contains("CADEX does not exist on that date: it runs from June 2006"), "a meeting before the body existed is refused");
        // 01:30 on the last Sunday of next March does not exist in London.
        let today = placeworks_store::testing::bsp_era_clock().today();
        let mut spring_forward = chrono::NaiveDate::from_ymd_opt(today.year() + 1, 3, 31).unwrap();
        while spring_forward.weekday() != chrono::Weekday::Sun {
            spring_forward = spring_forward.pred_opt().unwrap();
        }
        let (_, _, body) = post(&app, &uri, &session, &format!("csrf={csrf}&action=add&date={}&time=01%3A30", spring_forward.format("%Y-%m-%d"))).await;
        assert!(body.contains("the clocks go forward over it"));
        assert_eq!(db.store.audit_trail("buckinghamshire").await.unwrap().len(), 2, "nothing written by the refused forms");
        // A meeting outside the cadence.
        let added = today + chrono::Days::new(20);
        assert_eq!(
            post(&app, &uri, &session, &format!("csrf={csrf}&action=add&date={}&time=10am", encode(&added.format("%d/%m/%Y").to_string()))).await.0,
            StatusCode::SEE_OTHER
        );
        let (_, public) = get(&app, BSP, None).await;
        assert!(public.contains(&added.format("%A %-d %B %Y, 10:00").to_string()), "the added meeting is planned too");
    }
}

/// Signing in from a page that needs it returns to that page (never to
/// another site); a save shows a confirmation banner on the page it leads
/// to, once, and only what the site itself says.
#[tokio::test]
async fn signing_in_returns_to_the_page_asked_for_and_a_save_is_confirmed_once() {
    for (app, db) in apps().await {
        let form_page = "/buckinghamshire/bodies/bsp-board/seats/new";
        let (status, location, _, _) = send(&app, req("GET", form_page, None, None)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let sign_in_page = location.unwrap();
        assert_eq!(sign_in_page, format!("/sign-in?next={form_page}"));
        let sign_in_as = |next: String| {
            let app = app.clone();
            async move {
                let (_, _, _, body) = send(&app, req("GET", &format!("/sign-in?next={}", encode(&next)), None, None)).await;
                let csrf = value_after(&body, "name=\"csrf\" value=\"").to_owned();
                let shown_next = body.split("name=\"next\" value=\"").nth(1).map(|v| v.split('"').next().unwrap().replace("&#x2f;", "/"));
                let form = format!("email=secretariat%40example.org&password={}&csrf={csrf}&next={}", encode(PASSWORD), encode(&next));
                let (status, location, cookies, _) = send(&app, req("POST", "/sign-in", Some(&format!("pw_csrf={csrf}")), Some(&form))).await;
                assert_eq!(status, StatusCode::SEE_OTHER);
                let session = cookies.iter().find_map(|c| c.strip_prefix("pw_session=")).unwrap().split(';').next().unwrap().to_owned();
                (location.unwrap(), shown_next, format!("pw_session={session}"))
            }
        };
        let (back, shown, session) = sign_in_as(form_page.to_owned()).await;
        assert_eq!(shown.as_deref(), Some(form_page), "the sign-in form carries the page to return to");
        assert_eq!(back, form_page, "signed in, the officer is back on the form on {}", db.name);
        for elsewhere in ["//evil.example/x", "https://evil.example/", "/\\evil.example"] {
            let (back, _, _) = sign_in_as(elsewhere.to_owned()).await;
            assert_eq!(back, "/account", "never to another site: {elsewhere}");
        }

        let (_, _, _, form) = send(&app, req("GET", form_page, Some(&session), None)).await;
        let csrf = value_after(&form, "name=\"csrf\" value=\"").to_owned();
        let (status, location, cookies, _) =
            send(&app, req("POST", form_page, Some(&session), Some(&format!("csrf={csrf}&label=Community+seat&role=member")))).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let flash = cookies.iter().find(|c| c.starts_with("pw_saved=")).expect("the save leaves a confirmation to show").split(';').next().unwrap().to_owned();
        assert_eq!(flash, "pw_saved=add-seat");
        let next_page = location.unwrap();
        let (status, _, cookies, page) = send(&app, req("GET", &next_page, Some(&format!("{session}; {flash}")), None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("govuk-notification-banner--success") && page.contains("The seat has been added"), "the banner says what was saved");
        assert!(cookies.iter().any(|c| c.starts_with("pw_saved=;") && c.contains("Max-Age=0")), "and is then forgotten: {cookies:?}");
        let (_, _, _, again) = send(&app, req("GET", &next_page, Some(&session), None)).await;
        assert!(!again.contains("govuk-notification-banner--success"), "once only");
        let (_, _, _, forged) = send(&app, req("GET", &next_page, Some(&format!("{session}; pw_saved=%3Cscript%3E")), None)).await;
        assert!(!forged.contains("govuk-notification-banner--success") && !forged.contains("script%3E"), "a banner says only what the site says");
        let (_, _, _, public) = send(&app, req("GET", "/buckinghamshire/bodies/bsp-board", Some("pw_saved=add-seat"), None)).await;
        assert!(!public.contains("govuk-notification-banner--success"), "nor to anyone not signed in");
    }
}
