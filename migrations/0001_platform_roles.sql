-- One database role per zone. Module code runs every transaction under its zone's role (SET LOCAL ROLE), so
-- the wall between zones is enforced by PostgreSQL grants, not only by which routes a listener mounts.
-- Roles are cluster-wide: create them once, tolerate another database having created them concurrently.
do $$
declare
  r text;
begin
  foreach r in array array['zt_public', 'zt_internal', 'zt_exchange'] loop
    if not exists (select 1 from pg_roles where rolname = r) then
      begin
        execute format('create role %I nologin', r);
      exception when duplicate_object or unique_violation then
        null; -- created by a concurrent migration of another database in the same cluster
      end;
    end if;
    -- A non-superuser application owner must be a member to SET ROLE; a superuser needs no grant.
    if not (select rolsuper from pg_roles where rolname = current_user)
       and not pg_has_role(current_user, r, 'member') then
      execute format('grant %I to %I', r, current_user);
    end if;
  end loop;
end
$$;

-- Nothing is readable by a zone role unless a later migration grants it.
revoke all on schema public from public;
grant usage on schema public to zt_public, zt_internal, zt_exchange;
