// The i18n module: every text a page shows goes through here, Chinese first. The tables are in texts/: the interface
// (ui-zh.ts, keyed by its English meaning; keys-en.ts for texts keyed by an id), the API's error codes (errors.ts) and
// the vocabularies (labels.ts).
import { ROLE_LABELS, type Role } from '../../src/modules/org/org.policy.ts';
import { errorEn, errorZh } from './texts/errors.ts';
import { keysEn } from './texts/keys-en.ts';
import { IMPORT_RULES_ZH, LABELS, type LabelKind } from './texts/labels.ts';
import { uiZh } from './texts/ui-zh.ts';

export type Lang = 'zh' | 'en';
export type { LabelKind };

export function translate(lang: Lang, text: string): string {
  return lang === 'zh' ? (uiZh[text] ?? text) : (keysEn[text] ?? text);
}

export function roleLabel(lang: Lang, role: string): string {
  return lang === 'zh' ? (ROLE_LABELS[role as Role] ?? role) : role.replaceAll('_', ' ');
}

export function errorText(lang: Lang, code: string, fallback: string): string {
  return lang === 'zh' ? (errorZh[code] ?? fallback) : (errorEn[code] ?? fallback);
}

/** A vocabulary value in the reader's language; one no table knows yet shows as itself. */
export function label(lang: Lang, kind: LabelKind, value: string | null | undefined): string {
  if (!value) return '';
  const pair = (LABELS[kind] as Record<string, readonly [string, string]>)[value];
  return pair ? pair[lang === 'zh' ? 0 : 1] : value;
}

/** A vocabulary's values as select options. */
export function labelOptions(lang: Lang, kind: LabelKind): Array<{ value: string; label: string }> {
  return Object.keys(LABELS[kind]).map((value) => ({ value, label: label(lang, kind, value) }));
}

/** Why an imported row was refused: the rule's Chinese text (with its bound), else the API's English reason. */
export function importReason(
  lang: Lang,
  e: { rule?: string; limit?: string | number; value: string; list?: string; reason: string },
): string {
  const template = lang === 'zh' && e.rule ? IMPORT_RULES_ZH[e.rule] : undefined;
  if (!template) return e.reason;
  return template
    .replace('{limit}', String(e.limit ?? ''))
    .replace('{value}', e.value)
    .replace('{list}', e.list ?? '');
}

/**
 * An access-log reason: the refusal's code (`exchange.no_grant`) and the valve's policies that decided it, or the
 * count of refusals recorded together; in words.
 */
export function accessReason(lang: Lang, reason: string | null): string {
  if (!reason) return '';
  const counted = /^exchange\.refusals_counted: (\d+) refusals since (\S+)/.exec(reason);
  if (counted) {
    return lang === 'zh'
      ? `自 ${formatDate(lang, counted[2])} 起被拒绝 ${counted[1]} 次（超过逐条记录的上限，合并计数）`
      : `${counted[1]} refusals since ${formatDate(lang, counted[2])}, counted together`;
  }
  const [code = '', policies = ''] = reason.split(/:\s*/, 2);
  const why = errorText(lang, code, code);
  const decided = policies
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => label(lang, 'policy', p));
  return decided.length ? `${why}（${decided.join(lang === 'zh' ? '、' : ', ')}）` : why;
}

/** 2026年11月29日 in Chinese, ISO in English. */
export function formatDate(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (lang === 'en') return d.toISOString().slice(0, 16).replace('T', ' ');
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
