// Renders the demo's HTML report in headless Chromium and keeps a screenshot.
// Usage: node report_screenshot.mjs REPORT.html SCREENSHOT.png
// playwright-core comes from sdk-wasm/node_modules; Chromium is $RESOURCE_CHROMIUM or /usr/bin/chromium.
// Fails if the page makes any request other than the report itself, if a request fails, or if any of
// the three charts has an empty bounding box.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const [report, screenshot] = process.argv.slice(2);
if (!report || !screenshot) {
  console.error('usage: node report_screenshot.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(here, '../../../sdk-wasm/package.json'));
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
  executablePath: process.env.RESOURCE_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const url = pathToFileURL(path.resolve(report)).href;
  page.on('request', (request) => {
    if (request.url() !== url) problems.push(`request to ${request.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`failed request ${request.url()}: ${request.failure()?.errorText}`));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || !response.ok()) problems.push(`loading ${url} failed`);
  for (const id of ['supply', 'balances', 'clearing']) {
    const box = await page.locator(`figure#${id} svg`).boundingBox();
    if (!box || box.width < 100 || box.height < 100) problems.push(`chart ${id} is not visible: ${JSON.stringify(box)}`);
  }
  const marks = await page.evaluate(() => ({
    points: document.querySelectorAll('figure#supply circle.point').length,
    balances: document.querySelectorAll('figure#balances rect.bar').length,
    clearing: document.querySelectorAll('figure#clearing rect.bar').length,
    steps: document.querySelectorAll('section.steps article').length,
  }));
  if (marks.points < 2 || marks.balances < 2 || marks.clearing !== 2 || marks.steps < 2) {
    problems.push(`charts or steps missing: ${JSON.stringify(marks)}`);
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ screenshot, ...marks }));
} finally {
  await browser.close();
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
