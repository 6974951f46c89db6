// Writes the shipped classifier's full output (every field) for every labelled complaint, one JSON line each, so a
// refactoring can prove it changed nothing: dump before, dump after, compare the files byte for byte.
// Usage: npx tsx services/routing/scripts/dump-classifier-output.ts <out.jsonl> [file.jsonl ...]
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classify } from '../src/domain/classification';

const repoRoot = resolve(__dirname, '../../..');
const [out, ...inputs] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: dump-classifier-output.ts <out.jsonl> [file.jsonl ...]\n');
  process.exit(2);
}
const files = inputs.length
  ? inputs.map((f) => resolve(f))
  : ['data/complaints-dev.jsonl', 'data/complaints-holdout.jsonl'].map((f) => resolve(repoRoot, f));
const lines: string[] = [];
for (const file of files) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { id, text } = JSON.parse(line) as { id: string; text: string };
    // Lexicon alone too, so a change to the lexicon engine's own path is caught even where the blend hides it.
    lines.push(JSON.stringify({ id, hybrid: classify(text), lexicon: classify(text, { textModel: null }) }));
  }
}
writeFileSync(out, lines.join('\n') + '\n');
process.stdout.write(`${lines.length} classifications written to ${out}\n`);
