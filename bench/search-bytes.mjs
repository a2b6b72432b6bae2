// Bytes a browser downloads for a first query, and the query time once loaded, for Folio's
// static index and for Pagefind, over the same built site served on loopback.
// Usage: node bench/search-bytes.mjs SITE_DIR QUERY [QUERY...]
//   SITE_DIR holds a Folio build; Pagefind is measured too when SITE_DIR/pagefind/ exists.
// Bytes are uncompressed bodies; `gzkb` is what they come to gzipped (level 6, one file at a time).
// Needs playwright-core (tests/browser) and Debian's chromium.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { serve, launch } from "../tests/browser/harness.mjs";

const [site, ...queries] = process.argv.slice(2);
const browser = await launch();
const server = await serve(site, "/");

async function measure(engine, q) {
  const page = await browser.newPage();
  let bytes = 0, gzipped = 0;
  const files = [];
  page.on("response", async (r) => {
    try {
      const body = await r.body();
      if (r.url().includes("/pagefind/") || r.url().includes("/_folio/search")) {
        bytes += body.length;
        gzipped += gzipSync(body).length;
        files.push([r.url().replace(server.url, ""), body.length]);
      }
    } catch {}
  });
  await page.goto(server.url + "index.html");
  const result = await page.evaluate(async ({ engine, q }) => {
    if (engine === "pagefind") {
      const pf = await import("/pagefind/pagefind.js");
      await pf.options({});
      let t = performance.now();
      const s = await pf.search(q);
      const data = await Promise.all(s.results.slice(0, 5).map((r) => r.data()));
      const first = performance.now() - t;
      t = performance.now();
      const s2 = await pf.search(q + " ");
      await Promise.all(s2.results.slice(0, 5).map((r) => r.data()));
      return { total: s.results.length, first, warm: performance.now() - t, top: data.map((d) => d.url).slice(0, 3) };
    }
    await new Promise((resolve) => {
      const box = document.querySelector(".search");
      const s = document.createElement("script");
      s.src = box.getAttribute("data-script");
      s.onload = resolve;
      document.head.appendChild(s);
    });
    let t = performance.now();
    const r = await window.folioSearch.search(q, { limit: 10 });
    const first = performance.now() - t;
    t = performance.now();
    await window.folioSearch.search(q, { limit: 10 });
    return { total: r.total, first, warm: performance.now() - t, top: r.results.map((x) => x.url).slice(0, 3) };
  }, { engine, q });
  await page.waitForTimeout(300);
  await page.close();
  if (process.env.SEARCH_FILES) console.error(JSON.stringify(files));
  return { engine, q, ...result, first: +result.first.toFixed(1), warm: +result.warm.toFixed(1), kb: +(bytes / 1024).toFixed(1), gzkb: +(gzipped / 1024).toFixed(1), files: files.length };
}

for (const q of queries) {
  const engines = existsSync(join(site, "pagefind")) ? ["folio", "pagefind"] : ["folio"];
  for (const engine of engines) console.log(JSON.stringify(await measure(engine, q)));
}
await browser.close();
await server.close();
