//! `folio init`: scaffold a new site, refusing to overwrite anything.

use crate::app::{Exit, Reporter};
use crate::cli::InitArgs;

const BOOK_TOML: &str = r#"[book]
title = "My Documentation"
description = "Guides, runbooks and plans for my project."
authors = []
language = "en"

[build]
content-dir = "content"
output-dir = "public"
"#;

const INDEX_MD: &str = r#"---
title: My Documentation
description: Start here.
---

Welcome! This site is built with Folio.

- Read [Getting started](getting-started.md) to see what a page can hold.
- Run `folio build` to build the site into `public/`, and `folio check` to validate it.
"#;

const EXAMPLE_MD: &str = r#"---
title: Getting started
description: An example page showing what Folio renders.
weight: 1
tags: [example]
---

## Write pages in markdown

Every `.md` file under `content/` becomes a page; folders become sections.

> [!TIP]
> Link to other pages by their file name, like [the home page](index.md); Folio checks every link.

## Track work

- [x] Create the site
- [ ] Write the first guide

```bash
folio build
```
"#;

pub fn run(args: &InitArgs, reporter: &Reporter) -> Exit {
    let dir = &args.dir;
    let files = [
        (dir.join("book.toml"), BOOK_TOML),
        (dir.join("content").join("index.md"), INDEX_MD),
        (dir.join("content").join("getting-started.md"), EXAMPLE_MD),
    ];
    let existing: Vec<String> =
        files.iter().filter(|(p, _)| p.exists()).map(|(p, _)| p.display().to_string()).collect();
    if !existing.is_empty() {
        reporter.error(&format!("refusing to overwrite existing files: {} (nothing was written)", existing.join(", ")));
        return Exit::UsageOrConfig;
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                reporter.error(&format!("cannot create {}: {e}", parent.display()));
                return Exit::UsageOrConfig;
            }
        }
        // create_new: never clobber a file that appeared since the check above.
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        if let Err(e) = written {
            reporter.error(&format!("cannot write {}: {e}", path.display()));
            return Exit::UsageOrConfig;
        }
    }
    reporter.summary(&format!(
        "created a new site in {}: run `folio build --root {}` to build it",
        dir.display(),
        dir.display()
    ));
    Exit::Success
}
