//! Deterministic, publicly known test accounts that every local devnet funds at genesis.
//!
//! Each mnemonic is the BIP-39 encoding of `sha256("resource-devnet/<name>")` (24 words), so anyone can
//! regenerate them. Keys are plain Cosmos secp256k1 keys at `m/44'/118'/0'/0/0`. Never use them on a
//! network that holds value.

/// A named test account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestAccount {
    pub name: &'static str,
    pub mnemonic: &'static str,
}

/// Accounts funded by `resource devnet up`, in a fixed order.
pub const TEST_ACCOUNTS: &[TestAccount] = &[
    TestAccount { name: "admin", mnemonic: "stem spare trim course distance problem armor desk earn toe unhappy aunt assist sibling journey stairs miracle grow force lake vacuum hidden include pole" },
    TestAccount { name: "alice", mnemonic: "wink lab invite deal icon mask brave proud hill usage trim protect rapid snack actor shift long yellow guess comic bubble biology copy mail" },
    TestAccount { name: "bob", mnemonic: "cable sunset solid slogan head sort rubber absurd flag steak void busy senior gown trick harbor quick opinion alley lens repair reason never sound" },
    TestAccount { name: "carol", mnemonic: "apple convince curtain lens jaguar glory harsh hospital pilot can captain multiply actor cheap model measure crowd choose net never park noise skill find" },
    TestAccount { name: "dave", mnemonic: "surface pool normal naive erosion biology share brisk blade emerge habit more lawsuit cable film boat emotion knife giggle save curve price climb pet" },
    TestAccount { name: "erin", mnemonic: "old banner festival wealth limit guide close pattern bind behind young panda sunset zebra space public quantum next bronze squeeze garage lumber wage before" },
    TestAccount { name: "frank", mnemonic: "arrive gown screen home awake bitter plate casual loyal mesh slogan question mask abandon emotion artist street blind panic child atom tail express charge" },
    TestAccount { name: "relayer", mnemonic: "animal faint party planet young poem mule mammal brother crouch bread tortoise pledge minimum label range hurt horror check travel key ill bundle shoulder" },
];

/// The test account called `name`.
pub fn test_account(name: &str) -> Option<&'static TestAccount> {
    TEST_ACCOUNTS.iter().find(|account| account.name == name)
}
