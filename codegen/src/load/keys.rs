//! Component keys for nodes the loader moves into the components (see the README's
//! "What `--spec` reads"): nodes of other files (`bundle`) and nodes referred to by a
//! pointer into the middle of another object (`hoist`). Every key is a valid OpenAPI
//! component key and is chosen against the keys already taken, so none is overwritten.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::document::walk::lookup;
use crate::pointer::JsonPointer;

/// The component key for the node at `fragment` of another file, not in `used`.
pub(crate) fn file_key(file: &str, fragment: &JsonPointer, used: &BTreeSet<String>) -> String {
    let stem = sanitize(file_stem(file));
    let candidates = match fragment.last() {
        Some(last) if !last.bytes().all(|b| b.is_ascii_digit()) => {
            vec![sanitize(last), format!("{stem}_{}", sanitize(last))]
        }
        Some(last) => vec![format!("{stem}_{last}")],
        None => vec![stem.clone()],
    };
    for c in &candidates {
        if !used.contains(c) {
            return c.clone();
        }
    }
    let base = candidates.last().cloned().unwrap_or(stem);
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| !used.contains(c))
        .unwrap_or(base)
}

/// `models/droplet.yml` → `droplet`.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    }
}

/// A component key may hold letters, digits, `.`, `-` and `_` (OpenAPI's key pattern).
pub(crate) fn sanitize(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        "_".to_owned()
    } else {
        out
    }
}

/// Keywords left out of derived keys: they say how, not what.
const KEYWORDS: &[&str] = &[
    "properties",
    "items",
    "content",
    "schema",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "prefixItems",
    "$defs",
    "definitions",
    "patternProperties",
    "responses",
    "parameters",
    "headers",
    "examples",
    "components",
];

/// Candidate keys for the node at `target`, best first.
pub(crate) fn candidates(root: &Value, target: &JsonPointer) -> Vec<String> {
    let tokens = target.tokens();
    let (base, rest): (String, &[String]) = match tokens {
        [c, _, name, rest @ ..] if c == "components" => (name.clone(), rest),
        [p, path, method, rest @ ..] if p == "paths" && is_method(method) => {
            let id = root
                .get("paths")
                .and_then(|p| p.get(path.as_str()))
                .and_then(|i| i.get(method.as_str()))
                .and_then(|o| o.get("operationId"))
                .and_then(Value::as_str);
            match id {
                Some(id) => (id.to_owned(), rest),
                None => (format!("{method}_{path}"), rest),
            }
        }
        [p, path, rest @ ..] if p == "paths" => (path.clone(), rest),
        [first, rest @ ..] => (first.clone(), rest),
        [] => ("root".to_owned(), &[]),
    };
    let mut parts = vec![base];
    let mut at = JsonPointer::root();
    for token in tokens.get(..tokens.len() - rest.len()).unwrap_or_default() {
        at = at.push(token.as_str());
    }
    let mut previous = "";
    for token in rest {
        at = at.push(token.as_str());
        // A parameter in a list goes by its name.
        let name = (previous == "parameters")
            .then(|| {
                lookup(root, &at)
                    .and_then(|p| p.get("name"))
                    .and_then(Value::as_str)
            })
            .flatten();
        previous = token;
        if let Some(name) = name {
            parts.push(name.to_owned());
            continue;
        }
        match token.as_str() {
            t if KEYWORDS.contains(&t) || t.contains('/') => {}
            "requestBody" => parts.push("request".to_owned()),
            "additionalProperties" => parts.push("value".to_owned()),
            t => parts.push(t.to_owned()),
        }
    }
    let joined = sanitize(parts.join("_").trim_matches('_'));
    let mut out = Vec::new();
    if let [.., defs, name] = tokens {
        if defs == "$defs" || defs == "definitions" {
            out.push(sanitize(name));
        }
    }
    out.push(joined);
    out
}

fn is_method(token: &str) -> bool {
    matches!(
        token,
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
    )
}

/// The first candidate not in `used`, else the last one with a counter.
pub(crate) fn free_key(candidates: &[String], used: &BTreeSet<String>) -> String {
    if let Some(free) = candidates.iter().find(|c| !used.contains(*c)) {
        return free.clone();
    }
    let base = candidates.last().cloned().unwrap_or_else(|| "_".to_owned());
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| !used.contains(c))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> JsonPointer {
        JsonPointer::parse_ref(s).unwrap()
    }

    #[test]
    fn component_keys_are_collision_safe() {
        let t = |file: &str, frag: &str| (file.to_owned(), p(frag));
        let mut used = BTreeSet::new();
        let k = |t: &(String, JsonPointer), used: &mut BTreeSet<String>| {
            let k = file_key(&t.0, &t.1, used);
            used.insert(k.clone());
            k
        };
        assert_eq!(k(&t("models/droplet.yml", "#"), &mut used), "droplet");
        assert_eq!(
            k(&t("common.yaml", "#/components/schemas/Error"), &mut used),
            "Error"
        );
        assert_eq!(k(&t("other.yaml", "#/Error"), &mut used), "other_Error");
        assert_eq!(k(&t("x/other.yaml", "#/Error"), &mut used), "other_Error_2");
        assert_eq!(k(&t("list.yaml", "#/items/0"), &mut used), "list_0");
        assert_eq!(k(&t("a b.yaml", "#"), &mut used), "a_b");
        assert_eq!(k(&t("droplet", "#"), &mut used), "droplet_2");
    }

    #[test]
    fn derived_keys() {
        let root = serde_json::json!({"paths": {"/pets": {"get": {"operationId": "listPets"}}}});
        let c = |s: &str| candidates(&root, &p(s));
        assert_eq!(c("#/components/schemas/Foo/properties/bar"), ["Foo_bar"]);
        assert_eq!(c("#/components/schemas/Foo/$defs/Bar"), ["Bar", "Foo_Bar"]);
        assert_eq!(
            c("#/paths/~1pets/get/responses/200/content/application~1json/schema"),
            ["listPets_200"]
        );
        assert_eq!(c("#/paths/~1pets/get/requestBody"), ["listPets_request"]);
        assert_eq!(c("#/paths/~1cats/post/parameters/0"), ["post__cats_0"]);
        let root = serde_json::json!({"paths": {"/a": {"parameters": [{"name": "id"}]}}});
        assert_eq!(candidates(&root, &p("#/paths/~1a/parameters/0")), ["_a_id"]);
        assert_eq!(
            c("#/components/schemas/A/additionalProperties/items"),
            ["A_value"]
        );
        let used: BTreeSet<String> = ["Bar".to_owned(), "Foo_Bar".to_owned()].into();
        assert_eq!(
            free_key(&c("#/components/schemas/Foo/$defs/Bar"), &used),
            "Foo_Bar_2"
        );
    }
}
