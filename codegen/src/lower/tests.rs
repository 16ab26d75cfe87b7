//! Error paths of lowering, and a few cases the fixture snapshots do not pin down. Every
//! problem is an `Error` with a pointer and the house message format, never a panic. (The
//! problems `validate` finds are its tests'.)

use crate::document::Document;
use crate::ir::{Ir, NameOrigin, Renamed, TypeKind};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

/// Loads, validates and lowers a whole document named `t.yaml`; the errors as text.
pub(crate) fn lower_text(spec: &str) -> Result<Ir, String> {
    let input = crate::Input {
        file_name: "t.yaml",
        text: spec.as_bytes(),
    };
    let loaded = crate::load::load(&input).map_err(|e| e.to_string())?;
    let document = Document::new(&loaded.doc, &loaded.raw, "t.yaml");
    let valid = crate::validate::validate(document)
        .unwrap_or_else(|e| panic!("the document does not validate:\n{e}"));
    super::lower(&valid).map_err(|e| e.to_string())
}

fn run(body: &str) -> Result<Ir, String> {
    lower_text(&format!("{HEAD}{body}"))
}

fn error(body: &str) -> String {
    let e = run(body).expect_err("lowering should fail");
    assert!(e.starts_with("t.yaml: #"), "{e}");
    assert!(e.contains("; expected "), "{e}");
    e
}

fn schemas(yaml: &str) -> String {
    format!("paths: {{}}\ncomponents:\n  schemas:\n{yaml}")
}

fn op(operation: &str) -> String {
    format!("paths:\n  /a/{{id}}:\n    get:\n{operation}")
}

#[test]
fn omitted_required_parameter() {
    let e = error(&op("      operationId: a
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: envelope, in: query, required: true, schema: {type: boolean}, x-codegen-omit: true}
      responses: {'200': {description: ok}}
"));
    assert_eq!(
        e,
        "t.yaml: #/paths/~1a~1{id}/get/parameters/1: parameter `envelope` is marked \
         `x-codegen-omit: true` but is required; expected omitted parameters to be optional \
         (the client never sends them)"
    );
}

#[test]
fn no_success_response_returns_any_2xx_as_bytes() {
    let ir = run(&op("      operationId: a
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '3XX': {description: moved}
        '404': {description: missing, content: {application/json: {schema: {type: object}}}}
"))
    .unwrap();
    let [a] = ir.operations.as_slice() else {
        panic!("{:?}", ir.operations)
    };
    assert_eq!(a.ok.status, crate::ir::StatusSpec::Range(2));
    assert_eq!((&a.ok.ty, a.ok.raw_media.as_deref()), (&None, Some("*/*")));
    let errors: Vec<_> = a.errors.iter().map(|r| r.status).collect();
    assert_eq!(
        errors,
        [crate::ir::StatusSpec::Code(404)],
        "the redirect is no error"
    );
}

#[test]
fn every_parameter_gets_an_encoding_with_openapis_defaults() {
    use crate::ir::{ParamStyle as S, ParamValue as V};
    let ir = run(&op("      operationId: a
      parameters:
        - {name: id, in: path, required: true, style: label, schema: {type: object, properties: {x: {type: string}}}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: X-Ids, in: header, schema: {type: array, items: {type: string}}}
        - {name: ids, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: pipes, in: query, style: pipeDelimited, schema: {type: array, items: {type: integer}}}
        - {name: deep, in: query, style: deepObject, explode: true, allowReserved: true, schema: {type: object, additionalProperties: {type: string}}}
        - {name: sorts, in: query, schema: {type: array, items: {type: object, properties: {f: {type: string}}}}}
        - {name: q, in: query, content: {application/json: {schema: {type: object}}}}
        - {name: t, in: query, content: {text/plain: {schema: {type: integer}}}}
      responses: {'200': {description: ok}}
"))
    .unwrap();
    let got: Vec<_> = ir.operations[0]
        .params
        .iter()
        .map(|p| {
            let e = &p.encoding;
            (
                p.wire.as_str(),
                e.style,
                e.explode,
                e.allow_reserved,
                e.value,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("id", S::Label, false, false, V::Json),
            ("session", S::Form, true, false, V::Text),
            ("X-Ids", S::Simple, false, false, V::List),
            ("ids", S::Form, false, false, V::List),
            ("pipes", S::PipeDelimited, false, false, V::List),
            ("deep", S::DeepObject, true, true, V::Json),
            ("sorts", S::Form, true, false, V::Json),
            ("q", S::Form, true, false, V::JsonText),
            ("t", S::Form, true, false, V::Text),
        ]
    );
    // A `content` parameter of another media type is a string, sent as it is.
    let t = &ir.operations[0].params[8];
    assert_eq!(t.ty, crate::ir::TypeRef::Scalar(crate::ir::Scalar::String));
}

/// Each operation's label, method, builder and name origin, in IR order.
fn op_names(ir: &Ir) -> Vec<(&str, &str, &str, Option<&NameOrigin>)> {
    ir.operations
        .iter()
        .map(|o| {
            let names = (o.method_name.as_str(), o.builder_name.as_str());
            (o.id.as_str(), names.0, names.1, o.name_origin.as_ref())
        })
        .collect()
}

#[test]
fn operation_names_that_collide() {
    let ir = run("paths:
  /b:
    get: {operationId: get_thing, responses: {'200': {description: ok}}}
  /a:
    get: {operationId: getThing, responses: {'200': {description: ok}}}
  /thing:
    get: {responses: {'200': {description: ok}}}
")
    .unwrap();
    let renamed = |wire: &str| Renamed {
        wire: wire.to_owned(),
        plain: "get_thing".to_owned(),
        holder: "getThing".to_owned(),
    };
    let (id, route) = (
        NameOrigin::Renamed(renamed("get_thing")),
        NameOrigin::RenamedRoute(renamed("GET /thing")),
    );
    // Sorted by label; `getThing` sorts first, so it keeps the plain names; the route
    // claims after every operationId.
    assert_eq!(
        op_names(&ir),
        [
            ("GET /thing", "get_thing_3", "GetThing3", Some(&route)),
            ("getThing", "get_thing", "GetThing", None),
            ("get_thing", "get_thing_2", "GetThing2", Some(&id)),
        ]
    );
}

#[test]
fn operations_without_id_and_paths_equal_up_to_names() {
    let ir = run("paths:
  /pets/{petId}:
    parameters: [{name: petId, in: path, required: true, schema: {type: string}}]
    get: {responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}}}
  /pets/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {responses: {'200': {description: ok}}}
    delete: {operationId: deletePet, responses: {'204': {description: ok}}}
")
    .unwrap();
    let route = Some(&NameOrigin::Route);
    assert_eq!(
        op_names(&ir),
        [
            ("GET /pets/{id}", "get_pets_id", "GetPetsId", route),
            (
                "GET /pets/{petId}",
                "get_pets_pet_id",
                "GetPetsPetId",
                route
            ),
            ("deletePet", "delete_pet", "DeletePet", None),
        ]
    );
    // The inline response type is named after the route.
    assert!(
        ir.types
            .keys()
            .any(|t| t.as_str() == "GetPetsPetIdResponse"),
        "{:?}",
        ir.types.keys()
    );
}

#[test]
fn non_json_bodies() {
    let body = error(
        "paths:
  /a:
    post:
      operationId: a
      requestBody: {content: {multipart/mixed: {schema: {type: object}}}}
      responses: {'200': {description: ok}}
",
    );
    assert!(
        body.contains("request body media type multipart/mixed is not supported"),
        "{body}"
    );
    // `multipart/form-data` with a schema that names no parts: the caller's form.
    let ir = run("paths:
  /a:
    post:
      operationId: a
      requestBody: {content: {multipart/form-data: {schema: {type: object}}}}
      responses: {'200': {description: ok}}
")
    .unwrap();
    let body = ir.operations[0].body.as_ref().unwrap();
    assert_eq!(body.multipart, Some(crate::ir::Multipart::Free));
    assert_eq!(body.ty, crate::ir::TypeRef::Scalar(crate::ir::Scalar::Form));
    // Other non-JSON bodies travel as raw bytes, both ways.
    let ir = run("paths:
  /a:
    post:
      operationId: a
      requestBody: {content: {text/plain: {schema: {type: string}}}}
      responses: {'200': {description: ok, content: {text/csv: {schema: {type: string}}}}}
")
    .unwrap();
    let op = &ir.operations[0];
    let body = op.body.as_ref().unwrap();
    assert_eq!(body.raw_media.as_deref(), Some("text/plain"));
    assert_eq!(
        body.ty,
        crate::ir::TypeRef::Scalar(crate::ir::Scalar::Bytes)
    );
    assert_eq!(op.ok.raw_media.as_deref(), Some("text/csv"));
    assert_eq!(op.ok.ty, None);
}

#[test]
fn component_names_that_collide() {
    let ir = run(&schemas(
        "    foo_bar: {type: string}\n    FooBar: {type: string}\n",
    ))
    .unwrap();
    let defs: Vec<(&str, &str, Option<&Renamed>)> = ir
        .types
        .values()
        .map(|d| {
            (
                d.name.as_str(),
                d.source.last().unwrap_or(""),
                d.renamed.as_ref(),
            )
        })
        .collect();
    let renamed = Renamed {
        wire: "foo_bar".to_owned(),
        plain: "FooBar".to_owned(),
        holder: "FooBar".to_owned(),
    };
    // Sorted keys: `FooBar` before `foo_bar`, whatever the document order.
    assert_eq!(
        defs,
        [
            ("FooBar", "FooBar", None),
            ("FooBar2", "foo_bar", Some(&renamed))
        ]
    );
}

#[test]
fn enum_values_that_collide() {
    let ir = run(&schemas(
        "    Region: {type: string, enum: [us-east-1, US_EAST_1, us-east-1, '<', '>', '']}\n",
    ))
    .unwrap();
    let values = match kind_of(&ir, "Region") {
        TypeKind::Enum(e) => e.values.iter().map(|v| (v.wire.as_str(), v.rust.as_str())),
        other => panic!("not an enum: {other:?}"),
    };
    // The repeated `us-east-1` is one variant.
    assert_eq!(
        values.collect::<Vec<_>>(),
        [
            ("us-east-1", "UsEast1"),
            ("US_EAST_1", "UsEast12"),
            ("<", "Lt"),
            (">", "Gt"),
            ("", "Empty"),
        ]
    );
    let ir = run(&schemas(
        "    U:
      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
      discriminator: {propertyName: t, mapping: {aws: '#/components/schemas/A', AWS: '#/components/schemas/B'}}
    A: {type: object, properties: {t: {type: string}}}
    B: {type: object, properties: {t: {type: string}}}
",
    ))
    .unwrap();
    let variants = match kind_of(&ir, "U") {
        TypeKind::Union(u) => u
            .variants
            .iter()
            .map(|v| (v.tag_value.as_str(), v.rust.as_str())),
        other => panic!("not a union: {other:?}"),
    };
    assert_eq!(
        variants.collect::<Vec<_>>(),
        [("aws", "Aws"), ("AWS", "Aws2")]
    );
}

/// The kind of type `name`; a test failure if there is none.
fn kind_of<'a>(ir: &'a Ir, name: &str) -> &'a TypeKind {
    match ir.types.values().find(|d| d.name.as_str() == name) {
        Some(def) => &def.kind,
        None => panic!("no type {name}: {:?}", ir.types.keys()),
    }
}

#[test]
fn unsupported_schemas() {
    let not = error(&schemas("    A: {not: {type: string}}\n"));
    assert!(
        not.contains("#/components/schemas/A: `not` is not supported"),
        "{not}"
    );
    let member = error(&schemas(
        "    A: {allOf: [{type: string}, {type: object}]}\n",
    ));
    assert!(
        member.contains(
            "#/components/schemas/A/allOf/0: an allOf member that is a string beside an object \
             (#/components/schemas/A/allOf/1)"
        ),
        "{member}"
    );
}

#[test]
fn union_variants_must_be_objects() {
    // A member declared as a non-object cannot carry the tag: the union is untagged.
    let ir = run(&schemas(
        "    U:
      oneOf: [{$ref: '#/components/schemas/S'}, {$ref: '#/components/schemas/O'}]
      discriminator: {propertyName: t}
    S: {type: array, items: {type: string}}
    O: {type: object, properties: {t: {type: string}}}
",
    ))
    .unwrap();
    let u = ir.types.values().find(|d| d.name.as_str() == "U").unwrap();
    assert!(matches!(u.kind, TypeKind::Untagged(_)), "{:?}", u.kind);
    let TypeKind::Untagged(untagged) = &u.kind else {
        unreachable!()
    };
    assert_eq!(untagged.unusable_discriminator.as_deref(), Some("t"));
    // A variant that declares the tag but lowers to no struct (a union of its own) cannot
    // hold it either.
    let e = error(&schemas(
        "    U:
      oneOf: [{$ref: '#/components/schemas/M'}]
      discriminator: {propertyName: t}
    M:
      properties: {t: {type: string}}
      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
    A: {type: object, properties: {a: {type: string}}}
    B: {type: object, properties: {b: {type: string}}}
",
    ));
    assert_eq!(
        e,
        "t.yaml: #/components/schemas/U: union variant #/components/schemas/M is not an object \
         schema; expected every variant of a discriminated union to be an object (the tag \
         property is written into it)"
    );
    let inline = error(&schemas(
        "    U:
      oneOf: [{type: object, properties: {t: {type: string}}}]
      discriminator: {propertyName: t}
",
    ));
    assert!(
        inline.contains("/oneOf/0: an inline union member without a one-value `t` enum"),
        "{inline}"
    );
    let conflict = error(&schemas(
        "    U:
      oneOf: [{$ref: '#/components/schemas/A'}]
      discriminator: {propertyName: t}
    V:
      oneOf: [{$ref: '#/components/schemas/A'}]
      discriminator: {propertyName: kind}
    A: {type: object, properties: {t: {type: string}, kind: {type: string}}}
",
    ));
    assert!(
        conflict.contains("variant A tagged by `kind` here and by `t`"),
        "{conflict}"
    );
}

#[test]
fn recursion_through_untagged_only_is_an_error() {
    let e = error(&schemas(
        "    A: {oneOf: [{$ref: '#/components/schemas/B'}, {type: string}]}\n    B: {oneOf: [{$ref: '#/components/schemas/A'}, {type: integer}]}\n",
    ));
    assert!(
        e.contains("contains itself only through untagged unions or aliases (A → B)"),
        "{e}"
    );
}

#[test]
fn union_variant_boxed_when_it_closes_the_cycle() {
    // DFS starts at `ANode` (name order): ANode.next → Z (union) → variant ANode closes it.
    let ir = run(&schemas(
        "    ANode: {type: object, properties: {k: {type: string}, next: {$ref: '#/components/schemas/Z'}}}
    Z:
      oneOf: [{$ref: '#/components/schemas/ANode'}]
      discriminator: {propertyName: k}
",
    ))
    .unwrap();
    let TypeKind::Union(z) = &ir
        .types
        .values()
        .find(|d| d.name.as_str() == "Z")
        .unwrap()
        .kind
    else {
        panic!("Z is a union")
    };
    assert!(z.variants.iter().all(|v| v.boxed));
    let TypeKind::Struct(a) = &ir
        .types
        .values()
        .find(|d| d.name.as_str() == "ANode")
        .unwrap()
        .kind
    else {
        panic!("ANode is a struct")
    };
    assert!(a.fields.iter().all(|f| !f.boxed));
}

#[test]
fn reserved_component_names_yield_to_real_ones() {
    let ir = run(&schemas(
        "    Client: {type: string}\n    ClientModel: {type: integer}\n    Vec: {type: boolean}\n",
    ))
    .unwrap();
    let names: Vec<&str> = ir.types.keys().map(|n| n.as_str()).collect();
    assert_eq!(names, ["ClientModel", "ClientModel2", "VecModel"]);
    assert_eq!(
        ir.types
            .values()
            .find(|d| d.name.as_str() == "ClientModel2")
            .unwrap()
            .source
            .to_string(),
        "#/components/schemas/Client"
    );
}

#[test]
fn integer_bounds_are_decided_here_so_emit_never_fails() {
    // `minimum: 0.5` on an integer reached emit, which then failed; lowering rounds it
    // inward (an integer `x >= 0.5` is `x >= 1`) and drops what no i64 can exceed.
    let spec = schemas(
        "    A:
      type: object
      properties:
        n: {type: integer, minimum: 0.5, maximum: 1.0e30}
        m: {type: array, items: {type: integer}, maximum: 9.5, exclusiveMaximum: true}
",
    );
    let ir = run(&spec).unwrap();
    let TypeKind::Struct(a) = &ir.types.values().next().unwrap().kind else {
        panic!("A is a struct")
    };
    let rules: Vec<String> = a
        .fields
        .iter()
        .map(|f| {
            format!(
                "{:?} {:?} {} {}",
                f.rules.minimum.as_ref().map(ToString::to_string),
                f.rules.maximum.as_ref().map(ToString::to_string),
                f.rules.exclusive_minimum,
                f.rules.exclusive_maximum
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            "Some(\"1\") None false false",
            "None Some(\"9\") false false"
        ]
    );
    let text = format!("{HEAD}{spec}");
    crate::generate(&crate::Input {
        file_name: "t.yaml",
        text: text.as_bytes(),
    })
    .unwrap();
    let e = error(&schemas(
        "    A: {type: object, properties: {n: {type: integer, minimum: 1.0e30}}}\n",
    ));
    assert!(
        e.contains("`minimum: 1e+30` on an integer, which no 64-bit integer satisfies"),
        "{e}"
    );
}

#[test]
fn a_page_parameter_default_must_be_an_integer() {
    let e = error(
        "paths:
  /a:
    get:
      operationId: listA
      parameters:
        - {name: pageNum, in: query, schema: {type: integer, default: 1.5}}
        - {name: itemsPerPage, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {results: {type: array, items: {type: string}}}
",
    );
    assert!(
        e.contains(
            "/parameters/0: `default: 1.5` on the page parameter `pageNum` is not supported"
        ),
        "{e}"
    );
}

#[test]
fn allof_members_that_cannot_be_one_value() {
    let object_and_string = error(&schemas(
        "    A:
      allOf:
        - {type: object, properties: {a: {type: string}}}
        - {type: string, maxLength: 3}
",
    ));
    assert!(
        object_and_string.starts_with(
            "t.yaml: #/components/schemas/A/allOf/1: an allOf member that is a string beside an object (#/components/schemas/A/allOf/0)"
        ),
        "{object_and_string}"
    );
    let two_types = error(&schemas(
        "    A:
      allOf:
        - {type: string}
        - {type: integer}
",
    ));
    assert!(
        two_types.starts_with(
            "t.yaml: #/components/schemas/A/allOf/1: an allOf member that is an integer beside a string (#/components/schemas/A/allOf/0)"
        ),
        "{two_types}"
    );
}

#[test]
fn allof_constraints_intersect() {
    let ir = run(&schemas(
        "    A:
      type: object
      properties:
        n:
          allOf:
            - {type: integer, minimum: 1, maximum: 100, pattern: '^1'}
            - {minimum: 5, maximum: 100, exclusiveMaximum: true, pattern: '^1.$'}
            - {maxLength: 2}
",
    ))
    .unwrap();
    let Some(TypeKind::Struct(a)) = ir.types.values().next().map(|d| &d.kind) else {
        panic!("{:?}", ir.types)
    };
    let rules = &a.fields[0].rules;
    assert_eq!(
        (
            rules.minimum.as_ref().map(ToString::to_string),
            rules.exclusive_minimum
        ),
        (Some("5".to_owned()), false)
    );
    assert_eq!(
        (
            rules.maximum.as_ref().map(ToString::to_string),
            rules.exclusive_maximum
        ),
        (Some("100".to_owned()), true)
    );
    assert_eq!(rules.patterns, ["^1", "^1.$"]);
    assert_eq!(rules.max_length, Some(2));
}
