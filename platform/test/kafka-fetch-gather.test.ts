// Parsing of the Fetch requests and answers the Kafka stand-in's front completes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextOffsetAfter, parseFetchRequest } from '../src/local-infra/kafka-fetch-gather';
import { WireWriter } from '../src/local-infra/kafka-wire';

/** A Fetch v11 request body naming topic `t` in two entries, as kafkajs sends when it splits partitions. */
function fetchV11(entries: Array<Array<[partition: number, offset: bigint, maxBytes: number]>>): Buffer {
  const w = new WireWriter().int32(-1).int32(100).int32(1).int32(10_000_000).int8(1).int32(0).int32(-1);
  w.int32(entries.length);
  for (const partitions of entries) {
    w.string('t').int32(partitions.length);
    for (const [partition, offset, maxBytes] of partitions)
      w.int32(partition).int32(-1).int64(offset).int64(-1n).int32(maxBytes);
  }
  return w.int32(0).string('').toBuffer();
}

test('a topic named in several entries keeps the partitions of every entry', () => {
  const plan = parseFetchRequest(
    11,
    fetchV11([
      [
        [0, 5n, 1000],
        [1, 7n, 2000],
      ],
      [[2, 9n, 3000]],
    ]),
  )!;
  assert.deepEqual(
    [...plan.partitionMaxBytes.get('t')!],
    [
      [0, 1000],
      [1, 2000],
      [2, 3000],
    ],
  );
  assert.deepEqual(
    [...plan.offsets.get('t')!],
    [
      [0, 5n],
      [1, 7n],
      [2, 9n],
    ],
  );
  assert.equal(plan.maxBytes, 10_000_000);
});

test('versions outside v4–v11 are left alone', () => {
  assert.equal(parseFetchRequest(3, Buffer.alloc(0)), undefined);
  assert.equal(parseFetchRequest(12, Buffer.alloc(0)), undefined);
});

test('the next offset follows the last complete v2 batch; a cut batch or an old format stops following', () => {
  const batch = (base: bigint, lastOffsetDelta: number, magic = 2) => {
    const b = Buffer.alloc(61);
    b.writeBigInt64BE(base, 0);
    b.writeInt32BE(61 - 12, 8);
    b.writeInt8(magic, 16);
    b.writeInt32BE(lastOffsetDelta, 23);
    return b;
  };
  assert.equal(nextOffsetAfter(Buffer.concat([batch(10n, 2), batch(13n, 0)])), 14n);
  assert.equal(nextOffsetAfter(Buffer.concat([batch(10n, 2), batch(13n, 0).subarray(0, 30)])), undefined);
  assert.equal(nextOffsetAfter(batch(10n, 2, 1)), undefined);
});
