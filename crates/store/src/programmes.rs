//! Reading and writing a council's programmes: a row each, and rows for
//! their levels (with the bodies at each), themes, outcomes and lists.

pub(crate) mod plans;

use crate::register::{corrupt, opt_date, opt_slug, slug};
use crate::StoreError;
use placeworks_domain::ids::Slug;
use placeworks_domain::programmes::*;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A programme: its row and the rows of its parts.
pub(crate) async fn insert_programme(tx: &mut AnyConnection, c: &str, position: i64, p: &Programme) -> Result<(), StoreError> {
    let s = p.slug.as_str();
    sqlx::query(
        "INSERT INTO programmes (council, slug, position, name, aim, launched, status, governed_by, roll_up, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c)
    .bind(s)
    .bind(position)
    .bind(&p.name)
    .bind(&p.aim)
    .bind(p.launched.as_ref().map(ToString::to_string))
    .bind(p.status.code())
    .bind(p.governed_by.as_ref().map(ToString::to_string))
    .bind(p.roll_up.code())
    .bind(p.note.clone())
    .execute(&mut *tx)
    .await?;
    for (i, l) in p.levels.iter().enumerate() {
        sqlx::query("INSERT INTO programme_levels (council, programme, position, name, text) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(s)
            .bind(i as i64)
            .bind(&l.name)
            .bind(l.text.clone())
            .execute(&mut *tx)
            .await?;
        for (j, b) in l.bodies.iter().enumerate() {
            sqlx::query("INSERT INTO programme_level_bodies (council, programme, level, position, body) VALUES ($1, $2, $3, $4, $5)")
                .bind(c)
                .bind(s)
                .bind(i as i64)
                .bind(j as i64)
                .bind(b.as_str())
                .execute(&mut *tx)
                .await?;
        }
    }
    for (i, t) in p.themes.iter().enumerate() {
        sqlx::query("INSERT INTO programme_themes (council, programme, position, slug, name, text) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(c)
            .bind(s)
            .bind(i as i64)
            .bind(t.slug.as_str())
            .bind(&t.name)
            .bind(t.text.clone())
            .execute(&mut *tx)
            .await?;
    }
    for (i, o) in p.outcomes.iter().enumerate() {
        sqlx::query("INSERT INTO programme_outcomes (council, programme, position, slug, name) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(s)
            .bind(i as i64)
            .bind(o.slug.as_str())
            .bind(&o.name)
            .execute(&mut *tx)
            .await?;
    }
    let lists = vec![
        ("area", p.areas.iter().map(String::as_str).collect()),
        ("decision", p.decisions.iter().map(Slug::as_str).collect()),
        ("source", p.sources.iter().map(Slug::as_str).collect()),
        ("example", p.example.iter().map(String::as_str).collect()),
    ];
    for (i, h) in p.highlights.iter().enumerate() {
        insert_highlight(tx, c, s, i as i64, h).await?;
    }
    insert_lists(tx, "programme_lists", "programme", c, s, lists).await
}

/// A programme's details changed in place: its name, aim, launch date and status.
pub(crate) async fn put_programme_details(tx: &mut AnyConnection, c: &str, programme: &str, d: &ProgrammeDetails) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE programmes SET name = $3, aim = $4, launched = $5, status = $6 WHERE council = $1 AND slug = $2")
        .bind(c)
        .bind(programme)
        .bind(&d.name)
        .bind(&d.aim)
        .bind(d.launched.as_ref().map(ToString::to_string))
        .bind(d.status.code())
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(format!("there is no programme `{programme}`")));
    }
    Ok(())
}

/// A council's programmes, in order.
pub(crate) async fn read_programmes(conn: &mut AnyConnection, council: &str) -> Result<Vec<Programme>, StoreError> {
    let mut bodies: HashMap<(String, i64), Vec<Slug>> = HashMap::new();
    for r in sqlx::query("SELECT programme, level, body FROM programme_level_bodies WHERE council = $1 ORDER BY programme, level, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        bodies.entry((r.try_get("programme")?, r.try_get("level")?)).or_default().push(slug(&r, "body")?);
    }
    let mut levels: HashMap<String, Vec<Level>> = HashMap::new();
    for r in sqlx::query("SELECT programme, position, name, text FROM programme_levels WHERE council = $1 ORDER BY programme, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        let p: String = r.try_get("programme")?;
        let at: i64 = r.try_get("position")?;
        let l = Level { name: r.try_get("name")?, text: r.try_get("text")?, bodies: bodies.remove(&(p.clone(), at)).unwrap_or_default() };
        levels.entry(p).or_default().push(l);
    }
    let mut themes: HashMap<String, Vec<Theme>> = HashMap::new();
    for r in sqlx::query("SELECT programme, slug, name, text FROM programme_themes WHERE council = $1 ORDER BY programme, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        themes.entry(r.try_get("programme")?).or_default().push(Theme { slug: slug(&r, "slug")?, name: r.try_get("name")?, text: r.try_get("text")? });
    }
    let mut outcomes: HashMap<String, Vec<Outcome>> = HashMap::new();
    for r in sqlx::query("SELECT programme, slug, name FROM programme_outcomes WHERE council = $1 ORDER BY programme, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        outcomes.entry(r.try_get("programme")?).or_default().push(Outcome { slug: slug(&r, "slug")?, name: r.try_get("name")? });
    }
    let mut lists = read_lists(conn, "programme_lists", "programme", council).await?;
    let mut highlights: HashMap<String, Vec<Highlight>> = HashMap::new();
    for r in sqlx::query("SELECT programme, period, text, written_by, written_at FROM programme_highlights WHERE council = $1 ORDER BY programme, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        highlights.entry(r.try_get("programme")?).or_default().push(Highlight {
            period: Period::parse(&r.try_get::<String, _>("period")?).map_err(corrupt)?,
            text: r.try_get("text")?,
            by: r.try_get("written_by")?,
            at: r.try_get("written_at")?,
        });
    }
    let mut out = Vec::new();
    for r in sqlx::query("SELECT * FROM programmes WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        let mut list = |name: &str| lists.remove(&(s.clone(), name.to_owned())).unwrap_or_default();
        let slugs = |v: Vec<String>| v.iter().map(|x| Slug::parse(x).map_err(corrupt)).collect::<Result<Vec<_>, _>>();
        out.push(Programme {
            slug: slug(&r, "slug")?,
            name: r.try_get("name")?,
            aim: r.try_get("aim")?,
            launched: opt_date(&r, "launched")?,
            status: ProgrammeStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            governed_by: opt_slug(&r, "governed_by")?,
            levels: levels.remove(&s).unwrap_or_default(),
            themes: themes.remove(&s).unwrap_or_default(),
            outcomes: outcomes.remove(&s).unwrap_or_default(),
            areas: list("area"),
            decisions: slugs(list("decision"))?,
            roll_up: RollUp::parse(&r.try_get::<String, _>("roll_up")?).map_err(corrupt)?,
            highlights: highlights.remove(&s).unwrap_or_default(),
            sources: slugs(list("source"))?,
            example: list("example"),
            note: r.try_get("note")?,
        });
    }
    Ok(out)
}

/// A measure: its row, its targets and actuals, and its lists.
pub(crate) async fn insert_measure(tx: &mut AnyConnection, c: &str, position: i64, m: &Measure) -> Result<(), StoreError> {
    let s = m.slug.as_str();
    sqlx::query(
        "INSERT INTO measures (council, slug, position, programme, name, unit, polarity, frequency, source, indicator, baseline_period, baseline_value, rule, owner, note, initiative) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(c)
    .bind(s)
    .bind(position)
    .bind(m.programme.as_str())
    .bind(&m.name)
    .bind(&m.unit)
    .bind(m.polarity.code())
    .bind(m.frequency.code())
    .bind(m.source.clone())
    .bind(m.indicator.as_ref().map(ToString::to_string))
    .bind(m.baseline.as_ref().map(|b| b.period.to_string()))
    .bind(m.baseline.as_ref().map(|b| b.value))
    .bind(m.rule.code())
    .bind(m.owner.clone())
    .bind(m.note.clone())
    .bind(m.initiative.as_ref().map(ToString::to_string))
    .execute(&mut *tx)
    .await?;
    for (i, t) in m.targets.iter().enumerate() {
        sqlx::query("INSERT INTO measure_targets (council, measure, position, period, value) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(s)
            .bind(i as i64)
            .bind(t.period.map(|p| p.to_string()))
            .bind(t.value)
            .execute(&mut *tx)
            .await?;
    }
    for (i, a) in m.actuals.iter().enumerate() {
        insert_actual(tx, c, s, i as i64, a).await?;
    }
    let lists = vec![
        ("theme", m.themes.iter().map(Slug::as_str).collect()),
        ("outcome", m.outcomes.iter().map(Slug::as_str).collect()),
        ("source", m.sources.iter().map(Slug::as_str).collect()),
        ("example", m.example.iter().map(String::as_str).collect()),
    ];
    insert_lists(tx, "measure_lists", "measure", c, s, lists).await
}

/// A programme's highlights for a period, at `position` among its highlights.
pub(crate) async fn insert_highlight(tx: &mut AnyConnection, c: &str, programme: &str, position: i64, h: &Highlight) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO programme_highlights (council, programme, period, position, text, written_by, written_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(c)
        .bind(programme)
        .bind(h.period.to_string())
        .bind(position)
        .bind(&h.text)
        .bind(h.by.clone())
        .bind(h.at)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Highlights written in Placeworks: in place of the ones for their period, or after the others.
pub(crate) async fn put_highlight(tx: &mut AnyConnection, c: &str, programme: &str, h: &Highlight) -> Result<(), StoreError> {
    let known = sqlx::query("SELECT slug FROM programmes WHERE council = $1 AND slug = $2").bind(c).bind(programme).fetch_optional(&mut *tx).await?;
    if known.is_none() {
        return Err(StoreError::Conflict(format!("there is no programme `{programme}`")));
    }
    let period = h.period.to_string();
    let n = crate::audit::place(tx, "programme_highlights", "programme,period", c, &[programme, &period], 1).await?;
    insert_highlight(tx, c, programme, n, h).await
}

/// An initiative: its row, its milestones and its lists.
pub(crate) async fn insert_initiative(tx: &mut AnyConnection, c: &str, position: i64, x: &Initiative) -> Result<(), StoreError> {
    use placeworks_domain::register::model::Party;
    let s = x.slug.as_str();
    let (lead_organisation, lead_body) = match &x.lead {
        Some(Party::Organisation(o)) => (Some(o.to_string()), None),
        Some(Party::Body(b)) => (None, Some(b.to_string())),
        None => (None, None),
    };
    sqlx::query(
        "INSERT INTO initiatives (council, slug, position, programme, part_of, name, summary, status, starts, ends, lead_organisation, lead_body, progress, weight, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(c)
    .bind(s)
    .bind(position)
    .bind(x.programme.as_str())
    .bind(x.part_of.as_ref().map(ToString::to_string))
    .bind(&x.name)
    .bind(x.summary.clone())
    .bind(x.status.code())
    .bind(x.starts.as_ref().map(ToString::to_string))
    .bind(x.ends.as_ref().map(ToString::to_string))
    .bind(lead_organisation)
    .bind(lead_body)
    .bind(x.progress)
    .bind(x.weight)
    .bind(x.note.clone())
    .execute(&mut *tx)
    .await?;
    for (i, m) in x.milestones.iter().enumerate() {
        sqlx::query("INSERT INTO initiative_milestones (council, initiative, position, name, due, achieved) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(c)
            .bind(s)
            .bind(i as i64)
            .bind(&m.name)
            .bind(m.due.as_ref().map(ToString::to_string))
            .bind(m.achieved.as_ref().map(ToString::to_string))
            .execute(&mut *tx)
            .await?;
    }
    let lists = vec![
        ("theme", x.themes.iter().map(Slug::as_str).collect()),
        ("outcome", x.outcomes.iter().map(Slug::as_str).collect()),
        ("area", x.areas.iter().map(String::as_str).collect()),
        ("partner", x.partners.iter().map(Slug::as_str).collect()),
        ("decision", x.decisions.iter().map(Slug::as_str).collect()),
        ("meeting", x.meetings.iter().map(Slug::as_str).collect()),
        ("source", x.sources.iter().map(Slug::as_str).collect()),
        ("example", x.example.iter().map(String::as_str).collect()),
    ];
    insert_lists(tx, "initiative_lists", "initiative", c, s, lists).await
}

/// A council's initiatives, in order.
pub(crate) async fn read_initiatives(conn: &mut AnyConnection, council: &str) -> Result<Vec<Initiative>, StoreError> {
    use placeworks_domain::register::model::Party;
    let mut milestones: HashMap<String, Vec<Milestone>> = HashMap::new();
    for r in sqlx::query("SELECT * FROM initiative_milestones WHERE council = $1 ORDER BY initiative, position").bind(council).fetch_all(&mut *conn).await? {
        milestones.entry(r.try_get("initiative")?).or_default().push(Milestone {
            name: r.try_get("name")?,
            due: opt_date(&r, "due")?,
            achieved: opt_date(&r, "achieved")?,
        });
    }
    let mut lists = read_lists(conn, "initiative_lists", "initiative", council).await?;
    let mut out = Vec::new();
    for r in sqlx::query("SELECT * FROM initiatives WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        let mut list = |name: &str| lists.remove(&(s.clone(), name.to_owned())).unwrap_or_default();
        let slugs = |v: Vec<String>| v.iter().map(|x| Slug::parse(x).map_err(corrupt)).collect::<Result<Vec<_>, _>>();
        let lead = match (opt_slug(&r, "lead_organisation")?, opt_slug(&r, "lead_body")?) {
            (Some(o), _) => Some(Party::Organisation(o)),
            (None, Some(b)) => Some(Party::Body(b)),
            (None, None) => None,
        };
        out.push(Initiative {
            slug: slug(&r, "slug")?,
            programme: slug(&r, "programme")?,
            part_of: opt_slug(&r, "part_of")?,
            name: r.try_get("name")?,
            summary: r.try_get("summary")?,
            status: InitiativeStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            starts: opt_date(&r, "starts")?,
            ends: opt_date(&r, "ends")?,
            lead,
            partners: slugs(list("partner"))?,
            themes: slugs(list("theme"))?,
            outcomes: slugs(list("outcome"))?,
            areas: list("area"),
            milestones: milestones.remove(&s).unwrap_or_default(),
            decisions: slugs(list("decision"))?,
            meetings: slugs(list("meeting"))?,
            progress: r.try_get("progress")?,
            weight: r.try_get("weight")?,
            sources: slugs(list("source"))?,
            example: list("example"),
            note: r.try_get("note")?,
        });
    }
    Ok(out)
}

/// One actual of a measure, at `position` among its actuals.
pub(crate) async fn insert_actual(tx: &mut AnyConnection, c: &str, measure: &str, position: i64, a: &Actual) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO measure_actuals (council, measure, period, position, value, commentary, corrective_action, action_owner, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c)
    .bind(measure)
    .bind(a.period.to_string())
    .bind(position)
    .bind(a.value)
    .bind(a.commentary.clone())
    .bind(a.corrective_action.clone())
    .bind(a.action_owner.clone())
    .bind(a.entered_by.clone())
    .bind(a.entered_at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// An actual entered in Placeworks: in its place among the measure's
/// actuals (replacing the one for its period), and added to its history.
pub(crate) async fn put_actual(tx: &mut AnyConnection, c: &str, version: i64, measure: &str, a: &Actual) -> Result<(), StoreError> {
    let period = a.period.to_string();
    let known = sqlx::query("SELECT slug FROM measures WHERE council = $1 AND slug = $2").bind(c).bind(measure).fetch_optional(&mut *tx).await?;
    if known.is_none() {
        return Err(StoreError::Conflict(format!("there is no measure `{measure}`")));
    }
    let n = crate::audit::place(tx, "measure_actuals", "measure,period", c, &[measure, &period], 1).await?;
    insert_actual(tx, c, measure, n, a).await?;
    sqlx::query(
        "INSERT INTO measure_actual_entries (council, measure, period, version, value, commentary, corrective_action, action_owner, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c)
    .bind(measure)
    .bind(&period)
    .bind(version)
    .bind(a.value)
    .bind(a.commentary.clone())
    .bind(a.corrective_action.clone())
    .bind(a.action_owner.clone())
    .bind(a.entered_by.clone())
    .bind(a.entered_at.unwrap_or(0))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Every value entered in Placeworks for a measure, newest first.
pub(crate) async fn read_actual_entries(conn: &mut AnyConnection, council: &str, measure: &str) -> Result<Vec<Actual>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {ACTUAL_COLUMNS} FROM measure_actual_entries WHERE council = $1 AND measure = $2 ORDER BY version DESC, period"))
        .bind(council)
        .bind(measure)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(actual_row).collect()
}

/// The columns an actual is read from (not the readable `entered_at_utc`,
/// which the one driver cannot read in PostgreSQL).
const ACTUAL_COLUMNS: &str = "period, value, commentary, corrective_action, action_owner, entered_by, entered_at";

/// An actual from a row of `measure_actuals` or `measure_actual_entries`.
fn actual_row(r: &sqlx::any::AnyRow) -> Result<Actual, StoreError> {
    Ok(Actual {
        period: Period::parse(&r.try_get::<String, _>("period")?).map_err(corrupt)?,
        value: r.try_get("value")?,
        commentary: r.try_get("commentary")?,
        corrective_action: r.try_get("corrective_action")?,
        action_owner: r.try_get("action_owner")?,
        entered_by: r.try_get("entered_by")?,
        entered_at: r.try_get("entered_at")?,
    })
}

/// A council's measures, in order.
pub(crate) async fn read_measures(conn: &mut AnyConnection, council: &str) -> Result<Vec<Measure>, StoreError> {
    let period = |s: String| Period::parse(&s).map_err(corrupt);
    let mut targets: HashMap<String, Vec<MeasureTarget>> = HashMap::new();
    for r in sqlx::query("SELECT measure, period, value FROM measure_targets WHERE council = $1 ORDER BY measure, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        let p: Option<String> = r.try_get("period")?;
        targets.entry(r.try_get("measure")?).or_default().push(MeasureTarget { period: p.map(period).transpose()?, value: r.try_get("value")? });
    }
    let mut actuals: HashMap<String, Vec<Actual>> = HashMap::new();
    for r in sqlx::query(&format!("SELECT measure, {ACTUAL_COLUMNS} FROM measure_actuals WHERE council = $1 ORDER BY measure, position"))
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        actuals.entry(r.try_get("measure")?).or_default().push(actual_row(&r)?);
    }
    let mut lists = read_lists(conn, "measure_lists", "measure", council).await?;
    let mut out = Vec::new();
    for r in sqlx::query("SELECT * FROM measures WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        let mut list = |name: &str| lists.remove(&(s.clone(), name.to_owned())).unwrap_or_default();
        let slugs = |v: Vec<String>| v.iter().map(|x| Slug::parse(x).map_err(corrupt)).collect::<Result<Vec<_>, _>>();
        let baseline_period: Option<String> = r.try_get("baseline_period")?;
        let baseline_value: Option<f64> = r.try_get("baseline_value")?;
        out.push(Measure {
            slug: slug(&r, "slug")?,
            programme: slug(&r, "programme")?,
            initiative: opt_slug(&r, "initiative")?,
            name: r.try_get("name")?,
            unit: r.try_get("unit")?,
            polarity: placeworks_domain::places::Polarity::parse(&r.try_get::<String, _>("polarity")?).map_err(corrupt)?,
            frequency: Frequency::parse(&r.try_get::<String, _>("frequency")?).map_err(corrupt)?,
            source: r.try_get("source")?,
            indicator: opt_slug(&r, "indicator")?,
            themes: slugs(list("theme"))?,
            outcomes: slugs(list("outcome"))?,
            baseline: match (baseline_period, baseline_value) {
                (Some(p), Some(v)) => Some(Reading { period: period(p)?, value: v }),
                _ => None,
            },
            targets: targets.remove(&s).unwrap_or_default(),
            rule: StatusRule::parse(&r.try_get::<String, _>("rule")?).map_err(corrupt)?,
            owner: r.try_get("owner")?,
            actuals: actuals.remove(&s).unwrap_or_default(),
            sources: slugs(list("source"))?,
            example: list("example"),
            note: r.try_get("note")?,
        });
    }
    Ok(out)
}

/// A council's records' named lists from `table` keyed by `owner`: by (record, list), in order.
async fn read_lists(conn: &mut AnyConnection, table: &str, owner: &str, council: &str) -> Result<HashMap<(String, String), Vec<String>>, StoreError> {
    let mut lists: HashMap<(String, String), Vec<String>> = HashMap::new();
    for r in sqlx::query(&format!("SELECT {owner}, list, value FROM {table} WHERE council = $1 ORDER BY {owner}, list, position"))
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        lists.entry((r.try_get(owner)?, r.try_get("list")?)).or_default().push(r.try_get("value")?);
    }
    Ok(lists)
}

/// A record's named lists, a row per value: `table` keyed by `owner`.
async fn insert_lists(tx: &mut AnyConnection, table: &str, owner: &str, c: &str, of: &str, lists: Vec<(&str, Vec<&str>)>) -> Result<(), StoreError> {
    let sql = format!("INSERT INTO {table} (council, {owner}, list, position, value) VALUES ($1, $2, $3, $4, $5)");
    for (list, values) in lists {
        for (i, v) in values.into_iter().enumerate() {
            sqlx::query(&sql).bind(c).bind(of).bind(list).bind(i as i64).bind(v).execute(&mut *tx).await?;
        }
    }
    Ok(())
}

// ---- money -------------------------------------------------------------------------

/// A money record's lists (areas, sources, example), a row per value.
async fn insert_money_lists(tx: &mut AnyConnection, c: &str, kind: &str, record: &str, lists: [(&str, Vec<&str>); 3]) -> Result<(), StoreError> {
    for (list, values) in lists {
        for (i, v) in values.into_iter().enumerate() {
            sqlx::query("INSERT INTO money_lists (council, record_kind, record, list, position, value) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(c)
                .bind(kind)
                .bind(record)
                .bind(list)
                .bind(i as i64)
                .bind(v)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// A fund: its row, its allocations, bids and spend, and its lists.
pub(crate) async fn insert_fund(tx: &mut AnyConnection, c: &str, position: i64, f: &Fund) -> Result<(), StoreError> {
    let s = f.slug.as_str();
    let (held_kind, held) = crate::register::party_parts(&f.held_by);
    sqlx::query(
        "INSERT INTO funds (council, slug, position, name, kind, source, held_by_kind, held_by, programme, amount, period, each_year, conditions, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(c)
    .bind(s)
    .bind(position)
    .bind(&f.name)
    .bind(f.kind.code())
    .bind(f.source.clone())
    .bind(held_kind)
    .bind(held)
    .bind(f.programme.as_ref().map(ToString::to_string))
    .bind(f.amount)
    .bind(f.period.map(|p| p.to_string()))
    .bind(f.each_year)
    .bind(f.conditions.clone())
    .bind(f.note.clone())
    .execute(&mut *tx)
    .await?;
    for (i, a) in f.allocations.iter().enumerate() {
        sqlx::query(
            "INSERT INTO fund_allocations (council, fund, slug, position, name, amount, initiative, area, decision, date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(c)
        .bind(s)
        .bind(a.slug.as_str())
        .bind(i as i64)
        .bind(&a.name)
        .bind(a.amount)
        .bind(a.initiative.as_ref().map(ToString::to_string))
        .bind(a.area.clone())
        .bind(a.decision.as_ref().map(ToString::to_string))
        .bind(a.date.as_ref().map(ToString::to_string))
        .execute(&mut *tx)
        .await?;
    }
    for (i, b) in f.bids.iter().enumerate() {
        let (by_kind, by) = crate::register::party_parts(&b.by);
        sqlx::query(
            "INSERT INTO fund_bids (council, fund, slug, position, name, by_kind, by_slug, amount, status, submitted, decision, area, initiative) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(c)
        .bind(s)
        .bind(b.slug.as_str())
        .bind(i as i64)
        .bind(&b.name)
        .bind(by_kind)
        .bind(by)
        .bind(b.amount)
        .bind(b.status.code())
        .bind(b.submitted.as_ref().map(ToString::to_string))
        .bind(b.decision.as_ref().map(ToString::to_string))
        .bind(b.area.clone())
        .bind(b.initiative.as_ref().map(ToString::to_string))
        .execute(&mut *tx)
        .await?;
    }
    for (i, x) in f.spend.iter().enumerate() {
        sqlx::query("INSERT INTO fund_spend (council, fund, position, period, amount, allocation) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(c)
            .bind(s)
            .bind(i as i64)
            .bind(x.period.to_string())
            .bind(x.amount)
            .bind(x.allocation.as_ref().map(ToString::to_string))
            .execute(&mut *tx)
            .await?;
    }
    let lists = [
        ("area", f.areas.iter().map(String::as_str).collect()),
        ("source", f.sources.iter().map(Slug::as_str).collect()),
        ("example", f.example.iter().map(String::as_str).collect()),
    ];
    insert_money_lists(tx, c, "fund", s, lists).await
}

/// A partner's matched contribution: its row and its lists.
pub(crate) async fn insert_contribution(tx: &mut AnyConnection, c: &str, position: i64, x: &Contribution) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO contributions (council, slug, position, partner, name, amount, amount_words, each_year, status, fund, initiative, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(c)
    .bind(x.slug.as_str())
    .bind(position)
    .bind(x.partner.as_str())
    .bind(&x.name)
    .bind(x.amount)
    .bind(x.amount_words.clone())
    .bind(x.each_year)
    .bind(x.status.code())
    .bind(x.fund.as_ref().map(ToString::to_string))
    .bind(x.initiative.as_ref().map(ToString::to_string))
    .bind(x.note.clone())
    .execute(&mut *tx)
    .await?;
    let lists = [
        ("area", x.areas.iter().map(String::as_str).collect()),
        ("source", x.sources.iter().map(Slug::as_str).collect()),
        ("example", x.example.iter().map(String::as_str).collect()),
    ];
    insert_money_lists(tx, c, "contribution", x.slug.as_str(), lists).await
}

/// An agreement to devolve services: its row, its services and its lists.
pub(crate) async fn insert_agreement(tx: &mut AnyConnection, c: &str, position: i64, x: &Agreement) -> Result<(), StoreError> {
    let s = x.slug.as_str();
    sqlx::query(
        "INSERT INTO agreements (council, slug, position, parish, with_organisation, status, contribution, starts, ends, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c)
    .bind(s)
    .bind(position)
    .bind(x.parish.as_str())
    .bind(x.with.as_ref().map(ToString::to_string))
    .bind(x.status.code())
    .bind(x.contribution)
    .bind(x.starts.as_ref().map(ToString::to_string))
    .bind(x.ends.as_ref().map(ToString::to_string))
    .bind(x.note.clone())
    .execute(&mut *tx)
    .await?;
    for (i, v) in x.services.iter().enumerate() {
        sqlx::query("INSERT INTO agreement_services (council, agreement, position, service, quantity) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(s)
            .bind(i as i64)
            .bind(&v.service)
            .bind(v.quantity.clone())
            .execute(&mut *tx)
            .await?;
    }
    let lists = [("area", Vec::new()), ("source", x.sources.iter().map(Slug::as_str).collect()), ("example", x.example.iter().map(String::as_str).collect())];
    insert_money_lists(tx, c, "agreement", s, lists).await
}

/// A council's money: its funds (with their allocations, bids and spend),
/// contributions and agreements, in order.
pub(crate) async fn read_money(conn: &mut AnyConnection, council: &str) -> Result<(Vec<Fund>, Vec<Contribution>, Vec<Agreement>), StoreError> {
    use crate::register::{flag, party_from};
    let period = |s: String| Period::parse(&s).map_err(corrupt);
    let mut lists: HashMap<(String, String, String), Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT record_kind, record, list, value FROM money_lists WHERE council = $1 ORDER BY record_kind, record, list, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        lists.entry((r.try_get("record_kind")?, r.try_get("record")?, r.try_get("list")?)).or_default().push(r.try_get("value")?);
    }
    let mut list = |kind: &str, record: &str, name: &str| lists.remove(&(kind.to_owned(), record.to_owned(), name.to_owned())).unwrap_or_default();
    let slugs = |v: Vec<String>| v.iter().map(|x| Slug::parse(x).map_err(corrupt)).collect::<Result<Vec<_>, _>>();
    let mut allocations: HashMap<String, Vec<Allocation>> = HashMap::new();
    for r in sqlx::query("SELECT * FROM fund_allocations WHERE council = $1 ORDER BY fund, position").bind(council).fetch_all(&mut *conn).await? {
        allocations.entry(r.try_get("fund")?).or_default().push(Allocation {
            slug: slug(&r, "slug")?,
            name: r.try_get("name")?,
            amount: r.try_get("amount")?,
            initiative: opt_slug(&r, "initiative")?,
            area: r.try_get("area")?,
            decision: opt_slug(&r, "decision")?,
            date: opt_date(&r, "date")?,
        });
    }
    let mut bids: HashMap<String, Vec<Bid>> = HashMap::new();
    for r in sqlx::query("SELECT * FROM fund_bids WHERE council = $1 ORDER BY fund, position").bind(council).fetch_all(&mut *conn).await? {
        bids.entry(r.try_get("fund")?).or_default().push(Bid {
            slug: slug(&r, "slug")?,
            name: r.try_get("name")?,
            by: party_from(r.try_get("by_kind")?, r.try_get("by_slug")?)?,
            amount: r.try_get("amount")?,
            status: BidStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            submitted: opt_date(&r, "submitted")?,
            decision: opt_slug(&r, "decision")?,
            area: r.try_get("area")?,
            initiative: opt_slug(&r, "initiative")?,
        });
    }
    let mut spend: HashMap<String, Vec<Spend>> = HashMap::new();
    for r in sqlx::query("SELECT * FROM fund_spend WHERE council = $1 ORDER BY fund, position").bind(council).fetch_all(&mut *conn).await? {
        spend.entry(r.try_get("fund")?).or_default().push(Spend {
            period: period(r.try_get("period")?)?,
            amount: r.try_get("amount")?,
            allocation: opt_slug(&r, "allocation")?,
        });
    }
    let mut funds = Vec::new();
    let sql = format!(
        "SELECT slug, name, kind, source, held_by_kind, held_by, programme, amount, period, {}, conditions, note FROM funds WHERE council = $1 ORDER BY position",
        flag("each_year")
    );
    for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        let p: Option<String> = r.try_get("period")?;
        funds.push(Fund {
            slug: slug(&r, "slug")?,
            name: r.try_get("name")?,
            kind: FundKind::parse(&r.try_get::<String, _>("kind")?).map_err(corrupt)?,
            source: r.try_get("source")?,
            held_by: party_from(r.try_get("held_by_kind")?, r.try_get("held_by")?)?,
            programme: opt_slug(&r, "programme")?,
            amount: r.try_get("amount")?,
            period: p.map(period).transpose()?,
            each_year: r.try_get::<i64, _>("each_year")? != 0,
            conditions: r.try_get("conditions")?,
            areas: list("fund", &s, "area"),
            allocations: allocations.remove(&s).unwrap_or_default(),
            bids: bids.remove(&s).unwrap_or_default(),
            spend: spend.remove(&s).unwrap_or_default(),
            sources: slugs(list("fund", &s, "source"))?,
            example: list("fund", &s, "example"),
            note: r.try_get("note")?,
        });
    }
    let mut contributions = Vec::new();
    let sql = format!(
        "SELECT slug, partner, name, amount, amount_words, {}, status, fund, initiative, note FROM contributions WHERE council = $1 ORDER BY position",
        flag("each_year")
    );
    for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        contributions.push(Contribution {
            slug: slug(&r, "slug")?,
            partner: slug(&r, "partner")?,
            name: r.try_get("name")?,
            amount: r.try_get("amount")?,
            amount_words: r.try_get("amount_words")?,
            each_year: r.try_get::<i64, _>("each_year")? != 0,
            status: ContributionStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            fund: opt_slug(&r, "fund")?,
            initiative: opt_slug(&r, "initiative")?,
            areas: list("contribution", &s, "area"),
            sources: slugs(list("contribution", &s, "source"))?,
            example: list("contribution", &s, "example"),
            note: r.try_get("note")?,
        });
    }
    let mut services: HashMap<String, Vec<AgreedService>> = HashMap::new();
    for r in sqlx::query("SELECT agreement, service, quantity FROM agreement_services WHERE council = $1 ORDER BY agreement, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        services.entry(r.try_get("agreement")?).or_default().push(AgreedService { service: r.try_get("service")?, quantity: r.try_get("quantity")? });
    }
    let mut agreements = Vec::new();
    for r in sqlx::query("SELECT * FROM agreements WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        agreements.push(Agreement {
            slug: slug(&r, "slug")?,
            parish: slug(&r, "parish")?,
            with: opt_slug(&r, "with_organisation")?,
            status: AgreementStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            services: services.remove(&s).unwrap_or_default(),
            contribution: r.try_get("contribution")?,
            starts: opt_date(&r, "starts")?,
            ends: opt_date(&r, "ends")?,
            sources: slugs(list("agreement", &s, "source"))?,
            example: list("agreement", &s, "example"),
            note: r.try_get("note")?,
        });
    }
    Ok((funds, contributions, agreements))
}
