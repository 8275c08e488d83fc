//! Growing one tree the way scikit-learn 1.2's `DepthFirstTreeBuilder` and `BestFirstTreeBuilder` (`_tree.pyx`) do:
//! the same stopping rules, the same order of node evaluations — which fixes the order of the splitter's random
//! draws and of its reorderings of the sample array — and children's impurities taken from their parent's split.
//! Without `max_leaf_nodes` nodes are split as they are popped from a stack (left subtree first); with it, every
//! node is evaluated when created and the frontier (libstdc++'s heap, by impurity improvement) expands the best
//! until `max_leaf_nodes − 1` splits are made. Leaves store the criterion's node value (class counts or means).

use pgml_ml_core::error::{Error, Result};

use crate::criterion::Criterion;
use crate::heap::{pop_heap, push_heap};
use crate::splitter::{SplitRecord, Splitter};
use crate::tree::{Node, Tree};

/// sklearn's EPSILON (np.finfo(float).eps): impurity at or below it makes a leaf.
const EPSILON: f64 = f64::EPSILON;

/// Nodes processed between polls of the cancellation flag.
const CANCEL_POLL: usize = 256;

#[derive(Clone, Copy, Debug)]
pub struct GrowRules {
    pub max_depth: Option<usize>,
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
    /// Absolute weight (min_weight_fraction_leaf × the tree's total weight).
    pub min_weight_leaf: f64,
    pub max_leaf_nodes: Option<usize>,
    pub min_impurity_decrease: f64,
}

impl GrowRules {
    /// The size and weight rules that make a node a leaf before any split is tried.
    fn too_small(&self, depth: usize, n: usize, weight: f64) -> bool {
        self.max_depth.is_some_and(|d| depth >= d)
            || n < self.min_samples_split
            || n < 2 * self.min_samples_leaf
            || weight < 2.0 * self.min_weight_leaf
    }

    /// sklearn's test, negated as it writes it (`pos >= end or improvement + EPSILON < min_impurity_decrease`).
    fn worth_splitting(&self, split: &SplitRecord, end: usize) -> bool {
        !(split.pos >= end || split.improvement + EPSILON < self.min_impurity_decrease)
    }
}

struct Builder<'s, 'x, C: Criterion> {
    splitter: &'s mut Splitter<'x, C>,
    rules: GrowRules,
    n_values: usize,
    nodes: Vec<Node>,
    values: Vec<f64>,
    cancelled: &'s (dyn Fn() -> bool + Sync),
    processed: usize,
}

impl<C: Criterion> Builder<'_, '_, C> {
    fn poll(&mut self) -> Result<()> {
        self.processed += 1;
        if self.processed.is_multiple_of(CANCEL_POLL) && (self.cancelled)() {
            return Err(Error::aborted());
        }
        Ok(())
    }

    fn make_leaf(&mut self, id: usize, value: &[f64]) {
        self.nodes[id] = Node::leaf(self.values.len() / self.n_values);
        self.values.extend_from_slice(value);
    }

    /// Two adjacent child slots for node `id`; returns the left one's index.
    fn make_split(&mut self, id: usize, split: &SplitRecord) -> usize {
        let left = self.nodes.len();
        self.nodes.extend([Node::PENDING, Node::PENDING]);
        self.nodes[id] = Node { threshold: split.threshold, feature: split.feature as u32, child: left as u32 };
        left
    }

    fn node_value(&self) -> Vec<f64> {
        let mut value = vec![0.0; self.n_values];
        self.splitter.criterion.node_value(&mut value);
        value
    }

    fn depth_first(&mut self) -> Result<()> {
        struct Pending {
            id: usize,
            start: usize,
            end: usize,
            depth: usize,
            impurity: f64,
            n_constant_features: usize,
        }
        let n = self.splitter.samples.len();
        let mut stack =
            vec![Pending { id: 0, start: 0, end: n, depth: 0, impurity: f64::INFINITY, n_constant_features: 0 }];
        let mut first = true;
        while let Some(node) = stack.pop() {
            self.poll()?;
            let weight = self.splitter.node_reset(node.start, node.end);
            let mut is_leaf = self.rules.too_small(node.depth, node.end - node.start, weight);
            let mut impurity = node.impurity;
            if first {
                impurity = self.splitter.criterion.node_impurity();
                first = false;
            }
            is_leaf = is_leaf || impurity <= EPSILON;
            let mut n_constant_features = node.n_constant_features;
            let split = if is_leaf { None } else { Some(self.splitter.node_split(impurity, &mut n_constant_features)) };
            match split.filter(|s| self.rules.worth_splitting(s, node.end)) {
                None => {
                    let value = self.node_value();
                    self.make_leaf(node.id, &value);
                }
                Some(split) => {
                    let left = self.make_split(node.id, &split);
                    let depth = node.depth + 1;
                    stack.push(Pending {
                        id: left + 1,
                        start: split.pos,
                        end: node.end,
                        depth,
                        impurity: split.impurity_right,
                        n_constant_features,
                    });
                    stack.push(Pending {
                        id: left,
                        start: node.start,
                        end: split.pos,
                        depth,
                        impurity: split.impurity_left,
                        n_constant_features,
                    });
                }
            }
        }
        Ok(())
    }

    /// `_add_split_node`: evaluates samples[start..end] as node `id` (its split, if any, and its value).
    fn frontier_record(
        &mut self,
        id: usize,
        start: usize,
        end: usize,
        depth: usize,
        impurity: Option<f64>,
        values: &mut Vec<f64>,
    ) -> FrontierRecord {
        let weight = self.splitter.node_reset(start, end);
        let impurity = impurity.unwrap_or_else(|| self.splitter.criterion.node_impurity());
        let mut is_leaf = self.rules.too_small(depth, end - start, weight) || impurity <= EPSILON;
        // The best-first builder starts every node with no known constant feature.
        let mut n_constant_features = 0;
        let split = if is_leaf { None } else { Some(self.splitter.node_split(impurity, &mut n_constant_features)) };
        is_leaf = is_leaf || !split.is_some_and(|s| self.rules.worth_splitting(&s, end));
        let value_at = values.len();
        values.extend(self.node_value());
        match split.filter(|_| !is_leaf) {
            Some(s) => FrontierRecord {
                id,
                start,
                end,
                depth,
                value_at,
                pos: s.pos,
                is_leaf: false,
                improvement: s.improvement,
                split: Some(s),
            },
            None => FrontierRecord {
                id,
                start,
                end,
                depth,
                value_at,
                pos: end,
                is_leaf: true,
                improvement: 0.0,
                split: None,
            },
        }
    }

    fn best_first(&mut self, max_leaf_nodes: usize) -> Result<()> {
        let less = |a: &FrontierRecord, b: &FrontierRecord| a.improvement < b.improvement;
        let mut values = Vec::new();
        let n = self.splitter.samples.len();
        let mut frontier = vec![self.frontier_record(0, 0, n, 0, None, &mut values)];
        push_heap(&mut frontier, less);
        let mut split_budget = max_leaf_nodes - 1;
        while !frontier.is_empty() {
            self.poll()?;
            pop_heap(&mut frontier, less);
            let record = frontier.pop().expect("non-empty frontier");
            match record.split.filter(|_| !record.is_leaf && split_budget > 0) {
                None => self.make_leaf(record.id, &values[record.value_at..record.value_at + self.n_values]),
                Some(split) => {
                    split_budget -= 1;
                    let left = self.make_split(record.id, &split);
                    let depth = record.depth + 1;
                    let l = self.frontier_record(
                        left,
                        record.start,
                        record.pos,
                        depth,
                        Some(split.impurity_left),
                        &mut values,
                    );
                    let r = self.frontier_record(
                        left + 1,
                        record.pos,
                        record.end,
                        depth,
                        Some(split.impurity_right),
                        &mut values,
                    );
                    for child in [l, r] {
                        frontier.push(child);
                        push_heap(&mut frontier, less);
                    }
                }
            }
        }
        Ok(())
    }
}

/// A node of the best-first frontier (sklearn's `FrontierRecord`); its node value is `values[value_at..]`.
#[derive(Clone, Copy)]
struct FrontierRecord {
    id: usize,
    start: usize,
    end: usize,
    depth: usize,
    value_at: usize,
    pos: usize,
    is_leaf: bool,
    improvement: f64,
    split: Option<SplitRecord>,
}

/// Grows a tree over the splitter's samples; leaves hold `n_values` node values each.
pub fn grow<C: Criterion>(
    splitter: &mut Splitter<C>,
    rules: GrowRules,
    n_values: usize,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Tree> {
    if splitter.samples.is_empty() {
        return Err(Error::data("no training row has a positive weight"));
    }
    let mut builder =
        Builder { splitter, rules, n_values, nodes: vec![Node::PENDING], values: Vec::new(), cancelled, processed: 0 };
    match rules.max_leaf_nodes {
        None => builder.depth_first()?,
        Some(m) => builder.best_first(m)?,
    }
    Ok(Tree { nodes: builder.nodes, values: builder.values, n_values })
}
