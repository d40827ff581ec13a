//! The clearing benchmark (`cargo xtask bench clearing`): how fast and how well
//! `resource_core::clearing::solve` clears synthetic supply-chain obligation networks, against a
//! greedy cycle-cancelling baseline.
//!
//! - [`network`]: the seeded instance generator and its documented model.
//! - [`greedy`]: the baseline.
//! - [`certify`]: an independent optimality check of a set-off.
//!
//! The binary (`src/main.rs`) runs each measurement in a child process of its own, so that peak
//! memory is per size and per algorithm.

pub mod certify;
pub mod greedy;
pub mod network;

pub use certify::is_optimal;
pub use greedy::greedy_cycle_cancel;
pub use network::{generate, Network};

#[cfg(test)]
mod tests {
    use resource_core::clearing::{solve, verify, Obligation, SetOff, SetOffEntry};

    use super::*;

    fn ob(id: u64, debtor: u32, creditor: u32, amount: u128) -> Obligation<u32> {
        Obligation { id, debtor, creditor, amount }
    }

    fn cleared(set_off: &SetOff) -> Vec<(u64, u128)> {
        set_off.entries.iter().map(|e| (e.id, e.amount)).collect()
    }

    #[test]
    fn same_seed_same_network_other_seed_other_network() {
        let a = generate(5_000, 7);
        assert_eq!(a, generate(5_000, 7));
        assert_ne!(a, generate(5_000, 8));
        assert_eq!(a.obligations.len(), 5_000);
        assert_eq!(a.participants, 500);
    }

    #[test]
    fn a_known_instance_keeps_its_fingerprint() {
        // Guards reproducibility across platforms and refactorings: a change here changes every
        // published figure, so it must be deliberate (and BENCHMARKS.md re-measured).
        let net = generate(1_000, 1);
        let fingerprint = net.obligations.iter().fold(0u64, |h, o| {
            let x = h ^ (u64::from(o.debtor) << 32 | u64::from(o.creditor)) ^ (o.amount as u64).rotate_left(17);
            x.wrapping_mul(0x100_0000_01B3)
        });
        assert_eq!(net.gross(), GROSS_1000_1);
        assert_eq!(fingerprint, FINGERPRINT_1000_1);
    }
    const GROSS_1000_1: u128 = 54_380_763;
    const FINGERPRINT_1000_1: u64 = 8_234_000_873_064_897_642;

    #[test]
    fn ids_amounts_and_participants_are_in_range_and_no_one_owes_itself() {
        for seed in 0..5 {
            let net = generate(20_000, seed);
            for (k, o) in net.obligations.iter().enumerate() {
                assert_eq!(o.id, k as u64);
                assert_ne!(o.debtor, o.creditor, "self-obligation {o:?}");
                assert!(o.debtor < net.participants && o.creditor < net.participants);
                assert!((network::MIN_AMOUNT..=network::MAX_AMOUNT).contains(&o.amount), "{o:?}");
            }
        }
        // Tiny instances too (the participant floor keeps every tier populated).
        for n in [1, 2, 10, 79, 100] {
            let net = generate(n, 3);
            assert!(net.obligations.iter().all(|o| o.debtor != o.creditor));
        }
    }

    #[test]
    fn degrees_are_heavy_tailed() {
        let net = generate(100_000, 11);
        let mut degree = vec![0u32; net.participants as usize];
        for o in &net.obligations {
            degree[o.debtor as usize] += 1;
            degree[o.creditor as usize] += 1;
        }
        let mean = 2.0 * net.obligations.len() as f64 / f64::from(net.participants);
        let max = *degree.iter().max().unwrap();
        degree.sort_unstable();
        let median = degree[degree.len() / 2];
        // Hubs: the largest degree is far above the mean, and the median is below the mean.
        assert!(f64::from(max) > 20.0 * mean, "max {max}, mean {mean}");
        assert!(f64::from(median) < mean, "median {median}, mean {mean}");
        // The top 1 % of participants hold a large share of all invoice ends.
        let top: u32 = degree.iter().rev().take(degree.len() / 100).sum();
        let share = f64::from(top) / (2.0 * net.obligations.len() as f64);
        assert!(share > 0.15, "top 1 % share {share}");
    }

    #[test]
    fn amounts_are_log_normal_ish() {
        let net = generate(50_000, 5);
        let mut amounts: Vec<u128> = net.obligations.iter().map(|o| o.amount).collect();
        amounts.sort_unstable();
        let median = amounts[amounts.len() / 2];
        assert!((15_000..=25_000).contains(&median), "median {median}");
        let mean = amounts.iter().sum::<u128>() / amounts.len() as u128;
        assert!(mean > 2 * median, "mean {mean}, median {median}: a long upper tail");
    }

    #[test]
    fn greedy_is_valid_and_never_beats_the_optimum() {
        for seed in 0..6 {
            let net = generate(3_000, seed);
            let greedy = greedy_cycle_cancel(&net.obligations);
            let optimal = solve(&net.obligations).unwrap();
            let g = verify(&net.obligations, &greedy).expect("greedy set-off verifies").total;
            let o = verify(&net.obligations, &optimal).unwrap().total;
            assert!(g <= o, "seed {seed}: greedy {g} > optimal {o}");
            assert!(g > 0, "seed {seed}: the network has cycles");
            assert!(is_optimal(&net.obligations, &optimal), "seed {seed}");
        }
    }

    #[test]
    fn greedy_leaves_no_cycle() {
        let net = generate(3_000, 42);
        let greedy = greedy_cycle_cancel(&net.obligations);
        let left = resource_core::clearing::remaining(&net.obligations, &greedy).unwrap();
        // A second pass over what is left finds nothing to cancel.
        assert!(greedy_cycle_cancel(&left).entries.is_empty());
    }

    #[test]
    fn greedy_on_a_triangle_clears_its_smallest_arc() {
        let obligations = [ob(0, 0, 1, 100), ob(1, 1, 2, 70), ob(2, 2, 0, 50), ob(3, 2, 3, 5)];
        let set_off = greedy_cycle_cancel(&obligations);
        assert_eq!(cleared(&set_off), [(0, 50), (1, 50), (2, 50)]);
        assert_eq!(set_off, solve(&obligations).unwrap());
    }

    #[test]
    fn greedy_can_be_beaten_by_the_optimum() {
        // 0 -> 1 (5) is shared by the 2-cycle 0 <-> 1 and the 4-cycle 0 -> 1 -> 2 -> 3 -> 0. The DFS
        // from 0 goes 0 -> 1 and takes 1's first arc, back to 0: it cancels the 2-cycle (10 in total)
        // and saturates 0 -> 1, so the 4-cycle (20) is lost. The optimum takes the 4-cycle.
        let obligations = [ob(0, 0, 1, 5), ob(1, 1, 0, 5), ob(2, 1, 2, 5), ob(3, 2, 3, 5), ob(4, 3, 0, 5)];
        let greedy = greedy_cycle_cancel(&obligations);
        assert_eq!(cleared(&greedy), [(0, 5), (1, 5)]);
        let optimal = solve(&obligations).unwrap();
        assert_eq!(optimal.total(), 20);
        assert!(!is_optimal(&obligations, &greedy));
        assert!(is_optimal(&obligations, &optimal));
    }

    #[test]
    fn greedy_keeps_the_stack_after_a_cancellation() {
        // 0 -> 1 -> 2 -> 1 (a 2-cycle deep in the path) and then 2 -> 0 closes the big cycle with what
        // is left: after cancelling 1 <-> 2 (3), the search continues from 2 rather than restarting.
        let obligations = [ob(0, 0, 1, 10), ob(1, 1, 2, 10), ob(2, 2, 1, 3), ob(3, 2, 0, 4)];
        let greedy = greedy_cycle_cancel(&obligations);
        assert_eq!(cleared(&greedy), [(0, 4), (1, 7), (2, 3), (3, 4)]);
        assert_eq!(greedy.total(), solve(&obligations).unwrap().total());
    }

    #[test]
    fn greedy_ignores_zero_amounts_and_acyclic_graphs() {
        let obligations = [ob(0, 0, 1, 10), ob(1, 1, 0, 0), ob(2, 1, 2, 10), ob(3, 0, 2, 1)];
        assert_eq!(greedy_cycle_cancel(&obligations), SetOff { entries: Vec::<SetOffEntry>::new() });
        assert_eq!(greedy_cycle_cancel::<u32>(&[]), SetOff::default());
    }

    #[test]
    fn the_certificate_spots_a_suboptimal_set_off() {
        let net = generate(2_000, 9);
        let optimal = solve(&net.obligations).unwrap();
        assert!(is_optimal(&net.obligations, &optimal));
        // Clearing nothing leaves every cycle of the network in place.
        assert!(!is_optimal(&net.obligations, &SetOff::default()));
        // So does the greedy result on this instance, which falls short of the optimum.
        let greedy = greedy_cycle_cancel(&net.obligations);
        assert!(greedy.total() < optimal.total());
        assert!(!is_optimal(&net.obligations, &greedy));
    }
}
