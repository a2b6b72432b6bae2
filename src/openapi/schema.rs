//! Schemas as nested markdown lists: properties with their types, required marks and
//! descriptions; `$ref`s to component schemas become links to the schemas' own pages (so a
//! recursive schema is a link back to itself, never a loop); other references are expanded in
//! place with a guard against cycles; `oneOf`/`anyOf`/`allOf`, arrays, enums and maps are named.

use super::markdown::{code, one_line, text};
use super::spec::resolve;
use serde_json::Value;

/// How deep inline (unnamed) schemas are expanded before "…".
const MAX_DEPTH: usize = 8;

/// Where a component schema's page is, relative to the page being written (None when the
/// document has no such schema).
pub type SchemaLink<'a> = dyn Fn(&str) -> Option<String> + 'a;

pub struct SchemaWriter<'a> {
    pub root: &'a Value,
    pub link: &'a SchemaLink<'a>,
}

impl SchemaWriter<'_> {
    /// A one-line summary of a schema's type: `string (date-time)`, `array of [Pet](…)`,
    /// `one of …`.
    pub fn summary(&self, schema: &Value, visiting: &mut Vec<String>) -> String {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            if let Some(name) = r.strip_prefix("#/components/schemas/") {
                let name = decode(name);
                return match (self.link)(&name) {
                    Some(href) => format!("[{}]({href})", text(&name)),
                    None => format!("{} (missing)", code(&name)),
                };
            }
            if visiting.iter().any(|v| v == r) {
                return format!("{} (recursive)", code(r));
            }
            return match resolve(self.root, r) {
                Some(target) => {
                    visiting.push(r.to_string());
                    let s = self.summary(target, visiting);
                    visiting.pop();
                    s
                }
                None => format!("{} (missing)", code(r)),
            };
        }
        let mut out = String::new();
        for (key, word) in [("oneOf", "one of"), ("anyOf", "any of"), ("allOf", "all of")] {
            if let Some(Value::Array(alts)) = schema.get(key) {
                let parts: Vec<String> = alts.iter().map(|a| self.summary(a, visiting)).collect();
                out = format!("{word}: {}", parts.join(", "));
            }
        }
        if out.is_empty() {
            out = match type_names(schema).as_slice() {
                [] if schema.get("properties").is_some() => "object".into(),
                [] => "any".into(),
                names => names.join(" or "),
            };
            if out.contains("array") {
                if let Some(items) = schema.get("items") {
                    out = out.replace("array", &format!("array of {}", self.summary(items, visiting)));
                }
            }
            if let Some(f) = schema.get("format").and_then(Value::as_str) {
                out.push_str(&format!(" ({})", text(f)));
            }
        }
        if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
            out.push_str(" or null");
        }
        out
    }

    /// The list items describing a schema's contents (its properties, alternatives, item
    /// schema or map values), indented by `indent` spaces. Empty for plain values.
    pub fn body(&self, schema: &Value, indent: usize, depth: usize, visiting: &mut Vec<String>) -> String {
        if depth > MAX_DEPTH {
            return format!("{}- …\n", " ".repeat(indent));
        }
        let pad = " ".repeat(indent);
        let mut out = String::new();
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            // Named schemas are described on their own page; other references inline.
            if r.starts_with("#/components/schemas/") || visiting.iter().any(|v| v == r) {
                return out;
            }
            if let Some(target) = resolve(self.root, r) {
                visiting.push(r.to_string());
                out = self.body(target, indent, depth, visiting);
                visiting.pop();
            }
            return out;
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(Value::Array(alts)) = schema.get(key) {
                for alt in alts {
                    let title =
                        alt.get("title").and_then(Value::as_str).map(|t| format!("{}: ", text(t))).unwrap_or_default();
                    out.push_str(&format!("{pad}- {title}{}\n", self.summary(alt, visiting)));
                    out.push_str(&self.body(alt, indent + 2, depth + 1, visiting));
                }
            }
        }
        if let Some(Value::Object(props)) = schema.get("properties") {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (name, prop) in props {
                out.push_str(&format!("{pad}- {} {}", code(name), self.summary(prop, visiting)));
                if required.contains(&name.as_str()) {
                    out.push_str(", **required**");
                }
                out.push_str(&self.facts(prop));
                out.push('\n');
                out.push_str(&self.body(prop, indent + 2, depth + 1, visiting));
            }
        }
        if let Some(items) = schema.get("items") {
            if items.get("$ref").is_none()
                && (items.get("properties").is_some() || items.get("oneOf").is_some() || items.get("anyOf").is_some())
            {
                out.push_str(&format!("{pad}- items:\n"));
                out.push_str(&self.body(items, indent + 2, depth + 1, visiting));
            }
        }
        if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            out.push_str(&format!("{pad}- any other key: {}\n", self.summary(extra, visiting)));
            out.push_str(&self.body(extra, indent + 2, depth + 1, visiting));
        }
        out
    }

    /// Deprecated, read-only, enum, default, example and description of a property, on its line.
    fn facts(&self, prop: &Value) -> String {
        let (prop, _) = super::spec::deref(self.root, prop);
        let mut out = String::new();
        if prop.get("deprecated").and_then(Value::as_bool) == Some(true) {
            out.push_str(", *deprecated*");
        }
        if prop.get("readOnly").and_then(Value::as_bool) == Some(true) {
            out.push_str(", read-only");
        }
        if prop.get("writeOnly").and_then(Value::as_bool) == Some(true) {
            out.push_str(", write-only");
        }
        if let Some(Value::Array(values)) = prop.get("enum") {
            let shown: Vec<String> = values.iter().map(|v| code(&scalar(v))).collect();
            out.push_str(&format!(", one of {}", shown.join(", ")));
        }
        if let Some(d) = prop.get("default") {
            out.push_str(&format!(", default {}", code(&scalar(d))));
        }
        if let Some(e) = prop.get("example") {
            out.push_str(&format!(", example {}", code(&scalar(e))));
        }
        if let Some(d) = prop.get("description").and_then(Value::as_str) {
            out.push_str(&format!(": {}", one_line(d)));
        }
        out
    }
}

/// `type` as a list (3.1 allows `[string, "null"]`).
fn type_names(schema: &Value) -> Vec<String> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// A JSON value as one line of text.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// A component name from its reference token.
pub fn decode(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The component schemas a value refers to, directly or through other components.
pub fn referenced_schemas(root: &Value, v: &Value, found: &mut std::collections::BTreeSet<String>) {
    walk_references(root, v, found, &mut std::collections::HashSet::new());
}

/// `followed`: the other references already followed, so a response or parameter that refers
/// (through others) to itself ends instead of recursing until the stack runs out.
fn walk_references<'a>(
    root: &'a Value,
    v: &'a Value,
    found: &mut std::collections::BTreeSet<String>,
    followed: &mut std::collections::HashSet<&'a str>,
) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                if let Some(name) = r.strip_prefix("#/components/schemas/") {
                    let name = decode(name);
                    if found.insert(name) {
                        if let Some(target) = resolve(root, r) {
                            walk_references(root, target, found, followed);
                        }
                    }
                } else if let Some(target) = resolve(root, r) {
                    // Responses, parameters and request bodies kept in components.
                    if !r.starts_with("#/paths") && followed.insert(r) {
                        walk_references(root, target, found, followed);
                    }
                }
            }
            for (k, child) in m {
                if k != "$ref" && k != "example" && k != "examples" {
                    walk_references(root, child, found, followed);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|c| walk_references(root, c, found, followed)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer_test(yaml: &str, schema: &str) -> (String, String) {
        let root: Value = serde_saphyr::from_str(yaml).unwrap();
        let link = |name: &str| Some(format!("schemas/{name}.md"));
        let w = SchemaWriter { root: &root, link: &link };
        let s = resolve(&root, schema).unwrap();
        (w.summary(s, &mut Vec::new()), w.body(s, 0, 0, &mut Vec::new()))
    }

    #[test]
    fn recursive_schemas_link_instead_of_looping() {
        let yaml = "components:\n  schemas:\n    Node:\n      type: object\n      required: [id]\n      properties:\n        id: {type: integer, format: int64, description: The id}\n        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n        meta:\n          type: object\n          properties:\n            tags: {type: array, items: {type: string}}\n";
        let (summary, body) = writer_test(yaml, "#/components/schemas/Node");
        assert_eq!(summary, "object");
        assert!(body.contains("- `id` integer (int64), **required**: The id\n"), "{body}");
        assert!(body.contains("- `children` array of [Node](schemas/Node.md)\n"), "{body}");
        assert!(body.contains("  - `tags` array of string\n"), "{body}");
    }

    #[test]
    fn one_of_and_inline_reference_cycles() {
        let yaml = "x:\n  a: {$ref: '#/x/b'}\n  b: {type: object, properties: {next: {$ref: '#/x/a'}}}\ncomponents:\n  schemas:\n    Pet:\n      oneOf:\n        - {$ref: '#/components/schemas/Cat'}\n        - {type: string, enum: [dog]}\n    Cat: {type: object}\n";
        let (summary, _) = writer_test(yaml, "#/components/schemas/Pet");
        assert_eq!(summary, "one of: [Cat](schemas/Cat.md), string");
        let (_, body) = writer_test(yaml, "#/x/a");
        assert!(body.contains("`next`") && body.len() < 400, "{body}");
    }
}
