//! Strategies and action plans on the web: a strategy's page (its vision,
//! aims, numbered objectives with their status, measures and the actions
//! serving each, and its action plans), and a local action plan as part of
//! the page of the place it is for.

use crate::shell::errors::not_found;
use crate::shell::render::{council_json, council_of, crumbs, page, party, source_titles, Page};
use crate::shell::viewer::Viewer;
use crate::shell::write::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use placeworks_domain::permissions::Action;
use placeworks_domain::programmes::commands::{plan_action_id, plan_action_update};
use placeworks_domain::programmes::forms::PlanActionForm;
use placeworks_domain::programmes::{plan_resource, ActionPlan, PlanAction, Strategy, WorkStatus};
use placeworks_domain::register::Index;
use serde_json::json;

/// A plan and its actions, each with its status in words, whether it is
/// overdue, and what it points at (objectives, themes, an initiative).
pub(crate) fn plan_json(ix: &Index, plan: &ActionPlan, today: chrono::NaiveDate) -> serde_json::Value {
    let strategy = plan.strategy.as_ref().and_then(|s| ix.register.strategies.iter().find(|x| &x.slug == s));
    let programme = plan.programme.as_ref().and_then(|s| ix.register.programmes.iter().find(|x| &x.slug == s));
    let action = |a: &PlanAction| {
        let objectives: Vec<_> = a
            .objectives
            .iter()
            .filter_map(|n| strategy.and_then(|s| s.objectives.iter().find(|o| o.number == *n)).map(|o| json!({ "number": o.number, "name": o.name })))
            .collect();
        let themes: Vec<_> = a
            .themes
            .iter()
            .filter_map(|t| programme.and_then(|p| p.themes.iter().find(|x| &x.slug == t)))
            .map(|t| json!({ "slug": t.slug, "name": t.name }))
            .collect();
        let initiative = a
            .initiative
            .as_ref()
            .and_then(|i| ix.register.initiatives.iter().find(|x| &x.slug == i))
            .map(|i| json!({ "slug": i.slug, "name": i.name, "programme": i.programme }));
        json!({
            "text": a.text, "steps": a.steps, "objectives": objectives, "themes": themes, "initiative": initiative,
            "owner": a.owner, "starts": a.starts.as_ref().map(|d| d.display()), "due": a.due.as_ref().map(|d| d.display()),
            "status": a.status.label(), "status_code": a.status.code(), "overdue": a.overdue(today),
        })
    };
    let area = plan.area.as_ref().and_then(|a| ix.area(a)).map(|a| json!({ "code": a.code, "name": a.name }));
    let led_by = plan.led_by.as_ref().and_then(|b| ix.body(b.as_str())).map(|b| json!({ "slug": b.slug, "name": b.name }));
    let c = ix.register.council.slug.as_str();
    json!({
        "may_edit": viewer_may(c, Action::Edit, &plan_resource(plan)),
        "slug": plan.slug, "name": plan.name, "status": plan.status.label(), "period": plan.period.map(|p| p.label()), "text": plan.text,
        "area": area, "led_by": led_by, "actions": plan.actions.iter().map(action).collect::<Vec<_>>(), "example": plan.example,
        "sources": source_titles(ix, &plan.sources), "note": plan.note,
        "programme": programme.map(|p| json!({ "slug": p.slug, "name": p.name })),
        "strategy": strategy.map(|s| json!({ "slug": s.slug, "name": s.name })),
    })
}

/// The local action plan a programme has for a place, if it has one.
pub(crate) fn local_plan<'a>(ix: &'a Index, programme: &placeworks_domain::Slug, code: &str) -> Option<&'a ActionPlan> {
    ix.register.plans.iter().find(|p| p.programme.as_ref() == Some(programme) && p.area.as_deref() == Some(code))
}

/// The strategy with this slug, or the page saying there is none.
fn strategy_called<'a>(ix: &'a Index, slug: &str) -> Result<&'a Strategy, crate::shell::errors::AppError> {
    ix.register.strategies.iter().find(|s| s.slug.as_str() == slug).ok_or_else(|| not_found(format!("There is no strategy called “{slug}”.")))
}

/// A strategy's page.
pub async fn strategy(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>) -> Page {
    let ix = council_of(&state, &council)?;
    let s = strategy_called(&ix, &slug)?;
    let today = state.clock.today();
    let plans: Vec<&ActionPlan> = ix.register.plans.iter().filter(|p| p.strategy.as_ref() == Some(&s.slug)).collect();
    let aims: Vec<_> = s
        .aims
        .iter()
        .map(|a| {
            let objectives: Vec<_> = s
                .objectives
                .iter()
                .filter(|o| o.aim == a.number)
                .map(|o| {
                    let measures: Vec<_> = o
                        .measures
                        .iter()
                        .filter_map(|m| ix.register.measures.iter().find(|x| &x.slug == m))
                        .map(|m| json!({ "slug": m.slug, "name": m.name, "programme": m.programme }))
                        .collect();
                    let actions: Vec<_> = plans
                        .iter()
                        .flat_map(|p| p.actions.iter().enumerate().filter(|(_, x)| x.objectives.contains(&o.number)).map(move |(i, x)| (p, i, x)))
                        .map(|(p, i, x)| json!({ "plan": p.slug, "number": i + 1, "short": short(&x.text), "status": x.status.label() }))
                        .collect();
                    json!({
                        "number": o.number, "name": o.name, "text": o.text, "by": o.by.map(|p| p.label()),
                        "status": o.status.label(), "status_code": o.status.code(), "measures": measures, "actions": actions, "note": o.note,
                    })
                })
                .collect();
            json!({ "number": a.number, "name": a.name, "text": a.text, "objectives": objectives })
        })
        .collect();
    let c = ix.register.council.slug.as_str();
    page(
        "strategy.html",
        json!({
            "council": council_json(&ix), "page_title": s.name, "section": "programmes",
            "breadcrumbs": crumbs(&ix, &[("Programmes", format!("/{c}/programmes"))]),
            "strategy": s, "status": s.status.label(), "dated": s.dated.as_ref().map(|d| d.display()),
            "owner": s.owner.as_ref().map(|o| party(&ix, o)), "aims": aims,
            "objective_count": s.objectives.len(),
            "plans": plans.iter().map(|p| plan_json(&ix, p, today)).collect::<Vec<_>>(),
            "sources": source_titles(&ix, &s.sources),
        }),
    )
}

/// The start of a long text, cut at a word, for a line that points to the whole.
fn short(text: &str) -> String {
    if text.chars().count() <= 120 {
        return text.to_owned();
    }
    let cut: String = text.chars().take(120).collect();
    format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a).trim_end_matches([',', ';', ':', ' ']))
}

/// Where an action is shown: its place's page for a local plan, its strategy's page otherwise.
fn shown_at(council: &str, plan: &ActionPlan, number: usize) -> String {
    match (&plan.programme, &plan.area, &plan.strategy) {
        (Some(p), Some(a), _) => format!("/{council}/programmes/{p}/areas/{a}#{}-action-{number}", plan.slug),
        (_, _, Some(s)) => format!("/{council}/strategies/{s}#{}-action-{number}", plan.slug),
        (Some(p), None, None) => format!("/{council}/programmes/{p}#plans"),
        (None, _, None) => format!("/{council}/programmes"),
    }
}

type ActionEditing = (std::sync::Arc<Index>, Viewer, i64, ActionPlan, PlanAction);

fn action_editor(state: &AppState, council: &str, plan: &str, number: usize) -> Result<ActionEditing, Response> {
    let v = signed_in()?;
    let (ix, version) = registers(state, council, &v).map_err(IntoResponse::into_response)?;
    let found = ix.register.plans.iter().find(|p| p.slug.as_str() == plan).and_then(|p| Some((p.clone(), p.actions.get(number.checked_sub(1)?)?.clone())));
    let Some((p, a)) = found else { return Err(not_found("There is no such action.").into_response()) };
    let v = allowed(council, Action::Edit, &plan_resource(&p))?;
    Ok((ix, v, version, p, a))
}

fn action_extra(council: &str, plan: &ActionPlan, a: &PlanAction, number: usize) -> serde_json::Value {
    let statuses: Vec<_> = WorkStatus::ALL.iter().map(|s| json!({ "value": s.code(), "label": s.label() })).collect();
    json!({
        "caption": plan.name, "text": a.text, "statuses": statuses,
        "action": format!("/{council}/plans/{}/actions/{number}", plan.slug),
        "cancel": shown_at(council, plan, number),
    })
}

/// The update form's page: as opened, or as posted with what was wrong with it.
struct ActionPage<'a> {
    council: &'a str,
    ix: &'a Index,
    v: &'a Viewer,
    plan: &'a ActionPlan,
    action: &'a PlanAction,
    number: usize,
}

impl ActionPage<'_> {
    fn render(&self, form: &PlanActionForm, errors: &[placeworks_domain::forms::FieldError], version: Option<i64>, conflict: serde_json::Value) -> Handled {
        let title = format!("Update action {}", self.number);
        let crumbs = [("Programmes", format!("/{}/programmes", self.council))];
        let extra = opened_at(action_extra(self.council, self.plan, self.action, self.number), version, conflict);
        council_form_page("plan-action-form.html", self.ix, self.v, &title, &crumbs, form, errors, extra)
    }
}

/// The form to update an action of a plan.
pub async fn action_form(State(state): State<AppState>, Path((council, plan, number)): Path<(String, String, usize)>) -> Handled {
    let (ix, v, version, p, a) = or_respond!(action_editor(&state, &council, &plan, number));
    let shown = ActionPage { council: &council, ix: &ix, v: &v, plan: &p, action: &a, number };
    shown.render(&PlanActionForm::of(&a), &[], Some(version), json!(null))
}

/// Saves the update and goes back to where the action is shown.
pub async fn update_action(
    State(state): State<AppState>,
    Path((council, plan, number)): Path<(String, String, usize)>,
    Form(post): Form<Posted<PlanActionForm>>,
) -> Handled {
    let (ix, v, _, p, a) = or_respond!(action_editor(&state, &council, &plan, number));
    let (form, version) = or_respond!(post.checked_with_version(&v));
    // A form carries the version it was opened on, so an update never overwrites another's unseen.
    let opened = Some(Opened { kind: "plan-action", id: plan_action_id(&p.slug, number), version });
    let posted_version = version;
    match write(&state, &council, &v, opened, |ix| plan_action_update(ix, p.slug.as_str(), number, &form)).await {
        Ok(_) => Ok(Redirect::to(&shown_at(&council, &p, number)).into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            // Refused for its fields, the form still stands on the version it was opened on.
            let shown = ActionPage { council: &council, ix: &ix, v: &v, plan: &p, action: &a, number };
            shown.render(&form, errors, version.or(posted_version), conflict)
        }),
    }
}
