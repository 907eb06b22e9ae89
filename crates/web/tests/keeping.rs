//! The register kept in the portal over HTTP, on SQLite and PostgreSQL: a
//! register keeper sets up a ward partnership, ends a body (its members
//! become former members), records a ward's councillor; each is audited,
//! refused field by field when wrong, and forbidden to anyone else.

use axum::http::StatusCode;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::permissions::Grant;
use placeworks_store::testing::both;
use placeworks_web::{router, AppState, Options};

mod common;
use common::*;

async fn apps() -> Vec<(axum::Router, placeworks_store::testing::TestDb)> {
    let mut out = Vec::new();
    for db in both().await {
        buckinghamshire_with_secretariat(&db).await;
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        db.store.create_account("kee", "keeper@example.org", "Kim Keeper", &hash, &[("buckinghamshire".into(), Grant::Registrar)], 0).await.unwrap();
        let state = AppState::new(db.store.clone(), placeworks_store::testing::clock()).await.unwrap();
        out.push((router(state, &Options::default()), db));
    }
    out
}

const WARD: &str = "E05015942"; // Castlefield & Oakridge

#[tokio::test]
async fn a_keeper_sets_up_a_ward_partnership_with_seats_and_a_chair() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "keeper@example.org").await;
        let (_, bodies) = get(&app, "/buckinghamshire/bodies", Some(&session)).await;
        assert!(bodies.contains("href=\"/buckinghamshire/bodies/new\""), "the keeper is offered the form");
        let (status, page) = get(&app, "/buckinghamshire/bodies/new", Some(&session)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Castlefield &amp; Oakridge"), "the hint names an example area");
        let form = format!(
            "csrf={csrf}&name=Castlefield+%26+Oakridge+Ward+Partnership&kind=ward-partnership&established=1%2F9%2F2026&reports_to=opportunity-bucks-programme-board\
             &areas=castlefield+and+oakridge&chair_kind=appointed&chair_person=Pat+Chair&seats=Member%2C+Thames+Valley+Police%0D%0AMember%2C+Red+Kite+Community+Housing%0D%0AMember%2C+the+voluntary+sector"
        );
        let (status, location, body) = post(&app, "/buckinghamshire/bodies/new", &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        let slug = "castlefield-and-oakridge-ward-partnership";
        assert_eq!(location.as_deref(), Some(format!("/buckinghamshire/bodies/{slug}").as_str()));
        let (_, public) = get(&app, &format!("/buckinghamshire/bodies/{slug}"), None).await;
        for text in ["Castlefield &amp; Oakridge Ward Partnership", "Pat Chair", "Member, Thames Valley Police", "Member, the voluntary sector"] {
            assert!(public.contains(text), "{text} on the new body's page");
        }
        let (_, ward) = get(&app, &format!("/buckinghamshire/areas/{WARD}"), None).await;
        assert!(ward.contains(&format!("/buckinghamshire/bodies/{slug}")), "the ward's page lists the partnership that serves it");
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        let entry = trail.iter().find(|e| e.action == "create-body").expect("audited");
        assert_eq!((entry.actor_id.as_str(), entry.record_id.as_str()), ("kee", slug));
        // The store holds what the page shows: read back from the rows.
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        assert_eq!(reg.seats.iter().filter(|s| s.body.as_str() == slug).count(), 4, "a chair's seat and three more");
        assert!(reg.relations.iter().any(|r| r.from.as_str() == slug && r.to.as_str() == "opportunity-bucks-programme-board"));
    }
}

#[tokio::test]
async fn a_new_body_with_bad_fields_is_refused_and_nothing_is_written() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "keeper@example.org").await;
        let before = db.store.audit_trail("buckinghamshire").await.unwrap().len();
        let form = format!("csrf={csrf}&name=Nowhere+Partnership&kind=ward-partnership&established=soon&areas=Atlantis&reports_to=no-such-body&seats=A+seat");
        let (status, _, body) = post(&app, "/buckinghamshire/bodies/new", &session, &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["established", "reports_to", "areas"] {
            assert!(body.contains(&format!("href=\"#{field}\"")), "the summary links to {field}");
        }
        assert!(body.contains("Atlantis") && body.contains("value=\"Nowhere Partnership\""), "the error names the area and the form keeps what was typed");
        assert_eq!(db.store.audit_trail("buckinghamshire").await.unwrap().len(), before);
        let (status, _) = get(&app, "/buckinghamshire/bodies/nowhere-partnership", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn ending_a_body_makes_its_members_former_and_keeps_its_page() {
    for (app, db) in apps().await {
        let (keeper, csrf) = sign_in(&app, "keeper@example.org").await;
        // A member for the Cultural Partnership first, so that there is someone to become former.
        let body = "/buckinghamshire/bodies/cultural-partnership";
        let (_, manage) = get(&app, &format!("{body}/members/new"), Some(&keeper)).await;
        let seat = manage.split("<option value=\"").skip(1).map(|o| o.split('"').next().unwrap()).find(|v| !v.is_empty()).expect("a seat").to_owned();
        let (status, _, _) =
            post(&app, &format!("{body}/members/new"), &keeper, &format!("csrf={csrf}&seat={seat}&person=Morgan+Member&start_date=1%2F1%2F2026")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}", db.name);
        let (_, hub) = get(&app, &format!("{body}/manage"), Some(&keeper)).await;
        assert!(hub.contains(&format!("href=\"{body}/end\"")), "the keeper is offered the end");
        let (status, _, page) =
            post(&app, "/buckinghamshire/bodies/aylesbury-vale-local-committee/end", &keeper, &format!("csrf={csrf}&ended=1%2F1%2F1999")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an end before the body was established is refused");
        assert!(page.contains("after the date it was established (May 2000)"), "{page}");
        let (status, location, _) = post(&app, &format!("{body}/end"), &keeper, &format!("csrf={csrf}&ended=30%2F11%2F2026&replaced_by=growth-board")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some(body));
        let (_, public) = get(&app, body, None).await;
        assert!(public.contains("This body ended"), "the page says it ended");
        let former = public.split_once("id=\"former-members\"").expect("a former members section").1;
        assert!(former.contains("Morgan Member"), "its member is now a former member: {former}");
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let m = reg.memberships.iter().find(|m| m.body.as_str() == "cultural-partnership").unwrap();
        assert_eq!(m.end.as_ref().map(|d| d.as_str()), Some("2026-11-30"));
        // A body that has ended takes no new seats.
        let (status, _, page) = post(&app, &format!("{body}/seats/new"), &keeper, &format!("csrf={csrf}&label=Another+seat&role=member")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("takes no new seats"));
    }
}

#[tokio::test]
async fn a_keeper_records_a_wards_councillor_and_both_pages_show_it() {
    for (app, db) in apps().await {
        let (_, ward) = get(&app, &format!("/buckinghamshire/areas/{WARD}"), None).await;
        let councillors = ward.split("id=\"councillors\"").nth(1).expect("a councillors section").split("id=\"bodies\"").next().unwrap();
        assert_eq!(councillors.matches("not recorded").count(), 2, "the ward's two seats, unfilled: {councillors}");
        let (keeper, csrf) = sign_in(&app, "keeper@example.org").await;
        let (_, ward) = get(&app, &format!("/buckinghamshire/areas/{WARD}"), Some(&keeper)).await;
        let edit = "/buckinghamshire/posts/councillor-castlefield-and-oakridge-1/edit";
        assert!(ward.contains(&format!("href=\"{edit}\"")), "the keeper is offered each seat's form");
        let version = opened_version(&app, edit, &keeper).await;
        let form = format!("csrf={csrf}{version}&title=Councillor&of=organisation%3Abuckinghamshire-council&area={WARD}&holder=Casey+Councillor&party=Independent&start_date=2%2F5%2F2025&end_date=");
        let (status, location, body) = post(&app, edit, &keeper, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some(format!("/buckinghamshire/areas/{WARD}#councillors").as_str()));
        let (_, ward) = get(&app, &format!("/buckinghamshire/areas/{WARD}"), None).await;
        assert!(ward.contains("Casey Councillor</a>, Independent"), "the ward's page names its councillor and party");
        let (_, person) = get(&app, "/buckinghamshire/people/casey-councillor", None).await;
        assert!(person.contains("represents") && person.contains(&format!("/buckinghamshire/areas/{WARD}")), "the person's page names the ward");
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert!(trail.iter().any(|e| e.action == "edit-post" && e.actor_id == "kee" && e.after.as_deref().is_some_and(|a| a.contains("Casey Councillor"))));
        // A councillor's post is for a ward or division, never a parish or the county.
        let bad = form.replace(&format!("area={WARD}"), "area=E06000060");
        let (status, _, body) = post(&app, "/buckinghamshire/posts/new", &keeper, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("a councillor&#x27;s post is for a ward or an electoral division") || body.contains("a councillor's post is for a ward"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn only_a_keeper_or_administrator_may_set_up_end_or_keep_posts() {
    for (app, _db) in apps().await {
        let (sec, csrf) = sign_in(&app, "secretariat@example.org").await;
        let (_, bodies) = get(&app, "/buckinghamshire/bodies", Some(&sec)).await;
        assert!(!bodies.contains("/buckinghamshire/bodies/new"), "a secretariat is not offered the form");
        for uri in ["/buckinghamshire/bodies/new", "/buckinghamshire/bodies/bsp-board/end", "/buckinghamshire/posts/new"] {
            let (status, _) = get(&app, uri, Some(&sec)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        }
        let (status, _, _) = post(&app, "/buckinghamshire/bodies/bsp-board/end", &sec, &format!("csrf={csrf}&ended=1%2F1%2F2027")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, location, _) = post(&app, "/buckinghamshire/bodies/new", "pw_session=nobody", "name=X&kind=board").await;
        assert!(status == StatusCode::SEE_OTHER && location.is_some_and(|l| l.contains("sign-in")), "anyone else is sent to sign in");
    }
}

#[tokio::test]
async fn a_disagreement_is_recorded_taken_up_the_boards_path_and_seen_only_by_its_secretariat() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let (_, board) = get(&app, "/buckinghamshire/bodies/bsp-board", Some(&session)).await;
        assert!(board.contains("href=\"/buckinghamshire/bodies/bsp-board/disputes/new\""), "the secretariat is offered the form");
        assert!(board.contains("Decisions within the terms of reference"), "what the Board may decide is on its page");
        let stage = "The+Chairman+of+the+BSP+Board+will+take+a+role+in+resolving+conflict.";
        let bad = format!("csrf={csrf}&title=&parties=The+Ministry+of+Nowhere&raised=3%2F2%2F2025&stage=Arbitration");
        let (status, _, page) = post(&app, "/buckinghamshire/bodies/bsp-board/disputes/new", &session, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "on {}", db.name);
        for message in ["Enter what the disagreement is about", "There is no partner organisation called", "escalation path"] {
            assert!(page.contains(message), "{message}");
        }
        assert!(!db.store.register("buckinghamshire").await.unwrap().unwrap().disputes.iter().any(|_| true), "nothing is written");
        let form = format!(
            "csrf={csrf}&title=Who+pays+for+the+shared+data+officer&parties=Buckinghamshire+County+Council%0D%0AThames+Valley+Police&raised=3%2F2%2F2025&stage={stage}&stage_on=10%2F2%2F2025"
        );
        let (status, location, body) = post(&app, "/buckinghamshire/bodies/bsp-board/disputes/new", &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        let href = location.unwrap();
        assert_eq!(href, "/buckinghamshire/bodies/bsp-board/disputes/who-pays-for-the-shared-data-officer");
        let (_, page) = get(&app, &href, Some(&session)).await;
        assert!(page.contains("Confidential") && page.contains("10 February 2025"), "its stage and that it is confidential");
        // Flagged while open, to the secretariat; the public sees neither it nor the flag.
        let (_, health) = get(&app, "/buckinghamshire/governance", Some(&session)).await;
        assert!(health.contains("Who pays for the shared data officer"), "the secretariat's governance page flags it");
        for path in ["/buckinghamshire/governance", "/buckinghamshire/bodies/bsp-board"] {
            let (_, public) = get(&app, path, None).await;
            assert!(!public.contains("shared data officer"), "{path} gives nothing away");
        }
        let (status, _) = get(&app, &href, None).await;
        assert_ne!(status, StatusCode::OK, "nor may the public open it");
        // Resolved at the panel: no longer flagged, and audited.
        let next = format!(
            "csrf={csrf}&stage=A+separate+panel+of+officers+to+provide+recommendations+for+resolution&stage_on=1%2F3%2F2025&outcome=The+County+Council+funds+the+post&resolved=20%2F3%2F2025"
        );
        let (status, _, body) = post(&app, &href, &session, &next).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let d = &reg.disputes[0];
        assert_eq!((d.steps.len(), d.resolved.map(|r| r.to_string())), (2, Some("2025-03-20".to_owned())), "read back from the rows on {}", db.name);
        let (_, health) = get(&app, "/buckinghamshire/governance", Some(&session)).await;
        assert!(!health.contains("Who pays for the shared data officer"), "resolved, it is no longer flagged");
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert_eq!(trail.iter().filter(|e| e.record_kind == "disagreement").count(), 2, "both saves are audited");
    }
}

#[tokio::test]
async fn a_keeper_defines_a_local_community_area_from_wards_and_it_is_profiled_from_them() {
    for (app, db) in apps().await {
        let (keeper, csrf) = sign_in(&app, "keeper@example.org").await;
        let (_, areas) = get(&app, "/buckinghamshire/areas", Some(&keeper)).await;
        assert!(areas.contains("href=\"/buckinghamshire/areas/new\""), "the keeper is offered the form");
        let form = format!("csrf={csrf}&name=Chesham+Vale&kind=local-community-area&members=Chesham+North%0D%0AE05015946&valid_from=1%2F4%2F2027&note=");
        let (status, location, body) = post(&app, "/buckinghamshire/areas/new", &keeper, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some("/buckinghamshire/areas/lca-chesham-vale"));
        let (_, page) = get(&app, "/buckinghamshire/areas/lca-chesham-vale", None).await;
        assert!(page.contains("Chesham North") && page.contains("Chesham South"), "it lists the wards it is made of");
        assert!(page.contains("id=\"deprivation\"") && page.contains("Worked out from the areas it is made of"), "profiled from its wards");
        assert!(page.contains("/buckinghamshire/areas/E0"), "with the LSOAs it holds");
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let lca = reg.areas.iter().find(|a| a.code == "lca-chesham-vale").expect("stored");
        assert_eq!((lca.members.as_slice(), lca.parent.as_deref()), (&["E05015945".to_owned(), "E05015946".to_owned()][..], Some("E06000060")));
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert!(trail.iter().any(|e| e.action == "create-area" && e.actor_id == "kee" && e.record_id == "lca-chesham-vale"));

        // A ward already in a local community area at the same time, a code that does not exist, a county: each refused, nothing written.
        let before = db.store.audit_trail("buckinghamshire").await.unwrap().len();
        let bad = format!("csrf={csrf}&name=Greater+Chesham&kind=local-community-area&members=Chesham+South%0D%0AE05099999%0D%0AAtlantis&valid_from=2028");
        let (status, _, body) = post(&app, "/buckinghamshire/areas/new", &keeper, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Chesham South is already in the local community area Chesham Vale"), "{body}");
        assert!(body.contains("“E05099999”") && body.contains("“Atlantis”"), "each unknown area is named");
        assert!(body.contains("href=\"#members\"") && body.contains("Greater Chesham"), "the summary links to the field and the form keeps what was typed");
        let (status, _, body) = post(&app, "/buckinghamshire/areas/new", &keeper, &format!("csrf={csrf}&name=Odd&kind=named-set&members=E06000060")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("is a unitary authority"), "{body}");
        assert_eq!(db.store.audit_trail("buckinghamshire").await.unwrap().len(), before, "nothing written");
        // A named set may share wards; the set that ended in 2020 is no obstacle.
        let ok = format!("csrf={csrf}&name=Chesham+wards&kind=named-set&members=Chesham+South");
        assert_eq!(post(&app, "/buckinghamshire/areas/new", &keeper, &ok).await.0, StatusCode::SEE_OTHER);

        // Changing it: the form is filled in; an official area cannot be changed here.
        let edit = "/buckinghamshire/areas/lca-chesham-vale/edit";
        let version = opened_version(&app, edit, &keeper).await;
        let form = format!("csrf={csrf}{version}&name=Chesham+Vale&kind=local-community-area&members=Chesham+North&valid_from=1%2F4%2F2027");
        assert_eq!(post(&app, edit, &keeper, &form).await.0, StatusCode::SEE_OTHER);
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        assert_eq!(reg.areas.iter().find(|a| a.code == "lca-chesham-vale").unwrap().members, ["E05015945"]);
        let (status, _) = get(&app, "/buckinghamshire/areas/E05015945/edit", Some(&keeper)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_2005_local_community_areas_are_profiled_from_the_wards_that_follow_theirs() {
    for (app, db) in apps().await {
        let (status, page) = get(&app, "/buckinghamshire/areas/lca-chesham", None).await;
        assert_eq!(status, StatusCode::OK);
        let profile = page.split("id=\"deprivation\"").nth(1).unwrap_or_else(|| panic!("on {}: a profile", db.name));
        assert!(profile.contains("Chesham has been redrawn") && profile.contains("Chesham North and Chesham South"), "{profile}");
    }
}

#[tokio::test]
async fn a_keeper_adds_and_changes_an_organisation_and_a_loop_is_refused() {
    for (app, db) in apps().await {
        let (keeper, csrf) = sign_in(&app, "keeper@example.org").await;
        let (_, list) = get(&app, "/buckinghamshire/organisations", Some(&keeper)).await;
        assert!(list.contains("href=\"/buckinghamshire/organisations/new\""));
        let form =
            format!("csrf={csrf}&name=Chiltern+Rangers&short_name=&kind=voluntary&sector=voluntary-community&parent=&ended=&note=Community+interest+company");
        let (status, location, body) = post(&app, "/buckinghamshire/organisations/new", &keeper, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some("/buckinghamshire/organisations/chiltern-rangers"));
        let (_, page) = get(&app, "/buckinghamshire/organisations/chiltern-rangers", None).await;
        assert!(page.contains("Chiltern Rangers") && page.contains("Recorded in Placeworks"), "made in the portal: its source is the record's history");
        let (status, _, body) = post(&app, "/buckinghamshire/organisations/new", &keeper, &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the same organisation twice");
        assert!(body.contains("already in the register"));

        // The fire authority cannot become part of its own fire and rescue service.
        let edit = "/buckinghamshire/organisations/buckinghamshire-and-milton-keynes-fire-authority/edit";
        let version = opened_version(&app, edit, &keeper).await;
        let looped = format!(
            "csrf={csrf}{version}&name=Buckinghamshire+%26+Milton+Keynes+Fire+Authority&short_name=Bucks+Fire+Authority&kind=fire&sector=public&parent=buckinghamshire-fire-and-rescue-service&ended="
        );
        let (status, _, body) = post(&app, edit, &keeper, &looped).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("cannot be part of itself") && body.contains("href=\"#parent\""), "{body}");
        // Ending it is a change like any other, audited.
        let ended = looped.replace("parent=buckinghamshire-fire-and-rescue-service", "parent=").replace("ended=", "ended=31%2F3%2F2027");
        let (status, _, body) = post(&app, edit, &keeper, &ended).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let o = reg.organisations.iter().find(|o| o.slug.as_str() == "buckinghamshire-and-milton-keynes-fire-authority").unwrap();
        assert_eq!(o.ended.as_ref().map(|d| d.as_str()), Some("2027-03-31"));
        assert_eq!(o.sources.len(), 2, "its sources are kept");
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert!(trail.iter().any(|e| e.action == "add-organisation" && e.record_id == "chiltern-rangers"));
        assert!(trail.iter().any(|e| e.action == "edit-organisation" && e.actor_id == "kee"));
    }
}

#[tokio::test]
async fn only_a_keeper_may_add_organisations_and_only_a_keeper_or_analyst_define_areas() {
    for (app, _db) in apps().await {
        let (secretariat, csrf) = sign_in(&app, "secretariat@example.org").await;
        for uri in ["/buckinghamshire/areas/new", "/buckinghamshire/organisations/new", "/buckinghamshire/organisations/red-kite/edit"] {
            let (status, _) = get(&app, uri, Some(&secretariat)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        }
        let (status, _, _) = post(&app, "/buckinghamshire/areas/new", &secretariat, &format!("csrf={csrf}&name=X&kind=named-set&members=Chesham+North")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, areas) = get(&app, "/buckinghamshire/areas", Some(&secretariat)).await;
        assert!(!areas.contains("/buckinghamshire/areas/new"), "no form is offered");
    }
}

#[tokio::test]
async fn a_secretariat_records_its_bodys_commitment_it_is_flagged_overdue_until_met() {
    for (app, db) in apps().await {
        let (sec, csrf) = sign_in(&app, "secretariat@example.org").await;
        let (_, board) = get(&app, "/buckinghamshire/bodies/bsp-board", Some(&sec)).await;
        let add = "/buckinghamshire/commitments/new?by=body:bsp-board";
        assert!(
            board.contains(&format!("href=\"{add}\"")),
            "the Board's secretariat is offered the form: {}",
            board.split("id=\"commitments\"").nth(1).unwrap_or("no section").chars().take(600).collect::<String>()
        );
        let text = "The+Board+will+agree+a+performance+framework+within+six+months";
        let (status, location, body) = post(&app, add, &sec, &format!("csrf={csrf}&text={text}&made=1%2F2021&due=7%2F2021&met_by=&met=")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some("/buckinghamshire/bodies/bsp-board#commitments"));
        let (_, board) = get(&app, "/buckinghamshire/bodies/bsp-board", None).await;
        let listed = board.split("id=\"commitments\"").nth(1).expect("the Board's commitments");
        assert!(listed.contains("agree a performance framework") && listed.contains("Overdue"), "{listed}");
        let (_, health) = get(&app, "/buckinghamshire/governance", None).await;
        assert!(health.contains("agree a performance framework"), "governance health flags it");
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let c = reg.commitments.iter().find(|c| c.text.contains("performance framework")).expect("stored").clone();
        assert_eq!((c.made.as_ref().map(|d| d.as_str()), c.due.as_str()), (Some("2021-01"), "2021-07"));

        // Met by a decision: no longer overdue, and the decision is linked.
        let edit = format!("/buckinghamshire/commitments/{}/edit", c.slug);
        let (status, _, body) =
            post(&app, &edit, &sec, &format!("csrf={csrf}&text={text}&made=1%2F2021&due=7%2F2021&met_by=opportunity-bucks-progress-2023&met=")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (_, health) = get(&app, "/buckinghamshire/governance", None).await;
        assert!(!health.contains("agree a performance framework"), "met, it is no longer flagged");
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let c = reg.commitments.iter().find(|x| x.slug == c.slug).unwrap();
        assert_eq!((c.met_by.as_ref().map(|s| s.as_str()), c.met.as_ref().map(|d| d.as_str())), (Some("opportunity-bucks-progress-2023"), Some("2023-11-14")));

        // Due before it was made, met by no such decision: refused, nothing written.
        let before = db.store.audit_trail("buckinghamshire").await.unwrap().len();
        let (status, _, body) = post(&app, add, &sec, &format!("csrf={csrf}&text=Something&made=5%2F2021&due=1%2F2021&met_by=no-such-decision")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("href=\"#due\"") && body.contains("href=\"#met_by\""), "{body}");
        assert_eq!(db.store.audit_trail("buckinghamshire").await.unwrap().len(), before);
        // Another body's commitments, and an organisation's, are not the Board's secretariat's to record.
        for uri in ["/buckinghamshire/commitments/new?by=body:cadex", "/buckinghamshire/commitments/new?by=organisation:buckinghamshire-council"] {
            assert_eq!(get(&app, uri, Some(&sec)).await.0, StatusCode::FORBIDDEN, "{uri}");
        }
        // The keeper records the Council's.
        let (keeper, kcsrf) = sign_in(&app, "keeper@example.org").await;
        let (status, location, _) = post(
            &app,
            "/buckinghamshire/commitments/new?by=organisation:buckinghamshire-council",
            &keeper,
            &format!("csrf={kcsrf}&text=A+report+on+local+area+working+within+a+year&made=2099&due=2100"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some("/buckinghamshire/organisations/buckinghamshire-council#commitments"));
        let (_, page) = get(&app, "/buckinghamshire/organisations/buckinghamshire-council", None).await;
        assert!(page.contains("local area working within a year") && page.contains(">Open</strong>"));
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert!(trail.iter().any(|e| e.action == "add-commitment" && e.actor_id == "sec") && trail.iter().any(|e| e.action == "edit-commitment"));
    }
}

#[tokio::test]
async fn a_keeper_corrects_a_persons_name_and_their_posts_follow_them() {
    for (app, db) in apps().await {
        let (keeper, csrf) = sign_in(&app, "keeper@example.org").await;
        let (_, page) = get(&app, "/buckinghamshire/people/sarah-ashmead", Some(&keeper)).await;
        let edit = "/buckinghamshire/people/sarah-ashmead/edit";
        assert!(page.contains(&format!("href=\"{edit}\"")), "the keeper is offered the form");
        let version = opened_version(&app, edit, &keeper).await;
        let (status, _, body) = post(&app, edit, &keeper, &format!("csrf={csrf}{version}&name=&note=")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Enter the person&#x27;s full name") || body.contains("Enter the person's full name"), "{body}");
        let (status, location, body) = post(&app, edit, &keeper, &format!("csrf={csrf}{version}&name=Sarah+J.+Ashmead&note=Deputy+Chief+Executive")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some("/buckinghamshire/people/sarah-ashmead"));
        let (_, org) = get(&app, "/buckinghamshire/organisations/buckinghamshire-council", None).await;
        assert!(org.contains("Deputy Chief Executive: Sarah J. Ashmead"), "the post names the person, so it follows the new name");
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let p = reg.people.iter().find(|p| p.slug.as_str() == "sarah-ashmead").unwrap();
        assert_eq!((p.name.as_str(), p.sources.len()), ("Sarah J. Ashmead", 1), "renamed, its source kept");
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert!(trail.iter().any(|e| e.action == "edit-person" && e.actor_id == "kee" && e.before.as_deref().is_some_and(|b| b.contains("Sarah Ashmead"))));
        // Saved from a form opened before that change: refused, not overwritten unseen.
        let (status, _, _) = post(&app, edit, &keeper, &format!("csrf={csrf}{version}&name=Sarah+Ashmead&note=")).await;
        assert_eq!(status, StatusCode::CONFLICT, "a stale form is not saved over the change");
    }
}
