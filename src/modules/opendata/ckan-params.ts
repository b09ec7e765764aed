// The Action API's parameters as CKAN reads them (text from a query string, JSON values from a POST body), refused
// with CKAN's own validation messages.
import { validationError } from './ckan.ts';

export type Params = Readonly<Record<string, unknown>>;

export function natural(params: Params, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = params[name];
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw validationError(name, 'Invalid integer');
  if (n < 0) throw validationError(name, 'Must be a natural number');
  return Math.min(n, max);
}

export function bool(params: Params, name: string, fallback: boolean): boolean {
  const raw = params[name];
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|yes|t|y|1|on)$/i.test(raw)) return true;
  if (typeof raw === 'string' && /^(false|no|f|n|0|off)$/i.test(raw)) return false;
  throw validationError(name, 'Value must be one of: true, false');
}

export function text(params: Params, name: string, fallback = ''): string {
  const raw = params[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' && typeof raw !== 'number') throw validationError(name, 'Must be a string');
  return String(raw);
}

export function required(params: Params, name: string): string {
  const value = text(params, name).trim();
  if (!value) throw validationError(name, 'Missing value');
  return value;
}

/** A list given as JSON text (GET) or as a JSON array (POST), or as comma-separated text. */
export function list(params: Params, name: string): string[] | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw;
  if (typeof raw === 'string') {
    if (raw.trim().startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
      } catch {}
      throw validationError(name, 'Must be a JSON list of strings');
    }
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  throw validationError(name, 'Must be a list of strings');
}
