// Nothing from a document runs: a site whose every front-matter field, heading, alert name,
// owner, status, file name and OpenAPI text holds markup is opened page by page in Chromium with
// a dialog handler (any `alert()` that fires fails the test), and its search box is used with the
// same payloads. Markup written in a page's markdown body is the author's HTML and is not here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve, launch, requireEnv } from "./harness.mjs";

const site = requireEnv("FOLIO_HOSTILE_SITE");
let browser, server;

before(async () => {
  browser = await launch();
  server = await serve(site, "/");
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Every HTML file of the built site, as URL paths. */
function pages(dir, prefix = "") {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) out.push(...pages(path.join(dir, entry.name), rel + "/"));
    else if (entry.name.endsWith(".html")) out.push(rel);
  }
  return out;
}

async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const fired = [];
  page.on("dialog", async (d) => {
    fired.push(d.message());
    await d.dismiss();
  });
  await page.goto(url, { waitUntil: "load" });
  // onerror handlers of broken images and onload of SVGs fire right after load.
  await page.waitForTimeout(150);
  return { page, fired };
}

test("no field of any page runs as script", async () => {
  const all = pages(site);
  assert.ok(all.length >= 15, `expected the whole site, found ${all.length} pages`);
  const fired = [];
  for (const rel of all) {
    const url = server.url + rel.split("/").map(encodeURIComponent).join("/");
    const { page, fired: here } = await open(url);
    fired.push(...here.map((m) => `${rel}: ${m}`));
    await page.close();
  }
  assert.deepEqual(fired, [], "scripts ran from document fields");
});

test("the payloads are shown as text where they land", async () => {
  const { page, fired } = await open(server.url + "plan/");
  // The tab title, the sidebar and the page's title show the markup as characters.
  assert.ok((await page.title()).includes("<script>alert('plan-title')</script>"), await page.title());
  const nav = await page.textContent(".site-nav");
  assert.ok(nav.includes("DB down <img src=x onerror=alert('runbook-title')>"), nav);
  assert.ok((await page.textContent("h1")).includes("{{ config.title }}"), "template syntax stays text");
  await page.close();
  assert.deepEqual(fired, []);
});

test("search results show the payloads as text", async () => {
  const { page, fired } = await open(server.url);
  const input = page.locator("input[type=search]").first();
  for (const query of ["onerror", "alert", "script", "img"]) {
    await input.fill(query);
    await page.waitForSelector("[role=option]", { timeout: 10000 });
    await page.waitForTimeout(150);
  }
  const texts = await page.$$eval("[role=option]", (os) => os.map((o) => o.textContent));
  assert.ok(texts.some((t) => t.includes("<img")), texts.join("\n"));
  await page.close();
  assert.deepEqual(fired, []);
});
