-- auth: sign-in through a unified identity platform (统一身份认证) by OpenID Connect. An account the platform vouched
-- for has no password of ours; a session remembers how it was opened, so that logging out of one the provider opened
-- also sends the browser to the provider's logout.
alter table accounts alter column password_hash drop not null;
alter table staff_sessions
  add column method text not null default 'password' check (method in ('password', 'oidc'));
alter table account_sessions
  add column method text not null default 'password' check (method in ('password', 'oidc'));
