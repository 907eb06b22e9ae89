//! Actuals as a programme manager types them, in the form or a CSV file:
//! each refused with its field (and in a file, its line and column), a Red
//! only with its corrective action, and a file taken whole or not at all.

use chrono::NaiveDate;
use placeworks_domain::programmes::commands::{plan_actual, plan_actuals_import, Entering, Replacing};
use placeworks_domain::programmes::forms::{read_actuals_csv, status_with, ActualForm};
use placeworks_domain::programmes::{Frequency, Measure, MeasureTarget, Period, Status, StatusRule};
use placeworks_domain::register::Index;
use placeworks_domain::Slug;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 5, 20).unwrap()
}

/// A quarterly measure, higher is better, with a target of 100 for each quarter of 2024/25.
fn measure(slug: &str, frequency: Frequency) -> Measure {
    let quarters = Period::parse("2024/25 Q1").unwrap().through(Period::parse("2024/25 Q4").unwrap());
    let targets = match frequency {
        Frequency::Quarterly => quarters.into_iter().map(|p| MeasureTarget { period: Some(p), value: 100.0 }).collect(),
        _ => vec![MeasureTarget { period: None, value: 100.0 }],
    };
    Measure {
        slug: Slug::parse(slug).unwrap(),
        programme: Slug::parse("opportunity-bucks").unwrap(),
        initiative: None,
        name: format!("Measure {slug}"),
        unit: "people".into(),
        polarity: placeworks_domain::places::Polarity::HigherIsBetter,
        frequency,
        source: None,
        indicator: None,
        themes: vec![],
        outcomes: vec![],
        baseline: None,
        targets,
        rule: StatusRule::BUCKINGHAMSHIRE,
        owner: None,
        actuals: vec![],
        sources: vec![],
        example: vec![],
        note: None,
    }
}

fn form(period: &str, value: &str) -> ActualForm {
    ActualForm { period: period.into(), value: value.into(), ..ActualForm::default() }
}

fn fields(r: Result<placeworks_domain::programmes::Actual, Vec<placeworks_domain::forms::FieldError>>) -> Vec<(&'static str, String)> {
    r.expect_err("refused").into_iter().map(|e| (e.field, e.message)).collect()
}

#[test]
fn an_actual_is_read_with_who_entered_it_and_its_status_by_the_rule() {
    let m = measure("referrals", Frequency::Quarterly);
    let a = form("2024/25 Q1", "1,250").read(&m, today(), "Pat Manager", 1_750_000_000).unwrap();
    assert_eq!((a.value, a.entered_by.as_deref(), a.entered_at), (1250.0, Some("Pat Manager"), Some(1_750_000_000)));
    assert_eq!(status_with(&m, &a), Status::Green);
    let amber = form("2024/25 Q1", "96").read(&m, today(), "P", 0).unwrap();
    assert_eq!(status_with(&m, &amber), Status::Amber, "within 5% of 100");
    assert_eq!(form("2024/25 Q2", "100%").read(&m, today(), "P", 0).unwrap().value, 100.0, "a percentage sign is allowed");
}

#[test]
fn a_red_needs_its_corrective_action_and_its_owner() {
    let m = measure("referrals", Frequency::Quarterly);
    let refused = fields(form("2024/25 Q1", "50").read(&m, today(), "P", 0));
    assert_eq!(refused.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["corrective_action", "action_owner"]);
    assert!(refused[0].1.contains("Red by the measure's rule") && refused[0].1.contains("Amber within 5%"), "{}", refused[0].1);
    let with = ActualForm { corrective_action: "A second referral route".into(), action_owner: "Head of Service".into(), ..form("2024/25 Q1", "50") };
    let a = with.read(&m, today(), "P", 0).unwrap();
    assert_eq!((status_with(&m, &a), a.action_owner.as_deref()), (Status::Red, Some("Head of Service")));
}

#[test]
fn each_bad_field_is_named() {
    let m = measure("referrals", Frequency::Quarterly);
    let cases: [(&str, &str, &str, &str); 6] = [
        ("", "9", "period", "Enter the period, like 2024/25 Q4"),
        ("2024-05", "9", "period", "reported quarterly: enter a period like 2024/25 Q4"),
        ("2024/26 Q1", "9", "period", "the year after 2024 is 25"),
        ("2025/26 Q2", "9", "period", "has not begun yet"),
        ("2024/25 Q1", "", "value", "Enter the actual"),
        ("2024/25 Q1", "lots", "value", "`lots` is not a number"),
    ];
    for (period, value, field, says) in cases {
        let refused = fields(form(period, value).read(&m, today(), "P", 0));
        assert_eq!(refused.len(), 1, "{period} {value}: {refused:?}");
        assert_eq!(refused[0].0, field, "{period} {value}");
        assert!(refused[0].1.contains(says), "{period} {value}: {}", refused[0].1);
    }
    let long = ActualForm { commentary: "x".repeat(4001), ..form("2024/25 Q1", "100") };
    assert_eq!(fields(long.read(&m, today(), "P", 0))[0].0, "commentary");
}

#[test]
fn periods_know_when_they_begin_and_which_last_ended() {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(Period::parse("2024/25 Q4").unwrap().starts(), day(2025, 1, 1));
    assert_eq!(Period::parse("2024/25 Q1").unwrap().starts(), day(2024, 4, 1));
    assert_eq!(Period::parse("2024/25").unwrap().starts(), day(2024, 4, 1));
    assert_eq!(Period::parse("2025-02").unwrap().starts(), day(2025, 2, 1));
    assert_eq!(Period::last_ended(Frequency::Quarterly, day(2025, 5, 20)).to_string(), "2024/25 Q4");
    assert_eq!(Period::last_ended(Frequency::Quarterly, day(2025, 4, 1)).to_string(), "2024/25 Q4");
    assert_eq!(Period::last_ended(Frequency::Quarterly, day(2025, 3, 31)).to_string(), "2024/25 Q3");
    assert_eq!(Period::last_ended(Frequency::Annual, day(2025, 3, 31)).to_string(), "2023/24");
    assert_eq!(Period::last_ended(Frequency::Monthly, day(2025, 1, 15)).to_string(), "2024-12");
}

const HEADER: &str = "measure,period,value,commentary,corrective_action,action_owner\n";

#[test]
fn a_file_of_actuals_is_read_whole() {
    let (a, b) = (measure("referrals", Frequency::Quarterly), measure("yearly", Frequency::Annual));
    let text = format!("{HEADER}referrals,2024/25 Q1,101,Ahead of plan,,\nMeasure yearly,2024/25,\"1,200\",,,\n\n");
    let rows = read_actuals_csv("q1.csv", &text, &[&a, &b], today(), "Pat", 7).unwrap();
    assert_eq!(rows.len(), 2, "a blank line is skipped; a measure may be named by its name");
    assert_eq!((rows[0].0.as_str(), rows[0].1.commentary.as_deref()), ("referrals", Some("Ahead of plan")));
    assert_eq!((rows[1].0.as_str(), rows[1].1.value, rows[1].1.entered_by.as_deref()), ("yearly", 1200.0, Some("Pat")));
    // Columns in another order, only the three required, with a spreadsheet's byte-order mark.
    let rows = read_actuals_csv("q1.csv", "\u{feff}Value,Measure,Period\n100,referrals,2024/25 Q2\n", &[&a], today(), "Pat", 7).unwrap();
    assert_eq!(rows[0].1.period.to_string(), "2024/25 Q2");
}

#[test]
fn every_bad_line_of_a_file_is_named_and_none_is_taken() {
    let a = measure("referrals", Frequency::Quarterly);
    let text = format!(
        "{HEADER}referrals,2024/25 Q1,101,,,\nreferals,2024/25 Q2,5,,,\nreferrals,2024-05,5,,,\nreferrals,2024/25 Q3,lots,,,\nreferrals,2024/25 Q1,99,,,\nreferrals,2024/25 Q4,10,,,\nreferrals,2024/25 Q2\n"
    );
    let errors = read_actuals_csv("q1.csv", &text, &[&a], today(), "Pat", 7).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    let expect = [
        "q1.csv, line 3, column measure: there is no measure `referals`",
        "q1.csv, line 4, column period:",
        "q1.csv, line 5, column value: `lots` is not a number",
        "q1.csv, line 6, column period: Q1 2024/25",
        "q1.csv, line 7, column corrective_action: This actual is Red",
        "q1.csv, line 7, column action_owner:",
        "q1.csv, line 8: the line cannot be read: it has 2 values where the header line has 6 columns",
    ];
    assert_eq!(messages.len(), expect.len(), "{messages:#?}");
    for (m, e) in messages.iter().zip(expect) {
        assert!(m.starts_with(e), "{m}\n expected {e}");
    }
    assert!(messages[3].contains("given on line 2 already"), "{}", messages[3]);
}

#[test]
fn a_file_with_a_bad_header_says_what_the_columns_are() {
    let a = measure("referrals", Frequency::Quarterly);
    let errors = read_actuals_csv("q1.csv", "measure,quarter,amount\nreferrals,2024/25 Q1,5\n", &[&a], today(), "P", 0).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.starts_with("q1.csv, line 1, column quarter: `quarter` is not a column of actuals")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("the `period` column is missing")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("the `value` column is missing")), "{messages:?}");
    assert!(read_actuals_csv("q1.csv", "", &[&a], today(), "P", 0).unwrap_err()[0].message.contains("q1.csv is empty"));
    assert!(read_actuals_csv("q1.csv", HEADER, &[&a], today(), "P", 0).unwrap_err()[0].message.contains("no actuals"));
}

fn built_in() -> Index {
    let files =
        placeworks_domain::dataset::DatasetFiles::from_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/buckinghamshire")).unwrap();
    Index::new(placeworks_domain::dataset::read(&files).unwrap())
}

#[test]
fn the_commands_plan_one_row_each_and_what_the_trail_keeps() {
    let ix = built_in();
    let who = Entering { by: "Pat Manager", at: 1_750_000_000, today: today() };
    let change = plan_actual(&ix, "horizons-referrals", &form("2024/25 Q1", "14"), &who, Replacing::Refused).unwrap();
    assert_eq!(change.recorded.action, "enter-actual");
    assert_eq!(change.recorded.record_id, "horizons-referrals 2024/25 Q1");
    assert_eq!(
        change.resource,
        placeworks_domain::permissions::Resource::InitiativeFigures {
            programme: Slug::parse("opportunity-bucks").unwrap(),
            lineage: vec![Slug::parse("horizons-programme").unwrap()]
        },
        "Horizons' figures: its lead's to enter, and its programme's managers'"
    );
    assert_eq!(change.writes.len(), 1);
    let after = change.recorded.after.unwrap();
    assert_eq!((after["value"].as_str(), after["status"].as_str()), (Some("14"), Some("Not judged: its target has no date")));
    // The nine already reported: a correction says so and keeps what it replaces.
    let correction = plan_actual(&ix, "horizons-referrals", &form("2023/24 Q3", "10"), &who, Replacing::Allowed).unwrap();
    assert_eq!((correction.recorded.action, correction.recorded.before.unwrap()["value"].as_str()), ("change-actual", Some("9")));
    // A post that did not open the nine cannot replace it.
    let unseen = plan_actual(&ix, "horizons-referrals", &form("2023/24 Q3", "10"), &who, Replacing::Refused).unwrap_err();
    assert!(unseen[0].field == "period" && unseen[0].message.contains("An actual of 9 is already reported for Q3 2023/24"), "{unseen:?}");
    let file = format!("{HEADER}horizons-referrals,2024/25 Q1,14,,,\nhorizons-referrals-from-opportunity-bucks-areas,2024/25 Q1,6,,,\n");
    let import = plan_actuals_import(&ix, "opportunity-bucks", "q1.csv", &file, &who).unwrap();
    assert_eq!((import.writes.len(), import.recorded.action, import.recorded.record_id.as_str()), (2, "import-actuals", "opportunity-bucks"));
    let bad = format!("{file}horizons-referrals,2024/25 Q2,many,,,\n");
    assert!(plan_actuals_import(&ix, "opportunity-bucks", "q1.csv", &bad, &who).is_err(), "one bad line refuses the file");
}

#[test]
fn an_initiative_s_lead_enters_its_figures_and_its_parts_but_no_others() {
    use placeworks_domain::change::Change;
    use placeworks_domain::permissions::{Actor, Grant};
    let mut ix = built_in();
    let slug = |s: &str| Slug::parse(s).unwrap();
    // A measure of a part: the Totteridge recreation ground, part of the public realm improvements.
    let mut part = measure("totteridge-visits", Frequency::Quarterly);
    part.initiative = Some(slug("totteridge-recreation-ground"));
    let mut reg = ix.register.clone();
    reg.measures.push(part);
    ix = Index::new(reg);
    let who = Entering { by: "Lee Lead", at: 1_750_000_000, today: today() };
    let horizons = plan_actual(&ix, "horizons-referrals", &form("2024/25 Q1", "14"), &who, Replacing::Refused).unwrap();
    let totteridge = plan_actual(&ix, "totteridge-visits", &form("2024/25 Q1", "120"), &who, Replacing::Refused).unwrap();
    let file = format!("{HEADER}horizons-referrals,2024/25 Q1,14,,,\n");
    let import = plan_actuals_import(&ix, "opportunity-bucks", "q1.csv", &file, &who).unwrap();
    let may = |grant: Grant, change: &Change| change.permitted(&ix.register, &Actor::with([grant]));
    assert!(may(Grant::LeadsInitiative(slug("horizons-programme")), &horizons));
    assert!(!may(Grant::LeadsInitiative(slug("horizons-programme")), &totteridge), "not another initiative's");
    assert!(!may(Grant::LeadsInitiative(slug("castlefield-traffic-calming")), &horizons));
    assert!(may(Grant::LeadsInitiative(slug("totteridge-recreation-ground")), &totteridge));
    assert!(may(Grant::LeadsInitiative(slug("public-realm-and-community-improvements")), &totteridge), "the lead of the whole enters its parts'");
    assert!(!may(Grant::LeadsInitiative(slug("totteridge-recreation-ground")), &horizons));
    assert!(!may(Grant::LeadsInitiative(slug("horizons-programme")), &import), "a file for the whole programme is its managers'");
    for change in [&horizons, &totteridge, &import] {
        assert!(may(Grant::ManagesProgramme(slug("opportunity-bucks")), change), "the programme's managers enter every figure");
        assert!(!may(Grant::ManagesProgramme(slug("another-programme")), change));
    }
}
