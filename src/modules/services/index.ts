// services: the one-stop service catalog (一网通办): service items (事项) with their guides, grouped into
// sub-platforms. Forms, workflows and applications build on it.

export { applicationsInternalRoutes, applicationsPublicRoutes } from './applications.routes.ts';
export {
  type ApplicationsDeps,
  act,
  createDraft,
  inbox,
  resubmit,
  saveDraft,
  submit,
  upload,
} from './applications.service.ts';
export { servicesInternalRoutes, servicesPublicRoutes } from './services.routes.ts';
export type { CreateItem, Form, Guide, Item, Material, Workflow } from './services.schemas.ts';
export {
  createItem,
  defineSubplatform,
  getItem,
  listItems,
  listSubplatforms,
  publishItem,
  type ServicesDeps,
  updateItem,
  withdrawItem,
} from './services.service.ts';
