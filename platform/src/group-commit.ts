// Group commit: concurrent writes share one round trip (insertMany or bulkWrite), each caller still awaits its own outcome.
import type { mongo } from 'mongoose';

type Collection<T extends mongo.Document> = mongo.Collection<T>;

export interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  /** Largest batch per round trip. */
  maxBatch?: number;
  /** Batches in flight at once; further writes queue and ride the next batch. */
  maxInFlight?: number;
}

/** A write error the driver reports for one operation of a batch, by its index in the batch. */
export interface IndexedWriteError {
  index: number;
  code?: number;
  errmsg?: string;
}

/** The per-operation failures of a failed batch, or undefined when the whole batch failed (outage, bad command). */
export function writeErrorsOf(error: unknown): Map<number, IndexedWriteError> | undefined {
  const raw = (error as { writeErrors?: unknown }).writeErrors;
  if (!raw || typeof raw !== 'object') return undefined;
  // The driver gives an array, or a single WriteError when only one operation failed.
  const list = (Array.isArray(raw) ? raw : [raw]) as IndexedWriteError[];
  return new Map(list.map((e) => [e.index, e]));
}

/**
 * No timer: while batches are in flight, new writes queue and go together when one returns, so a lone write
 * is sent at once and a burst costs a few round trips instead of one per document.
 */
export abstract class GroupCommit<I, R> {
  private queue: Array<Waiting<I, R>> = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(options: BatcherOptions) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  protected enqueue(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Sends one batch; settles every waiting caller. */
  protected abstract send(batch: Array<Waiting<I, R>>): Promise<void>;

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }
}

/** Concurrent inserts share one unordered insertMany. */
export class InsertBatcher<T extends mongo.Document & { _id: unknown }> extends GroupCommit<T, boolean> {
  constructor(
    private readonly collection: Collection<T>,
    options: BatcherOptions = {},
  ) {
    super(options);
  }

  /** Resolves true once the document is durably inserted, false if its `_id` already existed. */
  insert(doc: T): Promise<boolean> {
    return this.enqueue(doc);
  }

  protected async send(batch: Array<Waiting<T, boolean>>): Promise<void> {
    try {
      await this.collection.insertMany(
        batch.map((w) => w.item) as unknown as Parameters<Collection<T>['insertMany']>[0],
        { ordered: false },
      );
      for (const w of batch) w.resolve(true);
    } catch (error) {
      const failures = writeErrorsOf(error);
      batch.forEach((w, i) => {
        const failure = failures?.get(i);
        if (failures && !failure) w.resolve(true);
        else if (failure?.code === 11000) w.resolve(false);
        else w.reject(error);
      });
    }
  }
}

/** The error a WriteBatcher caller gets when its own operation failed; `code` is MongoDB's (11000: duplicate key). */
export class BatchedWriteError extends Error {
  override readonly name = 'BatchedWriteError';
  constructor(
    message: string,
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

/**
 * Concurrent single-document writes (updateOne with or without upsert, insertOne, deleteOne) share one unordered
 * bulkWrite. For writes whose caller does not need a matched count: a projection's upserts, conditional updates
 * that simply do nothing when stale. Writes to the same document must not be in flight together (callers that
 * handle one complaint's events in order never do), because an unordered batch may apply them in any order.
 */
export class WriteBatcher<T extends mongo.Document> extends GroupCommit<
  mongo.AnyBulkWriteOperation<T>,
  void
> {
  constructor(
    private readonly collection: Collection<T>,
    options: BatcherOptions = {},
  ) {
    super(options);
  }

  /** Resolves once the write is durable; rejects with a BatchedWriteError if this write failed. */
  write(operation: mongo.AnyBulkWriteOperation<T>): Promise<void> {
    return this.enqueue(operation);
  }

  protected async send(batch: Array<Waiting<mongo.AnyBulkWriteOperation<T>, void>>): Promise<void> {
    try {
      await this.collection.bulkWrite(
        batch.map((w) => w.item),
        { ordered: false },
      );
      for (const w of batch) w.resolve();
    } catch (error) {
      const failures = writeErrorsOf(error);
      batch.forEach((w, i) => {
        const failure = failures?.get(i);
        if (failures && !failure) w.resolve();
        else if (failure) w.reject(new BatchedWriteError(failure.errmsg ?? 'write failed', failure.code));
        else w.reject(error);
      });
    }
  }
}

/**
 * Concurrent reads by `_id` share one `find({_id: {$in: [...]}})`: each caller gets its own document, or null.
 * Every read is sent after it was asked for, so it sees each write that had finished by then.
 */
export class FindByIdBatcher<T extends mongo.Document & { _id: string }> extends GroupCommit<
  string,
  T | null
> {
  constructor(
    private readonly collection: Collection<T>,
    private readonly projection: mongo.Document = {},
    options: BatcherOptions = {},
  ) {
    super(options);
  }

  find(id: string): Promise<T | null> {
    return this.enqueue(id);
  }

  protected async send(batch: Array<Waiting<string, T | null>>): Promise<void> {
    try {
      const ids = [...new Set(batch.map((w) => w.item))];
      const found = await this.collection
        .find({ _id: { $in: ids } } as mongo.Filter<T>, { projection: this.projection })
        .toArray();
      const byId = new Map(found.map((doc) => [String(doc._id), doc as unknown as T]));
      for (const w of batch) w.resolve(byId.get(w.item) ?? null);
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
