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

/// How many entries of `Ir::types` one [`Part::Models`] covers: small enough that two
/// threads share `models.rs` evenly on a large API, large enough that a part's fixed cost
/// (a context, a parse) is small. Fixed, so that the parts do not depend on the machine.
const MODELS_PER_PART: usize = 64;

/// A piece of emission that can run on its own thread: tokens cannot cross threads, so a
/// thread emits and formats a part and hands over text. See [`parts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A whole file.
    File(Whole),
    /// The items of `models.rs` for the entries of `Ir::types` at these positions (types
    /// that go to `unions.rs` are skipped). The file's inner docs and `use` items come from
    /// [`models_header`], once every run is emitted.
    Models(Range<usize>),
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
    /// `operations.rs`.
    Operations,
}

impl Whole {
    /// The file's path relative to the output directory.
    pub fn rel_path(self) -> &'static str {
        match self {
            Self::Root => "mod.rs",
            Self::Security => "security.rs",
            Self::Unions => "unions.rs",
            Self::Operations => "operations.rs",
        }
    }
}

/// The `use` items some [`Part::Models`] needed; [`models_header`] writes their union.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imports(BTreeSet<Use>);

impl Imports {
    /// Adds another part's imports.
    pub fn merge(&mut self, other: Self) {
        self.0.extend(other.0);
    }
}

/// The parts of the generated files, the largest first (`operations.rs`, then the runs of
/// `models.rs` in type order, then the small files), so that threads taking them in this
/// order finish close together. Joining the runs of `models.rs` in this order, under
/// [`models_header`], gives the file [`emit`] returns.
pub fn parts(ir: &Ir) -> Vec<Part> {
    parts_of(ir, MODELS_PER_PART)
}

/// [`parts`], with `per_part` types to a run of `models.rs` (tests cut finer).
pub(crate) fn parts_of(ir: &Ir, per_part: usize) -> Vec<Part> {
    let (types, per_part) = (ir.types.len(), per_part.max(1));
    let mut parts = vec![Part::File(Whole::Operations)];
    parts.extend(
        (0..types.div_ceil(per_part))
            .map(|i| Part::Models(i * per_part..((i + 1) * per_part).min(types))),
    );
    parts.extend([Whole::Unions, Whole::Security, Whole::Root].map(Part::File));
    parts
}

/// Emits one part: a whole file's tokens (and no imports: the file has its own), or a run
/// of `models.rs` items and the imports they need.
pub fn emit_part(ir: &Ir, spec_name: &str, part: &Part) -> Result<(TokenStream, Imports), Error> {
    let file = |here| Ctx::new(ir, spec_name, here);
    let tokens = match part {
        Part::Models(range) => {
            let ctx = file(Module::Models);
            let items = models::items(&ctx, range.clone())?;
            return Ok((items, Imports(ctx.take_uses())));
        }
        Part::File(Whole::Root) => root::emit(&file(Module::Root))?,
        Part::File(Whole::Security) => security::emit(&file(Module::Root))?,
        Part::File(Whole::Unions) => unions::emit(&file(Module::Unions))?,
        Part::File(Whole::Operations) => operations::emit(&file(Module::Operations))?,
    };
    Ok((tokens, Imports::default()))
}

/// The head of `models.rs`: its inner docs and the `use` items its parts needed.
pub fn models_header(ir: &Ir, spec_name: &str, imports: &Imports) -> TokenStream {
    let ctx = Ctx::new(ir, spec_name, Module::Models);
    ctx::finish(models::docs(&ctx), &imports.0, TokenStream::new())
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
    let (mut models, mut imports) = (TokenStream::new(), Imports::default());
    for part in parts(ir).iter().filter(|p| matches!(p, Part::Models(_))) {
        let (tokens, more) = emit_part(ir, spec_name, part)?;
        models.extend(tokens);
        imports.merge(more);
    }
    let mut head = models_header(ir, spec_name, &imports);
    head.extend(models);
    let whole = |w: Whole| {
        let (tokens, _) = emit_part(ir, spec_name, &Part::File(w))?;
        Ok::<_, Error>((w.rel_path().to_owned(), tokens))
    };
    Ok(vec![
        whole(Whole::Root)?,
        ("models.rs".to_owned(), head),
        whole(Whole::Security)?,
        whole(Whole::Unions)?,
        whole(Whole::Operations)?,
    ])
}

#[cfg(test)]
mod tests;
