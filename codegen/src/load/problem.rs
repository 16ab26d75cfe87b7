//! What a load step reports when it stops: the JSON pointer and the kind of problem (the
//! file is added by the caller, which knows it). A leaf, so every step can use it.

use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

/// A problem at a pointer of the document being loaded.
pub(super) type Problem = (JsonPointer, ErrorKind);

/// An [`ErrorKind::Unsupported`] problem at `at`.
pub(super) fn unsupported(
    at: &JsonPointer,
    construct: impl Into<String>,
    expected: &str,
) -> Problem {
    (
        at.clone(),
        ErrorKind::Unsupported {
            construct: construct.into(),
            expected: expected.into(),
        },
    )
}
