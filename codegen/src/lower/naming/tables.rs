//! Name tables: one per Rust scope (the models module, one struct's fields, one enum's
//! variants, `Client`'s methods, the operations module), each seeded with the names the
//! scope uses itself. A collision is never an error: the first claimant (callers claim in
//! pointer order) keeps the plain name, later ones get a counter, and the claim says which
//! spec name holds the plain one, for the renamed item's docs.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;

use super::case::{derived, snake, upper_camel};
use super::spell::words;
use crate::ir::{FieldName, MethodName, Renamed, TypeName, VariantName};
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
    /// Taken by the spec item whose spec name is `wire`.
    Spec { wire: String },
}

/// A name claimed for a spec item, and why it is not the plain one, if it is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed<N> {
    /// The name.
    pub name: N,
    /// Set when another spec item already had the plain name.
    pub renamed: Option<Renamed>,
}

impl Claimed<String> {
    fn map<M>(self, f: impl FnOnce(String) -> M) -> Claimed<M> {
        Claimed {
            name: f(self.name),
            renamed: self.renamed,
        }
    }
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

    fn take(&mut self, name: String, wire: &str) -> String {
        let owner = Owner::Spec {
            wire: wire.to_owned(),
        };
        self.taken.insert(name.clone(), owner);
        name
    }

    /// `base`, or `base{sep}2`, `base{sep}3`… whichever is free first.
    fn claim_counted(&mut self, base: &str, wire: &str) -> String {
        if self.is_free(base) {
            return self.take(base.to_owned(), wire);
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
                return self.take(candidate, wire);
            }
            n += 1;
        }
    }

    /// Claims `base` for the spec item `wire`. A reserved name is renamed with the
    /// table's suffix (`Client` → `ClientModel`); a name another spec item holds gets the
    /// next free counter (`Foo2`, `id_2`), and the result says who holds `base`. Never
    /// fails: the first claimant in the caller's (pointer) order keeps the plain name.
    fn claim(&mut self, base: &str, wire: &str) -> Claimed<String> {
        match self.taken.get(base) {
            None => Claimed {
                name: self.take(base.to_owned(), wire),
                renamed: None,
            },
            Some(Owner::Reserved) => {
                let renamed = format!("{base}{}", self.reserved_suffix);
                Claimed {
                    name: self.claim_counted(&renamed, wire),
                    renamed: None,
                }
            }
            Some(Owner::Spec { wire: holder }) => {
                let renamed = Some(Renamed {
                    wire: wire.to_owned(),
                    plain: base.to_owned(),
                    holder: holder.clone(),
                });
                Claimed {
                    name: self.claim_counted(base, wire),
                    renamed,
                }
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

    /// The name of component `key`: `Foo`, or `Foo2` when an earlier component (`Foo`
    /// before `foo` in key order) already is `Foo`.
    pub fn component(&mut self, key: &str) -> Claimed<TypeName> {
        let base = non_empty(upper_camel(key), "Schema");
        self.0.claim(&base, key).map(TypeName::from_lowered)
    }

    /// A derived name for an inline schema at `at`. If `base` is taken, the nearest
    /// pointer token that says something `base` does not (a status code, a path piece…)
    /// is appended; if that is taken too, a counter (`base2`, `base3`…).
    pub fn derived(&mut self, base: &str, at: &JsonPointer) -> TypeName {
        let base = non_empty(base.to_owned(), "Schema");
        if self.0.is_free(&base) {
            return TypeName::from_lowered(self.0.take(base.clone(), &base));
        }
        if let Some(extra) = distinguishing_token(&base, at) {
            let candidate = format!("{base}{extra}");
            if self.0.is_free(&candidate) {
                return TypeName::from_lowered(self.0.take(candidate, &base));
            }
        }
        TypeName::from_lowered(self.0.claim_counted(&base, &base))
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
        .map(|t| words(t).to_upper_camel_case())
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
    pub fn claim(&mut self, wire: &str) -> FieldName {
        self.claim_noted(wire).name
    }

    /// [`FieldNames::claim`], and which property holds the plain name when it is taken.
    pub fn claim_noted(&mut self, wire: &str) -> Claimed<FieldName> {
        let base = non_empty(snake(wire), "field");
        self.0.claim(&base, wire).map(FieldName::from_lowered)
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
    /// The variant for a spec value (enum value, tag value): `""` → `Empty`, `<` → `Lt`,
    /// `1h` → `V1h`, `UNKNOWN` → `UnknownValue`; `A_B` after `a-b` → `AB2` (the variant's
    /// docs show its wire value, so a suffixed one needs no other note).
    pub fn value(&mut self, value: &str) -> VariantName {
        let base = non_empty(upper_camel(value), "Value");
        VariantName::from_lowered(self.0.claim(&base, value).name)
    }

    /// A variant whose name the generator made up (untagged variants): suffixed on clash.
    pub fn derived(&mut self, base: &str) -> VariantName {
        let base = non_empty(upper_camel(base), "Variant");
        let base = if base == "Unknown" {
            "UnknownValue".to_owned()
        } else {
            base
        };
        VariantName::from_lowered(self.0.claim_counted(&base, &base))
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
    /// snake_case of the operationId: `getFoo` → `get_foo`, then `get_foo` → `get_foo_2`.
    pub fn operation(&mut self, id: &str) -> Claimed<MethodName> {
        let base = non_empty(snake(id), "op");
        self.0.claim(&base, id).map(MethodName::from_lowered)
    }

    /// An operation without an operationId: snake_case of its route, the HTTP method and
    /// path (`GET /pets/{petId}` → `get_pets_pet_id`). Claim these after every
    /// operationId, so that the spec's own names keep theirs.
    pub fn route(&mut self, route: &str) -> Claimed<MethodName> {
        let base = non_empty(snake(route), "op");
        self.0.claim(&base, route).map(MethodName::from_lowered)
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
    /// UpperCamel of the operationId (of the route, for an operation without one:
    /// `GET /pets/{petId}` → `GetPetsPetId`); `GetFoo2` when an earlier one has it.
    pub fn operation(&mut self, id: &str) -> TypeName {
        let base = non_empty(upper_camel(id), "Op");
        TypeName::from_lowered(self.0.claim(&base, id).name)
    }

    /// The version-selector enum of operation `id`, emitted beside the builders:
    /// `{Id}Version`, or `{Id}Version2`… when a builder has that name. Claim these after
    /// every builder, so that an operation named `deleteZonesVersion` keeps its builder
    /// name and `deleteZones`' enum is the one that moves.
    pub fn version_enum(&mut self, id: &str) -> TypeName {
        let base = non_empty(derived(&[id, "Version"]), "Version");
        TypeName::from_lowered(self.0.claim_counted(&base, id))
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
    pub fn scheme(&mut self, key: &str) -> MethodName {
        let base = non_empty(snake(key), "scheme");
        MethodName::from_lowered(self.0.claim(&base, key).name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> JsonPointer {
        JsonPointer::parse_ref(s).unwrap()
    }

    fn renamed(wire: &str, plain: &str, holder: &str) -> Option<Renamed> {
        Some(Renamed {
            wire: wire.to_owned(),
            plain: plain.to_owned(),
            holder: holder.to_owned(),
        })
    }

    #[test]
    fn types_reserved_and_colliding() {
        let mut t = TypeNames::default();
        let name = |t: &mut TypeNames, key: &str| t.component(key).name.to_string();
        assert_eq!(t.component("FooBar").renamed, None);
        // `foo_bar` after `FooBar`: a counter, and who has the plain name.
        let second = t.component("foo_bar");
        assert_eq!(second.name.as_str(), "FooBar2");
        assert_eq!(second.renamed, renamed("foo_bar", "FooBar", "FooBar"));
        let third = t.component("fooBar");
        assert_eq!(third.name.as_str(), "FooBar3");
        assert_eq!(third.renamed, renamed("fooBar", "FooBar", "FooBar"));
        assert_eq!(name(&mut t, "Client"), "ClientModel");
        assert_eq!(name(&mut t, "Error"), "ErrorModel");
        assert_eq!(name(&mut t, "String"), "StringModel");
        assert_eq!(name(&mut t, "Self"), "Self_");
        assert_eq!(name(&mut t, "2fa"), "V2fa");
        // A reserved-name rename is not a collision note: the name says `Model`.
        assert_eq!(t.component("Result").renamed, None);
        // A component literally named `ClientModel` arriving later gets a counter (the
        // lowering claims non-reserved component names first to avoid this).
        let late = t.component("ClientModel");
        assert_eq!(late.name.as_str(), "ClientModel2");
        assert_eq!(
            late.renamed,
            renamed("ClientModel", "ClientModel", "Client")
        );
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
    fn fields_and_params() {
        let mut f = FieldNames::for_struct();
        let names: Vec<String> = [
            "id", "ID", "my-field", "my.field", "my field", "type", "type_", "Id",
        ]
        .iter()
        .map(|w| f.claim(w).to_string())
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
        let mut f = FieldNames::for_struct();
        assert_eq!(f.claim_noted("id").renamed, None);
        let upper = f.claim_noted("ID");
        assert_eq!(upper.name.as_str(), "id_2");
        assert_eq!(upper.renamed, renamed("ID", "id", "id"));
        // `@type` is spelled (`at_type`), so it does not take `type_` from `type`.
        assert_eq!(f.claim("@type").as_str(), "at_type");
        assert_eq!(f.claim("type").as_str(), "type_");

        let mut p = FieldNames::for_params();
        assert_eq!(p.claim("groupId").as_str(), "group_id");
        assert_eq!(p.claim("body").as_str(), "body_param");
        assert_eq!(p.claim("version").as_str(), "version_param");
        assert_eq!(p.claim("client").as_str(), "client_param");
        assert_eq!(p.claim("+").as_str(), "plus");
    }

    #[test]
    fn variants_spell_then_count() {
        let mut v = VariantNames::default();
        let mut value = |s: &str| v.value(s).to_string();
        let got: Vec<String> = [
            "CUSTOM",
            "",
            "UNKNOWN",
            "1h",
            "custom",
            "<",
            ">",
            "<=",
            ">=",
            "=",
            "!=",
            "*",
            "+1",
            "-1",
            "a-b",
            "A_B",
            "a_b",
            "e+",
            "e-",
            "-createdAt",
            "createdAt",
            "''",
            "'",
        ]
        .iter()
        .map(|s| value(s))
        .collect();
        assert_eq!(
            got,
            [
                "Custom",
                "Empty",
                "UnknownValue",
                "V1h",
                "Custom2",
                "Lt",
                "Gt",
                "Le",
                "Ge",
                "Eq",
                "Ne",
                "Star",
                "Plus1",
                "Minus1",
                "AB",
                "AB2",
                "AB3",
                "EPlus",
                "EMinus",
                "MinusCreatedAt",
                "CreatedAt",
                "QuoteQuote",
                "Quote",
            ]
        );
        assert_eq!(v.derived("Unknown").as_str(), "UnknownValue2");
        assert_eq!(v.derived("String").as_str(), "String");
        assert_eq!(v.derived("String").as_str(), "String2");
    }

    #[test]
    fn methods_and_builders() {
        let mut m = MethodNames::default();
        let first = m.operation("getFoo");
        assert_eq!((first.name.as_str(), first.renamed), ("get_foo", None));
        let second = m.operation("get_foo");
        assert_eq!(second.name.as_str(), "get_foo_2");
        assert_eq!(second.renamed, renamed("get_foo", "get_foo", "getFoo"));
        assert_eq!(m.operation("new").name.as_str(), "new_op");
        assert_eq!(m.operation("new").renamed, None);
        assert_eq!(m.operation("type").name.as_str(), "type_");
        // Routes: the HTTP method and path.
        assert_eq!(
            m.route("GET /pets/{petId}").name.as_str(),
            "get_pets_pet_id"
        );
        assert_eq!(m.route("POST /").name.as_str(), "post");
        assert_eq!(
            m.route("GET /v1/pets.json").name.as_str(),
            "get_v1_pets_json"
        );
        assert_eq!(
            m.route("POST /processors/{name}:start").name.as_str(),
            "post_processors_name_start"
        );
        // A route that lands on an operationId's method is the one suffixed.
        let routed = m.route("GET /foo");
        assert_eq!(routed.name.as_str(), "get_foo_3");
        assert_eq!(routed.renamed, renamed("GET /foo", "get_foo", "getFoo"));

        let mut b = BuilderNames::default();
        assert_eq!(b.operation("getFoo").as_str(), "GetFoo");
        assert_eq!(b.operation("get_foo").as_str(), "GetFoo2");
        assert_eq!(b.operation("error").as_str(), "ErrorBuilder");
        assert_eq!(b.operation("GET /pets/{petId}").as_str(), "GetPetsPetId");
        assert_eq!(
            b.operation("deleteZonesVersion").as_str(),
            "DeleteZonesVersion"
        );
        assert_eq!(
            b.version_enum("deleteZones").as_str(),
            "DeleteZonesVersion2"
        );
        assert_eq!(b.version_enum("listZones").as_str(), "ListZonesVersion");
        assert_eq!(b.version_enum("GET /pets").as_str(), "GetPetsVersion");
    }

    /// The same claims in the same order give the same names, whatever came before in
    /// another table: names depend on the claims alone.
    #[test]
    fn claims_are_deterministic() {
        let run = || {
            let mut v = VariantNames::default();
            let mut f = FieldNames::for_struct();
            let mut t = TypeNames::default();
            let mut out = Vec::new();
            for s in ["a-b", "A_B", "a_b", "<", "lt", "Lt", "", "empty"] {
                out.push(v.value(s).to_string());
                out.push(f.claim(s).to_string());
                out.push(t.component(s).name.to_string());
            }
            out
        };
        let first = run();
        assert_eq!(first, run());
        let unique = |step: usize| {
            let names: Vec<&String> = first.iter().skip(step).step_by(3).collect();
            let set: std::collections::BTreeSet<&&String> = names.iter().collect();
            assert_eq!(set.len(), names.len(), "{names:?}");
        };
        (0..3).for_each(unique);
    }
}
