// Builds DOM nodes from data without innerHTML, so text from the API can never become markup.

/**
 * h('div', { class: 'x', onclick: fn, dataset: { id: 1 } }, 'text', child, [more]) → element.
 * null, undefined and false children are skipped; arrays are flattened.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'class') el.className = value;
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `el` with the children. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A bilingual label: English first, the Chinese term beside it in a quieter style. */
export const bi = (en, zh) => (zh ? [en, ' ', h('span', { class: 'zh' }, zh)] : en);

const pad = (n) => String(n).padStart(2, '0');

/** YYYY-MM-DD HH:mm:ss in the browser's time zone (the form staff write dates in). */
export function localTime(date) {
  const d = new Date(date);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local date and time of an ISO timestamp, with the exact UTC value in the tooltip. */
export const when = (iso) => (iso ? h('time', { datetime: iso, title: iso }, localTime(iso)) : '—');

/** "in 2 h 5 min" / "3 h 10 min ago" relative to now. */
export function relative(iso, now = Date.now()) {
  const ms = Date.parse(iso) - now;
  const abs = Math.abs(ms);
  const minutes = Math.round(abs / 60_000);
  const text =
    minutes < 60
      ? `${minutes} min`
      : minutes < 48 * 60
        ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
        : `${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

export const percent = (ratio) =>
  ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)}%`;

/** A small status pill; `kind` picks its colour. */
export const pill = (text, kind = 'neutral', title) => h('span', { class: `pill pill-${kind}`, title }, text);

export const spinner = (text = 'Loading… 加载中') => h('p', { class: 'loading', role: 'status' }, text);
