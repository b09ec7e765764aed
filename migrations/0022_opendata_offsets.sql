-- opendata: downloads answer byte ranges (a resumed or parallel download of a large version). A version's files are
-- generated from its rows, byte for byte the same each time, so a version keeps each file's size and, every 1,000
-- rows, where that row begins in each file: a range is served by starting at the block before it.
alter table opendata_versions add column csv_bytes bigint check (csv_bytes >= 0),
                              add column json_bytes bigint check (json_bytes >= 0);

create table opendata_offsets (
  dataset_id   bigint not null,
  version      integer not null,
  row_no       integer not null check (row_no >= 1),
  csv_offset   bigint not null check (csv_offset >= 0),
  json_offset  bigint not null check (json_offset >= 0),
  primary key (dataset_id, version, row_no),
  foreign key (dataset_id, version) references opendata_versions (dataset_id, version) on delete cascade
);

grant select on opendata_offsets to zt_public;
grant select, insert, delete on opendata_offsets to zt_internal;
