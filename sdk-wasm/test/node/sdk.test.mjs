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

// What the cases do not call is tested elsewhere: createWallet by the key round trips
// (keys.test.mjs, with the runtime's randomness), version and bundle here.
const ELSEWHERE = new Set(['version', 'bundle', 'createWallet']);

test('every exported function is called by a case, or tested elsewhere', () => {
  const dts = readFileSync(path.join(pkg, 'resource_sdk_wasm.d.ts'), 'utf8');
  const exported = [...dts.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]).filter((f) => f !== 'initSync');
  const called = new Set(cases.map((c) => c.function));
  assert.deepEqual(exported.filter((f) => !called.has(f) && !ELSEWHERE.has(f)), []);
  assert.equal(sdk.bundle(), 'full', 'the Node package has the prover');
});

for (const c of cases) {
  test(c.name, () => {
    const why = judge(c, results.find((r) => r.name === c.name));
    if (why !== null) assert.fail(`${c.function}: ${why}`);
  });
}
