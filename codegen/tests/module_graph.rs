//! The module dependency graph of `codegen/src` has no cycles, and no type has inherent
//! `impl` blocks outside the file that defines it (a type's methods spread over the files
//! of its callers is a cycle the `use` graph cannot see).
//!
//! Nodes are files (`lower/schema.rs` is `lower::schema`, `lower/mod.rs` is `lower`); an
//! edge `a → b` is a path in `a` that names an item of `b`: `use` items and every
//! `crate::…`, `super::…`, `self::…` or `child::…` path in the code, with `pub use`
//! re-exports followed to the module that defines the item. Test code (`#[cfg(test)]`
//! items and modules) is left out, and so are `quote!` bodies, whose `crate::…` paths
//! belong to the generated crate. The graph is checked twice: between files, and between
//! the top-level modules (the stages), where `lib.rs` is the root.
//!
//! `cargo test -p codegen --test module_graph -- --nocapture` prints both graphs.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] fns: a failed expectation should panic"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// A module, as the path of its names from the crate root (`[]` is `lib.rs`).
type ModPath = Vec<String>;

/// One source file of the crate.
struct Module {
    file: PathBuf,
    /// Child modules declared in it (`mod x;`), test modules excluded.
    children: BTreeSet<String>,
    /// `pub use` re-exports: the name → the path it stands for (relative to this module).
    reexports: BTreeMap<String, Vec<String>>,
    /// Every path that may name another module's item, relative to this module.
    paths: Vec<Vec<String>>,
    /// Types, traits and enums it defines.
    defines: BTreeSet<String>,
    /// Types it has inherent `impl` blocks for.
    inherent_impls: BTreeSet<String>,
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.meta.to_token_stream().to_string().contains("test"))
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        _ => &[],
    }
}

/// The paths of a `use` tree, `prefix` first.
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) if n.ident == "self" => {
            let name = prefix.last().cloned().unwrap_or_default();
            out.push((prefix.clone(), name));
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push((path, n.ident.to_string()));
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push((path, r.rename.to_string()));
        }
        syn::UseTree::Glob(_) => out.push((prefix.clone(), "*".to_owned())),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_paths(t, prefix, out);
            }
        }
    }
}

/// Every `a::b::c` path in `tokens`, outside `quote!` bodies.
fn token_paths(tokens: TokenStream, out: &mut Vec<Vec<String>>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Group(g) => token_paths(g.stream(), out),
            TokenTree::Ident(id) => {
                let is_macro =
                    matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                if is_macro
                    && ["quote", "quote_spanned", "parse_quote"].contains(&id.to_string().as_str())
                {
                    i += 3; // `quote`, `!`, the body
                    continue;
                }
                let mut path = vec![id.to_string()];
                let mut j = i;
                while let (
                    Some(TokenTree::Punct(a)),
                    Some(TokenTree::Punct(b)),
                    Some(TokenTree::Ident(next)),
                ) = (trees.get(j + 1), trees.get(j + 2), trees.get(j + 3))
                {
                    if a.as_char() != ':' || b.as_char() != ':' {
                        break;
                    }
                    path.push(next.to_string());
                    j += 3;
                }
                if path.len() > 1 {
                    out.push(path);
                    i = j;
                }
            }
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
        i += 1;
    }
}

fn read_module(file: &Path) -> Module {
    let text = std::fs::read_to_string(file).unwrap();
    let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut m = Module {
        file: file.to_owned(),
        children: BTreeSet::new(),
        reexports: BTreeMap::new(),
        paths: Vec::new(),
        defines: BTreeSet::new(),
        inherent_impls: BTreeSet::new(),
    };
    for item in &ast.items {
        if is_cfg_test(item_attrs(item)) {
            continue;
        }
        match item {
            syn::Item::Mod(md) if md.content.is_none() => {
                m.children.insert(md.ident.to_string());
                continue;
            }
            syn::Item::Mod(md) => panic!("{}: inline module `{}`", file.display(), md.ident),
            syn::Item::Use(u) => {
                let mut found = Vec::new();
                use_paths(&u.tree, &mut Vec::new(), &mut found);
                let public = !matches!(u.vis, syn::Visibility::Inherited);
                for (path, name) in found {
                    if public && name != "*" {
                        m.reexports.insert(name, path.clone());
                    }
                    m.paths.push(path);
                }
                continue;
            }
            syn::Item::Struct(s) => {
                m.defines.insert(s.ident.to_string());
            }
            syn::Item::Enum(e) => {
                m.defines.insert(e.ident.to_string());
            }
            syn::Item::Trait(t) => {
                m.defines.insert(t.ident.to_string());
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                if let syn::Type::Path(p) = &*imp.self_ty {
                    if let Some(last) = p.path.segments.last() {
                        m.inherent_impls.insert(last.ident.to_string());
                    }
                }
            }
            _ => {}
        }
        token_paths(item.to_token_stream(), &mut m.paths);
    }
    m
}

/// Every module of `src`, by path; test modules (declared `#[cfg(test)] mod x;`) left out.
fn modules(src: &Path) -> BTreeMap<ModPath, Module> {
    let mut out = BTreeMap::new();
    let mut stack = vec![(Vec::new(), src.join("lib.rs"))];
    while let Some((path, file)) = stack.pop() {
        let m = read_module(&file);
        let dir = if path.is_empty() || file.ends_with("mod.rs") {
            file.parent().unwrap().to_owned()
        } else {
            file.with_extension("")
        };
        for child in &m.children {
            let flat = dir.join(format!("{child}.rs"));
            let nested = dir.join(child).join("mod.rs");
            let child_file = if flat.exists() { flat } else { nested };
            assert!(
                child_file.exists(),
                "no file for module {child} in {}",
                dir.display()
            );
            let mut child_path = path.clone();
            child_path.push(child.clone());
            stack.push((child_path, child_file));
        }
        out.insert(path, m);
    }
    out
}

/// The module a path written in `from` names an item of, if it is in this crate.
fn resolve(mods: &BTreeMap<ModPath, Module>, from: &ModPath, path: &[String]) -> Option<ModPath> {
    let mut segments = path.iter().peekable();
    let mut at: ModPath = match segments.peek()?.as_str() {
        "crate" => {
            segments.next();
            Vec::new()
        }
        "self" => {
            segments.next();
            from.clone()
        }
        "super" => {
            let mut at = from.clone();
            while segments.peek().map(|s| s.as_str()) == Some("super") {
                segments.next();
                at.pop()?;
            }
            at
        }
        first if mods.get(from)?.children.contains(first) => from.clone(),
        _ => return None,
    };
    // Descend through modules, following re-exports; a bounded number of hops.
    for _ in 0..64 {
        let Some(next) = segments.next() else {
            return Some(at);
        };
        let m = mods.get(&at)?;
        if m.children.contains(next) {
            at.push(next.clone());
            continue;
        }
        if let Some(target) = m.reexports.get(next) {
            let rest: Vec<String> = target.iter().cloned().chain(segments.cloned()).collect();
            return resolve(mods, &at, &rest);
        }
        return Some(at);
    }
    None
}

fn name(path: &ModPath) -> String {
    if path.is_empty() {
        "lib".to_owned()
    } else {
        path.join("::")
    }
}

type Graph = BTreeMap<String, BTreeSet<String>>;

fn graphs(mods: &BTreeMap<ModPath, Module>) -> (Graph, Graph) {
    let mut files = Graph::new();
    let mut stages = Graph::new();
    for (from, m) in mods {
        files.entry(name(from)).or_default();
        let stage_from = name(&from.iter().take(1).cloned().collect());
        stages.entry(stage_from.clone()).or_default();
        for path in &m.paths {
            let Some(to) = resolve(mods, from, path) else {
                continue;
            };
            if to != *from {
                files.entry(name(from)).or_default().insert(name(&to));
            }
            let stage_to = name(&to.iter().take(1).cloned().collect());
            if stage_to != stage_from {
                stages
                    .entry(stage_from.clone())
                    .or_default()
                    .insert(stage_to);
            }
        }
    }
    (files, stages)
}

/// A cycle of `graph`, if it has one (as the nodes on it, first repeated at the end).
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(PartialEq)]
    enum Mark {
        OnPath,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    for root in graph.keys() {
        if marks.contains_key(root.as_str()) {
            continue;
        }
        let mut path: Vec<(&str, Vec<&str>)> =
            vec![(root, graph[root].iter().map(String::as_str).collect())];
        marks.insert(root, Mark::OnPath);
        while let Some((node, next)) = path.last_mut() {
            let Some(to) = next.pop() else {
                marks.insert(node, Mark::Done);
                path.pop();
                continue;
            };
            match marks.get(to) {
                Some(Mark::Done) => {}
                Some(Mark::OnPath) => {
                    let start = path.iter().position(|(n, _)| *n == to).unwrap();
                    let mut cycle: Vec<String> =
                        path[start..].iter().map(|(n, _)| (*n).to_owned()).collect();
                    cycle.push(to.to_owned());
                    return Some(cycle);
                }
                None => {
                    marks.insert(to, Mark::OnPath);
                    let edges = graph
                        .get(to)
                        .map(|e| e.iter().map(String::as_str).collect());
                    path.push((to, edges.unwrap_or_default()));
                }
            }
        }
    }
    None
}

fn print(title: &str, graph: &Graph) {
    println!("{title}:");
    for (from, to) in graph {
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        println!(
            "  {from} → {}",
            if to.is_empty() {
                "(none)".to_owned()
            } else {
                to.join(", ")
            }
        );
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_module_cycles() {
    let mods = modules(&src());
    assert!(mods.len() > 30, "only {} modules found", mods.len());
    let (files, stages) = graphs(&mods);
    print("files", &files);
    print("stages", &stages);
    if let Some(cycle) = find_cycle(&files) {
        panic!("module cycle between files: {}", cycle.join(" → "));
    }
    if let Some(cycle) = find_cycle(&stages) {
        panic!("module cycle between stages: {}", cycle.join(" → "));
    }
}

#[test]
fn inherent_impls_live_beside_their_type() {
    let mods = modules(&src());
    let mut defined_in: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for m in mods.values() {
        for ty in &m.defines {
            defined_in.entry(ty).or_default().push(&m.file);
        }
    }
    for m in mods.values() {
        for ty in &m.inherent_impls {
            if m.defines.contains(ty) {
                continue;
            }
            assert!(
                !defined_in.contains_key(ty.as_str()),
                "{}: `impl {ty}` away from the file that defines {ty} ({:?})",
                m.file.display(),
                defined_in[ty.as_str()]
            );
        }
    }
}

/// The checker itself: a cycle, a re-export, a `quote!` body and test code.
#[test]
fn the_checker_sees_cycles_reexports_and_skips_quote() {
    let mut graph = Graph::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.get_mut("c").unwrap().clear();
    assert_eq!(find_cycle(&graph), None);

    let mut paths = Vec::new();
    token_paths(
        "fn f() { super::x::y(); let t = quote!(crate::validate::Path); crate::ir::Ir::new() }"
            .parse()
            .unwrap(),
        &mut paths,
    );
    assert_eq!(
        paths,
        [vec!["super", "x", "y"], vec!["crate", "ir", "Ir", "new"]]
    );
    let mods = modules(&src());
    // `crate::Error` is lib.rs's re-export of `error::Error`.
    assert_eq!(
        resolve(
            &mods,
            &vec!["lower".into()],
            &["crate".into(), "Error".into()]
        ),
        Some(vec!["error".to_owned()])
    );
    // `super::keywords::Keywords` from `lower::schema`.
    let schema: ModPath = vec!["lower".into(), "schema".into()];
    assert_eq!(
        resolve(
            &mods,
            &schema,
            &["super".into(), "keywords".into(), "Keywords".into()]
        ),
        Some(vec!["lower".to_owned(), "keywords".to_owned()])
    );
    // Test modules are not nodes.
    assert!(!mods.contains_key(&vec!["lower".to_owned(), "tests".to_owned()]));
}
