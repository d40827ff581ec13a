// The cases of sdk-fixtures (cases.json), run and judged the same way in Node and in the Chromium
// page: this module imports nothing, so the page loads it as it is.
//
// A case is { name, function, args: [{ string } | { file }], expect }, where expect is one of
//   { equals: S }          the call returns exactly the string S, which Rust computed natively;
//   { error_contains: M, error_code: C }  the call throws an Error whose message contains M and
//                         whose `code` is C (when given);
//   { native_check: ... }  the call returns a string, handed back to Rust (sdk-fixtures check).

/** The arguments of case `c`: strings as they are, files as Uint8Array from `loadFile(name)`. */
export async function resolveArgs(c, loadFile) {
  return Promise.all(
    c.args.map(async (a) => {
      if (typeof a.string === 'string') return a.string;
      if (typeof a.number === 'number') return a.number;
      if (typeof a.file === 'string') return new Uint8Array(await loadFile(a.file));
      throw new Error(`case "${c.name}": an argument is neither { string } nor { file }: ${JSON.stringify(a)}`);
    }),
  );
}

/** Calls `sdk[fn](...args)`: { output } or { error, isError }. */
export function call(sdk, fn, args) {
  const f = sdk[fn];
  if (typeof f !== 'function') {
    return { error: `the SDK exports no function "${fn}" (is the package out of date? run \`cargo xtask sdk\`)`, missing: true };
  }
  try {
    return { output: f(...args) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), isError: e instanceof Error, code: e && e.code };
  }
}

const show = (s, n = 300) => {
  const text = typeof s === 'string' ? s : JSON.stringify(s);
  return text === undefined ? String(s) : text.length > n ? `${text.slice(0, n)}... (${text.length} chars)` : text;
};

/** Why the outcome `r` of case `c` is wrong, or null when it is right. */
export function judge(c, r) {
  if (r === undefined) return 'the case did not run';
  const e = c.expect;
  if (r.missing) return r.error;
  if ('equals' in e || 'native_check' in e) {
    if (r.error !== undefined) return `threw "${r.error}"`;
    if (typeof r.output !== 'string') return `returned a ${typeof r.output}, not a string: ${show(r.output)}`;
    if ('equals' in e && r.output !== e.equals) {
      return `returned ${show(r.output)}, but Rust computes ${show(e.equals)}`;
    }
    return null;
  }
  if ('error_contains' in e) {
    if (r.error === undefined) return `returned ${show(r.output)} instead of throwing`;
    if (!r.isError) return `threw something that is not an Error: ${show(r.error)}`;
    if (!r.error.includes(e.error_contains)) return `threw "${r.error}", which does not contain "${e.error_contains}"`;
    if ('error_code' in e && r.code !== e.error_code) return `threw code ${show(r.code)}, not "${e.error_code}"`;
    return null;
  }
  return `unknown expectation ${show(e)}`;
}

/**
 * Runs every case; returns [{ name, bundle, output?, error?, isError?, missing?, failure }].
 * A case whose function `sdk` lacks runs in the SDK `loadMore()` resolves to (the full bundle, for
 * proofs, when `sdk` is the core one), asked for only then; `bundle` is what the SDK that ran the
 * case says it is (`bundle()`).
 */
export async function runAll(sdk, cases, loadFile, loadMore) {
  const results = [];
  for (const c of cases) {
    let r;
    let ran = sdk;
    try {
      const args = await resolveArgs(c, loadFile);
      if (typeof sdk[c.function] !== 'function' && loadMore) ran = await loadMore(c.function);
      r = call(ran, c.function, args);
    } catch (e) {
      r = { error: `could not prepare the call: ${e && e.message ? e.message : e}`, missing: true };
    }
    const bundle = typeof ran.bundle === 'function' ? ran.bundle() : undefined;
    results.push({ name: c.name, bundle, ...r, failure: judge(c, r) });
  }
  return results;
}

/** `warmup` untimed calls, then `iterations` calls timed one by one (milliseconds each). */
export function timeCalls(sdk, fn, args, warmup, iterations) {
  const f = sdk[fn];
  if (typeof f !== 'function') throw new Error(`the SDK exports no function "${fn}"`);
  for (let i = 0; i < warmup; i++) f(...args);
  const samples = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    f(...args);
    samples.push(performance.now() - t0);
  }
  return samples;
}
