// Highlighting: which characters of a text the query matched (by character, reading or initial), rendered as
// HTML-escaped text with <mark>, and the excerpt of a long text around its densest matches.
import { type Group, matchAt, readTextQuickly } from './analysis.ts';

export interface Reading {
  readonly chars: string[];
  readonly syl: string[];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Which characters of a reading the query's groups match: whole groups, pairs of them, or single units. */
export function marks(reading: Reading, groups: readonly Group[]): Uint8Array {
  const marked = new Uint8Array(reading.chars.length);
  for (const group of groups) {
    // Pairs light up partial matches of Han and syllables; initials only count where the whole group matched.
    const letters = group.some((u) => u.prefix !== undefined);
    const span = group.length === 1 ? 1 : letters ? group.length : 2;
    for (let g = 0; g + span <= group.length; g++) {
      const piece = group.slice(g, g + span);
      for (let at = 0; at + span <= reading.chars.length; at++)
        if (matchAt(piece, reading.chars, reading.syl, at)) for (let k = 0; k < span; k++) marked[at + k] = 1;
    }
  }
  return marked;
}

export function render(reading: Reading, marked: Uint8Array, from = 0, to = reading.chars.length): string {
  let out = '';
  let open = false;
  for (let i = from; i < to; i++) {
    if (marked[i] && !open) {
      out += '<mark>';
      open = true;
    } else if (!marked[i] && open) {
      out += '</mark>';
      open = false;
    }
    out += escapeHtml(reading.chars[i] as string);
  }
  return open ? `${out}</mark>` : out;
}

/** An excerpt of about `width` characters around the densest run of matches. */
export function excerpt(text: string, groups: readonly Group[], width = 60): { html: string; hits: number } {
  const reading = readTextQuickly(text);
  const marked = marks(reading, groups);
  let bestAt = 0;
  let best = 0;
  let window = 0;
  for (let i = 0; i < marked.length; i++) {
    window += marked[i] as number;
    if (i >= width) window -= marked[i - width] as number;
    if (window > best) {
      best = window;
      bestAt = Math.max(0, i - width + 1);
    }
  }
  const to = Math.min(reading.chars.length, bestAt + width);
  const html = render(reading, marked, bestAt, to);
  return { html: (bestAt > 0 ? '…' : '') + html + (to < reading.chars.length ? '…' : ''), hits: best };
}
