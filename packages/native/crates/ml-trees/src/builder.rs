//! Growing one tree — the single builder behind decision trees, both forests and gradient boosting's stage trees.
//! Samples are a permutation of row indices; a node owns a contiguous range of it and a split partitions that range
//! in place (sklearn's layout), so a leaf's samples stay addressable for boosting's leaf updates.
//!
//! Without `max_leaf_nodes` nodes are expanded depth-first; with it, best-first by impurity improvement until the
//! leaf budget is spent (sklearn's DepthFirstTreeBuilder / BestFirstTreeBuilder). Split candidates are evaluated when
//! a node is created, so both orders share one loop and differ only in which pending node is expanded next.

use std::collections::BinaryHeap;
use std::ops::Range;

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::rng::Rng;

use crate::binning::BinnedMatrix;
use crate::criterion::{Criterion, COUNT, WEIGHT};
use crate::split::{NodeSplitter, Split, SplitRules};
use crate::targets::Targets;
use crate::tree::{Node, Tree};

/// sklearn's EPSILON (np.finfo(float).eps): impurity at or below it makes a leaf.
const EPSILON: f64 = f64::EPSILON;

/// Nodes expanded between polls of the cancellation flag.
const CANCEL_POLL: usize = 256;

#[derive(Clone, Copy, Debug)]
pub struct GrowRules {
    pub split: SplitRules,
    pub max_depth: Option<usize>,
    pub min_samples_split: usize,
    pub max_leaf_nodes: Option<usize>,
    pub min_impurity_decrease: f64,
}

/// A tree and where its training samples ended up: leaf `l`'s samples are `samples[leaf_ranges[l]]`.
pub struct GrownTree {
    pub tree: Tree,
    pub samples: Vec<u32>,
    pub leaf_ranges: Vec<Range<usize>>,
}

struct Pending {
    id: usize,
    range: Range<usize>,
    stats: Vec<f64>,
    depth: usize,
    split: Option<(Split, f64)>,
}

/// Orders pending nodes by improvement for best-first growth; ties go to the earlier node.
struct ByImprovement(f64, std::cmp::Reverse<usize>, Pending);
impl PartialEq for ByImprovement {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for ByImprovement {}
impl PartialOrd for ByImprovement {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ByImprovement {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

enum Frontier {
    DepthFirst(Vec<Pending>),
    BestFirst(BinaryHeap<ByImprovement>),
}

impl Frontier {
    fn push(&mut self, node: Pending) {
        match self {
            Frontier::DepthFirst(stack) => stack.push(node),
            Frontier::BestFirst(heap) => {
                let gain = node.split.as_ref().map_or(f64::NEG_INFINITY, |(_, g)| *g);
                heap.push(ByImprovement(gain, std::cmp::Reverse(node.id), node));
            }
        }
    }
    fn pop(&mut self) -> Option<Pending> {
        match self {
            Frontier::DepthFirst(stack) => stack.pop(),
            Frontier::BestFirst(heap) => heap.pop().map(|entry| entry.2),
        }
    }
}

pub struct TreeGrower<'a> {
    pub binned: &'a BinnedMatrix,
    pub targets: Targets<'a>,
    pub criterion: &'a dyn Criterion,
    pub rules: GrowRules,
    pub cancelled: &'a (dyn Fn() -> bool + Sync),
}

impl TreeGrower<'_> {
    /// Grows a tree on the rows with positive `weights` (bootstrap counts × sample/class weights).
    pub fn grow(&self, weights: &[f64], rng: &mut Rng) -> Result<GrownTree> {
        let mut samples: Vec<u32> = (0..weights.len() as u32).filter(|&i| weights[i as usize] > 0.0).collect();
        if samples.is_empty() {
            return Err(Error::data("no training row has a positive weight"));
        }
        let splitter = NodeSplitter { binned: self.binned, targets: self.targets, weights, criterion: self.criterion, rules: self.rules.split };
        let root_stats = self.targets.stats(&samples, weights);
        let root_weight = root_stats[WEIGHT];
        let mut nodes = vec![Node::PENDING];
        // Leaves are numbered as they are made; their values are computed right away so no per-leaf stats are kept
        // (a fully grown tree on 1M rows has ~1M leaves).
        let n_values = self.targets.n_values();
        let mut values = Vec::new();
        let mut leaf_ranges = Vec::new();
        let mut frontier = match self.rules.max_leaf_nodes {
            None => Frontier::DepthFirst(Vec::new()),
            Some(_) => Frontier::BestFirst(BinaryHeap::new()),
        };
        let mut split_budget = self.rules.max_leaf_nodes.map_or(usize::MAX, |m| m - 1);
        let evaluate = |range: &Range<usize>, stats: &[f64], depth: usize, samples: &[u32], rng: &mut Rng| {
            self.evaluate(&splitter, &samples[range.clone()], stats, depth, root_weight, rng)
        };
        let split = evaluate(&(0..samples.len()), &root_stats, 0, &samples, rng);
        frontier.push(Pending { id: 0, range: 0..samples.len(), stats: root_stats, depth: 0, split });
        let mut expanded = 0;
        while let Some(node) = frontier.pop() {
            expanded += 1;
            if expanded % CANCEL_POLL == 0 && (self.cancelled)() {
                return Err(Error::aborted());
            }
            let Some((split, _)) = node.split.filter(|_| split_budget > 0) else {
                nodes[node.id].child = leaf_ranges.len() as u32;
                values.extend(self.targets.leaf_values(&node.stats));
                leaf_ranges.push(node.range);
                continue;
            };
            split_budget -= 1;
            let feature = &self.binned.features[split.feature].codes;
            let slice = &mut samples[node.range.clone()];
            let mid = node.range.start + partition(slice, |s| feature[s as usize] <= split.last_left_bin);
            debug_assert_eq!((mid - node.range.start) as f64, split.left[COUNT]);
            let left_id = nodes.len();
            nodes.push(Node::PENDING);
            nodes.push(Node::PENDING);
            nodes[node.id] = Node { threshold: split.threshold, feature: split.feature as u32, child: left_id as u32 };
            let depth = node.depth + 1;
            let (left_range, right_range) = (node.range.start..mid, mid..node.range.end);
            // Right first, so the depth-first stack expands the left child next (sklearn's order).
            let right_split = evaluate(&right_range, &split.right, depth, &samples, rng);
            let left_split = evaluate(&left_range, &split.left, depth, &samples, rng);
            frontier.push(Pending { id: left_id + 1, range: right_range, stats: split.right, depth, split: right_split });
            frontier.push(Pending { id: left_id, range: left_range, stats: split.left, depth, split: left_split });
        }
        Ok(GrownTree { tree: Tree { nodes, values, n_values }, samples, leaf_ranges })
    }

    /// The node's split and its impurity improvement, or None when sklearn's stopping rules make it a leaf.
    fn evaluate(&self, splitter: &NodeSplitter, samples: &[u32], stats: &[f64], depth: usize, root_weight: f64, rng: &mut Rng) -> Option<(Split, f64)> {
        let rules = &self.rules;
        let n = samples.len();
        let leaf_by_size = self.rules.max_depth.is_some_and(|d| depth >= d)
            || n < rules.min_samples_split
            || n < 2 * rules.split.min_samples_leaf
            || stats[WEIGHT] < 2.0 * rules.split.min_weight_leaf;
        if leaf_by_size || self.criterion.impurity(stats) <= EPSILON {
            return None;
        }
        let split = splitter.find(samples, stats, rng)?;
        let improvement = self.criterion.improvement(stats, &split.left, &split.right, root_weight);
        if improvement + EPSILON < rules.min_impurity_decrease {
            return None;
        }
        Some((split, improvement))
    }
}

/// Moves the elements satisfying `left` to the front; returns how many there are.
fn partition(slice: &mut [u32], left: impl Fn(u32) -> bool) -> usize {
    let mut mid = 0;
    for i in 0..slice.len() {
        if left(slice[i]) {
            slice.swap(i, mid);
            mid += 1;
        }
    }
    mid
}
