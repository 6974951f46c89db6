// TCP front for the local Kafka stand-in: fixed port, Kafka-frame forwarding to the mock broker, and the gaps kafkajs needs filled.
import net from 'node:net';
import {
  ApiKey,
  encodeRequest,
  encodeResponse,
  ErrorCode,
  FIRST_FLEXIBLE_VERSION,
  KafkaFrameSplitter,
  readRequestHeader,
  WireReader,
  WireWriter,
} from './kafka-wire';
import {
  parseProduceRequest,
  parseProduceResponse,
  RetainedLog,
  type PendingProduce,
} from './kafka-retained-log';
import {
  encodeFetchResponse,
  fillFromRetained,
  gatheredUpTo,
  followUpRequest,
  MAX_FOLLOW_UPS,
  mergeFollowUp,
  parseFetchRequest,
  parseFetchResponse,
  trimmedAway,
  type FetchAnswer,
  type FetchPlan,
} from './kafka-fetch-gather';
import type { CommandResult } from './mock-broker-process';

/** What the front needs from the process behind it. */
export interface MockBrokerControl {
  readonly bootstrap: string;
  readonly brokerCount: number;
  createTopic(name: string, partitions: number, replicationFactor: number): Promise<CommandResult>;
}

export interface KafkaFrontOptions {
  /** Port 0 picks a free one; restore() then reuses whatever was picked. */
  port: number;
  host: string;
  /** Host written into Metadata/FindCoordinator answers; defaults to host (127.0.0.1 for a wildcard host). */
  advertisedHost?: string;
  broker: MockBrokerControl;
  /** Told when a consumer asks for events the mock already deleted (its per-partition retention); see kafka-fetch-gather. */
  onRetentionLoss?: (loss: RetentionLoss) => void;
  /** Bytes of produced batches the front keeps to answer fetches the mock's retention refuses (default 2 GiB; 0: none). */
  retainBytes?: number;
}

export interface RetentionLoss {
  topic: string;
  partition: number;
  /** The first offset the mock still holds; everything a consumer had not read below it is gone. */
  logStartOffset: bigint;
}

/** Highest CreateTopics version answered here: v5 switches to the flexible encoding. */
const CREATE_TOPICS_MAX_VERSION = 4;
/**
 * The mock speaks Metadata v0-v2, which has no allow_auto_topic_creation flag, so it creates every
 * topic it is asked about. The front offers up to v4 (v3 adds throttle_time_ms, v4 the flag),
 * translates to v2, and decides about auto-creation itself. v5 would add per-partition fields.
 */
const METADATA_MAX_VERSION = 4;
const MOCK_METADATA_MAX_VERSION = 2;
/** Kafka's num.partitions default, used for auto-created topics (the mock alone would make 4). */
const AUTO_CREATE_PARTITIONS = 1;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const UNSUPPORTED_VERSION = 35;
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;

interface Slot {
  data: Buffer | null;
}

interface InFlight {
  apiKey: number;
  apiVersion: number;
  slot: Slot;
  /** Set when the request went upstream in another form; see prepareMetadata. */
  metadata?: PreparedMetadata;
  /** Set for a Fetch whose answer the front completes with follow-up fetches; see kafka-fetch-gather. */
  fetch?: GatheringFetch;
  /** Set for a Produce whose batches the front keeps once the answer gives their offsets; see kafka-retained-log. */
  produce?: PendingProduce;
}

interface GatheringFetch {
  plan: FetchPlan;
  correlationId: number;
  clientId: string;
  answer?: FetchAnswer;
  followUps: number;
  /** The answer no longer matches the mock's first one (filled from the retained copy). */
  rewritten: boolean;
}

/** A client Metadata request as it is sent to the mock, plus what the front adds to the answer. */
export interface PreparedMetadata {
  upstreamVersion: number;
  upstreamBody: Buffer;
  /** Encoded topic entries for topics the front answers itself (not created, or illegal names). */
  extraTopics: Buffer[];
}

export class KafkaFront {
  private server: net.Server | null = null;
  private readonly connections = new Set<FrontConnection>();
  private boundPort: number;
  private stopped = false;
  readonly advertisedHost: string;
  readonly upstreamHost: string;
  readonly upstreamPort: number;

  private constructor(private readonly opts: KafkaFrontOptions) {
    this.boundPort = opts.port;
    this.retained = new RetainedLog(opts.retainBytes ?? 2048 * 1024 * 1024);
    this.advertisedHost =
      opts.advertisedHost ?? (opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host);
    const sep = opts.broker.bootstrap.lastIndexOf(':');
    this.upstreamHost = opts.broker.bootstrap.slice(0, sep);
    this.upstreamPort = Number(opts.broker.bootstrap.slice(sep + 1));
  }

  static async start(opts: KafkaFrontOptions): Promise<KafkaFront> {
    const front = new KafkaFront(opts);
    await front.listen();
    return front;
  }

  get port(): number {
    return this.boundPort;
  }

  /** The bootstrap string clients should use. */
  get brokers(): string {
    return `${this.advertisedHost}:${this.boundPort}`;
  }

  get broker(): MockBrokerControl {
    return this.opts.broker;
  }

  /** Clients see the broker as down: no listener, every open connection reset. The mock keeps its data. */
  async outage(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const conn of this.connections) conn.destroy();
    this.connections.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    if (this.server || this.stopped) return;
    await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.outage();
  }

  private listen(): Promise<void> {
    const server = net.createServer({ noDelay: true }, (socket) => {
      const conn = new FrontConnection(this, socket, () => this.connections.delete(conn));
      this.connections.add(conn);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.boundPort, host: this.opts.host, exclusive: true }, () => {
        server.off('error', reject);
        // A listener error after start (rare: fd exhaustion) should not crash the process hosting tests.
        server.on('error', () => undefined);
        this.boundPort = (server.address() as net.AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  private readonly reported = new Map<string, number>();
  readonly retained: RetainedLog;

  /** Reports each partition's loss at most every 10 s, so a lagging consumer's retries do not flood the log. */
  reportRetentionLoss(answer: FetchAnswer): void {
    if (!this.opts.onRetentionLoss) return;
    for (const loss of trimmedAway(answer)) {
      const key = `${loss.topic}/${loss.partition}`;
      const now = Date.now();
      if ((this.reported.get(key) ?? 0) > now - 10_000) continue;
      this.reported.set(key, now);
      this.opts.onRetentionLoss({
        topic: loss.topic,
        partition: loss.partition,
        logStartOffset: loss.logStart,
      });
    }
  }

  // ---- responses the front answers or rewrites --------------------------------------------------

  rewriteResponse(apiKey: number, apiVersion: number, body: Buffer, metadata?: PreparedMetadata): Buffer {
    try {
      switch (apiKey) {
        case ApiKey.ApiVersions:
          return this.rewriteApiVersions(apiVersion, body);
        case ApiKey.Metadata:
          return this.rewriteMetadata(apiVersion, body, metadata);
        case ApiKey.FindCoordinator:
          return this.rewriteFindCoordinator(apiVersion, body);
        default:
          return body;
      }
    } catch {
      // An answer we cannot parse is better delivered untouched than dropped.
      return body;
    }
  }

  private rewriteApiVersions(version: number, body: Buffer): Buffer {
    const r = new WireReader(body);
    const errorCode = r.int16();
    const count = r.arrayLength();
    const entries: Array<[number, number, number]> = [];
    for (let i = 0; i < count; i++) entries.push([r.int16(), r.int16(), r.int16()]);
    // An UNSUPPORTED_VERSION answer is always v0-shaped, whatever version was asked.
    const throttle = version >= 1 && errorCode !== UNSUPPORTED_VERSION ? r.int32() : null;

    const out = entries
      .filter(([key]) => key !== ApiKey.CreateTopics)
      .map(([key, min, max]): [number, number, number] => {
        const firstFlexible = FIRST_FLEXIBLE_VERSION[key];
        return [key, min, firstFlexible === undefined ? max : Math.min(max, firstFlexible - 1)];
      })
      .filter(([, min, max]) => min <= max);
    out.push([ApiKey.CreateTopics, 0, CREATE_TOPICS_MAX_VERSION]);
    const metadata = out.find(([key]) => key === ApiKey.Metadata);
    if (metadata && metadata[2] >= MOCK_METADATA_MAX_VERSION) metadata[2] = METADATA_MAX_VERSION;
    out.sort((a, b) => a[0] - b[0]);

    const w = new WireWriter().int16(errorCode).int32(out.length);
    for (const [key, min, max] of out) w.int16(key).int16(min).int16(max);
    if (throttle !== null) w.int32(throttle);
    return w.toBuffer();
  }

  /**
   * Decides auto-creation for a Metadata request that names topics (v1+), before the mock sees it:
   * missing topics are created with Kafka's defaults when the client allows it, and otherwise
   * answered UNKNOWN_TOPIC_OR_PARTITION without reaching the mock. Illegal names never reach it.
   */
  async prepareMetadata(version: number, body: Buffer): Promise<PreparedMetadata> {
    const r = new WireReader(body);
    const count = r.arrayLength();
    const names: string[] = [];
    for (let i = 0; i < count; i++) names.push(r.string());
    const allowAutoCreate = version >= 4 ? r.int8() !== 0 : true;
    const upstreamVersion = Math.min(version, MOCK_METADATA_MAX_VERSION);

    const extraTopics: Buffer[] = [];
    let forward = names;
    if (count > 0) {
      const existing = await this.listTopics();
      forward = [];
      for (const name of names) {
        if (existing.has(name)) {
          forward.push(name);
        } else if (!isLegalTopic(name)) {
          extraTopics.push(encodeTopicError(ErrorCode.INVALID_TOPIC_EXCEPTION, name));
        } else if (!allowAutoCreate) {
          extraTopics.push(encodeTopicError(UNKNOWN_TOPIC_OR_PARTITION, name));
        } else {
          const res = await this.opts.broker.createTopic(name, AUTO_CREATE_PARTITIONS, 1);
          // Losing a creation race to another client is fine: the topic exists either way.
          if (res.ok || res.code === ErrorCode.TOPIC_ALREADY_EXISTS) forward.push(name);
          else extraTopics.push(encodeTopicError(res.code > 0 ? res.code : ErrorCode.INVALID_REQUEST, name));
        }
      }
    }
    const w = new WireWriter().int32(count < 0 ? -1 : forward.length);
    for (const name of forward) w.string(name);
    return { upstreamVersion, upstreamBody: w.toBuffer(), extraTopics };
  }

  private rewriteMetadata(version: number, body: Buffer, prepared?: PreparedMetadata): Buffer {
    // The body is in the version the mock was asked (prepared.upstreamVersion), the answer in the client's.
    const from = prepared?.upstreamVersion ?? version;
    const r = new WireReader(body);
    const w = new WireWriter();
    if (from >= 3) r.int32();
    if (version >= 3) w.int32(0);
    const brokerCount = r.arrayLength();
    w.int32(brokerCount);
    const ids: number[] = [];
    for (let i = 0; i < brokerCount; i++) {
      const id = r.int32();
      r.string();
      r.int32();
      ids.push(id);
      w.int32(id).string(this.advertisedHost).int32(this.boundPort);
      if (from >= 1) w.string(r.nullableString());
    }
    if (from >= 2) w.string(r.nullableString());
    else if (version >= 2) w.string(null);
    if (from >= 1) {
      // The mock never sets a controller (reports 0) while its brokers count from 1; kafkajs needs a real one.
      const controller = r.int32();
      w.int32(ids.includes(controller) ? controller : (ids[0] ?? controller));
    }
    const extra = prepared?.extraTopics ?? [];
    if (extra.length === 0) return w.raw(r.rest()).toBuffer();
    const topics = r.arrayLength();
    w.int32(Math.max(0, topics) + extra.length).raw(r.rest());
    for (const entry of extra) w.raw(entry);
    return w.toBuffer();
  }

  private rewriteFindCoordinator(version: number, body: Buffer): Buffer {
    const r = new WireReader(body);
    const w = new WireWriter();
    if (version >= 1) w.int32(r.int32());
    w.int16(r.int16());
    if (version >= 1) w.string(r.nullableString());
    const nodeId = r.int32();
    const host = r.nullableString();
    const port = r.int32();
    w.int32(nodeId);
    if (nodeId >= 0) w.string(this.advertisedHost).int32(this.boundPort);
    else w.string(host).int32(port);
    return w.raw(r.rest()).toBuffer();
  }

  /** CreateTopics, which the mock lacks: validated like a one-broker Kafka would, then created in the mock. */
  async createTopics(version: number, body: Buffer): Promise<Buffer> {
    const r = new WireReader(body);
    const count = r.arrayLength();
    const requests: Array<{ name: string; partitions: number; replication: number; assignments: number }> =
      [];
    for (let i = 0; i < count; i++) {
      const name = r.string();
      const partitions = r.int32();
      const replication = r.int16();
      const assignments = r.arrayLength();
      for (let a = 0; a < assignments; a++) {
        r.int32();
        r.skip(4 * Math.max(0, r.arrayLength()));
      }
      const configs = r.arrayLength();
      // Topic configs (retention, compaction...) have no counterpart in the mock and are ignored.
      for (let c = 0; c < configs; c++) {
        r.string();
        r.nullableString();
      }
      requests.push({ name, partitions, replication, assignments: Math.max(0, assignments) });
    }
    r.int32(); // timeout_ms: creation is synchronous here
    const validateOnly = version >= 1 ? r.int8() !== 0 : false;

    const seen = new Map<string, number>();
    for (const t of requests) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
    const existing = validateOnly ? await this.listTopics() : null;

    const results: Array<{ name: string; code: number; message: string | null }> = [];
    for (const t of requests) {
      const fail = (code: number, message: string): void => {
        results.push({ name: t.name, code, message });
      };
      if ((seen.get(t.name) ?? 0) > 1) {
        fail(
          ErrorCode.INVALID_REQUEST,
          `Create topics request from client contains multiple entries for ${t.name}`,
        );
        continue;
      }
      if (!isLegalTopic(t.name)) {
        fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic name "${t.name}" is illegal`);
        continue;
      }
      if (t.assignments > 0 && (t.partitions !== -1 || t.replication !== -1)) {
        fail(
          ErrorCode.INVALID_REQUEST,
          'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
        );
        continue;
      }
      // -1 means "broker default"; Kafka's defaults are num.partitions=1 and a replication factor of 1 on one broker.
      const partitions = t.assignments > 0 ? t.assignments : t.partitions === -1 ? 1 : t.partitions;
      const replication = t.replication === -1 ? 1 : t.replication;
      if (partitions <= 0) {
        fail(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
        continue;
      }
      if (replication <= 0) {
        fail(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
        continue;
      }
      if (replication > this.opts.broker.brokerCount) {
        fail(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          `Replication factor: ${replication} larger than available brokers: ${this.opts.broker.brokerCount}.`,
        );
        continue;
      }
      if (existing) {
        if (existing.has(t.name)) fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
        else results.push({ name: t.name, code: ErrorCode.NONE, message: null });
        continue;
      }
      const res = await this.opts.broker.createTopic(t.name, partitions, replication);
      if (res.ok) results.push({ name: t.name, code: ErrorCode.NONE, message: null });
      else if (res.code === ErrorCode.TOPIC_ALREADY_EXISTS)
        fail(res.code, `Topic '${t.name}' already exists.`);
      else fail(res.code > 0 ? res.code : ErrorCode.INVALID_REQUEST, res.message);
    }

    const w = new WireWriter();
    if (version >= 2) w.int32(0);
    w.int32(results.length);
    for (const res of results) {
      w.string(res.name).int16(res.code);
      if (version >= 1) w.string(res.message);
    }
    return w.toBuffer();
  }

  /**
   * Names of existing topics, asked over a side connection with Metadata v1 and a null topic list:
   * the only form of Metadata the mock answers without auto-creating what it is asked about.
   */
  listTopics(): Promise<Set<string>> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.upstreamHost, port: this.upstreamPort });
      const splitter = new KafkaFrameSplitter();
      const done = (err: Error | null, names?: Set<string>): void => {
        socket.destroy();
        if (err) reject(err);
        else resolve(names!);
      };
      socket.on('error', (err) => done(err));
      socket.on('data', (chunk) => {
        try {
          const [whole] = splitter.push(chunk);
          if (!whole) return;
          const r = new WireReader(whole, 8);
          const brokers = r.arrayLength();
          for (let i = 0; i < brokers; i++) {
            r.int32();
            r.string();
            r.int32();
            r.nullableString();
          }
          r.int32(); // controller
          const names = new Set<string>();
          const topics = r.arrayLength();
          for (let i = 0; i < topics; i++) {
            r.int16();
            names.add(r.string());
            r.int8();
            const partitions = r.arrayLength();
            for (let p = 0; p < partitions; p++) {
              r.int16();
              r.int32();
              r.int32();
              r.skip(4 * Math.max(0, r.arrayLength()));
              r.skip(4 * Math.max(0, r.arrayLength()));
            }
          }
          done(null, names);
        } catch (err) {
          done(err as Error);
        }
      });
      const nullTopics = new WireWriter().int32(-1).toBuffer();
      socket.write(encodeRequest(ApiKey.Metadata, 1, 1, 'local-kafka-front', nullTopics));
    });
  }
}

/** One client connection and its private connection to the mock broker. */
class FrontConnection {
  private readonly upstream: net.Socket;
  private readonly fromClient = new KafkaFrameSplitter();
  private readonly fromUpstream = new KafkaFrameSplitter();
  private readonly inFlight = new Map<number, InFlight>();
  // Kafka answers each connection's requests in order; locally answered ones must not jump the queue.
  private readonly slots: Slot[] = [];
  private closed = false;
  /** Correlation ids of the front's own follow-up fetches: negative, so they never meet a client's. */
  private ownCorrelationId = 0;

  constructor(
    private readonly front: KafkaFront,
    private readonly client: net.Socket,
    private readonly onClose: () => void,
  ) {
    this.upstream = net.connect({ host: front.upstreamHost, port: front.upstreamPort, noDelay: true });
    client.setNoDelay(true);

    client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    this.upstream.on('data', (chunk: Buffer) => this.onUpstreamData(chunk));
    // Backpressure both ways, so a slow consumer cannot make the front buffer a whole topic.
    this.upstream.on('drain', () => client.resume());
    client.on('drain', () => this.upstream.resume());
    for (const socket of [client, this.upstream]) {
      socket.on('error', () => this.destroy());
      socket.on('close', () => this.destroy());
    }
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    this.upstream.destroy();
    this.onClose();
  }

  private onClientData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.fromClient.push(chunk);
    } catch {
      return this.destroy();
    }
    this.upstream.cork();
    for (const whole of frames) {
      try {
        this.onRequest(whole);
      } catch {
        this.upstream.uncork();
        return this.destroy();
      }
    }
    this.upstream.uncork();
    if (this.upstream.writableNeedDrain) this.client.pause();
  }

  private onRequest(whole: Buffer): void {
    const payload = whole.subarray(4);
    const header = readRequestHeader(payload);
    if (header.apiKey === ApiKey.CreateTopics) {
      const slot: Slot = { data: null };
      this.slots.push(slot);
      const body = payload.subarray(header.bodyOffset);
      this.front.createTopics(header.apiVersion, body).then(
        (response) => {
          slot.data = encodeResponse(header.correlationId, response);
          this.flush();
        },
        () => this.destroy(),
      );
      return;
    }
    if (header.apiKey === ApiKey.Metadata && header.apiVersion >= 1) {
      const slot: Slot = { data: null };
      this.slots.push(slot);
      this.front.prepareMetadata(header.apiVersion, payload.subarray(header.bodyOffset)).then(
        (prepared) => {
          if (this.closed) return;
          this.inFlight.set(header.correlationId, {
            apiKey: header.apiKey,
            apiVersion: header.apiVersion,
            slot,
            metadata: prepared,
          });
          this.upstream.write(
            encodeRequest(
              ApiKey.Metadata,
              prepared.upstreamVersion,
              header.correlationId,
              header.clientId ?? '',
              prepared.upstreamBody,
            ),
          );
        },
        () => this.destroy(),
      );
      return;
    }
    if (header.apiKey === ApiKey.Fetch) {
      let plan: FetchPlan | undefined;
      try {
        plan = parseFetchRequest(header.apiVersion, payload.subarray(header.bodyOffset));
      } catch {
        plan = undefined; // the mock will answer what it can parse; the front just forwards
      }
      if (plan) {
        const slot: Slot = { data: null };
        this.slots.push(slot);
        const fetch = {
          plan,
          correlationId: header.correlationId,
          clientId: header.clientId ?? '',
          followUps: 0,
          rewritten: false,
        };
        this.inFlight.set(header.correlationId, {
          apiKey: header.apiKey,
          apiVersion: header.apiVersion,
          slot,
          fetch,
        });
        this.upstream.write(whole);
        return;
      }
    }
    if (expectsResponse(header.apiKey, header.apiVersion, payload, header.bodyOffset)) {
      const slot: Slot = { data: null };
      this.slots.push(slot);
      let produce: PendingProduce | undefined;
      if (header.apiKey === ApiKey.Produce) {
        try {
          produce = parseProduceRequest(header.apiVersion, payload.subarray(header.bodyOffset));
        } catch {
          produce = undefined; // not kept; the mock still answers it
        }
      }
      this.inFlight.set(header.correlationId, {
        apiKey: header.apiKey,
        apiVersion: header.apiVersion,
        slot,
        ...(produce ? { produce } : {}),
      });
    }
    this.upstream.write(whole);
  }

  private onUpstreamData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.fromUpstream.push(chunk);
    } catch {
      return this.destroy();
    }
    for (const whole of frames) {
      const correlationId = whole.readInt32BE(4);
      const request = this.inFlight.get(correlationId);
      if (!request) continue; // an answer nobody asked for; real brokers never send one
      this.inFlight.delete(correlationId);
      if (request.fetch) {
        this.gather(request, request.fetch, whole);
        continue;
      }
      if (request.produce) {
        try {
          this.front.retained.record(
            request.produce,
            parseProduceResponse(request.apiVersion, whole.subarray(8)),
          );
        } catch {
          // an answer the front cannot read: those batches are simply not kept
        }
      }
      const original = whole.subarray(8);
      const body = this.front.rewriteResponse(request.apiKey, request.apiVersion, original, request.metadata);
      request.slot.data = body === original ? whole : encodeResponse(correlationId, body);
    }
    this.flush();
    if (this.client.writableNeedDrain) this.upstream.pause();
  }

  /** Takes one answer to a gathering Fetch: asks the mock for more, or completes the client's answer. */
  private gather(request: InFlight, fetch: GatheringFetch, whole: Buffer): void {
    const complete = () => {
      request.slot.data =
        (fetch.followUps === 0 && !fetch.rewritten) || !fetch.answer
          ? whole
          : encodeResponse(fetch.correlationId, encodeFetchResponse(fetch.answer));
    };
    let more: Buffer | undefined;
    try {
      const part = parseFetchResponse(request.apiVersion, whole.subarray(8));
      const requested = fetch.answer
        ? gatheredUpTo(fetch.answer)
        : (topic: string, partition: number) => fetch.plan.offsets.get(topic)?.get(partition);
      if (fillFromRetained(fetch.plan, part, requested, (...a) => this.front.retained.read(...a)))
        fetch.rewritten = true;
      this.front.reportRetentionLoss(part);
      if (fetch.answer) mergeFollowUp(fetch.answer, part);
      else fetch.answer = part;
      more = fetch.followUps < MAX_FOLLOW_UPS ? followUpRequest(fetch.plan, fetch.answer) : undefined;
    } catch {
      // An answer the front cannot read ends gathering: the client gets what was gathered, or the mock's answer.
      if (fetch.followUps > 0 && fetch.answer) return complete();
      request.slot.data = whole;
      return;
    }
    if (!more) return complete();
    fetch.followUps++;
    this.ownCorrelationId = this.ownCorrelationId <= -0x7fffffff ? -1 : this.ownCorrelationId - 1;
    this.inFlight.set(this.ownCorrelationId, request);
    this.upstream.write(
      encodeRequest(ApiKey.Fetch, request.apiVersion, this.ownCorrelationId, fetch.clientId, more),
    );
  }

  private flush(): void {
    if (this.closed) return;
    let n = 0;
    while (n < this.slots.length && this.slots[n].data) n++;
    if (n === 0) return;
    this.client.cork();
    for (const slot of this.slots.splice(0, n)) this.client.write(slot.data!);
    this.client.uncork();
  }
}

function isLegalTopic(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && name.length <= 249 && LEGAL_TOPIC.test(name);
}

/** A Metadata v1+ topic entry carrying only an error: error_code, name, is_internal, no partitions. */
function encodeTopicError(code: number, name: string): Buffer {
  return new WireWriter().int16(code).string(name).int8(0).int32(0).toBuffer();
}

/** Produce with acks=0 is the one request Kafka never answers. */
function expectsResponse(apiKey: number, apiVersion: number, payload: Buffer, bodyOffset: number): boolean {
  if (apiKey !== ApiKey.Produce) return true;
  const r = new WireReader(payload, bodyOffset);
  if (apiVersion >= 3) r.nullableString(); // transactional_id
  return r.int16() !== 0;
}
