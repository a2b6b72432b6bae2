// Accessibility: axe-core (WCAG 2.0/2.1 A and AA, and best practices) over every kind of page
// Folio generates, in light and dark (set by the system and by the theme toggle), on a phone and
// a laptop, and with the search dialog open, the phone menu open, hidden lines shown and diagrams
// drawn. Fails on any serious or critical violation, and on the structural rules below whatever
// their impact.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { serve, launch, requireEnv } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const ALWAYS_FAIL = new Set(["heading-order", "landmark-one-main", "region", "landmark-unique"]);
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

// The built sites, FOLIO_A11Y_<NAME> (tests/integration/browser.rs).
const SITES = Object.fromEntries(
  ["seeds", "basic", "runbooks", "api", "hidden", "mdbook", "diagrams", "mkdocs", "timeline", "taxonomies"].map((n) => [n, requireEnv("FOLIO_A11Y_" + n.toUpperCase())]),
);

// Every page kind, as [site, path, kind]. The seed site's own pages are all of them.
function seedPages(dir) {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "index.html")) && !["_folio", "all", "tags", "status"].includes(e.name))
    .map((e) => ["seeds", e.name + "/", "seed page (task lists, tables, code)"]);
}
const PAGES = () => [
  ["seeds", "", "home"],
  ...seedPages(SITES.seeds),
  ["seeds", "status/", "status dashboard with progress over time"],
  ["seeds", "all/", "A-Z index"],
  ["seeds", "tags/", "tag index"],
  ["seeds", "404.html", "404"],
  ["basic", "guide/", "section index"],
  ["basic", "guide/install/", "guide page"],
  ["basic", "tags/ops/", "tag page"],
  ["basic", "ops/deploy/", "page with code and copy button"],
  ["basic", "runbooks/", "runbook index"],
  ["runbooks", "runbooks/", "alert runbook index"],
  ["runbooks", "runbooks/alerts/PaymentsHigh5xxRate/", "alert page"],
  ["runbooks", "alerts/etcd/etcdHighNumberOfFailedGRPCRequests.html", "runbook page (mdBook layout)"],
  ["api", "api/pets/", "API reference index"],
  ["api", "api/pets/pets/", "API operations"],
  ["api", "api/pets/schemas/pet/", "API schema"],
  ["hidden", "", "page with hidden lines"],
  ["mdbook", "ch01/hidden.html", "mdBook chapter with hidden lines"],
  ["mdbook", "toc.html", "mdBook table of contents"],
  ["mdbook", "print.html", "mdBook print page"],
  ["diagrams", "runbooks/payment-failover/", "runbook with Mermaid diagrams"],
  ["diagrams", "slo/", "math"],
  ["mkdocs", "guide/admonitions/", "callouts"],
  ["mkdocs", "guide/tabs/", "content tabs"],
  ["timeline", "status/", "dashboard with timeline and owner charts"],
  ["taxonomies", "function/", "taxonomy index"],
  ["taxonomies", "function/backend/", "taxonomy term"],
];

// Colour scheme and width: by the system's preference, and by the toggle from the other one.
const MODES = [
  { name: "light 1280", scheme: "light", width: 1280 },
  { name: "dark 1280", scheme: "dark", width: 1280 },
  { name: "light 390", scheme: "light", width: 390 },
  { name: "dark 390", scheme: "dark", width: 390 },
  { name: "toggled dark 1280", scheme: "light", width: 1280, toggle: "dark" },
  { name: "toggled light 390", scheme: "dark", width: 390, toggle: "light" },
];

let browser;
const servers = {};
before(async () => {
  browser = await launch();
  for (const [name, dir] of Object.entries(SITES)) servers[name] = await serve(dir);
});
after(async () => {
  await browser?.close();
  for (const s of Object.values(servers)) await s.close();
});

/** What the page is waiting for before it is checked: drawn diagrams, filled nav windows. */
async function settle(page) {
  await page.waitForLoadState("load");
  await page.waitForFunction(
    () => [...document.querySelectorAll(".diagram")].every((d) => d.hasAttribute("data-state")),
    null,
    { timeout: 30000 },
  );
}

/** axe's verdict on the page as it is now: the violations that fail the suite. */
async function audit(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: AXE });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }), TAGS);
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical" || ALWAYS_FAIL.has(v.id))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\n").slice(1, 2).join(" ").trim()).join("; ")}${v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : ""}`);
}

/** A page in `mode`: the colour scheme set, the toggle clicked where the mode says so. */
async function openIn(context, mode, site, rel) {
  const page = await context.newPage();
  const response = await page.goto(servers[site].url + rel);
  assert.ok(response, `${site}/${rel} loads`);
  if (mode.toggle) {
    const theme = await page.getAttribute("html", "data-theme");
    if (theme !== mode.toggle) {
      await page.click(".theme-toggle");
      assert.equal(await page.getAttribute("html", "data-theme"), mode.toggle, "the toggle switched the theme");
    }
  }
  await settle(page);
  return page;
}

for (const mode of MODES) {
  test(`every page kind passes axe: ${mode.name}`, async () => {
    const context = await browser.newContext({ colorScheme: mode.scheme, viewport: { width: mode.width, height: 900 } });
    const failures = [];
    for (const [site, rel, kind] of PAGES()) {
      const page = await openIn(context, mode, site, rel);
      for (const v of await audit(page)) failures.push(`${site}/${rel} (${kind}): ${v}`);
      await page.close();
    }
    await context.close();
    assert.deepEqual(failures, [], failures.join("\n"));
  });
}

// Interactive states, in both schemes and at both widths.
const STATES = [
  {
    name: "search dialog open with results",
    site: "seeds",
    rel: "",
    async act(page) {
      await page.click(".search-input");
      await page.keyboard.type("database", { delay: 10 });
      await page.waitForSelector('.search-results[data-query="database"] [role=option]');
      await page.waitForFunction(() => document.querySelector(".search-filters select"));
    },
  },
  {
    name: "phone menu open",
    site: "basic",
    rel: "guide/install/",
    widths: [390],
    async act(page) {
      await page.click(".nav-toggle");
      await page.waitForFunction(() => document.querySelector("#sidebar").getBoundingClientRect().left >= 0);
    },
  },
  {
    name: "hidden lines shown",
    site: "hidden",
    rel: "",
    async act(page) {
      const toggles = page.locator(".lines-toggle");
      assert.ok((await toggles.count()) > 0, "the page has hidden lines");
      for (let i = 0; i < (await toggles.count()); i++) await toggles.nth(i).click();
      assert.equal(await page.locator(".hide-boring").count(), 0);
    },
  },
  {
    name: "hidden lines shown in an mdBook chapter",
    site: "mdbook",
    rel: "ch01/hidden.html",
    widths: [390],
    async act(page) {
      await page.locator(".lines-toggle").first().click();
      assert.equal(await page.locator(".lines-toggle").first().getAttribute("aria-pressed"), "true");
    },
  },
  {
    name: "diagrams drawn",
    site: "diagrams",
    rel: "runbooks/payment-failover/",
    async act(page) {
      const states = await page.$$eval(".diagram", (ds) => ds.map((d) => d.getAttribute("data-state")));
      assert.ok(states.includes("drawn"), JSON.stringify(states));
    },
  },
  {
    name: "sidebar group opened",
    site: "basic",
    rel: "guide/install/",
    widths: [1280],
    async act(page) {
      const group = page.locator('li.nav-group:has(> a[href="../../ops/"]) > details');
      await group.locator("> summary").click();
      assert.equal(await group.evaluate((d) => d.open), true);
    },
  },
];

for (const state of STATES) {
  test(`passes axe with ${state.name}`, async () => {
    const failures = [];
    for (const scheme of ["light", "dark"]) {
      for (const width of state.widths || [390, 1280]) {
        const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
        const page = await openIn(context, { scheme, width }, state.site, state.rel);
        await state.act(page);
        for (const v of await audit(page)) failures.push(`${scheme} ${width}: ${v}`);
        await context.close();
      }
    }
    assert.deepEqual(failures, [], failures.join("\n"));
  });
}

test("the language comes from book.toml and every page has one main and labelled navigation", async () => {
  const page = await browser.newPage();
  for (const [site, rel, lang] of [["seeds", "", "en-GB"], ["seeds", "status/", "en-GB"], ["basic", "guide/install/", "en"], ["api", "api/pets/pets/", "en"]]) {
    await page.goto(servers[site].url + rel);
    assert.equal(await page.getAttribute("html", "lang"), lang);
    assert.equal(await page.locator("main").count(), 1);
    const unnamed = await page.$$eval("nav, aside", (ls) => ls.filter((l) => !l.getAttribute("aria-label") && !l.getAttribute("aria-labelledby")).length);
    assert.equal(unnamed, 0, `${site}/${rel}: every nav region is named`);
  }
  await page.close();
});
