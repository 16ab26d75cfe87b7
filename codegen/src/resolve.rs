//! Resolve: typed lookup of local `$ref`s over an `openapiv3::OpenAPI` document.
//!
//! Input: a `ReferenceOr<T>` found at some JSON pointer. Output: the `T` it denotes, the
//! pointer of that `T` in the document and, when it lives under `#/components/{kind}`,
//! its component key. References to references are followed; a loop of references is an
//! error (`ErrorKind::RefCycle`), never an endless loop. Only references of the form
//! `#/components/{kind}/{name}` are followed: `load` leaves no other kind behind (it
//! bundles other files' nodes into the components and hoists nodes referred to by any
//! other pointer there, see `load::bundle` and `load::hoist`), and it is the only form
//! whose target has a type we can hand back without walking the document.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};

use crate::error::{Error, ErrorKind};
use crate::pointer::JsonPointer;

/// An object found through a reference (or in place).
#[derive(Debug)]
pub struct Resolved<'a, T> {
    /// The object.
    pub item: &'a T,
    /// Where it is in the document: the component's pointer when reached through a
    /// `$ref`, the pointer it was written at otherwise.
    pub pointer: JsonPointer,
    /// The component key (`ApiError`) when the object is a component.
    pub component: Option<&'a str>,
}

// Manual impls: a derive would require `T: Clone`/`T: Copy`, but only a reference is held.
impl<T> Clone for Resolved<'_, T> {
    fn clone(&self) -> Self {
        Self {
            item: self.item,
            pointer: self.pointer.clone(),
            component: self.component,
        }
    }
}

/// Looks up local references in one document.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    doc: &'a OpenAPI,
    file: &'a str,
}

/// A kind of component that `$ref`s can point at.
trait Component: Sized + 'static {
    /// The key under `#/components` (`schemas`).
    const KIND: &'static str;
    /// What a reference of this kind must point at, for error messages.
    const EXPECTED: &'static str;
    /// The map of this kind in the document's components.
    fn map(doc: &OpenAPI) -> Option<&IndexMap<String, ReferenceOr<Self>>>;
}

impl Component for Schema {
    const KIND: &'static str = "schemas";
    const EXPECTED: &'static str = "a schema under #/components/schemas";
    fn map(doc: &OpenAPI) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        doc.components.as_ref().map(|c| &c.schemas)
    }
}

impl Component for Parameter {
    const KIND: &'static str = "parameters";
    const EXPECTED: &'static str = "a parameter under #/components/parameters";
    fn map(doc: &OpenAPI) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        doc.components.as_ref().map(|c| &c.parameters)
    }
}

impl Component for Response {
    const KIND: &'static str = "responses";
    const EXPECTED: &'static str = "a response under #/components/responses";
    fn map(doc: &OpenAPI) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        doc.components.as_ref().map(|c| &c.responses)
    }
}

impl Component for RequestBody {
    const KIND: &'static str = "requestBodies";
    const EXPECTED: &'static str = "a request body under #/components/requestBodies";
    fn map(doc: &OpenAPI) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        doc.components.as_ref().map(|c| &c.request_bodies)
    }
}

impl Component for SecurityScheme {
    const KIND: &'static str = "securitySchemes";
    const EXPECTED: &'static str = "a security scheme under #/components/securitySchemes";
    fn map(doc: &OpenAPI) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        doc.components.as_ref().map(|c| &c.security_schemes)
    }
}

impl<'a> Resolver<'a> {
    /// A resolver over `doc`; errors name `file`.
    pub fn new(doc: &'a OpenAPI, file: &'a str) -> Self {
        Self { doc, file }
    }

    /// The document.
    pub fn doc(&self) -> &'a OpenAPI {
        self.doc
    }

    /// The file name errors use.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// Builds an error at `at`.
    pub fn error(&self, at: &JsonPointer, kind: ErrorKind) -> Error {
        Error::new(self.file, at.clone(), kind)
    }

    /// A schema written at `at` (in place, or a `$ref`).
    pub fn schema(
        &self,
        r: &'a ReferenceOr<Schema>,
        at: &JsonPointer,
    ) -> Result<Resolved<'a, Schema>, Error> {
        self.item_or_follow(r, at)
    }

    /// A schema written at `at` where openapiv3 boxes it (properties, items).
    pub fn boxed_schema(
        &self,
        r: &'a ReferenceOr<Box<Schema>>,
        at: &JsonPointer,
    ) -> Result<Resolved<'a, Schema>, Error> {
        match r {
            ReferenceOr::Item(item) => Ok(Resolved {
                item,
                pointer: at.clone(),
                component: None,
            }),
            ReferenceOr::Reference { reference } => self.follow(reference, at),
        }
    }

    /// The schema a reference string points at (`discriminator.mapping` values). A bare
    /// name (`Dog`) means `#/components/schemas/Dog`, as OpenAPI allows in mappings.
    pub fn schema_ref(
        &self,
        reference: &str,
        at: &JsonPointer,
    ) -> Result<Resolved<'a, Schema>, Error> {
        if reference.contains('#') || reference.contains('/') {
            self.follow(reference, at)
        } else {
            self.follow(&format!("#/components/schemas/{reference}"), at)
        }
    }

    /// A parameter written at `at`.
    pub fn parameter(
        &self,
        r: &'a ReferenceOr<Parameter>,
        at: &JsonPointer,
    ) -> Result<Resolved<'a, Parameter>, Error> {
        self.item_or_follow(r, at)
    }

    /// A response written at `at`.
    pub fn response(
        &self,
        r: &'a ReferenceOr<Response>,
        at: &JsonPointer,
    ) -> Result<Resolved<'a, Response>, Error> {
        self.item_or_follow(r, at)
    }

    /// A request body written at `at`.
    pub fn request_body(
        &self,
        r: &'a ReferenceOr<RequestBody>,
        at: &JsonPointer,
    ) -> Result<Resolved<'a, RequestBody>, Error> {
        self.item_or_follow(r, at)
    }

    /// A security scheme written at `at`.
    pub fn security_scheme(
        &self,
        r: &'a ReferenceOr<SecurityScheme>,
        at: &JsonPointer,
    ) -> Result<Resolved<'a, SecurityScheme>, Error> {
        self.item_or_follow(r, at)
    }

    /// An object written inline at `at`, or the one its `$ref` leads to.
    fn item_or_follow<T: Component>(
        &self,
        r: &'a ReferenceOr<T>,
        at: &JsonPointer,
    ) -> Result<Resolved<'a, T>, Error> {
        match r {
            ReferenceOr::Item(item) => Ok(Resolved {
                item,
                pointer: at.clone(),
                component: None,
            }),
            ReferenceOr::Reference { reference } => self.follow(reference, at),
        }
    }

    /// Follows `reference` (written at `at`) through any number of component-to-component
    /// references until an object. Every hop is remembered, so a loop ends in an error.
    fn follow<T: Component>(
        &self,
        reference: &str,
        at: &JsonPointer,
    ) -> Result<Resolved<'a, T>, Error> {
        let mut current = reference.to_owned();
        let mut chain: Vec<JsonPointer> = Vec::new();
        loop {
            let (pointer, name) = self.component_pointer::<T>(&current, at)?;
            if let Some(start) = chain.iter().position(|p| *p == pointer) {
                // Report only the loop itself, not the references that led into it.
                let chain = chain.split_off(start);
                return Err(self.error(at, ErrorKind::RefCycle { chain }));
            }
            chain.push(pointer.clone());
            let map = T::map(self.doc).ok_or_else(|| self.unresolved::<T>(&current, at))?;
            let (key, entry) = map
                .get_key_value(name.as_str())
                .ok_or_else(|| self.unresolved::<T>(&current, at))?;
            match entry {
                ReferenceOr::Item(item) => {
                    return Ok(Resolved {
                        item,
                        pointer,
                        component: Some(key.as_str()),
                    })
                }
                ReferenceOr::Reference { reference } => current = reference.clone(),
            }
        }
    }

    /// Splits `#/components/{KIND}/{name}` into its pointer and name.
    fn component_pointer<T: Component>(
        &self,
        reference: &str,
        at: &JsonPointer,
    ) -> Result<(JsonPointer, String), Error> {
        if !reference.starts_with('#') {
            return Err(self.error(
                at,
                ErrorKind::ExternalRef {
                    target: reference.to_owned(),
                },
            ));
        }
        let pointer = JsonPointer::parse_ref(reference).ok_or_else(|| {
            self.error(
                at,
                ErrorKind::InvalidRef {
                    target: reference.to_owned(),
                    reason: "not a JSON pointer",
                },
            )
        })?;
        match pointer.tokens() {
            [components, kind, name] if components == "components" && kind == T::KIND => {
                let name = name.clone();
                Ok((pointer, name))
            }
            _ => Err(self.error(
                at,
                ErrorKind::Unsupported {
                    construct: format!("$ref {reference}"),
                    expected: format!(
                        "a reference to a whole component, such as #/components/{}/Name",
                        T::KIND
                    ),
                },
            )),
        }
    }

    fn unresolved<T: Component>(&self, target: &str, at: &JsonPointer) -> Error {
        self.error(
            at,
            ErrorKind::UnresolvedRef {
                target: target.to_owned(),
                expected: T::EXPECTED,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml: &str) -> OpenAPI {
        serde_yaml::from_str(yaml).unwrap()
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A: {type: string}
    B: {$ref: "#/components/schemas/A"}
    C: {$ref: "#/components/schemas/B"}
    Loop1: {$ref: "#/components/schemas/Loop2"}
    Loop2: {$ref: "#/components/schemas/Loop1"}
    Self1: {$ref: "#/components/schemas/Self1"}
    Dangling: {$ref: "#/components/schemas/Nope"}
  parameters:
    P: {name: p, in: query, schema: {type: string}}
    Q: {$ref: "#/components/parameters/P"}
  responses:
    R: {description: ok}
  requestBodies:
    Body: {content: {application/json: {schema: {type: object}}}}
"##;

    fn at() -> JsonPointer {
        JsonPointer::root().push("here")
    }

    #[test]
    fn follows_chains_to_the_last_component() {
        let d = doc(SPEC);
        let r = Resolver::new(&d, "spec.yaml");
        let c = ReferenceOr::ref_("#/components/schemas/C");
        let got = r.schema(&c, &at()).unwrap();
        assert_eq!(got.component, Some("A"));
        assert_eq!(got.pointer.to_string(), "#/components/schemas/A");
        let q = ReferenceOr::ref_("#/components/parameters/Q");
        let p = r.parameter(&q, &at()).unwrap();
        assert_eq!(p.item.parameter_data_ref().name, "p");
        assert!(r
            .response(&ReferenceOr::ref_("#/components/responses/R"), &at())
            .is_ok());
        assert!(r
            .request_body(&ReferenceOr::ref_("#/components/requestBodies/Body"), &at())
            .is_ok());
    }

    #[test]
    fn items_resolve_in_place() {
        let d = doc(SPEC);
        let r = Resolver::new(&d, "spec.yaml");
        let item = ReferenceOr::Item(Box::new(Schema {
            schema_data: Default::default(),
            schema_kind: openapiv3::SchemaKind::Any(Default::default()),
        }));
        let got = r.boxed_schema(&item, &at()).unwrap();
        assert_eq!(got.component, None);
        assert_eq!(got.pointer, at());
    }

    #[test]
    fn bare_mapping_names_are_schema_names() {
        let d = doc(SPEC);
        let r = Resolver::new(&d, "spec.yaml");
        assert_eq!(r.schema_ref("B", &at()).unwrap().component, Some("A"));
        assert_eq!(
            r.schema_ref("#/components/schemas/A", &at())
                .unwrap()
                .component,
            Some("A")
        );
    }

    #[test]
    fn errors_instead_of_loops_and_panics() {
        let d = doc(SPEC);
        let r = Resolver::new(&d, "spec.yaml");
        let msg = |reference: &str| {
            r.schema(&ReferenceOr::ref_(reference), &at())
                .unwrap_err()
                .to_string()
        };
        assert!(
            msg("#/components/schemas/Loop1").contains("$ref/allOf chain loops"),
            "{}",
            msg("#/components/schemas/Loop1")
        );
        assert!(msg("#/components/schemas/Self1").contains("chain loops"));
        assert_eq!(
            msg("#/components/schemas/Dangling"),
            "spec.yaml: #/here: $ref target #/components/schemas/Nope does not exist; \
             expected a schema under #/components/schemas"
        );
        assert!(msg("other.yaml#/components/schemas/A").contains("external $ref"));
        assert!(msg("#/components/parameters/P").contains("is not supported"));
        assert!(msg("#/components/schemas/A/properties/x").contains("is not supported"));
        assert!(msg("#nope").contains("not a JSON pointer"));
        let empty = doc("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
        let r = Resolver::new(&empty, "spec.yaml");
        assert!(r
            .schema(&ReferenceOr::ref_("#/components/schemas/A"), &at())
            .unwrap_err()
            .to_string()
            .contains("does not exist"));
    }
}
