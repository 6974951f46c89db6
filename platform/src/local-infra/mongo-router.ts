// Routes MongoDB wire messages to several stand-in threads by collection, so each thread's heap holds only its share.
import net from 'node:net';
import { mongo } from 'mongoose';
import { FrameSplitter } from './frame-splitter';

/*
 * Why: the MongoDB stand-in keeps every stored document on one JavaScript heap, and a major garbage collection
 * marks all of it. Under a storm peak those collections came every couple of minutes and took the machine's spare
 * CPU for 10–20 s each (BENCHMARKS.md). With each collection on its own thread (its own V8 isolate and heap), a
 * collection marks only one collection's documents, and the thread it pauses serves only that collection.
 * It is opt-in (LOCAL_MONGO_THREADS): on two saturated cores the router's hop and the extra isolates cost more CPU
 * than the smaller collections saved (BENCHMARKS.md, eighth session).
 *
 * How: clients connect here. Each request names its database (`$db`) and, for the commands that work on one
 * collection, the collection (the first field's value, or `collection` for getMore). The first request naming a
 * collection assigns it to the next thread in turn; it stays there. Requests go to that thread unchanged over a
 * connection this client has to it, and its answers come back unchanged. A driver sends one request per
 * connection at a time and waits for the answer, so answers need no reordering.
 * Requests that concern every thread are sent to all of them and their answers merged: serverStatus,
 * listDatabases, and a database's listCollections, dbStats and dropDatabase. Everything else (hello, ping,
 * admin commands, legacy OP_QUERY handshakes) goes to the first thread.
 * Not supported across threads: anything that reads two collections in one command ($lookup, $unionWith,
 * $out, $merge, renameCollection) and transactions; the platform uses none of them.
 */

const { serialize, deserialize, Long } = mongo.BSON;

const HEADER_BYTES = 16;
/** MongoDB's own limit (maxMessageSizeBytes): a longer length prefix is a broken or hostile client. */
const MAX_MESSAGE_BYTES = 48_000_000;
const OP_MSG = 2013;
const ADMIN_DATABASES = new Set(['admin', 'config', 'local']);
const FAN_OUT_ANYWHERE = new Set(['serverStatus', 'listDatabases']);
const FAN_OUT_PER_DATABASE = new Set(['listCollections', 'dbStats', 'dropDatabase']);

type Doc = Record<string, unknown>;

/** What the router needs from a request: its command name, database and (when it names one) collection. */
export interface RequestTarget {
  command?: string;
  database?: string;
  collection?: string;
}

/** Bytes of a BSON element's value of `type` starting at `at`, or -1 for an unknown type. */
function valueLength(buf: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // UTC datetime
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return 4 + buf.readInt32LE(at);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return buf.readInt32LE(at);
    case 0x05: // binary: length, subtype, bytes
      return 5 + buf.readInt32LE(at);
    case 0x06: // undefined
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return 0;
    case 0x07: // ObjectId
      return 12;
    case 0x08: // boolean
      return 1;
    case 0x0b: {
      // regular expression: pattern and options, two C strings
      const patternEnd = buf.indexOf(0, at);
      return buf.indexOf(0, patternEnd + 1) + 1 - at;
    }
    case 0x0c: // DBPointer: string then ObjectId
      return 4 + buf.readInt32LE(at) + 12;
    case 0x10: // int32
      return 4;
    case 0x13: // decimal128
      return 16;
    default:
      return -1;
  }
}

/** A string element's value (length-prefixed, NUL-terminated). */
function stringAt(buf: Buffer, at: number): string {
  return buf.toString('utf8', at + 4, at + 4 + buf.readInt32LE(at) - 1);
}

/**
 * Reads an OP_MSG's command name, `$db` and collection without decoding the rest. Returns an empty target for
 * other opcodes (legacy OP_QUERY handshakes) and throws on a message whose body is not well-formed BSON.
 */
export function requestTarget(message: Buffer): RequestTarget {
  if (message.readInt32LE(12) !== OP_MSG) return {};
  // Flag bits (4 bytes), then sections; the body (kind 0) is one of them, normally the first.
  let at = HEADER_BYTES + 4;
  while (at < message.length && message[at] !== 0) {
    if (message[at] !== 1) throw new Error(`unknown OP_MSG section kind ${message[at]}`);
    at += 1 + message.readInt32LE(at + 1);
  }
  if (at >= message.length) throw new Error('OP_MSG without a body section');
  const body = at + 1;
  const end = body + message.readInt32LE(body) - 1;
  if (end >= message.length || message[end] !== 0) throw new Error('OP_MSG body overruns the message');
  const target: RequestTarget = {};
  let getMoreCollection: string | undefined;
  for (let element = body + 4; element < end;) {
    const type = message[element];
    const nameEnd = message.indexOf(0, element + 1);
    if (nameEnd < 0 || nameEnd >= end) throw new Error('OP_MSG body has a malformed field name');
    const name = message.toString('utf8', element + 1, nameEnd);
    const value = nameEnd + 1;
    const length = valueLength(message, type, value);
    if (length < 0 || value + length > end) throw new Error(`OP_MSG body has a malformed field "${name}"`);
    if (target.command === undefined) {
      target.command = name;
      if (type === 0x02) target.collection = stringAt(message, value);
    } else if (name === '$db' && type === 0x02) {
      target.database = stringAt(message, value);
    } else if (name === 'collection' && type === 0x02) {
      getMoreCollection = stringAt(message, value);
    }
    element = value + length;
  }
  if (target.command === 'getMore') target.collection = getMoreCollection;
  return target;
}

/** Where a request goes: one thread, or every thread with the answers merged. */
type Route = { shard: number } | { fanOut: string };

/** Gathers a byte stream into whole wire messages (each prefixed with its int32 length, little-endian). */
const mongoMessages = () =>
  new FrameSplitter((head) => {
    const length = head.readInt32LE(0);
    if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES)
      throw new Error(`a wire message of ${length} bytes (allowed: ${HEADER_BYTES}–${MAX_MESSAGE_BYTES})`);
    return length;
  });

/** The body of an OP_MSG answer. */
function replyBody(message: Buffer): Doc {
  if (message.readInt32LE(12) !== OP_MSG || message[HEADER_BYTES + 4] !== 0)
    throw new Error('a stand-in thread answered with something other than an OP_MSG body');
  return deserialize(message.subarray(HEADER_BYTES + 5));
}

/** An OP_MSG answer to request `responseTo` carrying `body`. */
function replyMessage(responseTo: number, body: Doc): Buffer {
  const bson = serialize(body);
  const message = Buffer.alloc(HEADER_BYTES + 5 + bson.length);
  message.writeInt32LE(message.length, 0);
  message.writeInt32LE(0, 4);
  message.writeInt32LE(responseTo, 8);
  message.writeInt32LE(OP_MSG, 12);
  message.writeUInt32LE(0, 16);
  message[20] = 0;
  message.set(bson, 21);
  return message;
}

/** Adds every number of `from` into `into`, recursively; other values keep `into`'s. */
function addNumbers(into: Doc, from: Doc): void {
  for (const [key, value] of Object.entries(from)) {
    const current = into[key];
    if (typeof value === 'number' && typeof current === 'number') into[key] = current + value;
    else if (current === undefined) into[key] = value;
    else if (isPlainDoc(value) && isPlainDoc(current)) addNumbers(current, value);
  }
}

const isPlainDoc = (value: unknown): value is Doc =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** One answer from several threads' answers to the same command. */
function merge(command: string, replies: Doc[], router: Doc): Doc {
  const failed = replies.find((reply) => reply.ok !== 1);
  if (failed) return failed;
  const [first, ...others] = replies;
  switch (command) {
    case 'serverStatus': {
      // Counters and heap figures add up over the threads; the rest (version, uptime…) is the first thread's.
      const merged = { ...first };
      for (const section of ['metrics', 'heap', 'interning', 'documentStore', 'opcounters'] as const) {
        const sections = replies.map((reply) => reply[section]).filter(isPlainDoc);
        if (!sections.length) continue;
        const total = structuredClone(sections[0]);
        for (const more of sections.slice(1)) addNumbers(total, more);
        merged[section] = total;
      }
      merged.shards = replies.map((reply, shard) => ({ shard, heap: reply.heap }));
      merged.router = router;
      return merged;
    }
    case 'listDatabases': {
      const byName = new Map<string, Doc>();
      for (const reply of replies)
        for (const database of (reply.databases as Doc[] | undefined) ?? []) {
          const seen = byName.get(database.name as string);
          if (!seen) byName.set(database.name as string, { ...database });
          else {
            seen.sizeOnDisk = Number(seen.sizeOnDisk ?? 0) + Number(database.sizeOnDisk ?? 0);
            seen.empty = seen.empty === true && database.empty === true;
          }
        }
      const databases = [...byName.values()];
      return {
        ...first,
        databases,
        totalSize: replies.reduce((sum, reply) => sum + Number(reply.totalSize ?? 0), 0),
      };
    }
    case 'listCollections': {
      const cursor = first.cursor as Doc;
      const seen = new Set<string>();
      const firstBatch: Doc[] = [];
      for (const reply of replies)
        for (const collection of ((reply.cursor as Doc | undefined)?.firstBatch as Doc[] | undefined) ?? [])
          if (!seen.has(collection.name as string)) {
            seen.add(collection.name as string);
            firstBatch.push(collection);
          }
      return { ...first, cursor: { ...cursor, id: Long.ZERO, firstBatch } };
    }
    case 'dbStats': {
      const merged = { ...first };
      for (const reply of others)
        for (const [key, value] of Object.entries(reply))
          if (key !== 'ok' && typeof value === 'number' && typeof merged[key] === 'number')
            merged[key] = merged[key] + value;
      return merged;
    }
    default:
      // dropDatabase: every thread dropped its part.
      return first;
  }
}

export interface MongoRouterOptions {
  /** The stand-in threads' ports, on 127.0.0.1. */
  shardPorts: number[];
  port: number;
  host?: string;
  /** Told of connections closed for a protocol error (never with the message's content). */
  onProtocolError?: (error: Error) => void;
}

export interface MongoRouterStats extends Doc {
  threads: number;
  clients: number;
  /** Requests sent to each thread (a fanned-out request counts on each). */
  requests: number[];
  /** Which thread holds each collection ("database.collection"). */
  collections: Record<string, number>;
}

/** The TCP front that spreads MongoDB requests over the stand-in threads (see the comment at the top). */
export class MongoRouter {
  private readonly assignments = new Map<string, number>();
  private nextShard = 0;
  private readonly requests: number[];
  private readonly links = new Set<ClientLink>();

  private constructor(
    private readonly server: net.Server,
    readonly shardPorts: number[],
    readonly onProtocolError: (error: Error) => void,
  ) {
    this.requests = shardPorts.map(() => 0);
  }

  static async start(options: MongoRouterOptions): Promise<MongoRouter> {
    if (!options.shardPorts.length) throw new Error('the MongoDB router needs at least one stand-in thread');
    const server = net.createServer();
    const router = new MongoRouter(server, options.shardPorts, options.onProtocolError ?? (() => {}));
    server.on('connection', (socket) => router.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return router;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  stats(): MongoRouterStats {
    return {
      threads: this.shardPorts.length,
      clients: this.links.size,
      requests: [...this.requests],
      collections: Object.fromEntries(this.assignments),
    };
  }

  /** Stops listening and closes every client connection and its connections to the threads. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const link of this.links) link.close();
    await closed;
  }

  /** The route of one request. */
  route(message: Buffer): Route {
    const { command, database, collection } = requestTarget(message);
    if (command === undefined) return { shard: 0 };
    if (FAN_OUT_ANYWHERE.has(command)) return { fanOut: command };
    if (database === undefined || ADMIN_DATABASES.has(database)) return { shard: 0 };
    if (FAN_OUT_PER_DATABASE.has(command)) return { fanOut: command };
    if (collection === undefined) return { shard: 0 };
    const key = `${database}.${collection}`;
    let shard = this.assignments.get(key);
    if (shard === undefined) {
      shard = this.nextShard;
      this.nextShard = (this.nextShard + 1) % this.shardPorts.length;
      this.assignments.set(key, shard);
    }
    return { shard };
  }

  countRequest(shard: number): void {
    this.requests[shard]++;
  }

  forget(link: ClientLink): void {
    this.links.delete(link);
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    this.links.add(new ClientLink(this, socket));
  }
}

/** A fanned-out request waiting for every thread's answer. */
interface FanOut {
  command: string;
  requestId: number;
  replies: Array<Doc | undefined>;
  remaining: number;
}

/** One client connection and its connections to the threads it has used. */
class ClientLink {
  private readonly requests = mongoMessages();
  private readonly upstreams: Array<net.Socket | undefined>;
  /** Answers being gathered while a fan-out waits (the only traffic on those connections meanwhile). */
  private readonly answers: Array<FrameSplitter | undefined>;
  private fanOut?: FanOut;
  private closed = false;

  constructor(
    private readonly router: MongoRouter,
    private readonly client: net.Socket,
  ) {
    this.upstreams = router.shardPorts.map(() => undefined);
    this.answers = router.shardPorts.map(() => undefined);
    client.on('data', (chunk: Buffer) => this.fromClient(chunk));
    client.on('drain', () => this.upstreams.forEach((upstream) => upstream?.resume()));
    client.on('error', () => this.close());
    client.on('close', () => this.close());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    for (const upstream of this.upstreams) upstream?.destroy();
    this.router.forget(this);
  }

  private fromClient(chunk: Buffer): void {
    let messages: Buffer[];
    try {
      messages = this.requests.push(chunk);
      for (const message of messages) this.send(message);
    } catch (error) {
      this.router.onProtocolError(error as Error);
      this.close();
    }
  }

  private send(message: Buffer): void {
    const route = this.router.route(message);
    if ('shard' in route) {
      this.write(route.shard, message);
      return;
    }
    this.fanOut = {
      command: route.fanOut,
      requestId: message.readInt32LE(4),
      replies: this.upstreams.map(() => undefined),
      remaining: this.upstreams.length,
    };
    for (let shard = 0; shard < this.upstreams.length; shard++) {
      this.answers[shard] = mongoMessages();
      this.write(shard, message);
    }
  }

  private write(shard: number, message: Buffer): void {
    this.router.countRequest(shard);
    const upstream = this.upstreams[shard] ?? this.connect(shard);
    if (!upstream.write(message)) {
      this.client.pause();
      upstream.once('drain', () => this.client.resume());
    }
  }

  private connect(shard: number): net.Socket {
    const upstream = net.connect({ port: this.router.shardPorts[shard], host: '127.0.0.1', noDelay: true });
    this.upstreams[shard] = upstream;
    upstream.on('data', (chunk: Buffer) => this.fromShard(shard, chunk));
    // A thread that drops the connection (or died) leaves this client's requests unanswered: close it, as a
    // server would, so the driver reconnects.
    upstream.on('error', () => this.close());
    upstream.on('close', () => this.close());
    return upstream;
  }

  private fromShard(shard: number, chunk: Buffer): void {
    const assembler = this.answers[shard];
    if (!assembler) {
      if (!this.client.write(chunk)) this.upstreams[shard]?.pause();
      return;
    }
    const fanOut = this.fanOut!;
    try {
      const [answer] = assembler.push(chunk);
      if (!answer) return;
      this.answers[shard] = undefined;
      fanOut.replies[shard] = replyBody(answer);
      if (--fanOut.remaining > 0) return;
      this.fanOut = undefined;
      const merged = merge(fanOut.command, fanOut.replies as Doc[], this.router.stats());
      this.client.write(replyMessage(fanOut.requestId, merged));
    } catch (error) {
      this.router.onProtocolError(error as Error);
      this.close();
    }
  }
}
