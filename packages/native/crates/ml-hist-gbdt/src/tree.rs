//! One fitted tree as prediction reads it (sklearn's `TreePredictor`): nodes in depth-first order, left child
//! first, so children always come after their parent — which is what `read` checks to rule out cycles.
//!
//! Body of a tree: `u32 n_nodes`, then per node `u32 feature` (`u32::MAX` for a leaf), `u32 left`, `u32 right`,
//! `u32 missing_go_to_left` (0/1), `f64 threshold` (split nodes: go left when x ≤ threshold; +inf for a split that
//! sends only NaNs right), `f64 value` (leaves: the shrunk leaf value).

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};

use crate::binning::BinnedMatrix;

pub const LEAF: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Node {
    pub feature: u32,
    pub left: u32,
    pub right: u32,
    pub missing_go_to_left: bool,
    /// Bin threshold of the split, for predicting binned validation rows during fit; not serialized.
    pub bin: u8,
    pub threshold: f64,
    pub value: f64,
}

impl Node {
    pub fn leaf(value: f64) -> Node {
        Node { feature: LEAF, left: 0, right: 0, missing_go_to_left: false, bin: 0, threshold: 0.0, value }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tree {
    nodes: Vec<Node>,
    /// The prediction form of `nodes`: leaves loop to themselves (threshold +inf, both children = self), so a block
    /// of rows can take `depth` steps with no per-row leaf test and no data-dependent branch — independent rows then
    /// overlap in the CPU instead of waiting on one another's mispredicted branches.
    walk: Vec<WalkNode>,
    depth: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct WalkNode {
    threshold: f64,
    value: f64,
    feature: u32,
    left: u32,
    right: u32,
    missing_go_to_left: bool,
}

/// Rows walked through a tree together.
pub const BLOCK_ROWS: usize = 16;

impl Tree {
    /// `nodes` in depth-first order with children after their parents (as `grower` and `read` produce them).
    pub fn new(nodes: Vec<Node>) -> Tree {
        let walk: Vec<WalkNode> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| match n.feature {
                LEAF => WalkNode {
                    threshold: f64::INFINITY,
                    value: n.value,
                    feature: 0,
                    left: i as u32,
                    right: i as u32,
                    missing_go_to_left: true,
                },
                f => WalkNode {
                    threshold: n.threshold,
                    value: n.value,
                    feature: f,
                    left: n.left,
                    right: n.right,
                    missing_go_to_left: n.missing_go_to_left,
                },
            })
            .collect();
        let mut depths = vec![0usize; nodes.len()];
        for (i, n) in nodes.iter().enumerate() {
            if n.feature != LEAF {
                depths[n.left as usize] = depths[i] + 1;
                depths[n.right as usize] = depths[i] + 1;
            }
        }
        let depth = depths.into_iter().max().unwrap_or(0);
        Tree { nodes, walk, depth }
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// `out[r * stride] += leaf value` for each row r of `rows` (row-major, `p` columns, at most `BLOCK_ROWS` rows).
    #[inline]
    pub fn add_block(&self, rows: &[f64], p: usize, out: &mut [f64], stride: usize) {
        let m = rows.len() / p;
        let mut at = [0u32; BLOCK_ROWS];
        for _ in 0..self.depth {
            for (r, node) in at.iter_mut().enumerate().take(m) {
                let n = &self.walk[*node as usize];
                let x = rows[r * p + n.feature as usize];
                let left = (x <= n.threshold) | (x.is_nan() & n.missing_go_to_left);
                *node = if left { n.left } else { n.right };
            }
        }
        for (r, node) in at.iter().enumerate().take(m) {
            out[r * stride] += self.walk[*node as usize].value;
        }
    }

    /// The leaf value for row `i` of binned data, whose missing bin for feature f is `missing_bins[f]`.
    pub fn predict_binned(&self, binned: &BinnedMatrix, i: usize, missing_bins: &[u8]) -> f64 {
        let mut node = &self.nodes[0];
        while node.feature != LEAF {
            let f = node.feature as usize;
            let bin = binned.bins[f * binned.rows + i];
            let left = if bin == missing_bins[f] { node.missing_go_to_left } else { bin <= node.bin };
            node = &self.nodes[if left { node.left } else { node.right } as usize];
        }
        node.value
    }

    pub fn write(&self, w: &mut Writer) {
        w.u32(self.nodes.len() as u32);
        for n in &self.nodes {
            w.u32(n.feature);
            w.u32(n.left);
            w.u32(n.right);
            w.u32(u32::from(n.missing_go_to_left));
            w.f64s(&[n.threshold, n.value]);
        }
    }

    pub fn read(r: &mut Reader, n_features: usize) -> Result<Tree> {
        let n_nodes = r.dim("tree node count")?;
        // No capacity from the untrusted count: a huge one fails on the first truncated node instead.
        let mut nodes = Vec::new();
        for i in 0..n_nodes {
            let (feature, left, right, missing) = (r.u32()?, r.u32()?, r.u32()?, r.u32()?);
            let tv = r.f64s("tree node", 2)?;
            let (threshold, value) = (tv[0], tv[1]);
            if feature == LEAF {
                if !value.is_finite() {
                    return Err(Error::corrupt(format!("tree leaf {i} has value {value}")));
                }
                nodes.push(Node::leaf(value));
                continue;
            }
            let child_ok = |c: u32| (c as usize) > i && (c as usize) < n_nodes;
            if feature as usize >= n_features
                || !child_ok(left)
                || !child_ok(right)
                || missing > 1
                || threshold.is_nan()
            {
                return Err(Error::corrupt(format!("tree node {i} is inconsistent")));
            }
            nodes.push(Node { feature, left, right, missing_go_to_left: missing == 1, bin: 0, threshold, value });
        }
        Ok(Tree::new(nodes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stump() -> Tree {
        let split =
            Node { feature: 1, left: 1, right: 2, missing_go_to_left: true, bin: 3, threshold: 0.5, value: 0.0 };
        Tree::new(vec![split, Node::leaf(-1.0), Node::leaf(2.0)])
    }

    #[test]
    fn rows_follow_thresholds_and_nans_their_direction() {
        let t = stump();
        let mut out = [0.0; 6];
        t.add_block(&[9.0, 0.5, 9.0, 0.6, 9.0, f64::NAN], 2, &mut out, 2);
        assert_eq!(out, [-1.0, 0.0, 2.0, 0.0, -1.0, 0.0]);
    }

    #[test]
    fn round_trip_and_corrupt_nodes() {
        let t = stump();
        let mut w = Writer::new(1);
        t.write(&mut w);
        let bytes = w.finish();
        let (mut r, _) = Reader::open(&bytes).unwrap();
        let back = Tree::read(&mut r, 2).unwrap();
        assert_eq!(
            back.nodes.iter().map(|n| (n.feature, n.threshold, n.value)).collect::<Vec<_>>(),
            t.nodes.iter().map(|n| (n.feature, n.threshold, n.value)).collect::<Vec<_>>()
        );
        let (mut r, _) = Reader::open(&bytes).unwrap();
        assert!(Tree::read(&mut r, 1).is_err(), "feature out of range");
        let mut nodes = t.nodes().to_vec();
        nodes[0].right = 0;
        let cyclic = Tree { nodes, walk: Vec::new(), depth: 0 };
        let mut w = Writer::new(1);
        cyclic.write(&mut w);
        let bytes = w.finish();
        let (mut r, _) = Reader::open(&bytes).unwrap();
        assert!(Tree::read(&mut r, 2).is_err(), "a child before its parent");
    }
}
