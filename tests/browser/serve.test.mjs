// `folio serve` in a real browser: edits show up without a manual reload (keeping the scroll
// position), a stylesheet edit swaps the stylesheet without reloading, a build error shows an
// overlay that goes away when fixed, the search box asks the server, and a page reconnects by
// itself after the server restarts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { launch, requireEnv } from "./harness.mjs";

const bin = requireEnv("FOLIO_BIN");
const site = requireEnv("FOLIO_SERVE_SITE");
const shots = process.env.FOLIO_SCREENSHOTS;
const page = path.join(site, "content/guide/install.md");
const original = fs.readFileSync(page, "utf8");
let server, url, browser;

async function start(port = 0) {
  const child = spawn(bin, ["serve", "--quiet", "--port", String(port), "--today", "2026-06-01", "--root", site], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`folio serve exited with ${code}`)));
  });
  return { child, url: line.trim().split(/\s+/).pop() };
}

function stop(s) {
  return new Promise((resolve) => { s.child.once("exit", resolve); s.child.kill(); });
}

before(async () => {
  server = await start();
  url = server.url;
  browser = await launch();
});

after(async () => {
  fs.writeFileSync(page, original);
  await browser?.close();
  if (server) await stop(server);
});

async function open(width, height) {
  const context = await browser.newContext({ viewport: { width, height } });
  const p = await context.newPage();
  await p.goto(url + "guide/install/");
  await p.waitForFunction(() => window.folioLive && window.folioLive.build !== null);
  return p;
}

test("an edit appears without a manual reload, at the same scroll position", async () => {
  const p = await open(1280, 500);
  const longText = original + "\n" + Array.from({ length: 60 }, (_, i) => `Filler paragraph ${i}.`).join("\n\n") + "\n";
  fs.writeFileSync(page, longText);
  await p.waitForFunction(() => document.body.textContent.includes("Filler paragraph 59."));
  await p.evaluate(() => window.scrollTo(0, 900));
  const before = await p.evaluate(() => window.scrollY);
  fs.writeFileSync(page, longText + "\nA sentence typed just now.\n");
  await p.waitForFunction(() => document.body.textContent.includes("A sentence typed just now."));
  await p.waitForFunction((y) => Math.abs(window.scrollY - y) < 5, before);
  // Restore, and wait for that rebuild to reach the page: a late reload must not land in the
  // next test (under load it can come after that test has opened its page).
  fs.writeFileSync(page, original);
  await p.waitForFunction(() => !document.body.textContent.includes("A sentence typed just now."));
  await p.context().close();
});

test("a stylesheet edit swaps the stylesheet without reloading the page", async () => {
  const p = await open(1280, 800);
  await p.evaluate(() => { window.stillThisPage = true; });
  const css = path.join(site, "theme/static/folio.css");
  const sheet = fs.readFileSync(css, "utf8");
  fs.writeFileSync(css, sheet + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n");
  await p.waitForFunction(() => getComputedStyle(document.body).outlineWidth === "7px");
  assert.equal(await p.evaluate(() => window.stillThisPage), true, "the page was reloaded");
  fs.writeFileSync(css, sheet);
  await p.waitForFunction(() => getComputedStyle(document.body).outlineWidth !== "7px");
  await p.context().close();
});

test("a build error shows an overlay with its location until it is fixed", async () => {
  for (const [name, width, height] of [["laptop", 1280, 800], ["phone", 390, 844]]) {
    const p = await open(width, height);
    fs.writeFileSync(page, "---\ntitle: [unclosed\n---\n\nBroken.\n");
    const overlay = p.locator(".folio-live-overlay");
    await overlay.waitFor({ state: "visible" });
    const first = await overlay.locator(".folio-live-error").first().textContent();
    assert.match(first, /^content\/guide\/install\.md:2:\d+: /);
    // The last good page is still there underneath.
    assert.equal(await p.locator("h1").first().textContent(), "Install");
    const box = await overlay.locator("div").first().boundingBox();
    assert.ok(box.width <= width, "the overlay fits the screen");
    if (shots) await p.screenshot({ path: path.join(shots, `serve-error-${name}.png`) });
    fs.writeFileSync(page, original + "\nFixed.\n");
    await overlay.waitFor({ state: "detached" });
    await p.waitForFunction(() => document.body.textContent.includes("Fixed."));
    await p.context().close();
    fs.writeFileSync(page, original);
  }
});

test("the search box is answered by the server", async () => {
  const p = await open(1280, 800);
  await p.keyboard.press("/");
  await p.keyboard.type("download");
  const results = p.locator(".search-results[data-query='download'] li a");
  await results.first().waitFor();
  const href = await results.first().getAttribute("href");
  assert.match(href, /install\//);
  assert.match(await results.first().innerHTML(), /<mark>Download<\/mark>/i);
  await p.context().close();
});

test("a page reconnects by itself after the server restarts and shows what changed meanwhile", async () => {
  const p = await open(1280, 800);
  const port = new URL(url).port;
  await stop(server);
  fs.writeFileSync(page, original + "\nWritten while the server was down.\n");
  server = await start(Number(port));
  await p.waitForFunction(() => document.body.textContent.includes("Written while the server was down."), null, { timeout: 20000 });
  await p.context().close();
  fs.writeFileSync(page, original);
});
