// Fetch gathering for the local Kafka stand-in: the mock broker answers a Fetch with one record batch per partition; Kafka gives up to max bytes.
import { WireReader, WireWriter } from './kafka-wire';

/*
 * librdkafka's mock returns a single record batch per partition per Fetch ("FIXME: Multiple messageSets?" in
 * its Fetch handler). A consumer that fell behind producers sending small batches (an outbox relay sends
 * every few milliseconds) then reads one small batch per partition per round trip and never catches up,
 * which real Kafka — returning every batch up to the request's byte limits — does not do. The front fills
 * the gap: while a partition's answer ends below its high watermark and under its byte limits, it asks the
 * mock again from the next offset and appends what comes back, then answers the client once.
 *
 * Handles Fetch v4–v11 (record batches, non-flexible encoding); other versions pass through untouched.
 */

export const GATHER_MIN_VERSION = 4;
export const GATHER_MAX_VERSION = 11;
/** Follow-up round trips per client Fetch: enough to drain a deep backlog of small batches, bounded for fairness. */
export const MAX_FOLLOW_UPS = 64;

/** What a client asked for: the byte limits gathering must respect. */
export interface FetchPlan {
  version: number;
  maxBytes: number;
  isolationLevel: number;
  /** topic → partition → partition_max_bytes */
  partitionMaxBytes: Map<string, Map<number, number>>;
  /** topic → partition → fetch_offset */
  offsets: Map<string, Map<number, bigint>>;
}

interface PartitionAnswer {
  index: number;
  /** partition_index … preferred_read_replica: every field before the records, as received. */
  meta: Buffer;
  errorCode: number;
  highWatermark: bigint;
  records: Buffer[];
  bytes: number;
  /** Offset after the last complete batch, or undefined when the records cannot be followed (none, legacy, truncated). */
  next: bigint | undefined;
}

interface TopicAnswer {
  name: string;
  partitions: PartitionAnswer[];
}

export interface FetchAnswer {
  version: number;
  /** throttle_time_ms, error_code and session_id as received. */
  head: Buffer;
  topics: TopicAnswer[];
}

export function parseFetchRequest(version: number, body: Buffer): FetchPlan | undefined {
  if (version < GATHER_MIN_VERSION || version > GATHER_MAX_VERSION) return undefined;
  const r = new WireReader(body);
  r.int32(); // replica_id
  r.int32(); // max_wait_ms
  r.int32(); // min_bytes
  const maxBytes = r.int32();
  const isolationLevel = r.int8();
  if (version >= 7) r.skip(8); // session_id, session_epoch
  const partitionMaxBytes = new Map<string, Map<number, number>>();
  const offsets = new Map<string, Map<number, bigint>>();
  const topics = r.arrayLength();
  for (let t = 0; t < topics; t++) {
    const name = r.string();
    // A client may name a topic in several entries (kafkajs does when it splits partitions): merge them.
    const limits = partitionMaxBytes.get(name) ?? new Map<number, number>();
    const from = offsets.get(name) ?? new Map<number, bigint>();
    const partitions = r.arrayLength();
    for (let p = 0; p < partitions; p++) {
      const partition = r.int32();
      if (version >= 9) r.int32(); // current_leader_epoch
      from.set(partition, r.int64()); // fetch_offset
      if (version >= 5) r.skip(8); // log_start_offset
      limits.set(partition, r.int32());
    }
    partitionMaxBytes.set(name, limits);
    offsets.set(name, from);
  }
  return { version, maxBytes, isolationLevel, partitionMaxBytes, offsets };
}

/** Offset after the last complete v2 record batch in `records`, or undefined if there is none to follow. */
export function nextOffsetAfter(records: Buffer): bigint | undefined {
  let pos = 0;
  let next: bigint | undefined;
  while (pos + 12 <= records.length) {
    const batchLength = records.readInt32BE(pos + 8);
    // A batch cut off by the byte limit, or an old-format message set: stop following here.
    if (pos + 12 + batchLength > records.length || records.readInt8(pos + 16) !== 2) return undefined;
    next = records.readBigInt64BE(pos) + BigInt(records.readInt32BE(pos + 23)) + 1n;
    pos += 12 + batchLength;
  }
  return pos === records.length ? next : undefined;
}

export function parseFetchResponse(version: number, body: Buffer): FetchAnswer {
  const r = new WireReader(body);
  const headStart = r.offset;
  r.int32(); // throttle_time_ms (v1+; gathering starts at v4)
  if (version >= 7) r.skip(6); // error_code, session_id
  const head = body.subarray(headStart, r.offset);
  const topics: TopicAnswer[] = [];
  const topicCount = r.arrayLength();
  for (let t = 0; t < topicCount; t++) {
    const name = r.string();
    const partitions: PartitionAnswer[] = [];
    const partitionCount = r.arrayLength();
    for (let p = 0; p < partitionCount; p++) {
      const metaStart = r.offset;
      const index = r.int32();
      const errorCode = r.int16();
      const highWatermark = r.int64();
      r.skip(8); // last_stable_offset
      if (version >= 5) r.skip(8); // log_start_offset
      const aborted = r.arrayLength();
      if (aborted > 0) r.skip(16 * aborted);
      if (version >= 11) r.int32(); // preferred_read_replica
      const meta = body.subarray(metaStart, r.offset);
      const length = r.int32();
      const records = length > 0 ? body.subarray(r.offset, r.offset + length) : Buffer.alloc(0);
      if (length > 0) r.skip(length);
      partitions.push({
        index,
        meta,
        errorCode,
        highWatermark,
        records: length > 0 ? [records] : [],
        bytes: Math.max(0, length),
        next: errorCode === 0 && length > 0 ? nextOffsetAfter(records) : undefined,
      });
    }
    topics.push({ name, partitions });
  }
  return { version, head, topics };
}

const OFFSET_OUT_OF_RANGE = 1;

/**
 * Partitions answered OFFSET_OUT_OF_RANGE although the mock had already deleted the start of their log: the
 * mock keeps at most 5 MiB or 100,000 batches per partition, so a consumer that lagged further lost events.
 */
export function trimmedAway(
  answer: FetchAnswer,
): Array<{ topic: string; partition: number; logStart: bigint }> {
  if (answer.version < 5) return [];
  const out: Array<{ topic: string; partition: number; logStart: bigint }> = [];
  for (const topic of answer.topics)
    for (const p of topic.partitions) {
      if (p.errorCode !== OFFSET_OUT_OF_RANGE) continue;
      // meta: partition_index(4) error_code(2) high_watermark(8) last_stable_offset(8) log_start_offset(8) …
      const logStart = p.meta.readBigInt64BE(22);
      if (logStart > 0n) out.push({ topic: topic.name, partition: p.index, logStart });
    }
  return out;
}

/**
 * Answers partitions the mock refused as out of range from the front's retained copy, when it reaches back to the
 * requested offset. Returns whether anything was filled (the answer then differs from the mock's).
 */
export function fillFromRetained(
  plan: FetchPlan,
  answer: FetchAnswer,
  requested: (topic: string, partition: number) => bigint | undefined,
  read: (topic: string, partition: number, offset: bigint, maxBytes: number) => Buffer[],
): boolean {
  let filled = false;
  for (const topic of answer.topics)
    for (const p of topic.partitions) {
      if (p.errorCode !== OFFSET_OUT_OF_RANGE) continue;
      const offset = requested(topic.name, p.index);
      const limit = plan.partitionMaxBytes.get(topic.name)?.get(p.index);
      if (offset === undefined || limit === undefined) continue;
      const records = read(topic.name, p.index, offset, limit);
      if (records.length === 0) continue;
      p.meta = Buffer.from(p.meta);
      p.meta.writeInt16BE(0, 4);
      p.errorCode = 0;
      p.records = records;
      p.bytes = records.reduce((n, b) => n + b.length, 0);
      p.next = nextOffsetAfter(records[records.length - 1]);
      filled = true;
    }
  return filled;
}

/** The offset a follow-up asked for each partition: where the gathered answer ends. */
export function gatheredUpTo(answer: FetchAnswer): (topic: string, partition: number) => bigint | undefined {
  return (topic, partition) => partitionOf(answer, topic, partition)?.next;
}

/** A partition's entry in an answer; a topic may appear in several entries, each with some of its partitions. */
function partitionOf(answer: FetchAnswer, topic: string, index: number): PartitionAnswer | undefined {
  for (const t of answer.topics) {
    if (t.name !== topic) continue;
    const found = t.partitions.find((p) => p.index === index);
    if (found) return found;
  }
  return undefined;
}

const totalBytes = (answer: FetchAnswer) =>
  answer.topics.reduce((n, t) => n + t.partitions.reduce((m, p) => m + p.bytes, 0), 0);

/** Partitions worth asking again: data ended below the high watermark, and the byte limits leave room. */
function unfinished(
  plan: FetchPlan,
  answer: FetchAnswer,
): Array<{ topic: string; partition: PartitionAnswer }> {
  if (totalBytes(answer) >= plan.maxBytes) return [];
  const out: Array<{ topic: string; partition: PartitionAnswer }> = [];
  for (const topic of answer.topics) {
    const limits = plan.partitionMaxBytes.get(topic.name);
    for (const partition of topic.partitions) {
      const limit = limits?.get(partition.index);
      if (limit === undefined || partition.next === undefined) continue;
      if (partition.next < partition.highWatermark && partition.bytes < limit)
        out.push({ topic: topic.name, partition });
    }
  }
  return out;
}

/** The body of a Fetch asking the mock for what `answer` still lacks, or undefined when it lacks nothing. */
export function followUpRequest(plan: FetchPlan, answer: FetchAnswer): Buffer | undefined {
  const wanted = unfinished(plan, answer);
  if (wanted.length === 0) return undefined;
  const byTopic = new Map<string, PartitionAnswer[]>();
  for (const { topic, partition } of wanted) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  const v = plan.version;
  const w = new WireWriter()
    .int32(-1) // replica_id: a consumer
    .int32(0) // max_wait_ms: the data is known to be there
    .int32(0) // min_bytes
    .int32(plan.maxBytes - totalBytes(answer))
    .int8(plan.isolationLevel);
  if (v >= 7) w.int32(0).int32(-1); // no fetch session
  w.int32(byTopic.size);
  for (const [topic, partitions] of byTopic) {
    w.string(topic).int32(partitions.length);
    for (const p of partitions) {
      w.int32(p.index);
      if (v >= 9) w.int32(-1); // current_leader_epoch: unknown
      w.int64(p.next!);
      if (v >= 5) w.int64(-1n);
      w.int32(plan.partitionMaxBytes.get(topic)!.get(p.index)! - p.bytes);
    }
  }
  if (v >= 7) w.int32(0); // forgotten_topics_data
  if (v >= 11) w.string('');
  return w.toBuffer();
}

/**
 * Appends a follow-up answer's records to the partitions they continue. A partition whose follow-up failed or
 * came back empty keeps what it had and is not asked again.
 */
export function mergeFollowUp(answer: FetchAnswer, more: FetchAnswer): void {
  for (const topic of more.topics) {
    for (const extra of topic.partitions) {
      const partition = partitionOf(answer, topic.name, extra.index);
      if (!partition) continue;
      if (extra.errorCode !== 0 || extra.bytes === 0) {
        partition.next = undefined;
        continue;
      }
      partition.records.push(...extra.records);
      partition.bytes += extra.bytes;
      partition.next = extra.next;
      // The newer watermarks (the partition may have grown meanwhile) with the original partition fields.
      partition.meta = extra.meta;
      partition.highWatermark = extra.highWatermark;
    }
  }
}

export function encodeFetchResponse(answer: FetchAnswer): Buffer {
  const w = new WireWriter().raw(answer.head).int32(answer.topics.length);
  for (const topic of answer.topics) {
    w.string(topic.name).int32(topic.partitions.length);
    for (const p of topic.partitions) {
      w.raw(p.meta).int32(p.bytes);
      for (const records of p.records) w.raw(records);
    }
  }
  return w.toBuffer();
}
