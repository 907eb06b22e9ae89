//! Group commit: one council's writers on this server take turns in one
//! transaction. A writer whose turn ends while others are queued for the
//! council hands its open transaction, and the register as its write left
//! it, to the next; the last in line commits for all, puts the view in
//! place, and tells each of them. One sync of the disk serves them all, and
//! each is acknowledged only once the commit that holds its write succeeded.
//!
//! Should a write fail inside the shared transaction, the transaction is
//! dropped (so rolled back) and those already in it are told to try again
//! from the start; should the commit fail, they are all told why.

use crate::AppState;
use placeworks_domain::register::Index;
use placeworks_store::{StoreError, WriteTx};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{oneshot, Mutex, OwnedMutexGuard};

/// The most writes one transaction carries, so the first of them waits for
/// a bounded number of others.
const MOST: usize = 32;

/// How often a writer waiting for its commit checks that the transaction it
/// handed on was taken up (its taker may have gone away while queued).
const LOOK_AGAIN: Duration = Duration::from_millis(20);

/// The commit's outcome, as each write in it is told.
type Told = Result<i64, Arc<StoreError>>;

/// One council's writers on this server.
#[derive(Default)]
pub(crate) struct Writers {
    /// Writers waiting for their turn.
    queued: AtomicUsize,
    /// The council's turn, with the transaction left open by the writer
    /// before, when it handed one on.
    turn: Arc<Mutex<Option<Batch>>>,
}

/// A transaction carrying one or more writes of a council.
pub(crate) struct Batch {
    pub tx: WriteTx,
    /// The whole register as the writes so far have left it, when this
    /// server could follow them in memory: what the next write decides on.
    pub base: Option<Arc<Index>>,
    /// The writes made before the last, waiting to be told of the commit.
    waiting: Vec<oneshot::Sender<Told>>,
}

impl Batch {
    pub fn new(tx: WriteTx, base: Option<Arc<Index>>) -> Batch {
        Batch { tx, base, waiting: Vec::new() }
    }
}

/// A writer's turn: the council's lock, and the transaction handed on, if any.
pub(crate) struct Turn {
    guard: OwnedMutexGuard<Option<Batch>>,
    writers: Arc<Writers>,
}

impl Writers {
    /// Waits for the council's turn.
    pub async fn turn(self: &Arc<Self>) -> Turn {
        /// Counts a writer as queued until it has its turn or gives up waiting.
        struct Queued<'a>(&'a AtomicUsize);
        impl Drop for Queued<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        self.queued.fetch_add(1, Ordering::SeqCst);
        let queued = Queued(&self.queued);
        let guard = self.turn.clone().lock_owned().await;
        drop(queued);
        Turn { guard, writers: self.clone() }
    }

    /// Waits to be told of the commit of the transaction this writer's write
    /// was handed on in. Should whoever was to take it up have gone away
    /// while queued, it is committed here.
    async fn told(&self, mut told: oneshot::Receiver<Told>, state: &AppState, council: &str) -> Result<i64, StoreError> {
        loop {
            tokio::select! {
                outcome = &mut told => return match outcome {
                    Ok(Ok(version)) => Ok(version),
                    Ok(Err(e)) => Err(StoreError::Shared(e)),
                    Err(_) => Err(StoreError::Abandoned),
                },
                () = tokio::time::sleep(LOOK_AGAIN) => {
                    // The lock is handed straight to a writer queued for it, so a
                    // transaction found in a free lock has no one to take it up.
                    if let Ok(mut guard) = self.turn.clone().try_lock_owned() {
                        if let Some(batch) = guard.take() {
                            let _ = commit(state, council, batch).await;
                        }
                    }
                }
            }
        }
    }
}

impl Turn {
    /// The transaction the writer before handed on, if any.
    pub fn take(&mut self) -> Option<Batch> {
        self.guard.take()
    }

    /// Ends this writer's turn, its write made in `batch` (`made`) or not:
    /// the transaction goes on to the next writer queued while it has room,
    /// or is committed. Returns the write's version once it is committed.
    pub async fn end(mut self, state: &AppState, council: &str, mut batch: Batch, made: bool) -> Result<i64, StoreError> {
        if self.writers.queued.load(Ordering::SeqCst) > 0 && batch.waiting.len() < MOST {
            let (tell, told) = oneshot::channel();
            if made {
                batch.waiting.push(tell);
            }
            *self.guard = Some(batch);
            let writers = self.writers.clone();
            drop(self);
            if !made {
                return Ok(0);
            }
            return writers.told(told, state, council).await;
        }
        // The next writer here starts a transaction of its own, after this
        // one has committed and its view is in place.
        let outcome = commit(state, council, batch).await;
        drop(self);
        outcome
    }
}

/// Commits a transaction's writes, puts the view of the council they made in
/// place, and tells each writer waiting on it. Returns the version committed.
async fn commit(state: &AppState, council: &str, batch: Batch) -> Result<i64, StoreError> {
    let Batch { tx, base, waiting } = batch;
    let any = tx.has_writes();
    let outcome = tx.commit_made().await.map_err(Arc::new);
    if let (Ok(version), true) = (&outcome, any) {
        // Whatever happens now, the writes are kept. The view is the register
        // as they left it in memory; or, should that not have been followed,
        // read back. If neither can be had at once, the change feed brings it.
        match base {
            Some(full) => state.install(council, crate::CouncilView::of_whole(full, *version)),
            None => {
                if let Err(e) = state.refresh(council, Some(*version)).await {
                    tracing::warn!(council = %council, version, error = %e, "committed, but could not refresh the view at once");
                }
            }
        }
    }
    for tell in waiting {
        // A writer that has gone away is not told.
        let _ = tell.send(outcome.clone());
    }
    outcome.map_err(StoreError::Shared)
}

#[cfg(test)]
mod tests {
    use super::{Batch, Ordering};
    use crate::AppState;
    use placeworks_store::testing;
    use std::future::{poll_fn, Future};
    use std::task::Poll;

    /// Polls a future once: whether it finished.
    async fn once<F: Future + Unpin>(f: &mut F) -> bool {
        poll_fn(|cx| Poll::Ready(std::pin::Pin::new(&mut *f).poll(cx).is_ready())).await
    }

    /// A writer hands its open transaction to the one queued behind it, and
    /// that one goes away (its request dropped) before taking its turn. The
    /// first, waiting to be told of the commit, finds the transaction in the
    /// free lock, commits it itself, and its write is kept.
    #[tokio::test]
    async fn a_transaction_handed_to_a_writer_who_went_away_is_committed_by_the_writer_waiting_on_it() {
        for db in testing::both().await {
            let bucks = placeworks_domain::dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
            db.store.replace_council(&bucks, "1").await.unwrap();
            let state = AppState::new(db.store.clone(), testing::clock()).await.unwrap();
            let council = "buckinghamshire";
            let writers = state.writers(council);

            let mut first = writers.turn().await;
            assert!(first.take().is_none(), "on {}: no transaction is handed on to the first writer", db.name);
            let mut tx = state.store.begin_write(council).await.unwrap();
            tx.apply(&[], &[]).await.unwrap();
            let version = tx.made("handed-on");

            // The second writer queues for the council's turn.
            let mut second = Box::pin(writers.turn());
            assert!(!once(&mut second).await, "on {}: the second writer waits for its turn", db.name);
            assert_eq!(writers.queued.load(Ordering::SeqCst), 1, "on {}", db.name);

            // The first ends its turn: someone is queued, so it hands the
            // transaction on and waits to be told of the commit.
            let mut end = Box::pin(first.end(&state, council, Batch::new(tx, None), true));
            assert!(!once(&mut end).await, "on {}: the first writer waits for the commit", db.name);
            assert!(state.store.changes_since(council, version - 1).await.unwrap().is_empty(), "on {}: nothing is committed yet", db.name);

            // The second goes away before taking its turn.
            drop(second);
            assert_eq!(writers.queued.load(Ordering::SeqCst), 0, "on {}", db.name);

            let told = tokio::time::timeout(std::time::Duration::from_secs(5), end).await;
            assert_eq!(told.expect("the first writer is told within 5 s").unwrap(), version, "on {}", db.name);
            assert_eq!(
                state.store.changes_since(council, version - 1).await.unwrap(),
                vec![(version, "handed-on".to_owned())],
                "on {}: the write is kept",
                db.name
            );
            assert_eq!(state.site().view(council).map(|v| v.version), Some(version), "on {}: the view follows", db.name);
            let mut next = writers.turn().await;
            assert!(next.take().is_none(), "on {}: the transaction is not left in the lock", db.name);
        }
    }
}
