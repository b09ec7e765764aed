import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createStaffUser } from '../modules/auth/index.ts';
import { findDepartmentByCode, ROLES, type Role } from '../modules/org/index.ts';
import { ConfigError } from '../platform/config.ts';
import { integrateQueued, openContext } from './context.ts';

export async function run(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'create')
    throw new ConfigError(
      'usage: zhengtong user create --username U --name 姓名 --department CODE [--role R]... [--password P]',
    );
  const { values } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      department: { type: 'string' },
      role: { type: 'string', multiple: true },
      password: { type: 'string' },
    },
    strict: true,
  });
  if (!values.username || !values.name || !values.department)
    throw new ConfigError('--username, --name and --department are required');
  const roles = (values.role ?? []) as Role[];
  for (const r of roles)
    if (!(ROLES as readonly string[]).includes(r))
      throw new ConfigError(`unknown role ${r}; one of ${ROLES.join(', ')}`);
  const ctx = await openContext({ quiet: true });
  try {
    const deps = {
      db: ctx.database.forZone('internal'),
      ledger: ctx.ledger.forZone('system'),
      secrets: ctx.secrets,
      clock: ctx.clock,
    };
    const department = await deps.db.transaction((tx) => findDepartmentByCode(tx, values.department ?? ''));
    if (!department) throw new ConfigError(`no department with code ${values.department}`);
    const password = values.password ?? randomBytes(12).toString('base64url');
    const member = await createStaffUser(deps, 'system', {
      username: values.username,
      displayName: values.name,
      departmentId: department.id,
      roles,
      password,
    });
    await integrateQueued(ctx);
    console.log(
      `created staff #${member.id} ${member.username} in ${department.name} with roles [${roles.join(', ')}]`,
    );
    if (!values.password) console.log(`initial password (shown once): ${password}`);
  } finally {
    await ctx.database.close();
  }
}
