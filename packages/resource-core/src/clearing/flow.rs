//! Exact maximum circulation of an obligation graph by a primal-dual min-cost flow.
//!
//! Clearing `x_e` of every obligation `e = debtor -> creditor` is the same as leaving `r_e = a_e - x_e`
//! outstanding. The remaining obligations keep every participant's net position, so `r` is a flow
//! that carries each net debtor's net debt to the net creditors along obligation arcs
//! (`0 <= r_e <= a_e`). Clearing the most means leaving the least: minimize the sum of `r_e`, a
//! min-cost flow in which every arc costs 1.
//!
//! With unit costs the primal-dual method is a good fit: each phase computes exact shortest
//! distances (Dijkstra on reduced costs, a bucket queue since they are small integers), raises the
//! node potentials, then sends a maximum flow through the arcs of reduced cost 0 with Dinic's
//! algorithm. Phases end when no net debt can travel further; every phase's shortest distance is
//! longer than the last one's, and the flow is optimal when the phases end (complementary slackness).
//! Exact integer arithmetic throughout; iterative (no recursion), no threads, no I/O.
//!
//! Indices and arithmetic: every index is a node below `n + 2` or a residual arc below
//! `2 * (m + n)`, by construction; residual capacities stay within `[0, a_e]` and the caller
//! guarantees the sum of capacities fits `i64` ([`super::ClearingError::TooLarge`]); distances and
//! potentials are bounded by the node count. The crate's panic-guarding lints are relaxed in this
//! file only.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects, clippy::cast_possible_truncation)]
#![allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]

use alloc::vec;
use alloc::vec::Vec;

const UNREACHED: i64 = i64::MAX;

/// One obligation arc in dense node indices.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arc {
    pub from: u32,
    pub to: u32,
    pub capacity: i64,
}

/// Residual network in CSR form, every per-arc array indexed by the arc's position in its tail's
/// run (`start[u]..start[u + 1]`), so scanning a node's arcs reads contiguous memory. Each arc knows
/// the position of its reverse (`rev`).
struct Network {
    start: Vec<u32>,
    head: Vec<u32>,
    rev: Vec<u32>,
    /// Residual capacity.
    res: Vec<i64>,
    /// Cost: +1 forward on an obligation arc, -1 backward, 0 on source and sink arcs.
    cost: Vec<i8>,
    /// Reduced cost `cost + pi(tail) - pi(head)`, refreshed once per phase (potentials are fixed
    /// within a phase).
    reduced: Vec<i64>,
    pi: Vec<i64>,
    source: u32,
    sink: u32,
}

/// The maximum circulation: the cleared amount of each arc, in input order.
pub(crate) fn max_circulation(nodes: usize, arcs: &[Arc]) -> Vec<i64> {
    if arcs.is_empty() {
        return Vec::new();
    }
    let (mut net, forward) = Network::new(nodes, arcs);
    let mut dist = vec![UNREACHED; nodes + 2];
    let mut work = Dinic::new(nodes + 2);
    let mut zero = ZeroGraph::new(nodes + 2, net.head.len());
    while net.shortest_distances(&mut dist) {
        net.raise_potentials(&dist);
        zero.build(&net);
        work.max_flow(&mut zero, net.source, net.sink);
        zero.write_back(&mut net);
    }
    // r_e is the flow on the forward arc, i.e. what its backward arc can return.
    arcs.iter().zip(forward).map(|(a, p)| a.capacity - net.res[net.rev[p as usize] as usize]).collect()
}

impl Network {
    /// The network and the position of each obligation's forward arc.
    fn new(n: usize, arcs: &[Arc]) -> (Network, Vec<u32>) {
        let source = n as u32;
        let sink = n as u32 + 1;
        let nodes = n + 2;
        // Net debt of every participant: it must leave through its outgoing obligations.
        let mut supply = vec![0i64; n];
        for a in arcs {
            supply[a.from as usize] += a.capacity;
            supply[a.to as usize] -= a.capacity;
        }
        // All arcs as (tail, head, capacity, cost); pairs 2k / 2k + 1.
        let mut list: Vec<(u32, u32, i64, i8)> = Vec::with_capacity(2 * (arcs.len() + n));
        let mut push_pair = |from: u32, to: u32, capacity: i64, c: i8| {
            list.push((from, to, capacity, c));
            list.push((to, from, 0, -c));
        };
        for a in arcs {
            push_pair(a.from, a.to, a.capacity, 1);
        }
        for (u, &s) in supply.iter().enumerate() {
            if s > 0 {
                push_pair(source, u as u32, s, 0);
            } else if s < 0 {
                push_pair(u as u32, sink, -s, 0);
            }
        }
        // Counting sort by tail: position of every arc.
        let mut start = vec![0u32; nodes + 1];
        for &(t, ..) in &list {
            start[t as usize + 1] += 1;
        }
        for u in 0..nodes {
            start[u + 1] += start[u];
        }
        let mut fill = start.clone();
        let mut pos = vec![0u32; list.len()];
        for (e, &(t, ..)) in list.iter().enumerate() {
            pos[e] = fill[t as usize];
            fill[t as usize] += 1;
        }
        let total = list.len();
        let (mut head, mut rev, mut res, mut cost) =
            (vec![0u32; total], vec![0u32; total], vec![0i64; total], vec![0i8; total]);
        for (e, &(_, h, capacity, c)) in list.iter().enumerate() {
            let p = pos[e] as usize;
            head[p] = h;
            rev[p] = pos[e ^ 1];
            res[p] = capacity;
            cost[p] = c;
        }
        let forward = (0..arcs.len()).map(|k| pos[2 * k]).collect();
        let reduced = cost.iter().map(|&c| i64::from(c)).collect();
        (Network { start, head, rev, res, cost, reduced, pi: vec![0; nodes], source, sink }, forward)
    }

    #[inline]
    fn arcs_of(&self, u: u32) -> core::ops::Range<usize> {
        self.start[u as usize] as usize..self.start[u as usize + 1] as usize
    }

    /// Dijkstra from the source on reduced costs (all >= 0 by the potentials' invariant), with a
    /// bucket queue; stops once the sink is settled. `false` when the sink is unreachable: optimal.
    fn shortest_distances(&self, dist: &mut [i64]) -> bool {
        dist.fill(UNREACHED);
        dist[self.source as usize] = 0;
        let mut buckets: Vec<Vec<u32>> = vec![vec![self.source]];
        let mut d = 0usize;
        while d < buckets.len() {
            while let Some(u) = buckets[d].pop() {
                if dist[u as usize] != d as i64 {
                    continue; // stale entry
                }
                if u == self.sink {
                    return true;
                }
                for p in self.arcs_of(u) {
                    if self.res[p] == 0 {
                        continue;
                    }
                    let v = self.head[p];
                    let nd = d as i64 + self.reduced[p];
                    if nd < dist[v as usize] {
                        dist[v as usize] = nd;
                        let b = nd as usize;
                        if b >= buckets.len() {
                            buckets.resize_with(b + 1, Vec::new);
                        }
                        buckets[b].push(v);
                    }
                }
            }
            d += 1;
        }
        false
    }

    /// pi(v) += min(dist(v), dist(sink)): keeps every residual reduced cost >= 0 and makes the
    /// shortest paths to the sink exactly the arcs of reduced cost 0. Refreshes `reduced`.
    fn raise_potentials(&mut self, dist: &[i64]) {
        let cap = dist[self.sink as usize];
        for (p, &d) in self.pi.iter_mut().zip(dist) {
            *p += d.min(cap);
        }
        for u in 0..self.pi.len() {
            let pu = self.pi[u];
            for p in self.arcs_of(u as u32) {
                self.reduced[p] = i64::from(self.cost[p]) + pu - self.pi[self.head[p] as usize];
            }
        }
    }
}

/// A phase's admissible subgraph: the arcs of reduced cost 0 (an arc and its reverse both qualify),
/// copied into compact arrays so the max-flow rounds of the phase scan only them, contiguously. The
/// residual capacities are written back to the network when the phase ends.
struct ZeroGraph {
    start: Vec<u32>,
    head: Vec<u32>,
    res: Vec<i64>,
    rev: Vec<u32>,
    /// Position of each compact arc in the network.
    pos: Vec<u32>,
    /// Network position -> compact index (scratch, valid for the current phase's arcs only).
    index_of: Vec<u32>,
}

impl ZeroGraph {
    fn new(nodes: usize, arcs: usize) -> ZeroGraph {
        let start = vec![0; nodes + 1];
        ZeroGraph {
            start,
            head: Vec::new(),
            res: Vec::new(),
            rev: Vec::new(),
            pos: Vec::new(),
            index_of: vec![0; arcs],
        }
    }

    fn build(&mut self, net: &Network) {
        self.head.clear();
        self.res.clear();
        self.pos.clear();
        let nodes = net.pi.len();
        for u in 0..nodes {
            self.start[u] = self.head.len() as u32;
            for p in net.arcs_of(u as u32) {
                if net.reduced[p] == 0 {
                    self.index_of[p] = self.head.len() as u32;
                    self.head.push(net.head[p]);
                    self.res.push(net.res[p]);
                    self.pos.push(p as u32);
                }
            }
        }
        self.start[nodes] = self.head.len() as u32;
        self.rev.clear();
        for &p in &self.pos {
            self.rev.push(self.index_of[net.rev[p as usize] as usize]);
        }
    }

    fn write_back(&self, net: &mut Network) {
        for (&p, &r) in self.pos.iter().zip(&self.res) {
            net.res[p as usize] = r;
        }
    }

    #[inline]
    fn arcs_of(&self, u: u32) -> core::ops::Range<usize> {
        self.start[u as usize] as usize..self.start[u as usize + 1] as usize
    }
}

/// Dinic's maximum flow on a phase's admissible subgraph, with reusable buffers.
struct Dinic {
    level: Vec<u32>,
    queue: Vec<u32>,
    next_arc: Vec<u32>,
    path: Vec<u32>,
}

const NO_LEVEL: u32 = u32::MAX;

impl Dinic {
    fn new(nodes: usize) -> Dinic {
        Dinic {
            level: vec![NO_LEVEL; nodes],
            queue: Vec::with_capacity(nodes),
            next_arc: vec![0; nodes],
            path: Vec::new(),
        }
    }

    /// Breadth-first levels from the source over arcs with residual capacity; `false` if the sink is
    /// not reached.
    fn levels(&mut self, z: &ZeroGraph, source: u32, sink: u32) -> bool {
        self.level.fill(NO_LEVEL);
        self.queue.clear();
        self.level[source as usize] = 0;
        self.queue.push(source);
        let mut i = 0;
        while i < self.queue.len() {
            let u = self.queue[i];
            i += 1;
            // Nodes at or beyond the sink's level lie on no shortest augmenting path.
            if self.level[u as usize] >= self.level[sink as usize] {
                break;
            }
            for a in z.arcs_of(u) {
                let v = z.head[a];
                if self.level[v as usize] == NO_LEVEL && z.res[a] > 0 {
                    self.level[v as usize] = self.level[u as usize] + 1;
                    self.queue.push(v);
                }
            }
        }
        self.level[sink as usize] != NO_LEVEL
    }

    fn max_flow(&mut self, z: &mut ZeroGraph, source: u32, sink: u32) {
        while self.levels(z, source, sink) {
            let n = self.next_arc.len();
            self.next_arc.copy_from_slice(&z.start[..n]);
            self.blocking_flow(z, source, sink);
        }
    }

    /// Repeated depth-first augmentation along level-increasing arcs, each arc pointer only moving
    /// forward (iterative, so long paths cannot overflow a stack).
    fn blocking_flow(&mut self, z: &mut ZeroGraph, source: u32, sink: u32) {
        self.path.clear();
        let mut u = source;
        loop {
            if u == sink {
                // Augment by the bottleneck of the path, then restart from the source.
                let delta = self.path.iter().map(|&a| z.res[a as usize]).min().unwrap_or(0);
                for &a in &self.path {
                    z.res[a as usize] -= delta;
                    z.res[z.rev[a as usize] as usize] += delta;
                }
                self.path.clear();
                u = source;
                continue;
            }
            let end = z.start[u as usize + 1];
            let mut advanced = false;
            while self.next_arc[u as usize] < end {
                let a = self.next_arc[u as usize] as usize;
                let v = z.head[a];
                if z.res[a] > 0 && self.level[v as usize] == self.level[u as usize].wrapping_add(1) {
                    self.path.push(a as u32);
                    u = v;
                    advanced = true;
                    break;
                }
                self.next_arc[u as usize] += 1;
            }
            if advanced {
                continue;
            }
            // Dead end: retreat and never come back to this node in this round.
            self.level[u as usize] = NO_LEVEL;
            match self.path.pop() {
                Some(a) => {
                    u = z.head[z.rev[a as usize] as usize];
                    self.next_arc[u as usize] += 1;
                }
                None => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arcs(list: &[(u32, u32, i64)]) -> Vec<Arc> {
        list.iter().map(|&(from, to, capacity)| Arc { from, to, capacity }).collect()
    }

    fn total(flow: &[i64]) -> i64 {
        flow.iter().sum()
    }

    #[test]
    fn a_triangle_clears_its_smallest_debt() {
        let f = max_circulation(3, &arcs(&[(0, 1, 100), (1, 2, 70), (2, 0, 50)]));
        assert_eq!(f, [50, 50, 50]);
    }

    #[test]
    fn no_cycle_clears_nothing() {
        let f = max_circulation(4, &arcs(&[(0, 1, 10), (1, 2, 10), (2, 3, 10), (0, 3, 5)]));
        assert_eq!(total(&f), 0);
    }

    #[test]
    fn two_cycles_sharing_an_arc() {
        // 0->1->2->0 and 0->1->3->0 share 0->1 (capacity 10): at most 10 through it.
        let f = max_circulation(4, &arcs(&[(0, 1, 10), (1, 2, 8), (2, 0, 8), (1, 3, 8), (3, 0, 8)]));
        assert_eq!(f[0], 10);
        assert_eq!(total(&f), 30);
    }

    #[test]
    fn longer_cycles_clear_more() {
        // A 2-cycle 0<->1 (5) competes with a 4-cycle 0->1->2->3->0 (5) for arc 0->1 (capacity 5):
        // the optimum routes it through the longer cycle (4 arcs x 5 = 20 > 2 x 5 = 10).
        let f = max_circulation(4, &arcs(&[(0, 1, 5), (1, 0, 5), (1, 2, 5), (2, 3, 5), (3, 0, 5)]));
        assert_eq!(total(&f), 20);
        assert_eq!(f[1], 0);
    }

    #[test]
    fn parallel_and_opposite_arcs() {
        let f = max_circulation(2, &arcs(&[(0, 1, 3), (0, 1, 4), (1, 0, 5)]));
        assert_eq!(total(&f), 10);
        assert_eq!(f[2], 5);
    }
}
