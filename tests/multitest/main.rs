//! cw-multi-test scenarios: the credit token's, the clearing contract's, the DID registry's (and its
//! credential proofs), the underwriting contract's, and the reference cw20-base as the harness's own
//! check.
mod clearing;
mod contracts;
mod credentials;
mod credit_periods;
mod credit_reputation;
mod credit_token;
mod cw20_reference;
mod did_registry;
mod fee_paths;
mod meta_bridge;
mod payment_preview;
mod underwriting;
mod underwriting_collusion;
mod underwriting_invariants;
mod underwriting_vouching;
