//! `codegen`: turns an OpenAPI 3.0 or 3.1 description (one file, or many joined by
//! relative `$ref`s) into the Rust source of a typed client.
//!
//! The pipeline, one module per stage:
//! `load` (text → `openapiv3::OpenAPI` and its JSON, read through one
//! [`document::Document`] view; `$ref` resolution in `resolve`) →
//! `validate` (whole-document checks, every problem reported; only a
//! [`validate::Validated`] document goes on) →
//! `lower` (validated document → [`ir::Ir`], every decision about the output) →
//! `emit` (IR → token streams, reading the IR's decisions) → `format` (prettyplease,
//! header line); `render` runs the last two on every core.
//!
//! This crate does no file-system I/O: it is handed the spec text (and, for a multi-file
//! description, a [`Source`] that reads the other files) and returns files.

pub mod document;
pub mod emit;
pub mod error;
pub mod format;
mod input;
pub mod ir;
pub mod load;
pub mod lower;
pub mod pointer;
pub mod render;
pub mod resolve;
pub mod skip;
pub mod validate;

pub use error::{Error, ErrorKind, Errors};
pub use input::Input;
pub use load::{Files, MemoryFiles, ReadError, Source};
pub use pointer::JsonPointer;
pub use skip::{Item, ItemKind, Options, Warning};

/// One generated file, relative to the output directory (`models.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory, with `/` separators.
    pub rel_path: String,
    /// Full contents, ending with exactly one `\n`.
    pub contents: String,
}

/// What [`generate_with_options`] made: the files, and what skip mode left out of them.
#[derive(Debug)]
pub struct Generated {
    /// As [`generate`] returns them.
    pub files: Vec<GeneratedFile>,
    /// One per problem that left an operation or schema out, sorted by what it left out
    /// (always empty in strict mode).
    pub warnings: Vec<Warning>,
}

/// Runs the whole pipeline: load → validate → lower → emit → format.
///
/// Returns the files for `generated-client/src/generated/` (or any crate's
/// `src/generated/`), sorted by path, or every problem `validate` found (lowering stops at
/// its first problem). Never panics on bad input. `$ref`s to other files are an error here:
/// use [`generate_with_files`] for a description spread over several files.
pub fn generate(input: &Input<'_>) -> Result<Vec<GeneratedFile>, Errors> {
    run(load::load(input)?, input)
}

/// [`generate`] for a description whose `$ref`s may lead to other files (relative to the
/// referring file), read through `files`. Problems are reported in the file, and at the
/// pointer, where they were written.
pub fn generate_with_files(
    input: &Input<'_>,
    files: &Files<'_>,
) -> Result<Vec<GeneratedFile>, Errors> {
    run(load::load_with_files(input, files)?, input)
}

/// [`generate`] (or, with `files`, [`generate_with_files`]) with [`Options`]: with
/// `skip_unsupported`, an operation or schema component the generator cannot lower is left
/// out — and so is whatever needs such a schema — each with a [`Warning`], and the rest is
/// generated (see [`skip`]). Problems of the document as a whole are still errors.
pub fn generate_with_options(
    input: &Input<'_>,
    files: Option<&Files<'_>>,
    options: &Options,
) -> Result<Generated, Errors> {
    let loaded = match files {
        Some(files) => load::load_with_files(input, files)?,
        None => load::load(input)?,
    };
    run_with(loaded, input, options)
}

fn run(loaded: load::Loaded, input: &Input<'_>) -> Result<Vec<GeneratedFile>, Errors> {
    run_with(loaded, input, &Options::default()).map(|g| g.files)
}

fn run_with(
    loaded: load::Loaded,
    input: &Input<'_>,
    options: &Options,
) -> Result<Generated, Errors> {
    let relocate = |e: Error| Errors::from(loaded.origins.relocate(e));
    let document = document::Document::new(&loaded.doc, &loaded.raw, input.file_name);
    let mut valid =
        validate::validate_with(document, options).map_err(|e| loaded.origins.relocate_all(e))?;
    let (ir, lowered) = lower::lower_with(&valid, options).map_err(relocate)?;
    let mut files: Vec<GeneratedFile> = render::render(&ir, input.file_name)
        .map_err(relocate)?
        .into_iter()
        .map(|(rel_path, contents)| GeneratedFile { rel_path, contents })
        .collect();
    files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    let mut warnings: Vec<Warning> = valid
        .take_warnings()
        .into_iter()
        .chain(lowered)
        .map(|w| Warning {
            problem: loaded.origins.relocate(w.problem),
            skipped: w
                .skipped
                .into_iter()
                .map(|item| Item {
                    at: loaded.origins.locate(input.file_name, &item.at).1,
                    ..item
                })
                .collect(),
        })
        .collect();
    skip::sort(&mut warnings);
    Ok(Generated { files, warnings })
}
