// Readable contract errors out of cosmjs errors (hand-written, not generated).

/**
 * The contract's own sentence inside an error from a failed execute. With `"auto"` fees the
 * failure comes from the simulation, wrapped: `Query failed with (6): rpc error: code = Unknown
 * desc = failed to execute message; message index: 0: <the contract's sentence>: execute wasm
 * contract failed [...] With gas wanted: ...`; a transaction that failed in a block has the same
 * `message index: N: ...: execute wasm contract failed` in its raw log. Returns the message
 * unchanged when it has no such part (a network error, an account without funds, ...).
 */
export function contractErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /message index: \d+: ([\s\S]*?): execute wasm contract failed/.exec(message);
  return match ? match[1] : message;
}
