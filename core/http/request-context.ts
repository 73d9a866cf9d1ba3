import type { Context } from 'hono';
import { SYSTEM_PRINCIPAL, type Principal, type RequestContext } from '../context.ts';
import type { Locale } from '../metadata/types.ts';

/**
 * The operation context of a request. The authentication middleware sets the
 * principal; until identity lands (issue 6) every request acts as the system.
 */
export function requestContext(c: Context): RequestContext {
  const principal = (c.get("principal") as Principal | undefined) ?? SYSTEM_PRINCIPAL;
  const accept = c.req.header('accept-language') ?? '';
  const locale: Locale = /^ru\b/i.test(accept) ? 'ru' : 'en';
  return { principal, requestId: c.get('requestId') as string, locale };
}
