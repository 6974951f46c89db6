// Pieces every view uses: the error box, tables, select boxes from label tables.
import { h } from '../dom.js';

/** A readable error with what to do next; a 401 offers to sign in again. */
export function errorBox(error, { onRetry } = {}) {
  const kind = error?.kind ?? 'error';
  return h(
    'div',
    { class: `error error-${kind}`, role: 'alert', dataset: { kind, testid: 'error' } },
    h('strong', {}, titleOf(kind)),
    h('p', {}, error?.message ?? String(error)),
    error?.problem?.traceId ? h('p', { class: 'muted' }, `Trace id ${error.problem.traceId}`) : null,
    h(
      'div',
      { class: 'actions' },
      kind === 'unauthenticated'
        ? h('a', { class: 'button', href: '#/signin' }, 'Sign in again 重新登录')
        : null,
      onRetry ? h('button', { type: 'button', onclick: onRetry }, 'Retry 重试') : null,
    ),
  );
}

function titleOf(kind) {
  switch (kind) {
    case 'unauthenticated':
      return 'Sign-in needed 需要登录 (401)';
    case 'forbidden':
      return 'Not allowed 无权限 (403)';
    case 'network':
      return 'Service unreachable 网络错误';
    case 'not-found':
      return 'Not found 未找到 (404)';
    case 'invalid':
      return 'Invalid request 请求无效';
    case 'info':
      return 'Please sign in 请登录';
    default:
      return 'Something went wrong 出错了';
  }
}

/** A table from column definitions: [{ title, cell: (row) => node|text, class? }]. */
export function table(columns, rows, { empty = 'Nothing to show. 无数据。', rowAttrs } = {}) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { class: c.class }, c.title)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            rowAttrs ? rowAttrs(row) : {},
            columns.map((c) => h('td', { class: c.class }, c.cell(row))),
          ),
        ),
      ),
    ),
  );
}

/** <select> whose options come from a label table, with an "any" first option. */
export function select(name, labelText, tableOfLabels, value, anyText = 'Any 全部') {
  return h(
    'label',
    { class: 'field' },
    h('span', {}, labelText),
    h(
      'select',
      { name, id: `f-${name}` },
      h('option', { value: '' }, anyText),
      Object.entries(tableOfLabels).map(([key, [en, zh]]) =>
        h('option', { value: key, selected: key === value }, `${en} ${zh}`),
      ),
    ),
  );
}

export function input(name, labelText, { value = '', placeholder = '', type = 'text', pattern } = {}) {
  return h(
    'label',
    { class: 'field' },
    h('span', {}, labelText),
    h('input', { name, id: `f-${name}`, type, value, placeholder, pattern, autocomplete: 'off' }),
  );
}
