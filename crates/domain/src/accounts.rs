//! Accounts: who can sign in, with which roles. Values that cannot be wrong
//! once parsed (`Email`, `NewPassword`, a role written as text), and the
//! hashing of passwords (argon2id) and of tokens (SHA-256) kept at rest.

use crate::ids::Slug;
use crate::permissions::Grant;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use std::fmt;

/// An email address, trimmed and lower-cased, of a plausible shape. (Whether
/// it reaches anyone is only known by writing to it.)
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Reads an address, saying how to fix it when it cannot be one.
    pub fn parse(s: &str) -> Result<Email, String> {
        let s = s.trim().to_lowercase();
        let Some((local, domain)) = s.split_once('@') else {
            return Err("Enter an email address in the correct format, like name@example.org".into());
        };
        let ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && s.len() <= 254
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(Email(s))
        } else {
            Err("Enter an email address in the correct format, like name@example.org".into())
        }
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password chosen by someone: at least 12 characters, at most 256.
pub struct NewPassword(String);

impl NewPassword {
    /// Checks a new password against the policy.
    pub fn parse(s: &str) -> Result<NewPassword, String> {
        let n = s.chars().count();
        if n < 12 {
            Err("Password must be 12 characters or more; a few words together make a good one".into())
        } else if n > 256 {
            Err("Password must be 256 characters or fewer".into())
        } else {
            Ok(NewPassword(s.to_owned()))
        }
    }

    /// The password's argon2id hash in PHC form, with a fresh random salt.
    pub fn hash(&self) -> String {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(self.0.as_bytes(), &salt).expect("argon2id hashes any password").to_string()
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// Whether `password` matches a stored argon2id hash.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash to verify against when an account does not exist, so that a wrong
/// email takes as long to refuse as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| NewPassword::parse("decoy-password-never-used").expect("policy").hash())
}

/// A random secret (session or reset token), 256 bits, as hexadecimal.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The SHA-256 of a token, as stored: a stolen database gives no live tokens.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a role as written on the command line: `administrator`,
/// `register-keeper`, `analyst`, `programme-manager` (every programme),
/// `programme-manager:PROGRAMME`, `initiative-lead:INITIATIVE`,
/// `secretariat:BODY`, `member:BODY` or `chair:BODY`.
pub fn parse_grant(s: &str) -> Result<Grant, String> {
    let (role, body) = match s.split_once(':') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    let scoped = |make: fn(Slug) -> Grant| match body {
        Some(b) => Slug::parse(b).map(make),
        None if role == "initiative-lead" => {
            Err("`initiative-lead` is scoped to an initiative: write `initiative-lead:INITIATIVE`, like `initiative-lead:horizons-programme`".to_owned())
        }
        None => Err(format!("`{role}` is scoped to a body: write `{role}:BODY`, like `{role}:bsp-board`")),
    };
    let unscoped = |grant: Grant| match body {
        None => Ok(grant),
        Some(_) => Err(format!("`{role}` is not scoped to a body: write just `{role}`")),
    };
    match role {
        "administrator" => unscoped(Grant::Administrator),
        "analyst" => unscoped(Grant::Analyst),
        "programme-manager" if body.is_none() => Ok(Grant::ProgrammeManager),
        "programme-manager" => scoped(Grant::ManagesProgramme),
        "initiative-lead" => scoped(Grant::LeadsInitiative),
        "register-keeper" => unscoped(Grant::Registrar),
        "secretariat" => scoped(Grant::Secretariat),
        "member" => scoped(Grant::Member),
        "chair" => scoped(Grant::Chair),
        _ => {
            Err(format!("`{role}` is not a role: use administrator, register-keeper, secretariat:BODY, member:BODY, chair:BODY, analyst, programme-manager, programme-manager:PROGRAMME or initiative-lead:INITIATIVE"))
        }
    }
}

/// A role as it is stored and written: the inverse of [`parse_grant`].
pub fn grant_text(g: &Grant) -> String {
    match g {
        Grant::Administrator => "administrator".into(),
        Grant::Analyst => "analyst".into(),
        Grant::ProgrammeManager => "programme-manager".into(),
        Grant::ManagesProgramme(p) => format!("programme-manager:{p}"),
        Grant::LeadsInitiative(i) => format!("initiative-lead:{i}"),
        Grant::Registrar => "register-keeper".into(),
        Grant::Secretariat(b) => format!("secretariat:{b}"),
        Grant::Member(b) => format!("member:{b}"),
        Grant::Chair(b) => format!("chair:{b}"),
        Grant::DraftsAgendaOf(b) => format!("drafts-agenda-of:{b}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Officer@Bucks.GOV.uk ").unwrap().as_str(), "officer@bucks.gov.uk");
        for bad in ["", "no-at-sign", "@example.org", "a@b", "a@.org", "a b@example.org", "a@example.org."] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        assert!(NewPassword::parse("short").is_err());
        let p = NewPassword::parse("correct horse battery").unwrap();
        let h = p.hash();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("anything", "not a hash"));
        assert_ne!(h, p.hash(), "each hash has its own salt");
        assert_eq!(format!("{p:?}"), "NewPassword(***)", "never printed");
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn roles_read_and_write_back() {
        for text in [
            "administrator",
            "register-keeper",
            "chair:bsp-board",
            "analyst",
            "programme-manager",
            "programme-manager:opportunity-bucks",
            "initiative-lead:horizons-programme",
            "secretariat:bsp-board",
            "member:cadex",
        ] {
            assert_eq!(grant_text(&parse_grant(text).unwrap()), text);
        }
        assert!(parse_grant("secretariat").unwrap_err().contains("secretariat:BODY"));
        assert!(parse_grant("administrator:bsp-board").is_err());
        assert!(parse_grant("mayor").unwrap_err().contains("not a role"));
        assert!(parse_grant("member:BSP Board").is_err());
    }
}
