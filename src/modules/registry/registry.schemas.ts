// The catalog's vocabulary (政务信息资源目录编制指南; STANDARDS.md) as request and response schemas.
import { type Static, Type } from 'typebox';
import { PII_TYPES } from '../privacy/index.ts';

export const RESOURCE_ATTRIBUTES = ['basic', 'thematic', 'departmental'] as const; // 基础 / 主题 / 部门 → 类 1 / 2 / 3
export const BASE_LIBRARIES = [
  'population',
  'legal_entity',
  'natural_resources',
  'social_credit',
  'e_license',
] as const;
export const FORMATS = ['database', 'spreadsheet', 'document', 'api', 'image', 'other'] as const;
export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const; // 无条件 / 有条件 / 不予共享
export const SHARING_METHODS = ['api', 'file', 'database'] as const; // 接口 / 文件 / 数据库
/** The default open attribute (开放属性) values: 无条件开放 / 有条件开放 / 不予开放. Local practice differs, so the list is configuration (ZT_OPEN_TYPES). */
export const OPEN_TYPES = ['open', 'conditional', 'closed'] as const;
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export const FIELD_TYPES = [
  'string',
  'integer',
  'decimal',
  'date',
  'datetime',
  'boolean',
  'enum',
  'code_list',
  'file',
] as const;
export const GRADES = ['general', 'important', 'core'] as const; // 一般 / 重要 / 核心 (GB/T 43697)

export const CODE_PATTERN = '^[123][0-9]{5}([0-9]{1,4})?-[0-9]{6}$';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const Field = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'key of the value in a record' }),
    name: Text(100),
    type: Type.Enum(FIELD_TYPES),
    required: Type.Optional(Type.Boolean()),
    unique: Type.Optional(Type.Boolean()),
    pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    enumValues: Type.Optional(Type.Array(Text(100), { minItems: 1, maxItems: 500, uniqueItems: true })),
    codeList: Type.Optional(
      Type.String({ pattern: CODE_PATTERN, description: 'the register holding the allowed codes' }),
    ),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    grade: Type.Enum(GRADES),
    piiType: Type.Enum(PII_TYPES),
  },
  { additionalProperties: false },
);
export type Field = Static<typeof Field>;

const Classification = Type.Object(
  {
    item: Type.String({ pattern: '^[0-9]{2}$', description: '项' }),
    subitem: Type.String({ pattern: '^[0-9]{3}$', description: '目' }),
    detail: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '细目' })),
  },
  { additionalProperties: false },
);

const Sharing = Type.Object(
  {
    type: Type.Enum(SHARING_TYPES),
    conditions: Type.Optional(Type.String({ maxLength: 2000 })),
    method: Type.Optional(Type.Enum(SHARING_METHODS)),
    basis: Type.Optional(
      Type.String({ maxLength: 2000, description: 'legal or policy basis; required unless unconditional' }),
    ),
  },
  { additionalProperties: false },
);

const Open = Type.Object(
  {
    type: Type.String({
      pattern: '^[a-z][a-z0-9_]{0,39}$',
      description: 'one of the configured open attribute values',
    }),
    conditions: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

const metadataProperties = {
  name: Text(200),
  attribute: Type.Enum(RESOURCE_ATTRIBUTES),
  baseLibrary: Type.Optional(Type.Enum(BASE_LIBRARIES)),
  classification: Classification,
  abstract: Text(4000),
  format: Type.Enum(FORMATS),
  secrecy: Type.Enum(['non_classified', 'classified'], { description: '涉密属性; classified resources are refused' }),
  sharing: Sharing,
  open: Open,
  updateCycle: Type.Enum(UPDATE_CYCLES),
  publishedOn: Type.String({ format: 'date' }),
  relatedCodes: Type.Optional(Type.Array(Type.String({ pattern: CODE_PATTERN }), { maxItems: 50, uniqueItems: true })),
  visibility: Type.Enum(['public', 'internal'], {
    description: 'internal registers never appear in the public catalog',
  }),
  fields: Type.Array(Field, { minItems: 1, maxItems: 300 }),
};

export const CreateRegister = Type.Object(
  { departmentId: Type.Integer({ minimum: 1 }), ...metadataProperties },
  { additionalProperties: false },
);
export type CreateRegister = Static<typeof CreateRegister>;

export const Metadata = Type.Object(metadataProperties, { additionalProperties: false });
export type Metadata = Static<typeof Metadata>;

export const UpdateRegister = Type.Object(
  { expectedVersion: Type.Integer({ minimum: 1 }), ...Type.Partial(Type.Object(metadataProperties)).properties },
  { additionalProperties: false },
);
export type UpdateRegister = Static<typeof UpdateRegister>;

export const Register = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  version: Type.Integer(),
  departmentId: Type.Integer(),
  provider: Type.Object({ name: Type.String(), code: Type.String() }),
  metadata: Type.Unknown({ description: 'the catalog metadata and fields' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Register = Static<typeof Register>;

export const CatalogQuery = Type.Object(
  {
    department: Type.Optional(Type.Integer({ minimum: 1 })),
    baseLibrary: Type.Optional(Type.Enum(BASE_LIBRARIES)),
    sharingType: Type.Optional(Type.Enum(SHARING_TYPES)),
    attribute: Type.Optional(Type.Enum(RESOURCE_ATTRIBUTES)),
  },
  { additionalProperties: false },
);
export type CatalogQuery = Static<typeof CatalogQuery>;

export const CodeParams = Type.Object(
  { code: Type.String({ pattern: CODE_PATTERN }) },
  { additionalProperties: false },
);
export const RecordParams = Type.Object(
  { code: Type.String({ pattern: CODE_PATTERN }), id: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const RecordData = Type.Record(Type.String(), Type.Unknown(), { description: 'values keyed by field code' });
export const CreateRecord = Type.Object({ data: RecordData }, { additionalProperties: false });
export const UpdateRecord = Type.Object(
  { expectedVersion: Type.Integer({ minimum: 1 }), data: RecordData },
  { additionalProperties: false },
);
export const DeleteRecord = Type.Object(
  { expectedVersion: Type.Integer({ minimum: 1 }), reason: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);
export const RecordQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'keyset cursor: the last id of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    field: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'filter: field code' })),
    value: Type.Optional(Type.String({ maxLength: 500, description: 'filter: exact value of that field' })),
    includeDeleted: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const AsOfQuery = Type.Object(
  { asOf: Type.Optional(Type.String({ format: 'date-time' })) },
  { additionalProperties: false },
);

export const RecordView = Type.Object({
  id: Type.Integer(),
  version: Type.Integer(),
  data: RecordData,
  deleted: Type.Boolean(),
  deleteReason: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type RecordView = Static<typeof RecordView>;

export const RecordPage = Type.Object({
  records: Type.Array(RecordView),
  next: Type.Union([Type.Integer(), Type.Null()]),
});

export const RecordVersion = Type.Object({
  version: Type.Integer(),
  op: Type.String(),
  data: RecordData,
  reason: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  validFrom: Type.String({ format: 'date-time' }),
  validTo: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** The report of an import: what was inserted, updated, left unchanged, and every refused row with its reason. */
export const ImportReport = Type.Object({
  register: Type.String(),
  rows: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  invalid: Type.Integer(),
  committed: Type.Boolean({ description: 'false: nothing was imported (all-or-nothing and some row was refused)' }),
  errors: Type.Array(
    Type.Object({
      row: Type.Integer(),
      column: Type.String(),
      value: Type.String(),
      reason: Type.String({ description: 'in English' }),
      rule: Type.Optional(
        Type.String({ description: 'the rule broken (JSON Schema keyword, format:<name>, code_list, duplicate)' }),
      ),
      limit: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: "the rule's bound" })),
      list: Type.Optional(Type.String({ description: 'the code list a code_list value is missing from' })),
    }),
  ),
  errorsTruncated: Type.Boolean(),
  fileSha256: Type.String(),
  seconds: Type.Number(),
});

/** A register's data quality: completeness, validity and objection-free share of its records. */
export const QualityReport = Type.Object({
  register: Type.String(),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  records: Type.Integer(),
  completeness: Type.Number(),
  validity: Type.Number(),
  objectionFree: Type.Number(),
  fields: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), filled: Type.Number() })),
  invalidExamples: Type.Array(Type.Object({ recordId: Type.Integer(), field: Type.String(), message: Type.String() })),
  computedAt: Type.String({ format: 'date-time' }),
});

/** An exported file (CSV, XLSX or JSON), streamed. */
export const ExportFile = Type.String({ description: 'the file, in the format asked for', format: 'binary' });

/** One version of a register's catalog metadata. */
export const RegisterVersion = Type.Object({
  version: Type.Integer(),
  metadata: Type.Record(Type.String(), Type.Unknown(), { description: 'the catalog metadata as it was' }),
  changedBy: Type.String(),
  changedAt: Type.String({ format: 'date-time' }),
});
