// The web packages (wasm-bindgen --target web) in a page of real headless Chromium, on the same
// cases. The page loads the core bundle (/pkg/, sdk-wasm/pkg/web); the full one (/pkg-full/,
// sdk-wasm/pkg/web-full) is imported only for the cases whose function the core lacks (proofs).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { judge } from '../cases.mjs';
import { launch, openSdkPage, withTimeout } from '../chromium.mjs';
import { loadCases, required, TEST_DIR, writeResults } from '../env.mjs';
import { serve } from '../server.mjs';
import { ROUND_TRIPS } from '../roundtrips.mjs';

const CORE_WASM = '/pkg/resource_sdk_wasm_bg.wasm';
const FULL_WASM = '/pkg-full/resource_sdk_wasm_bg.wasm';
// What only the full bundle exports: the prover and the underwriters' scoring.
const FULL_ONLY = new Set(['proveCredential', 'suggestedLimit', 'defaultScoringParams', 'scoringInputsFromPredicates']);

const { dir, cases } = loadCases();
const server = await serve({
  mounts: {
    '/pkg/': required('RESOURCE_SDK_PKG'),
    '/pkg-full/': required('RESOURCE_SDK_PKG_FULL'),
    '/test/': TEST_DIR,
    '/fixtures/': dir,
  },
});
let browser;
let opened;
let results = [];
let roundTrips = [];
let setupError = null;
// What the server had been asked for when the page was ready, and after the cases the core bundle runs.
let atReady = [];
let afterCore = [];
let pageBundles = {};
try {
  browser = await launch();
  opened = await openSdkPage(browser, server.url);
  atReady = [...server.requests];
  // The cases in two runs: first those whose function the core bundle exports, then the others
  // (which runAll hands to window.loadFullSdk), so the test can see what each run downloaded.
  const run = (part) =>
    opened.page.evaluate(async (part) => {
      const { runAll } = await import('/test/cases.mjs');
      const { cases } = await (await fetch('/fixtures/cases.json')).json();
      const load = async (file) => {
        const res = await fetch(`/fixtures/${file}`);
        if (!res.ok) throw new Error(`GET /fixtures/${file}: ${res.status}`);
        return res.arrayBuffer();
      };
      const inCore = (c) => typeof window.sdk[c.function] === 'function';
      const some = cases.filter((c) => inCore(c) === (part === 'core'));
      return runAll(window.sdk, some, load, () => window.loadFullSdk());
    }, part);
  results = await withTimeout(run('core'), 300_000, 'running the core bundle cases in Chromium');
  afterCore = [...server.requests];
  results = results.concat(await withTimeout(run('full'), 600_000, 'running the proving cases in Chromium'));
  pageBundles = await opened.page.evaluate(async () => ({
    page: window.sdk.bundle(),
    full: (await window.loadFullSdk()).bundle(),
    coreProves: typeof window.sdk.proveCredential === 'function',
  }));
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
  assert.ok(server.requests.includes(CORE_WASM), `requests: ${server.requests.join(' ')}`);
  // Served as application/wasm, so init() compiled it streaming (else it warns and falls back).
  assert.deepEqual(opened.warnings.filter((w) => w.includes('instantiateStreaming')), []);
});

test('the page loads the core bundle first and the full one only once proving is asked for', () => {
  if (setupError) throw setupError;
  assert.equal(pageBundles.page, 'core', 'bundle() of the package the page loaded');
  assert.equal(pageBundles.coreProves, false, 'the core bundle exports no proveCredential');
  assert.ok(atReady.includes(CORE_WASM), `at ready: ${atReady.join(' ')}`);
  const fullAtReady = atReady.filter((r) => r.startsWith('/pkg-full/'));
  assert.deepEqual(fullAtReady, [], 'nothing of the full bundle before any case ran');
  const fullAfterCore = afterCore.filter((r) => r.startsWith('/pkg-full/'));
  assert.deepEqual(fullAfterCore, [], 'nothing of the full bundle while only core functions ran');
  const proving = results.filter((r) => r.bundle === 'full');
  assert.ok(proving.length > 0, 'some cases ran in the full bundle');
  assert.ok(
    proving.every((r) => FULL_ONLY.has(cases.find((c) => c.name === r.name).function)),
    `only proofs and scoring needed the full bundle: ${proving.map((r) => r.name).join('; ')}`,
  );
  assert.ok(
    proving.some((r) => cases.find((c) => c.name === r.name).function === 'proveCredential'),
    'proofs ran in the full bundle',
  );
  assert.ok(results.filter((r) => r.bundle === 'core').length > 0, 'the other cases ran in the core bundle');
  assert.equal(pageBundles.full, 'full', 'bundle() of the package imported for proofs');
  // Imported once for all the proofs.
  assert.equal(server.requests.filter((r) => r === FULL_WASM).length, 1, `requests: ${server.requests.join(' ')}`);
  assert.ok(server.requests.indexOf(FULL_WASM) > server.requests.indexOf(CORE_WASM));
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
