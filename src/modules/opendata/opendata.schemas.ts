// The open-data vocabulary (licences, themes) and the workbench API's shapes.
import { type Static, Type } from 'typebox';

export { LICENCES, THEMES } from './vocabulary.ts';

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,99}$', description: 'URL name (CKAN name)' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const PublishDataset = Type.Object(
  {
    register: Type.String({ pattern: '^[0-9]{6}-[0-9]{6}$', description: 'the register whose open fields are opened' }),
    name: Slug,
    title: Type.Optional(Text(200)),
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
    theme: Type.String({ maxLength: 40 }),
    tags: Type.Optional(Type.Array(Text(50), { maxItems: 30 })),
    licenseId: Type.String({ maxLength: 40 }),
    fields: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }), {
        minItems: 1,
        maxItems: 200,
        uniqueItems: true,
        description: 'default: every field that may be opened',
      }),
    ),
    spatial: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{5}$', description: 'GB/T 2260 region code' })),
    temporalStart: Type.Optional(Type.String({ format: 'date' })),
    temporalEnd: Type.Optional(Type.String({ format: 'date' })),
    contact: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);
export type PublishDataset = Static<typeof PublishDataset>;

const FieldName = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });

/** The dictionary a publisher confirms for an upload: which of the file's columns go out, named and typed how. */
export const DictionaryInput = Type.Object(
  {
    fields: Type.Array(
      Type.Object(
        {
          source: Type.String({ minLength: 1, maxLength: 200, description: "the file's column (its header)" }),
          name: FieldName,
          title: Text(100),
          type: Type.Union([
            Type.Literal('string'),
            Type.Literal('integer'),
            Type.Literal('number'),
            Type.Literal('boolean'),
            Type.Literal('date'),
            Type.Literal('datetime'),
          ]),
          description: Type.Optional(Type.String({ maxLength: 1000 })),
          unit: Type.Optional(Type.String({ maxLength: 20 })),
          constraints: Type.Optional(
            Type.Object(
              {
                required: Type.Optional(Type.Boolean()),
                unique: Type.Optional(Type.Boolean()),
                enum: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 500 })),
                minimum: Type.Optional(Type.Number()),
                maximum: Type.Optional(Type.Number()),
              },
              { additionalProperties: false },
            ),
          ),
          notPersonal: Type.Optional(
            Type.Boolean({
              description:
                'the publisher confirms a column that looks like mobile numbers holds public contact numbers, not persons’',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    primaryKey: Type.Optional(Type.Array(FieldName, { minItems: 1, maxItems: 1 })),
  },
  { additionalProperties: false },
);
export type DictionaryInput = Static<typeof DictionaryInput>;

export const ReleaseVersion = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    upload: Type.Optional(Type.String({ format: 'uuid', description: 'a dataset made from files: the staged upload' })),
    dictionary: Type.Optional(DictionaryInput),
  },
  { additionalProperties: false },
);
export type ReleaseVersion = Static<typeof ReleaseVersion>;

export const PublishUpload = Type.Object(
  {
    upload: Type.String({ format: 'uuid' }),
    name: Slug,
    title: Text(200),
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
    theme: Type.String({ maxLength: 40 }),
    tags: Type.Optional(Type.Array(Text(50), { maxItems: 30 })),
    licenseId: Type.String({ maxLength: 40 }),
    access: Type.Union([Type.Literal('open'), Type.Literal('conditional')]),
    updateCycle: Type.Union([
      Type.Literal('realtime'),
      Type.Literal('daily'),
      Type.Literal('weekly'),
      Type.Literal('monthly'),
      Type.Literal('quarterly'),
      Type.Literal('yearly'),
      Type.Literal('irregular'),
    ]),
    spatial: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{5}$', description: 'GB/T 2260 region code' })),
    temporalStart: Type.Optional(Type.String({ format: 'date' })),
    temporalEnd: Type.Optional(Type.String({ format: 'date' })),
    contact: Type.Optional(Text(200)),
    dictionary: Type.Optional(DictionaryInput),
  },
  { additionalProperties: false },
);
export type PublishUpload = Static<typeof PublishUpload>;

const InferredFieldView = Type.Object({
  source: Type.String(),
  name: Type.String(),
  title: Type.String(),
  type: Type.String(),
  constraints: Type.Optional(
    Type.Object({ required: Type.Optional(Type.Boolean()), unique: Type.Optional(Type.Boolean()) }),
  ),
  piiType: Type.Optional(Type.String()),
});

export const UploadView = Type.Object(
  {
    id: Type.String(),
    departmentId: Type.Integer(),
    filename: Type.String(),
    format: Type.String(),
    rowCount: Type.Integer(),
    header: Type.Array(Type.String()),
    dictionary: Type.Object({
      fields: Type.Array(InferredFieldView),
      primaryKey: Type.Optional(Type.Array(Type.String())),
    }),
    sample: Type.Array(Type.Array(Type.String())),
    expiresAt: Type.String(),
  },
  { $id: 'UploadView' },
);
/** A dataset's description as its publisher edits it (what is sent changes; null clears an optional one). */
export const EditDataset = Type.Object(
  {
    title: Type.Optional(Text(200)),
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
    theme: Type.Optional(Type.String({ maxLength: 40 })),
    tags: Type.Optional(Type.Array(Text(50), { maxItems: 30 })),
    licenseId: Type.Optional(Type.String({ maxLength: 40 })),
    spatial: Type.Optional(Type.Union([Type.String({ pattern: '^[1-9][0-9]{5}$' }), Type.Null()])),
    temporalStart: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
    temporalEnd: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
    contact: Type.Optional(Type.Union([Text(200), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type EditDataset = Static<typeof EditDataset>;

export const Withdraw = Type.Object({ reason: Text(1000) }, { additionalProperties: false });
export const NameParams = Type.Object({ name: Slug }, { additionalProperties: false });

const Version = Type.Object({
  version: Type.Integer(),
  rowCount: Type.Integer(),
  sha256: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  receiptId: Type.String(),
  createdAt: Type.String(),
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      title: Type.String(),
      type: Type.String(),
      unit: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
    }),
  ),
});

export const DatasetSummary = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    title: Type.String(),
    departmentId: Type.Integer(),
    access: Type.Union([Type.Literal('open'), Type.Literal('conditional')]),
    source: Type.Union([Type.Literal('register'), Type.Literal('upload')], {
      description: "where its versions come from: its register's records, or files the publisher uploads",
    }),
    state: Type.Union([Type.Literal('active'), Type.Literal('withdrawn')]),
    theme: Type.String(),
    licenseId: Type.String(),
    notes: Type.String(),
    tags: Type.Array(Type.String()),
    spatial: Type.Union([Type.String(), Type.Null()]),
    temporalStart: Type.Union([Type.String(), Type.Null()]),
    temporalEnd: Type.Union([Type.String(), Type.Null()]),
    contact: Type.Union([Type.String(), Type.Null()]),
    version: Type.Integer(),
    modifiedAt: Type.String(),
    versions: Type.Array(Version),
    usage: Type.Optional(
      Type.Object(
        { views: Type.Integer(), downloads: Type.Integer(), apiCalls: Type.Integer() },
        { description: 'for its publishers: views, downloads and API calls in all' },
      ),
    ),
  },
  { $id: 'DatasetSummary' },
);
