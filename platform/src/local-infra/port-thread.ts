// The worker-thread side of index.ts's startPortThread: start a server, report its port, stop on 'stop'.
import { parentPort } from 'node:worker_threads';

export interface ThreadServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * Runs `start` on this worker thread and tells the parent `{ port, ...extra }` once it listens, or `{ error }` if it
 * failed. The message 'stop' stops the server and ends the thread (reporting `{ stopError }` if stopping failed).
 */
export async function servePortThread(
  name: string,
  start: () => Promise<ThreadServer>,
  extra: () => Record<string, unknown> = () => ({}),
): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error(`${name} must run as a worker thread`);
  try {
    const server = await start();
    port.on('message', (message) => {
      if (message !== 'stop') return;
      void server.stop().then(
        () => port.close(),
        (error: unknown) => {
          port.postMessage({ stopError: String(error) });
          port.close();
        },
      );
    });
    port.postMessage({ port: server.port, ...extra() });
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    port.close();
  }
}
