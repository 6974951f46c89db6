// KPIs: complaints per hour (or day) by root cause, satisfaction and callback rates over time, and the period's figures.
import { call } from '../api.js';
import { h, localTime, mount, percent, spinner } from '../dom.js';
import { KPI, ROOT_CAUSE, english } from '../labels.js';
import { errorBox } from './common.js';

const PERIODS = {
  '24h': { text: 'Last 24 hours, hourly 近24小时', bucket: 'hour', ms: 24 * 3_600_000 },
  '7d': { text: 'Last 7 days, daily 近7天', bucket: 'day', ms: 7 * 86_400_000 },
  '30d': { text: 'Last 30 days, daily 近30天', bucket: 'day', ms: 30 * 86_400_000 },
};
const CAUSE_COLOURS = {
  power_quality: '#2563eb',
  staff_attitude: '#d97706',
  other: '#64748b',
  unknown: '#a1a1aa',
};

let charts = [];

export function kpisView(root, params) {
  const key = PERIODS[params.get('period')] ? params.get('period') : '24h';
  const content = h('section', { id: 'kpis' }, spinner());
  mount(
    root,
    h('h2', {}, 'KPIs ', h('span', { class: 'zh' }, '服务指标')),
    h(
      'form',
      { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'Period 统计周期'),
        h(
          'select',
          { id: 'f-period', onchange: (e) => (location.hash = `#/kpis?period=${e.target.value}`) },
          Object.entries(PERIODS).map(([k, p]) => h('option', { value: k, selected: k === key }, p.text)),
        ),
      ),
      h(
        'div',
        { class: 'field buttons' },
        h('button', { type: 'button', onclick: () => void load(content, key) }, 'Refresh 刷新'),
      ),
    ),
    content,
  );
  void load(content, key);
}

async function load(target, key) {
  const period = PERIODS[key];
  const to = new Date();
  const from = new Date(to.getTime() - period.ms);
  mount(target, spinner());
  try {
    const [report, series] = await Promise.all([
      call('feedback', '/v1/kpis', { query: { from: from.toISOString(), to: to.toISOString() } }),
      call('feedback', '/v1/kpis/series', {
        query: { from: from.toISOString(), to: to.toISOString(), bucket: period.bucket },
      }),
    ]);
    for (const chart of charts) chart.destroy();
    charts = [];
    const volume = h('canvas', {
      id: 'chart-volume',
      'aria-label': 'Complaints by root cause over time',
      role: 'img',
    });
    const rates = h('canvas', {
      id: 'chart-rates',
      'aria-label': 'Satisfaction and callback rates over time',
      role: 'img',
    });
    mount(
      target,
      figures(report),
      h(
        'div',
        { class: 'charts' },
        h(
          'figure',
          { class: 'chart' },
          h(
            'figcaption',
            {},
            `Complaints per ${series.bucket} by root cause `,
            h('span', { class: 'zh' }, '各类投诉量'),
          ),
          h('div', { class: 'chart-box' }, volume),
        ),
        h(
          'figure',
          { class: 'chart' },
          h(
            'figcaption',
            {},
            'Satisfaction and callback rates ',
            h('span', { class: 'zh' }, '满意率与回访率'),
          ),
          h('div', { class: 'chart-box' }, rates),
        ),
      ),
      h(
        'p',
        { class: 'muted small' },
        `Period ${localTime(report.period.from)} – ${localTime(report.period.to)} (this browser's time). Complaints count in the ${series.bucket} of their first routing; rates in the ${series.bucket} of resolution, and ${series.bucket}s without resolutions leave a gap.`,
      ),
    );
    draw(volume, rates, series);
  } catch (error) {
    mount(target, errorBox(error, { onRetry: () => void load(target, key) }));
  }
}

function figures(report) {
  const kpiCards = Object.entries(report.kpis).map(([name, r]) =>
    h(
      'div',
      { class: 'card', dataset: { kpi: name }, title: report.definitions?.[name] ?? '' },
      h('div', { class: 'card-value' }, percent(r.value)),
      h('div', { class: 'card-title' }, KPI[name] ? `${KPI[name][0]} ${KPI[name][1]}` : name),
      h('div', { class: 'card-sub' }, `${r.numerator} / ${r.denominator}`),
    ),
  );
  const byCause = Object.entries(report.complaints.byRootCause)
    .map(([cause, n]) => `${english(ROOT_CAUSE, cause)} ${n}`)
    .join(' · ');
  return h(
    'div',
    { class: 'cards', id: 'kpi-figures' },
    h(
      'div',
      { class: 'card card-info', id: 'kpi-routed' },
      h('div', { class: 'card-value' }, String(report.complaints.routed)),
      h('div', { class: 'card-title' }, 'Complaints routed 派单量'),
      h('div', { class: 'card-sub' }, byCause || '—'),
    ),
    h(
      'div',
      { class: 'card card-info', id: 'kpi-resolutions' },
      h('div', { class: 'card-value' }, String(report.resolutions.total)),
      h('div', { class: 'card-title' }, 'Resolutions 办结量'),
      h('div', { class: 'card-sub' }, `${report.resolutions.callbacks.pending} callback(s) pending 待回访`),
    ),
    kpiCards,
  );
}

function bucketLabel(iso, bucket) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  const day = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return bucket === 'hour' ? `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}` : day;
}

function draw(volumeCanvas, ratesCanvas, series) {
  const Chart = globalThis.Chart;
  if (!Chart) throw new Error('Chart.js did not load (vendor/chart.umd.js).');
  const labels = series.buckets.map((b) => bucketLabel(b.from, series.bucket));
  const common = {
    layout: { padding: { right: 8, top: 8 } },
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
  };
  charts.push(
    new Chart(volumeCanvas, {
      type: 'bar',
      data: {
        labels,
        datasets: series.rootCauses.map((cause) => ({
          label: ROOT_CAUSE[cause] ? `${ROOT_CAUSE[cause][0]} ${ROOT_CAUSE[cause][1]}` : cause,
          data: series.buckets.map((b) => b.complaints.byRootCause[cause] ?? 0),
          backgroundColor: CAUSE_COLOURS[cause] ?? '#94a3b8',
          stack: 'causes',
        })),
      },
      options: {
        ...common,
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    }),
    new Chart(ratesCanvas, {
      type: 'line',
      data: {
        labels,
        datasets: [
          // Different point shapes keep both visible when the two rates are equal.
          { key: 'satisfactionRate', colour: '#16a34a', shape: 'circle', radius: 4 },
          { key: 'callbackRate', colour: '#7c3aed', shape: 'rectRot', radius: 7 },
        ].map(({ key, colour, shape, radius }) => ({
          label: `${KPI[key][0]} ${KPI[key][1]}`,
          data: series.buckets.map((b) =>
            b.kpis[key].value === null ? null : Math.round(b.kpis[key].value * 1000) / 10,
          ),
          borderColor: colour,
          backgroundColor: key === 'callbackRate' ? 'rgba(124, 58, 237, 0.25)' : colour,
          spanGaps: true,
          pointStyle: shape,
          pointRadius: radius,
          pointHoverRadius: radius + 2,
          order: key === 'callbackRate' ? 1 : 0,
          tension: 0.2,
        })),
      },
      options: {
        ...common,
        scales: {
          x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } },
          y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } },
        },
      },
    }),
  );
}
