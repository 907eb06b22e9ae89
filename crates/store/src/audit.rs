//! The audit trail, and the register writes that must be recorded in it.
//! Each write and its audit entry commit together or not at all.

use crate::register::{corrupt, insert_body, insert_indicator, insert_membership, insert_person, insert_post, insert_relation, insert_seat, insert_values};
use crate::{Store, StoreError};
use placeworks_domain::change::Write;
use placeworks_domain::records::{Indicator, IndicatorValue};
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

impl AuditEntry {
    /// A fresh entry id that sorts in the order entries are made: the time in
    /// nanoseconds, then randomness, so entries made in the same second still
    /// read back in order.
    pub fn new_id() -> String {
        use std::sync::atomic::{AtomicU64, Ordering};
        static LAST: AtomicU64 = AtomicU64::new(0);
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
        let prev = LAST.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| Some(now.max(last + 1))).expect("always Some");
        let n = now.max(prev + 1);
        format!("{n:016x}{}", &placeworks_domain::accounts::new_token()[..8])
    }
}

pub(crate) async fn append(tx: &mut sqlx::AnyConnection, e: &AuditEntry, council_version: Option<i64>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (id, council, at, actor_id, actor_name, action, record_kind, record_id, body, before_value, after_value, council_version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
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
    .bind(council_version)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Refuses a write to a part of a meeting that is not recorded.
async fn meeting_exists(tx: &mut sqlx::AnyConnection, council: &str, meeting: &str) -> Result<(), StoreError> {
    let exists = sqlx::query("SELECT slug FROM meetings WHERE council = $1 AND slug = $2").bind(council).bind(meeting).fetch_optional(&mut *tx).await?;
    match exists {
        Some(_) => Ok(()),
        None => Err(StoreError::Conflict(format!("there is no meeting `{meeting}` to add to"))),
    }
}

/// Takes away the rows of `table` belonging to one meeting whose `column` is `key`.
async fn delete_meeting_child(tx: &mut sqlx::AnyConnection, table: &str, column: &str, council: &str, meeting: &str, key: &str) -> Result<(), StoreError> {
    sqlx::query(&format!("DELETE FROM {table} WHERE council = $1 AND meeting = $2 AND {column} = $3"))
        .bind(council)
        .bind(meeting)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Where a record sits in its table: its old position when it is being
/// replaced (the old row is deleted, with whatever hangs from it), or the
/// next free one when it is new, counted among the rows that share its first
/// `within` key columns (a meeting's items), or among the council's
/// (`within` 0). One statement finds both, so a new record costs one round
/// trip here, a replaced one two.
pub(crate) async fn place(tx: &mut sqlx::AnyConnection, table: &str, key: &str, council: &str, keys: &[&str], within: usize) -> Result<i64, StoreError> {
    let columns: Vec<&str> = key.split(',').collect();
    let matching = |n: usize| columns[..n].iter().enumerate().map(|(i, k)| format!(" AND {k} = ${}", i + 2)).collect::<String>();
    let find = format!(
        "SELECT position, CAST(1 AS BIGINT) AS old FROM {table} WHERE council = $1{} \
         UNION ALL SELECT COALESCE(MAX(position), -1) + 1, CAST(0 AS BIGINT) FROM {table} WHERE council = $1{}",
        matching(columns.len()),
        matching(within)
    );
    let mut q = sqlx::query_as::<_, (i64, i64)>(&find).bind(council);
    for k in keys {
        q = q.bind(*k);
    }
    let rows = q.fetch_all(&mut *tx).await?;
    let Some(&(position, _)) = rows.iter().find(|r| r.1 == 1) else {
        return rows.first().map(|r| r.0).ok_or_else(|| corrupt(format!("no next position in {table}")));
    };
    let delete = format!("DELETE FROM {table} WHERE council = $1{}", matching(columns.len()));
    let mut q = sqlx::query(&delete).bind(council);
    for k in keys {
        q = q.bind(*k);
    }
    q.execute(&mut *tx).await?;
    Ok(position)
}

async fn import_in(
    w: &mut crate::WriteTx,
    indicators: &[Indicator],
    values: &[IndicatorValue],
    audit: &[AuditEntry],
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<(), StoreError> {
    let council = w.council().to_owned();
    let council = council.as_str();
    let tx = w.inner();
    for i in indicators {
        let n = place(tx, "indicators", "slug", council, &[i.slug.as_str()], 0).await?;
        insert_indicator(tx, council, n, i).await?;
    }
    let mut groups: std::collections::BTreeMap<(&str, &str), Vec<&str>> = std::collections::BTreeMap::new();
    for v in values {
        groups.entry((v.indicator.as_str(), v.period.as_str())).or_default().push(v.area.as_str());
    }
    for ((indicator, period), areas) in groups {
        for chunk in areas.chunks(500) {
            let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 4)).collect();
            let sql = format!("DELETE FROM indicator_values WHERE council = $1 AND indicator = $2 AND period = $3 AND area IN ({})", list.join(", "));
            let mut q = sqlx::query(&sql).bind(council).bind(indicator).bind(period);
            for a in chunk {
                q = q.bind(*a);
            }
            q.execute(&mut *tx).await?;
        }
    }
    let first: i64 = sqlx::query("SELECT COALESCE(MAX(position), -1) + 1 AS n FROM indicator_values WHERE council = $1")
        .bind(council)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    for (i, chunk) in values.chunks(1000).enumerate() {
        insert_values(tx, council, first + (i * 1000) as i64, chunk).await?;
        progress(i * 1000 + chunk.len());
    }
    w.apply(&[], audit).await
}

/// Writes records of a council's register inside a transaction; each record
/// edited also takes the council's version as its own.
pub(crate) async fn apply_writes(tx: &mut sqlx::AnyConnection, council: &str, version: i64, writes: &[Write]) -> Result<(), StoreError> {
    for w in writes {
        match w {
            Write::AddPerson(p) => {
                let exists = sqlx::query("SELECT slug FROM people WHERE council = $1 AND slug = $2")
                    .bind(council)
                    .bind(p.slug.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_some() {
                    return Err(StoreError::Conflict(format!("a person `{}` already exists", p.slug)));
                }
                let n = place(tx, "people", "slug", council, &[p.slug.as_str()], 0).await?;
                insert_person(tx, council, n, p).await?;
            }
            Write::AddBody(b) => {
                let exists = sqlx::query("SELECT slug FROM bodies WHERE council = $1 AND slug = $2")
                    .bind(council)
                    .bind(b.slug.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_some() {
                    return Err(StoreError::Conflict(format!("a body `{}` already exists", b.slug)));
                }
                let n = place(tx, "bodies", "slug", council, &[b.slug.as_str()], 0).await?;
                insert_body(tx, council, n, b).await?;
            }
            Write::PutPost(p) => {
                let n = place(tx, "posts", "slug", council, &[p.slug.as_str()], 0).await?;
                insert_post(tx, council, n, p).await?;
            }
            Write::PutPerson(p) => {
                let exists = sqlx::query("SELECT slug FROM people WHERE council = $1 AND slug = $2")
                    .bind(council)
                    .bind(p.slug.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_none() {
                    return Err(StoreError::Conflict(format!("there is no person `{}` to change", p.slug)));
                }
                let n = place(tx, "people", "slug", council, &[p.slug.as_str()], 0).await?;
                insert_person(tx, council, n, p).await?;
            }
            Write::PutOrganisation(o) => {
                let n = place(tx, "organisations", "slug", council, &[o.slug.as_str()], 0).await?;
                crate::register::insert_organisation(tx, council, n, o).await?;
            }
            Write::PutArea(a) => {
                let n = place(tx, "areas", "code", council, &[a.code.as_str()], 0).await?;
                crate::places::insert_area(tx, council, n, a).await?;
            }
            Write::PutBody(b) => {
                let exists = sqlx::query("SELECT slug FROM bodies WHERE council = $1 AND slug = $2")
                    .bind(council)
                    .bind(b.slug.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_none() {
                    return Err(StoreError::Conflict(format!("there is no body `{}` to change", b.slug)));
                }
                crate::register::delete_parts(
                    tx,
                    &["body_lists", "body_groups", "standing_items", "chair_agrees", "powers", "escalation_stages"],
                    "body",
                    council,
                    b.slug.as_str(),
                )
                .await?;
                let n = place(tx, "bodies", "slug", council, &[b.slug.as_str()], 0).await?;
                insert_body(tx, council, n, b).await?;
            }
            Write::PutSeat(s) => {
                sqlx::query("DELETE FROM seat_groups WHERE council = $1 AND body = $2 AND seat = $3")
                    .bind(council)
                    .bind(s.body.as_str())
                    .bind(s.slug.as_str())
                    .execute(&mut *tx)
                    .await?;
                let n = place(tx, "seats", "body,slug", council, &[s.body.as_str(), s.slug.as_str()], 0).await?;
                insert_seat(tx, council, n, s).await?;
            }
            Write::PutMembership(m) => {
                crate::register::delete_parts(tx, &["substitutes"], "membership", council, m.slug.as_str()).await?;
                let n = place(tx, "memberships", "slug", council, &[m.slug.as_str()], 0).await?;
                insert_membership(tx, council, n, m).await?;
            }
            Write::PutRelation(r) => {
                let n = place(tx, "relations", "kind,from_body,to_body", council, &[r.kind.code(), r.from.as_str(), r.to.as_str()], 0).await?;
                insert_relation(tx, council, n, r).await?;
            }
            Write::PutMeeting(m) => {
                crate::meetings::delete_meeting_parts(tx, council, m.slug.as_str()).await?;
                // Approvals came after the releases whose meetings the upgrade moves.
                sqlx::query("DELETE FROM approvals WHERE council = $1 AND meeting = $2").bind(council).bind(m.slug.as_str()).execute(&mut *tx).await?;
                let n = place(tx, "meetings", "slug", council, &[m.slug.as_str()], 0).await?;
                crate::meetings::insert_meeting(tx, council, n, m).await?;
            }
            Write::PutAgendaItem { meeting, item } => {
                meeting_exists(tx, council, meeting.as_str()).await?;
                // A replaced item's papers go with it (ON DELETE CASCADE).
                let n = place(tx, "agenda_items", "meeting,number", council, &[meeting.as_str(), item.number.as_str()], 1).await?;
                crate::meetings::insert_agenda_item(tx, council, meeting.as_str(), n, item).await?;
            }
            Write::PutAttendance { meeting, attendance } => {
                meeting_exists(tx, council, meeting.as_str()).await?;
                // Replaced attendance goes after the others, as in memory.
                delete_meeting_child(tx, "attendance", "person", council, meeting.as_str(), attendance.person.as_str()).await?;
                let n = place(tx, "attendance", "meeting,person", council, &[meeting.as_str(), attendance.person.as_str()], 1).await?;
                crate::meetings::insert_attendance(tx, council, meeting.as_str(), n, attendance).await?;
            }
            Write::PutApproval { meeting, approval } => {
                meeting_exists(tx, council, meeting.as_str()).await?;
                let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), -1) + 1 FROM approvals WHERE council = $1 AND meeting = $2")
                    .bind(council)
                    .bind(meeting.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
                crate::meetings::insert_approval(tx, council, meeting.as_str(), next, approval).await?;
            }
            Write::RemoveApproval { meeting, what } => {
                meeting_exists(tx, council, meeting.as_str()).await?;
                sqlx::query("DELETE FROM approvals WHERE council = $1 AND meeting = $2 AND what = $3")
                    .bind(council)
                    .bind(meeting.as_str())
                    .bind(what.code())
                    .execute(&mut *tx)
                    .await?;
            }
            Write::PutDispute(d) => {
                // Its parties and stages go with the old row (ON DELETE CASCADE).
                let n = place(tx, "disputes", "slug", council, &[d.slug.as_str()], 0).await?;
                crate::decisions::insert_dispute(tx, council, n, d).await?;
            }
            Write::PutCommitment(c) => {
                let n = place(tx, "commitments", "slug", council, &[c.slug.as_str()], 0).await?;
                crate::decisions::insert_commitment(tx, council, n, c).await?;
            }
            Write::PutActual { measure, actual } => crate::programmes::put_actual(tx, council, version, measure.as_str(), actual).await?,
            Write::PutHighlight { programme, highlight } => crate::programmes::put_highlight(tx, council, programme.as_str(), highlight).await?,
            Write::PutPlanAction { plan, position, action } => crate::programmes::plans::put_plan_action(tx, council, plan.as_str(), *position, action).await?,
            Write::PutProgrammeDetails { programme, details } => crate::programmes::put_programme_details(tx, council, programme.as_str(), details).await?,
            Write::PutDecision(d) => {
                crate::decisions::delete_decision_parts(tx, council, d.slug.as_str()).await?;
                let n = place(tx, "decisions", "slug", council, &[d.slug.as_str()], 0).await?;
                crate::decisions::insert_decision(tx, council, n, d).await?;
            }
            Write::PutRatification { decision, ratification } => {
                let sql = format!(
                    "UPDATE ratifications SET status = $4, answered = {}, minute = $6 WHERE council = $1 AND decision = $2 AND organisation = $3",
                    crate::dialect::param(tx, 5, crate::dialect::Kind::Date)
                );
                let n = sqlx::query(&sql)
                    .bind(council)
                    .bind(decision.as_str())
                    .bind(ratification.organisation.as_str())
                    .bind(ratification.status.code())
                    .bind(ratification.answered.map(|a| a.to_string()))
                    .bind(ratification.minute.clone())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StoreError::Conflict(format!("decision `{decision}` was not sent to `{}` for ratification", ratification.organisation)));
                }
            }
            Write::RemoveRelation { kind, from, to } => {
                let n = sqlx::query("DELETE FROM relations WHERE council = $1 AND kind = $2 AND from_body = $3 AND to_body = $4")
                    .bind(council)
                    .bind(kind.code())
                    .bind(from.as_str())
                    .bind(to.as_str())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StoreError::Conflict(format!("there is no `{}` link from `{from}` to `{to}`", kind.code())));
                }
            }
        }
        if let Some((kind, id)) = w.record() {
            sqlx::query(
                "INSERT INTO record_versions (council, record_kind, record_id, version) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (council, record_kind, record_id) DO UPDATE SET version = excluded.version",
            )
            .bind(council)
            .bind(kind)
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

impl Store {
    /// Writes records of a council's register with their audit entries, in
    /// one write transaction: all of it is stored, or none of it.
    pub async fn apply(&self, council: &str, writes: &[Write], audit: &[AuditEntry]) -> Result<i64, StoreError> {
        crate::write::retrying(|| async {
            let mut tx = self.begin_write(council).await?;
            tx.apply(writes, audit).await?;
            tx.commit("apply").await
        })
        .await
    }

    /// Imports indicator values (and the definitions a file brings) into a
    /// council's register in one transaction: a value for the same indicator,
    /// area and period replaces the one held; everything is written or
    /// nothing is. `progress` is told how many values are written so far.
    pub async fn import_values(
        &self,
        council: &str,
        indicators: &[Indicator],
        values: &[IndicatorValue],
        audit: &[AuditEntry],
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write(council).await?;
        import_in(&mut tx, indicators, values, audit, progress).await?;
        tx.commit("import-indicators").await?;
        Ok(())
    }

    /// The changes made to a council since it was last loaded (in the
    /// portal, or by an import), oldest first: what loading it again would discard.
    pub async fn edits_since_load(&self, council: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.council, a.at, a.actor_id, a.actor_name, a.action, a.record_kind, a.record_id, a.body, a.before_value, a.after_value, \
             a.council_version FROM audit_log a JOIN councils c ON c.slug = a.council \
             WHERE a.council = $1 AND a.council_version > c.loaded_version ORDER BY a.council_version, a.id",
        )
        .bind(council)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(entry).collect()
    }

    /// The history of one body's records, newest first.
    pub async fn body_history(&self, council: &str, body: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE council = $1 AND body = $2 ORDER BY at DESC, id DESC"))
            .bind(council)
            .bind(body)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(entry).collect()
    }

    /// Every value entered in Placeworks for one of a council's measures,
    /// newest first: who entered what, for which period, and when.
    pub async fn actual_entries(&self, council: &str, measure: &str) -> Result<Vec<placeworks_domain::programmes::Actual>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        crate::programmes::read_actual_entries(&mut conn, council, measure).await
    }

    /// The whole trail of a council, oldest first (for administrators and CSV).
    pub async fn audit_trail(&self, council: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let rows =
            sqlx::query(&format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE council = $1 ORDER BY at, id")).bind(council).fetch_all(self.pool()).await?;
        rows.iter().map(entry).collect()
    }
}

/// The columns an [`AuditEntry`] is read from (not the readable `at_utc`,
/// which the one driver cannot read in PostgreSQL).
pub(crate) const ENTRY_COLUMNS: &str =
    "id, council, at, actor_id, actor_name, action, record_kind, record_id, body, before_value, after_value, council_version";

pub(crate) fn entry(r: &sqlx::any::AnyRow) -> Result<AuditEntry, StoreError> {
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
