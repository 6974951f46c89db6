// Runs the MongoDB stand-in on a worker thread: its event loop then works beside the Kafka front's, on another core.
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { startCongo } from './local-mongo';

interface Start {
  port: number;
  hotDocuments?: number;
  internValues?: boolean;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('mongo-thread must run as a worker thread');
  try {
    const { port: listenOn, hotDocuments, internValues } = workerData as Start;
    const server = await startCongo(listenOn, { hotDocuments, internValues });
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
    port.postMessage({
      port: server.port,
      heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    });
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    port.close();
  }
}

void main();
