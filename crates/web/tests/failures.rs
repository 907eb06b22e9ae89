//! Failures are failures: a write the database cannot keep is never answered
//! as saved. The database lives on a small tmpfs of its own, which is filled
//! up; each write meanwhile is refused with a page that says it was not
//! saved, and after a restart exactly the acknowledged writes are there.
//! (SQLite: PostgreSQL's disk is the server's, not the portal's.)

use axum::http::StatusCode;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::permissions::Grant;
use placeworks_domain::{dataset, Slug};
use placeworks_store::testing::clock;
use placeworks_store::Store;
use placeworks_web::{router, AppState, Options};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::*;

const BSP: &str = "/buckinghamshire/bodies/bsp-board";

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Tmpfs {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir.path()).output().expect("mount");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs for the database, which needs root (scripts/test runs as root in CI): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Fills the file system with one file until it is full; returns the file.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let filler = dir.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    while f.write_all(&chunk[..512]).is_ok() {}
    let _ = f.sync_all();
    filler
}

async fn app_on(url: &str) -> axum::Router {
    let store = Store::connect(url).await.unwrap();
    router(AppState::new(store, clock()).await.unwrap(), &Options::default())
}

fn purpose_form(csrf: &str, purpose: &str, version: &str) -> String {
    format!("csrf={csrf}&name=Bucks+Strategic+Partnership+Board&kind=board&purpose={}{version}", encode(purpose))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_and_none_acknowledged_is_lost() {
    let fs = Tmpfs::mount("24m");
    let url = format!("sqlite://{}", fs.path().join("placeworks.db").display());
    {
        let store = Store::connect(&url).await.unwrap();
        store.replace_council(&dataset::read(&placeworks_builtin::buckinghamshire()).unwrap(), "1").await.unwrap();
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        let grant = ("buckinghamshire".to_owned(), Grant::Secretariat(Slug::parse("bsp-board").unwrap()));
        store.create_account("sec", "secretariat@example.org", "Sally Secretariat", &hash, &[grant], 0).await.unwrap();
    }
    let app = app_on(&url).await;
    let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
    let edit = format!("{BSP}/edit");

    // A write while there is room: saved.
    let saved = "Saved while the disk had room";
    let (status, _, body) = post(&app, &edit, &session, &purpose_form(&csrf, saved, &opened_version(&app, &edit, &session).await)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");

    // The disk fills: each write is refused, says so, and is not shown as saved.
    let filler = fill(fs.path());
    let mut refused = Vec::new();
    for i in 0..3 {
        let lost = format!("Typed when the disk was full {i}");
        let version = opened_version(&app, &edit, &session).await;
        let (status, _, body) = post(&app, &edit, &session, &purpose_form(&csrf, &lost, &version)).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "write {i} on a full disk: {body}");
        // Refused where the write is tried, or earlier, when even finding the
        // session needs the disk: either way the page says so.
        assert!(body.contains("has not been saved") && body.contains("disk is full"), "{body}");
        let (_, page) = get(&app, BSP, None).await;
        assert!(page.contains(saved) && !page.contains(&lost), "nothing unsaved is shown");
        refused.push(lost);
    }
    std::fs::remove_file(&filler).unwrap();

    // A restart finds what was acknowledged, and nothing that was refused.
    drop(app);
    let app = app_on(&url).await;
    let (_, page) = get(&app, BSP, None).await;
    assert!(page.contains(saved), "the acknowledged write survived");
    for lost in &refused {
        assert!(!page.contains(lost.as_str()), "a refused write is nowhere: {lost}");
    }
    let store = Store::connect(&url).await.unwrap();
    let edits = store.audit_trail("buckinghamshire").await.unwrap().into_iter().filter(|e| e.action == "edit-body").count();
    assert_eq!(edits, 1, "one edit acknowledged, one in the audit trail");

    // And with room again, writes are saved.
    let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
    let again = "Saved after the disk was cleared";
    let (status, _, _) = post(&app, &edit, &session, &purpose_form(&csrf, again, &opened_version(&app, &edit, &session).await)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(get(&app, BSP, None).await.1.contains(again));
}
