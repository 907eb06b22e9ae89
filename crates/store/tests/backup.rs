//! Backing up a live SQLite database while it takes writes, and restoring it.

use placeworks_domain::change::Write;
use placeworks_domain::dataset::{self, DatasetFiles};
use placeworks_domain::records::Membership;
use placeworks_domain::Slug;
use placeworks_store::testing::sqlite;
use placeworks_store::{check_backup, AuditEntry, Store};
use std::path::Path;

fn riverside() -> placeworks_domain::Register {
    let files = DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
    dataset::read(&files).unwrap()
}

fn membership(n: usize) -> (Membership, AuditEntry) {
    let m = Membership {
        slug: Slug::parse(&format!("m-{n}")).unwrap(),
        body: Slug::parse("riverside-partnership-board").unwrap(),
        seat: Slug::parse("riverside-cvs").unwrap(),
        person: Some(Slug::parse("sam-patel").unwrap()),
        start: None,
        end: None,
        substitutes: vec![],
        exempt: None,
    };
    let e = AuditEntry {
        id: format!("audit-{n}"),
        council: "riverside".into(),
        at: n as i64,
        actor_id: "test".into(),
        actor_name: "Test".into(),
        action: "add-membership".into(),
        record_kind: "membership".into(),
        record_id: m.slug.to_string(),
        body: "riverside-partnership-board".into(),
        before: None,
        after: Some("{}".into()),
    };
    (m, e)
}

#[tokio::test]
async fn a_backup_taken_during_writes_is_consistent_and_restores_to_an_identical_record() {
    let db = sqlite().await;
    db.store.replace_council(&riverside(), "1").await.unwrap();
    const WRITES: usize = 500;
    let writer = db.store.clone();
    let (started, under_way) = tokio::sync::oneshot::channel();
    let writes = tokio::spawn(async move {
        let mut started = Some(started);
        for n in 0..WRITES {
            let (m, e) = membership(n);
            writer.apply("riverside", &[Write::PutMembership(m)], &[e]).await.unwrap();
            if n == 9 {
                let _ = started.take().map(|s| s.send(()));
            }
            tokio::task::yield_now().await;
        }
    });
    under_way.await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    db.store.backup_to(&file).await.unwrap();
    writes.await.unwrap();

    let backup = check_backup(&file).await.unwrap();
    let reg = backup.register("riverside").await.unwrap().expect("the council is in the backup");
    let trail = backup.audit_trail("riverside").await.unwrap();
    // One snapshot: every membership arrived with its audit entry, or neither did.
    let added = reg.memberships.iter().filter(|m| m.slug.as_str().starts_with("m-")).count();
    assert_eq!(added, trail.len(), "memberships and audit entries from one moment");
    assert!((10..WRITES).contains(&added), "the backup was taken while writes were under way ({added} of {WRITES})");

    // Restore into a new database: the same record, field for field.
    let restored_path = dir.path().join("restored.db");
    backup.backup_to(&restored_path).await.unwrap();
    let restored = Store::connect(&format!("sqlite://{}", restored_path.display())).await.unwrap();
    assert_eq!(restored.register("riverside").await.unwrap().unwrap(), reg);
    assert_eq!(restored.audit_trail("riverside").await.unwrap(), trail);

    assert!(db.store.backup_to(&file).await.is_err(), "an existing backup is never overwritten");
}

#[tokio::test]
async fn a_file_that_is_not_a_placeworks_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just some words").unwrap();
    let err = check_backup(&text).await.err().unwrap().to_string();
    assert!(err.contains("is not an SQLite database"), "{err}");
    let other = dir.path().join("other.db");
    let other_store = Store::connect_read_only(&other).await;
    assert!(other_store.is_err(), "a missing file cannot be opened read-only");
    assert!(check_backup(&dir.path().join("missing.db")).await.is_err());
}
