//! API references from OpenAPI 3.0/3.1 documents in the content folder. A spec becomes
//! markdown pages, generated in memory beside it, that then go through the same model as
//! written pages: nav, search, anchors, link checks and status come for free. For
//! `api/shop.yaml`: `api/shop/index.md` (overview: servers, authentication, operations),
//! one page per tag with its operations, and a page per component schema with back-links.

pub mod markdown;
pub mod schema;
pub mod spec;

use markdown::{block, code, fenced, one_line, text, yaml_string};
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

/// The security schemes and the requirements that apply to every operation.
fn authentication(root: &Value) -> String {
    let mut out = String::new();
    let schemes = root.pointer("/components/securitySchemes").and_then(Value::as_object);
    match schemes {
        Some(schemes) if !schemes.is_empty() => {
            for (name, s) in schemes {
                let (s, _) = deref(root, s);
                let kind = str_at(s, "type").unwrap_or("unknown");
                let how = match kind {
                    "http" => format!("HTTP {} authentication", str_at(s, "scheme").unwrap_or("")),
                    "apiKey" => format!(
                        "API key in the {} {}",
                        str_at(s, "in").unwrap_or("header"),
                        code(str_at(s, "name").unwrap_or(""))
                    ),
                    "oauth2" => {
                        let flows: Vec<String> = s
                            .get("flows")
                            .and_then(Value::as_object)
                            .map(|f| f.keys().map(|k| text(k)).collect())
                            .unwrap_or_default();
                        format!("OAuth 2 ({})", flows.join(", "))
                    }
                    "openIdConnect" => {
                        format!("OpenID Connect ({})", code(str_at(s, "openIdConnectUrl").unwrap_or("")))
                    }
                    other => text(other),
                };
                out.push_str(&format!("- {}: {how}", code(name)));
                if let Some(d) = str_at(s, "description") {
                    out.push_str(&format!(". {}", one_line(d)));
                }
                out.push('\n');
            }
            if let Some(req) = root.get("security") {
                out.push_str(&format!("\nEvery operation requires {} unless it says otherwise.\n", requirements(req)));
            }
        }
        _ => out.push_str("The document declares no authentication.\n"),
    }
    out
}

/// `[{a: []}, {b: [read]}]` as "`a`, or `b` (read)".
fn requirements(req: &Value) -> String {
    let Some(list) = req.as_array() else { return "nothing".into() };
    if list.is_empty() || list.iter().all(|r| r.as_object().is_some_and(|m| m.is_empty())) {
        return "no authentication".into();
    }
    let alternatives: Vec<String> = list
        .iter()
        .filter_map(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(name, scopes)| {
                    let scopes: Vec<String> =
                        scopes.as_array().map(|s| s.iter().map(|x| code(&scalar(x))).collect()).unwrap_or_default();
                    if scopes.is_empty() {
                        code(name)
                    } else {
                        format!("{} ({})", code(name), scopes.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    alternatives.join(", or ")
}

/// One operation: heading, method and path, status, description, parameters, request body,
/// responses and examples.
fn operation_section(o: &Operation<'_>, root: &Value, writer: &SchemaWriter<'_>) -> String {
    let op = o.op;
    let mut s = String::new();
    let summary = str_at(op, "summary").map(|t| format!(" {}", text(t))).unwrap_or_default();
    s.push_str(&format!(
        "## {}{summary} {{#{}}}\n\n",
        code(&format!("{} {}", o.method.to_uppercase(), o.path)),
        o.anchor
    ));
    let deprecated = op.get("deprecated").and_then(Value::as_bool) == Some(true);
    let mut line = vec![format!("<span class=\"api-method api-{}\">{}</span>", o.method, o.method.to_uppercase())];
    if let Some(id) = str_at(op, "operationId") {
        line.push(format!("operation {}", code(id)));
    }
    s.push_str(&line.join(" · "));
    s.push_str("\n\n");
    // The status model reads `**Status**:` fields: an `x-status` wins, else deprecation.
    match (op.get("x-status").and_then(scalar_str), deprecated) {
        (Some(status), _) => s.push_str(&format!("**Status**: {}\n\n", text(&status))),
        (None, true) => s.push_str("**Status**: deprecated\n\n"),
        _ => {}
    }
    if let Some(d) = str_at(op, "description") {
        s.push_str(&block(d));
        s.push('\n');
    }
    if let Some(req) = op.get("security") {
        s.push_str(&format!("**Authentication**: {}\n\n", requirements(req)));
    }
    // Parameters: the path's, overridden by the operation's own (same name and place).
    let mut params: Vec<&Value> = Vec::new();
    for list in [o.path_params, op.get("parameters")].into_iter().flatten() {
        for p in list.as_array().into_iter().flatten() {
            let (p, _) = deref(root, p);
            let key = (str_at(p, "name"), str_at(p, "in"));
            params.retain(|q| (str_at(q, "name"), str_at(q, "in")) != key);
            params.push(p);
        }
    }
    if !params.is_empty() {
        s.push_str("**Parameters**\n\n| Name | In | Type | Required | Description |\n|---|---|---|---|---|\n");
        for p in &params {
            let schema = p.get("schema").map(|sch| writer.summary(sch, &mut Vec::new())).unwrap_or_default();
            let required = p.get("required").and_then(Value::as_bool) == Some(true) || str_at(p, "in") == Some("path");
            let mut desc = str_at(p, "description").map(one_line).unwrap_or_default();
            if p.get("deprecated").and_then(Value::as_bool) == Some(true) {
                desc = format!("*Deprecated.* {desc}");
            }
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                code(str_at(p, "name").unwrap_or("")),
                text(str_at(p, "in").unwrap_or("")),
                schema.replace('|', "\\|"),
                if required { "yes" } else { "no" },
                desc
            ));
        }
        s.push('\n');
    }
    let mut examples = String::new();
    if let Some(body) = op.get("requestBody") {
        let (body, _) = deref(root, body);
        let required = body.get("required").and_then(Value::as_bool) == Some(true);
        s.push_str(&format!("**Request body**{}", if required { " (required)" } else { "" }));
        if let Some(d) = str_at(body, "description") {
            s.push_str(&format!(": {}", one_line(d)));
        }
        s.push_str("\n\n");
        s.push_str(&media_types(body, root, writer, "request", &mut examples));
    }
    if let Some(Value::Object(responses)) = op.get("responses") {
        s.push_str("**Responses**\n\n");
        for (status, r) in responses {
            let (r, _) = deref(root, r);
            s.push_str(&format!("- {}", code(status)));
            if let Some(d) = str_at(r, "description") {
                s.push_str(&format!(" {}", one_line(d)));
            }
            s.push('\n');
            let media = media_types(r, root, writer, &format!("response {status}"), &mut examples);
            for l in media.lines().filter(|l| !l.is_empty()) {
                s.push_str("  ");
                s.push_str(l);
                s.push('\n');
            }
        }
        s.push('\n');
    }
    s.push_str(&examples);
    s
}

/// The media types of a request body or response with their schemas, as list items; their
/// examples are appended to `examples` as code blocks.
fn media_types(v: &Value, root: &Value, writer: &SchemaWriter<'_>, what: &str, examples: &mut String) -> String {
    let mut s = String::new();
    let Some(Value::Object(content)) = v.get("content") else { return s };
    for (media, m) in content {
        let schema = m.get("schema");
        let summary = schema.map(|sch| writer.summary(sch, &mut Vec::new())).unwrap_or_else(|| "any".into());
        s.push_str(&format!("- {}: {summary}\n", code(media)));
        if let Some(sch) = schema {
            s.push_str(&writer.body(sch, 2, 1, &mut Vec::new()));
        }
        let lang = if media.contains("json") {
            "json"
        } else if media.contains("yaml") {
            "yaml"
        } else {
            "text"
        };
        let mut shown: Vec<(String, &Value)> = Vec::new();
        if let Some(e) = m.get("example") {
            shown.push((String::new(), e));
        }
        if let Some(Value::Object(named)) = m.get("examples") {
            for (name, e) in named {
                let (e, _) = deref(root, e);
                if let Some(value) = e.get("value") {
                    shown.push((name.clone(), value));
                }
            }
        }
        for (name, value) in shown {
            let label = if name.is_empty() { String::new() } else { format!(" {}", code(&name)) };
            examples.push_str(&format!("*Example {what}{label} ({})*\n\n", text(media)));
            let body = match value {
                Value::String(s) if lang != "json" => s.clone(),
                other => serde_json::to_string_pretty(other).unwrap_or_default(),
            };
            examples.push_str(&fenced(lang, &body));
            examples.push('\n');
        }
    }
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
