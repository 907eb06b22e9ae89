//! Who may do what: one pure function, [`can`], for every permission in
//! Placeworks. Handlers ask it; nothing else decides.
//!
//! - An *administrator* may do everything, accounts and the audit trail included.
//! - The *secretariat* of a body edits that body's record, seats, memberships,
//!   meetings, decisions and documents, sees their confidential parts and their
//!   history, and may add people (to name a new member or substitute); a
//!   confidential person only where they sit on that body.
//! - A *member* of a body sees that body's confidential material, nothing more.
//! - The *chair* of a body sees what its members see, and alone agrees what
//!   the body's rules leave to the chair: meeting dates, agendas, draft
//!   minutes and invitations to non-members.
//! - The secretariat of a body that manages another's agenda (CADEX drafts
//!   the BSP Board's) drafts that agenda: a grant made from the register's
//!   `manages-agenda-of` lines when a change is checked, never stored.
//! - A *register keeper* keeps the register's shape: creates and ends
//!   bodies (and so edits any body's record, seats and memberships, and sees
//!   their confidential parts and history), and adds organisations, posts
//!   and their holders, people and the council's own areas. Meetings and
//!   decisions stay each body's secretariat's.
//! - An *analyst* edits areas and indicators.
//! - A *programme manager* runs the programmes they are given (one, or
//!   with the unscoped role every programme of the council): enters and
//!   imports their measures' actuals, writes their highlights.
//! - An *initiative's lead* enters the actuals of that initiative's
//!   measures, and of its parts'.
//! - An action plan's actions are updated by its programme's managers and
//!   by the secretariat of the body that leads it.
//! - Everyone, signed in or not, sees everything published, nothing else.

use crate::ids::Slug;
use serde::{Deserialize, Serialize};

/// A role granted to an account, scoped to a body where it matters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", content = "body", rename_all = "kebab-case")]
pub enum Grant {
    Administrator,
    Secretariat(Slug),
    Member(Slug),
    Analyst,
    /// Manages every programme of the council.
    ProgrammeManager,
    /// Manages one programme.
    ManagesProgramme(Slug),
    /// Leads one initiative (and so its parts): enters its measures' actuals.
    LeadsInitiative(Slug),
    Registrar,
    Chair(Slug),
    /// Drafts this body's agenda: derived from the register, never granted.
    DraftsAgendaOf(Slug),
}

/// Whoever is asking: an account's grants, or none for an anonymous visitor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub grants: Vec<Grant>,
}

impl Actor {
    /// A visitor who has not signed in.
    pub fn anonymous() -> Actor {
        Actor::default()
    }

    /// An account with these grants.
    pub fn with(grants: impl IntoIterator<Item = Grant>) -> Actor {
        Actor { grants: grants.into_iter().collect() }
    }

    fn is_admin(&self) -> bool {
        self.grants.contains(&Grant::Administrator)
    }

    fn is_secretariat_of(&self, body: &Slug) -> bool {
        self.grants.iter().any(|g| matches!(g, Grant::Secretariat(b) if b == body))
    }

    fn is_secretariat_of_any(&self) -> bool {
        self.grants.iter().any(|g| matches!(g, Grant::Secretariat(_)))
    }

    fn is_member_of(&self, body: &Slug) -> bool {
        self.grants.iter().any(|g| matches!(g, Grant::Member(b) | Grant::Chair(b) if b == body))
    }

    fn chairs(&self, body: &Slug) -> bool {
        self.grants.iter().any(|g| matches!(g, Grant::Chair(b) if b == body))
    }

    fn drafts_agenda_of(&self, body: &Slug) -> bool {
        self.grants.iter().any(|g| matches!(g, Grant::DraftsAgendaOf(b) if b == body))
    }

    /// The bodies whose secretariat this actor is.
    pub fn secretariat_of(&self) -> impl Iterator<Item = &Slug> {
        self.grants.iter().filter_map(|g| match g {
            Grant::Secretariat(b) => Some(b),
            _ => None,
        })
    }

    fn manages_programme(&self, programme: &Slug) -> bool {
        self.grants.iter().any(|g| matches!(g, Grant::ProgrammeManager) || matches!(g, Grant::ManagesProgramme(p) if p == programme))
    }

    fn leads_initiative(&self, initiative: &Slug) -> bool {
        self.grants.iter().any(|g| matches!(g, Grant::LeadsInitiative(i) if i == initiative))
    }

    fn has(&self, grant: &Grant) -> bool {
        self.grants.contains(grant)
    }
}

/// What an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the published part.
    View,
    /// See the confidential (exempt) part.
    ViewConfidential,
    /// Create, change or remove.
    Edit,
    /// See the record's audit history.
    ViewHistory,
}

impl Action {
    /// Every action, for tables and tests.
    pub const ALL: [Action; 4] = [Action::View, Action::ViewConfidential, Action::Edit, Action::ViewHistory];
}

/// What the action is on. Records that belong to a body carry the body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Resource {
    Body(Slug),
    Seat(Slug),
    Membership(Slug),
    Meeting(Slug),
    /// A meeting's agenda: its items and papers.
    Agenda(Slug),
    /// The chair's agreement of a meeting's business.
    Approval(Slug),
    Decision(Slug),
    Document(Slug),
    /// A disagreement among a body's partners.
    Dispute(Slug),
    Organisation,
    Person,
    /// A post and who holds it (a councillor's among them).
    Post,
    /// The register's shape: bodies made and ended.
    Register,
    Area,
    Indicator,
    /// A programme and everything of it: its measures and their actuals.
    Programme(Slug),
    /// The figures of an initiative's measures: the programme's, and the
    /// initiative with every initiative it is a part of (nearest first).
    InitiativeFigures {
        programme: Slug,
        lineage: Vec<Slug>,
    },
    /// An action plan's actions: its programme's managers' and its lead body's secretariat's.
    ActionPlan {
        programme: Option<Slug>,
        led_by: Option<Slug>,
    },
    Account,
    AuditTrail,
}

impl Resource {
    /// The body a record belongs to, if it belongs to one.
    pub fn body(&self) -> Option<&Slug> {
        match self {
            Resource::Body(b)
            | Resource::Seat(b)
            | Resource::Membership(b)
            | Resource::Meeting(b)
            | Resource::Agenda(b)
            | Resource::Approval(b)
            | Resource::Decision(b)
            | Resource::Document(b)
            | Resource::Dispute(b) => Some(b),
            _ => None,
        }
    }
}

/// Whether `actor` may do `action` on `resource`.
pub fn can(actor: &Actor, action: Action, resource: &Resource) -> bool {
    if actor.is_admin() {
        return true;
    }
    let keeper = actor.has(&Grant::Registrar);
    if keeper && matches!(resource, Resource::Body(_) | Resource::Seat(_) | Resource::Membership(_)) {
        return true;
    }
    if let Some(body) = resource.body() {
        let secretariat = actor.is_secretariat_of(body);
        return match (resource, action) {
            (_, Action::View) => true,
            // A disagreement is for the body's secretariat and its chair,
            // who takes a role in resolving it; not for every member.
            (Resource::Dispute(_), Action::ViewConfidential | Action::Edit | Action::ViewHistory) => secretariat || actor.chairs(body),
            (_, Action::ViewConfidential) => secretariat || actor.is_member_of(body),
            (Resource::Agenda(_), Action::Edit) => secretariat || actor.drafts_agenda_of(body),
            (Resource::Approval(_), Action::Edit) => actor.chairs(body),
            (Resource::Approval(_), Action::ViewHistory) => secretariat || actor.chairs(body),
            (_, Action::Edit | Action::ViewHistory) => secretariat,
        };
    }
    let editor = match resource {
        Resource::Person => actor.is_secretariat_of_any() || keeper,
        Resource::Organisation | Resource::Post | Resource::Register => keeper,
        Resource::Area => actor.has(&Grant::Analyst) || keeper,
        Resource::Indicator => actor.has(&Grant::Analyst),
        Resource::Programme(p) => actor.manages_programme(p),
        Resource::InitiativeFigures { programme, lineage } => actor.manages_programme(programme) || lineage.iter().any(|i| actor.leads_initiative(i)),
        Resource::ActionPlan { programme, led_by } => {
            programme.as_ref().is_some_and(|p| actor.manages_programme(p)) || led_by.as_ref().is_some_and(|b| actor.is_secretariat_of(b))
        }
        _ => false,
    };
    match resource {
        // Accounts and the whole trail are for administrators alone.
        Resource::Account | Resource::AuditTrail => false,
        // Adding people is open to every secretariat, but a confidential
        // person is seen only through a body whose confidential records the
        // actor sees (`register::visibility`), never by any secretariat.
        Resource::Person => action == Action::View || (action == Action::Edit && editor),
        _ => match action {
            Action::View => true,
            Action::ViewConfidential | Action::Edit | Action::ViewHistory => editor,
        },
    }
}
