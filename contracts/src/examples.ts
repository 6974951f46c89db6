// One realistic example per event: documented in AsyncAPI and checked against its schema by the tests.
import { dataSchemaUri, SPEC_VERSION, type CloudEvent } from './cloudevent';
import type { ComplaintClosed, ComplaintReopened } from './events/closed';
import type { ComplaintReceived } from './events/received';
import type { ComplaintResolved } from './events/resolved';
import type { ComplaintRouted } from './events/routed';
import type { SlaBreached, SlaWarning } from './events/sla';
import type { ComplaintActivity } from './events/activity';
import { TOPICS, type TopicName } from './topics';

const complaintId = 'CMP-7KQ3-MZ9X-PA2B-XY4Q';

export const EXAMPLE_DATA = {
  [TOPICS.received]: {
    complaintId,
    channel: 'hotline',
    customer: { accountNo: '5012087734', name: '张伟', phone: '13812345678' },
    text: '最近一周每天晚上电压只有180伏左右，空调启动不了，请尽快处理。',
    language: 'zh-Hans',
    location: { address: '城关镇幸福路12号', transformerArea: 'TA-0412', areaType: 'rural' },
    receivedAt: '2026-11-20T12:00:00.000Z',
  } satisfies ComplaintReceived,
  [TOPICS.routed]: {
    complaintId,
    revision: 1,
    channel: 'hotline',
    accountNo: '5012087734',
    classification: {
      rootCause: 'power_quality',
      subtype: 'voltage_low',
      urgent: false,
      confidence: 0.92,
      needsReview: false,
      reasons: ['measured 180 V < 198 V (GB/T 12325) → voltage_low'],
      decidedBy: 'classifier',
    },
    segment: 'ordinary',
    vulnerable: false,
    areaType: 'rural',
    location: { transformerArea: 'TA-0412', areaType: 'rural' },
    accountManager: { role: 'transformer_area_manager', managerId: 'TAM-0412' },
    team: 'field_operations',
    grade: 'general',
    gradeReasons: ['default grade'],
    repeat: { count: 0, supervision: false, previousComplaintIds: [] },
    deadlines: {
      dispatchBy: '2026-11-20T12:20:00.000Z',
      firstContactBy: '2026-11-21T12:00:00.000Z',
      resolveBy: '2026-11-26T12:00:00.000Z',
    },
    routedAt: '2026-11-20T12:00:01.000Z',
  } satisfies ComplaintRouted,
  [TOPICS.resolved]: {
    complaintId,
    workOrderId: 'WO-CMP-7KQ3-MZ9X-PA2B-XY4Q',
    attempt: 1,
    channel: 'hotline',
    accountNo: '5012087734',
    rootCause: 'power_quality',
    subtype: 'voltage_low',
    grade: 'general',
    resolvedAt: '2026-11-21T09:30:00.000Z',
    resolvedBy: { staffId: 'F-1021', team: 'field_operations' },
    resolutionCode: 'transformer_tap_adjusted',
    workDone: 'Raised the distribution transformer tap by one step; evening voltage now 221 V.',
    assetOwner: 'utility',
    charge: { decision: 'free', reason: 'utility-owned asset' },
    onTime: true,
  } satisfies ComplaintResolved,
  [TOPICS.closed]: {
    complaintId,
    callbackId: 'CB-CMP-7KQ3-MZ9X-PA2B-XY4Q-1',
    outcome: 'satisfied',
    rating: 5,
    recordedBy: 'A-0031',
    closedAt: '2026-11-21T15:00:00.000Z',
  } satisfies ComplaintClosed,
  [TOPICS.reopened]: {
    complaintId,
    callbackId: 'CB-CMP-7KQ3-MZ9X-PA2B-XY4Q-1',
    reason: 'Voltage dropped again the same evening.',
    previousGrade: 'general',
    grade: 'important',
    reopenCount: 1,
    supervision: false,
    recordedBy: 'A-0031',
    reopenedAt: '2026-11-21T15:00:00.000Z',
  } satisfies ComplaintReopened,
  [TOPICS.slaWarning]: {
    complaintId,
    workOrderId: 'WO-CMP-7KQ3-MZ9X-PA2B-XY4Q',
    limit: 'first_contact',
    deadline: '2026-11-21T12:00:00.000Z',
    grade: 'general',
    team: 'field_operations',
    elapsedRatio: 0.75,
    warnedAt: '2026-11-21T06:00:00.000Z',
  } satisfies SlaWarning,
  [TOPICS.slaBreached]: {
    complaintId,
    workOrderId: 'WO-CMP-7KQ3-MZ9X-PA2B-XY4Q',
    limit: 'first_contact',
    deadline: '2026-11-21T12:00:00.000Z',
    grade: 'general',
    team: 'field_operations',
    breachedAt: '2026-11-21T12:00:00.000Z',
    escalatedTo: 'supervisor',
  } satisfies SlaBreached,
  [TOPICS.activity]: {
    complaintId,
    service: 'resolution',
    step: 'work_order.accepted',
    at: '2026-11-20T12:10:00.000Z',
    actor: 'staff:F-1021',
    summary: 'Work order accepted by F-1021 (field_operations)',
    workOrderId: 'WO-CMP-7KQ3-MZ9X-PA2B-XY4Q',
    details: { team: 'field_operations' },
  } satisfies ComplaintActivity,
} as const satisfies Record<TopicName, unknown>;

export function exampleEvent<T extends TopicName>(topic: T): CloudEvent<(typeof EXAMPLE_DATA)[T]> {
  return {
    specversion: SPEC_VERSION,
    id: `example-${topic}`,
    source: '/services/example',
    type: topic,
    subject: complaintId,
    time: '2026-11-20T12:00:00.000Z',
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri(topic),
    data: EXAMPLE_DATA[topic],
  };
}
