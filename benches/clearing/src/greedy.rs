//! The baseline: greedy cycle cancelling, what a simple clearing implementation does.
//!
//! Depth-first search over the obligations that still have an amount left; whenever the search
//! closes a cycle, the cycle's smallest remaining amount is cancelled along it and the arcs it
//! saturated drop out. It stops when no cycle is left. The result is a valid set-off and leaves an
//! acyclic remainder, but it is not optimal in general: which cycles it cancels first depends on
//! the search order, and an early cancellation can block more valuable later ones (see the tests).
//!
//! The search never restarts from scratch:
//! - every node keeps a current-arc pointer that only moves forward: the arcs before it are
//!   saturated or lead to finished nodes;
//! - a finished node (all arcs behind its pointer) reaches no cycle, and cancelling only removes
//!   arcs, so it stays finished;
//! - after a cancellation the DFS stack is kept up to the tail of the first saturated arc of the
//!   cycle (everything below it is still a valid path), the nodes above it go back to unvisited but
//!   keep their pointers.
//!
//! So the work is `O(m)` pointer moves plus the length of each cancelled cycle (one scan to find the
//! minimum, one to subtract), with at most `m` cancellations since each saturates an arc.
//! Iterative, single-threaded, no recursion.

use std::hash::Hash;

use hashbrown::HashMap;
use resource_core::clearing::{Obligation, SetOff, SetOffEntry};

const UNVISITED: u8 = 0;
const ON_STACK: u8 = 1;
const FINISHED: u8 = 2;

/// Greedy cycle cancelling over `obligations`. Zero amounts and self-obligations (which no cycle of
/// two or more participants can use) are ignored. The entries are sorted by obligation id.
pub fn greedy_cycle_cancel<P: Eq + Hash + Clone>(obligations: &[Obligation<P>]) -> SetOff {
    // Dense participant indices in order of first appearance, as `solve` does, so both pay the same
    // mapping cost.
    let mut index: HashMap<&P, u32> = HashMap::new();
    let mut tails = Vec::with_capacity(obligations.len());
    let mut used = Vec::with_capacity(obligations.len());
    for (k, o) in obligations.iter().enumerate() {
        if o.amount == 0 || o.debtor == o.creditor {
            continue;
        }
        let mut node = |p| {
            let next = index.len() as u32;
            *index.entry(p).or_insert(next)
        };
        let (from, to) = (node(&o.debtor), node(&o.creditor));
        tails.push((from, to));
        used.push(k as u32);
    }
    let n = index.len();
    drop(index);

    // CSR by tail: arcs of node u at start[u]..start[u + 1].
    let mut start = vec![0u32; n + 1];
    for &(from, _) in &tails {
        start[from as usize + 1] += 1;
    }
    for u in 0..n {
        start[u + 1] += start[u];
    }
    let mut fill = start.clone();
    let m = tails.len();
    let mut head = vec![0u32; m];
    let mut origin = vec![0u32; m];
    let mut left = vec![0u128; m];
    for (&(from, to), &k) in tails.iter().zip(&used) {
        let p = fill[from as usize] as usize;
        fill[from as usize] += 1;
        head[p] = to;
        origin[p] = k;
        left[p] = obligations[k as usize].amount;
    }
    drop((tails, used, fill));

    let mut state = vec![UNVISITED; n];
    let mut next_arc: Vec<u32> = start[..n].to_vec();
    let mut depth = vec![0u32; n]; // position on the stack while ON_STACK
    let mut stack: Vec<u32> = Vec::new();
    for root in 0..n as u32 {
        if state[root as usize] != UNVISITED {
            continue;
        }
        state[root as usize] = ON_STACK;
        depth[root as usize] = 0;
        stack.push(root);
        while let Some(&u) = stack.last() {
            let u = u as usize;
            let end = start[u + 1];
            loop {
                let a = next_arc[u];
                if a == end {
                    state[u] = FINISHED;
                    stack.pop();
                    if let Some(&parent) = stack.last() {
                        next_arc[parent as usize] += 1; // its arc leads to a finished node
                    }
                    break;
                }
                let a = a as usize;
                if left[a] == 0 {
                    next_arc[u] += 1;
                    continue;
                }
                let v = head[a] as usize;
                match state[v] {
                    FINISHED => next_arc[u] += 1,
                    UNVISITED => {
                        state[v] = ON_STACK;
                        depth[v] = stack.len() as u32;
                        stack.push(v as u32);
                        break;
                    }
                    _ => {
                        // Back arc to v: the cycle is stack[depth[v]..] with each node's current arc.
                        let from = depth[v] as usize;
                        let cycle = &stack[from..];
                        let mut delta = u128::MAX;
                        let mut first_saturated = 0;
                        for (i, &w) in cycle.iter().enumerate() {
                            let amount = left[next_arc[w as usize] as usize];
                            if amount < delta {
                                delta = amount;
                                first_saturated = i;
                            }
                        }
                        for &w in cycle {
                            left[next_arc[w as usize] as usize] -= delta;
                        }
                        // Keep the path up to the tail of the first saturated arc; its pointer
                        // moves past that arc, the nodes above it become unvisited again.
                        let keep = from + first_saturated;
                        for &w in &stack[keep + 1..] {
                            state[w as usize] = UNVISITED;
                        }
                        stack.truncate(keep + 1);
                        next_arc[stack[keep] as usize] += 1;
                        break;
                    }
                }
            }
        }
    }

    let mut entries: Vec<SetOffEntry> = (0..m)
        .filter_map(|p| {
            let o = &obligations[origin[p] as usize];
            let cleared = o.amount - left[p];
            (cleared > 0).then_some(SetOffEntry { id: o.id, amount: cleared })
        })
        .collect();
    entries.sort_unstable_by_key(|e| e.id);
    SetOff { entries }
}
