// The HTTP server every zone is built on: request ids, schema validation (bodies strict, text parts coerced),
// one error mapping, health and readiness, OpenAPI 3.1 generated from the route schemas.
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifySchemaValidationError,
} from 'fastify';
import { Type } from 'typebox';
import type { Zone } from './config.ts';
import { AppError } from './errors.ts';
import {
  assertInput,
  boundNumbers,
  findInputProblem,
  inputError,
  MALFORMED_QUERY,
  parseJsonBody,
  parseQuery,
} from './input.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import { openApiDocument, operationIdOf } from './openapi.ts';
import { bodyAjv, describeError, errorField, textAjv } from './validation.ts';

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
    requestId: Type.String(),
  },
  { $id: 'ErrorResponse', title: 'Error' },
);

export interface HttpOptions {
  readonly zone: Zone;
  readonly log: Logger;
  readonly bodyLimitBytes: number;
  readonly trustProxy: boolean;
  readonly version: string;
  /** Where the listener is reached, for the OpenAPI document's `servers`. */
  readonly serverUrl?: string;
  /** The process's metrics: every answer is counted and timed. */
  readonly metrics?: Metrics;
  /** Readiness: resolves when the zone can serve (database reachable). */
  readonly ready: () => Promise<void>;
}

class ValidationFailure extends Error {
  readonly issues: ReadonlyArray<{ field: string; message: string }>;
  constructor(part: string, errors: FastifySchemaValidationError[]) {
    const issues = errors.map((e) => ({
      field: errorField(e as Parameters<typeof errorField>[0]),
      message: describeError(e as Parameters<typeof describeError>[0]),
    }));
    const first = issues[0];
    super(first ? `${part} ${first.field}: ${first.message}` : `${part} is invalid`);
    this.issues = issues;
  }
}

/** Where in the request a value PostgreSQL refused came from (its message quotes it), or '/'. */
function fieldHolding(req: FastifyRequest, dbMessage: string): string {
  const quoted = /"([^"]*)"/.exec(dbMessage)?.[1];
  if (quoted === undefined) return '/';
  const search = (value: unknown, path: string, depth: number): string | undefined => {
    if ((typeof value === 'string' || typeof value === 'number') && String(value) === quoted) return path || '/';
    if (depth > 8 || value === null || typeof value !== 'object') return undefined;
    for (const [k, v] of Object.entries(value)) {
      const found = search(v, `${path}/${k}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return search(req.params, '', 0) ?? search(req.query, '', 0) ?? search(req.body, '', 0) ?? '/';
}

/**
 * A database error caused by the input rather than by us: data exceptions (class 22: out of range, bad syntax,
 * untranslatable characters) and program limits (54: too long for an index, too complex). Validation at the edge
 * should catch these first; this keeps any that slip through a clear 400 rather than a 500.
 */
function databaseInputError(error: Error, req: FastifyRequest): AppError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^(22|54)[0-9A-Z]{3}$/.test(code)) return undefined;
  return new AppError('request.invalid_value', 400, 'A value in the request is out of range or not acceptable', {
    field: fieldHolding(req, error.message),
  });
}

function toAppError(error: FastifyError | Error, req: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  const fromDatabase = databaseInputError(error, req);
  if (fromDatabase) return fromDatabase;
  if (error instanceof ValidationFailure) {
    const first = error.issues[0];
    return new AppError('validation.failed', 400, error.message, {
      field: first?.field ?? '/',
      issues: error.issues,
    });
  }
  const fe = error as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('request.too_large', 413, 'The request body is larger than this server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('request.unsupported_media_type', 415, 'Send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('request.empty_body', 400, 'The JSON body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('request.bad_content_length', 400, 'Content-Length does not match the body');
  }
  if (error instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new AppError('request.malformed_json', 400, 'The body is not valid JSON');
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new AppError('request.too_complex', 400, 'The request nests too deeply');
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('request.invalid', fe.statusCode, fe.message);
  }
  return new AppError('internal', 500, 'Internal error; the request id identifies it in the server log');
}

/** Builds a Fastify app for one zone, with everything but the zone's own routes. */
export async function createHttpApp(options: HttpOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: options.log.child({ zone: options.zone }),
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy,
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    schemaErrorFormatter: (errors, part) => new ValidationFailure(part, errors),
    routerOptions: { querystringParser: parseQuery },
    // The router's own refusals (bad percent-encoding, …) answer in our envelope like every other error.
    frameworkErrors: (error, req, reply) => {
      const appError =
        error.code === 'FST_ERR_BAD_URL'
          ? new AppError('request.bad_url', 400, 'The URL is not valid (bad percent-encoding)')
          : toAppError(error, req);
      reply.header('x-request-id', req.id);
      const body = { error: { code: appError.code, message: appError.message }, requestId: req.id };
      return (reply as unknown as FastifyReply).status(appError.status).send(body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // Every number a schema accepts is bounded (integers to the safe range, numbers finite) unless it says more.
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : textAjv).compile(boundNumbers(schema) as object),
  );

  // JSON bodies go through the input rules (depth, NUL, lone surrogates, finite numbers, no __proto__).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  // Path and query values follow the same rules, for every route, whether or not it declares a schema.
  app.addHook('preValidation', async (req) => {
    const params = findInputProblem(req.params, '');
    if (params) throw inputError(params, 'params');
    if ((req.query as Record<symbol, unknown>)[MALFORMED_QUERY]) {
      throw new AppError('request.bad_url', 400, 'The query string is not valid (bad percent-encoding)');
    }
    assertInput(req.query, 'querystring');
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
  });

  // Every answer counted and timed, by route pattern and, for errors, our error code (read from the envelope).
  const errorCodes = new WeakMap<FastifyRequest, string>();
  if (options.metrics) {
    const metrics = options.metrics;
    app.addHook('onSend', async (req, reply, payload) => {
      if (reply.statusCode >= 400 && typeof payload === 'string' && payload.startsWith('{"error"')) {
        const code = /^\{"error":\{"code":"([^"]{1,80})"/.exec(payload)?.[1];
        if (code) errorCodes.set(req, code);
      }
      return payload;
    });
    app.addHook('onResponse', async (req, reply) => {
      metrics.observeRequest({
        zone: options.zone,
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        code: errorCodes.get(req) ?? '',
        seconds: reply.elapsedTime / 1000,
      });
    });
  }

  app.setErrorHandler((error, req, reply) => {
    const appError = toAppError(error as FastifyError, req);
    if (appError.status >= 500) req.log.error({ err: error }, 'request failed');
    else req.log.info({ code: appError.code, status: appError.status }, appError.message);
    const body: Record<string, unknown> = { code: appError.code, message: appError.message };
    if (appError.details) body.details = appError.details;
    if (appError.status === 429 && typeof appError.details?.retryAfterSeconds === 'number') {
      reply.header('retry-after', String(appError.details.retryAfterSeconds));
    }
    return reply.status(appError.status).send({ error: body, requestId: req.id });
  });

  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      error: { code: 'route.not_found', message: `No route ${req.method} ${req.url.split('?')[0]} on this listener` },
      requestId: req.id,
    }),
  );

  await app.register(cookie);
  app.addSchema(ErrorResponse);
  // Every operation gets a stable, verb-first operationId from its method and path, unless it names its own.
  const operationIds = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (route.method === 'HEAD' || (route.schema as { hide?: boolean } | undefined)?.hide) return;
    const schema = (route.schema ?? {}) as { operationId?: string };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    schema.operationId ??= operationIdOf(String(methods[0]), route.url);
    if (operationIds.has(schema.operationId)) {
      throw new Error(`two routes of the ${options.zone} zone have the operationId ${schema.operationId}`);
    }
    operationIds.add(schema.operationId);
    route.schema = schema as typeof route.schema;
  });
  await app.register(swagger, {
    openapi: openApiDocument(options.zone, options.version, options.serverUrl ?? '/') as never,
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });

  const Health = Type.Object({ status: Type.String(), zone: Type.String() });
  app.get('/healthz', { schema: { hide: true, response: { 200: Health } } }, async () => ({
    status: 'ok',
    zone: options.zone,
  }));
  app.get('/readyz', { schema: { hide: true, response: { 200: Health, 503: Health } } }, async (_req, reply) => {
    try {
      await options.ready();
      return { status: 'ready', zone: options.zone };
    } catch {
      return reply.status(503).send({ status: 'unavailable', zone: options.zone });
    }
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
