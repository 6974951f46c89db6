// Minimal Kafka wire-format codec (non-flexible encodings only) for the local Kafka stand-in's front.
import { FrameSplitter } from './frame-splitter';

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  ApiVersions: 18,
  CreateTopics: 19,
  InitProducerId: 22,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
} as const;

export const ErrorCode = {
  NONE: 0,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REQUEST: 42,
} as const;

/**
 * First flexible (compact, tagged-field) version of each API the front may see. Versions at or above
 * these are never advertised, because this codec only parses the classic encodings.
 */
export const FIRST_FLEXIBLE_VERSION: Readonly<Record<number, number>> = {
  [ApiKey.Produce]: 9,
  [ApiKey.Fetch]: 12,
  [ApiKey.ListOffsets]: 6,
  [ApiKey.Metadata]: 9,
  [ApiKey.OffsetCommit]: 8,
  [ApiKey.OffsetFetch]: 6,
  [ApiKey.FindCoordinator]: 3,
  [ApiKey.JoinGroup]: 6,
  [ApiKey.Heartbeat]: 4,
  [ApiKey.LeaveGroup]: 4,
  [ApiKey.SyncGroup]: 4,
  [ApiKey.ApiVersions]: 3,
  [ApiKey.CreateTopics]: 5,
  [ApiKey.InitProducerId]: 2,
  [ApiKey.AddPartitionsToTxn]: 3,
  [ApiKey.AddOffsetsToTxn]: 3,
  [ApiKey.EndTxn]: 3,
  [ApiKey.TxnOffsetCommit]: 3,
};

export class WireReader {
  constructor(
    readonly buf: Buffer,
    public offset = 0,
  ) {}

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new RangeError('kafka frame truncated');
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8((this.offset += 1) - 1);
  }

  int16(): number {
    this.need(2);
    return this.buf.readInt16BE((this.offset += 2) - 2);
  }

  int32(): number {
    this.need(4);
    return this.buf.readInt32BE((this.offset += 4) - 4);
  }

  int64(): bigint {
    this.need(8);
    return this.buf.readBigInt64BE((this.offset += 8) - 8);
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    this.need(len);
    const s = this.buf.toString('utf8', this.offset, this.offset + len);
    this.offset += len;
    return s;
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new RangeError('unexpected null string');
    return s;
  }

  /** Array length; -1 means a null array. */
  arrayLength(): number {
    return this.int32();
  }

  skip(n: number): void {
    this.need(n);
    this.offset += n;
  }

  rest(): Buffer {
    return this.buf.subarray(this.offset);
  }
}

export class WireWriter {
  private readonly parts: Buffer[] = [];

  int8(v: number): this {
    const b = Buffer.allocUnsafe(1);
    b.writeInt8(v);
    this.parts.push(b);
    return this;
  }

  int16(v: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }

  int32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }

  int64(v: bigint): this {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }

  string(s: string | null): this {
    if (s === null) return this.int16(-1);
    const bytes = Buffer.from(s, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Prefixes a payload with its 4-byte size, which is how every Kafka request and response travels. */
export function frame(payload: Buffer): Buffer {
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

const MAX_KAFKA_FRAME = 256 * 1024 * 1024;

/** Cuts a TCP byte stream into Kafka frames (a 4-byte big-endian size, then that many bytes). */
export class KafkaFrameSplitter extends FrameSplitter {
  constructor() {
    super((head) => {
      const size = head.readInt32BE(0);
      if (size < 0 || size > MAX_KAFKA_FRAME) throw new RangeError(`bad kafka frame size ${size}`);
      return 4 + size;
    });
  }
}

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** Offset of the request body inside the frame payload. */
  bodyOffset: number;
}

export function readRequestHeader(payload: Buffer): RequestHeader {
  const r = new WireReader(payload);
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  return { apiKey, apiVersion, correlationId, clientId, bodyOffset: r.offset };
}

export function encodeRequest(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  clientId: string,
  body: Buffer,
): Buffer {
  const header = new WireWriter().int16(apiKey).int16(apiVersion).int32(correlationId).string(clientId);
  return frame(Buffer.concat([header.toBuffer(), body]));
}

/** Response header v0 (the only one non-flexible APIs use): just the correlation id. */
export function encodeResponse(correlationId: number, body: Buffer): Buffer {
  const header = Buffer.allocUnsafe(4);
  header.writeInt32BE(correlationId);
  return frame(Buffer.concat([header, body]));
}
