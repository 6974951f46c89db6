// Measures classifications per second on one core over the dev complaint texts (lexicon + text model, as shipped; the
// lexicon alone for comparison); writes bench/results/classifier.json.
// Usage: npx tsx services/routing/bench/classifier.bench.ts [seconds]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { classify } from '../src/domain/classification';

const repoRoot = resolve(__dirname, '../../..');
const texts = readFileSync(resolve(repoRoot, 'data/complaints-dev.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim().length > 0)
  .map((line) => (JSON.parse(line) as { text: string }).text);

const seconds = Math.max(3, Number(process.argv[2] ?? 3));

// Warm-up lets V8 optimise the matcher and scoring paths before timing.
let sink = 0;
for (let i = 0; i < 20 * texts.length; i++) sink += classify(texts[i % texts.length]).confidence;

// CPU time of this process is reported too: on a shared machine the wall clock also counts other processes.
const cpuStarted = process.cpuUsage();
const started = process.hrtime.bigint();
const deadline = started + BigInt(Math.round(seconds * 1e9));
let classifications = 0;
let now = started;
while (now < deadline) {
  for (const text of texts) sink += classify(text).confidence;
  classifications += texts.length;
  now = process.hrtime.bigint();
}
const elapsedSeconds = Number(now - started) / 1e9;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const perSecond = classifications / elapsedSeconds;
const perCpuSecond = classifications / cpuSeconds;

// The lexicon engine alone, for comparison (CPU time: the share the text model adds).
const lexiconCpuStarted = process.cpuUsage();
let lexiconClassifications = 0;
const lexiconDeadline = process.hrtime.bigint() + BigInt(Math.round(1e9));
while (process.hrtime.bigint() < lexiconDeadline) {
  for (const text of texts) sink += classify(text, { textModel: null }).confidence;
  lexiconClassifications += texts.length;
}
const lexiconCpu = process.cpuUsage(lexiconCpuStarted);
const lexiconPerCpuSecond = lexiconClassifications / ((lexiconCpu.user + lexiconCpu.system) / 1e6);

const result = {
  benchmark: 'complaint classification, one core',
  classificationsPerSecond: Math.round(perSecond),
  classificationsPerCpuSecond: Math.round(perCpuSecond),
  lexiconAloneClassificationsPerCpuSecond: Math.round(lexiconPerCpuSecond),
  microsecondsPerClassification: Number((1e6 / perSecond).toFixed(1)),
  classifications,
  elapsedSeconds: Number(elapsedSeconds.toFixed(2)),
  cpuSeconds: Number(cpuSeconds.toFixed(2)),
  loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(2)),
  texts: texts.length,
  meanTextLength: Math.round(texts.reduce((sum, t) => sum + t.length, 0) / texts.length),
  target: 5000,
  meetsTarget: perSecond >= 5000,
  meetsTargetPerCpuSecond: perCpuSecond >= 5000,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  measuredAt: new Date().toISOString(),
  checksum: Number(sink.toFixed(3)),
};
console.log(
  `${result.classificationsPerSecond} classifications/s wall clock, ${result.classificationsPerCpuSecond} per CPU second (${result.microsecondsPerClassification} µs each) over ${classifications} classifications in ${result.elapsedSeconds} s; lexicon alone ${result.lexiconAloneClassificationsPerCpuSecond} per CPU second; load average ${result.loadAverage1m}`,
);
const out = resolve(repoRoot, 'services/routing/bench/results/classifier.json');
mkdirSync(resolve(out, '..'), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`written to services/routing/bench/results/classifier.json`);
