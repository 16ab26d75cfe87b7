//! Hints: the names an inline schema's types would take, chosen by whoever meets the
//! schema (a property, a body, a union member) and claimed only if a type is needed.

use super::naming;
use crate::ir::TypeName;

/// How to name the types an inline schema needs: its own name, and the name of its array
/// items if it is an array.
#[derive(Debug, Clone)]
pub(crate) struct Hint {
    base: String,
    item: Option<String>,
}

impl Hint {
    /// Named `base` (already UpperCamel), items `{base}Item`.
    pub fn new(base: String) -> Self {
        Self { base, item: None }
    }

    /// For property `wire` of `owner`: `{Owner}{Wire}`; items of an inline array
    /// `{Owner}{singular(wire)}` or `{Owner}{Wire}Item`.
    pub fn property(owner: &TypeName, wire: &str) -> Self {
        let item = match naming::singular(wire) {
            Some(one) => naming::derived(&[owner.as_str(), &one]),
            None => naming::derived(&[owner.as_str(), wire, "Item"]),
        };
        Self {
            base: naming::derived(&[owner.as_str(), wire]),
            item: Some(item),
        }
    }

    /// The name parts joined: `{part}{part}…`.
    pub fn parts(parts: &[&str]) -> Self {
        Self::new(naming::derived(parts))
    }

    /// The schema's own name.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The hint for the items of an array.
    pub fn items(&self) -> Self {
        Self::new(
            self.item
                .clone()
                .unwrap_or_else(|| naming::derived(&[&self.base, "Item"])),
        )
    }

    /// The hint for the values of a map.
    pub fn values(&self) -> Self {
        Self::new(naming::derived(&[&self.base, "Value"]))
    }
}
