//! An optimality check of a set-off that does not trust the solver.
//!
//! Leaving `r_e = a_e - x_e` of each obligation outstanding keeps every net position, so `r` is a
//! flow with fixed supplies, and clearing the most means a minimum-cost such flow with cost 1 per
//! unit on every arc (the solver's own formulation, see `resource_core::clearing`). A flow is of
//! minimum cost exactly when its residual network has no negative cycle:
//! - `debtor -> creditor` with cost +1 where `r_e < a_e` (clear less of `e`),
//! - `creditor -> debtor` with cost -1 where `r_e > 0` (clear more of `e`).
//!
//! A queue-based Bellman–Ford from a virtual source (every distance starts at 0) finds the shortest
//! distances when there is no negative cycle; a shortest path that reaches `n` arcs proves one.

use std::collections::VecDeque;

use hashbrown::HashMap;
use resource_core::clearing::{Obligation, SetOff};

/// `true` when `set_off` (already verified) clears the most possible of `obligations`.
pub fn is_optimal(obligations: &[Obligation<u32>], set_off: &SetOff) -> bool {
    let cleared: HashMap<u64, u128> = set_off.entries.iter().map(|e| (e.id, e.amount)).collect();
    let mut index: HashMap<u32, u32> = HashMap::new();
    // Residual arcs as (tail, head, cost).
    let mut arcs: Vec<(u32, u32, i8)> = Vec::with_capacity(obligations.len());
    for o in obligations.iter().filter(|o| o.amount > 0 && o.debtor != o.creditor) {
        let mut node = |p| {
            let next = index.len() as u32;
            *index.entry(p).or_insert(next)
        };
        let (d, c) = (node(o.debtor), node(o.creditor));
        let x = cleared.get(&o.id).copied().unwrap_or(0);
        if x > 0 {
            arcs.push((d, c, 1));
        }
        if x < o.amount {
            arcs.push((c, d, -1));
        }
    }
    let n = index.len();
    drop((index, cleared));
    let mut start = vec![0u32; n + 1];
    for &(t, ..) in &arcs {
        start[t as usize + 1] += 1;
    }
    for u in 0..n {
        start[u + 1] += start[u];
    }
    let mut fill = start.clone();
    let mut head = vec![(0u32, 0i8); arcs.len()];
    for &(t, h, c) in &arcs {
        head[fill[t as usize] as usize] = (h, c);
        fill[t as usize] += 1;
    }
    drop((arcs, fill));

    let mut dist = vec![0i64; n];
    let mut hops = vec![0u32; n]; // arcs on the current shortest path to the node
    let mut queued = vec![true; n];
    let mut queue: VecDeque<u32> = (0..n as u32).collect();
    while let Some(u) = queue.pop_front() {
        let u = u as usize;
        queued[u] = false;
        for &(v, c) in &head[start[u] as usize..start[u + 1] as usize] {
            let v = v as usize;
            let d = dist[u] + i64::from(c);
            if d < dist[v] {
                dist[v] = d;
                hops[v] = hops[u] + 1;
                if hops[v] as usize >= n {
                    return false; // a path of n arcs repeats a node: a negative cycle
                }
                if !queued[v] {
                    queued[v] = true;
                    queue.push_back(v as u32);
                }
            }
        }
    }
    true
}
