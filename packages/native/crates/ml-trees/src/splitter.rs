//! scikit-learn 1.2's dense splitters (`_splitter.pyx` `BestSplitter`, `RandomSplitter`), step for step. The
//! splitter owns the sample array — a node is `samples[start..end]` — and reorders it exactly as sklearn does: the
//! best splitter sorts the node by every feature it evaluates, the random splitter partitions it around every
//! drawn threshold, and both finally partition it around the chosen split. Features are drawn without replacement
//! by a Fisher–Yates walk over one `features` array shared by all nodes, skipping features known to be constant in
//! the node (found so in an ancestor), until `max_features` have been visited and at least one was not constant.
//! Two shortcuts leave the result as it is: a node whose values of a feature are all distinct has one sorted order,
//! which a radix sort reaches faster than introsort, and a candidate whose proxy certainly cannot beat the best so
//! far is not computed (`Criterion::proxy_may_exceed`).

use crate::criterion::Criterion;
use crate::features::{FeatureMatrix, Ties};
use crate::rand_r::RandR;
use crate::sort::{sort, sort_distinct, sort_if_distinct};

/// sklearn's `FEATURE_THRESHOLD`: values closer than this (in float32) are one value.
const FEATURE_THRESHOLD: f32 = 1e-7;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SplitterKind {
    /// The best threshold of every visited feature (decision trees, random forests, gradient boosting).
    Best,
    /// One random threshold per visited feature (extra trees).
    Random,
}

/// Which splits a node may take.
#[derive(Clone, Copy, Debug)]
pub struct SplitRules {
    pub kind: SplitterKind,
    pub max_features: usize,
    pub min_samples_leaf: usize,
    /// Absolute weight (min_weight_fraction_leaf × the tree's total weight).
    pub min_weight_leaf: f64,
}

/// A node's split: samples[start..pos] go left (`x[feature] <= threshold`).
#[derive(Clone, Copy, Debug)]
pub struct SplitRecord {
    pub feature: usize,
    pub pos: usize,
    pub threshold: f64,
    pub improvement: f64,
    pub impurity_left: f64,
    pub impurity_right: f64,
}

pub struct Splitter<'a, C: Criterion> {
    x: &'a FeatureMatrix,
    pub criterion: C,
    rules: SplitRules,
    rand: RandR,
    /// Rows with a non-zero weight, reordered node by node.
    pub samples: Vec<u32>,
    features: Vec<usize>,
    constant_features: Vec<usize>,
    /// The visited feature's values of the node's samples, aligned with `samples`.
    values: Vec<f32>,
    /// Buffers of the sorts.
    sort_pairs: Vec<(f32, u32)>,
    sort_keys: Vec<u64>,
    sort_scratch: Vec<u64>,
    start: usize,
    end: usize,
}

impl<'a, C: Criterion> Splitter<'a, C> {
    /// `Splitter.init`: the samples are the rows of non-zero weight, in row order.
    pub fn new(x: &'a FeatureMatrix, criterion: C, rules: SplitRules, rand: RandR, weights: &[f64]) -> Self {
        let samples: Vec<u32> = (0..x.n_rows as u32).filter(|&i| weights[i as usize] != 0.0).collect();
        Splitter {
            x,
            criterion,
            rules,
            rand,
            values: vec![0.0; x.n_rows],
            sort_pairs: Vec::new(),
            sort_keys: Vec::new(),
            sort_scratch: Vec::new(),
            samples,
            features: (0..x.n_features).collect(),
            constant_features: vec![0; x.n_features],
            start: 0,
            end: 0,
        }
    }

    /// `node_reset`: the criterion's statistics of samples[start..end]; returns their total weight.
    pub fn node_reset(&mut self, start: usize, end: usize) -> f64 {
        self.start = start;
        self.end = end;
        self.criterion.init(&self.samples, start, end);
        self.criterion.window().weighted_n_node_samples
    }

    /// `node_split`: the best split found, or one with `pos == end` when none is valid. `n_constant_features` is the
    /// count known constant in this node on entry, and in its children on return.
    pub fn node_split(&mut self, impurity: f64, n_constant_features: &mut usize) -> SplitRecord {
        let n_known_constants = *n_constant_features;
        let (mut best, n_total_constants, n_found_constants) = match self.rules.kind {
            SplitterKind::Best => self.search_best(n_known_constants),
            SplitterKind::Random => self.search_random(n_known_constants),
        };
        if best.pos < self.end {
            let c = &mut self.criterion;
            c.reset();
            c.update(&self.samples, best.pos);
            let (left, right) = c.children_impurity(&self.samples);
            best.impurity_left = left;
            best.impurity_right = right;
            best.improvement = c.impurity_improvement(impurity, left, right);
        }
        // Known constants keep their order for siblings and children; newly found ones are recorded after them.
        self.features[..n_known_constants].copy_from_slice(&self.constant_features[..n_known_constants]);
        let found = n_known_constants..n_known_constants + n_found_constants;
        self.constant_features[found.clone()].copy_from_slice(&self.features[found]);
        *n_constant_features = n_total_constants;
        best
    }

    /// Moves samples[start..end] with `x[feature] <= threshold` to the front (sklearn's two-ended swap).
    fn partition(&mut self, feature: usize, threshold: f64) {
        let column = self.x.column(feature);
        let samples = &mut self.samples[self.start..self.end];
        let (mut p, mut partition_end) = (0, samples.len());
        while p < partition_end {
            if f64::from(column[samples[p] as usize]) <= threshold {
                p += 1;
            } else {
                partition_end -= 1;
                samples.swap(p, partition_end);
            }
        }
    }

    /// The Fisher–Yates feature walk both splitters share; `evaluate(self, feature)` returns false when the feature
    /// is constant in the node. Returns (n_total_constants, n_found_constants).
    fn walk_features(
        &mut self,
        n_known_constants: usize,
        mut evaluate: impl FnMut(&mut Self, usize) -> bool,
    ) -> (usize, usize) {
        let n_features = self.features.len();
        let (mut f_i, mut n_visited, mut n_found_constants, mut n_drawn_constants) = (n_features, 0, 0, 0);
        let mut n_total_constants = n_known_constants;
        while f_i > n_total_constants
            && (n_visited < self.rules.max_features || n_visited <= n_found_constants + n_drawn_constants)
        {
            n_visited += 1;
            let mut f_j = self.rand.int(n_drawn_constants, f_i - n_found_constants);
            if f_j < n_known_constants {
                self.features.swap(n_drawn_constants, f_j);
                n_drawn_constants += 1;
                continue;
            }
            f_j += n_found_constants;
            let feature = self.features[f_j];
            if !evaluate(self, feature) {
                self.features.swap(f_j, n_total_constants);
                n_found_constants += 1;
                n_total_constants += 1;
                continue;
            }
            f_i -= 1;
            self.features.swap(f_i, f_j);
        }
        (n_total_constants, n_found_constants)
    }

    fn search_best(&mut self, n_known_constants: usize) -> (SplitRecord, usize, usize) {
        let (start, end) = (self.start, self.end);
        let mut best = SplitRecord {
            feature: 0,
            pos: end,
            threshold: 0.0,
            improvement: f64::NEG_INFINITY,
            impurity_left: f64::INFINITY,
            impurity_right: f64::INFINITY,
        };
        let mut best_proxy = f64::NEG_INFINITY;
        let (min_samples_leaf, min_weight_leaf) = (self.rules.min_samples_leaf, self.rules.min_weight_leaf);
        let (n_total, n_found) = self.walk_features(n_known_constants, |s, feature| {
            let column = s.x.column(feature);
            for (v, &i) in s.values[start..end].iter_mut().zip(&s.samples[start..end]) {
                *v = column[i as usize];
            }
            let (values, samples) = (&mut s.values[start..end], &mut s.samples[start..end]);
            // Without equal values the sorted order is unique: a radix sort reaches it faster than introsort.
            if s.x.ties(feature) == Ties::None {
                sort_distinct(values, samples, &mut s.sort_keys, &mut s.sort_scratch);
            } else if !(s.x.likely_distinct(feature, end - start)
                && sort_if_distinct(values, samples, &mut s.sort_keys, &mut s.sort_scratch))
            {
                sort(values, samples, &mut s.sort_pairs);
            }
            let xf = &s.values;
            if xf[end - 1] <= xf[start] + FEATURE_THRESHOLD {
                return false;
            }
            s.criterion.reset();
            let mut p = start;
            while p < end {
                while p + 1 < end && xf[p + 1] <= xf[p] + FEATURE_THRESHOLD {
                    p += 1;
                }
                p += 1;
                if p >= end || p - start < min_samples_leaf || end - p < min_samples_leaf {
                    continue;
                }
                s.criterion.update(&s.samples, p);
                let w = s.criterion.window();
                if w.weighted_n_left < min_weight_leaf
                    || w.weighted_n_right < min_weight_leaf
                    || !s.criterion.proxy_may_exceed(best_proxy)
                {
                    continue;
                }
                let proxy = s.criterion.proxy_impurity_improvement(&s.samples);
                if proxy > best_proxy {
                    best_proxy = proxy;
                    // The midpoint as a sum of halves (never infinite); a midpoint that rounds up onto the right value
                    // would send it left, so the left value is the threshold then.
                    let (a, b) = (f64::from(xf[p - 1]), f64::from(xf[p]));
                    let mut threshold = a / 2.0 + b / 2.0;
                    if threshold == b || threshold.is_infinite() {
                        threshold = a;
                    }
                    best = SplitRecord { feature, pos: p, threshold, ..best };
                }
            }
            true
        });
        if best.pos < end {
            self.partition(best.feature, best.threshold);
        }
        (best, n_total, n_found)
    }

    fn search_random(&mut self, n_known_constants: usize) -> (SplitRecord, usize, usize) {
        let (start, end) = (self.start, self.end);
        let mut best = SplitRecord {
            feature: 0,
            pos: end,
            threshold: 0.0,
            improvement: f64::NEG_INFINITY,
            impurity_left: f64::INFINITY,
            impurity_right: f64::INFINITY,
        };
        let mut best_proxy = f64::NEG_INFINITY;
        let (min_samples_leaf, min_weight_leaf) = (self.rules.min_samples_leaf, self.rules.min_weight_leaf);
        // The last feature drawn: when it is the best one, the samples are already partitioned around its threshold.
        let mut last_feature = usize::MAX;
        let (n_total, n_found) = self.walk_features(n_known_constants, |s, feature| {
            last_feature = feature;
            let column = s.x.column(feature);
            let (samples, values) = (&mut s.samples[start..end], &mut s.values[start..end]);
            let mut min = column[samples[0] as usize];
            let mut max = min;
            for (v, &i) in values.iter_mut().zip(samples.iter()) {
                *v = column[i as usize];
            }
            for &v in &values[1..] {
                if v < min {
                    min = v;
                } else if v > max {
                    max = v;
                }
            }
            if max <= min + FEATURE_THRESHOLD {
                return false;
            }
            let mut threshold = s.rand.uniform(f64::from(min), f64::from(max));
            if threshold == f64::from(max) {
                threshold = f64::from(min);
            }
            let (mut p, mut partition_end) = (0, values.len());
            while p < partition_end {
                if f64::from(values[p]) <= threshold {
                    p += 1;
                } else {
                    partition_end -= 1;
                    values.swap(p, partition_end);
                    samples.swap(p, partition_end);
                }
            }
            let pos = start + partition_end;
            if pos - start < min_samples_leaf || end - pos < min_samples_leaf {
                return true;
            }
            s.criterion.reset();
            s.criterion.update(&s.samples, pos);
            let w = s.criterion.window();
            if w.weighted_n_left < min_weight_leaf || w.weighted_n_right < min_weight_leaf {
                return true;
            }
            let proxy = s.criterion.proxy_impurity_improvement(&s.samples);
            if proxy > best_proxy {
                best_proxy = proxy;
                best = SplitRecord { feature, pos, threshold, ..best };
            }
            true
        });
        if best.pos < end && last_feature != best.feature {
            self.partition(best.feature, best.threshold);
        }
        (best, n_total, n_found)
    }
}
