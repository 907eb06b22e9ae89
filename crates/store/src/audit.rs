//! The audit trail, and the register writes that must be recorded in it.
//! Each write and its audit entry commit together or not at all.

use crate::{Store, StoreError};
use placeworks_domain::register::{Membership, Person};
use sqlx::Row;

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub id: String,
    pub council: String,
    pub at: i64,
    pub actor_id: String,
    pub actor_name: String,
    /// What was done, such as `add-membership`.
    pub action: String,
    /// The kind of record, such as `membership`.
    pub record_kind: String,
    pub record_id: String,
    /// The body the record belongs to, or empty.
    pub body: String,
    /// The record before and after, as JSON; none where it did not exist.
    pub before: Option<String>,
    pub after: Option<String>,
}

async fn append(tx: &mut sqlx::Transaction<'_, sqlx::Any>, e: &AuditEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (id, council, at, actor_id, actor_name, action, record_kind, record_id, body, before_value, after_value) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&e.id)
    .bind(&e.council)
    .bind(e.at)
    .bind(&e.actor_id)
    .bind(&e.actor_name)
    .bind(&e.action)
    .bind(&e.record_kind)
    .bind(&e.record_id)
    .bind(&e.body)
    .bind(e.before.clone())
    .bind(e.after.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Adds a membership (and any new people it names) with its audit entries,
    /// in one transaction.
    pub async fn add_membership(&self, council: &str, new_people: &[Person], m: &Membership, audit: &[AuditEntry]) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        let next = |table: &'static str| format!("SELECT COALESCE(MAX(position), -1) + 1 AS n FROM {table} WHERE council = $1");
        for p in new_people {
            let exists = sqlx::query("SELECT slug FROM people WHERE council = $1 AND slug = $2").bind(council).bind(p.slug.as_str()).fetch_optional(&mut *tx).await?;
            if exists.is_some() {
                return Err(StoreError::Conflict(format!("a person `{}` already exists", p.slug)));
            }
            let n: i64 = sqlx::query(&next("people")).bind(council).fetch_one(&mut *tx).await?.try_get("n")?;
            sqlx::query("INSERT INTO people (council, slug, position, name, note) VALUES ($1, $2, $3, $4, $5)")
                .bind(council)
                .bind(p.slug.as_str())
                .bind(n)
                .bind(&p.name)
                .bind(p.note.clone())
                .execute(&mut *tx)
                .await?;
        }
        let n: i64 = sqlx::query(&next("memberships")).bind(council).fetch_one(&mut *tx).await?.try_get("n")?;
        sqlx::query(
            "INSERT INTO memberships (council, slug, position, body, seat, person, start_date, end_date, substitutes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(council)
        .bind(m.slug.as_str())
        .bind(n)
        .bind(m.body.as_str())
        .bind(m.seat.as_str())
        .bind(m.person.as_ref().map(|p| p.to_string()))
        .bind(m.start.as_ref().map(|d| d.to_string()))
        .bind(m.end.as_ref().map(|d| d.to_string()))
        .bind(serde_json::to_string(&m.substitutes).expect("slugs serialise"))
        .execute(&mut *tx)
        .await?;
        for e in audit {
            append(&mut tx, e).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The history of one body's records, newest first.
    pub async fn body_history(&self, council: &str, body: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query("SELECT * FROM audit_log WHERE council = $1 AND body = $2 ORDER BY at DESC, id DESC")
            .bind(council)
            .bind(body)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(entry).collect()
    }

    /// The whole trail of a council, oldest first (for administrators and CSV).
    pub async fn audit_trail(&self, council: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query("SELECT * FROM audit_log WHERE council = $1 ORDER BY at, id").bind(council).fetch_all(self.pool()).await?;
        rows.iter().map(entry).collect()
    }
}

fn entry(r: &sqlx::any::AnyRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: r.try_get("id")?,
        council: r.try_get("council")?,
        at: r.try_get("at")?,
        actor_id: r.try_get("actor_id")?,
        actor_name: r.try_get("actor_name")?,
        action: r.try_get("action")?,
        record_kind: r.try_get("record_kind")?,
        record_id: r.try_get("record_id")?,
        body: r.try_get("body")?,
        before: r.try_get("before_value")?,
        after: r.try_get("after_value")?,
    })
}
