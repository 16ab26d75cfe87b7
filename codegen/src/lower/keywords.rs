//! Keywords: one flat view of an `openapiv3::Schema`'s keywords, whatever variant openapiv3
//! parsed it into.
//!
//! openapiv3 puts a schema into a typed variant (`Type::Object`, `Type::String`…) only
//! when its keywords match that variant exactly; anything else (`type: object` next to
//! `allOf`, `properties` without `type`, `enum` without `type`…) lands in `AnySchema`.
//! Lowering must not care which: it reads this view instead.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use crate::error::Error;
use crate::pointer::JsonPointer;
use crate::resolve::Resolver;

/// The `type` keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty<'a> {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    /// Anything else (`null`, `file`…): not OpenAPI 3.0.
    Other(&'a str),
}

impl<'a> Ty<'a> {
    fn parse(s: &'a str) -> Self {
        match s {
            "string" => Self::String,
            "number" => Self::Number,
            "integer" => Self::Integer,
            "boolean" => Self::Boolean,
            "object" => Self::Object,
            "array" => Self::Array,
            other => Self::Other(other),
        }
    }
}

/// The keywords of one schema that lowering looks at.
#[derive(Debug, Clone)]
pub(crate) struct Keywords<'a> {
    pub data: &'a SchemaData,
    pub ty: Option<Ty<'a>>,
    pub format: Option<String>,
    pub properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    /// `enum`, without `null` entries (those only say the value is nullable).
    pub enum_values: Vec<serde_json::Value>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub not: bool,
}

fn format_of<T: Copy>(
    f: &VariantOrUnknownOrEmpty<T>,
    name: impl Fn(T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(name(*t).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn values<T: Into<serde_json::Value> + Clone>(v: &[Option<T>]) -> Vec<serde_json::Value> {
    v.iter().flatten().cloned().map(Into::into).collect()
}

impl<'a> Keywords<'a> {
    /// The flat view of `s`.
    pub fn of(s: &'a Schema) -> Self {
        let mut kw = Keywords {
            data: &s.schema_data,
            ty: None,
            format: None,
            properties: None,
            required: &[],
            additional: None,
            items: None,
            enum_values: Vec::new(),
            one_of: &[],
            all_of: &[],
            any_of: &[],
            not: false,
        };
        match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                kw.ty = Some(Ty::String);
                kw.format = format_of(&t.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                kw.enum_values = values(&t.enumeration);
            }
            SchemaKind::Type(Type::Number(t)) => {
                kw.ty = Some(Ty::Number);
                kw.format = format_of(&t.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                kw.enum_values = t
                    .enumeration
                    .iter()
                    .flatten()
                    .filter_map(|f| serde_json::Number::from_f64(*f).map(serde_json::Value::Number))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(t)) => {
                kw.ty = Some(Ty::Integer);
                kw.format = format_of(&t.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                kw.enum_values = values(&t.enumeration);
            }
            SchemaKind::Type(Type::Boolean(t)) => {
                kw.ty = Some(Ty::Boolean);
                kw.enum_values = values(&t.enumeration);
            }
            SchemaKind::Type(Type::Object(t)) => {
                kw.ty = Some(Ty::Object);
                kw.properties = Some(&t.properties);
                kw.required = &t.required;
                kw.additional = t.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(t)) => {
                kw.ty = Some(Ty::Array);
                kw.items = t.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => kw.one_of = one_of,
            SchemaKind::AllOf { all_of } => kw.all_of = all_of,
            SchemaKind::AnyOf { any_of } => kw.any_of = any_of,
            SchemaKind::Not { .. } => kw.not = true,
            SchemaKind::Any(a) => {
                kw.ty = a.typ.as_deref().map(Ty::parse);
                kw.format = a.format.clone();
                kw.properties = Some(&a.properties);
                kw.required = &a.required;
                kw.additional = a.additional_properties.as_ref();
                kw.items = a.items.as_ref();
                kw.enum_values = a
                    .enumeration
                    .iter()
                    .filter(|v| !v.is_null())
                    .cloned()
                    .collect();
                kw.one_of = &a.one_of;
                kw.all_of = &a.all_of;
                kw.any_of = &a.any_of;
                kw.not = a.not.is_some();
            }
        }
        if kw.properties.is_some_and(IndexMap::is_empty) {
            kw.properties = None;
        }
        kw
    }

    /// Whether this is an object with named properties.
    pub fn has_properties(&self) -> bool {
        self.properties.is_some()
    }

    /// Whether the schema has no keyword that constrains its value's structure (only
    /// metadata such as description, nullable, default): `{}` or `{description: …}`.
    pub fn is_unconstrained(&self) -> bool {
        self.ty.is_none()
            && self.properties.is_none()
            && self.additional.is_none()
            && self.items.is_none()
            && self.enum_values.is_empty()
            && self.one_of.is_empty()
            && self.all_of.is_empty()
            && self.any_of.is_empty()
            && !self.not
            && self.data.discriminator.is_none()
    }

    /// Whether a `oneOf`/`anyOf` member is declared as something other than an object
    /// (`type: array`, a scalar): it cannot carry a discriminator property, so the
    /// `discriminator` cannot select it. Such a union is lowered untagged instead (members
    /// tried in order) and its docs say why — a degradation, but the only honest reading
    /// of a discriminator the spec cannot satisfy (GitHub's `content-directory`, an array
    /// mapped to `type: array`).
    pub fn has_non_object_member(&self, resolver: &Resolver<'a>) -> bool {
        self.one_of.iter().chain(self.any_of).any(|m| {
            resolver
                .schema(m, &JsonPointer::root())
                .ok()
                .and_then(|t| Keywords::of(t.item).ty)
                .is_some_and(|ty| ty != Ty::Object)
        })
    }
}

/// Whether an `additionalProperties` schema allows any value (`{}`, or a `$ref` to one).
pub(crate) fn is_free_form<'a>(
    resolver: &Resolver<'a>,
    r: &'a ReferenceOr<Schema>,
    at: &JsonPointer,
) -> Result<bool, Error> {
    Ok(match r {
        ReferenceOr::Item(s) => Keywords::of(s).is_unconstrained(),
        ReferenceOr::Reference { .. } => {
            Keywords::of(resolver.schema(r, at)?.item).is_unconstrained()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn any_schema_and_typed_variants_read_alike() {
        let typed = schema("{type: object, properties: {a: {type: string}}, required: [a]}");
        let any =
            schema("{properties: {a: {type: string}}, required: [a], allOf: [{type: object}]}");
        let t = Keywords::of(&typed);
        let a = Keywords::of(&any);
        assert!(t.has_properties() && a.has_properties());
        assert_eq!(t.required, a.required);
        assert_eq!(a.all_of.len(), 1);
    }

    #[test]
    fn enums_drop_nulls_and_keep_formats() {
        let s = schema("{type: string, enum: [a, null, b], format: uuid, nullable: true}");
        let kw = Keywords::of(&s);
        assert_eq!(
            kw.enum_values,
            vec![serde_json::json!("a"), serde_json::json!("b")]
        );
        assert_eq!(kw.format.as_deref(), Some("uuid"));
        let d = schema("{type: string, format: date-time}");
        assert_eq!(Keywords::of(&d).format.as_deref(), Some("date-time"));
    }
}
