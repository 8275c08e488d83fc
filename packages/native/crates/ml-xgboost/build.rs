// libxgboost-dev's shared library (/usr/lib/x86_64-linux-gnu/libxgboost.so): the same build python3-xgboost loads,
// which is what makes predictions identical to python-xgboost's.
fn main() {
    println!("cargo:rustc-link-lib=xgboost");
}
