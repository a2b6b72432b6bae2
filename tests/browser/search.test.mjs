// The search box as a person uses it on the built seed site: keyboard shortcuts, results as you
// type, arrow keys and Enter to the right heading with the words marked, filters, a phone
// screen, and the same site opened straight from disk.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { serve, launch, requireEnv } from "./harness.mjs";

const seeds = requireEnv("FOLIO_SEED_SITE");
let browser, server;

before(async () => {
  browser = await launch();
  server = await serve(seeds, "/runbooks/");
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// The results shown for `query` (typing fires queries for partial words first).
async function results(page, query) {
  const list = `.search-results[data-query="${query}"]`;
  await page.waitForSelector(`${list} [role=option]`);
  return page.$$eval(`${list} [role=option]`, (items) =>
    items.map((li) => ({
      title: li.querySelector(".search-title").textContent,
      href: li.getAttribute("href"),
      marks: Array.from(li.querySelectorAll(".search-excerpt mark")).map((m) => m.textContent),
    })),
  );
}

test("laptop: / focuses search, results appear as you type, Enter opens the heading with the words marked", async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(server.url + "001_dfe6328ae9359a90/");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.className), "search-input");
  await page.keyboard.type("pgbouncer", { delay: 20 });
  const found = await results(page, "pgbouncer");
  assert.equal(found.length, 2);
  assert.match(await page.textContent(".search-status"), /^2 results/);
  assert.ok(found.every((r) => r.marks.map((m) => m.toLowerCase()).includes("pgbouncer")), JSON.stringify(found));
  assert.ok(found.some((r) => r.title.includes("Week 8: Performance Optimization › Tasks › Task 1")), JSON.stringify(found));
  // Arrow keys choose; Enter follows to the heading anchor.
  await page.keyboard.press("ArrowDown");
  const chosen = await page.getAttribute(".search-results a[role=option][aria-selected=true]", "href");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  const url = new URL(page.url());
  assert.equal(url.pathname + url.hash, new URL(chosen, server.url + "001_dfe6328ae9359a90/").pathname + new URL(chosen, server.url).hash);
  assert.ok(url.hash.length > 1, "the result links to a heading");
  assert.equal(await page.locator(`[id="${decodeURIComponent(url.hash.slice(1))}"]`).count(), 1);
  await page.waitForSelector("mark.search-hit");
  const marked = await page.$$eval("mark.search-hit", (ms) => ms.map((m) => m.textContent.toLowerCase()));
  assert.ok(marked.length >= 1 && marked.every((m) => m === "pgbouncer"), marked.join());
  await page.close();
});

test("Ctrl-K focuses search; a malformed query gets a message; filters narrow the results", async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(server.url);
  await page.keyboard.press("Control+k");
  await page.keyboard.type('"connection pool', { delay: 10 });
  await page.waitForFunction(() => /never closed/.test(document.querySelector(".search-status").textContent));
  await page.fill(".search-input", "database");
  await page.waitForSelector('.search-results[data-query="database"] [role=option]');
  const all = Number((await page.textContent(".search-status")).split(" ")[0]);
  const statusSelect = page.locator('.search-filters select[aria-label="Filter by status"]');
  assert.equal(await statusSelect.count(), 1, "seeds have statuses to filter by");
  const options = await statusSelect.locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  await statusSelect.selectOption(options[0]);
  await page.waitForFunction((n) => {
    const t = document.querySelector(".search-status").textContent;
    return /result/.test(t) && Number(t.split(" ")[0]) !== n || /No results/.test(t);
  }, all);
  const filtered = await page.textContent(".search-status");
  assert.ok(/No results/.test(filtered) || Number(filtered.split(" ")[0]) < all, `${filtered} vs ${all}`);
  // Escape closes the panel.
  await page.focus(".search-input");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator(".search-panel").isVisible(), false);
  await page.close();
});

test("phone: results fill the screen width without overflow", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(server.url + "000_a72ad1f202ab2083/");
  await page.click(".search-input");
  await page.keyboard.type("redis cache", { delay: 10 });
  const found = await results(page, "redis cache");
  assert.ok(found.length >= 3);
  const panel = await page.locator(".search-panel").boundingBox();
  assert.ok(panel.x >= 0 && panel.x + panel.width <= 390 + 0.5, JSON.stringify(panel));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.close();
});

test("opened from disk (file://), search still loads its index and links to index.html", async () => {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.join(seeds, "index.html")).href);
  await page.click(".search-input");
  await page.keyboard.type("pgbouncer", { delay: 10 });
  const found = await results(page, "pgbouncer");
  assert.equal(found.length, 2);
  assert.ok(found.every((r) => /index\.html\?h=pgbouncer#/.test(r.href)), JSON.stringify(found));
  await Promise.all([page.waitForNavigation(), page.click(".search-results a >> nth=0")]);
  assert.ok(page.url().startsWith("file://") && page.url().includes("index.html"));
  await page.waitForSelector("mark.search-hit");
  await page.close();
});

test("partial matches follow a divider and say so; a typo's word is marked on the page it opens", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.click(".search-input");
  // No section has both words: every result is a partial match, under one divider.
  await page.keyboard.type("pgbouncer lighthouse", { delay: 10 });
  await page.waitForSelector('.search-results[data-query="pgbouncer lighthouse"] [role=option]');
  const shown = await page.$$eval(".search-results > li", (lis) =>
    lis.map((li) => ({ divider: li.classList.contains("search-divider"), partial: li.classList.contains("search-partial"),
      label: li.querySelector(".search-match")?.textContent || null, role: li.getAttribute("role") })));
  assert.equal(shown[0].divider, true, JSON.stringify(shown));
  assert.equal(shown[0].role, "presentation", "the divider is not a result to choose");
  assert.ok(shown.slice(1).every((r) => r.partial && r.label === "Partial match"), JSON.stringify(shown));
  assert.match(await page.textContent(".search-status"), /^No result has every word · \d+ partial match/);
  // A typo: the result marks the corrected word, and so does the page it opens.
  await page.fill(".search-input", "pgbouncr");
  const found = await results(page, "pgbouncr");
  assert.equal(found.length, 2);
  assert.ok(found.every((r) => /[?&]hx=pgbouncer/.test(r.href)), JSON.stringify(found));
  assert.ok(found.every((r) => r.marks.map((m) => m.toLowerCase()).includes("pgbouncer")), JSON.stringify(found));
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await page.waitForSelector("mark.search-hit");
  const marked = await page.$$eval("mark.search-hit", (ms) => ms.map((m) => m.textContent.toLowerCase()));
  assert.ok(marked.length >= 1 && marked.every((m) => m === "pgbouncer"), marked.join());
  await page.close();
});

test("nothing found: suggestions are offered, and choosing one searches for it", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(server.url);
  await page.click(".search-input");
  await page.keyboard.type("tsak ", { delay: 10 });
  await page.waitForSelector(".search-status .search-suggestion");
  const status = await page.textContent(".search-status");
  assert.match(status, /^No results for “tsak ”\. Did you mean task/, status);
  await page.click(".search-status .search-suggestion >> nth=0");
  const found = await results(page, "task");
  assert.ok(found.length >= 1);
  assert.equal(await page.inputValue(".search-input"), "task");
  await page.close();
});
