/**
 * Schedule slots of a rule: the moments its five-field cron expression
 * names in its time zone (default UTC), computed by cron-parser (the parser
 * Agenda itself uses).
 */
import { CronExpressionParser } from 'cron-parser';

/** Why the expression cannot be used, or undefined. */
export function cronProblem(cron: string, timezone = 'UTC'): string | undefined {
  try {
    CronExpressionParser.parse(cron, { tz: timezone, strict: false }).next();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The latest slot at or before `now`. */
export function latestSlot(cron: string, timezone: string | undefined, now: Date): Date {
  return CronExpressionParser.parse(cron, { tz: timezone ?? 'UTC', currentDate: new Date(now.getTime() + 1) }).prev().toDate();
}

/** Slots in [from, to], oldest first, at most `max`. */
export function slotsBetween(cron: string, timezone: string | undefined, from: Date, to: Date, max: number): Date[] {
  const expression = CronExpressionParser.parse(cron, { tz: timezone ?? 'UTC', currentDate: new Date(from.getTime() - 1), endDate: to });
  const slots: Date[] = [];
  while (slots.length < max && expression.hasNext()) {
    const next = expression.next().toDate();
    if (next > to) break;
    slots.push(next);
  }
  return slots;
}
