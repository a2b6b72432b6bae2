// Takes phone and laptop screenshots of pages of a built site, for a person to look at.
// Usage: node screenshot.mjs BASE_URL OUT_DIR path1 [path2 ...]
import { chromium } from "playwright-core";

const [base, outDir, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const sizes = { phone: { width: 390, height: 844 }, laptop: { width: 1366, height: 850 } };
for (const scheme of ["light", "dark"]) {
  for (const [name, viewport] of Object.entries(sizes)) {
    const page = await browser.newPage({ viewport, colorScheme: scheme });
    for (const p of paths) {
      await page.goto(base + p);
      const file = `${outDir}/${p.replace(/[^a-z0-9]+/gi, "_") || "home"}-${name}-${scheme}.png`;
      await page.screenshot({ path: file, fullPage: false });
      console.log(file);
    }
    await page.close();
  }
}
await browser.close();
