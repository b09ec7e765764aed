// services: one-stop services (一网通办): service items (事项) with their guides, forms and workflows, grouped into
// sub-platforms; applications (办件) from draft to licence, with corrections, parallel approval and deadlines.

export { applicationsInternalRoutes, applicationsPublicRoutes } from './applications.routes.ts';
export { type ApplicationsDeps, createDraft, resubmit, saveDraft, submit, upload } from './applications.service.ts';
export { type Action, act, inbox } from './casework.service.ts';
export { servicesInternalRoutes, servicesPublicRoutes } from './services.routes.ts';
export type { CreateItem, Form, Guide, Item, Material, Workflow } from './services.schemas.ts';
export {
  createItem,
  defineSubplatform,
  getItem,
  itemUses,
  listItems,
  listSubplatforms,
  publishItem,
  type ServicesDeps,
  updateItem,
  withdrawItem,
} from './services.service.ts';
export { APPLICATION_EVENTS } from './workflow.ts';
