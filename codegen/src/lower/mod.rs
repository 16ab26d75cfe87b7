//! Stage 3, lower: a validated document → [`Ir`]. Every naming decision, `allOf` merge,
//! union construction and operation layout is decided here, once; emit only prints.
//!
//! Input: a [`Validated`] document (so `$ref`s resolve, operation ids are unique and path
//! templates arrive parsed and bound to their parameters; none of that is checked again).
//! Output: an [`Ir`], or the first problem found (lowering stops at the first error; it
//! never panics and never loops on a validated document).
//!
//! Passes, in order (each deterministic, none depends on mapping key order), each over
//! the narrowest input it can take:
//! 1. name every component schema (sorted by key; reserved names last, see `naming`);
//! 2. lower every component schema (sorted by key), naming inline schemas on the way
//!    (`schema`, which dispatches to `structs`, `compose`, `unions` and `enums`);
//! 3. lower every operation (sorted by operationId: `operations`, `params`, `bodies`,
//!    `versions`, `deprecation`);
//! 4. strip discriminator properties from union variant structs (`tags`);
//! 5. drop inline types nothing refers to any more (the tag enums step 4 orphaned: `gc`);
//! 6. mark the untagged unions sent as parameter text (`params`);
//! 7. box the fields that close reference cycles (`recursion`);
//! 8. make range bounds on integers integral (`rules`);
//! 9. find the list operations (`pagination`);
//! 10. find the shared error body (`error_body`);
//! 11. lower the security schemes, with the default scopes the operations ask for
//!     (`security`; each operation's own requirement is read in step 3).

mod bodies;
mod compose;
mod deprecation;
mod enums;
mod error_body;
mod gc;
mod hint;
mod keywords;
mod media;
pub mod naming;
mod operations;
mod pagination;
mod params;
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

use crate::error::Error;
use crate::ir::Ir;
use crate::validate::Validated;

/// Lowers a validated document to the IR.
pub fn lower(valid: &Validated<'_>) -> Result<Ir, Error> {
    let doc = valid.document();
    let mut schemas = schema::Schemas::new(doc)?;
    schemas.lower_components()?;
    let mut operations = operations::lower_operations(valid.operations(), &mut schemas)?;
    let lowered = schemas.finish();
    let (mut types, derived) = (lowered.types, lowered.derived);
    tags::strip_tags(doc, &mut types)?;
    gc::collect_garbage(&mut types, &lowered.components, &derived, &operations);
    params::mark_param_unions(&mut types);
    recursion::box_cycles(&mut types, doc.file())?;
    rules::integer_bounds(doc, &mut types, &mut operations)?;
    pagination::paginate(doc, &types, &mut operations)?;
    let error_body = error_body::error_body(&types, &derived, &operations);
    let security = security::security(doc, &operations)?;
    let api = doc.api();
    Ok(Ir {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        base_url: api.servers.first().map(|s| s.url.clone()),
        types,
        operations,
        error_body,
        security,
    })
}
