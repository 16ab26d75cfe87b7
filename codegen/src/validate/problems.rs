//! What the checks collect: every problem found, where and what (`validate` turns them
//! into sorted [`crate::Errors`]).

use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

/// Problems found so far: where, and what.
pub(super) type Problems = Vec<(JsonPointer, ErrorKind)>;
