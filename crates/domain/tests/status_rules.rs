//! Property tests of a measure's arithmetic: the status rules (polarity,
//! tolerance by percentage and by amount, zero targets, missing actuals),
//! the direction of travel, and the reporting periods.

use placeworks_domain::places::Polarity;
use placeworks_domain::programmes::{Direction, Frequency, Period, Status, StatusRule, Tolerance};
use proptest::prelude::*;

fn polarity() -> impl Strategy<Value = Polarity> {
    prop_oneof![Just(Polarity::HigherIsBetter), Just(Polarity::HigherIsWorse)]
}

fn rule() -> impl Strategy<Value = StatusRule> {
    prop_oneof![
        (0.0..50.0f64, 0.0..10.0f64).prop_map(|(p, z)| StatusRule { amber: Tolerance::Percent(p), zero_target_band: z }),
        (0.0..100.0f64).prop_map(|a| StatusRule { amber: Tolerance::Absolute(a), zero_target_band: 0.0 }),
    ]
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![-1e6..1e6f64, Just(0.0), (-1000i32..1000).prop_map(f64::from)]
}

/// How much better `a` is than `b` for a measure of `polarity`.
fn better(polarity: Polarity, a: f64, b: f64) -> bool {
    match polarity {
        Polarity::HigherIsBetter => a > b,
        _ => a < b,
    }
}

proptest! {
    #[test]
    fn on_or_better_than_target_is_green_and_worse_never_is(rule in rule(), pol in polarity(), target in value(), actual in value()) {
        let s = rule.judge(pol, Some(target), Some(actual)).status;
        prop_assert_ne!(s, Status::Grey);
        prop_assert_ne!(s, Status::Missing);
        if actual == target || better(pol, actual, target) {
            prop_assert_eq!(s, Status::Green);
        }
        let shortfall = match pol { Polarity::HigherIsBetter => target - actual, _ => actual - target };
        if shortfall > 1e-6 * target.abs().max(actual.abs()).max(1.0) {
            prop_assert_ne!(s, Status::Green, "worse than target is never Green");
        }
    }

    #[test]
    fn a_better_actual_never_has_a_worse_status(rule in rule(), pol in polarity(), target in value(), a in value(), b in value()) {
        let (sa, sb) = (rule.judge(pol, Some(target), Some(a)).status, rule.judge(pol, Some(target), Some(b)).status);
        if better(pol, a, b) {
            prop_assert!(sa.rank() >= sb.rank(), "{a} is better than {b} but {sa:?} < {sb:?}");
        }
    }

    #[test]
    fn the_two_polarities_mirror_each_other(rule in rule(), target in value(), actual in value()) {
        let up = rule.judge(Polarity::HigherIsBetter, Some(target), Some(actual)).status;
        let down = rule.judge(Polarity::HigherIsWorse, Some(-target), Some(-actual)).status;
        prop_assert_eq!(up, down);
    }

    #[test]
    fn a_percentage_rule_is_amber_exactly_within_its_share_of_the_target(p in 0.5..50.0f64, pol in polarity(), target in 1.0..1e5f64, short in 0.0..2.0f64) {
        // `short` is the shortfall as a multiple of the band: up to 1 is Amber, beyond it Red.
        let rule = StatusRule { amber: Tolerance::Percent(p), zero_target_band: 0.0 };
        let target = if pol == Polarity::HigherIsBetter { target } else { -target };
        let band = target.abs() * p / 100.0;
        let actual = match pol { Polarity::HigherIsBetter => target - short * band, _ => target + short * band };
        let s = rule.judge(pol, Some(target), Some(actual)).status;
        if short > 1e-6 && short < 1.0 - 1e-6 { prop_assert_eq!(s, Status::Amber); }
        if short > 1.0 + 1e-6 { prop_assert_eq!(s, Status::Red); }
    }

    #[test]
    fn an_absolute_rule_is_amber_exactly_within_its_amount(a in 0.5..100.0f64, pol in polarity(), target in value(), short in 0.0..300.0f64) {
        let rule = StatusRule { amber: Tolerance::Absolute(a), zero_target_band: 0.0 };
        let actual = match pol { Polarity::HigherIsBetter => target - short, _ => target + short };
        let s = rule.judge(pol, Some(target), Some(actual)).status;
        let eps = 1e-6 * target.abs().max(1.0);
        if short > eps && short < a - eps { prop_assert_eq!(s, Status::Amber); }
        if short > a + eps { prop_assert_eq!(s, Status::Red); }
    }

    #[test]
    fn a_target_of_zero_is_judged_by_its_own_band(z in 0.0..10.0f64, pol in polarity(), short in 0.0..20.0f64) {
        let rule = StatusRule { amber: Tolerance::Percent(5.0), zero_target_band: z };
        let actual = match pol { Polarity::HigherIsBetter => -short, _ => short };
        let j = rule.judge(pol, Some(0.0), Some(actual));
        prop_assert!(j.shortfall.is_some_and(f64::is_finite) && j.band == Some(z), "no division by zero: {j:?}");
        let expected = if short <= 1e-9 { Status::Green } else if short <= z { Status::Amber } else { Status::Red };
        if (short - z).abs() > 1e-6 { prop_assert_eq!(j.status, expected); }
    }

    #[test]
    fn no_actual_is_never_a_colour_and_no_target_is_grey(rule in rule(), pol in polarity(), target in value(), actual in value()) {
        prop_assert_eq!(rule.judge(pol, Some(target), None).status, Status::Missing);
        prop_assert_eq!(rule.judge(pol, None, None).status, Status::Missing);
        prop_assert_eq!(rule.judge(pol, None, Some(actual)).status, Status::Grey);
        prop_assert_eq!(rule.judge(Polarity::Neutral, Some(target), Some(actual)).status, Status::Grey);
    }

    #[test]
    fn direction_follows_polarity(pol in polarity(), then in value(), now in value()) {
        let d = Direction::of(pol, Some(then), Some(now));
        if better(pol, now, then) && (now - then).abs() > 1e-6 * then.abs().max(now.abs()).max(1.0) {
            prop_assert_eq!(d, Direction::Improving);
        }
        if better(pol, then, now) && (now - then).abs() > 1e-6 * then.abs().max(now.abs()).max(1.0) {
            prop_assert_eq!(d, Direction::Worsening);
        }
        prop_assert_eq!(Direction::of(pol, None, Some(now)), Direction::Unknown);
        prop_assert_eq!(Direction::of(pol, Some(then), Some(then)), Direction::Same);
    }

    #[test]
    fn a_rule_reads_back_from_its_words(p in 0u32..100, z in 0u32..10, absolute in any::<bool>()) {
        let text = if absolute { format!("absolute:{p}") } else { format!("percent:{p},zero:{z}") };
        let rule = StatusRule::parse(&text).unwrap();
        let want = if absolute { Tolerance::Absolute(f64::from(p)) } else { Tolerance::Percent(f64::from(p)) };
        prop_assert_eq!(rule.amber, want);
    }

    #[test]
    fn periods_read_back_and_count_back_a_year(year in 1990i32..2100, n in 1u32..=12, kind in 0u8..3) {
        let p = match kind {
            0 => Period::Month { year, month: n },
            1 => Period::Quarter { year, quarter: (n - 1) % 4 + 1 },
            _ => Period::Year { year },
        };
        prop_assert_eq!(Period::parse(&p.to_string()), Ok(p));
        let mut back = p;
        for _ in 0..p.frequency().per_year() {
            back = back.previous();
        }
        prop_assert_eq!(back, p.year_before());
        prop_assert!(p.previous() < p);
        prop_assert_eq!(p.year_before().through(p).len() as u32, p.frequency().per_year() + 1);
    }
}

#[test]
fn buckinghamshire_s_own_rule_in_numbers_and_words() {
    let rule = StatusRule::BUCKINGHAMSHIRE;
    let judge = |t: f64, a: f64| rule.judge(Polarity::HigherIsBetter, Some(t), Some(a)).status;
    // Horizons: a target of 30 referrals.
    assert_eq!(judge(30.0, 30.0), Status::Green);
    assert_eq!(judge(30.0, 28.5), Status::Amber, "exactly 5% short");
    assert_eq!(judge(30.0, 28.4), Status::Red);
    assert_eq!(judge(30.0, 9.0), Status::Red, "nine referrals of 30");
    assert_eq!(rule.describe(), "Green on or better than target; Amber within 5% of it; Red further off");
    assert_eq!(Status::Amber.label(), "Amber: short of target, within tolerance", "the status in words beside its colour");
    assert!(StatusRule::parse("percent:five").unwrap_err().contains("percent:5"));
    assert!(StatusRule::parse("within 5%").is_err());
}

#[test]
fn periods_in_words_and_refused_as_written_wrong() {
    let q1 = Period::parse("2024/25 Q1").unwrap();
    assert_eq!(q1.label(), "Q1 2024/25 (April to June 2024)");
    assert_eq!(Period::parse("2024/25 Q4").unwrap().label(), "Q4 2024/25 (January to March 2025)");
    assert_eq!(q1.previous().to_string(), "2023/24 Q4");
    assert_eq!(Period::parse("2024-04").unwrap().label(), "April 2024");
    assert_eq!(Period::parse("2099/00").unwrap().label(), "2099/00");
    assert_eq!(q1.frequency(), Frequency::Quarterly);
    assert!(Period::parse("2024/26").unwrap_err().contains("write 2024/25"));
    for bad in ["2024", "2024-13", "2024/25 Q5", "Q1", "24/25", ""] {
        assert!(Period::parse(bad).is_err(), "{bad}");
    }
    assert!(Period::parse("2024-04").unwrap().partial_cmp(&q1).is_none(), "a month and a quarter are not ordered");
}

mod roll_up {
    use placeworks_domain::programmes::{roll_up, Part, RollUp};
    use proptest::prelude::*;

    fn leaf(name: &str, progress: Option<f64>, weight: f64) -> Part {
        Part { name: name.into(), progress, weight, parts: vec![] }
    }

    fn parts() -> impl Strategy<Value = Vec<(Option<f64>, f64)>> {
        prop::collection::vec((prop::option::weighted(0.8, 0.0..=100.0f64), 0.0..1000.0f64), 1..12)
    }

    fn parent(parts: &[(Option<f64>, f64)]) -> Part {
        Part {
            name: "Programme".into(),
            progress: None,
            weight: 1.0,
            parts: parts.iter().enumerate().map(|(i, (p, w))| leaf(&format!("Part {i}"), *p, *w)).collect(),
        }
    }

    proptest! {
        #[test]
        fn a_roll_up_lies_between_its_parts(parts in parts(), weighted in any::<bool>()) {
            let rule = if weighted { RollUp::Weighted } else { RollUp::Plain };
            let r = roll_up(&parent(&parts), rule);
            let reported: Vec<f64> = parts.iter().filter_map(|(p, _)| *p).collect();
            prop_assert_eq!(r.counted + r.left_out, parts.len());
            prop_assert_eq!(r.left_out, parts.len() - reported.len());
            if let Some(p) = r.progress {
                let (lo, hi) = reported.iter().fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
                prop_assert!(p >= lo - 1e-9 && p <= hi + 1e-9, "{p} outside {lo}..{hi}");
            } else {
                prop_assert!(reported.is_empty() || weighted, "plain is known whenever a part reports");
            }
        }

        #[test]
        fn equal_weights_weigh_like_the_plain_rule(values in prop::collection::vec(0.0..=100.0f64, 1..10), w in 0.1..100.0f64) {
            let parts: Vec<(Option<f64>, f64)> = values.iter().map(|v| (Some(*v), w)).collect();
            let (plain, weighted) = (roll_up(&parent(&parts), RollUp::Plain).progress.unwrap(), roll_up(&parent(&parts), RollUp::Weighted).progress.unwrap());
            prop_assert!((plain - weighted).abs() < 1e-9);
            prop_assert!((plain - values.iter().sum::<f64>() / values.len() as f64).abs() < 1e-9);
        }

        #[test]
        fn a_part_that_reports_nothing_changes_nothing_but_is_said_to_be_left_out(parts in parts(), weighted in any::<bool>()) {
            let rule = if weighted { RollUp::Weighted } else { RollUp::Plain };
            let before = roll_up(&parent(&parts), rule);
            let mut more = parts.clone();
            more.push((None, 500.0));
            let after = roll_up(&parent(&more), rule);
            prop_assert_eq!(before.progress, after.progress);
            prop_assert_eq!(after.left_out, before.left_out + 1);
            if after.progress.is_some() { prop_assert!(after.working.contains("report nothing and are left out"), "{}", after.working); }
        }

        #[test]
        fn finishing_a_part_never_lowers_the_whole(parts in parts(), i in 0usize..12, weighted in any::<bool>()) {
            let rule = if weighted { RollUp::Weighted } else { RollUp::Plain };
            let i = i % parts.len();
            let before = roll_up(&parent(&parts), rule).progress;
            let mut done = parts.clone();
            done[i].0 = Some(100.0);
            let after = roll_up(&parent(&done), rule).progress;
            if let (Some(b), Some(a)) = (before, after) { prop_assert!(a >= b - 1e-9); }
        }
    }

    #[test]
    fn a_tree_rolls_up_level_by_level_and_shows_its_working() {
        let multiply =
            Part { name: "Multiply".into(), progress: None, weight: 2.0, parts: vec![leaf("Courses", Some(50.0), 1.0), leaf("Outreach", Some(100.0), 1.0)] };
        let programme = Part {
            name: "Opportunity Bucks".into(),
            progress: None,
            weight: 1.0,
            parts: vec![multiply, leaf("Horizons", Some(30.0), 1.0), leaf("Cafes", None, 1.0)],
        };
        let plain = roll_up(&programme, RollUp::Plain);
        assert_eq!(plain.progress, Some(52.5), "(75 + 30) ÷ 2");
        assert_eq!(plain.working, "Opportunity Bucks: 52.5% = (Multiply 75% + Horizons 30%) ÷ 2; 1 of its 3 parts report nothing and are left out");
        let weighted = roll_up(&programme, RollUp::Weighted);
        assert_eq!(weighted.progress, Some(60.0), "(75 × 2 + 30 × 1) ÷ 3");
        assert!(weighted.working.contains("Multiply 75% × weight 2"), "{}", weighted.working);
        let nothing = Part { name: "New".into(), progress: None, weight: 1.0, parts: vec![leaf("A", None, 1.0)] };
        assert_eq!(roll_up(&nothing, RollUp::Plain).progress, None);
        assert!(roll_up(&nothing, RollUp::Plain).working.contains("not known"));
    }
}
