//! The serialization examples table of OpenAPI 3.0.3 ("Style Examples": `color` as empty,
//! `"blue"`, `["blue","black","brown"]` and `{"R":100,"G":200,"B":150}`), every row, and
//! the shapes the specification leaves undefined.

use serde_json::json;

use super::*;

fn blue() -> Value {
    Value::from("blue".to_owned())
}
fn colors() -> Value {
    Value::list(["blue", "black", "brown"])
}
fn rgb() -> Value {
    Value::of(&json!({"R": 100, "G": 200, "B": 150}), "color").unwrap()
}
fn empty() -> Value {
    Value::from(String::new())
}

/// `(style, explode, [empty, string, array, object])`: `None` where the table says n/a.
type Row = (Style, bool, [Option<&'static str>; 4]);

const PATH_ROWS: [Row; 6] = [
    (
        Style::Matrix,
        false,
        [
            Some(";color"),
            Some(";color=blue"),
            Some(";color=blue,black,brown"),
            Some(";color=R,100,G,200,B,150"),
        ],
    ),
    (
        Style::Matrix,
        true,
        [
            Some(";color"),
            Some(";color=blue"),
            Some(";color=blue;color=black;color=brown"),
            Some(";R=100;G=200;B=150"),
        ],
    ),
    (
        Style::Label,
        false,
        [
            Some("."),
            Some(".blue"),
            Some(".blue.black.brown"),
            Some(".R.100.G.200.B.150"),
        ],
    ),
    (
        Style::Label,
        true,
        [
            Some("."),
            Some(".blue"),
            Some(".blue.black.brown"),
            Some(".R=100.G=200.B=150"),
        ],
    ),
    (
        Style::Simple,
        false,
        [
            None,
            Some("blue"),
            Some("blue,black,brown"),
            Some("R,100,G,200,B,150"),
        ],
    ),
    (
        Style::Simple,
        true,
        [
            None,
            Some("blue"),
            Some("blue,black,brown"),
            Some("R=100,G=200,B=150"),
        ],
    ),
];

const QUERY_ROWS: [Row; 5] = [
    (
        Style::Form,
        false,
        [
            Some("color="),
            Some("color=blue"),
            Some("color=blue,black,brown"),
            Some("color=R,100,G,200,B,150"),
        ],
    ),
    (
        Style::Form,
        true,
        [
            Some("color="),
            Some("color=blue"),
            Some("color=blue&color=black&color=brown"),
            Some("R=100&G=200&B=150"),
        ],
    ),
    (
        Style::SpaceDelimited,
        false,
        [
            None,
            None,
            Some("color=blue%20black%20brown"),
            Some("color=R%20100%20G%20200%20B%20150"),
        ],
    ),
    (
        Style::PipeDelimited,
        false,
        [
            None,
            None,
            Some("color=blue|black|brown"),
            Some("color=R|100|G|200|B|150"),
        ],
    ),
    (
        Style::DeepObject,
        true,
        [
            None,
            None,
            None,
            Some("color[R]=100&color[G]=200&color[B]=150"),
        ],
    ),
];

fn values() -> [Value; 4] {
    [empty(), blue(), colors(), rgb()]
}

#[test]
fn path_styles_follow_the_specification_table() {
    for (style, explode, expected) in PATH_ROWS {
        for (value, expected) in values().iter().zip(expected) {
            let Some(expected) = expected else { continue };
            let param = Param::path("color").style(style, explode);
            assert_eq!(
                path_text(&param, value),
                expected,
                "{style:?} explode={explode} {value:?}"
            );
        }
    }
}

#[test]
fn query_styles_follow_the_specification_table() {
    for (style, explode, expected) in QUERY_ROWS {
        for (value, expected) in values().into_iter().zip(expected) {
            let Some(expected) = expected else { continue };
            let mut params = Params::new();
            params.push(Param::query("color").style(style, explode), value.clone());
            assert_eq!(
                params.query().as_deref(),
                Some(expected),
                "{style:?} explode={explode} {value:?}"
            );
        }
    }
}

#[test]
fn headers_are_simple_as_the_table_says() {
    for (style, explode, expected) in &PATH_ROWS[4..] {
        assert_eq!(*style, Style::Simple);
        for (value, expected) in values().into_iter().zip(expected) {
            let Some(expected) = expected else { continue };
            let mut params = Params::new();
            let param = Param::header("X-Color").style(Style::Simple, *explode);
            params.push(param, value);
            assert_eq!(params.headers(), [("X-Color", (*expected).to_owned())]);
        }
    }
}

#[test]
fn cookies_are_form_pairs_joined_by_semicolons() {
    let table = [
        (
            true,
            [
                "color=",
                "color=blue",
                "color=blue; color=black; color=brown",
                "R=100; G=200; B=150",
            ],
        ),
        (
            false,
            [
                "color=",
                "color=blue",
                "color=blue,black,brown",
                "color=R,100,G,200,B,150",
            ],
        ),
    ];
    for (explode, expected) in table {
        for (value, expected) in values().into_iter().zip(expected) {
            let mut params = Params::new();
            params.push(Param::cookie("color").style(Style::Form, explode), value);
            assert_eq!(params.cookies().as_deref(), Some(expected));
        }
    }
    let mut params = Params::new();
    params.push(Param::cookie("session"), "a b;c".to_owned());
    params.push(Param::cookie("theme"), "dark".to_owned());
    assert_eq!(
        params.cookies().as_deref(),
        Some("session=a%20b%3Bc; theme=dark")
    );
}

#[test]
fn values_are_encoded_and_delimiters_are_not() {
    let mut params = Params::new();
    params.push(Param::query("q"), "a b&c=d+e/é".to_owned());
    params.push(
        Param::query("tags").style(Style::Form, false),
        Value::list(["x,y", "z"]),
    );
    params.push(
        Param::query("path").allow_reserved(),
        "/a:b?c&d=e+f".to_owned(),
    );
    assert_eq!(
        params.query().as_deref(),
        Some("q=a%20b%26c%3Dd%2Be%2F%C3%A9&tags=x%2Cy,z&path=/a:b?c%26d%3De%2Bf")
    );
    let label = Param::path("id").style(Style::Label, false);
    assert_eq!(
        path_text(&label, &Value::list(["a/b", "c.d"])),
        ".a%2Fb.c.d"
    );
}

#[test]
fn undefined_shapes_have_one_documented_encoding() {
    let value = |v: serde_json::Value| Value::of(&v, "p").unwrap();
    let query = |param: Param, v: serde_json::Value| {
        let mut params = Params::new();
        params.push(param, value(v));
        params.query()
    };
    // Arrays of objects and nested objects: each member as its JSON text.
    assert_eq!(
        query(Param::query("sort"), json!([{"f": "a"}, {"f": "b"}])).as_deref(),
        Some("sort=%7B%22f%22%3A%22a%22%7D&sort=%7B%22f%22%3A%22b%22%7D")
    );
    assert_eq!(
        query(Param::query("o"), json!({"a": {"b": 1}, "n": null})).as_deref(),
        Some("a=%7B%22b%22%3A1%7D")
    );
    // deepObject nests brackets; arrays are `[]`; a single value is `name=value`.
    let deep = Param::query("filter").style(Style::DeepObject, true);
    assert_eq!(
        query(deep, json!({"a": {"b": 1}, "tags": ["x", "y"]})).as_deref(),
        Some("filter[a][b]=1&filter[tags][]=x&filter[tags][]=y")
    );
    let expand = Param::query("expand").style(Style::DeepObject, true);
    assert_eq!(
        query(expand, json!(["customer", "invoice"])).as_deref(),
        Some("expand[]=customer&expand[]=invoice")
    );
    let created = Param::query("created").style(Style::DeepObject, true);
    assert_eq!(query(created, json!(17)).as_deref(), Some("created=17"));
    // A null value sends nothing; pipe/space with one value are form.
    assert_eq!(query(Param::query("n"), json!(null)), None);
    let pipe = Param::query("v").style(Style::PipeDelimited, false);
    assert_eq!(query(pipe, json!("a|b")).as_deref(), Some("v=a%7Cb"));
    // A parameter described by `content: application/json`: its JSON text.
    let mut params = Params::new();
    params.push(
        Param::query("q"),
        Value::json_text(&json!({"a": [1]}), "q").unwrap(),
    );
    assert_eq!(params.query().as_deref(), Some("q=%7B%22a%22%3A%5B1%5D%7D"));
}

#[test]
fn form_bodies_encode_each_property_with_its_encoding() {
    let body =
        json!({"name": "a b", "tags": ["x", "y"], "ids": [1, 2], "meta": {"k": "v"}, "skip": null});
    let fields = [Param::field("ids").style(Style::Form, false)];
    assert_eq!(
        form_body(&body, &fields).unwrap().bytes,
        "name=a%20b&tags=x&tags=y&ids=1,2&k=v"
    );
    let deep = [Param::field("meta").style(Style::DeepObject, true)];
    assert_eq!(
        form_body(&json!({"meta": {"k": "v"}}), &deep)
            .unwrap()
            .bytes,
        "meta[k]=v"
    );
    let err = form_body(&json!("text"), &[]).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument { parameter, .. } if parameter == "body"),
        "{err:?}"
    );
}

#[test]
fn push_some_adds_set_values_and_leaves_unset_ones_out() {
    let mut params = Params::new();
    params.push_some(Param::query("pretty"), Some(&true));
    params.push_some::<i64>(Param::query("pageNum"), None);
    params.push_some(Param::query("name"), Some("a b"));
    assert_eq!(params.query().as_deref(), Some("pretty=true&name=a%20b"));
    let mut unset = Params::new();
    unset.push_some::<str>(Param::query("name"), None);
    assert_eq!(unset.query(), None);
}
