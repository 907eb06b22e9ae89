//! Confidential (exempt) information: a record marked exempt carries the
//! paragraph of Part 1 of Schedule 12A to the Local Government Act 1972 that
//! allows it to be withheld. Every capability's records may carry one; the
//! visibility filters take them out.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The paragraphs of Part 1 of Schedule 12A, in short.
const PARAGRAPHS: [&str; 7] = [
    "Information relating to any individual",
    "Information which is likely to reveal the identity of an individual",
    "Information relating to the financial or business affairs of any particular person (including the authority holding that information)",
    "Information relating to any consultations or negotiations in connection with any labour relations matter",
    "Information in respect of which a claim to legal professional privilege could be maintained in legal proceedings",
    "Information which reveals that the authority proposes to give a notice imposing requirements on a person, or to make an order or direction",
    "Information relating to any action taken or to be taken in connection with the prevention, investigation or prosecution of crime",
];

/// Why a record is withheld: a paragraph (1 to 7) of Schedule 12A, Part 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Exemption(u8);

impl Exemption {
    /// The exemption under paragraph `n`, if there is such a paragraph.
    pub fn paragraph(n: u8) -> Result<Exemption, String> {
        if (1..=7).contains(&n) {
            Ok(Exemption(n))
        } else {
            Err(format!("there is no paragraph {n} in Schedule 12A; use a paragraph from 1 to 7"))
        }
    }

    /// Reads "3" or "paragraph 3".
    pub fn parse(text: &str) -> Result<Exemption, String> {
        let t = text.trim();
        let digits = t.strip_prefix("paragraph").map_or(t, str::trim);
        digits.parse::<u8>().map_err(|_| format!("`{text}` is not a paragraph number; use a number from 1 to 7")).and_then(Exemption::paragraph)
    }

    /// The paragraph number.
    pub fn number(self) -> u8 {
        self.0
    }

    /// What the paragraph covers.
    pub fn description(self) -> &'static str {
        PARAGRAPHS[usize::from(self.0 - 1)]
    }

    /// Every paragraph, for forms.
    pub fn all() -> impl Iterator<Item = Exemption> {
        (1..=7).map(Exemption)
    }
}

impl TryFrom<u8> for Exemption {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Exemption::paragraph(n)
    }
}

impl From<Exemption> for u8 {
    fn from(e: Exemption) -> u8 {
        e.0
    }
}

impl fmt::Display for Exemption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Exempt under paragraph {} of Schedule 12A to the Local Government Act 1972", self.0)
    }
}
