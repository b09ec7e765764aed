// Export of a register's current records as CSV, XLSX or JSON, streamed page by page (memory stays flat). Headers
// are the data items' names, so an exported CSV or XLSX imports back unchanged. Every export is a ledger entry.
import { PassThrough, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { notFound } from '../../platform/errors.ts';
import type { StaffActor } from '../org/index.ts';
import { maskValue } from '../privacy/index.ts';
import { canReadRecords, canWriteRecords } from './registry.policy.ts';
import type { Field, Metadata } from './registry.schemas.ts';
import { actorId, type RegistryDeps } from './registry.service.ts';
import * as store from './registry.store.ts';

export type ExportFormat = 'csv' | 'xlsx' | 'json';
export const EXPORT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

const PAGE = 5000;

async function* pages(deps: RegistryDeps, registerId: number): AsyncGenerator<store.RecordRow[]> {
  for (let after = 0; ; ) {
    const rows = await deps.db.read((tx) =>
      store.findRecordPage(tx, { registerId, after, limit: PAGE, includeDeleted: false }),
    );
    if (rows.length === 0) return;
    yield rows;
    after = rows.at(-1)?.id ?? after;
    if (rows.length < PAGE) return;
  }
}

const cell = (value: unknown) =>
  value === undefined || value === null ? '' : typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);

/** Checks access, records the export in the ledger, and returns the file as a stream. */
export async function exportRecords(
  deps: RegistryDeps,
  actor: StaffActor | 'system',
  code: string,
  format: ExportFormat,
): Promise<Readable> {
  const masks = (providerDepartmentId: number) => actor !== 'system' && !canWriteRecords(actor, providerDepartmentId);
  const register = await deps.db.transaction(async (tx) => {
    const row = await store.findRegisterByCode(tx, code);
    if (!row || (actor !== 'system' && !canReadRecords(actor, row.department_id))) throw notFound('register');
    await deps.ledger.append(tx, {
      type: 'registry.records.exported',
      actor: actorId(actor),
      subject: `register:${code}`,
      payload: { register: code, format, masked: masks(row.department_id) },
      readers: actor === 'system' ? [] : [actorId(actor)],
    });
    return row;
  });
  const fields: readonly Field[] = (register.metadata as Metadata).fields;
  // Only the provider's data officers export personal data as held; everyone else (auditors, admins, other staff of
  // the provider) gets it masked by type, as it would leave through the exchange.
  const personal = masks(register.department_id) ? fields.filter((f) => f.piiType !== 'none') : [];
  const view = (data: Record<string, unknown>): Record<string, unknown> => {
    if (personal.length === 0) return data;
    const out = { ...data };
    for (const f of personal) if (out[f.code] !== undefined) out[f.code] = maskValue(f.piiType, out[f.code]);
    return out;
  };
  const out = new PassThrough();
  const fail = (e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e)));

  if (format === 'csv') {
    const csv = stringify({ header: true, columns: fields.map((f) => ({ key: f.code, header: f.name })), bom: true });
    csv.pipe(out);
    (async () => {
      for await (const rows of pages(deps, register.id)) {
        for (const r of rows) {
          const data = view(r.data as Record<string, unknown>);
          if (!csv.write(Object.fromEntries(fields.map((f) => [f.code, cell(data[f.code])]))))
            await new Promise((ok) => csv.once('drain', ok));
        }
      }
      csv.end();
    })().catch(fail);
  } else if (format === 'xlsx') {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet(code);
    sheet.columns = fields.map((f) => ({ header: f.name, key: f.code }));
    (async () => {
      for await (const rows of pages(deps, register.id)) {
        for (const r of rows)
          sheet
            .addRow(
              Object.fromEntries(fields.map((f) => [f.code, view(r.data as Record<string, unknown>)[f.code] ?? null])),
            )
            .commit();
      }
      sheet.commit();
      await workbook.commit();
    })().catch(fail);
  } else {
    (async () => {
      out.write('[');
      let first = true;
      for await (const rows of pages(deps, register.id)) {
        for (const r of rows) {
          const ok = out.write(
            `${first ? '' : ','}\n${JSON.stringify({ id: r.id, version: r.version, data: view(r.data as Record<string, unknown>) })}`,
          );
          first = false;
          if (!ok) await new Promise((resume) => out.once('drain', resume));
        }
      }
      out.end('\n]\n');
    })().catch(fail);
  }
  return out;
}
