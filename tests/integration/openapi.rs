//! API references generated from OpenAPI documents: the pages and their nav, operations with
//! parameters, bodies and responses, schemas with back-links (cycles included), 3.1 `oneOf`,
//! `api:` links, the status of deprecated operations, search, and diagnostics for bad specs.

use crate::support::*;
use serde_json::Value;

/// The fixture without its two broken specs and broken link (their problems would be reported
/// as warnings, which is fine for a build, but the tests below look at a clean site).
fn clean() -> TestSite {
    let site = TestSite::fixture("api");
    std::fs::remove_file(site.path("content/api/broken.yaml")).unwrap();
    std::fs::remove_file(site.path("content/api/old.yaml")).unwrap();
    let index = std::fs::read_to_string(site.path("content/index.md")).unwrap();
    site.write("content/index.md", &index.replace("[delete](api:deleteUsr)", "delete"));
    site
}

#[test]
fn bad_specs_are_located_by_json_pointer_and_the_rest_still_builds() {
    let site = TestSite::fixture("api");
    let r = site.run(&["check", "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let diags: Vec<(String, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap().to_string(), d["message"].as_str().unwrap().to_string()))
        .collect();
    let has = |path: &str, needle: &str| {
        assert!(diags.iter().any(|(p, m)| p == path && m.contains(needle)), "no `{needle}` for {path} in {diags:#?}")
    };
    has("content/api/broken.yaml", "(at `/paths/~1things/get/responses/200/content/application~1json/schema/$ref`)");
    has("content/api/broken.yaml", "missing `info.title`");
    has("content/api/broken.yaml", "operation has no `responses` (at `/paths/~1things/post`)");
    has("content/api/broken.yaml", "operationId `listThings` is also used at `/paths/~1things/get`");
    has("content/api/old.yaml", "Swagger 2.0 documents are not supported");
    has("content/index.md", "link to `api:deleteUsr`: no API operation has the operationId `deleteUsr`");
    // A cycle of references with no definition in it, reported once at its first use.
    has("content/api/graph.yaml", "is a cycle of references that never reaches a definition (#/components/schemas/");
    // Only the spec problems and the typo: generated pages link only where targets exist.
    assert_eq!(diags.len(), 7, "{diags:#?}");

    // `folio build` warns and publishes everything else.
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("content/api/old.yaml"), "{}", r.stderr);
    assert!(site.exists("api/shop/users/index.html"));
    assert!(!site.exists("api/old/index.html"), "an unsupported document makes no pages");
}

#[test]
fn operations_are_rendered_with_parameters_bodies_responses_and_examples() {
    let site = clean();
    site.build();
    let doc = site.html("api/shop/users/index.html");
    let headings: Vec<String> =
        texts(&doc, ".content h2").iter().map(|t| t.trim_end_matches('#').trim().to_string()).collect();
    assert_eq!(
        headings,
        vec![
            "GET /users List users",
            "POST /users Create a user",
            "GET /users/{id} Get a user",
            "GET /v1/users List users (version 1)"
        ],
        "operations in document order"
    );
    assert_eq!(attrs(&doc, ".content h2", "id"), vec!["listUsers", "createUser", "getUser", "listUsersV1"]);
    // Path-level parameters (through a $ref) apply to the operation.
    let get_user = section_text(&doc, "getUser");
    assert!(get_user.contains("id path string yes The user's id."), "{get_user}");
    assert!(get_user.contains("404 No such thing."), "a response $ref is resolved: {get_user}");
    let list = section_text(&doc, "listUsers");
    assert!(list.contains("At most this many | per page."), "pipes in descriptions survive tables: {list}");
    assert!(list.contains("next string or null"), "{list}");
    let create = section_text(&doc, "createUser");
    assert!(create.contains("Request body (required)"), "{create}");
    assert!(create.contains("Example request minimal (application/json)"), "{create}");
    assert!(text(&all(&doc, "h2#createUser ~ pre code")[0]).contains("\"email\": \"ada@example.com\""));
    let old = section_text(&doc, "listUsersV1");
    assert!(old.contains("Deprecated") && old.contains("Status : deprecated"), "{old}");
    assert!(old.contains("Authentication : no authentication"), "{old}");
    // Schemas link to their pages.
    assert!(attrs(&doc, ".content a", "href").contains(&"../schemas/user/".to_string()));
    // The method badge is HTML Folio wrote, not text from the spec.
    assert_eq!(texts(&doc, ".api-method"), vec!["GET", "POST", "GET", "GET"]);
}

/// The text of an operation's section: its heading to the next `h2`.
fn section_text(doc: &scraper::Html, id: &str) -> String {
    let heading = one(doc, &format!("h2#{id}"));
    let mut out = String::new();
    let mut node = heading.next_sibling();
    while let Some(n) = node {
        if let Some(e) = scraper::ElementRef::wrap(n) {
            if e.value().name() == "h2" {
                break;
            }
            out.push_str(&e.text().collect::<Vec<_>>().join(" "));
            out.push(' ');
        }
        node = n.next_sibling();
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn overview_lists_servers_authentication_and_operations() {
    let site = clean();
    site.build();
    let doc = site.html("api/shop/index.html");
    assert_eq!(text(&one(&doc, "h1")), "Shop API");
    let content = text(&one(&doc, ".content"));
    for needle in [
        "https://api.shop.example/v2: Production",
        "bearer: HTTP bearer authentication. A token from the dashboard.",
        "apiKey: API key in the header X-Api-Key",
        "Every operation requires bearer unless it says otherwise.",
        "Version: 2.1.0",
    ] {
        assert!(content.contains(needle), "`{needle}` in {content}");
    }
    assert!(attrs(&doc, ".content a", "href").contains(&"../shop.yaml".to_string()), "the spec is downloadable");
    assert!(site.exists("api/shop.yaml"));
    // Description headings stay out of the outline.
    assert!(!texts(&doc, ".content h2").iter().any(|h| h.contains("Conventions")));
    // Nav: the spec's pages sit in the API folder, tags in declared order.
    let nav: Vec<String> = texts(&doc, ".site-nav a");
    let shop = nav.iter().position(|t| t == "Shop API").unwrap();
    assert_eq!(&nav[shop + 1..shop + 5], &["Users", "Orders", "Other operations", "Schemas"]);
}

#[test]
fn schemas_have_pages_with_back_links_and_cycles_do_not_loop() {
    let site = clean();
    site.build();
    let user = site.html("api/shop/schemas/user/index.html");
    let used_by: Vec<String> = texts(&user, "#used-by + ul li");
    assert_eq!(
        used_by,
        vec![
            "GET /users List users",
            "POST /users Create a user",
            "GET /users/{id} Get a user",
            "POST /orders Place an order"
        ],
        "direct and through Order"
    );
    assert_eq!(attrs(&user, "#used-by + ul a", "href")[0], "../../users/#listUsers");
    let node = site.html("api/graph/schemas/node/index.html");
    let items = texts(&node, ".content > ul:first-of-type > li");
    assert_eq!(items, vec!["id string", "parent Node", "children array of Node", "edges array of Edge"]);
    assert_eq!(attrs(&node, ".content > ul:first-of-type a", "href"), vec!["./", "./", "../edge/"]);
    // A schema that is only a reference to itself, through another.
    let alias = text(&one(&site.html("api/graph/schemas/alias/index.html"), ".content"));
    assert!(alias.contains("Type: Loop"), "{alias}");
    // 3.1: type lists and oneOf.
    let pet = text(&one(&site.html("api/pets/schemas/pet/index.html"), ".content"));
    assert!(pet.contains("Type: one of: Cat, Dog"), "{pet}");
    let pets = section_text(&site.html("api/pets/pets/index.html"), "getPet");
    assert!(pets.contains("petId path string or null yes"), "{pets}");
}

#[test]
fn api_links_deprecated_status_and_search() {
    let site = clean();
    site.build();
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, ".content a", "href"),
        vec!["api/shop/users/#createUser", "api/shop/users/#getUser", "api/shop/users/#listUsersV1"]
    );
    // Status: the deprecated operation and the x-status one.
    let r = site.run(&["status", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let status: Value = serde_json::from_str(&r.stdout).unwrap();
    let items: Vec<(String, String)> = status["pages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["items"].as_array().cloned().unwrap_or_default())
        .map(|i| (i["title"].as_str().unwrap_or("").to_string(), i["status"].as_str().unwrap_or("").to_string()))
        .collect();
    assert!(items.contains(&("GET /v1/users List users (version 1)".into(), "deprecated".into())), "{items:?}");
    assert!(items.contains(&("POST /orders Place an order".into(), "in-progress".into())), "{items:?}");
    // Search by method and path, and by operationId.
    for (query, url) in
        [("GET /users/{id}", "api/shop/users/#getUser"), ("createOrder", "api/shop/orders/#createOrder")]
    {
        let r = site.run(&["search", "--format", "json", query]);
        let hits = search_results(r.stdout.as_bytes());
        assert_eq!(hits.first().map(|h| h["url"].as_str().unwrap()), Some(url), "{query}: {hits:#?}");
    }
    crate::static_search::assert_agreement(&site, &["GET /users/{id}", "createOrder", "deprecated"]);
}

#[test]
fn a_spec_listed_in_book_toml_is_published_from_outside_the_content_folder() {
    let site = TestSite::empty();
    let api = TestSite::fixture("api");
    std::fs::create_dir_all(site.path("service")).unwrap();
    std::fs::copy(api.path("content/api/shop.yaml"), site.path("service/shop.yaml")).unwrap();
    site.write("service/notes.yaml", "title: not a spec\n");
    site.write(
        "book.toml",
        "[book]\ntitle = \"Listed\"\n\n[api]\nspecs = [\"service/shop.yaml\", \"service/missing.yaml\", \"service/notes.yaml\"]\n",
    );
    site.write("content/index.md", "# Home\n\nSee [get a user](api:getUser).\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("service/missing.yaml: warning: cannot read this document listed in `[api] specs`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("service/notes.yaml: warning: listed in `[api] specs` but not an OpenAPI document"),
        "{}",
        r.stderr
    );
    assert_eq!(attrs(&site.html("index.html"), ".content a", "href"), vec!["api/shop/users/#getUser"]);
    assert_eq!(text(&one(&site.html("api/shop/index.html"), "h1")), "Shop API");
    assert!(site.exists("api/shop.yaml"), "the document is published beside its pages");
    assert!(!site.exists("api/missing.yaml") && !site.exists("api/shop/schemas/missing/index.html"));
    // `folio check` treats the unreadable document like a broken link: an error.
    assert_eq!(site.run(&["check"]).code, 1);
}
