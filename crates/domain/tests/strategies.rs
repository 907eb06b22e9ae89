//! Strategies and action plans in a dataset: the 2005 strategy "Getting
//! Closer to Communities" and Opportunity Bucks' local action plans built in
//! as the seeds give them, and each mistake refused with its file, line and
//! field.

use placeworks_domain::dataset::{self, DatasetFiles, Problem};
use placeworks_domain::programmes::{PlanStatus, ProgrammeStatus, WorkStatus};
use std::path::Path;

fn buckinghamshire() -> DatasetFiles {
    DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/buckinghamshire")).unwrap()
}

const STRATEGY: &str = "programmes/getting-closer-to-communities.toml";
const LOCAL: &str = "programmes/opportunity-bucks-local-plans.toml";

fn problems_after(file: &str, edit: impl FnOnce(&str) -> String) -> Vec<Problem> {
    let mut files = buckinghamshire();
    let text = files.get(file).unwrap().to_owned();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    files.set(file, edited);
    match dataset::read(&files) {
        Ok(_) => panic!("the broken file was accepted"),
        Err(p) => p.0,
    }
}

#[test]
fn the_2005_strategy_is_built_in_in_its_words() {
    let reg = dataset::read(&buckinghamshire()).unwrap_or_else(|e| panic!("{e}"));
    let s = reg.strategies.iter().find(|s| s.slug.as_str() == "getting-closer-to-communities").expect("built in");
    assert_eq!(
        (s.name.as_str(), s.status, s.dated.as_ref().map(|d| d.as_str())),
        ("Getting Closer to Communities", ProgrammeStatus::Proposed, Some("2005-05"))
    );
    assert_eq!(
        s.aims.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        [
            "To enhance the community leadership role of local members",
            "To improve community engagement",
            "To plan services to meet the needs of local communities",
            "To improve customer access to public services",
            "To join up public services locally"
        ]
    );
    assert_eq!(s.objectives.iter().map(|o| o.number).collect::<Vec<_>>(), (1..=14).collect::<Vec<_>>(), "14 numbered objectives");
    assert!(s.objectives.iter().all(|o| o.by.map(|p| p.to_string()).as_deref() == Some("2008/09")), "each to 2008/09");
    assert!(s.objectives.iter().all(|o| o.status == WorkStatus::NotReported), "the paper reports no progress, and none is invented");
    assert_eq!(s.objectives.iter().map(|o| o.aim).collect::<Vec<_>>(), [1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5]);
    let ten = &s.objectives[9];
    assert!(ten.name.starts_with("Undertaken an initial assessment of those budgets"), "{}", ten.name);
    assert!(ten.text.as_deref().unwrap().starts_with("We will undertake an initial assessment"));
    assert_eq!(s.principles.len(), 3);
    let phase1 = reg.plans.iter().find(|p| p.strategy.as_ref() == Some(&s.slug)).expect("the Phase 1 action plan");
    assert_eq!((phase1.period.map(|p| p.to_string()).as_deref(), phase1.status), (Some("2005/06"), PlanStatus::Developing), "it has yet to be finalised");
    assert_eq!(phase1.actions.len(), 5);
    assert_eq!(phase1.actions[3].steps.len(), 6, "the trial's six parts");
    assert!(phase1.actions[3].text.contains("Chesham, Buckingham, Burnham and Princess Risborough"), "in the paper's words");
    assert!(phase1.actions.iter().all(|a| a.owner.is_none() && a.due.is_none()), "the paper names no owner or date");
}

#[test]
fn each_target_ward_has_its_local_action_plan_led_by_its_partnership() {
    let reg = dataset::read(&buckinghamshire()).unwrap_or_else(|e| panic!("{e}"));
    let ob = reg.programmes.iter().find(|p| p.slug.as_str() == "opportunity-bucks").unwrap();
    let wards = &reg.areas.iter().find(|a| a.code == ob.areas[0]).unwrap().members;
    let plans: Vec<_> = reg.plans.iter().filter(|p| p.programme.as_ref() == Some(&ob.slug)).collect();
    assert_eq!(plans.len(), 10);
    for w in wards {
        let plan = plans.iter().find(|p| p.area.as_deref() == Some(w.as_str())).unwrap_or_else(|| panic!("no plan for {w}"));
        let lead = reg.bodies.iter().find(|b| Some(&b.slug) == plan.led_by.as_ref()).expect("led by a body");
        assert!(lead.areas.contains(w), "{} serves {w}", lead.name);
    }
    let castlefield = plans.iter().find(|p| p.area.as_deref() == Some("E05013131")).unwrap();
    assert_eq!(castlefield.actions.len(), 1);
    let a = &castlefield.actions[0];
    assert_eq!((a.status, a.initiative.as_ref().map(|i| i.as_str())), (WorkStatus::Achieved, Some("castlefield-traffic-calming")));
    assert_eq!(a.themes.iter().map(|t| t.as_str()).collect::<Vec<_>>(), ["quality-of-our-public-realm"]);
}

#[test]
fn each_mistake_in_a_strategy_or_a_plan_is_refused_with_its_line_and_field() {
    let cases: [(&str, &str, &str, &str, &str); 8] = [
        (STRATEGY, "number = 14\naim = 5", "number = 14\naim = 6", "objective.aim", "the strategy has no aim 6"),
        (STRATEGY, "by = \"2008/09\"", "by = \"2008/09 Q1\"", "objective.by", "is not a financial year: write one like 2008/09"),
        (STRATEGY, "by = \"2008/09\"", "by = \"2008/09\"\nstatus = \"finished\"", "objective.status", "`finished` is not one of"),
        (STRATEGY, "by = \"2008/09\"", "by = \"2008/09\"\nmeasures = [\"horizons-referals\"]", "objective.measures", "unknown measure `horizons-referals`"),
        (STRATEGY, "objectives = [4]", "objectives = [15]", "action.objectives", "has no objective 15"),
        (LOCAL, "themes = [\"quality-of-our-public-realm\"]", "themes = [\"roads\"]", "action.themes", "`roads` is not one of"),
        (LOCAL, "area = \"E05013166\"", "area = \"E05013163\"", "area", "already has a local action plan for `E05013163`"),
        (LOCAL, "led_by = \"abbey-ward-partnership\"", "led_by = \"abbey-ward-partnerships\"", "led_by", "unknown body"),
    ];
    for (file, from, to, field, says) in cases {
        let problems = problems_after(file, |t| t.replacen(from, to, 1));
        assert_eq!(problems.len(), 1, "{field}: {problems:#?}");
        let p = &problems[0];
        assert_eq!((p.file.as_str(), p.field.as_deref()), (file, Some(field)), "{field}");
        assert!(p.line.is_some(), "{field}: a line");
        assert!(p.message.contains(says), "{field}: {}", p.message);
    }
    // A plan that is nobody's.
    let p = problems_after(LOCAL, |t| t.replacen("programme = \"opportunity-bucks\"\n", "", 1));
    assert!(p.iter().any(|p| p.field.as_deref() == Some("strategy") && p.message.contains("give its `strategy` or its `programme`")), "{p:#?}");
}
