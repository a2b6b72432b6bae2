// Diagrams and math in a real browser: Mermaid draws each ```mermaid block in place of its
// source (from a server and from disk), follows the theme toggle and the system's colour scheme,
// keeps a broken diagram's source with Mermaid's message; MathML written at build time lays out.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { serve, launch, requireEnv } from "./harness.mjs";

const site = requireEnv("FOLIO_DIAGRAM_SITE");
const RUNBOOK = "runbooks/payment-failover/";
let browser, server;

before(async () => {
  browser = await launch();
  server = await serve(site, "/docs/");
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Waits until every diagram is drawn or has failed, and returns their states. */
async function settled(page) {
  await page.waitForFunction(
    () => [...document.querySelectorAll(".diagram")].every((d) => d.hasAttribute("data-state")),
    null,
    { timeout: 30000 },
  );
  return page.$$eval(".diagram", (ds) => ds.map((d) => d.getAttribute("data-state")));
}

function drawnThemes(page) {
  return page.$$eval('.diagram[data-state="drawn"]', (ds) => ds.map((d) => d.getAttribute("data-drawn-theme")));
}

test("diagrams: an SVG replaces the source, labelled for screen readers; a broken one keeps its source", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url + RUNBOOK);
  assert.deepEqual(await settled(page), ["drawn", "drawn", "error"]);
  const drawn = await page.$$eval(".diagram", (ds) =>
    ds.map((d) => {
      const svg = d.querySelector(".diagram-drawing svg");
      const source = d.querySelector(".diagram-source");
      const box = svg && svg.getBoundingClientRect();
      return {
        role: svg && svg.getAttribute("role"),
        label: svg && svg.getAttribute("aria-label"),
        size: box ? [box.width, box.height] : null,
        sourceShown: !!source.offsetParent,
        error: (d.querySelector(".diagram-error:not([hidden])") || {}).textContent || "",
      };
    }),
  );
  // The sequence diagram's accTitle names it; the flowchart has none.
  assert.equal(drawn[0].role, "img");
  assert.equal(drawn[0].label, "Card payment through the primary gateway");
  assert.equal(drawn[1].role, "img");
  assert.equal(drawn[1].label, "Diagram");
  for (const d of drawn.slice(0, 2)) {
    assert.ok(d.size[0] > 200 && d.size[1] > 100, `drawn at ${d.size}`);
    assert.equal(d.sourceShown, false, "the source is hidden once drawn");
  }
  // The broken one: source visible, Mermaid's message above it, no drawing.
  assert.equal(drawn[2].size, null);
  assert.equal(drawn[2].sourceShown, true);
  assert.match(drawn[2].error, /could not be drawn/);
  assert.match(drawn[2].error, /Parse error on line \d+/);
  // Mermaid's scratch elements are cleaned up, and nothing threw.
  assert.equal(await page.locator("body > [id^='dfolio-diagram-']").count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("diagrams: the theme toggle draws them again in Mermaid's dark theme, and back", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
  await page.goto(server.url + RUNBOOK);
  await settled(page);
  assert.deepEqual(await drawnThemes(page), ["light", "light"]);
  const lightSvg = await page.locator(".diagram-drawing svg").first().innerHTML();
  await page.click(".theme-toggle");
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.diagram[data-state="drawn"]')].every((d) => d.getAttribute("data-drawn-theme") === "dark"),
  );
  const darkSvg = await page.locator(".diagram-drawing svg").first().innerHTML();
  assert.notEqual(darkSvg, lightSvg, "drawn again with other colours");
  // Mermaid's dark theme: the participant boxes are dark.
  const fill = await page.locator(".diagram-drawing svg rect.actor").first().evaluate((r) => getComputedStyle(r).fill);
  const [red, green, blue] = fill.match(/\d+/g).map(Number);
  assert.ok(red + green + blue < 3 * 128, `participant fill ${fill} is dark`);
  await page.click(".theme-toggle");
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.diagram[data-state="drawn"]')].every((d) => d.getAttribute("data-drawn-theme") === "light"),
  );
  await page.close();
});

test("diagrams: with no choice made they follow the system's colour scheme, also when it changes", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
  await page.goto(server.url + RUNBOOK);
  await settled(page);
  assert.deepEqual(await drawnThemes(page), ["dark", "dark"]);
  await page.emulateMedia({ colorScheme: "light" });
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.diagram[data-state="drawn"]')].every((d) => d.getAttribute("data-drawn-theme") === "light"),
  );
  await page.close();
});

test("diagrams: drawn from disk (file://), and a phone scrolls a wide one rather than the page", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(pathToFileURL(path.join(site, RUNBOOK, "index.html")).href);
  assert.deepEqual(await settled(page), ["drawn", "drawn", "error"]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.close();
});

test("math: MathML written at build time lays out, with no script", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url + "slo/");
  const boxes = await page.$$eval(".content math", (ms) =>
    ms.map((m) => {
      const r = m.getBoundingClientRect();
      return { block: m.getAttribute("display") === "block", width: r.width, height: r.height };
    }),
  );
  assert.equal(boxes.length, 6);
  for (const b of boxes) assert.ok(b.width > 5 && b.height > 5, `math laid out at ${b.width}x${b.height}`);
  // A fraction stacks: taller than a line of text.
  const fraction = await page.locator(".content math[display=block] mfrac").first().boundingBox();
  const line = await page.locator(".content p").first().evaluate((p) => parseFloat(getComputedStyle(p).lineHeight));
  assert.ok(fraction.height > line, `fraction ${fraction.height}px, line ${line}px`);
  // Display math is centred in the column.
  const block = await page.locator(".content math[display=block] mfrac").nth(0).evaluate((f) => {
    const m = f.closest("math").getBoundingClientRect();
    const r = f.getBoundingClientRect();
    return { left: r.left - m.left, right: m.right - r.right };
  });
  assert.ok(block.left > 50 && block.right > 50, `centred: ${JSON.stringify(block)}`);
  assert.equal(await page.locator("script[src*=math]").count(), 0);
  await page.close();
});

test("math: on a phone a long equation scrolls inside itself, the page does not", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(server.url + "slo/");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  const long = await page.locator(".content math[display=block]").nth(2).evaluate((m) => [m.scrollWidth, m.clientWidth]);
  assert.ok(long[0] > long[1], `the long equation scrolls: ${long}`);
  await page.close();
});
