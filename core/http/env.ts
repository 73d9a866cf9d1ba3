import type { Principal } from '../context.ts';
import type { Logger } from '../observability/logger.ts';

/** Per-request variables every route can read through `c.get(...)`. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** set by the authentication middleware */
    principal?: Principal;
  };
}
