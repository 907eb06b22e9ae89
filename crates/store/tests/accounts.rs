//! Accounts, sessions and sign-in attempts, on SQLite and PostgreSQL.

use placeworks_domain::accounts::{new_token, token_hash, NewPassword};
use placeworks_domain::permissions::Grant;
use placeworks_domain::Slug;
use placeworks_store::testing::both;
use placeworks_store::StoreError;

fn secretariat() -> Vec<(String, Grant)> {
    vec![("buckinghamshire".into(), Grant::Secretariat(Slug::parse("bsp-board").unwrap())), ("*".into(), Grant::Analyst)]
}

#[tokio::test]
async fn an_account_keeps_its_grants_and_refuses_a_second_use_of_its_email() {
    for db in both().await {
        assert!(!db.store.has_accounts().await.unwrap());
        let hash = NewPassword::parse("a long enough password").unwrap().hash();
        db.store.create_account("a1", "officer@example.org", "An Officer", &hash, &secretariat(), 100).await.unwrap();
        assert!(db.store.has_accounts().await.unwrap());
        let a = db.store.account_by_email("officer@example.org").await.unwrap().unwrap();
        assert_eq!((a.id.as_str(), a.name.as_str(), a.disabled), ("a1", "An Officer", false));
        assert_eq!(a.password_hash, hash);
        let in_bucks = a.grants_in("buckinghamshire");
        assert!(in_bucks.contains(&Grant::Secretariat(Slug::parse("bsp-board").unwrap())) && in_bucks.contains(&Grant::Analyst));
        assert_eq!(a.grants_in("riverside"), vec![Grant::Analyst], "council-scoped grants stay in their council");
        let again = db.store.create_account("a2", "officer@example.org", "Someone Else", &hash, &[], 101).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "on {}", db.name);
        assert!(db.store.account("a2").await.unwrap().is_none(), "nothing half-written");
    }
}

#[tokio::test]
async fn sessions_expire_and_sign_out_everywhere_ends_them_all() {
    for db in both().await {
        db.store.create_account("a1", "member@example.org", "A Member", "x", &[], 0).await.unwrap();
        let (t1, t2) = (new_token(), new_token());
        db.store.create_session(&token_hash(&t1), "a1", "csrf-1", 100, 200).await.unwrap();
        db.store.create_session(&token_hash(&t2), "a1", "csrf-2", 100, 10_000).await.unwrap();
        let s = db.store.session(&token_hash(&t1), 150).await.unwrap().expect("live session");
        assert_eq!((s.account.id.as_str(), s.csrf_token.as_str()), ("a1", "csrf-1"));
        assert!(db.store.session(&token_hash(&t1), 200).await.unwrap().is_none(), "expired at its time");
        assert!(db.store.session(&t1, 150).await.unwrap().is_none(), "the raw token is not what is stored");
        assert_eq!(db.store.end_all_sessions("a1").await.unwrap(), 2);
        assert!(db.store.session(&token_hash(&t2), 150).await.unwrap().is_none(), "on {}", db.name);
    }
}

#[tokio::test]
async fn failed_sign_ins_are_counted_since_the_last_success() {
    for db in both().await {
        let who = "account:member@example.org";
        for at in [10, 11, 12] {
            db.store.record_sign_in_attempt(who, at, false).await.unwrap();
        }
        assert_eq!(db.store.failed_sign_ins_since(who, 0).await.unwrap(), 3);
        assert_eq!(db.store.failed_sign_ins_since(who, 12).await.unwrap(), 1, "only within the window");
        db.store.record_sign_in_attempt(who, 13, true).await.unwrap();
        db.store.record_sign_in_attempt(who, 14, false).await.unwrap();
        assert_eq!(db.store.failed_sign_ins_since(who, 0).await.unwrap(), 1, "a success resets the count");
        assert_eq!(db.store.failed_sign_ins_since("address:127.0.0.1", 0).await.unwrap(), 0, "on {}", db.name);
    }
}

#[tokio::test]
async fn a_reset_token_works_once_in_date_and_ends_every_session() {
    for db in both().await {
        let old = NewPassword::parse("the old long password").unwrap().hash();
        db.store.create_account("a1", "officer@example.org", "An Officer", &old, &secretariat(), 100).await.unwrap();
        db.store.create_session(&token_hash("s1"), "a1", "c", 100, 10_000).await.unwrap();
        let (first, second) = (new_token(), new_token());
        db.store.create_password_reset(&token_hash(&first), "a1", 100, 200, &[]).await.unwrap();
        db.store.create_password_reset(&token_hash(&second), "a1", 110, 200, &[]).await.unwrap();
        assert!(db.store.password_reset_account(&token_hash(&first), 120).await.unwrap().is_none(), "a newer token voids the older");
        assert_eq!(db.store.password_reset_account(&token_hash(&second), 120).await.unwrap().unwrap().id, "a1");
        assert!(db.store.password_reset_account(&token_hash(&second), 200).await.unwrap().is_none(), "out of date at its expiry");
        let new = NewPassword::parse("a brand new long password").unwrap().hash();
        assert_eq!(db.store.reset_password(&token_hash(&first), &new, 120).await.unwrap(), None);
        assert_eq!(db.store.account("a1").await.unwrap().unwrap().password_hash, old, "a void token changes nothing");
        assert_eq!(db.store.reset_password(&token_hash(&second), &new, 120).await.unwrap().as_deref(), Some("a1"));
        assert_eq!(db.store.account("a1").await.unwrap().unwrap().password_hash, new);
        assert!(db.store.session(&token_hash("s1"), 130).await.unwrap().is_none(), "every session ended");
        assert_eq!(db.store.reset_password(&token_hash(&second), &old, 130).await.unwrap(), None, "a token works once, on {}", db.name);
    }
}
