// The session cookies of the two cookie zones.
import type { FastifyReply } from 'fastify';

export const COOKIE = { staff: 'zt_staff', account: 'zt_account' } as const;

/** HttpOnly and SameSite=Strict: no script reads it and no other site's page sends it. */
export function setSessionCookie(
  reply: FastifyReply,
  name: string,
  session: { token: string; expiresAt: Date },
  secure: boolean,
): void {
  reply.setCookie(name, session.token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: session.expiresAt,
  });
}
