// Screenshots of the search panel with results for a query, at phone and laptop widths, light
// and dark, for a person to look at. Usage: node shot-search.mjs BASE_URL OUT_DIR QUERY
import { chromium } from "playwright-core";

const [base, outDir, query] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
for (const scheme of ["light", "dark"]) {
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme: scheme });
    await page.goto(base);
    const input = page.locator("input[type=search]").first();
    await input.click();
    await input.fill(query);
    await page.waitForSelector("[role=option], .search-status .search-suggestion");
    await page.waitForTimeout(200);
    const file = `${outDir}/search-${query.replace(/[^a-z0-9]+/gi, "_")}-${width}-${scheme}.png`;
    await page.screenshot({ path: file });
    console.log(file);
    await page.close();
  }
}
await browser.close();
