// The open-data vocabulary (licences, themes) and the workbench API's shapes.
import { type Static, Type } from 'typebox';

/** Licences a dataset may carry (CKAN's license_list); ids as opendefinition.org has them. */
export const LICENCES = [
  {
    id: 'cc-by-4.0',
    title: '知识共享署名 4.0 (CC BY 4.0)',
    url: 'https://creativecommons.org/licenses/by/4.0/',
    od_conformance: 'approved',
  },
  {
    id: 'cc-by-sa-4.0',
    title: '知识共享署名-相同方式共享 4.0 (CC BY-SA 4.0)',
    url: 'https://creativecommons.org/licenses/by-sa/4.0/',
    od_conformance: 'approved',
  },
  {
    id: 'cc-zero',
    title: '知识共享零 (CC0 1.0)',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
    od_conformance: 'approved',
  },
  {
    id: 'odc-by',
    title: '开放数据共享署名许可 (ODC-By)',
    url: 'https://opendatacommons.org/licenses/by/1-0/',
    od_conformance: 'approved',
  },
  {
    id: 'gov-open-agreement',
    title: '政府数据开放利用协议（有条件开放）',
    url: '',
    od_conformance: 'not reviewed',
  },
] as const;

/** The themes (CKAN's groups) of the national open-data catalogues. */
export const THEMES = [
  { name: 'economy', title: '经济建设' },
  { name: 'credit', title: '信用服务' },
  { name: 'finance', title: '财税金融' },
  { name: 'transport', title: '交通运输' },
  { name: 'education', title: '教育文化' },
  { name: 'health', title: '医疗卫生' },
  { name: 'employment', title: '社保就业' },
  { name: 'housing', title: '城建住房' },
  { name: 'environment', title: '生态环境' },
  { name: 'safety', title: '公共安全' },
  { name: 'agriculture', title: '农业农村' },
  { name: 'government', title: '机构团体' },
] as const;

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
