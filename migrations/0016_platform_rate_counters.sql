-- platform: counters shared by every instance of every zone (login throttles, exchange rates, refusal budgets), so
-- that N instances behind a balancer enforce one limit, not N. Fixed windows aligned to the epoch, so all instances
-- agree on a window by its start. `granted` is the amount the last claim on a budget was given (see counters.ts).
create table rate_counters (
  key          text not null check (length(key) between 1 and 200),
  window_start timestamptz not null,
  count        integer not null check (count >= 0),
  granted      integer not null default 0,
  primary key (key, window_start)
);
grant select, insert, update, delete on rate_counters to zt_public, zt_internal, zt_exchange;
