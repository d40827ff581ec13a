// `node test/timing.mjs SPEC.json`: milliseconds per call of one exported function, in Node or in
// headless Chromium. xtask writes SPEC (sdk::time_in_node / sdk::time_in_browser):
//   { runtime: "node" | "chromium", function, args: [{ string } | { file: ABSOLUTE_PATH }], iterations, warmup }
// and reads the last line printed: { runtime, function, iterations, samples_ms: [...] }.
// $RESOURCE_SDK_PKG is the package folder (pkg/node for node, pkg/web for chromium).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { timeCalls } from './cases.mjs';
import { required, TEST_DIR } from './env.mjs';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const pkg = required('RESOURCE_SDK_PKG');
let samples;
let isolated = null;
if (spec.runtime === 'node') {
  const sdk = createRequire(import.meta.url)(path.resolve(pkg, 'resource_sdk_wasm.js'));
  const args = spec.args.map((a) => (typeof a.string === 'string' ? a.string : new Uint8Array(readFileSync(a.file))));
  samples = timeCalls(sdk, spec.function, args, spec.warmup, spec.iterations);
} else if (spec.runtime === 'chromium') {
  const { launch, openSdkPage, withTimeout } = await import('./chromium.mjs');
  const { serve } = await import('./server.mjs');
  const files = Object.fromEntries(spec.args.flatMap((a, i) => (a.file ? [[`/arg/${i}`, a.file]] : [])));
  const server = await serve({ mounts: { '/pkg/': pkg, '/test/': TEST_DIR }, files });
  const browser = await launch();
  try {
    const { page } = await openSdkPage(browser, server.url);
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
    function: spec.function,
    iterations: spec.iterations,
    cross_origin_isolated: isolated,
    samples_ms: samples,
  }),
);
