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

/// `f` over `items` in runs of [`run_len`], one thread a run when there are several;
/// the results in order. A run whose thread panicked gives `R::default()`.
pub(crate) fn per_core<T: Sync, R: Send + Default>(
    items: &[T],
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let len = run_len(items.len());
    if len >= items.len() {
        return vec![f(items)];
    }
    let f = &f;
    std::thread::scope(|s| {
        let runs: Vec<_> = items.chunks(len).map(|c| s.spawn(move || f(c))).collect();
        runs.into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// `f` over `items` in runs of [`run_len`], changing them, one thread a run when
/// there are several.
pub(crate) fn per_core_mut<T: Send>(items: &mut [T], f: impl Fn(&mut [T]) + Sync) {
    let len = run_len(items.len());
    if len >= items.len() {
        return f(items);
    }
    let f = &f;
    std::thread::scope(|s| {
        for c in items.chunks_mut(len) {
            s.spawn(move || f(c));
        }
    });
}
