// The keyboard alone: the skip link is the first stop and lands in the content, the search
// dialog keeps focus while open and gives it back on Escape, the phone menu and the sidebar's
// groups open and close from the keyboard, and every control shows where focus is.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, requireEnv } from "./harness.mjs";

const seeds = requireEnv("FOLIO_A11Y_SEEDS");
const basic = requireEnv("FOLIO_A11Y_BASIC");
let browser, seedServer, basicServer;

before(async () => {
  browser = await launch();
  seedServer = await serve(seeds);
  basicServer = await serve(basic);
});
after(async () => {
  await browser?.close();
  await seedServer?.close();
  await basicServer?.close();
});

const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e ? (e.id ? "#" + e.id : "") + "." + [...e.classList].join(".") + " " + e.tagName + " " + (e.getAttribute("href") || "") : "";
});

test("the skip link is the first stop, shows when focused and moves focus to the content", async () => {
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.goto(basicServer.url + "guide/install/");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
    const box = await page.locator(".skip-link").boundingBox();
    assert.ok(box && box.x >= 0 && box.y >= 0 && box.x < width, `the focused skip link is on screen at ${width}px: ${JSON.stringify(box)}`);
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.id), "main");
    // The next Tab goes on from the content, not back to the header.
    await page.keyboard.press("Tab");
    assert.ok(await page.evaluate(() => document.querySelector("main").contains(document.activeElement)), await focused(page));
    await page.close();
  }
});

test("the search dialog keeps focus while open, closes with Escape and gives focus back", async () => {
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.goto(seedServer.url);
    // Something else on the page has focus when the reader presses `/`.
    const opener = page.locator(".site-title");
    await opener.focus();
    const openerHref = await opener.getAttribute("href");
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement.className), "search-input");
    await page.keyboard.type("database", { delay: 10 });
    await page.waitForSelector('.search-results[data-query="database"] [role=option]');
    assert.equal(await page.getAttribute(".search-input", "aria-expanded"), "true");
    // Tab and Shift-Tab stay within the input and the panel.
    const inside = () => page.evaluate(() => document.querySelector(".search").contains(document.activeElement));
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press("Tab");
      assert.ok(await inside(), `Tab ${i + 1} left the search dialog for ${await focused(page)}`);
    }
    await page.locator(".search-input").focus();
    await page.keyboard.press("Shift+Tab");
    assert.ok(await inside(), "Shift-Tab from the input wraps to the panel's last control");
    assert.notEqual(await page.evaluate(() => document.activeElement.className), "search-input");
    // Escape from inside the panel closes it and returns focus to the link that had it.
    await page.keyboard.press("Escape");
    assert.equal(await page.isVisible(".search-panel"), false);
    assert.equal(await page.getAttribute(".search-input", "aria-expanded"), "false");
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), openerHref);
    await page.close();
  }
});

test("phone: the menu opens from the keyboard with focus in it, and Escape closes it back to its button", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
  await page.goto(basicServer.url + "guide/install/");
  await page.locator(".nav-toggle").focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.body.classList.contains("nav-open"));
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-current")), "page", await focused(page));
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.querySelector("#sidebar").contains(document.activeElement)));
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.body.classList.contains("nav-open"));
  assert.equal(await page.evaluate(() => document.activeElement.className), "nav-toggle");
  await page.close();
});

test("laptop: a sidebar group opens and closes from the keyboard", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(basicServer.url + "guide/install/");
  const group = page.locator('li.nav-group:has(> a[href="../../ops/"]) > details');
  assert.equal(await group.evaluate((d) => d.open), false);
  const summary = group.locator("> summary");
  await summary.focus();
  assert.equal(await summary.getAttribute("aria-label"), "Ops");
  await page.keyboard.press("Enter");
  assert.equal(await group.evaluate((d) => d.open), true);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), "../../ops/alpha/", await focused(page));
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Space");
  assert.equal(await group.evaluate((d) => d.open), false);
  await page.close();
});

test("every kind of control looks different when it has keyboard focus", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(basicServer.url + "ops/deploy/");
  const controls = [".skip-link", ".site-title", ".theme-toggle", ".search-input", ".site-nav a", ".site-nav summary", ".nav-extra a", ".breadcrumbs a", ".content a", ".content pre", ".copy-button", ".toc a", ".pager a"];
  const look = (sel) => page.$eval(sel, (e) => {
    const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.opacity, s.left].join("|");
  });
  // Focus follows the keyboard, so :focus-visible applies as it does for a reader pressing Tab.
  await page.keyboard.press("Tab");
  const same = [];
  for (const sel of controls) {
    assert.ok(await page.locator(sel).count(), `the page has ${sel}`);
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    const before = await look(sel);
    await page.$eval(sel, (e) => e.focus());
    assert.ok(await page.$eval(sel, (e) => e === document.activeElement), `${sel} takes focus`);
    const after = await look(sel);
    if (before === after) same.push(`${sel}: ${after}`);
  }
  assert.deepEqual(same, [], "controls whose focus is invisible:\n" + same.join("\n"));
  await page.close();
});

test("with reduced motion asked for, nothing slides or fades", async () => {
  const context = await browser.newContext({ reducedMotion: "reduce", viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.goto(basicServer.url + "guide/install/");
  const durations = await page.evaluate(() =>
    [".sidebar", ".site-nav summary", ".copy-button, .anchor"].map((sel) => {
      const e = document.querySelector(sel);
      return e ? getComputedStyle(e).transitionDuration + " " + getComputedStyle(e, "::before").transitionDuration : "none";
    }));
  assert.ok(durations.every((d) => d === "none" || d.split(/[ ,]+/).every((t) => t === "0s")), JSON.stringify(durations));
  await context.close();
  // Without the setting, the drawer does slide: the check above can tell the difference.
  const moving = await browser.newPage({ viewport: { width: 390, height: 800 } });
  await moving.goto(basicServer.url + "guide/install/");
  assert.notEqual(await moving.evaluate(() => getComputedStyle(document.querySelector(".sidebar")).transitionDuration), "0s");
  await moving.close();
});
