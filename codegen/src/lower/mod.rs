//! Stage 3, lower: a validated document → [`Ir`]. Every naming decision, `allOf` merge,
//! union construction and operation layout is decided here, once; emit only prints.
//!
//! Input: a [`Validated`] document (so `$ref`s resolve, operationIds are unique and path
//! templates arrive parsed and bound to their parameters; none of that is checked again).
//! Output: an [`Ir`], or the first problem found (lowering stops at the first error; it
//! never panics and never loops on a validated document).
//!
//! Passes, in order (each deterministic, none depends on mapping key order), each over
//! the narrowest input it can take:
//! 1. name every component schema (sorted by key; reserved names last, see `naming`);
//! 2. lower every component schema (sorted by key), naming inline schemas on the way
//!    (`schema`, which dispatches to `structs`, `compose`, `unions` and `enums`);
//! 3. lower every operation (sorted by operationId, or by route for one without: method
//!    and builder names first, spec names before route names: `operations`, `params`,
//!    `bodies`, `versions`, `deprecation`);
//! 4. strip discriminator properties from union variant structs (`tags`);
//! 5. drop inline types nothing refers to any more (the tag enums step 4 orphaned: `gc`);
//! 6. mark the untagged unions sent as parameter text (`params`);
//! 7. put the variants of untagged unions in decoding order (`unions`);
//! 8. box the fields that close reference cycles (`recursion`);
//! 9. make range bounds on integers integral (`rules`);
//! 10. find the list operations (`pagination`);
//! 11. find the shared error body (`error_body`);
//! 12. lower the security schemes, with the default scopes the operations ask for
//!     (`security`; each operation's own requirement is read in step 3);
//! 13. mark the types whose values `Validate` can reject (`checked`).

mod allof;
mod bodies;
pub(crate) mod checked;
mod compose;
mod deprecation;
mod enums;
mod error_body;
mod gc;
mod hint;
mod keywords;
mod media;
mod multipart;
pub mod naming;
mod operations;
mod pagination;
mod params;
mod partial;
mod recurse;
mod recursion;
mod rules;
mod schema;
mod security;
mod structs;
mod tags;
#[cfg(test)]
pub(crate) mod tests;
mod text;
mod unions;
mod versions;

use crate::document::Document;
use crate::error::Error;
use crate::ir::{Ir, Operation};
use crate::skip::{Options, Warning};
use crate::validate::Validated;
use partial::{Round, Skips};

/// Lowers a validated document to the IR (strict: the first problem stops it).
pub fn lower(valid: &Validated<'_>) -> Result<Ir, Error> {
    lower_with(valid, &Options::default()).map(|(ir, _)| ir)
}

/// [`lower`] with [`Options`]. With `skip_unsupported`, an operation or schema component
/// with a problem is left out, and so is what needs it (one [`Warning`] each, besides
/// those of `validate`): lowering runs again without them until a run finds no problem
/// (see `partial`). A problem outside every item still stops it.
pub fn lower_with(valid: &Validated<'_>, options: &Options) -> Result<(Ir, Vec<Warning>), Error> {
    let mut skips = Skips::new(valid.skipped_schemas());
    loop {
        let mut round = Round::new(options.skip_unsupported);
        let (ir, uses) = lower_round(valid, &skips, &mut round)?;
        match ir {
            Some(ir) if !round.failed() => return Ok((ir, skips.warnings)),
            _ => skips.absorb(valid.document().file(), round, uses)?,
        }
    }
}

/// One run of every pass over what is not skipped. `None` when skip mode found a problem
/// (in `round`), with the `$ref`s to components each item was seen to use.
fn lower_round(
    valid: &Validated<'_>,
    skips: &Skips,
    round: &mut Round,
) -> Result<(Option<Ir>, Vec<partial::Use>), Error> {
    let doc = valid.document();
    let mut schemas = schema::Schemas::new(doc, &skips.schemas, round)?;
    schemas.lower_components(round)?;
    let ops = valid
        .operations()
        .iter()
        .filter(|op| !skips.operations.contains(&op.at));
    let operations = operations::lower_operations(ops, &mut schemas, round)?;
    let (lowered, uses) = schemas.finish();
    if round.failed() {
        return Ok((None, uses));
    }
    Ok((passes(doc, lowered, operations, round)?, uses))
}

/// Passes 4 to 10, over the whole IR.
fn passes(
    doc: Document<'_>,
    lowered: schema::Lowered,
    mut operations: Vec<Operation>,
    round: &mut Round,
) -> Result<Option<Ir>, Error> {
    let (mut types, derived) = (lowered.types, lowered.derived);
    if round
        .pass(doc, tags::strip_tags(doc, &mut types))?
        .is_none()
    {
        return Ok(None);
    }
    gc::collect_garbage(&mut types, &lowered.components, &derived, &operations);
    params::mark_param_unions(&mut types);
    unions::order_untagged(&mut types);
    if round
        .pass(doc, recursion::box_cycles(&mut types, doc.file()))?
        .is_none()
    {
        return Ok(None);
    }
    let bounds = rules::integer_bounds(doc, &mut types, &mut operations);
    if round.pass(doc, bounds)?.is_none() {
        return Ok(None);
    }
    if round
        .pass(doc, pagination::paginate(doc, &types, &mut operations))?
        .is_none()
    {
        return Ok(None);
    }
    let error_body = error_body::error_body(&types, &derived, &operations);
    let security = security::security(doc, &operations)?;
    checked::mark_checked(&mut types);
    let api = doc.api();
    Ok(Some(Ir {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        base_url: api.servers.first().map(|s| s.url.clone()),
        types,
        operations,
        error_body,
        security,
    }))
}
