//! API references from OpenAPI 3.0/3.1 documents in the content folder. A spec becomes
//! markdown pages, generated in memory beside it, that then go through the same model as
//! written pages: nav, search, anchors, link checks and status come for free. For
//! `api/shop.yaml`: `api/shop/index.md` (overview: servers, authentication, operations),
//! one page per tag with its operations, and a page per component schema with back-links.

pub mod markdown;
mod operation;
pub mod schema;
pub mod spec;

use markdown::{block, code, fenced, one_line, text, yaml_string};
use operation::{authentication, operation_section};
use schema::{referenced_schemas, scalar, SchemaWriter};
use serde_json::Value;
use spec::{deref, escape, METHODS};
use std::collections::{BTreeMap, BTreeSet};

/// A page generated from a spec: a content-relative path and its markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedPage {
    pub rel: String,
    pub text: String,
}

/// Where an operation's docs are: page (content-relative source path) and heading id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationTarget {
    pub rel: String,
    pub anchor: String,
}

/// What a spec becomes.
#[derive(Debug, Default)]
pub struct Expanded {
    pub pages: Vec<GeneratedPage>,
    /// operationId -> where it is documented, for `api:operationId` links.
    pub operations: BTreeMap<String, OperationTarget>,
    pub problems: Vec<spec::SpecProblem>,
}

/// One operation, as found in `paths`.
struct Operation<'a> {
    method: &'static str,
    path: &'a str,
    op: &'a Value,
    /// Path-level parameters, shared by the path's operations.
    path_params: Option<&'a Value>,
    anchor: String,
    tag: String,
}

/// File names (`users.md`) for tags or schemas: slugs, made unique (`user-2.md`), never
/// `index` or `schemas` (taken by the overview and the schema folder).
fn file_names<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, String> {
    let mut taken: BTreeSet<String> = ["index".to_string(), "schemas".to_string()].into();
    let mut out = BTreeMap::new();
    for name in names {
        let base = crate::markdown::slug::slugify(name);
        let base = if base.is_empty() { "item".to_string() } else { base };
        let mut candidate = base.clone();
        let mut n = 2;
        while taken.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(candidate.clone());
        out.insert(name.to_string(), format!("{candidate}.md"));
    }
    out
}

/// An operation's heading id: its operationId when it is a usable id, else method and path.
fn anchor_of(method: &str, path: &str, op: &Value) -> String {
    match op.get("operationId").and_then(Value::as_str) {
        Some(id) if !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || "-_.:".contains(c)) => id.to_string(),
        _ => crate::markdown::slug::slugify(&format!("{method} {path}")),
    }
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

/// Expands the spec at `rel` (content-relative, e.g. `api/shop.yaml`).
pub fn expand(rel: &str, source: &str) -> Expanded {
    let mut out = Expanded::default();
    let is_json = rel.to_ascii_lowercase().ends_with(".json");
    let root = match spec::parse(source, is_json) {
        Ok(v) => v,
        Err(p) => {
            out.problems.push(p);
            return out;
        }
    };
    out.problems = spec::validate(&root);
    // Unsupported documents (Swagger 2, other versions, not a mapping) produce no pages.
    if out.problems.iter().any(|p| p.fatal) {
        return out;
    }
    let base = rel.rsplit_once('.').map(|(b, _)| b).unwrap_or(rel).to_string();
    let spec_file = rel.rsplit('/').next().unwrap_or(rel).to_string();
    let title = root.pointer("/info/title").and_then(Value::as_str).unwrap_or("API").to_string();

    // Operations, grouped by their first tag (declared tags first, in their order).
    let mut tag_order: Vec<String> = root
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(|t| str_at(t, "name")).map(str::to_string).collect())
        .unwrap_or_default();
    let mut operations: Vec<Operation<'_>> = Vec::new();
    if let Some(Value::Object(paths)) = root.get("paths") {
        for (path, item) in paths {
            let Some(item_map) = item.as_object() else { continue };
            for method in METHODS {
                let Some(op) = item_map.get(method).filter(|o| o.is_object()) else { continue };
                let tag = op
                    .get("tags")
                    .and_then(Value::as_array)
                    .and_then(|t| t.first())
                    .and_then(Value::as_str)
                    .unwrap_or("Other operations")
                    .to_string();
                if !tag_order.contains(&tag) {
                    tag_order.push(tag.clone());
                }
                operations.push(Operation {
                    method,
                    path,
                    op,
                    path_params: item_map.get("parameters"),
                    anchor: anchor_of(method, path, op),
                    tag,
                });
            }
        }
    }
    let tag_file = file_names(tag_order.iter().map(String::as_str));
    let schemas: Vec<(String, &Value)> = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default();
    let schema_file = file_names(schemas.iter().map(|(n, _)| n.as_str()));

    // Which operations use each schema, for the schema pages' back-links.
    let mut used_by: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (k, o) in operations.iter().enumerate() {
        let mut found = BTreeSet::new();
        referenced_schemas(&root, o.op, &mut found);
        if let Some(p) = o.path_params {
            referenced_schemas(&root, p, &mut found);
        }
        for name in found {
            used_by.entry(name).or_default().push(k);
        }
    }
    for o in &operations {
        if let Some(id) = str_at(o.op, "operationId") {
            out.operations.insert(
                id.to_string(),
                OperationTarget { rel: format!("{base}/{}", tag_file[&o.tag]), anchor: o.anchor.clone() },
            );
        }
    }

    // Overview.
    let mut page =
        front_matter(&title, str_at(&root, "summary").or(root.pointer("/info/summary").and_then(Value::as_str)), 0);
    if let Some(d) = root.pointer("/info/description").and_then(Value::as_str) {
        page.push_str(&block(d));
        page.push('\n');
    }
    let mut facts = Vec::new();
    if let Some(v) = root.pointer("/info/version").and_then(scalar_str) {
        facts.push(format!("**Version**: {}", code(&v)));
    }
    if let Some(v) = root.get("openapi").and_then(Value::as_str) {
        facts.push(format!("**OpenAPI**: {}", text(v)));
    }
    facts.push(format!("**Specification**: [{}](../{})", text(&spec_file), crate::urls::encode_path(&spec_file)));
    if let Some(c) = root.pointer("/info/contact") {
        if let Some(name) = str_at(c, "name").or(str_at(c, "email")) {
            facts.push(format!("**Contact**: {}", text(name)));
        }
    }
    page.push_str(&facts.join(" · "));
    page.push_str("\n\n## Servers {#servers}\n\n");
    match root.get("servers").and_then(Value::as_array).filter(|s| !s.is_empty()) {
        Some(servers) => {
            for s in servers {
                let url = str_at(s, "url").unwrap_or("/");
                page.push_str(&format!("- {}", code(url)));
                if let Some(d) = str_at(s, "description") {
                    page.push_str(&format!(": {}", one_line(d)));
                }
                page.push('\n');
            }
        }
        None => page.push_str("The document lists no servers: paths are relative to the host serving the API.\n"),
    }
    page.push_str("\n## Authentication {#authentication}\n\n");
    page.push_str(&authentication(&root));
    page.push_str("\n## Operations {#operations}\n\n");
    for tag in &tag_order {
        let ops: Vec<&Operation<'_>> = operations.iter().filter(|o| &o.tag == tag).collect();
        if ops.is_empty() {
            continue;
        }
        page.push_str(&format!("**[{}]({})**\n\n", text(tag), tag_file[tag]));
        for o in ops {
            page.push_str(&format!(
                "- [{}]({}#{}){}{}\n",
                code(&format!("{} {}", o.method.to_uppercase(), o.path)),
                tag_file[tag],
                o.anchor,
                str_at(o.op, "summary").map(|s| format!(" {}", text(s))).unwrap_or_default(),
                if o.op.get("deprecated").and_then(Value::as_bool) == Some(true) { " *(deprecated)*" } else { "" },
            ));
        }
        page.push('\n');
    }
    if !schemas.is_empty() {
        page.push_str(&format!("See also the [{} schemas](schemas/index.md).\n", schemas.len()));
    }
    out.pages.push(GeneratedPage { rel: format!("{base}/index.md"), text: page });

    // One page per tag.
    let tag_descriptions: BTreeMap<&str, &str> = root
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(|t| Some((str_at(t, "name")?, str_at(t, "description")?))).collect())
        .unwrap_or_default();
    for (weight, tag) in tag_order.iter().enumerate() {
        let ops: Vec<&Operation<'_>> = operations.iter().filter(|o| &o.tag == tag).collect();
        if ops.is_empty() {
            continue;
        }
        let mut page = front_matter(tag, None, weight as i64 + 1);
        if let Some(d) = tag_descriptions.get(tag.as_str()) {
            page.push_str(&block(d));
            page.push('\n');
        }
        let link = |name: &str| schema_file.get(name).map(|f| format!("schemas/{f}"));
        let writer = SchemaWriter { root: &root, link: &link };
        for o in ops {
            page.push_str(&operation_section(o, &root, &writer));
        }
        out.pages.push(GeneratedPage { rel: format!("{base}/{}", tag_file[tag]), text: page });
    }

    // Schemas.
    if !schemas.is_empty() {
        let mut index =
            front_matter("Schemas", Some("Every schema of the API, with the operations that use it."), 1000);
        for (name, s) in &schemas {
            let (s, _) = deref(&root, s);
            index.push_str(&format!(
                "- [{}]({}){}\n",
                text(name),
                schema_file[name],
                str_at(s, "description").map(|d| format!(": {}", one_line(d))).unwrap_or_default()
            ));
        }
        out.pages.push(GeneratedPage { rel: format!("{base}/schemas/index.md"), text: index });
        let link = |name: &str| schema_file.get(name).cloned();
        let writer = SchemaWriter { root: &root, link: &link };
        for (name, s) in &schemas {
            let mut page = front_matter(name, None, 0);
            let mut visiting = vec![format!("#/components/schemas/{}", escape(name))];
            let (resolved, _) = deref(&root, s);
            if let Some(d) = str_at(resolved, "description") {
                page.push_str(&block(d));
                page.push('\n');
            }
            page.push_str(&format!("**Type**: {}", writer.summary(s, &mut visiting)));
            if resolved.get("deprecated").and_then(Value::as_bool) == Some(true) {
                page.push_str(" · *deprecated*");
            }
            page.push_str("\n\n");
            let body = writer.body(resolved, 0, 0, &mut visiting);
            if !body.is_empty() {
                page.push_str(&body);
                page.push('\n');
            }
            if let Some(example) = resolved.get("example") {
                page.push_str("**Example**\n\n");
                page.push_str(&fenced("json", &serde_json::to_string_pretty(example).unwrap_or_default()));
                page.push('\n');
            }
            page.push_str("## Used by {#used-by}\n\n");
            match used_by.get(name) {
                Some(ops) => {
                    for &k in ops {
                        let o = &operations[k];
                        page.push_str(&format!(
                            "- [{}](../{}#{}){}\n",
                            code(&format!("{} {}", o.method.to_uppercase(), o.path)),
                            tag_file[&o.tag],
                            o.anchor,
                            str_at(o.op, "summary").map(|s| format!(" {}", text(s))).unwrap_or_default()
                        ));
                    }
                }
                None => page.push_str("No operation uses this schema directly or through another schema.\n"),
            }
            out.pages.push(GeneratedPage { rel: format!("{base}/schemas/{}", schema_file[name]), text: page });
        }
    }
    out
}

fn scalar_str(v: &Value) -> Option<String> {
    (!v.is_null()).then(|| scalar(v))
}

fn front_matter(title: &str, description: Option<&str>, weight: i64) -> String {
    let mut s = format!("---\ntitle: {}\nkind: api\n", yaml_string(title));
    if let Some(d) = description {
        s.push_str(&format!("description: {}\n", yaml_string(d)));
    }
    if weight > 0 {
        s.push_str(&format!("weight: {weight}\n"));
    }
    s.push_str("---\n\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"openapi: 3.0.3
info: {title: Shop, version: "2.1"}
servers: [{url: "https://api.example.com/v2", description: Production}]
tags: [{name: Users, description: People who buy things}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    User:
      type: object
      required: [id]
      properties:
        id: {type: string}
        friends: {type: array, items: {$ref: '#/components/schemas/User'}}
security: [{bearer: []}]
paths:
  /users/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      tags: [Users]
      operationId: getUser
      summary: Get a user
      responses:
        '200':
          description: The user
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
              example: {id: u1}
    delete:
      tags: [Users]
      operationId: deleteUser
      deprecated: true
      responses: {'204': {description: Gone}}
"#;

    #[test]
    fn pages_operations_and_back_links() {
        let e = expand("api/shop.yaml", SMALL);
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        let rels: Vec<&str> = e.pages.iter().map(|p| p.rel.as_str()).collect();
        assert_eq!(
            rels,
            vec!["api/shop/index.md", "api/shop/users.md", "api/shop/schemas/index.md", "api/shop/schemas/user.md"]
        );
        assert_eq!(
            e.operations["getUser"],
            OperationTarget { rel: "api/shop/users.md".into(), anchor: "getUser".into() }
        );
        let users = &e.pages[1].text;
        assert!(users.contains("## `GET /users/{id}` Get a user {#getUser}"), "{users}");
        assert!(users.contains("| `id` | path | string | yes |"), "{users}");
        assert!(users.contains("**Status**: deprecated"), "{users}");
        assert!(users.contains("[User](schemas/user.md)"), "{users}");
        assert!(users.contains("````json") || users.contains("```json"), "{users}");
        let user = &e.pages[3].text;
        assert!(user.contains("`friends` array of [User](user.md)"), "{user}");
        assert!(user.contains("[`GET /users/{id}`](../users.md#getUser)"), "{user}");
        let overview = &e.pages[0].text;
        assert!(overview.contains("`bearer`: HTTP bearer authentication"), "{overview}");
        assert!(overview.contains("[shop.yaml](../shop.yaml)"), "{overview}");
    }

    #[test]
    fn unsupported_documents_make_no_pages() {
        let e = expand("api/old.yaml", "swagger: '2.0'\ninfo: {title: Old}\npaths: {}\n");
        assert!(e.pages.is_empty());
        assert_eq!(e.problems[0].pointer, "/swagger");
        let e = expand("api/bad.json", "{\"openapi\": \"3.1.0\", ");
        assert!(e.pages.is_empty() && e.problems[0].line.is_some());
    }
}
