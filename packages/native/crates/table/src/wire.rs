//! PostgreSQL's wire protocol around a COPY TO STDOUT, stripped natively: a driver can hand the socket's bytes to the
//! decoder as they arrive instead of parsing every CopyData message in JavaScript (one JS object per row, the largest
//! cost left in reading a table). Messages are a type byte, an i32 length (itself included) and a body:
//! CopyOutResponse 'H' starts the copy, CopyData 'd' carries the COPY stream, CopyDone 'c' ends it; NoticeResponse
//! 'N', ParameterStatus 'S' and NotificationResponse 'A' may come in between and are skipped. At CopyDone — or any
//! other message (an ErrorResponse 'E' when the query fails mid-copy) — the driver's own parser takes over again.

use pgml_ml_core::Result;

use crate::copy_format::{be_i32, copy_error};

/// Where the copy's messages end in a chunk: `Handback(offset)` — the driver's parser takes the chunk from `offset`
/// (after CopyDone, or at the message that is not part of the copy) and `carried` (the start of that message, cut
/// off in the previous chunk) goes before it.
#[derive(Debug, PartialEq)]
pub enum WireEnd {
    /// The whole chunk belonged to the copy.
    Consumed,
    Handback {
        offset: usize,
        carried: Vec<u8>,
    },
}

#[derive(Default)]
pub struct WireFramer {
    /// A message header (5 bytes) cut by the end of the previous chunk.
    header: Vec<u8>,
    /// Body bytes of the current message still to come, and whether they are copy data.
    remaining: usize,
    copy_data: bool,
}

impl WireFramer {
    /// Feeds `chunk`: copy data goes to `on_data` (borrowed slices of `chunk`, in order).
    pub fn push(&mut self, chunk: &[u8], on_data: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<WireEnd> {
        let mut pos = 0;
        loop {
            if self.remaining > 0 {
                let n = self.remaining.min(chunk.len() - pos);
                if self.copy_data {
                    on_data(&chunk[pos..pos + n])?;
                }
                self.remaining -= n;
                pos += n;
            }
            if pos == chunk.len() {
                return Ok(WireEnd::Consumed);
            }
            // A header: completed from a carried part, or read whole from the chunk.
            let carried = self.header.len();
            let take = (5 - carried).min(chunk.len() - pos);
            self.header.extend_from_slice(&chunk[pos..pos + take]);
            if self.header.len() < 5 {
                return Ok(WireEnd::Consumed);
            }
            let header = std::mem::take(&mut self.header);
            let length = be_i32(&header[1..]);
            if length < 4 {
                return Err(copy_error(format!("protocol message {:?} with length {length}", header[0] as char)));
            }
            match header[0] {
                b'd' | b'H' | b'N' | b'S' | b'A' => {
                    self.copy_data = header[0] == b'd';
                    self.remaining = length as usize - 4;
                    pos += take;
                }
                // CopyDone has no body: the driver's parser resumes right after it.
                b'c' => return Ok(WireEnd::Handback { offset: pos + take, carried: Vec::new() }),
                // Anything else (ErrorResponse, …) is for the driver, header included.
                _ => return Ok(WireEnd::Handback { offset: pos, carried: header[..carried].to_vec() }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![kind];
        out.extend_from_slice(&((body.len() + 4) as i32).to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    fn run(wire: &[u8], chunk: usize) -> (Vec<u8>, Vec<u8>) {
        let mut framer = WireFramer::default();
        let mut data = Vec::new();
        for (i, piece) in wire.chunks(chunk).enumerate() {
            match framer
                .push(piece, &mut |d| {
                    data.extend_from_slice(d);
                    Ok(())
                })
                .unwrap()
            {
                WireEnd::Consumed => continue,
                WireEnd::Handback { offset, carried } => {
                    let mut rest = carried;
                    rest.extend_from_slice(&piece[offset..]);
                    rest.extend_from_slice(&wire[(i + 1) * chunk.min(wire.len())..]);
                    return (data, rest);
                }
            }
        }
        (data, Vec::new())
    }

    #[test]
    fn strips_copy_data_and_hands_back_what_follows_copy_done() {
        let mut wire = message(b'H', &[0, 0, 1, 0, 1]);
        wire.extend(message(b'd', b"hello "));
        wire.extend(message(b'N', b"a notice"));
        wire.extend(message(b'd', b"world"));
        wire.extend(message(b'c', b""));
        let tail = [message(b'C', b"COPY 2\0"), message(b'Z', b"I")].concat();
        wire.extend(&tail);
        for chunk in [1, 2, 3, 5, 7, 64] {
            assert_eq!(run(&wire, chunk), (b"hello world".to_vec(), tail.clone()), "chunk {chunk}");
        }
    }

    #[test]
    fn an_error_mid_copy_goes_back_to_the_driver_whole() {
        let error = message(b'E', b"SERROR\0");
        let wire = [message(b'H', &[0, 0, 0]), message(b'd', b"partial"), error.clone()].concat();
        for chunk in [1, 2, 4, 9, 100] {
            let (data, rest) = run(&wire, chunk);
            assert_eq!((data.as_slice(), rest), (&b"partial"[..], error.clone()), "chunk {chunk}");
        }
    }
}
