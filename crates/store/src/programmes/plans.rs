//! Reading and writing a council's strategies (with their aims and
//! objectives) and action plans (with their actions).

use super::{insert_lists, read_lists};
use crate::register::{corrupt, opt_date, opt_slug, slug};
use crate::StoreError;
use placeworks_domain::ids::Slug;
use placeworks_domain::programmes::*;
use placeworks_domain::register::model::Party;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

fn slugs(v: Vec<String>) -> Result<Vec<Slug>, StoreError> {
    v.iter().map(|x| Slug::parse(x).map_err(corrupt)).collect()
}

fn opt_period(r: &sqlx::any::AnyRow, column: &str) -> Result<Option<Period>, StoreError> {
    r.try_get::<Option<String>, _>(column)?.map(|p| Period::parse(&p).map_err(corrupt)).transpose()
}

fn number(r: &sqlx::any::AnyRow, column: &str) -> Result<u32, StoreError> {
    u32::try_from(r.try_get::<i64, _>(column)?).map_err(corrupt)
}

/// A strategy: its row, its aims and objectives, and its lists.
pub(crate) async fn insert_strategy(tx: &mut AnyConnection, c: &str, position: i64, x: &Strategy) -> Result<(), StoreError> {
    let s = x.slug.as_str();
    let (organisation, body) = match &x.owner {
        Some(Party::Organisation(o)) => (Some(o.to_string()), None),
        Some(Party::Body(b)) => (None, Some(b.to_string())),
        None => (None, None),
    };
    sqlx::query(
        "INSERT INTO strategies (council, slug, position, name, summary, dated, status, owner_organisation, owner_body, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c)
    .bind(s)
    .bind(position)
    .bind(&x.name)
    .bind(x.summary.clone())
    .bind(x.dated.as_ref().map(ToString::to_string))
    .bind(x.status.code())
    .bind(organisation)
    .bind(body)
    .bind(x.note.clone())
    .execute(&mut *tx)
    .await?;
    for a in &x.aims {
        sqlx::query("INSERT INTO strategy_aims (council, strategy, number, name, text) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(s)
            .bind(i64::from(a.number))
            .bind(&a.name)
            .bind(a.text.clone())
            .execute(&mut *tx)
            .await?;
    }
    for o in &x.objectives {
        sqlx::query(
            "INSERT INTO strategy_objectives (council, strategy, number, aim, name, text, by_year, status, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(c)
        .bind(s)
        .bind(i64::from(o.number))
        .bind(i64::from(o.aim))
        .bind(&o.name)
        .bind(o.text.clone())
        .bind(o.by.map(|p| p.to_string()))
        .bind(o.status.code())
        .bind(o.note.clone())
        .execute(&mut *tx)
        .await?;
        for (i, m) in o.measures.iter().enumerate() {
            sqlx::query("INSERT INTO strategy_objective_measures (council, strategy, objective, position, measure) VALUES ($1, $2, $3, $4, $5)")
                .bind(c)
                .bind(s)
                .bind(i64::from(o.number))
                .bind(i as i64)
                .bind(m.as_str())
                .execute(&mut *tx)
                .await?;
        }
    }
    let lists = vec![
        ("principle", x.principles.iter().map(String::as_str).collect()),
        ("decision", x.decisions.iter().map(Slug::as_str).collect()),
        ("source", x.sources.iter().map(Slug::as_str).collect()),
        ("example", x.example.iter().map(String::as_str).collect()),
    ];
    insert_lists(tx, "strategy_lists", "strategy", c, s, lists).await
}

/// A council's strategies, in order.
pub(crate) async fn read_strategies(conn: &mut AnyConnection, council: &str) -> Result<Vec<Strategy>, StoreError> {
    let mut aims: HashMap<String, Vec<Aim>> = HashMap::new();
    for r in sqlx::query("SELECT * FROM strategy_aims WHERE council = $1 ORDER BY strategy, number").bind(council).fetch_all(&mut *conn).await? {
        aims.entry(r.try_get("strategy")?).or_default().push(Aim { number: number(&r, "number")?, name: r.try_get("name")?, text: r.try_get("text")? });
    }
    let mut measures: HashMap<(String, i64), Vec<Slug>> = HashMap::new();
    for r in sqlx::query("SELECT strategy, objective, measure FROM strategy_objective_measures WHERE council = $1 ORDER BY strategy, objective, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        measures.entry((r.try_get("strategy")?, r.try_get("objective")?)).or_default().push(slug(&r, "measure")?);
    }
    let mut objectives: HashMap<String, Vec<Objective>> = HashMap::new();
    for r in sqlx::query("SELECT * FROM strategy_objectives WHERE council = $1 ORDER BY strategy, number").bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("strategy")?;
        let n: i64 = r.try_get("number")?;
        let o = Objective {
            number: number(&r, "number")?,
            aim: number(&r, "aim")?,
            name: r.try_get("name")?,
            text: r.try_get("text")?,
            by: opt_period(&r, "by_year")?,
            status: WorkStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            measures: measures.remove(&(s.clone(), n)).unwrap_or_default(),
            note: r.try_get("note")?,
        };
        objectives.entry(s).or_default().push(o);
    }
    let mut lists = read_lists(conn, "strategy_lists", "strategy", council).await?;
    let mut out = Vec::new();
    for r in sqlx::query("SELECT * FROM strategies WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        let mut list = |name: &str| lists.remove(&(s.clone(), name.to_owned())).unwrap_or_default();
        let owner = match (opt_slug(&r, "owner_organisation")?, opt_slug(&r, "owner_body")?) {
            (Some(o), _) => Some(Party::Organisation(o)),
            (None, Some(b)) => Some(Party::Body(b)),
            (None, None) => None,
        };
        out.push(Strategy {
            slug: slug(&r, "slug")?,
            name: r.try_get("name")?,
            summary: r.try_get("summary")?,
            dated: opt_date(&r, "dated")?,
            status: ProgrammeStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            owner,
            aims: aims.remove(&s).unwrap_or_default(),
            objectives: objectives.remove(&s).unwrap_or_default(),
            principles: list("principle"),
            decisions: slugs(list("decision"))?,
            sources: slugs(list("source"))?,
            example: list("example"),
            note: r.try_get("note")?,
        });
    }
    Ok(out)
}

/// An action plan: its row, its actions and their lists, and its lists.
pub(crate) async fn insert_plan(tx: &mut AnyConnection, c: &str, position: i64, x: &ActionPlan) -> Result<(), StoreError> {
    let s = x.slug.as_str();
    sqlx::query(
        "INSERT INTO action_plans (council, slug, position, name, strategy, programme, area, led_by, period, status, text, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(c)
    .bind(s)
    .bind(position)
    .bind(&x.name)
    .bind(x.strategy.as_ref().map(ToString::to_string))
    .bind(x.programme.as_ref().map(ToString::to_string))
    .bind(x.area.clone())
    .bind(x.led_by.as_ref().map(ToString::to_string))
    .bind(x.period.map(|p| p.to_string()))
    .bind(x.status.code())
    .bind(x.text.clone())
    .bind(x.note.clone())
    .execute(&mut *tx)
    .await?;
    for (i, a) in x.actions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_actions (council, plan, position, text, owner, starts, due, status, initiative) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(c)
        .bind(s)
        .bind(i as i64)
        .bind(&a.text)
        .bind(a.owner.clone())
        .bind(a.starts.as_ref().map(ToString::to_string))
        .bind(a.due.as_ref().map(ToString::to_string))
        .bind(a.status.code())
        .bind(a.initiative.as_ref().map(ToString::to_string))
        .execute(&mut *tx)
        .await?;
        let objectives: Vec<String> = a.objectives.iter().map(ToString::to_string).collect();
        let lists: [(&str, Vec<&str>); 3] = [
            ("objective", objectives.iter().map(String::as_str).collect()),
            ("theme", a.themes.iter().map(Slug::as_str).collect()),
            ("step", a.steps.iter().map(String::as_str).collect()),
        ];
        for (list, values) in lists {
            for (j, v) in values.into_iter().enumerate() {
                sqlx::query("INSERT INTO plan_action_lists (council, plan, action, list, position, value) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(c)
                    .bind(s)
                    .bind(i as i64)
                    .bind(list)
                    .bind(j as i64)
                    .bind(v)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    let lists = vec![("source", x.sources.iter().map(Slug::as_str).collect()), ("example", x.example.iter().map(String::as_str).collect())];
    insert_lists(tx, "plan_lists", "plan", c, s, lists).await
}

/// A council's action plans, in order.
pub(crate) async fn read_plans(conn: &mut AnyConnection, council: &str) -> Result<Vec<ActionPlan>, StoreError> {
    let mut action_lists: HashMap<(String, i64, String), Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT plan, action, list, value FROM plan_action_lists WHERE council = $1 ORDER BY plan, action, list, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        action_lists.entry((r.try_get("plan")?, r.try_get("action")?, r.try_get("list")?)).or_default().push(r.try_get("value")?);
    }
    let mut actions: HashMap<String, Vec<PlanAction>> = HashMap::new();
    for r in sqlx::query("SELECT * FROM plan_actions WHERE council = $1 ORDER BY plan, position").bind(council).fetch_all(&mut *conn).await? {
        let plan: String = r.try_get("plan")?;
        let at: i64 = r.try_get("position")?;
        let mut list = |name: &str| action_lists.remove(&(plan.clone(), at, name.to_owned())).unwrap_or_default();
        let objectives = list("objective").iter().map(|n| n.parse::<u32>().map_err(corrupt)).collect::<Result<Vec<_>, _>>()?;
        let a = PlanAction {
            text: r.try_get("text")?,
            objectives,
            themes: slugs(list("theme"))?,
            owner: r.try_get("owner")?,
            starts: opt_date(&r, "starts")?,
            due: opt_date(&r, "due")?,
            status: WorkStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            initiative: opt_slug(&r, "initiative")?,
            steps: list("step"),
        };
        actions.entry(plan).or_default().push(a);
    }
    let mut lists = read_lists(conn, "plan_lists", "plan", council).await?;
    let mut out = Vec::new();
    for r in sqlx::query("SELECT * FROM action_plans WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        let mut list = |name: &str| lists.remove(&(s.clone(), name.to_owned())).unwrap_or_default();
        out.push(ActionPlan {
            slug: slug(&r, "slug")?,
            name: r.try_get("name")?,
            strategy: opt_slug(&r, "strategy")?,
            programme: opt_slug(&r, "programme")?,
            area: r.try_get("area")?,
            led_by: opt_slug(&r, "led_by")?,
            period: opt_period(&r, "period")?,
            status: PlanStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            text: r.try_get("text")?,
            actions: actions.remove(&s).unwrap_or_default(),
            sources: slugs(list("source"))?,
            example: list("example"),
            note: r.try_get("note")?,
        });
    }
    Ok(out)
}

/// An action of a plan updated in place: its status, owner and dates (its words and lists stay).
pub(crate) async fn put_plan_action(tx: &mut AnyConnection, c: &str, plan: &str, position: usize, a: &PlanAction) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE plan_actions SET owner = $4, starts = $5, due = $6, status = $7 WHERE council = $1 AND plan = $2 AND position = $3")
        .bind(c)
        .bind(plan)
        .bind(position as i64)
        .bind(a.owner.clone())
        .bind(a.starts.as_ref().map(ToString::to_string))
        .bind(a.due.as_ref().map(ToString::to_string))
        .bind(a.status.code())
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(format!("plan `{plan}` has no action {}", position + 1)));
    }
    Ok(())
}
