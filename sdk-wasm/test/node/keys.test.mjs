// The key round trips (../roundtrips.mjs) against the Node package, with Node's crypto.getRandomValues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';

import { required } from '../env.mjs';
import { ROUND_TRIPS, runRoundTrips } from '../roundtrips.mjs';

const sdk = createRequire(import.meta.url)(path.resolve(required('RESOURCE_SDK_PKG'), 'resource_sdk_wasm.js'));
const results = runRoundTrips(sdk);

for (const name of ROUND_TRIPS) {
  test(name, () => {
    const { failure } = results.find((r) => r.name === name);
    if (failure !== null) assert.fail(failure);
  });
}
