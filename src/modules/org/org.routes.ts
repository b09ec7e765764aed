// org HTTP routes. Public zone: read regions and departments. Internal zone: manage structure and staff.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { unauthenticated } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import type { Role, StaffActor } from './org.policy.ts';
import {
  CreateDepartment,
  CreateRegion,
  CreateStaff,
  Department,
  DepartmentQuery,
  IdParams,
  NodeInfo,
  Region,
  RegionCodeParams,
  RegionQuery,
  RoleGrant,
  StaffMember,
  StaffQuery,
  UpdateDepartment,
  UpdateRegion,
  UpdateStaff,
} from './org.schemas.ts';
import * as service from './org.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth module's session hook on the internal zone when a staff member is logged in. */
    staff?: StaffActor;
  }
}

/** The logged-in staff member, or 401. */
export function requireStaff(req: FastifyRequest): StaffActor {
  if (!req.staff) throw unauthenticated();
  return req.staff;
}

const err = { $ref: 'ErrorResponse#' } as const;
const errors = { 400: err, 401: err, 403: err, 404: err, 409: err } as const;

/** Who this node is, for anyone (both zones: the portal and the workbench, before sign-in too, show its name). */
export async function orgNodeRoutes(app: App, opts: { deps: service.NodeDeps }): Promise<void> {
  const { deps } = opts;
  app.get(
    '/org/node',
    {
      schema: {
        tags: ['org'],
        summary: "This platform's government: its name and region",
        response: { 200: NodeInfo },
      },
    },
    () => service.describeNode(deps),
  );
}

/** Read-only routes for the public zone. */
export async function orgPublicRoutes(app: App, opts: { deps: service.OrgDeps }): Promise<void> {
  const { deps } = opts;
  app.get(
    '/org/regions',
    {
      schema: {
        tags: ['org'],
        summary: 'List administrative regions',
        querystring: RegionQuery,
        response: { 200: Type.Array(Region), 400: err },
      },
    },
    (req) => service.listRegions(deps, req.query),
  );
  app.get(
    '/org/departments',
    {
      schema: {
        tags: ['org'],
        summary: 'List departments',
        querystring: DepartmentQuery,
        response: { 200: Type.Array(Department), 400: err },
      },
    },
    (req) => service.listDepartments(deps, { region: req.query.region }),
  );
}

/** Routes for the internal zone; every one needs a logged-in staff member. */
export async function orgInternalRoutes(app: App, opts: { deps: service.OrgDeps }): Promise<void> {
  const { deps } = opts;
  app.addHook('preHandler', async (req) => {
    requireStaff(req);
  });
  const tags = ['org'];

  app.get(
    '/org/regions',
    {
      schema: {
        tags,
        summary: 'List administrative regions',
        querystring: RegionQuery,
        response: { 200: Type.Array(Region), ...errors },
      },
    },
    (req) => service.listRegions(deps, req.query),
  );
  app.post(
    '/org/regions',
    {
      schema: {
        tags,
        summary: 'Create a region (platform admin)',
        body: CreateRegion,
        response: { 201: Region, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createRegion(deps, requireStaff(req), req.body)),
  );
  app.patch(
    '/org/regions/:code',
    {
      schema: {
        tags,
        summary: 'Rename a region (platform admin)',
        params: RegionCodeParams,
        body: UpdateRegion,
        response: { 200: Region, ...errors },
      },
    },
    (req) => service.renameRegion(deps, requireStaff(req), req.params.code, req.body.name),
  );

  app.get(
    '/org/departments',
    {
      schema: {
        tags,
        summary: 'List departments',
        querystring: DepartmentQuery,
        response: { 200: Type.Array(Department), ...errors },
      },
    },
    (req) => service.listDepartments(deps, req.query),
  );
  app.get(
    '/org/departments/:id',
    { schema: { tags, summary: 'Get a department', params: IdParams, response: { 200: Department, ...errors } } },
    (req) => service.getDepartment(deps, req.params.id),
  );
  app.post(
    '/org/departments',
    {
      schema: {
        tags,
        summary: 'Create a department (platform admin)',
        body: CreateDepartment,
        response: { 201: Department, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createDepartment(deps, requireStaff(req), req.body)),
  );
  app.patch(
    '/org/departments/:id',
    {
      schema: {
        tags,
        summary: 'Change or deactivate a department (platform admin)',
        params: IdParams,
        body: UpdateDepartment,
        response: { 200: Department, ...errors },
      },
    },
    (req) => service.updateDepartment(deps, requireStaff(req), req.params.id, req.body),
  );

  app.get(
    '/org/staff',
    {
      schema: {
        tags,
        summary: 'The staff directory',
        querystring: StaffQuery,
        response: { 200: Type.Array(StaffMember), ...errors },
      },
    },
    (req) => service.listStaff(deps, req.query),
  );
  app.get(
    '/org/staff/:id',
    { schema: { tags, summary: 'Get a staff member', params: IdParams, response: { 200: StaffMember, ...errors } } },
    (req) => service.getStaffMember(deps, req.params.id),
  );
  app.post(
    '/org/staff',
    {
      schema: {
        tags,
        summary:
          'Create a staff member (department admin of the department, or platform admin); set the password with POST /auth/staff/{id}/password',
        body: CreateStaff,
        response: { 201: StaffMember, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createStaff(deps, requireStaff(req), req.body)),
  );
  app.patch(
    '/org/staff/:id',
    {
      schema: {
        tags,
        summary: 'Change, move or deactivate a staff member',
        params: IdParams,
        body: UpdateStaff,
        response: { 200: StaffMember, ...errors },
      },
    },
    (req) => service.updateStaff(deps, requireStaff(req), req.params.id, req.body),
  );
  app.post(
    '/org/staff/:id/roles',
    {
      schema: {
        tags,
        summary: 'Grant a role in a department',
        params: IdParams,
        body: RoleGrant,
        response: { 200: StaffMember, ...errors },
      },
    },
    (req) =>
      service.grantRole(deps, requireStaff(req), req.params.id, {
        role: req.body.role as Role,
        departmentId: req.body.departmentId,
      }),
  );
  app.delete(
    '/org/staff/:id/roles',
    {
      schema: {
        tags,
        summary: 'Revoke a role in a department',
        params: IdParams,
        body: RoleGrant,
        response: { 200: StaffMember, ...errors },
      },
    },
    (req) =>
      service.revokeRole(deps, requireStaff(req), req.params.id, {
        role: req.body.role as Role,
        departmentId: req.body.departmentId,
      }),
  );
}
