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

use proc_macro2::TokenStream;

use crate::error::Error;
use crate::ir::Ir;
use ctx::{Ctx, Module};

/// Emits every file of the generated module, in a fixed order.
///
/// `spec_name` is the file name errors report (as in [`crate::Input::file_name`]). Emission
/// fails only on an IR that `lower` never produces (an identifier that is not one, a
/// reference to a type that does not exist, a range bound on an integer that is not an
/// `i64` — lowering rounds those, `lower::rules::integer_bounds`): a hand-built IR can
/// reach those errors, a lowered one cannot.
pub fn emit(ir: &Ir, spec_name: &str) -> Result<Vec<(String, TokenStream)>, Error> {
    Ok(vec![
        (
            "mod.rs".to_owned(),
            root::emit(&Ctx::new(ir, spec_name, Module::Root))?,
        ),
        (
            "models.rs".to_owned(),
            models::emit(&Ctx::new(ir, spec_name, Module::Models))?,
        ),
        (
            "security.rs".to_owned(),
            security::emit(&Ctx::new(ir, spec_name, Module::Root))?,
        ),
        (
            "unions.rs".to_owned(),
            unions::emit(&Ctx::new(ir, spec_name, Module::Unions))?,
        ),
        (
            "operations.rs".to_owned(),
            operations::emit(&Ctx::new(ir, spec_name, Module::Operations))?,
        ),
    ])
}

#[cfg(test)]
mod tests;
