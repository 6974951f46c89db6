// Helpers for tests and benchmarks that run the platform's programs as child processes.
import type { ChildProcess } from 'node:child_process';

/** Reads a child's stdout until every pattern has matched (they may arrive in one chunk); resolves their first groups. */
export function readLines(child: ChildProcess, patterns: RegExp[], timeoutMs = 30000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${patterns.join(', ')}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const found = patterns.map((p) => p.exec(buffer)?.[1]);
      if (found.every(Boolean)) {
        clearTimeout(timer);
        resolve(found as string[]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before printing ${patterns.join(', ')}`));
    });
  });
}
