//! The periods a measure is reported for. Councils report by financial year
//! (April to March): `2024/25`, its quarters `2024/25 Q1` (April to June)
//! to `Q4` (January to March), and calendar months `2024-04`.

use serde::{Deserialize, Serialize};
use std::fmt;

vocabulary! {
    /// How often a measure is reported.
    Frequency {
        Monthly = "monthly" / "Monthly",
        Quarterly = "quarterly" / "Quarterly",
        Annual = "annual" / "Annual",
    }
}

impl Frequency {
    /// How many periods make a year.
    pub fn per_year(self) -> u32 {
        match self {
            Frequency::Monthly => 12,
            Frequency::Quarterly => 4,
            Frequency::Annual => 1,
        }
    }
}

/// One reporting period. `year` is the calendar year a financial year
/// starts in (2024 for 2024/25); a month's is its own calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
}

const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

impl Period {
    /// Reads `2024/25`, `2024/25 Q1` or `2024-04`, saying what was expected otherwise.
    pub fn parse(text: &str) -> Result<Period, String> {
        let t = text.trim();
        let bad = || format!("`{t}` is not a period: write a financial year like 2024/25, a quarter like 2024/25 Q1, or a month like 2024-04");
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
        if let Some((y, m)) = t.split_once('-') {
            let (Some(year), Ok(month)) = (year(y), m.parse::<u32>()) else { return Err(bad()) };
            if m.len() != 2 || !(1..=12).contains(&month) {
                return Err(bad());
            }
            return Ok(Period::Month { year, month });
        }
        let (fy, quarter) = match t.split_once(' ') {
            Some((fy, q)) => {
                let q = q.trim().strip_prefix('Q').and_then(|n| n.parse::<u32>().ok()).filter(|n| (1..=4).contains(n)).ok_or_else(bad)?;
                (fy, Some(q))
            }
            None => (t, None),
        };
        let (start, end) = fy.split_once('/').ok_or_else(bad)?;
        let start = year(start).ok_or_else(bad)?;
        if end.len() != 2 || end.parse::<i32>().ok() != Some((start + 1).rem_euclid(100)) {
            return Err(format!(
                "`{t}` is not a financial year: the year after {start} is {:02}, so write {start}/{:02}",
                (start + 1) % 100,
                (start + 1) % 100
            ));
        }
        Ok(match quarter {
            Some(quarter) => Period::Quarter { year: start, quarter },
            None => Period::Year { year: start },
        })
    }

    pub fn frequency(self) -> Frequency {
        match self {
            Period::Month { .. } => Frequency::Monthly,
            Period::Quarter { .. } => Frequency::Quarterly,
            Period::Year { .. } => Frequency::Annual,
        }
    }

    /// Its place in time, counted in its own periods (for ordering and arithmetic).
    fn index(self) -> i64 {
        match self {
            Period::Month { year, month } => i64::from(year) * 12 + i64::from(month) - 1,
            Period::Quarter { year, quarter } => i64::from(year) * 4 + i64::from(quarter) - 1,
            Period::Year { year } => i64::from(year),
        }
    }

    fn from_index(f: Frequency, i: i64) -> Period {
        let per = i64::from(f.per_year());
        let (year, n) = (i.div_euclid(per) as i32, i.rem_euclid(per) as u32 + 1);
        match f {
            Frequency::Monthly => Period::Month { year, month: n },
            Frequency::Quarterly => Period::Quarter { year, quarter: n },
            Frequency::Annual => Period::Year { year },
        }
    }

    /// The financial year it falls in.
    pub fn financial_year(self) -> Period {
        match self {
            Period::Month { year, month } => Period::Year { year: if month >= 4 { year } else { year - 1 } },
            Period::Quarter { year, .. } | Period::Year { year } => Period::Year { year },
        }
    }

    /// Its first day.
    pub fn starts(self) -> chrono::NaiveDate {
        let (year, month) = match self {
            Period::Month { year, month } => (year, month),
            // A financial year's quarters begin in April, July, October and January.
            Period::Quarter { year, quarter } => (year + i32::from(quarter == 4), [4, 7, 10, 1][quarter as usize - 1]),
            Period::Year { year } => (year, 4),
        };
        chrono::NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month")
    }

    /// The latest period of frequency `f` that has ended by `today`: the one
    /// an actual is most likely being entered for.
    pub fn last_ended(f: Frequency, today: chrono::NaiveDate) -> Period {
        use chrono::Datelike;
        // Calendar months since January of year 0; a financial year's from April.
        let months = i64::from(today.year()) * 12 + i64::from(today.month0());
        let now = match f {
            Frequency::Monthly => months,
            Frequency::Quarterly => (months - 3).div_euclid(3),
            Frequency::Annual => (months - 3).div_euclid(12),
        };
        Period::from_index(f, now).previous()
    }

    /// The period before this one, of the same frequency.
    pub fn previous(self) -> Period {
        Period::from_index(self.frequency(), self.index() - 1)
    }

    /// The same period a year before.
    pub fn year_before(self) -> Period {
        Period::from_index(self.frequency(), self.index() - i64::from(self.frequency().per_year()))
    }

    /// The periods from `self` to `last`, both included (empty if `last` is earlier or of another frequency).
    pub fn through(self, last: Period) -> Vec<Period> {
        if last.frequency() != self.frequency() {
            return Vec::new();
        }
        (self.index()..=last.index()).map(|i| Period::from_index(self.frequency(), i)).collect()
    }

    /// In words: "April 2024", "Q1 2024/25 (April to June 2024)", "2024/25".
    pub fn label(self) -> String {
        match self {
            Period::Month { year, month } => format!("{} {year}", MONTHS[month as usize - 1]),
            Period::Quarter { year, quarter } => {
                let first = (quarter - 1) * 3 + 3; // April is month index 3
                let (from, to) = (MONTHS[first as usize % 12], MONTHS[(first as usize + 2) % 12]);
                let calendar = if quarter == 4 { year + 1 } else { year };
                format!("Q{quarter} {year}/{:02} ({from} to {to} {calendar})", (year + 1) % 100)
            }
            Period::Year { year } => format!("{year}/{:02}", (year + 1) % 100),
        }
    }
}

impl PartialOrd for Period {
    /// Periods of one frequency are ordered in time; of different ones, not at all.
    fn partial_cmp(&self, other: &Period) -> Option<std::cmp::Ordering> {
        (self.frequency() == other.frequency()).then(|| self.index().cmp(&other.index()))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year}/{:02} Q{quarter}", (year + 1) % 100),
            Period::Year { year } => write!(f, "{year}/{:02}", (year + 1) % 100),
        }
    }
}

impl TryFrom<String> for Period {
    type Error = String;
    fn try_from(s: String) -> Result<Period, String> {
        Period::parse(&s)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}
