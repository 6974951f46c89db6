// Makes the MongoDB stand-in's stored documents cheaper to hold: equal strings and dates shared, objects compacted.

type Doc = Record<string, unknown>;

/**
 * Strings longer than this are stored as they came. The values that repeat are short: enumerations (statuses,
 * root causes, teams, topics), ids that several documents of one complaint carry, generated reasons and summaries.
 * Hashing a long free text to look it up would cost more than it saves.
 */
export const MAX_INTERNED_LENGTH = 100;

/** What an interner has done since it was made, for `serverStatus` and the benchmarks. */
export interface InterningStats {
  /** Strings and dates for which an equal one was already held (and stored in their place). */
  sharedStrings: number;
  sharedDates: number;
  /** Values held now, across both generations. */
  heldStrings: number;
  heldDates: number;
  /** Objects copied into the compact form of their shape, and the shapes known (see Shapes). */
  compactedObjects: number;
  shapes: number;
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

/** An object with fewer keys keeps them in its own slots already (V8 gives an empty literal four). */
const MIN_COMPACT_KEYS = 5;
const MAX_COMPACT_KEYS = 64;
/** Bounds the code the shapes generate, whatever keys documents bring. */
const MAX_SHAPE_NODES = 4096;

interface ShapeNode {
  next: Map<string, ShapeNode>;
  /** Present from the start (undefined until the shape is used), so that setting it adds no property array. */
  build: ((object: Doc) => Doc) | undefined;
}

/**
 * A document decoded from BSON is built as `{}` and then one property at a time, so V8 keeps every property past
 * the fourth in a separate array: one more heap object for most stored objects (a work order's SLA clocks, its
 * history steps, a timeline step). An object literal with all of an object's keys keeps them in the object itself.
 * For each sequence of keys seen (a trie, so that finding it allocates nothing) this makes such a literal once and
 * copies objects of that shape with it. Key order, values and prototypes stay as they were; an object whose keys
 * include `__proto__` (which a literal would turn into its prototype) is left alone.
 */
class Shapes {
  private readonly root: ShapeNode = { next: new Map(), build: undefined };
  private nodes = 0;

  get size(): number {
    return this.nodes;
  }

  /** A compact copy of `object`, or `object` itself when it is small or its shape is not kept. */
  compact(object: Doc): Doc {
    let node = this.root;
    let count = 0;
    for (const key in object) {
      if (++count > MAX_COMPACT_KEYS) return object;
      let next = node.next.get(key);
      if (next === undefined) {
        if (this.nodes >= MAX_SHAPE_NODES) return object;
        next = { next: new Map(), build: undefined };
        node.next.set(key, next);
        this.nodes++;
      }
      node = next;
    }
    if (count < MIN_COMPACT_KEYS) return object;
    node.build ??= literalOf(Object.keys(object));
    return node.build(object);
  }
}

function literalOf(keys: string[]): (object: Doc) => Doc {
  if (keys.includes('__proto__')) return (object) => object;
  // Each key is written as a JSON string literal, which is also a JavaScript one: no key can change the code.
  const properties = keys.map((key) => `${JSON.stringify(key)}: o[${JSON.stringify(key)}]`).join(', ');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from escaped keys only, see above
  return new Function('o', `return { ${properties} };`) as (object: Doc) => Doc;
}

/** What ValueInterner.replacement answers when a value is stored as it is. */
const KEEP = Symbol('keep');

/**
 * Walks a document about to be stored. It replaces each string of at most MAX_INTERNED_LENGTH characters, and each
 * Date, with an equal one already held, and copies each plain object of five keys or more into the compact form of
 * its shape (Shapes). Nothing a client can see changes: strings compare by value, the stand-in never changes a
 * stored Date in place (updates replace values, and copy-on-write updates copy what they change), and a compact
 * copy has the same keys in the same order. What changes is the heap, whose objects every major garbage collection
 * of the stand-in marks: measured on 3,000 complaints of the pipeline (BENCHMARKS.md), 485,000 strings of which
 * 58,000 distinct values, 86,000 dates of 8,000, and one property array for every second object.
 *
 * Given the document it replaces (an update), the walk skips every value the two share: copy-on-write updates
 * keep the unchanged parts of a document, and those were walked when they were stored.
 */
export class ValueInterner {
  private readonly strings: Generations<string, string>;
  private readonly dates: Generations<number, Date>;
  private readonly shapes = new Shapes();
  private readonly counts = { sharedStrings: 0, sharedDates: 0, compactedObjects: 0 };

  constructor(capacity = 65_536) {
    this.strings = new Generations(capacity);
    this.dates = new Generations(capacity);
  }

  stats(): InterningStats {
    return {
      sharedStrings: this.counts.sharedStrings,
      sharedDates: this.counts.sharedDates,
      heldStrings: this.strings.size,
      heldDates: this.dates.size,
      compactedObjects: this.counts.compactedObjects,
      shapes: this.shapes.size,
    };
  }

  /** The document to store: `doc`, its values interned in place, or a compact copy of it. */
  intern(doc: Doc, previous?: Doc): Doc {
    return this.share(doc, previous) as Doc;
  }

  private compact(object: Doc): Doc {
    const compact = this.shapes.compact(object);
    if (compact !== object) this.counts.compactedObjects++;
    return compact;
  }

  private visitObject(object: Doc, previous: Doc | undefined): void {
    for (const key in object) {
      const next = this.replacement(object[key], previous?.[key]);
      if (next !== KEEP) object[key] = next;
    }
  }

  /** What to write in place of `value`, whose counterpart in the replaced document was `before`, or KEEP. */
  private replacement(value: unknown, before: unknown): unknown {
    if (value === before) return KEEP;
    // Equal strings are === whichever copy each is, so a held string is always written: only that makes the
    // document point at the held copy and lets its own be collected.
    if (typeof value === 'string') return this.heldString(value) ?? KEEP;
    if (typeof value !== 'object' || value === null) return KEEP;
    const shared = this.share(value, before);
    return shared === value ? KEEP : shared;
  }

  private heldString(value: string): string | undefined {
    if (value.length > MAX_INTERNED_LENGTH) return undefined;
    const held = this.strings.lookup(value, value);
    if (held !== undefined) this.counts.sharedStrings++;
    return held;
  }

  /** What to store for `value` (an object): the held equal Date, a compact copy, or `value` itself. */
  private share(value: object, before: unknown): object {
    if (value instanceof Date) {
      const time = value.getTime();
      if (Number.isNaN(time)) return value;
      const held = this.dates.lookup(time, value);
      if (held === undefined || held === value) return value;
      this.counts.sharedDates++;
      return held;
    }
    if (Array.isArray(value)) {
      const items = value as unknown[];
      const previous = Array.isArray(before) ? (before as unknown[]) : undefined;
      for (let i = 0; i < items.length; i++) {
        const next = this.replacement(items[i], previous?.[i]);
        if (next !== KEEP) items[i] = next;
      }
      return items;
    }
    // BSON values (ObjectId, Binary, Decimal128, Long…) and typed arrays are kept as they are.
    if ('_bsontype' in value || ArrayBuffer.isView(value)) return value;
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    const previous = typeof before === 'object' && before !== null ? (before as Doc) : undefined;
    this.visitObject(value as Doc, previous);
    // A null-prototype object stays one: a literal would give it Object.prototype.
    return prototype === null ? value : this.compact(value as Doc);
  }
}
