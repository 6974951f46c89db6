// Scores the complaint classifier against labelled JSONL sets and writes the report to reports/classifier-evaluation.md.
// Usage: npx tsx services/routing/scripts/evaluate-classifier.ts [file.jsonl ...]   (default: the dev and holdout sets)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import {
  classify,
  ROOT_CAUSES,
  type Classification,
  type RootCause,
  type Subtype,
} from '../src/domain/classification';

export interface LabelledComplaint {
  id: string;
  lang: string;
  channel: string;
  text: string;
  rootCause: RootCause;
  subtype: Subtype;
  urgent: boolean;
}

export interface SetEvaluation {
  file: string;
  total: number;
  rootCauseAccuracy: number;
  subtypeAccuracy: number;
  urgentPrecision: number;
  urgentRecall: number;
  urgentCounts: { tp: number; fp: number; fn: number };
  needsReviewRate: number;
  accuracyWhenConfident: number;
  rootConfusion: Record<RootCause, Record<RootCause, number>>;
  subtypeConfusion: Map<string, number>;
  misclassified: { complaint: LabelledComplaint; predicted: Classification; wrong: string[] }[];
  outcomes: { complaint: LabelledComplaint; predicted: Classification }[];
}

const repoRoot = resolve(__dirname, '../../..');

export function readLabelled(file: string): LabelledComplaint[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LabelledComplaint);
}

export function evaluate(file: string, complaints: readonly LabelledComplaint[]): SetEvaluation {
  const rootConfusion = Object.fromEntries(
    ROOT_CAUSES.map((expected) => [expected, Object.fromEntries(ROOT_CAUSES.map((p) => [p, 0]))]),
  ) as Record<RootCause, Record<RootCause, number>>;
  const subtypeConfusion = new Map<string, number>();
  const misclassified: SetEvaluation['misclassified'] = [];
  const outcomes: SetEvaluation['outcomes'] = [];
  let rootOk = 0;
  let subtypeOk = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let review = 0;
  let confident = 0;
  let confidentOk = 0;
  for (const complaint of complaints) {
    const predicted = classify(complaint.text);
    outcomes.push({ complaint, predicted });
    rootConfusion[complaint.rootCause][predicted.rootCause]++;
    const wrong: string[] = [];
    if (predicted.rootCause === complaint.rootCause) rootOk++;
    else wrong.push('rootCause');
    if (predicted.subtype === complaint.subtype) subtypeOk++;
    else {
      wrong.push('subtype');
      const key = `${complaint.subtype} → ${predicted.subtype}`;
      subtypeConfusion.set(key, (subtypeConfusion.get(key) ?? 0) + 1);
    }
    if (predicted.urgent && complaint.urgent) tp++;
    else if (predicted.urgent && !complaint.urgent) {
      fp++;
      wrong.push('urgent');
    } else if (!predicted.urgent && complaint.urgent) {
      fn++;
      wrong.push('urgent');
    }
    if (predicted.needsReview) review++;
    else {
      confident++;
      if (predicted.subtype === complaint.subtype) confidentOk++;
    }
    if (wrong.length) misclassified.push({ complaint, predicted, wrong });
  }
  const total = complaints.length;
  return {
    file,
    total,
    rootCauseAccuracy: rootOk / total,
    subtypeAccuracy: subtypeOk / total,
    urgentPrecision: tp + fp === 0 ? 1 : tp / (tp + fp),
    urgentRecall: tp + fn === 0 ? 1 : tp / (tp + fn),
    urgentCounts: { tp, fp, fn },
    needsReviewRate: review / total,
    accuracyWhenConfident: confident === 0 ? 1 : confidentOk / confident,
    rootConfusion,
    subtypeConfusion,
    misclassified,
    outcomes,
  };
}

const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** Per-batch figures, batches being id prefixes (hold-, blind1-, …): sets written at different times stay visible. */
function batchesOf(result: SetEvaluation): {
  batch: string;
  total: number;
  rootCause: number;
  subtype: number;
  urgentPrecision: number;
  urgentRecall: number;
}[] {
  const byBatch = new Map<string, { complaint: LabelledComplaint; predicted: Classification }[]>();
  for (const outcome of result.outcomes) {
    const batch = outcome.complaint.id.replace(/-[^-]*$/, '');
    byBatch.set(batch, [...(byBatch.get(batch) ?? []), outcome]);
  }
  return [...byBatch.entries()].map(([batch, outcomes]) => {
    const tp = outcomes.filter((o) => o.predicted.urgent && o.complaint.urgent).length;
    const predictedUrgent = outcomes.filter((o) => o.predicted.urgent).length;
    const actualUrgent = outcomes.filter((o) => o.complaint.urgent).length;
    return {
      batch,
      total: outcomes.length,
      rootCause:
        outcomes.filter((o) => o.predicted.rootCause === o.complaint.rootCause).length / outcomes.length,
      subtype: outcomes.filter((o) => o.predicted.subtype === o.complaint.subtype).length / outcomes.length,
      urgentPrecision: predictedUrgent === 0 ? 1 : tp / predictedUrgent,
      urgentRecall: actualUrgent === 0 ? 1 : tp / actualUrgent,
    };
  });
}

export function renderReport(results: readonly SetEvaluation[]): string {
  const lines: string[] = ['# Complaint classifier evaluation', ''];
  lines.push(
    '| set | n | rootCause | subtype | urgent precision | urgent recall | needsReview | subtype acc. when not flagged |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    lines.push(
      `| ${r.file} | ${r.total} | ${pct(r.rootCauseAccuracy)} | ${pct(r.subtypeAccuracy)} | ${pct(r.urgentPrecision)} (${r.urgentCounts.tp}/${r.urgentCounts.tp + r.urgentCounts.fp}) | ${pct(r.urgentRecall)} (${r.urgentCounts.tp}/${r.urgentCounts.tp + r.urgentCounts.fn}) | ${pct(r.needsReviewRate)} | ${pct(r.accuracyWhenConfident)} |`,
    );
  }
  for (const r of results) {
    const batches = batchesOf(r);
    if (batches.length > 1) {
      lines.push('', `### ${r.file} by batch (id prefix)`, '');
      lines.push(
        '| batch | n | rootCause | subtype | urgent P | urgent R |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
      );
      for (const b of batches) {
        lines.push(
          `| ${b.batch} | ${b.total} | ${pct(b.rootCause)} | ${pct(b.subtype)} | ${pct(b.urgentPrecision)} | ${pct(b.urgentRecall)} |`,
        );
      }
    }
  }
  for (const r of results) {
    lines.push('', `## ${r.file}`, '', '### rootCause confusion (rows: expected, columns: predicted)', '');
    lines.push(
      `| expected \\ predicted | ${ROOT_CAUSES.join(' | ')} |`,
      `| --- | ${ROOT_CAUSES.map(() => '---:').join(' | ')} |`,
    );
    for (const expected of ROOT_CAUSES) {
      lines.push(`| ${expected} | ${ROOT_CAUSES.map((p) => r.rootConfusion[expected][p]).join(' | ')} |`);
    }
    lines.push('', '### subtype confusion (expected → predicted, errors only)', '');
    const confusions = [...r.subtypeConfusion.entries()].sort((a, b) => b[1] - a[1]);
    if (confusions.length === 0) lines.push('none');
    for (const [pair, count] of confusions) lines.push(`- ${pair}: ${count}`);
    lines.push('', '### misclassified', '');
    if (r.misclassified.length === 0) lines.push('none');
    for (const m of r.misclassified) {
      const p = m.predicted;
      const c = m.complaint;
      lines.push(
        `- **${c.id}** (${m.wrong.join(', ')}): predicted ${p.rootCause}/${p.subtype}${p.urgent ? ' urgent' : ''} (confidence ${p.confidence}${p.needsReview ? ', needsReview' : ''}), expected ${c.rootCause}/${c.subtype}${c.urgent ? ' urgent' : ''} — ${p.reasons[0]}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

function main(): void {
  const args = process.argv.slice(2);
  const files = args.length
    ? args.map((f) => resolve(f))
    : [resolve(repoRoot, 'data/complaints-dev.jsonl'), resolve(repoRoot, 'data/complaints-holdout.jsonl')];
  const results = files.map((file) => evaluate(relative(repoRoot, file), readLabelled(file)));
  const report = renderReport(results);
  process.stdout.write(report);
  const out = resolve(repoRoot, 'services/routing/reports/classifier-evaluation.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, report);
  process.stdout.write(`\nwritten to ${relative(repoRoot, out)}\n`);
}

if (require.main === module) main();
