//! Governance health of what the register now keeps beyond meetings: open
//! disagreements, overdue commitments, decisions outside what a body may
//! decide, and local community areas without a Local Head of Service, each
//! checked against the built-in register, with the bad input each form
//! refuses.

use chrono::NaiveDate;
use placeworks_domain::dataset::{self, DatasetFiles};
use placeworks_domain::governance::check;
use placeworks_domain::permissions::{Actor, Grant};
use placeworks_domain::records::*;
use placeworks_domain::register::Index;
use placeworks_domain::services::shortfalls;
use placeworks_domain::{change::*, decisions::*, register::*, PartialDate, Slug};
use std::path::Path;

fn buckinghamshire() -> Register {
    let files = DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/buckinghamshire")).unwrap();
    dataset::read(&files).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn apply(reg: &mut Register, change: Change) {
    for w in change.writes {
        w.apply_to(reg).unwrap();
    }
}

fn rules(reg: &Register, today: &str, rule: &str) -> Vec<String> {
    check(&Index::new(reg.clone()), day(today)).into_iter().filter(|b| b.rule == rule).map(|b| b.what).collect()
}

#[test]
fn an_open_disagreement_is_flagged_until_it_is_resolved_and_is_confidential_by_default() {
    let mut reg = buckinghamshire();
    let ix = Index::new(reg.clone());
    let form = DisputeForm {
        title: "Who pays for the shared data officer".into(),
        parties: "Buckinghamshire County Council\nThames Valley Police".into(),
        raised: "3/2/2009".into(),
        stage: "The Chairman of the BSP Board will take a role in resolving conflict.".into(),
        stage_on: "10/2/2009".into(),
        ..DisputeForm::default()
    };
    let change = plan_dispute(&ix, "bsp-board", None, &form, day("2009-03-01")).unwrap();
    apply(&mut reg, change);
    let d = reg.disputes.last().unwrap().clone();
    assert!(!d.public, "a disagreement is confidential unless published");
    assert_eq!(d.parties.len(), 2);
    let open = rules(&reg, "2009-03-01", "dispute-open");
    assert_eq!(open.len(), 1, "{open:?}");
    assert!(open[0].contains("Who pays for the shared data officer") && open[0].contains("10 February 2009"), "{open:?}");
    // The public never sees it, nor its breach.
    let public = reg.visible_to(&Actor::anonymous());
    assert!(public.disputes.is_empty());
    assert!(check(&Index::new(public), day("2009-03-01")).iter().all(|b| b.rule != "dispute-open"));
    // The Board's chair does.
    let chair = Actor::with([Grant::Chair(Slug::parse("bsp-board").unwrap())]);
    assert_eq!(reg.visible_to(&chair).disputes.len(), 1);
    // Taken to the panel, then resolved: no longer flagged.
    let ix = Index::new(reg.clone());
    let next = DisputeForm {
        stage: "A separate panel of officers to provide recommendations for resolution".into(),
        stage_on: "1/3/2009".into(),
        outcome: "The County Council funds the post for its first year".into(),
        resolved: "20/3/2009".into(),
        ..DisputeForm::default()
    };
    apply(&mut reg, plan_dispute(&ix, "bsp-board", Some(d.slug.as_str()), &next, day("2009-03-25")).unwrap());
    assert_eq!(reg.disputes.last().unwrap().steps.len(), 2);
    assert!(rules(&reg, "2009-03-25", "dispute-open").is_empty());
    assert_eq!(rules(&reg, "2009-03-10", "dispute-open").len(), 1, "still open before the day it was resolved");
}

#[test]
fn a_disagreement_is_refused_with_its_field_when_its_input_is_wrong() {
    let ix = Index::new(buckinghamshire());
    let bad = DisputeForm {
        title: String::new(),
        parties: "The Ministry of Nowhere".into(),
        raised: "31/2/2009".into(),
        stage: "Arbitration".into(),
        resolved: "1/1/2009".into(),
        ..DisputeForm::default()
    };
    let errors = plan_dispute(&ix, "bsp-board", None, &bad, day("2009-03-01")).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    for f in ["title", "parties", "raised", "stage", "outcome"] {
        assert!(fields.contains(&f), "{f} in {errors:?}");
    }
    assert!(errors.iter().any(|e| e.message.contains("escalation path")), "{errors:?}");
}

#[test]
fn a_commitment_is_overdue_once_its_due_date_passes_unmet() {
    let mut reg = buckinghamshire();
    let met = reg.commitments.iter().find(|c| c.slug.as_str() == "levelling-up-report-within-3-months").expect("the 2022 commitment is built in").clone();
    assert_eq!(met.met_by.as_ref().map(Slug::as_str), Some("levelling-up-framework-2022"));
    assert!(rules(&reg, "2031-06-01", "commitment-overdue").is_empty(), "met by the July 2022 decision");
    let mut unmet = met.clone();
    unmet.slug = Slug::parse("an-unmet-commitment").unwrap();
    unmet.met_by = None;
    unmet.met = None;
    Write::PutCommitment(unmet).apply_to(&mut reg).unwrap();
    assert!(rules(&reg, "2022-07-31", "commitment-overdue").is_empty(), "due by July 2022: not overdue on its last day");
    let overdue = rules(&reg, "2022-08-01", "commitment-overdue");
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert!(overdue[0].contains("due by July 2022"), "{overdue:?}");
}

#[test]
fn a_decision_outside_what_its_body_may_decide_is_flagged_unless_ratified() {
    let mut reg = buckinghamshire();
    let committee = reg.bodies.iter().find(|b| b.slug.as_str() == "chiltern-local-committee").unwrap();
    assert_eq!(committee.powers.len(), 1, "the £125,000 transport budget");
    let cabinet = reg.decisions[0].clone();
    let mut within = cabinet.clone();
    within.slug = Slug::parse("chiltern-schemes-2005").unwrap();
    within.body = committee.slug.clone();
    within.meeting = None;
    within.date = PartialDate::parse("2005-06").unwrap();
    within.title = "Transport schemes for 2005/06".into();
    within.power = Some(Slug::parse("transport-budget").unwrap());
    let mut outside = within.clone();
    outside.slug = Slug::parse("chiltern-library-hours-2005").unwrap();
    outside.title = "Library opening hours".into();
    outside.power = None;
    for d in [within, outside] {
        Write::PutDecision(d).apply_to(&mut reg).unwrap();
    }
    let flagged = rules(&reg, "2005-07-01", "decision-outside-powers");
    assert_eq!(flagged, ["“Library opening hours” is recorded under none of the body's powers"]);
    // The Cabinet records no powers, so its decisions are not asked.
    assert!(!flagged.iter().any(|w| w.contains("Levelling Up")));
}

#[test]
fn the_decision_form_asks_for_one_of_the_bodys_powers() {
    let mut reg = buckinghamshire();
    // A meeting of the Board, which decides within its terms of reference.
    let mut m = reg.meetings[0].clone();
    m.body = Slug::parse("bsp-board").unwrap();
    m.planned_for = None;
    m.group = None;
    m.slug = Slug::parse("bsp-board-2009-01-15").unwrap();
    m.date = PartialDate::parse("2009-01-15").unwrap();
    m.status = MeetingStatus::Held;
    Write::PutMeeting(m.clone()).apply_to(&mut reg).unwrap();
    let ix = Index::new(reg.clone());
    let admin = Actor::with([Grant::Administrator]);
    let form = |power: &str| DecisionForm {
        title: "The refreshed Local Area Agreement".into(),
        resolutions: "That the refreshed agreement be AGREED.".into(),
        reached: "consensus".into(),
        notified: "1/12/2008".into(),
        power: power.into(),
        ..DecisionForm::default()
    };
    let mut unsaid = reg.clone();
    apply(&mut unsaid, plan_decision(&ix, &admin, m.slug.as_str(), &form(""), day("2009-01-20")).unwrap());
    let flagged = rules(&unsaid, "2009-01-20", "decision-outside-powers");
    assert_eq!(flagged, ["“The refreshed Local Area Agreement” is recorded under none of the body's powers"], "left unsaid, it is flagged");
    let wrong = plan_decision(&ix, &admin, m.slug.as_str(), &form("transport-budget"), day("2009-01-20")).unwrap_err();
    assert!(wrong.iter().any(|e| e.field == "power" && e.message.contains("one of the body's powers")), "{wrong:?}");
    let ok = plan_decision(&ix, &admin, m.slug.as_str(), &form("terms-of-reference"), day("2009-01-20")).unwrap();
    let Some(Write::PutDecision(d)) = ok.writes.first() else { panic!("a decision is written") };
    assert_eq!(d.power.as_ref().map(Slug::as_str), Some("terms-of-reference"));
    let beyond = plan_decision(&ix, &admin, m.slug.as_str(), &form("beyond"), day("2009-01-20")).unwrap();
    let Some(Write::PutDecision(d)) = beyond.writes.first() else { panic!("a decision is written") };
    assert!(d.beyond_delegation && !d.ratifications.is_empty(), "beyond its powers, it goes to the constituent bodies to ratify");
}

#[test]
fn a_local_community_area_without_a_local_head_of_service_falls_short_of_objective_4() {
    let mut reg = buckinghamshire();
    let short = |reg: &Register, today: &str| -> Vec<(String, String)> {
        shortfalls(&Index::new(reg.clone()), day(today)).into_iter().flat_map(|a| a.shortfalls.into_iter().map(move |s| (a.area.clone(), s.what))).collect()
    };
    let in_2006 = short(&reg, "2006-01-01");
    for lca in ["lca-chesham", "lca-buckingham", "lca-burnham", "lca-princes-risborough"] {
        assert!(in_2006.contains(&(lca.to_owned(), "a Local Head of Service (the post is vacant)".to_owned())), "{lca}: {in_2006:?}");
        assert!(in_2006.contains(&(lca.to_owned(), "a forum or focus group that serves it".to_owned())), "{lca}: {in_2006:?}");
    }
    assert!(!in_2006.iter().any(|(_, w)| w.contains("extended school")), "no service points are recorded, so the services are not reported");
    assert!(short(&reg, "2026-12-05").is_empty(), "the local community areas ended with the County Council in 2020");
    // A Local Head of Service assigned to Chesham puts Chesham right.
    let ix = Index::new(reg.clone());
    let form = PostForm {
        title: "Local Head of Service".into(),
        of: "organisation:buckinghamshire-county-council".into(),
        area: "lca-chesham".into(),
        holder: "Pat Example".into(),
        start_date: "2005-09".into(),
        ..PostForm::default()
    };
    let keeper = Actor::with([Grant::Registrar]);
    apply(&mut reg, plan_post(&ix, &keeper, Some("lca-chesham-local-head-of-service"), &form).unwrap());
    let after = short(&reg, "2006-01-01");
    assert!(!after.contains(&("lca-chesham".to_owned(), "a Local Head of Service (the post is vacant)".to_owned())), "{after:?}");
    assert!(after.contains(&("lca-buckingham".to_owned(), "a Local Head of Service (the post is vacant)".to_owned())));
}

#[test]
fn an_agenda_the_chair_has_not_agreed_is_flagged_in_the_week_before_its_deadline() {
    let mut reg = buckinghamshire();
    let notice = reg.bodies.iter().find(|b| b.slug.as_str() == "bsp-board").unwrap().agenda_notice_days.unwrap_or(0);
    let mut m = reg.meetings[0].clone();
    m.body = Slug::parse("bsp-board").unwrap();
    m.slug = Slug::parse("bsp-board-2009-03-20").unwrap();
    m.date = PartialDate::parse("2009-03-20").unwrap();
    m.status = MeetingStatus::Scheduled;
    m.planned_for = None;
    m.group = None;
    m.agenda_published = None;
    m.approvals.clear();
    Write::PutMeeting(m.clone()).apply_to(&mut reg).unwrap();
    let deadline = day("2009-03-20") - chrono::Days::new(notice.into());
    let on = |reg: &Register, d: NaiveDate| rules(reg, &d.format("%Y-%m-%d").to_string(), "agenda-awaiting-approval");
    assert!(on(&reg, deadline - chrono::Days::new(8)).is_empty(), "more than a week before its deadline: not yet");
    let near = on(&reg, deadline - chrono::Days::new(3));
    assert_eq!(near.len(), 1, "{near:?}");
    assert!(near[0].contains("the chair has not agreed it"), "{near:?}");
    m.approvals.push(Approval { what: ApprovalKind::Agenda, by: "The Chairman".into(), on: deadline - chrono::Days::new(5) });
    Write::PutMeeting(m).apply_to(&mut reg).unwrap();
    assert!(on(&reg, deadline - chrono::Days::new(3)).is_empty(), "agreed, it is no longer flagged");
}
