//! cw-multi-test scenarios. The reference cw20-base runs here as the harness's own check; the
//! credit token's scenarios join this suite.
mod cw20_reference;
