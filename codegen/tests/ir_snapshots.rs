//! IR snapshots: every `fixtures/*.yaml` (one concern each; `fixtures/bad/` is the error
//! corpus and is not matched by the glob) goes through `load`, `validate` and `lower` (the
//! only order the types allow: `lower` takes a `Validated` document), and the IR is
//! recorded as YAML. CI runs with `INSTA_UPDATE=no`; review changes with
//! `cargo insta review`.
//!
//! Determinism: lowering must not depend on the order of mapping keys where that order
//! carries no meaning. `reversed_key_order_gives_identical_ir` lowers a copy of each
//! fixture with the keys of every mapping reversed, except the order-significant ones:
//! - `properties` (field order is spec order),
//! - `discriminator.mapping` (variant order is mapping order),
//! - values that are data rather than spec structure (`example`, `examples`, `default`,
//!   `x-…` extension values): they are kept verbatim in the IR.
//!
//! and requires a byte-identical IR (as pretty JSON).

// A test crate: its helpers (outside `#[test]` fns, which clippy.toml already covers) may
// unwrap and panic — a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use std::collections::BTreeMap;

use codegen::document::Document;
use codegen::ir::{Field, Ir, Operation, Scalar, Segment, TypeKind, TypeRef};
use codegen::load::{load, Loaded};
use codegen::lower::lower;
use codegen::validate::validate;
use codegen::Input;

fn load_text(name: &str, text: &[u8]) -> Loaded {
    load(&Input {
        file_name: name,
        text,
    })
    .unwrap_or_else(|e| panic!("{name} does not load:\n{e}"))
}

fn lower_text(name: &str, text: &[u8]) -> Ir {
    let loaded = load_text(name, text);
    let valid = validate(Document::new(&loaded.doc, &loaded.raw, name))
        .unwrap_or_else(|e| panic!("{name} does not validate:\n{e}"));
    lower(&valid).unwrap_or_else(|e| panic!("{name} does not lower:\n{e}"))
}

fn fixture_name(path: &Path) -> String {
    format!(
        "tests/fixtures/{}",
        path.file_name().unwrap().to_string_lossy()
    )
}

#[test]
fn ir_snapshots() {
    insta::glob!("fixtures/*.yaml", |path| {
        let text = std::fs::read(path).unwrap();
        let ir = lower_text(&fixture_name(path), &text);
        insta::assert_yaml_snapshot!(ir);
    });
}

/// The IR as text for byte comparisons (JSON: serde_yaml cannot write nested enums).
fn text_of(ir: &Ir) -> String {
    serde_json::to_string_pretty(ir).unwrap()
}

#[test]
fn fixtures_pass_validation() {
    insta::glob!("fixtures/*.yaml", |path| {
        let name = fixture_name(path);
        let loaded = load_text(&name, &std::fs::read(path).unwrap());
        if let Err(e) = validate(Document::new(&loaded.doc, &loaded.raw, &name)) {
            panic!("{name} is not a valid spec:\n{e}");
        }
    });
}

#[test]
fn lowering_twice_gives_identical_ir() {
    insta::glob!("fixtures/*.yaml", |path| {
        let text = std::fs::read(path).unwrap();
        let name = fixture_name(path);
        let a = text_of(&lower_text(&name, &text));
        let b = text_of(&lower_text(&name, &text));
        assert_eq!(a, b);
    });
}

/// Keys under which mapping order is meaningful or the value is data, not structure.
const KEEP_ORDER: &[&str] = &["properties", "mapping", "example", "examples", "default"];

fn reverse_maps(v: &mut serde_yaml::Value) {
    match v {
        serde_yaml::Value::Mapping(m) => {
            let mut entries: Vec<(serde_yaml::Value, serde_yaml::Value)> =
                std::mem::take(m).into_iter().collect();
            entries.reverse();
            for (k, mut val) in entries {
                let key = k.as_str().unwrap_or_default();
                if KEEP_ORDER.contains(&key) || key.starts_with("x-") {
                    // Keep this map's own order, but a `properties` map's values are
                    // schemas again: reverse inside them.
                    if key == "properties" {
                        if let serde_yaml::Value::Mapping(props) = &mut val {
                            for (_, schema) in props.iter_mut() {
                                reverse_maps(schema);
                            }
                        }
                    }
                } else {
                    reverse_maps(&mut val);
                }
                m.insert(k, val);
            }
        }
        serde_yaml::Value::Sequence(s) => s.iter_mut().for_each(reverse_maps),
        _ => {}
    }
}

#[test]
fn reversed_key_order_gives_identical_ir() {
    insta::glob!("fixtures/*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = fixture_name(path);
        let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        reverse_maps(&mut doc);
        let reversed = serde_yaml::to_string(&doc).unwrap();
        assert_ne!(reversed, text, "the reversal changed nothing");
        let a = text_of(&lower_text(&name, text.as_bytes()));
        let b = text_of(&lower_text(&name, reversed.as_bytes()));
        similar_asserts(&a, &b, &name);
    });
}

fn similar_asserts(a: &str, b: &str, name: &str) {
    if a != b {
        let diff = similar::TextDiff::from_lines(a, b);
        panic!(
            "{name}: IR differs after reversing mapping key order:\n{}",
            diff.unified_diff().context_radius(3)
        );
    }
}

#[test]
fn reverse_maps_keeps_semantic_order() {
    let mut doc: serde_yaml::Value = serde_yaml::from_str(
        "b: 1\na: {properties: {z: {y: 1, x: 2}, w: 3}, mapping: {k: 1, j: 2}}\n",
    )
    .unwrap();
    reverse_maps(&mut doc);
    assert_eq!(
        serde_yaml::to_string(&doc).unwrap(),
        "a:\n  mapping:\n    k: 1\n    j: 2\n  properties:\n    z:\n      x: 2\n      y: 1\n    w: 3\nb: 1\n"
    );
}

const BUNDLED: &str = "../spec/atlas-admin-v2.yaml";

fn field<'i>(ir: &'i Ir, ty: &str, wire: &str) -> &'i Field {
    let def = ir
        .types
        .values()
        .find(|d| d.name.as_str() == ty)
        .unwrap_or_else(|| panic!("no type {ty}"));
    let TypeKind::Struct(s) = &def.kind else {
        panic!("{ty} is not a struct")
    };
    s.fields
        .iter()
        .find(|f| f.wire == wire)
        .unwrap_or_else(|| panic!("{ty} has no field {wire}"))
}

fn operation<'i>(ir: &'i Ir, id: &str) -> &'i Operation {
    ir.operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

/// The real spec lowers, with the facts the client promises (not a giant snapshot: the
/// committed generated client is the snapshot of the whole pipeline).
#[test]
fn lowers_bundled_spec() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BUNDLED);
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let ir = lower_text("spec/atlas-admin-v2.yaml", &text);

    let ids: Vec<&str> = ir.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "createFlexCluster",
            "createOnlineArchive",
            "createServerlessInstance",
            "createStreamInstance",
            "createStreamProcessor",
            "deleteAllCustomZoneMappings",
            "getOnlineArchive",
            "getPrivateEndpoint",
            "listApiKeyAccessListsEntries",
            "listFlexBackups",
            "startStreamProcessor",
            "updateOrganizationInvitation",
            "updateProjectInvitationById",
        ]
    );
    assert_eq!(ir.base_url.as_deref(), Some("https://cloud.mongodb.com"));

    // Unions and their tag values, in mapping order.
    let unions: BTreeMap<&str, (&str, Vec<&str>)> = ir
        .types
        .values()
        .filter_map(|d| match &d.kind {
            TypeKind::Union(u) => Some((
                d.name.as_str(),
                (
                    u.tag.as_str(),
                    u.variants.iter().map(|v| v.tag_value.as_str()).collect(),
                ),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        unions.get("StreamsConnection"),
        Some(&(
            "type",
            vec![
                "Sample",
                "Cluster",
                "Kafka",
                "Https",
                "AWSLambda",
                "S3",
                "AWSKinesisDataStreams"
            ]
        ))
    );
    assert_eq!(
        unions.get("PrivateLinkEndpoint"),
        Some(&("cloudProvider", vec!["AWS", "AZURE", "GCP"]))
    );
    assert_eq!(unions.get("CriteriaView").map(|u| u.0), Some("type"));
    assert_eq!(
        unions.get("OnlineArchiveSchedule").map(|u| u.1.len()),
        Some(4)
    );
    assert!(unions.values().all(|(_, tags)| !tags.is_empty()));

    // Every union variant struct lost its tag field and knows its tag values.
    let aws = ir
        .types
        .values()
        .find(|d| d.name.as_str() == "AwsInterfaceEndpoint")
        .expect("AWS variant");
    let TypeKind::Struct(aws) = &aws.kind else {
        panic!("struct")
    };
    assert!(aws.fields.iter().all(|f| f.wire != "cloudProvider"));
    assert_eq!(
        aws.tag.as_ref().map(|t| t.values.clone()),
        Some(vec!["AWS".to_owned()])
    );

    // Maps and free-form values.
    assert_eq!(
        field(&ir, "GeoSharding20240805", "customZoneMapping").ty,
        TypeRef::Map(Box::new(TypeRef::Scalar(Scalar::String)))
    );
    assert_eq!(
        field(&ir, "StreamsProcessor", "pipeline").ty,
        TypeRef::List(Box::new(TypeRef::JsonObject))
    );

    // Path templates, omitted and kept parameters.
    let start = operation(&ir, "startStreamProcessor");
    assert_eq!(
        start.path.segments.last(),
        Some(&Segment::Literal(":start".to_owned()))
    );
    assert!(ir
        .operations
        .iter()
        .all(|o| o.params.iter().all(|p| p.wire != "envelope")));
    let endpoint = operation(&ir, "getPrivateEndpoint");
    let provider = endpoint
        .params
        .iter()
        .find(|p| p.wire == "cloudProvider")
        .expect("cloudProvider");
    assert!(
        matches!(&provider.ty, TypeRef::Named(n) if n.as_str() == "CloudProvider"),
        "{:?}",
        provider.ty
    );

    // Media versions: three for the DELETE, the newest live one by default.
    let delete = operation(&ir, "deleteAllCustomZoneMappings");
    let versions: Vec<(&str, bool, bool)> = delete
        .media
        .iter()
        .map(|m| (m.version.as_str(), m.deprecated, m.default))
        .collect();
    assert_eq!(
        versions,
        [
            ("2023-01-01", true, false),
            ("2023-02-01", true, false),
            ("2024-08-05", false, true)
        ]
    );
    assert_eq!(
        delete.version_enum.as_ref().map(|n| n.as_str()),
        Some("DeleteAllCustomZoneMappingsVersion")
    );
    assert!(ir
        .operations
        .iter()
        .filter(|o| o.id != delete.id)
        .all(|o| o.media.len() == 1 && o.version_enum.is_none()));

    // Pagination.
    let paged: Vec<&str> = ir
        .operations
        .iter()
        .filter(|o| o.pagination.is_some())
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(paged, ["listApiKeyAccessListsEntries", "listFlexBackups"]);

    // Deprecation notes.
    let note = |id: &str| {
        operation(&ir, id)
            .deprecated
            .as_ref()
            .map(|d| d.note.clone())
    };
    assert_eq!(
        note("createServerlessInstance").as_deref(),
        Some("use `create_flex_cluster` instead")
    );
    assert_eq!(
        note("updateOrganizationInvitation").as_deref(),
        Some("use `updateOrganizationUser` instead")
    );
    assert_eq!(
        note("updateProjectInvitationById").as_deref(),
        Some("no replacement is documented")
    );
    assert_eq!(note("createFlexCluster"), None);

    // One error body for every documented error.
    let error_body = ir
        .error_body
        .as_ref()
        .expect("ApiError is the shared error body");
    assert_eq!(error_body.ty.as_str(), "ApiError");
    assert_eq!(
        error_body.code_field.as_ref().map(|f| f.field.as_str()),
        Some("error_code")
    );
}

/// Whatever a bad spec that passes validation contains, lowering returns (Ok or Err) — it
/// never panics or hangs. (The specs `validate` rejects never reach `lower`: its input is a
/// `Validated` document.)
#[test]
fn lowering_never_panics_on_bad_specs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut lowered = 0;
    for path in entries {
        let text = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        let Ok(loaded) = load(&Input {
            file_name: &name,
            text: &text,
        }) else {
            continue;
        };
        if let Ok(valid) = validate(Document::new(&loaded.doc, &loaded.raw, &name)) {
            let _ = lower(&valid);
            lowered += 1;
        }
    }
    assert!(lowered > 0, "no bad spec got past validation");
}
