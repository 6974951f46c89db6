// kafkajs 2.2.4 re-arms a 1 ms timer forever on every idle broker connection; this makes it wait for real work.
import { createRequire } from 'node:module';

interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs' own pause between checks of a queue that holds requests (src/network/requestQueue). */
const CHECK_PENDING_MS = 10;

let installed = false;

/**
 * The request queue of each broker connection schedules `checkPendingRequests` after every check, and when no
 * request is pending it does so with the (negative) time left of a throttle that ended long ago: Node turns that
 * into 1 ms, so every connection that ever answered a request runs its check a thousand times a second for the
 * rest of its life (kafkajs issue 1556, fixed upstream only in an unreleased pull request). Each service holds
 * several connections, so this cost about 8% of a core per service while idle and woke the event loop between
 * every two messages under load. The replacement keeps kafkajs' behaviour where it matters: a queue with pending
 * requests is checked when its throttle ends, or after 10 ms; responses and timeouts still check it at once
 * (kafkajs calls `checkPendingRequests` from both); an empty queue schedules nothing.
 */
export function fixIdleRequestQueueTimers(): void {
  if (installed) return;
  installed = true;
  const load = createRequire(require.resolve('kafkajs'));
  const RequestQueue = load('./src/network/requestQueue') as { prototype: RequestQueueInternals };
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const throttleLeft = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttleLeft > 0 ? throttleLeft : CHECK_PENDING_MS,
    );
  };
}
