/**
 * The explicit context every operation receives: who acts, for which request,
 * in which locale. Never read the user from a global.
 */
import type { ObjectId } from 'mongodb';
import type { Locale } from './metadata/types.ts';

export interface Principal {
  kind: 'user' | 'token' | 'system';
  /** the acting user (a token acts for the user who created it); null for the system */
  userId: ObjectId | null;
  email?: string;
  roles: string[];
  directions: string[];
  /** administrators bypass role permissions and see every direction */
  isAdmin: boolean;
  /** sees every business direction without being an administrator */
  hasAllDirections: boolean;
  /** token scopes (`*` or `entity:action`); undefined for sessions */
  scopes?: string[];
  /** the session or API token the request was authenticated with (for audit and logout) */
  sessionId?: string;
  tokenId?: string;
  /** the user and everyone below them in the manager hierarchy; set when a role restricts to "team" */
  team?: ObjectId[];
  /** set when a rule acts: its name, recorded in history */
  rule?: string;
}

export interface RequestContext {
  principal: Principal;
  requestId: string;
  locale: Locale;
}

export const SYSTEM_PRINCIPAL: Principal = Object.freeze({
  kind: 'system',
  userId: null,
  roles: [],
  directions: [],
  isAdmin: true,
  hasAllDirections: true,
}) as Principal;

export function systemContext(requestId = 'system'): RequestContext {
  return { principal: SYSTEM_PRINCIPAL, requestId, locale: 'en' };
}
