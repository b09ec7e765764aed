// The catalog entry as the API answers it (catalog and registry routes); its vocabulary's labels are in texts/labels.ts.
export interface CatalogRegister {
  id: number;
  code: string;
  version: number;
  departmentId: number;
  provider: { name: string; code: string };
  updatedAt: string;
  metadata: {
    name: string;
    attribute: string;
    baseLibrary?: string;
    abstract: string;
    format: string;
    sharing: { type: string; conditions?: string; method?: string; basis?: string };
    open: { type: string; conditions?: string };
    updateCycle: string;
    publishedOn: string;
    visibility: string;
    fields: Array<{
      code: string;
      name: string;
      type: string;
      required?: boolean;
      unique?: boolean;
      grade: string;
      piiType: string;
      enumValues?: string[];
    }>;
  };
}
