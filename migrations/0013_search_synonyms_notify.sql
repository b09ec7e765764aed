-- search: the editable synonym table, and notifications that keep every instance's in-memory index fresh.
-- Each change to what the indexes hold sends NOTIFY zt_search with the table's name (records: the changed ids,
-- or their range lo-hi when a statement touched more than 200), after the transaction commits and only if it does.
create table search_synonyms (
  id         bigint generated always as identity primary key,
  terms      text[] not null check (cardinality(terms) between 2 and 20),
  updated_by text not null,
  updated_at timestamptz not null default now()
);

grant select on search_synonyms to zt_public, zt_internal;
grant insert, update, delete on search_synonyms to zt_internal;
grant usage on sequence search_synonyms_id_seq to zt_internal;

-- The shipped defaults (editable by the platform admin): how people say it ↔ how items are named.
insert into search_synonyms (terms, updated_by) values
  ('{户口,户籍}', 'system'),
  ('{社保,社会保险}', 'system'),
  ('{社保卡,社会保障卡}', 'system'),
  ('{公积金,住房公积金}', 'system'),
  ('{驾照,驾驶证,机动车驾驶证}', 'system'),
  ('{身份证,居民身份证}', 'system'),
  ('{医保,医疗保险,基本医疗保险}', 'system'),
  ('{养老金,退休金,基本养老金}', 'system'),
  ('{低保,最低生活保障}', 'system'),
  ('{房产,不动产,房屋}', 'system'),
  ('{过户,转移登记}', 'system'),
  ('{开公司,注册公司,企业设立}', 'system'),
  ('{营业执照,企业登记}', 'system'),
  ('{结婚证,结婚登记}', 'system'),
  ('{出生证,出生医学证明}', 'system'),
  ('{残疾证,残疾人证}', 'system'),
  ('{教资,教师资格}', 'system'),
  ('{上牌,机动车注册登记}', 'system'),
  ('{失业金,失业保险金}', 'system'),
  ('{准生证,生育登记}', 'system'),
  ('{上户口,落户,入户}', 'system'),
  ('{迁移,迁入,迁户}', 'system'),
  ('{换证,换领}', 'system'),
  ('{补办,补领,补换}', 'system'),
  ('{房贷,住房贷款,个人贷款}', 'system'),
  ('{个体户,个体工商户}', 'system'),
  ('{证明,开具证明}', 'system');

create function search_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('zt_search', tg_table_name);
  return null;
end
$$;

create trigger service_items_search after insert or update or delete on service_items
  for each statement execute function search_notify();
create trigger subplatforms_search after insert or update or delete on subplatforms
  for each statement execute function search_notify();
create trigger registers_search after insert or update or delete on registers
  for each statement execute function search_notify();
create trigger departments_search after insert or update or delete on departments
  for each statement execute function search_notify();
create trigger staff_search after insert or update or delete on staff
  for each statement execute function search_notify();
create trigger staff_roles_search after insert or update or delete on staff_roles
  for each statement execute function search_notify();
create trigger search_synonyms_search after insert or update or delete on search_synonyms
  for each statement execute function search_notify();

create function search_notify_records() returns trigger language plpgsql as $$
declare
  n   integer;
  ids text;
  lo  bigint;
  hi  bigint;
begin
  select count(*), string_agg(id::text, ',') into n, ids from (select id from changed_rows limit 201) s;
  if n > 200 then
    select min(id), max(id) into lo, hi from changed_rows;
    ids := lo || '-' || hi;
  end if;
  if n > 0 then
    perform pg_notify('zt_search', 'records:' || ids);
  end if;
  return null;
end
$$;

create trigger records_search_insert after insert on records
  referencing new table as changed_rows for each statement execute function search_notify_records();
create trigger records_search_update after update on records
  referencing new table as changed_rows for each statement execute function search_notify_records();
