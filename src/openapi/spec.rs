//! Reading an OpenAPI 3.0/3.1 document (YAML or JSON) into a JSON value, checking the parts
//! Folio renders, and resolving local `$ref`s. Every problem names the JSON pointer it is at.

use serde_json::Value;

/// A problem with a spec, at a JSON pointer (`/paths/~1users/get/responses`), or at a line and
/// column when the file does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    pub pointer: String,
    pub line: Option<(u32, u32)>,
    pub message: String,
    /// The document cannot be rendered at all (it does not parse, or is not OpenAPI 3.0/3.1).
    pub fatal: bool,
}

impl SpecProblem {
    fn at(pointer: impl Into<String>, message: impl Into<String>) -> SpecProblem {
        SpecProblem { pointer: pointer.into(), line: None, message: message.into(), fatal: false }
    }

    fn fatal(pointer: impl Into<String>, message: impl Into<String>) -> SpecProblem {
        SpecProblem { fatal: true, ..SpecProblem::at(pointer, message) }
    }
}

/// The methods of a path item that are operations, in the order they are shown.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// True when a YAML or JSON file's text declares an OpenAPI (or Swagger) document at its top
/// level: cheap enough to ask of every `.yaml`/`.json` file in the content folder.
pub fn looks_like_spec(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    let is_json = head.trim_start_matches('\u{feff}').trim_start().starts_with('{');
    head.lines().any(|l| {
        let l = l.trim_start_matches('\u{feff}');
        if is_json {
            // Minified JSON has its first key on the opening brace's line.
            let l = l.trim_start().trim_start_matches('{').trim_start();
            l.starts_with("\"openapi\"") || l.starts_with("\"swagger\"")
        } else {
            l.starts_with("openapi:") || l.starts_with("swagger:")
        }
    })
}

/// JSON pointer escaping of one reference token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Parses the file as JSON (`.json`) or YAML (anything else; YAML is a superset of JSON).
pub fn parse(text: &str, is_json: bool) -> Result<Value, SpecProblem> {
    if is_json {
        return serde_json::from_str(text).map_err(|e| SpecProblem {
            // serde_json counts the column before the first character as 0 (an empty file).
            line: Some(((e.line() as u32).max(1), (e.column() as u32).max(1))),
            ..SpecProblem::fatal("", format!("not valid JSON: {}", without_position(&e.to_string())))
        });
    }
    serde_saphyr::from_str::<Value>(text).map_err(|e| {
        let line = e.location().map(|l| ((l.line() as u32).max(1), (l.column() as u32).max(1)));
        let message = e.without_snippet().to_string();
        let first = message.lines().next().unwrap_or("").to_string();
        SpecProblem { line, ..SpecProblem::fatal("", format!("not valid YAML: {}", without_position(&first))) }
    })
}

/// The parsers end messages with "at line N, column M"; the diagnostic carries the position.
fn without_position(message: &str) -> &str {
    message.find(" at line ").map_or(message, |i| &message[..i])
}

/// The value a local reference (`#/components/schemas/User`) points at.
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(root);
    }
    let mut at = root;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = unescape(&crate::urls::percent_decode(token));
        at = match at {
            Value::Object(m) => m.get(&token)?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(at)
}

/// Follows `$ref`s until a value that is not a reference (at most a few hops, so a reference
/// to itself ends); returns it with the name of the last component schema on the way.
pub fn deref<'a>(root: &'a Value, v: &'a Value) -> (&'a Value, Option<&'a str>) {
    let mut at = v;
    let mut name = None;
    for _ in 0..8 {
        let Some(r) = at.get("$ref").and_then(Value::as_str) else { break };
        let Some(next) = resolve(root, r) else { break };
        name = r.strip_prefix("#/components/schemas/").or(name);
        at = next;
    }
    (at, name)
}

/// Checks what rendering relies on: the version, `info.title`, `paths`, each operation's
/// shape, unique operation ids, and that every `$ref` leads somewhere. Rendering copes with
/// whatever is left (it shows what is there); these are what a reader would otherwise miss.
pub fn validate(root: &Value) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    let Some(top) = root.as_object() else {
        return vec![SpecProblem::fatal("", "an OpenAPI document must be a mapping at its top level")];
    };
    if top.contains_key("swagger") {
        return vec![SpecProblem::fatal(
            "/swagger",
            "Swagger 2.0 documents are not supported: convert it to OpenAPI 3 (for example with swagger2openapi)",
        )];
    }
    match top.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") || v.starts_with("3.1") => {}
        Some(Value::String(v)) => {
            return vec![SpecProblem::fatal(
                "/openapi",
                format!("OpenAPI version `{v}` is not supported (3.0 and 3.1 are)"),
            )]
        }
        Some(other) => {
            return vec![SpecProblem::fatal(
                "/openapi",
                format!("`openapi` must be a version string like \"3.1.0\", not {other}"),
            )]
        }
        None => return vec![SpecProblem::fatal("", "missing `openapi` version field")],
    }
    match top.get("info").and_then(|i| i.get("title")) {
        Some(Value::String(t)) if !t.trim().is_empty() => {}
        _ => out.push(SpecProblem::at("/info/title", "missing `info.title`: the API's name")),
    }
    let mut ids: std::collections::HashMap<&str, String> = Default::default();
    match top.get("paths") {
        None => {
            if !top.contains_key("webhooks") && !top.contains_key("components") {
                out.push(SpecProblem::at("/paths", "missing `paths`: the document describes no operations"));
            }
        }
        Some(Value::Object(paths)) => {
            for (path, item) in paths {
                let at = format!("/paths/{}", escape(path));
                if !path.starts_with('/') {
                    out.push(SpecProblem::at(&at, format!("path `{path}` must start with `/`")));
                }
                let Some(item) = item.as_object() else {
                    out.push(SpecProblem::at(&at, "a path item must be a mapping of methods to operations"));
                    continue;
                };
                for method in METHODS {
                    let Some(op) = item.get(method) else { continue };
                    let op_at = format!("{at}/{method}");
                    let Some(op) = op.as_object() else {
                        out.push(SpecProblem::at(&op_at, "an operation must be a mapping"));
                        continue;
                    };
                    if let Some(id) = op.get("operationId") {
                        match id.as_str() {
                            Some(id) => {
                                if let Some(first) = ids.insert(id, op_at.clone()) {
                                    out.push(SpecProblem::at(
                                        format!("{op_at}/operationId"),
                                        format!("operationId `{id}` is also used at `{first}`: operation ids must be unique"),
                                    ));
                                }
                            }
                            None => out
                                .push(SpecProblem::at(format!("{op_at}/operationId"), "operationId must be a string")),
                        }
                    }
                    match op.get("responses") {
                        Some(Value::Object(_)) => {}
                        Some(_) => {
                            out.push(SpecProblem::at(format!("{op_at}/responses"), "`responses` must be a mapping"))
                        }
                        None => out.push(SpecProblem::at(&op_at, "operation has no `responses`")),
                    }
                    if let Some(params) = op.get("parameters") {
                        check_parameters(root, params, &format!("{op_at}/parameters"), &mut out);
                    }
                }
                if let Some(params) = item.get("parameters") {
                    check_parameters(root, params, &format!("{at}/parameters"), &mut out);
                }
            }
        }
        Some(_) => out.push(SpecProblem::at("/paths", "`paths` must be a mapping of paths to path items")),
    }
    let before = out.len();
    check_refs(root, root, &mut String::new(), &mut out);
    // A cycle is reported once, at its first reference in the document, not at every member and
    // every use of it.
    let mut cycles_seen = std::collections::HashSet::new();
    let mut k = before;
    while k < out.len() {
        let cycle = out[k].message.split_once("never reaches a definition (").map(|(_, chain)| {
            let mut members: Vec<&str> = chain.trim_end_matches(')').split(" -> ").collect();
            members.sort_unstable();
            members.dedup();
            members.join(" ")
        });
        if cycle.is_some_and(|key| !cycles_seen.insert(key)) {
            out.remove(k);
        } else {
            k += 1;
        }
    }
    out
}

fn check_parameters(root: &Value, params: &Value, at: &str, out: &mut Vec<SpecProblem>) {
    let Some(list) = params.as_array() else {
        out.push(SpecProblem::at(at, "`parameters` must be a list"));
        return;
    };
    for (k, p) in list.iter().enumerate() {
        let (p, _) = deref(root, p);
        let name = p.get("name").and_then(Value::as_str);
        let place = p.get("in").and_then(Value::as_str);
        if p.get("$ref").is_some() {
            continue; // reported by check_refs
        }
        if name.is_none() || place.is_none() {
            out.push(SpecProblem::at(
                format!("{at}/{k}"),
                "a parameter needs a `name` and an `in` (path, query, header or cookie)",
            ));
        } else if !matches!(place, Some("path" | "query" | "header" | "cookie")) {
            out.push(SpecProblem::at(
                format!("{at}/{k}/in"),
                format!("parameter `in: {}` must be path, query, header or cookie", place.unwrap_or_default()),
            ));
        }
    }
}

/// When following `reference` through values that are only references comes back to it: the
/// chain, written `a -> b -> a`. A schema that refers to itself inside its properties is fine
/// (a tree); a reference whose target is itself a reference back is not a definition at all.
fn ref_cycle(root: &Value, reference: &str) -> Option<String> {
    let mut chain = vec![reference];
    let mut at = resolve(root, reference)?;
    while let Some(next) = at.get("$ref").and_then(Value::as_str) {
        if next == reference {
            chain.push(next);
            return Some(chain.join(" -> "));
        }
        if chain.contains(&next) || chain.len() > 64 {
            return None; // a loop further on: reported at its own references
        }
        chain.push(next);
        at = resolve(root, next)?;
    }
    None
}

/// Every `$ref` must be local (`#/...`) and lead to a value.
fn check_refs(root: &Value, v: &Value, at: &mut String, out: &mut Vec<SpecProblem>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref") {
                match r.as_str() {
                    Some(r) if r.starts_with('#') => {
                        if resolve(root, r).is_none() {
                            out.push(SpecProblem::at(format!("{at}/$ref"), format!("`$ref: {r}` points at nothing in this document")));
                        } else if let Some(cycle) = ref_cycle(root, r) {
                            out.push(SpecProblem::at(
                                format!("{at}/$ref"),
                                format!("`$ref: {r}` is a cycle of references that never reaches a definition ({cycle})"),
                            ));
                        }
                    }
                    Some(r) => out.push(SpecProblem::at(
                        format!("{at}/$ref"),
                        format!("`$ref: {r}` points outside this document; only local references (`#/components/...`) are supported"),
                    )),
                    None => out.push(SpecProblem::at(format!("{at}/$ref"), "`$ref` must be a string")),
                }
            }
            for (k, child) in m {
                if k == "$ref" || k == "example" || k == "examples" {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&escape(k));
                check_refs(root, child, at, out);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (k, child) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{k}"));
                check_refs(root, child, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<(String, String)> {
        validate(&parse(yaml, false).unwrap()).into_iter().map(|p| (p.pointer, p.message)).collect()
    }

    #[test]
    fn detects_specs() {
        assert!(looks_like_spec("openapi: 3.1.0\ninfo: {}"));
        assert!(looks_like_spec("# comment\nswagger: '2.0'"));
        assert!(looks_like_spec("{\n  \"openapi\": \"3.0.3\"\n}"));
        assert!(looks_like_spec("{\"openapi\":\"3.1.0\",\"info\":{}}"));
        assert!(!looks_like_spec("title: not a spec\nopenapi_like: 1"));
    }

    #[test]
    fn pointers_of_problems() {
        let p = problems(
            "openapi: 3.0.3\ninfo: {title: T}\npaths:\n  users:\n    get:\n      operationId: a\n      responses: {}\n  /x/{id}:\n    post:\n      operationId: a\n      parameters: [{name: id}]\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n",
        );
        let pointers: Vec<&str> = p.iter().map(|(p, _)| p.as_str()).collect();
        assert!(pointers.contains(&"/paths/users"), "{p:?}");
        assert!(pointers.contains(&"/paths/~1x~1{id}/post/operationId"), "{p:?}");
        assert!(pointers.contains(&"/paths/~1x~1{id}/post/parameters/0"), "{p:?}");
        assert!(pointers.contains(&"/paths/~1x~1{id}/post/responses/200/$ref"), "{p:?}");
        assert_eq!(problems("swagger: '2.0'\ninfo: {title: T}")[0].0, "/swagger");
        assert_eq!(problems("openapi: 2.5.0\n")[0].0, "/openapi");
        assert_eq!(problems("openapi: 3.1.0\npaths: {}\n")[0].0, "/info/title");
    }

    #[test]
    fn refs_resolve_through_escapes_and_cycles_end() {
        let v = parse("a: {$ref: '#/b'}\nb: {$ref: '#/a'}\nc:\n  x/y: {v: 1}\n", false).unwrap();
        assert_eq!(resolve(&v, "#/c/x~1y/v"), Some(&Value::from(1)));
        let (_, name) = deref(&v, &v["a"]);
        assert!(name.is_none());
        assert!(parse("a: [", false).unwrap_err().line.is_some());
    }
}
