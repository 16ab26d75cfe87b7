//! The corpus's outcome table and failure list (stdout).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use super::worker::Version;
use super::Document;

/// Rows that are not error kinds, in the order they are printed (after the kinds).
const TAIL_ROWS: [&str; 4] = ["panic", "crash", "time-out", "unreadable"];

/// The table: one row per outcome (generated, each error kind by count, panics, crashes,
/// time-outs), one column per OpenAPI version present, counts and percentages of the column;
/// then the timings.
pub fn table(dir: &Path, docs: &[Document], jobs: usize, wall: Duration) -> String {
    let columns: Vec<Option<Version>> = std::iter::once(None)
        .chain(
            Version::ALL
                .into_iter()
                .filter(|v| docs.iter().any(|d| d.reply.version == *v))
                .map(Some),
        )
        .collect();
    let in_column = |d: &Document, c: Option<Version>| c.is_none_or(|v| d.reply.version == v);
    let count = |row: &str, c: Option<Version>| {
        docs.iter()
            .filter(|d| d.row() == row && in_column(d, c))
            .count()
    };
    let totals: Vec<usize> = columns
        .iter()
        .map(|&c| docs.iter().filter(|d| in_column(d, c)).count())
        .collect();

    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for d in docs {
        let row = d.row();
        if row != "generated" && !TAIL_ROWS.contains(&row) {
            *kinds.entry(row).or_default() += 1;
        }
    }
    let mut kinds: Vec<(&str, usize)> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let rows: Vec<&str> = std::iter::once("generated")
        .chain(kinds.iter().map(|k| k.0))
        .chain(TAIL_ROWS)
        .collect();
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0).max(12);

    let mut out = String::new();
    let _ = writeln!(out, "\ncorpus {}: {} documents", dir.display(), docs.len());
    let _ = write!(out, "{:width$}", "outcome");
    for c in &columns {
        let _ = write!(out, " {:>14}", c.map_or("all", Version::label));
    }
    out.push('\n');
    let cell = |n: usize, total: usize| {
        let pct = if total == 0 {
            0.0
        } else {
            100.0 * n as f64 / total as f64
        };
        format!(" {n:>7} {pct:>5.1}%")
    };
    for row in rows {
        let _ = write!(out, "{row:width$}");
        for (c, total) in columns.iter().zip(&totals) {
            out.push_str(&cell(count(row, *c), *total));
        }
        out.push('\n');
    }
    let _ = write!(out, "{:width$}", "total");
    for total in &totals {
        out.push_str(&cell(*total, *total));
    }
    out.push('\n');
    // `--skip-unsupported`: how much of the generated documents was left out.
    let warned: Vec<usize> = docs
        .iter()
        .map(Document::warnings)
        .filter(|&n| n > 0)
        .collect();
    if !warned.is_empty() {
        let _ = writeln!(
            out,
            "skipped: {} warnings in {} of the {} generated documents",
            warned.iter().sum::<usize>(),
            warned.len(),
            count("generated", None)
        );
    }

    let busy: u64 = docs.iter().map(|d| d.reply.millis).sum();
    let _ = writeln!(
        out,
        "\ntime: {:.1} s wall on {jobs} workers, {:.1} s in the generator",
        wall.as_secs_f64(),
        busy as f64 / 1e3
    );
    let mut slowest: Vec<&Document> = docs.iter().collect();
    slowest.sort_by_key(|d| std::cmp::Reverse(d.reply.millis));
    let _ = writeln!(out, "slowest:");
    for d in slowest.iter().take(5) {
        let _ = writeln!(
            out,
            "  {:>8.1} s  {:>6.1} MB  {}  ({})",
            d.reply.millis as f64 / 1e3,
            d.bytes as f64 / 1e6,
            d.rel,
            d.row()
        );
    }
    out
}

/// One line per document that does not generate: path, tab, why.
pub fn failures(docs: &[Document]) -> String {
    let mut out = String::from("\nfailures:\n");
    for d in docs {
        if let Some(why) = d.failure() {
            let _ = writeln!(out, "{}\t{why}", d.rel);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::worker::{Outcome, Reply};
    use super::*;

    fn doc(rel: &str, version: Version, outcome: Outcome) -> Document {
        Document {
            rel: rel.to_owned(),
            bytes: 10,
            reply: Reply {
                version,
                outcome,
                millis: 5,
            },
        }
    }

    #[test]
    fn rows_columns_and_percentages() {
        let failed = |kind: &str| Outcome::Failed {
            kind: kind.to_owned(),
            first: "#: x".to_owned(),
            errors: 1,
        };
        let docs = [
            doc(
                "a",
                Version::V30,
                Outcome::Generated {
                    files: 4,
                    lines: 9,
                    warnings: 0,
                },
            ),
            doc("b", Version::V30, failed("MissingOperationId")),
            doc("c", Version::V30, failed("MissingOperationId")),
            doc("d", Version::V31, failed("UnsupportedVersion")),
            doc("e", Version::V30, Outcome::TimedOut { secs: 3 }),
        ];
        let text = table(Path::new("dir"), &docs, 2, Duration::from_secs(1));
        let line = |start: &str| {
            text.lines()
                .find(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("no row {start} in\n{text}"))
                .split_whitespace()
                .skip(1)
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(line("outcome"), "all 3.0 3.1", "{text}");
        assert_eq!(line("generated"), "1 20.0% 1 25.0% 0 0.0%");
        assert_eq!(line("MissingOperationId"), "2 40.0% 2 50.0% 0 0.0%");
        assert_eq!(line("UnsupportedVersion"), "1 20.0% 0 0.0% 1 100.0%");
        assert_eq!(line("time-out"), "1 20.0% 1 25.0% 0 0.0%");
        assert_eq!(line("panic"), "0 0.0% 0 0.0% 0 0.0%");
        assert_eq!(line("total"), "5 100.0% 4 100.0% 1 100.0%");
        let kinds: Vec<&str> = text
            .lines()
            .map(|l| l.split(' ').next().unwrap_or(""))
            .collect();
        let pos = |k| kinds.iter().position(|x| *x == k).unwrap();
        assert!(
            pos("MissingOperationId") < pos("UnsupportedVersion"),
            "by count"
        );

        let list = failures(&docs);
        assert_eq!(
            list.lines()
                .filter(|l| l.contains('\t'))
                .collect::<Vec<_>>(),
            [
                "b\tMissingOperationId: #: x",
                "c\tMissingOperationId: #: x",
                "d\tUnsupportedVersion: #: x",
                "e\ttime-out: still running after 3 s",
            ]
        );
    }
}
