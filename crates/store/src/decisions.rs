//! Decisions in the store: a decision's row, with what it is in typed
//! columns, and rows of its own for each resolution, each constituent
//! body's ratification, and each value of its lists (the summary's and the
//! minutes' paragraphs, the areas it affects, its documents and sources).

use crate::dialect::{column, param, Kind};
use crate::register::{corrupt, delete_parts, exempt_value, flag, insert_list, opt_exempt, opt_slug, slug};
use crate::StoreError;
use placeworks_domain::ids::{PartialDate, Slug};
use placeworks_domain::records::{Commitment, Decision, Dispute, DisputeStep, Party, Ratification, RatificationStatus, Reached, Resolution};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// The lists a decision keeps in `decision_lists`, by name.
const LISTS: [&str; 5] = ["summary", "minutes", "area", "document", "source"];

fn lists(d: &Decision) -> [Vec<&str>; 5] {
    [
        d.summary.iter().map(String::as_str).collect(),
        d.minutes.iter().map(String::as_str).collect(),
        d.areas.iter().map(String::as_str).collect(),
        d.documents.iter().map(String::as_str).collect(),
        d.sources.iter().map(Slug::as_str).collect(),
    ]
}

fn day(s: &str) -> Result<chrono::NaiveDate, StoreError> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| corrupt(format!("date {s:?}: {e}")))
}

fn opt_day(row: &sqlx::any::AnyRow, col: &str) -> Result<Option<chrono::NaiveDate>, StoreError> {
    row.try_get::<Option<String>, _>(col)?.as_deref().map(day).transpose()
}

fn count(v: u32) -> i64 {
    i64::from(v)
}

fn votes(row: &sqlx::any::AnyRow, col: &str) -> Result<u32, StoreError> {
    let n: Option<i64> = row.try_get(col)?;
    let n = n.ok_or_else(|| corrupt(format!("a vote without {col}")))?;
    u32::try_from(n).map_err(|_| corrupt(format!("{col} {n}")))
}

/// A decision: its row and the rows of its parts.
pub(crate) async fn insert_decision(tx: &mut AnyConnection, c: &str, position: i64, d: &Decision) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO decisions (council, slug, position, body, decided_on, exempt) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(c)
        .bind(d.slug.as_str())
        .bind(position)
        .bind(d.body.as_str())
        .bind(d.date.to_string())
        .bind(exempt_value(d.exempt))
        .execute(&mut *tx)
        .await?;
    write_decision_parts(tx, c, d).await?;
    // The power came after the releases the upgrade carries forward, so it
    // is written here rather than with the parts the upgrade writes too.
    sqlx::query("UPDATE decisions SET power = $3 WHERE council = $1 AND slug = $2")
        .bind(c)
        .bind(d.slug.as_str())
        .bind(d.power.as_ref().map(ToString::to_string))
        .execute(&mut *tx)
        .await?;
    crate::provenance::write(tx, c, "decision", d.slug.as_str(), None, &d.example).await
}

/// Writes what a decision holds besides its row's keys: its typed columns,
/// and the rows of its resolutions, ratifications and lists.
pub(crate) async fn write_decision_parts(tx: &mut AnyConnection, c: &str, d: &Decision) -> Result<(), StoreError> {
    let (reached, r#for, against, abstaining) = match &d.reached {
        None => (None, None, None, None),
        Some(Reached::Consensus) => (Some("consensus"), None, None, None),
        Some(Reached::Vote { r#for, against, abstaining }) => (Some("vote"), Some(count(*r#for)), Some(count(*against)), Some(count(*abstaining))),
    };
    let sql = format!(
        "UPDATE decisions SET title = $3, key_decision = $4, call_in = $5, reached = $6, votes_for = $7, votes_against = $8, \
         votes_abstaining = $9, issue = $10, meeting = $11, forthcoming = $12, notified = {}, beyond_delegation = $14 \
         WHERE council = $1 AND slug = $2",
        param(tx, 13, Kind::Date)
    );
    sqlx::query(&sql)
        .bind(c)
        .bind(d.slug.as_str())
        .bind(d.title.as_str())
        .bind(d.key_decision)
        .bind(d.call_in.clone())
        .bind(reached)
        .bind(r#for)
        .bind(against)
        .bind(abstaining)
        .bind(d.issue.as_ref().map(ToString::to_string))
        .bind(d.meeting.as_ref().map(ToString::to_string))
        .bind(d.forthcoming)
        .bind(d.notified.map(|n| n.to_string()))
        .bind(d.beyond_delegation)
        .execute(&mut *tx)
        .await?;
    for (i, r) in d.resolutions.iter().enumerate() {
        sqlx::query("INSERT INTO resolutions (council, decision, position, number, text, verb) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(c)
            .bind(d.slug.as_str())
            .bind(i as i64)
            .bind(r.number.clone())
            .bind(r.text.as_str())
            .bind(r.verb.as_str())
            .execute(&mut *tx)
            .await?;
    }
    for (i, r) in d.ratifications.iter().enumerate() {
        insert_ratification(tx, c, d.slug.as_str(), i as i64, r).await?;
    }
    for (list, values) in LISTS.iter().zip(lists(d)) {
        insert_list(tx, "decision_lists", "decision", c, d.slug.as_str(), list, &values).await?;
    }
    Ok(())
}

/// One constituent body's ratification of a decision.
pub(crate) async fn insert_ratification(tx: &mut AnyConnection, c: &str, decision: &str, position: i64, r: &Ratification) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO ratifications (council, decision, organisation, position, requested, status, answered, minute) VALUES ($1, $2, $3, $4, {}, $6, {}, $8)",
        param(tx, 5, Kind::Date),
        param(tx, 7, Kind::Date)
    );
    sqlx::query(&sql)
        .bind(c)
        .bind(decision)
        .bind(r.organisation.as_str())
        .bind(position)
        .bind(r.requested.to_string())
        .bind(r.status.code())
        .bind(r.answered.map(|a| a.to_string()))
        .bind(r.minute.clone())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Takes away a decision's parts (before the decision is written again).
pub(crate) async fn delete_decision_parts(tx: &mut AnyConnection, c: &str, decision: &str) -> Result<(), StoreError> {
    delete_parts(tx, &["decision_lists", "ratifications", "resolutions"], "decision", c, decision).await
}

/// A council's decisions, in order, with their parts.
pub(crate) async fn read_decisions(conn: &mut AnyConnection, council: &str) -> Result<Vec<Decision>, StoreError> {
    let mut resolutions: HashMap<String, Vec<Resolution>> = HashMap::new();
    for r in
        sqlx::query("SELECT decision, number, text, verb FROM resolutions WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await?
    {
        resolutions.entry(r.try_get("decision")?).or_default().push(Resolution {
            number: r.try_get("number")?,
            text: r.try_get("text")?,
            verb: r.try_get("verb")?,
        });
    }
    let mut ratifications: HashMap<String, Vec<Ratification>> = HashMap::new();
    let sql = format!(
        "SELECT decision, organisation, {}, status, {}, minute FROM ratifications WHERE council = $1 ORDER BY position",
        column("requested"),
        column("answered")
    );
    for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
        ratifications.entry(r.try_get("decision")?).or_default().push(Ratification {
            organisation: slug(&r, "organisation")?,
            requested: day(&r.try_get::<String, _>("requested")?)?,
            status: RatificationStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            answered: opt_day(&r, "answered")?,
            minute: r.try_get("minute")?,
        });
    }
    let mut listed: HashMap<(String, String), Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT decision, list, value FROM decision_lists WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        listed.entry((r.try_get("decision")?, r.try_get("list")?)).or_default().push(r.try_get("value")?);
    }
    let sql = format!(
        "SELECT slug, body, decided_on, exempt, title, {}, call_in, reached, votes_for, votes_against, votes_abstaining, issue, meeting, {}, {}, {}, power \
         FROM decisions WHERE council = $1 ORDER BY position",
        flag("key_decision"),
        flag("forthcoming"),
        column("notified"),
        flag("beyond_delegation")
    );
    let mut out = Vec::new();
    for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        let mut list = |name: &str| listed.remove(&(s.clone(), name.to_owned())).unwrap_or_default();
        let reached = match r.try_get::<Option<String>, _>("reached")?.as_deref() {
            None => None,
            Some("consensus") => Some(Reached::Consensus),
            Some("vote") => {
                Some(Reached::Vote { r#for: votes(&r, "votes_for")?, against: votes(&r, "votes_against")?, abstaining: votes(&r, "votes_abstaining")? })
            }
            Some(other) => return Err(corrupt(format!("decision {s}: reached {other:?}"))),
        };
        let on = |col: &str| -> Result<Option<bool>, StoreError> { Ok(r.try_get::<Option<i64>, _>(col)?.map(|v| v != 0)) };
        out.push(Decision {
            slug: slug(&r, "slug")?,
            body: slug(&r, "body")?,
            date: PartialDate::parse(&r.try_get::<String, _>("decided_on")?).map_err(corrupt)?,
            title: r.try_get::<Option<String>, _>("title")?.ok_or_else(|| corrupt(format!("decision {s} has no title")))?,
            key_decision: on("key_decision")?,
            call_in: r.try_get("call_in")?,
            summary: list("summary"),
            minutes: list("minutes"),
            resolutions: resolutions.remove(&s).unwrap_or_default(),
            reached,
            areas: list("area"),
            documents: list("document"),
            issue: opt_slug(&r, "issue")?,
            meeting: opt_slug(&r, "meeting")?,
            forthcoming: on("forthcoming")?.unwrap_or(false),
            notified: opt_day(&r, "notified")?,
            beyond_delegation: on("beyond_delegation")?.unwrap_or(false),
            power: opt_slug(&r, "power")?,
            ratifications: ratifications.remove(&s).unwrap_or_default(),
            sources: list("source").iter().map(|v| Slug::parse(v).map_err(corrupt)).collect::<Result<_, _>>()?,
            example: Vec::new(),
            exempt: opt_exempt(&r)?,
        });
    }
    Ok(out)
}

/// A commitment: its row and its sources.
pub(crate) async fn insert_commitment(tx: &mut AnyConnection, c: &str, position: i64, x: &Commitment) -> Result<(), StoreError> {
    let (org, body) = match &x.by {
        Party::Organisation(o) => (Some(o.to_string()), None),
        Party::Body(b) => (None, Some(b.to_string())),
    };
    sqlx::query(
        "INSERT INTO commitments (council, slug, position, by_organisation, by_body, text, made, due, met_by, met) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c)
    .bind(x.slug.as_str())
    .bind(position)
    .bind(org)
    .bind(body)
    .bind(x.text.as_str())
    .bind(x.made.as_ref().map(ToString::to_string))
    .bind(x.due.to_string())
    .bind(x.met_by.as_ref().map(ToString::to_string))
    .bind(x.met.as_ref().map(ToString::to_string))
    .execute(&mut *tx)
    .await?;
    for (i, s) in x.sources.iter().enumerate() {
        sqlx::query("INSERT INTO commitment_sources (council, commitment, position, source) VALUES ($1, $2, $3, $4)")
            .bind(c)
            .bind(x.slug.as_str())
            .bind(i as i64)
            .bind(s.as_str())
            .execute(&mut *tx)
            .await?;
    }
    crate::provenance::write(tx, c, "commitment", x.slug.as_str(), None, &x.example).await
}

/// A disagreement: its row, its parties and the stages it went through.
pub(crate) async fn insert_dispute(tx: &mut AnyConnection, c: &str, position: i64, d: &Dispute) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO disputes (council, slug, position, body, title, raised, outcome, resolved, public) VALUES ($1, $2, $3, $4, $5, {}, $7, {}, $9)",
        param(tx, 6, Kind::Date),
        param(tx, 8, Kind::Date)
    );
    sqlx::query(&sql)
        .bind(c)
        .bind(d.slug.as_str())
        .bind(position)
        .bind(d.body.as_str())
        .bind(d.title.as_str())
        .bind(d.raised.to_string())
        .bind(d.outcome.clone())
        .bind(d.resolved.map(|r| r.to_string()))
        .bind(d.public)
        .execute(&mut *tx)
        .await?;
    for (i, p) in d.parties.iter().enumerate() {
        sqlx::query("INSERT INTO dispute_parties (council, dispute, position, organisation) VALUES ($1, $2, $3, $4)")
            .bind(c)
            .bind(d.slug.as_str())
            .bind(i as i64)
            .bind(p.as_str())
            .execute(&mut *tx)
            .await?;
    }
    let sql =
        format!("INSERT INTO dispute_steps (council, dispute, position, stage, taken_on, note) VALUES ($1, $2, $3, $4, {}, $6)", param(tx, 5, Kind::Date));
    for (i, s) in d.steps.iter().enumerate() {
        sqlx::query(&sql)
            .bind(c)
            .bind(d.slug.as_str())
            .bind(i as i64)
            .bind(s.stage.as_str())
            .bind(s.on.to_string())
            .bind(s.note.clone())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// A council's commitments and disagreements, in order.
pub(crate) async fn read_undertakings(conn: &mut AnyConnection, council: &str) -> Result<(Vec<Commitment>, Vec<Dispute>), StoreError> {
    let mut sources: HashMap<String, Vec<Slug>> = HashMap::new();
    for r in sqlx::query("SELECT commitment, source FROM commitment_sources WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        sources.entry(r.try_get("commitment")?).or_default().push(slug(&r, "source")?);
    }
    let date = |v: Option<String>| v.map(|v| PartialDate::parse(&v).map_err(corrupt)).transpose();
    let mut commitments = Vec::new();
    for r in sqlx::query("SELECT * FROM commitments WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        let by = match (opt_slug(&r, "by_organisation")?, opt_slug(&r, "by_body")?) {
            (Some(o), _) => Party::Organisation(o),
            (None, Some(b)) => Party::Body(b),
            (None, None) => return Err(corrupt(format!("commitment {s} is made by nobody"))),
        };
        commitments.push(Commitment {
            slug: slug(&r, "slug")?,
            by,
            text: r.try_get("text")?,
            made: date(r.try_get("made")?)?,
            due: PartialDate::parse(&r.try_get::<String, _>("due")?).map_err(corrupt)?,
            met_by: opt_slug(&r, "met_by")?,
            met: date(r.try_get("met")?)?,
            sources: sources.remove(&s).unwrap_or_default(),
            example: Vec::new(),
        });
    }
    let mut parties: HashMap<String, Vec<Slug>> = HashMap::new();
    for r in sqlx::query("SELECT dispute, organisation FROM dispute_parties WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        parties.entry(r.try_get("dispute")?).or_default().push(slug(&r, "organisation")?);
    }
    let mut steps: HashMap<String, Vec<DisputeStep>> = HashMap::new();
    let sql = format!("SELECT dispute, stage, {}, note FROM dispute_steps WHERE council = $1 ORDER BY position", column("taken_on"));
    for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
        steps.entry(r.try_get("dispute")?).or_default().push(DisputeStep {
            stage: r.try_get("stage")?,
            on: day(&r.try_get::<String, _>("taken_on")?)?,
            note: r.try_get("note")?,
        });
    }
    let mut disputes = Vec::new();
    let sql = format!(
        "SELECT slug, body, title, {}, outcome, {}, {} FROM disputes WHERE council = $1 ORDER BY position",
        column("raised"),
        column("resolved"),
        flag("public")
    );
    for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        disputes.push(Dispute {
            slug: slug(&r, "slug")?,
            body: slug(&r, "body")?,
            title: r.try_get("title")?,
            parties: parties.remove(&s).unwrap_or_default(),
            raised: day(&r.try_get::<String, _>("raised")?)?,
            steps: steps.remove(&s).unwrap_or_default(),
            outcome: r.try_get("outcome")?,
            resolved: opt_day(&r, "resolved")?,
            public: r.try_get::<i64, _>("public")? != 0,
        });
    }
    Ok((commitments, disputes))
}
