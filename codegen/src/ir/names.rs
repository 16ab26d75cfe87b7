//! Name newtypes. Only `lower::naming` constructs them (through `from_lowered`), so emit
//! never sees a raw, unchecked `String` where a Rust identifier is expected.

use std::fmt;

use serde::Serialize;

macro_rules! name {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an identifier that `lower::naming` has already made valid and unique.
            pub(crate) fn from_lowered(s: impl Into<String>) -> Self {
                Self(s.into())
            }

            /// The identifier text (never a raw identifier: keywords were suffixed with `_`).
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name!(
    /// An UpperCamelCase type name (struct, enum, builder).
    TypeName
);
name!(
    /// A snake_case field, parameter, setter or local name.
    FieldName
);
name!(
    /// An UpperCamelCase enum variant name.
    VariantName
);
name!(
    /// A snake_case `Client` method name (from the operationId, or the HTTP method and
    /// path of an operation without one).
    MethodName
);

/// A spec item whose Rust name is not the plain conversion of its spec name, because
/// another item of the same scope converts to the same name first (`Foo` and `foo`,
/// `ID` and `id`, `getFoo` and `get_foo`). The wire name stays exact; the docs say which
/// it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// The item's own spec name (component key, property name, operationId).
    pub wire: String,
    /// The name it would have had.
    pub plain: String,
    /// The spec name of the item that has `plain` (the first one in pointer order).
    pub holder: String,
}
