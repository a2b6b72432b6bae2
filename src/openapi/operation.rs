//! One operation's section of a tag page (parameters, request body, responses with their media
//! types and examples) and the authentication the document declares.

use super::markdown::{block, code, fenced, one_line, text};
use super::schema::{scalar, SchemaWriter};
use super::spec::deref;
use super::{scalar_str, str_at, Operation};
use serde_json::Value;

/// The security schemes and the requirements that apply to every operation.
pub(super) fn authentication(root: &Value) -> String {
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
pub(super) fn operation_section(o: &Operation<'_>, root: &Value, writer: &SchemaWriter<'_>) -> String {
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
