// Mass-outage incidents (one per transformer area and window) with their linked complaints, from the resolution service.
import { call } from '../api.js';
import { h, mount, pill, spinner, when } from '../dom.js';
import { INCIDENT_STATUS, TEAM, english, label } from '../labels.js';
import { errorBox, input, table } from './common.js';

const PAGE = 50;

export function incidentsView(root, params) {
  const results = h('section', { id: 'incidents' }, spinner());
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e) => {
        e.preventDefault();
        const id = String(new FormData(e.target).get('incidentId') ?? '').trim();
        location.hash = id ? `#/incidents?id=${encodeURIComponent(id)}` : '#/incidents';
      },
    },
    input('incidentId', 'Incident id 事件编号', {
      value: params.get('id') ?? '',
      placeholder: 'INC-TA-0412-…',
    }),
    h(
      'div',
      { class: 'field buttons' },
      h('button', { type: 'submit', class: 'primary' }, 'Open 查看'),
      h('a', { class: 'button', href: '#/incidents' }, 'Recent 最近'),
    ),
  );
  mount(root, h('h2', {}, 'Incidents ', h('span', { class: 'zh' }, '停电事件')), form, results);
  void load(results, params.get('id'));
}

async function load(target, id) {
  mount(target, spinner());
  try {
    if (id) {
      const incident = await call('resolution', `/v1/incidents/${encodeURIComponent(id)}`);
      mount(target, incidentTable([incident]), linkedOrders(incident));
      return;
    }
    const { items, total } = await call('resolution', '/v1/incidents', { query: { limit: PAGE } });
    mount(
      target,
      h(
        'p',
        { class: 'muted' },
        `${total} incident(s), the most recent complaint first${total > items.length ? `; the first ${items.length} shown` : ''}. 最近的停电事件。`,
      ),
      incidentTable(items),
    );
  } catch (error) {
    mount(target, errorBox(error, { onRetry: () => void load(target, id) }));
  }
}

function incidentTable(incidents) {
  return table(
    [
      {
        title: 'Incident 事件',
        cell: (i) => h('a', { href: `#/incidents?id=${encodeURIComponent(i.id)}`, class: 'mono' }, i.id),
      },
      { title: 'Transformer area 台区', cell: (i) => h('span', { class: 'mono' }, i.transformerArea) },
      { title: 'Team 班组', cell: (i) => english(TEAM, i.team) },
      {
        title: 'Status 状态',
        cell: (i) => pill(label(INCIDENT_STATUS, i.status), i.status === 'resolved' ? 'ok' : 'bad'),
      },
      { title: 'Opened 开始', cell: (i) => when(i.openedAt) },
      { title: 'Last complaint 最近投诉', cell: (i) => when(i.lastComplaintAt) },
      { title: 'Complaints 投诉数', class: 'num', cell: (i) => `${i.complaintCount} (${i.openCount} open)` },
      {
        title: 'Resolution 处理结果',
        cell: (i) =>
          i.resolution
            ? [
                i.resolution.workDone,
                h('br'),
                h(
                  'span',
                  { class: 'muted' },
                  `${i.resolution.resolutionCode} · `,
                  when(i.resolution.resolvedAt),
                ),
              ]
            : '—',
      },
    ],
    incidents,
    { empty: 'No incident found. 暂无停电事件。' },
  );
}

function linkedOrders(incident) {
  return [
    h('h3', {}, 'Linked complaints ', h('span', { class: 'zh' }, '关联投诉')),
    table(
      [
        { title: 'Work order 工单', cell: (o) => h('span', { class: 'mono' }, o.id) },
        {
          title: 'Complaint 投诉',
          cell: (o) => h('a', { href: `#/complaints/${o.complaintId}`, class: 'mono' }, o.complaintId),
        },
        { title: 'Status 状态', cell: (o) => o.status },
        { title: 'Grade 等级', cell: (o) => o.grade },
      ],
      incident.workOrders,
    ),
  ];
}
