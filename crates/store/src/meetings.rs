//! Meetings in the store: a meeting's row, and rows of its own for each
//! agenda item, paper and attendance line, so adding an item or recording
//! someone's attendance writes one row.

use crate::dialect::{column, iso, param, Kind};
use crate::register::{corrupt, exempt_value, opt_exempt, opt_slug, slug};
use crate::StoreError;
use placeworks_domain::ids::PartialDate;
use placeworks_domain::records::*;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A meeting: its row, with its details in typed columns, and a row for
/// each paragraph of its minutes, agenda item, paper and attendance line.
pub(crate) async fn insert_meeting(tx: &mut AnyConnection, c: &str, position: i64, m: &Meeting) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO meetings (council, slug, position, body, meeting_date, status) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(c)
        .bind(m.slug.as_str())
        .bind(position)
        .bind(m.body.as_str())
        .bind(m.date.to_string())
        .bind(m.status.code())
        .execute(&mut *tx)
        .await?;
    set_meeting_details(tx, c, m).await?;
    for (i, item) in m.items.iter().enumerate() {
        insert_agenda_item(tx, c, m.slug.as_str(), i as i64, item).await?;
    }
    for (i, a) in m.attendance.iter().enumerate() {
        insert_attendance(tx, c, m.slug.as_str(), i as i64, a).await?;
    }
    for (i, a) in m.approvals.iter().enumerate() {
        insert_approval(tx, c, m.slug.as_str(), i as i64, a).await?;
    }
    crate::provenance::write(tx, c, "meeting", m.slug.as_str(), Some(&m.sources), &m.example).await
}

/// One approval of a meeting's business: what, by whom, on which day.
pub(crate) async fn insert_approval(tx: &mut AnyConnection, c: &str, meeting: &str, position: i64, a: &Approval) -> Result<(), StoreError> {
    let sql =
        format!("INSERT INTO approvals (council, meeting, position, what, approved_by, approved_on) VALUES ($1, $2, $3, $4, $5, {})", param(tx, 6, Kind::Date));
    sqlx::query(&sql).bind(c).bind(meeting).bind(position).bind(a.what.code()).bind(a.by.as_str()).bind(a.on.to_string()).execute(&mut *tx).await?;
    Ok(())
}

/// A local date and time as ISO 8601 text, such as `2027-03-09T10:00:00`.
pub(crate) fn iso_time(t: &chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// A meeting's details (its time, group, the planned meeting it stands for,
/// its note, when its agenda was published, who chaired, where its minutes
/// were approved) and the paragraphs of its minutes.
pub(crate) async fn set_meeting_details(tx: &mut AnyConnection, c: &str, m: &Meeting) -> Result<(), StoreError> {
    let sql = format!(
        "UPDATE meetings SET start_time = {}, group_slug = $4, planned_for = {}, note = $6, agenda_published = {}, chaired_by = $8, \
         minutes_approved_at = $9 WHERE council = $1 AND slug = $2",
        param(tx, 3, Kind::Time),
        param(tx, 5, Kind::Timestamp),
        param(tx, 7, Kind::Date)
    );
    sqlx::query(&sql)
        .bind(c)
        .bind(m.slug.as_str())
        .bind(m.time.map(|t| t.format("%H:%M:%S").to_string()))
        .bind(m.group.as_ref().map(ToString::to_string))
        .bind(m.planned_for.as_ref().map(iso_time))
        .bind(m.note.clone())
        .bind(m.agenda_published.map(|d| d.to_string()))
        .bind(m.chaired_by.as_ref().map(ToString::to_string))
        .bind(m.minutes_approved_at.as_ref().map(ToString::to_string))
        .execute(&mut *tx)
        .await?;
    for (i, p) in m.minutes.iter().enumerate() {
        sqlx::query("INSERT INTO minutes (council, meeting, position, paragraph) VALUES ($1, $2, $3, $4)")
            .bind(c)
            .bind(m.slug.as_str())
            .bind(i as i64)
            .bind(p.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// A date or time column, read as text in the register's form and parsed.
fn parsed<T: std::str::FromStr>(row: &AnyRow, col: &str, kind: Kind) -> Result<Option<T>, StoreError>
where
    T::Err: std::fmt::Display,
{
    row.try_get::<Option<String>, _>(col)?.map(|s| iso(kind, s)).map(|s| s.parse::<T>().map_err(|e| corrupt(format!("{col} {s:?}: {e}")))).transpose()
}

/// A council's meetings, in order, with their minutes, agendas, papers and attendance.
pub(crate) async fn read_meetings(conn: &mut AnyConnection, council: &str) -> Result<Vec<Meeting>, StoreError> {
    let mut minutes: HashMap<String, Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT meeting, paragraph FROM minutes WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        minutes.entry(r.try_get("meeting")?).or_default().push(r.try_get("paragraph")?);
    }
    let mut meetings = Vec::new();
    let sql = format!(
        "SELECT slug, body, meeting_date, status, group_slug, note, chaired_by, minutes_approved_at, {}, {}, {} FROM meetings WHERE council = $1 ORDER BY position",
        column("start_time"),
        column("planned_for"),
        column("agenda_published")
    );
    for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
        let mut m = Meeting::new(
            slug(&r, "slug")?,
            slug(&r, "body")?,
            PartialDate::parse(&r.try_get::<String, _>("meeting_date")?).map_err(corrupt)?,
            parsed(&r, "start_time", Kind::Time)?,
            MeetingStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            opt_slug(&r, "group_slug")?,
            parsed(&r, "planned_for", Kind::Timestamp)?,
        );
        m.note = r.try_get("note")?;
        m.agenda_published = parsed(&r, "agenda_published", Kind::Date)?;
        m.chaired_by = opt_slug(&r, "chaired_by")?;
        m.minutes_approved_at = opt_slug(&r, "minutes_approved_at")?;
        m.minutes = minutes.remove(m.slug.as_str()).unwrap_or_default();
        meetings.push(m);
    }
    attach_agendas(conn, council, &mut meetings).await?;
    Ok(meetings)
}

/// One person's attendance at a meeting.
pub(crate) async fn insert_attendance(tx: &mut AnyConnection, c: &str, meeting: &str, position: i64, a: &Attendance) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO attendance (council, meeting, person, position, seat, kind, substitute_for, chair_agreed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(c)
    .bind(meeting)
    .bind(a.person.as_str())
    .bind(position)
    .bind(a.seat.as_ref().map(ToString::to_string))
    .bind(a.kind.code())
    .bind(a.substitute_for.as_ref().map(ToString::to_string))
    .bind(a.chair_agreed)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Takes away a meeting's minutes, agenda and attendance rows (before the meeting is written again).
pub(crate) async fn delete_meeting_parts(tx: &mut AnyConnection, c: &str, meeting: &str) -> Result<(), StoreError> {
    for table in ["minutes", "attendance", "papers", "agenda_items"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE council = $1 AND meeting = $2")).bind(c).bind(meeting).execute(&mut *tx).await?;
    }
    Ok(())
}

/// One agenda item's row and its papers' rows.
pub(crate) async fn insert_agenda_item(tx: &mut AnyConnection, c: &str, meeting: &str, position: i64, item: &AgendaItem) -> Result<(), StoreError> {
    // `from_body` is named only when set: the upgrade moves items of earlier
    // releases (which had none) before the migration that adds the column.
    let sql = if item.from_body.is_some() {
        "INSERT INTO agenda_items (council, meeting, position, number, title, presenter, decision_required, exempt, from_body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    } else {
        "INSERT INTO agenda_items (council, meeting, position, number, title, presenter, decision_required, exempt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    };
    let q = sqlx::query(sql)
        .bind(c)
        .bind(meeting)
        .bind(position)
        .bind(item.number.as_str())
        .bind(item.title.as_str())
        .bind(item.presenter.clone())
        .bind(item.decision_required)
        .bind(exempt_value(item.exempt));
    let q = match &item.from_body {
        Some(b) => q.bind(b.to_string()),
        None => q,
    };
    q.execute(&mut *tx).await?;
    for (i, p) in item.papers.iter().enumerate() {
        let sql = format!(
            "INSERT INTO papers (council, meeting, item, position, slug, title, file_name, media_type, size, sha256, uploaded) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, {})",
            param(tx, 11, Kind::Timestamptz)
        );
        sqlx::query(&sql)
            .bind(c)
            .bind(meeting)
            .bind(item.number.as_str())
            .bind(i as i64)
            .bind(p.slug.as_str())
            .bind(p.title.as_str())
            .bind(p.file_name.as_str())
            .bind(p.media_type.as_str())
            .bind(i64::try_from(p.size).map_err(|_| corrupt(format!("paper {} is too large to store", p.slug)))?)
            .bind(p.sha256.as_str())
            .bind(p.uploaded.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Puts each council meeting's agenda items and papers (their own rows) in
/// its record, in agenda order.
async fn attach_agendas(conn: &mut AnyConnection, council: &str, meetings: &mut [Meeting]) -> Result<(), StoreError> {
    let mut papers: HashMap<(String, String), Vec<Paper>> = HashMap::new();
    let sql = format!(
        "SELECT meeting, item, slug, title, file_name, media_type, size, sha256, {} FROM papers WHERE council = $1 ORDER BY position",
        column("uploaded")
    );
    for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
        let size: i64 = r.try_get("size")?;
        papers.entry((r.try_get("meeting")?, r.try_get("item")?)).or_default().push(Paper {
            slug: slug(&r, "slug")?,
            title: r.try_get("title")?,
            file_name: r.try_get("file_name")?,
            media_type: r.try_get("media_type")?,
            size: u64::try_from(size).map_err(|_| corrupt(format!("paper size {size}")))?,
            sha256: r.try_get("sha256")?,
            uploaded: iso(Kind::Timestamptz, r.try_get("uploaded")?),
        });
    }
    let mut items: HashMap<String, Vec<AgendaItem>> = HashMap::new();
    // The Any driver reads no SQLite boolean, so the flag comes as 0 or 1 in both engines.
    let sql =
        "SELECT meeting, number, title, presenter, exempt, from_body, CAST(CASE WHEN decision_required THEN 1 ELSE 0 END AS BIGINT) AS decision_required \
               FROM agenda_items WHERE council = $1 ORDER BY position";
    for r in sqlx::query(sql).bind(council).fetch_all(&mut *conn).await? {
        let meeting: String = r.try_get("meeting")?;
        let number: String = r.try_get("number")?;
        items.entry(meeting.clone()).or_default().push(AgendaItem {
            papers: papers.remove(&(meeting, number.clone())).unwrap_or_default(),
            number,
            title: r.try_get("title")?,
            presenter: r.try_get("presenter")?,
            decision_required: r.try_get::<i64, _>("decision_required")? != 0,
            exempt: opt_exempt(&r)?,
            from_body: opt_slug(&r, "from_body")?,
        });
    }
    let mut approvals: HashMap<String, Vec<Approval>> = HashMap::new();
    let sql = format!("SELECT meeting, what, approved_by, {} FROM approvals WHERE council = $1 ORDER BY position", column("approved_on"));
    for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
        approvals.entry(r.try_get("meeting")?).or_default().push(Approval {
            what: ApprovalKind::parse(&r.try_get::<String, _>("what")?).map_err(corrupt)?,
            by: r.try_get("approved_by")?,
            on: parsed(&r, "approved_on", Kind::Date)?.ok_or_else(|| corrupt("an approval without its day"))?,
        });
    }
    let mut attendance: HashMap<String, Vec<Attendance>> = HashMap::new();
    let sql = "SELECT meeting, person, seat, kind, substitute_for, CAST(CASE WHEN chair_agreed THEN 1 ELSE 0 END AS BIGINT) AS chair_agreed \
               FROM attendance WHERE council = $1 ORDER BY position";
    for r in sqlx::query(sql).bind(council).fetch_all(&mut *conn).await? {
        attendance.entry(r.try_get("meeting")?).or_default().push(Attendance {
            person: slug(&r, "person")?,
            seat: opt_slug(&r, "seat")?,
            kind: AttendanceKind::parse(&r.try_get::<String, _>("kind")?).map_err(corrupt)?,
            substitute_for: opt_slug(&r, "substitute_for")?,
            chair_agreed: r.try_get::<i64, _>("chair_agreed")? != 0,
        });
    }
    for m in meetings {
        if let Some(mut list) = items.remove(m.slug.as_str()) {
            list.sort_by_key(|i| placeworks_domain::meetings::agenda_order(&i.number));
            m.items = list;
        }
        if let Some(list) = attendance.remove(m.slug.as_str()) {
            m.attendance = list;
        }
        if let Some(list) = approvals.remove(m.slug.as_str()) {
            m.approvals = list;
        }
    }
    Ok(())
}
