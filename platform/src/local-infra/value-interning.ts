// Shares equal strings and dates between the MongoDB stand-in's stored documents, so its heap holds one of each.

type Doc = Record<string, unknown>;

/**
 * Strings longer than this are stored as they came. The values that repeat are short: enumerations (statuses,
 * root causes, teams, topics), ids that several documents of one complaint carry, generated reasons and summaries.
 * Hashing a long free text to look it up would cost more than it saves.
 */
export const MAX_INTERNED_LENGTH = 100;

/** What an interner has done since it was made, for `serverStatus` and the benchmarks. */
export interface InterningStats {
  /** Strings and dates replaced by an equal one already held. */
  sharedStrings: number;
  sharedDates: number;
  /** Values held now, across both generations. */
  heldStrings: number;
  heldDates: number;
}

/**
 * A bounded table of canonical values in two generations. A lookup that misses adds the value to the young
 * generation; one that hits in the old generation promotes it. When the young generation is full it becomes the
 * old one and the previous old one is dropped, so the values still in use survive and one-off values (a
 * complaint's id once its documents are written) leave after two generations.
 */
class Generations<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The held value for `key`, or undefined after holding `value` for it. */
  lookup(key: K, value: V): V | undefined {
    const young = this.young.get(key);
    if (young !== undefined) return young;
    const old = this.old.get(key);
    this.add(key, old ?? value);
    return old;
  }

  private add(key: K, value: V): void {
    if (this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}

/**
 * Walks a document about to be stored and replaces each string of at most MAX_INTERNED_LENGTH characters, and each
 * Date, with an equal one already held. Nothing a client can see changes: strings compare by value, and the stand-in
 * never changes a stored Date in place (updates replace values, and copy-on-write updates copy what they change).
 * What changes is the heap. Measured on the pipeline's documents (BENCHMARKS.md), 92% of the stored strings and 91%
 * of the dates repeated a value already stored, and every one of them was an object that each major garbage
 * collection of the stand-in had to mark.
 */
export class ValueInterner {
  private readonly strings: Generations<string, string>;
  private readonly dates: Generations<number, Date>;
  private readonly counts = { sharedStrings: 0, sharedDates: 0 };

  constructor(capacity = 65_536) {
    this.strings = new Generations(capacity);
    this.dates = new Generations(capacity);
  }

  stats(): InterningStats {
    return { ...this.counts, heldStrings: this.strings.size, heldDates: this.dates.size };
  }

  /** Interns the values of `doc` in place and returns it. */
  intern<T extends Doc>(doc: T): T {
    this.visitObject(doc);
    return doc;
  }

  private visitObject(object: Doc): void {
    for (const key in object) {
      const value = object[key];
      // Equal strings are === whichever copy each is, so a string is always written back: only that makes the
      // document point at the held copy and lets its own be collected.
      if (typeof value === 'string') {
        const held = this.heldString(value);
        if (held !== undefined) object[key] = held;
      } else if (typeof value === 'object' && value !== null) {
        const shared = this.share(value);
        if (shared !== value) object[key] = shared;
      }
    }
  }

  private heldString(value: string): string | undefined {
    if (value.length > MAX_INTERNED_LENGTH) return undefined;
    const held = this.strings.lookup(value, value);
    if (held !== undefined) this.counts.sharedStrings++;
    return held;
  }

  /** `value` (an object) itself after interning what it holds, or the held Date equal to it. */
  private share(value: object): object {
    if (value instanceof Date) {
      const time = value.getTime();
      if (Number.isNaN(time)) return value;
      const held = this.dates.lookup(time, value);
      if (held === undefined || held === value) return value;
      this.counts.sharedDates++;
      return held;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'string') {
          const held = this.heldString(item);
          if (held !== undefined) value[i] = held;
        } else if (typeof item === 'object' && item !== null) {
          const shared = this.share(item);
          if (shared !== item) value[i] = shared;
        }
      }
      return value;
    }
    // BSON values (ObjectId, Binary, Decimal128, Long…) and typed arrays are kept as they are.
    if ('_bsontype' in value || ArrayBuffer.isView(value)) return value;
    if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
      this.visitObject(value as Doc);
    return value;
  }
}
