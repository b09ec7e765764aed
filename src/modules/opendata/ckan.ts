// CKAN's view of our datasets: the package dictionary as `package_show` returns it, CKAN's errors, the DataStore's
// field types. Pure functions over rows; `package_search` is ckan-search.ts.
import type { TableSchema } from './dictionary.ts';
import { LICENCES, THEMES } from './opendata.schemas.ts';
import type { DatasetView } from './opendata.service.ts';

/** A CKAN error: its `__type`, HTTP status and the fields of its error object. */
export class CkanError extends Error {
  readonly type: string;
  readonly status: number;
  readonly fields: Readonly<Record<string, unknown>>;
  constructor(type: string, status: number, fields: Readonly<Record<string, unknown>>) {
    super(typeof fields.message === 'string' ? fields.message : type);
    this.type = type;
    this.status = status;
    this.fields = fields;
  }
}
export const notFoundError = (message = 'Not found') => new CkanError('Not Found Error', 404, { message });
export const validationError = (field: string, message: string) =>
  new CkanError('Validation Error', 409, { [field]: [message] });
export const searchQueryError = (message: string) => new CkanError('Search Query Error', 400, { message });
export const authorizationError = (message: string) => new CkanError('Authorization Error', 403, { message });

/** The IANA media type of each resource format. */
export const MEDIA_TYPES = {
  csv: 'text/csv',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
} as const;

export const iso = (d: Date) => d.toISOString().replace('Z', '');

export interface Site {
  /** This listener's base URL, for resource URLs. */
  readonly baseUrl: string;
}

export function resourceIds(uuid: string) {
  return { csv: `${uuid}-csv`, json: `${uuid}-json`, xlsx: `${uuid}-xlsx`, parquet: `${uuid}-parquet` } as const;
}

/** The package dictionary, with CKAN's field names and shapes. */
export function packageDict(site: Site, d: DatasetView): Record<string, unknown> {
  const ds = d.dataset;
  const current = d.versions.find((v) => v.version === ds.version);
  const licence = LICENCES.find((l) => l.id === ds.license_id);
  const theme = THEMES.find((t) => t.name === ds.theme);
  const org = organizationDict(ds.department_code, ds.department_name, ds.department_id);
  const ids = resourceIds(ds.uuid);
  const resources =
    current && ds.state === 'active'
      ? (['csv', 'json', 'xlsx', 'parquet'] as const).map((format, position) => ({
          id: ids[format],
          package_id: ds.uuid,
          name: `${ds.title}（${format.toUpperCase()}）`,
          description: '',
          format: format.toUpperCase(),
          mimetype: MEDIA_TYPES[format],
          url: `${site.baseUrl}/api/v1/opendata/datasets/${ds.name}/versions/${current.version}/data.${format}`,
          hash: format === 'csv' ? `sha256:${current.sha256}` : '',
          size: null,
          position,
          state: 'active',
          datastore_active: true,
          created: iso(current.created_at),
          last_modified: iso(current.created_at),
          metadata_modified: iso(current.created_at),
          url_type: null,
        }))
      : [];
  return {
    id: ds.uuid,
    name: ds.name,
    title: ds.title,
    notes: ds.notes,
    url: '',
    version: String(ds.version),
    license_id: ds.license_id,
    license_title: licence?.title ?? ds.license_id,
    license_url: licence?.url ?? '',
    owner_org: org.id,
    organization: org,
    groups: theme ? [{ id: theme.name, name: theme.name, title: theme.title, display_name: theme.title }] : [],
    tags: ds.tags.map((t) => ({ id: t, name: t, display_name: t, state: 'active', vocabulary_id: null })),
    num_tags: ds.tags.length,
    resources,
    num_resources: resources.length,
    extras: [
      { key: 'access', value: ds.access === 'conditional' ? '有条件开放' : '无条件开放' },
      { key: 'update_cycle', value: ds.update_cycle },
      ...(ds.spatial ? [{ key: 'spatial', value: ds.spatial }] : []),
      ...(ds.temporal_start ? [{ key: 'temporal_start', value: ds.temporal_start }] : []),
      ...(ds.temporal_end ? [{ key: 'temporal_end', value: ds.temporal_end }] : []),
      ...(ds.contact ? [{ key: 'contact', value: ds.contact }] : []),
      ...d.versions.map((v) => ({ key: `version_${v.version}_sha256`, value: v.sha256 })),
    ],
    metadata_created: iso(ds.created_at),
    metadata_modified: iso(ds.modified_at),
    private: false,
    state: ds.state === 'active' ? 'active' : 'deleted',
    type: 'dataset',
    isopen: ds.access === 'open' && licence?.od_conformance === 'approved',
  };
}

export function organizationDict(code: string, name: string, id: number) {
  return {
    id: `org-${id}`,
    name: code.toLowerCase(),
    title: name,
    display_name: name,
    type: 'organization',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
    description: '',
    image_url: '',
  };
}

/** The schema a version's DataStore fields come from. */
export function datastoreFields(schema: TableSchema) {
  const TYPES: Record<string, string> = {
    string: 'text',
    integer: 'int',
    number: 'numeric',
    boolean: 'bool',
    date: 'date',
    datetime: 'timestamp',
  };
  return [
    { id: '_id', type: 'int' },
    ...schema.fields.map((f) => ({ id: f.name, type: TYPES[f.type] ?? 'text', info: { label: f.title } })),
  ];
}
