/**
 * The first administrator, created on the first start of a database without
 * users, from RELATA_ADMIN_EMAIL / RELATA_ADMIN_PASSWORD. Without a password
 * a random one is generated and printed once, on its own, to stdout — never
 * through the structured logger (log pipelines keep lines) and never again.
 * Several processes starting together: the unique e-mail index lets one win;
 * only the winner prints.
 */
import { systemContext } from '../context.ts';
import { createRecord } from '../records/operations/create.ts';
import type { RecordDeps } from '../records/deps.ts';
import { isAppError } from '../shared/errors.ts';
import type { AuthDeps } from './deps.ts';
import { randomPassword } from './secrets.ts';
import { USER_ENTITY, countUsers, normalizeEmail } from './users.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@relata.local';
export const ADMIN_ROLE = 'admin';

export async function ensureFirstAdmin(input: {
  deps: AuthDeps;
  records: RecordDeps;
  email?: string;
  password?: string;
  /** where a generated password is shown (default: stdout) */
  print?: (text: string) => void;
}): Promise<{ isCreated: boolean; email?: string }> {
  const { deps } = input;
  if ((await countUsers(deps.db)) > 0) return { isCreated: false };
  const email = normalizeEmail(input.email ?? DEFAULT_ADMIN_EMAIL);
  const isGenerated = input.password === undefined;
  const password = input.password ?? randomPassword();
  try {
    await createRecord({
      ctx: systemContext('bootstrap'),
      deps: input.records,
      entity: USER_ENTITY,
      data: { email, name: 'Administrator', password, roles: [ADMIN_ROLE] },
    });
  } catch (error) {
    if (isAppError(error) && error.code === 'DUPLICATE') return { isCreated: false };
    throw error;
  }
  if (isGenerated) {
    const print = input.print ?? ((text: string) => process.stdout.write(text));
    print(`\nRelata: the first administrator was created.\n  e-mail:   ${email}\n  password: ${password}\nThis password is shown only once; sign in and change it (POST /api/v1/auth/password).\n\n`);
  }
  await deps.audit.record({ type: 'admin.bootstrapped', via: 'system', target: { entity: USER_ENTITY }, details: { email, isPasswordGenerated: isGenerated } });
  deps.logger.info({ email }, 'first administrator created');
  return { isCreated: true, email };
}
