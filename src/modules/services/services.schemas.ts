// The service catalog's vocabulary: a service item's six basic elements and its guide fields (国办函〔2016〕108号;
// STANDARDS.md), as request and response schemas.
import { type Static, Type } from 'typebox';

export const ITEM_TYPES = [
  'administrative_license', // 行政许可
  'administrative_payment', // 行政给付
  'administrative_confirmation', // 行政确认
  'administrative_ruling', // 行政裁决
  'administrative_reward', // 行政奖励
  'public_service', // 公共服务
  'other_power', // 其他行政权力
] as const;
export const AUDIENCES = ['person', 'enterprise'] as const;
export const MATERIAL_SOURCES = ['upload', 'register', 'license'] as const; // 申请人提交 / 部门已有（共享获取） / 电子证照
export const TRUST_GRADES = ['A', 'B', 'C', 'D'] as const;
export const ONLINE_DEPTHS = ['fully_online', 'online_then_visit_once', 'on_site'] as const; // 全程网办 / 最多跑一次 / 现场办理

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const CODE = '^[0-9A-Z][0-9A-Z-]{5,39}$';
const REGISTER_CODE = '^[123][0-9]{5}([0-9]{1,4})?-[0-9]{6}$';

export const Material = Type.Object(
  {
    name: Text(200),
    source: Type.Enum(MATERIAL_SOURCES),
    register: Type.Optional(Type.String({ pattern: REGISTER_CODE, description: 'the register that holds it' })),
    trust: Type.Enum(TRUST_GRADES, { description: 'A e-sealed by the issuer … D own declaration' }),
    required: Type.Boolean(),
    copies: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type Material = Static<typeof Material>;

export const Guide = Type.Object(
  {
    name: Text(200),
    type: Type.Enum(ITEM_TYPES),
    competentDepartment: Text(100),
    basis: Text(4000),
    audience: Type.Enum(AUDIENCES),
    conditions: Text(4000),
    materials: Type.Array(Material, { maxItems: 50 }),
    process: Type.Array(Text(500), { minItems: 1, maxItems: 20 }),
    fee: Type.Object(
      { free: Type.Boolean(), standard: Type.Optional(Type.String({ maxLength: 1000 })) },
      { additionalProperties: false },
    ),
    statutoryDays: Type.Integer({ minimum: 0, maximum: 365, description: '法定期限, working days' }),
    promisedDays: Type.Integer({ minimum: 0, maximum: 365, description: '承诺期限, working days' }),
    onlineDepth: Type.Enum(ONLINE_DEPTHS),
    place: Text(500),
    phone: Type.String({ pattern: '^[0-9-]{5,20}$' }),
    supervisionPhone: Type.String({ pattern: '^[0-9-]{5,20}$' }),
    keywords: Type.Array(Text(30), { maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type Guide = Static<typeof Guide>;

export const STEP_ROLES = ['caseworker', 'leader', 'department_admin'] as const;

export const WorkflowStep = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,30}$' }),
    name: Text(50),
    role: Type.Enum(STEP_ROLES, { description: 'who acts at this step, in the department that holds it' }),
    parallel: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), {
        maxItems: 10,
        uniqueItems: true,
        description: 'departments that approve alongside (并联审批)',
      }),
    ),
    canCorrect: Type.Optional(Type.Boolean({ description: 'the applicant may be asked for corrections here (补正)' })),
  },
  { additionalProperties: false },
);
export type WorkflowStep = Static<typeof WorkflowStep>;

export const Workflow = Type.Object(
  {
    steps: Type.Array(WorkflowStep, { minItems: 2, maxItems: 12 }),
    licenseType: Type.Optional(
      Type.String({ maxLength: 50, description: 'the electronic licence issued on conclusion' }),
    ),
  },
  { additionalProperties: false },
);
export type Workflow = Static<typeof Workflow>;

export const Form = Type.Object(
  {
    schema: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema of the form data' }),
    ui: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'labels, order, widgets' })),
  },
  { additionalProperties: false },
);
export type Form = Static<typeof Form>;

export const CreateItem = Type.Object(
  {
    code: Type.String({ pattern: CODE, description: '事项编码' }),
    subplatform: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
    departmentId: Type.Integer({ minimum: 1, description: '实施机关' }),
    guide: Guide,
    form: Type.Optional(Form),
    workflow: Type.Optional(Workflow),
  },
  { additionalProperties: false },
);
export type CreateItem = Static<typeof CreateItem>;

export const UpdateItem = Type.Object(
  { expectedVersion: Type.Integer({ minimum: 1 }), guide: Guide },
  { additionalProperties: false },
);

export const Item = Type.Object({
  code: Type.String(),
  subplatform: Type.String(),
  departmentId: Type.Integer(),
  department: Type.String(),
  status: Type.Enum(['draft', 'published', 'withdrawn']),
  version: Type.Integer(),
  guide: Guide,
  form: Form,
  workflow: Workflow,
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Item = Static<typeof Item>;

export const Subplatform = Type.Object({
  code: Type.String(),
  name: Type.String(),
  audience: Type.Enum(['person', 'enterprise', 'both']),
  description: Type.String(),
  items: Type.Integer({ description: 'published items' }),
});
export type Subplatform = Static<typeof Subplatform>;

export const ItemsQuery = Type.Object(
  {
    subplatform: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' })),
    audience: Type.Optional(Type.Enum(AUDIENCES)),
    department: Type.Optional(Type.Integer({ minimum: 1 })),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 50, description: 'words in the name or keywords (full search: issue 7)' }),
    ),
  },
  { additionalProperties: false },
);
export type ItemsQuery = Static<typeof ItemsQuery>;

export const ItemParams = Type.Object({ code: Type.String({ pattern: CODE }) }, { additionalProperties: false });
