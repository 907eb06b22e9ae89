//! Honest sources: every record of the built-in dataset names where it comes
//! from, the values no source gives are marked as the example's, and a mark
//! or source a dataset gets wrong is refused with its file, line and field.

use placeworks_domain::dataset::{self, DatasetFiles, Problem};
use placeworks_domain::Register;
use std::collections::BTreeSet;
use std::path::Path;

fn files(name: &str) -> DatasetFiles {
    DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data").join(name)).expect("dataset folder")
}

fn buckinghamshire() -> Register {
    dataset::read(&files("buckinghamshire")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_record_of_the_built_in_dataset_names_a_source_the_council_lists() {
    let reg = buckinghamshire();
    let keys: BTreeSet<&str> = reg.council.sources.iter().map(|s| s.key.as_str()).collect();
    let mut missing = Vec::new();
    let mut check = |kind: &str, id: &str, sources: Vec<&str>| {
        if sources.is_empty() {
            missing.push(format!("{kind} {id}"));
        }
        for s in sources {
            assert!(keys.contains(s), "{kind} {id} cites `{s}`, which council.toml does not list");
        }
    };
    fn strs(v: &[placeworks_domain::ids::Slug]) -> Vec<&str> {
        v.iter().map(|s| s.as_str()).collect()
    }
    reg.organisations.iter().for_each(|x| check("organisation", x.slug.as_str(), strs(&x.sources)));
    reg.people.iter().for_each(|x| check("person", x.slug.as_str(), strs(&x.sources)));
    reg.posts.iter().for_each(|x| check("post", x.slug.as_str(), strs(&x.sources)));
    reg.bodies.iter().for_each(|x| check("body", x.slug.as_str(), strs(&x.sources)));
    reg.areas.iter().for_each(|x| check("area", &x.code, strs(&x.sources)));
    reg.meetings.iter().for_each(|x| check("meeting", x.slug.as_str(), strs(&x.sources)));
    reg.decisions.iter().for_each(|x| check("decision", x.slug.as_str(), strs(&x.sources)));
    reg.commitments.iter().for_each(|x| check("commitment", x.slug.as_str(), strs(&x.sources)));
    reg.baselines.iter().for_each(|x| check("baseline", x.slug.as_str(), x.source.iter().map(|s| s.as_str()).collect()));
    reg.programmes.iter().for_each(|x| check("programme", x.slug.as_str(), strs(&x.sources)));
    reg.measures.iter().for_each(|x| check("measure", x.slug.as_str(), strs(&x.sources)));
    assert!(!reg.programmes.is_empty(), "Opportunity Bucks is built in");
    for i in &reg.indicators {
        assert!(!i.source.trim().is_empty() && !i.licence.trim().is_empty(), "indicator {} names its publisher and licence", i.slug);
    }
    assert!(missing.is_empty(), "records without a source: {missing:#?}");
    // Seats are their body's: a body with seats has sources, checked above.
    assert!(reg.seats.iter().all(|s| reg.bodies.iter().any(|b| b.slug == s.body)));
}

#[test]
fn the_values_the_papers_do_not_give_are_marked_as_the_examples() {
    let reg = buckinghamshire();
    let body = |slug: &str| reg.bodies.iter().find(|b| b.slug.as_str() == slug).unwrap_or_else(|| panic!("no body {slug}"));
    let decision = |slug: &str| reg.decisions.iter().find(|d| d.slug.as_str() == slug).unwrap();
    // Seed 003 gives no date, key-decision flag or call-in; seed 001 gives no date.
    assert_eq!(decision("opportunity-bucks-progress-2023").example, ["date", "key_decision", "call_in"]);
    assert_eq!(decision("levelling-up-framework-2022").example, ["date"]);
    for m in &reg.meetings {
        assert!(m.example.iter().any(|f| f == "date"), "{}: the Cabinet meetings' dates are the example's", m.slug);
    }
    // The papers describe the levels of working but name no partnership.
    let partnerships: Vec<_> = reg.bodies.iter().filter(|b| matches!(b.kind.code(), "ward-partnership" | "thematic-partnership")).collect();
    let ob: Vec<_> =
        partnerships.iter().filter(|b| b.slug.as_str().contains("ward-partnership") || b.slug.as_str().starts_with("opportunity-bucks-")).collect();
    assert_eq!(ob.len(), 15, "ten ward and five thematic partnerships");
    for b in ob {
        assert!(b.example.iter().any(|f| f == "name"), "{}'s name is the example's", b.slug);
    }
    // The Community Boards serve their 2020-2025 wards, not the whole county, and which wards is the example's.
    let boards: Vec<_> =
        reg.bodies.iter().filter(|b| b.kind.code() == "community-board" && b.sources.iter().any(|s| s.as_str() == "reference-lists")).collect();
    assert_eq!(boards.len(), 16);
    let mut wards = BTreeSet::new();
    for b in &boards {
        assert_eq!(b.example, ["areas"], "{}", b.slug);
        assert!(!b.sources.iter().any(|s| s.as_str().starts_with("ons")), "{}: the ONS does not publish the Community Boards", b.slug);
        for a in &b.areas {
            let area = reg.areas.iter().find(|x| &x.code == a).unwrap();
            assert_eq!(area.kind.code(), "ward", "{} serves {a}", b.slug);
            assert!(wards.insert(a.clone()), "{a} is served by two boards");
        }
    }
    assert_eq!(wards.len(), 49, "every 2020-2025 ward is served by one board");
    // The planned BSP meetings come from the example's first dates.
    assert!(body("bsp-board").example.iter().any(|f| f == "cadence.first"));
    // The 2023 paper's date is not in it: only the year is cited.
    let progress = reg.council.sources.iter().find(|s| s.key.as_str() == "opportunity-bucks-progress").unwrap();
    assert_eq!(progress.date.as_ref().map(|d| d.to_string()).as_deref(), Some("2023"));
    // Every mark names a field of its kind (the reader refuses any other), and
    // no mark is given without a source beside it.
    for b in &reg.bodies {
        assert!(b.example.is_empty() || !b.sources.is_empty(), "{}", b.slug);
    }
}

fn problems_after(file: &str, edit: impl FnOnce(&str) -> String) -> Vec<Problem> {
    let mut files = files("examples/riverside");
    let text = files.get(file).unwrap_or_default().to_owned();
    files.set(file, edit(&text));
    match dataset::read(&files) {
        Ok(_) => panic!("the broken dataset was accepted"),
        Err(p) => p.0,
    }
}

fn only(problems: &[Problem]) -> &Problem {
    assert_eq!(problems.len(), 1, "expected one problem, got {problems:#?}");
    &problems[0]
}

#[test]
fn a_source_the_council_does_not_list_is_refused_with_its_line() {
    let p = problems_after("organisations.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
        lines[0].push_str(",sources");
        lines[1].push_str(",partnership-agreemnt");
        for l in &mut lines[2..] {
            l.push(',');
        }
        lines.join("\n") + "\n"
    });
    let p = only(&p);
    assert_eq!((p.file.as_str(), p.line, p.field.as_deref()), ("organisations.csv", Some(2), Some("sources")));
    assert!(p.message.contains("partnership-agreemnt") && p.message.contains("partnership-agreement"), "{}", p.message);
}

#[test]
fn an_example_mark_that_is_not_a_field_is_refused_with_the_fields_it_may_name() {
    let p = problems_after("organisations.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
        lines[0].push_str(",example");
        lines[1].push_str(",name;colour");
        for l in &mut lines[2..] {
            l.push(',');
        }
        lines.join("\n") + "\n"
    });
    let p = only(&p);
    assert_eq!((p.file.as_str(), p.line, p.field.as_deref()), ("organisations.csv", Some(2), Some("example")));
    assert!(p.message.contains("`colour` is not a field") && p.message.contains("short_name"), "{}", p.message);

    let file = "bodies/partnership.toml";
    let p = problems_after(file, |t| {
        t.replacen("sources = [\"partnership-agreement\"]", "sources = [\"partnership-agreement\"]\nexample = [\"cadence.frist\"]", 1)
    });
    let p = only(&p);
    assert_eq!((p.file.as_str(), p.field.as_deref()), (file, Some("example")));
    assert!(p.message.contains("did you mean `cadence.first`"), "{}", p.message);
}

#[test]
fn marks_and_sources_survive_the_export() {
    let reg = buckinghamshire();
    let written = placeworks_domain::open_data::dataset::write(&reg).unwrap();
    let back = dataset::read(&DatasetFiles::from_pairs(written)).unwrap_or_else(|e| panic!("{e}"));
    let marks = |r: &Register| {
        let mut out: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
        out.extend(r.organisations.iter().map(|x| (x.slug.to_string(), x.sources.iter().map(|s| s.to_string()).collect(), x.example.clone())));
        out.extend(r.posts.iter().map(|x| (x.slug.to_string(), x.sources.iter().map(|s| s.to_string()).collect(), x.example.clone())));
        out.extend(r.areas.iter().map(|x| (x.code.clone(), x.sources.iter().map(|s| s.to_string()).collect(), x.example.clone())));
        out.extend(r.meetings.iter().map(|x| (x.slug.to_string(), x.sources.iter().map(|s| s.to_string()).collect(), x.example.clone())));
        out.extend(r.bodies.iter().map(|x| (x.slug.to_string(), x.sources.iter().map(|s| s.to_string()).collect(), x.example.clone())));
        out.extend(r.decisions.iter().map(|x| (x.slug.to_string(), x.sources.iter().map(|s| s.to_string()).collect(), x.example.clone())));
        out.extend(r.commitments.iter().map(|x| (x.slug.to_string(), x.sources.iter().map(|s| s.to_string()).collect(), x.example.clone())));
        out
    };
    assert_eq!(marks(&back), marks(&reg));
}

#[test]
fn a_value_an_officer_changes_is_no_longer_the_examples() {
    use placeworks_domain::change::Write;
    use placeworks_domain::register::{commands::plan_edit_body, forms::BodyForm, Index};
    let ix = Index::new(buckinghamshire());
    let edited = |slug: &str, edit: &dyn Fn(&mut BodyForm)| {
        let mut form = BodyForm::from_record(ix.body(slug).unwrap());
        edit(&mut form);
        let change = plan_edit_body(&ix, slug, &form).unwrap_or_else(|e| panic!("{e:?}"));
        match change.writes.into_iter().next() {
            Some(Write::PutBody(b)) => b.example,
            other => panic!("{other:?}"),
        }
    };
    // Saved unchanged, the marks stay.
    assert_eq!(edited("bsp-conference", &|_| {}), ["cadence.rule", "cadence.first", "ended"]);
    // The officer sets the real first meeting: that value is theirs now; the rule is still the example's.
    assert_eq!(edited("bsp-conference", &|f| f.cadence_first = "2010-06-18T09:30".into()), ["cadence.rule", "ended"]);
    // A ward partnership renamed by its secretariat has its own name.
    assert!(edited("abbey-ward-partnership", &|f| f.name = "Abbey Together".into()).is_empty());
}
