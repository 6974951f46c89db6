// A copy of what producers wrote through the front, so events the mock's small retention deleted can still be fetched.
import { WireReader } from './kafka-wire';

/*
 * librdkafka's mock keeps at most 5 MiB or 100,000 batches per partition and deletes older batches, so a consumer
 * that lags further (a service restarted after a burst, a benchmark at full load) would lose events real Kafka
 * keeps for days. The front sees every Produce and its answer: it keeps each acknowledged batch, with the offset
 * the mock gave it, up to a byte budget, and answers a Fetch the mock refuses as out of range from this copy.
 */

interface Batch {
  base: bigint;
  last: bigint;
  bytes: Buffer;
}

class PartitionLog {
  batches: Batch[] = [];
  /** Index of the oldest batch still kept (dropping from the front without shifting the array). */
  head = 0;

  add(batch: Batch): void {
    const tail = this.batches[this.batches.length - 1];
    if (!tail || tail.last < batch.base) {
      this.batches.push(batch);
      return;
    }
    // Answers from different connections can arrive out of offset order: keep the log sorted.
    let i = this.batches.length;
    while (i > this.head && this.batches[i - 1].base > batch.base) i--;
    if (this.batches[i - 1]?.base === batch.base) return;
    this.batches.splice(i, 0, batch);
  }

  dropOldest(): Batch | undefined {
    if (this.head >= this.batches.length) return undefined;
    const dropped = this.batches[this.head++];
    if (this.head > 1024 && this.head * 2 > this.batches.length) {
      this.batches = this.batches.slice(this.head);
      this.head = 0;
    }
    return dropped;
  }

  /** Batches from the one holding `offset`, up to `maxBytes` (at least one batch, as Kafka answers). */
  read(offset: bigint, maxBytes: number): Batch[] {
    let lo = this.head;
    let hi = this.batches.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.batches[mid];
      if (b.last < offset) lo = mid + 1;
      else if (b.base > offset) hi = mid - 1;
      else {
        const out: Batch[] = [];
        let size = 0;
        for (let i = mid; i < this.batches.length && (out.length === 0 || size < maxBytes); i++) {
          if (out.length && this.batches[i].base !== out[out.length - 1].last + 1n) break; // a gap: stop
          out.push(this.batches[i]);
          size += this.batches[i].bytes.length;
        }
        return out;
      }
    }
    return [];
  }
}

/** A Produce request's record batches, by topic and partition, waiting for the answer that gives their offsets. */
export type PendingProduce = Map<string, Map<number, Buffer>>;

export function parseProduceRequest(version: number, body: Buffer): PendingProduce | undefined {
  if (version < 3 || version > 8) return undefined;
  const r = new WireReader(body);
  r.nullableString(); // transactional_id
  r.int16(); // acks
  r.int32(); // timeout
  const out: PendingProduce = new Map();
  const topics = r.arrayLength();
  for (let t = 0; t < topics; t++) {
    const name = r.string();
    const partitions = new Map<number, Buffer>();
    const count = r.arrayLength();
    for (let p = 0; p < count; p++) {
      const index = r.int32();
      const length = r.int32();
      if (length <= 0) continue;
      partitions.set(index, Buffer.from(body.subarray(r.offset, r.offset + length)));
      r.skip(length);
    }
    out.set(name, partitions);
  }
  return out;
}

/** Base offsets the answer gives each partition written without error. */
export function parseProduceResponse(version: number, body: Buffer): Map<string, Map<number, bigint>> {
  const r = new WireReader(body);
  const out = new Map<string, Map<number, bigint>>();
  const topics = r.arrayLength();
  for (let t = 0; t < topics; t++) {
    const name = r.string();
    const partitions = new Map<number, bigint>();
    const count = r.arrayLength();
    for (let p = 0; p < count; p++) {
      const index = r.int32();
      const error = r.int16();
      const base = r.int64();
      r.skip(8); // log_append_time
      if (version >= 5) r.skip(8); // log_start_offset
      if (version >= 8) {
        const recordErrors = r.arrayLength();
        for (let e = 0; e < recordErrors; e++) {
          r.int32();
          r.nullableString();
        }
        r.nullableString(); // error_message
      }
      if (error === 0 && base >= 0n) partitions.set(index, base);
    }
    out.set(name, partitions);
  }
  return out;
}

export class RetainedLog {
  private readonly partitions = new Map<string, PartitionLog>();
  /** Oldest first, across partitions, for the byte budget. */
  private readonly order: PartitionLog[] = [];
  private orderHead = 0;
  private size = 0;

  constructor(private readonly budgetBytes: number) {}

  get bytes(): number {
    return this.size;
  }

  /** Keeps the batches of an acknowledged Produce, stamped with the offsets the mock gave them. */
  record(pending: PendingProduce, offsets: Map<string, Map<number, bigint>>): void {
    if (this.budgetBytes <= 0) return;
    for (const [topic, partitions] of pending) {
      for (const [index, records] of partitions) {
        const base = offsets.get(topic)?.get(index);
        // Only v2 batches (magic 2) carry a record count the way the mock reads it.
        if (base === undefined || records.length < 61 || records.readInt8(16) !== 2) continue;
        const count = records.readInt32BE(57);
        records.writeBigInt64BE(base, 0);
        const key = `${topic}\u0000${index}`;
        let log = this.partitions.get(key);
        if (!log) this.partitions.set(key, (log = new PartitionLog()));
        log.add({ base, last: base + BigInt(count) - 1n, bytes: records });
        this.order.push(log);
        this.size += records.length;
      }
    }
    while (this.size > this.budgetBytes && this.orderHead < this.order.length) {
      const dropped = this.order[this.orderHead++].dropOldest();
      if (dropped) this.size -= dropped.bytes.length;
    }
    if (this.orderHead > 4096 && this.orderHead * 2 > this.order.length) {
      this.order.splice(0, this.orderHead);
      this.orderHead = 0;
    }
  }

  /** The kept batches from `offset` on, up to about `maxBytes`; empty when the copy does not reach that far back. */
  read(topic: string, partition: number, offset: bigint, maxBytes: number): Buffer[] {
    return (this.partitions.get(`${topic}\u0000${partition}`)?.read(offset, maxBytes) ?? []).map(
      (b) => b.bytes,
    );
  }
}
