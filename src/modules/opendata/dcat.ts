// The catalogue as DCAT-AP 3 (the national portals' harvesters read it): the catalog, its datasets with their
// versions (dcat:hasVersion), distributions with IANA media types and SHA-256 checksums, publishers, themes from the EU
// data-theme vocabulary, access rights for conditional datasets. One graph, written as Turtle (n3), JSON-LD or RDF/XML.
import { DataFactory, type Quad, Writer } from 'n3';
import { MEDIA_TYPES, type Site } from './ckan.ts';
import type { TableSchema } from './dictionary.ts';
import { LICENCES } from './opendata.schemas.ts';
import type { DatasetView } from './opendata.service.ts';

const { namedNode, literal, blankNode, quad } = DataFactory;

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  spdx: 'http://spdx.org/rdf/terms#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
} as const;
const iri = (ns: keyof typeof NS, local: string) => namedNode(NS[ns] + local);
const a = iri('rdf', 'type');

/** Our themes → the EU data-theme vocabulary (publications.europa.eu authority table). */
const EU_THEMES: Record<string, string> = {
  economy: 'ECON',
  credit: 'ECON',
  finance: 'ECON',
  transport: 'TRAN',
  education: 'EDUC',
  health: 'HEAL',
  employment: 'SOCI',
  housing: 'REGI',
  environment: 'ENVI',
  safety: 'JUST',
  agriculture: 'AGRI',
  government: 'GOVE',
};
const AUTH = 'http://publications.europa.eu/resource/authority/';

export interface CatalogPage {
  readonly datasets: readonly DatasetView[];
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
}

/** The quads of a catalog page (or of one dataset when `only` is given). */
export function catalogQuads(site: Site, title: string, page: CatalogPage): Quad[] {
  const q: Quad[] = [];
  const base = site.baseUrl;
  const catalog = namedNode(`${base}/catalog`);
  const add = (s: Quad['subject'], p: Quad['predicate'], o: Quad['object']) => q.push(quad(s, p, o));
  const zh = (text: string) => literal(text, 'zh');
  const dateTime = (d: Date) => literal(d.toISOString(), iri('xsd', 'dateTime'));

  add(catalog, a, iri('dcat', 'Catalog'));
  add(catalog, iri('dct', 'title'), zh(title));
  add(catalog, iri('dct', 'description'), zh(`${title}：政府数据开放目录（DCAT-AP 3）`));
  const publisher = namedNode(`${base}/catalog#publisher`);
  add(catalog, iri('dct', 'publisher'), publisher);
  add(publisher, a, iri('foaf', 'Agent'));
  add(publisher, iri('foaf', 'name'), zh(title));
  add(catalog, iri('foaf', 'homepage'), namedNode(`${base}/opendata`));
  add(catalog, iri('dct', 'language'), namedNode(`${AUTH}language/ZHO`));
  add(catalog, iri('dcat', 'themeTaxonomy'), namedNode(`${AUTH}data-theme`));
  const pageNode = namedNode(`${base}/catalog.ttl?page=${page.page}`);
  add(pageNode, a, iri('hydra', 'PartialCollectionView'));
  add(pageNode, iri('hydra', 'totalItems'), literal(String(page.total), iri('xsd', 'integer')));
  add(pageNode, iri('hydra', 'itemsPerPage'), literal(String(page.perPage), iri('xsd', 'integer')));
  add(pageNode, iri('hydra', 'first'), namedNode(`${base}/catalog.ttl?page=1`));
  const last = Math.max(1, Math.ceil(page.total / page.perPage));
  add(pageNode, iri('hydra', 'last'), namedNode(`${base}/catalog.ttl?page=${last}`));
  if (page.page < last) add(pageNode, iri('hydra', 'next'), namedNode(`${base}/catalog.ttl?page=${page.page + 1}`));
  if (page.page > 1) add(pageNode, iri('hydra', 'previous'), namedNode(`${base}/catalog.ttl?page=${page.page - 1}`));

  for (const { dataset: d, versions } of page.datasets) {
    const ds = namedNode(`${base}/dataset/${d.name}`);
    add(catalog, iri('dcat', 'dataset'), ds);
    add(ds, a, iri('dcat', 'Dataset'));
    add(ds, iri('dct', 'identifier'), literal(d.uuid));
    add(ds, iri('dct', 'title'), zh(d.title));
    add(ds, iri('dct', 'description'), zh(d.notes || d.title));
    add(ds, iri('dct', 'issued'), dateTime(d.created_at));
    add(ds, iri('dct', 'modified'), dateTime(d.modified_at));
    for (const tag of d.tags) add(ds, iri('dcat', 'keyword'), zh(tag));
    const theme = EU_THEMES[d.theme];
    if (theme) add(ds, iri('dcat', 'theme'), namedNode(`${AUTH}data-theme/${theme}`));
    const agent = namedNode(`${base}/organization/${d.department_code.toLowerCase()}`);
    add(ds, iri('dct', 'publisher'), agent);
    add(agent, a, iri('foaf', 'Agent'));
    add(agent, iri('foaf', 'name'), zh(d.department_name));
    add(
      ds,
      iri('dct', 'accessRights'),
      namedNode(`${AUTH}access-right/${d.access === 'conditional' ? 'RESTRICTED' : 'PUBLIC'}`),
    );
    if (d.spatial) add(ds, iri('dct', 'spatial'), namedNode(`${base}/api/v1/org/regions/${d.spatial}`));
    if (d.temporal_start || d.temporal_end) {
      const period = blankNode();
      add(ds, iri('dct', 'temporal'), period);
      add(period, a, iri('dct', 'PeriodOfTime'));
      if (d.temporal_start) add(period, iri('dcat', 'startDate'), literal(d.temporal_start, iri('xsd', 'date')));
      if (d.temporal_end) add(period, iri('dcat', 'endDate'), literal(d.temporal_end, iri('xsd', 'date')));
    }
    if (d.contact) {
      const contact = blankNode();
      add(ds, iri('dcat', 'contactPoint'), contact);
      add(contact, a, iri('vcard', 'Kind'));
      add(contact, iri('vcard', 'fn'), zh(d.contact));
    }
    const licence = LICENCES.find((l) => l.id === d.license_id);
    add(ds, iri('dcat', 'version'), literal(String(d.version)));
    for (const v of versions) {
      const vs = namedNode(`${base}/dataset/${d.name}/version/${v.version}`);
      if (v.version !== d.version) {
        add(ds, iri('dcat', 'hasVersion'), vs);
        add(vs, a, iri('dcat', 'Dataset'));
        add(vs, iri('dct', 'title'), zh(`${d.title}（第 ${v.version} 版）`));
        add(vs, iri('dct', 'description'), zh(d.notes || d.title));
        add(vs, iri('dcat', 'version'), literal(String(v.version)));
        add(vs, iri('dct', 'issued'), dateTime(v.created_at));
      }
      const subject = v.version === d.version ? ds : vs;
      // The version's data dictionary (a Frictionless Table Schema document) is the standard its files conform to.
      const dictionary = namedNode(`${base}/api/v1/opendata/datasets/${d.name}/versions/${v.version}/schema.json`);
      add(dictionary, a, iri('dct', 'Standard'));
      add(dictionary, iri('dct', 'title'), zh(`${d.title}数据字典（第 ${v.version} 版）`));
      add(
        dictionary,
        iri('dct', 'description'),
        zh(
          (v.schema as TableSchema).fields
            .map((f) => `${f.title}（${f.name}${f.unit ? `，${f.unit}` : ''}）`)
            .join('、'),
        ),
      );
      for (const format of ['csv', 'json', 'xlsx', 'parquet'] as const) {
        const dist = namedNode(`${base}/dataset/${d.name}/version/${v.version}/${format}`);
        const url = namedNode(`${base}/api/v1/opendata/datasets/${d.name}/versions/${v.version}/data.${format}`);
        add(subject, iri('dcat', 'distribution'), dist);
        add(dist, a, iri('dcat', 'Distribution'));
        add(dist, iri('dct', 'title'), zh(`${d.title}（${format.toUpperCase()}，第 ${v.version} 版）`));
        add(dist, iri('dcat', 'accessURL'), url);
        add(dist, iri('dcat', 'downloadURL'), url);
        add(
          dist,
          iri('dcat', 'mediaType'),
          namedNode(`http://www.iana.org/assignments/media-types/${MEDIA_TYPES[format]}`),
        );
        add(dist, iri('dct', 'format'), namedNode(`${AUTH}file-type/${format.toUpperCase()}`));
        if (licence?.url) add(dist, iri('dct', 'license'), namedNode(licence.url));
        add(dist, iri('dct', 'issued'), dateTime(v.created_at));
        add(dist, iri('dct', 'conformsTo'), dictionary);
        if (format === 'csv') {
          const checksum = blankNode();
          add(dist, iri('spdx', 'checksum'), checksum);
          add(checksum, a, iri('spdx', 'Checksum'));
          add(checksum, iri('spdx', 'algorithm'), iri('spdx', 'checksumAlgorithm_sha256'));
          add(checksum, iri('spdx', 'checksumValue'), literal(v.sha256, iri('xsd', 'hexBinary')));
        }
      }
    }
  }
  return q;
}

const xml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** A predicate as a qualified XML name (every predicate we write is in one of our namespaces). */
function qname(predicate: string): string {
  for (const [prefix, ns] of Object.entries(NS)) {
    if (predicate.startsWith(ns) && /^[A-Za-z_][\w.-]*$/.test(predicate.slice(ns.length))) {
      return `${prefix}:${predicate.slice(ns.length)}`;
    }
  }
  throw new Error(`no namespace for ${predicate}`);
}

/** RDF/XML (W3C RDF 1.1 XML Syntax): one rdf:Description per subject, blank nodes by rdf:nodeID. */
export function toRdfXml(quads: readonly Quad[]): string {
  const bySubject = new Map<string, Quad[]>();
  for (const q of quads) {
    const key = `${q.subject.termType}:${q.subject.value}`;
    bySubject.set(key, [...(bySubject.get(key) ?? []), q]);
  }
  const node = (t: Quad['subject'] | Quad['object']) =>
    t.termType === 'BlankNode' ? `rdf:nodeID="${xml(t.value)}"` : `rdf:about="${xml(t.value)}"`;
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<rdf:RDF ${Object.entries(NS)
      .map(([prefix, ns]) => `xmlns:${prefix}="${ns}"`)
      .join(' ')}>`,
  ];
  for (const group of bySubject.values()) {
    const subject = group[0]?.subject;
    if (!subject) continue;
    out.push(`  <rdf:Description ${node(subject)}>`);
    for (const { predicate, object } of group) {
      const name = qname(predicate.value);
      if (object.termType === 'Literal') {
        const attr = object.language
          ? ` xml:lang="${xml(object.language)}"`
          : object.datatype.value === `${NS.xsd}string`
            ? ''
            : ` rdf:datatype="${xml(object.datatype.value)}"`;
        out.push(`    <${name}${attr}>${xml(object.value)}</${name}>`);
      } else if (object.termType === 'BlankNode') {
        out.push(`    <${name} rdf:nodeID="${xml(object.value)}"/>`);
      } else {
        out.push(`    <${name} rdf:resource="${xml(object.value)}"/>`);
      }
    }
    out.push('  </rdf:Description>');
  }
  out.push('</rdf:RDF>', '');
  return out.join('\n');
}

export function toTurtle(quads: readonly Quad[]): Promise<string> {
  const writer = new Writer({ prefixes: { ...NS } });
  writer.addQuads([...quads]);
  return new Promise((resolve, reject) => writer.end((e, out) => (e ? reject(e) : resolve(out))));
}

/** JSON-LD in expanded node form (every term a full IRI), grouped by subject. */
export function toJsonLd(quads: readonly Quad[]): Record<string, unknown> {
  const nodes = new Map<string, Record<string, unknown[]>>();
  const id = (t: Quad['subject'] | Quad['object']) => (t.termType === 'BlankNode' ? `_:${t.value}` : t.value);
  for (const { subject, predicate, object } of quads) {
    const key = id(subject);
    const node = nodes.get(key) ?? { '@id': [key] };
    nodes.set(key, node);
    if (predicate.value === `${NS.rdf}type`) {
      node['@type'] = [...(node['@type'] ?? []), object.value];
      continue;
    }
    const value =
      object.termType === 'Literal'
        ? object.language
          ? { '@value': object.value, '@language': object.language }
          : { '@value': object.value, '@type': object.datatype.value }
        : { '@id': id(object) };
    node[predicate.value] = [...(node[predicate.value] ?? []), value];
  }
  return {
    '@graph': [...nodes.values()].map(({ '@id': ids, ...rest }) => ({ '@id': ids?.[0], ...rest })),
  };
}
