// Runs axe-core's WCAG 2.2 A and AA rules over pages in Debian's Chromium.
//
//   node axe.mjs BASE_URL OUTPUT_DIR PATH...
//
// For each PATH: loads BASE_URL + PATH in a fresh headless Chromium (no
// network beyond loopback, no profile of anyone's), runs axe-core in the
// page, prints every violation with the elements it concerns, and keeps
// a full-page screenshot in OUTPUT_DIR. Exits 1 when any page has a
// violation, 2 when a page cannot be loaded.

import { mkdtempSync, rmSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

const [base, outputDir, ...paths] = process.argv.slice(2);
if (!base || !outputDir || paths.length === 0) {
  console.error("usage: node axe.mjs BASE_URL OUTPUT_DIR PATH...");
  process.exit(2);
}
mkdirSync(outputDir, { recursive: true });

const profile = mkdtempSync(join(tmpdir(), "ofwatch-axe-"));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    `--user-data-dir=${profile}`,
  ],
});

let violations = 0;
let broken = 0;
try {
  for (const path of paths) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1240, height: 900 });
    const response = await page.goto(base + path, { waitUntil: "load", timeout: 60000 });
    if (!response || response.status() !== 200) {
      console.log(`${path}: HTTP ${response ? response.status() : "no answer"}`);
      broken++;
      continue;
    }
    await page.evaluate(axeSource);
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
      TAGS);
    const name = path === "/" ? "index" : path.replace(/^\//, "").replace(/\//g, "-");
    await page.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });
    for (const v of result.violations) {
      violations++;
      console.log(`${path}: ${v.id} (${v.impact}): ${v.help}`);
      for (const node of v.nodes.slice(0, 5))
        console.log(`    ${node.target.join(" ")}: ${node.failureSummary.replace(/\n\s*/g, "; ")}`);
      if (v.nodes.length > 5)
        console.log(`    ... and ${v.nodes.length - 5} more`);
    }
    console.log(`${path}: ${result.passes.length} rules passed, ${result.violations.length} violated,` +
                ` ${result.incomplete.length} to review by hand`);
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(broken ? 2 : violations ? 1 : 0);
