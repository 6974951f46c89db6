// Starts the CongoDB MongoDB-wire stand-in (from @push.rocks/smartmongo) and patches the gaps our data model would hit.
import type net from 'node:net';

/*
 * @push.rocks/smartmongo is ESM-only while this package compiles to CommonJS, hence the dynamic import().
 * Its package entry point also loads mongodb-memory-server and friends (replaced by an empty package via
 * the root package.json overrides), so the CongoDB sub-module is imported directly.
 */
const CONGO_MODULE = '@push.rocks/smartmongo/dist_ts/congodb/index.js';

type Doc = Record<string, unknown>;
type CollectionMap = Map<string, Doc>;

interface CongoStorage {
  ensureCollection(db: string, coll: string): CollectionMap;
  insertOne(db: string, coll: string, doc: Doc): Promise<Doc>;
  findById(db: string, coll: string, id: unknown): Promise<Doc | null>;
  updateById(db: string, coll: string, id: unknown, doc: Doc): Promise<boolean>;
  deleteById(db: string, coll: string, id: unknown): Promise<boolean>;
  findAll(db: string, coll: string): Promise<Doc[]>;
}

interface CongoServerInstance {
  start(): Promise<void>;
  stop(): Promise<void>;
  getStorage(): CongoStorage;
}

interface CongoModule {
  CongoServer: new (opts: { port?: number; host?: string }) => CongoServerInstance;
  QueryEngine: {
    matches(doc: unknown, filter: unknown): boolean;
    filter(docs: Doc[], filter: unknown): Doc[];
  };
  UpdateEngine: {
    applyPull(doc: Doc, fields: Doc, arrayFilters?: unknown): void;
    getNestedValue(doc: Doc, path: string): unknown;
    valuesEqual(a: unknown, b: unknown): boolean;
  };
  IndexEngine: { prototype: Record<string, unknown> };
  plugins: {
    bson: {
      ObjectId: new () => { toHexString(): string; readonly id: Uint8Array };
      EJSON: { stringify(value: unknown, options?: { relaxed?: boolean }): string };
    };
  };
}

export interface CongoHandle {
  port: number;
  stop(): Promise<void>;
}

let patched: Promise<CongoModule> | null = null;

async function loadCongo(): Promise<CongoModule> {
  let mod: unknown;
  try {
    mod = await import(CONGO_MODULE);
  } catch (err) {
    throw new Error(
      `cannot load the local MongoDB stand-in (${CONGO_MODULE}); is @push.rocks/smartmongo installed (npm install)? ${String(err)}`,
    );
  }
  const congo = mod as CongoModule;
  patchPull(congo);
  patchIndexEngine(congo);
  patchIdLookups(congo);
  patchFieldNarrowing(congo);
  return congo;
}

export async function startCongo(port: number): Promise<CongoHandle> {
  patched ??= loadCongo();
  const congo = await patched;
  const server = new congo.CongoServer({ port, host: '127.0.0.1' });
  patchStorageIds(congo, server.getStorage());
  await server.start();
  // The server's own `port` getter echoes the option (0 for an ephemeral port), so ask the listener.
  const listener = (server as unknown as { server: net.Server }).server;
  const actualPort = (listener.address() as net.AddressInfo).port;
  return { port: actualPort, stop: () => server.stop() };
}

/**
 * MongoDB allows any BSON value except an array as _id; CongoDB's memory storage forces every _id
 * through `new ObjectId(...)`, so string ids fail (reported as a bogus duplicate key, code 11000) and
 * 24-hex strings silently become ObjectIds. Key documents by a type-tagged string instead.
 */
function patchStorageIds(congo: CongoModule, storage: CongoStorage): void {
  const { ObjectId, EJSON } = congo.plugins.bson;
  const idKey = (id: unknown): string => {
    if (id instanceof ObjectId) return id.toHexString();
    if (typeof id === 'string') return `s:${id}`;
    if (typeof id === 'number') return `n:${id}`;
    return `e:${EJSON.stringify(id, { relaxed: false })}`;
  };
  // CongoDB awaits these methods; plain functions returning settled promises keep that contract.
  storage.insertOne = (db, coll, doc) => {
    const collection = storage.ensureCollection(db, coll);
    const stored: Doc = { ...doc };
    if (stored._id === undefined || stored._id === null) stored._id = new ObjectId();
    const key = idKey(stored._id);
    if (collection.has(key)) {
      // "Duplicate key" in the message is what CongoDB's handlers translate into code 11000.
      return Promise.reject(Object.assign(new Error(`Duplicate key error: _id ${key}`), { code: 11000 }));
    }
    collection.set(key, stored);
    return Promise.resolve(stored);
  };
  storage.findById = (db, coll, id) =>
    Promise.resolve(storage.ensureCollection(db, coll).get(idKey(id)) ?? null);
  storage.updateById = (db, coll, id, doc) => {
    const collection = storage.ensureCollection(db, coll);
    const key = idKey(id);
    if (!collection.has(key)) return Promise.resolve(false);
    collection.set(key, doc);
    return Promise.resolve(true);
  };
  storage.deleteById = (db, coll, id) =>
    Promise.resolve(storage.ensureCollection(db, coll).delete(idKey(id)));
}

/**
 * Index builds call `doc._id.toHexString()` on every stored document, which throws for non-ObjectId
 * ids. The index entries are never used to answer queries (every query is a full scan), so the
 * builder is handed documents whose _id only needs to produce a stable key.
 */
function patchIndexEngine(congo: CongoModule): void {
  const { ObjectId } = congo.plugins.bson;
  const proto = congo.IndexEngine.prototype;
  const safeId = (doc: Doc): Doc =>
    doc._id instanceof ObjectId ? doc : { ...doc, _id: { toHexString: () => JSON.stringify(doc._id) } };
  for (const name of ['initialize', 'createIndex']) {
    const original = proto[name];
    if (typeof original !== 'function') continue;
    proto[name] = async function (this: { storage: CongoStorage }, ...args: unknown[]) {
      const real = this.storage;
      this.storage = new Proxy(real, {
        get(target, prop) {
          if (prop === 'findAll') {
            return async (db: string, coll: string) => (await target.findAll(db, coll)).map(safeId);
          }
          const value: unknown = Reflect.get(target, prop);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      try {
        return await (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      } finally {
        this.storage = real;
      }
    };
  }
}

const VALUE_OPERATORS = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$type',
  '$regex',
  '$options',
  '$not',
  '$size',
  '$all',
  '$elemMatch',
  '$mod',
]);

/**
 * MongoDB's $pull treats a document condition as a query run against each element, so
 * `{$pull: {outbox: {id: {$in: ids}}}}` removes matching sub-documents. CongoDB compares such a
 * condition field by field for equality, making that update a silent no-op.
 */
function patchPull(congo: CongoModule): void {
  const { UpdateEngine, QueryEngine } = congo;
  const isPlainObject = (v: unknown): v is Doc =>
    typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
  UpdateEngine.applyPull = (doc, fields) => {
    for (const [path, condition] of Object.entries(fields)) {
      const arr = UpdateEngine.getNestedValue(doc, path);
      if (!Array.isArray(arr)) continue;
      let remove: (item: unknown) => boolean;
      if (isPlainObject(condition)) {
        const keys = Object.keys(condition);
        if (keys.length > 0 && keys.every((k) => VALUE_OPERATORS.has(k))) {
          remove = (item) => QueryEngine.matches({ v: item }, { v: condition });
        } else {
          remove = (item) => isPlainObject(item) && QueryEngine.matches(item, condition);
        }
      } else {
        remove = (item) => UpdateEngine.valuesEqual(item, condition);
      }
      const kept: unknown[] = arr.filter((item: unknown) => !remove(item));
      arr.length = 0;
      arr.push(...kept);
    }
  };
}

/**
 * Every CongoDB query is a full scan through mingo (about 30 ms per query at 50k documents). When a
 * filter pins _id to strings or ObjectIds, the scan is narrowed with a cheap identity comparison
 * first and mingo then runs the complete filter on what is left, so results are unchanged.
 */
function patchIdLookups(congo: CongoModule): void {
  const { QueryEngine } = congo;
  const { ObjectId } = congo.plugins.bson;
  const original = QueryEngine.filter.bind(QueryEngine);
  type Id = string | InstanceType<typeof ObjectId>;
  const isId = (v: unknown): v is Id => typeof v === 'string' || v instanceof ObjectId;
  const wanted = (filter: unknown): Id[] | null => {
    if (typeof filter !== 'object' || filter === null) return null;
    const cond = (filter as Doc)._id;
    if (isId(cond)) return [cond];
    if (typeof cond !== 'object' || cond === null || Object.getPrototypeOf(cond) !== Object.prototype)
      return null;
    const ops = cond as Doc;
    if (isId(ops.$eq)) return [ops.$eq];
    if (Array.isArray(ops.$in) && ops.$in.length > 0 && ops.$in.every(isId)) return ops.$in;
    return null;
  };
  // toHexString costs about a microsecond, too much per document; compare raw bytes, bucketed by the counter bytes.
  const tail = (b: Uint8Array): number => ((b[8] << 24) | (b[9] << 16) | (b[10] << 8) | b[11]) >>> 0;
  const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
    for (let i = 11; i >= 0; i--) if (a[i] !== b[i]) return false;
    return true;
  };
  QueryEngine.filter = (docs, filter) => {
    const ids = wanted(filter);
    if (!ids || docs.length < 64) return original(docs, filter);
    const strings = new Set<string>();
    const oids = new Map<number, Uint8Array[]>();
    for (const id of ids) {
      if (typeof id === 'string') {
        strings.add(id);
      } else {
        const bytes = id.id;
        const bucket = oids.get(tail(bytes));
        if (bucket) bucket.push(bytes);
        else oids.set(tail(bytes), [bytes]);
      }
    }
    const narrowed = docs.filter((doc) => {
      const id = doc._id;
      if (typeof id === 'string') return strings.has(id);
      if (oids.size === 0 || !(id instanceof ObjectId)) return false;
      const bytes = id.id;
      return oids.get(tail(bytes))?.some((b) => sameBytes(b, bytes)) ?? false;
    });
    return original(narrowed, filter);
  };
}

type Reach = { kind: 'missing' } | { kind: 'array' } | { kind: 'value'; value: unknown };

/** Follows a dotted path; an empty array on the way means the path is absent, a non-empty one needs mingo. */
function reach(doc: Doc, path: string[]): Reach {
  let current: unknown = doc;
  for (const segment of path) {
    if (Array.isArray(current)) return current.length === 0 ? { kind: 'missing' } : { kind: 'array' };
    if (current === null || typeof current !== 'object') return { kind: 'missing' };
    current = (current as Doc)[segment];
    if (current === undefined) return { kind: 'missing' };
  }
  if (Array.isArray(current)) return current.length === 0 ? { kind: 'missing' } : { kind: 'array' };
  return { kind: 'value', value: current };
}

const PRESENCE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte', '$eq', '$in']);
const isPrimitive = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * A test that keeps every document the condition could match (a superset; mingo then decides), or undefined
 * when the condition is not one it understands. Only conditions that never match a missing field narrow.
 */
function keepTest(condition: unknown): ((r: Reach) => boolean) | undefined {
  if (isPrimitive(condition)) {
    return (r) =>
      r.kind === 'array' || (r.kind === 'value' && (r.value === condition || typeof r.value === 'object'));
  }
  if (
    condition === null ||
    typeof condition !== 'object' ||
    Object.getPrototypeOf(condition) !== Object.prototype
  )
    return undefined;
  const ops = Object.entries(condition as Doc);
  if (!ops.length || !ops.every(([op]) => PRESENCE_OPERATORS.has(op))) return undefined;
  const inList = (condition as Doc).$in;
  if (inList !== undefined && (!Array.isArray(inList) || inList.some((v) => v === null || v === undefined)))
    return undefined;
  const eq = (condition as Doc).$eq;
  if (eq === null) return undefined;
  const allowed = Array.isArray(inList) && inList.every(isPrimitive) ? new Set<unknown>(inList) : undefined;
  return (r) => {
    if (r.kind === 'missing') return false;
    if (r.kind === 'array') return true;
    if (typeof r.value === 'object') return true;
    if (allowed && !allowed.has(r.value)) return false;
    if (isPrimitive(eq) && r.value !== eq) return false;
    return true;
  };
}

/**
 * Every non-_id query is a full mingo scan (about 30 ms at 50k documents), which blocks the stand-in while
 * relays sweep their outboxes. Top-level and dotted conditions that cannot match a missing field first narrow
 * the documents with plain property reads; mingo then runs the complete filter on what is left, so results
 * are unchanged.
 */
function patchFieldNarrowing(congo: CongoModule): void {
  const { QueryEngine } = congo;
  const inner = QueryEngine.filter.bind(QueryEngine);
  QueryEngine.filter = (docs, filter) => {
    if (docs.length < 256 || filter === null || typeof filter !== 'object') return inner(docs, filter);
    const tests: Array<[string[], (r: Reach) => boolean]> = [];
    for (const [key, condition] of Object.entries(filter as Doc)) {
      if (key.startsWith('$') || key === '_id') continue;
      const test = keepTest(condition);
      if (test) tests.push([key.split('.'), test]);
    }
    if (!tests.length) return inner(docs, filter);
    return inner(
      docs.filter((doc) => tests.every(([path, test]) => test(reach(doc, path)))),
      filter,
    );
  };
}
