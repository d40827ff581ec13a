// The web package (wasm-bindgen --target web) in a page of real headless Chromium, on the same cases.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { judge } from '../cases.mjs';
import { launch, openSdkPage, withTimeout } from '../chromium.mjs';
import { loadCases, required, TEST_DIR, writeResults } from '../env.mjs';
import { serve } from '../server.mjs';
import { ROUND_TRIPS } from '../roundtrips.mjs';

const { dir, cases } = loadCases();
const server = await serve({ mounts: { '/pkg/': required('RESOURCE_SDK_PKG'), '/test/': TEST_DIR, '/fixtures/': dir } });
let browser;
let opened;
let results = [];
let roundTrips = [];
let setupError = null;
try {
  browser = await launch();
  opened = await openSdkPage(browser, server.url);
  results = await withTimeout(
    opened.page.evaluate(async () => {
      const { runAll } = await import('/test/cases.mjs');
      const { cases } = await (await fetch('/fixtures/cases.json')).json();
      const load = async (file) => {
        const res = await fetch(`/fixtures/${file}`);
        if (!res.ok) throw new Error(`GET /fixtures/${file}: ${res.status}`);
        return res.arrayBuffer();
      };
      return runAll(window.sdk, cases, load);
    }),
    600_000,
    'running the cases in Chromium',
  );
  roundTrips = await withTimeout(
    opened.page.evaluate(async () => (await import('/test/roundtrips.mjs')).runRoundTrips(window.sdk)),
    120_000,
    'running the key round trips in Chromium',
  );
} catch (e) {
  setupError = e;
}
after(async () => {
  writeResults(dir, 'chromium', results);
  await browser?.close();
  await server.close();
});

test('Chromium loads the web package from the local server', () => {
  if (setupError) throw setupError;
  assert.deepEqual(opened.errors, []);
  assert.ok(server.requests.includes('/pkg/resource_sdk_wasm_bg.wasm'), `requests: ${server.requests.join(' ')}`);
  // Served as application/wasm, so init() compiled it streaming (else it warns and falls back).
  assert.deepEqual(opened.warnings.filter((w) => w.includes('instantiateStreaming')), []);
});

for (const c of cases) {
  test(c.name, () => {
    if (setupError) assert.fail(`not run: ${setupError.message}`);
    const why = judge(c, results.find((r) => r.name === c.name));
    if (why !== null) assert.fail(`${c.function} in Chromium: ${why}`);
  });
}

// Wallets made with the page's crypto.getRandomValues, split, recovered, sealed and opened.
for (const name of ROUND_TRIPS) {
  test(`in Chromium: ${name}`, () => {
    if (setupError) assert.fail(`not run: ${setupError.message}`);
    const r = roundTrips.find((t) => t.name === name);
    if (r === undefined) assert.fail('the round trip did not run');
    if (r.failure !== null) assert.fail(r.failure);
  });
}
