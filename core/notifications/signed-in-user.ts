import type { ObjectId } from 'mongodb';
import type { RequestContext } from '../context.ts';
import { unauthenticated } from '../shared/errors.ts';

/**
 * The user a personal resource (notifications, calendar feed) belongs to.
 * The system principal and tokens without a user have none: 401.
 */
export function signedInUserId(ctx: RequestContext): ObjectId {
  const userId = ctx.principal.userId;
  if (!userId) throw unauthenticated('Sign in as a user to use your notifications and calendar');
  return userId;
}
