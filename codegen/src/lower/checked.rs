//! Pass: which types are checked, decided once for emit. A type is checked when one of
//! its values can fail `Validate`: a struct with a field whose rules ask for a runtime
//! check (a pattern or length on a string, a range on a number, an item count on a list,
//! or those on the items of a list or values of a map) or whose type is checked; a union
//! with a checked variant; a map or alias of a checked type. Enums, scalars and free-form
//! JSON never are. Emit writes `Validate` impls and `.validate()` calls for checked types
//! only (`TypeDef::checked`), and the rules it renders are the ones [`rules_apply`] finds.

use std::collections::BTreeMap;

use crate::ir::{Constraints, Scalar, TypeDef, TypeKind, TypeName, TypeRef};

/// How many alias hops [`rules_apply`] follows (a cycle of aliases ends there).
const MAX_ALIAS_DEPTH: usize = 32;

/// Sets `checked` on every type: a least fixed point, so reference cycles (boxed fields)
/// are checked only when something on the cycle has a rule.
pub(crate) fn mark_checked(types: &mut BTreeMap<TypeName, TypeDef>) {
    for def in types.values_mut() {
        def.checked = false;
    }
    loop {
        let newly: Vec<TypeName> = types
            .values()
            .filter(|def| !def.checked && can_fail(types, &def.kind))
            .map(|def| def.name.clone())
            .collect();
        if newly.is_empty() {
            return;
        }
        for name in newly {
            if let Some(def) = types.get_mut(&name) {
                def.checked = true;
            }
        }
    }
}

/// Whether a value of this kind can fail, given the types already marked.
fn can_fail(types: &BTreeMap<TypeName, TypeDef>, kind: &TypeKind) -> bool {
    match kind {
        TypeKind::Struct(s) => {
            s.fields
                .iter()
                .any(|f| rules_apply(types, &f.rules, &f.ty) || f.ty.is_checked(types))
                || s.additional.as_ref().is_some_and(|t| t.is_checked(types))
        }
        TypeKind::Union(u) => u
            .variants
            .iter()
            .any(|v| types.get(&v.ty).is_some_and(|def| def.checked)),
        TypeKind::Untagged(u) => u.variants.iter().any(|v| v.ty.is_checked(types)),
        TypeKind::Map(t) | TypeKind::Alias(t) => t.is_checked(types),
        TypeKind::Enum(_) => false,
    }
}

/// Whether `rules` ask for a runtime check of a value of type `ty` (looked through
/// aliases): what emit's rule checks render, and nothing else. Rules on an array apply to
/// the array (item count) and to each item; rules on a map apply to each value.
pub(crate) fn rules_apply(
    types: &BTreeMap<TypeName, TypeDef>,
    rules: &Constraints,
    ty: &TypeRef,
) -> bool {
    if !rules.has_checks() {
        return false;
    }
    let mut current = ty;
    for _ in 0..MAX_ALIAS_DEPTH {
        match current {
            TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(target)) => current = target,
                _ => return false,
            },
            TypeRef::Scalar(Scalar::String) => {
                return !rules.patterns.is_empty()
                    || rules.min_length.is_some()
                    || rules.max_length.is_some()
            }
            TypeRef::Scalar(Scalar::I32 | Scalar::I64 | Scalar::F32 | Scalar::F64) => {
                return rules.minimum.is_some() || rules.maximum.is_some()
            }
            TypeRef::Scalar(_) | TypeRef::Json | TypeRef::JsonObject => return false,
            TypeRef::List(inner) => {
                if rules.min_items.is_some() || rules.max_items.is_some() {
                    return true;
                }
                current = inner;
            }
            TypeRef::Map(inner) => current = inner,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::ir::TypeName;

    /// The names of the checked types of a document with these component schemas.
    fn checked(schemas: &str) -> Vec<String> {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let ir = super::super::tests::lower_text(&spec).expect("lowers");
        ir.types
            .values()
            .filter(|def| def.checked)
            .map(|def| TypeName::as_str(&def.name).to_owned())
            .collect()
    }

    #[test]
    fn rules_that_need_a_check_mark_the_type_and_what_holds_it() {
        let got = checked(
            "    Plain: {type: object, properties: {a: {type: string}, b: {type: integer}}}
    Named: {type: object, properties: {name: {type: string, maxLength: 3}}}
    Holder: {type: object, properties: {inner: {$ref: '#/components/schemas/Named'}}}
    Listed: {type: object, properties: {all: {type: array, items: {$ref: '#/components/schemas/Named'}}}}
    Counted: {type: object, properties: {tags: {type: array, minItems: 1, items: {type: string}}}}
    Ranged: {type: object, properties: {n: {type: number, exclusiveMinimum: true, minimum: 0}}}
    Kind: {type: string, enum: [a, b]}
    EnumHolder: {type: object, properties: {kind: {$ref: '#/components/schemas/Kind'}}}
    NoCheckOnEnum: {type: object, properties: {kind: {allOf: [{$ref: '#/components/schemas/Kind'}], maxLength: 1}}}
    Short: {type: string, pattern: '^a'}
    ViaAlias: {type: object, properties: {s: {$ref: '#/components/schemas/Short'}}}
    OnlyFormat: {type: object, properties: {e: {type: string, format: email}, d: {type: string, default: x}}}
    Either: {oneOf: [{$ref: '#/components/schemas/Plain'}, {$ref: '#/components/schemas/Named'}]}
    Neither: {oneOf: [{$ref: '#/components/schemas/Plain'}, {$ref: '#/components/schemas/EnumHolder'}]}
    Extra: {type: object, properties: {a: {type: string}}, additionalProperties: {$ref: '#/components/schemas/Named'}}
",
        );
        assert_eq!(
            got,
            ["Counted", "Either", "Extra", "Holder", "Listed", "Named", "Ranged", "ViaAlias"]
        );
    }

    #[test]
    fn a_cycle_is_checked_only_when_a_rule_is_on_it() {
        let got = checked(
            "    Node: {type: object, properties: {next: {$ref: '#/components/schemas/Node'}, v: {type: string}}}
    Tree: {type: object, properties: {kids: {type: array, items: {$ref: '#/components/schemas/Tree'}}, up: {$ref: '#/components/schemas/Leaf'}}}
    Leaf: {type: object, properties: {tree: {$ref: '#/components/schemas/Tree'}, v: {type: integer, maximum: 9}}}
",
        );
        assert_eq!(got, ["Leaf", "Tree"]);
    }
}
