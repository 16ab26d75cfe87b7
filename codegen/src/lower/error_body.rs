//! Pass: the error body shared by every documented error response that has one, and the
//! fields the runtime reads from it for `Error::error_code()` and its message. Decided
//! here, once (aliases followed); emit prints what [`ErrorBody`] says.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{
    ErrorBody, ErrorText, Field, Operation, Scalar, TextKind, TypeDef, TypeKind, TypeName, TypeRef,
};

/// How many alias hops are followed (a cycle of aliases ends there).
const MAX_ALIAS_DEPTH: usize = 32;

/// The component schema every documented error body uses, if there is one (an inline
/// error schema is per operation, so it does not qualify).
pub(crate) fn error_body(
    types: &BTreeMap<TypeName, TypeDef>,
    derived: &BTreeSet<TypeName>,
    operations: &[Operation],
) -> Option<ErrorBody> {
    let mut shared: Option<&TypeName> = None;
    for r in operations.iter().flat_map(|op| &op.errors) {
        match &r.ty {
            None => {}
            Some(TypeRef::Named(n)) if shared.is_none_or(|s| s == n) => shared = Some(n),
            Some(_) => return None,
        }
    }
    let ty = shared.filter(|n| !derived.contains(*n))?;
    let fields = match types.get(ty).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s.fields.as_slice(),
        _ => &[],
    };
    // The first field, by these conventional wire names, that holds a string or a string
    // enum: Atlas says `errorCode` and `detail`; other APIs `code` and `message`.
    let text_field = |wires: &[&str]| {
        wires.iter().find_map(|wire| {
            fields
                .iter()
                .filter(|f| f.wire == *wire)
                .find_map(|f| text_of(types, f))
        })
    };
    Some(ErrorBody {
        ty: ty.clone(),
        code_field: text_field(&["errorCode", "error_code", "code"]),
        detail_field: text_field(&["detail", "message", "error_description"]),
    })
}

/// The field as error text, if it holds a string or an open enum (through aliases).
fn text_of(types: &BTreeMap<TypeName, TypeDef>, f: &Field) -> Option<ErrorText> {
    let mut ty = &f.ty;
    for _ in 0..MAX_ALIAS_DEPTH {
        let kind = match ty {
            TypeRef::Scalar(Scalar::String) => TextKind::String,
            TypeRef::Named(n) => match types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Enum(_)) => TextKind::Enum,
                Some(TypeKind::Alias(target)) => {
                    ty = target;
                    continue;
                }
                _ => return None,
            },
            _ => return None,
        };
        return Some(ErrorText {
            field: f.rust.clone(),
            kind,
        });
    }
    None
}
