// Cuts a TCP byte stream into length-prefixed messages: Kafka frames and MongoDB wire messages alike.

/**
 * Chunks are only concatenated once a whole message is present, so a multi-megabyte message arriving in 64 KiB
 * pieces costs one copy, not many. `lengthOf` reads a message's whole length (prefix included) from its first four
 * bytes, and throws on one the protocol does not allow.
 */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly lengthOf: (head: Buffer) => number) {}

  /** Returns the complete messages, each with its length prefix, so it can be forwarded as is. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const length = this.lengthOf(this.peek(4));
      if (this.buffered < length) break;
      frames.push(this.take(length));
    }
    return frames;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length >= n) return this.chunks[0];
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined;
  }

  private take(n: number): Buffer {
    let first = this.chunks[0];
    if (first.length < n) {
      first = Buffer.concat(this.chunks);
      this.chunks = [first];
    }
    const out = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return out;
  }
}
