// The catalogue as DCAT-AP 3, validated against the DCAT-AP 3.0.1 SHACL shapes (kept in test/fixtures with their
// source and licence) with rdf-validate-shacl.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Parser, type Quad, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import {
  buildDepartment,
  ENGINE,
  registerInput,
  staffSession,
  startTestPlatform,
  systemDeps,
} from '../../../test/helpers.ts';
import { createRecord, createRegister } from '../registry/index.ts';

const p = await startTestPlatform();
const sys = systemDeps(p);
const dept = await buildDepartment(p);
const officer = await staffSession(p, ['data_officer'], dept.id);
for (const [name, open, item] of [
  ['parking-lots', 'open', '001'],
  ['grid-load', 'conditional', '002'],
] as const) {
  const reg = await createRegister(sys, 'system', {
    ...registerInput(dept.id),
    name,
    attribute: 'departmental',
    baseLibrary: undefined,
    classification: { item: '08', subitem: item },
    open: open === 'open' ? { type: 'open' } : { type: 'conditional', conditions: '用于研究' },
    fields: [
      { code: 'label', name: '名称', type: 'string', required: true, unique: true, grade: 'general', piiType: 'none' },
    ],
  } as never);
  await createRecord(sys, 'system', reg.code, { label: 'A' });
  const res = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/opendata/datasets',
    headers: officer.login.headers,
    payload: {
      register: reg.code,
      name,
      theme: 'transport',
      licenseId: 'cc-by-4.0',
      tags: ['停车'],
      temporalStart: '2026-01-01',
      contact: '数据管理处 022-12345678',
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  await createRecord(sys, 'system', reg.code, { label: 'B' });
  const v2 = await p.internal.inject({
    method: 'POST',
    url: `/api/v1/opendata/datasets/${name}/versions`,
    headers: officer.login.headers,
    payload: {},
  });
  assert.equal(v2.statusCode, 201, v2.body);
}

const shapes = new Store(
  new Parser().parse(readFileSync(new URL('../../../test/fixtures/dcat-ap-3.0.1-shapes.ttl', import.meta.url), 'utf8')),
);

async function violations(turtle: string): Promise<string[]> {
  const data = new Store(new Parser().parse(turtle));
  const report = await new SHACLValidator(shapes).validate(data);
  return report.results.map(
    (r) => `${r.focusNode?.value} ${r.path?.value}: ${r.message.map((m) => m.value).join(' ')}`,
  );
}

test(`[${ENGINE}] /catalog.ttl conforms to the DCAT-AP 3 shapes; versions, checksums and access rights are there`, async () => {
  const res = await p.public.inject({ url: '/catalog.ttl' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /text\/turtle/);
  assert.deepEqual(await violations(res.body), []);
  const store = new Store(new Parser().parse(res.body));
  const count = (p: string, o?: string) => store.getQuads(null, p, o ?? null, null).length;
  assert.equal(count('http://www.w3.org/ns/dcat#dataset'), 2);
  assert.equal(count('http://www.w3.org/ns/dcat#hasVersion'), 2, 'each dataset links its earlier version');
  assert.equal(count('http://spdx.org/rdf/terms#checksumValue'), 4, 'a SHA-256 per version');
  assert.equal(
    count(
      'http://purl.org/dc/terms/accessRights',
      'http://publications.europa.eu/resource/authority/access-right/RESTRICTED',
    ),
    1,
  );
  assert.match(res.body, /"停车"@zh/);
  // Each distribution conforms to its version's data dictionary, which is served as a Table Schema.
  const standards = store.getQuads(null, 'http://purl.org/dc/terms/conformsTo', null, null);
  assert.equal(standards.length, 16, 'four files × two versions × two datasets');
  const schemaUrl = new URL(standards[0]?.object.value ?? '');
  const schema = await p.public.inject({ url: schemaUrl.pathname });
  assert.equal(schema.statusCode, 200);
  assert.deepEqual(
    schema.json().fields.map((f: { name: string }) => f.name),
    ['label'],
  );
  // The shapes do bite: a dataset without its description, a distribution without its access URL.
  const broken = new Store(new Parser().parse(res.body));
  for (const pred of ['http://purl.org/dc/terms/description', 'http://www.w3.org/ns/dcat#accessURL']) {
    for (const q of broken.getQuads(null, pred, null, null)) broken.removeQuad(q);
  }
  const report = await new SHACLValidator(shapes).validate(broken);
  assert.equal(report.conforms, false);
  const paths = new Set(report.results.map((r) => r.path?.value));
  assert.ok(
    paths.has('http://purl.org/dc/terms/description') && paths.has('http://www.w3.org/ns/dcat#accessURL'),
    [...paths].join(),
  );
});

test(`[${ENGINE}] /catalog.rdf is the same graph in RDF/XML (read back by an RDF/XML parser) and conforms too`, async () => {
  const ttl = new Store(new Parser().parse((await p.public.inject({ url: '/catalog.ttl' })).body));
  const res = await p.public.inject({ url: '/catalog.rdf' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /application\/rdf\+xml/);
  const quads = await new Promise<Quad[]>((resolve, reject) => {
    const out: Quad[] = [];
    const parser = new RdfXmlParser();
    parser
      .on('data', (q: Quad) => out.push(q))
      .on('error', reject)
      .on('end', () => resolve(out));
    parser.end(res.body);
  });
  const fromXml = new Store(quads);
  assert.equal(fromXml.size, ttl.size);
  // The same triples, blank nodes aside (their labels are the writer's own).
  const ground = (s: Store) =>
    s
      .getQuads(null, null, null, null)
      .filter((q) => q.subject.termType !== 'BlankNode' && q.object.termType !== 'BlankNode')
      .map(
        (q) =>
          `${q.subject.value} ${q.predicate.value} ${q.object.termType}:${q.object.value}@${'language' in q.object ? q.object.language : ''}`,
      )
      .sort();
  assert.deepEqual(ground(fromXml), ground(ttl));
  const report = await new SHACLValidator(shapes).validate(fromXml);
  assert.equal(report.conforms, true);
  assert.match(
    (await p.public.inject({ url: '/dataset/parking-lots.rdf' })).body,
    /<dcat:Dataset|rdf:about="[^"]+\/dataset\/parking-lots"/,
  );
});

test(`[${ENGINE}] one dataset as Turtle and JSON-LD; paging and modified_since; bad parameters are 400`, async () => {
  const one = await p.public.inject({ url: '/dataset/parking-lots.ttl' });
  assert.equal(one.statusCode, 200);
  assert.deepEqual(await violations(one.body), []);
  const ld = await p.public.inject({ url: '/dataset/parking-lots.jsonld' });
  const graph = ld.json()['@graph'] as Array<{ '@id': string; '@type'?: string[] }>;
  assert.ok(
    graph.some(
      (n) => n['@id'].endsWith('/dataset/parking-lots') && n['@type']?.includes('http://www.w3.org/ns/dcat#Dataset'),
    ),
  );
  assert.equal((await p.public.inject({ url: '/dataset/nope.ttl' })).statusCode, 404);
  const future = await p.public.inject({ url: '/catalog.jsonld?modified_since=2999-01-01T00:00:00Z' });
  assert.equal(JSON.stringify(future.json()).includes('/dataset/parking-lots'), false);
  assert.equal((await p.public.inject({ url: '/catalog.ttl?page=x' })).statusCode, 400);
  assert.equal((await p.public.inject({ url: '/catalog.ttl?modified_since=yesterday' })).statusCode, 400);
  assert.match((await p.public.inject({ url: '/catalog.ttl?page=1' })).body, /hydra#totalItems|hydra:totalItems/);
});
