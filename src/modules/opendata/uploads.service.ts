// Datasets made from uploaded files (CSV, XLSX, JSON): a file is staged first (its rows kept as text, its dictionary
// inferred) for the publisher to check; publishing from it — or releasing a dataset's next version from it — types
// every row by the dictionary the publisher confirmed, and publishes nothing if any row or field does not fit.
import type { Buffer } from 'node:buffer';
import type { Db, Tx } from '../../platform/db.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { TableSchema } from './dictionary.ts';
import type { DictionaryInput, PublishUpload, ReleaseVersion } from './opendata.schemas.ts';
import {
  type Actor,
  afterRelease,
  canPublish,
  checkVocabulary,
  type DatasetView,
  describedBy,
  type OpendataDeps,
  readersOf,
  releaseRows,
  staffId,
} from './opendata.service.ts';
import * as store from './opendata.store.ts';
import * as uploads from './uploads.store.ts';
import {
  type InferredField,
  inferSchema,
  type ParsedUpload,
  parseUpload,
  typedRows,
  type UploadEncoding,
  type UploadFormat,
} from './uploads.ts';

const DAY = 86_400_000;

function uploadView(u: uploads.UploadRow, sample: ReadonlyArray<{ cells: readonly string[] }>) {
  return {
    id: u.id,
    departmentId: u.department_id,
    filename: u.filename,
    format: u.format,
    rowCount: u.row_count,
    header: u.header,
    dictionary: u.schema as { fields: InferredField[]; primaryKey?: string[] },
    sample: sample.map((r) => [...r.cells]),
    expiresAt: u.expires_at.toISOString(),
  };
}

/** Reads a file, infers its dictionary and stages both for the department's publisher (for a day). */
export async function stageUpload(
  deps: OpendataDeps,
  actor: Actor,
  file: { departmentId: number; filename: string; format: UploadFormat; encoding: UploadEncoding; bytes: Buffer },
) {
  if (!canPublish(actor, file.departmentId)) throw notFound('department');
  const parsed = await parseUpload(file.bytes, file.format, file.encoding);
  const schema = inferSchema(parsed);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    await uploads.deleteExpiredUploads(tx, now);
    const id = await uploads.insertUpload(
      tx,
      {
        department_id: file.departmentId,
        created_by: staffId(actor),
        filename: file.filename,
        format: file.format,
        header: [...parsed.header],
        schema,
        row_count: parsed.rows.length,
        created_at: now,
        expires_at: new Date(now.getTime() + DAY),
      },
      parsed.rows,
    );
    const staged = await uploads.findUpload(tx, id, now);
    if (!staged) throw notFound('upload');
    return uploadView(staged, parsed.rows.slice(0, 10));
  });
}

async function ownUpload(tx: Tx, actor: Actor, id: string, now: Date) {
  const u = await uploads.findUpload(tx, id, now);
  if (!u || !canPublish(actor, u.department_id)) throw notFound('upload');
  return u;
}

export function getUpload(deps: { db: Db; clock: () => Date }, actor: Actor, id: string) {
  return deps.db.read(async (tx) => {
    const u = await ownUpload(tx, actor, id, deps.clock());
    return uploadView(u, await uploads.uploadRows(tx, id, 10));
  });
}

/**
 * The dictionary to publish: the confirmed one, checked against the file (its columns exist, names are distinct,
 * personal columns stay home), with the file's column of each field.
 */
function confirmDictionary(
  staged: uploads.UploadRow,
  input: DictionaryInput | undefined,
): { schema: TableSchema; columns: number[]; confirmed: string[] } {
  const inferred = staged.schema as { fields: InferredField[]; primaryKey?: string[] };
  const fields = input?.fields ?? inferred.fields.filter((f) => !f.piiType);
  if (fields.length === 0)
    throw invalid('/dictionary/fields', 'No column of the file may be opened', 'opendata.no_fields');
  const columns: number[] = [];
  const confirmed: string[] = [];
  fields.forEach((f, i) => {
    const column = staged.header.indexOf(f.source);
    if (column < 0) {
      throw invalid(`/dictionary/fields/${i}/source`, `The file has no column '${f.source}'`, 'opendata.unknown_field');
    }
    if (fields.findIndex((g) => g.name === f.name) !== i) {
      throw invalid(`/dictionary/fields/${i}/name`, `'${f.name}' names two fields`, 'opendata.duplicate_field');
    }
    const pii = inferred.fields.find((g) => g.source === f.source)?.piiType;
    const notPersonal = 'notPersonal' in f && f.notPersonal === true;
    if (pii === 'resident_id' || (pii === 'phone' && !notPersonal)) {
      throw invalid(
        `/dictionary/fields/${i}`,
        `'${f.source}' may not be opened: its values look like personal information (${pii})`,
        'opendata.field_closed',
      );
    }
    if (pii === 'phone') confirmed.push(f.name);
    columns.push(column);
  });
  const schema: TableSchema = {
    fields: fields.map((f) => ({
      name: f.name,
      title: f.title,
      type: f.type as TableSchema['fields'][number]['type'],
      ...('description' in f && f.description ? { description: f.description } : {}),
      ...('unit' in f && f.unit ? { unit: f.unit } : {}),
      ...(f.constraints && Object.keys(f.constraints).length ? { constraints: f.constraints } : {}),
    })),
  };
  const key = input ? input.primaryKey : inferred.primaryKey?.filter((k) => schema.fields.some((f) => f.name === k));
  if (key?.length) {
    const field = schema.fields.find((f) => f.name === key[0]);
    if (!field) throw invalid('/dictionary/primaryKey/0', `No field is named '${key[0]}'`, 'opendata.unknown_field');
    return {
      schema: {
        fields: schema.fields.map((f) =>
          f === field ? { ...f, constraints: { ...f.constraints, required: true, unique: true } } : f,
        ),
        primaryKey: [field.name],
      },
      columns,
      confirmed,
    };
  }
  return { schema, columns, confirmed };
}

async function stagedRows(tx: Tx, staged: uploads.UploadRow): Promise<ParsedUpload> {
  return { header: staged.header, rows: await uploads.uploadRows(tx, staged.id) };
}

/** Publishes a staged upload as a new dataset with its first version; the upload is used up. */
export function publishFromUpload(deps: OpendataDeps, actor: Actor, input: PublishUpload): Promise<DatasetView> {
  checkVocabulary(input);
  return afterRelease(
    deps,
    deps.db.transaction(async (tx) => {
      const now = deps.clock();
      const staged = await ownUpload(tx, actor, input.upload, now);
      const { schema, columns, confirmed } = confirmDictionary(staged, input.dictionary);
      const rows = typedRows(await stagedRows(tx, staged), schema, columns);
      const id = await store.insertDataset(tx, {
        ...describedBy(input),
        department_id: staged.department_id,
        register_id: null,
        access: input.access,
        title: input.title,
        update_cycle: input.updateCycle,
        fields: schema.fields.map((f) => f.name),
        created_at: now,
        modified_at: now,
      });
      if (id === undefined) throw conflict('opendata.name_taken', `A dataset named '${input.name}' exists`);
      const created = await store.findDatasetById(tx, id);
      if (!created) throw notFound('dataset');
      await deps.ledger.append(tx, {
        type: 'opendata.dataset.published',
        actor: staffId(actor),
        subject: `dataset:${created.uuid}`,
        payload: {
          name: created.name,
          file: staged.filename,
          access: created.access,
          fields: created.fields,
          ...(confirmed.length ? { confirmedNotPersonal: confirmed } : {}),
        },
        readers: readersOf(actor),
      });
      await releaseRows(deps, tx, staffId(actor), created, schema, rows, null);
      await uploads.deleteUpload(tx, staged.id);
      const published = await store.findDatasetById(tx, id);
      return { dataset: published ?? created, versions: await store.findVersions(tx, [id]) };
    }),
  );
}

/**
 * Releases a file-made dataset's next version from a staged upload of the same department. Without a dictionary,
 * the current version's is kept when the file still has its columns (names, units and descriptions stay as edited).
 */
export function releaseFromUpload(
  deps: OpendataDeps,
  actor: Actor,
  name: string,
  input: ReleaseVersion & { upload: string },
): Promise<DatasetView> {
  return afterRelease(
    deps,
    deps.db.transaction(async (tx) => {
      const dataset = await store.findDataset(tx, name);
      if (!dataset || !canPublish(actor, dataset.department_id)) throw notFound('dataset');
      if (dataset.state !== 'active') throw conflict('opendata.withdrawn', 'This dataset was withdrawn');
      if (dataset.register_id !== null) {
        throw conflict('opendata.from_register', "This dataset's versions come from its register, not from files");
      }
      const staged = await ownUpload(tx, actor, input.upload, deps.clock());
      if (staged.department_id !== dataset.department_id) throw notFound('upload');
      const current = (await store.findVersions(tx, [dataset.id])).at(-1);
      const kept = current?.schema as (TableSchema & { fields: Array<TableSchema['fields'][number]> }) | undefined;
      if (!input.dictionary && !kept?.fields.every((f) => staged.header.includes(f.title))) {
        throw invalid(
          '/dictionary',
          "The file's columns are not the current version's titles: send the dictionary for this version",
          'opendata.dictionary_needed',
        );
      }
      // The current version's fields were confirmed when it was published.
      const reuse =
        input.dictionary ??
        (kept && {
          fields: kept.fields.map((f) => ({ ...f, source: f.title, notPersonal: true })),
          ...(kept.primaryKey ? { primaryKey: [...kept.primaryKey] } : {}),
        });
      const { schema, columns } = confirmDictionary(staged, reuse as DictionaryInput | undefined);
      const rows = typedRows(await stagedRows(tx, staged), schema, columns);
      await releaseRows(deps, tx, staffId(actor), dataset, schema, rows, input.note ?? null);
      await uploads.deleteUpload(tx, staged.id);
      const after = await store.findDatasetById(tx, dataset.id);
      return { dataset: after ?? dataset, versions: await store.findVersions(tx, [dataset.id]) };
    }),
  );
}
