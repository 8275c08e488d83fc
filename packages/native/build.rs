// OpenBLAS (Debian libopenblas-dev) backs blasSgemv/blasSdot. The napi_* symbols stay undefined in the
// cdylib on purpose: the node binary that dlopen()s the addon provides them.
fn main() {
    println!("cargo:rustc-link-lib=openblas");
    println!("cargo:rerun-if-changed=build.rs");
}
