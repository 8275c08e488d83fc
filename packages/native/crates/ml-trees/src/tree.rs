//! A fitted tree as flat arrays: 16-byte nodes whose two children sit side by side (`child`, `child + 1`), so
//! prediction is one load and one compare per level; leaves index a row of `values`.
//!
//! Body: `u32 n_nodes, u32 n_leaves, n_nodes × (f64 threshold, u32 feature, u32 child), f64 values[n_leaves ×
//! n_values]`; a leaf has feature `LEAF` and `child` = its leaf index. `n_values` comes from the enclosing model.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};

pub const LEAF: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Node {
    pub threshold: f64,
    pub feature: u32,
    /// Internal node: index of the left child (the right one follows). Leaf: the leaf index.
    pub child: u32,
}

impl Node {
    pub const PENDING: Node = Node { threshold: 0.0, feature: LEAF, child: 0 };

    pub fn leaf(index: usize) -> Node {
        Node { threshold: 0.0, feature: LEAF, child: index as u32 }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
    /// n_leaves × n_values.
    pub values: Vec<f64>,
    pub n_values: usize,
}

impl Tree {
    /// The leaf `row` lands in: left when `row[feature] <= threshold`, as sklearn (which compares float32 X).
    #[inline]
    pub fn leaf<T: Copy + Into<f64>>(&self, row: &[T]) -> usize {
        self.leaf_with(|f| row[f].into())
    }

    /// The leaf of the row whose feature f is `value(f)`.
    #[inline]
    pub fn leaf_with(&self, value: impl Fn(usize) -> f64) -> usize {
        let mut node = self.nodes[0];
        while node.feature != LEAF {
            let right = usize::from(value(node.feature as usize) > node.threshold);
            node = self.nodes[node.child as usize + right];
        }
        node.child as usize
    }

    #[inline]
    pub fn leaf_values(&self, leaf: usize) -> &[f64] {
        &self.values[leaf * self.n_values..(leaf + 1) * self.n_values]
    }

    pub fn n_leaves(&self) -> usize {
        self.values.len() / self.n_values
    }

    /// Deepest root-to-leaf path (edges).
    pub fn depth(&self) -> usize {
        let mut depth = vec![0usize; self.nodes.len()];
        let mut max = 0;
        for (i, node) in self.nodes.iter().enumerate() {
            if node.feature != LEAF {
                let c = node.child as usize;
                depth[c] = depth[i] + 1;
                depth[c + 1] = depth[i] + 1;
                max = max.max(depth[i] + 1);
            }
        }
        max
    }

    pub fn write(&self, w: &mut Writer) {
        w.u32(self.nodes.len() as u32);
        w.u32(self.n_leaves() as u32);
        for node in &self.nodes {
            w.f64s(&[node.threshold]);
            w.u32(node.feature);
            w.u32(node.child);
        }
        w.f64s(&self.values);
    }

    /// Reads a body and checks it describes a tree over `n_features` features whose every path ends in a leaf
    /// (children always come after their parent, so no cycle is possible).
    pub fn read(r: &mut Reader, n_features: usize, n_values: usize) -> Result<Tree> {
        let n_nodes = r.dim("tree nodes")?;
        let n_leaves = r.dim("tree leaves")?;
        let mut nodes = Vec::new();
        for i in 0..n_nodes {
            let threshold = r.f64s("threshold", 1)?[0];
            let (feature, child) = (r.u32()?, r.u32()?);
            let ok = if feature == LEAF {
                (child as usize) < n_leaves
            } else {
                (feature as usize) < n_features && child as usize > i && (child as usize) + 1 < n_nodes
            };
            if !ok {
                return Err(Error::corrupt(format!(
                    "tree node {i} (feature {feature}, child {child}) is inconsistent"
                )));
            }
            nodes.push(Node { threshold, feature, child });
        }
        let size = n_leaves.checked_mul(n_values).ok_or_else(|| Error::corrupt("leaf values size overflows"))?;
        let values = r.f64s("leaf values", size)?;
        Ok(Tree { nodes, values, n_values })
    }
}

/// `n_trees` tree bodies. Grown one by one: a corrupt count fails on the first missing tree instead of reserving
/// memory for all of them.
pub fn read_trees(r: &mut Reader, n_trees: usize, n_features: usize, n_values: usize) -> Result<Vec<Tree>> {
    let mut trees = Vec::new();
    for _ in 0..n_trees {
        trees.push(Tree::read(r, n_features, n_values)?);
    }
    Ok(trees)
}
