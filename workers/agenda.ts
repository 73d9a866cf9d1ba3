/**
 * Agenda on the platform's database. Its jobs live in `_jobs`, a platform
 * collection name that can never clash with an entity's records.
 */
import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';
import type { JobKind, JobQueue, ScheduledJob } from '../core/jobs/job-kinds.ts';

export const JOBS_COLLECTION = '_jobs';

export function createAgenda(input: { db: Db; name: string; processEvery?: number | string }): Agenda {
  return new Agenda({
    backend: new MongoBackend({ mongo: input.db, collection: JOBS_COLLECTION }),
    name: input.name,
    processEvery: input.processEvery ?? '5 seconds',
    defaultLockLifetime: 5 * 60_000,
  });
}

/** The core job queue over Agenda; usable without processing jobs (an API process with RELATA_WORKERS=false). */
export function agendaJobQueue(agenda: Agenda): JobQueue {
  return {
    async schedule<K extends JobKind>(job: ScheduledJob<K>): Promise<void> {
      await agenda.ready;
      const created = agenda.create(job.kind, job.data);
      if (job.isUnique) {
        const byData = Object.fromEntries(Object.entries(job.data).map(([field, value]) => [`data.${field}`, value]));
        created.unique({ name: job.kind, ...byData });
      }
      created.schedule(job.at ?? new Date());
      await created.save();
    },
  };
}
