//! The access log's use cases: recording a call on personal data (erasing it at once when a
//! delete overlapped the call) and reading the records of a seeker.

use super::*;

impl Matcher {
    /// Marks what an access record must be checked against: call it before the call reads.
    pub fn access_mark(&self) -> DeleteMark {
        self.seeker_deletes.mark()
    }

    /// Appends an access record durably; a server without an access log keeps none.
    ///
    /// A delete (on this replica or another) may have removed a named seeker after the call read
    /// them and erased the log before this record was in it. A delete removes the record before
    /// it erases, so the named seekers still stored after the append will be reached by any
    /// erasure to come; those gone are erased here. The check reads the named records, so it is
    /// skipped when no seeker delete ran on this replica since `since` (taken before the call
    /// read) and no other process writes the store.
    pub async fn record_access(&self, record: AccessRecord, since: DeleteMark) -> Result<()> {
        let Some(log) = self.access.clone() else {
            return Ok(());
        };
        let named = record.seeker_ids.clone();
        let checks_erasure = record.action != crate::store::access_log::Action::Delete;
        let appender = log.clone();
        blocking(move || appender.append(record)).await?;
        if !checks_erasure || named.is_empty() {
            return Ok(());
        }
        if !self.shared_store && self.seeker_deletes.none_since(since) {
            return Ok(());
        }
        let store = self.engine().store.clone();
        let asked = named.clone();
        let stored = blocking(move || store.get_records(Collection::Seekers, &asked)).await?;
        let stored: std::collections::HashSet<&str> =
            stored.iter().map(|doc| doc.id.as_str()).collect();
        let gone: Vec<String> = named
            .into_iter()
            .filter(|id| !stored.contains(id.as_str()))
            .collect();
        if !gone.is_empty() {
            blocking(move || {
                for id in &gone {
                    log.erase(Subject::Seeker(id))?;
                }
                Ok(())
            })
            .await?;
        }
        Ok(())
    }

    /// The access records naming `seeker_id` (every record: `None`), oldest first, within the
    /// dates `from..=to` (ISO, inclusive; `None`: open).
    pub async fn access_records(
        &self,
        seeker_id: Option<String>,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<Vec<AccessRecord>> {
        crate::domain::check_date_range(from.as_deref(), to.as_deref())?;
        let log = self
            .access
            .clone()
            .ok_or_else(|| Error::FailedPrecondition("this server keeps no access log".into()))?;
        blocking(move || {
            Ok(log
                .events()?
                .into_iter()
                .filter(|r| seeker_id.as_deref().is_none_or(|id| r.names(id)))
                .filter(|r| {
                    let day = r.at.get(..10).unwrap_or_default();
                    from.as_deref().is_none_or(|f| day >= f)
                        && to.as_deref().is_none_or(|t| day <= t)
                })
                .collect())
        })
        .await
    }
}

/// Seeker deletes begun and finished, counted like a sequence lock: a call that saw both equal
/// before it read, and sees "begun" unchanged after it wrote its access record, overlapped no
/// delete.
#[derive(Debug, Default)]
pub struct DeleteCounts {
    begun: std::sync::atomic::AtomicU64,
    finished: Arc<std::sync::atomic::AtomicU64>,
}

/// [`DeleteCounts`] as a call saw them before it read: `None` when a delete was running.
#[derive(Debug, Clone, Copy)]
pub struct DeleteMark(Option<u64>);

/// Counts a delete as finished when dropped, however it ended.
pub struct DeleteRunning(Arc<std::sync::atomic::AtomicU64>);

impl Drop for DeleteRunning {
    fn drop(&mut self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl DeleteCounts {
    pub(super) fn begin(&self) -> DeleteRunning {
        self.begun.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        DeleteRunning(self.finished.clone())
    }

    fn mark(&self) -> DeleteMark {
        use std::sync::atomic::Ordering::SeqCst;
        let finished = self.finished.load(SeqCst);
        let begun = self.begun.load(SeqCst);
        DeleteMark((begun == finished).then_some(begun))
    }

    fn none_since(&self, mark: DeleteMark) -> bool {
        mark.0 == Some(self.begun.load(std::sync::atomic::Ordering::SeqCst))
    }
}
