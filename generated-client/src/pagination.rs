//! Lazy pagination: [`paginate`] turns a "fetch page N" closure into a stream of items.
//!
//! Every decision about where a list ends is made here, once: the generated builders pass
//! their page number in its own type ([`PageNumber`]: `i32` or `i64`), and the stream
//! ends when that number cannot advance, so no server can make it loop.

use std::collections::VecDeque;
use std::future::Future;

use futures::stream::BoxStream;
use futures::StreamExt;

use crate::Error;

/// One page of a list operation (the generated list-response struct implements it).
pub trait Page: serde::de::DeserializeOwned + Send + 'static {
    /// The type of one result (generated models are `Clone + PartialEq`: a page equal to
    /// the previous one is recognised as "no new items").
    type Item: Clone + PartialEq + Send + 'static;
    /// The page's results, in order.
    fn into_items(self) -> Vec<Self::Item>;
    /// The total number of results across all pages (`totalCount`), when sent.
    fn total_count(&self) -> Option<u64>;
}

/// The page-number type of a list operation's page parameter (`i32` or `i64`, as the spec
/// says). [`paginate`] counts pages in it, so "the next page" is decided in one place.
pub trait PageNumber: Copy + Send + 'static {
    /// The next page number, or `None` when there is none (the type's maximum).
    fn next(self) -> Option<Self>;
    /// The number as `i64`, to count the items of the pages before it.
    fn to_i64(self) -> i64;
}

impl PageNumber for i32 {
    fn next(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn to_i64(self) -> i64 {
        i64::from(self)
    }
}

impl PageNumber for i64 {
    fn next(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn to_i64(self) -> i64 {
        self
    }
}

struct State<F, N, I> {
    fetch: F,
    next_page: Option<N>,
    page_size: i64,
    seen: u64,
    buffered: VecDeque<I>,
    /// The items of the last page, to recognise a server that serves it again.
    last_page: Vec<I>,
}

/// A stream of every item of a list, fetching page `first_page`, then the next, … only
/// when the consumer has used up the items of the previous one.
///
/// It ends when the items seen reach the page's `total_count`, on an empty page, on a page
/// equal to the previous one (no new items: a server that ignores or clamps the page
/// number), after the page whose number is the largest `N` can hold, or right after
/// yielding the first error. Without a `total_count` it also ends after a short page
/// (fewer than `page_size` items); with one, a short page is not the end, so a server that
/// caps the page size below the one asked for does not truncate the list. So every page
/// number is asked for at most once, and the stream always ends.
pub fn paginate<P, N, F, Fut>(
    first_page: N,
    page_size: i64,
    fetch: F,
) -> BoxStream<'static, Result<P::Item, Error>>
where
    P: Page,
    N: PageNumber,
    F: FnMut(N) -> Fut + Send + 'static,
    Fut: Future<Output = Result<P, Error>> + Send + 'static,
{
    let state = State {
        fetch,
        next_page: Some(first_page),
        page_size,
        // Starting at page N, the N - 1 pages before it count against `total_count`.
        seen: u64::try_from(
            first_page
                .to_i64()
                .saturating_sub(1)
                .saturating_mul(page_size),
        )
        .unwrap_or(0),
        buffered: VecDeque::new(),
        last_page: Vec::new(),
    };
    futures::stream::unfold(state, |mut state| async move {
        if let Some(item) = state.buffered.pop_front() {
            return Some((Ok(item), state));
        }
        let page_num = state.next_page.take()?;
        let page = match (state.fetch)(page_num).await {
            Ok(page) => page,
            Err(error) => return Some((Err(error), state)),
        };
        let total = page.total_count();
        let items = page.into_items();
        if !items.is_empty() && items == state.last_page {
            tracing::debug!(
                page = page_num.to_i64(),
                "the page repeats the previous one: ending the list"
            );
            return None;
        }
        let count = u64::try_from(items.len()).unwrap_or(u64::MAX);
        state.seen = state.seen.saturating_add(count);
        let short = count < state.page_size.unsigned_abs();
        let done = match total {
            Some(total) => state.seen >= total,
            None => short,
        };
        if count > 0 && !done {
            state.next_page = page_num.next();
            if state.next_page.is_none() {
                tracing::warn!(
                    page = page_num.to_i64(),
                    "the page number cannot advance further: ending the list"
                );
            }
            state.last_page = items.clone();
        }
        state.buffered = items.into();
        let first = state.buffered.pop_front()?;
        Some((Ok(first), state))
    })
    // Boxed so the stream is `Unpin`: callers can `try_next().await` on it without pinning.
    .boxed()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use futures::{StreamExt, TryStreamExt};
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct List {
        results: Vec<u32>,
        total: Option<u64>,
    }

    impl Page for List {
        type Item = u32;
        fn into_items(self) -> Vec<u32> {
            self.results
        }
        fn total_count(&self) -> Option<u64> {
            self.total
        }
    }

    type Log = Arc<Mutex<Vec<i64>>>;
    type Fetched = futures::future::Ready<Result<List, Error>>;

    /// A fake server holding `n` items, `size` per page; records the pages asked for.
    fn server(
        n: u32,
        size: u32,
        total: Option<u64>,
        fail_at: Option<i64>,
    ) -> (
        Log,
        impl FnMut(i64) -> futures::future::Ready<Result<List, Error>> + Send + 'static,
    ) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&log);
        let fetch = move |page: i64| {
            seen.lock().unwrap().push(page);
            if Some(page) == fail_at {
                return futures::future::ready(Err(Error::config("boom")));
            }
            let start = u32::try_from(page - 1).unwrap() * size;
            let results = (start..n.max(start)).take(size as usize).collect();
            futures::future::ready(Ok(List { results, total }))
        };
        (log, fetch)
    }

    #[tokio::test]
    async fn stops_on_a_short_page() {
        let (log, fetch) = server(5, 2, None, None);
        let all: Vec<u32> = paginate(1, 2, fetch).try_collect().await.unwrap();
        assert_eq!(all, [0, 1, 2, 3, 4]);
        assert_eq!(*log.lock().unwrap(), [1, 2, 3]);
    }

    #[tokio::test]
    async fn stops_at_total_count_without_an_extra_request() {
        let (log, fetch) = server(4, 2, Some(4), None);
        let all: Vec<u32> = paginate(1, 2, fetch).try_collect().await.unwrap();
        assert_eq!(all, [0, 1, 2, 3]);
        assert_eq!(*log.lock().unwrap(), [1, 2]);
    }

    #[tokio::test]
    async fn a_total_count_outranks_a_short_page() {
        // The server serves 2 items a page although 5 were asked for.
        let (log, fetch) = server(5, 2, Some(5), None);
        let all: Vec<u32> = paginate(1, 5, fetch).try_collect().await.unwrap();
        assert_eq!(all, [0, 1, 2, 3, 4]);
        assert_eq!(*log.lock().unwrap(), [1, 2, 3]);
    }

    #[tokio::test]
    async fn stops_on_an_empty_page() {
        let (log, fetch) = server(4, 2, None, None);
        let all: Vec<u32> = paginate(1, 2, fetch).try_collect().await.unwrap();
        assert_eq!(all, [0, 1, 2, 3]);
        assert_eq!(*log.lock().unwrap(), [1, 2, 3]);
    }

    #[tokio::test]
    async fn fetches_lazily_from_the_first_page_given() {
        let (log, fetch) = server(10, 3, None, None);
        let mut stream = Box::pin(paginate(2, 3, fetch));
        assert!(log.lock().unwrap().is_empty());
        assert_eq!(stream.next().await.unwrap().unwrap(), 3);
        assert_eq!(*log.lock().unwrap(), [2]);
        for expected in [4, 5] {
            assert_eq!(stream.next().await.unwrap().unwrap(), expected);
        }
        assert_eq!(*log.lock().unwrap(), [2]);
        assert_eq!(stream.next().await.unwrap().unwrap(), 6);
        assert_eq!(*log.lock().unwrap(), [2, 3]);
    }

    #[tokio::test]
    async fn yields_the_error_then_ends() {
        let (log, fetch) = server(10, 2, None, Some(2));
        let got: Vec<_> = paginate(1, 2, fetch).collect().await;
        assert_eq!(got.len(), 3);
        assert!(got[..2].iter().all(Result::is_ok));
        assert!(matches!(got[2], Err(Error::Config { .. })));
        assert_eq!(*log.lock().unwrap(), [1, 2]);
    }

    /// A server that ignores the page number: every page is the same full page.
    fn stuck_server(
        size: u32,
        total: Option<u64>,
    ) -> (
        Arc<Mutex<Vec<i32>>>,
        impl FnMut(i32) -> Fetched + Send + 'static,
    ) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&log);
        let fetch = move |page: i32| {
            seen.lock().unwrap().push(page);
            futures::future::ready(Ok(List {
                results: (0..size).collect(),
                total,
            }))
        };
        (log, fetch)
    }

    #[tokio::test]
    async fn ends_when_the_page_number_cannot_advance() {
        let (log, fetch) = stuck_server(3, None);
        let all: Vec<u32> = paginate(i32::MAX, 3, fetch).try_collect().await.unwrap();
        assert_eq!(all, [0, 1, 2]);
        assert_eq!(*log.lock().unwrap(), [i32::MAX]);
        // Also when a total says there is more.
        let (log, fetch) = stuck_server(3, Some(u64::MAX));
        let all: Vec<u32> = paginate(i32::MAX - 1, 3, fetch)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all, [0, 1, 2]);
        assert_eq!(*log.lock().unwrap(), [i32::MAX - 1, i32::MAX]);
    }

    #[tokio::test]
    async fn a_page_with_no_new_items_ends_the_stream() {
        // Full pages, and a total that is never reached: only the repeat ends it.
        let (log, fetch) = stuck_server(2, Some(1_000));
        let all: Vec<u32> = paginate(1, 2, fetch).try_collect().await.unwrap();
        assert_eq!(all, [0, 1]);
        assert_eq!(*log.lock().unwrap(), [1, 2]);
        let (log, fetch) = stuck_server(2, None);
        let all: Vec<u32> = paginate(7_i32, 2, fetch).try_collect().await.unwrap();
        assert_eq!(all, [0, 1]);
        assert_eq!(*log.lock().unwrap(), [7, 8]);
    }

    #[tokio::test]
    async fn i64_page_numbers_end_at_their_maximum() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&log);
        let fetch = move |page: i64| {
            seen.lock().unwrap().push(page);
            // Different items every page, so only the page number can end the list.
            let first = u32::try_from(page % 1_000).unwrap();
            futures::future::ready(Ok::<_, Error>(List {
                results: vec![first, first + 1],
                total: None,
            }))
        };
        let all: Vec<u32> = paginate(i64::MAX - 1, 2, fetch)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 4);
        assert_eq!(*log.lock().unwrap(), [i64::MAX - 1, i64::MAX]);
    }

    #[test]
    fn the_stream_is_send() {
        fn assert_send<T: Send + 'static>(_: T) {}
        let (_, fetch) = server(1, 1, None, None);
        assert_send(paginate(1, 1, fetch));
    }
}
