// The routing rule tables: managers by segment, teams by root cause, grade rules, risk signals, repeats and the business calendar.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ComplaintReceived } from '@complaints/contracts';
import { BusinessCalendar } from '../src/domain/business-calendar';
import { unknownCustomer, type CustomerRecord } from '../src/domain/customer';
import { decideRouting, type RoutingPolicy } from '../src/domain/decide-routing';
import { gradeComplaint, type GradeFacts } from '../src/domain/grade-rules';
import { detectRiskSignals } from '../src/domain/risk-signals';
import { DEFAULT_SLA, deadlinesFor } from '../src/domain/sla-table';

const calendar = new BusinessCalendar({
  timezone: 'Asia/Shanghai',
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-10-10'],
});
const policy: RoutingPolicy = { sla: DEFAULT_SLA, calendar, supervisionThreshold: 3 };

const complaint = (over: Partial<ComplaintReceived> = {}): ComplaintReceived => ({
  complaintId: 'CMP-0000-0000-0000-0001',
  channel: 'hotline',
  customer: { accountNo: '5012087734' },
  text: '电压低',
  receivedAt: '2026-11-20T02:00:00.000Z',
  ...over,
});
const classification = (over: Partial<{ rootCause: any; subtype: any; urgent: boolean }> = {}) => ({
  rootCause: 'power_quality' as const,
  subtype: 'voltage_low' as const,
  urgent: false,
  confidence: 0.9,
  needsReview: false,
  reasons: [],
  decidedBy: 'classifier',
  ...over,
});
const route = (
  customer: CustomerRecord,
  over: Parameters<typeof classification>[0] = {},
  c = complaint(),
  repeatCount = 0,
) =>
  decideRouting(
    {
      complaint: c,
      classification: classification(over),
      customer,
      repeat: { count: repeatCount, previousComplaintIds: [] },
      revision: 1,
      now: new Date('2026-11-20T02:00:01Z'),
    },
    policy,
  );

describe('account manager by segment and area', () => {
  test('a VIP customer gets the VIP customer manager named in the directory', () => {
    const decision = route({
      accountNo: '1',
      segment: 'vip',
      areaType: 'urban',
      vulnerable: false,
      managerId: 'VIP-M01',
    });
    assert.deepEqual(decision.accountManager, { role: 'vip_customer_manager', managerId: 'VIP-M01' });
  });
  test('a large account (a hospital, a factory) gets the large-account manager', () => {
    assert.equal(
      route({ accountNo: '1', segment: 'large', vulnerable: false }).accountManager.role,
      'large_account_manager',
    );
  });
  test('an urban ordinary customer gets the community manager', () => {
    assert.equal(
      route({ accountNo: '1', segment: 'ordinary', areaType: 'urban', vulnerable: false }).accountManager
        .role,
      'community_manager',
    );
  });
  test("a rural or remote ordinary customer gets the transformer area's manager", () => {
    for (const areaType of ['rural', 'remote'] as const) {
      const decision = route({
        accountNo: '1',
        segment: 'ordinary',
        areaType,
        transformerArea: 'TA-0412',
        vulnerable: false,
      });
      assert.deepEqual(decision.accountManager, {
        role: 'transformer_area_manager',
        managerId: 'TAM-TA-0412',
      });
    }
  });
  test('an unknown account is an ordinary customer; the area type the partner reported wins over the directory', () => {
    const decision = route(
      unknownCustomer('999'),
      {},
      complaint({ location: { areaType: 'rural', transformerArea: 'TA-9' } }),
    );
    assert.equal(decision.segment, 'ordinary');
    assert.equal(decision.areaType, 'rural');
    assert.equal(decision.accountManager.role, 'transformer_area_manager');
  });
});

describe('resolving team by root cause', () => {
  test('power quality → field operations, staff attitude → service quality supervision, other → business office', () => {
    const customer = unknownCustomer('1');
    assert.equal(
      route(customer, { rootCause: 'power_quality', subtype: 'interruption' }).team,
      'field_operations',
    );
    assert.equal(
      route(customer, { rootCause: 'staff_attitude', subtype: 'rudeness' }).team,
      'service_quality',
    );
    assert.equal(route(customer, { rootCause: 'other', subtype: 'billing' }).team, 'business_office');
  });
});

describe('grade rules', () => {
  const facts = (over: Partial<GradeFacts> = {}): GradeFacts => ({
    urgent: false,
    segment: 'ordinary',
    signals: { media: 'none', regulator: false, reasons: [] },
    repeatCount: 0,
    supervisionThreshold: 3,
    ...over,
  });
  const signals = (media: 'none' | 'threatened' | 'exposed', regulator = false) => ({
    media,
    regulator,
    reasons: [],
  });

  test('nothing aggravating → general', () => assert.equal(gradeComplaint(facts()).grade, 'general'));
  test('urgent → major', () => assert.equal(gradeComplaint(facts({ urgent: true })).grade, 'major'));
  test('VIP or large account → important', () => {
    assert.equal(gradeComplaint(facts({ segment: 'vip' })).grade, 'important');
    assert.equal(gradeComplaint(facts({ segment: 'large' })).grade, 'important');
  });
  test('regulator channel → important; media threatened → major; media exposure happened → special', () => {
    assert.equal(gradeComplaint(facts({ signals: signals('none', true) })).grade, 'important');
    assert.equal(gradeComplaint(facts({ signals: signals('threatened') })).grade, 'major');
    assert.equal(gradeComplaint(facts({ signals: signals('exposed') })).grade, 'special');
  });
  test('urgent for a large account → special', () =>
    assert.equal(gradeComplaint(facts({ urgent: true, segment: 'large' })).grade, 'special'));
  test('a repeat raises the grade one level above the rest', () => {
    assert.equal(gradeComplaint(facts({ repeatCount: 1 })).grade, 'important');
    assert.equal(gradeComplaint(facts({ repeatCount: 1, segment: 'vip' })).grade, 'major');
  });
  test('three repeats put the complaint under supervision at least major', () => {
    const graded = gradeComplaint(facts({ repeatCount: 3 }));
    assert.equal(graded.grade, 'special', 'major from supervision, raised one level as a repeat');
    assert.ok(graded.reasons.some((r) => r.includes('督办')));
    const decision = route(unknownCustomer('1'), {}, complaint(), 3);
    assert.equal(decision.repeat.supervision, true);
    assert.equal(route(unknownCustomer('1'), {}, complaint(), 2).repeat.supervision, false);
  });
});

describe('risk signals', () => {
  test('a threat to go to the media or a journalist is seen in Chinese and English', () => {
    assert.equal(detectRiskSignals('再不解决我就找电视台曝光', 'hotline').media, 'threatened');
    assert.equal(
      detectRiskSignals('I will contact a journalist if this is not fixed', 'web').media,
      'threatened',
    );
  });
  test('exposure that already happened is told from a threat', () => {
    assert.equal(detectRiskSignals('这件事已经上了新闻，你们还不处理', 'hotline').media, 'exposed');
  });
  test('a denied threat is not a threat', () => {
    assert.equal(detectRiskSignals("I don't want to go to the media, just fix it", 'web').media, 'none');
    assert.equal(detectRiskSignals('我不想找媒体，只希望尽快修好', 'app').media, 'none');
  });
  test('regulator hotlines are seen in the text or as the channel', () => {
    assert.equal(detectRiskSignals('我已经打了12398投诉', 'hotline').regulator, true);
    assert.equal(detectRiskSignals('電壓不穩', 'partner:12345-city').regulator, true);
    assert.equal(detectRiskSignals('電壓不穩', 'wechat').regulator, false);
  });
});

describe('business calendar and deadlines', () => {
  test('four working days from a Friday afternoon end the next Thursday afternoon', () => {
    // 2026-11-20 is a Friday; 15:00 in Shanghai is 07:00 UTC.
    assert.equal(
      calendar.addWorkingDays(new Date('2026-11-20T07:00:00Z'), 4).toISOString(),
      '2026-11-26T07:00:00.000Z',
    );
  });
  test('a complaint accepted on Saturday starts its clock on Monday', () => {
    // Saturday 2026-11-21 10:00 Shanghai → Monday 00:00 + 4 days → Friday 00:00 Shanghai = Thursday 16:00 UTC.
    assert.equal(
      calendar.addWorkingDays(new Date('2026-11-21T02:00:00Z'), 4).toISOString(),
      '2026-11-26T16:00:00.000Z',
    );
  });
  test('a deadline spanning a weekend and the National Day holidays skips them and counts the make-up workday', () => {
    // Wed 2026-09-30 09:00 Shanghai. Working: Sep 30 (15 h left), then Oct 1,2 holidays, 3,4 weekend, 5,6,7 holidays,
    // 8 Thu, 9 Fri, 10 Sat is a make-up workday: 15 + 24 + 24 + 24 = 87 h; 9 h more on Sun 11? no — Sunday; Mon 12 09:00.
    assert.equal(
      calendar.addWorkingDays(new Date('2026-09-30T01:00:00Z'), 4).toISOString(),
      '2026-10-12T01:00:00.000Z',
    );
  });
  test('in a zone with daylight saving time, days end at local midnight on both sides of the change', () => {
    const london = new BusinessCalendar({ timezone: 'Europe/London', holidays: [], workdays: [] });
    // Fri 2026-03-27 15:00 GMT; the clocks go forward on Sun 29 March. Mon 30 is BST (UTC+1).
    // Fri 9 h left, weekend stops, Mon + Tue + Wed = 72 h, 15 h into Thu 2 April: 15:00 BST = 14:00 UTC.
    assert.equal(
      london.addWorkingDays(new Date('2026-03-27T15:00:00Z'), 4).toISOString(),
      '2026-04-02T14:00:00.000Z',
    );
    // Saturday 28 March is not a working day; Monday 30 March 00:30 BST (Sunday 23:30 UTC) is.
    assert.equal(london.isWorkingDay(new Date('2026-03-28T12:00:00Z')), false);
    assert.equal(london.isWorkingDay(new Date('2026-03-29T23:30:00Z')), true);
  });
  test('dispatch in 20 minutes and first contact in 24 hours run on the wall clock', () => {
    const d = deadlinesFor(
      new Date('2026-11-21T02:00:00Z'),
      { rootCause: 'other', urgent: false, areaType: 'urban' },
      DEFAULT_SLA,
      calendar,
    );
    assert.equal(d.dispatchBy, '2026-11-21T02:20:00.000Z');
    assert.equal(d.firstContactBy, '2026-11-22T02:00:00.000Z');
    assert.equal(d.onSiteBy, undefined);
  });
  test('urgent power-quality repairs get on-site and restore limits by area type', () => {
    const at = new Date('2026-11-20T02:00:00Z');
    const urban = deadlinesFor(
      at,
      { rootCause: 'power_quality', urgent: true, areaType: 'urban' },
      DEFAULT_SLA,
      calendar,
    );
    const rural = deadlinesFor(
      at,
      { rootCause: 'power_quality', urgent: true, areaType: 'rural' },
      DEFAULT_SLA,
      calendar,
    );
    const remote = deadlinesFor(
      at,
      { rootCause: 'power_quality', urgent: true, areaType: 'remote' },
      DEFAULT_SLA,
      calendar,
    );
    assert.equal(urban.onSiteBy, '2026-11-20T02:45:00.000Z');
    assert.equal(urban.restoreBy, '2026-11-20T05:45:00.000Z');
    assert.equal(rural.onSiteBy, '2026-11-20T03:30:00.000Z');
    assert.equal(rural.restoreBy, '2026-11-20T07:30:00.000Z');
    assert.equal(remote.onSiteBy, '2026-11-20T04:00:00.000Z');
  });
});
