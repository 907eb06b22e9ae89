//! The permission table: every role against every action and resource kind.
//! Each row reads: the role, the resource, then V (view), C (view
//! confidential), E (edit), H (history) where allowed and `.` where refused.

use placeworks_domain::permissions::{can, Action, Actor, Grant, Resource};
use placeworks_domain::Slug;

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

const TABLE: &str = "
role            resource            VCEH
anonymous       own-body            V...
anonymous       own-seat            V...
anonymous       own-membership      V...
anonymous       own-meeting         V...
anonymous       own-decision        V...
anonymous       own-document        V...
anonymous       organisation        V...
anonymous       person              V...
anonymous       area                V...
anonymous       indicator           V...
anonymous       programme           V...
anonymous       account             ....
anonymous       audit-trail         ....
administrator   own-body            VCEH
administrator   other-body          VCEH
administrator   own-document        VCEH
administrator   organisation        VCEH
administrator   person              VCEH
administrator   area                VCEH
administrator   indicator           VCEH
administrator   programme           VCEH
administrator   account             VCEH
administrator   audit-trail         VCEH
secretariat     own-body            VCEH
secretariat     own-seat            VCEH
secretariat     own-membership      VCEH
secretariat     own-meeting         VCEH
secretariat     own-decision        VCEH
secretariat     own-document        VCEH
secretariat     other-body          V...
secretariat     other-seat          V...
secretariat     other-membership    V...
secretariat     other-meeting       V...
secretariat     other-decision      V...
secretariat     other-document      V...
secretariat     organisation        V...
secretariat     person              V.E.
secretariat     area                V...
secretariat     indicator           V...
secretariat     programme           V...
secretariat     account             ....
secretariat     audit-trail         ....
member          own-body            VC..
member          own-seat            VC..
member          own-membership      VC..
member          own-meeting         VC..
member          own-decision        VC..
member          own-document        VC..
member          other-body          V...
member          other-document      V...
member          organisation        V...
member          person              V...
member          area                V...
member          account             ....
member          audit-trail         ....
analyst         own-body            V...
analyst         own-document        V...
analyst         organisation        V...
analyst         person              V...
analyst         area                VCEH
analyst         indicator           VCEH
analyst         programme           V...
analyst         account             ....
analyst         audit-trail         ....
programme-manager own-body          V...
programme-manager own-document      V...
programme-manager area              V...
programme-manager indicator         V...
programme-manager programme         VCEH
programme-manager other-programme   VCEH
manager-of      programme           VCEH
manager-of      other-programme     V...
manager-of      own-body            V...
manager-of      area                V...
manager-of      account             ....
programme-manager account           ....
programme-manager audit-trail       ....
programme-manager post              V...
programme-manager register          V...
register-keeper own-body            VCEH
register-keeper other-body          VCEH
register-keeper other-seat          VCEH
register-keeper other-membership    VCEH
register-keeper own-meeting         V...
register-keeper own-decision        V...
register-keeper own-document        V...
register-keeper organisation        VCEH
register-keeper person              V.E.
register-keeper post                VCEH
register-keeper register            VCEH
register-keeper area                VCEH
register-keeper indicator           V...
register-keeper programme           V...
register-keeper account             ....
register-keeper audit-trail         ....
secretariat     post                V...
secretariat     register            V...
analyst         post                V...
analyst         register            V...
member          post                V...
anonymous       post                V...
anonymous       register            V...
administrator   post                VCEH
administrator   own-agenda          VCEH
administrator   own-approval        VCEH
secretariat     own-agenda          VCEH
secretariat     own-approval        VC.H
secretariat     other-agenda        V...
member          own-agenda          VC..
member          own-approval        VC..
chair           own-body            VC..
chair           own-meeting         VC..
chair           own-agenda          VC..
chair           own-approval        VCEH
chair           other-approval      V...
chair           account             ....
drafter         own-agenda          V.E.
drafter         own-meeting         V...
drafter         own-approval        V...
drafter         other-agenda        VCEH
register-keeper own-agenda          V...
register-keeper own-approval        V...
administrator   register            VCEH
";

fn actor(role: &str) -> Actor {
    match role {
        "anonymous" => Actor::anonymous(),
        "administrator" => Actor::with([Grant::Administrator]),
        "secretariat" => Actor::with([Grant::Secretariat(slug("bsp-board"))]),
        "member" => Actor::with([Grant::Member(slug("bsp-board"))]),
        "analyst" => Actor::with([Grant::Analyst]),
        "programme-manager" => Actor::with([Grant::ProgrammeManager]),
        "manager-of" => Actor::with([Grant::ManagesProgramme(slug("opportunity-bucks"))]),
        "register-keeper" => Actor::with([Grant::Registrar]),
        "chair" => Actor::with([Grant::Chair(slug("bsp-board"))]),
        // CADEX's secretariat, which drafts the BSP Board's agenda.
        "drafter" => Actor::with([Grant::Secretariat(slug("cadex")), Grant::DraftsAgendaOf(slug("bsp-board"))]),
        other => panic!("unknown role {other}"),
    }
}

fn resource(name: &str) -> Resource {
    if name == "other-programme" {
        return Resource::Programme(slug("another-programme"));
    }
    // `own-` records belong to the actor's body, `other-` ones to another body.
    let (body, kind) = match (name.strip_prefix("own-"), name.strip_prefix("other-")) {
        (Some(kind), _) => (Some(slug("bsp-board")), kind),
        (_, Some(kind)) => (Some(slug("cadex")), kind),
        _ => (None, name),
    };
    match (body, kind) {
        (Some(b), "body") => Resource::Body(b),
        (Some(b), "seat") => Resource::Seat(b),
        (Some(b), "membership") => Resource::Membership(b),
        (Some(b), "meeting") => Resource::Meeting(b),
        (Some(b), "agenda") => Resource::Agenda(b),
        (Some(b), "approval") => Resource::Approval(b),
        (Some(b), "decision") => Resource::Decision(b),
        (Some(b), "document") => Resource::Document(b),
        (None, "organisation") => Resource::Organisation,
        (None, "person") => Resource::Person,
        (None, "area") => Resource::Area,
        (None, "post") => Resource::Post,
        (None, "register") => Resource::Register,
        (None, "indicator") => Resource::Indicator,
        (None, "programme") => Resource::Programme(slug("opportunity-bucks")),
        (None, "account") => Resource::Account,
        (None, "audit-trail") => Resource::AuditTrail,
        other => panic!("unknown resource {other:?}"),
    }
}

#[test]
fn every_role_action_and_resource_kind_is_as_the_table_says() {
    let mut checked = 0;
    for line in TABLE.lines().map(str::trim).filter(|l| !l.is_empty()).skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let (role, res, expect) = (cols[0], cols[1], cols[2]);
        let a = actor(role);
        let r = resource(res);
        for (action, flag) in Action::ALL.iter().zip(expect.chars()) {
            assert_eq!(can(&a, *action, &r), flag != '.', "{role} {action:?} {res}");
            checked += 1;
        }
    }
    assert!(checked >= 280, "{checked} permissions checked");
}

#[test]
fn every_resource_kind_and_role_appears_in_the_table() {
    for kind in [
        "body",
        "seat",
        "membership",
        "meeting",
        "decision",
        "document",
        "organisation",
        "person",
        "area",
        "indicator",
        "programme",
        "account",
        "audit-trail",
        "post",
        "register",
        "agenda",
        "approval",
    ] {
        assert!(TABLE.contains(kind), "{kind} is missing from the table");
    }
    for role in ["anonymous", "administrator", "secretariat", "member", "analyst", "programme-manager", "manager-of", "register-keeper", "chair", "drafter"] {
        assert!(TABLE.lines().any(|l| l.trim_start().starts_with(role)), "{role} is missing");
    }
}

#[test]
fn grants_add_up_and_never_leak_across_bodies() {
    let both = Actor::with([Grant::Member(slug("cadex")), Grant::Secretariat(slug("bsp-board"))]);
    assert!(can(&both, Action::ViewConfidential, &Resource::Document(slug("cadex"))));
    assert!(!can(&both, Action::Edit, &Resource::Document(slug("cadex"))));
    assert!(can(&both, Action::Edit, &Resource::Seat(slug("bsp-board"))));
    let member = Actor::with([Grant::Member(slug("cadex"))]);
    assert!(!can(&member, Action::ViewConfidential, &Resource::Document(slug("bsp-board"))));
}
