//! A meeting's business planned against the built-in register: agendas and
//! papers, attendance, minutes, decisions, notice and ratification, and the
//! bad input each refuses.

use chrono::NaiveDate;
use placeworks_domain::dataset::{self, DatasetFiles};
use placeworks_domain::permissions::{Actor, Grant};
use placeworks_domain::register::Index;
use placeworks_domain::{change::*, decisions::*, forms::FieldError, meetings::*, register::*};
use placeworks_domain::{Register, Slug};
use std::path::Path;

fn buckinghamshire() -> Register {
    let files = DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/buckinghamshire")).unwrap();
    dataset::read(&files).unwrap()
}

/// The writes of a change, applied as the store applies them.
fn apply(reg: &mut Register, change: Change) {
    for w in change.writes {
        w.apply_to(reg).unwrap();
    }
}

/// Plans a change against the register as it stands, and applies it.
fn then(reg: &mut Register, plan: impl FnOnce(&Index) -> Result<Change, Vec<FieldError>>) {
    let change = plan(&Index::new(reg.clone())).unwrap();
    apply(reg, change);
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const BOARD_MEETING: &str = "bsp-board-2010-01-14-1000";

fn pdf(size: usize) -> Upload {
    Upload { file_name: "Budget report.pdf".into(), head: b"%PDF-1.7\n".to_vec(), size, sha256: "ab".repeat(32) }
}

fn admin() -> Actor {
    Actor::with([Grant::Administrator])
}

fn fields(e: &[FieldError]) -> Vec<&str> {
    e.iter().map(|e| e.field).collect()
}

fn item(number: &str, title: &str, exempt: &str) -> AgendaItemForm {
    AgendaItemForm {
        number: number.into(),
        title: title.into(),
        presenter: "Secretariat".into(),
        decision_required: Some("yes".into()),
        exempt: exempt.into(),
        paper_title: String::new(),
        from_body: String::new(),
    }
}

#[test]
fn a_planned_meeting_gets_an_agenda_with_public_and_confidential_papers() {
    let mut reg = buckinghamshire();
    assert!(reg.meetings.iter().all(|m| m.slug.as_str() != BOARD_MEETING), "nothing is recorded of it yet: it is planned from the cadence");
    let c = plan_agenda_item(&Index::new(reg.clone()), BOARD_MEETING, &item("2", "Budget", ""), Some(&pdf(1000)), "2010-01-02T10:00:00Z").unwrap();
    apply(&mut reg, c);
    let c = plan_agenda_item(
        &Index::new(reg.clone()),
        BOARD_MEETING,
        &item("10", "Property disposal", "3"),
        Some(&Upload { file_name: "terms.docx".into(), head: b"PK\x03\x04xxxx".to_vec(), size: 10, sha256: "cd".repeat(32) }),
        "2010-01-02T10:00:00Z",
    )
    .unwrap();
    apply(&mut reg, c);
    let c = plan_agenda_item(&Index::new(reg.clone()), BOARD_MEETING, &item("1", "Apologies", ""), None, "2010-01-02T10:00:00Z").unwrap();
    apply(&mut reg, c);
    let m = reg.meetings.iter().find(|m| m.slug.as_str() == BOARD_MEETING).unwrap();
    assert_eq!(m.planned_for.unwrap().to_string(), "2010-01-14 10:00:00", "the record stands for the planned meeting");
    assert_eq!(m.items.iter().map(|i| i.number.as_str()).collect::<Vec<_>>(), ["1", "2", "10"], "in agenda order");
    assert_eq!(m.items[1].papers[0].media_type, "application/pdf");
    assert_eq!(m.items[1].papers[0].title, "Budget report");
    assert_eq!(m.items[2].exempt.unwrap().number(), 3);
    assert_eq!(m.items[2].papers[0].media_type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    // The public register holds the public item only.
    let public = reg.visible_to(&placeworks_domain::permissions::Actor::anonymous());
    let pm = public.meetings.iter().find(|m| m.slug.as_str() == BOARD_MEETING).unwrap();
    assert_eq!(pm.items.iter().map(|i| i.number.as_str()).collect::<Vec<_>>(), ["1", "2"]);

    // The Board's Chairman agrees its agendas: not published until they have.
    let refused = plan_publish_agenda(&Index::new(reg.clone()), BOARD_MEETING, day("2010-01-10")).unwrap_err();
    assert!(refused[0].message.contains("The chair has not agreed this agenda"), "{refused:?}");
    let secretariat = placeworks_domain::permissions::Actor::with([placeworks_domain::permissions::Grant::Secretariat(Slug::parse("bsp-board").unwrap())]);
    let agree = ApprovalForm { what: "agenda".into() };
    let not_chair = plan_approval(&Index::new(reg.clone()), &secretariat, BOARD_MEETING, &agree, "Sally Secretariat", day("2010-01-09")).unwrap_err();
    assert_eq!(not_chair[0].field, "what", "only the chair agrees: {not_chair:?}");
    let chair = placeworks_domain::permissions::Actor::with([placeworks_domain::permissions::Grant::Chair(Slug::parse("bsp-board").unwrap())]);
    let c = plan_approval(&Index::new(reg.clone()), &chair, BOARD_MEETING, &agree, "Charlie Chairman", day("2010-01-09")).unwrap();
    apply(&mut reg, c);
    let c = plan_publish_agenda(&Index::new(reg.clone()), BOARD_MEETING, day("2010-01-10")).unwrap();
    apply(&mut reg, c);
    let m = reg.meetings.iter().find(|m| m.slug.as_str() == BOARD_MEETING).unwrap();
    assert_eq!((m.status, m.agenda_published), (MeetingStatus::AgendaPublished, Some(day("2010-01-10"))));
}

#[test]
fn uploads_of_the_wrong_type_or_size_are_refused_and_nothing_changes() {
    let ix = Index::new(buckinghamshire());
    let refused = |u: Upload| plan_agenda_item(&ix, BOARD_MEETING, &item("1", "Budget", ""), Some(&u), "now").unwrap_err();
    let e = refused(pdf(MAX_PAPER_BYTES + 1));
    assert_eq!(fields(&e), ["paper"]);
    assert!(e[0].message.contains("smaller than 20 MB"), "{}", e[0].message);
    let e = refused(Upload { file_name: "run-me.exe".into(), head: b"MZ\x90\x00".to_vec(), size: 100, sha256: String::new() });
    assert!(e[0].message.contains("must be a PDF, DOCX"), "{}", e[0].message);
    let e = refused(Upload { file_name: "report.pdf".into(), head: b"<html>".to_vec(), size: 100, sha256: String::new() });
    assert!(e[0].message.contains("not a real PDF"), "a file named .pdf that is not one: {}", e[0].message);
    let e = refused(pdf(0));
    assert!(e[0].message.contains("empty"));
}

#[test]
fn a_cancelled_meeting_takes_no_agenda_items_attendance_or_decisions() {
    let mut reg = buckinghamshire();
    let form = MeetingForm { action: "cancel".into(), planned_for: "2010-01-14T10:00".into(), ..MeetingForm::default() };
    let c = plan_meeting(&Index::new(reg.clone()), "bsp-board", &form, day("2009-12-01")).unwrap();
    apply(&mut reg, c);
    let ix = Index::new(reg);
    let e = plan_agenda_item(&ix, BOARD_MEETING, &item("1", "Budget", ""), None, "now").unwrap_err();
    assert!(e[0].message.contains("This meeting is cancelled"), "{e:?}");
    let e = plan_attendance(
        &ix,
        &admin(),
        BOARD_MEETING,
        &AttendanceForm { person: "Ann Example".into(), kind: "present".into(), ..AttendanceForm::default() },
        day("2010-06-01"),
    )
    .unwrap_err();
    assert!(e[0].message.contains("cancelled"));
    assert!(plan_publish_agenda(&ix, BOARD_MEETING, day("2010-01-01")).is_err());
}

/// A Board with one member and a named substitute, for attendance.
fn with_member(reg: &mut Register) -> (String, String) {
    let seat = reg
        .seats
        .iter()
        .find(|s| s.body.as_str() == "bsp-board" && s.role.decides() && matches!(s.on_behalf_of, Some(Party::Organisation(_))))
        .unwrap()
        .clone();
    let ix = Index::new(reg.clone());
    let plan = plan_add_membership(
        &ix,
        &admin(),
        "bsp-board",
        &AddMembershipForm {
            seat: seat.slug.to_string(),
            person: "Alex Member".into(),
            start_date: "2009-01".into(),
            substitute: "Sam Deputy".into(),
            exempt: String::new(),
        },
        day("2009-12-01"),
    )
    .unwrap();
    let slug = plan.membership.slug.to_string();
    reg.people.extend(plan.new_people.clone());
    reg.memberships.push(plan.membership);
    (slug, seat.slug.to_string())
}

#[test]
fn only_a_named_substitute_or_one_the_chair_agreed_may_stand_in() {
    let mut reg = buckinghamshire();
    let (membership, seat) = with_member(&mut reg);
    let ix = Index::new(reg.clone());
    let sub = |person: &str, agreed: bool| AttendanceForm {
        person: person.into(),
        kind: "substitute".into(),
        seat: String::new(),
        substitute_for: membership.clone(),
        chair_agreed: agreed.then(|| "yes".into()),
    };
    let e = plan_attendance(&ix, &admin(), BOARD_MEETING, &sub("Pat Stranger", false), day("2010-06-01")).unwrap_err();
    assert_eq!(fields(&e), ["substitute_for"]);
    assert!(e[0].message.contains("Pat Stranger is not a named substitute for Alex Member"), "{}", e[0].message);
    let c = plan_attendance(&ix, &admin(), BOARD_MEETING, &sub("Pat Stranger", true), day("2010-06-01")).expect("the chair agreed");
    assert!(c.writes.iter().any(|w| matches!(w, Write::AddPerson(p) if p.name == "Pat Stranger")));
    let c = plan_attendance(&ix, &admin(), BOARD_MEETING, &sub("Sam Deputy", false), day("2010-06-01")).expect("the named substitute");
    apply(&mut reg, c);
    let m = reg.meetings.iter().find(|m| m.slug.as_str() == BOARD_MEETING).unwrap();
    assert_eq!(m.attendance[0].seat.as_ref().unwrap().as_str(), seat, "a substitute sits in the absent member's seat");
    assert_eq!(m.attendance[0].substitute_for.as_ref().unwrap().as_str(), "alex-member");
    assert_eq!(quorum_count(&Index::new(reg.clone()), m), 1, "a substitute counts towards the quorum");
    let e = plan_attendance(
        &Index::new(reg),
        &admin(),
        BOARD_MEETING,
        &AttendanceForm { person: "X".into(), kind: "lurking".into(), ..AttendanceForm::default() },
        day("2010-06-01"),
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["kind"]);
}

fn decision(notified: &str) -> DecisionForm {
    DecisionForm {
        title: "Partnership budget 2010/11".into(),
        summary: "The Board agreed the budget.".into(),
        resolutions: "That the budget for 2010/11 be AGREED.\nThat the risks be NOTED.".into(),
        reached: "consensus".into(),
        notified: notified.into(),
        ..DecisionForm::default()
    }
}

#[test]
fn a_decision_with_too_little_notice_is_sent_to_every_constituent_body_until_ratified() {
    let mut reg = buckinghamshire();
    let ix = Index::new(reg.clone());
    let ten_days = plan_decision(&ix, &admin(), BOARD_MEETING, &decision("2010-01-04"), day("2010-01-14")).unwrap();
    let Write::PutDecision(d) = &ten_days.writes[0] else { panic!() };
    assert!(d.ratifications.is_empty(), "ten days' notice is enough: {:?}", short_notice(&ix, d));
    let c = plan_decision(&ix, &admin(), BOARD_MEETING, &decision("2010-01-05"), day("2010-01-14")).unwrap();
    let Write::PutDecision(d) = &c.writes[0] else { panic!() };
    assert_eq!(short_notice(&ix, d), Some((Some(9), 10)));
    assert_eq!(d.resolutions.iter().map(|r| r.verb.as_str()).collect::<Vec<_>>(), ["AGREED", "NOTED"]);
    let asked: Vec<String> = d.ratifications.iter().map(|r| r.organisation.to_string()).collect();
    assert!(asked.iter().any(|o| o == "buckinghamshire-county-council") && asked.iter().any(|o| o == "thames-valley-police-authority"), "{asked:?}");
    assert!(!asked.iter().any(|o| o.contains("lsp")), "the District LSPs are bodies, not constituent organisations");
    assert_eq!(ratification_state(&ix, d), RatificationState::Awaiting);
    let slug = d.slug.to_string();
    apply(&mut reg, c);

    // A body that is not a constituent cannot ratify.
    let ix = Index::new(reg.clone());
    let e = plan_ratification(
        &ix,
        &slug,
        &RatificationForm {
            organisation: "buckinghamshire-new-university".into(),
            status: "ratified".into(),
            answered: "2010-02-01".into(),
            minute: "1/27".into(),
        },
        day("2010-02-02"),
    )
    .unwrap_err();
    assert!(e[0].message.contains("is not a constituent body of"), "{}", e[0].message);
    let e = plan_ratification(
        &ix,
        &slug,
        &RatificationForm { organisation: asked[0].clone(), status: "ratified".into(), ..RatificationForm::default() },
        day("2010-02-02"),
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["answered", "minute"], "a ratification needs its day and minute");

    let orgs = asked;
    for (i, o) in orgs.iter().enumerate() {
        let ix = Index::new(reg.clone());
        let d = ix.register.decisions.iter().find(|d| d.slug.as_str() == slug).unwrap();
        assert_eq!(ratification_state(&ix, d), RatificationState::Awaiting, "after {i} of {}", orgs.len());
        let c = plan_ratification(
            &ix,
            &slug,
            &RatificationForm { organisation: o.clone(), status: "ratified".into(), answered: "2010-02-01".into(), minute: format!("Minute {i}") },
            day("2010-02-02"),
        )
        .unwrap();
        // One body's answer is one row: the rest of the decision is not rewritten.
        let [Write::PutRatification { decision, ratification }] = c.writes.as_slice() else { panic!("{:?}", c.writes) };
        assert_eq!(
            (decision.as_str(), ratification.organisation.as_str(), ratification.minute.as_deref()),
            (slug.as_str(), o.as_str(), Some(format!("Minute {i}").as_str()))
        );
        assert_eq!((c.recorded.record_kind, c.recorded.record_id.clone()), ("ratification", format!("{slug}/{o}")));
        apply(&mut reg, c);
    }
    let ix = Index::new(reg.clone());
    let d = ix.register.decisions.iter().find(|d| d.slug.as_str() == slug).unwrap();
    assert_eq!(ratification_state(&ix, d), RatificationState::Ratified);
    let minutes: Vec<_> = d.ratifications.iter().map(|r| r.minute.clone().unwrap()).collect();
    assert_eq!(minutes, (0..orgs.len()).map(|i| format!("Minute {i}")).collect::<Vec<_>>(), "each in its place");
    // An answer from a body never asked is refused in memory as in the store.
    let stray = Write::PutRatification {
        decision: d.slug.clone(),
        ratification: Ratification { organisation: Slug::parse("nobody").unwrap(), ..d.ratifications[0].clone() },
    };
    assert!(stray.apply_to(&mut reg.clone()).unwrap_err().contains("was not sent to `nobody`"));
}

#[test]
fn a_resolution_without_a_verb_and_a_forward_plan_entry() {
    let mut reg = buckinghamshire();
    let ix = Index::new(reg.clone());
    let mut form = decision("2009-12-01");
    form.resolutions = "That the budget be AGREED.\nThat the Board thinks about it.".into();
    let e = plan_decision(&ix, &admin(), BOARD_MEETING, &form, day("2010-01-14")).unwrap_err();
    assert_eq!(fields(&e), ["resolutions"]);
    assert!(e[0].message.starts_with("Resolution 2 has no outcome verb"), "{}", e[0].message);

    let c = plan_forthcoming(
        &ix,
        "bsp-board",
        &ForthcomingForm { title: "Partnership budget 2010/11".into(), date: "2010-01-14".into(), notified: "2009-11-20".into(), ..ForthcomingForm::default() },
        day("2009-11-23"),
    )
    .unwrap();
    let Write::PutDecision(planned) = &c.writes[0] else { panic!() };
    assert!(planned.forthcoming);
    let slug = planned.slug.to_string();
    apply(&mut reg, c);
    let ix = Index::new(reg);
    let mut form = decision("");
    form.forthcoming = slug.clone();
    let c = plan_decision(&ix, &admin(), BOARD_MEETING, &form, day("2010-01-14")).unwrap();
    let Write::PutDecision(d) = &c.writes[0] else { panic!() };
    assert_eq!((d.slug.as_str(), d.forthcoming, d.notified), (slug.as_str(), false, Some(day("2009-11-20"))), "taking the planned decision keeps its notice");
    assert!(d.ratifications.is_empty(), "55 days' notice");
}

// ---- governance health ---------------------------------------------------------------

use placeworks_domain::governance::{check, check_with, Breach, Limits};
use placeworks_domain::meetings::schedule::planned;

fn rules(reg: &Register, today: &str) -> Vec<Breach> {
    check(&Index::new(reg.clone()), day(today)).into_iter().filter(|b| b.rule != "seat-vacant" && b.rule != "review-overdue").collect()
}

fn of<'a>(breaches: &'a [Breach], rule: &str) -> Vec<&'a Breach> {
    breaches.iter().filter(|b| b.rule == rule).collect()
}

#[test]
fn cadex_agendas_are_due_a_week_ahead_and_missing_meetings_are_flagged() {
    let mut reg = buckinghamshire();
    assert!(rules(&reg, "2009-12-28").is_empty(), "nothing is due before the first agenda deadline: {:?}", rules(&reg, "2009-12-28"));
    let b = rules(&reg, "2009-12-30");
    assert_eq!(of(&b, "agenda-late").len(), 1, "{b:?}");
    assert!(of(&b, "agenda-late")[0].what.contains("due by 29 December 2009"), "{}", of(&b, "agenda-late")[0].what);
    assert_eq!(of(&b, "agenda-late")[0].href, "meetings/cadex-2010-01-05-0930");

    // Published on time: the breach clears. Published a day late: it says so.
    let c = plan_agenda_item(&Index::new(reg.clone()), "cadex-2010-01-05-0930", &item("1", "Minutes", ""), None, "now").unwrap();
    apply(&mut reg, c);
    let mut late = reg.clone();
    then(&mut reg, |ix| plan_publish_agenda(ix, "cadex-2010-01-05-0930", day("2009-12-29")));
    assert!(of(&rules(&reg, "2009-12-30"), "agenda-late").is_empty());
    then(&mut late, |ix| plan_publish_agenda(ix, "cadex-2010-01-05-0930", day("2009-12-30")));
    assert!(of(&rules(&late, "2009-12-30"), "agenda-late")[0].what.contains("published on 30 December 2009, after its deadline"));

    // After the day, a meeting not recorded as held is missing; after twice
    // the monthly cadence with none held, the body has not met.
    let b = rules(&reg, "2010-01-06");
    assert_eq!(of(&b, "meeting-missing").len(), 1, "{b:?}");
    assert_eq!(of(&b, "meeting-missing")[0].body, "cadex");
    assert!(of(&b, "not-met").is_empty());
    let b: Vec<Breach> = rules(&reg, "2010-03-20").into_iter().filter(|b| b.body == "cadex").collect();
    assert_eq!(of(&b, "meeting-missing").len(), 3, "January (its agenda published, but not recorded as held), February and March: {b:?}");
    assert_eq!(of(&b, "not-met").len(), 1, "{b:?}");
    let held = MinutesForm { action: "held".into(), chaired_by: "chief-executive-buckinghamshire-county-council".into(), ..MinutesForm::default() };
    then(&mut reg, |ix| plan_minutes(ix, "cadex-2010-01-05-0930", &held, day("2010-01-05")));
    let b = rules(&reg, "2010-01-06");
    assert!(of(&b, "meeting-missing").is_empty() && of(&b, "chair-rotation-broken").is_empty(), "{b:?}");
}

#[test]
fn the_chair_rotation_quorum_and_minutes_rules() {
    let mut reg = buckinghamshire();
    reg.bodies.iter_mut().find(|b| b.slug.as_str() == "cadex").unwrap().decisions.quorum = Some(2);
    let slots: Vec<String> = planned(&Index::new(reg.clone()), "cadex", day("2010-01-01"), day("2010-06-30")).unwrap().into_iter().map(|p| p.slug).collect();
    for (i, slug) in slots.iter().take(4).enumerate() {
        then(&mut reg, |ix| plan_agenda_item(ix, slug, &item("1", "Minutes", ""), None, "now"));
        then(&mut reg, |ix| plan_publish_agenda(ix, slug, day("2009-12-01")));
        // The fourth meeting is Aylesbury Vale's turn; Chiltern's chief executive chairs it.
        let chair = if i == 3 { "chief-executive-chiltern-district-council" } else { "chief-executive-buckinghamshire-county-council" };
        let held = MinutesForm { action: "held".into(), chaired_by: chair.into(), ..MinutesForm::default() };
        then(&mut reg, |ix| plan_minutes(ix, slug, &held, day("2010-06-01")));
    }
    then(&mut reg, |ix| {
        plan_attendance(
            ix,
            &admin(),
            &slots[0],
            &AttendanceForm {
                person: "Chris Chief".into(),
                kind: "present".into(),
                seat: "chief-executive-buckinghamshire-county-council".into(),
                ..AttendanceForm::default()
            },
            day("2010-06-01"),
        )
    });
    let b = rules(&reg, "2010-04-07");
    let broken = of(&b, "chair-rotation-broken");
    assert_eq!(broken.len(), 1, "{b:?}");
    assert!(broken[0].what.contains("it was Chief Executive, Aylesbury Vale District Council's turn"), "{}", broken[0].what);
    let quorum = of(&b, "quorum-not-met");
    assert_eq!(quorum.len(), 1, "only the meeting with attendance recorded is counted");
    assert!(quorum[0].what.contains("1 member was present"), "{}", quorum[0].what);
    assert_eq!(of(&b, "minutes-not-approved").len(), 3, "every held meeting but the last");

    // Approving the first meeting's minutes at the second clears one.
    let minutes = MinutesForm { action: "minutes".into(), minutes: "The group met.".into(), ..MinutesForm::default() };
    then(&mut reg, |ix| plan_minutes(ix, &slots[0], &minutes, day("2010-04-07")));
    let e = plan_minutes(
        &Index::new(reg.clone()),
        &slots[1],
        &MinutesForm { action: "approve".into(), approved_at: slots[0].clone(), ..MinutesForm::default() },
        day("2010-04-07"),
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["approved_at", "approved_at"], "draft minutes first, and approved at a later meeting: {e:?}");
    then(&mut reg, |ix| {
        plan_minutes(ix, &slots[0], &MinutesForm { action: "approve".into(), approved_at: slots[1].clone(), ..MinutesForm::default() }, day("2010-04-07"))
    });
    assert_eq!(of(&rules(&reg, "2010-04-07"), "minutes-not-approved").len(), 2);
}

#[test]
fn short_notice_stays_a_breach_until_ratified_and_old_requests_are_outstanding() {
    let mut reg = buckinghamshire();
    let c = plan_decision(&Index::new(reg.clone()), &admin(), BOARD_MEETING, &decision("2010-01-10"), day("2010-01-14")).unwrap();
    let Write::PutDecision(d) = &c.writes[0] else { panic!() };
    let (slug, orgs): (String, Vec<String>) = (d.slug.to_string(), d.ratifications.iter().map(|r| r.organisation.to_string()).collect());
    apply(&mut reg, c);
    let b = rules(&reg, "2010-01-20");
    let notice = of(&b, "notice-without-ratification");
    assert_eq!(notice.len(), 1, "{b:?}");
    assert!(notice[0].what.contains("with 4 days' notice (the rule asks for 10)"), "{}", notice[0].what);
    assert_eq!(notice[0].href, format!("decisions/{slug}"));
    assert!(of(&b, "ratification-outstanding").is_empty());
    let late = check_with(&Index::new(reg.clone()), day("2010-03-01"), Limits { ratification_days: 42 });
    assert_eq!(of(&late, "ratification-outstanding").len(), orgs.len(), "46 days after the request");
    assert!(check_with(&Index::new(reg.clone()), day("2010-03-01"), Limits { ratification_days: 60 }).iter().all(|b| b.rule != "ratification-outstanding"));

    then(&mut reg, |ix| {
        plan_ratification(
            ix,
            &slug,
            &RatificationForm { organisation: orgs[0].clone(), status: "declined".into(), answered: "2010-01-19".into(), minute: "12/27".into() },
            day("2010-01-20"),
        )
    });
    assert_eq!(of(&rules(&reg, "2010-01-20"), "ratification-declined").len(), 1);
    for o in &orgs {
        then(&mut reg, |ix| {
            plan_ratification(
                ix,
                &slug,
                &RatificationForm { organisation: o.clone(), status: "ratified".into(), answered: "2010-01-19".into(), minute: "12/27".into() },
                day("2010-01-20"),
            )
        });
    }
    let b = rules(&reg, "2010-03-01");
    assert!(
        of(&b, "notice-without-ratification").is_empty() && of(&b, "ratification-outstanding").is_empty() && of(&b, "ratification-declined").is_empty(),
        "{b:?}"
    );
}

#[test]
fn a_decision_names_its_wards_and_joins_an_earlier_decisions_history() {
    let ix = Index::new(buckinghamshire());
    let ward = ix.register.areas.iter().find(|a| a.code == "E05015942").unwrap().name.clone();
    let mut form = decision("2009-12-01");
    form.areas = format!("{ward}, E05015927");
    form.follows = "levelling-up-framework-2022".into();
    let c = plan_decision(&ix, &admin(), BOARD_MEETING, &form, day("2010-01-14")).unwrap();
    let Write::PutDecision(d) = &c.writes[0] else { panic!() };
    assert_eq!(d.areas, ["E05015942", "E05015927"], "by name or by code");
    let issue = ix.register.decisions.iter().find(|x| x.slug.as_str() == "levelling-up-framework-2022").unwrap().issue.clone();
    assert_eq!(d.issue, issue, "the new decision joins the earlier one's issue");
    form.areas = "Atlantis".into();
    form.follows = "no-such-decision".into();
    let e = plan_decision(&ix, &admin(), BOARD_MEETING, &form, day("2010-01-14")).unwrap_err();
    assert_eq!(fields(&e), ["areas", "follows"]);
    assert!(e[0].message.contains("“Atlantis” is not an area in the register"));
}

#[test]
fn following_a_decision_links_to_it_without_rewriting_it_and_only_to_one_the_actor_sees() {
    let mut reg = buckinghamshire();
    // The Cabinet's 2022 decision, as if it had started no issue yet.
    let earlier = reg.decisions.iter().position(|d| d.slug.as_str() == "levelling-up-framework-2022").unwrap();
    reg.decisions[earlier].issue = None;
    let earlier_slug = reg.decisions[earlier].slug.clone();
    let ix = Index::new(reg.clone());
    let mut form = decision("2009-12-01");
    form.follows = earlier_slug.to_string();
    let c = plan_decision(&ix, &admin(), BOARD_MEETING, &form, day("2010-01-14")).unwrap();
    assert_eq!(c.writes.len(), 1, "only the new decision is written: {:?}", c.writes);
    let Write::PutDecision(d) = &c.writes[0] else { panic!() };
    assert_eq!(d.issue.as_ref(), Some(&earlier_slug), "the issue is named after the decision it follows");
    let mut after = reg.clone();
    c.writes[0].apply_to(&mut after).unwrap();
    let found: Vec<&str> = history(&after, d).iter().map(|x| x.slug.as_str()).collect();
    // The history is in date order: the Board's decision of January 2010 comes before the Cabinet's of 2022 it names.
    assert_eq!(found, [d.slug.as_str(), earlier_slug.as_str()], "the history finds the decision followed by its slug");
    assert_eq!(history(&after, &after.decisions[earlier]).len(), 2, "and the earlier decision's page shows the later one");

    // Exempt, another body's decision is as missing to the BSP Board's secretariat.
    reg.decisions[earlier].exempt = Some(placeworks_domain::visibility::Exemption::paragraph(3).unwrap());
    let ix = Index::new(reg);
    let secretariat = Actor::with([Grant::Secretariat(Slug::parse("bsp-board").unwrap())]);
    let hidden = plan_decision(&ix, &secretariat, BOARD_MEETING, &form, day("2010-01-14")).unwrap_err();
    form.follows = "no-such-decision".into();
    let missing = plan_decision(&ix, &secretariat, BOARD_MEETING, &form, day("2010-01-14")).unwrap_err();
    assert_eq!(hidden, missing, "a hidden decision answers as a missing one");
    assert_eq!(fields(&hidden), ["follows"]);
    form.follows = earlier_slug.to_string();
    assert!(plan_decision(&ix, &admin(), BOARD_MEETING, &form, day("2010-01-14")).is_ok(), "whoever may see it may follow it");
}

#[test]
fn a_change_is_permitted_only_when_every_record_it_touches_may_be_edited() {
    let reg = buckinghamshire();
    let ix = Index::new(reg.clone());
    let board = Actor::with([Grant::Secretariat(Slug::parse("bsp-board").unwrap())]);
    let c = plan_decision(&ix, &admin(), BOARD_MEETING, &decision("2009-12-01"), day("2010-01-14")).unwrap();
    assert!(c.permitted(&reg, &board), "the board's secretariat records the board's decision");
    let cabinet = reg.decisions.iter().find(|d| d.slug.as_str() == "levelling-up-framework-2022").unwrap();
    let mut smuggled = c.clone();
    smuggled.writes.push(Write::PutDecision(Decision { issue: None, ..cabinet.clone() }));
    assert!(!smuggled.permitted(&reg, &board), "a write to another body's decision is refused, whatever the command named");
    assert!(smuggled.permitted(&reg, &admin()));
    let mut moved = c.clone();
    moved.writes = vec![Write::PutDecision(Decision { body: Slug::parse("bsp-board").unwrap(), ..cabinet.clone() })];
    assert!(!moved.permitted(&reg, &board), "taking over another body's decision by its slug is refused too");
    let mut nowhere = c;
    nowhere.writes = vec![Write::PutRatification {
        decision: Slug::parse("no-such-decision").unwrap(),
        ratification: cabinet.ratifications.first().cloned().unwrap_or_else(|| Ratification {
            organisation: Slug::parse("x").unwrap(),
            requested: day("2010-01-14"),
            status: RatificationStatus::Pending,
            answered: None,
            minute: None,
        }),
    }];
    assert!(!nowhere.permitted(&reg, &board), "a write into a record that is not there is not permitted");
}

#[test]
fn a_name_typed_by_someone_who_may_not_see_a_confidential_person_makes_a_new_person() {
    let mut reg = buckinghamshire();
    reg.people.push(Person {
        slug: Slug::parse("hidden-person").unwrap(),
        name: "Hidden Person".into(),
        note: None,
        exempt: Some(placeworks_domain::visibility::Exemption::paragraph(1).unwrap()),
        sources: vec![],
        example: vec![],
    });
    let ix = Index::new(reg.clone());
    let seat = reg.seats.iter().find(|s| s.body.as_str() == "bsp-board").unwrap().slug.to_string();
    let form = AddMembershipForm { seat, person: "hidden  person".into(), start_date: String::new(), substitute: String::new(), exempt: String::new() };
    let board = Actor::with([Grant::Secretariat(Slug::parse("bsp-board").unwrap())]);
    let plan = plan_add_membership(&ix, &board, "bsp-board", &form, day("2009-12-01")).unwrap();
    assert_eq!(plan.new_people.len(), 1, "the Board's secretariat, who may not see them, names a new person");
    assert_ne!(plan.membership.person.as_ref().unwrap().as_str(), "hidden-person");
    let plan = plan_add_membership(&ix, &admin(), "bsp-board", &form, day("2009-12-01")).unwrap();
    assert!(plan.new_people.is_empty(), "an administrator, who sees them, finds the same person");
    assert_eq!(plan.membership.person.as_ref().unwrap().as_str(), "hidden-person");
}

/// A meeting recorded as the dataset records it (no `planned_for`) stands
/// for its turn of the cadence: on the turn's day at another time, under
/// another slug, or dated only to the turn's month. None is then missing,
/// and an agenda is reported late once, not twice.
#[test]
fn recorded_meetings_are_matched_to_their_turns_by_day_or_month() {
    let mut reg = buckinghamshire();
    let held = |slug: &str, date: &str, agenda: Option<&str>| Meeting {
        agenda_published: agenda.map(day),
        ..Meeting::new(
            Slug::parse(slug).unwrap(),
            Slug::parse("cadex").unwrap(),
            placeworks_domain::PartialDate::parse(date).unwrap(),
            chrono::NaiveTime::from_hms_opt(14, 0, 0).filter(|_| date.len() == 10),
            MeetingStatus::Held,
            None,
            None,
        )
    };
    reg.meetings.push(held("cadex-january", "2010-01-05", Some("2009-12-20")));
    reg.meetings.push(held("cadex-february", "2010-02", Some("2010-01-20")));
    reg.meetings.push(held("cadex-2010-03-02-0930", "2010-03-02", None));
    let b: Vec<Breach> = rules(&reg, "2010-03-20").into_iter().filter(|b| b.body == "cadex").collect();
    assert!(of(&b, "meeting-missing").is_empty(), "January, February and March were held: {b:?}");
    assert!(of(&b, "not-met").is_empty(), "{b:?}");
    let late = of(&b, "agenda-late");
    assert_eq!(late.len(), 1, "only March's agenda is missing, and it is reported once: {late:?}");
    assert_eq!(late[0].href, "meetings/cadex-2010-03-02-0930");
    let slots = planned(&Index::new(reg.clone()), "cadex", day("2010-01-01"), day("2010-03-31")).unwrap();
    let slugs: Vec<&str> = slots.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["cadex-january", "cadex-february", "cadex-2010-03-02-0930"], "each record stands for its turn, none added beside it");
    assert_eq!(slots[0].start.time(), chrono::NaiveTime::from_hms_opt(14, 0, 0).unwrap(), "held at 14:00 that day");
    assert_eq!(slots[0].rescheduled_from.map(|s| s.time()), chrono::NaiveTime::from_hms_opt(9, 30, 0), "moved within the day");
}

/// A body whose cadence the register keeps, with no notice period, that
/// holds a meeting with no agenda published, is flagged; a seat held through
/// a post with a holder is filled.
#[test]
fn a_meeting_held_without_an_agenda_is_flagged_and_an_ex_officio_seat_is_filled() {
    let mut reg = buckinghamshire();
    let board = reg.bodies.iter_mut().find(|b| b.slug.as_str() == "bsp-board").unwrap();
    board.agenda_notice_days = None;
    reg.meetings.push(Meeting::new(
        Slug::parse("bsp-board-2010-01-14-1000").unwrap(),
        Slug::parse("bsp-board").unwrap(),
        placeworks_domain::PartialDate::parse("2010-01-14").unwrap(),
        chrono::NaiveTime::from_hms_opt(10, 0, 0),
        MeetingStatus::Held,
        None,
        None,
    ));
    let b: Vec<Breach> = rules(&reg, "2010-01-20").into_iter().filter(|b| b.body == "bsp-board").collect();
    let late = of(&b, "agenda-late");
    assert_eq!(late.len(), 1, "{b:?}");
    assert!(late[0].what.contains("held with no agenda published"), "{}", late[0].what);

    let chair = reg.posts.iter().position(|p| p.slug.as_str() == "bsp-board-chairman").unwrap();
    reg.posts[chair].holder = reg.people.first().map(|p| p.slug.clone());
    let seat = reg.seats.iter().position(|s| s.body.as_str() == "bsp-board" && s.role.decides()).unwrap();
    reg.seats[seat].post = Some(Slug::parse("bsp-board-chairman").unwrap());
    let label = reg.seats[seat].label.clone();
    let vacant = check(&Index::new(reg), day("2010-01-20")).into_iter().find(|b| b.rule == "seat-vacant" && b.body == "bsp-board").unwrap();
    assert!(!vacant.what.contains(&format!("{label};")) && !vacant.what.ends_with(&label), "the seat held through the post is filled: {}", vacant.what);
}

#[test]
fn attendance_is_recorded_from_the_meetings_day_and_apologies_before_it() {
    let ix = Index::new(buckinghamshire());
    let form = |kind: &str| AttendanceForm { person: "Ann Example".into(), kind: kind.into(), ..AttendanceForm::default() };
    let e = plan_attendance(&ix, &admin(), BOARD_MEETING, &form("present"), day("2009-12-31")).unwrap_err();
    assert_eq!(fields(&e), ["kind"]);
    assert!(e[0].message.contains("The meeting is on 14 January 2010") && e[0].message.contains("only apologies"), "{}", e[0].message);
    assert!(plan_attendance(&ix, &admin(), BOARD_MEETING, &form("apologies"), day("2009-12-31")).is_ok(), "apologies before the day");
    assert!(plan_attendance(&ix, &admin(), BOARD_MEETING, &form("present"), day("2010-01-14")).is_ok(), "on the day");
}

#[test]
fn the_built_in_council_reports_no_breach_of_a_body_that_has_ended_nor_of_a_meeting_nobody_planned() {
    let ix = Index::new(buckinghamshire());
    for today in ["2026-12-05", "2031-06-01"] {
        let breaches = check(&ix, day(today));
        assert!(!breaches.is_empty(), "the seats the papers leave unfilled are reported");
        for b in &breaches {
            let body = ix.body(&b.body).unwrap_or_else(|| panic!("{b:?}"));
            assert!(body.is_current(day(today)), "on {today}, {} has ended and is not checked: {b:?}", body.name);
            assert!(b.rule == "seat-vacant" || b.rule == "review-overdue", "on {today}, only seats no source fills and a review the paper promised: {b:?}");
        }
        assert!(breaches.iter().all(|b| !b.body.starts_with("bsp-") && b.body != "cadex"), "the 2008 partnership ended in March 2020");
    }
    // In its own time the 2008 partnership is checked like any body.
    let then = check(&ix, day("2009-12-05"));
    assert!(then.iter().any(|b| b.body == "bsp-board" && b.rule == "seat-vacant"), "{then:?}");
}
