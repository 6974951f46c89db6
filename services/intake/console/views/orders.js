// Open work orders past or near a time limit (督办 candidates), from the resolution service.
import { call } from '../api.js';
import { h, mount, pill, relative, spinner, when } from '../dom.js';
import { ROOT_CAUSE, SLA_LIMIT, TEAM, WORK_ORDER_STATUS, english, label } from '../labels.js';
import { errorBox, select, table } from './common.js';
import { gradePill } from './complaints.js';

const OPEN = new Set(['created', 'assigned', 'accepted', 'contacted', 'on_site', 'reopened']);
const PAGE = 200;

/** The open time limit that ends first, and whether its early warning has been reached. */
export function nextLimit(order, now = Date.now()) {
  const open = Object.entries(order.sla ?? {})
    .filter(([, s]) => !s.doneAt)
    .map(([limit, s]) => ({ limit, ...s }))
    .sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
  const first = open[0];
  if (!first) return null;
  const missed = Boolean(first.breachedAt) || Date.parse(first.deadline) <= now;
  const warned = Boolean(first.warnedAt) || Date.parse(first.warnAt) <= now;
  return { ...first, missed, warned };
}

export function ordersView(root, params) {
  const team = params.get('team') ?? '';
  const results = h('section', { id: 'orders' }, spinner());
  const filter = h(
    'form',
    {
      class: 'filters',
      onchange: (e) => (location.hash = `#/orders${e.target.value ? `?team=${e.target.value}` : ''}`),
      onsubmit: (e) => e.preventDefault(),
    },
    select('team', 'Team 班组', TEAM, team),
    h(
      'div',
      { class: 'field buttons' },
      h('button', { type: 'button', onclick: () => void load(results, team) }, 'Refresh 刷新'),
    ),
  );
  mount(
    root,
    h('h2', {}, 'Work orders at risk ', h('span', { class: 'zh' }, '工单时限预警')),
    filter,
    results,
  );
  void load(results, team);
}

async function load(target, team) {
  mount(target, spinner());
  try {
    const [overdue, others] = await Promise.all([
      call('resolution', '/v1/work-orders', { query: { overdue: 'true', team, limit: PAGE } }),
      call('resolution', '/v1/work-orders', { query: { overdue: 'false', team, limit: PAGE } }),
    ]);
    const now = Date.now();
    const near = others.items.filter((o) => OPEN.has(o.status) && nextLimit(o, now)?.warned);
    const openCount = others.items.filter((o) => OPEN.has(o.status)).length;
    mount(
      target,
      h(
        'div',
        { class: 'cards' },
        card('Past deadline 已超时', overdue.total, overdue.total ? 'bad' : 'ok', 'count-overdue'),
        card('Near deadline 临近时限', near.length, near.length ? 'warn' : 'ok', 'count-near'),
        card('Other open orders 其他在办', openCount - near.length, 'neutral', 'count-open'),
      ),
      h('h3', {}, 'Past deadline ', h('span', { class: 'zh' }, '已超时')),
      h(
        'div',
        { id: 'orders-overdue' },
        orderTable(overdue.items, now, 'No order is past its deadline. 无超时工单。'),
      ),
      overdue.total > overdue.items.length
        ? h('p', { class: 'muted' }, `Showing the newest ${overdue.items.length} of ${overdue.total}.`)
        : null,
      h(
        'h3',
        {},
        'Near deadline ',
        h('span', { class: 'zh' }, '临近时限'),
        h('span', { class: 'muted small' }, ' early warning reached, deadline not yet missed'),
      ),
      h('div', { id: 'orders-near' }, orderTable(near, now, 'No order is near its deadline. 无临期工单。')),
    );
  } catch (error) {
    mount(target, errorBox(error, { onRetry: () => void load(target, team) }));
  }
}

function card(title, value, kind, id) {
  return h(
    'div',
    { class: `card card-${kind}`, id },
    h('div', { class: 'card-value' }, String(value)),
    h('div', { class: 'card-title' }, title),
  );
}

function orderTable(orders, now, empty) {
  return table(
    [
      { title: 'Work order 工单', cell: (o) => h('span', { class: 'mono' }, o.id) },
      {
        title: 'Complaint 投诉',
        cell: (o) => h('a', { href: `#/complaints/${o.complaintId}`, class: 'mono' }, o.complaintId),
      },
      { title: 'Status 状态', cell: (o) => label(WORK_ORDER_STATUS, o.status) },
      { title: 'Grade 等级', cell: (o) => gradePill(o.grade) },
      { title: 'Root cause 原因', cell: (o) => english(ROOT_CAUSE, o.rootCause) },
      {
        title: 'Team / assignee 班组/责任人',
        cell: (o) => [
          english(TEAM, o.team),
          h('br'),
          h('span', { class: 'muted' }, o.assigneeId ?? 'unassigned'),
        ],
      },
      {
        title: 'Next limit 当前时限',
        cell: (o) => {
          const next = nextLimit(o, now);
          if (!next) return '—';
          // The service's own overdue flag wins: its clock decides, not this browser's.
          const missed = next.missed || o.overdue;
          const ahead = Date.parse(next.deadline) > now;
          return [
            pill(label(SLA_LIMIT, next.limit), missed ? 'bad' : 'warn'),
            h('br'),
            when(next.deadline),
            h('br'),
            h(
              'span',
              { class: missed ? 'bad-text' : 'muted' },
              missed
                ? ahead
                  ? 'missed 已超时'
                  : `missed ${relative(next.deadline, now)} 已超时`
                : `due ${relative(next.deadline, now)}`,
            ),
          ];
        },
      },
      {
        title: 'Flags 标记',
        cell: (o) => [
          o.urgent ? pill('urgent 紧急', 'bad') : null,
          o.supervision ? pill('supervised 督办', 'warn') : null,
          o.pausedSince ? pill('paused 挂起', 'muted') : null,
          o.incidentId
            ? h(
                'a',
                {
                  href: `#/incidents?id=${encodeURIComponent(o.incidentId)}`,
                  class: 'small',
                  title: o.incidentId,
                },
                'incident 事件',
              )
            : null,
          o.escalations?.length ? pill(`${o.escalations.length} escalation(s)`, 'warn') : null,
        ],
      },
    ],
    orders,
    { empty },
  );
}
