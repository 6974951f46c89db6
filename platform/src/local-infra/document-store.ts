// A collection's documents for the MongoDB stand-in: recently written ones as objects, older ones as BSON bytes.

type Doc = Record<string, unknown>;

/** How a stored document becomes bytes and back (BSON in the stand-in). */
export interface DocumentCodec {
  encode(doc: Doc): Uint8Array;
  decode(bytes: Uint8Array): Doc;
}

interface HotEntry {
  store: DocumentStore;
  key: string;
}

/** What the stores sharing a budget hold, for `serverStatus` and the benchmarks. */
export interface DocumentStoreStats {
  /** Documents kept as objects. */
  hotDocuments: number;
  /** Documents kept as BSON bytes, and their size. */
  coldDocuments: number;
  coldBytes: number;
  /** Documents turned into bytes, and bytes decoded back to answer a read, since start. */
  frozen: number;
  thawed: number;
}

/**
 * The budget of documents the stores of one stand-in keep as objects: the most recently written, across every
 * collection. Writing a document beyond the budget turns the least recently written one into bytes.
 */
export class HotDocuments {
  private readonly order = new Set<HotEntry>();
  readonly counts = { coldDocuments: 0, coldBytes: 0, frozen: 0, thawed: 0 };

  constructor(
    readonly budget: number,
    readonly codec: DocumentCodec,
  ) {}

  stats(): DocumentStoreStats {
    return { hotDocuments: this.order.size, ...this.counts };
  }

  /** Marks an entry most recently written, then freezes the least recent ones beyond the budget. */
  touch(entry: HotEntry): void {
    this.order.delete(entry);
    this.order.add(entry);
    while (this.order.size > this.budget) {
      const oldest = this.order.values().next().value as HotEntry;
      this.order.delete(oldest);
      oldest.store.freeze(oldest.key);
    }
  }

  forget(entry: HotEntry): void {
    this.order.delete(entry);
  }
}

/**
 * Every document the stand-in holds lives on its JavaScript heap, so each major collection marks every object of every
 * stored document: gigabytes after minutes of a storm, about 10 CPU-seconds of V8's helper threads per collection.
 * With a budget (LOCAL_MONGO_HOT_DOCUMENTS), documents written long enough ago are kept as one BSON byte array each,
 * outside the heap V8 marks; reading one decodes a fresh copy, writing one makes it an object again.
 *
 * It is off by default: at 550 complaints/s the encoding of every document and the decoding of the old ones that are
 * still read cost more than the collections it spared, and the pipeline fell behind (BENCHMARKS.md, sixth session).
 *
 * It is a Map from the stand-in's storage key to the document, as the stand-in expects: iteration keeps insertion
 * order, and every read returns a document object.
 */
export class DocumentStore extends Map<string, Doc> {
  private readonly hot = new Map<string, HotEntry>();

  constructor(private readonly budget: HotDocuments) {
    super();
  }

  override get(key: string): Doc | undefined {
    return this.thaw(super.get(key));
  }

  override set(key: string, doc: Doc): this {
    this.dropCold(key);
    super.set(key, doc);
    let entry = this.hot.get(key);
    if (!entry) this.hot.set(key, (entry = { store: this, key }));
    this.budget.touch(entry);
    return this;
  }

  override delete(key: string): boolean {
    const entry = this.hot.get(key);
    if (entry) {
      this.hot.delete(key);
      this.budget.forget(entry);
    }
    this.dropCold(key);
    return super.delete(key);
  }

  override clear(): void {
    for (const key of [...super.keys()]) this.delete(key);
  }

  /** Turns a document into bytes; called by the budget. */
  freeze(key: string): void {
    this.hot.delete(key);
    const doc = super.get(key);
    if (doc === undefined || doc instanceof Uint8Array) return;
    const bytes = this.budget.codec.encode(doc);
    super.set(key, bytes as unknown as Doc);
    this.budget.counts.coldDocuments++;
    this.budget.counts.coldBytes += bytes.byteLength;
    this.budget.counts.frozen++;
  }

  override *values(): MapIterator<Doc> {
    for (const value of super.values()) yield this.thaw(value)!;
  }

  override *entries(): MapIterator<[string, Doc]> {
    for (const [key, value] of super.entries()) yield [key, this.thaw(value)!];
  }

  override [Symbol.iterator](): MapIterator<[string, Doc]> {
    return this.entries();
  }

  override forEach(
    callback: (value: Doc, key: string, map: Map<string, Doc>) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, doc] of this.entries()) callback.call(thisArg, doc, key, this);
  }

  private thaw(value: Doc | undefined): Doc | undefined {
    if (!(value instanceof Uint8Array)) return value;
    this.budget.counts.thawed++;
    return this.budget.codec.decode(value);
  }

  private dropCold(key: string): void {
    const value = super.get(key);
    if (value instanceof Uint8Array) {
      this.budget.counts.coldDocuments--;
      this.budget.counts.coldBytes -= value.byteLength;
    }
  }
}
