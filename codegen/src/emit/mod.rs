//! Stage 4, emit: turns the [`Ir`] into one token stream per generated file.
//!
//! Input: a lowered [`Ir`] (every name already decided by `lower::naming`). Output:
//! `(rel_path, TokenStream)` pairs for `mod.rs`, `models.rs`, `security.rs`, `unions.rs`
//! and `operations.rs`, in that order; `format` turns each into file text.
//!
//! Emit never invents a name: identifiers come from the IR's name newtypes, and the only
//! other identifiers are fixed locals (`at`, `value`, `spec`, …) that cannot collide with
//! anything from the spec because fields and parameters are always reached through
//! `self.`. The generated code calls only the runtime items listed in
//! `docs/runtime-contract.md`, always by their full `crate::…` path.

mod checks;
mod ctx;
mod docs;
mod enums;
mod holding;
mod markdown;
mod models;
mod multipart;
mod op_ctx;
mod operations;
mod pagination;
mod request;
mod root;
mod security;
mod unions;
mod versions;

use std::collections::BTreeSet;
use std::ops::Range;

use proc_macro2::TokenStream;

use crate::error::Error;
use crate::ir::Ir;
use ctx::{Ctx, Module, Use};

/// How many entries one [`Part::Run`] covers: small enough that two threads share a large
/// file evenly and that no one part's syntax tree is large (Microsoft Graph's 11,000
/// operations are one `operations.rs`), large enough that a part's fixed cost (a context,
/// a parse) is small. Fixed, so that the parts do not depend on the machine.
const ENTRIES_PER_PART: usize = 64;

/// A piece of emission that can run on its own thread: tokens cannot cross threads, so a
/// thread emits and formats a part and hands over text. See [`parts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A whole file.
    File(Whole),
    /// The items of a file cut into runs, for its entries at these positions (of
    /// `Ir::types` for `models.rs`, where types that go to `unions.rs` are skipped; of
    /// `Ir::operations` for `operations.rs`). The file's inner docs and `use` items come
    /// from [`header`], once every run is emitted.
    Run(Split, Range<usize>),
}

/// A file that is emitted as one [`Part`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whole {
    /// `mod.rs`.
    Root,
    /// `security.rs`.
    Security,
    /// `unions.rs`.
    Unions,
}

impl Whole {
    /// The file's path relative to the output directory.
    pub fn rel_path(self) -> &'static str {
        match self {
            Self::Root => "mod.rs",
            Self::Security => "security.rs",
            Self::Unions => "unions.rs",
        }
    }
}

/// A file that is emitted in [`Part::Run`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Split {
    /// `models.rs`, by `Ir::types`.
    Models,
    /// `operations.rs`, by `Ir::operations`.
    Operations,
}

impl Split {
    /// Both, in the order [`emit`] returns their files.
    pub const ALL: [Self; 2] = [Self::Models, Self::Operations];

    /// The file's path relative to the output directory.
    pub fn rel_path(self) -> &'static str {
        match self {
            Self::Models => "models.rs",
            Self::Operations => "operations.rs",
        }
    }

    fn module(self) -> Module {
        match self {
            Self::Models => Module::Models,
            Self::Operations => Module::Operations,
        }
    }

    fn entries(self, ir: &Ir) -> usize {
        match self {
            Self::Models => ir.types.len(),
            Self::Operations => ir.operations.len(),
        }
    }
}

/// The `use` items some [`Part::Run`] needed; [`header`] writes their union.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imports(BTreeSet<Use>);

impl Imports {
    /// Adds another part's imports.
    pub fn merge(&mut self, other: Self) {
        self.0.extend(other.0);
    }
}

/// The parts of the generated files, the largest first (the runs of `operations.rs`, then
/// those of `models.rs`, each in entry order, then the small files), so that threads taking
/// them in this order finish close together. Joining a file's runs in this order, under
/// its [`header`], gives the file [`emit`] returns.
pub fn parts(ir: &Ir) -> Vec<Part> {
    parts_of(ir, ENTRIES_PER_PART)
}

/// [`parts`], with `per_part` entries to a run (tests cut finer).
pub(crate) fn parts_of(ir: &Ir, per_part: usize) -> Vec<Part> {
    let per_part = per_part.max(1);
    let mut parts = Vec::new();
    for split in [Split::Operations, Split::Models] {
        let entries = split.entries(ir);
        parts.extend(
            (0..entries.div_ceil(per_part))
                .map(|i| Part::Run(split, i * per_part..((i + 1) * per_part).min(entries))),
        );
    }
    parts.extend([Whole::Unions, Whole::Security, Whole::Root].map(Part::File));
    parts
}

/// Emits one part: a whole file's tokens (and no imports: the file has its own), or a run
/// of a file's items and the imports they need.
pub fn emit_part(ir: &Ir, spec_name: &str, part: &Part) -> Result<(TokenStream, Imports), Error> {
    let file = |here| Ctx::new(ir, spec_name, here);
    let tokens = match part {
        Part::Run(split, range) => {
            let ctx = file(split.module());
            let items = match split {
                Split::Models => models::items(&ctx, range.clone())?,
                Split::Operations => operations::items(&ctx, range.clone())?,
            };
            return Ok((items, Imports(ctx.take_uses())));
        }
        Part::File(Whole::Root) => root::emit(&file(Module::Root))?,
        Part::File(Whole::Security) => security::emit(&file(Module::Root))?,
        Part::File(Whole::Unions) => unions::emit(&file(Module::Unions))?,
    };
    Ok((tokens, Imports::default()))
}

/// The head of a file emitted in runs: its inner docs and the `use` items its runs needed.
pub fn header(ir: &Ir, spec_name: &str, split: Split, imports: &Imports) -> TokenStream {
    let ctx = Ctx::new(ir, spec_name, split.module());
    let docs = match split {
        Split::Models => models::docs(&ctx),
        Split::Operations => operations::docs(),
    };
    ctx::finish(docs, &imports.0, TokenStream::new())
}

/// Emits every file of the generated module, in a fixed order.
///
/// `spec_name` is the file name errors report (as in [`crate::Input::file_name`]). Emission
/// fails only on an IR that `lower` never produces (an identifier that is not one, a
/// reference to a type that does not exist, a range bound on an integer that is not an
/// `i64` — lowering rounds those, `lower::rules::integer_bounds`): a hand-built IR can
/// reach those errors, a lowered one cannot.
///
/// One thread, through the same [`parts`] as `generate`'s threads.
pub fn emit(ir: &Ir, spec_name: &str) -> Result<Vec<(String, TokenStream)>, Error> {
    emit_from(ir, spec_name, &parts(ir))
}

/// [`emit`] from these parts (tests cut finer). A run of `operations.rs` is one `impl
/// Client` block, so the cut shows in that file; `models.rs` reads the same however cut.
pub(crate) fn emit_from(
    ir: &Ir,
    spec_name: &str,
    parts: &[Part],
) -> Result<Vec<(String, TokenStream)>, Error> {
    let split = |split: Split| {
        let (mut items, mut imports) = (TokenStream::new(), Imports::default());
        for part in parts {
            if matches!(part, Part::Run(s, _) if *s == split) {
                let (tokens, more) = emit_part(ir, spec_name, part)?;
                items.extend(tokens);
                imports.merge(more);
            }
        }
        let mut head = header(ir, spec_name, split, &imports);
        head.extend(items);
        Ok::<_, Error>((split.rel_path().to_owned(), head))
    };
    let whole = |w: Whole| {
        let (tokens, _) = emit_part(ir, spec_name, &Part::File(w))?;
        Ok::<_, Error>((w.rel_path().to_owned(), tokens))
    };
    Ok(vec![
        whole(Whole::Root)?,
        split(Split::Models)?,
        whole(Whole::Security)?,
        whole(Whole::Unions)?,
        split(Split::Operations)?,
    ])
}

#[cfg(test)]
mod tests;
