// search HTTP shapes: the query, the answer ({ total, hits, facets }), completions and synonym groups.
import { type Static, Type } from 'typebox';
import { FACETS } from './engine.ts';

// Repeated or comma-separated (a single value arrives as a one-element array: query strings coerce to arrays).
const Multi = (description: string) =>
  Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20, description }));

export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 100, description: 'Chinese, pinyin, initials, or a mix' }),
    type: Multi('document types to include (service, catalog; internal: record, staff), comma-separated or repeated'),
    facet: Multi('facet filters name:value (type, subplatform, department, region, level); OR within a name'),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 1 })),
    size: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
    region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: "the searcher's region, for proximity" })),
  },
  { additionalProperties: false },
);

export const SuggestQuery = Type.Object(
  { q: Type.String({ maxLength: 100 }), type: Multi('document types to include') },
  { additionalProperties: false },
);

const FacetValues = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }));

export const SearchResponse = Type.Object({
  total: Type.Integer(),
  hits: Type.Array(
    Type.Object({
      type: Type.String(),
      id: Type.String(),
      title: Type.String({ description: 'plain text' }),
      snippet: Type.String({ description: 'HTML-escaped text with <mark> around matches' }),
      highlight: Type.String({ description: 'the title, HTML-escaped, with <mark> around matches' }),
      url: Type.String(),
      facets: Type.Record(Type.String(), Type.String()),
    }),
  ),
  facets: Type.Object(Object.fromEntries(FACETS.map((f) => [f, FacetValues])) as Record<string, typeof FacetValues>),
});
export type SearchResponse = Static<typeof SearchResponse>;

export const Suggestion = Type.Object({
  type: Type.String(),
  id: Type.String(),
  title: Type.String(),
  highlight: Type.String({ description: 'the title with <mark> around what matched' }),
  url: Type.String(),
});
export type Suggestion = Static<typeof Suggestion>;

export const SynonymGroup = Type.Object({
  id: Type.Integer(),
  terms: Type.Array(Type.String()),
});
export type SynonymGroup = Static<typeof SynonymGroup>;

export const SaveSynonyms = Type.Object(
  { terms: Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { minItems: 2, maxItems: 20 }) },
  { additionalProperties: false },
);
