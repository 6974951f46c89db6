// Trains the classifier's text model on every labelled complaint and writes the committed weights (integer counts) next to the classifier.
// Usage: npx tsx services/routing/scripts/train-classifier-model.ts [--check]   (--check: exit 1 if the committed file differs)
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { relative, resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { normaliseComplaint, trainTextModel, type TextModelWeights } from '../src/domain/classification';

export interface LabelledRow {
  id: string;
  text: string;
  rootCause: string;
  subtype: string;
  urgent: boolean;
}

const repoRoot = resolve(__dirname, '../../..');

/** The labelled sets the shipped model learns from, in a fixed order. */
export const TRAINING_FILES = ['data/complaints-dev.jsonl', 'data/complaints-holdout.jsonl'] as const;

export const WEIGHTS_FILE = resolve(
  repoRoot,
  'services/routing/src/domain/classification/text-model-weights.json',
);

export function readRows(file: string): LabelledRow[] {
  return readFileSync(resolve(repoRoot, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LabelledRow);
}

export function trainOn(rows: readonly LabelledRow[]): TextModelWeights {
  return trainTextModel(
    rows.map((row) => ({
      text: normaliseComplaint(row.text).text,
      subtype: row.subtype as TextModelWeights['subtypes'][number],
      urgent: row.urgent,
    })),
  );
}

/** The committed file's text: JSON formatted by the repository's Prettier settings, so `prettier --check` passes. */
export async function serialiseWeights(weights: TextModelWeights): Promise<string> {
  const options = (await resolveConfig(WEIGHTS_FILE)) ?? {};
  return format(JSON.stringify(weights), { ...options, parser: 'json' });
}

async function main(): Promise<void> {
  const rows = TRAINING_FILES.flatMap((file) => readRows(file));
  const weights = trainOn(rows);
  const target = relative(repoRoot, WEIGHTS_FILE);
  if (process.argv.includes('--check')) {
    const committed: unknown = JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8'));
    if (!isDeepStrictEqual(committed, JSON.parse(JSON.stringify(weights)))) {
      process.stderr.write(
        `${target} is not what the labelled data trains: run this script without --check\n`,
      );
      process.exit(1);
    }
    process.stdout.write(`${target} matches a fresh training run on ${rows.length} complaints\n`);
    return;
  }
  writeFileSync(WEIGHTS_FILE, await serialiseWeights(weights));
  process.stdout.write(`trained on ${rows.length} complaints; wrote ${target}\n`);
}

if (require.main === module) void main();
