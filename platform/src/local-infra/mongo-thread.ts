// Runs the MongoDB stand-in on a worker thread: its event loop then works beside the Kafka front's, on another core.
import { getHeapStatistics } from 'node:v8';
import { workerData } from 'node:worker_threads';
import { startCongo } from './local-mongo';
import { servePortThread } from './port-thread';

interface Start {
  port: number;
  hotDocuments?: number;
  internValues?: boolean;
}

const { port, hotDocuments, internValues } = workerData as Start;
void servePortThread(
  'mongo-thread',
  () => startCongo(port, { hotDocuments, internValues }),
  () => ({ heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) }),
);
