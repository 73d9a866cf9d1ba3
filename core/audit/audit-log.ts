/**
 * The security audit log (`_audit`): who signed in, failed, was locked out,
 * used or revoked a token, was refused, changed roles or directions, handed
 * records over. Entries never hold secrets (no passwords, tokens or hashes)
 * and are append-only through this module.
 */
import { ObjectId, type Db, type Filter } from 'mongodb';
import type { Principal, RequestContext } from '../context.ts';
import type { Logger } from '../observability/logger.ts';

export const AUDIT_COLLECTION = '_audit';

export const AUDIT_TYPES = [
  'auth.login',
  'auth.login_failed',
  'auth.locked',
  'auth.logout',
  'auth.password_changed',
  'auth.csrf_refused',
  'token.created',
  'token.revoked',
  'token.used',
  'access.denied',
  'metadata.role_changed',
  'metadata.direction_changed',
  'user.created',
  'user.access_changed',
  'user.deleted',
  'handover.done',
  'handover.returned',
  'admin.bootstrapped',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

export interface AuditEntry {
  _id: ObjectId;
  at: Date;
  type: AuditType;
  /** the acting user (null: anonymous or the system) */
  actor: ObjectId | null;
  /** e-mail given at sign-in, or the actor's */
  email?: string;
  via: 'session' | 'token' | 'system' | 'anonymous';
  tokenId?: string;
  ip?: string;
  requestId?: string;
  target?: { entity?: string; id?: string; name?: string };
  details?: Record<string, unknown>;
}

export type AuditInput = Omit<AuditEntry, '_id' | 'at' | 'actor' | 'via'> & Partial<Pick<AuditEntry, 'actor' | 'via'>>;

/** Actor fields of an entry, from the operation context. */
export function actorFields(ctx: RequestContext): Pick<AuditEntry, 'actor' | 'via' | 'requestId'> & { email?: string; tokenId?: string } {
  const principal: Principal = ctx.principal;
  return {
    actor: principal.userId,
    via: principal.kind === 'token' ? 'token' : principal.kind === 'system' ? 'system' : 'session',
    requestId: ctx.requestId,
    ...(principal.email ? { email: principal.email } : {}),
    ...(principal.tokenId ? { tokenId: principal.tokenId } : {}),
  };
}

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  private get entries() {
    return this.db.collection<AuditEntry>(AUDIT_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.entries.createIndex({ at: -1 }, { name: 'at' });
    await this.entries.createIndex({ type: 1, at: -1 }, { name: 'type_at' });
    await this.entries.createIndex({ actor: 1, at: -1 }, { name: 'actor_at' });
  }

  /** Writes one entry. A failure is logged, never thrown: auditing must not break the request it describes. */
  async record(input: AuditInput): Promise<void> {
    const entry: AuditEntry = { _id: new ObjectId(), at: new Date(), actor: null, via: 'anonymous', ...input };
    try {
      await this.entries.insertOne(entry);
    } catch (error) {
      this.logger.error({ err: error, auditType: input.type }, 'audit entry could not be written');
    }
  }

  async list(input: { type?: AuditType; actor?: ObjectId; since?: Date; until?: Date; limit: number; offset: number }): Promise<{ items: AuditEntry[]; total: number }> {
    const filter: Filter<AuditEntry> = {};
    if (input.type) filter.type = input.type;
    if (input.actor) filter.actor = input.actor;
    if (input.since || input.until) filter.at = { ...(input.since ? { $gte: input.since } : {}), ...(input.until ? { $lt: input.until } : {}) };
    const [items, total] = await Promise.all([
      this.entries.find(filter).sort({ at: -1, _id: -1 }).skip(input.offset).limit(input.limit).toArray(),
      this.entries.countDocuments(filter),
    ]);
    return { items, total };
  }
}
