// Staff search over complaints (account, status, grade, root cause, channel, received time), newest first, by cursor.
import type { Express, Request } from 'express';
import { ComplaintSearchQuery, type ComplaintSearchPage, type ComplaintSummary } from '@complaints/contracts';
import { authenticate, parseQuery, problems, type AuthOptions } from '@complaints/platform';
import type { ComplaintDocument } from '../../data-access/complaint-model';
import {
  currentGrade,
  type ComplaintRepository,
  type ComplaintSearch,
} from '../../data-access/complaint-repository';

export interface SearchRouteDeps {
  auth: AuthOptions;
  repository: ComplaintRepository;
}

const DEFAULT_PAGE = 50;
const EXCERPT_LENGTH = 120;
const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const invalid = (param: string, message: string) =>
  problems.validation([{ field: `query/${param}`, message }], `Query parameter ${param} ${message}.`);

function parseBound(param: 'from' | 'to', input: string): Date {
  const dateOnly = DATE_ONLY.test(input);
  const date = new Date(dateOnly ? `${input}T00:00:00.000Z` : input);
  // Date rolls 2026-02-30 over to March; a search bound must be a real calendar date.
  if (Number.isNaN(date.getTime()) || (dateOnly && date.toISOString().slice(0, 10) !== input))
    throw invalid(param, 'is not a real date');
  // A bare `to` date includes that whole (UTC) day.
  return dateOnly && param === 'to' ? new Date(date.getTime() + DAY_MS) : date;
}

/** The cursor names the last complaint shown: its received time and id (the sort keys), opaque to clients. */
const encodeCursor = (doc: ComplaintDocument) =>
  Buffer.from(`${doc.receivedAt.getTime()}~${doc._id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): { receivedAt: Date; id: string } {
  const match = /^(\d{1,15})~(CMP(?:-[0-9A-Z]{4}){4})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) throw invalid('cursor', 'is not a cursor this service gave out');
  return { receivedAt: new Date(Number(match[1])), id: match[2] };
}

/** The channel a caller may search: a partner key only its own, staff any (or the one asked for). */
function channelFor(req: Request, asked: string | undefined): string | undefined {
  if (req.principal?.kind !== 'partner') return asked;
  if (asked !== undefined && asked !== req.principal.channel)
    throw problems.forbidden(`This key may search only channel ${req.principal.channel}.`);
  return req.principal.channel;
}

const summaryOf = (doc: ComplaintDocument): ComplaintSummary => ({
  id: doc._id,
  channel: doc.channel,
  ...(doc.externalRef ? { externalRef: doc.externalRef } : {}),
  accountNo: doc.customer.accountNo,
  status: doc.status,
  excerpt: doc.text.length > EXCERPT_LENGTH ? `${doc.text.slice(0, EXCERPT_LENGTH - 1)}…` : doc.text,
  ...(doc.routing ? { routing: doc.routing } : {}),
  ...(currentGrade(doc) ? { grade: currentGrade(doc) } : {}),
  receivedAt: doc.receivedAt.toISOString(),
  updatedAt: doc.updatedAt.toISOString(),
  links: { self: `/v1/complaints/${doc._id}`, timeline: `/v1/complaints/${doc._id}/timeline` },
});

export function searchRoutes(app: Express, deps: SearchRouteDeps): void {
  app.get(
    '/v1/complaints',
    authenticate(deps.auth, { partner: true, roles: ['ops', 'supervisor', 'manager'] }),
    async (req, res) => {
      const query = parseQuery(ComplaintSearchQuery, req.query);
      const from = query.from === undefined ? undefined : parseBound('from', query.from);
      const to = query.to === undefined ? undefined : parseBound('to', query.to);
      if (from && to && from.getTime() >= to.getTime()) throw invalid('to', 'must be later than from');
      const channel = channelFor(req, query.channel);
      const search: ComplaintSearch = {
        ...(query.accountNo ? { accountNo: query.accountNo } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.grade ? { grade: query.grade } : {}),
        ...(query.rootCause ? { rootCause: query.rootCause } : {}),
        ...(channel ? { channel } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
      };
      const limit = query.limit === undefined ? DEFAULT_PAGE : Number(query.limit);
      const { items, more } = await deps.repository.search(search, limit);
      const last = items.at(-1);
      const page: ComplaintSearchPage = {
        items: items.map(summaryOf),
        limit,
        nextCursor: more && last ? encodeCursor(last) : null,
      };
      res.json(page);
    },
  );
}
