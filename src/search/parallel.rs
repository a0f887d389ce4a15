//! Work spread over the cores: building the index and scoring a large search take
//! runs of partners, one thread a run.

/// Candidates below this are scored on one thread (spawning costs more than it saves).
const PARALLEL_FROM: usize = 4096;

fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// How many of `n` items each core takes: all of them below [`PARALLEL_FROM`].
pub(crate) fn run_len(n: usize) -> usize {
    if n >= PARALLEL_FROM {
        n.div_ceil(threads())
    } else {
        n
    }
    .max(1)
}

/// How many runs of [`run_len`] `n` items make (one when there are none).
pub(crate) fn runs_of(n: usize) -> usize {
    n.div_ceil(run_len(n)).max(1)
}

/// `f` over `items` in runs of [`run_len`], one thread a run when there are several
/// (the last on the calling thread); the results in order. A run whose thread
/// panicked gives `R::default()`.
pub(crate) fn per_core<T: Sync, R: Send + Default>(
    items: &[T],
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let mut none: Vec<()> = vec![(); threads()];
    per_core_with(items, &mut none, |run, _| f(run))
}

/// [`per_core`], each run with one of `states` (kept by the caller from one call to
/// the next, such as what a run remembered); more runs than states are not made.
pub(crate) fn per_core_with<T: Sync, S: Send, R: Send + Default>(
    items: &[T],
    states: &mut [S],
    f: impl Fn(&[T], &mut S) -> R + Sync,
) -> Vec<R> {
    let len = run_len(items.len()).max(items.len().div_ceil(states.len().max(1)));
    let Some((first, _)) = states.split_first_mut() else {
        return Vec::new();
    };
    if len >= items.len() {
        // One run (no items: one empty run, as a run per core has).
        return vec![f(items, first)];
    }
    let mut runs = items.chunks(len).zip(states.iter_mut());
    let Some(last) = runs.next_back() else {
        return Vec::new();
    };
    let f = &f;
    std::thread::scope(|s| {
        let spawned: Vec<_> = runs.map(|(c, st)| s.spawn(move || f(c, st))).collect();
        let here = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(last.0, last.1)))
            .unwrap_or_default();
        spawned
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .chain(std::iter::once(here))
            .collect()
    })
}

/// `f` over `items` in runs of [`run_len`], changing them, one thread a run when
/// there are several (the last on the calling thread).
pub(crate) fn per_core_mut<T: Send>(items: &mut [T], f: impl Fn(&mut [T]) + Sync) {
    let len = run_len(items.len());
    if len >= items.len() {
        return f(items);
    }
    let mut runs = items.chunks_mut(len);
    let Some(last) = runs.next_back() else {
        return;
    };
    let f = &f;
    std::thread::scope(|s| {
        for c in runs {
            s.spawn(move || f(c));
        }
        f(last);
    });
}
