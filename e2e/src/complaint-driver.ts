// Drives complaints through the platform's HTTP APIs as the people at work would: post, work the order, call back.
import { randomUUID } from 'node:crypto';
import type { TestCredentials } from '@complaints/platform/testing';
import type { ServiceName } from './platform-processes';

export interface DevComplaint {
  id: string;
  text: string;
  channel: string;
  rootCause: string;
  subtype: string;
  urgent: boolean;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} → ${status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ComplaintDriver {
  private readonly fieldTokens = new Map<string, Promise<string>>();

  constructor(
    private readonly urls: Record<ServiceName, string>,
    private readonly creds: TestCredentials,
  ) {}

  async call<T = unknown>(
    service: ServiceName,
    method: string,
    path: string,
    auth: Record<string, string>,
    body?: unknown,
  ): Promise<T> {
    const res = await fetch(`${this.urls[service]}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new HttpError(res.status, parsed, `${method} ${service}${path}`);
    return parsed as T;
  }

  private bearer(token: string) {
    return { authorization: `Bearer ${token}` };
  }

  private fieldToken(team: string): Promise<string> {
    let token = this.fieldTokens.get(team);
    if (!token) {
      token = this.creds.token({ staffId: `F-${team}`, role: 'field_staff', team });
      this.fieldTokens.set(team, token);
    }
    return token;
  }

  /** Retries until the answer is not a 404 (the event has not arrived yet) or the time is up. */
  async eventually<T>(what: string, fn: () => Promise<T>, timeoutMs = 60000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await fn();
      } catch (error) {
        // 404: the event has not arrived yet; 503 or a refused connection: the service is restarting.
        const retriable =
          (error instanceof HttpError && [404, 409, 502, 503].includes(error.status)) ||
          error instanceof TypeError;
        if (!retriable || Date.now() > deadline) throw new Error(`${what}: ${(error as Error).message}`);
      }
      await sleep(150);
    }
  }

  async submit(complaint: DevComplaint, accountNo: string): Promise<string> {
    const channel = ['hotline', 'app', 'web', 'wechat', 'sms'].includes(complaint.channel)
      ? complaint.channel
      : 'hotline';
    const answer = await this.call<{ id: string }>(
      'intake',
      'POST',
      '/v1/complaints',
      { 'x-api-key': this.creds.apiKeys[channel], 'idempotency-key': `${complaint.id}-${randomUUID()}` },
      {
        customer: { accountNo, phone: '13800000000' },
        text: complaint.text,
        location: { transformerArea: `TA-E2E-${complaint.id}` },
      },
    );
    return answer.id;
  }

  /** A POST that may race a crash or a concurrent step: a 409 means the order moved on, which the caller re-reads. */
  private async step(
    service: ServiceName,
    path: string,
    auth: Record<string, string>,
    body: unknown,
  ): Promise<void> {
    try {
      await this.call(service, 'POST', path, auth, body);
    } catch (error) {
      if (error instanceof HttpError && error.status === 409) return;
      throw error;
    }
  }

  /**
   * Works the order of one attempt to resolution, reading its status before each step, so a step that
   * happened just before a crash is not done twice: accept, contact, on site for field work, resolve.
   */
  async workOrder(complaintId: string, attempt: number): Promise<void> {
    const supervisor = this.bearer(this.creds.tokens.supervisor);
    const path = `/v1/work-orders/WO-${complaintId}`;
    for (;;) {
      const order = await this.eventually(`work order of ${complaintId}`, () =>
        this.call<{ team: string; status: string; attempt: number }>('resolution', 'GET', path, supervisor),
      );
      if (
        order.attempt > attempt ||
        (order.attempt === attempt && ['resolved', 'closed'].includes(order.status))
      )
        return;
      if (order.attempt < attempt || order.status === 'created') {
        await sleep(150);
        continue;
      }
      const field = this.bearer(await this.fieldToken(order.team));
      await this.eventually(`${order.status} → next step of ${complaintId}`, async () => {
        switch (order.status) {
          case 'assigned':
          case 'reopened':
            return this.step('resolution', `${path}/accept`, field, {});
          case 'accepted':
            return this.step('resolution', `${path}/contact`, field, { method: 'phone' });
          case 'contacted':
            if (order.team === 'field_operations')
              return this.step('resolution', `${path}/on-site`, field, {});
            return this.resolve(path, field, attempt);
          case 'on_site':
            return this.resolve(path, field, attempt);
          default:
            throw new Error(`work order ${complaintId} is ${order.status}, which the driver does not expect`);
        }
      });
    }
  }

  private resolve(path: string, field: Record<string, string>, attempt: number): Promise<void> {
    return this.step('resolution', `${path}/resolve`, field, {
      assetOwner: 'utility',
      resolutionCode: `e2e_fixed_${attempt}`,
      workDone: `Handled in the end-to-end run, attempt ${attempt}.`,
    });
  }

  async callback(complaintId: string, attempt: number, outcome: 'satisfied' | 'dissatisfied'): Promise<void> {
    const manager = this.bearer(this.creds.tokens.manager);
    const id = `CB-${complaintId}-${attempt}`;
    for (;;) {
      const task = await this.eventually(`callback ${id}`, () =>
        this.call<{ status: string }>('feedback', 'GET', `/v1/callbacks/${id}`, manager),
      );
      if (task.status !== 'pending') return;
      await this.eventually(`outcome of ${id}`, () =>
        this.step('feedback', `/v1/callbacks/${id}/outcome`, manager, {
          outcome,
          rating: outcome === 'satisfied' ? 5 : 2,
          ...(outcome === 'dissatisfied' ? { reason: 'The problem came back the same evening.' } : {}),
        }),
      );
    }
  }

  /** The whole loop; a dissatisfied first callback reopens the complaint and it is worked again. */
  async toClosure(complaintId: string, reopenFirst: boolean): Promise<void> {
    await this.workOrder(complaintId, 1);
    await this.callback(complaintId, 1, reopenFirst ? 'dissatisfied' : 'satisfied');
    if (!reopenFirst) return;
    await this.workOrder(complaintId, 2);
    await this.callback(complaintId, 2, 'satisfied');
  }

  async status(complaintId: string): Promise<string> {
    const answer = await this.call<{ status: string }>(
      'intake',
      'GET',
      `/v1/complaints/${complaintId}`,
      this.bearer(this.creds.tokens.ops),
    );
    return answer.status;
  }

  async timeline(complaintId: string): Promise<Array<{ step: string }>> {
    const answer = await this.call<{ steps: Array<{ step: string }> }>(
      'intake',
      'GET',
      `/v1/complaints/${complaintId}/timeline`,
      this.bearer(this.creds.tokens.ops),
    );
    return answer.steps;
  }
}

/** Runs tasks with at most `limit` in flight. */
export async function inParallel<T>(
  items: T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i], i);
      }
    }),
  );
}
