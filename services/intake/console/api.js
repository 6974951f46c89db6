// Calls the four services with the signed-in user's bearer token and turns every failure into a readable ApiError.
import { current } from './session.js';

const SERVICE_NAMES = {
  intake: 'intake 受理',
  routing: 'routing 派单',
  resolution: 'resolution 处理',
  feedback: 'feedback 回访',
};

let config;

/** The base URLs of the services, from intake's /console/config.json (intake itself is this origin). */
export async function loadConfig() {
  if (config) return config;
  const res = await fetch('config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json answered ${res.status}`);
  config = await res.json();
  return config;
}

export class ApiError extends Error {
  /**
   * kind: 'unauthenticated' (401), 'forbidden' (403), 'network' (no answer), 'not-found', 'invalid' (400), 'server'.
   */
  constructor(kind, message, { status, problem, service, url } = {}) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.problem = problem;
    this.service = service;
    this.url = url;
  }
}

function kindOf(status) {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 400 || status === 409 || status === 422) return 'invalid';
  return 'server';
}

function messageFor(kind, status, problem, service) {
  const who = SERVICE_NAMES[service] ?? service;
  const detail = problem?.detail ? ` ${problem.detail}` : '';
  switch (kind) {
    case 'unauthenticated':
      return `Not signed in, or your token has expired or is not accepted by ${who}: sign in again with a fresh token. 登录已失效，请重新登录。${detail}`;
    case 'forbidden': {
      const role = current()?.role;
      return `Your role${role ? ` (${role})` : ''} may not see this in ${who}. 无权限访问。${detail}`;
    }
    case 'not-found':
      return `Not found in ${who}. 未找到。${detail}`;
    case 'invalid': {
      const fields = (problem?.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
      return `${who} refused the request (${status}). 请求无效。${detail}${fields ? ` (${fields})` : ''}`;
    }
    default:
      return `${who} failed (${status}${problem?.title ? ` ${problem.title}` : ''}). 服务异常。${detail}`;
  }
}

/** GET (or another method) on a service; resolves with the JSON body, rejects with an ApiError. */
export async function call(service, path, { query, method = 'GET', body } = {}) {
  const { services } = await loadConfig();
  const base = services[service] ?? '';
  const url = new URL(`${base}${path}`, location.href);
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  const session = current();
  const headers = { Accept: 'application/json, application/problem+json' };
  if (session) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(
      'network',
      `Cannot reach the ${SERVICE_NAMES[service] ?? service} service at ${url.origin}. Is it running, and does its CORS_ORIGINS allow ${location.origin}? 无法连接服务。`,
      { service, url: url.href },
    );
  }
  const type = res.headers.get('content-type') ?? '';
  const payload = type.includes('json') ? await res.json().catch(() => null) : null;
  if (res.ok) return payload;
  const kind = kindOf(res.status);
  throw new ApiError(kind, messageFor(kind, res.status, payload, service), {
    status: res.status,
    problem: payload,
    service,
    url: url.href,
  });
}
