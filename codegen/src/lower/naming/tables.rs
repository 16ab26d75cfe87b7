//! Name tables: one per Rust scope (the models module, one struct's fields, one enum's
//! variants, `Client`'s methods, the operations module), each seeded with the names the
//! scope uses itself. Spec names that must not be merged collide with an error naming the
//! other pointer; names that may be adjusted get a counter.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;

use super::case::{ascii_words, derived, snake, upper_camel};
use crate::ir::{FieldName, MethodName, TypeName, VariantName};
use crate::pointer::JsonPointer;

/// a component with one of these names becomes `{Name}Model`.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "BTreeMap",
    "Box",
    "Client",
    "DateTime",
    "Default",
    "Err",
    "Error",
    "ErrorBody",
    "From",
    "Map",
    "NaiveDate",
    "None",
    "Ok",
    "Option",
    "Response",
    "Result",
    "Some",
    "String",
    "Utc",
    "Value",
    "Vec",
];

/// Names a request builder already uses for its own methods and fields, so no parameter
/// may take them: `body`, `client`, `send`, `send_with_response`, `into_stream`, `version`,
/// and `clone` (an inherent setter named `clone` would shadow `Clone::clone`, which
/// `into_stream` calls).
pub const RESERVED_PARAM_NAMES: &[&str] = &[
    "body",
    "client",
    "clone",
    "into_stream",
    "send",
    "send_with_response",
    "version",
];

/// `Client`'s own methods, which an operation method must not shadow.
pub const RESERVED_METHOD_NAMES: &[&str] = &["builder", "clone", "execute", "execute_empty", "new"];

/// Who owns a name in a table.
#[derive(Debug, Clone)]
enum Owner {
    /// Seeded: the scope uses it itself.
    Reserved,
    /// Taken by the spec object at this pointer.
    Spec(JsonPointer),
}

/// One naming scope: every name in it is unique.
#[derive(Debug, Clone)]
pub struct NameTable {
    taken: BTreeMap<String, Owner>,
    /// Appended to a spec name that lands on a reserved one.
    reserved_suffix: &'static str,
    /// Put between a name and its counter (`id_2`, `Foo2`).
    counter_sep: &'static str,
}

impl NameTable {
    fn new(reserved: &[&str], reserved_suffix: &'static str, counter_sep: &'static str) -> Self {
        let taken = reserved
            .iter()
            .map(|r| ((*r).to_owned(), Owner::Reserved))
            .collect();
        Self {
            taken,
            reserved_suffix,
            counter_sep,
        }
    }

    fn is_free(&self, name: &str) -> bool {
        !self.taken.contains_key(name)
    }

    fn take(&mut self, name: String, at: &JsonPointer) -> String {
        self.taken.insert(name.clone(), Owner::Spec(at.clone()));
        name
    }

    /// `base`, or `base{sep}2`, `base{sep}3`… whichever is free first.
    fn claim_counted(&mut self, base: &str, at: &JsonPointer) -> String {
        if self.is_free(base) {
            return self.take(base.to_owned(), at);
        }
        // A keyword-suffixed base (`type_`) already ends in the separator.
        let sep = if base.ends_with('_') {
            ""
        } else {
            self.counter_sep
        };
        let mut n: u64 = 2;
        loop {
            let candidate = format!("{base}{sep}{n}");
            if self.is_free(&candidate) {
                return self.take(candidate, at);
            }
            n += 1;
        }
    }

    /// Claims a name the spec chose and that must not silently change meaning: a reserved
    /// name is renamed with the table's suffix; a name another spec object holds is an
    /// error carrying that object's pointer.
    fn claim_spec(&mut self, name: &str, at: &JsonPointer) -> Result<String, JsonPointer> {
        match self.taken.get(name) {
            None => Ok(self.take(name.to_owned(), at)),
            Some(Owner::Spec(other)) => Err(other.clone()),
            Some(Owner::Reserved) => {
                let renamed = format!("{name}{}", self.reserved_suffix);
                Ok(self.claim_counted(&renamed, at))
            }
        }
    }
}

/// The table of the types in `models.rs` and `unions.rs` (one namespace: the client
/// re-exports both as `models`).
#[derive(Debug, Clone)]
pub struct TypeNames(NameTable);

impl Default for TypeNames {
    fn default() -> Self {
        Self(NameTable::new(RESERVED_TYPE_NAMES, "Model", ""))
    }
}

impl TypeNames {
    /// Whether `name` is reserved (so a component with it is renamed).
    pub fn is_reserved(name: &str) -> bool {
        RESERVED_TYPE_NAMES.contains(&name)
    }

    /// The name of component `key`; `Err(other)` when another component already has it.
    pub fn component(&mut self, key: &str, at: &JsonPointer) -> Result<TypeName, JsonPointer> {
        let base = non_empty(upper_camel(key), "Schema");
        self.0.claim_spec(&base, at).map(TypeName::from_lowered)
    }

    /// A derived name for an inline schema at `at`. If `base` is taken, the nearest
    /// pointer token that says something `base` does not (a status code, a path piece…)
    /// is appended; if that is taken too, a counter (`base2`, `base3`…).
    pub fn derived(&mut self, base: &str, at: &JsonPointer) -> TypeName {
        let base = non_empty(base.to_owned(), "Schema");
        if self.0.is_free(&base) {
            return TypeName::from_lowered(self.0.take(base, at));
        }
        if let Some(extra) = distinguishing_token(&base, at) {
            let candidate = format!("{base}{extra}");
            if self.0.is_free(&candidate) {
                return TypeName::from_lowered(self.0.take(candidate, at));
            }
        }
        TypeName::from_lowered(self.0.claim_counted(&base, at))
    }
}

/// Pointer tokens that only describe structure and never distinguish two inline schemas
/// by themselves.
const STRUCTURAL_TOKENS: &[&str] = &[
    "additionalProperties",
    "allOf",
    "anyOf",
    "components",
    "content",
    "items",
    "oneOf",
    "parameters",
    "paths",
    "properties",
    "requestBody",
    "requestBodies",
    "responses",
    "schema",
    "schemas",
];

fn distinguishing_token(base: &str, at: &JsonPointer) -> Option<String> {
    at.tokens()
        .iter()
        .rev()
        .filter(|t| !STRUCTURAL_TOKENS.contains(&t.as_str()) && !t.contains('/'))
        .map(|t| ascii_words(t).to_upper_camel_case())
        .find(|t| !t.is_empty() && !base.contains(t.as_str()))
}

fn non_empty(s: String, fallback: &str) -> String {
    if s.is_empty() {
        fallback.to_owned()
    } else {
        s
    }
}

/// The fields of one struct, or the parameters of one operation.
#[derive(Debug, Clone)]
pub struct FieldNames(NameTable);

impl FieldNames {
    /// A struct's fields: nothing reserved but keywords.
    pub fn for_struct() -> Self {
        Self(NameTable::new(&[], "_field", "_"))
    }

    /// An operation's parameters: [`RESERVED_PARAM_NAMES`] are taken.
    pub fn for_params() -> Self {
        Self(NameTable::new(RESERVED_PARAM_NAMES, "_param", "_"))
    }

    /// The Rust name of property/parameter `wire`; `id` then `ID` gives `id`, `id_2`.
    pub fn claim(&mut self, wire: &str, at: &JsonPointer) -> FieldName {
        let base = non_empty(snake(wire), "field");
        let name = match self.0.claim_spec(&base, at) {
            Ok(name) => name,
            Err(_) => self.0.claim_counted(&base, at),
        };
        FieldName::from_lowered(name)
    }
}

/// The variants of one enum or union (`Unknown` is the catch-all, so it is reserved).
#[derive(Debug, Clone)]
pub struct VariantNames(NameTable);

impl Default for VariantNames {
    fn default() -> Self {
        Self(NameTable::new(&["Unknown"], "Value", ""))
    }
}

impl VariantNames {
    /// The variant for a spec value (enum value, tag value): `""` → `Empty`,
    /// `1h` → `V1h`, `UNKNOWN` → `UnknownValue`; `Err(other)` when another value already
    /// has the same name.
    pub fn value(&mut self, value: &str, at: &JsonPointer) -> Result<VariantName, JsonPointer> {
        let base = if value.is_empty() {
            "Empty".to_owned()
        } else {
            non_empty(upper_camel(value), "Value")
        };
        self.0.claim_spec(&base, at).map(VariantName::from_lowered)
    }

    /// A variant whose name the generator made up (untagged variants): suffixed on clash.
    pub fn derived(&mut self, base: &str, at: &JsonPointer) -> VariantName {
        let base = non_empty(upper_camel(base), "Variant");
        let base = if base == "Unknown" {
            "UnknownValue".to_owned()
        } else {
            base
        };
        VariantName::from_lowered(self.0.claim_counted(&base, at))
    }
}

/// `Client`'s methods (one per operation).
#[derive(Debug, Clone)]
pub struct MethodNames(NameTable);

impl Default for MethodNames {
    fn default() -> Self {
        Self(NameTable::new(RESERVED_METHOD_NAMES, "_op", "_"))
    }
}

impl MethodNames {
    /// snake_case of the operationId; `Err(other)` when another operation has it.
    pub fn operation(&mut self, id: &str, at: &JsonPointer) -> Result<MethodName, JsonPointer> {
        let base = non_empty(snake(id), "op");
        self.0.claim_spec(&base, at).map(MethodName::from_lowered)
    }
}

/// The items of `operations.rs`: request builders and version-selector enums (their own
/// module, which also sees the reserved type names).
#[derive(Debug, Clone)]
pub struct BuilderNames(NameTable);

impl Default for BuilderNames {
    fn default() -> Self {
        Self(NameTable::new(RESERVED_TYPE_NAMES, "Builder", ""))
    }
}

impl BuilderNames {
    /// UpperCamel of the operationId; `Err(other)` when another operation has it.
    pub fn operation(&mut self, id: &str, at: &JsonPointer) -> Result<TypeName, JsonPointer> {
        let base = non_empty(upper_camel(id), "Op");
        self.0.claim_spec(&base, at).map(TypeName::from_lowered)
    }

    /// The version-selector enum of operation `id`, emitted beside the builders:
    /// `{Id}Version`, or `{Id}Version2`… when a builder has that name. Claim these after
    /// every builder, so that an operation named `deleteZonesVersion` keeps its builder
    /// name and `deleteZones`' enum is the one that moves.
    pub fn version_enum(&mut self, id: &str, at: &JsonPointer) -> TypeName {
        let base = non_empty(derived(&[id, "Version"]), "Version");
        TypeName::from_lowered(self.0.claim_counted(&base, at))
    }
}

/// The methods of `Credentials` that the runtime defines, which a generated per-scheme
/// constructor must not take.
pub const RESERVED_CREDENTIAL_NAMES: &[&str] = &[
    "and",
    "api_key",
    "basic",
    "bearer",
    "clone",
    "default",
    "digest",
    "fmt",
    "for_scheme",
    "is_none",
    "none",
    "one",
    "scopes",
    "service_account",
];

/// The generated `Credentials` constructors, one per security scheme: snake_case of the
/// scheme's key; a runtime method's name gets `_scheme` (`bearer` → `bearer_scheme`), and
/// keys that case alike get `_2`, `_3`… in name order.
#[derive(Debug, Clone)]
pub struct CredentialNames(NameTable);

impl Default for CredentialNames {
    fn default() -> Self {
        Self(NameTable::new(RESERVED_CREDENTIAL_NAMES, "_scheme", "_"))
    }
}

impl CredentialNames {
    /// The constructor of the scheme with key `key`.
    pub fn scheme(&mut self, key: &str, at: &JsonPointer) -> MethodName {
        let base = non_empty(snake(key), "scheme");
        let name = match self.0.claim_spec(&base, at) {
            Ok(name) => name,
            Err(_) => self.0.claim_counted(&base, at),
        };
        MethodName::from_lowered(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> JsonPointer {
        JsonPointer::parse_ref(s).unwrap()
    }

    #[test]
    fn types_reserved_and_colliding() {
        let mut t = TypeNames::default();
        let a = at("#/components/schemas/FooBar");
        assert_eq!(t.component("FooBar", &a).unwrap().as_str(), "FooBar");
        assert_eq!(
            t.component("foo_bar", &at("#/components/schemas/foo_bar"))
                .unwrap_err(),
            a
        );
        assert_eq!(
            t.component("Client", &at("#/x")).unwrap().as_str(),
            "ClientModel"
        );
        assert_eq!(
            t.component("Error", &at("#/y")).unwrap().as_str(),
            "ErrorModel"
        );
        assert_eq!(
            t.component("String", &at("#/z")).unwrap().as_str(),
            "StringModel"
        );
        assert_eq!(t.component("Self", &at("#/s")).unwrap().as_str(), "Self_");
        assert_eq!(t.component("2fa", &at("#/d")).unwrap().as_str(), "V2fa");
        // A component literally named `ClientModel` arriving later loses to the renamed one
        // (the lowering claims non-reserved component names first to avoid this).
        assert!(t.component("ClientModel", &at("#/w")).is_err());
    }

    #[test]
    fn derived_type_names_use_pointer_then_counter() {
        let mut t = TypeNames::default();
        let p = |s: &str| at(s);
        assert_eq!(
            t.derived("GetFooResponse", &p("#/components/schemas/GetFooResponse"))
                .as_str(),
            "GetFooResponse"
        );
        let resp = p("#/paths/~1foo/get/responses/200/content/application~1json/schema");
        assert_eq!(
            t.derived("GetFooResponse", &resp).as_str(),
            "GetFooResponse200"
        );
        assert_eq!(
            t.derived("GetFooResponse", &resp).as_str(),
            "GetFooResponse2"
        );
        assert_eq!(
            t.derived("GetFooResponse", &resp).as_str(),
            "GetFooResponse3"
        );
        assert_eq!(
            t.derived("Client", &p("#/components/schemas/Client"))
                .as_str(),
            "Client2"
        );
        assert_eq!(t.derived("", &p("#/a")).as_str(), "Schema");
    }

    #[test]
    fn fields_params_variants_methods() {
        let mut f = FieldNames::for_struct();
        let names: Vec<String> = [
            "id", "ID", "my-field", "my.field", "my field", "type", "type_", "Id",
        ]
        .iter()
        .map(|w| f.claim(w, &at("#/f")).to_string())
        .collect();
        assert_eq!(
            names,
            [
                "id",
                "id_2",
                "my_field",
                "my_field_2",
                "my_field_3",
                "type_",
                "type_2",
                "id_3"
            ]
        );

        let mut p = FieldNames::for_params();
        assert_eq!(p.claim("groupId", &at("#/p")).as_str(), "group_id");
        assert_eq!(p.claim("body", &at("#/p")).as_str(), "body_param");
        assert_eq!(p.claim("version", &at("#/p")).as_str(), "version_param");
        assert_eq!(p.claim("client", &at("#/p")).as_str(), "client_param");
        assert_eq!(p.claim("+", &at("#/p")).as_str(), "field");

        let mut v = VariantNames::default();
        assert_eq!(v.value("CUSTOM", &at("#/e/0")).unwrap().as_str(), "Custom");
        assert_eq!(v.value("", &at("#/e/1")).unwrap().as_str(), "Empty");
        assert_eq!(
            v.value("UNKNOWN", &at("#/e/2")).unwrap().as_str(),
            "UnknownValue"
        );
        assert_eq!(v.value("1h", &at("#/e/3")).unwrap().as_str(), "V1h");
        assert_eq!(v.value("custom", &at("#/e/4")).unwrap_err(), at("#/e/0"));
        assert_eq!(v.derived("Unknown", &at("#/u")).as_str(), "UnknownValue2");
        assert_eq!(v.derived("String", &at("#/u")).as_str(), "String");
        assert_eq!(v.derived("String", &at("#/u")).as_str(), "String2");

        let mut m = MethodNames::default();
        assert_eq!(
            m.operation("getFoo", &at("#/o1")).unwrap().as_str(),
            "get_foo"
        );
        assert_eq!(m.operation("get_foo", &at("#/o2")).unwrap_err(), at("#/o1"));
        assert_eq!(m.operation("new", &at("#/o3")).unwrap().as_str(), "new_op");
        assert_eq!(m.operation("type", &at("#/o4")).unwrap().as_str(), "type_");

        let mut b = BuilderNames::default();
        assert_eq!(
            b.operation("getFoo", &at("#/o1")).unwrap().as_str(),
            "GetFoo"
        );
        assert_eq!(b.operation("get_foo", &at("#/o2")).unwrap_err(), at("#/o1"));
        assert_eq!(
            b.operation("error", &at("#/o3")).unwrap().as_str(),
            "ErrorBuilder"
        );
        assert_eq!(
            b.operation("deleteZonesVersion", &at("#/o4"))
                .unwrap()
                .as_str(),
            "DeleteZonesVersion"
        );
        assert_eq!(
            b.version_enum("deleteZones", &at("#/o5")).as_str(),
            "DeleteZonesVersion2"
        );
        assert_eq!(
            b.version_enum("listZones", &at("#/o6")).as_str(),
            "ListZonesVersion"
        );
    }
}
