//! Every malformed dataset is refused with the file, line and field of each
//! problem, and yields no register at all.

use placeworks_domain::dataset::{self, DatasetFiles, Problem};
use std::path::Path;

fn riverside() -> DatasetFiles {
    DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).expect("example dataset")
}

/// Applies `edit` to one file and returns the problems the dataset then has.
fn problems_after(file: &str, edit: impl FnOnce(&str) -> String) -> Vec<Problem> {
    let mut files = riverside();
    let text = files.get(file).unwrap_or_default().to_owned();
    files.set(file, edit(&text));
    match dataset::read(&files) {
        Ok(_) => panic!("the broken dataset was accepted"),
        Err(p) => p.0,
    }
}

fn line_of(files: &DatasetFiles, file: &str, needle: &str) -> usize {
    files.get(file).unwrap().lines().position(|l| l.contains(needle)).expect("needle in file") + 1
}

fn only(problems: &[Problem]) -> &Problem {
    assert_eq!(problems.len(), 1, "expected one problem, got {problems:#?}");
    &problems[0]
}

#[test]
fn the_example_dataset_is_valid_and_complete() {
    let reg = dataset::read(&riverside()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reg.council.slug.as_str(), "riverside");
    assert_eq!(reg.bodies.len(), 2);
    // "Chief executives of the statutory partners" names two organisations: two seats.
    let ces: Vec<_> = reg.seats.iter().filter(|s| s.source_text == "Chief executives of the statutory partners").collect();
    assert_eq!(ces.len(), 2);
    assert_eq!(ces[0].label, "Chief Executive, Riverside NHS Trust");
    assert_eq!(reg.memberships.len(), 2, "the CVS seat's holder, and the one before");
    assert_eq!(reg.memberships[0].substitutes[0].as_str(), "alex-morgan");
    assert!(reg.areas.iter().filter(|a| a.boundary.is_some()).count() == 2);
    let leader = reg.posts.iter().find(|p| p.slug.as_str() == "riverside-council-leader").unwrap();
    assert_eq!(leader.holder.as_ref().unwrap().as_str(), "alex-morgan");
}

#[test]
fn a_seat_on_an_unknown_organisation_names_file_line_and_field() {
    let file = "bodies/partnership.toml";
    let problems = problems_after(file, |t| t.replace("organisation = \"riverside-cvs\"", "organisation = \"riverside-cvss\""));
    let p = only(&problems);
    assert_eq!(p.file, file);
    assert_eq!(p.field.as_deref(), Some("organisation"));
    let mut files = riverside();
    files.set(file, files.get(file).unwrap().replace("riverside-cvss", "x"));
    assert_eq!(p.line, Some(line_of(&riverside(), file, "organisation = \"riverside-cvs\"")));
    assert!(p.message.contains("unknown organisation `riverside-cvss`"), "{}", p.message);
    assert!(p.message.contains("did you mean `riverside-cvs`"), "{}", p.message);
}

#[test]
fn a_body_reporting_to_a_body_that_does_not_exist_is_refused() {
    let file = "bodies/partnership.toml";
    let problems = problems_after(file, |t| t.replace("reports_to = \"riverside-partnership-board\"", "reports_to = \"riverside-board\""));
    let p = only(&problems);
    assert_eq!((p.file.as_str(), p.field.as_deref()), (file, Some("reports_to")));
    assert_eq!(p.line, Some(line_of(&riverside(), file, "reports_to = ")));
    assert!(p.message.contains("unknown body `riverside-board`"), "{}", p.message);
}

#[test]
fn a_cycle_in_reporting_lines_is_refused_with_the_circle_spelt_out() {
    let file = "bodies/partnership.toml";
    let problems = problems_after(file, |t| t.replacen("kind = \"board\"", "kind = \"board\"\nreports_to = \"riverside-delivery-group\"", 1));
    let p = only(&problems);
    assert_eq!((p.file.as_str(), p.field.as_deref()), (file, Some("reports_to")));
    assert!(p.line.is_some());
    assert!(p.message.contains("go round in a circle"), "{}", p.message);
    assert!(p.message.contains("riverside-partnership-board") && p.message.contains("riverside-delivery-group"), "{}", p.message);
}

#[test]
fn a_duplicate_slug_is_refused_pointing_at_the_second_use() {
    let problems = problems_after("organisations.csv", |t| format!("{t}riverside-police,Riverside Police Again,,police,public,,,\n"));
    let p = only(&problems);
    assert_eq!((p.file.as_str(), p.line, p.field.as_deref()), ("organisations.csv", Some(7), Some("slug")));
    assert!(p.message.contains("duplicate slug `riverside-police`: line 4"), "{}", p.message);

    let file = "bodies/partnership.toml";
    let problems = problems_after(file, |t| {
        t.replace("slug = \"riverside-delivery-group\"", "slug = \"riverside-partnership-board\"").replace("reports_to = \"riverside-partnership-board\"", "")
    });
    let p = only(&problems);
    assert_eq!((p.file.as_str(), p.field.as_deref()), (file, Some("slug")));
    assert_eq!(p.line, Some(line_of(&riverside(), file, "slug = \"riverside-delivery-group\"")));
}

#[test]
fn an_unknown_area_code_is_refused() {
    let file = "bodies/partnership.toml";
    let problems = problems_after(file, |t| t.replace("areas = [\"E06999901\"]", "areas = [\"E06999909\"]"));
    let p = only(&problems);
    assert_eq!((p.file.as_str(), p.field.as_deref()), (file, Some("areas")));
    assert_eq!(p.line, Some(line_of(&riverside(), file, "areas = [\"E06999901\"]")));
    assert!(p.message.contains("unknown area `E06999909`"), "{}", p.message);
}

#[test]
fn a_malformed_gss_code_is_refused_with_the_expected_form() {
    let problems = problems_after("areas.csv", |t| t.replace("E05999902,Hilltop", "E0599990,Hilltop"));
    // The boundary for the real code now names no area, so that is reported too.
    let p = problems.iter().find(|p| p.file == "areas.csv").expect("a problem in areas.csv");
    assert_eq!((p.line, p.field.as_deref()), (Some(5), Some("code")));
    assert!(p.message.contains("is not a GSS code") && p.message.contains("E06000060"), "{}", p.message);
    assert!(problems.iter().any(|p| p.file == "boundaries/wards.geojson" && p.message.contains("E05999902")));
}

#[test]
fn a_missing_column_names_the_columns_expected() {
    let problems = problems_after("organisations.csv", |t| t.replacen("slug,name,short_name,kind,sector", "slug,name,short_name,type,sector", 1));
    let missing = problems.iter().find(|p| p.field.as_deref() == Some("kind")).expect("missing kind");
    assert_eq!((missing.file.as_str(), missing.line), ("organisations.csv", Some(1)));
    assert!(missing.message.contains("the columns are: slug, name, kind, sector"), "{}", missing.message);
    assert!(problems.iter().any(|p| p.field.as_deref() == Some("type") && p.message.contains("unknown column")));
}

#[test]
fn a_value_of_the_wrong_kind_names_the_accepted_values() {
    let problems = problems_after("organisations.csv", |t| {
        t.replace("riverside-police,Riverside Police,,police,public", "riverside-police,Riverside Police,,constabulary,public")
    });
    let p = only(&problems);
    assert_eq!((p.line, p.field.as_deref()), (Some(4), Some("kind")));
    assert!(p.message.contains("`constabulary` is not one of: unitary-council"), "{}", p.message);
}

#[test]
fn toml_syntax_and_type_errors_name_the_line_and_key() {
    let file = "bodies/partnership.toml";
    let problems = problems_after(file, |t| t.replace("agenda_notice_days = 7", "agenda_notice_days = \"a week\""));
    let p = only(&problems);
    assert_eq!(p.file, file);
    assert_eq!(p.line, Some(line_of(&riverside(), file, "agenda_notice_days")));
    assert_eq!(p.field.as_deref(), Some("agenda_notice_days"));

    let problems = problems_after(file, |t| t.replace("voting = false,", "votng = false,"));
    assert!(problems[0].message.contains("unknown key `votng` (did you mean `voting`?); the keys are `consensus`"), "{:?}", problems);
    assert_eq!(problems[0].field.as_deref(), Some("decisions.votng"), "the nested key is named");
}

#[test]
fn dates_and_recurrence_rules_are_checked() {
    let file = "bodies/partnership.toml";
    let problems = problems_after(file, |t| {
        t.replace("review_due = \"2025-04\"", "review_due = \"2025-13\"").replace(
            "text = \"Meets every three months\" }",
            "text = \"Meets every three months\", rule = \"FREQ=FORTNIGHTLY\", first = \"2024-06-11T10:00\" }",
        )
    });
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems.iter().any(|p| p.field.as_deref() == Some("review_due") && p.message.contains("no month 13")));
    assert!(problems.iter().any(|p| p.field.as_deref() == Some("cadence.rule") && p.message.contains("FORTNIGHTLY")));
}

#[test]
fn a_membership_of_a_seat_that_does_not_exist_is_refused() {
    let problems = problems_after("memberships.csv", |t| t.replace("riverside-cvs,sam-patel", "riverside-cvs-rep,sam-patel"));
    let p = only(&problems);
    assert_eq!((p.file.as_str(), p.line, p.field.as_deref()), ("memberships.csv", Some(2), Some("seat")));
    assert!(p.message.contains("has no seat `riverside-cvs-rep`"), "{}", p.message);
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let mut files = riverside();
    files.set("organisations.csv", files.get("organisations.csv").unwrap().replace("nhs,public", "nhs,publik"));
    files.set("areas.csv", files.get("areas.csv").unwrap().replace("E05999901,Quayside,ward,E06999901", "E05999901,Quayside,ward,E06999999"));
    let problems = dataset::read(&files).unwrap_err().0;
    assert!(problems.iter().any(|p| p.file == "organisations.csv" && p.field.as_deref() == Some("sector")));
    assert!(problems.iter().any(|p| p.file == "areas.csv" && p.field.as_deref() == Some("parent")));
}

#[test]
fn a_folder_without_council_toml_says_what_to_add() {
    let files = DatasetFiles::from_pairs([("organisations.csv", "slug,name,kind,sector\n")]);
    let problems = dataset::read(&files).unwrap_err().0;
    assert!(problems.iter().any(|p| p.file == "council.toml" && p.message.contains("council.toml is missing")));
    assert!(problems.iter().any(|p| p.file == "bodies/"));
}

#[test]
fn an_exemption_must_name_a_paragraph_of_schedule_12a() {
    let file = "bodies/partnership.toml";
    let problems = problems_after(file, |t| t.replace("review_due = \"2025-04\"", "review_due = \"2025-04\"\nexempt = 9"));
    let p = only(&problems);
    assert_eq!((p.file.as_str(), p.field.as_deref()), (file, Some("exempt")));
    assert_eq!(p.line, Some(line_of(&riverside(), file, "review_due = \"2025-04\"") + 1));
    assert!(p.message.contains("no paragraph 9 in Schedule 12A"), "{}", p.message);

    let problems = problems_after("memberships.csv", |t| {
        t.replace("substitutes\n", "substitutes,exempt\n").replace("alex-morgan\n", "alex-morgan,secret\n").replace("2024-04,\n", "2024-04,,\n")
    });
    let p = only(&problems);
    assert_eq!((p.file.as_str(), p.line, p.field.as_deref()), ("memberships.csv", Some(2), Some("exempt")));
    assert!(p.message.contains("not a paragraph number"), "{}", p.message);
}

#[test]
fn a_record_marked_exempt_in_the_dataset_keeps_its_paragraph() {
    let mut files = riverside();
    let file = "bodies/partnership.toml";
    files.set(file, files.get(file).unwrap().replace("review_due = \"2025-04\"", "review_due = \"2025-04\"\nexempt = 3"));
    let reg = dataset::read(&files).unwrap();
    let b = reg.bodies.iter().find(|b| b.slug.as_str() == "riverside-partnership-board").unwrap();
    assert_eq!(b.exempt.map(|e| e.number()), Some(3));
    let public = reg.visible_to(&placeworks_domain::permissions::Actor::anonymous());
    assert!(public.bodies.iter().all(|x| x.slug != b.slug), "the public register leaves it out");
    assert!(public.seats.iter().all(|s| s.body != b.slug) && public.memberships.iter().all(|m| m.body != b.slug), "with its seats and memberships");
}

#[test]
fn service_points_and_baselines_are_checked() {
    let problems = problems_after("services.csv", |t| {
        t.replace("hilltop-primary,Hilltop Primary School,school,E05999902,no,", "hilltop-primary,Hilltop Primary School,school,E05999903,maybe,")
            .replace("quayside-hub,Quayside Community Hub,community-hub,E05999901,,", "quayside-hub,Quayside Community Hub,community-hub,E05999901,yes,")
            .replace("hilltop-library,Hilltop Library and Hub,community-hub", "hilltop-library,Hilltop Library and Hub,town-hall")
    });
    let got: Vec<(Option<usize>, Option<&str>)> = problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert!(got.contains(&(Some(3), Some("extended"))), "{problems:#?}");
    assert!(got.contains(&(Some(4), Some("extended"))) && got.contains(&(Some(4), Some("area"))), "{problems:#?}");
    assert!(got.contains(&(Some(5), Some("kind"))), "{problems:#?}");
    let problems = problems_after("council.toml", |t| {
        t.replace("{ kind = \"community-hub\", at_least = 1 }", "{ kind = \"community-hub\", extended = true, at_least = 1 }")
            .replace("area_kind = \"ward\"", "area_kind = \"parish-ish\"")
    });
    assert!(problems.iter().any(|p| p.field.as_deref() == Some("extended") && p.message.contains("only schools are extended schools")), "{problems:#?}");
    assert!(problems.iter().any(|p| p.field.as_deref() == Some("area_kind")), "{problems:#?}");
}

#[test]
fn a_resolution_without_an_outcome_verb_is_refused() {
    let mut files = riverside();
    files.set("decisions/board.toml", "[[decision]]\nslug = \"d1\"\nbody = \"riverside-partnership-board\"\ndate = \"2024-06\"\ntitle = \"Priorities\"\n[[decision.resolution]]\nnumber = \"1\"\ntext = \"That the priorities be AGREED.\"\n[[decision.resolution]]\nnumber = \"2\"\ntext = \"That the chair writes to partners.\"\n[[decision.resolution]]\ntext = \"That it be Noted.\"\nverb = \"NOTICED\"\n");
    let problems = dataset::read(&files).unwrap_err().0;
    let got: Vec<(Option<usize>, Option<&str>)> = problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert_eq!(got, [(Some(11), Some("resolution")), (Some(13), Some("verb"))], "{problems:#?}");
    assert!(problems[0].message.contains("resolution (2) has no outcome verb"));
    assert!(problems[1].message.contains("`NOTICED` is not an outcome verb"));
    files.set("decisions/board.toml", "[[decision]]\nslug = \"d1\"\nbody = \"riverside-partnership-board\"\ndate = \"2024-06\"\ntitle = \"Priorities\"\nreached = \"consensus\"\n[[decision.resolution]]\ntext = \"That the priorities be AGREED.\"\n");
    let reg = dataset::read(&files).unwrap();
    assert_eq!(reg.decisions[0].resolutions[0].verb, "AGREED", "the verb is read from the text when not given");
}

#[test]
fn a_decisions_notice_is_read_and_a_bad_day_is_refused_with_its_line() {
    let mut files = riverside();
    let decision = |notified: &str| {
        format!("[[decision]]\nslug = \"d1\"\nbody = \"riverside-partnership-board\"\ndate = \"2024-06-20\"\ntitle = \"Priorities\"\nnotified = \"{notified}\"\nbeyond_delegation = true\n[[decision.resolution]]\ntext = \"That the priorities be AGREED.\"\n")
    };
    files.set("decisions/board.toml", decision("2024-06-01"));
    let reg = dataset::read(&files).unwrap();
    assert_eq!(reg.decisions[0].notified, chrono::NaiveDate::from_ymd_opt(2024, 6, 1));
    assert!(reg.decisions[0].beyond_delegation);
    files.set("decisions/board.toml", decision("last week"));
    let problems = dataset::read(&files).unwrap_err().0;
    assert_eq!(
        (problems[0].file.as_str(), problems[0].line, problems[0].field.as_deref()),
        ("decisions/board.toml", Some(6), Some("notified")),
        "{problems:#?}"
    );
    assert!(problems[0].message.contains("is not a day like"));
}

/// The one problem a broken dataset has, checked for its file, field and words.
fn refused(file: &str, edit: impl FnOnce(&str) -> String, field: &str, words: &str) -> Problem {
    let problems = problems_after(file, edit);
    let p = only(&problems).clone();
    assert_eq!(p.field.as_deref(), Some(field), "{p}");
    assert!(p.message.contains(words), "{words} in {p}");
    assert!(p.line.is_some(), "a line is named: {p}");
    p
}

#[test]
fn what_each_file_allows_but_the_register_cannot_hold_is_refused() {
    // A circle of parents among the areas.
    refused(
        "areas.csv",
        |t| t.replace("E06999901,Riverside,unitary-authority,E92000001", "E06999901,Riverside,unitary-authority,E05999901"),
        "parent",
        "go round in a circle",
    );
    // A circle through "part of".
    refused(
        "bodies/partnership.toml",
        |t| {
            t.replace("reports_to = \"riverside-partnership-board\"", "part_of = [\"riverside-partnership-board\"]")
                .replace("areas = [\"E06999901\"]", "areas = [\"E06999901\"]\npart_of = [\"riverside-delivery-group\"]")
        },
        "part_of",
        "part of each other in a circle",
    );
    // An area that ends before it begins, and a code that is not a ward's.
    refused(
        "areas.csv",
        |t| t.replace("E05999901,Quayside,ward,E06999901,2019-05,", "E05999901,Quayside,ward,E06999901,2019-05,2018-01"),
        "valid_to",
        "ends (January 2018) before it begins",
    );
    refused("areas.csv", |t| t.replace("E05999902,Hilltop,ward", "E05999902,Hilltop,parish"), "code", "a parish's GSS code starts with E04");
    // A rotating chair with nobody to rotate, a rule with no first meeting, a body that ends before it begins.
    refused(
        "bodies/partnership.toml",
        |t| {
            t.replace(
                "chair = { kind = \"ex-officio\", text = \"Chaired by the Leader of the Council\", post = \"riverside-council-leader\" }",
                "chair = { kind = \"rotating\", rotation_meetings = 2 }",
            )
        },
        "chair.rotation",
        "no `rotation`",
    );
    refused(
        "bodies/partnership.toml",
        |t| t.replace("text = \"Meets monthly\" }", "text = \"Meets monthly\", rule = \"FREQ=MONTHLY\" }"),
        "cadence.first",
        "no `first` meeting",
    );
    refused(
        "bodies/partnership.toml",
        |t| t.replace("established = \"2024-04\"", "established = \"2024-04\"\nended = \"2023-01\""),
        "ended",
        "before it was established",
    );
    // Two people in one seat at once, and a membership that ends before it starts.
    refused(
        "memberships.csv",
        |t| t.replace("chris-lane,2022-04,2024-04,", "chris-lane,2022-04,2024-06,"),
        "start_date",
        "both hold the seat `riverside-cvs` at the same time",
    );
    refused("memberships.csv", |t| t.replace("chris-lane,2022-04,2024-04,", "chris-lane,2022-04,2021-04,"), "end_date", "ends (2021-04) before it starts");
}

#[test]
fn meetings_and_decisions_must_agree_with_their_bodies() {
    let with = |meetings: &str, decision: &str| {
        let mut files = riverside();
        files.set("meetings.csv", format!("slug,body,date,status,time,group,planned_for,note\n{meetings}\n"));
        files.set("decisions/board.toml", decision.to_owned());
        dataset::read(&files).map(|_| ()).expect_err("refused").0
    };
    let decision = |meeting: &str, date: &str, numbers: [&str; 2]| {
        format!(
            "[[decision]]\nslug = \"budget\"\nbody = \"riverside-partnership-board\"\ndate = \"{date}\"\ntitle = \"Budget\"\nmeeting = \"{meeting}\"\nsources = [\"partnership-agreement\"]\n\n[[decision.resolution]]\nnumber = \"{}\"\ntext = \"That the budget be AGREED.\"\n\n[[decision.resolution]]\nnumber = \"{}\"\ntext = \"That the plan be NOTED.\"\n",
            numbers[0], numbers[1]
        )
    };
    let board = "board-2025-03-04,riverside-partnership-board,2025-03-04,held,,,,";
    let group =
        only(&with("board-2025-03-04,riverside-partnership-board,2025-03-04,held,,leaders,,", &decision("board-2025-03-04", "2025-03-04", ["1", "2"]))).clone();
    assert_eq!((group.file.as_str(), group.line, group.field.as_deref()), ("meetings.csv", Some(2), Some("group")));
    assert!(group.message.contains("`leaders` is not a group of `riverside-partnership-board`"), "{group}");
    let elsewhere = format!("{board}\ngroup-2025-03-04,riverside-delivery-group,2025-03-04,held,,,,");
    let other = only(&with(&elsewhere, &decision("group-2025-03-04", "2025-03-04", ["1", "2"]))).clone();
    assert_eq!((other.file.as_str(), other.field.as_deref()), ("decisions/board.toml", Some("meeting")));
    assert!(other.message.contains("a meeting of `riverside-delivery-group`"), "{other}");
    let apart = only(&with(board, &decision("board-2025-03-04", "2025-03-11", ["1", "2"]))).clone();
    assert!(apart.field.as_deref() == Some("date") && apart.message.contains("its meeting `board-2025-03-04` was on 4 March 2025"), "{apart}");
    let twice = only(&with(board, &decision("board-2025-03-04", "2025-03-04", ["1", "1"]))).clone();
    assert!(twice.field.as_deref() == Some("resolution.number") && twice.message.contains("two resolutions numbered (1)"), "{twice}");
}

#[test]
fn a_nul_byte_is_one_problem_naming_its_line() {
    let p = refused_any("people.csv", |t| t.replace("Sam Patel", "Sam\0Patel"));
    assert_eq!((p.file.as_str(), p.line), ("people.csv", Some(3)));
    assert!(p.message.contains("NUL byte") && p.message.contains("save it again as plain text"), "{p}");
}

fn refused_any(file: &str, edit: impl FnOnce(&str) -> String) -> Problem {
    only(&problems_after(file, edit)).clone()
}

#[test]
fn one_bad_header_is_a_few_lines_the_first_naming_the_header() {
    let problems = problems_after("organisations.csv", |t| t.replacen("slug,", "Slug,", 1));
    assert!(problems.len() <= 3, "{problems:#?}");
    assert_eq!((problems[0].line, problems[0].field.as_deref()), (Some(1), Some("Slug")));
    assert!(problems[0].message.contains("must be written `slug`: column names are case-sensitive"), "{}", problems[0]);
    assert!(problems.iter().any(|p| p.message.contains("references to this file's records were not checked")), "{problems:#?}");
    let misspelt = problems_after("people.csv", |t| t.replacen("name,", "nmae,", 1));
    assert!(misspelt.len() <= 3, "{misspelt:#?}");
    assert!(misspelt[0].message.contains("unknown column `nmae`: did you mean `name`?"), "{}", misspelt[0]);
    // A body file that does not parse is one problem, not one per reference to its bodies.
    let broken = problems_after("bodies/partnership.toml", |t| t.replacen("name = \"Riverside Partnership Board\"", "name = \"Riverside \\q Board\"", 1));
    assert!(broken.len() <= 2, "{broken:#?}");
    assert!(broken[0].message.contains("a backslash inside double quotes"), "{}", broken[0]);
}

#[test]
fn the_parsers_words_are_put_as_an_officer_would_naming_the_nested_field() {
    let p = refused_any("bodies/partnership.toml", |t| t.replace("agenda_notice_days = 7", "agenda_notice_days = \"seven\""));
    assert_eq!(p.field.as_deref(), Some("agenda_notice_days"));
    assert!(p.message.contains("`seven` is not a whole number") && !p.message.contains("u32"), "{p}");
    let p = refused_any("bodies/partnership.toml", |t| t.replace("notice_days = 10", "notice_days = -3"));
    assert_eq!(p.field.as_deref(), Some("decisions.notice_days"), "{p}");
    assert!(p.message.contains("below zero"), "{p}");
    let p = refused_any("bodies/partnership.toml", |t| {
        t.replace("publication = [\"Papers are published on the council's website.\"]", "publication = \"Papers are published\"")
    });
    assert!(p.message.contains("is not a list: write a list in square brackets") && !p.message.contains("sequence"), "{p}");
}

/// The part of docs/DATASET.md under the heading that names `file`.
fn doc_section<'a>(doc: &'a str, file: &str) -> Option<&'a str> {
    let start = doc.lines().position(|l| l.starts_with('#') && l.contains(file))?;
    let lines: Vec<&str> = doc.lines().collect();
    let level = lines[start].chars().take_while(|c| *c == '#').count();
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with('#') && l.chars().take_while(|c| *c == '#').count() <= level)
        .map_or(lines.len(), |i| start + 1 + i);
    let from = doc.find(lines[start]).unwrap_or(0);
    let to = if end < lines.len() { doc.find(lines[end]).unwrap_or(doc.len()) } else { doc.len() };
    Some(&doc[from..to])
}

#[test]
fn docs_dataset_md_describes_every_csv_column_the_loader_reads() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/DATASET.md")).unwrap();
    let mut missing = Vec::new();
    for (file, required, optional) in dataset::CSV_COLUMNS {
        let Some(section) = doc_section(&doc, file) else {
            missing.push(format!("{file}: no section whose heading names it"));
            continue;
        };
        for column in required.iter().chain(optional.iter()) {
            if !section.contains(&format!("`{column}`")) {
                missing.push(format!("{file}: the column `{column}` is not described"));
            }
        }
        if !optional.is_empty() && !section.to_lowercase().contains("optional") {
            missing.push(format!("{file}: the section does not say which columns are optional"));
        }
    }
    assert!(missing.is_empty(), "docs/DATASET.md leaves out:\n{}", missing.join("\n"));
}
