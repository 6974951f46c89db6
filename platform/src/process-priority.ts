// Lowers this process's CPU priority (its nice value), so that on a shared machine other processes go first.
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Sets the nice value (0–19) of every thread of this process. On Linux a nice value belongs to a thread, not to
 * the process: setting only the calling thread would leave V8's and libuv's threads at full priority. Threads
 * started afterwards inherit the value of the thread that starts them. Returns how many threads now have that
 * nice value or a higher one.
 */
export function lowerCpuPriority(nice: number): number {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19)
    throw new RangeError(`nice must be an integer from 0 to 19, got ${nice}`);
  let threads: number[];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    // Not Linux: the process as a whole.
    threads = [0];
  }
  let covered = 0;
  for (const thread of threads) {
    try {
      // Only ever lowers: a thread already nicer than asked keeps its value.
      if (getPriority(thread) < nice) setPriority(thread, nice);
      covered++;
    } catch (error) {
      // A thread that ended between the listing and the call.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  return covered;
}
