//! Joining large matrices without holding a third copy (the huge-page advice lives in `pgml_ml_core::memory`).

/// Moves `source` onto the end of `target`, releasing `source`'s pages as they are copied (MADV_DONTNEED on the part
/// already copied): two halves of a matrix read in parallel are joined without holding a third half in memory.
pub fn move_onto(target: &mut Vec<f64>, source: Vec<f64>) {
    // Growing a large allocation is an mremap for glibc: no copy, and untouched pages cost nothing.
    target.reserve_exact(source.len());
    const CHUNK: usize = 1 << 19; // 4 MiB of f64
    let page = 4096usize;
    let base = source.as_ptr() as usize;
    for (i, chunk) in source.chunks(CHUNK).enumerate() {
        target.extend_from_slice(chunk);
        // Release whole pages that lie entirely inside what has been copied so far.
        let copied_end = base + (i * CHUNK + chunk.len()) * std::mem::size_of::<f64>();
        let start = (base + i * CHUNK * std::mem::size_of::<f64>() + page - 1) & !(page - 1);
        let end = copied_end & !(page - 1);
        if end > start {
            // SAFETY: [start, end) lies inside `source`'s allocation, which is never read again at those addresses
            // (the loop only reads later chunks) and is freed below; DONTNEED only drops the pages' contents.
            unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_keeps_every_value_across_chunk_and_page_boundaries() {
        let source: Vec<f64> = (0..1_300_000).map(|i| i as f64 * 0.5).collect();
        let mut target: Vec<f64> = vec![-1.0; 1001];
        move_onto(&mut target, source);
        assert_eq!(target.len(), 1001 + 1_300_000);
        assert!(target[..1001].iter().all(|&v| v == -1.0));
        assert!(target[1001..].iter().enumerate().all(|(i, &v)| v == i as f64 * 0.5));
    }
}
