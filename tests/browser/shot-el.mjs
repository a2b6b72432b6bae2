// Screenshots of one element of a page at phone and laptop widths, light and dark, for a person
// to look at. Usage: node shot-el.mjs BASE_URL OUT_DIR PATH CSS_SELECTOR [WIDTH ...]
import { chromium } from "playwright-core";

const [base, outDir, path, selector, ...widthArgs] = process.argv.slice(2);
const widths = widthArgs.length ? widthArgs.map(Number) : [390, 1280];
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
for (const scheme of ["light", "dark"]) {
  for (const width of widths) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
    await page.goto(base + path);
    const element = page.locator(selector).first();
    const name = `${path.replace(/[^a-z0-9]+/gi, "_") || "home"}-${selector.replace(/[^a-z0-9]+/gi, "_")}-${width}-${scheme}.png`;
    await element.screenshot({ path: `${outDir}/${name}` });
    console.log(`${outDir}/${name}`);
    await page.close();
  }
}
await browser.close();
