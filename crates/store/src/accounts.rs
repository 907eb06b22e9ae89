//! Accounts, grants, sessions and sign-in attempts.

use crate::{Store, StoreError};
use placeworks_domain::accounts::{grant_text, parse_grant};
use placeworks_domain::permissions::Grant;
use sqlx::Row;

/// A stored account with its grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub disabled: bool,
    /// Each grant with the council it applies in (`*` for every council).
    pub grants: Vec<(String, Grant)>,
}

impl Account {
    /// The grants that apply in one council.
    pub fn grants_in(&self, council: &str) -> Vec<Grant> {
        self.grants.iter().filter(|(c, _)| c == "*" || c == council).map(|(_, g)| g.clone()).collect()
    }
}

/// A live session and its account.
#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    /// The token forms must carry to prove they came from our own pages.
    pub csrf_token: String,
    pub expires_at: i64,
}

impl Store {
    /// Creates an account. Fails with [`StoreError::Conflict`] when the email is taken.
    pub async fn create_account(&self, id: &str, email: &str, name: &str, password_hash: &str, grants: &[(String, Grant)], now: i64) -> Result<(), StoreError> {
        self.create_account_audited(id, email, name, password_hash, grants, now, &[]).await
    }

    /// Creates an account with its audit entries, together.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_account_audited(
        &self,
        id: &str,
        email: &str,
        name: &str,
        password_hash: &str,
        grants: &[(String, Grant)],
        now: i64,
        audit: &[crate::AuditEntry],
    ) -> Result<(), StoreError> {
        crate::write::retrying(|| async {
            let (mut tx, _gate) = self.begin_accounts().await?;
            let taken = sqlx::query("SELECT id FROM accounts WHERE email = $1").bind(email).fetch_optional(tx.conn()).await?;
            if taken.is_some() {
                return Err(StoreError::Conflict(format!("an account for {email} already exists")));
            }
            let inserted = sqlx::query("INSERT INTO accounts (id, email, name, password_hash, created_at, disabled) VALUES ($1, $2, $3, $4, $5, 0)")
                .bind(id)
                .bind(email)
                .bind(name)
                .bind(password_hash)
                .bind(now)
                .execute(tx.conn())
                .await;
            // Another server made the same email's account in the meantime.
            if let Err(e) = inserted {
                let e = StoreError::from(e);
                return Err(if e.is_unique_violation() { StoreError::Conflict(format!("an account for {email} already exists")) } else { e });
            }
            for (council, grant) in grants {
                insert_grant(tx.conn(), id, council, grant).await?;
            }
            for e in audit {
                crate::audit::append(tx.conn(), e, None).await?;
            }
            tx.commit().await
        })
        .await
    }

    /// Gives an account roles and takes others away, with the audit entries,
    /// in one transaction. A role it already has is not given twice.
    pub async fn change_grants(
        &self,
        account_id: &str,
        add: &[(String, Grant)],
        remove: &[(String, Grant)],
        audit: &[crate::AuditEntry],
    ) -> Result<(), StoreError> {
        crate::write::retrying(|| async {
            let (mut tx, _gate) = self.begin_accounts().await?;
            for (council, grant) in remove {
                let text = grant_text(grant);
                grant_query("DELETE FROM account_grants WHERE account_id = $1 AND role = $2 AND council = $3 AND body = $4", account_id, council, &text)
                    .execute(tx.conn())
                    .await?;
            }
            for (council, grant) in add {
                let text = grant_text(grant);
                let held = grant_query(
                    "SELECT role FROM account_grants WHERE account_id = $1 AND role = $2 AND council = $3 AND body = $4",
                    account_id,
                    council,
                    &text,
                )
                .fetch_optional(tx.conn())
                .await?;
                if held.is_none() {
                    insert_grant(tx.conn(), account_id, council, grant).await?;
                }
            }
            for e in audit {
                crate::audit::append(tx.conn(), e, None).await?;
            }
            tx.commit().await
        })
        .await
    }

    /// Disables an account (its sessions and reset links end with it) or
    /// enables it again, with the audit entries, together.
    pub async fn set_disabled(&self, account_id: &str, disabled: bool, now: i64, audit: &[crate::AuditEntry]) -> Result<(), StoreError> {
        crate::write::retrying(|| async {
            let (mut tx, _gate) = self.begin_accounts().await?;
            sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2").bind(i64::from(disabled)).bind(account_id).execute(tx.conn()).await?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(tx.conn()).await?;
                sqlx::query("UPDATE password_resets SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL")
                    .bind(now)
                    .bind(account_id)
                    .execute(tx.conn())
                    .await?;
            }
            for e in audit {
                crate::audit::append(tx.conn(), e, None).await?;
            }
            tx.commit().await
        })
        .await
    }

    /// A transaction on accounts (the site's, not one council's) that holds
    /// the write lock from its start: SQLite's `BEGIN IMMEDIATE`, queued
    /// behind this process's other writers, so that what it reads is what it
    /// writes on. PostgreSQL's unique email and retries settle the rest.
    async fn begin_accounts(&self) -> Result<(crate::write::Held, Option<tokio::sync::OwnedMutexGuard<()>>), StoreError> {
        let gate = match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let begin = match self.backend {
            crate::Backend::Sqlite => "BEGIN IMMEDIATE",
            crate::Backend::Postgres => "BEGIN ISOLATION LEVEL READ COMMITTED",
        };
        Ok((crate::write::Held::begin(self.pool(), begin).await?, gate))
    }

    /// The changes made to accounts, newest first: at most `limit`.
    pub async fn account_trail(&self, limit: i64) -> Result<Vec<crate::AuditEntry>, StoreError> {
        let rows =
            sqlx::query(&format!("SELECT {} FROM audit_log WHERE record_kind = 'account' ORDER BY at DESC, id DESC LIMIT $1", crate::audit::ENTRY_COLUMNS))
                .bind(limit)
                .fetch_all(self.pool())
                .await?;
        rows.iter().map(crate::audit::entry).collect()
    }

    /// Finds an account by its (normalised) email.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query("SELECT id FROM accounts WHERE email = $1").bind(email).fetch_optional(self.pool()).await?;
        match row {
            Some(r) => self.account(&r.try_get::<String, _>("id")?).await,
            None => Ok(None),
        }
    }

    /// Finds an account by its id.
    pub async fn account(&self, id: &str) -> Result<Option<Account>, StoreError> {
        let Some(r) = sqlx::query("SELECT * FROM accounts WHERE id = $1").bind(id).fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        let grants = sqlx::query("SELECT role, council, body FROM account_grants WHERE account_id = $1 ORDER BY council, role, body")
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        Ok(Some(account_of(&r, &grants)?))
    }

    /// Whether any account exists (the first is made from the command line).
    pub async fn has_accounts(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM accounts").fetch_one(self.pool()).await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// Starts a session: the token is kept only as its hash.
    pub async fn create_session(&self, token_hash: &str, account_id: &str, csrf_token: &str, now: i64, expires_at: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(account_id)
            .bind(csrf_token)
            .bind(now)
            .bind(expires_at)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The live session for a token hash, if it has not expired and its account is enabled.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<Session>, StoreError> {
        // One statement, read on every signed-in request: the session, its
        // account, and the account's grants (a row each, or one without).
        let rows = sqlx::query(
            "SELECT s.csrf_token, s.expires_at, a.*, g.role, g.council, g.body FROM sessions s \
             JOIN accounts a ON a.id = s.account_id LEFT JOIN account_grants g ON g.account_id = a.id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 ORDER BY g.council, g.role, g.body",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_all(self.pool())
        .await?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let granted: Vec<_> = rows.iter().filter(|g| g.try_get::<Option<String>, _>("role").ok().flatten().is_some()).cloned().collect();
        let account = account_of(r, &granted)?;
        Ok((!account.disabled).then(|| Session {
            account,
            csrf_token: r.try_get("csrf_token").unwrap_or_default(),
            expires_at: r.try_get("expires_at").unwrap_or_default(),
        }))
    }

    /// Ends one session.
    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(self.pool()).await?;
        Ok(())
    }

    /// Ends every session of an account ("sign out everywhere").
    pub async fn end_all_sessions(&self, account_id: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(self.pool()).await?.rows_affected())
    }

    /// Records a sign-in attempt against a subject (`account:EMAIL` or `address:IP`).
    pub async fn record_sign_in_attempt(&self, subject: &str, at: i64, succeeded: bool) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sign_in_attempts (subject, at, succeeded) VALUES ($1, $2, $3)")
            .bind(subject)
            .bind(at)
            .bind(i64::from(succeeded))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Takes a place for a sign-in attempt against `subject` in its window
    /// (starting again once the window that began before `window_start` has
    /// passed), in one statement, before the password is checked: returns how
    /// many attempts the window now holds, this one included. Simultaneous
    /// attempts each get their own count, so none is checked past a limit.
    pub async fn take_sign_in_attempt(&self, subject: &str, now: i64, window_start: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO sign_in_limits (subject, window_start, attempts) VALUES ($1, $2, 1) \
             ON CONFLICT (subject) DO UPDATE SET \
               attempts = CASE WHEN sign_in_limits.window_start < $3 THEN 1 ELSE sign_in_limits.attempts + 1 END, \
               window_start = CASE WHEN sign_in_limits.window_start < $3 THEN $2 ELSE sign_in_limits.window_start END \
             RETURNING attempts",
        )
        .bind(subject)
        .bind(now)
        .bind(window_start)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("attempts")?)
    }

    /// Gives back the place a sign-in attempt took (it succeeded).
    pub async fn give_back_sign_in_attempt(&self, subject: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE sign_in_limits SET attempts = attempts - 1 WHERE subject = $1 AND attempts > 0").bind(subject).execute(self.pool()).await?;
        Ok(())
    }

    /// Clears a subject's count: its holder proved who they are another way
    /// (a password reset link).
    pub async fn clear_sign_in_attempts(&self, subject: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_limits WHERE subject = $1").bind(subject).execute(self.pool()).await?;
        Ok(())
    }

    /// Failed attempts against a subject since a time, counted from its last success.
    pub async fn failed_sign_ins_since(&self, subject: &str, since: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM sign_in_attempts WHERE subject = $1 AND succeeded = 0 AND at >= $2 \
             AND at >= COALESCE((SELECT MAX(at) FROM sign_in_attempts WHERE subject = $1 AND succeeded = 1), 0)",
        )
        .bind(subject)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("n")?)
    }

    /// Every account, in email order.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let ids = sqlx::query("SELECT id FROM accounts ORDER BY email").fetch_all(self.pool()).await?;
        let mut out = Vec::new();
        for r in ids {
            if let Some(a) = self.account(&r.try_get::<String, _>("id")?).await? {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// Makes a one-time password reset token for an account (kept only as
    /// its hash). Any earlier unused token of the account stops working.
    pub async fn create_password_reset(
        &self,
        token_hash: &str,
        account_id: &str,
        now: i64,
        expires_at: i64,
        audit: &[crate::AuditEntry],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        for e in audit {
            crate::audit::append(&mut tx, e, None).await?;
        }
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL").bind(now).bind(account_id).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO password_resets (token_hash, account_id, expires_at, used_at) VALUES ($1, $2, $3, NULL)")
            .bind(token_hash)
            .bind(account_id)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account a reset token is for, while the token is unused and in date.
    pub async fn password_reset_account(&self, token_hash: &str, now: i64) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query("SELECT account_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
            .bind(token_hash)
            .bind(now)
            .fetch_optional(self.pool())
            .await?;
        match row {
            Some(r) => Ok(self.account(&r.try_get::<String, _>("account_id")?).await?.filter(|a| !a.disabled)),
            None => Ok(None),
        }
    }

    /// Uses a reset token: sets the new password, spends the token and ends
    /// every session of the account, together. Returns the account's id, or
    /// `None` when the token is unknown, used or out of date.
    pub async fn reset_password(&self, token_hash: &str, new_password_hash: &str, now: i64) -> Result<Option<String>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let spent = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1")
            .bind(now)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if spent != 1 {
            return Ok(None);
        }
        let id: String =
            sqlx::query("SELECT account_id FROM password_resets WHERE token_hash = $1").bind(token_hash).fetch_one(&mut *tx).await?.try_get("account_id")?;
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2").bind(new_password_hash).bind(&id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(&id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(id))
    }
}

/// A statement about one grant of an account: `$1` the account, `$2` the
/// role, `$3` the council and `$4` the body (empty for an unscoped role).
fn grant_query<'q>(sql: &'q str, account_id: &'q str, council: &'q str, text: &'q str) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let (role, body) = text.split_once(':').unwrap_or((text, ""));
    sqlx::query(sql).bind(account_id).bind(role).bind(council).bind(body)
}

async fn insert_grant(tx: &mut sqlx::AnyConnection, account_id: &str, council: &str, grant: &Grant) -> Result<(), StoreError> {
    let text = grant_text(grant);
    grant_query("INSERT INTO account_grants (account_id, role, council, body) VALUES ($1, $2, $3, $4)", account_id, council, &text).execute(&mut *tx).await?;
    Ok(())
}

/// An account from its row and the rows of its grants (`role`, `council`, `body`).
fn account_of(r: &sqlx::any::AnyRow, grants: &[sqlx::any::AnyRow]) -> Result<Account, StoreError> {
    let mut held = Vec::new();
    for g in grants {
        let role: String = g.try_get("role")?;
        let body: String = g.try_get("body")?;
        let text = if body.is_empty() { role } else { format!("{role}:{body}") };
        held.push((g.try_get("council")?, parse_grant(&text).map_err(StoreError::Corrupt)?));
    }
    Ok(Account {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        password_hash: r.try_get("password_hash")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        grants: held,
    })
}
