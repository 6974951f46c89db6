// The ops console shell: sign-in, navigation by URL hash, and which view each hash shows.
import { loadConfig } from './api.js';
import { h, mount } from './dom.js';
import * as session from './session.js';
import { errorBox } from './views/common.js';
import { complaintsView } from './views/complaints.js';
import { incidentsView } from './views/incidents.js';
import { kpisView } from './views/kpis.js';
import { ordersView } from './views/orders.js';
import { timelineView } from './views/timeline.js';

const NAV = [
  ['#/complaints', 'Complaints', '投诉查询'],
  ['#/orders', 'Work orders', '工单预警'],
  ['#/incidents', 'Incidents', '停电事件'],
  ['#/kpis', 'KPIs', '服务指标'],
];

const main = document.querySelector('#main');
const nav = document.querySelector('#nav');
const user = document.querySelector('#user');

function renderHeader(staff) {
  mount(
    nav,
    staff
      ? NAV.map(([href, en, zh]) =>
          h(
            'a',
            { href, class: location.hash.startsWith(href) ? 'active' : '', dataset: { nav: href.slice(2) } },
            en,
            ' ',
            h('span', { class: 'zh' }, zh),
          ),
        )
      : [],
  );
  mount(
    user,
    staff
      ? [
          h(
            'span',
            {
              class: 'who',
              id: 'who',
              title: staff.expiresAt ? `Token expires ${staff.expiresAt.toLocaleString()}` : '',
            },
            `${staff.name ?? staff.staffId} · ${staff.role}${staff.team ? ` · ${staff.team}` : ''}`,
          ),
          h(
            'button',
            {
              type: 'button',
              id: 'sign-out',
              onclick: () => {
                session.signOut();
                location.hash = '#/signin';
              },
            },
            'Sign out 退出',
          ),
        ]
      : [],
  );
}

function signInView(root, message) {
  const error = h('div', { id: 'signin-error' }, message ? errorBox({ kind: 'info', message }) : null);
  const form = h(
    'form',
    {
      class: 'signin',
      id: 'signin-form',
      onsubmit: (e) => {
        e.preventDefault();
        try {
          session.signIn(String(new FormData(form).get('token') ?? ''));
          location.hash = '#/complaints';
        } catch (failure) {
          mount(error, errorBox({ kind: 'invalid', message: failure.message }));
        }
      },
    },
    h('h2', {}, 'Sign in ', h('span', { class: 'zh' }, '登录')),
    h(
      'p',
      {},
      'Paste your staff bearer token (ops, supervisor or manager). It stays in this browser tab only and is sent with every request. 请粘贴员工令牌，仅保存在当前标签页。',
    ),
    h(
      'p',
      { class: 'muted small' },
      'Locally, ',
      h('code', {}, 'npm start'),
      ' writes a token for every role to ',
      h('code', {}, '.local/credentials.json'),
      '.',
    ),
    h(
      'label',
      { class: 'field' },
      h('span', {}, 'Bearer token 令牌'),
      h('textarea', {
        name: 'token',
        id: 'token',
        rows: 5,
        spellcheck: false,
        required: true,
        placeholder: 'eyJhbGciOiJIUzI1NiJ9…',
      }),
    ),
    h('button', { type: 'submit', class: 'primary', id: 'sign-in' }, 'Sign in 登录'),
    error,
  );
  mount(root, form);
}

/** Shows the view the hash names; without a session, the sign-in form. */
function route() {
  const staff = session.current();
  const [path, search = ''] = (location.hash || '#/complaints').split('?');
  const params = new URLSearchParams(search);
  renderHeader(staff);
  if (!staff || path === '#/signin') {
    signInView(
      main,
      // Only someone who followed a link into a section needs telling why they see the sign-in form.
      !staff && location.hash && path !== '#/signin' ? 'Sign in to continue. 请先登录。' : null,
    );
    return;
  }
  const timeline = /^#\/complaints\/(CMP-[0-9A-Z-]+)$/.exec(path);
  if (timeline) return timelineView(main, timeline[1]);
  if (path === '#/orders') return ordersView(main, params);
  if (path === '#/incidents') return incidentsView(main, params);
  if (path === '#/kpis') return kpisView(main, params);
  if (path !== '#/complaints') {
    location.replace('#/complaints');
    return;
  }
  complaintsView(main, params);
}

window.addEventListener('hashchange', route);
loadConfig()
  .then(route)
  .catch((error) =>
    mount(
      main,
      errorBox({
        kind: 'network',
        message: `The console could not load its configuration: ${error.message}`,
      }),
    ),
  );
