import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  departmentsOf,
  ROLES,
  type Role,
  readsDepartment,
  readsEveryDepartment,
  type StaffActor,
} from './org.policy.ts';

const actor = (departmentId: number, roles: Array<[Role, number]>): StaffActor => ({
  kind: 'staff',
  staffId: 1,
  username: 'u',
  departmentId,
  roles: roles.map(([role, d]) => ({ role, departmentId: d })),
});

test('my departments: my own and every one I hold a role in, once each', () => {
  assert.deepEqual(departmentsOf(actor(3, [])), [3]);
  assert.deepEqual(
    departmentsOf(
      actor(3, [
        ['caseworker', 3],
        ['leader', 5],
        ['data_officer', 5],
      ]),
    ),
    [3, 5],
  );
});

test('only platform admins and auditors read every department; a leader reads the departments they act in', () => {
  assert.equal(readsEveryDepartment(actor(1, [['platform_admin', 1]])), true);
  assert.equal(readsEveryDepartment(actor(1, [['auditor', 1]])), true);
  for (const role of ['leader', 'department_admin', 'caseworker', 'data_officer', 'security_officer'] as const) {
    assert.equal(readsEveryDepartment(actor(2, [[role, 2]])), false, role);
    assert.equal(readsDepartment(actor(2, [[role, 2]]), 9), false, `${role} of 2 reads 9`);
    assert.equal(readsDepartment(actor(2, [[role, 2]]), 2), true);
  }
});

test('readsDepartment is exactly: an overseer, or the department is one of mine', () => {
  const grant = fc.tuple(fc.constantFrom(...ROLES), fc.integer({ min: 1, max: 6 }));
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.array(grant, { maxLength: 5 }),
      fc.integer({ min: 1, max: 6 }),
      (own, roles, d) => {
        const a = actor(own, roles);
        const overseer = roles.some(([r]) => r === 'platform_admin' || r === 'auditor');
        const mine = own === d || roles.some(([, rd]) => rd === d);
        assert.equal(readsDepartment(a, d), overseer || mine);
      },
    ),
  );
});
