// One complaint's timeline: every step from every service, in order, with actor, summary, reasons and trace id.
import { call } from '../api.js';
import { h, mount, pill, spinner, when } from '../dom.js';
import { CHANNEL, label } from '../labels.js';
import { errorBox } from './common.js';
import { statusPill } from './complaints.js';

const SERVICE_KIND = { intake: 'info', routing: 'accent', resolution: 'warn', feedback: 'ok' };

export function timelineView(root, id) {
  mount(
    root,
    h('p', {}, h('a', { href: '#/complaints', class: 'back' }, '← Complaints 投诉查询')),
    h('h2', {}, 'Timeline ', h('span', { class: 'zh' }, '处理轨迹'), ' ', h('span', { class: 'mono' }, id)),
    h('section', { id: 'timeline' }, spinner()),
  );
  void load(root.querySelector('#timeline'), id);
}

async function load(target, id) {
  try {
    const [status, timeline] = await Promise.all([
      call('intake', `/v1/complaints/${id}`),
      call('intake', `/v1/complaints/${id}/timeline`),
    ]);
    mount(
      target,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status 状态'),
        h('dd', { id: 'complaint-status' }, statusPill(status.status)),
        h('dt', {}, 'Channel 渠道'),
        h('dd', {}, label(CHANNEL, status.channel), status.externalRef ? ` · ref ${status.externalRef}` : ''),
        h('dt', {}, 'Received 受理'),
        h('dd', {}, when(status.receivedAt)),
        h('dt', {}, 'Updated 更新'),
        h('dd', {}, when(status.updatedAt)),
      ),
      timeline.steps.length
        ? h('ol', { class: 'steps', id: 'steps' }, timeline.steps.map(stepItem))
        : h('p', { class: 'empty' }, 'No steps recorded yet. 暂无记录。'),
    );
  } catch (error) {
    mount(target, errorBox(error, { onRetry: () => void load(target, id) }));
  }
}

function stepItem(step) {
  return h(
    'li',
    { class: 'step', dataset: { step: step.step } },
    h(
      'div',
      { class: 'step-head' },
      when(step.at),
      pill(step.service, SERVICE_KIND[step.service] ?? 'neutral'),
      h('code', { class: 'step-name' }, step.step),
      h('span', { class: 'actor' }, h('span', { class: 'muted' }, 'by 操作人 '), step.actor),
    ),
    h('p', { class: 'summary' }, step.summary),
    details(step.details),
    step.traceId ? h('p', { class: 'trace' }, 'Trace ', h('code', { class: 'mono' }, step.traceId)) : null,
  );
}

/** Reasons first (why routing decided what it did), then the remaining details as a small key/value list. */
function details(value) {
  if (!value || !Object.keys(value).length) return null;
  const { reasons, gradeReasons, deadlines, ...rest } = value;
  const list = (title, items) =>
    Array.isArray(items) && items.length
      ? h(
          'div',
          { class: 'reasons' },
          h('strong', {}, title),
          h(
            'ul',
            {},
            items.map((r) => h('li', {}, format(r))),
          ),
        )
      : null;
  const pairs = Object.entries(rest).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return h(
    'div',
    { class: 'details' },
    list('Reasons 判定依据', reasons),
    list('Grade reasons 定级依据', gradeReasons),
    deadlines && typeof deadlines === 'object'
      ? h(
          'div',
          { class: 'reasons' },
          h('strong', {}, 'Deadlines 时限'),
          h(
            'ul',
            {},
            Object.entries(deadlines).map(([k, v]) =>
              h('li', {}, `${k}: `, typeof v === 'string' && v.startsWith('20') ? when(v) : format(v)),
            ),
          ),
        )
      : null,
    pairs.length
      ? h(
          'dl',
          { class: 'kv' },
          pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, format(v))]),
        )
      : null,
  );
}

function format(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}
