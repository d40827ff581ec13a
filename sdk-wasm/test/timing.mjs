// `node test/timing.mjs SPEC.json`: milliseconds per call of one exported function, in Node or in
// headless Chromium, or milliseconds to the page ready. xtask writes SPEC (sdk::time_in_node,
// sdk::time_in_browser, sdk::page_ready_in_browser):
//   { runtime: "node" | "chromium", bundle: "core" | "full", function, args: [{ string } | { file: ABSOLUTE_PATH }], iterations, warmup }
//   { runtime: "chromium", bundle, page_ready_runs: N }
//   { runtime: "chromium", bundle, checkout_ready_runs: N, network: NETWORK.json }
// and reads the last line printed: { runtime, bundle, function, iterations, samples_ms: [...] }, or
// { runtime, bundle, page_ready_ms: [...] } (the page's performance.now() when the SDK was ready,
// whose origin is the navigation's start; each load in a fresh browser context), or
// { runtime, bundle, checkout_ready_ms: [...] }: the same for the checkout example
// (examples/checkout, its server on the devnet NETWORK.json describes, serving the bundle's web
// package as its /pkg/), up to its window.checkoutReady resolving.
// $RESOURCE_SDK_PKG is the package folder (pkg/node for node, pkg/web for chromium: the core
// bundle), $RESOURCE_SDK_PKG_FULL the full web package (pkg/web-full, chromium only).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { timeCalls } from './cases.mjs';
import { required, TEST_DIR } from './env.mjs';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const pkg = required('RESOURCE_SDK_PKG');

/** What the Chromium page is served: the core package, the full one, the test folder. */
function chromiumMounts() {
  return { '/pkg/': pkg, '/pkg-full/': required('RESOURCE_SDK_PKG_FULL'), '/test/': TEST_DIR };
}

/** Throws unless the page's SDK says it is the bundle the spec asked for. */
async function checkBundle(page) {
  const got = await page.evaluate(() => window.sdk.bundle());
  if (got !== bundle) throw new Error(`the page loaded the ${got} bundle, not the ${bundle} one`);
}
const bundle = spec.bundle ?? 'core';
let samples;
let isolated = null;
if (spec.runtime === 'chromium' && spec.page_ready_runs !== undefined) {
  const { launch, openSdkPage } = await import('./chromium.mjs');
  const { serve } = await import('./server.mjs');
  const server = await serve({ mounts: chromiumMounts() });
  const browser = await launch();
  const readyMs = [];
  try {
    for (let i = 0; i < spec.page_ready_runs; i++) {
      const { page } = await openSdkPage(browser, server.url, { bundle });
      await checkBundle(page);
      readyMs.push(await page.evaluate(() => window.sdkReadyMs));
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(JSON.stringify({ runtime: spec.runtime, bundle, page_ready_ms: readyMs }));
  process.exit(0);
}
if (spec.runtime === 'chromium' && spec.checkout_ready_runs !== undefined) {
  const { launch } = await import('./chromium.mjs');
  const { startCheckout } = await import('../examples/checkout/server.mjs');
  const network = JSON.parse(readFileSync(spec.network, 'utf8'));
  const webPkg = bundle === 'full' ? required('RESOURCE_SDK_PKG_FULL') : pkg;
  const server = await startCheckout({ network, webPkg, nodePkg: required('RESOURCE_SDK_PKG_NODE') });
  const browser = await launch();
  const readyMs = [];
  try {
    for (let i = 0; i < spec.checkout_ready_runs; i++) {
      const page = await browser.newPage();
      // Note when the page's promise resolves (the first callback on it, before the page's own).
      await page.addInitScript(() => {
        let ready;
        Object.defineProperty(window, 'checkoutReady', {
          configurable: true,
          get: () => ready,
          set: (p) => {
            ready = p;
            p.then(() => (window.checkoutReadyMs = performance.now()), () => {});
          },
        });
      });
      await page.goto(`${server.url}/index.html`, { timeout: 60_000 });
      const { at, got } = await page.evaluate(async () => {
        await window.checkoutReady;
        return { at: window.checkoutReadyMs, got: document.body.dataset.ready };
      });
      if (got !== 'true') throw new Error('the checkout page resolved checkoutReady without being ready');
      readyMs.push(at);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(JSON.stringify({ runtime: spec.runtime, bundle, checkout_ready_ms: readyMs }));
  process.exit(0);
}
if (spec.runtime === 'node') {
  const sdk = createRequire(import.meta.url)(path.resolve(pkg, 'resource_sdk_wasm.js'));
  const args = spec.args.map((a) => (typeof a.string === 'string' ? a.string : new Uint8Array(readFileSync(a.file))));
  samples = timeCalls(sdk, spec.function, args, spec.warmup, spec.iterations);
} else if (spec.runtime === 'chromium') {
  const { launch, openSdkPage, withTimeout } = await import('./chromium.mjs');
  const { serve } = await import('./server.mjs');
  const files = Object.fromEntries(spec.args.flatMap((a, i) => (a.file ? [[`/arg/${i}`, a.file]] : [])));
  const server = await serve({ mounts: chromiumMounts(), files });
  const browser = await launch();
  try {
    const { page } = await openSdkPage(browser, server.url, { bundle });
    await checkBundle(page);
    ({ samples, isolated } = await withTimeout(
      page.evaluate(async (spec) => {
        const { timeCalls } = await import('/test/cases.mjs');
        const args = await Promise.all(
          spec.args.map(async (a, i) =>
            typeof a.string === 'string' ? a.string : new Uint8Array(await (await fetch(`/arg/${i}`)).arrayBuffer()),
          ),
        );
        const samples = timeCalls(window.sdk, spec.function, args, spec.warmup, spec.iterations);
        return { samples, isolated: window.crossOriginIsolated };
      }, spec),
      1_800_000,
      `timing ${spec.function} in Chromium`,
    ));
  } finally {
    await browser.close();
    await server.close();
  }
} else {
  throw new Error(`unknown runtime ${JSON.stringify(spec.runtime)} (node or chromium)`);
}
console.log(
  JSON.stringify({
    runtime: spec.runtime,
    bundle,
    function: spec.function,
    iterations: spec.iterations,
    cross_origin_isolated: isolated,
    samples_ms: samples,
  }),
);
