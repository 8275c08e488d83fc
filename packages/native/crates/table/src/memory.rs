//! Large matrices are first touched page by page as rows arrive; with 4 KiB pages a 160 MB matrix costs ~40,000 page
//! faults. Asking for transparent huge pages on the reserved range (Linux, where THP is `madvise`, the common
//! default) cuts that by 512× — it is only advice: elsewhere, or refused, nothing changes.

/// Reserved buffers at least this large get the advice (smaller ones gain nothing measurable).
const MIN_BYTES: usize = 8 << 20;

pub fn advise_huge_pages(buffer: &Vec<f64>) {
    let bytes = buffer.capacity() * std::mem::size_of::<f64>();
    if bytes < MIN_BYTES {
        return;
    }
    let page = 4096usize;
    let start = (buffer.as_ptr() as usize + page - 1) & !(page - 1);
    let end = (buffer.as_ptr() as usize + bytes) & !(page - 1);
    if end > start {
        // SAFETY: [start, end) lies inside the Vec's own allocation; MADV_HUGEPAGE changes no contents or mapping.
        unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
    }
}
