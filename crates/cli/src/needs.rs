//! `placeworks needs`: the needs assessment from a file of domain ranks,
//! for small areas or the larger areas they make up, with the areas in most
//! need and what drives them.

use anyhow::{bail, Context, Result};
use placeworks_domain::dataset::Problem;
use placeworks_domain::places::import::{read_domain_ranks_from, read_lookup, read_population};
use placeworks_domain::places::needs::{self, average_contributions, decile, Domain, Weights, ENGLAND_LSOAS_2019};
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

/// Writes a score (0 to 100) to three places, as `{:.3}` would, without
/// the general float formatter: the national file has 32,844 of them.
fn fixed3(out: &mut String, x: f64) {
    use std::fmt::Write as _;
    let scaled = x * 1000.0;
    let thousandths = scaled.round();
    // Near a half, multiplying may round where the exact decimal would not:
    // leave those (rare) to the formatter, which works from the exact value.
    if !(0.0..1e15).contains(&thousandths) || ((scaled - scaled.floor()) - 0.5).abs() < 1e-6 {
        let _ = write!(out, "{x:.3}");
        return;
    }
    let t = thousandths as u64;
    let _ = write!(out, "{}.{:03}", t / 1000, t % 1000);
}

/// Bytes arriving in chunks from another thread, read as one stream.
struct ChannelReader {
    rx: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.rx.recv() {
                Ok(chunk) => {
                    self.chunk = chunk?;
                    self.at = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Reads a file as text, gunzipping it when its name ends in `.gz`.
pub fn read_text(path: &Path) -> Result<String> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .with_context(|| format!("{} is not a readable gzip file of UTF-8 text", path.display()))?;
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
    let areas = {
        let file = std::fs::File::open(&o.domain_ranks).with_context(|| format!("cannot open {name}"))?;
        let expected = (file.metadata().map(|m| m.len()).unwrap_or(0) / 30) as usize;
        if o.domain_ranks.extension().is_some_and(|e| e == "gz") {
            // Decompress on one core while the other reads the rows.
            let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(16);
            std::thread::scope(|scope| {
                scope.spawn(move || {
                    let mut gz = flate2::read::GzDecoder::new(file);
                    loop {
                        let mut chunk = vec![0u8; 1 << 16];
                        match gz.read(&mut chunk) {
                            Ok(0) => break,
                            Ok(n) => {
                                chunk.truncate(n);
                                if tx.send(Ok(chunk)).is_err() {
                                    break;
                                }
                            }
                            Err(e) => {
                                let _ = tx.send(Err(e));
                                break;
                            }
                        }
                    }
                });
                read_domain_ranks_from(&name, ChannelReader { rx, chunk: Vec::new(), at: 0 }, expected)
            })
        } else {
            read_domain_ranks_from(&name, std::io::BufReader::with_capacity(1 << 16, file), expected / 4)
        }
        .map_err(|p| refuse(&p))?
    };
    step(&format!("{} areas read", areas.len()), started);
    let max_rank = areas.iter().flat_map(|a| a.ranks).max().unwrap_or(0);
    let national = o.national_count.unwrap_or(if max_rank as usize == areas.len() { areas.len() as u32 } else { ENGLAND_LSOAS_2019 });
    if max_rank > national {
        bail!("a rank of {max_rank} is above the number of areas ranked ({national}); give that number with --national-count");
    }
    let complete = areas.len() as u32 == national;
    if !complete {
        eprintln!(
            "  {} of {national} areas given: ranks, deciles and the shares in the most deprived 10% and 20% are among the areas given, not national",
            areas.len()
        );
    }
    let scored = needs::score_owned(areas, &weights, national)?;
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
    let comparator_names: Vec<&str> = if comparators.len() == 2 {
        vec!["the areas in the lookup", "England"]
    } else if complete {
        vec!["England"]
    } else {
        vec!["the areas given"]
    };

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
            // Ranks are 1 to n with none twice: place each by its rank rather than sort.
            let mut by_rank: Vec<Option<&needs::Scored>> = vec![None; rows.len()];
            let placed = rows.iter().all(|s| match by_rank.get_mut((s.rank as usize).wrapping_sub(1)) {
                Some(slot @ None) => {
                    *slot = Some(*s);
                    true
                }
                _ => false,
            });
            if placed {
                rows = by_rank.into_iter().flatten().collect();
            } else {
                rows.sort_by_key(|s| s.rank);
            }
            // The national file has 32,844 rows: write each without building strings for it.
            let mut line = String::with_capacity(64);
            for s in rows {
                line.clear();
                use std::fmt::Write as _;
                fixed3(&mut line, s.score);
                w.write_field(&s.code).context("writing the results")?;
                w.write_field(&s.name).context("writing the results")?;
                w.write_field(&line).context("writing the results")?;
                line.clear();
                let _ = write!(line, "{}", s.rank);
                w.write_field(&line).context("writing the results")?;
                line.clear();
                let _ = write!(line, "{}", s.decile);
                w.write_field(&line).context("writing the results")?;
                w.write_record(None::<&[u8]>).context("writing the results")?;
                written += 1;
            }
        }
        (Level::Ward, None) => {
            let wards = needs::summarise(&scored, lookup.as_ref().expect("checked"), &population, national);
            let count = wards.len() as u32;
            csv_row(
                &mut w,
                &[
                    "area_code",
                    "area_name",
                    "score",
                    "rank",
                    "decile",
                    "average_rank",
                    "extent",
                    "local_concentration",
                    "share_most_deprived_10",
                    "share_most_deprived_20",
                    "lsoas",
                    "population",
                ]
                .map(String::from),
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
    // The command ends here: the operating system takes the memory back
    // whole, faster than freeing 32,844 areas one by one.
    std::mem::forget(scored);
    Ok(ExitCode::SUCCESS)
}

/// `placeworks composite`: any indicators in the long format, standardised,
/// turned so that higher means more need, weighted and ranked.
pub fn composite(values: &Path, weights: &str, better_high: &[String], period: Option<&str>, output: Option<&Path>) -> Result<ExitCode> {
    let name = values.display().to_string();
    let text = read_text(values)?;
    let rows = placeworks_domain::places::import::read_long(&name, &text).map_err(|p| refuse(&p))?;
    let mut components = Vec::new();
    for part in weights.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((ind, w)) = part.split_once('=') else {
            bail!("--weights: `{part}` is not INDICATOR=WEIGHT; write weights like unemployment=50,attainment=50")
        };
        let weight: f64 = w.trim().parse().map_err(|_| anyhow::anyhow!("--weights: the weight of {ind} is `{w}`, not a number"))?;
        let ind = ind.trim().to_owned();
        if !rows.iter().any(|r| r.indicator == ind) {
            let known: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.indicator.as_str()).collect();
            bail!("--weights: {name} has no values of `{ind}`; it has {}", known.into_iter().collect::<Vec<_>>().join(", "));
        }
        components.push(needs::Component { higher_is_better: better_high.iter().any(|b| b == &ind), indicator: ind, weight });
    }
    for b in better_high {
        if !components.iter().any(|c| &c.indicator == b) {
            bail!("--higher-is-better names `{b}`, which is not among the weighted indicators");
        }
    }
    let mut per: Vec<HashMap<String, f64>> = vec![HashMap::new(); components.len()];
    let mut missing_reasons: Vec<String> = Vec::new();
    for r in &rows {
        if period.is_some_and(|p| p != r.period) {
            continue;
        }
        if let Some(i) = components.iter().position(|c| c.indicator == r.indicator) {
            match r.value {
                Ok(v) => {
                    if per[i].insert(r.area.clone(), v).is_some() {
                        bail!("{name}:{}: a second value of {} for {} (give --period to choose one)", r.line, r.indicator, r.area);
                    }
                }
                Err(m) => missing_reasons.push(format!("{} {}: {}", r.area, r.indicator, m.reason())),
            }
        }
    }
    let result = needs::composite(&components, &per).map_err(|e| anyhow::anyhow!("{e}"))?;
    for m in &missing_reasons {
        eprintln!("  missing: {m}");
    }
    for (area, gaps) in &result.left_out {
        eprintln!("  left out: {area} has no value for {}, half the weight or more", gaps.join(", "));
    }
    let out: Box<dyn Write> = match output {
        Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?)),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = csv::Writer::from_writer(out);
    csv_row(&mut w, &["area_code", "score", "rank", "missing"].map(String::from))?;
    let mut scores: Vec<&needs::CompositeScore> = result.scores.iter().collect();
    scores.sort_by_key(|s| s.rank);
    for s in scores {
        csv_row(&mut w, &[s.code.clone(), format!("{:.4}", s.score), s.rank.to_string(), s.missing.join(";")])?;
    }
    w.flush().context("writing the results")?;
    eprintln!("Scored {} areas; {} left out.", result.scores.len(), result.left_out.len());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn three_places_read_as_the_formatter_writes_them() {
        for x in [0.0, 0.0004, 0.0005, 1.2345, 24.6125, 99.9995, 100.0, 35.913_309_971_922_07] {
            let mut s = String::new();
            super::fixed3(&mut s, x);
            assert_eq!(s, format!("{x:.3}"), "{x}");
        }
    }
}
