import { type Static, Type } from 'typebox';
import { ROLES } from './org.policy.ts';

export const RegionCode = Type.String({
  pattern: '^[0-9]{6}([0-9]{3})?$',
  description: 'GB/T 2260 code (9 digits for townships)',
});
export const RegionLevel = Type.Enum(['national', 'province', 'city', 'county', 'township']);
export const RoleName = Type.Enum(ROLES);
const Id = Type.Integer({ minimum: 1 });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const Region = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    level: Type.String(),
    parentCode: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Region' },
);
export type Region = Static<typeof Region>;

/** Whose platform this is: the configured government, with its region as the register knows it. */
export const NodeInfo = Type.Object(
  {
    name: Type.String(),
    nameEn: Type.String(),
    regionCode: Type.String(),
    level: Type.String({ description: 'the region level: province, city, county…' }),
    region: Type.Union([Region, Type.Null()]),
  },
  { $id: 'NodeInfo' },
);
export type NodeInfo = Static<typeof NodeInfo>;

export const RegionQuery = Type.Object(
  {
    parent: Type.Optional(RegionCode),
    level: Type.Optional(RegionLevel),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
  },
  { additionalProperties: false },
);
export type RegionQuery = Static<typeof RegionQuery>;

export const RegionCodeParams = Type.Object({ code: RegionCode }, { additionalProperties: false });

export const CreateRegion = Type.Object(
  {
    code: RegionCode,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    level: RegionLevel,
    parentCode: Type.Optional(RegionCode),
  },
  { additionalProperties: false },
);
export type CreateRegion = Static<typeof CreateRegion>;

export const UpdateRegion = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const Department = Type.Object(
  {
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    shortName: Type.Union([Type.String(), Type.Null()]),
    regionCode: Type.String(),
    parentId: Type.Union([Type.Integer(), Type.Null()]),
    active: Type.Boolean(),
  },
  { $id: 'Department' },
);
export type Department = Static<typeof Department>;

export const DepartmentQuery = Type.Object(
  { region: Type.Optional(RegionCode), includeInactive: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const CreateDepartment = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Za-z0-9_-]{2,40}$' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    shortName: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    regionCode: RegionCode,
    parentId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CreateDepartment = Static<typeof CreateDepartment>;

export const UpdateDepartment = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    shortName: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()])),
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateDepartment = Static<typeof UpdateDepartment>;

export const RoleGrant = Type.Object(
  { role: RoleName, departmentId: Id },
  { additionalProperties: false, $id: 'RoleGrant' },
);

export const StaffMember = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    displayName: Type.String(),
    departmentId: Type.Integer(),
    active: Type.Boolean(),
    roles: Type.Array(Type.Object({ role: Type.String(), departmentId: Type.Integer() })),
  },
  { $id: 'StaffMember' },
);
export type StaffMember = Static<typeof StaffMember>;

export const StaffQuery = Type.Object(
  { department: Type.Optional(Id), includeInactive: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const Username = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$', description: 'lower-case login name' });

export const CreateStaff = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 60 }),
    departmentId: Id,
    roles: Type.Optional(Type.Array(RoleName, { maxItems: 7, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type CreateStaff = Static<typeof CreateStaff>;

export const UpdateStaff = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    departmentId: Type.Optional(Id),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateStaff = Static<typeof UpdateStaff>;
