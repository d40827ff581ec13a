// The Node package (wasm-bindgen --target nodejs) against the answers Rust computed natively.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { runAll, judge } from '../cases.mjs';
import { loadCases, required, writeResults } from '../env.mjs';

const { dir, doc, cases } = loadCases();
const pkg = required('RESOURCE_SDK_PKG');
const sdk = createRequire(import.meta.url)(path.resolve(pkg, 'resource_sdk_wasm.js'));
const results = await runAll(sdk, cases, async (file) => readFileSync(path.join(dir, file)));
after(() => writeResults(dir, 'node', results));

test('the package is the version the fixtures were written for', () => {
  assert.equal(sdk.version(), doc.sdk_version);
});

test('the TypeScript declarations declare every function the cases call', () => {
  const dts = readFileSync(path.join(pkg, 'resource_sdk_wasm.d.ts'), 'utf8');
  for (const fn of new Set(cases.map((c) => c.function))) {
    assert.match(dts, new RegExp(`export function ${fn}\\(`), `resource_sdk_wasm.d.ts does not declare ${fn}`);
  }
});

for (const c of cases) {
  test(c.name, () => {
    const why = judge(c, results.find((r) => r.name === c.name));
    if (why !== null) assert.fail(`${c.function}: ${why}`);
  });
}
