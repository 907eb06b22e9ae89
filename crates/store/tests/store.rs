//! The store's story, told on SQLite and on PostgreSQL alike.

use placeworks_domain::dataset::{self, DatasetFiles};
use placeworks_domain::Register;
use placeworks_store::testing::{both, postgres, sqlite};
use placeworks_store::{Store, StoreError};
use std::path::Path;

fn buckinghamshire() -> Register {
    dataset::read(&placeworks_builtin::buckinghamshire()).expect("built-in dataset")
}

fn riverside() -> Register {
    let files = DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
    dataset::read(&files).expect("example dataset")
}

#[tokio::test]
async fn a_register_reads_back_exactly_as_it_was_stored() {
    for db in both().await {
        let reg = buckinghamshire();
        assert!(db.store.is_empty().await.unwrap());
        db.store.replace_council(&reg, "1").await.unwrap();
        let back = db.store.register("buckinghamshire").await.unwrap().expect("stored council");
        assert_eq!(back, reg, "round trip on {}", db.name);
        assert!(!db.store.is_empty().await.unwrap());
    }
}

#[tokio::test]
async fn loading_a_second_council_does_not_touch_the_first() {
    for db in both().await {
        db.store.replace_council(&buckinghamshire(), "1").await.unwrap();
        let before = db.store.register("buckinghamshire").await.unwrap();
        db.store.replace_council(&riverside(), "2").await.unwrap();
        // And replacing the second again leaves the first as it was.
        db.store.replace_council(&riverside(), "3").await.unwrap();
        assert_eq!(db.store.register("buckinghamshire").await.unwrap(), before, "on {}", db.name);
        assert_eq!(db.store.register("riverside").await.unwrap().unwrap(), riverside());
        let slugs: Vec<String> = db.store.councils().await.unwrap().into_iter().map(|c| c.slug).collect();
        assert_eq!(slugs, ["buckinghamshire", "riverside"]);
    }
}

#[tokio::test]
async fn loading_again_replaces_the_council_rather_than_adding_to_it() {
    for db in both().await {
        db.store.replace_council(&riverside(), "1").await.unwrap();
        let mut changed = riverside();
        changed.bodies.pop();
        changed.seats.retain(|s| s.body.as_str() != "riverside-delivery-group");
        changed.relations.clear();
        db.store.replace_council(&changed, "2").await.unwrap();
        let back = db.store.register("riverside").await.unwrap().unwrap();
        assert_eq!(back.bodies.len(), 1, "on {}", db.name);
        assert_eq!(back, changed);
    }
}

#[tokio::test]
async fn a_load_that_fails_half_way_leaves_the_old_register_whole() {
    for db in both().await {
        db.store.replace_council(&riverside(), "1").await.unwrap();
        // Two areas with one code break the primary key after the bodies and
        // seats are already written: the transaction must roll all of it back.
        let mut broken = riverside();
        broken.bodies[0].name = "Renamed".into();
        let dup = broken.areas[0].clone();
        broken.areas.push(dup);
        let err = db.store.replace_council(&broken, "2").await;
        assert!(matches!(err, Err(StoreError::Database(_))), "on {}: {err:?}", db.name);
        assert_eq!(db.store.register("riverside").await.unwrap().unwrap(), riverside(), "on {}", db.name);
    }
}

#[tokio::test]
async fn removing_a_council_removes_every_row_it_held() {
    for db in both().await {
        db.store.replace_council(&riverside(), "1").await.unwrap();
        db.store.replace_council(&buckinghamshire(), "1").await.unwrap();
        assert!(db.store.remove_council("riverside").await.unwrap());
        assert!(db.store.register("riverside").await.unwrap().is_none());
        assert!(db.store.register("buckinghamshire").await.unwrap().is_some());
        assert!(!db.store.remove_council("riverside").await.unwrap());
    }
}

#[tokio::test]
async fn both_engines_have_the_same_schema() {
    let sqlite = sqlite().await.store.schema().await.unwrap();
    assert!(sqlite.iter().any(|c| c == "bodies.slug text not null"), "{sqlite:#?}");
    assert!(sqlite.iter().any(|c| c == "bodies.purpose text null"));
    let Some(pg) = postgres().await else { return };
    let pg = pg.store.schema().await.unwrap();
    assert_eq!(sqlite, pg);
}

#[tokio::test]
async fn migrations_run_once_and_again_harmlessly() {
    for db in both().await {
        db.store.replace_council(&riverside(), "1").await.unwrap();
        // Connecting again runs the migrator again: nothing changes.
        let again = Store::connect(&db.url).await.unwrap();
        assert_eq!(again.register("riverside").await.unwrap().unwrap(), riverside());
        again.ping().await.unwrap();
    }
}

#[tokio::test]
async fn an_unreachable_server_fails_with_one_clear_line() {
    // Nothing listens on port 9 of the loopback address.
    let err = Store::connect("postgres://placeworks:secret@127.0.0.1:9/placeworks").await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StoreError::Unreachable { .. }));
    assert!(text.starts_with("cannot connect to the database at postgres://placeworks:***@127.0.0.1:9/placeworks"), "{text}");
    assert!(!text.contains("secret") && !text.contains('\n'), "{text}");
    let err = Store::connect("mysql://localhost/x").await.unwrap_err();
    assert!(err.to_string().contains("sqlite://FILE or postgres://"), "{err}");
}

#[tokio::test]
async fn a_change_is_written_whole_in_place_or_not_at_all() {
    use placeworks_domain::change::Write;
    use placeworks_domain::visibility::Exemption;
    use placeworks_store::AuditEntry;
    for db in both().await {
        let reg = riverside();
        db.store.replace_council(&reg, "1").await.unwrap();
        let entry = |id: &str| AuditEntry {
            id: id.into(),
            council: "riverside".into(),
            at: 1,
            actor_id: "t".into(),
            actor_name: "Test".into(),
            action: "edit-body".into(),
            record_kind: "body".into(),
            record_id: "riverside-partnership-board".into(),
            body: "riverside-partnership-board".into(),
            before: None,
            after: None,
        };
        // A changed body keeps its place in the register, and its exemption.
        let mut body = reg.bodies[0].clone();
        body.purpose = Some("Changed".into());
        body.exempt = Some(Exemption::paragraph(1).unwrap());
        db.store.apply("riverside", &[Write::PutBody(Box::new(body.clone()))], &[entry("a")]).await.unwrap();
        let back = db.store.register("riverside").await.unwrap().unwrap();
        assert_eq!(back.bodies[0], body);
        assert_eq!(back.bodies.len(), reg.bodies.len());

        // A change whose second write fails leaves nothing of the first, nor its audit entry.
        let mut body2 = body.clone();
        body2.purpose = Some("Never stored".into());
        let existing = reg.people[0].clone();
        let failed = db.store.apply("riverside", &[Write::PutBody(Box::new(body2)), Write::AddPerson(existing)], &[entry("b")]).await;
        assert!(matches!(failed, Err(StoreError::Conflict(_))), "{failed:?}");
        let back = db.store.register("riverside").await.unwrap().unwrap();
        assert_eq!(back.bodies[0].purpose.as_deref(), Some("Changed"), "on {}", db.name);
        assert_eq!(db.store.audit_trail("riverside").await.unwrap().len(), 1);
        let missing = Write::RemoveRelation { kind: placeworks_domain::records::RelationKind::LinksWith, from: body.slug.clone(), to: body.slug.clone() };
        assert!(matches!(db.store.apply("riverside", &[missing], &[]).await, Err(StoreError::Conflict(_))));
        assert!(matches!(db.store.apply("nowhere", &[], &[]).await, Err(StoreError::Conflict(_))));
    }
}

#[tokio::test]
async fn a_decision_is_kept_in_typed_columns_and_rows_of_its_parts() {
    use placeworks_domain::change::Write;
    use placeworks_domain::records::{Ratification, RatificationStatus, Reached};
    use placeworks_domain::Slug;
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    for db in both().await {
        let reg = buckinghamshire();
        db.store.replace_council(&reg, "1").await.unwrap();
        // Every part of a decision set, and none of it lost on the way back.
        let mut d = reg.decisions[0].clone();
        d.key_decision = Some(false);
        d.reached = Some(Reached::Vote { r#for: 7, against: 2, abstaining: 1 });
        d.forthcoming = false;
        d.notified = Some(day("2023-05-01"));
        d.beyond_delegation = true;
        d.documents = vec!["Report to Cabinet".into(), "Appendix A".into()];
        d.ratifications = vec![
            Ratification {
                organisation: Slug::parse("thames-valley-police").unwrap(),
                requested: day("2023-07-01"),
                status: RatificationStatus::Pending,
                answered: None,
                minute: None,
            },
            Ratification {
                organisation: Slug::parse("buckinghamshire-council").unwrap(),
                requested: day("2023-07-01"),
                status: RatificationStatus::Ratified,
                answered: Some(day("2023-07-20")),
                minute: Some("CAB/23/14".into()),
            },
        ];
        db.store.apply("buckinghamshire", &[Write::PutDecision(d.clone())], &[]).await.unwrap();
        let back = db.store.register("buckinghamshire").await.unwrap().unwrap();
        assert_eq!(back.decisions[0], d, "on {}", db.name);
        assert_eq!(back.decisions.len(), reg.decisions.len(), "replaced, not added, on {}", db.name);

        // What an analyst reads with plain SQL: no JSON to decode.
        sqlx::any::install_default_drivers();
        let pool = &sqlx::AnyPool::connect(&db.url).await.unwrap();
        let slug = d.slug.as_str();
        let row = sqlx::query(
            "SELECT title, votes_for, votes_against, reached, CAST(notified AS TEXT) AS notified, CAST(CASE WHEN beyond_delegation THEN 1 ELSE 0 END AS BIGINT) AS beyond \
             FROM decisions WHERE council = 'buckinghamshire' AND slug = $1",
        )
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap();
        use sqlx::Row;
        assert_eq!(row.get::<String, _>("title"), d.title);
        assert_eq!((row.get::<i64, _>("votes_for"), row.get::<i64, _>("votes_against")), (7, 2));
        assert_eq!(row.get::<String, _>("reached"), "vote");
        assert_eq!(row.get::<String, _>("notified"), "2023-05-01");
        assert_eq!(row.get::<i64, _>("beyond"), 1);
        let answered: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT organisation, status, CAST(answered AS TEXT) AS answered FROM ratifications WHERE decision = $1 ORDER BY position")
                .bind(slug)
                .fetch_all(pool)
                .await
                .unwrap();
        assert_eq!(
            answered,
            [("thames-valley-police".into(), "pending".into(), None), ("buckinghamshire-council".into(), "ratified".into(), Some("2023-07-20".into()))]
        );
        let (resolutions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM resolutions WHERE decision = $1").bind(slug).fetch_one(pool).await.unwrap();
        assert_eq!(resolutions as usize, d.resolutions.len());
        let documents: Vec<(String,)> = sqlx::query_as("SELECT value FROM decision_lists WHERE decision = $1 AND list = 'document' ORDER BY position")
            .bind(slug)
            .fetch_all(pool)
            .await
            .unwrap();
        assert_eq!(documents, [("Report to Cabinet".to_owned(),), ("Appendix A".to_owned(),)]);
        // Dates in the engine's own type: DATE in PostgreSQL, and declared so in SQLite.
        let schema = db.store.schema().await.unwrap();
        for column in ["decisions.notified date null", "ratifications.requested date not null", "ratifications.answered date null"] {
            assert!(schema.iter().any(|c| c == column), "{column} on {}", db.name);
        }
        // The audit trail's times, readable as times: the database makes them from the seconds written.
        let entry = placeworks_store::AuditEntry {
            id: placeworks_store::AuditEntry::new_id(),
            council: "buckinghamshire".into(),
            at: 1_796_322_542,
            actor_id: "a".into(),
            actor_name: "An officer".into(),
            action: "edit-decision".into(),
            record_kind: "decision".into(),
            record_id: slug.into(),
            body: d.body.to_string(),
            before: None,
            after: None,
        };
        db.store.apply("buckinghamshire", &[], std::slice::from_ref(&entry)).await.unwrap();
        let (at,): (String,) = sqlx::query_as("SELECT CAST(at_utc AS TEXT) FROM audit_log WHERE id = $1").bind(&entry.id).fetch_one(pool).await.unwrap();
        assert!(at == "2026-12-03T18:29:02Z" || at == "2026-12-03 18:29:02+00", "{at} on {}", db.name);
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert_eq!(trail.last().map(|e| e.at), Some(entry.at), "the trail still reads back on {}", db.name);
        // A status the domain does not have is refused by the database itself.
        let wrong = sqlx::query("UPDATE ratifications SET status = 'maybe' WHERE decision = $1").bind(slug).execute(pool).await;
        assert!(wrong.is_err(), "the CHECK holds on {}", db.name);
    }
}

/// A serving store copies SQLite's write-ahead log back into the database in
/// the background, so no write waits while its own commit does it: after a
/// load, the log's pages reach the database file within a few ticks, where
/// without the checkpointer they stay in the log.
#[tokio::test]
async fn the_write_ahead_log_is_copied_back_in_the_background() {
    let db = sqlite().await;
    let file = db.url.trim_start_matches("sqlite://").to_owned();
    let size = |p: &str| std::fs::metadata(p).map_or(0, |m| m.len());
    db.store.replace_council(&buckinghamshire(), "1").await.unwrap();
    let (before, log) = (size(&file), size(&format!("{file}-wal")));
    assert!(log > 1_000_000, "the load is in the log ({log} bytes), not yet in the database");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(size(&file), before, "nothing copies it back on its own");
    let task = db.store.checkpoint_in_background(std::time::Duration::from_millis(50)).expect("a checkpointer for an SQLite file");
    let mut after = before;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        after = size(&file);
        if after > before + log / 2 {
            break;
        }
    }
    assert!(after > before + log / 2, "the database grew by the log's pages: {before} to {after} bytes, with {log} in the log");
    task.abort();
    let Some(pg) = postgres().await else { return };
    assert!(pg.store.checkpoint_in_background(std::time::Duration::from_millis(50)).is_none(), "PostgreSQL keeps its own log");
}
