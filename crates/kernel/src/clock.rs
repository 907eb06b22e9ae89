//! The one clock. Everything that asks "what day is it?" or "what time is
//! it?" (pages, schedules, governance checks, feeds, sessions, the audit
//! trail) asks a [`Clock`] it was given, never the system directly, so that a
//! test can say what day it is and pass on any day it is run.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The time zone every meeting is held in, and the day is read in.
pub const LONDON: chrono_tz::Tz = chrono_tz::Europe::London;

/// Where the time comes from. Cheap to clone: clones share one source, so
/// advancing a fixed clock moves every holder's time.
#[derive(Clone, Debug)]
pub struct Clock(Arc<Source>);

#[derive(Debug)]
enum Source {
    /// The system's time.
    System,
    /// Stands still at a moment (microseconds since 1970) until advanced.
    Fixed(AtomicI64),
    /// Starts at a moment and runs on as real time passes.
    From { start: DateTime<Utc>, since: Instant },
}

impl Clock {
    /// The system's time: what production runs on.
    pub fn system() -> Clock {
        Clock(Arc::new(Source::System))
    }

    /// A clock that stands at `at` until [`Clock::advance`] moves it.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Source::Fixed(AtomicI64::new(at.timestamp_micros()))))
    }

    /// A clock that reads `at` now and runs on in real time from there.
    pub fn starting(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Source::From { start: at, since: Instant::now() }))
    }

    /// A clock running from 09:00 London time on `day`.
    pub fn starting_on(day: NaiveDate) -> Clock {
        Clock::starting(morning(day))
    }

    /// Reads a day (`2031-06-01`) or a moment (`2031-06-01T09:00:00Z`) from
    /// text, as given in `PLACEWORKS_TODAY`, and runs from it.
    pub fn parse_start(text: &str) -> Result<Clock, String> {
        let t = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return Ok(Clock::starting_on(day));
        }
        DateTime::parse_from_rfc3339(t)
            .map(|d| Clock::starting(d.with_timezone(&Utc)))
            .map_err(|_| format!("`{t}` is neither a day like 2031-06-01 nor a moment like 2031-06-01T09:00:00Z"))
    }

    /// The time now, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        match &*self.0 {
            Source::System => Utc::now(),
            Source::Fixed(micros) => DateTime::from_timestamp_micros(micros.load(Ordering::SeqCst)).expect("a fixed clock holds a real moment"),
            Source::From { start, since } => *start + chrono::Duration::from_std(since.elapsed()).unwrap_or_default(),
        }
    }

    /// Seconds since 1970, for stored times.
    pub fn unix(&self) -> i64 {
        self.now().timestamp()
    }

    /// Today, in London.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&LONDON).date_naive()
    }

    /// Moves a fixed clock on. Other clocks ignore it: their time is real.
    pub fn advance(&self, by: chrono::Duration) {
        if let Source::Fixed(micros) = &*self.0 {
            micros.fetch_add(by.num_microseconds().unwrap_or(i64::MAX), Ordering::SeqCst);
        }
    }
}

/// 09:00 London time on a day: a working morning, whatever the season.
pub fn morning(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(9, 0, 0).expect("09:00 is a time");
    LONDON.from_local_datetime(&local).earliest().expect("09:00 exists in London every day").with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_until_advanced_and_clones_share_it() {
        let at = Utc.with_ymd_and_hms(2031, 6, 1, 8, 0, 0).unwrap();
        let clock = Clock::fixed(at);
        let other = clock.clone();
        assert_eq!(clock.now(), at);
        other.advance(chrono::Duration::hours(20));
        assert_eq!(clock.now(), at + chrono::Duration::hours(20), "a clone moves the same clock");
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2031, 6, 2).unwrap());
    }

    #[test]
    fn the_day_is_read_in_london() {
        // 23:30 UTC on 1 July is 00:30 on 2 July in British Summer Time, but
        // 23:30 UTC on 1 December is still 1 December in London.
        assert_eq!(Clock::fixed(Utc.with_ymd_and_hms(2031, 7, 1, 23, 30, 0).unwrap()).today(), NaiveDate::from_ymd_opt(2031, 7, 2).unwrap());
        assert_eq!(Clock::fixed(Utc.with_ymd_and_hms(2031, 12, 1, 23, 30, 0).unwrap()).today(), NaiveDate::from_ymd_opt(2031, 12, 1).unwrap());
    }

    #[test]
    fn a_starting_clock_reads_its_start_and_runs_on() {
        let clock = Clock::parse_start("2031-06-01").unwrap();
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2031, 6, 1).unwrap());
        assert_eq!(clock.now().with_timezone(&LONDON).format("%H:%M").to_string(), "09:00");
        let first = clock.now();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(clock.now() > first, "time passes");
        assert!(Clock::parse_start("2031-06-01T09:00:00Z").is_ok());
        assert!(Clock::parse_start("next tuesday").unwrap_err().contains("2031-06-01"));
    }
}
