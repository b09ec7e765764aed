-- opendata: a change to the published datasets (a release moves `version` and `modified_at`, a withdrawal `state`)
-- bumps the cache generation, so the public zone's in-memory catalogue (CKAN's package_search, lists, DCAT) checks
-- one row per call instead of counting the catalogue.
create trigger opendata_datasets_bump after insert or update or delete on opendata_datasets
  for each statement execute function cache_generation_bump();
