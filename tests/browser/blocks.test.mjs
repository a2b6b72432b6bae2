// MkDocs content tabs and collapsible callouts as a person uses them (tests/fixtures/mkdocs,
// built by tests/integration/browser.rs): the WAI-ARIA tabs the theme script makes, driven by
// mouse and keyboard; the same tabs with JavaScript off (radio inputs and labels); print.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, requireEnv } from "./harness.mjs";

const site = requireEnv("FOLIO_MKDOCS_SITE");
let browser, server;

before(async () => {
  browser = await launch();
  server = await serve(site);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The visible tab panel's text in the first tab set, and the selected tab's label. */
async function firstSet(page) {
  return page.evaluate(() => {
    const set = document.querySelector(".tabbed-set");
    const shown = [...set.querySelectorAll(":scope > .tabbed-block")].filter((b) => b.offsetParent !== null);
    const selected = set.querySelector('[role="tab"][aria-selected="true"]');
    const active = document.activeElement;
    return {
      shown: shown.map((b) => b.dataset.label),
      selected: selected && selected.textContent,
      focused: active && active.getAttribute("role") === "tab" ? active.textContent : null,
    };
  });
}

test("tabs follow the WAI-ARIA tabs pattern: roles, one selected panel, arrow keys, Home and End", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url + "guide/tabs/");
  const roles = await page.evaluate(() => [...document.querySelectorAll(".tabbed-set")].map((set) => {
    const list = set.querySelector(':scope > [role="tablist"]');
    const tabs = [...list.querySelectorAll('[role="tab"]')];
    const panels = [...set.querySelectorAll(':scope > [role="tabpanel"]')];
    return {
      tabs: tabs.map((t) => t.textContent),
      controls: tabs.every((t, i) => t.getAttribute("aria-controls") === panels[i].id && panels[i].getAttribute("aria-labelledby") === t.id),
      selected: tabs.filter((t) => t.getAttribute("aria-selected") === "true").length,
      tabbable: tabs.filter((t) => t.tabIndex === 0).length,
      hidden: panels.filter((p) => p.hidden).length,
      radios: set.querySelectorAll("input").length,
    };
  }));
  assert.deepEqual(roles.map((r) => r.tabs), [["Python", "Rust", "Shell"], ["Plain", "With a callout"], ["One", "Two"]]);
  for (const r of roles) {
    assert.ok(r.controls, "each tab controls its panel");
    assert.equal(r.selected, 1);
    assert.equal(r.tabbable, 1, "roving tabindex");
    assert.equal(r.hidden, r.tabs.length - 1);
    assert.equal(r.radios, 0, "the radio inputs are replaced");
  }
  assert.deepEqual(await firstSet(page), { shown: ["Shell"], selected: "Shell", focused: null });
  // Keyboard: Tab reaches the selected tab, the arrows move and select, wrapping.
  await page.focus('.tabbed-set [role="tab"][aria-selected="true"]');
  await page.keyboard.press("ArrowRight");
  assert.deepEqual(await firstSet(page), { shown: ["Python"], selected: "Python", focused: "Python" });
  await page.keyboard.press("ArrowLeft");
  assert.equal((await firstSet(page)).selected, "Shell");
  await page.keyboard.press("Home");
  assert.equal((await firstSet(page)).focused, "Python");
  await page.keyboard.press("End");
  assert.equal((await firstSet(page)).selected, "Shell");
  // Tab moves from the tab list into the panel.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("role")), "tabpanel");
  // The mouse.
  await page.click('.tabbed-set [role="tab"]:text("Rust")');
  assert.deepEqual((await firstSet(page)).shown, ["Rust"]);
  await page.close();
});

test("without JavaScript the tabs are radio groups: labels and arrow keys switch the panel", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.url + "guide/tabs/");
  const visible = () => page.evaluate(() =>
    [...document.querySelector(".tabbed-set").querySelectorAll(":scope > .tabbed-block")].filter((b) => b.offsetParent !== null).map((b) => b.dataset.label));
  assert.deepEqual(await visible(), ["Shell"], "`===+` is selected");
  await page.click('.tabbed-set label:text("Python")');
  assert.deepEqual(await visible(), ["Python"]);
  await page.keyboard.press("ArrowRight");
  assert.deepEqual(await visible(), ["Rust"], "the focused radio group answers the arrow keys");
  // A collapsed callout opens with a click on its title.
  await page.goto(server.url + "guide/admonitions/");
  const details = page.locator("details.admonition-question");
  assert.equal(await details.getAttribute("open"), null);
  await details.locator("summary").click();
  assert.equal(await details.getAttribute("open"), "");
  await context.close();
});

test("print shows every tab with its label; phones get no horizontal scroll", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(server.url + "guide/tabs/");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.emulateMedia({ media: "print" });
  const shown = await page.evaluate(() => [...document.querySelectorAll(".tabbed-block")].filter((b) => b.offsetParent !== null).length);
  assert.equal(shown, 7, "all seven panels print");
  const label = await page.evaluate(() => getComputedStyle(document.querySelector(".tabbed-block"), "::before").content);
  assert.equal(label, '"Python"');
  await page.close();
});
