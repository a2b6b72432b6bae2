//! Theme scripts are written as ES modules (`scripts/*.js` entries importing `scripts/lib/*.js`)
//! so Node tests can import the same files the browser runs; browsers get each entry as one
//! classic script, because module scripts do not load from `file://`. This is the small bundler
//! between the two: each imported module becomes a function scope returning its exports.
//!
//! The module subset it accepts (anything else is an error naming the file and line):
//! `import { a, b as c } from "./x.js";` (relative paths, may span lines) and `export` before
//! `function`, `async function`, `const`, `let` or `class`.

use std::collections::BTreeMap;

/// A bundling problem: the module's path, a line (1-based), what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

/// One module read into parts: its imports and its body with `export` keywords removed.
struct Module {
    imports: Vec<Import>,
    exports: Vec<String>,
    body: String,
}

struct Import {
    /// `(exported name, local name)` pairs.
    names: Vec<(String, String)>,
    /// The imported module's path, resolved against the importer (`scripts/lib/x.js`).
    from: String,
    line: usize,
}

/// Bundles the entry module at `entry` (a key of `files`, e.g. `scripts/search.js`) and
/// everything it imports into one classic script.
pub fn bundle(entry: &str, files: &BTreeMap<String, String>) -> Result<String, BundleError> {
    let mut order: Vec<String> = Vec::new();
    let mut modules: BTreeMap<String, Module> = BTreeMap::new();
    visit(entry, files, &mut Vec::new(), &mut order, &mut modules)?;
    let mut out = String::from("(function () {\n\"use strict\";\n");
    for path in &order {
        let module = &modules[path];
        let imports = import_lines(module);
        if path == entry {
            out.push_str(&imports);
            out.push_str(&module.body);
        } else {
            out.push_str(&format!("const {} = (function () {{\n", binding(path)));
            out.push_str(&imports);
            out.push_str(&module.body);
            out.push_str(&format!("return {{ {} }};\n}})();\n", module.exports.join(", ")));
        }
    }
    out.push_str("})();\n");
    Ok(out)
}

/// Depth-first over imports, so every module comes after the modules it imports.
fn visit(
    path: &str,
    files: &BTreeMap<String, String>,
    stack: &mut Vec<String>,
    order: &mut Vec<String>,
    modules: &mut BTreeMap<String, Module>,
) -> Result<(), BundleError> {
    if modules.contains_key(path) {
        return Ok(());
    }
    let text = files.get(path).ok_or_else(|| BundleError {
        path: stack.last().cloned().unwrap_or_else(|| path.to_string()),
        line: 1,
        message: format!("imports `{path}`, which is not in the theme"),
    })?;
    stack.push(path.to_string());
    let module = parse(path, text)?;
    for import in &module.imports {
        if stack.contains(&import.from) {
            return Err(BundleError {
                path: path.to_string(),
                line: import.line,
                message: format!("import cycle through `{}`", import.from),
            });
        }
        if !files.contains_key(&import.from) {
            return Err(BundleError {
                path: path.to_string(),
                line: import.line,
                message: format!("imports `{}`, which is not in the theme", import.from),
            });
        }
        visit(&import.from.clone(), files, stack, order, modules)?;
    }
    stack.pop();
    order.push(path.to_string());
    modules.insert(path.to_string(), module);
    Ok(())
}

fn parse(path: &str, text: &str) -> Result<Module, BundleError> {
    let mut imports = Vec::new();
    let mut exports = Vec::new();
    let mut body = String::with_capacity(text.len());
    let mut lines = text.lines().enumerate().peekable();
    let err = |line: usize, message: String| BundleError { path: path.to_string(), line: line + 1, message };
    while let Some((n, line)) = lines.next() {
        if line.starts_with("import ") || line == "import" {
            let mut statement = line.to_string();
            while !statement.trim_end().ends_with(';') {
                match lines.next() {
                    Some((_, more)) => {
                        statement.push(' ');
                        statement.push_str(more);
                    }
                    None => return Err(err(n, "an import without its closing `;`".into())),
                }
            }
            let mut import = parse_import(path, &statement).map_err(|m| err(n, m))?;
            import.line = n + 1;
            imports.push(import);
            // Keep line numbers of the module's body close to its source's.
            body.push('\n');
            continue;
        }
        if let Some(rest) = line.strip_prefix("export ") {
            let name = exported_name(rest).ok_or_else(|| {
                err(n, "only `export function|async function|const|let|class NAME` is supported".into())
            })?;
            exports.push(name);
            body.push_str(rest);
        } else {
            body.push_str(line);
        }
        body.push('\n');
    }
    Ok(Module { imports, exports, body })
}

fn parse_import(importer: &str, statement: &str) -> Result<Import, String> {
    let rest = statement.trim().strip_prefix("import").unwrap_or_default().trim_start();
    let (names, from) = rest
        .strip_prefix('{')
        .and_then(|r| r.split_once('}'))
        .ok_or_else(|| "only `import { name, other as local } from \"./file.js\";` is supported".to_string())?;
    let from = from.trim().strip_prefix("from").map(str::trim).unwrap_or_default();
    let from = from.trim_end_matches(';').trim();
    let spec = from
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .or_else(|| from.strip_prefix('\'').and_then(|f| f.strip_suffix('\'')))
        .ok_or_else(|| "the module path must be a quoted string".to_string())?;
    if !spec.starts_with("./") && !spec.starts_with("../") {
        return Err(format!("`{spec}`: only relative module paths (`./x.js`) are supported"));
    }
    let names = names
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| match n.split_once(" as ") {
            Some((a, b)) => (a.trim().to_string(), b.trim().to_string()),
            None => (n.to_string(), n.to_string()),
        })
        .collect();
    Ok(Import { names, from: resolve(importer, spec), line: 0 })
}

/// `scripts/lib/a.js` + `./b.js` -> `scripts/lib/b.js`; `../x.js` goes up one folder.
fn resolve(importer: &str, spec: &str) -> String {
    let mut parts: Vec<&str> = importer.split('/').collect();
    parts.pop();
    for seg in spec.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn exported_name(declaration: &str) -> Option<String> {
    let rest = declaration.strip_prefix("async ").unwrap_or(declaration);
    let rest = ["function* ", "function ", "const ", "let ", "class "].iter().find_map(|k| rest.strip_prefix(k))?;
    let name: String =
        rest.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect();
    (!name.is_empty()).then_some(name)
}

fn import_lines(module: &Module) -> String {
    let mut out = String::new();
    for import in &module.imports {
        let names: Vec<String> = import
            .names
            .iter()
            .map(|(name, local)| if name == local { name.clone() } else { format!("{name}: {local}") })
            .collect();
        out.push_str(&format!("const {{ {} }} = {};\n", names.join(", "), binding(&import.from)));
    }
    out
}

/// The variable a bundled module's exports live in: `scripts/lib/search-engine.js` ->
/// `__module_lib_search_engine`.
fn binding(path: &str) -> String {
    let stem = path.strip_prefix("scripts/").unwrap_or(path).strip_suffix(".js").unwrap_or(path);
    let name: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!("__module_{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
    }

    #[test]
    fn modules_become_scopes_in_dependency_order() {
        let f = files(&[
            ("scripts/app.js", "import { twice, name as label } from \"./lib/b.js\";\nconsole.log(twice(2), label);\n"),
            ("scripts/lib/a.js", "export function one() { return 1; }\n"),
            ("scripts/lib/b.js", "import {\n  one\n} from \"./a.js\";\nexport const name = \"b\";\nexport function twice(x) { return x * 2 * one(); }\n"),
        ]);
        let out = bundle("scripts/app.js", &f).unwrap();
        let a = out.find("const __module_lib_a = (function").unwrap();
        let b = out.find("const __module_lib_b = (function").unwrap();
        assert!(a < b, "{out}");
        assert!(out.contains("const { one } = __module_lib_a;"), "{out}");
        assert!(out.contains("return { name, twice };"), "{out}");
        assert!(
            out.contains("const { twice, name: label } = __module_lib_b;\n\nconsole.log(twice(2), label);"),
            "{out}"
        );
        assert!(!out.contains("export ") && !out.contains("import "), "{out}");
    }

    #[test]
    fn unsupported_forms_missing_files_and_cycles_are_located_errors() {
        let f = files(&[("scripts/app.js", "const a = 1;\nexport default a;\n")]);
        assert_eq!(bundle("scripts/app.js", &f).unwrap_err().line, 2);
        let f = files(&[("scripts/app.js", "import { x } from \"./lib/none.js\";\n")]);
        let e = bundle("scripts/app.js", &f).unwrap_err();
        assert!(e.message.contains("scripts/lib/none.js"), "{e:?}");
        let f = files(&[
            ("scripts/app.js", "import { a } from \"./lib/a.js\";\n"),
            ("scripts/lib/a.js", "import { b } from \"./b.js\";\nexport const a = 1;\n"),
            ("scripts/lib/b.js", "import { a } from \"./a.js\";\nexport const b = 1;\n"),
        ]);
        assert!(bundle("scripts/app.js", &f).unwrap_err().message.contains("cycle"));
        let f = files(&[("scripts/app.js", "import x from \"./lib/a.js\";\n")]);
        assert!(bundle("scripts/app.js", &f).is_err());
    }
}
