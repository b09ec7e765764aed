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

export const ReleaseVersion = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
export const Withdraw = Type.Object({ reason: Text(1000) }, { additionalProperties: false });
export const NameParams = Type.Object({ name: Slug }, { additionalProperties: false });

const Version = Type.Object({
  version: Type.Integer(),
  rowCount: Type.Integer(),
  sha256: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  receiptId: Type.String(),
  createdAt: Type.String(),
  fields: Type.Array(Type.Object({ name: Type.String(), title: Type.String(), type: Type.String() })),
});

export const DatasetSummary = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    title: Type.String(),
    departmentId: Type.Integer(),
    access: Type.Union([Type.Literal('open'), Type.Literal('conditional')]),
    state: Type.Union([Type.Literal('active'), Type.Literal('withdrawn')]),
    theme: Type.String(),
    licenseId: Type.String(),
    version: Type.Integer(),
    modifiedAt: Type.String(),
    versions: Type.Array(Version),
  },
  { $id: 'DatasetSummary' },
);
