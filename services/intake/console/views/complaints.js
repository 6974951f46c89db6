// Complaint search: by id (opens its timeline), account, status, grade, root cause, channel and received date.
import { call } from '../api.js';
import { h, mount, pill, spinner, when } from '../dom.js';
import { CHANNEL, GRADE, ROOT_CAUSE, STATUS, SUBTYPE, TEAM, english, label } from '../labels.js';
import { errorBox, input, select, table } from './common.js';

const COMPLAINT_ID = /^CMP(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;
const FILTERS = ['accountNo', 'status', 'grade', 'rootCause', 'channel', 'from', 'to'];

export const statusPill = (status) =>
  pill(
    label(STATUS, status),
    { closed: 'ok', resolved: 'ok', reopened: 'warn', terminated: 'muted' }[status],
  );

export const gradePill = (grade) =>
  grade ? pill(label(GRADE, grade), { important: 'warn', major: 'bad', special: 'bad' }[grade]) : '—';

export function complaintsView(root, params) {
  const results = h('section', { id: 'results', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'filters', id: 'search-form', onsubmit: (e) => submit(e) },
    input('id', 'Complaint id 投诉编号', {
      value: params.get('id') ?? '',
      placeholder: 'CMP-XXXX-XXXX-XXXX-XXXX',
    }),
    input('accountNo', 'Account no. 户号', {
      value: params.get('accountNo') ?? '',
      placeholder: '5012087734',
    }),
    select('status', 'Status 状态', STATUS, params.get('status')),
    select('grade', 'Grade 等级', GRADE, params.get('grade')),
    select('rootCause', 'Root cause 原因', ROOT_CAUSE_CHOICES, params.get('rootCause')),
    select('channel', 'Channel 渠道', CHANNEL, params.get('channel')),
    input('from', 'Received from 起', { type: 'date', value: params.get('from') ?? '' }),
    input('to', 'to 止', { type: 'date', value: params.get('to') ?? '' }),
    h(
      'div',
      { class: 'field buttons' },
      h('button', { type: 'submit', class: 'primary' }, 'Search 查询'),
      h(
        'button',
        { type: 'reset', onclick: () => setTimeout(() => (location.hash = '#/complaints'), 0) },
        'Clear 清空',
      ),
    ),
  );
  mount(root, h('h2', {}, 'Complaints ', h('span', { class: 'zh' }, '投诉查询')), form, results);

  function submit(event) {
    event.preventDefault();
    const data = new FormData(form);
    const id = String(data.get('id') ?? '')
      .trim()
      .toUpperCase();
    if (id) {
      if (!COMPLAINT_ID.test(id)) {
        mount(
          results,
          errorBox({
            kind: 'invalid',
            message: `${id} is not a complaint id (CMP-XXXX-XXXX-XXXX-XXXX). 编号格式不正确。`,
          }),
        );
        return;
      }
      location.hash = `#/complaints/${id}`;
      return;
    }
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      const value = String(data.get(name) ?? '').trim();
      if (value) query.set(name, value);
    }
    // The same hash re-renders nothing, so search again directly.
    const next = `#/complaints?${query}`;
    if (location.hash === next) void search(query);
    else location.hash = next;
  }

  async function search(query, cursor, appendTo) {
    const target = appendTo ?? results;
    if (!appendTo) mount(results, spinner());
    try {
      const page = await call('intake', '/v1/complaints', {
        query: { ...Object.fromEntries(query), limit: 25, ...(cursor ? { cursor } : {}) },
      });
      const rows = table(COLUMNS, page.items, {
        empty: 'No complaint matches. 没有符合条件的投诉。',
        rowAttrs: (c) => ({
          class: 'clickable',
          dataset: { id: c.id },
          onclick: () => (location.hash = `#/complaints/${c.id}`),
        }),
      });
      const more = page.nextCursor
        ? h(
            'button',
            {
              type: 'button',
              class: 'more',
              onclick: (e) => {
                e.target.remove();
                void search(query, page.nextCursor, target);
              },
            },
            'More 更多',
          )
        : null;
      if (appendTo) {
        const body = rows.querySelector?.('tbody');
        if (body) target.querySelector('tbody').append(...body.children);
        if (more) target.append(more);
      } else {
        mount(
          results,
          h(
            'p',
            { class: 'muted', id: 'result-count' },
            `${page.items.length}${page.nextCursor ? '+' : ''} complaint(s), newest first 按受理时间倒序`,
          ),
          rows,
          more,
        );
      }
    } catch (error) {
      mount(target, errorBox(error, { onRetry: () => void search(query) }));
    }
  }

  const initial = new URLSearchParams();
  for (const name of FILTERS) if (params.get(name)) initial.set(name, params.get(name));
  if ([...initial].length) void search(initial);
  else
    mount(
      results,
      h('p', { class: 'muted' }, 'Search by complaint id, account number or filters. 请输入查询条件。'),
    );
}

const ROOT_CAUSE_CHOICES = Object.fromEntries(Object.entries(ROOT_CAUSE).filter(([k]) => k !== 'unknown'));

const COLUMNS = [
  { title: 'Complaint 投诉', cell: (c) => h('a', { href: `#/complaints/${c.id}`, class: 'mono' }, c.id) },
  { title: 'Received 受理时间', cell: (c) => when(c.receivedAt) },
  { title: 'Channel 渠道', cell: (c) => english(CHANNEL, c.channel) },
  { title: 'Account 户号', cell: (c) => h('span', { class: 'mono' }, c.accountNo) },
  { title: 'Status 状态', cell: (c) => statusPill(c.status) },
  {
    title: 'Root cause 原因',
    cell: (c) =>
      c.routing
        ? [
            english(ROOT_CAUSE, c.routing.rootCause),
            h('br'),
            h('span', { class: 'muted' }, english(SUBTYPE, c.routing.subtype)),
          ]
        : h('span', { class: 'muted' }, 'not routed yet'),
  },
  { title: 'Grade 等级', cell: (c) => gradePill(c.grade ?? c.routing?.grade) },
  { title: 'Team 班组', cell: (c) => (c.routing ? english(TEAM, c.routing.team) : '—') },
  { title: 'Complaint text 内容', class: 'text', cell: (c) => c.excerpt },
];
