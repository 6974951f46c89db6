// Group commit for inserts: concurrent inserts share one unordered insertMany, each caller still awaits its own outcome.
import type { mongo } from 'mongoose';

type Collection<T extends mongo.Document> = mongo.Collection<T>;

interface Waiting<T> {
  doc: T;
  resolve: (inserted: boolean) => void;
  reject: (error: unknown) => void;
}

export interface InsertBatcherOptions {
  /** Largest batch per round trip. */
  maxBatch?: number;
  /** Batches in flight at once; further inserts queue and ride the next batch. */
  maxInFlight?: number;
}

/**
 * No timer: while batches are in flight, new inserts queue and go together when one returns, so a lone
 * insert is sent at once and a burst costs a few round trips instead of one per document. A duplicate
 * `_id` resolves `false` for that document only; any other failure rejects the documents it concerns.
 */
export class InsertBatcher<T extends mongo.Document & { _id: unknown }> {
  private queue: Array<Waiting<T>> = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly collection: Collection<T>,
    options: InsertBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  /** Resolves true once the document is durably inserted, false if its `_id` already existed. */
  insert(doc: T): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ doc, resolve, reject });
      this.pump();
    });
  }

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

  private async send(batch: Array<Waiting<T>>): Promise<void> {
    try {
      await this.collection.insertMany(
        batch.map((w) => w.doc) as unknown as Parameters<Collection<T>['insertMany']>[0],
        { ordered: false },
      );
      for (const w of batch) w.resolve(true);
    } catch (error) {
      const raw = (error as { writeErrors?: unknown }).writeErrors;
      if (!raw || typeof raw !== 'object') {
        for (const w of batch) w.reject(error);
        return;
      }
      // The driver gives an array, or a single WriteError when only one document failed.
      const writeErrors = (Array.isArray(raw) ? raw : [raw]) as Array<{ index: number; code?: number }>;
      const failures = new Map<number, { code?: number }>();
      for (const e of writeErrors) failures.set(e.index, e);
      batch.forEach((w, i) => {
        const failure = failures.get(i);
        if (!failure) w.resolve(true);
        else if (failure.code === 11000) w.resolve(false);
        else w.reject(error);
      });
    }
  }
}
