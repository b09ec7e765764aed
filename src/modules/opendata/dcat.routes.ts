// DCAT-AP 3 on the public listener: /catalog.ttl, .jsonld and .rdf (Hydra paging, ?modified_since=), and one dataset
// at /dataset/{name}.ttl|.jsonld|.rdf, for the national portals' harvesters.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http.ts';
import { catalogQuads, toJsonLd, toRdfXml, toTurtle } from './dcat.ts';
import * as service from './opendata.service.ts';

const PER_PAGE = 100;

async function send(reply: FastifyReply, format: 'ttl' | 'jsonld' | 'rdf', quads: Parameters<typeof toTurtle>[0]) {
  if (format === 'ttl') return reply.type('text/turtle; charset=utf-8').send(await toTurtle(quads));
  if (format === 'rdf') return reply.type('application/rdf+xml; charset=utf-8').send(toRdfXml(quads));
  return reply.type('application/ld+json; charset=utf-8').send(JSON.stringify(toJsonLd(quads)));
}

const siteOf = (req: FastifyRequest) => ({ baseUrl: `${req.protocol}://${req.host}` });

export async function dcatRoutes(app: App, opts: { deps: service.OpendataDeps; title: string }): Promise<void> {
  const { deps, title } = opts;
  for (const format of ['ttl', 'jsonld', 'rdf'] as const) {
    app.get(`/catalog.${format}`, { schema: { hide: true } }, async (req, reply) => {
      const query = req.query as { page?: string; modified_since?: string };
      const page = /^\d{1,6}$/.test(query.page ?? '1') ? Math.max(1, Number(query.page ?? '1')) : NaN;
      const since = query.modified_since ? Date.parse(query.modified_since) : undefined;
      if (Number.isNaN(page) || (since !== undefined && Number.isNaN(since))) {
        return reply
          .status(400)
          .type('text/plain; charset=utf-8')
          .send('page must be a number and modified_since a date');
      }
      const all = (await service.activeDatasets(deps.db))
        .filter((d) => since === undefined || d.dataset.modified_at.getTime() >= since)
        .sort((x, y) => x.dataset.id - y.dataset.id);
      const datasets = all.slice((page - 1) * PER_PAGE, page * PER_PAGE);
      return send(
        reply,
        format,
        catalogQuads(siteOf(req), title, { datasets, page, perPage: PER_PAGE, total: all.length }),
      );
    });
    app.get(`/dataset/:name.${format}`, { schema: { hide: true } }, async (req, reply) => {
      const { name } = req.params as { name: string };
      const found = /^[a-z0-9][a-z0-9_-]{1,99}$/.test(name) ? await service.findDataset(deps.db, name) : undefined;
      if (found?.dataset.state !== 'active') {
        return reply.status(404).type('text/plain; charset=utf-8').send('No such dataset');
      }
      return send(
        reply,
        format,
        catalogQuads(siteOf(req), title, { datasets: [found], page: 1, perPage: 1, total: 1 }),
      );
    });
  }
}
