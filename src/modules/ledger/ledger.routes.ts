// ledger HTTP: the public log (checkpoint, key, leaves, proofs) on the public and internal zones, and receipts for
// entitled readers. Who is entitled is decided by the zone (`reader`), since sessions belong to a module above.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { unauthenticated } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import {
  ConsistencyQuery,
  ConsistencyResponse,
  InclusionQuery,
  InclusionResponse,
  IndexParams,
  LeafResponse,
  ReceiptParams,
  ReceiptResponse,
  ReceiptSummary,
  VerifierKeyResponse,
} from './ledger.schemas.ts';
import * as service from './ledger.service.ts';

export interface LedgerRouteOptions {
  readonly deps: service.LedgerReadDeps;
  /** The caller's receipt entitlement, or undefined when not logged in. */
  readonly reader: (req: FastifyRequest) => (service.ReceiptReader & { readonly self: string }) | undefined;
}

const err = { $ref: 'ErrorResponse#' } as const;
const errors = { 400: err, 401: err, 404: err, 409: err } as const;

export async function ledgerRoutes(app: App, opts: LedgerRouteOptions): Promise<void> {
  const { deps } = opts;
  const tags = ['ledger'];
  app.get(
    '/ledger/checkpoint',
    {
      schema: {
        tags,
        summary: 'The latest signed checkpoint (C2SP tlog-checkpoint in a signed note)',
        produces: ['text/plain'],
        response: { 200: Type.String(), 404: err },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-cache');
      return reply.type('text/plain; charset=utf-8').send((await service.currentCheckpoint(deps)).note);
    },
  );
  app.get(
    '/ledger/key',
    { schema: { tags, summary: "The log's verifier key", response: { 200: VerifierKeyResponse } } },
    async () => ({ verifierKey: deps.node.verifierKey, profile: deps.node.profile, origin: deps.node.origin }),
  );
  app.get(
    '/ledger/leaves/:index',
    {
      schema: {
        tags,
        summary: 'One leaf: the exact bytes hashed and their leaf hash',
        params: IndexParams,
        response: { 200: LeafResponse, ...errors },
      },
    },
    (req) => service.getLeaf(deps, req.params.index),
  );
  app.get(
    '/ledger/proof/inclusion',
    {
      schema: {
        tags,
        summary: 'RFC 9162 inclusion proof',
        querystring: InclusionQuery,
        response: { 200: InclusionResponse, ...errors },
      },
    },
    (req) => service.inclusionProof(deps, req.query.index, req.query.size),
  );
  app.get(
    '/ledger/proof/consistency',
    {
      schema: {
        tags,
        summary: 'RFC 9162 consistency proof',
        querystring: ConsistencyQuery,
        response: { 200: ConsistencyResponse, ...errors },
      },
    },
    (req) => service.consistencyProof(deps, req.query.from, req.query.to),
  );
  app.get(
    '/ledger/receipts',
    { schema: { tags, summary: 'Your latest receipts', response: { 200: Type.Array(ReceiptSummary), 401: err } } },
    async (req) => {
      const reader = opts.reader(req);
      if (!reader) throw unauthenticated();
      return service.listReceipts(deps, reader.self);
    },
  );
  app.get(
    '/ledger/receipts/:id',
    {
      schema: {
        tags,
        summary:
          'A receipt: the full entry with its salt, index, inclusion proof and checkpoint (entitled readers only)',
        params: ReceiptParams,
        response: { 200: ReceiptResponse, ...errors },
      },
    },
    async (req) => {
      const reader = opts.reader(req);
      if (!reader) throw unauthenticated();
      return service.getReceipt(deps, reader, req.params.id);
    },
  );
}
