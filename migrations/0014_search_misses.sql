-- search: queries that found nothing, counted per day (no user, no address), so the platform admin can see what
-- people look for in words the catalog does not use and add synonyms. Queries that look like identifiers, phone
-- numbers or e-mail addresses are never stored; rows older than 90 days are deleted when counts are written.
create table search_misses (
  day   date not null,
  zone  text not null check (zone in ('public', 'internal')),
  query text not null check (length(query) between 1 and 50),
  count integer not null check (count > 0),
  primary key (day, zone, query)
);

grant select, insert, update, delete on search_misses to zt_public, zt_internal;
