// A small open dataset the opendata tests share: 公交站点 (bus-stops), 25 records of every field type — text with a
// comma and quotes, integers, decimals with gaps, dates, booleans — published by its department's data officer.
import assert from 'node:assert/strict';
import { createRecord, createRegister } from '../src/modules/registry/index.ts';
import { buildDepartment, registerInput, staffSession, systemDeps, type TestPlatform } from './helpers.ts';

export async function publishBusStops(p: TestPlatform) {
  const sys = systemDeps(p);
  const jt = await buildDepartment(p);
  const officer = await staffSession(p, ['data_officer'], jt.id);
  const stops = await createRegister(sys, 'system', {
    ...registerInput(jt.id),
    name: '公交站点',
    attribute: 'departmental',
    baseLibrary: undefined,
    classification: { item: '05', subitem: '002' },
    open: { type: 'open' },
    fields: [
      {
        code: 'stop_id',
        name: '站点编号',
        type: 'string',
        required: true,
        unique: true,
        grade: 'general',
        piiType: 'none',
      },
      { code: 'stop_name', name: '站点名称', type: 'string', required: true, grade: 'general', piiType: 'none' },
      { code: 'lines', name: '途经线路数', type: 'integer', grade: 'general', piiType: 'none' },
      { code: 'fare', name: '票价', type: 'decimal', grade: 'general', piiType: 'none' },
      { code: 'opened', name: '启用日期', type: 'date', grade: 'general', piiType: 'none' },
      { code: 'shelter', name: '有候车亭', type: 'boolean', grade: 'general', piiType: 'none' },
    ],
  } as never);
  for (let i = 1; i <= 25; i++) {
    await createRecord(sys, 'system', stops.code, {
      stop_id: `S${String(i).padStart(3, '0')}`,
      stop_name: i === 7 ? '鼓楼, "北"站' : `站点${i}`,
      lines: i % 5,
      ...(i % 4 ? { fare: 1.5 + i / 10 } : {}),
      opened: `2020-01-${String(i).padStart(2, '0')}`,
      shelter: i % 2 === 0,
    });
  }
  const published = await p.internal.inject({
    method: 'POST',
    url: '/api/v1/opendata/datasets',
    headers: officer.login.headers,
    payload: { register: stops.code, name: 'bus-stops', title: '公交站点', theme: 'transport', licenseId: 'cc-by-4.0' },
  });
  assert.equal(published.statusCode, 201, published.body);
  return { department: jt, officer, register: stops, dataset: published.json() };
}
