-- One counter for the rows that hot paths keep in memory: API clients, registers' metadata, grants and the safety
-- valve's policies. Every change to them bumps it in the same transaction; the exchange reads it in the same
-- statement as its work, so a process whose cached copy is older notices at once, drops the cache and redoes the
-- call on fresh rows. Caching is therefore exact, not "eventually" right.
create table cache_generation (
  singleton boolean primary key default true check (singleton),
  n         bigint not null
);
insert into cache_generation (singleton, n) values (true, 1);

create function cache_generation_bump() returns trigger language plpgsql security definer
set search_path = public, pg_temp as $$
begin
  update cache_generation set n = n + 1 where singleton;
  return null;
end
$$;
revoke all on function cache_generation_bump() from public;

create trigger api_clients_bump after insert or delete or update of status, public_key, alg, department_id, key_id
  on api_clients for each statement execute function cache_generation_bump();
create trigger registers_bump after insert or delete or update of version, metadata, department_id, code
  on registers for each statement execute function cache_generation_bump();
create trigger grants_bump after insert or update or delete on grants
  for each statement execute function cache_generation_bump();
create trigger valve_policies_bump after insert or update or delete on valve_policies
  for each statement execute function cache_generation_bump();

grant select on cache_generation to zt_public, zt_internal, zt_exchange;
