// opendata: government data opened to society (数据开放): datasets from registers' open fields, immutable versions
// with their hashes, a data dictionary per dataset, and CKAN's Action API so CKAN's tools work unchanged.

export { opendataApplicantRoutes, opendataReviewRoutes } from './access.routes.ts';
export { escalateOverdueApplications } from './access.service.ts';
export { ckanRoutes } from './ckan.routes.ts';
export { dcatRoutes } from './dcat.routes.ts';
export { opendataInternalRoutes, opendataPublicRoutes } from './opendata.routes.ts';
export { LICENCES, THEMES } from './opendata.schemas.ts';
export {
  activeDatasets,
  type OpendataDeps,
  publishFromRegister,
  releaseVersion,
  withdrawDataset,
} from './opendata.service.ts';
export { publishFromUpload, releaseFromUpload, stageUpload } from './uploads.service.ts';
export { publishUsage, USAGE_DATASET } from './usage.service.ts';
