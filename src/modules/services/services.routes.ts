// services HTTP. Public zone: the service catalog (published items and their guides). Internal zone: the
// implementing departments' admins draft, change, publish and withdraw items.
import { Type } from 'typebox';
import type { App } from '../../platform/http.ts';
import { requireStaff } from '../org/index.ts';
import { CreateItem, Item, ItemParams, ItemsQuery, Subplatform, UpdateItem } from './services.schemas.ts';
import * as service from './services.service.ts';

const err = { $ref: 'ErrorResponse#' } as const;
const errors = { 400: err, 401: err, 403: err, 404: err, 409: err } as const;

export async function servicesPublicRoutes(app: App, opts: { deps: service.ServicesDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['services'];
  app.get(
    '/services/subplatforms',
    {
      schema: {
        tags,
        summary: 'The sub-platforms (themes) with their number of published items',
        response: { 200: Type.Array(Subplatform) },
      },
    },
    () => service.listSubplatforms(deps),
  );
  app.get(
    '/services/items',
    {
      schema: {
        tags,
        summary: 'Published service items with their guide fields',
        querystring: ItemsQuery,
        response: { 200: Type.Array(Item), 400: err },
      },
    },
    (req) => service.listItems(deps, req.query, { publishedOnly: true }),
  );
  app.get(
    '/services/items/:code',
    {
      schema: { tags, summary: 'One published item’s guide', params: ItemParams, response: { 200: Item, 404: err } },
    },
    (req) => service.getItem(deps, req.params.code, { publishedOnly: true }),
  );
}

export async function servicesInternalRoutes(app: App, opts: { deps: service.ServicesDeps }): Promise<void> {
  const { deps } = opts;
  const tags = ['services'];
  app.get(
    '/services/manage/items',
    {
      schema: {
        tags,
        summary: 'Every item, drafts and withdrawn ones included',
        querystring: ItemsQuery,
        response: { 200: Type.Array(Item), ...errors },
      },
    },
    (req) => {
      requireStaff(req);
      return service.listItems(deps, req.query, { publishedOnly: false });
    },
  );
  app.post(
    '/services/manage/items',
    {
      schema: { tags, summary: 'Draft a new service item', body: CreateItem, response: { 201: Item, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await service.createItem(deps, requireStaff(req), req.body)),
  );
  app.put(
    '/services/manage/items/:code',
    {
      schema: {
        tags,
        summary: 'A new version of the guide (409 on a stale version)',
        params: ItemParams,
        body: UpdateItem,
        response: { 200: Item, ...errors },
      },
    },
    (req) => service.updateItem(deps, requireStaff(req), req.params.code, req.body.expectedVersion, req.body.guide),
  );
  app.post(
    '/services/manage/items/:code/publish',
    { schema: { tags, summary: 'Publish an item', params: ItemParams, response: { 200: Item, ...errors } } },
    (req) => service.publishItem(deps, requireStaff(req), req.params.code),
  );
  app.post(
    '/services/manage/items/:code/withdraw',
    { schema: { tags, summary: 'Withdraw a published item', params: ItemParams, response: { 200: Item, ...errors } } },
    (req) => service.withdrawItem(deps, requireStaff(req), req.params.code),
  );
}
