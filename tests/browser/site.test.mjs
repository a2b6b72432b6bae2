// The built site as a person uses it: navigation on laptop and phone, theme toggle, lazy nav on
// large sites, copy buttons, a sub-path deployment and opening the site straight from disk.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { serve, launch, requireEnv } from "./harness.mjs";

const basic = requireEnv("FOLIO_BASIC_SITE");
const large = requireEnv("FOLIO_LARGE_SITE");
let browser, basicServer, largeServer;

before(async () => {
  browser = await launch();
  basicServer = await serve(basic, "/docs/");
  largeServer = await serve(large);
});
after(async () => {
  await browser?.close();
  await basicServer?.close();
  await largeServer?.close();
});

test("laptop: sidebar nav marks the current page and the table of contents sits beside the text", async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(basicServer.url + "guide/install/");
  const current = page.locator('.site-nav a[aria-current="page"]');
  assert.equal(await current.textContent(), "Install");
  assert.ok(await current.isVisible());
  const toc = await page.locator(".toc").boundingBox();
  const content = await page.locator(".content").boundingBox();
  assert.ok(toc.x > content.x + content.width - 1, "toc is to the right of the content");
  // Sub-path deployment: following a content link keeps the /docs/ prefix.
  await page.click('.content a:text("usage anchor")');
  assert.equal(new URL(page.url()).pathname, "/docs/guide/usage/");
  assert.equal(new URL(page.url()).hash, "#advanced-usage");
  assert.equal(await page.locator("main h1").textContent(), "Using It");
  await page.close();
});

test("phone: the nav is a drawer opened by the menu button and closed by Escape", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(basicServer.url + "guide/usage/");
  const sidebar = page.locator("#sidebar");
  assert.equal(await sidebar.isVisible(), false, "drawer starts closed");
  await page.click(".nav-toggle");
  await page.waitForFunction(() => {
    const r = document.querySelector("#sidebar").getBoundingClientRect();
    return r.left >= 0 && r.width > 100;
  });
  assert.equal(await page.getAttribute(".nav-toggle", "aria-expanded"), "true");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.body.classList.contains("nav-open"));
  // The table of contents starts folded on a phone.
  assert.equal(await page.locator(".toc details").getAttribute("open"), null);
  // Content does not overflow the screen horizontally.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.close();
});

test("theme toggle switches palettes and is remembered", async () => {
  const context = await browser.newContext({ colorScheme: "light" });
  const page = await context.newPage();
  await page.goto(basicServer.url);
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.click(".theme-toggle");
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  assert.notEqual(await bg(), light);
  await page.reload();
  assert.equal(await page.getAttribute("html", "data-theme"), "dark", "choice survives a reload");
  await context.close();
});

test("code blocks get a copy button", async () => {
  const page = await browser.newPage();
  await page.goto(basicServer.url + "ops/deploy/");
  assert.equal(await page.locator(".code-wrap .copy-button").count(), 1);
  await page.close();
});

test("large sites fill in their nav window and load a section's pages when it is opened", async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(largeServer.url + "s03/p05/");
  // The page carries three sections and seven pages; the shared files add the rest.
  await page.waitForFunction(() => !document.querySelector(".site-nav [data-part]"));
  assert.equal(await page.locator(".site-nav .nav-more").count(), 0);
  assert.equal(await page.locator(".site-nav > ul.nav-tree > li").count(), 20);
  const own = await page.locator('details[data-nav="3"] > ul > li > a').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.equal(own.length, 20);
  assert.equal(own[5], "./");
  assert.equal(own[0], "../../s03/p00/");
  assert.equal(await page.locator('.site-nav a[aria-current="page"]').count(), 1, "the current page keeps its mark");
  const lazy = page.locator('details[data-nav="7"]');
  assert.equal(await lazy.locator("a").count(), 0, "no entries before opening");
  assert.equal(await page.locator('li.nav-group:has(> details[data-nav="7"]) > a').count(), 1, "the section link sits before its disclosure");
  await lazy.locator("summary").click();
  await page.waitForFunction(() => document.querySelectorAll('details[data-nav="7"] a').length > 1);
  const links = await lazy.locator("ul a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.equal(links.length, 20);
  assert.equal(links[3], "../../s07/p03/");
  await lazy.locator("ul a").nth(3).click();
  assert.equal(new URL(page.url()).pathname, "/s07/p03/");
  await page.close();
});

test("a large site's nav fills in when opened from disk", async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(pathToFileURL(path.join(large, "s03", "p05", "index.html")).href);
  await page.waitForFunction(() => !document.querySelector(".site-nav [data-part]"));
  const hrefs = await page.locator('details[data-nav="3"] > ul > li > a').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.equal(hrefs.length, 20);
  assert.equal(hrefs[0], "../../s03/p00/index.html");
  await page.close();
});

test("opened from disk, links between pages still work", async () => {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.join(basic, "index.html")).href);
  await page.click('.content a:text("deploy runbook")');
  assert.ok(page.url().endsWith("/ops/deploy/index.html#rollback"), page.url());
  assert.equal(await page.locator("main h1").textContent(), "Deploy");
  const css = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).position);
  assert.equal(css, "sticky", "stylesheet loaded from disk");
  await page.close();
});
