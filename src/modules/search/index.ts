// search: instant search over services and the catalog (public), and over records and staff (internal).
export { type SearchDoc, SearchIndex } from './engine.ts';
export { searchInternalRoutes, searchPublicRoutes } from './search.routes.ts';
export { SearchHub } from './search.service.ts';
export {
  fullCatalog,
  openDatasets,
  publicCatalog,
  registerRecords,
  type SearchSource,
  serviceItems,
  staffDirectory,
} from './sources.ts';
