/**
 * In-process event bus for record events. Subscribers are after-hooks: they
 * run once the write is stored and can never undo it; a failing subscriber is
 * logged and does not affect the writer or other subscribers.
 */
import type { Logger } from '../observability/logger.ts';

export type RecordEventKind = 'created' | 'updated' | 'deleted';

export interface RecordEvent {
  kind: RecordEventKind;
  entity: string;
  id: string;
  version: number;
  /** names of the fields that changed (all set fields on create) */
  changedFields: string[];
  /** the record after the change (before, for deleted), as stored */
  record: Record<string, unknown>;
  previous?: Record<string, unknown>;
  by: string | null;
  at: Date;
  requestId: string;
  /** depth of the rule chain that caused this event (0 = a person or integrator) */
  ruleDepth: number;
}

export type RecordEventHandler = (event: RecordEvent) => void | Promise<void>;

export class EventBus {
  private readonly handlers = new Set<RecordEventHandler>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  subscribe(handler: RecordEventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  publish(event: RecordEvent): void {
    for (const handler of this.handlers) {
      const run = (async () => handler(event))()
        .catch((error: unknown) => this.logger.error({ err: error, entity: event.entity, id: event.id, kind: event.kind }, 'record event handler failed'))
        .finally(() => this.pending.delete(run));
      this.pending.add(run);
    }
  }

  /** Waits for handlers in flight (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
