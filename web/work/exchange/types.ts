// Shapes of the exchange API (src/modules/exchange/exchange.schemas.ts) as the workbench reads them.
export interface ShareRequest {
  id: number;
  registerCode: string;
  registerName: string;
  providerDepartmentId: number;
  consumerDepartmentId: number;
  fields: string[];
  purpose: string;
  legalBasis: string;
  validUntil: string;
  status: 'pending' | 'approved' | 'rejected' | 'refused' | 'withdrawn';
  dueAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  decisionReason: string | null;
  createdAt: string;
  grantId: number | null;
}

export interface Grant {
  id: number;
  registerCode: string;
  registerName: string;
  providerDepartmentId: number;
  consumerDepartmentId: number;
  kind: 'unconditional' | 'conditional';
  fields: string[];
  clearFields: string[];
  purpose: string;
  validFrom: string;
  validUntil: string;
  ratePerMinute: number;
  dailyLimit: number;
  status: 'active' | 'revoked' | 'expired';
  revokeReason: string | null;
}

export interface Subscription {
  id: number;
  register: string;
  grant: number;
  keyId: string;
  consumerDepartmentId: number;
  url: string;
  status: 'active' | 'cancelled';
  lastSeq: number;
  deliveredSeq: number;
  failures: number;
  nextAttemptAt: string;
  lastError: string | null;
}

export interface AccessLogEntry {
  id: number;
  at: string;
  keyId: string | null;
  departmentId: number | null;
  operation: string;
  registerCode: string | null;
  grantId: number | null;
  purpose: string | null;
  decision: 'allow' | 'deny';
  reason: string | null;
  status: number;
  rows: number | null;
  durationMs: number | null;
  ip: string | null;
}

export interface Decision {
  allow: boolean;
  policies: string[];
}

export interface FieldDecision {
  code: string;
  name: string;
  grade: string;
  pii: string;
  outcome: 'clear' | 'masked' | 'denied';
  readMasked: Decision;
  readClear: Decision;
  filter: Decision;
  verify: Decision;
}
