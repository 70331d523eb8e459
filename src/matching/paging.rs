//! Pages of an append-only log's events (access records, outcome events). A page token is the
//! sequence of the last event given, so a page stays put while new events are appended.

use crate::error::{Error, Result};

/// Events per page when the request says 0.
pub const DEFAULT_LOG_PAGE: u32 = 100;
/// The most events one page may ask for.
pub const MAX_LOG_PAGE: u32 = 1_000;

/// Which page of a log to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogPage {
    /// Events per page, at least 1.
    pub size: usize,
    /// The sequence of the last event of the previous page; `None`: the first page.
    pub after: Option<u64>,
}

impl LogPage {
    /// The page a request asks for: `page_size` (0: the default) and `page_token` (empty: the
    /// first page), each error naming its field.
    pub fn parse(page_size: u32, page_token: &str) -> Result<Self> {
        if page_size > MAX_LOG_PAGE {
            return Err(Error::invalid(
                "page_size",
                format!("{page_size} is over the limit of {MAX_LOG_PAGE}"),
            ));
        }
        let after =
            match page_token {
                "" => None,
                token => Some(token.parse::<u64>().map_err(|_| {
                    Error::invalid("page_token", "is not a token this server gave")
                })?),
            };
        Ok(Self {
            size: if page_size == 0 {
                DEFAULT_LOG_PAGE
            } else {
                page_size
            } as usize,
            after,
        })
    }

    /// Whether an event with `sequence` lies beyond the previous page, in a log read oldest
    /// first (`newest_first` false) or newest first.
    pub fn admits(&self, sequence: u64, newest_first: bool) -> bool {
        match (self.after, newest_first) {
            (None, _) => true,
            (Some(after), false) => sequence > after,
            (Some(after), true) => sequence < after,
        }
    }

    /// The page of `events` (already in reading order and filtered) and the token of the next
    /// page, if any event is left after it.
    pub fn take<E>(
        &self,
        events: impl IntoIterator<Item = E>,
        sequence: impl Fn(&E) -> u64,
        newest_first: bool,
    ) -> (Vec<E>, Option<String>) {
        let mut page = Vec::with_capacity(self.size.min(64));
        for event in events {
            if !self.admits(sequence(&event), newest_first) {
                continue;
            }
            if page.len() == self.size {
                let last = page.last().map(&sequence).unwrap_or_default();
                return (page, Some(last.to_string()));
            }
            page.push(event);
        }
        (page, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sizes_and_tokens_are_checked_naming_their_field() {
        assert_eq!(
            LogPage::parse(0, "").unwrap().size,
            DEFAULT_LOG_PAGE as usize
        );
        let err = LogPage::parse(MAX_LOG_PAGE + 1, "")
            .unwrap_err()
            .to_string();
        assert!(err.contains("page_size"), "{err}");
        let err = LogPage::parse(10, "abc").unwrap_err().to_string();
        assert!(err.contains("page_token"), "{err}");
        assert_eq!(LogPage::parse(10, "42").unwrap().after, Some(42));
    }

    proptest! {
        /// Following the tokens from the first page visits every event once, in order, in
        /// either direction, and only the last page has no token.
        #[test]
        fn pages_cover_the_log_once_in_order(
            n in 0usize..60, size in 1usize..9, newest_first in any::<bool>(),
        ) {
            let mut log: Vec<u64> = (1..=n as u64).map(|s| s * 3).collect();
            if newest_first {
                log.reverse();
            }
            let mut seen = Vec::new();
            let mut page = LogPage { size, after: None };
            loop {
                let (events, next) = page.take(log.iter().copied(), |s| *s, newest_first);
                prop_assert!(events.len() <= size);
                seen.extend(events.iter().copied());
                match next {
                    Some(token) => {
                        prop_assert_eq!(events.len(), size);
                        page = LogPage::parse(size as u32, &token).unwrap();
                    }
                    None => break,
                }
            }
            prop_assert_eq!(seen, log);
        }
    }
}
