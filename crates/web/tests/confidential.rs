//! Confidential records never reach anybody without the right role, and
//! text typed into any form field is shown as text wherever it appears.
//!
//! Both tests walk the whole site the way a visitor (or a robot) would: every
//! page linked from the home page, the sitemap, the API for every record in
//! the store, the Popolo export and the charts, on SQLite and PostgreSQL.

use axum::http::StatusCode;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::permissions::Grant;
use placeworks_domain::records::*;
use placeworks_domain::visibility::Exemption;
use placeworks_domain::{dataset, Register, Slug};
use placeworks_store::testing::both;
use placeworks_web::{router, AppState, Options};
use std::collections::{BTreeSet, VecDeque};

mod common;
use common::*;

const SECRET: &str = "zzsecret";

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

/// The built-in register with a confidential record of every kind planted
/// in it, each named so that any trace of it can be searched for.
fn planted() -> Register {
    let mut reg = dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
    let exempt = Some(Exemption::paragraph(3).unwrap());
    let org = reg.organisations[0].slug.clone();
    let seat = |body: &str, s: &str, label: &str, exempt| Seat {
        body: slug(body),
        slug: slug(s),
        label: label.into(),
        source_text: label.into(),
        role: Role::Member,
        on_behalf_of: Some(Party::Organisation(org.clone())),
        post: None,
        groups: vec![],
        note: Some(format!("{label} note")),
        exempt,
    };
    let membership = |s: &str, body: &str, seat: &str, person: &str, subs: &[&str], exempt| Membership {
        slug: slug(s),
        body: slug(body),
        seat: slug(seat),
        person: Some(slug(person)),
        start: None,
        end: None,
        substitutes: subs.iter().map(|x| slug(x)).collect(),
        exempt,
    };
    let person = |s: &str, name: &str, exempt| Person { slug: slug(s), name: name.into(), note: None, exempt, sources: vec![], example: vec![] };

    // A confidential body, with a public-looking seat, member, post and links.
    let mut body = reg.bodies.iter().find(|b| b.slug.as_str() == "bsp-board").unwrap().clone();
    body.slug = slug("zzsecret-body");
    body.name = "ZZSECRET Body".into();
    body.short_name = Some("ZZSECRET".into());
    body.exempt = exempt;
    body.chair = None;
    reg.bodies.push(body);
    reg.posts.push(Post::new(slug("zzsecret-body-chair"), "Chair of ZZSECRET", Party::Body(slug("zzsecret-body"))));
    reg.seats.push(seat("zzsecret-body", "zzsecret-body-seat", "ZZSECRET body seat", None));
    reg.people.push(person("zzsecret-body-person", "ZZSECRET Body Person", None));
    reg.memberships.push(membership("zzsecret-body-membership", "zzsecret-body", "zzsecret-body-seat", "zzsecret-body-person", &[], None));
    reg.relations.push(Relation { kind: RelationKind::ReportsTo, from: slug("zzsecret-body"), to: slug("bsp-board"), note: None, exempt: None });
    reg.relations.push(Relation { kind: RelationKind::LinksWith, from: slug("bsp-board"), to: slug("zzsecret-body"), note: None, exempt: None });
    // A seat on a body that sits on the confidential body.
    reg.seats.push(Seat { on_behalf_of: Some(Party::Body(slug("zzsecret-body"))), ..seat("cadex", "zzsecret-nominee", "Nominee", None) });

    // A confidential seat on a public body.
    reg.seats.push(seat("bsp-board", "zzsecret-seat", "ZZSECRET Seat", exempt));
    // A confidential membership of a public seat, naming people found nowhere else.
    reg.people.push(person("zzsecret-member", "ZZSECRET Member", None));
    reg.people.push(person("zzsecret-substitute", "ZZSECRET Substitute", None));
    reg.memberships.push(membership("zzsecret-membership", "bsp-board", "encompass", "zzsecret-member", &["zzsecret-substitute"], exempt));
    // A confidential person in a public membership.
    reg.people.push(person("zzsecret-person", "ZZSECRET Person", exempt));
    reg.memberships.push(membership(
        "zzsecret-person-membership",
        "bsp-implementation-group",
        &reg.seats.iter().find(|s| s.body.as_str() == "bsp-implementation-group").unwrap().slug.to_string(),
        "zzsecret-person",
        &[],
        None,
    ));
    // A confidential link between two public bodies that are otherwise unrelated.
    reg.relations.push(Relation {
        kind: RelationKind::HoldsToAccount,
        from: slug("growth-board"),
        to: slug("making-every-adult-matter-team"),
        note: Some("ZZSECRET link".into()),
        exempt,
    });
    // A confidential decision of a public body, and a public-looking one of the confidential body.
    let decision = |s: &str, body: &str, exempt| Decision {
        slug: slug(s),
        body: slug(body),
        date: placeworks_domain::PartialDate::parse("2024-06").unwrap(),
        title: "ZZSECRET decision".into(),
        key_decision: Some(true),
        call_in: None,
        summary: vec!["ZZSECRET summary".into()],
        minutes: vec![],
        resolutions: vec![Resolution { number: None, text: "That ZZSECRET be AGREED.".into(), verb: "AGREED".into() }],
        reached: None,
        areas: vec![],
        documents: vec![],
        issue: None,
        meeting: None,
        sources: vec![],
        example: vec![],
        exempt,
        forthcoming: false,
        notified: None,
        beyond_delegation: false,
        power: None,
        ratifications: vec![],
    };
    reg.decisions.push(decision("zzsecret-decision", "cabinet", exempt));
    reg.decisions.push(decision("zzsecret-body-decision", "zzsecret-body", None));
    // A confidential decision on the forward plan.
    reg.decisions.push(Decision {
        forthcoming: true,
        resolutions: vec![],
        notified: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
        ..decision("zzsecret-forthcoming", "bsp-board", exempt)
    });
    // A public meeting with a published agenda: one public item, and one
    // confidential item with its paper and its presenter.
    let at = chrono::NaiveDateTime::parse_from_str("2027-01-14T10:00", "%Y-%m-%dT%H:%M").unwrap();
    let paper = |s: &str, title: &str| Paper {
        slug: slug(s),
        title: title.into(),
        file_name: format!("{s}.pdf"),
        media_type: "application/pdf".into(),
        size: 10,
        sha256: "00".repeat(32),
        uploaded: "2026-11-01T10:00:00Z".into(),
    };
    let item = |n: &str, title: &str, presenter: &str, exempt, papers| AgendaItem {
        number: n.into(),
        title: title.into(),
        presenter: Some(presenter.into()),
        decision_required: true,
        exempt,
        papers,
        from_body: None,
    };
    reg.meetings.push(Meeting {
        agenda_published: chrono::NaiveDate::from_ymd_opt(2027, 1, 4),
        items: vec![
            item("1", "Apologies", "The Chairman", None, vec![]),
            item("2", "ZZSECRET item", "ZZSECRET presenter", exempt, vec![paper("zzsecret-paper", "ZZSECRET paper")]),
        ],
        ..Meeting::new(
            slug("bsp-board-2027-01-14-1000"),
            slug("bsp-board"),
            placeworks_domain::PartialDate::parse("2027-01-14").unwrap(),
            Some(at.time()),
            MeetingStatus::AgendaPublished,
            None,
            Some(at),
        )
    });

    // Exempt attendance at a held public meeting: the holder of the
    // confidential membership and their named substitute, the holder of the
    // confidential seat, and a public person sitting by a confidential
    // membership (named on other bodies' pages, so only their attendance
    // here would give the membership away).
    reg.people.push(person("zzsecret-seat-holder", "ZZSECRET Seat Holder", None));
    reg.memberships.push(membership("zzsecret-seat-membership", "bsp-board", "zzsecret-seat", "zzsecret-seat-holder", &[], None));
    let public = public_person(&reg);
    let seat_of_board = reg.seats.iter().find(|s| s.body.as_str() == "bsp-board" && s.exempt.is_none() && s.slug.as_str() != "encompass").unwrap().slug.clone();
    reg.memberships.push(membership("zzsecret-public-sitting", "bsp-board", seat_of_board.as_str(), public.as_str(), &[], exempt));
    let held = chrono::NaiveDateTime::parse_from_str("2026-10-01T10:00", "%Y-%m-%dT%H:%M").unwrap();
    let sat = |person: &str, seat: &str, kind, substitute_for: Option<&str>| Attendance {
        person: slug(person),
        seat: Some(slug(seat)),
        kind,
        substitute_for: substitute_for.map(slug),
        chair_agreed: false,
    };
    let mut meeting = Meeting::new(
        slug(HELD),
        slug("bsp-board"),
        placeworks_domain::PartialDate::parse("2026-10-01").unwrap(),
        Some(held.time()),
        MeetingStatus::Held,
        None,
        Some(held),
    );
    meeting.agenda_published = chrono::NaiveDate::from_ymd_opt(2026, 9, 20);
    meeting.items = vec![item("1", "Apologies", "The Chairman", None, vec![])];
    meeting.attendance = vec![
        sat("zzsecret-substitute", "encompass", AttendanceKind::Substitute, Some("zzsecret-member")),
        sat("zzsecret-seat-holder", "zzsecret-seat", AttendanceKind::Present, None),
        sat(public.as_str(), seat_of_board.as_str(), AttendanceKind::Present, None),
    ];
    reg.meetings.push(meeting);
    // A public decision at that meeting that follows another body's exempt decision.
    reg.decisions.push(decision("zzsecret-followed", "cabinet", exempt));
    reg.decisions.push(Decision {
        title: "Board follows up".into(),
        summary: vec!["The Board followed up.".into()],
        resolutions: vec![Resolution { number: None, text: "That the follow-up be NOTED.".into(), verb: "NOTED".into() }],
        date: placeworks_domain::PartialDate::parse("2026-10-01").unwrap(),
        meeting: Some(slug(HELD)),
        issue: Some(slug("zzsecret-followed")),
        ..decision("board-follows-up-2026-10-01", "bsp-board", None)
    });
    // A paper on an agenda not yet published, and a meeting of the confidential body.
    let draft = chrono::NaiveDateTime::parse_from_str("2027-03-11T10:00", "%Y-%m-%dT%H:%M").unwrap();
    reg.meetings.push(Meeting {
        items: vec![item("1", "ZZSECRET draft item", "ZZSECRET drafter", None, vec![paper(DRAFT_PAPER, "ZZSECRET draft paper")])],
        ..Meeting::new(
            slug(DRAFT_MEETING),
            slug("bsp-board"),
            placeworks_domain::PartialDate::parse("2027-03-11").unwrap(),
            Some(draft.time()),
            MeetingStatus::Scheduled,
            None,
            Some(draft),
        )
    });
    reg.meetings.push(Meeting::new(
        slug(SECRET_MEETING),
        slug("zzsecret-body"),
        placeworks_domain::PartialDate::parse("2026-09-01").unwrap(),
        Some(held.time()),
        MeetingStatus::Held,
        None,
        Some(held),
    ));
    reg
}

const HELD: &str = "bsp-board-2026-10-01-1000";
const DRAFT_MEETING: &str = "bsp-board-2027-03-11-1000";
const DRAFT_PAPER: &str = "item-1-zzsecret-draft-paper";
const SECRET_MEETING: &str = "zzsecret-body-2026-09-01-1000";

/// A person named in public elsewhere (the holder of a public post: the
/// Deputy Chief Executive), not on the BSP Board.
fn public_person(reg: &Register) -> Slug {
    reg.posts.iter().find_map(|p| p.holder.clone()).expect("a post with a holder")
}

/// Accounts as (email, body, whether its secretariat or a member).
const ACCOUNTS: [(&str, &str, bool); 5] = [
    ("member@example.org", "zzsecret-body", false),
    ("bsp@example.org", "bsp-board", true),
    ("cadex@example.org", "cadex", false),
    ("cadex-secretariat@example.org", "cadex", true),
    // A secretariat with no say over the BSP Board's agenda (CADEX drafts it).
    ("regeneration-secretariat@example.org", "regeneration-board", true),
];

async fn apps(reg: &Register) -> Vec<(axum::Router, placeworks_store::testing::TestDb)> {
    let mut out = Vec::new();
    for db in both().await {
        db.store.replace_council(reg, "1").await.unwrap();
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        for (i, (email, body, secretariat)) in ACCOUNTS.iter().enumerate() {
            let grant = if *secretariat { Grant::Secretariat(slug(body)) } else { Grant::Member(slug(body)) };
            db.store.create_account(&format!("a{i}"), email, "Test Account", &hash, &[("buckinghamshire".into(), grant)], 0).await.unwrap();
        }
        db.store.create_account("adm", "admin@example.org", "Ada Admin", &hash, &[("*".into(), Grant::Administrator)], 0).await.unwrap();
        let state = AppState::new(db.store.clone(), placeworks_store::testing::bsp_era_clock())
            .await
            .unwrap()
            .with_papers(placeworks_store::Papers::folder(&tempfile::tempdir().unwrap().keep()).unwrap());
        out.push((router(state, &Options::default()), db));
    }
    out
}

/// Every same-site address a visitor can reach from the home page, the
/// sitemap and the API, with every record of the whole register (exempt ones
/// too) asked for by name. Returns each address with its status and body.
async fn crawl(app: &axum::Router, reg: &Register, session: Option<&str>) -> Vec<(String, StatusCode, String)> {
    let c = reg.council.slug.as_str();
    let mut queue: VecDeque<String> =
        ["/", "/councils", "/sitemap.xml", "/robots.txt", "/api/openapi.json", "/api/v1/popolo", "/api/v1/councils"].iter().map(|s| s.to_string()).collect();
    let api = format!("/api/v1/councils/{c}");
    queue.extend([format!("{api}/bodies"), format!("{api}/organisations"), format!("{api}/areas"), format!("{api}/popolo"), format!("/{c}/structure.svg")]);
    for b in &reg.bodies {
        queue.extend([format!("/{c}/bodies/{}", b.slug), format!("{api}/bodies/{}", b.slug), format!("/{c}/bodies?kind={}", b.kind.code())]);
        // Its attendance and calendar, and every editing address (forms included).
        let pages = ["attendance", "meetings.ics", "manage", "edit", "history", "seats/new", "links", "members/new", "forward-plan/new"];
        queue.extend(pages.iter().map(|p| format!("/{c}/bodies/{}/{p}", b.slug)));
        queue.extend(reg.seats.iter().filter(|s| s.body == b.slug).map(|s| format!("/{c}/bodies/{}/seats/{}/edit", b.slug, s.slug)));
    }
    for p in &reg.people {
        queue.extend([format!("/{c}/people/{}", p.slug), format!("/{c}/people/{}/meetings.ics", p.slug)]);
    }
    for o in &reg.organisations {
        queue.extend([format!("/{c}/organisations/{}", o.slug), format!("{api}/organisations/{}", o.slug)]);
    }
    for d in &reg.decisions {
        queue.extend([format!("/{c}/decisions/{}", d.slug), format!("/{c}/decisions/{}/ratifications", d.slug)]);
    }
    // Every meeting and paper, asked for by address, and the feeds.
    for m in &reg.meetings {
        queue.extend([format!("/{c}/meetings/{}", m.slug), format!("{api}/meetings/{}", m.slug)]);
        queue.extend(["manage", "attendance", "minutes", "decisions/new"].iter().map(|p| format!("/{c}/meetings/{}/{p}", m.slug)));
        queue.extend(m.items.iter().flat_map(|i| i.papers.iter().map(|p| format!("/{c}/meetings/{}/papers/{}", m.slug, p.slug))));
    }
    queue.extend([
        format!("/{c}/forward-plan"),
        format!("/{c}/papers.atom"),
        format!("/{c}/decisions.atom"),
        format!("/{c}/meetings.ics"),
        format!("{api}/meetings"),
        format!("{api}/decisions"),
    ]);
    for a in &reg.areas {
        queue.extend([format!("/{c}/areas/{}", a.code), format!("{api}/areas/{}", a.code)]);
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while let Some(uri) = queue.pop_front() {
        if !seen.insert(uri.clone()) || uri.starts_with("/assets/") || uri == "/sign-out" || uri == "/sign-out-everywhere" {
            continue;
        }
        let (status, _, _, body) = send(app, req("GET", &uri, session, None)).await;
        queue.extend(links(&body));
        for loc in body.split("<loc>").skip(1) {
            let loc = loc.split("</loc>").next().unwrap();
            queue.push_back(loc.split_once("://").map_or(loc, |(_, rest)| &rest[rest.find('/').unwrap_or(rest.len())..]).to_owned());
        }
        out.push((uri, status, body));
    }
    out
}

/// The addresses whose responses give away a planted record: its name, or
/// its slug anywhere but in a "not found" answer to asking for it by slug.
fn traces(pages: &[(String, StatusCode, String)]) -> Vec<String> {
    pages
        .iter()
        .filter(|(uri, status, body)| {
            let named = body.contains("ZZSECRET");
            let echoed = *status == StatusCode::NOT_FOUND && uri.contains(SECRET);
            named || (body.to_lowercase().contains(SECRET) && !echoed)
        })
        .map(|(uri, status, _)| format!("{uri} ({status})"))
        .collect()
}

#[tokio::test]
async fn no_confidential_record_reaches_an_anonymous_visitor_anywhere() {
    let reg = planted();
    for (app, db) in apps(&reg).await {
        let pages = crawl(&app, &reg, None).await;
        assert!(pages.len() > 300, "the crawl reached {} addresses", pages.len());
        assert!(pages.iter().any(|(u, s, _)| u.starts_with("/buckinghamshire/areas/E05") && *s == StatusCode::OK), "it reached the area pages");
        assert_eq!(traces(&pages), Vec::<String>::new(), "confidential records leaked on {}", db.name);
        let meeting = pages.iter().find(|(u, _, _)| u == "/buckinghamshire/meetings/bsp-board-2027-01-14-1000").unwrap();
        assert!(meeting.1 == StatusCode::OK && meeting.2.contains("Apologies"), "the meeting's public agenda is shown");
        let paper = pages.iter().find(|(u, _, _)| u.ends_with("/papers/zzsecret-paper")).unwrap();
        assert_eq!(paper.1, StatusCode::NOT_FOUND, "the confidential paper is not there for the public");
        let hidden = pages.iter().find(|(u, _, _)| u == "/buckinghamshire/bodies/zzsecret-body").unwrap();
        assert_eq!(hidden.1, StatusCode::NOT_FOUND, "the confidential body's page is not there for the public");

        // Counts agree with what is shown.
        let (_, _, _, list) = send(&app, req("GET", "/api/v1/councils/buckinghamshire/bodies", None, None)).await;
        let list: serde_json::Value = serde_json::from_str(&list).unwrap();
        let today = placeworks_store::testing::bsp_era_clock().today();
        let current = reg.bodies.iter().filter(|b| b.is_current(today)).count();
        assert_eq!(list.as_array().unwrap().len(), current - 1);
        let (_, _, _, home) = send(&app, req("GET", "/buckinghamshire", None, None)).await;
        assert!(
            home.contains(&format!("<span class=\"pw-count__number\">{}</span> <span class=\"pw-count__label\">bodies", current - 1)),
            "the home page counts public bodies"
        );

        // The confidential link between two public bodies is not on either page.
        for (page, other) in [("growth-board", "making-every-adult-matter-team"), ("making-every-adult-matter-team", "growth-board")] {
            let (_, _, _, html) = send(&app, req("GET", &format!("/buckinghamshire/bodies/{page}"), None, None)).await;
            let aside = html.split("In the structure").nth(1).unwrap().split("</aside>").next().unwrap();
            assert!(!aside.contains(&format!("/bodies/{other}\"")), "{page} shows its confidential link to {other}");
        }
    }
}

#[tokio::test]
async fn members_and_secretariat_see_what_their_roles_open_and_nothing_else() {
    let reg = planted();
    for (app, db) in apps(&reg).await {
        // A member of the confidential body sees it and its people.
        let (member, _) = sign_in(&app, "member@example.org").await;
        let (status, _, _, html) = send(&app, req("GET", "/buckinghamshire/bodies/zzsecret-body", Some(&member), None)).await;
        assert_eq!(status, StatusCode::OK, "on {}", db.name);
        assert!(html.contains("ZZSECRET Body Person") && html.contains("paragraph 3 of Schedule 12A"), "with the exemption said");
        let (_, _, _, board) = send(&app, req("GET", "/buckinghamshire/bodies/bsp-board", Some(&member), None)).await;
        assert!(!board.contains("ZZSECRET Seat") && !board.contains("ZZSECRET Member"), "but not another body's confidential seat");

        // The BSP Board's secretariat sees its confidential seat and membership.
        let (bsp, _) = sign_in(&app, "bsp@example.org").await;
        let (_, _, _, board) = send(&app, req("GET", "/buckinghamshire/bodies/bsp-board", Some(&bsp), None)).await;
        assert!(board.contains("ZZSECRET Seat") && board.contains("ZZSECRET Member (named substitute: ZZSECRET Substitute)"));
        assert!(board.contains("Confidential</strong>"), "marked as confidential");
        let (status, _, _, page) = send(&app, req("GET", "/buckinghamshire/bodies/zzsecret-body", Some(&bsp), None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "someone signed in who may not see it is answered as for a body that does not exist");
        assert!(!page.contains("ZZSECRET"), "nothing leaks in the refusal");

        // A member of another body, signed in, walks the whole site and finds nothing.
        let (cadex, _) = sign_in(&app, "cadex@example.org").await;
        let pages = crawl(&app, &reg, Some(&cadex)).await;
        let paper = pages.iter().find(|(u, _, _)| u.ends_with("/papers/zzsecret-paper")).unwrap();
        assert_eq!(paper.1, StatusCode::NOT_FOUND, "a member of another body opening the Board's confidential paper finds nothing there");
        assert_eq!(traces(&pages), Vec::<String>::new(), "confidential records leaked to a member of another body on {}", db.name);
    }
}

/// A script typed into every text field of every form is shown as text on
/// every page it reaches: public pages, charts, the management pages, the
/// history and the audit trail.
#[tokio::test]
async fn a_script_typed_into_every_text_field_is_escaped_wherever_it_appears() {
    let reg = dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
    for (app, db) in apps(&reg).await {
        let (session, csrf) = sign_in(&app, "bsp@example.org").await;
        let bsp = "/buckinghamshire/bodies/bsp-board";
        let x = |field: &str| encode(&format!("<script>alert('{field}')</script><b>{field}</b>"));
        // A meeting held yesterday, with its business typed in the same way.
        let day = placeworks_store::testing::bsp_era_clock().today() - chrono::Days::new(1);
        let meeting = format!("/buckinghamshire/meetings/bsp-board-{}-1000", day.format("%Y-%m-%d"));
        let business = [
            (format!("{bsp}/meetings"), format!("csrf={csrf}&action=add&date={}&time=10:00&note={}", day.format("%Y-%m-%d"), x("meeting-note"))),
            (format!("{meeting}/attendance"), format!("csrf={csrf}&person={}&kind=present", x("attendee"))),
            (format!("{meeting}/minutes"), format!("csrf={csrf}&action=held")),
            (format!("{meeting}/minutes"), format!("csrf={csrf}&action=minutes&minutes={}", x("minutes"))),
            (format!("{bsp}/forward-plan/new"), format!("csrf={csrf}&title={}&date=2099-01-01", x("forthcoming"))),
            (
                format!("{meeting}/decisions/new"),
                format!(
                    "csrf={csrf}&title={}&summary={}&resolutions={}&reached=consensus&notified={}",
                    x("decision"),
                    x("decision-summary"),
                    encode("That <script>alert('resolution')</script> be AGREED."),
                    day.format("%Y-%m-%d")
                ),
            ),
        ];
        for (uri, form) in &business {
            let (status, _, _, body) = send(&app, req("POST", uri, Some(&session), Some(form))).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{uri}: {}", body.split("govuk-error-summary__list").nth(1).unwrap_or_default());
        }
        let fields = [
            ("csrf", csrf.as_str()),
            ("number", "1"),
            ("title", "<script>alert('item')</script><b>item</b>"),
            ("presenter", "<script>alert('presenter')</script>"),
            ("paper_title", "<script>alert('paper')</script>"),
        ];
        let pdf: &[u8] = b"%PDF-1.4\n%%EOF\n";
        assert_eq!(send(&app, multipart(&format!("{meeting}/agenda"), &session, &fields, Some(("paper", "<b>x</b>.pdf", pdf)))).await.0, StatusCode::SEE_OTHER);
        let (admin, admin_csrf) = sign_in(&app, "admin@example.org").await;
        assert_eq!(
            send(&app, req("POST", &format!("{meeting}/agree"), Some(&admin), Some(&format!("csrf={admin_csrf}&what=agenda")))).await.0,
            StatusCode::SEE_OTHER
        );
        assert_eq!(send(&app, req("POST", &format!("{meeting}/publish"), Some(&session), Some(&format!("csrf={csrf}")))).await.0, StatusCode::SEE_OTHER);
        let reg_now = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let decision = reg_now.decisions.iter().find(|d| !d.ratifications.is_empty()).expect("a short-notice decision");
        let form = format!(
            "csrf={csrf}&organisation={}&status=ratified&answered={}&minute={}",
            decision.ratifications[0].organisation,
            placeworks_store::testing::bsp_era_clock().today(),
            x("minute")
        );
        assert_eq!(
            send(&app, req("POST", &format!("/buckinghamshire/decisions/{}/ratifications", decision.slug), Some(&session), Some(&form))).await.0,
            StatusCode::SEE_OTHER
        );
        let forms = [
            (format!("{bsp}/seats/new"), format!("csrf={csrf}&role=member&label={}&note={}", x("seat-label"), x("seat-note"))),
            (format!("{bsp}/members/new"), format!("csrf={csrf}&seat=encompass&person={}&substitute={}", x("person"), x("substitute"))),
            (format!("{bsp}/links"), format!("csrf={csrf}&kind=links-with&to=growth-board&note={}", x("link-note"))),
            (
                format!("{bsp}/edit"),
                format!(
                    "csrf={csrf}&kind=board&name={}&short_name={}&purpose={}&terms_of_reference={}&cadence_text={}&chair_kind=appointed&chair_text={}",
                    x("name"),
                    encode("<i>s</i>"),
                    x("purpose"),
                    x("terms"),
                    x("cadence"),
                    x("chair")
                ) + &opened_version(&app, &format!("{bsp}/edit"), &session).await,
            ),
        ];
        for (uri, form) in &forms {
            let (status, _, _, body) = send(&app, req("POST", uri, Some(&session), Some(form))).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{uri}: {}", body.split("govuk-error-summary__list").nth(1).unwrap_or_default());
        }
        let reg_now = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let m = reg_now.memberships.iter().find(|m| m.body.as_str() == "bsp-board").unwrap();
        let form =
            format!("csrf={csrf}&substitutes={}", x("substitutes")) + &opened_version(&app, &format!("{bsp}/memberships/{}/edit", m.slug), &session).await;
        assert_eq!(send(&app, req("POST", &format!("{bsp}/memberships/{}/edit", m.slug), Some(&session), Some(&form))).await.0, StatusCode::SEE_OTHER);

        let (admin, _) = sign_in(&app, "admin@example.org").await;
        let mut pages = crawl(&app, &reg_now, None).await;
        let ratify = format!("/buckinghamshire/decisions/{}/ratifications", decision.slug);
        for extra in [
            "/buckinghamshire/audit",
            &format!("{bsp}/history"),
            &format!("{bsp}/manage"),
            &format!("{bsp}/edit"),
            &format!("{bsp}/links"),
            &format!("{meeting}/manage"),
            &format!("{meeting}/attendance"),
            &format!("{meeting}/agenda"),
            &format!("{meeting}/minutes"),
            &ratify,
        ] {
            let (status, _, _, body) = send(&app, req("GET", extra, Some(&admin), None)).await;
            pages.push((extra.to_string(), status, body));
        }
        let mut shown = BTreeSet::new();
        for (uri, _, body) in &pages {
            let markup = body.trim_start().to_lowercase().starts_with("<!doctype html") || body.trim_start().starts_with("<svg");
            if uri.starts_with("/api/") || !markup {
                continue; // JSON, CSV and iCalendar carry text as text, served as such
            }
            assert!(!body.contains("<script>alert(") && !body.contains("<b>") && !body.contains("<i>s</i>"), "{uri} lets typed markup through");
            for chunk in body.split("&lt;script&gt;alert(&#x27;").skip(1) {
                shown.insert(chunk.split("&#x27;").next().unwrap().to_owned());
            }
        }
        let expected: BTreeSet<String> = [
            "seat-label",
            "seat-note",
            "person",
            "substitute",
            "link-note",
            "name",
            "purpose",
            "terms",
            "cadence",
            "chair",
            "substitutes",
            "meeting-note",
            "attendee",
            "minutes",
            "forthcoming",
            "decision",
            "decision-summary",
            "resolution",
            "item",
            "presenter",
            "paper",
            "minute",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(shown, expected, "every field's text is shown, escaped, somewhere on {}", db.name);
    }
}

/// A confidential record and a missing one answer the same to anyone who may
/// not see it: anonymous visitors are sent to sign in by every editing
/// address, and someone signed in gets the same 404 for both, on pages and
/// editing addresses alike (the page differs only by the address asked for).
#[tokio::test]
async fn a_confidential_record_answers_as_a_missing_one_to_whoever_may_not_see_it() {
    let reg = planted();
    for (app, db) in apps(&reg).await {
        let pairs = [
            ("/buckinghamshire/bodies/zzsecret-body", "/buckinghamshire/bodies/zz-no-such-body"),
            ("/buckinghamshire/bodies/zzsecret-body/manage", "/buckinghamshire/bodies/zz-no-such-body/manage"),
            ("/buckinghamshire/bodies/zzsecret-body/edit", "/buckinghamshire/bodies/zz-no-such-body/edit"),
            ("/buckinghamshire/bodies/zzsecret-body/history", "/buckinghamshire/bodies/zz-no-such-body/history"),
            ("/buckinghamshire/decisions/zzsecret-decision/ratifications", "/buckinghamshire/decisions/zz-no-such-decision/ratifications"),
            ("/buckinghamshire/decisions/zzsecret-decision", "/buckinghamshire/decisions/zz-no-such-decision"),
            ("/buckinghamshire/meetings/zzsecret-body-2026-09-01-1000", "/buckinghamshire/meetings/zz-no-such-meeting"),
            ("/buckinghamshire/meetings/zzsecret-body-2026-09-01-1000/manage", "/buckinghamshire/meetings/zz-no-such-meeting/manage"),
            ("/buckinghamshire/meetings/zzsecret-body-2026-09-01-1000/attendance", "/buckinghamshire/meetings/zz-no-such-meeting/attendance"),
            ("/buckinghamshire/meetings/zzsecret-body-2026-09-01-1000/decisions/new", "/buckinghamshire/meetings/zz-no-such-meeting/decisions/new"),
            (
                "/buckinghamshire/meetings/bsp-board-2027-03-11-1000/papers/item-1-zzsecret-draft-paper",
                "/buckinghamshire/meetings/bsp-board-2027-03-11-1000/papers/item-1-zz-no-such-paper",
            ),
            ("/buckinghamshire/people/zzsecret-person", "/buckinghamshire/people/zz-no-such-person"),
            ("/api/v1/councils/buckinghamshire/bodies/zzsecret-body", "/api/v1/councils/buckinghamshire/bodies/zz-no-such-body"),
            ("/api/v1/councils/buckinghamshire/meetings/zzsecret-body-2026-09-01-1000", "/api/v1/councils/buckinghamshire/meetings/zz-no-such-meeting"),
        ];
        let (cadex, _) = sign_in(&app, "cadex@example.org").await;
        let (cadex_secretariat, _) = sign_in(&app, "regeneration-secretariat@example.org").await;
        for session in [None, Some(cadex.as_str()), Some(cadex_secretariat.as_str())] {
            for (secret, missing) in pairs {
                let a = tower::ServiceExt::oneshot(app.clone(), req("GET", secret, session, None)).await.unwrap();
                let b = tower::ServiceExt::oneshot(app.clone(), req("GET", missing, session, None)).await.unwrap();
                assert_eq!(a.status(), b.status(), "{secret} and {missing} answer alike (signed in: {}) on {}", session.is_some(), db.name);
                let names = |h: &axum::http::HeaderMap| {
                    let mut n: Vec<String> = h.keys().map(|k| k.to_string()).filter(|k| k != "server-timing" && k != "content-length").collect();
                    n.sort();
                    n
                };
                assert_eq!(names(a.headers()), names(b.headers()), "the same headers for {secret}");
                // Sent to sign in and back to the address asked for: the same but for the slug asked.
                let location = |r: &axum::response::Response, path: &str| {
                    let slug = path.split('/').find(|x| x.contains("zz")).unwrap();
                    r.headers().get(axum::http::header::LOCATION).map(|l| l.to_str().unwrap().replace(slug, "SLUG"))
                };
                assert_eq!(location(&a, secret), location(&b, missing), "the same redirect for {secret}");
                let page = |r: axum::response::Response| async move {
                    String::from_utf8_lossy(&http_body_util::BodyExt::collect(r.into_body()).await.unwrap().to_bytes()).into_owned()
                };
                let (pa, pb) = (page(a).await, page(b).await);
                // The slug asked for is echoed in the answer: the page is the same but for it.
                let strip = |p: &str, path: &str| {
                    let slug = path.split('/').find(|x| x.contains("zz")).unwrap();
                    p.replace(slug, "SLUG")
                };
                assert_eq!(strip(&pa, secret), strip(&pb, missing), "the same page for {secret}");
                assert!(!pa.contains("ZZSECRET"));
            }
        }
    }
}

/// A body's secretariat's forms list only what it may see: no other body's
/// confidential body in the seat and link drop-downs, and no exempt decision
/// of another body among the decisions one may follow.
#[tokio::test]
async fn a_secretariats_forms_list_no_other_bodys_confidential_records() {
    let reg = planted();
    for (app, db) in apps(&reg).await {
        let (bsp, _) = sign_in(&app, "bsp@example.org").await;
        for form in ["/buckinghamshire/bodies/bsp-board/seats/new", "/buckinghamshire/bodies/bsp-board/links"] {
            let (status, _, _, page) = send(&app, req("GET", form, Some(&bsp), None)).await;
            assert_eq!(status, StatusCode::OK, "{form} on {}", db.name);
            assert!(page.contains("<option"), "{form} has its drop-down");
            assert!(!page.contains("ZZSECRET Body") && !page.contains("zzsecret-body"), "{form} names no confidential body of another");
        }
        let form = "/buckinghamshire/meetings/bsp-board-2027-01-14-1000/decisions/new";
        let (status, _, _, page) = send(&app, req("GET", form, Some(&bsp), None)).await;
        assert_eq!(status, StatusCode::OK, "{form} on {}", db.name);
        assert!(page.contains("value=\"levelling-up-framework-2022\""), "public earlier decisions are offered to follow");
        for hidden in ["value=\"zzsecret-decision\"", "value=\"zzsecret-body-decision\""] {
            assert!(!page.contains(hidden), "another body's exempt decision is not offered: {hidden}");
        }
    }
}

/// Exempt attendance (a confidential membership, its named substitute, a
/// confidential seat, and a public person sitting by a confidential
/// membership), a public decision that follows another body's exempt one,
/// and a paper on an agenda not yet published reach nobody who may not see
/// them: not another body's secretariat walking every page and form it can
/// reach, nor an anonymous visitor or another body's member asking the API.
#[tokio::test]
async fn another_bodys_secretariat_walking_every_page_and_form_finds_nothing() {
    let reg = planted();
    let public = public_person(&reg);
    let public_name = reg.people.iter().find(|p| p.slug == public).unwrap().name.clone();
    for (app, db) in apps(&reg).await {
        let (sec, _) = sign_in(&app, "regeneration-secretariat@example.org").await;
        let pages = crawl(&app, &reg, Some(&sec)).await;
        for own in [
            "/buckinghamshire/bodies/regeneration-board/seats/new",
            "/buckinghamshire/bodies/regeneration-board/links",
            "/buckinghamshire/bodies/regeneration-board/members/new",
        ] {
            assert!(
                pages.iter().any(|(u, s, b)| u == own && *s == StatusCode::OK && b.contains("<form")),
                "the crawl reached its own form {own} on {}",
                db.name
            );
        }
        assert_eq!(traces(&pages), Vec::<String>::new(), "confidential records leaked to another body's secretariat on {}", db.name);
        let paper = pages.iter().find(|(u, _, _)| u.ends_with(DRAFT_PAPER)).unwrap();
        assert_eq!(paper.1, StatusCode::NOT_FOUND, "the draft agenda's paper is not there for another body's secretariat");
        // CADEX's secretariat drafts the Board's agenda, so it sees the draft, and nothing confidential of the Board.
        let (drafter, _) = sign_in(&app, "cadex-secretariat@example.org").await;
        let (status, _, _, draft) = send(&app, req("GET", &format!("/buckinghamshire/meetings/{DRAFT_MEETING}/agenda"), Some(&drafter), None)).await;
        assert_eq!(status, StatusCode::OK, "the drafter opens the draft agenda");
        assert!(draft.contains("ZZSECRET draft item"), "the drafter sees the draft agenda");
        assert!(!draft.contains("ZZSECRET item") && !draft.contains("ZZSECRET Body"), "but nothing the Board keeps confidential");
        let follows = pages.iter().find(|(u, _, _)| u == "/buckinghamshire/decisions/board-follows-up-2026-10-01").unwrap();
        assert!(follows.1 == StatusCode::OK && follows.2.contains("Board follows up"), "the public decision that follows an exempt one is shown");

        let (member, _) = sign_in(&app, "cadex@example.org").await;
        let meeting_api = format!("/api/v1/councils/buckinghamshire/meetings/{HELD}");
        for session in [None, Some(member.as_str()), Some(sec.as_str())] {
            let (status, _, _, json) = send(&app, req("GET", &meeting_api, session, None)).await;
            assert_eq!(status, StatusCode::OK);
            let m: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(m["attendance"], serde_json::json!([]), "no exempt attendance in the API (signed in: {})", session.is_some());
            for page in [format!("/buckinghamshire/meetings/{HELD}"), "/buckinghamshire/bodies/bsp-board/attendance".to_owned()] {
                let (status, _, _, html) = send(&app, req("GET", &page, session, None)).await;
                assert_eq!(status, StatusCode::OK, "{page}");
                assert!(!html.contains(&public_name), "{page} names {public_name}, who sat by a confidential membership");
                assert!(!html.contains("ZZSECRET") && !html.contains(public.as_str()), "{page} gives exempt attendance away");
            }
        }
        // Whoever may see it sees it all.
        let (bsp, _) = sign_in(&app, "bsp@example.org").await;
        let (_, _, _, html) = send(&app, req("GET", &format!("/buckinghamshire/meetings/{HELD}"), Some(&bsp), None)).await;
        for name in ["ZZSECRET Substitute", "ZZSECRET Seat Holder", public_name.as_str()] {
            assert!(html.contains(name), "the Board's secretariat sees its own meeting's attendance: {name}");
        }
        let (status, _, _, _) = send(&app, req("GET", &format!("/buckinghamshire/meetings/{DRAFT_MEETING}/papers/{DRAFT_PAPER}"), Some(&bsp), None)).await;
        // (Only its record is planted, not its file: the store is asked for it.)
        assert_ne!(status, StatusCode::NOT_FOUND, "and the draft agenda's paper is looked for");
    }
}
