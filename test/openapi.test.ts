// The three OpenAPI documents are for tools: Redocly's recommended rules find no error in them (operationIds,
// security schemes, servers, licence, responses…), every operation has a stable verb-first operationId, and no
// response is left untyped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { operationIdOf } from '../src/platform/openapi.ts';
import { ENGINE, startTestPlatform } from './helpers.ts';

const p = await startTestPlatform();
const config = await createConfig({ extends: ['recommended'] });

for (const zone of ['public', 'internal', 'exchange'] as const) {
  test(`[${ENGINE}] the ${zone} zone's OpenAPI document passes redocly's recommended rules with no error`, async () => {
    const source = (await p[zone].inject({ url: '/openapi.json' })).body;
    const problems = await lintFromString({ source, absoluteRef: `${zone}.openapi.json`, config });
    const errors = problems
      .filter((x) => x.severity === 'error')
      .map((x) => `${x.ruleId}: ${x.message} at ${x.location?.[0]?.pointer ?? '?'}`);
    assert.deepEqual(errors, []);

    const doc = JSON.parse(source) as {
      paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    assert.ok(Object.keys(doc.components.securitySchemes).length > 0, 'security schemes are declared');
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        assert.match(op.operationId ?? '', /^(list|get|create|update|delete|[a-z]+)[A-Z]\w*$/, `${method} ${path}`);
        // A redirect (303) is the answer of the sign-in's start.
        const ok = op.responses['200'] ?? op.responses['201'] ?? op.responses['204'] ?? op.responses['303'];
        assert.ok(ok, `${method} ${path} declares its answer`);
        const schema = JSON.stringify(ok);
        const described = schema === '{"description":"Default Response"}' || schema.includes('"schema"');
        assert.ok(described || (ok === op.responses['303'] && schema.includes('"location"')), `${method} ${path}`);
        assert.ok(!/"schema":\{\}/.test(schema), `${method} ${path}: an untyped response`);
      }
    }
  });
}

test('operationIds are derived from method and path, verb first', () => {
  assert.equal(operationIdOf('GET', '/api/v1/registry/registers/:code/records'), 'listRegistryRegistersRecords');
  assert.equal(operationIdOf('GET', '/api/v1/registry/registers/:code/records/:id'), 'getRegistryRegistersRecords');
  assert.equal(operationIdOf('POST', '/api/v1/services/manage/items/:code/publish'), 'publishServicesManageItems');
  assert.equal(operationIdOf('POST', '/api/v1/auth/password'), 'changeAuthPassword');
  assert.equal(operationIdOf('GET', '/api/v1/org/staff'), 'listOrgStaff');
  assert.equal(operationIdOf('DELETE', '/api/v1/search/synonyms/:id'), 'deleteSearchSynonyms');
});
