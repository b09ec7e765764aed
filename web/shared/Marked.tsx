// Text with <mark> around what a search matched, as the search API sends it (HTML-escaped text and <mark> tags
// only). Rendered as text nodes and <mark> elements, never as HTML.
import { Fragment } from 'react';

const ENTITY = /&#(\d+);/g;
const unescapeHtml = (s: string) => s.replace(ENTITY, (_, code: string) => String.fromCharCode(Number(code)));

export function Marked({ html }: { html: string }) {
  const parts = html.split(/(<mark>|<\/mark>)/);
  let marked = false;
  return (
    <>
      {parts.map((part, i) => {
        if (part === '<mark>') {
          marked = true;
          return null;
        }
        if (part === '</mark>') {
          marked = false;
          return null;
        }
        const text = unescapeHtml(part);
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string, in a fixed order.
        return marked ? <mark key={i}>{text}</mark> : <Fragment key={i}>{text}</Fragment>;
      })}
    </>
  );
}
