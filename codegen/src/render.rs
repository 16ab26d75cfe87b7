//! Stages 4 and 5 together, on every core: [`Ir`] → the text of each generated file.
//!
//! Input: a lowered [`Ir`]. Output: the same files as `format::format_file` of each of
//! `emit::emit`'s token streams, byte for byte, whatever the number of threads.
//!
//! Emitting and formatting a large API is most of the generator's time (GitHub's 1,223
//! operations: about three quarters), and `models.rs` most of that. Token streams cannot
//! cross threads, so the work is cut into [`emit::parts`] (whole files, and runs of
//! `models.rs` and `operations.rs`), each of which a thread emits and formats to text on its own. Threads take
//! the next part in the order `emit::parts` gives (largest first); every result is kept
//! under its part's position, and the files are put together in that order, so the output
//! never depends on which thread took what.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::emit::{self, Imports, Part, Split};
use crate::error::Error;
use crate::format;
use crate::ir::Ir;

/// Emits and formats every file of `ir`: `(rel_path, text)` pairs (in `emit::emit`'s order). The first error, in
/// the order of [`emit::parts`], is the one returned.
pub fn render(ir: &Ir, spec_name: &str) -> Result<Vec<(String, String)>, Error> {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    render_on(ir, spec_name, &emit::parts(ir), threads)
}

fn render_on(
    ir: &Ir,
    spec_name: &str,
    parts: &[Part],
    threads: usize,
) -> Result<Vec<(String, String)>, Error> {
    let done = map_parts(parts, threads, |part| {
        let (tokens, imports) = emit::emit_part(ir, spec_name, part)?;
        let text = match part {
            Part::File(w) => format::format_file(tokens, w.rel_path(), spec_name)?,
            Part::Run(split, _) => format::unparse(tokens, split.rel_path(), spec_name)?,
        };
        Ok((text, imports))
    });
    let mut files = Vec::new();
    let mut runs: BTreeMap<Split, (String, Imports)> = BTreeMap::new();
    for (part, result) in parts.iter().zip(done) {
        let (text, more) = result?;
        match part {
            Part::File(w) => files.push((w.rel_path().to_owned(), text)),
            Part::Run(split, _) => {
                let (items, imports) = runs.entry(*split).or_default();
                items.push_str(&text);
                imports.merge(more);
            }
        }
    }
    for split in Split::ALL {
        let (items, imports) = runs.remove(&split).unwrap_or_default();
        let head = emit::header(ir, spec_name, split, &imports);
        let mut text = format::unparse(head, split.rel_path(), spec_name)?;
        text.push_str(&items);
        files.push((
            split.rel_path().to_owned(),
            format::finish(&text, spec_name),
        ));
    }
    Ok(files)
}

/// `parts.iter().map(work).collect()` on up to `threads` threads; the results are in the
/// order of `parts`. A panic in `work` is raised again here, as it would be on one thread.
fn map_parts<T, F>(parts: &[Part], threads: usize, work: F) -> Vec<T>
where
    T: Send,
    F: Fn(&Part) -> T + Sync,
{
    let threads = threads.min(parts.len());
    if threads <= 1 {
        return parts.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let take = || {
        let mut mine = Vec::new();
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(at) else { break };
            mine.push((at, work(part)));
        }
        mine
    };
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(take)).collect();
        let mut done = take();
        for helper in helpers {
            match helper.join() {
                Ok(theirs) => done.extend(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_by_key(|(at, _)| *at);
    done.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{document, load, lower, validate, Input};

    fn lowered(file_name: &str, text: &[u8]) -> Ir {
        let loaded = load::load(&Input { file_name, text }).unwrap();
        let document = document::Document::new(&loaded.doc, &loaded.raw, file_name);
        let valid = validate::validate_with(document, &Default::default()).unwrap();
        lower::lower_with(&valid, &Default::default()).unwrap().0
    }

    /// Whatever the cut and the number of threads, the files are those of one thread
    /// emitting the same parts and formatting each whole file.
    #[test]
    fn parts_on_threads_give_the_bytes_of_whole_files() {
        let specs: [(&str, &[u8]); 2] = [
            (
                "spec/atlas-admin-v2.yaml",
                include_bytes!("../../spec/atlas-admin-v2.yaml"),
            ),
            (
                "tests/fixtures/allof_unions.yaml",
                include_bytes!("../tests/fixtures/allof_unions.yaml"),
            ),
        ];
        for (name, text) in specs {
            let ir = lowered(name, text);
            assert!(ir.types.len() > 3, "{name}: too few types to cut");
            for per_part in [1, 3, ir.types.len(), 64] {
                let parts = emit::parts_of(&ir, per_part);
                let mut whole: Vec<(String, String)> = emit::emit_from(&ir, name, &parts)
                    .unwrap()
                    .into_iter()
                    .map(|(path, tokens)| {
                        let text = format::format_file(tokens, &path, name).unwrap();
                        (path, text)
                    })
                    .collect();
                whole.sort();
                for threads in [1, 2, 3] {
                    let mut files = render_on(&ir, name, &parts, threads).unwrap();
                    files.sort();
                    assert_eq!(
                        files, whole,
                        "{name}: {per_part} per part, {threads} threads"
                    );
                }
            }
        }
    }

    /// A cut of `operations.rs` gives one `impl Client` block per run, and every
    /// operation's method and builder once; `models.rs` does not depend on the cut.
    #[test]
    fn a_cut_of_operations_keeps_every_operation_once() {
        let name = "spec/atlas-admin-v2.yaml";
        let ir = lowered(name, include_bytes!("../../spec/atlas-admin-v2.yaml"));
        let file = |per_part: usize, path: &str| {
            let parts = emit::parts_of(&ir, per_part);
            render_on(&ir, name, &parts, 2)
                .unwrap()
                .into_iter()
                .find(|(rel_path, _)| rel_path == path)
                .unwrap()
                .1
        };
        let ops = ir.operations.len();
        assert!(ops > 3, "too few operations to cut");
        let (one, cut) = (file(ops, "operations.rs"), file(3, "operations.rs"));
        assert_eq!(one.matches("impl crate::client::Client {").count(), 1);
        assert_eq!(
            cut.matches("impl crate::client::Client {").count(),
            ops.div_ceil(3)
        );
        for op in &ir.operations {
            let method = format!("pub fn {}(", op.method_name.as_str());
            assert_eq!(cut.matches(&method).count(), 1, "{method}");
        }
        let lines = |text: &str| text.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(lines(&cut), lines(&one) + 2 * (ops.div_ceil(3) - 1));
        assert_eq!(file(1, "models.rs"), file(ops, "models.rs"));
    }

    #[test]
    fn results_keep_the_order_of_the_parts() {
        let parts: Vec<Part> = (0..40)
            .map(|i| Part::Run(Split::Models, i..i + 1))
            .collect();
        for threads in [1, 2, 4] {
            let starts = map_parts(&parts, threads, |p| match p {
                Part::Run(_, r) => r.start,
                Part::File(_) => usize::MAX,
            });
            assert_eq!(starts, (0..40).collect::<Vec<_>>(), "{threads} threads");
        }
    }
}
