// Customer master data: stored per account, loaded from JSON or CSV (file at start-up or the admin endpoint).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { FindByIdBatcher } from '@complaints/platform';
import { CustomerDirectoryEntry, validate, type FieldError } from '@complaints/contracts';
import { unknownCustomer, type CustomerRecord } from '../domain/customer';

interface CustomerDocument extends Omit<CustomerRecord, 'accountNo'> {
  _id: string;
  updatedAt: Date;
}

const customerSchema = new Schema<CustomerDocument>(
  {
    _id: { type: String, required: true },
    segment: { type: String, required: true },
    areaType: String,
    transformerArea: String,
    vulnerable: { type: Boolean, required: true },
    managerId: String,
    organisation: String,
    updatedAt: { type: Date, required: true },
  },
  { collection: 'customers', versionKey: false },
);

export class DirectoryError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(
      `customer directory has ${errors.length} invalid value(s): ${errors
        .slice(0, 3)
        .map((e) => `${e.field} ${e.message}`)
        .join('; ')}`,
    );
  }
}

const CSV_BOOLEAN: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
  '': false,
};

/** Parses and validates every row; any invalid row rejects the whole load, naming the line and field. */
export function parseDirectory(input: { customers: unknown[] } | { csv: string }): CustomerRecord[] {
  let rows: unknown[];
  let firstLine = 1;
  if ('csv' in input) {
    const records = parse<Record<string, string>>(input.csv, {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
    firstLine = 2;
    rows = records.map((r) => {
      const row: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(r)) {
        if (value === '') continue;
        row[key] = key === 'vulnerable' ? (CSV_BOOLEAN[value.toLowerCase()] ?? value) : value;
      }
      return row;
    });
  } else {
    rows = input.customers;
  }
  const errors: FieldError[] = [];
  const records: CustomerRecord[] = [];
  rows.forEach((row, i) => {
    const result = validate(CustomerDirectoryEntry, row);
    const where = 'csv' in input ? `line ${i + firstLine}` : `/customers/${i}`;
    if (!result.ok) {
      for (const e of result.errors)
        errors.push({ field: `${where}${e.field === '/' ? '' : e.field}`, message: e.message });
      return;
    }
    records.push({ ...result.value, vulnerable: result.value.vulnerable ?? false });
  });
  if (errors.length) throw new DirectoryError(errors);
  return records;
}

export function readDirectoryFile(path: string): CustomerRecord[] {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.csv')) return parseDirectory({ csv: text });
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed) && !Array.isArray((parsed as { customers?: unknown }).customers)) {
    throw new DirectoryError([{ field: '/', message: 'must be an array or {"customers": [...]}' }]);
  }
  return parseDirectory({
    customers: Array.isArray(parsed) ? parsed : (parsed as { customers: unknown[] }).customers,
  });
}

export class CustomerDirectory {
  readonly model: Model<CustomerDocument>;
  /** Lookups for many complaints share round trips. */
  private readonly reads: FindByIdBatcher<CustomerDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<CustomerDocument>('Customer', customerSchema);
    this.reads = new FindByIdBatcher(this.model.collection as unknown as mongo.Collection<CustomerDocument>);
  }

  async get(accountNo: string): Promise<CustomerRecord> {
    const doc = await this.reads.find(accountNo);
    if (!doc) return unknownCustomer(accountNo);
    const { _id, updatedAt: _u, ...rest } = doc;
    return { accountNo: _id, ...rest };
  }

  /** Replaces each listed account; accounts not listed are kept. */
  async upsert(records: CustomerRecord[]): Promise<number> {
    const now = new Date();
    for (let i = 0; i < records.length; i += 1000) {
      await this.model.bulkWrite(
        records.slice(i, i + 1000).map(({ accountNo, ...rest }) => ({
          replaceOne: {
            filter: { _id: accountNo },
            replacement: { _id: accountNo, ...rest, updatedAt: now },
            upsert: true,
          },
        })),
      );
    }
    return records.length;
  }
}
