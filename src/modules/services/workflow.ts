// The workflow transition table of applications (办件), as a pure function: which action is possible at which step,
// and what state it leads to. Casework asks it before touching anything; it is property-tested on its own.
import type { Workflow } from './services.schemas.ts';

export const ACTIONS = ['accept', 'approve', 'reject', 'correct', 'transfer', 'conclude'] as const;
export type Action = (typeof ACTIONS)[number];

/** What an application's timeline records (application_events.action); each is also a ledger entry type. */
export const APPLICATION_EVENTS = [
  'submitted',
  'accepted',
  'correction_requested',
  'resubmitted',
  'approved',
  'approved_in_parallel',
  'rejected',
  'transferred',
  'concluded',
  'withdrawn',
] as const;
export type ApplicationEvent = (typeof APPLICATION_EVENTS)[number];

/** The statuses an application can be in; staff act only on `submitted` and `in_progress`. */
export type Status =
  | 'draft'
  | 'submitted'
  | 'correction'
  | 'in_progress'
  | 'approved'
  | 'rejected'
  | 'concluded'
  | 'withdrawn';

export interface CaseState {
  readonly status: Status;
  /** The step the application waits at (its key), or null once concluded. */
  readonly step: string | null;
}

export type Transition =
  | {
      readonly ok: true;
      readonly status: Status;
      readonly step: string | null;
      /** The step the application waited at (the one acted on). */
      readonly from: { readonly key: string; readonly index: number };
    }
  | {
      readonly ok: false;
      readonly code: 'application.wrong_status' | 'application.no_step' | 'application.wrong_step';
    };

/**
 * What `action` does to an application in `state` under `flow`, for someone acting for the department that holds it
 * (`forHolder`) or for a parallel task's department. Pure: no clock, no database, no roles (casework checks the role
 * of the step before asking). A parallel approval that leaves other tasks open keeps the state; casework tells that
 * case apart, since it depends on the tasks.
 */
export function transition(flow: Workflow, state: CaseState, action: Action, forHolder: boolean): Transition {
  if (state.status !== 'submitted' && state.status !== 'in_progress')
    return { ok: false, code: 'application.wrong_status' };
  const index = flow.steps.findIndex((s) => s.key === state.step);
  const step = flow.steps[index];
  if (!step) return { ok: false, code: 'application.no_step' };
  const last = index === flow.steps.length - 1;
  const allowed: Record<Action, boolean> = {
    accept: index === 0 && state.status === 'submitted',
    approve: index > 0 && !last,
    reject: !last,
    correct: step.canCorrect === true && forHolder,
    transfer: forHolder && !last,
    conclude: last,
  };
  if (!allowed[action]) return { ok: false, code: 'application.wrong_step' };
  const from = { key: step.key, index };
  const next = flow.steps[index + 1]?.key ?? null;
  switch (action) {
    case 'accept':
    case 'approve':
      return { ok: true, status: 'in_progress', step: next, from };
    case 'reject':
      return { ok: true, status: 'rejected', step: step.key, from };
    case 'correct':
      return { ok: true, status: 'correction', step: step.key, from };
    case 'transfer':
      return { ok: true, status: state.status, step: step.key, from };
    case 'conclude':
      return { ok: true, status: 'concluded', step: null, from };
  }
}
