//! Stage 2, validate: whole-document checks on a loaded spec, before lowering.
//!
//! Input: a [`Document`]. Output: a [`Validated`] document, or **every** problem found,
//! sorted by pointer. Checks: `$ref`s (external, dangling, wrong section, cycles through
//! `$ref`/`allOf`), operations (operationIds unique where given, path templates and their
//! parameters, status codes), discriminators (something to discriminate, mapping targets,
//! the property present in every variant), schema types, security requirements (every
//! scheme they name declared).
//!
//! Only a [`Validated`] document can be lowered, and lowering relies on what it
//! guarantees: every local `$ref` resolves to the right kind of component, no
//! `$ref`/`allOf` chain loops, every operationId given is unique, and every operation has a
//! label (that id, or its method and path) and a template that parses and matches its
//! `in: path` parameters — handed over already parsed and bound
//! ([`ValidOperation`]), so no stage decides those questions a second time.

mod discriminator;
mod operations;
mod problems;
mod refs;
mod schemas;
mod security;
mod template;

use std::collections::BTreeSet;

use crate::document::{walk, Document};
use crate::error::{Error, Errors};
use crate::skip::{items_at, Item, Options, Warning};
use problems::Problems;

pub use operations::{ParamSite, TemplatePiece, ValidOperation};

/// A document that passed every check, with its operations as the checks read them.
///
/// In skip mode (see [`crate::skip`]) "every check" means: every check of the document as
/// a whole. The operations and schema components with a problem of their own are left
/// out — [`Self::operations`] does not list them, [`Self::skipped_schemas`] does — and
/// [`Self::warnings`] says why.
#[derive(Debug)]
pub struct Validated<'a> {
    document: Document<'a>,
    operations: Vec<ValidOperation<'a>>,
    skipped_schemas: BTreeSet<String>,
    warnings: Vec<Warning>,
}

impl<'a> Validated<'a> {
    /// The document.
    pub fn document(&self) -> Document<'a> {
        self.document
    }

    /// Every operation, in document order (in skip mode: every one not skipped).
    pub fn operations(&self) -> &[ValidOperation<'a>] {
        &self.operations
    }

    /// The keys of the schema components skip mode left out (empty in strict mode).
    pub fn skipped_schemas(&self) -> &BTreeSet<String> {
        &self.skipped_schemas
    }

    /// What skip mode left out, and why (empty in strict mode).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Takes the warnings out (the lowering adds its own to them).
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }
}

/// Checks a loaded document (strict: every problem stops it).
pub fn validate(document: Document<'_>) -> Result<Validated<'_>, Errors> {
    validate_with(document, &Options::default())
}

/// [`validate`] with [`Options`]: with `skip_unsupported`, the problems inside one
/// operation or one schema component leave that item out (a [`Warning`] each), and only
/// the others stop the document.
pub fn validate_with<'a>(
    document: Document<'a>,
    options: &Options,
) -> Result<Validated<'a>, Errors> {
    let raw = document.raw();
    let facts = walk::collect(raw);
    let mut problems = Problems::new();
    let resolved = refs::check(raw, &facts, &mut problems);
    refs::cycles(&facts, &resolved, &mut problems);
    let checked = operations::check(document, &mut problems);
    discriminator::check(raw, &facts, &resolved, &mut problems);
    schemas::check(&facts, &mut problems);
    security::check(document, &checked.operations, &mut problems);
    if options.skip_unsupported {
        problems.extend(checked.unresolved);
        return skipping(document, checked.operations, problems);
    }
    if problems.is_empty() {
        // The reference checks report every parameter `$ref` that does not resolve; should
        // one ever slip through them, it still stops the document here.
        problems = checked.unresolved;
    }
    if problems.is_empty() {
        return Ok(Validated {
            document,
            operations: checked.operations,
            skipped_schemas: BTreeSet::new(),
            warnings: Vec::new(),
        });
    }
    Err(sorted(document, problems))
}

fn sorted(document: Document<'_>, problems: Problems) -> Errors {
    let mut errors = Errors(
        problems
            .into_iter()
            .map(|(pointer, kind)| Error::new(document.file(), pointer, kind))
            .collect(),
    );
    errors.sort();
    errors
}

/// Skip mode: each problem inside an item becomes a warning that skips the item; the
/// problems that are the document's are returned as errors, if there are any.
fn skipping<'a>(
    document: Document<'a>,
    mut operations: Vec<ValidOperation<'a>>,
    problems: Problems,
) -> Result<Validated<'a>, Errors> {
    let mut fatal = Vec::new();
    let mut warnings = Vec::new();
    for problem in sorted(document, problems) {
        match items_at(document, &problem.pointer, &problem.kind) {
            Some(skipped) => warnings.push(Warning { problem, skipped }),
            None => fatal.push(problem),
        }
    }
    if !fatal.is_empty() {
        return Err(Errors(fatal));
    }
    let skipped: BTreeSet<&Item> = warnings.iter().flat_map(|w| &w.skipped).collect();
    operations.retain(|op| !skipped.contains(&Item::operation(&op.at)));
    let skipped_schemas = skipped
        .iter()
        .filter_map(|item| item.schema_key())
        .map(str::to_owned)
        .collect();
    Ok(Validated {
        document,
        operations,
        skipped_schemas,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Input;

    /// Validates `body` appended to a minimal 3.0 header; the problems, one per line.
    fn problems(body: &str) -> Vec<String> {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{body}");
        let loaded = crate::load::load(&Input {
            file_name: "s.yaml",
            text: text.as_bytes(),
        })
        .unwrap_or_else(|e| panic!("does not load: {e}"));
        match validate(Document::new(&loaded.doc, &loaded.raw, "s.yaml")) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .iter()
                .map(|e| e.to_string().replacen("s.yaml: ", "", 1))
                .collect(),
        }
    }

    /// The operationId and label of every operation of a valid `body`, in path order.
    fn labels(body: &str) -> Vec<(Option<String>, String)> {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{body}");
        let loaded = crate::load::load(&Input {
            file_name: "s.yaml",
            text: text.as_bytes(),
        })
        .unwrap_or_else(|e| panic!("does not load: {e}"));
        let valid = validate(Document::new(&loaded.doc, &loaded.raw, "s.yaml"))
            .unwrap_or_else(|e| panic!("does not validate: {e}"));
        valid
            .operations()
            .iter()
            .map(|o| (o.id.map(str::to_owned), o.label.clone()))
            .collect()
    }

    fn assert_ok(body: &str) {
        assert_eq!(problems(body), Vec::<String>::new());
    }

    fn assert_one(body: &str, starts: &str) {
        let found = problems(body);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].starts_with(starts),
            "{}\n  does not start with\n{starts}",
            found[0]
        );
    }

    const GET_A: &str =
        "paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        \
                         '200':\n          description: ok\n";

    #[test]
    fn minimal_document_is_valid() {
        assert_ok("paths: {}\n");
        assert_ok(GET_A);
    }

    #[test]
    fn refs_external_dangling_malformed_and_wrong_section() {
        let schema_ref = |r: &str| {
            format!("paths: {{}}\ncomponents:\n  parameters:\n    P: {{name: p, in: query, schema: {{type: string}}}}\n  schemas:\n    B: {{type: string}}\n    A:\n      properties:\n        b: {{$ref: '{r}'}}\n")
        };
        assert_ok(&schema_ref("#/components/schemas/B"));
        assert_one(
            &schema_ref("#/components/schemas/Missing"),
            "#/components/schemas/A/properties/b/$ref: $ref target #/components/schemas/Missing does not exist; \
             expected a schema under #/components/schemas",
        );
        assert_one(&schema_ref("other.yaml#/B"), "#/components/schemas/A/properties/b/$ref: external $ref other.yaml#/B is not supported");
        assert_one(
            &schema_ref("https://x.io/s.json"),
            "#/components/schemas/A/properties/b/$ref: external $ref https://x.io/s.json",
        );
        assert_one(
            &schema_ref("#B"),
            "#/components/schemas/A/properties/b/$ref: $ref #B is not a JSON pointer",
        );
        // A parameter carries one schema: `load` points the reference at it.
        assert_ok(&schema_ref("#/components/parameters/P"));
        assert_one(&schema_ref("#/components/schemas/A/properties"), "#/components/schemas/A/properties/b/$ref: $ref target #/components/schemas/A/properties is not a component");
        // A schema inside another object: `load` hoists it into the components.
        assert_ok(&schema_ref("#/components/parameters/P/schema"));
    }

    #[test]
    fn a_broken_parameter_ref_is_reported_once() {
        let body = "paths:\n  /a/{id}:\n    get:\n      operationId: a\n      parameters:\n        - $ref: '#/components/parameters/Nope'\n      responses: {}\n";
        assert_one(body, "#/paths/~1a~1{id}/get/parameters/0/$ref: $ref target #/components/parameters/Nope does not exist");
    }

    #[test]
    fn parameter_refs_are_checked_against_parameters() {
        let body = "paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - $ref: '#/components/parameters/Nope'\n      responses: {}\n";
        assert_one(
            body,
            "#/paths/~1a/get/parameters/0/$ref: $ref target #/components/parameters/Nope does not exist; \
             expected a parameter under #/components/parameters",
        );
    }

    #[test]
    fn ref_like_keys_in_names_and_data_are_not_refs() {
        assert_ok(
            "paths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        $ref: {type: string}\n      \
             example: {$ref: nowhere}\n      x-thing: {$ref: nowhere}\n",
        );
    }

    #[test]
    fn pure_ref_cycle_and_self_ref() {
        let body = "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n    C: {$ref: '#/components/schemas/C'}\n";
        let found = problems(body);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with(
            "#/components/schemas/A: $ref/allOf chain loops: #/components/schemas/A → #/components/schemas/B → #/components/schemas/A; expected"
        ));
        assert!(found[1].starts_with("#/components/schemas/C: $ref/allOf chain loops: #/components/schemas/C → #/components/schemas/C;"));
    }

    #[test]
    fn allof_cycle_is_an_error() {
        assert_one(
            "paths: {}\ncomponents:\n  schemas:\n    A:\n      allOf: [{$ref: '#/components/schemas/B'}]\n    \
             B:\n      allOf: [{type: object}, {$ref: '#/components/schemas/A'}]\n",
            "#/components/schemas/A: $ref/allOf chain loops: #/components/schemas/A → #/components/schemas/B → #/components/schemas/A",
        );
    }

    #[test]
    fn recursion_through_properties_items_and_maps_is_fine() {
        assert_ok(
            "paths: {}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        \
             children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n        \
             parent: {allOf: [{$ref: '#/components/schemas/Node'}], nullable: true}\n        \
             byName: {type: object, additionalProperties: {$ref: '#/components/schemas/Node'}}\n",
        );
    }

    const BASE_WITH_CHILDREN: &str = "paths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      \
        required: [kind]\n      properties:\n        kind: {type: string}\n      discriminator:\n        \
        propertyName: kind\n        mapping:\n          cat: '#/components/schemas/Cat'\n      ONEOF\n    \
        Cat:\n      allOf:\n        - $ref: '#/components/schemas/Pet'\n        - {type: object, properties: {meow: {type: boolean}}}\n    \
        Dog:\n      allOf:\n        - $ref: '#/components/schemas/Pet'\n        - {type: object, properties: {bark: {type: boolean}}}\n";

    #[test]
    fn base_with_oneof_of_children_that_allof_the_base_is_fine() {
        assert_ok(&BASE_WITH_CHILDREN.replace(
            "ONEOF",
            "oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]",
        ));
    }

    #[test]
    fn base_with_children_and_no_oneof_is_fine() {
        assert_ok(&BASE_WITH_CHILDREN.replace("ONEOF", "x-note: children extend this schema"));
    }

    #[test]
    fn discriminator_without_anything_to_discriminate() {
        // On an object it only names a property: a plain struct.
        let lonely = "paths: {}\ncomponents:\n  schemas:\n    Lonely:\n      type: object\n      properties: {kind: {type: string}}\n      \
             discriminator: {propertyName: kind}\n";
        assert_ok(lonely);
        assert_one(
            &lonely.replace("type: object", "type: string"),
            "#/components/schemas/Lonely/discriminator: discriminator on a schema that is not an object",
        );
    }

    #[test]
    fn mapping_without_oneof_or_children_is_fine() {
        assert_ok(
            "paths: {}\ncomponents:\n  schemas:\n    Snap:\n      type: object\n      properties: {kind: {type: string}}\n      \
             discriminator: {propertyName: kind, mapping: {a: '#/components/schemas/A'}}\n    \
             A:\n      type: object\n      properties: {kind: {type: string}}\n",
        );
    }

    const UNION: &str = "paths: {}\ncomponents:\n  schemas:\n    Shape:\n      oneOf:\n        - $ref: '#/components/schemas/Circle'\n        \
        - $ref: '#/components/schemas/Square'\n      discriminator:\n        propertyName: type\n        mapping:\n          \
        circle: 'CIRCLE'\n          square: Square\n    Circle:\n      type: object\n      properties: {type: {type: string}, r: {type: number}}\n    \
        Square:\n      allOf:\n        - {$ref: '#/components/schemas/Base'}\n        - {type: object, properties: {side: {type: number}}}\n    \
        Base:\n      type: object\n      properties: {type: {type: string}}\n";

    #[test]
    fn union_with_mapping_by_ref_and_by_name_is_fine() {
        assert_ok(&UNION.replace("'CIRCLE'", "'#/components/schemas/Circle'"));
        assert_ok(&UNION.replace("'CIRCLE'", "Circle"));
    }

    #[test]
    fn mapping_to_a_missing_schema() {
        assert_one(
            &UNION.replace("'CIRCLE'", "'#/components/schemas/Round'"),
            "#/components/schemas/Shape/discriminator/mapping/circle: $ref target #/components/schemas/Round \
             does not exist; expected a schema under #/components/schemas",
        );
        assert_one(&UNION.replace("'CIRCLE'", "Round"), "#/components/schemas/Shape/discriminator/mapping/circle: $ref target Round does not exist");
        assert_one(&UNION.replace("'CIRCLE'", "'shapes.yaml#/Circle'"), "#/components/schemas/Shape/discriminator/mapping/circle: external $ref shapes.yaml#/Circle");
    }

    #[test]
    fn variant_without_the_discriminator_property() {
        let body = UNION
            .replace("'CIRCLE'", "'#/components/schemas/Circle'")
            .replace("{type: {type: string}, r:", "{kind: {type: string}, r:");
        // The union reads and writes the tag whatever the variant declares.
        assert_ok(&body);
    }

    #[test]
    fn operation_ids_optional_and_unique() {
        // No operationId (or an empty one): the operation passes, labelled by its route.
        let body = format!(
            "{}  /b/{{id}}:\n    parameters: [{ID}]\n    post:\n      operationId: ''\n      responses: {{}}\n",
            GET_A.replace("      operationId: getA\n", "")
        );
        assert_eq!(
            labels(&body),
            [
                (None, "GET /a".to_owned()),
                (None, "POST /b/{id}".to_owned())
            ]
        );
        assert_eq!(
            labels(GET_A),
            [(Some("getA".to_owned()), "getA".to_owned())]
        );
        let body =
            format!("{GET_A}  /b:\n    post:\n      operationId: getA\n      responses: {{}}\n");
        assert_one(
            &body,
            "#/paths/~1b/post: operationId `getA` is already used by #/paths/~1a/get; expected every operationId to be unique",
        );
    }

    fn path(template: &str, path_params: &str, op_params: &str) -> String {
        format!(
            "paths:\n  '{template}':\n    parameters: [{path_params}]\n    get:\n      operationId: op\n      \
             parameters: [{op_params}]\n      responses: {{}}\ncomponents:\n  parameters:\n    \
             Id: {{name: id, in: path, required: true, schema: {{type: string}}}}\n"
        )
    }

    const ID: &str = "{name: id, in: path, required: true, schema: {type: string}}";

    #[test]
    fn path_parameters_declared_at_either_level_or_by_ref() {
        assert_ok(&path("/a/{id}", ID, ""));
        assert_ok(&path("/a/{id}", "", ID));
        assert_ok(&path(
            "/a/{id}:start",
            "",
            "{$ref: '#/components/parameters/Id'}",
        ));
        assert_ok(&path(
            "/a",
            "",
            "{name: id, in: query, schema: {type: string}}",
        ));
    }

    #[test]
    fn path_parameter_problems() {
        assert_one(
            &path("/a/{id}", "", ""),
            "#/paths/~1a~1{id}/get: path template has `{id}` but the operation has no `in: path` parameter `id`",
        );
        assert_one(
            &path(
                "/a/{id}",
                "",
                "{name: id, in: query, schema: {type: string}}",
            ),
            "#/paths/~1a~1{id}/get: path template has `{id}`",
        );
        assert_one(&path("/a", "", ID), "#/paths/~1a/get/parameters/0: path parameter `id` does not appear in the path template");
        assert_one(
            &path("/a", ID, ""),
            "#/paths/~1a/parameters/0: path parameter `id` does not appear in the path template",
        );
        assert_one(
            &path("/a/{id}", "", "{name: id, in: path, schema: {type: string}}"),
            "#/paths/~1a~1{id}/get/parameters/0: path parameter `id` is not required; expected `required: true`",
        );
        assert_one(
            &path("/a/{id}", "", &format!("{ID}, {ID}")),
            "#/paths/~1a~1{id}/get/parameters/1: parameter `id` in path is already declared at #/paths/~1a~1{id}/get/parameters/0",
        );
    }

    #[test]
    fn malformed_templates() {
        for (template, reason) in [
            ("/a/{id", "has `{id` with no closing `}`"),
            (
                "/a/{id/x",
                "has `{id` with no closing `}` before the next `/`",
            ),
            ("/a/id}", "has a `}` with no matching `{`"),
            ("/a/{}", "has an empty `{}`"),
            ("/a/{x{id}}", "has a `{` inside `{x…`"),
            ("/a/{id}/{id}", "has `{id}` more than once"),
            ("a/b", "does not start with `/`"),
        ] {
            let found = problems(&path(template, "", ""));
            assert_eq!(found.len(), 1, "{found:#?}");
            assert!(
                found[0].contains(&format!(": path template {reason}; expected")),
                "{}",
                found[0]
            );
        }
    }

    #[test]
    fn schema_types() {
        let schema =
            |t: &str| format!("paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: {t}}}\n");
        for t in ["string", "number", "integer", "boolean", "array", "object"] {
            assert_ok(&schema(t).replace("array}", "array, items: {}}"));
        }
        assert_one(
            &schema("strin"),
            "#/components/schemas/A/type: schema type `strin` is not an OpenAPI 3.0 type; expected one of \
             string, number, integer, boolean, array, object",
        );
        assert_one(
            &schema("Object"),
            "#/components/schemas/A/type: schema type `Object` is not an OpenAPI 3.0 type",
        );
    }

    #[test]
    fn status_codes() {
        assert_ok(&GET_A.replace("'200'", "2XX").replace(
            "description: ok",
            "description: ok\n        default: {description: d}",
        ));
        assert_one(
            &GET_A.replace("'200'", "'2000'"),
            "#/paths/~1a/get/responses/2000: response status `2000` is not an HTTP status code; expected 100 to 599",
        );
        assert_one(
            &GET_A.replace("'200'", "6XX"),
            "#/paths/~1a/get/responses/6XX: response status `6XX`",
        );
    }

    #[test]
    fn templates_equal_up_to_names_are_each_an_operation() {
        let path = |name: &str, method: &str| {
            format!(
                "  /a/{{{name}}}:\n    parameters: [{{name: {name}, in: path, required: true, schema: {{type: string}}}}]\n    \
                 {method}:\n      operationId: {method}{name}\n      responses: {{'200': {{description: ok}}}}\n"
            )
        };
        // OpenAPI forbids them; real documents have them, and a client can call both.
        let body = format!("paths:\n{}{}", path("x", "get"), path("y", "get"));
        assert_eq!(
            labels(&body),
            [
                (Some("getx".to_owned()), "getx".to_owned()),
                (Some("gety".to_owned()), "gety".to_owned())
            ]
        );
        // Disjoint methods (GitHub's attestations paths).
        assert_ok(&format!(
            "paths:\n{}{}",
            path("x", "get"),
            path("y", "delete")
        ));
    }

    #[test]
    fn refs_where_none_are_allowed() {
        // A path item that is a $ref: `load` writes it out in place.
        assert_ok("paths:\n  /a:\n    $ref: '#/paths/~1b'\n  /b: {}\n");
        let body = GET_A.replace("      operationId: getA\n", "      operationId: getA\n      requestBody:\n        content:\n          application/json:\n            $ref: '#/x'\n");
        assert_one(&body, "#/paths/~1a/get/requestBody/content/application~1json/$ref: $ref is not allowed in a media type");
    }

    #[test]
    fn problems_are_all_reported_sorted_by_pointer() {
        let body = "paths:\n  /b/{id}:\n    get:\n      responses: {}\n  /a:\n    get:\n      responses: {'2000': {description: x}}\n\
                    components:\n  schemas:\n    Z: {$ref: '#/components/schemas/Nope'}\n";
        let found = problems(body);
        let pointers: Vec<&str> = found
            .iter()
            .map(|f| f.split(": ").next().unwrap())
            .collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/Z/$ref",
                "#/paths/~1a/get/responses/2000",
                "#/paths/~1b~1{id}/get"
            ]
        );
    }
}
