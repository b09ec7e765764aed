// Masking by PII type, for display and for data that leaves its owner (exports, the exchange).

/** 110101********1234: region kept, birth date and sequence hidden. */
export function maskResidentId(value: string): string {
  return value.length === 18 ? `${value.slice(0, 6)}********${value.slice(14)}` : '*'.repeat(value.length);
}

/** 91120000********3X: registration and region kept, organisation code hidden except its last four. */
export function maskCreditCode(value: string): string {
  return value.length === 18 ? `${value.slice(0, 8)}******${value.slice(14)}` : '*'.repeat(value.length);
}

/** 张*, 欧阳** : the family name (first character) kept. */
export function maskName(value: string): string {
  const chars = [...value];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
