//! What the SQL migrations cannot do alone, done in Rust when the store
//! opens, after them: moving data out of the JSON records that earlier
//! releases kept it in, into the rows that migrations made for it. Each step
//! finds nothing to do once done, and is safe with two servers starting at
//! once (each record is claimed by the update that rewrites it).

use crate::decisions::insert_decision;
use crate::meetings::{delete_meeting_parts, insert_agenda_item, insert_attendance};
use crate::StoreError;
use placeworks_domain::records::{Decision, Meeting};
use sqlx::{AnyPool, Row};

/// Moves agenda items, papers and attendance out of meetings' records
/// (before migrations 0010 and 0011 they were kept inside them) into
/// `agenda_items`, `papers` and `attendance`. Returns how many meetings were moved.
pub(crate) async fn move_agendas_out_of_records(pool: &AnyPool) -> Result<usize, StoreError> {
    const HOLDS_ITEMS: &str = "(record LIKE '%\"items\":%' OR record LIKE '%\"attendance\":%')";
    let rows = sqlx::query(&format!("SELECT council, slug, record FROM meetings WHERE {HOLDS_ITEMS}")).fetch_all(pool).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut tx = pool.begin().await?;
    let mut moved = 0;
    for r in rows {
        let (council, slug, record): (String, String, String) = (r.try_get("council")?, r.try_get("slug")?, r.try_get("record")?);
        let m: Meeting = serde_json::from_str(&record).map_err(|e| StoreError::Corrupt(format!("meeting {council}/{slug}: {e}")))?;
        let bare = Meeting { items: Vec::new(), attendance: Vec::new(), ..m.clone() };
        let bare = serde_json::to_string(&bare).expect("a meeting serialises");
        let claimed = sqlx::query(&format!("UPDATE meetings SET record = $3 WHERE council = $1 AND slug = $2 AND {HOLDS_ITEMS}"))
            .bind(&council)
            .bind(&slug)
            .bind(&bare)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if claimed == 0 {
            continue; // Another server moved it first.
        }
        delete_meeting_parts(&mut tx, &council, &slug).await?;
        for (i, item) in m.items.iter().enumerate() {
            insert_agenda_item(&mut tx, &council, &slug, i as i64, item).await?;
        }
        for (i, a) in m.attendance.iter().enumerate() {
            insert_attendance(&mut tx, &council, &slug, i as i64, a).await?;
        }
        moved += 1;
    }
    tx.commit().await?;
    if moved > 0 {
        tracing::info!(meetings = moved, "moved agenda items, papers and attendance out of meetings' records into their own rows");
    }
    Ok(moved)
}

/// Moves decisions out of their JSON records (before migration 0012 each
/// was kept whole in `record`) into typed columns and the rows of their
/// parts. Returns how many decisions were moved.
pub(crate) async fn move_decisions_out_of_records(pool: &AnyPool) -> Result<usize, StoreError> {
    let rows = sqlx::query("SELECT council, slug, position, record FROM decisions WHERE record <> '{}'").fetch_all(pool).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut tx = pool.begin().await?;
    let mut moved = 0;
    for r in rows {
        let (council, slug, position, record): (String, String, i64, String) =
            (r.try_get("council")?, r.try_get("slug")?, r.try_get("position")?, r.try_get("record")?);
        let d: Decision = serde_json::from_str(&record).map_err(|e| StoreError::Corrupt(format!("decision {council}/{slug}: {e}")))?;
        // Claimed by the delete: a server that moved it first leaves nothing to delete.
        let claimed = sqlx::query("DELETE FROM decisions WHERE council = $1 AND slug = $2 AND record <> '{}'")
            .bind(&council)
            .bind(&slug)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if claimed == 0 {
            continue;
        }
        insert_decision(&mut tx, &council, position, &d).await?;
        moved += 1;
    }
    tx.commit().await?;
    if moved > 0 {
        tracing::info!(decisions = moved, "moved decisions out of their records into typed columns and rows of their own");
    }
    Ok(moved)
}
