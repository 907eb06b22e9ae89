//! `placeworks needs`: the needs assessment from a file of domain ranks,
//! for small areas or the larger areas they make up, with the areas in most
//! need and what drives them.

use anyhow::{bail, Context, Result};
use placeworks_domain::dataset::Problem;
use placeworks_domain::indicators::{read_domain_ranks, read_lookup, read_population};
use placeworks_domain::needs::{self, average_contributions, decile, Domain, Weights, ENGLAND_LSOAS_2019};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The level the results are given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    /// Each small area (LSOA).
    Lsoa,
    /// Each ward, from its LSOAs (needs --lookup).
    Ward,
}

pub struct Options {
    pub domain_ranks: PathBuf,
    pub weights: Option<String>,
    pub level: Level,
    pub lookup: Option<PathBuf>,
    pub population: Option<PathBuf>,
    pub national_count: Option<u32>,
    pub top: Option<usize>,
    pub output: Option<PathBuf>,
}

/// Reads a file as text, gunzipping it when its name ends in `.gz`.
pub fn read_text(path: &Path) -> Result<String> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(file).read_to_string(&mut text).with_context(|| format!("{} is not a readable gzip file of UTF-8 text", path.display()))?;
    } else {
        std::io::BufReader::new(file).read_to_string(&mut text).with_context(|| format!("{} is not UTF-8 text; save it as CSV UTF-8", path.display()))?;
    }
    Ok(text)
}

fn refuse(problems: &[Problem]) -> anyhow::Error {
    let mut text = format!("the file has {} problem{}:\n", problems.len(), if problems.len() == 1 { "" } else { "s" });
    for p in problems.iter().take(50) {
        text.push_str(&format!("  {p}\n"));
    }
    if problems.len() > 50 {
        text.push_str(&format!("  ... and {} more\n", problems.len() - 50));
    }
    text.push_str("Nothing was written.");
    anyhow::anyhow!(text)
}

fn step(what: &str, started: Instant) {
    eprintln!("  {what} ({} ms)", started.elapsed().as_millis());
}

fn csv_row(w: &mut csv::Writer<Box<dyn Write>>, row: &[String]) -> Result<()> {
    w.write_record(row).context("writing the results")
}

pub fn run(o: Options) -> Result<ExitCode> {
    let started = Instant::now();
    let weights = match &o.weights {
        Some(w) => Weights::parse(w).map_err(|e| anyhow::anyhow!("--weights: {e}"))?,
        None => Weights::official(),
    };
    let name = o.domain_ranks.display().to_string();
    eprintln!("Reading domain ranks from {name}");
    let text = read_text(&o.domain_ranks)?;
    let areas = read_domain_ranks(&name, &text).map_err(|p| refuse(&p))?;
    step(&format!("{} areas read", areas.len()), started);
    let max_rank = areas.iter().flat_map(|a| a.ranks).max().unwrap_or(0);
    let national = o.national_count.unwrap_or(if max_rank as usize == areas.len() { areas.len() as u32 } else { ENGLAND_LSOAS_2019 });
    if max_rank > national {
        bail!("a rank of {max_rank} is above the number of areas ranked ({national}); give that number with --national-count");
    }
    let complete = areas.len() as u32 == national;
    if !complete {
        eprintln!("  {} of {national} areas given: ranks, deciles and the shares in the most deprived 10% and 20% are among the areas given, not national", areas.len());
    }
    let scored = needs::score(&areas, &weights, national)?;
    step(&format!("scored with {weights}"), started);

    let population = match &o.population {
        Some(p) => read_population(&p.display().to_string(), &read_text(p)?).map_err(|p| refuse(&p))?,
        None => HashMap::new(),
    };
    let lookup = match &o.lookup {
        Some(p) => Some(read_lookup(&p.display().to_string(), &read_text(p)?).map_err(|p| refuse(&p))?),
        None => None,
    };
    if o.level == Level::Ward && lookup.is_none() {
        bail!("--level ward needs --lookup FILE: each LSOA's ward, with columns LSOA11CD, WD25CD and WD25NM (such as shared/data/buckinghamshire/lsoa-2011-to-ward-2025.csv)");
    }
    if let Some(l) = &lookup {
        let unknown = l.keys().filter(|k| !scored.iter().any(|s| &s.code == *k)).count();
        if unknown > 0 {
            eprintln!("  {unknown} LSOAs in the lookup have no domain ranks and are left out");
        }
    }
    // The comparators: the areas of the lookup (the county, say), then all areas given (England, from the national file).
    let in_lookup: Vec<&needs::Scored> = match &lookup {
        Some(l) => scored.iter().filter(|s| l.contains_key(&s.code)).collect(),
        None => scored.iter().collect(),
    };
    let local = average_contributions(in_lookup.iter().copied(), &population);
    let all = average_contributions(&scored, &population);
    let comparators: Vec<[f64; 7]> = if complete && lookup.is_some() { vec![local, all] } else { vec![local] };
    let comparator_names: Vec<&str> = if comparators.len() == 2 { vec!["the areas in the lookup", "England"] } else if complete { vec!["England"] } else { vec!["the areas given"] };

    let out: Box<dyn Write> = match &o.output {
        Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?)),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = csv::Writer::from_writer(out);
    let fmt = |x: f64| format!("{x:.3}");
    let mut written = 0;
    match (o.level, o.top) {
        (Level::Lsoa, None) => {
            csv_row(&mut w, &["area_code", "area_name", "score", "rank", "decile"].map(String::from))?;
            let mut rows: Vec<&needs::Scored> = match &lookup {
                Some(_) => in_lookup.clone(),
                None => scored.iter().collect(),
            };
            rows.sort_by_key(|s| s.rank);
            for s in rows {
                csv_row(&mut w, &[s.code.clone(), s.name.clone(), fmt(s.score), s.rank.to_string(), s.decile.to_string()])?;
                written += 1;
            }
        }
        (Level::Ward, None) => {
            let wards = needs::summarise(&scored, lookup.as_ref().expect("checked"), &population, national);
            let count = wards.len() as u32;
            csv_row(
                &mut w,
                &["area_code", "area_name", "score", "rank", "decile", "average_rank", "extent", "local_concentration", "share_most_deprived_10", "share_most_deprived_20", "lsoas", "population"].map(String::from),
            )?;
            let mut wards: Vec<&needs::Summary> = wards.iter().collect();
            wards.sort_by_key(|s| s.rank);
            for s in wards {
                csv_row(
                    &mut w,
                    &[
                        s.code.clone(),
                        s.name.clone(),
                        fmt(s.average_score),
                        s.rank.to_string(),
                        decile(s.rank, count).to_string(),
                        fmt(s.average_rank),
                        fmt(s.extent),
                        fmt(s.local_concentration),
                        fmt(s.share_most_deprived_10),
                        fmt(s.share_most_deprived_20),
                        s.lsoas.to_string(),
                        format!("{}", s.population),
                    ],
                )?;
                written += 1;
            }
        }
        (level, Some(top)) => {
            let candidates: Vec<(String, String, f64, [f64; 7])> = match level {
                Level::Lsoa => in_lookup.iter().map(|s| (s.code.clone(), s.name.clone(), s.score, s.contributions)).collect(),
                Level::Ward => needs::summarise(&scored, lookup.as_ref().expect("checked"), &population, national)
                    .into_iter()
                    .map(|s| (s.code, s.name, s.average_score, s.contributions))
                    .collect(),
            };
            let chosen = needs::select(&candidates, top, &comparators);
            let mut header: Vec<String> = ["area_code", "area_name", "score", "rank", "main_drivers"].map(String::from).to_vec();
            header.extend(Domain::ALL.map(|d| format!("{}_points", d.code().replace('-', "_"))));
            csv_row(&mut w, &header)?;
            for s in &chosen {
                let c = candidates.iter().find(|c| c.0 == s.code).expect("chosen from the candidates");
                let mut row = vec![s.code.clone(), s.name.clone(), fmt(s.score), s.rank.to_string(), s.reason(&comparator_names)];
                row.extend(c.3.iter().map(|x| fmt(*x)));
                csv_row(&mut w, &row)?;
                written += 1;
            }
        }
    }
    w.flush().context("writing the results")?;
    drop(w);
    match &o.output {
        Some(p) => eprintln!("Wrote {written} rows to {} in {} ms.", p.display(), started.elapsed().as_millis()),
        None => eprintln!("Wrote {written} rows in {} ms.", started.elapsed().as_millis()),
    }
    Ok(ExitCode::SUCCESS)
}
