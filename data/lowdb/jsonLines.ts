import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** One line of a JSON-lines file (the audit log, the request archive): its bytes without the newline, and where. */
export interface FileLine {
  /** 1-based. */
  number: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  bytes: Buffer;
  /** False for a last line without its newline: an append in progress, or one cut off by a crash. */
  terminated: boolean;
}

/**
 * Streams the lines of a JSON-lines file up to byte `end` (exclusive; default: the whole file), in 1 MiB reads, as
 * one batch of lines per read, so a caller that indexes millions of lines pays no promise per line. `source` is a
 * path (a file that does not exist reads as empty) or a handle the caller keeps open (the stream never closes it).
 * A last line without its newline comes last, alone, with `terminated: false`.
 */
export async function* lineBatches(source: string | FileHandle, end?: number): AsyncGenerator<FileLine[]> {
  if (end === 0) return;
  const range = { start: 0, end: end === undefined ? undefined : end - 1, highWaterMark: 1 << 20 };
  const ownStream = typeof source === 'string';
  const stream = ownStream
    ? createReadStream(source, range)
    : source.createReadStream({ ...range, autoClose: false });
  let carry: Buffer = Buffer.alloc(0);
  let position = 0;
  let number = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const lines: FileLine[] = [];
      let start = 0;
      for (;;) {
        const newline = data.indexOf(10, start);
        if (newline < 0) break;
        lines.push({
          number: ++number,
          offset: position + start,
          bytes: data.subarray(start, newline),
          terminated: true,
        });
        start = newline + 1;
      }
      position += start;
      carry = data.subarray(start);
      if (lines.length > 0) yield lines;
    }
  } catch (error) {
    if (ownStream && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  } finally {
    // A stream on the caller's handle is left as it is: destroying it would close the handle.
    if (ownStream) stream.destroy();
  }
  if (carry.length > 0) yield [{ number: number + 1, offset: position, bytes: carry, terminated: false }];
}
