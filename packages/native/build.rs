// The napi_* symbols stay undefined in the cdylib on purpose: the node binary that dlopen()s the addon provides them.
// OpenBLAS (Debian libopenblas-dev) is linked by crates/ml-core's `#[link]`, the workspace's one BLAS binding.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
}
