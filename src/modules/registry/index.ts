// registry: the data resource catalog (政务信息资源目录). A register is one data resource: catalog metadata, fields
// (信息项) with grade and PII type, and versioned records.

export { type ExportFormat, exportRecords } from './export.service.ts';
export { type ImportReport, importRecords } from './import.service.ts';
export { recordSchema } from './record-schema.ts';
export { createRecord, deleteRecord, getRecord, listRecords, updateRecord } from './records.service.ts';
export { catalogPublicRoutes, registryInternalRoutes } from './registry.routes.ts';
export type { CreateRegister, Field, Metadata, Register } from './registry.schemas.ts';
export { createRegister, getCatalogEntry, listCatalog, type RegistryDeps, updateRegister } from './registry.service.ts';
