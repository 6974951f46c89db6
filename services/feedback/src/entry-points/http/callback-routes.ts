// Staff routes for callbacks: the work list, one task, failed attempts, and the customer's answer.
import type { Express, Request } from 'express';
import {
  CallbackAttemptRecord,
  CallbackListQuery,
  CallbackOutcomeRecord,
  type CallbackTaskList,
  type StaffRole,
} from '@complaints/contracts';
import {
  authenticate,
  parseBody,
  problems,
  type AuthOptions,
  type OutboxRelay,
  type StaffPrincipal,
} from '@complaints/platform';
import type { CallbackRepository } from '../../data-access/callback-repository';
import type { ComplaintFactsRepository } from '../../data-access/complaint-facts-repository';
import type { CallbackRules, CallbackTask } from '../../domain/callback-task';
import type { Clock } from '../../domain/clock';
import { recordFailedAttempt } from '../../domain/record-attempt';
import { loadTask, recordOutcome, type Recorded } from '../../domain/record-outcome';
import type { SurveyLinks } from '../../domain/survey-link';
import { callbackView } from './callback-view';

/** Agents on the callback desk, managers and supervisors record; ops only reads. */
export const CALLBACK_RECORDERS: StaffRole[] = ['field_staff', 'manager', 'supervisor'];
export const CALLBACK_READERS: StaffRole[] = ['field_staff', 'manager', 'supervisor', 'ops'];

export interface CallbackRouteDeps {
  auth: AuthOptions;
  callbacks: CallbackRepository;
  facts: ComplaintFactsRepository;
  links: SurveyLinks;
  rules: CallbackRules;
  relay: OutboxRelay;
  clock: Clock;
}

const staffOf = (req: Request): StaffPrincipal => {
  if (req.principal?.kind !== 'staff') throw problems.forbidden('Only staff record callbacks.');
  return req.principal;
};

/** Whoever resolved the case does not rate their own work: another agent calls the customer. */
const notTheResolver = (staff: StaffPrincipal) => (task: CallbackTask) => {
  if (task.resolvedBy.staffId === staff.staffId)
    throw problems.forbidden(
      `${staff.staffId} resolved this case and may not record its callback; another agent must call the customer.`,
    );
};

export function callbackRoutes(app: Express, deps: CallbackRouteDeps): void {
  const readers = authenticate(deps.auth, { roles: CALLBACK_READERS });
  const recorders = authenticate(deps.auth, { roles: CALLBACK_RECORDERS });

  const view = async (task: CallbackTask) => {
    const contacts = await deps.facts.contactsOf([task.complaintId]);
    return callbackView(task, deps.links, deps.clock(), contacts.get(task.complaintId));
  };
  const answer = async (recorded: Recorded) => {
    if (recorded.emitted) deps.relay.notify(deps.callbacks.model, recorded.task._id, [recorded.emitted]);
    return view(recorded.task);
  };

  app.get('/v1/callbacks', readers, async (req, res) => {
    const query = parseBody(CallbackListQuery, { ...req.query });
    const now = deps.clock();
    const tasks = await deps.callbacks.list(
      {
        status: query.status,
        complaintId: query.complaintId,
        overdueAt: query.overdue === 'true' ? now : undefined,
      },
      query.limit ? Number(query.limit) : 100,
    );
    const contacts = await deps.facts.contactsOf([...new Set(tasks.map((t) => t.complaintId))]);
    const body: CallbackTaskList = {
      items: tasks.map((t) => callbackView(t, deps.links, now, contacts.get(t.complaintId))),
      count: tasks.length,
    };
    res.json(body);
  });

  app.get('/v1/callbacks/:id', readers, async (req, res) => {
    res.json(await view(await loadTask(deps.callbacks, String(req.params.id))));
  });

  app.post('/v1/callbacks/:id/attempts', recorders, async (req, res) => {
    const staff = staffOf(req);
    const body = parseBody(CallbackAttemptRecord, req.body);
    const key = req.get('idempotency-key');
    if (key !== undefined && !/^[\x21-\x7E]{1,200}$/.test(key))
      throw problems.validation([
        { field: 'Idempotency-Key', message: 'must be 1–200 printable ASCII characters' },
      ]);
    const recorded = await recordFailedAttempt(
      deps.callbacks,
      deps.rules,
      String(req.params.id),
      { ...body, key, recordedBy: staff.staffId },
      deps.clock(),
      notTheResolver(staff),
    );
    res.json(await answer(recorded));
  });

  app.post('/v1/callbacks/:id/outcome', recorders, async (req, res) => {
    const staff = staffOf(req);
    const body = parseBody(CallbackOutcomeRecord, req.body);
    const recorded = await recordOutcome(
      deps.callbacks,
      deps.rules,
      String(req.params.id),
      { ...body, recordedBy: staff.staffId, recordedVia: 'agent' },
      deps.clock(),
      { guard: notTheResolver(staff) },
    );
    res.json(await answer(recorded));
  });
}
