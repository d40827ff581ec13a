// Headless Chromium through playwright-core: Debian's browser ($RESOURCE_CHROMIUM, else
// /usr/bin/chromium), never one that playwright downloads.
import { chromium } from 'playwright-core';

export const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launch() {
  const executablePath = process.env.RESOURCE_CHROMIUM || '/usr/bin/chromium';
  return chromium.launch({ executablePath, headless: true, args: FLAGS, timeout: 60_000 });
}

/**
 * Opens test/browser/page.html from `baseUrl`, which loads the core web package from /pkg/ (with
 * `bundle: 'full'`, the full one from /pkg-full/); resolves once it has. Each page is a fresh
 * browser context: nothing cached from another page.
 */
export async function openSdkPage(browser, baseUrl, { bundle = 'core' } = {}) {
  const page = await browser.newPage();
  const errors = [];
  const warnings = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('console', (m) => {
    // A failed request is reported by the response handler above, with its URL.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console error: ${m.text()}`);
    if (m.type() === 'warning') warnings.push(m.text());
  });
  const query = bundle === 'full' ? '?bundle=full' : '';
  await page.goto(`${baseUrl}/test/browser/page.html${query}`, { timeout: 60_000 });
  await page.waitForFunction(() => window.sdkState !== undefined, null, { timeout: 60_000 });
  const state = await page.evaluate(() => window.sdkState);
  if (state !== 'ready') throw new Error(`the page could not load the SDK: ${state}; ${errors.join('; ')}`);
  return { page, errors, warnings };
}

/** `promise`, or an Error naming `what` after `ms` milliseconds. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
