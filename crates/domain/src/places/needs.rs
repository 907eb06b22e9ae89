//! The needs assessment: the English Indices of Deprivation method, with the
//! published weights or a council's own, summaries for larger areas, and the
//! areas in most need with the reasons why. No I/O: rows in, results out.
//!
//! The method (MHCLG, *English Indices of Deprivation 2019: technical
//! report*): each domain's rank (1 = most deprived of N) is scaled to
//! R = (N − rank + 1) / N and transformed exponentially,
//! X = −23 ln(1 − R (1 − e^(−100/23))), which runs from about 0 (least
//! deprived) to 100 (most deprived). The index is the weighted sum of the
//! seven X, and areas are ranked by it, highest first.

use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// The seven domains of deprivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Domain {
    Income,
    Employment,
    Education,
    Health,
    Crime,
    Barriers,
    LivingEnvironment,
}

impl Domain {
    /// The domains in the order of the published files.
    pub const ALL: [Domain; 7] =
        [Domain::Income, Domain::Employment, Domain::Education, Domain::Health, Domain::Crime, Domain::Barriers, Domain::LivingEnvironment];

    /// The code used in weights and files, such as `living-environment`.
    pub fn code(self) -> &'static str {
        match self {
            Domain::Income => "income",
            Domain::Employment => "employment",
            Domain::Education => "education",
            Domain::Health => "health",
            Domain::Crime => "crime",
            Domain::Barriers => "barriers",
            Domain::LivingEnvironment => "living-environment",
        }
    }

    /// The domain's published name.
    pub fn label(self) -> &'static str {
        match self {
            Domain::Income => "Income",
            Domain::Employment => "Employment",
            Domain::Education => "Education, Skills and Training",
            Domain::Health => "Health Deprivation and Disability",
            Domain::Crime => "Crime",
            Domain::Barriers => "Barriers to Housing and Services",
            Domain::LivingEnvironment => "Living Environment",
        }
    }

    /// The weight in the published Index of Multiple Deprivation, in per cent.
    pub fn official_weight(self) -> f64 {
        match self {
            Domain::Income | Domain::Employment => 22.5,
            Domain::Education | Domain::Health => 13.5,
            Domain::Crime | Domain::Barriers | Domain::LivingEnvironment => 9.3,
        }
    }

    /// Reads a domain's code (or its name, ignoring case).
    pub fn parse(s: &str) -> Result<Domain, String> {
        let t = s.trim().to_lowercase().replace([' ', '_'], "-");
        Domain::ALL
            .into_iter()
            .find(|d| d.code() == t || d.label().to_lowercase().replace(' ', "-") == t)
            .ok_or_else(|| format!("`{s}` is not a domain; the domains are {}", Domain::ALL.map(Domain::code).join(", ")))
    }

    fn index(self) -> usize {
        Domain::ALL.iter().position(|d| *d == self).expect("every domain is in ALL")
    }
}

/// How much each domain counts, in per cent; they add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights([f64; 7]);

impl Weights {
    /// The published weights of the Index of Multiple Deprivation 2019.
    pub fn official() -> Weights {
        Weights(Domain::ALL.map(Domain::official_weight))
    }

    /// Reads `income=22.5,employment=22.5,...`. Domains left out weigh
    /// nothing; the weights given must be numbers of 0 or more that add up
    /// to 100 (give or take 0.1, as the published ones do).
    pub fn parse(text: &str) -> Result<Weights, String> {
        let mut w = [0.0; 7];
        let mut seen = [false; 7];
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((name, value)) = part.split_once('=') else {
                return Err(format!("`{part}` is not DOMAIN=WEIGHT; write weights like income=22.5,employment=22.5"));
            };
            let d = Domain::parse(name)?;
            let v: f64 = value.trim().parse().map_err(|_| format!("the weight of {} is `{}`, not a number", d.code(), value.trim()))?;
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("the weight of {} must be 0 or more, not {v}", d.code()));
            }
            if std::mem::replace(&mut seen[d.index()], true) {
                return Err(format!("{} is weighted twice", d.code()));
            }
            w[d.index()] = v;
        }
        // The published weights themselves add up to 99.9 (three of 9.3).
        let total: f64 = w.iter().sum();
        if (total - 100.0).abs() > 0.1 + 1e-9 {
            return Err(format!("the weights add up to {}, not 100; the published weights are {}", round2(total), Weights::official()));
        }
        Ok(Weights(w))
    }

    /// The weight of one domain, in per cent.
    pub fn of(&self, d: Domain) -> f64 {
        self.0[d.index()]
    }
}

impl fmt::Display for Weights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Domain::ALL.iter().map(|d| format!("{}={}", d.code(), self.of(*d))).collect();
        f.write_str(&parts.join(","))
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The number of LSOAs in England in the 2019 indices: the N of the method.
pub const ENGLAND_LSOAS_2019: u32 = 32_844;

/// The exponential transformation of a rank: about 100 for the most
/// deprived of `n`, about 0 for the least.
pub fn exponential(rank: u32, n: u32) -> f64 {
    let r = f64::from(n - rank + 1) / f64::from(n);
    -23.0 * (1.0 - r * exp_k()).ln()
}

/// 1 − e^(−100/23), the constant of the transformation, worked out once.
fn exp_k() -> f64 {
    static K: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *K.get_or_init(|| 1.0 - (-100.0f64 / 23.0).exp())
}

/// One small area's domain ranks (1 = most deprived in England).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainRanks {
    pub code: String,
    pub name: String,
    /// In the order of [`Domain::ALL`].
    pub ranks: [u32; 7],
}

/// An area's score under a weighting, and its place among the areas scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub code: String,
    pub name: String,
    pub score: f64,
    /// 1 = the highest score: the most deprived.
    pub rank: u32,
    /// 1 = the most deprived tenth.
    pub decile: u32,
    /// What each domain adds to the score: weight × exponential score / 100.
    pub contributions: [f64; 7],
}

/// Why a set of domain ranks cannot be scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NeedsError {
    #[error("{code}: the {domain} rank {rank} is outside 1 to {n}")]
    RankOutOfRange { code: String, domain: &'static str, rank: u32, n: u32 },
    #[error("there are no areas to score")]
    Empty,
}

/// The decile of a rank among `n`: 1 for the most deprived tenth.
pub fn decile(rank: u32, n: u32) -> u32 {
    ((u64::from(rank) * 10).div_ceil(u64::from(n))).clamp(1, 10) as u32
}

/// Scores and ranks small areas by the published method with `weights`.
/// `n` is the number of areas the domain ranks were ranked among (32,844
/// for England in 2019); the rank and decile returned are among the areas
/// given, which for the national file are the national ones.
pub fn score(areas: &[DomainRanks], weights: &Weights, n: u32) -> Result<Vec<Scored>, NeedsError> {
    score_owned(areas.to_vec(), weights, n)
}

/// [`score`], taking the areas (and their names) rather than copying them.
pub fn score_owned(areas: Vec<DomainRanks>, weights: &Weights, n: u32) -> Result<Vec<Scored>, NeedsError> {
    if areas.is_empty() {
        return Err(NeedsError::Empty);
    }
    // Every rank's exponential score, worked out once: n logarithms rather
    // than seven for each area (the same numbers either way).
    let table: Vec<f64> = (1..=n).map(|r| exponential(r, n)).collect();
    let w: [f64; 7] = Domain::ALL.map(|d| weights.of(d) / 100.0);
    let mut out = Vec::with_capacity(areas.len());
    for a in areas {
        let mut contributions = [0.0; 7];
        for (i, d) in Domain::ALL.iter().enumerate() {
            let rank = a.ranks[i];
            if rank == 0 || rank > n {
                return Err(NeedsError::RankOutOfRange { code: a.code.clone(), domain: d.label(), rank, n });
            }
            contributions[i] = w[i] * table[(rank - 1) as usize];
        }
        out.push(Scored { score: contributions.iter().sum(), code: a.code, name: a.name, rank: 0, decile: 0, contributions });
    }
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&i, &j| out[j].score.total_cmp(&out[i].score).then_with(|| out[i].code.cmp(&out[j].code)));
    let count = out.len() as u32;
    for (place, i) in order.into_iter().enumerate() {
        out[i].rank = place as u32 + 1;
        out[i].decile = decile(place as u32 + 1, count);
    }
    Ok(out)
}

/// A larger area's summary of its small areas, as the published local
/// authority summaries make them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub code: String,
    pub name: String,
    /// How many small areas it has.
    pub lsoas: usize,
    pub population: f64,
    /// Population-weighted average of the small areas' scores.
    pub average_score: f64,
    /// Population-weighted average of the small areas' national ranks.
    pub average_rank: f64,
    /// The share of the population in the most deprived 30% of small areas
    /// nationally, the most deprived 10% counting in full and the next 20%
    /// on a sliding scale.
    pub extent: f64,
    /// Population-weighted average rank of the area's most deprived small
    /// areas holding 10% of its population.
    pub local_concentration: f64,
    /// Share of its small areas in the most deprived 10% and 20% nationally.
    pub share_most_deprived_10: f64,
    pub share_most_deprived_20: f64,
    /// Population-weighted average contribution of each domain.
    pub contributions: [f64; 7],
    /// 1 = the highest average score among the areas summarised.
    pub rank: u32,
}

/// Summarises small areas into larger ones. `of` maps a small area's code to
/// the larger area's code and name; `population` gives each small area's
/// people (an area without a population counts as one person, so every
/// small area still counts); `national` holds the national ranks of the
/// scores (as from [`score`] over all of England) and `n` their count.
pub fn summarise(scored: &[Scored], of: &HashMap<String, (String, String)>, population: &HashMap<String, f64>, n: u32) -> Vec<Summary> {
    let mut groups: Vec<(String, String, Vec<&Scored>)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for s in scored {
        let Some((code, name)) = of.get(&s.code) else { continue };
        let i = *at.entry(code.as_str()).or_insert_with(|| {
            groups.push((code.clone(), name.clone(), Vec::new()));
            groups.len() - 1
        });
        groups[i].2.push(s);
    }
    let pop = |s: &Scored| population.get(&s.code).copied().filter(|p| *p > 0.0).unwrap_or(1.0);
    let mut out: Vec<Summary> = groups
        .into_iter()
        .map(|(code, name, members)| {
            let total: f64 = members.iter().map(|s| pop(s)).sum();
            let wavg = |f: &dyn Fn(&Scored) -> f64| members.iter().map(|s| f(s) * pop(s)).sum::<f64>() / total;
            let percentile = |s: &Scored| f64::from(s.rank) / f64::from(n) * 100.0;
            let extent = wavg(&|s| {
                let p = percentile(s);
                if p <= 10.0 {
                    1.0
                } else if p <= 30.0 {
                    (30.0 - p) / 20.0
                } else {
                    0.0
                }
            });
            // The most deprived small areas holding a tenth of the people.
            let mut worst: Vec<&Scored> = members.clone();
            worst.sort_by_key(|s| s.rank);
            let (mut need, mut weighted, mut held) = (total * 0.1, 0.0, 0.0);
            for s in worst {
                let take = pop(s).min(need);
                weighted += f64::from(s.rank) * take;
                held += take;
                need -= take;
                if need <= 0.0 {
                    break;
                }
            }
            let share = |pct: f64| members.iter().filter(|s| percentile(s) <= pct).count() as f64 / members.len() as f64;
            let mut contributions = [0.0; 7];
            for (i, c) in contributions.iter_mut().enumerate() {
                *c = wavg(&|s| s.contributions[i]);
            }
            Summary {
                code,
                name,
                lsoas: members.len(),
                population: total,
                average_score: wavg(&|s| s.score),
                average_rank: wavg(&|s| f64::from(s.rank)),
                extent,
                local_concentration: if held > 0.0 { weighted / held } else { 0.0 },
                share_most_deprived_10: share(10.0),
                share_most_deprived_20: share(20.0),
                contributions,
                rank: 0,
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&i, &j| out[j].average_score.total_cmp(&out[i].average_score).then_with(|| out[i].code.cmp(&out[j].code)));
    for (place, i) in order.into_iter().enumerate() {
        out[i].rank = place as u32 + 1;
    }
    out
}

/// A domain that drives an area's need: its contribution to the area's
/// score against the same domain's for a comparator (the county, England).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    pub domain: Domain,
    /// Points of the score this domain gives the area.
    pub points: f64,
    /// Points it gives the comparators, in the order they were given.
    pub against: Vec<f64>,
}

/// An area chosen as in most need, with the domains that drive it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selected {
    pub code: String,
    pub name: String,
    pub score: f64,
    pub rank: u32,
    /// The domains adding most above the first comparator, largest first
    /// (at most three).
    pub drivers: Vec<Driver>,
}

impl Selected {
    /// The reason in words, such as "Income +8.1 points above Buckinghamshire (+4.0 above England)".
    pub fn reason(&self, comparators: &[&str]) -> String {
        self.drivers
            .iter()
            .map(|d| {
                let gaps: Vec<String> = d.against.iter().zip(comparators).map(|(c, name)| format!("{:+.1} against {name}", d.points - c)).collect();
                format!("{} ({:.1} points; {})", d.domain.label(), d.points, gaps.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The `top` areas with the highest scores, each with the domains that drive
/// it above the comparators' average contributions (`comparators[0]` ranks
/// the drivers: the county, say; then England).
pub fn select(areas: &[(String, String, f64, [f64; 7])], top: usize, comparators: &[[f64; 7]]) -> Vec<Selected> {
    let mut order: Vec<usize> = (0..areas.len()).collect();
    order.sort_by(|&i, &j| areas[j].2.total_cmp(&areas[i].2).then_with(|| areas[i].0.cmp(&areas[j].0)));
    order
        .into_iter()
        .take(top)
        .enumerate()
        .map(|(place, i)| {
            let (code, name, score, contributions) = &areas[i];
            let mut drivers: Vec<Driver> = Domain::ALL
                .iter()
                .map(|d| Driver { domain: *d, points: contributions[d.index()], against: comparators.iter().map(|c| c[d.index()]).collect() })
                .collect();
            let gap = |d: &Driver| d.points - d.against.first().copied().unwrap_or(0.0);
            drivers.sort_by(|a, b| gap(b).total_cmp(&gap(a)));
            drivers.retain(|d| gap(d) > 0.0);
            drivers.truncate(3);
            Selected { code: code.clone(), name: name.clone(), score: *score, rank: place as u32 + 1, drivers }
        })
        .collect()
}

/// The average contribution of each domain over a set of scored areas,
/// population-weighted: a comparator for [`select`].
pub fn average_contributions<'a>(scored: impl IntoIterator<Item = &'a Scored>, population: &HashMap<String, f64>) -> [f64; 7] {
    let mut sum = [0.0; 7];
    let mut total = 0.0;
    for s in scored {
        let p = population.get(&s.code).copied().filter(|p| *p > 0.0).unwrap_or(1.0);
        total += p;
        for (i, c) in s.contributions.iter().enumerate() {
            sum[i] += c * p;
        }
    }
    if total > 0.0 {
        sum.iter_mut().for_each(|c| *c /= total);
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_transformation_runs_from_about_0_to_100() {
        let n = ENGLAND_LSOAS_2019;
        assert!((exponential(1, n) - 100.0).abs() < 1e-9);
        assert!(exponential(n, n) < 0.01);
        assert!(exponential(n / 2, n) < 20.0, "half way is far from half the score: the scale stretches the most deprived");
    }

    #[test]
    fn weights_must_name_domains_and_add_up_to_100() {
        assert_eq!(Weights::parse(&Weights::official().to_string()).unwrap(), Weights::official());
        assert!(Weights::parse("income=50,employment=50").is_ok());
        assert!(Weights::parse("income=50,employment=40").unwrap_err().contains("add up to 90, not 100"));
        assert!(Weights::parse("income=50,wealth=50").unwrap_err().contains("`wealth` is not a domain"));
        assert!(Weights::parse("income=fifty").unwrap_err().contains("not a number"));
        assert!(Weights::parse("income=-10,employment=110").unwrap_err().contains("0 or more"));
        assert!(Weights::parse("income=50,income=50").unwrap_err().contains("weighted twice"));
        assert!(Weights::parse("Living Environment=100").is_ok(), "names as published work too");
    }

    #[test]
    fn ranks_outside_the_count_are_refused() {
        let a = DomainRanks { code: "E01000001".into(), name: "A".into(), ranks: [1, 2, 3, 4, 5, 6, 40_000] };
        assert!(matches!(score(&[a], &Weights::official(), ENGLAND_LSOAS_2019), Err(NeedsError::RankOutOfRange { rank: 40_000, .. })));
        assert_eq!(score(&[], &Weights::official(), 10), Err(NeedsError::Empty));
    }

    #[test]
    fn a_summary_weights_by_population_and_counts_the_most_deprived() {
        let mk = |code: &str, rank: u32, score: f64| Scored {
            code: code.into(),
            name: code.into(),
            score,
            rank,
            decile: decile(rank, 100),
            contributions: [score / 7.0; 7],
        };
        let scored = [mk("a", 5, 60.0), mk("b", 15, 40.0), mk("c", 90, 5.0)];
        let of: HashMap<String, (String, String)> = ["a", "b", "c"].iter().map(|c| (c.to_string(), ("W".into(), "Ward".into()))).collect();
        let pop: HashMap<String, f64> = [("a".into(), 100.0), ("b".into(), 100.0), ("c".into(), 800.0)].into_iter().collect();
        let s = &summarise(&scored, &of, &pop, 100)[0];
        assert_eq!((s.lsoas, s.population), (3, 1000.0));
        assert!((s.share_most_deprived_10 - 1.0 / 3.0).abs() < 1e-9, "a is in the most deprived tenth");
        assert!((s.share_most_deprived_20 - 2.0 / 3.0).abs() < 1e-9, "a and b in the most deprived fifth");
        assert!((s.extent - 0.175).abs() < 1e-9, "a's people in full, b's at 0.75: {}", s.extent);
        assert!((s.local_concentration - 5.0).abs() < 1e-9, "a alone holds a tenth of the people");
        assert!((s.average_score - (60.0 * 100.0 + 40.0 * 100.0 + 5.0 * 800.0) / 1000.0).abs() < 1e-9);
        assert!((s.average_rank - (5.0 * 100.0 + 15.0 * 100.0 + 90.0 * 800.0) / 1000.0).abs() < 1e-9);
    }

    #[test]
    fn the_areas_in_most_need_come_with_what_drives_them() {
        let areas = vec![
            ("a".to_owned(), "A".to_owned(), 40.0, [20.0, 10.0, 5.0, 2.0, 1.0, 1.0, 1.0]),
            ("b".to_owned(), "B".to_owned(), 10.0, [2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0]),
            ("c".to_owned(), "C".to_owned(), 30.0, [2.0, 2.0, 2.0, 2.0, 20.0, 1.0, 1.0]),
        ];
        let county = [5.0, 4.0, 3.0, 2.0, 3.0, 1.0, 1.0];
        let chosen = select(&areas, 2, &[county]);
        assert_eq!(chosen.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(chosen[0].drivers.iter().map(|d| d.domain).collect::<Vec<_>>(), [Domain::Income, Domain::Employment, Domain::Education]);
        assert_eq!(chosen[1].drivers[0].domain, Domain::Crime);
        assert!(
            chosen[1].reason(&["Buckinghamshire"]).starts_with("Crime (20.0 points; +17.0 against Buckinghamshire)"),
            "{}",
            chosen[1].reason(&["Buckinghamshire"])
        );
    }

    proptest! {
        /// Ranks are a permutation of 1..=n ordered by score, and a more
        /// deprived rank in every domain never gives a lower score.
        #[test]
        fn ranks_order_scores(ranks in proptest::collection::vec(proptest::array::uniform7(1u32..=1000), 1..60)) {
            let areas: Vec<DomainRanks> = ranks.iter().enumerate().map(|(i, r)| DomainRanks { code: format!("a{i:03}"), name: String::new(), ranks: *r }).collect();
            let scored = score(&areas, &Weights::official(), 1000).unwrap();
            let mut seen: Vec<u32> = scored.iter().map(|s| s.rank).collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (1..=areas.len() as u32).collect::<Vec<_>>());
            for a in &scored {
                for b in &scored {
                    if a.rank < b.rank {
                        prop_assert!(a.score >= b.score);
                    }
                }
            }
            for (a, ra) in scored.iter().zip(&areas) {
                for (b, rb) in scored.iter().zip(&areas) {
                    if (0..7).all(|d| ra.ranks[d] <= rb.ranks[d]) {
                        prop_assert!(a.score >= b.score - 1e-9);
                    }
                }
            }
        }
    }
}

// ---- the needs assessment of a council's register ------------------------------------

use crate::council::Register;
use crate::places::model::AreaKind;

/// The indicator holding a domain's 2019 rank of each LSOA.
pub fn rank_indicator(d: Domain) -> String {
    format!("{}-2019-rank", d.code())
}

/// The indicator holding England's average score in a domain.
pub fn score_indicator(d: Domain) -> String {
    format!("{}-2019-score", d.code())
}

/// The indicators the assessment reads besides the domain ranks.
pub const IMD_RANK: &str = "imd-2019-rank";
pub const IMD_SCORE: &str = "imd-2019-score";
pub const POPULATION: &str = "population-2015";
/// England's GSS code, where the national comparators are held.
pub const ENGLAND: &str = "E92000001";

/// A council's needs assessment, by the published method and weights, from
/// the indicators in its register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Each LSOA, scored; `rank` is its published national IMD rank where
    /// the register holds it, so summaries count the national extremes.
    pub lsoas: Vec<Scored>,
    /// Each ward with LSOAs placed in it, summarised and ranked.
    pub wards: Vec<Summary>,
    /// All the council's LSOAs together.
    pub council: Summary,
    /// England's average contribution of each domain, where the register holds it.
    pub england: Option<[f64; 7]>,
    /// England's average IMD score, where the register holds it.
    pub england_score: Option<f64>,
    pub population: HashMap<String, f64>,
}

impl Assessment {
    /// One ward's summary.
    pub fn ward(&self, code: &str) -> Option<&Summary> {
        self.wards.iter().find(|w| w.code == code)
    }

    /// One LSOA's score.
    pub fn lsoa(&self, code: &str) -> Option<&Scored> {
        self.lsoas.iter().find(|s| s.code == code)
    }

    /// The `top` wards in most need, with what drives each against the
    /// council and England.
    pub fn most_deprived_wards(&self, top: usize) -> Vec<Selected> {
        let candidates: Vec<(String, String, f64, [f64; 7])> =
            self.wards.iter().map(|w| (w.code.clone(), w.name.clone(), w.average_score, w.contributions)).collect();
        let mut comparators = vec![self.council.contributions];
        comparators.extend(self.england);
        select(&candidates, top, &comparators)
    }
}

/// Assesses the LSOAs in a register that have all seven 2019 domain ranks.
/// `None` when there are none.
pub fn assess(reg: &Register) -> Option<Assessment> {
    let mut by_area: HashMap<&str, HashMap<&str, f64>> = HashMap::new();
    for v in &reg.values {
        if let Some(x) = v.value {
            by_area.entry(v.area.as_str()).or_default().insert(v.indicator.as_str(), x);
        }
    }
    let rank_slugs: Vec<String> = Domain::ALL.iter().map(|d| rank_indicator(*d)).collect();
    let areas: Vec<DomainRanks> = reg
        .areas
        .iter()
        .filter(|a| a.kind == AreaKind::Lsoa)
        .filter_map(|a| {
            let vals = by_area.get(a.code.as_str())?;
            let mut ranks = [0u32; 7];
            for (i, s) in rank_slugs.iter().enumerate() {
                ranks[i] = *vals.get(s.as_str())? as u32;
            }
            Some(DomainRanks { code: a.code.clone(), name: a.name.clone(), ranks })
        })
        .collect();
    let mut lsoas = score(&areas, &Weights::official(), ENGLAND_LSOAS_2019).ok()?;
    for s in &mut lsoas {
        if let Some(r) = by_area.get(s.code.as_str()).and_then(|v| v.get(IMD_RANK)) {
            s.rank = *r as u32;
            s.decile = decile(s.rank, ENGLAND_LSOAS_2019);
        }
    }
    let population: HashMap<String, f64> = by_area.iter().filter_map(|(a, v)| Some(((*a).to_owned(), *v.get(POPULATION)?))).collect();
    let wards_of: HashMap<String, (String, String)> = reg
        .areas
        .iter()
        .filter(|a| a.kind == AreaKind::Lsoa)
        .filter_map(|a| {
            let p = reg.areas.iter().find(|x| Some(&x.code) == a.parent.as_ref() && x.kind == AreaKind::Ward)?;
            Some((a.code.clone(), (p.code.clone(), p.name.clone())))
        })
        .collect();
    let wards = summarise(&lsoas, &wards_of, &population, ENGLAND_LSOAS_2019);
    let council_area = reg.council.area.clone().unwrap_or_else(|| reg.council.slug.to_string());
    let all: HashMap<String, (String, String)> = lsoas.iter().map(|s| (s.code.clone(), (council_area.clone(), reg.council.name.clone()))).collect();
    let council = summarise(&lsoas, &all, &population, ENGLAND_LSOAS_2019).pop()?;
    let england_vals = by_area.get(ENGLAND);
    let england = england_vals.and_then(|v| {
        let mut c = [0.0; 7];
        for d in Domain::ALL {
            c[d.index()] = d.official_weight() / 100.0 * v.get(score_indicator(d).as_str())?;
        }
        Some(c)
    });
    let england_score = england_vals.and_then(|v| v.get(IMD_SCORE).copied());
    Some(Assessment { lsoas, wards, council, england, england_score, population })
}

/// How a list of areas chosen by the engine agrees with a list chosen by
/// people (such as the Opportunity Bucks wards, drawn on older boundaries):
/// each chosen area with the named area it corresponds to by name, if any.
/// Names agree when they are the same, or share a place name; compass words
/// and the names of whole towns split into several wards do not count.
pub fn agreement<'a>(chosen: &[(String, String)], named: &'a [(String, String)], town_words: &[&str]) -> Vec<Option<&'a (String, String)>> {
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .filter(|w| !["and", "the", "north", "south", "east", "west", "central", "upper", "lower"].contains(w) && !town_words.contains(w))
            .map(str::to_owned)
            .collect()
    };
    let same = |a: &str, b: &str| a.to_lowercase().replace(" & ", " and ") == b.to_lowercase().replace(" & ", " and ");
    chosen
        .iter()
        .map(|(_, name)| {
            named.iter().find(|(_, n)| same(n, name)).or_else(|| {
                let mine = words(name);
                named.iter().find(|(_, n)| words(n).iter().any(|w| mine.contains(w)))
            })
        })
        .collect()
}

// ---- a composite of any indicators ----------------------------------------------------

/// One indicator in a composite: how much it counts and which way is worse.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub indicator: String,
    /// In per cent of the whole; the components' weights add up to 100.
    pub weight: f64,
    /// True when a higher value means less need (attainment, say).
    pub higher_is_better: bool,
}

/// An area's composite score: the weighted average of its standardised
/// values (z-scores, turned so that higher always means more need).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompositeScore {
    pub code: String,
    pub score: f64,
    pub rank: u32,
    /// Components the area has no value for, scored from the rest.
    pub missing: Vec<String>,
}

/// A composite and what it could not use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Composite {
    pub scores: Vec<CompositeScore>,
    /// Areas left out: they lack values for half the weight or more.
    pub left_out: Vec<(String, Vec<String>)>,
}

/// Combines indicators into one score per area. `values[i]` holds each
/// area's value of `components[i]` (absent when missing). Each indicator is
/// standardised over the areas that have it; an area missing some
/// components is scored from the others (their weights scaled up) and the
/// gap reported; an area missing half the weight or more is left out.
pub fn composite(components: &[Component], values: &[HashMap<String, f64>]) -> Result<Composite, String> {
    if components.is_empty() || components.len() != values.len() {
        return Err("give at least one indicator, each with its values".into());
    }
    let total: f64 = components.iter().map(|c| c.weight).sum();
    if components.iter().any(|c| !(c.weight.is_finite() && c.weight >= 0.0)) || (total - 100.0).abs() > 0.1 + 1e-9 {
        return Err(format!("the weights add up to {}, not 100", round2(total)));
    }
    let stats: Vec<Option<(f64, f64)>> = values
        .iter()
        .map(|v| {
            let n = v.len() as f64;
            if n < 2.0 {
                return None;
            }
            let mean = v.values().sum::<f64>() / n;
            let sd = (v.values().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            (sd > 0.0).then_some((mean, sd))
        })
        .collect();
    for (c, s) in components.iter().zip(&stats) {
        if s.is_none() {
            return Err(format!("`{}` cannot be standardised: it needs values for two or more areas that are not all the same", c.indicator));
        }
    }
    let mut areas: Vec<&String> = values.iter().flat_map(|v| v.keys()).collect();
    areas.sort();
    areas.dedup();
    let mut scores = Vec::new();
    let mut left_out = Vec::new();
    for area in areas {
        let (mut sum, mut weight, mut missing) = (0.0, 0.0, Vec::new());
        for ((c, v), s) in components.iter().zip(values).zip(&stats) {
            let (mean, sd) = s.expect("checked above");
            match v.get(area) {
                Some(x) => {
                    let z = (x - mean) / sd;
                    sum += c.weight * if c.higher_is_better { -z } else { z };
                    weight += c.weight;
                }
                None => missing.push(c.indicator.clone()),
            }
        }
        if weight * 2.0 <= total {
            left_out.push((area.clone(), missing));
        } else {
            scores.push(CompositeScore { code: area.clone(), score: sum / weight, rank: 0, missing });
        }
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&i, &j| scores[j].score.total_cmp(&scores[i].score).then_with(|| scores[i].code.cmp(&scores[j].code)));
    for (place, i) in order.into_iter().enumerate() {
        scores[i].rank = place as u32 + 1;
    }
    Ok(Composite { scores, left_out })
}

#[cfg(test)]
mod composite_tests {
    use super::*;

    fn vals(pairs: &[(&str, f64)]) -> HashMap<String, f64> {
        pairs.iter().map(|(a, v)| ((*a).to_owned(), *v)).collect()
    }

    #[test]
    fn polarity_turns_a_good_measure_round_and_missing_values_are_reported() {
        let unemployment = vals(&[("a", 10.0), ("b", 5.0), ("c", 1.0), ("d", 4.0)]);
        let attainment = vals(&[("a", 40.0), ("b", 60.0), ("c", 80.0)]);
        let comps = [
            Component { indicator: "unemployment".into(), weight: 50.0, higher_is_better: false },
            Component { indicator: "attainment".into(), weight: 50.0, higher_is_better: true },
        ];
        let c = composite(&comps, &[unemployment.clone(), attainment]).unwrap();
        let by = |code: &str| c.scores.iter().find(|s| s.code == code);
        assert_eq!(by("a").unwrap().rank, 1, "most unemployment and least attainment: most need");
        assert_eq!(by("c").unwrap().rank, 3);
        assert_eq!(c.left_out, vec![("d".to_owned(), vec!["attainment".to_owned()])], "half the weight missing: left out, and said");
        // With unemployment weighing more, d is scored from what it has and the gap reported.
        let comps2 = [Component { weight: 60.0, ..comps[0].clone() }, Component { weight: 40.0, ..comps[1].clone() }];
        let c2 = composite(&comps2, &[unemployment, vals(&[("a", 40.0), ("b", 60.0), ("c", 80.0)])]).unwrap();
        assert_eq!(c2.scores.iter().find(|s| s.code == "d").unwrap().missing, ["attainment"]);
        assert!(composite(&[Component { weight: 90.0, ..comps[0].clone() }], &[vals(&[("a", 1.0), ("b", 2.0)])]).unwrap_err().contains("add up to 90"));
        assert!(composite(&[Component { weight: 100.0, ..comps[0].clone() }], &[vals(&[("a", 1.0), ("b", 1.0)])])
            .unwrap_err()
            .contains("cannot be standardised"));
    }
}

/// How one of the council's own areas is profiled from the areas it is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct SetProfile {
    /// Its LSOAs summarised together, as a ward's are.
    pub summary: Summary,
    /// The LSOAs it is taken to hold.
    pub lsoas: Vec<String>,
    /// Members with no figures of their own (wards since redrawn), each with
    /// the wards of today taken to follow them by name.
    pub followed: Vec<(String, Vec<String>)>,
}

/// Profiles a local community area or named set from its members: the LSOAs
/// of each ward (placed by best fit), each LSOA named, and for a ward since
/// redrawn the wards that follow it by name. `None` when none has figures.
pub fn profile_of_set(reg: &Register, a: &Assessment, area: &crate::places::model::Area) -> Option<SetProfile> {
    let lsoas_of = |ward: &str| -> Vec<String> {
        reg.areas.iter().filter(|x| x.kind == AreaKind::Lsoa && x.parent.as_deref() == Some(ward)).map(|x| x.code.clone()).collect()
    };
    let mut held: Vec<String> = Vec::new();
    let mut followed = Vec::new();
    for m in &area.members {
        let Some(member) = reg.areas.iter().find(|x| &x.code == m) else { continue };
        if a.lsoa(m).is_some() {
            held.push(m.clone());
        } else if a.ward(m).is_some() {
            held.extend(lsoas_of(m));
        } else if member.kind == AreaKind::Ward {
            let next: Vec<&crate::places::model::Area> =
                crate::places::generations::successors(&reg.areas, member).into_iter().filter(|n| a.ward(&n.code).is_some()).collect();
            for n in &next {
                held.extend(lsoas_of(&n.code));
            }
            followed.push((member.code.clone(), next.iter().map(|n| n.code.clone()).collect()));
        }
    }
    held.sort();
    held.dedup();
    let of: HashMap<String, (String, String)> = held.iter().map(|l| (l.clone(), (area.code.clone(), area.name.clone()))).collect();
    let summary = summarise(&a.lsoas, &of, &a.population, ENGLAND_LSOAS_2019).pop()?;
    Some(SetProfile { summary, lsoas: held, followed })
}
