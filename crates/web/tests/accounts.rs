//! Accounts on the web: an administrator creates accounts, gives and takes
//! away roles, disables and enables them and makes reset links, each kept in
//! the audit trail; on SQLite and PostgreSQL.

mod common;

use axum::http::StatusCode;
use common::*;
use placeworks_domain::permissions::Grant;
use placeworks_store::testing::both;
use placeworks_web::{router, AppState, Options};

#[tokio::test]
async fn an_administrator_manages_accounts_on_the_web_and_every_change_is_audited() {
    for db in both().await {
        buckinghamshire_with_secretariat(&db).await;
        let hash = placeworks_domain::accounts::NewPassword::parse(PASSWORD).unwrap().hash();
        db.store.create_account("adm", "admin@example.org", "Ada Admin", &hash, &[("*".into(), Grant::Administrator)], 0).await.unwrap();
        let state = AppState::new(db.store.clone(), placeworks_store::testing::clock()).await.unwrap();
        let app = router(state, &Options::default());

        // Only administrators: the secretariat is refused.
        let (sec, _) = sign_in(&app, "secretariat@example.org").await;
        assert_eq!(get(&app, "/accounts/new", Some(&sec)).await.0, StatusCode::FORBIDDEN);
        let (admin, csrf) = sign_in(&app, "admin@example.org").await;
        let (status, list) = get(&app, "/accounts", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.contains("href=\"/accounts/new\""));

        // Mistakes are named at their fields, and nothing is made.
        let (status, _, page) = post(&app, "/accounts/new", &admin, &format!("csrf={csrf}&name=&email=not-an-email&role=secretariat&body=")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        for (field, words) in
            [("name", "Enter the person"), ("email", "Enter an email address in the correct format"), ("body", "Select the body the role is for")]
        {
            assert!(page.contains(&format!("href=\"#{field}\"")) && page.contains(words), "{field}: {words}");
        }
        let (status, _, page) =
            post(&app, "/accounts/new", &admin, &format!("csrf={csrf}&name=Someone&email=secretariat%40example.org&role=administrator&body=")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("There is already an account for secretariat@example.org"));
        assert_eq!(db.store.accounts().await.unwrap().len(), 2);

        // An account made with a role, and the link its holder chooses a password with.
        let form = format!("csrf={csrf}&name=Priya+Patel&email=Priya%40Example.org&role=secretariat&body=buckinghamshire%2Fcadex");
        let (status, _, made) = post(&app, "/accounts/new", &admin, &form).await;
        assert_eq!(status, StatusCode::OK, "{made}");
        assert!(made.contains("Account created"));
        let link = value_after(&made, "readonly value=\"").replace("&#x2f;", "/");
        let path = format!("/reset-password/{}", link.rsplit('/').next().unwrap());
        let account = db.store.account_by_email("priya@example.org").await.unwrap().expect("the account is made");
        assert_eq!(account.grants, [("buckinghamshire".to_owned(), Grant::Secretariat(placeworks_domain::Slug::parse("cadex").unwrap()))]);
        let (_, chosen) = get(&app, &path, None).await;
        let reset_csrf = value_after(&chosen, "name=\"csrf\" value=\"").to_owned();
        let pw = PASSWORD.replace(' ', "+");
        let (status, _, _, _) =
            send(&app, req("POST", &path, Some(&format!("pw_csrf={reset_csrf}")), Some(&format!("password={pw}&confirm={pw}&csrf={reset_csrf}")))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "the holder chooses a password");
        let (priya, _) = sign_in(&app, "priya@example.org").await;
        assert_eq!(get(&app, "/buckinghamshire/bodies/cadex/manage", Some(&priya)).await.0, StatusCode::OK, "and keeps CADEX");
        let mine = get(&app, "/account", Some(&priya)).await.1.replace("&#x2f;", "/");
        assert!(mine.contains("Your bodies") && mine.contains("href=\"/buckinghamshire/bodies/cadex/manage\""), "the account page leads to the body");

        // A role given, then taken away.
        let at = format!("/accounts/{}", account.id);
        let (status, to, cookies, _) =
            send(&app, req("POST", &format!("{at}/roles"), Some(&admin), Some(&format!("csrf={csrf}&role=member&body=buckinghamshire%2Fbsp-board")))).await;
        assert_eq!((status, to.as_deref()), (StatusCode::SEE_OTHER, Some(at.as_str())));
        let saved = cookies.iter().find(|c| c.starts_with("pw_saved=")).expect("a confirmation to show").split(';').next().unwrap().to_owned();
        let (_, page) = get(&app, &at, Some(&format!("{admin}; {saved}"))).await;
        assert!(page.contains("The role has been given") && page.contains("Member of Bucks Strategic Partnership Board (Buckinghamshire)"), "{page}");
        let (status, _, _) = post(&app, &format!("{at}/roles/remove"), &admin, &format!("csrf={csrf}&role=member%3Absp-board&council=buckinghamshire")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(db.store.account(&account.id).await.unwrap().unwrap().grants.len(), 1);

        // Disabled: signed out at once and cannot sign in; enabled again.
        let (status, _, _) = post(&app, &format!("{at}/disable"), &admin, &format!("csrf={csrf}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(get(&app, "/buckinghamshire/bodies/cadex/manage", Some(&priya)).await.0, StatusCode::SEE_OTHER, "the session ended");
        assert!(db.store.account(&account.id).await.unwrap().unwrap().disabled);
        post(&app, &format!("{at}/enable"), &admin, &format!("csrf={csrf}")).await;
        assert!(!db.store.account(&account.id).await.unwrap().unwrap().disabled);
        // An administrator cannot lock themselves out.
        let (status, _, page) = post(&app, "/accounts/adm/disable", &admin, &format!("csrf={csrf}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("You cannot disable your own account"));
        let (status, _, _) = post(&app, "/accounts/adm/roles/remove", &admin, &format!("csrf={csrf}&role=administrator&council=*")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // A forged form changes nothing.
        assert_eq!(post(&app, &format!("{at}/disable"), &admin, "csrf=forged").await.0, StatusCode::FORBIDDEN);
        assert!(!db.store.account(&account.id).await.unwrap().unwrap().disabled);

        // Every change is in the trail, by whom, and on the accounts page.
        let trail = db.store.account_trail(50).await.unwrap();
        let actions: Vec<&str> = trail.iter().rev().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create-account", "create-reset-link", "add-role", "remove-role", "disable-account", "enable-account"], "on {}", db.name);
        assert!(trail.iter().all(|e| e.actor_name == "Ada Admin" && e.record_id == account.id));
        let (_, list) = get(&app, "/accounts", Some(&admin)).await;
        assert!(list.contains("Changes to accounts") && list.contains("Disable account") && list.contains("priya@example.org"));
    }
}

#[tokio::test]
async fn the_audit_trail_filters_by_body_person_and_day_and_still_downloads_whole() {
    for db in both().await {
        buckinghamshire_with_secretariat(&db).await;
        let hash = placeworks_domain::accounts::NewPassword::parse(PASSWORD).unwrap().hash();
        db.store.create_account("adm", "admin@example.org", "Ada Admin", &hash, &[("*".into(), Grant::Administrator)], 0).await.unwrap();
        let clock = placeworks_store::testing::bsp_era_clock();
        let today = clock.today();
        let state = AppState::new(db.store.clone(), clock).await.unwrap();
        let app = router(state, &Options::default());
        let (admin, csrf) = sign_in(&app, "admin@example.org").await;
        for (body, seat, person) in [
            ("bsp-board", "voluntary-impact", "Jo+Bloggs"),
            ("cadex", "chief-executive-wycombe-district-council", "Kim+Lee"),
            ("bsp-board", "encompass", "Ash+Khan"),
        ] {
            let (status, _, page) =
                post(&app, &format!("/buckinghamshire/bodies/{body}/members/new"), &admin, &format!("csrf={csrf}&seat={seat}&person={person}")).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{body}: {page}");
        }
        let rows = |page: &str| page.matches("<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">").count();
        let (_, all) = get(&app, "/buckinghamshire/audit", Some(&admin)).await;
        assert_eq!(rows(&all), 3);
        let (_, bsp) = get(&app, "/buckinghamshire/audit?body=bsp-board", Some(&admin)).await;
        assert_eq!(rows(&bsp), 2, "two changes to the BSP Board");
        assert!(bsp.contains("2 of 3 changes match"));
        let (_, kim) = get(&app, "/buckinghamshire/audit?person=kim", Some(&admin)).await;
        assert_eq!(rows(&kim), 1, "one change names Kim Lee");
        assert!(kim.contains("Kim Lee") && !kim.contains("Jo Bloggs"));
        let (_, by) = get(&app, "/buckinghamshire/audit?who=adm", Some(&admin)).await;
        assert_eq!(rows(&by), 3);
        let tomorrow = (today + chrono::Days::new(1)).format("%d/%m/%Y").to_string();
        let (_, later) = get(&app, &format!("/buckinghamshire/audit?from={}", tomorrow.replace('/', "%2F")), Some(&admin)).await;
        assert_eq!(rows(&later), 0, "nothing from tomorrow on");
        let (_, upto) = get(&app, &format!("/buckinghamshire/audit?to={}", today.format("%Y-%m-%d")), Some(&admin)).await;
        assert_eq!(rows(&upto), 3, "everything up to today");
        let (status, bad) = get(&app, "/buckinghamshire/audit?from=last+tuesday", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(bad.contains("href=\"#from\"") && bad.contains("The first day must be a real date"));
        // The download is the whole trail, whatever the page was filtered by.
        let (_, csv) = get(&app, "/buckinghamshire/audit?format=csv&body=cadex", Some(&admin)).await;
        assert_eq!(csv.lines().count(), 4, "a header and three changes: {csv}");
    }
}

#[tokio::test]
async fn two_administrators_at_once_make_one_account_for_an_email_and_both_roles_are_kept() {
    for db in both().await {
        buckinghamshire_with_secretariat(&db).await;
        let hash = placeworks_domain::accounts::NewPassword::parse(PASSWORD).unwrap().hash();
        for (id, email) in [("adm", "admin@example.org"), ("adm2", "second@example.org")] {
            db.store.create_account(id, email, "An Admin", &hash, &[("*".into(), Grant::Administrator)], 0).await.unwrap();
        }
        let state = AppState::new(db.store.clone(), placeworks_store::testing::clock()).await.unwrap();
        let app = router(state, &Options::default());
        let (a, a_csrf) = sign_in(&app, "admin@example.org").await;
        let (b, b_csrf) = sign_in(&app, "second@example.org").await;
        // Both create an account for the same person at the same moment.
        let form = |csrf: &str| format!("csrf={csrf}&name=Pat+Same&email=pat%40example.org&role=member&body=buckinghamshire%2Fcadex");
        let (fa, fb) = (form(&a_csrf), form(&b_csrf));
        let (one, two) = tokio::join!(post(&app, "/accounts/new", &a, &fa), post(&app, "/accounts/new", &b, &fb));
        let mut statuses = [one.0, two.0];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY], "one is made, the other told why, on {}", db.name);
        let refused = if one.0 == StatusCode::OK { &two.2 } else { &one.2 };
        assert!(refused.contains("There is already an account for pat@example.org"), "{refused}");
        let pat = db.store.account_by_email("pat@example.org").await.unwrap().expect("one account");
        let made = db.store.account_trail(50).await.unwrap().into_iter().filter(|e| e.action == "create-account").count();
        assert_eq!(made, 1, "one creation in the trail");
        // Both give it a different role at once: both are kept.
        let at = format!("/accounts/{}/roles", pat.id);
        let (ra, rb) =
            (format!("csrf={a_csrf}&role=member&body=buckinghamshire%2Fbsp-board"), format!("csrf={b_csrf}&role=secretariat&body=buckinghamshire%2Fcadex"));
        let (x, y) = tokio::join!(post(&app, &at, &a, &ra), post(&app, &at, &b, &rb));
        assert_eq!((x.0, y.0), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER));
        assert_eq!(db.store.account(&pat.id).await.unwrap().unwrap().grants.len(), 3, "the first role and both new ones, on {}", db.name);
    }
}
