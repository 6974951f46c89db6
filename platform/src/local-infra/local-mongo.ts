// Starts the CongoDB MongoDB-wire stand-in (from @push.rocks/smartmongo) and patches the gaps our data model would hit.
import type net from 'node:net';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { DocumentStore, HotDocuments, type DocumentStoreStats } from './document-store';
import { ValueInterner, type InterningStats } from './value-interning';

/*
 * @push.rocks/smartmongo is ESM-only while this package compiles to CommonJS, hence the dynamic import().
 * Its package entry point also loads mongodb-memory-server and friends (replaced by an empty package via
 * the root package.json overrides), so the CongoDB sub-module is imported directly.
 */
const CONGO_MODULE = '@push.rocks/smartmongo/dist_ts/congodb/index.js';
const UPDATE_HANDLER_MODULE = '@push.rocks/smartmongo/dist_ts/congodb/server/handlers/UpdateHandler.js';
const ADMIN_HANDLER_MODULE = '@push.rocks/smartmongo/dist_ts/congodb/server/handlers/AdminHandler.js';

type Doc = Record<string, unknown>;
type CollectionMap = Map<string, Doc>;

interface CongoStorage {
  ensureCollection(db: string, coll: string): CollectionMap;
  createCollection(db: string, coll: string): Promise<void>;
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
    applyUpdate: (this: unknown, doc: Doc, update: unknown, arrayFilters?: unknown) => Doc;
    /** Uses `this` (recursion): call it on the engine. */
    deepClone: (this: unknown, value: unknown) => unknown;
    applyPull(doc: Doc, fields: Doc, arrayFilters?: unknown): void;
    getNestedValue(doc: Doc, path: string): unknown;
    valuesEqual(a: unknown, b: unknown): boolean;
  };
  IndexEngine: { prototype: Record<string, unknown> };
  WireProtocol: { parseOpMsg(message: Buffer, header: WireHeader): ParsedOpMsg };
  plugins: {
    bson: {
      serialize(this: void, doc: Doc): Uint8Array;
      deserialize(this: void, buffer: Uint8Array, options?: { validation?: { utf8: boolean } }): Doc;
      ObjectId: new () => { toHexString(): string; readonly id: Uint8Array };
      EJSON: { stringify(value: unknown, options?: { relaxed?: boolean }): string };
    };
  };
}

export interface CongoHandle {
  port: number;
  stop(): Promise<void>;
}

export interface CongoOptions {
  /**
   * How many documents, across all collections, stay JavaScript objects: the most recently written. Older ones are
   * kept as BSON bytes (see DocumentStore). Unset: every document stays an object, as in CongoDB. It is off by default
   * because it made the 550/s pipeline benchmark slower, not faster (BENCHMARKS.md, sixth session).
   */
  hotDocuments?: number;
  /**
   * Share equal strings and dates between stored documents and compact their objects (ValueInterner). On unless set
   * to false, which is only there to measure what it saves.
   */
  internValues?: boolean;
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
  const updates = (await import(UPDATE_HANDLER_MODULE)) as { UpdateHandler: UpdateHandlerClass };
  patchUpdateCommand(congo, updates.UpdateHandler);
  const admin = (await import(ADMIN_HANDLER_MODULE)) as { AdminHandler: AdminHandlerClass };
  patchServerStatus(admin.AdminHandler);
  patchPull(congo);
  patchCopyOnWriteUpdates(congo);
  patchIndexEngine(congo);
  patchFieldNarrowing(congo);
  patchIndexedViews(congo);
  patchOpMsgParsing(congo);
  return congo;
}

export async function startCongo(port: number, options: CongoOptions = {}): Promise<CongoHandle> {
  patched ??= loadCongo();
  const congo = await patched;
  observeCollections();
  const server = new congo.CongoServer({ port, host: '127.0.0.1' });
  if (options.hotDocuments !== undefined) useDocumentStores(congo, server.getStorage(), options.hotDocuments);
  const interner = options.internValues === false ? undefined : new ValueInterner();
  if (interner) INTERNERS.set(server.getStorage(), interner);
  patchStorageIds(congo, server.getStorage(), interner);
  await server.start();
  // The server's own `port` getter echoes the option (0 for an ephemeral port), so ask the listener.
  const listener = (server as unknown as { server: net.Server }).server;
  const actualPort = (listener.address() as net.AddressInfo).port;
  return { port: actualPort, stop: () => server.stop() };
}

interface WireHeader {
  messageLength: number;
  requestID: number;
  opCode: number;
}

interface ParsedOpMsg {
  command: {
    commandName: string;
    command: Doc;
    database: string;
    requestID: number;
    opCode: number;
    documentSequences?: Map<string, Doc[]>;
  };
  bytesConsumed: number;
}

const OP_MSG_CHECKSUM_PRESENT = 1;

/**
 * Every command reaches CongoDB as an OP_MSG whose BSON it decodes with UTF-8 validation on: a JavaScript loop
 * over every character of every string, which made decoding the stand-in's largest cost under load (a batch of
 * 25 routing decisions with their outbox events: 1.2 ms to decode, 0.8 ms without it). The drivers that talk
 * to the stand-in encode JavaScript strings, which are always valid UTF-8, so it decodes without that check.
 * The message layout is OP_MSG's: flag bits, then a body section (kind 0) and any document sequences
 * (kind 1: size, identifier, documents), then an optional CRC-32C that is not checked.
 */
function patchOpMsgParsing(congo: CongoModule): void {
  const { deserialize } = congo.plugins.bson;
  const options = { validation: { utf8: false } };
  congo.WireProtocol.parseOpMsg = (message, header) => {
    const flags = message.readUInt32LE(16);
    const end = flags & OP_MSG_CHECKSUM_PRESENT ? header.messageLength - 4 : header.messageLength;
    let body: Doc | undefined;
    const sequences = new Map<string, Doc[]>();
    for (let at = 20; at < end;) {
      const kind = message[at++];
      if (kind === 0) {
        const size = message.readInt32LE(at);
        body = deserialize(message.subarray(at, at + size), options);
        at += size;
      } else if (kind === 1) {
        const sectionEnd = at + message.readInt32LE(at);
        const nameEnd = message.indexOf(0, at + 4);
        const documents: Doc[] = [];
        sequences.set(message.toString('utf8', at + 4, nameEnd), documents);
        for (let doc = nameEnd + 1; doc < sectionEnd;) {
          const size = message.readInt32LE(doc);
          documents.push(deserialize(message.subarray(doc, doc + size), options));
          doc += size;
        }
        at = sectionEnd;
      } else {
        throw new Error(`Unknown section type: ${kind}`);
      }
    }
    if (!body) throw new Error('OP_MSG missing command body section');
    const commandName = Object.keys(body)[0];
    return {
      command: {
        commandName,
        command: body,
        database: typeof body.$db === 'string' ? body.$db : 'admin',
        requestID: header.requestID,
        opCode: header.opCode,
        documentSequences: sequences.size ? sequences : undefined,
      },
      bytesConsumed: header.messageLength,
    };
  };
}

interface MemoryStorageMaps {
  databases: Map<string, Map<string, CollectionMap>>;
  indexes: Map<string, Map<string, Doc[]>>;
}

/** The budget each stand-in's storage shares between its collections, for `serverStatus`. */
const BUDGETS = new WeakMap<object, HotDocuments>();
/** The interner of each stand-in's storage, for `serverStatus`. */
const INTERNERS = new WeakMap<object, ValueInterner>();

/** Every collection the storage creates is a DocumentStore sharing one budget of documents kept as objects. */
function useDocumentStores(congo: CongoModule, storage: CongoStorage, hotDocuments: number): void {
  const { serialize, deserialize } = congo.plugins.bson;
  const decodeOptions = { validation: { utf8: false } };
  const budget = new HotDocuments(hotDocuments, {
    encode: (doc) => serialize(doc),
    decode: (bytes) => deserialize(bytes, decodeOptions),
  });
  BUDGETS.set(storage, budget);
  const { databases, indexes } = storage as unknown as MemoryStorageMaps;
  // MemoryStorageAdapter's own versions, except that a new collection is a DocumentStore instead of a Map.
  storage.ensureCollection = (db, coll) => {
    let collections = databases.get(db);
    if (!collections) {
      databases.set(db, (collections = new Map<string, CollectionMap>()));
      indexes.set(db, new Map());
    }
    let docs = collections.get(coll);
    if (!docs) {
      collections.set(coll, (docs = new DocumentStore(budget)));
      indexes.get(db)!.set(coll, [{ name: '_id_', key: { _id: 1 }, unique: true }]);
    }
    return docs;
  };
  storage.createCollection = (db, coll) => {
    storage.ensureCollection(db, coll);
    return Promise.resolve();
  };
}

/**
 * MongoDB allows any BSON value except an array as _id; CongoDB's memory storage forces every _id
 * through `new ObjectId(...)`, so string ids fail (reported as a bogus duplicate key, code 11000) and
 * 24-hex strings silently become ObjectIds. Key documents by a type-tagged string instead.
 */
function patchStorageIds(congo: CongoModule, storage: CongoStorage, interner?: ValueInterner): void {
  const { ObjectId } = congo.plugins.bson;
  const idKey = idKeyOf(congo);
  const keep = interner ? (doc: Doc, previous?: Doc) => interner.intern(doc, previous) : (doc: Doc) => doc;
  // CongoDB awaits these methods; plain functions returning settled promises keep that contract.
  storage.insertOne = (db, coll, doc) => {
    const collection = storage.ensureCollection(db, coll);
    const copy: Doc = { ...doc };
    if (copy._id === undefined || copy._id === null) copy._id = new ObjectId();
    const stored = keep(copy);
    const key = idKey(stored._id);
    if (collection.has(key)) {
      // "Duplicate key" in the message is what CongoDB's handlers translate into code 11000.
      return Promise.reject(Object.assign(new Error(`Duplicate key error: _id ${key}`), { code: 11000 }));
    }
    collection.set(key, stored);
    INDEXES.get(collection)?.put(key, stored);
    return Promise.resolve(stored);
  };
  storage.findById = (db, coll, id) =>
    Promise.resolve(storage.ensureCollection(db, coll).get(idKey(id)) ?? null);
  storage.updateById = (db, coll, id, doc) => {
    const collection = storage.ensureCollection(db, coll);
    const key = idKey(id);
    if (!collection.has(key)) return Promise.resolve(false);
    // The document it replaces, to skip the parts a copy-on-write update kept (not when reading it would decode it).
    const previous = collection instanceof DocumentStore ? undefined : collection.get(key);
    const stored = keep(doc, previous);
    collection.set(key, stored);
    INDEXES.get(collection)?.put(key, stored);
    return Promise.resolve(true);
  };
  storage.deleteById = (db, coll, id) => {
    const collection = storage.ensureCollection(db, coll);
    const key = idKey(id);
    INDEXES.get(collection)?.remove(key);
    return Promise.resolve(collection.delete(key));
  };
  // Every handler reads a collection as `findAll` followed by `QueryEngine.filter`: hand out a lazy view that
  // the patched filter answers from the collection's keys and indexes, and that anything else reads as the array.
  storage.findAll = (db, coll) => Promise.resolve(collectionView(storage.ensureCollection(db, coll)));
}

/** Documents the stand-ins of this process examined to answer queries (MongoDB's `scannedObjects`). */
let scannedObjects = 0;

/** The garbage collections of the stand-in's thread since it started, and the pauses they made it take. */
const collections = { major: 0, majorPauseMs: 0, minor: 0, minorPauseMs: 0 };
let gcObserver: PerformanceObserver | undefined;

function observeCollections(): void {
  gcObserver ??= new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) {
        collections.major++;
        collections.majorPauseMs += entry.duration;
      } else if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) {
        collections.minor++;
        collections.minorPauseMs += entry.duration;
      }
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
}

/**
 * The heap of the thread the stand-in runs on, which holds every stored document: its size now and its major and
 * minor collections so far (count and the pauses they made; the concurrent marking of V8's helper threads is not
 * in these pauses).
 */
function heapFigures(): Doc {
  const heap = getHeapStatistics();
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  return {
    usedMiB: mib(heap.used_heap_size),
    totalMiB: mib(heap.total_heap_size),
    majorCollections: collections.major,
    majorPauseMs: Math.round(collections.majorPauseMs),
    minorCollections: collections.minor,
    minorPauseMs: Math.round(collections.minorPauseMs),
  };
}

interface AdminHandlerClass {
  prototype: { handleServerStatus: (this: unknown, context: unknown) => Promise<Doc> };
}

/**
 * `serverStatus` reports `metrics.queryExecutor.scannedObjects` as MongoDB does: how many documents queries
 * examined. It shows whether a query was answered from an index or by reading the collection.
 */
function patchServerStatus(handler: AdminHandlerClass): void {
  const original = handler.prototype.handleServerStatus;
  handler.prototype.handleServerStatus = async function (context) {
    const status = await original.call(this, context);
    const { storage } = context as { storage: object };
    const documentStore: DocumentStoreStats | undefined = BUDGETS.get(storage)?.stats();
    const interning: InterningStats | undefined = INTERNERS.get(storage)?.stats();
    return {
      ...status,
      metrics: { queryExecutor: { scannedObjects } },
      documentStore,
      interning,
      heap: heapFigures(),
    };
  };
}

interface UpdateSpec {
  q?: Doc;
  filter?: Doc;
  u?: Doc;
  update?: Doc;
  multi?: boolean;
  upsert?: boolean;
  arrayFilters?: unknown;
}

interface UpdateContext {
  storage: CongoStorage;
  database: string;
  command: { update?: unknown; updates?: UpdateSpec[]; ordered?: boolean };
  documentSequences?: Map<string, UpdateSpec[]>;
}

interface UpdateHandlerClass {
  prototype: {
    handleUpdate(context: UpdateContext): Promise<Doc>;
    applyFilterToDoc(doc: Doc, filter: Doc): void;
  };
}

/**
 * CongoDB's `update` command decides whether a document changed by JSON-serialising it before and after
 * (twice per updated document: the stand-in's largest cost under load). Same command, same answers, with a
 * structural comparison that stops at the first difference.
 */
function patchUpdateCommand(congo: CongoModule, handler: UpdateHandlerClass): void {
  const { QueryEngine, UpdateEngine } = congo;
  const { ObjectId } = congo.plugins.bson;
  handler.prototype.handleUpdate = async function (context) {
    const { storage, database, command, documentSequences } = context;
    const collection = command.update;
    if (typeof collection !== 'string')
      return { ok: 0, errmsg: 'update command requires a collection name', code: 2, codeName: 'BadValue' };
    const updates = documentSequences?.get('updates') ?? command.updates ?? [];
    if (!Array.isArray(updates) || updates.length === 0)
      return { ok: 0, errmsg: 'update command requires updates array', code: 2, codeName: 'BadValue' };
    const ordered = command.ordered !== false;
    const writeErrors: Array<{ index: number; code: number; errmsg: string }> = [];
    const upserted: Array<{ index: number; _id: unknown }> = [];
    let matched = 0;
    let modified = 0;
    await storage.createCollection(database, collection);
    for (let index = 0; index < updates.length; index++) {
      const spec = updates[index];
      const filter = spec.q ?? spec.filter ?? {};
      const update = spec.u ?? spec.update ?? {};
      try {
        const found = QueryEngine.filter(await storage.findAll(database, collection), filter);
        if (found.length === 0 && spec.upsert) {
          const fresh: Doc = { _id: new ObjectId() };
          this.applyFilterToDoc(fresh, filter);
          const inserted = UpdateEngine.applyUpdate(fresh, update, spec.arrayFilters);
          if (update.$setOnInsert) Object.assign(inserted, update.$setOnInsert);
          await storage.insertOne(database, collection, inserted);
          upserted.push({ index, _id: inserted._id });
          continue;
        }
        const targets = spec.multi ? found : found.slice(0, 1);
        matched += targets.length;
        for (const doc of targets) {
          const updated = UpdateEngine.applyUpdate(doc, update, spec.arrayFilters);
          if (sameValue(doc, updated)) continue;
          await storage.updateById(database, collection, doc._id, updated);
          modified++;
        }
      } catch (error) {
        const e = error as { code?: number; message?: string };
        writeErrors.push({ index, code: e.code || 1, errmsg: e.message || 'Update failed' });
        if (ordered) break;
      }
    }
    return {
      ok: 1,
      n: matched + upserted.length,
      nModified: modified,
      ...(upserted.length ? { upserted } : {}),
      ...(writeErrors.length ? { writeErrors } : {}),
    };
  };
}

/** The top-level field a path writes: `a` for `a`, `a.b.c` and `a[2]`. */
function topField(path: string): string {
  const dot = path.indexOf('.');
  const top = dot < 0 ? path : path.slice(0, dot);
  return top.endsWith(']') ? top.replace(/\[\d+\]$/, '') : top;
}

/** The top-level fields an operator update writes, or undefined for an update that is not operators only. */
function fieldsWritten(update: unknown): Set<string> | undefined {
  if (typeof update !== 'object' || update === null || Array.isArray(update)) return undefined;
  const fields = new Set<string>();
  const add = (path: string) => fields.add(topField(path));
  for (const [operator, operand] of Object.entries(update as Doc)) {
    if (!operator.startsWith('$') || typeof operand !== 'object' || operand === null) return undefined;
    for (const [path, value] of Object.entries(operand as Doc)) {
      add(path);
      if (operator === '$rename' && typeof value === 'string') add(value);
    }
  }
  return fields;
}

/**
 * Applies an operator update the way CongoDB does, but copies only the top-level fields the update writes instead
 * of the whole document (a work order with its history and limits, for one `$inc` of its version). The result
 * shares every other field with `document`, which is left unchanged.
 */
export function applyUpdateCopyOnWrite(
  engine: CongoModule['UpdateEngine'],
  applyUpdate: CongoModule['UpdateEngine']['applyUpdate'],
  document: Doc,
  update: unknown,
  arrayFilters?: unknown,
): Doc {
  const written = fieldsWritten(update);
  if (!written) return applyUpdate.call(engine, document, update, arrayFilters);
  const result: Doc = { ...document };
  for (const field of written)
    if (Object.prototype.hasOwnProperty.call(document, field))
      result[field] = engine.deepClone(document[field]);
  // CongoDB starts by deep-cloning the whole document: hand it the prepared copy instead. (applyUpdate is
  // synchronous, so one engine per CongoDB engine, told which copy is prepared, serves every call.)
  const sharing = sharingEngineFor(engine);
  const outer = sharing.prepared;
  sharing.prepared = result;
  try {
    return applyUpdate.call(sharing, result, update, arrayFilters);
  } finally {
    sharing.prepared = outer;
  }
}

type SharingEngine = CongoModule['UpdateEngine'] & { prepared: Doc | undefined };
const SHARING_ENGINES = new WeakMap<object, SharingEngine>();

/** CongoDB's update engine, except that deep-cloning the prepared copy returns it as it is. */
function sharingEngineFor(engine: CongoModule['UpdateEngine']): SharingEngine {
  let sharing = SHARING_ENGINES.get(engine);
  if (!sharing) {
    const created = Object.create(engine) as SharingEngine;
    created.prepared = undefined;
    created.deepClone = (value: unknown) =>
      value !== undefined && value === created.prepared ? value : engine.deepClone(value);
    SHARING_ENGINES.set(engine, (sharing = created));
  }
  return sharing;
}

function patchCopyOnWriteUpdates(congo: CongoModule): void {
  const { UpdateEngine } = congo;
  const applyUpdate = UpdateEngine.applyUpdate;
  UpdateEngine.applyUpdate = (document, update, arrayFilters) =>
    applyUpdateCopyOnWrite(UpdateEngine, applyUpdate, document, update, arrayFilters);
}

/** Deep equality of stored values: plain objects by keys, arrays by elements, dates by time, BSON values by their JSON. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  const proto = Object.getPrototypeOf(a) as unknown;
  if (proto !== Object.getPrototypeOf(b)) return false;
  if (proto !== Object.prototype && proto !== null) return JSON.stringify(a) === JSON.stringify(b);
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!sameValue((a as Doc)[key], (b as Doc)[key])) return false;
  }
  return true;
}

/** String ids that must be tagged to stay apart from other ids' keys: 24 hex digits, or a tag's own prefix. */
const TAGGED_STRING_ID = /^(?:[0-9a-f]{24}$|[sne]:)/;

/**
 * The key of a document's `_id` in its collection's Map. An ObjectId's key is its 24 hex digits and a number's
 * and any other value's carry a tag (`n:`, `e:`). A string id is its own key, so that the key is the string the
 * document already holds (one heap object fewer per document, and no key built on each lookup), except when it
 * could be taken for one of those keys: then it is tagged `s:`.
 */
function idKeyOf(congo: CongoModule): (id: unknown) => string {
  const { ObjectId, EJSON } = congo.plugins.bson;
  return (id) => {
    if (typeof id === 'string') return TAGGED_STRING_ID.test(id) ? `s:${id}` : id;
    if (id instanceof ObjectId) return id.toHexString();
    if (typeof id === 'number') return `n:${id}`;
    return `e:${EJSON.stringify(id, { relaxed: false })}`;
  };
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
  // An updateMany hands every document the same condition object: compile it once, not once per document.
  const compiled = new WeakMap<object, (item: unknown) => boolean>();
  UpdateEngine.applyPull = (doc, fields) => {
    for (const [path, condition] of Object.entries(fields)) {
      const arr = UpdateEngine.getNestedValue(doc, path);
      if (!Array.isArray(arr)) continue;
      const known = isPlainDoc(condition) ? compiled.get(condition) : undefined;
      let remove: (item: unknown) => boolean;
      if (known) {
        remove = known;
      } else if (isPlainDoc(condition)) {
        const keys = Object.keys(condition);
        if (keys.length > 0 && keys.every((k) => VALUE_OPERATORS.has(k))) {
          remove = (item) => QueryEngine.matches({ v: item }, { v: condition });
        } else {
          // Building a mingo query per element was the stand-in's main cost when relays pull published events.
          const quick = simpleTest(condition, congo.plugins.bson.ObjectId);
          remove = (item) => isPlainDoc(item) && (quick?.(item) ?? QueryEngine.matches(item, condition));
        }
        compiled.set(condition, remove);
      } else {
        remove = (item) => UpdateEngine.valuesEqual(item, condition);
      }
      const kept: unknown[] = arr.filter((item: unknown) => !remove(item));
      arr.length = 0;
      arr.push(...kept);
    }
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
const isPlainDoc = (v: unknown): v is Doc =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** A condition made only of comparisons with dates (or only with numbers), as the range it allows. */
function rangeOf(cond: unknown): ValueRange | undefined {
  if (!isPlainDoc(cond)) return undefined;
  const ops = Object.entries(cond);
  if (!ops.length) return undefined;
  let range: ValueRange | undefined;
  for (const [op, bound] of ops) {
    const kind = bound instanceof Date ? 'date' : typeof bound === 'number' ? 'number' : undefined;
    const value = bound instanceof Date ? bound.getTime() : (bound as number);
    if (!kind || Number.isNaN(value) || (range && range.kind !== kind)) return undefined;
    range ??= { kind };
    const raise = (inclusive: boolean) => {
      const low = range!.low;
      if (!low || value > low.value || (value === low.value && !inclusive)) range!.low = { value, inclusive };
    };
    const lower = (inclusive: boolean) => {
      const high = range!.high;
      if (!high || value < high.value || (value === high.value && !inclusive))
        range!.high = { value, inclusive };
    };
    if (op === '$gt' || op === '$gte') raise(op === '$gte');
    else if (op === '$lt' || op === '$lte') lower(op === '$lte');
    else if (op === '$eq') {
      raise(true);
      lower(true);
    } else return undefined;
  }
  return range;
}

/**
 * The comparisons of a condition whose bounds are all dates or all numbers, as a test that only rejects values of
 * that kind outside the range; any other value is kept for mingo, which knows MongoDB's ordering across types.
 */
function rangeBounds(condition: Doc): ((value: unknown) => boolean) | undefined {
  const { $in: _list, ...comparisons } = condition;
  const range = rangeOf(comparisons);
  if (!range) return undefined;
  return (value) => {
    const n =
      range.kind === 'date'
        ? value instanceof Date
          ? value.getTime()
          : undefined
        : typeof value === 'number'
          ? value
          : undefined;
    return n === undefined || Number.isNaN(n) || (above(n, range) && below(n, range));
  };
}

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
  const bounds = rangeBounds(condition as Doc);
  return (r) => {
    if (r.kind === 'missing') return false;
    if (r.kind === 'array') return true;
    if (bounds && !bounds(r.value)) return false;
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

/** A range over one kind of ordered value (date times or numbers), each end open or closed. */
export interface ValueRange {
  kind: 'date' | 'number';
  low?: { value: number; inclusive: boolean };
  high?: { value: number; inclusive: boolean };
}

/** How a document is filed in a field index. */
type Filing =
  | { as: 'value'; value: unknown }
  | { as: 'ordered'; kind: ValueRange['kind']; value: number }
  | { as: 'complex' };

const CHUNK = 512;

/**
 * (value, key) entries kept in order in chunks of at most CHUNK, so an insert or a removal moves at most a chunk and
 * a range read visits only the entries inside it, however large the collection grows.
 */
export class SortedEntries {
  private chunks: Array<Array<[number, string]>> = [];
  private total = 0;

  get size(): number {
    return this.total;
  }

  add(value: number, key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([[value, key]]);
      this.total = 1;
      return;
    }
    const c = this.chunkFor(value, key);
    const chunk = this.chunks[c];
    chunk.splice(this.position(chunk, value, key), 0, [value, key]);
    this.total++;
    if (chunk.length > CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(CHUNK >> 1));
  }

  delete(value: number, key: string): boolean {
    if (this.chunks.length === 0) return false;
    const c = this.chunkFor(value, key);
    const chunk = this.chunks[c];
    const at = this.position(chunk, value, key);
    if (at >= chunk.length || chunk[at][0] !== value || chunk[at][1] !== key) return false;
    chunk.splice(at, 1);
    this.total--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /** Keys whose value lies in the range, in value order. */
  *keysIn(range: ValueRange): Iterable<string> {
    for (let c = this.firstChunk(range); c < this.chunks.length; c++) {
      for (const [value, key] of this.chunks[c]) {
        if (!above(value, range)) continue;
        if (!below(value, range)) return;
        yield key;
      }
    }
  }

  countIn(range: ValueRange): number {
    let n = 0;
    for (let c = this.firstChunk(range); c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      if (above(chunk[0][0], range) && below(chunk[chunk.length - 1][0], range)) {
        n += chunk.length;
        continue;
      }
      for (const [value] of chunk) {
        if (!above(value, range)) continue;
        if (!below(value, range)) return n;
        n++;
      }
    }
    return n;
  }

  /** The first chunk that can hold values at or above the range's low end. */
  private firstChunk(range: ValueRange): number {
    const low = range.low?.value;
    return low === undefined
      ? 0
      : firstNotBefore(this.chunks.length - 1, (c) => lastOf(this.chunks[c])[0] < low);
  }

  /** The chunk where (value, key) is or would go: the first whose last entry is not before it. */
  private chunkFor(value: number, key: string): number {
    return firstNotBefore(this.chunks.length - 1, (c) => before(lastOf(this.chunks[c]), value, key));
  }

  private position(chunk: Array<[number, string]>, value: number, key: string): number {
    return firstNotBefore(chunk.length, (i) => before(chunk[i], value, key));
  }
}

/** The first index in [0, end) for which `isBefore` is false (it must be true up to some index, false after), else `end`. */
function firstNotBefore(end: number, isBefore: (index: number) => boolean): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (isBefore(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const lastOf = <T>(items: T[]): T => items[items.length - 1];

const before = (entry: [number, string], value: number, key: string): boolean =>
  entry[0] < value || (entry[0] === value && entry[1] < key);
const above = (value: number, { low }: ValueRange): boolean =>
  !low || (low.inclusive ? value >= low.value : value > low.value);
const below = (value: number, { high }: ValueRange): boolean =>
  !high || (high.inclusive ? value <= high.value : value < high.value);

/**
 * Documents by their value at a path: primitives by value; dates and numbers also in order, for ranges; arrays,
 * sub-documents and values without an order (NaN, invalid dates) are left to mingo, so always candidates.
 */
class FieldIndex {
  private readonly byValue = new Map<unknown, Set<string>>();
  private readonly ordered = { date: new SortedEntries(), number: new SortedEntries() };
  /** Documents where the path holds an array, a sub-document or an unordered value: always candidates. */
  private readonly complex = new Set<string>();
  /** How each document is filed, so a rewrite can unfile it (CongoDB updates documents in place). */
  private readonly filed = new Map<string, Filing>();

  constructor(private readonly path: string[]) {}

  put(key: string, doc: Doc): void {
    this.remove(key);
    const r = reach(doc, this.path);
    if (r.kind === 'missing') return;
    const value = r.kind === 'value' ? r.value : undefined;
    if (value instanceof Date && !Number.isNaN(value.getTime())) {
      this.ordered.date.add(value.getTime(), key);
      this.filed.set(key, { as: 'ordered', kind: 'date', value: value.getTime() });
      return;
    }
    if (r.kind === 'array' || (typeof value === 'object' && value !== null) || Number.isNaN(value)) {
      this.complex.add(key);
      this.filed.set(key, { as: 'complex' });
      return;
    }
    let keys = this.byValue.get(value);
    if (!keys) this.byValue.set(value, (keys = new Set()));
    keys.add(key);
    if (typeof value === 'number') this.ordered.number.add(value, key);
    this.filed.set(key, { as: 'value', value });
  }

  remove(key: string): void {
    const filing = this.filed.get(key);
    if (!filing) return;
    this.filed.delete(key);
    if (filing.as === 'complex') {
      this.complex.delete(key);
    } else if (filing.as === 'ordered') {
      this.ordered[filing.kind].delete(filing.value, key);
    } else {
      const keys = this.byValue.get(filing.value);
      keys?.delete(key);
      if (keys?.size === 0) this.byValue.delete(filing.value);
      if (typeof filing.value === 'number') this.ordered.number.delete(filing.value, key);
    }
  }

  /** Keys of every document an equality with one of `values` could match. */
  equalTo(values: unknown[]): Iterable<string> {
    const sets = values.map((v) => this.byValue.get(v)).filter((set) => set !== undefined);
    return sets.length === 0 && this.complex.size === 0
      ? []
      : [...this.complex, ...sets.flatMap((set) => [...set])];
  }

  countEqualTo(values: unknown[]): number {
    return values.reduce<number>((n, v) => n + (this.byValue.get(v)?.size ?? 0), this.complex.size);
  }

  /** Keys of every document a range of dates or numbers could match. */
  inRange(range: ValueRange): Iterable<string> {
    return [...this.complex, ...this.ordered[range.kind].keysIn(range)];
  }

  countInRange(range: ValueRange): number {
    return this.complex.size + this.ordered[range.kind].countIn(range);
  }

  /** Keys of every document where the path is present. */
  present(): Iterable<string> {
    return this.filed.keys();
  }

  get presentCount(): number {
    return this.filed.size;
  }
}

const COMPLEX = Symbol('complex');

/** The stand-in's own indexes for one collection, built the first time a query could use them. */
class CollectionIndexes {
  private readonly fields = new Map<string, FieldIndex>();

  constructor(private readonly docs: CollectionMap) {}

  field(path: string): FieldIndex {
    let index = this.fields.get(path);
    if (!index) {
      index = new FieldIndex(path.split('.'));
      for (const [key, doc] of this.docs) index.put(key, doc);
      this.fields.set(path, index);
    }
    return index;
  }

  put(key: string, doc: Doc): void {
    for (const index of this.fields.values()) index.put(key, doc);
  }

  remove(key: string): void {
    for (const index of this.fields.values()) index.remove(key);
  }
}

/** Keyed by the collection's own Map, so a dropped collection drops its indexes and a renamed one keeps them. */
const INDEXES = new WeakMap<CollectionMap, CollectionIndexes>();
/** The collection behind each view handed out by `findAll`. */
const VIEWS = new WeakMap<object, CollectionMap>();

/** Looks like the collection's array of documents; only builds that array if something other than the filter reads it. */
function collectionView(docs: CollectionMap): Doc[] {
  let array: Doc[] | undefined;
  const materialise = () => (array ??= Array.from(docs.values()));
  const view = new Proxy([] as Doc[], {
    get(_target, prop) {
      // Promise resolution asks every value for `then`; an array has none, and answering must not cost a copy.
      if (prop === 'then') return undefined;
      const all = materialise();
      const value: unknown = Reflect.get(all, prop, all);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(all) : value;
    },
    has: (_target, prop) => Reflect.has(materialise(), prop),
    ownKeys: () => Reflect.ownKeys(materialise()),
    getOwnPropertyDescriptor: (_target, prop) => Reflect.getOwnPropertyDescriptor(materialise(), prop),
    set: (_target, prop, value) => Reflect.set(materialise(), prop, value),
  });
  VIEWS.set(view, docs);
  return view;
}

/** Below this size a plain scan is as cheap as an index; no index is built. */
const INDEX_MIN_DOCUMENTS = 64;

/**
 * CongoDB answers every query by scanning the whole collection through mingo, so each read or update cost
 * O(collection) and a busy pipeline slowed down as its collections grew. Queries now start from the fewest
 * candidates the filter allows: the _id keys it pins, or a hash index on one of its top-level equality / $in
 * fields, or the documents where a range-filtered field is present. mingo then runs the complete filter on the
 * candidates, so results are those of a full scan (in index order rather than insertion order, as with MongoDB).
 */
function patchIndexedViews(congo: CongoModule): void {
  const { QueryEngine } = congo;
  const { ObjectId } = congo.plugins.bson;
  const idKey = idKeyOf(congo);
  const inner = QueryEngine.filter.bind(QueryEngine);
  const isIdValue = (v: unknown) => isPrimitive(v) || v instanceof ObjectId;

  /** The _id values a filter pins, or undefined when it does not pin them. */
  const pinnedIds = (cond: unknown): unknown[] | undefined => {
    if (isIdValue(cond)) return [cond];
    if (!isPlainDoc(cond)) return undefined;
    if (isIdValue(cond.$eq)) return [cond.$eq];
    if (Array.isArray(cond.$in) && cond.$in.every(isIdValue)) return cond.$in;
    return undefined;
  };
  /** Equality values of a condition that only matches equal primitives (or array elements equal to them). */
  const equalities = (cond: unknown): unknown[] | undefined => {
    if (isPrimitive(cond)) return [cond];
    if (!isPlainDoc(cond)) return undefined;
    const ops = Object.keys(cond);
    if (ops.length === 0 || !ops.every((op) => PRESENCE_OPERATORS.has(op))) return undefined;
    if (isPrimitive(cond.$eq)) return [cond.$eq];
    if (Array.isArray(cond.$in) && cond.$in.every(isPrimitive) && !('$eq' in cond)) return cond.$in;
    return undefined;
  };
  /** Range conditions never match a missing field: candidates are the documents where it is present. */
  const needsPresence = (cond: unknown): boolean => {
    if (!isPlainDoc(cond)) return false;
    const ops = Object.entries(cond);
    return (
      ops.length > 0 &&
      ops.every(([op, v]) => PRESENCE_OPERATORS.has(op) && v !== null && v !== undefined) &&
      !Array.isArray(cond.$in)
    );
  };

  const candidates = (docs: CollectionMap, filter: Doc): Doc[] | undefined => {
    const ids = '_id' in filter ? pinnedIds(filter._id) : undefined;
    if (ids) {
      const keys = new Set(ids.map(idKey));
      const found: Doc[] = [];
      for (const key of keys) {
        const doc = docs.get(key);
        if (doc) found.push(doc);
      }
      return found;
    }
    if (docs.size < INDEX_MIN_DOCUMENTS) return undefined;
    let indexes = INDEXES.get(docs);
    let best: { count: number; keys: () => Iterable<string> } | undefined;
    for (const [path, cond] of Object.entries(filter)) {
      if (path.startsWith('$') || path === '_id') continue;
      const values = equalities(cond);
      const range = values ? undefined : rangeOf(cond);
      if (!values && !range && !needsPresence(cond)) continue;
      if (!indexes) INDEXES.set(docs, (indexes = new CollectionIndexes(docs)));
      const index = indexes.field(path);
      let option: { count: number; keys: () => Iterable<string> };
      if (values) option = { count: index.countEqualTo(values), keys: () => index.equalTo(values) };
      else if (range) option = { count: index.countInRange(range), keys: () => index.inRange(range) };
      else option = { count: index.presentCount, keys: () => index.present() };
      if (!best || option.count < best.count) best = option;
    }
    if (!best) return undefined;
    const found: Doc[] = [];
    for (const key of new Set(best.keys())) {
      const doc = docs.get(key);
      if (doc) found.push(doc);
    }
    return found;
  };

  /** Decides what it can without mingo (building a mingo query costs more than a small update); mingo takes the rest. */
  const decide = (docs: Doc[], filter: unknown): Doc[] => {
    const test = isPlainDoc(filter) ? simpleTest(filter, ObjectId) : undefined;
    if (!test) return inner(docs, filter);
    const matched: Doc[] = [];
    const undecided: Doc[] = [];
    for (const doc of docs) {
      const verdict = test(doc);
      if (verdict === true) matched.push(doc);
      else if (verdict === undefined) undecided.push(doc);
    }
    // Order matters little (MongoDB promises none without a sort), but keep the candidates' order when all were decided.
    return undecided.length ? [...matched, ...inner(undecided, filter)] : matched;
  };

  QueryEngine.filter = (docs, filter) => {
    const collection = VIEWS.get(docs);
    if (collection && isPlainDoc(filter)) {
      const narrowed = candidates(collection, filter);
      if (narrowed) {
        scannedObjects += narrowed.length;
        return decide(narrowed, filter);
      }
    }
    scannedObjects += collection?.size ?? docs.length;
    return decide(docs, filter);
  };
}

type Verdict = boolean | undefined;
type Test = (doc: Doc) => Verdict;
type Scalar = string | number | boolean | Date;

/** A value found at a path: undefined when missing; 'complex' for arrays and sub-documents (mingo's business). */
function valueAt(doc: Doc, path: string[]): unknown {
  let current: unknown = doc;
  for (const segment of path) {
    if (current === null || current === undefined) return undefined;
    if (typeof current !== 'object' || Array.isArray(current) || current instanceof Date) return COMPLEX;
    current = (current as Doc)[segment];
  }
  if (Array.isArray(current)) return COMPLEX;
  if (current !== null && typeof current === 'object' && !(current instanceof Date)) return COMPLEX;
  return current;
}

const isScalar = (v: unknown): v is Scalar => isPrimitive(v) || v instanceof Date;

/** MongoDB compares within a type class only: numbers with numbers, strings with strings, dates with dates. */
function compare(a: unknown, b: Scalar): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}

const equal = (a: unknown, b: Scalar | null): boolean =>
  b === null ? a === null || a === undefined : compare(a, b) === 0;

/**
 * A matcher for the filters the services send most (equality, comparisons, $in/$nin/$ne/$exists on scalars,
 * $and/$or of those), or undefined for anything else. It answers undefined for a document whose value is an
 * array or a sub-document, which mingo then decides; ObjectIds and other BSON types are left to mingo too.
 */
function simpleTest(filter: Doc, objectId: abstract new (...a: never[]) => unknown): Test | undefined {
  const tests: Test[] = [];
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(cond) || cond.length === 0) return undefined;
      const parts = cond.map((c) =>
        typeof c === 'object' && c !== null && !Array.isArray(c) ? simpleTest(c as Doc, objectId) : undefined,
      );
      if (parts.some((p) => p === undefined)) return undefined;
      const all = parts as Test[];
      tests.push(key === '$and' ? andOf(all) : orOf(all));
      continue;
    }
    if (key.startsWith('$')) return undefined;
    const test = fieldTest(key.split('.'), cond, objectId);
    if (!test) return undefined;
    tests.push(test);
  }
  return andOf(tests);
}

function andOf(tests: Test[]): Test {
  return (doc) => {
    let unknown = false;
    for (const t of tests) {
      const v = t(doc);
      if (v === false) return false;
      if (v === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  };
}

function orOf(tests: Test[]): Test {
  return (doc) => {
    let unknown = false;
    for (const t of tests) {
      const v = t(doc);
      if (v === true) return true;
      if (v === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  };
}

function fieldTest(
  path: string[],
  cond: unknown,
  objectId: abstract new (...a: never[]) => unknown,
): Test | undefined {
  const scalarOrNull = (v: unknown): v is Scalar | null => v === null || isScalar(v);
  const checks: Array<(value: unknown) => boolean> = [];
  if (scalarOrNull(cond)) {
    checks.push((v) => equal(v, cond));
  } else if (typeof cond === 'object' && cond !== null && Object.getPrototypeOf(cond) === Object.prototype) {
    const ops = Object.entries(cond as Doc);
    if (!ops.length) return undefined;
    for (const [op, arg] of ops) {
      if (arg instanceof objectId) return undefined;
      switch (op) {
        case '$eq':
          if (!scalarOrNull(arg)) return undefined;
          checks.push((v) => equal(v, arg));
          break;
        case '$ne':
          if (!scalarOrNull(arg)) return undefined;
          checks.push((v) => !equal(v, arg));
          break;
        case '$gt':
        case '$gte':
        case '$lt':
        case '$lte': {
          if (!isScalar(arg)) return undefined;
          const ok = {
            $gt: (c: number) => c > 0,
            $gte: (c: number) => c >= 0,
            $lt: (c: number) => c < 0,
            $lte: (c: number) => c <= 0,
          }[op];
          checks.push((v) => {
            const c = compare(v, arg);
            return c !== undefined && ok(c);
          });
          break;
        }
        case '$in':
        case '$nin': {
          if (!Array.isArray(arg) || !arg.every(scalarOrNull)) return undefined;
          // A relay's pull names hundreds of ids: look strings, numbers and booleans up in a set (types stay
          // apart, as in MongoDB), and compare only null and dates one by one.
          const primitives = new Set<unknown>(arg.filter(isPrimitive));
          const others = arg.filter((x) => !isPrimitive(x));
          const inList = (v: unknown) => primitives.has(v) || others.some((x) => equal(v, x));
          checks.push(op === '$in' ? inList : (v) => !inList(v));
          break;
        }
        case '$exists':
          if (typeof arg !== 'boolean') return undefined;
          checks.push((v) => (v !== undefined) === arg);
          break;
        default:
          return undefined;
      }
    }
  } else {
    return undefined;
  }
  return (doc) => {
    const value = valueAt(doc, path);
    if (value === COMPLEX) return undefined;
    if (value !== undefined && value !== null && !isScalar(value)) return undefined;
    return checks.every((check) => check(value));
  };
}
