// What every benchmark result file records about the machine it ran on.
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineFacts {
  cpus: number;
  cpuModel?: string;
  memoryGiB: number;
  node: string;
  /** One-minute load average when the figures were taken: other work on a shared machine skews them. */
  loadAverage1m: number;
}

export function machineFacts(): MachineFacts {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage1m: +loadavg()[0].toFixed(2),
  };
}
