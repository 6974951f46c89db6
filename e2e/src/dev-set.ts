// The labeled development complaints, as the end-to-end suite and the pipeline benchmark post them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevComplaint } from './complaint-driver';
import { ROOT } from './platform-processes';

export function devComplaints(): DevComplaint[] {
  return readFileSync(join(ROOT, 'data', 'complaints-dev.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DevComplaint);
}
