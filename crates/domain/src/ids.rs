//! Identifiers that cannot hold a bad value: parse, don't validate.

/// Declares a closed vocabulary: a serde-friendly enum with kebab-case names
/// in the dataset and API, and a British English label for pages.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order pages list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code used in dataset files, URLs and the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Reads a code, listing the accepted ones when it is not one.
            pub fn parse(s: &str) -> Result<$name, String> {
                match s { $($code => Ok($name::$variant),)+
                    _ => Err(format!("`{}` is not one of: {}", s, [$($code),+].join(", "))) }
            }
        }
    };
}

use serde::{Deserialize, Serialize};
use std::fmt;

/// A URL-safe identifier: lower-case ASCII letters, digits and single hyphens,
/// starting with a letter, at most 80 characters. Slugs name councils, bodies,
/// organisations, seats, people and posts in URLs and in the dataset files.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    /// Parses a slug, explaining what is wrong when it is not one.
    pub fn parse(s: &str) -> Result<Slug, String> {
        let ok_chars = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if s.is_empty() {
            return Err("a slug cannot be empty".into());
        }
        if s.len() > 80 {
            return Err(format!("`{s}` is longer than 80 characters"));
        }
        if !ok_chars || !s.starts_with(|c: char| c.is_ascii_lowercase()) || s.ends_with('-') || s.contains("--") {
            return Err(format!(
                "`{s}` is not a slug: use lower-case letters, digits and single hyphens, starting with a letter (for example `{}`)",
                slugify(s)
            ));
        }
        Ok(Slug(s.to_owned()))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Slug::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A number as an ordinal: 1st, 2nd, 3rd, 4th, 11th, 22nd.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Turns any text into a slug: "Chief Executive, Primary Care Trust" becomes
/// `chief-executive-primary-care-trust`. Text in any script is transliterated
/// first (`李雷` becomes `li-lei`, `Олена Коваль` `olena-koval`, `Ω` `o`), so
/// every name has a readable slug; text with no letter or digit in any script
/// (`!!!`, an emoji-free symbol) gets a stable one made from its characters.
/// Used for derived seat, post, person, item and decision identifiers.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(text, "-");
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        let c = match c {
            '&' | '+' => {
                if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
                out.push_str("and");
                '-'
            }
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            '\'' | '\u{2019}' => continue,
            _ => '-',
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        // Nothing readable: a stable name from the text itself (FNV-1a), so
        // the same text always gets the same slug.
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        out = format!("x-{:08x}", hash as u32);
    }
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert_str(0, "x-");
    }
    if out.len() > 80 {
        out.truncate(80);
        while out.ends_with('-') {
            out.pop();
        }
    }
    out
}

/// An Office for National Statistics Government Statistical Service code:
/// a letter for the nation (E, W, S, N) or a UK-wide prefix (K, L, M), then
/// eight digits; the first two digits name the kind of area (E05 a ward,
/// E06 a unitary authority, E01 an LSOA).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GssCode(String);

impl GssCode {
    /// Parses a GSS code such as `E06000060`.
    pub fn parse(s: &str) -> Result<GssCode, String> {
        let bytes = s.as_bytes();
        let ok = bytes.len() == 9 && matches!(bytes[0], b'E' | b'W' | b'S' | b'N' | b'K' | b'L' | b'M') && bytes[1..].iter().all(u8::is_ascii_digit);
        if ok {
            Ok(GssCode(s.to_owned()))
        } else {
            Err(format!("`{s}` is not a GSS code: expected a letter E, W, S, N, K, L or M and eight digits, like `E06000060`"))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The entity prefix, such as `E05` for wards in England.
    pub fn entity(&self) -> &str {
        &self.0[..3]
    }
}

impl TryFrom<String> for GssCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        GssCode::parse(&s)
    }
}

impl From<GssCode> for String {
    fn from(s: GssCode) -> String {
        s.0
    }
}

impl fmt::Display for GssCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A date as precise as the source allows: a year (`2020`), a month
/// (`2022-07`) or a day (`2023-11-14`). Popolo allows the same forms, and the
/// seeds often give only a month ("July 2022") or a year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate(String);

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking the month and day exist.
    pub fn parse(s: &str) -> Result<PartialDate, String> {
        let bad = || format!("`{s}` is not a date: write it as YYYY, YYYY-MM or YYYY-MM-DD, like `2020-04-01`");
        let parts: Vec<&str> = s.split('-').collect();
        if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
            return Err(bad());
        }
        let nums: Vec<u32> = parts
            .iter()
            .map(|p| if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() { p.parse().ok() } else { None })
            .collect::<Option<_>>()
            .ok_or_else(bad)?;
        if parts[1..].iter().any(|p| p.len() != 2) {
            return Err(bad());
        }
        if let Some(&m) = nums.get(1) {
            if !(1..=12).contains(&m) {
                return Err(format!("`{s}` has no month {m}: months run from 01 to 12"));
            }
            if let Some(&d) = nums.get(2) {
                let y = nums[0];
                let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
                let days = match m {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                if d == 0 || d > days {
                    return Err(format!("`{s}` is not a day of the calendar"));
                }
            }
        }
        Ok(PartialDate(s.to_owned()))
    }

    /// The date as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the date (a year, a month or a day) has wholly passed by `today`:
    /// a membership ending in `2024-05` still holds on 31 May 2024.
    pub fn passed(&self, today: chrono::NaiveDate) -> bool {
        let t = today.format("%Y-%m-%d").to_string();
        self.0.as_str() < &t[..self.0.len()]
    }

    /// Whether the date (a year, a month or a day) has begun by `today`.
    pub fn begun(&self, today: chrono::NaiveDate) -> bool {
        let t = today.format("%Y-%m-%d").to_string();
        self.0.as_str() <= &t[..self.0.len()]
    }

    /// The last day the date covers: 31 May 2025 for `2025-05`.
    pub fn last_day(&self) -> chrono::NaiveDate {
        let parts: Vec<i32> = self.0.split('-').filter_map(|p| p.parse().ok()).collect();
        let first_of = |y: i32, m: u32| chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(chrono::NaiveDate::MAX);
        match parts.as_slice() {
            [y] => first_of(*y + 1, 1).pred_opt().unwrap_or(chrono::NaiveDate::MAX),
            [y, m] if *m == 12 => first_of(*y + 1, 1).pred_opt().unwrap_or(chrono::NaiveDate::MAX),
            [y, m] => first_of(*y, *m as u32 + 1).pred_opt().unwrap_or(chrono::NaiveDate::MAX),
            [y, m, d] => chrono::NaiveDate::from_ymd_opt(*y, *m as u32, *d as u32).unwrap_or(chrono::NaiveDate::MAX),
            _ => chrono::NaiveDate::MAX,
        }
    }

    /// The date for people: "14 November 2023", "July 2022" or "2020".
    pub fn display(&self) -> String {
        const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        let parts: Vec<&str> = self.0.split('-').collect();
        let month = |p: &str| MONTHS[p.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1];
        match parts.as_slice() {
            [y] => (*y).to_owned(),
            [y, m] => format!("{} {y}", month(m)),
            [y, m, d] => format!("{} {} {y}", d.trim_start_matches('0'), month(m)),
            _ => self.0.clone(),
        }
    }
}

/// Whether a period that starts and ends on these dates (either open) covers `today`.
pub fn covers(start: Option<&PartialDate>, end: Option<&PartialDate>, today: chrono::NaiveDate) -> bool {
    start.is_none_or(|s| s.begun(today)) && end.is_none_or(|e| !e.passed(today))
}

impl TryFrom<String> for PartialDate {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        PartialDate::parse(&s)
    }
}

impl From<PartialDate> for String {
    fn from(s: PartialDate) -> String {
        s.0
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_lower_case_hyphenated_words_only() {
        assert!(Slug::parse("bsp-board").is_ok());
        assert!(Slug::parse("cadex2").is_ok());
        for bad in ["", "BSP", "-a", "a-", "a--b", "1a", "a b", "a_b"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn slugify_reads_like_the_label() {
        assert_eq!(slugify("Chief Executive, Primary Care Trust"), "chief-executive-primary-care-trust");
        assert_eq!(slugify("Safer & Stronger Bucks"), "safer-and-stronger-bucks");
        assert_eq!(slugify("Children's Trust"), "childrens-trust");
        assert_eq!(slugify("Learning + Skills Council"), "learning-and-skills-council");
        assert!(Slug::parse(&slugify("2020 wards")).is_ok());
    }

    #[test]
    fn slugify_reads_names_in_any_script() {
        assert_eq!(slugify("李雷"), "li-lei");
        assert_eq!(slugify("Олена Коваль"), "olena-koval");
        assert_eq!(slugify("Ω"), "o");
        assert_eq!(slugify("Zoë Brontë-Núñez"), "zoe-bronte-nunez");
        // Nothing readable in any script: a stable slug, the same each time.
        let odd = slugify("!!! ???");
        assert!(Slug::parse(&odd).is_ok(), "{odd}");
        assert_eq!(odd, slugify("!!! ???"));
        assert_ne!(odd, slugify("*** ###"));
    }

    proptest::proptest! {
        /// Whatever is typed, the slug made of it is a slug.
        #[test]
        fn slugify_always_makes_a_slug(text in "\\PC{0,120}") {
            let s = slugify(&text);
            proptest::prop_assert!(Slug::parse(&s).is_ok(), "{:?} gave {:?}", text, s);
        }
    }

    #[test]
    fn gss_codes_are_a_nation_letter_and_eight_digits() {
        assert_eq!(GssCode::parse("E06000060").unwrap().entity(), "E06");
        for bad in ["E0600006", "E060000600", "X06000060", "e06000060", "E06O00060"] {
            assert!(GssCode::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        assert_eq!(PartialDate::parse("2022-07").unwrap().display(), "July 2022");
        assert_eq!(PartialDate::parse("2023-11-14").unwrap().display(), "14 November 2023");
        assert_eq!(PartialDate::parse("2020").unwrap().display(), "2020");
        for bad in ["2023-13", "2023-02-30", "23-01-01", "2023/01/01", "2023-1-01", ""] {
            assert!(PartialDate::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(PartialDate::parse("2024-02-29").is_ok());
    }
}
