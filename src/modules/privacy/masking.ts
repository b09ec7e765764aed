// Masking by PII type, for display and for data that leaves its owner (exports, the exchange). One function per
// type; `maskValue` picks by the field's declared type. A masked value keeps only what tells what kind of value it
// is (a region, a carrier prefix, a family name), never enough to single a person out.
import type { PiiType } from './pii.ts';

const stars = (n: number) => '*'.repeat(Math.max(0, n));

/** Keeps `head` leading and `tail` trailing characters; a value too short to keep anything is masked whole. */
function keepEnds(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) return stars(chars.length);
  return chars.slice(0, head).join('') + stars(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** 110101********1234: region kept, birth date and sequence hidden. */
export function maskResidentId(value: string): string {
  return value.length === 18 ? `${value.slice(0, 6)}********${value.slice(14)}` : stars(value.length);
}

/** 91120000******3X43: registration and region kept, organisation code hidden except its last four. */
export function maskCreditCode(value: string): string {
  return value.length === 18 ? `${value.slice(0, 8)}******${value.slice(14)}` : stars(value.length);
}

/** 张*, 欧*** : the family name (first character) kept. */
export function maskName(value: string): string {
  const chars = [...value];
  return chars.length <= 1 ? '*' : `${chars[0]}${stars(chars.length - 1)}`;
}

/** 138****5678 for a mobile; other numbers keep their first three and last four digits when long enough. */
export function maskPhone(value: string): string {
  return keepEnds(value, 3, 4);
}

/** ****1234: only the last four digits of a bank card. */
export function maskBankCard(value: string): string {
  const digits = value.replace(/\s/g, '');
  return digits.length > 4 ? `****${digits.slice(-4)}` : stars(digits.length);
}

/** z***@example.com: the first character of the local part and the domain. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return stars(value.length);
  return `${value[0]}***${value.slice(at)}`;
}

/** E1****567: passport numbers keep their type letter and last three characters. */
export function maskPassport(value: string): string {
  return keepEnds(value, 2, 3);
}

/** 津A***45: the issuing region and the last two characters of a plate. */
export function maskPlate(value: string): string {
  return keepEnds(value, 2, 2);
}

/** 天津市和平区****: an address keeps its first six characters (province and district), never the street. */
export function maskAddress(value: string): string {
  const chars = [...value];
  return chars.length <= 6 ? stars(chars.length) : `${chars.slice(0, 6).join('')}****`;
}

/** 1987-**-**: the year of birth only. */
export function maskBirthDate(value: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? `${value.slice(0, 4)}-**-**` : stars(value.length);
}

/** 10.2.*.*: the network half of an IPv4 address; IPv6 keeps its first two groups. */
export function maskIp(value: string): string {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return `${value.split('.').slice(0, 2).join('.')}.*.*`;
  if (value.includes(':')) return `${value.split(':').slice(0, 2).join(':')}:****`;
  return stars(value.length);
}

const MASKERS: Readonly<Record<Exclude<PiiType, 'none'>, (value: string) => string>> = {
  name: maskName,
  resident_id: maskResidentId,
  passport: maskPassport,
  credit_code: maskCreditCode,
  phone: maskPhone,
  email: maskEmail,
  address: maskAddress,
  bank_card: maskBankCard,
  ip: maskIp,
  plate: maskPlate,
  birth_date: maskBirthDate,
  // Sensitive kinds with no useful partial form are hidden whole.
  health: () => '******',
  biometric: () => '******',
  religion: () => '******',
  location: () => '******',
};

/**
 * Masks a value by its field's PII type. Non-personal values pass unchanged; a personal value that is not a string
 * (a number, a date) is masked as its text; null and undefined stay as they are.
 */
export function maskValue(piiType: PiiType, value: unknown): unknown {
  if (piiType === 'none' || value === null || value === undefined) return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return MASKERS[piiType](text);
}
