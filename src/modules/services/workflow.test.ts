import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Workflow } from './services.schemas.ts';
import { ACTIONS, type Status, transition } from './workflow.ts';

const flowArb: fc.Arbitrary<Workflow> = fc.array(fc.boolean(), { minLength: 2, maxLength: 12 }).map((corrects) => ({
  steps: corrects.map((canCorrect, i) => ({ key: `s${i}`, name: `步骤${i}`, role: 'caseworker' as const, canCorrect })),
}));
const action = fc.constantFrom(...ACTIONS);
const STATUSES: Status[] = [
  'draft',
  'submitted',
  'correction',
  'in_progress',
  'approved',
  'rejected',
  'concluded',
  'withdrawn',
];

test('only submitted and in-progress applications take actions', () => {
  fc.assert(
    fc.property(
      flowArb,
      fc.constantFrom(...STATUSES),
      action,
      fc.boolean(),
      fc.nat(),
      (flow, status, a, holder, at) => {
        const step = flow.steps[at % flow.steps.length]?.key ?? null;
        const t = transition(flow, { status, step }, a, holder);
        if (status !== 'submitted' && status !== 'in_progress')
          assert.deepEqual(t, { ok: false, code: 'application.wrong_status' });
      },
    ),
  );
});

test('each action is possible exactly where the table says, and leads where it says', () => {
  fc.assert(
    fc.property(
      flowArb,
      fc.constantFrom<Status>('submitted', 'in_progress'),
      action,
      fc.boolean(),
      fc.nat(),
      (flow, status, a, holder, at) => {
        const index = at % flow.steps.length;
        const step = flow.steps[index];
        assert.ok(step);
        const last = index === flow.steps.length - 1;
        const t = transition(flow, { status, step: step.key }, a, holder);
        const expected = {
          accept: index === 0 && status === 'submitted',
          approve: index > 0 && !last,
          reject: !last,
          correct: step.canCorrect === true && holder,
          transfer: holder && !last,
          conclude: last,
        }[a];
        assert.equal(t.ok, expected, `${a} at ${index}/${flow.steps.length} (${status}, holder ${holder})`);
        if (!t.ok) return assert.equal(t.code, 'application.wrong_step');
        assert.deepEqual(t.from, { key: step.key, index });
        if (a === 'accept' || a === 'approve') {
          assert.equal(t.status, 'in_progress');
          assert.equal(t.step, flow.steps[index + 1]?.key);
        }
        if (a === 'reject') assert.deepEqual([t.status, t.step], ['rejected', step.key]);
        if (a === 'correct') assert.deepEqual([t.status, t.step], ['correction', step.key]);
        if (a === 'transfer') assert.deepEqual([t.status, t.step], [status, step.key]);
        if (a === 'conclude') assert.deepEqual([t.status, t.step], ['concluded', null]);
      },
    ),
  );
});

test('a step the workflow does not have takes no action', () => {
  fc.assert(
    fc.property(flowArb, action, (flow, a) => {
      assert.deepEqual(transition(flow, { status: 'in_progress', step: 'nowhere' }, a, true), {
        ok: false,
        code: 'application.no_step',
      });
    }),
  );
});

test('whatever the actions, an application concludes only from its last step and never skips a step', () => {
  fc.assert(
    fc.property(flowArb, fc.array(fc.tuple(action, fc.boolean()), { maxLength: 40 }), (flow, actions) => {
      let state: { status: Status; step: string | null } = { status: 'submitted', step: flow.steps[0]?.key ?? null };
      for (const [a, holder] of actions) {
        const before = flow.steps.findIndex((s) => s.key === state.step);
        const t = transition(flow, state, a, holder);
        if (!t.ok) continue;
        const after = t.step === null ? flow.steps.length : flow.steps.findIndex((s) => s.key === t.step);
        assert.ok(after === before || after === before + 1, `from step ${before} to ${after}`);
        if (t.status === 'concluded') assert.equal(before, flow.steps.length - 1);
        state = { status: t.status, step: t.step };
      }
    }),
  );
});

test('accepting and approving step by step reaches the last step, where it concludes', () => {
  fc.assert(
    fc.property(flowArb, (flow) => {
      let state: { status: Status; step: string | null } = { status: 'submitted', step: flow.steps[0]?.key ?? null };
      for (let i = 0; i < flow.steps.length - 1; i++) {
        const t = transition(flow, state, i === 0 ? 'accept' : 'approve', true);
        assert.ok(t.ok);
        state = { status: t.status, step: t.step };
      }
      assert.equal(state.step, flow.steps.at(-1)?.key);
      const end = transition(flow, state, 'conclude', true);
      assert.ok(end.ok && end.status === 'concluded');
    }),
  );
});
