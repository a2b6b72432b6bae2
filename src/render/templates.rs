//! The theme's templates compiled once (a session renders many builds with the same theme), and
//! tera errors as diagnostics naming the template file with its line and column.

use super::theme::Theme;
use crate::diag::{Code, Diagnostic};
use tera::Tera;

/// Templates every theme must have.
pub const TEMPLATES: &[&str] = &[
    "page.html",
    "section.html",
    "index.html",
    "tags.html",
    "tag.html",
    "all.html",
    "404.html",
    "status.html",
    "runbooks.html",
    "alerts.html",
    "alert.html",
    "print.html",
    "toc.html",
];

/// A theme's templates, compiled once: a session renders many builds with the same theme.
#[derive(Clone)]
pub struct Templates {
    pub(super) tera: Tera,
    pub(super) syntax_css: String,
}

impl Templates {
    pub fn compile(theme: &Theme) -> Result<Templates, Diagnostic> {
        let mut tera = Tera::default();
        // tera's default also escapes `/` (as `&#x2F;`, six bytes for every slash of every URL);
        // HTML needs only `& < > " '` escaped in text and quoted attributes.
        tera.set_escape_fn(crate::markdown::escape_html);
        let mut sources = Vec::new();
        for (name, file) in theme.templates() {
            let text = std::str::from_utf8(&file.bytes).map_err(|_| {
                Diagnostic::error(Code::Template, theme.display_name(name), "template is not valid UTF-8")
            })?;
            sources.push((name.to_string(), text.to_string()));
        }
        tera.add_raw_templates(sources).map_err(|e| template_diag(theme, &e))?;
        for required in TEMPLATES {
            if tera.get_template(required).is_err() {
                return Err(Diagnostic::error(
                    Code::Template,
                    format!("templates/{required}"),
                    "required template is missing from the theme",
                ));
            }
        }
        Ok(Templates { tera, syntax_css: crate::markdown::highlight::stylesheet() })
    }
}

/// A tera error as a diagnostic naming the template file, with line and column when tera gives them.
pub(super) fn template_diag(theme: &Theme, e: &tera::Error) -> Diagnostic {
    use std::error::Error as _;
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    let message = parts.join(": ").replace('\n', " ");
    let template = parts
        .iter()
        .find_map(|p| p.split('\'').nth(1).filter(|n| n.ends_with(".html") || n.ends_with(".xml")).map(String::from))
        .unwrap_or_default();
    let mut d = Diagnostic::error(
        Code::Template,
        if template.is_empty() { "theme".to_string() } else { theme.display_name(&template) },
        message.clone(),
    );
    if let Some(pos) = message.split("--> ").nth(1) {
        let mut it = pos.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
        if let (Some(l), Some(c)) = (it.next().and_then(|s| s.parse().ok()), it.next().and_then(|s| s.parse().ok())) {
            d = d.at(l, c);
        }
    }
    d
}
