// The one list of personal-information types. Register fields declare theirs; masking, detection and the safety valve
// act on them. Sensitive PI (PIPL Art. 28) is marked so that it gets the strictest handling.

export const PII_TYPES = [
  'none',
  'name',
  'resident_id',
  'passport',
  'credit_code',
  'phone',
  'email',
  'address',
  'bank_card',
  'ip',
  'plate',
  'birth_date',
  'health',
  'biometric',
  'religion',
  'location',
] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** PIPL Art. 28 sensitive personal information: biometrics, religion, health, financial accounts, location tracks, … */
export const SENSITIVE_PII: ReadonlySet<PiiType> = new Set([
  'resident_id',
  'passport',
  'bank_card',
  'health',
  'biometric',
  'religion',
  'location',
]);

/** 中国大陆手机号: 11 digits starting 1[3-9]. */
export const isValidMobile = (value: string): boolean => /^1[3-9]\d{9}$/.test(value);
