//! Unit tests of `emit` + `format` with hand-built IR: one small IR per emitted shape,
//! asserted on the formatted text (insta snapshots under `src/emit/snapshots/`), plus a
//! kitchen-sink IR for the whole-output properties (determinism, header, final newline).
//! These outputs are read, not compiled: the compile gate is
//! `xtask/tests/standalone_crates.rs`, which builds every fixture spec's generated crate
//! with `clippy -D warnings`.

use std::collections::BTreeMap;

use serde_json::json;

use super::docs::sanitize;
use super::emit;
use crate::format::format_file;
use crate::ir::*;
use crate::pointer::JsonPointer;

// ---- IR builders -------------------------------------------------------------------

fn ptr(s: &str) -> JsonPointer {
    JsonPointer::parse_ref(s).unwrap()
}

fn tn(s: &str) -> TypeName {
    TypeName::from_lowered(s)
}

fn fname(s: &str) -> FieldName {
    FieldName::from_lowered(s)
}

fn vn(s: &str) -> VariantName {
    VariantName::from_lowered(s)
}

fn named(s: &str) -> TypeRef {
    TypeRef::Named(tn(s))
}

fn string() -> TypeRef {
    TypeRef::Scalar(Scalar::String)
}

fn docs(title: Option<&str>, description: Option<&str>) -> Docs {
    Docs {
        title: title.map(str::to_owned),
        description: description.map(str::to_owned),
        external_url: None,
    }
}

fn field(wire: &str, rust: &str, ty: TypeRef, required: bool) -> Field {
    Field {
        wire: wire.to_owned(),
        rust: fname(rust),
        ty,
        required,
        nullable: false,
        boxed: false,
        read_only: false,
        write_only: false,
        deprecated: false,
        docs: docs(None, Some(&format!("The {wire} of the thing."))),
        rules: Constraints::default(),
        source: ptr(&format!("#/components/schemas/X/properties/{wire}")),
        renamed: None,
    }
}

fn strukt(fields: Vec<Field>) -> TypeKind {
    TypeKind::Struct(Struct {
        fields,
        additional: None,
        additional_field: None,
        tag: None,
    })
}

fn def(name: &str, description: Option<&str>, kind: TypeKind) -> (TypeName, TypeDef) {
    (
        tn(name),
        TypeDef {
            name: tn(name),
            docs: docs(None, description),
            deprecated: false,
            kind,
            source: ptr(&format!("#/components/schemas/{name}")),
            renamed: None,
            checked: false,
        },
    )
}

fn ir(types: Vec<(TypeName, TypeDef)>, operations: Vec<Operation>) -> Ir {
    Ir {
        title: "Test API".to_owned(),
        version: "2.0".to_owned(),
        base_url: Some("https://cloud.example.com".to_owned()),
        types: types.into_iter().collect::<BTreeMap<_, _>>(),
        operations,
        error_body: None,
        security: Default::default(),
    }
}

fn param(wire: &str, rust: &str, location: ParamLocation, ty: TypeRef, required: bool) -> Param {
    Param {
        wire: wire.to_owned(),
        rust: fname(rust),
        location,
        ty,
        encoding: ParamEncoding {
            style: if matches!(location, ParamLocation::Query) {
                ParamStyle::Form
            } else {
                ParamStyle::Simple
            },
            explode: matches!(location, ParamLocation::Query),
            allow_reserved: false,
            value: ParamValue::Text,
        },
        required,
        deprecated: false,
        docs: docs(None, Some(&format!("The {wire} parameter."))),
        rules: Constraints::default(),
        source: ptr("#/paths/~1x/get/parameters/0"),
    }
}

fn response(status: StatusSpec, ty: Option<TypeRef>) -> Response {
    Response {
        status,
        ty,
        raw_media: None,
        content_types: vec!["application/json".to_owned()],
        docs: Docs::default(),
    }
}

fn path(raw: &str, segments: Vec<Segment>) -> PathTemplate {
    PathTemplate {
        raw: raw.to_owned(),
        segments,
    }
}

fn lit(s: &str) -> Segment {
    Segment::Literal(s.to_owned())
}

fn seg(rust: &str, wire: &str) -> Segment {
    Segment::Param {
        rust: fname(rust),
        wire: wire.to_owned(),
    }
}

fn media(version: &str, variant: &str, deprecated: bool, default: bool) -> MediaVersion {
    MediaVersion {
        media_type: format!("application/vnd.atlas.{version}+json"),
        version: version.to_owned(),
        rust: vn(variant),
        deprecated,
        default,
    }
}

fn operation(id: &str, method: &str, builder: &str, http: HttpMethod, raw: &str) -> Operation {
    Operation {
        id: id.to_owned(),
        method_name: MethodName::from_lowered(method),
        builder_name: tn(builder),
        name_origin: None,
        http_method: http,
        path: path(raw, vec![lit(raw)]),
        params: vec![],
        body: None,
        ok: response(StatusSpec::Code(204), None),
        errors: vec![],
        media: vec![],
        version_enum: None,
        pagination: None,
        deprecated: None,
        docs: docs(Some(&format!("Run {id}")), None),
        tags: vec![],
        security: None,
        source: ptr(&format!("#/paths/~1x/{}", http.as_str().to_lowercase())),
    }
}

/// Emits and formats every file of `ir`.
fn files(ir: &Ir) -> BTreeMap<String, String> {
    // The types checked as lowering would have marked them.
    let mut ir = ir.clone();
    crate::lower::checked::mark_checked(&mut ir.types);
    emit(&ir, "spec/test.yaml")
        .unwrap()
        .into_iter()
        .map(|(name, tokens)| {
            let text = format_file(tokens, &name, "spec/test.yaml").unwrap();
            (name, text)
        })
        .collect()
}

fn file(ir: &Ir, name: &str) -> String {
    files(ir).remove(name).unwrap()
}

// ---- docs sanitising ---------------------------------------------------------------

#[test]
fn sanitize_table() {
    let cases: &[(&str, &[&str])] = &[
        ("Plain text.", &["Plain text."]),
        ("See https://x.y/z.", &["See <https://x.y/z>."]),
        ("(see https://x.y/a_(b)).", &["(see <https://x.y/a_(b)>)."]),
        (
            "Already <https://x.y> linked.",
            &["Already <https://x.y> linked."],
        ),
        (
            "A [web link](https://x.y) stays.",
            &["A [web link](https://x.y) stays."],
        ),
        (
            "[not a link] and [x](Foo)",
            &["\\[not a link\\] and \\[x\\](Foo)"],
        ),
        ("Use <tag> here", &["Use \\<tag> here"]),
        (
            "Code `a[0] <b> https://c` kept",
            &["Code `a[0] <b> https://c` kept"],
        ),
        ("Unmatched ` tick", &["Unmatched \\` tick"]),
        ("```\nlet x = 1;\n```", &["```text", "let x = 1;", "```"]),
        (
            "```json\n{\"a\": [1]}\n```",
            &["```text", "{\"a\": [1]}", "```"],
        ),
        ("~~~\nunclosed", &["```text", "unclosed", "```"]),
        (
            "Para one.\n\n\n\nPara two.",
            &["Para one.", "", "Para two."],
        ),
        (
            "Text\n\n        indented code",
            &["Text", "", "   indented code"],
        ),
        ("  - nested\r\n", &["  - nested"]),
        ("\n\nTrimmed\n\n", &["Trimmed"]),
        // A line after a list item continues it (lazily): indented under its text.
        (
            "Options:\n * `secret` - owners only.\nDefault: `secret`\n\nAfter.",
            &[
                "Options:",
                " * `secret` - owners only.",
                "   Default: `secret`",
                "",
                "After.",
            ],
        ),
        (
            "* mixed: both.\n* popular: most popular. Example: mixed,\npopular\n10. ten\nmore",
            &[
                "* mixed: both.",
                "* popular: most popular. Example: mixed,",
                "  popular",
                "10. ten",
                "    more",
            ],
        ),
        (
            "# Head\n- item\n# Next\ntext",
            &["# Head", "- item", "# Next", "text"],
        ),
        (
            "*   wide marker\nnext\n-      five spaces\nnext",
            &[
                "*   wide marker",
                "    next",
                "-      five spaces",
                "  next",
            ],
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(sanitize(input), *expected, "input: {input:?}");
    }
}

#[test]
fn long_lines_are_wrapped_outside_code_spans_lists_and_fences() {
    let words = "word ".repeat(30);
    let text = format!("{words}`a code span with spaces` end\n\n- {words}\n\n```\n{words}\n```");
    let lines = sanitize(&text);
    assert!(lines[..2].iter().all(|l| l.len() <= 90), "{lines:#?}");
    assert_eq!(lines[2], "", "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("`a code span with spaces`")),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&format!("- {}", words.trim_end())),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&words.trim_end().to_owned()),
        "a fenced line stays whole: {lines:#?}"
    );
    // A word that would start a list item or heading never begins a continuation line.
    let tricky = format!(
        "{} - not a list # not a heading 1. not ordered",
        "x".repeat(86)
    );
    for line in sanitize(&tricky).iter().skip(1) {
        assert!(!line.starts_with(['-', '#', '1']), "{line:?}");
    }
}

#[test]
fn code_spans_hold_backticks() {
    use super::docs::code;
    assert_eq!(code("a"), "`a`");
    assert_eq!(code("a`b"), "``a`b``");
    assert_eq!(code("`a"), "`` `a ``");
    assert_eq!(code(""), "`\"\"`");
}

// ---- models ------------------------------------------------------------------------

fn node_type() -> (TypeName, TypeDef) {
    let mut id = field("_id", "id", string(), false);
    id.read_only = true;
    id.rules.patterns = vec!["^([a-f0-9]{24})$".to_owned()];
    let mut name = field("name", "name", string(), true);
    name.rules.min_length = Some(1);
    name.rules.max_length = Some(64);
    let mut count = field("count", "count", TypeRef::Scalar(Scalar::I32), true);
    count.rules.minimum = Some(1.into());
    count.rules.maximum = Some(500.into());
    count.rules.default = Some(json!(100));
    let mut ratio = field("ratio", "ratio", TypeRef::Scalar(Scalar::F64), false);
    ratio.rules.minimum = Some(serde_json::Number::from_f64(0.5).unwrap());
    ratio.rules.exclusive_minimum = true;
    let mut cleared = field(
        "expireAt",
        "expire_at",
        TypeRef::Scalar(Scalar::DateTime),
        false,
    );
    cleared.nullable = true;
    let mut note = field("note", "note", string(), true);
    note.nullable = true;
    note.deprecated = true;
    let mut child = field("child", "child", named("Node"), false);
    child.boxed = true;
    let mut tags = field("tags", "tags", TypeRef::List(Box::new(string())), false);
    tags.rules.min_items = Some(1);
    tags.rules.patterns = vec!["^[a-z]+$".to_owned()];
    let mut node = Struct {
        fields: vec![id, name, count, ratio, cleared, note, child, tags],
        additional: Some(TypeRef::Json),
        additional_field: Some(fname("extra")),
        tag: None,
    };
    node.fields[0].docs = docs(
        Some("Identifier"),
        Some("Unique id. See https://docs.example.com/ids."),
    );
    def("Node", Some("A node of a [tree]."), TypeKind::Struct(node))
}

#[test]
fn struct_field_shapes() {
    let ir = ir(vec![node_type()], vec![]);
    insta::assert_snapshot!(file(&ir, "models.rs"));
}

#[test]
fn struct_without_required_fields_derives_default() {
    let ir = ir(
        vec![
            def("Empty", None, strukt(vec![])),
            def(
                "Options",
                Some("Options."),
                strukt(vec![field(
                    "pretty",
                    "pretty",
                    TypeRef::Scalar(Scalar::Bool),
                    false,
                )]),
            ),
        ],
        vec![],
    );
    insta::assert_snapshot!(file(&ir, "models.rs"));
}

fn wide_type() -> (TypeName, TypeDef) {
    let fields = (0..8)
        .map(|i| field(&format!("f{i}"), &format!("f{i}"), string(), true))
        .collect();
    def("Wide", None, strukt(fields))
}

#[test]
fn many_required_fields_allow_too_many_arguments() {
    let text = file(&ir(vec![wide_type()], vec![]), "models.rs");
    assert!(
        text.contains(
            "#[allow(clippy::too_many_arguments, reason = \"one argument per required property\")]"
        ),
        "{text}"
    );
}

/// Clippy counts `&self`: six required parameters are seven arguments (fine), seven are
/// eight (allowed explicitly).
#[test]
fn many_required_params_allow_too_many_arguments() {
    let allowed = |n: usize| {
        let mut op = operation("wide", "wide", "Wide", HttpMethod::Get, "/wide");
        op.params = (0..n)
            .map(|i| {
                let name = format!("p{i}");
                param(&name, &name, ParamLocation::Query, string(), true)
            })
            .collect();
        file(&ir(vec![], vec![op]), "operations.rs").contains("clippy::too_many_arguments")
    };
    assert!(!allowed(6));
    assert!(allowed(7));
}

fn enum_map_alias_types() -> Vec<(TypeName, TypeDef)> {
    let values = [("AWS", "Aws"), ("AZURE", "Azure"), ("", "Empty")]
        .into_iter()
        .map(|(wire, rust)| EnumValue {
            wire: wire.to_owned(),
            rust: vn(rust),
        })
        .collect();
    let mut provider = def(
        "CloudProvider",
        Some("Cloud provider."),
        TypeKind::Enum(OpenEnum { values }),
    );
    provider.1.docs.external_url = Some("https://docs.example.com/providers".to_owned());
    provider.1.deprecated = true;
    vec![
        provider,
        def("Labels", Some("Labels by key."), TypeKind::Map(string())),
        def(
            "Pipeline",
            None,
            TypeKind::Alias(TypeRef::List(Box::new(TypeRef::JsonObject))),
        ),
    ]
}

#[test]
fn open_enum_maps_and_aliases() {
    let ir = ir(enum_map_alias_types(), vec![]);
    insta::assert_snapshot!(file(&ir, "models.rs"));
}

// ---- unions ------------------------------------------------------------------------

fn tagged_struct(fields: Vec<Field>, wire: &str, values: &[&str], additional: bool) -> TypeKind {
    TypeKind::Struct(Struct {
        fields,
        additional: additional.then_some(TypeRef::Json),
        additional_field: additional.then(|| fname("extra")),
        tag: Some(TagInfo {
            wire: wire.to_owned(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }),
    })
}

fn union_ir() -> Ir {
    let variant = |tag: &str, rust: &str, ty: &str, boxed: bool| UnionVariant {
        tag_value: tag.to_owned(),
        rust: vn(rust),
        ty: tn(ty),
        boxed,
    };
    let mut days = field(
        "expireAfterDays",
        "expire_after_days",
        TypeRef::Scalar(Scalar::I32),
        false,
    );
    days.rules.minimum = Some(7.into());
    ir(
        vec![
            def(
                "Criteria",
                Some("Rules that select documents to archive."),
                TypeKind::Union(Union {
                    tag: "type".to_owned(),
                    variants: vec![
                        variant("DATE", "Date", "DateCriteria", false),
                        variant("CUSTOM", "Custom", "CustomCriteria", true),
                        variant("LEGACY_CUSTOM", "LegacyCustom", "CustomCriteria", true),
                    ],
                }),
            ),
            def(
                "DateCriteria",
                None,
                tagged_struct(vec![days], "type", &["DATE"], false),
            ),
            def(
                "CustomCriteria",
                None,
                tagged_struct(
                    vec![field("query", "query", string(), true)],
                    "type",
                    &["CUSTOM", "LEGACY_CUSTOM"],
                    true,
                ),
            ),
            def(
                "StringOrCriteria",
                None,
                TypeKind::Untagged(Untagged {
                    unusable_discriminator: None,
                    to_param: false,
                    kind: UntaggedKind::OneOf,
                    variants: vec![
                        UntaggedVariant {
                            rust: vn("Criteria"),
                            ty: named("Criteria"),
                        },
                        UntaggedVariant {
                            rust: vn("Text"),
                            ty: string(),
                        },
                    ],
                }),
            ),
        ],
        vec![],
    )
}

#[test]
fn tagged_union_with_fallback() {
    let files = files(&union_ir());
    insta::assert_snapshot!(files["unions.rs"]);
    insta::assert_snapshot!("tagged_union_variant_structs", files["models.rs"]);
}

// ---- mod.rs ------------------------------------------------------------------------

#[test]
fn mod_rs_with_and_without_error_body() {
    let mut with = ir(
        vec![def(
            "ApiError",
            Some("An error."),
            strukt(vec![
                field("errorCode", "error_code", string(), false),
                field("detail", "detail", string(), false),
            ]),
        )],
        vec![],
    );
    with.error_body = Some(ErrorBody {
        ty: tn("ApiError"),
        code_field: Some(ErrorText {
            field: fname("error_code"),
            kind: TextKind::String,
        }),
        detail_field: None,
    });
    insta::assert_snapshot!("mod_rs_with_error_body", file(&with, "mod.rs"));
    let mut without = ir(vec![], vec![]);
    without.base_url = None;
    insta::assert_snapshot!("mod_rs_without_error_body", file(&without, "mod.rs"));
}

// ---- operations --------------------------------------------------------------------

fn create_archive() -> Operation {
    let mut op = operation(
        "createOnlineArchive",
        "create_online_archive",
        "CreateOnlineArchive",
        HttpMethod::Post,
        "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/onlineArchives",
    );
    op.path.segments = vec![
        lit("/api/atlas/v2/groups/"),
        seg("group_id", "groupId"),
        lit("/clusters/"),
        seg("cluster_name", "clusterName"),
        lit("/onlineArchives"),
    ];
    let mut group = param("groupId", "group_id", ParamLocation::Path, string(), true);
    group.rules.patterns = vec!["^([a-f0-9]{24})$".to_owned()];
    let mut pretty = param(
        "pretty",
        "pretty",
        ParamLocation::Query,
        TypeRef::Scalar(Scalar::Bool),
        false,
    );
    pretty.rules.default = Some(json!(false));
    op.params = vec![
        group,
        param(
            "clusterName",
            "cluster_name",
            ParamLocation::Path,
            string(),
            true,
        ),
        pretty,
        param(
            "X-Request-Id",
            "request_id",
            ParamLocation::Header,
            string(),
            false,
        ),
    ];
    op.body = Some(Body {
        ty: named("Archive"),
        raw_media: None,
        form: None,
        required: true,
        docs: docs(None, Some("The archive to create.")),
        source: ptr("#/paths/~1x/post/requestBody"),
        multipart: None,
    });
    op.ok = response(StatusSpec::Code(201), Some(named("Archive")));
    op.errors = vec![
        response(StatusSpec::Code(400), None),
        response(StatusSpec::Code(409), None),
        response(StatusSpec::Default, None),
    ];
    op.media = vec![media("2024-08-05", "V2024_08_05", false, true)];
    op.docs = docs(
        Some("Create One Online Archive"),
        Some("Creates one online archive. See https://www.mongodb.com/docs/atlas/online-archive/."),
    );
    op.docs.external_url = Some("https://www.mongodb.com/docs/api/createOnlineArchive".to_owned());
    op
}

fn archive_type() -> (TypeName, TypeDef) {
    def(
        "Archive",
        Some("An archive."),
        strukt(vec![field("name", "name", string(), true)]),
    )
}

#[test]
fn operation_with_path_query_header_and_body() {
    let ir = ir(vec![archive_type()], vec![create_archive()]);
    insta::assert_snapshot!(file(&ir, "operations.rs"));
}

#[test]
fn operation_with_versions_deprecation_and_optional_body() {
    let mut op = operation(
        "deleteAllCustomZoneMappings",
        "delete_all_custom_zone_mappings",
        "DeleteAllCustomZoneMappings",
        HttpMethod::Delete,
        "/api/atlas/v2/zones",
    );
    op.media = vec![
        media("2023-01-01", "V2023_01_01", true, false),
        media("2023-02-01", "V2023_02_01", true, false),
        media("2024-08-05", "V2024_08_05", false, true),
    ];
    op.version_enum = Some(tn("DeleteAllCustomZoneMappingsVersion"));
    op.deprecated = Some(Deprecation {
        note: "use `updateZones` instead".to_owned(),
    });
    op.body = Some(Body {
        ty: named("Archive"),
        raw_media: None,
        form: None,
        required: false,
        docs: Docs::default(),
        source: ptr("#/paths/~1x/delete/requestBody"),
        multipart: None,
    });
    op.ok = response(
        StatusSpec::Code(200),
        Some(TypeRef::Map(Box::new(string()))),
    );
    op.errors = vec![response(StatusSpec::Range(4), None)];
    let ir = ir(vec![archive_type()], vec![op]);
    insta::assert_snapshot!(file(&ir, "operations.rs"));
}

fn list_op() -> (Vec<(TypeName, TypeDef)>, Operation) {
    let mut op = operation(
        "listFlexBackups",
        "list_flex_backups",
        "ListFlexBackups",
        HttpMethod::Get,
        "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots",
    );
    op.path.segments = vec![
        lit("/api/atlas/v2/groups/"),
        seg("group_id", "groupId"),
        lit("/flexClusters/"),
        seg("name", "name"),
        lit("/backup/snapshots"),
    ];
    let mut size = param(
        "itemsPerPage",
        "items_per_page",
        ParamLocation::Query,
        TypeRef::Scalar(Scalar::I32),
        false,
    );
    size.rules.minimum = Some(1.into());
    size.rules.maximum = Some(500.into());
    size.rules.default = Some(json!(100));
    let mut page = param(
        "pageNum",
        "page_num",
        ParamLocation::Query,
        TypeRef::Scalar(Scalar::I32),
        false,
    );
    page.rules.minimum = Some(1.into());
    page.rules.default = Some(json!(1));
    let mut status = param(
        "status",
        "status",
        ParamLocation::Query,
        TypeRef::List(Box::new(named("Status"))),
        false,
    );
    status.deprecated = true;
    status.encoding.value = ParamValue::List;
    op.params = vec![
        param("groupId", "group_id", ParamLocation::Path, string(), true),
        param("name", "name", ParamLocation::Path, string(), true),
        param("kind", "kind", ParamLocation::Query, named("Status"), true),
        size,
        page,
        status,
    ];
    op.ok = response(StatusSpec::Code(200), Some(named("PaginatedSnapshots")));
    op.media = vec![media("2024-11-13", "V2024_11_13", false, true)];
    op.pagination = Some(Pagination {
        page_param: fname("page_num"),
        size_param: fname("items_per_page"),
        items_field: fname("results"),
        items_required: false,
        item_ty: named("Snapshot"),
        total_field: Some(fname("total_count")),
        total_required: false,
        page_ty: tn("PaginatedSnapshots"),
        first_page: 1,
        page_size: 100,
        sets_page_size: false,
    });
    let types = vec![
        def(
            "PaginatedSnapshots",
            None,
            strukt(vec![
                field(
                    "results",
                    "results",
                    TypeRef::List(Box::new(named("Snapshot"))),
                    false,
                ),
                field(
                    "totalCount",
                    "total_count",
                    TypeRef::Scalar(Scalar::I32),
                    false,
                ),
            ]),
        ),
        def(
            "Snapshot",
            None,
            strukt(vec![field("id", "id", string(), false)]),
        ),
        def(
            "Status",
            None,
            TypeKind::Enum(OpenEnum {
                values: vec![EnumValue {
                    wire: "READY".to_owned(),
                    rust: vn("Ready"),
                }],
            }),
        ),
    ];
    (types, op)
}

#[test]
fn paginated_operation() {
    let (types, op) = list_op();
    let ir = ir(types, vec![op]);
    insta::assert_snapshot!(file(&ir, "operations.rs"));
}

#[test]
fn paginated_operation_without_size_default_asks_for_a_size() {
    let (types, mut op) = list_op();
    for p in &mut op.params {
        p.rules.default = None;
    }
    if let Some(pg) = &mut op.pagination {
        pg.sets_page_size = true;
    }
    let text = file(&ir(types, vec![op]), "operations.rs");
    assert!(
        text.contains("let page_size = self.items_per_page.map_or(100, i64::from);"),
        "{text}"
    );
    assert!(
        text.contains(
            "let this = self.items_per_page(i32::try_from(page_size).unwrap_or(i32::MAX));"
        ),
        "{text}"
    );
}

#[test]
fn path_template_with_suffix_after_param() {
    let mut op = operation(
        "startStreamProcessor",
        "start_stream_processor",
        "StartStreamProcessor",
        HttpMethod::Post,
        "/processor/{processorName}:start",
    );
    op.path.segments = vec![
        lit("/processor/"),
        seg("processor_name", "processorName"),
        lit(":start"),
    ];
    op.params = vec![param(
        "processorName",
        "processor_name",
        ParamLocation::Path,
        string(),
        true,
    )];
    let text = file(&ir(vec![], vec![op]), "operations.rs");
    assert!(
        text.contains(
            "path: Vec::from([
                    crate::client::PathPart::Literal(\"/processor/\"),
                    crate::client::PathPart::Param(self.processor_name.to_param()),
                    crate::client::PathPart::Literal(\":start\"),
                ]),"
        ),
        "{text}"
    );
    assert!(text.contains("-> (), empty \"`204`\""), "{text}");
    assert!(text.contains("accept: \"application/json\""), "{text}");
}

#[test]
fn path_pattern_describing_the_encoded_form_is_checked_encoded() {
    let mut op = operation(
        "getEndpoint",
        "get_endpoint",
        "GetEndpoint",
        HttpMethod::Get,
        "/e/{endpointId}",
    );
    op.path.segments = vec![lit("/e/"), seg("endpoint_id", "endpointId")];
    let mut id = param(
        "endpointId",
        "endpoint_id",
        ParamLocation::Path,
        string(),
        true,
    );
    id.rules.patterns = vec!["^vpce-[0-9a-f]{17}|^%2[fF]subscriptions".to_owned()];
    let mut plain = param("name", "name", ParamLocation::Path, string(), true);
    plain.rules.patterns = vec!["^[a-z]+$".to_owned()];
    op.params = vec![id, plain];
    let text = file(&ir(vec![], vec![op]), "operations.rs");
    assert!(
        text.contains("&crate::encode::encode_path_segment(&self.endpoint_id),"),
        "{text}"
    );
    assert!(
        text.contains("crate::__private::pattern(at, &self.name, \"^[a-z]+$\")?;"),
        "{text}"
    );
}

// ---- whole-IR properties -----------------------------------------------------------

/// Every shape at once.
fn kitchen_sink() -> Ir {
    let mut all = union_ir();
    let (types, list) = list_op();
    all.types.extend(types);
    all.types.extend([archive_type()]);
    let mut models = ir(vec![], vec![]);
    models.types.extend(all.types);
    let mut versions = create_archive();
    versions.id = "deleteZones".to_owned();
    versions.method_name = MethodName::from_lowered("delete_zones");
    versions.builder_name = tn("DeleteZones");
    versions
        .media
        .insert(0, media("2023-01-01", "V2023_01_01", true, false));
    versions.version_enum = Some(tn("DeleteZonesVersion"));
    versions.deprecated = Some(Deprecation {
        note: "use `createOnlineArchive`".to_owned(),
    });
    versions.body.as_mut().unwrap().required = false;
    models.operations = vec![create_archive(), versions, list];
    models.types.extend([node_type(), wide_type()]);
    models.types.extend(enum_map_alias_types());
    models.types.extend([def(
        "ApiError",
        Some("An error."),
        strukt(vec![field("errorCode", "error_code", string(), false)]),
    )]);
    models.error_body = Some(ErrorBody {
        ty: tn("ApiError"),
        code_field: Some(ErrorText {
            field: fname("error_code"),
            kind: TextKind::String,
        }),
        detail_field: None,
    });
    models
}

#[test]
fn output_is_deterministic() {
    let ir = kitchen_sink();
    assert_eq!(files(&ir), files(&ir));
}

#[test]
fn every_file_ends_with_one_newline_and_starts_with_the_header() {
    for (name, text) in files(&kitchen_sink()) {
        assert!(
            text.starts_with(
                "// @generated by cargo xtask codegen from spec/test.yaml — do not edit.\n"
            ),
            "{name}"
        );
        assert!(text.ends_with("}\n") || text.ends_with(";\n"), "{name}");
        assert!(!text.ends_with("\n\n"), "{name}");
    }
}

#[test]
fn invalid_identifier_is_an_error() {
    let bad = ir(
        vec![def(
            "Bad",
            None,
            strukt(vec![field("type", "type", string(), true)]),
        )],
        vec![],
    );
    let err = emit(&bad, "spec/test.yaml").unwrap_err().to_string();
    assert_eq!(
        err,
        "spec/test.yaml: #/components/schemas/X/properties/type: `type` as a Rust identifier is not supported; \
         expected a non-keyword identifier chosen by `lower::naming`"
    );
}

#[test]
fn missing_type_is_an_error() {
    let bad = ir(
        vec![def(
            "A",
            None,
            strukt(vec![field("b", "b", named("Missing"), true)]),
        )],
        vec![],
    );
    let err = emit(&bad, "spec/test.yaml").unwrap_err().to_string();
    assert!(
        err.contains("a reference to type `Missing`, which the IR does not define"),
        "{err}"
    );
}
