//! The partnership register: who governs what. One `Register` holds one
//! council's organisations, people, posts, bodies, seats, memberships,
//! relations between bodies, and areas.

use crate::ids::{PartialDate, Slug};
use placeworks_kernel::Exemption;
use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary: a serde-friendly enum with kebab-case names
/// in the dataset and API, and a British English label for pages.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order pages list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code used in dataset files, URLs and the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Reads a code, listing the accepted ones when it is not one.
            pub fn parse(s: &str) -> Result<$name, String> {
                match s { $($code => Ok($name::$variant),)+
                    _ => Err(format!("`{}` is not one of: {}", s, [$($code),+].join(", "))) }
            }
        }
    };
}

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
    /// How two bodies relate.
    RelationKind {
        ReportsTo = "reports-to" / "Reports to",
        LinksWith = "links-with" / "Links with",
        ManagesAgendaOf = "manages-agenda-of" / "Manages the agenda of",
        HoldsToAccount = "holds-to-account" / "Holds to account",
        PartOf = "part-of" / "Is part of",
    }
}

vocabulary! {
    /// The kind of an area. Official kinds carry ONS GSS codes; the others are
    /// the council's own named areas and carry a local code.
    AreaKind {
        Country = "country" / "Country",
        Region = "region" / "Region",
        County = "county" / "County",
        UnitaryAuthority = "unitary-authority" / "Unitary authority",
        District = "district" / "District",
        Ward = "ward" / "Ward",
        ElectoralDivision = "electoral-division" / "Electoral division",
        Parish = "parish" / "Parish",
        Lsoa = "lsoa" / "Lower-layer super output area",
        LocalCommunityArea = "local-community-area" / "Local community area",
        NamedSet = "named-set" / "Named set of areas",
    }
}

impl AreaKind {
    /// Whether areas of this kind are identified by an ONS GSS code.
    pub fn is_official(self) -> bool {
        !matches!(self, AreaKind::LocalCommunityArea | AreaKind::NamedSet)
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
    /// The sources the body's record is taken from.
    pub sources: Vec<Slug>,
    pub note: Option<String>,
    /// Set when the record is confidential: the Schedule 12A paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<Exemption>,
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

/// A geographic area: an official one with a GSS code, or a council's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// The GSS code, or the council's own code for its named areas.
    pub code: String,
    pub name: String,
    pub kind: AreaKind,
    pub parent: Option<String>,
    pub valid_from: Option<PartialDate>,
    pub valid_to: Option<PartialDate>,
    /// For a named set: the areas it is made of.
    pub members: Vec<String>,
    /// The boundary as a GeoJSON geometry in WGS84, shared (not copied)
    /// by every view of the register that holds the area.
    pub boundary: Option<std::sync::Arc<serde_json::Value>>,
    pub note: Option<String>,
}

impl Area {
    /// Whether the area carries an ONS GSS code.
    pub fn has_gss_code(&self) -> bool {
        self.kind.is_official()
    }
}

vocabulary! {
    /// Which way an indicator is good.
    Polarity {
        HigherIsWorse = "higher-is-worse" / "Higher is worse",
        HigherIsBetter = "higher-is-better" / "Higher is better",
        Neutral = "neutral" / "Neither",
    }
}

/// What an indicator measures, where it comes from, and for which areas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub slug: Slug,
    pub name: String,
    /// Such as `rank`, `score`, `people`, `%`.
    pub unit: String,
    pub polarity: Polarity,
    /// The theme or domain it belongs to, such as "Income".
    pub theme: Option<String>,
    pub source: String,
    pub licence: String,
    /// How often it is published, such as "every four or five years".
    pub frequency: Option<String>,
    /// The kind of area its values are for.
    pub geography: AreaKind,
    pub note: Option<String>,
}

/// One value of an indicator for an area and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    pub indicator: Slug,
    pub area: String,
    /// Such as `2019`, `2015-16` or `2024-Q1`.
    pub period: String,
    /// None when missing, with the reason in `missing`.
    pub value: Option<f64>,
    pub missing: Option<Missing>,
    /// For a rate: what it is made of.
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

vocabulary! {
    /// The kind of a service point.
    ServiceKind {
        CommunityHub = "community-hub" / "Community hub",
        Library = "library" / "Library",
        School = "school" / "School",
        ChildrensCentre = "childrens-centre" / "Children's centre",
        AdultLearningCentre = "adult-learning-centre" / "Adult learning centre",
        GpSurgery = "gp-surgery" / "GP surgery",
        PoliceStation = "police-station" / "Police station",
    }
}

/// A place where a service is delivered, in an area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicePoint {
    pub slug: Slug,
    pub name: String,
    pub kind: ServiceKind,
    /// For a school: whether it is an extended school.
    pub extended: bool,
    /// The code of the area it is in.
    pub area: String,
    pub note: Option<String>,
}

/// What a baseline asks of each area: at least so many service points of a kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requirement {
    pub kind: ServiceKind,
    /// Only extended schools count.
    #[serde(default)]
    pub extended: bool,
    pub at_least: u32,
}

/// A baseline of service provision for every area of a kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub slug: Slug,
    pub area_kind: AreaKind,
    pub requires: Vec<Requirement>,
    /// The rule in the source's words.
    pub text: String,
    pub source: Option<Slug>,
}

vocabulary! {
    /// Where a meeting is in its life.
    MeetingStatus {
        Scheduled = "scheduled" / "Scheduled",
        AgendaPublished = "agenda-published" / "Agenda published",
        Held = "held" / "Held",
        DraftMinutes = "draft-minutes" / "Draft minutes",
        MinutesApproved = "minutes-approved" / "Minutes approved",
        Cancelled = "cancelled" / "Cancelled",
    }
}

/// A meeting as recorded: held, to come, moved or cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub slug: Slug,
    pub body: Slug,
    /// The day (or only the month, where a record gives no day).
    pub date: PartialDate,
    /// The London time it starts, where known.
    pub time: Option<chrono::NaiveTime>,
    pub status: MeetingStatus,
    /// The group of the body it is for.
    pub group: Option<Slug>,
    /// The meeting the body's cadence planned that this one stands for
    /// (moved or cancelled), in London time.
    pub planned_for: Option<chrono::NaiveDateTime>,
    pub note: Option<String>,
    /// The day the agenda was published, once it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda_published: Option<chrono::NaiveDate>,
    /// The agenda, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<AgendaItem>,
    /// Who came, who sent apologies, and who stood in for whom.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendance: Vec<Attendance>,
    /// The seat whose holder chaired the meeting, once held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chaired_by: Option<Slug>,
    /// The minutes, paragraph by paragraph (draft until approved).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub minutes: Vec<String>,
    /// The meeting at which these minutes were approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes_approved_at: Option<Slug>,
}

/// An item of business on an agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// Its number on the agenda: "1", "4a".
    pub number: String,
    pub title: String,
    pub presenter: Option<String>,
    /// Whether the meeting is asked to decide something.
    pub decision_required: bool,
    /// Set when the item is taken in private: the Schedule 12A paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<Exemption>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub papers: Vec<Paper>,
}

/// An uploaded paper. The file itself is kept outside the database, named by
/// its SHA-256; the record keeps what is needed to serve it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paper {
    pub slug: Slug,
    pub title: String,
    /// The name it was uploaded with, offered again on download.
    pub file_name: String,
    /// Such as `application/pdf`.
    pub media_type: String,
    pub size: u64,
    /// The SHA-256 of the content, in hex: the stored file's name.
    pub sha256: String,
    /// When it was uploaded (UTC, RFC 3339).
    pub uploaded: String,
}

vocabulary! {
    /// How someone took part in a meeting.
    AttendanceKind {
        Present = "present" / "Present",
        Apologies = "apologies" / "Apologies",
        Substitute = "substitute" / "Substitute",
        Adviser = "adviser" / "Adviser",
        Observer = "observer" / "Observer",
        InAttendance = "in-attendance" / "In attendance",
    }
}

/// One line of a meeting's attendance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    pub person: Slug,
    /// The seat they sat in (for a substitute, the absent member's seat).
    pub seat: Option<Slug>,
    pub kind: AttendanceKind,
    /// For a substitute: the member they stood in for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substitute_for: Option<Slug>,
    /// For a substitute not named in advance: the chair agreed.
    #[serde(default)]
    pub chair_agreed: bool,
}

vocabulary! {
    /// Where a constituent body is with ratifying a decision.
    RatificationStatus {
        Pending = "pending" / "Pending",
        Ratified = "ratified" / "Ratified",
        Declined = "declined" / "Declined",
    }
}

/// One constituent body's answer to a request to ratify a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ratification {
    /// The constituent organisation asked.
    pub organisation: Slug,
    pub requested: chrono::NaiveDate,
    pub status: RatificationStatus,
    /// The day it ratified or declined.
    pub answered: Option<chrono::NaiveDate>,
    /// The minute reference of its decision.
    pub minute: Option<String>,
}

impl Meeting {
    /// A meeting with nothing recorded of it yet but when and for whom.
    pub fn new(
        slug: Slug,
        body: Slug,
        date: PartialDate,
        time: Option<chrono::NaiveTime>,
        status: MeetingStatus,
        group: Option<Slug>,
        planned_for: Option<chrono::NaiveDateTime>,
    ) -> Meeting {
        Meeting {
            slug,
            body,
            date,
            time,
            status,
            group,
            planned_for,
            note: None,
            agenda_published: None,
            items: Vec::new(),
            attendance: Vec::new(),
            chaired_by: None,
            minutes: Vec::new(),
            minutes_approved_at: None,
        }
    }

    /// Its start, when both day and time are known.
    pub fn start(&self) -> Option<chrono::NaiveDateTime> {
        let day = chrono::NaiveDate::parse_from_str(self.date.as_str(), "%Y-%m-%d").ok()?;
        Some(day.and_time(self.time?))
    }
}

/// One numbered item of a decision: "That the progress ... be NOTED."
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    pub number: Option<String>,
    pub text: String,
    /// The outcome verb, in capitals as minuted: AGREED, NOTED, ...
    pub verb: String,
}

/// How a decision was reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "kebab-case")]
pub enum Reached {
    Consensus,
    Vote { r#for: u32, against: u32, abstaining: u32 },
}

/// A decision record: who decided what, when, and the minutes of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub slug: Slug,
    /// The body that took it.
    pub body: Slug,
    /// A day, or only a month where the record gives no day.
    pub date: PartialDate,
    pub title: String,
    /// Whether it is a key decision, where the record says.
    pub key_decision: Option<bool>,
    /// Its call-in status in words, such as "Not subject to call-in".
    pub call_in: Option<String>,
    /// The "Decision" summary, paragraph by paragraph.
    pub summary: Vec<String>,
    /// The full "Minutes", paragraph by paragraph.
    pub minutes: Vec<String>,
    pub resolutions: Vec<Resolution>,
    pub reached: Option<Reached>,
    /// The areas (wards) it affects.
    pub areas: Vec<String>,
    /// Supporting documents, by title.
    pub documents: Vec<String>,
    /// The matter it belongs to: decisions sharing an issue are its history.
    pub issue: Option<Slug>,
    /// The meeting it was taken at.
    #[serde(default)]
    pub meeting: Option<Slug>,
    /// On the forward plan: to be taken, not yet taken.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forthcoming: bool,
    /// The day it was first notified on the forward plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified: Option<chrono::NaiveDate>,
    /// Whether it goes beyond the members' delegated authority.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub beyond_delegation: bool,
    /// The constituent bodies asked to ratify it, and their answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ratifications: Vec<Ratification>,
    pub sources: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt: Option<Exemption>,
}

/// One council's whole register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub council: Council,
    pub organisations: Vec<Organisation>,
    pub people: Vec<Person>,
    pub posts: Vec<Post>,
    pub bodies: Vec<Body>,
    pub seats: Vec<Seat>,
    pub memberships: Vec<Membership>,
    pub relations: Vec<Relation>,
    pub areas: Vec<Area>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub values: Vec<IndicatorValue>,
    #[serde(default)]
    pub services: Vec<ServicePoint>,
    #[serde(default)]
    pub baselines: Vec<Baseline>,
    #[serde(default)]
    pub decisions: Vec<Decision>,
    #[serde(default)]
    pub meetings: Vec<Meeting>,
}

/// Why a value is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// `*`: withheld to protect confidentiality or because it is unreliable.
    Suppressed,
    /// `..`: not available.
    NotAvailable,
    /// `-`: nil, or not applicable.
    NotApplicable,
    /// Nothing written.
    Empty,
}

impl Missing {
    /// The code stored and exported.
    pub fn code(self) -> &'static str {
        match self {
            Missing::Suppressed => "suppressed",
            Missing::NotAvailable => "not-available",
            Missing::NotApplicable => "not-applicable",
            Missing::Empty => "empty",
        }
    }

    /// Reads a code back.
    pub fn parse(s: &str) -> Option<Missing> {
        [Missing::Suppressed, Missing::NotAvailable, Missing::NotApplicable, Missing::Empty].into_iter().find(|m| m.code() == s)
    }

    /// The reason in words.
    pub fn reason(self) -> &'static str {
        match self {
            Missing::Suppressed => "suppressed (*)",
            Missing::NotAvailable => "not available (..)",
            Missing::NotApplicable => "nil or not applicable (-)",
            Missing::Empty => "empty",
        }
    }
}
