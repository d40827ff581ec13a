//! Synthetic obligation networks shaped like regional supply chains, reproducible from
//! `(obligations, seed)`.
//!
//! # Model
//!
//! For `N` obligations there are `P = max(N / 10, 8)` participants (so an average of 20 invoices
//! per participant, counting both sides; the floor of 8 only matters for tiny test instances). About
//! 3 % of them, the smallest, happen to draw no invoice at all; they still count in `P`.
//!
//! - **Communities.** Participants are split into `C = ceil(P / 250)` communities (a town's
//!   economy, an industry) of nearly equal size, contiguous in the structural order.
//! - **Tiers.** Inside every community the participants are split into four supply-chain tiers by
//!   share of participants: 40 % retail and services (tier 0), 10 % wholesale and distribution
//!   (tier 1), 30 % manufacturing (tier 2), 20 % primary production (tier 3).
//! - **Size.** Each participant gets a weight `w = min(1 / u, 1000)` with `u` uniform in `(0, 1]`:
//!   a Pareto tail of exponent 1 (Zipf's law, the size distribution measured for firms), truncated
//!   at 1000 times the smallest. The expected number of invoices a participant issues and receives
//!   is proportional to its weight within the group it is drawn from, so degrees are heavy-tailed:
//!   most participants have a handful of invoices, a few hubs have hundreds or thousands. The few
//!   tier-1 distributors receive most of the large retail tier's invoices, so the biggest hubs are
//!   wholesalers, as in real trade-credit data.
//! - **Invoices.** Each obligation `debtor -> creditor` is drawn independently:
//!   1. the debtor is drawn from all participants in proportion to weight;
//!   2. the creditor's community is the debtor's own with probability 0.9; otherwise (0.1) it is
//!      the community of a participant drawn from all in proportion to weight (which may again be
//!      the debtor's own);
//!   3. the creditor's tier follows the goods: with probability 0.7 the tier upstream of the
//!      debtor's (it buys its inputs there), 0.2 the same tier, 0.1 the tier downstream (supplies
//!      and services bought back from customers, which is what closes cycles); a move past tier 0
//!      or tier 3 stays in the debtor's tier;
//!   4. the creditor is drawn from that (community, tier) group in proportion to weight, redrawn
//!      while it is the debtor (after 32 draws, the next participant of the group); a group that
//!      cannot supply anyone but the debtor is widened to the whole community.
//! - **Amounts** are integer cents, log-normal: `round(exp(ln 20 000 + 1.5 Z))` clamped to
//!   `10..=1 000 000` (median 200.00, a long upper tail), with `Z` the Irwin–Hall approximation of a
//!   standard normal (the sum of 12 uniforms minus 6).
//! - **Ids.** Obligation ids are `0..N` in generation order; participant ids are `0..P` after a
//!   seeded random permutation of the structural order, so an id says nothing about community or
//!   tier.
//!
//! # Reproducibility
//!
//! One [`SplitMix64`] stream seeded with `seed` drives everything, in a fixed order: the weights,
//! the permutation, then the obligations one by one. Only integer operations and the correctly
//! rounded IEEE operations `+ - * /` are used (the exponential is a fixed polynomial here rather
//! than the platform's libm, whose last bit may vary), so the same `(N, seed)` gives the same
//! network on every platform and Rust version.

use resource_core::clearing::Obligation;

/// Invoices per participant, both sides counted, is twice this.
pub const OBLIGATIONS_PER_PARTICIPANT: usize = 10;
/// Floor on the participant count, so tiny instances still have every tier.
pub const MIN_PARTICIPANTS: usize = 8;
/// Average community size.
pub const COMMUNITY_SIZE: usize = 250;
/// Cumulative percentages of the tiers inside a community: retail and services, wholesale and
/// distribution, manufacturing, primary production.
pub const TIER_BOUNDS_PERCENT: [usize; 5] = [0, 40, 50, 80, 100];
/// Number of tiers.
pub const TIERS: usize = TIER_BOUNDS_PERCENT.len() - 1;
/// Largest weight (the smallest is 1).
pub const MAX_WEIGHT: f64 = 1000.0;
/// Probability that an invoice's creditor is drawn from another community.
pub const CROSS_COMMUNITY: f64 = 0.10;
/// Probability that the creditor is one tier upstream of the debtor.
pub const UPSTREAM: f64 = 0.70;
/// Probability that the creditor is in the debtor's tier (the rest, 0.1, is one tier downstream).
pub const SAME_TIER: f64 = 0.20;
/// `ln 20 000`: the median invoice is 200.00 (in cents).
pub const LN_MEDIAN_AMOUNT: f64 = 9.903_487_552_536_127;
/// Standard deviation of the amount's logarithm.
pub const SIGMA_LN_AMOUNT: f64 = 1.5;
/// Smallest invoice, in cents.
pub const MIN_AMOUNT: u128 = 10;
/// Largest invoice, in cents.
pub const MAX_AMOUNT: u128 = 1_000_000;
/// Draws of a creditor before taking the debtor's neighbour in the group instead.
const MAX_REDRAWS: usize = 32;

/// A generated instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    /// Participant ids are `0..participants`.
    pub participants: u32,
    /// Ids `0..len`, in order.
    pub obligations: Vec<Obligation<u32>>,
}

impl Network {
    /// Sum of all amounts: the gross debt.
    pub fn gross(&self) -> u128 {
        self.obligations.iter().map(|o| o.amount).sum()
    }
}

/// The participant count of an instance of `obligations` invoices.
pub fn participants(obligations: usize) -> usize {
    (obligations / OBLIGATIONS_PER_PARTICIPANT).max(MIN_PARTICIPANTS)
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and statistically sound for simulation.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A stream starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`, 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below `n / 2^64`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// `e^x` from `+ - * /` only, so amounts do not depend on the platform's libm. Accurate to a few
/// ulps for the arguments used here (`|x| < 40`).
fn exp(x: f64) -> f64 {
    const LOG2_E: f64 = std::f64::consts::LOG2_E;
    const LN_2: f64 = std::f64::consts::LN_2;
    let k = (x * LOG2_E).round();
    let r = x - k * LN_2; // |r| <= ln2 / 2
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    for i in 1..=14 {
        term = term * r / f64::from(i);
        sum += term;
    }
    // 2^k as a float built from its exponent bits (k stays far inside the normal range here).
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// Participants in structural order (community-major, tier-minor) with their weights, and a way to
/// draw one in proportion to weight from any contiguous range.
struct Layout {
    /// `prefix[i]` = sum of the weights of structural indices `< i`.
    prefix: Vec<f64>,
    community: Vec<u32>,
    tier: Vec<u8>,
    /// Group `c * TIERS + t` is the structural range `group_start[g]..group_start[g + 1]`.
    group_start: Vec<u32>,
    communities: usize,
}

impl Layout {
    fn new(p: usize, rng: &mut SplitMix64) -> Layout {
        let communities = p.div_ceil(COMMUNITY_SIZE);
        let mut community = vec![0u32; p];
        let mut tier = vec![0u8; p];
        let mut group_start = Vec::with_capacity(communities * TIERS + 1);
        for c in 0..communities {
            let lo = c * p / communities;
            let size = (c + 1) * p / communities - lo;
            for t in 0..TIERS {
                let from = lo + size * TIER_BOUNDS_PERCENT[t] / 100;
                let to = lo + size * TIER_BOUNDS_PERCENT[t + 1] / 100;
                group_start.push(from as u32);
                for s in from..to {
                    community[s] = c as u32;
                    tier[s] = t as u8;
                }
            }
        }
        group_start.push(p as u32);
        let mut prefix = Vec::with_capacity(p + 1);
        let mut sum = 0.0;
        prefix.push(sum);
        for _ in 0..p {
            // 1 - unit() is in (0, 1]: never a division by zero.
            sum += (1.0 / (1.0 - rng.unit())).min(MAX_WEIGHT);
            prefix.push(sum);
        }
        Layout { prefix, community, tier, group_start, communities }
    }

    /// A structural index in `lo..hi` (not empty), drawn in proportion to weight.
    fn draw(&self, lo: usize, hi: usize, rng: &mut SplitMix64) -> usize {
        let base = self.prefix[lo];
        let r = base + rng.unit() * (self.prefix[hi] - base);
        // The first index whose cumulative weight passes r; rounding can only push it to `hi`.
        let i = lo + self.prefix[lo + 1..=hi].partition_point(|&c| c <= r);
        i.min(hi - 1)
    }

    fn community_range(&self, c: usize) -> (usize, usize) {
        (self.group_start[c * TIERS] as usize, self.group_start[(c + 1) * TIERS] as usize)
    }

    fn group_range(&self, c: usize, t: usize) -> (usize, usize) {
        let g = c * TIERS + t;
        (self.group_start[g] as usize, self.group_start[g + 1] as usize)
    }
}

/// The network of `obligations` invoices for `seed` (see the module docs for the model).
pub fn generate(obligations: usize, seed: u64) -> Network {
    let mut rng = SplitMix64::new(seed);
    let p = participants(obligations);
    let layout = Layout::new(p, &mut rng);
    debug_assert!(layout.communities >= 1);
    // Fisher–Yates: structural index -> participant id.
    let mut id_of: Vec<u32> = (0..p as u32).collect();
    for i in (1..p).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        id_of.swap(i, j);
    }
    let mut list = Vec::with_capacity(obligations);
    for id in 0..obligations as u64 {
        let debtor = layout.draw(0, p, &mut rng);
        let home = layout.community[debtor] as usize;
        let community =
            if rng.unit() < CROSS_COMMUNITY { layout.community[layout.draw(0, p, &mut rng)] as usize } else { home };
        let t = layout.tier[debtor] as usize;
        let roll = rng.unit();
        let tier = if roll < UPSTREAM {
            (t + 1).min(TIERS - 1)
        } else if roll < UPSTREAM + SAME_TIER {
            t
        } else {
            t.saturating_sub(1)
        };
        let (mut lo, mut hi) = layout.group_range(community, tier);
        if hi - lo == 0 || (hi - lo == 1 && lo == debtor) {
            (lo, hi) = layout.community_range(community);
        }
        let mut creditor = layout.draw(lo, hi, &mut rng);
        let mut redraws = 0;
        while creditor == debtor && redraws < MAX_REDRAWS {
            creditor = layout.draw(lo, hi, &mut rng);
            redraws += 1;
        }
        if creditor == debtor {
            // A hub that holds nearly all of its group's weight: take its neighbour (the range
            // holds at least two participants here).
            creditor = if debtor + 1 < hi { debtor + 1 } else { lo };
        }
        list.push(Obligation { id, debtor: id_of[debtor], creditor: id_of[creditor], amount: amount(&mut rng) });
    }
    Network { participants: p as u32, obligations: list }
}

/// A log-normal invoice amount in cents (see the module docs).
fn amount(rng: &mut SplitMix64) -> u128 {
    let z = (0..12).map(|_| rng.unit()).sum::<f64>() - 6.0;
    let a = exp(LN_MEDIAN_AMOUNT + SIGMA_LN_AMOUNT * z).round();
    // The float is positive and finite; clamping in floats first keeps the cast exact.
    (a.clamp(MIN_AMOUNT as f64, MAX_AMOUNT as f64) as u128).clamp(MIN_AMOUNT, MAX_AMOUNT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_matches_the_library_closely() {
        for &x in &[-20.0, -3.3, -0.5, 0.0, 0.1, 1.0, std::f64::consts::LN_10, 9.9, 13.8, 30.0] {
            let (ours, std) = (exp(x), f64::exp(x));
            assert!(((ours - std) / std).abs() < 1e-14, "exp({x}): {ours} vs {std}");
        }
        assert!((exp(LN_MEDIAN_AMOUNT) - 20_000.0).abs() < 1e-9);
    }

    #[test]
    fn splitmix_reference_values() {
        // First outputs for seed 0 (the generator's published reference sequence).
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }
}
