//! sklearn's `TreeGrower`: best-first (leaf-wise) growth. Every splittable node waits in a max-heap keyed by the
//! gain of its best split; the best one is split next, until `max_leaf_nodes` leaves exist, no node can be split,
//! or `max_depth` stops a branch. Children smaller than `2 × min_samples_leaf` become leaves at once. Leaf values
//! are `−G / (H + λ)` times the learning rate.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::binning::{BinMapper, BinnedMatrix};
use crate::histogram::{Gradients, Histogram, Layout};
use crate::splitter::{find_node_split, partition, NodeStats, SplitInfo, SplitRules};
use crate::tree::{Node, Tree};

/// The fit-wide, read-only inputs of every tree.
pub struct TrainingSet<'a> {
    pub binned: &'a BinnedMatrix,
    pub mapper: &'a BinMapper,
    pub layout: &'a Layout,
    /// Per feature, the code of its missing bin.
    pub missing_bins: &'a [u8],
}

#[derive(Clone, Copy, Debug)]
pub struct GrowerParams {
    pub rules: SplitRules,
    pub max_leaf_nodes: Option<usize>,
    pub max_depth: Option<usize>,
    pub learning_rate: f64,
}

/// A grown tree and, for updating the training predictions, the training rows each leaf holds.
pub struct GrownTree {
    pub tree: Tree,
    partition: Vec<u32>,
    leaves: Vec<(usize, usize, f64)>,
}

impl GrownTree {
    /// `raw[i] += leaf value of row i`, from the partition rather than by walking the tree (sklearn's
    /// `_update_raw_predictions`).
    pub fn add_to(&self, raw: &mut [f64]) {
        for &(start, stop, value) in &self.leaves {
            self.partition[start..stop].iter().for_each(|&i| raw[i as usize] += value);
        }
    }
}

struct GrowNode {
    stats: NodeStats,
    depth: usize,
    start: usize,
    stop: usize,
    split: Option<SplitInfo>,
    histogram: Option<Histogram>,
    children: Option<(usize, usize)>,
}

/// Heap entry: highest gain first; on equal gains the older node.
struct Splittable {
    gain: f64,
    node: usize,
}

impl PartialEq for Splittable {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Splittable {}
impl PartialOrd for Splittable {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Splittable {
    fn cmp(&self, other: &Self) -> Ordering {
        self.gain.total_cmp(&other.gain).then(other.node.cmp(&self.node))
    }
}

struct Grower<'a> {
    set: &'a TrainingSet<'a>,
    params: &'a GrowerParams,
    values: Gradients<'a>,
    nodes: Vec<GrowNode>,
    heap: BinaryHeap<Splittable>,
    n_leaves: usize,
    partition: Vec<u32>,
    scratch: Vec<u32>,
}

/// Grows one tree on the training set's gradients (`hessians: None` for constant hessians).
pub fn grow(set: &TrainingSet, params: &GrowerParams, values: Gradients) -> GrownTree {
    let n = set.binned.rows;
    let sum_gradients: f64 = values.gradients.iter().map(|&g| g as f64).sum();
    let sum_hessians = match values.hessians {
        Some(h) => h.iter().map(|&h| h as f64).sum(),
        None => n as f64,
    };
    let root = NodeStats { sum_gradients, sum_hessians, n_samples: n, value: 0.0 };
    let mut g = Grower {
        set,
        params,
        values,
        nodes: vec![GrowNode {
            stats: root,
            depth: 0,
            start: 0,
            stop: n,
            split: None,
            histogram: None,
            children: None,
        }],
        heap: BinaryHeap::new(),
        n_leaves: 0,
        partition: (0..n as u32).collect(),
        scratch: Vec::new(),
    };
    if n >= 2 * params.rules.min_samples_leaf && sum_hessians >= 1e-3 {
        g.nodes[0].histogram = Some(Histogram::build(set.layout, set.binned, None, values));
        g.find_split_or_finalize(0);
    } else {
        g.n_leaves = 1;
    }
    while let Some(next) = g.heap.pop() {
        g.split_next(next.node);
    }
    g.finish()
}

impl Grower<'_> {
    fn find_split_or_finalize(&mut self, id: usize) {
        let node = &mut self.nodes[id];
        let hist = node.histogram.as_ref().expect("a node is searched right after its histogram is built");
        node.split =
            find_node_split(&self.params.rules, self.set.layout, hist, &self.set.binned.has_missing, &node.stats);
        match node.split {
            Some(split) => self.heap.push(Splittable { gain: split.gain, node: id }),
            None => self.finalize(id),
        }
    }

    fn finalize(&mut self, id: usize) {
        self.nodes[id].histogram = None;
        self.n_leaves += 1;
    }

    fn split_next(&mut self, id: usize) {
        let (start, stop, depth) = (self.nodes[id].start, self.nodes[id].stop, self.nodes[id].depth + 1);
        let split = self.nodes[id].split.expect("only nodes with a split are in the heap");
        let column = self.set.binned.column(split.feature);
        let missing_bin = self.set.missing_bins[split.feature];
        let n_left =
            start + partition(&mut self.partition[start..stop], &mut self.scratch, column, &split, missing_bin);
        let (left, right) = (self.nodes.len(), self.nodes.len() + 1);
        for (stats, range) in [(split.left, (start, n_left)), (split.right, (n_left, stop))] {
            self.nodes.push(GrowNode {
                stats,
                depth,
                start: range.0,
                stop: range.1,
                split: None,
                histogram: None,
                children: None,
            });
        }
        self.nodes[id].children = Some((left, right));
        if !self.set.binned.has_missing[split.feature] {
            // No NaN in training: NaNs at predict time follow the larger child.
            let to_left = split.left.n_samples > split.right.n_samples;
            if let Some(s) = self.nodes[id].split.as_mut() {
                s.missing_go_to_left = to_left;
            }
        }
        let parent_histogram = self.nodes[id].histogram.take();
        if self.params.max_leaf_nodes == Some(self.n_leaves + self.heap.len() + 2) {
            self.finalize(left);
            self.finalize(right);
            while let Some(rest) = self.heap.pop() {
                self.finalize(rest.node);
            }
            return;
        }
        if self.params.max_depth == Some(depth) {
            self.finalize(left);
            self.finalize(right);
            return;
        }
        let min_split = 2 * self.params.rules.min_samples_leaf;
        let splittable: Vec<usize> =
            [left, right].into_iter().filter(|&c| self.nodes[c].stats.n_samples >= min_split).collect();
        for c in [left, right] {
            if !splittable.contains(&c) {
                self.finalize(c);
            }
        }
        if splittable.is_empty() {
            return;
        }
        let (small, large) = if split.left.n_samples < split.right.n_samples { (left, right) } else { (right, left) };
        let small_hist = self.build_histogram(small);
        let parent_histogram = parent_histogram.expect("a node in the heap keeps its histogram");
        self.nodes[large].histogram = Some(parent_histogram.subtract(&small_hist));
        self.nodes[small].histogram = Some(small_hist);
        for c in splittable {
            self.find_split_or_finalize(c);
        }
        for c in [left, right] {
            if self.nodes[c].split.is_none() {
                self.nodes[c].histogram = None;
            }
        }
    }

    /// Histogram of a node's samples, with their gradients gathered in partition order.
    fn build_histogram(&self, id: usize) -> Histogram {
        let samples = &self.partition[self.nodes[id].start..self.nodes[id].stop];
        let gather = |v: &[f32]| samples.iter().map(|&i| v[i as usize]).collect::<Vec<f32>>();
        let gradients = gather(self.values.gradients);
        let hessians = self.values.hessians.map(gather);
        let ordered = Gradients { gradients: &gradients, hessians: hessians.as_deref() };
        Histogram::build(self.set.layout, self.set.binned, Some(samples), ordered)
    }

    /// Flattens the nodes depth-first (left first) into a `Tree` and lists the leaves' row ranges.
    fn finish(self) -> GrownTree {
        let lr = self.params.learning_rate;
        let mut nodes = Vec::with_capacity(self.nodes.len());
        let mut leaves = Vec::new();
        // (grow node, index of the parent's slot to point at it, whether it is the left child)
        let mut stack = vec![(0usize, None::<(usize, bool)>)];
        while let Some((id, parent)) = stack.pop() {
            let at = nodes.len() as u32;
            if let Some((p, is_left)) = parent {
                let slot: &mut Node = &mut nodes[p];
                if is_left {
                    slot.left = at;
                } else {
                    slot.right = at;
                }
            }
            let g = &self.nodes[id];
            match (g.children, g.split) {
                (Some((left, right)), Some(split)) => {
                    let thresholds = &self.set.mapper.thresholds[split.feature];
                    // The last value bin is a "split on NaN": every value goes left.
                    let threshold = thresholds.get(split.bin as usize).copied().unwrap_or(f64::INFINITY);
                    nodes.push(Node {
                        feature: split.feature as u32,
                        left: 0,
                        right: 0,
                        missing_go_to_left: split.missing_go_to_left,
                        bin: split.bin,
                        threshold,
                        value: g.stats.value,
                    });
                    stack.push((right, Some((at as usize, false))));
                    stack.push((left, Some((at as usize, true))));
                }
                _ => {
                    let value = g.stats.value * lr;
                    nodes.push(Node::leaf(value));
                    leaves.push((g.start, g.stop, value));
                }
            }
        }
        GrownTree { tree: Tree::new(nodes), partition: self.partition, leaves }
    }
}
