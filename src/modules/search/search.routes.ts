// search HTTP. Public zone: instant search and completions over public documents. Internal zone: the same over
// everything the staff member may read, plus the synonym table (read by staff, edited by the platform admin).
import { Type } from 'typebox';
import type { App } from '../../platform/http.ts';
import { requireStaff } from '../org/index.ts';
import { SaveSynonyms, SearchQuery, SearchResponse, Suggestion, SuggestQuery, SynonymGroup } from './search.schemas.ts';
import * as service from './search.service.ts';

const err = { $ref: 'ErrorResponse#' } as const;
const errors = { 400: err, 401: err, 403: err, 404: err } as const;
const tags = ['search'];
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export async function searchPublicRoutes(app: App, opts: { hub: service.SearchHub }): Promise<void> {
  const { hub } = opts;
  app.get(
    '/search',
    {
      schema: {
        tags,
        summary: 'Search services and the public catalog (Chinese, pinyin, initials, synonyms, typos)',
        querystring: SearchQuery,
        response: { 200: SearchResponse, 400: err },
      },
    },
    // Services near the searcher rank a little higher: the region asked for, else the logged-in account's.
    (req) => {
      const region = req.query.region ?? service.regionOf(req.account);
      return service.search(hub, { ...req.query, ...(region ? { region } : {}) });
    },
  );
  app.get(
    '/search/suggest',
    {
      schema: {
        tags,
        summary: 'Completions as you type',
        querystring: SuggestQuery,
        response: { 200: Type.Array(Suggestion), 400: err },
      },
    },
    (req) => service.suggest(hub, req.query),
  );
}

export async function searchInternalRoutes(
  app: App,
  opts: { hub: service.SearchHub; deps: service.SearchDeps },
): Promise<void> {
  const { hub, deps } = opts;
  app.get(
    '/search',
    {
      schema: {
        tags,
        summary: 'Search everything the caller may read: services, the whole catalog, records, staff',
        querystring: SearchQuery,
        response: { 200: SearchResponse, ...errors },
      },
    },
    (req) => service.search(hub, req.query, requireStaff(req)),
  );
  app.get(
    '/search/suggest',
    {
      schema: {
        tags,
        summary: 'Completions as you type',
        querystring: SuggestQuery,
        response: { 200: Type.Array(Suggestion), ...errors },
      },
    },
    (req) => service.suggest(hub, req.query, requireStaff(req)),
  );
  app.get(
    '/search/misses',
    {
      schema: {
        tags,
        summary: 'The commonest portal searches that found nothing (asked at least 3 times), for new synonyms',
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 30 })) }),
        response: { 200: Type.Array(Type.Object({ query: Type.String(), count: Type.Integer() })), ...errors },
      },
    },
    (req) => service.listMisses(deps, requireStaff(req), req.query.days),
  );
  app.get(
    '/search/synonyms',
    { schema: { tags, summary: 'The synonym table', response: { 200: Type.Array(SynonymGroup), ...errors } } },
    (req) => {
      requireStaff(req);
      return service.listSynonyms(deps);
    },
  );
  app.post(
    '/search/synonyms',
    {
      schema: { tags, summary: 'Add a synonym group', body: SaveSynonyms, response: { 201: SynonymGroup, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await service.saveSynonyms(deps, requireStaff(req), req.body)),
  );
  app.put(
    '/search/synonyms/:id',
    {
      schema: {
        tags,
        summary: 'Change a synonym group',
        params: IdParams,
        body: SaveSynonyms,
        response: { 200: SynonymGroup, ...errors },
      },
    },
    (req) => service.saveSynonyms(deps, requireStaff(req), { id: req.params.id, terms: req.body.terms }),
  );
  app.delete(
    '/search/synonyms/:id',
    {
      schema: { tags, summary: 'Remove a synonym group', params: IdParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      await service.deleteSynonyms(deps, requireStaff(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
