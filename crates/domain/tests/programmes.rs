//! Programmes in a dataset: Opportunity Bucks built in as the seeds give it,
//! and each mistake in a programme's file refused with its file, line and field.

use placeworks_domain::dataset::{self, DatasetFiles, Problem};
use placeworks_domain::programmes::{ProgrammeStatus, RollUp};
use std::path::Path;

fn buckinghamshire() -> DatasetFiles {
    DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/buckinghamshire")).unwrap()
}

const FILE: &str = "programmes/opportunity-bucks.toml";

fn problems_after(edit: impl FnOnce(&str) -> String) -> Vec<Problem> {
    let mut files = buckinghamshire();
    let text = files.get(FILE).unwrap().to_owned();
    files.set(FILE, edit(&text));
    match dataset::read(&files) {
        Ok(_) => panic!("the broken programme was accepted"),
        Err(p) => p.0,
    }
}

#[test]
fn opportunity_bucks_is_built_in_as_the_seeds_give_it() {
    let reg = dataset::read(&buckinghamshire()).unwrap_or_else(|e| panic!("{e}"));
    let p = reg.programmes.iter().find(|p| p.slug.as_str() == "opportunity-bucks").expect("built in");
    assert_eq!((p.status, p.roll_up), (ProgrammeStatus::Active, RollUp::Plain));
    assert_eq!(p.launched.as_ref().map(|d| d.as_str()), Some("2022-12-07"), "the official launch, seed 003");
    assert_eq!(
        p.themes.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["Education and Skills", "Jobs and career opportunities", "Quality of our Public Realm", "Standards of Living", "Health and Wellbeing"]
    );
    assert_eq!(p.outcomes.len(), 6);
    assert_eq!(p.levels.iter().map(|l| l.bodies.len()).collect::<Vec<_>>(), [5, 10, 1], "five thematic partnerships, ten ward partnerships, one team");
    assert_eq!(p.areas, ["opportunity-bucks-wards"]);
    let wards = reg.areas.iter().find(|a| a.code == "opportunity-bucks-wards").unwrap();
    assert_eq!(wards.members.len(), 10, "the ten target wards");
}

#[test]
fn each_mistake_in_a_programme_is_refused_with_its_line_and_field() {
    let cases: [(&str, &str, &str, &str); 4] = [
        ("governed_by = \"opportunity-bucks-programme-board\"", "governed_by = \"opportunity-bucks-programme-bored\"", "governed_by", "unknown body"),
        ("status = \"active\"", "status = \"ongoing\"", "status", "`ongoing` is not one of: proposed, active, closed"),
        ("roll_up = \"plain\"", "roll_up = \"average\"", "roll_up", "plain, weighted"),
        ("decisions = [\"levelling-up-framework-2022\"", "decisions = [\"levelling-up-2022\"", "decisions", "unknown decision"),
    ];
    for (from, to, field, says) in cases {
        let problems = problems_after(|t| t.replacen(from, to, 1));
        assert_eq!(problems.len(), 1, "{field}: {problems:#?}");
        let p = &problems[0];
        let line = buckinghamshire().get(FILE).unwrap().replacen(from, to, 1).lines().collect::<Vec<_>>().iter().rposition(|l| l.contains(to)).unwrap() + 1;
        assert_eq!((p.file.as_str(), p.field.as_deref(), p.line), (FILE, Some(field), Some(line)), "{field}");
        assert!(p.message.contains(says), "{field}: {}", p.message);
    }
    // A theme given twice.
    let p = problems_after(|t| {
        t.replacen("[[programme.outcome]]", "[[programme.theme]]\nslug = \"health-and-wellbeing\"\nname = \"Again\"\n\n[[programme.outcome]]", 1)
    });
    assert_eq!((p.len(), p[0].field.as_deref()), (1, Some("theme.slug")), "{p:#?}");
    assert!(p[0].message.contains("given twice"), "{}", p[0].message);
    let p = problems_after(|t| t.replacen("name = \"Thematic partnerships\"", "name = \"Thematic partnerships\"\nbudget = 1", 1));
    assert!(p[0].message.contains("unknown key `budget`"), "{}", p[0].message);
}

/// The programme file with one more measure appended.
fn with_measure(body: &str) -> Vec<Problem> {
    problems_after(|t| format!("{t}\n[[measure]]\nslug = \"test-measure\"\nprogramme = \"opportunity-bucks\"\nname = \"A test\"\nunit = \"people\"\n{body}"))
}

#[test]
fn each_mistake_in_a_measure_is_refused_with_its_field() {
    let base = "polarity = \"higher-is-better\"\nfrequency = \"quarterly\"\nrule = \"percent:5\"\n";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            format!("{base}[[measure.target]]\nperiod = \"2024/25 Q1\"\nvalue = 10\n[[measure.target]]\nperiod = \"2024/25 Q3\"\nvalue = 10\n"),
            "target",
            "leave out 2024/25 Q2",
        ),
        (format!("{base}[[measure.actual]]\nperiod = \"2024-05\"\nvalue = 3\n"), "actual.period", "is a month; this measure is reported quarterly"),
        (
            format!("{base}[[measure.target]]\nperiod = \"2024/25 Q1\"\nvalue = 30\n[[measure.actual]]\nperiod = \"2024/25 Q1\"\nvalue = 9\n"),
            "actual.corrective_action",
            "is Red by the measure's rule",
        ),
        (format!("{base}themes = [\"housing\"]\n"), "themes", "is not one of Opportunity Bucks – Succeeding for All's themes"),
        ("polarity = \"higher-is-better\"\nfrequency = \"quarterly\"\nrule = \"within 5%\"\n".to_owned(), "rule", "percent:5"),
        ("polarity = \"up\"\nfrequency = \"quarterly\"\nrule = \"percent:5\"\n".to_owned(), "polarity", "higher-is-better"),
    ];
    for (body, field, says) in cases {
        let problems = with_measure(&body);
        assert_eq!(problems.len(), 1, "{field}: {problems:#?}");
        assert_eq!((problems[0].file.as_str(), problems[0].field.as_deref()), (FILE, Some(field)), "{field}");
        assert!(problems[0].message.contains(says), "{field}: {}", problems[0].message);
    }
    // A Red with its corrective action and its owner is accepted.
    let ok = format!("{base}[[measure.target]]\nperiod = \"2024/25 Q1\"\nvalue = 30\n[[measure.actual]]\nperiod = \"2024/25 Q1\"\nvalue = 9\ncorrective_action = \"More referral partners\"\naction_owner = \"Service Director\"\n");
    let mut files = buckinghamshire();
    let text = files.get(FILE).unwrap().to_owned();
    files.set(FILE, format!("{text}\n[[measure]]\nslug = \"test-measure\"\nprogramme = \"opportunity-bucks\"\nname = \"A test\"\nunit = \"people\"\n{ok}"));
    let reg = dataset::read(&files).unwrap_or_else(|e| panic!("{e}"));
    let m = reg.measures.iter().find(|m| m.slug.as_str() == "test-measure").unwrap();
    let q1 = placeworks_domain::programmes::Period::parse("2024/25 Q1").unwrap();
    assert_eq!(placeworks_domain::programmes::measure_status(m, q1).status, placeworks_domain::programmes::Status::Red);
    let p = with_measure(&format!("programme = \"opportunity-box\"\n{base}").replace("programme = \"opportunity-bucks\"\n", ""));
    assert!(p.iter().any(|x| x.field.as_deref() == Some("programme") || x.message.contains("programme")), "{p:#?}");
}

#[test]
fn the_initiatives_seed_003_reports_are_built_in_as_a_tree_with_honest_progress() {
    use placeworks_domain::programmes::{initiative_tree, roll_up, InitiativeStatus};
    let reg = dataset::read(&buckinghamshire()).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = reg.initiatives.iter().map(|i| i.name.as_str()).collect();
    for name in [
        "Traffic calming measures in Castlefield",
        "Improving numeracy skills through the Multiply Scheme",
        "Functional improvements to the Totteridge recreational group",
        "Horizons Programme",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let whole = reg.initiatives.iter().find(|i| i.slug.as_str() == "public-realm-and-community-improvements").unwrap();
    let parts: Vec<&str> = reg.initiatives.iter().filter(|i| i.part_of.as_ref() == Some(&whole.slug)).map(|i| i.slug.as_str()).collect();
    assert_eq!(parts, ["totteridge-recreation-ground", "community-clean-ups", "community-cafes"]);
    assert!(whole.example.contains(&"name".to_owned()), "the whole's name is the example's, not the paper's");
    let rolled = roll_up(&initiative_tree(&reg.initiatives, whole), RollUp::Plain);
    assert_eq!((rolled.progress, rolled.counted), (Some(100.0), 3), "three completed parts: {}", rolled.working);
    // Nothing underway is given a progress the paper does not give.
    let horizons = reg.initiatives.iter().find(|i| i.slug.as_str() == "horizons-programme").unwrap();
    assert_eq!((horizons.status, horizons.own_progress()), (InitiativeStatus::Underway, None));
    assert_eq!(horizons.milestones[0].achieved.as_ref().map(|d| d.as_str()), Some("2023-09"), "launched at the end of September");
    assert!(reg.measures.iter().filter(|m| m.initiative.as_ref() == Some(&horizons.slug)).count() == 2, "Horizons' two measures are its own");
    let castlefield = reg.initiatives.iter().find(|i| i.slug.as_str() == "castlefield-traffic-calming").unwrap();
    assert_eq!(castlefield.areas, ["E05013131"], "Booker, Cressex and Castlefield, the ward of the paper's time");
}

/// The programme file with one more initiative appended.
fn with_initiative(body: &str) -> Vec<Problem> {
    problems_after(|t| format!("{t}\n[[initiative]]\nprogramme = \"opportunity-bucks\"\nname = \"A test\"\nstatus = \"underway\"\n{body}"))
}

#[test]
fn each_mistake_in_an_initiative_is_refused_with_its_field() {
    let cases: [(&str, &str, &str); 8] = [
        ("slug = \"t\"\npart_of = \"horizon-programme\"\n", "part_of", "unknown initiative `horizon-programme` (did you mean `horizons-programme`?)"),
        ("slug = \"t\"\nthemes = [\"housing\"]\n", "themes", "is not one of Opportunity Bucks – Succeeding for All's themes"),
        ("slug = \"t\"\nprogress = 140.0\n", "progress", "140 is not a percentage"),
        ("slug = \"t\"\nlead_organisation = \"buckinghamshire-council\"\nlead_body = \"cabinet\"\n", "lead_organisation", "not both"),
        ("slug = \"t\"\nstarts = \"2024-05-01\"\nends = \"2023-01-01\"\n", "ends", "it ends before it starts"),
        ("slug = \"t\"\nlead_organisation = \"nobody-council\"\n", "lead_organisation", "unknown organisation"),
        ("slug = \"t\"\n[[initiative.milestone]]\nname = \"Opened\"\nachieved = \"soon\"\n", "milestone.achieved", "soon"),
        ("slug = \"horizons-programme\"\n", "slug", "duplicate slug `horizons-programme`"),
    ];
    for (body, field, says) in cases {
        let problems = with_initiative(body);
        assert_eq!(problems.len(), 1, "{field}: {problems:#?}");
        assert_eq!((problems[0].file.as_str(), problems[0].field.as_deref()), (FILE, Some(field)), "{field}");
        assert!(problems[0].message.contains(says), "{field}: {}", problems[0].message);
    }
    // Two initiatives each part of the other.
    let p = problems_after(|t| {
        format!("{t}\n[[initiative]]\nslug = \"a\"\nprogramme = \"opportunity-bucks\"\nname = \"A\"\nstatus = \"underway\"\npart_of = \"b\"\n\n[[initiative]]\nslug = \"b\"\nprogramme = \"opportunity-bucks\"\nname = \"B\"\nstatus = \"underway\"\npart_of = \"a\"\n")
    });
    assert!(p.iter().all(|x| x.field.as_deref() == Some("part_of") && x.message.contains("part of itself")) && !p.is_empty(), "{p:#?}");
    // A measure of an initiative that does not exist.
    let p = problems_after(|t| t.replacen("initiative = \"horizons-programme\"", "initiative = \"horizons\"", 1));
    assert_eq!((p.len(), p[0].field.as_deref()), (1, Some("initiative")), "{p:#?}");
}

#[test]
fn the_money_seeds_003_and_004_give_is_built_in_and_nothing_more() {
    use placeworks_domain::programmes::{pounds, AgreementStatus, ContributionStatus, FundKind};
    let reg = dataset::read(&buckinghamshire()).unwrap_or_else(|e| panic!("{e}"));
    let budgets: Vec<_> = reg.funds.iter().filter(|f| f.kind == FundKind::DelegatedBudget).collect();
    assert_eq!(budgets.len(), 4, "one for each of the four Local Committees");
    assert!(budgets.iter().all(|f| f.amount == 125_000.0 && f.held_by.is_some() && f.example == ["period"]));
    let multiply = reg.funds.iter().find(|f| f.slug.as_str() == "multiply").unwrap();
    assert_eq!((pounds(multiply.amount).as_str(), multiply.source.as_deref()), ("£2,100,000", Some("Government")));
    assert_eq!(multiply.allocated(), 2_100_000.0);
    let chiltern = reg.contributions.iter().find(|c| c.partner.as_str() == "chiltern-district-council").unwrap();
    assert_eq!((chiltern.amount, chiltern.status), (30_000.0, ContributionStatus::Confirmed));
    let parishes = reg.contributions.iter().find(|c| c.slug.as_str() == "aylesbury-vale-community-funded-schemes").unwrap();
    assert!(parishes.each_year && parishes.amount_words.as_deref() == Some("about £100,000 per annum"), "the paper's own words for an approximate figure");
    assert_eq!(reg.agreements.len(), 2, "Buckingham Town and Chesham Town");
    assert!(
        reg.agreements.iter().all(|a| a.status == AgreementStatus::InDiscussion && a.contribution.is_none() && a.services.is_empty()),
        "no agreed figure is invented"
    );
    assert_eq!(pounds(1234.5), "£1,234.50");
}

#[test]
fn each_mistake_in_money_is_refused_with_its_field() {
    const MONEY: &str = "programmes/local-committees-2005.toml";
    let broken = |edit: &dyn Fn(&str) -> String| {
        let mut files = buckinghamshire();
        let text = files.get(MONEY).unwrap().to_owned();
        files.set(MONEY, edit(&text));
        match dataset::read(&files) {
            Ok(_) => panic!("the broken money was accepted"),
            Err(p) => p.0,
        }
    };
    let fund = "[[fund]]\nslug = \"test-fund\"\nname = \"Test fund\"\nkind = \"grant\"\namount = 1000\n";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            format!("{fund}[[fund.bid]]\nslug = \"big\"\nname = \"Too big\"\namount = 5000\nstatus = \"submitted\"\n"),
            "bid.amount",
            "a bid of £5,000 is larger than its fund, Test fund of £1,000",
        ),
        (
            format!("{fund}[[fund.allocation]]\nslug = \"a\"\nname = \"A\"\namount = 600\n[[fund.allocation]]\nslug = \"b\"\nname = \"B\"\namount = 600\n"),
            "allocation.amount",
            "takes Test fund past its total: £1,200 allocated of £1,000",
        ),
        (
            "[[contribution]]\nslug = \"x\"\npartner = \"nobody-district-council\"\nname = \"X\"\namount = 10\nstatus = \"pledged\"\n".to_owned(),
            "partner",
            "unknown organisation",
        ),
        (format!("{fund}period = \"2005/06 Q1\"\n"), "period", "is not a financial year"),
        (
            format!("{fund}[[fund.bid]]\nslug = \"b\"\nname = \"B\"\namount = 10\nstatus = \"won\"\n"),
            "bid.status",
            "draft, submitted, assessed, approved, rejected, withdrawn",
        ),
        ("[[fund]]\nslug = \"f\"\nname = \"F\"\nkind = \"grant\"\namount = -5\n".to_owned(), "amount", "is not an amount of money"),
    ];
    for (body, field, says) in cases {
        let problems = broken(&|t| format!("{t}\n{body}"));
        assert_eq!(problems.len(), 1, "{field}: {problems:#?}");
        assert_eq!((problems[0].file.as_str(), problems[0].field.as_deref()), (MONEY, Some(field)), "{field}");
        assert!(problems[0].message.contains(says), "{field}: {}", problems[0].message);
    }
}
