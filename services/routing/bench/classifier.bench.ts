// Measures complaint classifications per CPU second on one core over the dev complaint texts (lexicon + text model,
// as shipped; the lexicon alone for comparison); writes bench/results/classifier.json.
// Usage: npx tsx services/routing/bench/classifier.bench.ts [seconds]
//
// The machine is shared, so the figure that counts is classifications per CPU second of this process
// (process.cpuUsage), measured in rounds: the median round is reported, and the best and worst show the spread.
// Wall-clock throughput is reported too, but it also counts every other process on the machine.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { classify, type ClassifierOptions } from '../src/domain/classification';

const repoRoot = resolve(__dirname, '../../..');
const texts = readFileSync(resolve(repoRoot, 'data/complaints-dev.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim().length > 0)
  .map((line) => (JSON.parse(line) as { text: string }).text);

const seconds = Math.max(3, Number(process.argv[2] ?? 3));
const ROUNDS = 7;

let sink = 0;

interface Round {
  classifications: number;
  cpuSeconds: number;
  wallSeconds: number;
}

/** Classifies every dev text over and over for about `budget` seconds of wall clock. */
function round(options: ClassifierOptions, budget: number): Round {
  const cpuStarted = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(budget * 1e9));
  let classifications = 0;
  let now = started;
  while (now < deadline) {
    for (const text of texts) sink += classify(text, options).confidence;
    classifications += texts.length;
    now = process.hrtime.bigint();
  }
  const cpu = process.cpuUsage(cpuStarted);
  return {
    classifications,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    wallSeconds: Number(now - started) / 1e9,
  };
}

function measure(options: ClassifierOptions, budget: number) {
  // Warm-up lets V8 optimise the matcher, scoring and model paths before timing.
  for (let i = 0; i < 20 * texts.length; i++) sink += classify(texts[i % texts.length], options).confidence;
  const rounds = Array.from({ length: ROUNDS }, () => round(options, budget / ROUNDS));
  const perCpuSecond = rounds.map((r) => r.classifications / r.cpuSeconds).sort((a, b) => a - b);
  const classifications = rounds.reduce((sum, r) => sum + r.classifications, 0);
  const cpuSeconds = rounds.reduce((sum, r) => sum + r.cpuSeconds, 0);
  const wallSeconds = rounds.reduce((sum, r) => sum + r.wallSeconds, 0);
  return {
    median: perCpuSecond[Math.floor(ROUNDS / 2)],
    best: perCpuSecond[ROUNDS - 1],
    worst: perCpuSecond[0],
    perWallSecond: classifications / wallSeconds,
    classifications,
    cpuSeconds,
    wallSeconds,
  };
}

const shipped = measure({}, seconds);
const lexicon = measure({ textModel: null }, Math.max(1, seconds / 3));

const result = {
  benchmark: 'complaint classification, one core',
  classificationsPerCpuSecond: Math.round(shipped.median),
  classificationsPerCpuSecondBestRound: Math.round(shipped.best),
  classificationsPerCpuSecondWorstRound: Math.round(shipped.worst),
  classificationsPerSecond: Math.round(shipped.perWallSecond),
  lexiconAloneClassificationsPerCpuSecond: Math.round(lexicon.median),
  microsecondsPerClassification: Number((1e6 / shipped.median).toFixed(1)),
  rounds: ROUNDS,
  classifications: shipped.classifications,
  elapsedSeconds: Number(shipped.wallSeconds.toFixed(2)),
  cpuSeconds: Number(shipped.cpuSeconds.toFixed(2)),
  loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(2)),
  texts: texts.length,
  meanTextLength: Math.round(texts.reduce((sum, t) => sum + t.length, 0) / texts.length),
  target: 5000,
  meetsTarget: shipped.median >= 5000,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  measuredAt: new Date().toISOString(),
  checksum: Number(sink.toFixed(3)),
};
console.log(
  `${result.classificationsPerCpuSecond} classifications per CPU second (median of ${ROUNDS} rounds; best ${result.classificationsPerCpuSecondBestRound}, worst ${result.classificationsPerCpuSecondWorstRound}; ${result.microsecondsPerClassification} µs each); ${result.classificationsPerSecond}/s wall clock; lexicon alone ${result.lexiconAloneClassificationsPerCpuSecond} per CPU second; load average ${result.loadAverage1m}`,
);
const out = resolve(repoRoot, 'services/routing/bench/results/classifier.json');
mkdirSync(resolve(out, '..'), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`written to services/routing/bench/results/classifier.json`);
