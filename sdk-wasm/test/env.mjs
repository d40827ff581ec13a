// What the test files share in Node: where the fixtures and the package are, and the results file.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_DIR = path.dirname(fileURLToPath(import.meta.url));

const HOW = 'run `cargo xtask test --suite browser`, which builds the SDK, writes the fixtures and sets them';

/** `$name`, or an Error saying how the suite sets it. */
export function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: ${HOW}`);
  return value;
}

/** The cases sdk-fixtures wrote (cases.json in $RESOURCE_SDK_FIXTURES) and their folder. */
export function loadCases() {
  const dir = required('RESOURCE_SDK_FIXTURES');
  const doc = JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8'));
  if (!Array.isArray(doc.cases) || doc.cases.length === 0) throw new Error(`no cases in ${dir}/cases.json: ${HOW}`);
  return { dir, doc, cases: doc.cases };
}

/** Writes results-<runtime>.json beside the cases, for `sdk-fixtures check`. */
export function writeResults(dir, runtime, results) {
  const kept = results.map(({ name, output, error }) => ({ name, output, error }));
  writeFileSync(path.join(dir, `results-${runtime}.json`), `${JSON.stringify({ runtime, results: kept })}\n`);
}
