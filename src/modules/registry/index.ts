// registry: the data resource catalog (政务信息资源目录). A register is one data resource: catalog metadata, fields
// (信息项) with grade and PII type, and versioned records.

export { type ExportFormat, exportRecords } from './export.service.ts';
export { type ImportReport, importRecords } from './import.service.ts';
export { type ImportFormat, rowsOf } from './import-sources.ts';
export { recordSchema } from './record-schema.ts';
export {
  createRecord,
  createRecordIn,
  deleteRecord,
  filterValue,
  findRecordsWhere,
  getRecord,
  listRecords,
  parseRecordsJson,
  type RegisterFacts,
  recordAtVersion,
  recordsForIndex,
  recordsWhereSql,
  registerCodesOf,
  registerFacts,
  registerOfBaseLibrary,
  updateRecord,
} from './records.service.ts';
export { canReadRecords } from './registry.policy.ts';
export { catalogPublicRoutes, registryInternalRoutes } from './registry.routes.ts';
export type { CreateRegister, Field, Metadata, RecordView, Register } from './registry.schemas.ts';
export { CODE_PATTERN } from './registry.schemas.ts';
export { createRegister, getCatalogEntry, listCatalog, type RegistryDeps, updateRegister } from './registry.service.ts';
