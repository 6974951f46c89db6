// Reads a service's Prometheus histograms: where the time of each hop goes, from the services' own figures.

export interface HistogramSummary {
  count: number;
  meanMs: number;
  /** Upper bounds of the buckets holding the median and the 99th percentile (Infinity beyond the last bucket). */
  p50Ms: number;
  p99Ms: number;
}

interface Series {
  buckets: Array<{ le: number; cumulative: number }>;
  sum: number;
  count: number;
}

const LINE = /^(\w+?)(_bucket|_sum|_count)\{([^}]*)\} (\S+)$/;

function labelsOf(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2];
  return labels;
}

/** Histogram `name` from a /metrics text, one summary per value of `by` (e.g. topic). */
export function histogramBy(text: string, name: string, by: string): Record<string, HistogramSummary> {
  const series = new Map<string, Series>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = labelsOf(m[3]);
    const key = labels[by] ?? '';
    const s = series.get(key) ?? { buckets: [], sum: 0, count: 0 };
    series.set(key, s);
    const value = Number(m[4]);
    if (m[2] === '_bucket')
      s.buckets.push({ le: labels.le === '+Inf' ? Infinity : Number(labels.le), cumulative: value });
    else if (m[2] === '_sum') s.sum = value;
    else s.count = value;
  }
  const out: Record<string, HistogramSummary> = {};
  for (const [key, s] of series) {
    if (!s.count) continue;
    s.buckets.sort((a, b) => a.le - b.le);
    const quantile = (q: number) =>
      (s.buckets.find((b) => b.cumulative >= q * s.count)?.le ?? Infinity) * 1000;
    out[key] = {
      count: s.count,
      meanMs: Math.round((s.sum / s.count) * 1000),
      p50Ms: quantile(0.5),
      p99Ms: quantile(0.99),
    };
  }
  return out;
}

/** A gauge's value (first series), or undefined. */
export function gauge(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}
