//! The partnership register's records: the council, its sources, partner
//! organisations, people, posts, bodies, their seats, memberships and the
//! relations between bodies.

use crate::ids::{PartialDate, Slug};
use placeworks_kernel::Exemption;
use serde::{Deserialize, Serialize};
vocabulary! {
    /// What kind of organisation a partner is.
    OrganisationKind {
        UnitaryCouncil = "unitary-council" / "Unitary council",
        CountyCouncil = "county-council" / "County council",
        DistrictCouncil = "district-council" / "District council",
        LocalCouncil = "local-council" / "Town or parish council",
        Nhs = "nhs" / "NHS body",
        Police = "police" / "Police",
        PoliceAuthority = "police-authority" / "Police authority",
        Fire = "fire" / "Fire and rescue",
        University = "university" / "University or college",
        Voluntary = "voluntary" / "Voluntary or community organisation",
        Business = "business" / "Business organisation",
        HousingProvider = "housing-provider" / "Housing provider",
        Government = "government" / "Government",
        GovernmentAgency = "government-agency" / "Government agency",
        Association = "association" / "Association",
        Partnership = "partnership" / "Partnership organisation",
    }
}

vocabulary! {
    /// The sector a partner belongs to.
    Sector {
        Public = "public" / "Public sector",
        Private = "private" / "Private sector",
        VoluntaryCommunity = "voluntary-community" / "Voluntary and community sector",
        Education = "education" / "Education",
    }
}

vocabulary! {
    /// What kind of body a partnership, board or group is.
    BodyKind {
        Conference = "conference" / "Conference",
        Board = "board" / "Board",
        SubBoard = "sub-board" / "Sub-board",
        ProgrammeBoard = "programme-board" / "Programme board",
        ExecutiveGroup = "executive-group" / "Executive group",
        ImplementationGroup = "implementation-group" / "Implementation group",
        ThematicPartnership = "thematic-partnership" / "Thematic partnership",
        DeliveryPartnership = "delivery-partnership" / "Delivery partnership",
        LocalStrategicPartnership = "local-strategic-partnership" / "Local strategic partnership",
        WardPartnership = "ward-partnership" / "Ward partnership",
        Partnership = "partnership" / "Partnership",
        Network = "network" / "Network",
        Cabinet = "cabinet" / "Cabinet",
        Committee = "committee" / "Committee",
        Panel = "panel" / "Panel",
        Authority = "authority" / "Authority",
        Forum = "forum" / "Forum or focus group",
        CommunityBoard = "community-board" / "Community board",
        Team = "team" / "Team",
    }
}

vocabulary! {
    /// The part a seat plays in a body.
    Role {
        Chair = "chair" / "Chair",
        ViceChair = "vice-chair" / "Vice-chair",
        Member = "member" / "Member",
        Adviser = "adviser" / "Adviser",
        Observer = "observer" / "Observer",
        Secretariat = "secretariat" / "Secretariat",
    }
}

impl Role {
    /// Advisers, observers and secretariat attend but do not decide.
    pub fn decides(self) -> bool {
        matches!(self, Role::Chair | Role::ViceChair | Role::Member)
    }
}

vocabulary! {
    /// How a body's chair is chosen.
    ChairKind {
        Appointed = "appointed" / "Appointed",
        ExOfficio = "ex-officio" / "Ex officio",
        Rotating = "rotating" / "Rotating",
        Elected = "elected" / "Elected by the members",
        NotStated = "not-stated" / "Not stated",
    }
}

vocabulary! {
    /// What a body's chair agrees before it is published or sent.
    ApprovalKind {
        Dates = "dates" / "Meeting dates",
        Agenda = "agenda" / "The agenda",
        Minutes = "minutes" / "The draft minutes",
        Invitations = "invitations" / "Invitations to non-members",
    }
}

vocabulary! {
    /// How two bodies relate.
    RelationKind {
        ReportsTo = "reports-to" / "Reports to",
        LinksWith = "links-with" / "Links with",
        ManagesAgendaOf = "manages-agenda-of" / "Manages the agenda of",
        HoldsToAccount = "holds-to-account" / "Holds to account",
        PartOf = "part-of" / "Is part of",
        Replaces = "replaces" / "Replaces",
    }
}

/// The council whose register this is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Council {
    pub slug: Slug,
    pub name: String,
    /// The area the council governs.
    pub area: Option<String>,
    /// One sentence for the home page.
    pub description: String,
    /// The brand colour, `#rrggbb`.
    pub brand_colour: String,
    /// Attribution lines the public data requires.
    pub attribution: Vec<String>,
    /// Where the register's content comes from.
    pub sources: Vec<Source>,
    /// The council's registered 360Giving identifier prefix (`360G-…`),
    /// which its grants' identifiers start with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub giving_prefix: Option<String>,
    /// The council's organisation identifier (org-id.guide, like
    /// `GB-LAE-BKM`), which names it as the funder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
}

/// A document the register is taken from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub key: Slug,
    pub title: String,
    pub date: Option<PartialDate>,
}

/// A partner organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub slug: Slug,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrganisationKind,
    pub sector: Sector,
    /// The organisation this one is part of.
    pub parent: Option<Slug>,
    pub ended: Option<PartialDate>,
    pub note: Option<String>,
    /// The sources (keys of the council's `[[source]]`) the record is taken from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
}

/// A person. The seeds name almost nobody: people are added by the council,
/// never invented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub slug: Slug,
    pub name: String,
    pub note: Option<String>,
    /// Set when the record is confidential: the Schedule 12A paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<Exemption>,
    /// The sources (keys of the council's `[[source]]`) the record is taken from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
}

/// A post: an office such as "Chief Executive, Buckinghamshire County
/// Council", held by whoever is appointed to it. Many seats are held ex
/// officio by a post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub slug: Slug,
    /// The office's title, such as "Chief Executive".
    pub title: String,
    /// The organisation or body the post belongs to.
    pub of: Party,
    /// The person holding the post, where known.
    pub holder: Option<Slug>,
    /// For a councillor's post: the ward or electoral division (GSS code)
    /// it represents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// The holder's party, where the council records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// When the holder took the post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    /// When the holder left it (or will: a councillor's term).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    /// The sources (keys of the council's `[[source]]`) the record is taken from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
}

impl Post {
    /// A post with a title, of an organisation or body, and nothing else known.
    pub fn new(slug: Slug, title: impl Into<String>, of: Party) -> Post {
        Post { slug, title: title.into(), of, holder: None, area: None, party: None, start: None, end: None, sources: Vec::new(), example: Vec::new() }
    }

    /// Whether it is a councillor's post ("Councillor"): one that represents
    /// a ward or an electoral division.
    pub fn is_councillor(&self) -> bool {
        self.title.trim().to_lowercase().starts_with("councillor")
    }

    /// The person who holds the post on `today`: named, and within their term.
    pub fn holder_on(&self, today: chrono::NaiveDate) -> Option<&Slug> {
        self.holder.as_ref().filter(|_| crate::ids::covers(self.start.as_ref(), self.end.as_ref(), today))
    }
}

/// An organisation or a body: the things that can nominate to a seat or have posts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "slug", rename_all = "kebab-case")]
pub enum Party {
    Organisation(Slug),
    Body(Slug),
}

impl Party {
    /// The slug of the organisation or body.
    pub fn slug(&self) -> &Slug {
        match self {
            Party::Organisation(s) | Party::Body(s) => s,
        }
    }
}

/// How often a body meets, in words and as an RFC 5545 recurrence rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cadence {
    /// The words of the source, such as "Meet every three months".
    pub text: String,
    /// An RFC 5545 RRULE such as `FREQ=MONTHLY;INTERVAL=3`; none for ad hoc.
    pub rule: Option<String>,
    /// The first meeting the rule counts from, in London local time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<chrono::NaiveDateTime>,
}

/// How a body's chair is chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChairArrangement {
    pub kind: ChairKind,
    /// The words of the source.
    pub text: Option<String>,
    /// For an ex officio chair: the post that chairs.
    pub post: Option<Slug>,
    /// For a rotating chair: how many consecutive meetings each chairs.
    pub rotation_meetings: Option<u32>,
    /// For a rotating chair: whether the chair also hosts.
    pub chair_hosts: bool,
    /// For a rotating chair: the seats whose holders take turns, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rotation: Vec<Slug>,
    /// What the chair agrees before it is published or sent (the BSP
    /// Board's Chairman agrees meeting dates, agendas and draft minutes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agrees: Vec<ApprovalKind>,
}

/// How a body reaches decisions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DecisionRules {
    /// Decisions are expected by consensus.
    pub consensus: bool,
    /// Whether the body votes; `None` where the source does not say.
    pub voting: Option<bool>,
    pub quorum: Option<u32>,
    /// Days' notice of a forthcoming decision after which it needs no ratification.
    pub notice_days: Option<u32>,
    /// Whether decisions beyond members' delegated authority need ratification
    /// by each constituent body.
    pub ratification_by_constituents: bool,
    /// The rules in the source's words.
    pub text: Vec<String>,
}

/// A named part of a body that meets separately (CADEX's two groups).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyGroup {
    pub slug: Slug,
    pub name: String,
}

/// Something a body may decide, and who holds the power to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Power {
    pub slug: Slug,
    /// What it may decide, in the source's words.
    pub text: String,
    /// Who holds the power, where that is not the body itself.
    pub held_by: Option<String>,
}

/// A partnership, board, sub-board, group, committee, panel, forum or conference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub slug: Slug,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: BodyKind,
    pub statutory: bool,
    pub purpose: Option<String>,
    /// The terms of reference: the body's roles, as listed.
    pub terms_of_reference: Vec<String>,
    /// How it operates, as listed.
    pub operation: Vec<String>,
    pub cadence: Option<Cadence>,
    pub chair: Option<ChairArrangement>,
    pub decisions: DecisionRules,
    /// Days before a meeting by which the agenda must be circulated.
    pub agenda_notice_days: Option<u32>,
    /// Publication and access rules, in the source's words.
    pub publication: Vec<String>,
    /// Who provides secretariat support.
    pub secretariat: Option<Slug>,
    /// The accountable body for the body's funding.
    pub accountable_body: Option<Slug>,
    pub groups: Vec<BodyGroup>,
    pub established: Option<PartialDate>,
    pub ended: Option<PartialDate>,
    pub review_due: Option<PartialDate>,
    /// The review rule in words ("reviewed after the first 12 months").
    pub review: Option<String>,
    /// Notes on the membership as a whole, in the source's words.
    pub membership_notes: Vec<String>,
    /// The areas the body serves.
    pub areas: Vec<String>,
    /// Business on every agenda, in order ("Minutes of the last meeting").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standing_items: Vec<String>,
    /// What the body may decide, and who holds each power.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub powers: Vec<Power>,
    /// How a disagreement is taken up, stage by stage, in the source's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalation: Vec<String>,
    /// The sources the body's record is taken from.
    pub sources: Vec<Slug>,
    /// The fields whose values are the example's: supplied where no source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example: Vec<String>,
    pub note: Option<String>,
    /// Set when the record is confidential: the Schedule 12A paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<Exemption>,
}

vocabulary! {
    /// Which bodies a list shows: those that exist today (the default), those
    /// that have ended, or both.
    Standing {
        Current = "current" / "Current bodies",
        Former = "former" / "Former bodies",
        All = "all" / "All bodies, current and former",
    }
}

impl Standing {
    /// Reads a list's `status` filter; empty or missing is the present.
    pub fn from_query(q: Option<&str>) -> Standing {
        q.filter(|s| !s.is_empty()).and_then(|s| Standing::parse(s).ok()).unwrap_or(Standing::Current)
    }

    /// Whether a body belongs in the list on `today`.
    pub fn admits(self, b: &Body, today: chrono::NaiveDate) -> bool {
        match self {
            Standing::Current => b.is_current(today),
            Standing::Former => !b.is_current(today),
            Standing::All => true,
        }
    }
}

impl Body {
    /// Whether the body still exists on `today`: it has not ended (a body
    /// ending in `2025-05` is current until the end of May 2025).
    pub fn is_current(&self, today: chrono::NaiveDate) -> bool {
        self.ended.as_ref().is_none_or(|e| !e.passed(today))
    }
}

/// A place at a body's table, whoever sits in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seat {
    pub body: Slug,
    pub slug: Slug,
    pub label: String,
    /// The words of the membership list this seat comes from. Several seats
    /// share one line: "Leaders of the five local authorities" is five seats.
    pub source_text: String,
    pub role: Role,
    /// The organisation or body the seat represents or is nominated by.
    pub on_behalf_of: Option<Party>,
    /// The post that holds the seat ex officio.
    pub post: Option<Slug>,
    /// The body's groups this seat sits in; empty means every meeting.
    pub groups: Vec<Slug>,
    pub note: Option<String>,
    /// Set when the record is confidential: the Schedule 12A paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<Exemption>,
}

/// A person or organisation holding a seat for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub slug: Slug,
    pub body: Slug,
    pub seat: Slug,
    pub person: Option<Slug>,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    /// Named substitutes who may attend in the member's place.
    pub substitutes: Vec<Slug>,
    /// Set when the record is confidential: the Schedule 12A paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<Exemption>,
}

impl Membership {
    /// Whether the membership holds on `today`: begun and not ended.
    pub fn is_current(&self, today: chrono::NaiveDate) -> bool {
        crate::ids::covers(self.start.as_ref(), self.end.as_ref(), today)
    }

    /// Whether the membership has ended by `today`.
    pub fn is_former(&self, today: chrono::NaiveDate) -> bool {
        self.end.as_ref().is_some_and(|e| e.passed(today))
    }
}

/// A relation between two bodies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub kind: RelationKind,
    pub from: Slug,
    pub to: Slug,
    pub note: Option<String>,
    /// Set when the record is confidential: the Schedule 12A paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<Exemption>,
}
