//! Structs: an object's properties become fields (spec order, unique snake_case names),
//! with their nullability, flags, docs and validation rules; `additionalProperties` next
//! to properties becomes the flattened `extra` map.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::naming::FieldNames;
use super::schema::Hint;
use super::shape::Shape;
use super::{docs, Lowerer};
use crate::error::Error;
use crate::ir::{Constraints, Docs, Field, Struct, TypeName, TypeRef};
use crate::pointer::JsonPointer;
use crate::resolve::Resolved;

/// One property on its way to becoming a field.
#[derive(Debug, Clone)]
pub(crate) struct Prop<'a> {
    pub wire: &'a str,
    pub schema: &'a ReferenceOr<Box<Schema>>,
    pub at: JsonPointer,
    /// The type whose name prefixes the property's inline types (for an `allOf` base's
    /// properties, the base: `AnimalMeta` in every child).
    pub owner: TypeName,
}

/// Metadata a field takes from its schema.
struct FieldMeta {
    nullable: bool,
    read_only: bool,
    write_only: bool,
    deprecated: bool,
    docs: Docs,
    rules: Constraints,
}
impl<'a> Lowerer<'a> {
    /// A plain object with properties.
    pub(crate) fn object_struct(
        &mut self,
        owner: &TypeName,
        shape: &Shape<'a>,
        at: &JsonPointer,
    ) -> Result<Struct, Error> {
        let props: Vec<Prop<'a>> = shape
            .properties
            .into_iter()
            .flatten()
            .map(|(wire, schema)| Prop {
                wire,
                schema,
                at: at.push("properties").push(wire.as_str()),
                owner: owner.clone(),
            })
            .collect();
        let required: BTreeSet<&str> = shape.required.iter().map(String::as_str).collect();
        let additional = self.struct_additional(owner, shape.additional, at)?;
        self.build_struct(props, &required, additional)
    }

    /// The `#[serde(flatten)]` map of a struct that also allows other keys.
    pub(crate) fn struct_additional(
        &mut self,
        owner: &TypeName,
        additional: Option<&'a AdditionalProperties>,
        at: &JsonPointer,
    ) -> Result<Option<TypeRef>, Error> {
        match additional {
            None | Some(AdditionalProperties::Any(false)) => Ok(None),
            Some(AdditionalProperties::Any(true)) => Ok(Some(TypeRef::Json)),
            Some(AdditionalProperties::Schema(value)) => {
                let value_at = at.push("additionalProperties");
                if self.is_free_form(value, &value_at)? {
                    return Ok(Some(TypeRef::Json));
                }
                let hint = Hint::parts(&[owner.as_str(), "Value"]);
                self.schema_ref(value, &value_at, &hint).map(Some)
            }
        }
    }

    /// Fields in the given order; names are unique within the struct.
    pub(crate) fn build_struct(
        &mut self,
        props: Vec<Prop<'a>>,
        required: &BTreeSet<&str>,
        additional: Option<TypeRef>,
    ) -> Result<Struct, Error> {
        let mut names = FieldNames::for_struct();
        let mut fields = Vec::with_capacity(props.len());
        for p in props {
            let rust = names.claim(p.wire, &p.at);
            let hint = Hint::property(&p.owner, p.wire);
            let ty = self.boxed_ref(p.schema, &p.at, &hint)?;
            let meta = self.field_meta(p.schema, &p.at)?;
            fields.push(Field {
                wire: p.wire.to_owned(),
                rust,
                ty,
                required: required.contains(p.wire),
                nullable: meta.nullable,
                boxed: false,
                read_only: meta.read_only,
                write_only: meta.write_only,
                deprecated: meta.deprecated,
                docs: meta.docs,
                rules: meta.rules,
                source: p.at,
            });
        }
        // The flattened map takes `extra` unless a property already did (then `extra_2`…);
        // its pointer is irrelevant: field tables never report collisions.
        let additional_field = additional
            .as_ref()
            .map(|_| names.claim("extra", &JsonPointer::root()));
        Ok(Struct {
            fields,
            additional,
            additional_field,
            tag: None,
        })
    }

    /// Nullability, flags, docs and rules of a property. A `$ref` property takes
    /// `nullable`/`readOnly`/`writeOnly` from its target (they describe the value), rules
    /// only when the target is a scalar or array (those are checked at the field), docs
    /// from a `description` written next to the `$ref`, and never `deprecated`: a
    /// deprecated type is marked on the type, not on every field that uses it.
    fn field_meta(
        &self,
        r: &'a ReferenceOr<Box<Schema>>,
        at: &JsonPointer,
    ) -> Result<FieldMeta, Error> {
        match r {
            ReferenceOr::Reference { .. } => {
                let target = self.resolver.boxed_schema(r, at)?;
                let mut meta = self.target_meta(&target);
                meta.docs = self.sibling_docs(at);
                Ok(meta)
            }
            ReferenceOr::Item(s) => {
                let shape = Shape::of(s);
                let mut meta = FieldMeta {
                    nullable: shape.data.nullable,
                    read_only: shape.data.read_only,
                    write_only: shape.data.write_only,
                    deprecated: shape.data.deprecated,
                    docs: docs(shape.data),
                    rules: self.rules(&shape, at),
                };
                self.allowed_values_doc(&shape, &mut meta.docs);
                // `allOf: [$ref]` (or a one-member oneOf/anyOf) next to `nullable`,
                // `description`…: the wrapper's metadata wins, the target's fills in.
                let wrapped = self
                    .alias_member(&shape)
                    .or(match (shape.one_of, shape.any_of) {
                        ([only], []) | ([], [only]) => Some(only),
                        _ => None,
                    })
                    .filter(|only| matches!(only, ReferenceOr::Reference { .. }));
                if let Some(only) = wrapped {
                    let target = self.resolver.schema(only, at)?;
                    let inner = self.target_meta(&target);
                    meta.nullable |= inner.nullable;
                    meta.read_only |= inner.read_only;
                    meta.write_only |= inner.write_only;
                    meta.rules = merge_rules(meta.rules, inner.rules);
                }
                Ok(meta)
            }
        }
    }

    fn target_meta(&self, target: &Resolved<'a, Schema>) -> FieldMeta {
        let shape = Shape::of(target.item);
        let checked_at_field = shape.properties.is_none()
            && shape.one_of.is_empty()
            && shape.any_of.is_empty()
            && shape.all_of.is_empty();
        FieldMeta {
            nullable: shape.data.nullable,
            read_only: shape.data.read_only,
            write_only: shape.data.write_only,
            deprecated: false,
            docs: Docs::default(),
            rules: if checked_at_field {
                self.rules(&shape, &target.pointer)
            } else {
                Constraints::default()
            },
        }
    }

    /// `description`/`title` written next to a `$ref` (openapiv3 drops them).
    fn sibling_docs(&self, at: &JsonPointer) -> Docs {
        let node = self.raw_at(at);
        let get = |key: &str| super::text(node.and_then(|n| n.get(key)).and_then(|v| v.as_str()));
        Docs {
            title: get("title"),
            description: get("description"),
            external_url: None,
        }
    }

    /// Validation rules and default of a schema. Numbers come from the raw document, so
    /// `minimum: 1` stays an integer and `0.1` is not rounded through `f64`.
    pub(crate) fn rules(&self, shape: &Shape<'a>, at: &JsonPointer) -> Constraints {
        let raw = self.raw_at(at).and_then(|v| v.as_object());
        let get = |key: &str| raw.and_then(|m| m.get(key));
        let number = |key: &str| get(key).and_then(|v| v.as_number()).cloned();
        let unsigned = |key: &str| get(key).and_then(serde_json::Value::as_u64);
        let flag = |key: &str| {
            get(key)
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false)
        };
        // Formats that already chose the Rust type are not repeated in the rules.
        let format = shape.format.clone().filter(|f| {
            !matches!(
                f.as_str(),
                "date-time" | "date" | "int32" | "int64" | "float" | "double" | ""
            )
        });
        Constraints {
            pattern: get("pattern").and_then(|v| v.as_str()).map(str::to_owned),
            minimum: number("minimum"),
            maximum: number("maximum"),
            exclusive_minimum: flag("exclusiveMinimum"),
            exclusive_maximum: flag("exclusiveMaximum"),
            min_length: unsigned("minLength"),
            max_length: unsigned("maxLength"),
            min_items: unsigned("minItems"),
            max_items: unsigned("maxItems"),
            unique_items: flag("uniqueItems"),
            format,
            default: shape.data.default.clone(),
            example: shape.data.example.clone(),
        }
    }
}

/// `outer`'s rules, with anything it leaves unset taken from `inner`.
fn merge_rules(outer: Constraints, inner: Constraints) -> Constraints {
    Constraints {
        pattern: outer.pattern.or(inner.pattern),
        minimum: outer.minimum.or(inner.minimum),
        maximum: outer.maximum.or(inner.maximum),
        exclusive_minimum: outer.exclusive_minimum || inner.exclusive_minimum,
        exclusive_maximum: outer.exclusive_maximum || inner.exclusive_maximum,
        min_length: outer.min_length.or(inner.min_length),
        max_length: outer.max_length.or(inner.max_length),
        min_items: outer.min_items.or(inner.min_items),
        max_items: outer.max_items.or(inner.max_items),
        unique_items: outer.unique_items || inner.unique_items,
        format: outer.format.or(inner.format),
        default: outer.default.or(inner.default),
        example: outer.example.or(inner.example),
    }
}
