/**
 * Whether a record may enter a stage, as a list of reasons it may not (all
 * of them, so a person can fix everything at once): the stage exists, it is
 * not the current one, the current stage leads to it, the target stage's
 * required fields have values, and its guards hold. The same checks serve
 * manual transitions, rule actions and rule dry runs. Pure.
 */
import type { Locale, PipelineDefinition, StageDefinition } from '../metadata/types.ts';
import { evaluateLogic } from '../logic/evaluate-logic.ts';
import type { FieldError } from '../shared/errors.ts';
import { stageOf } from './lookup.ts';

export function localized(text: { en: string } & Partial<Record<Locale, string>>, locale: Locale): string {
  return text[locale] ?? text.en;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export function transitionProblems(input: { pipeline: PipelineDefinition; record: Record<string, unknown>; to: string; locale: Locale }): FieldError[] {
  const { pipeline, record, locale } = input;
  const target = stageOf(pipeline, input.to);
  if (!target) return [{ path: '/stage', message: `is not a stage of the pipeline "${pipeline.name}" ("${input.to}")` }];
  const from = stageOf(pipeline, record.stage);
  if (from?.name === target.name) return [{ path: '/stage', message: `the record is already in "${localized(target.label, locale)}"` }];
  const problems: FieldError[] = [];
  // A stage without `next` leads anywhere; a record in a stage the pipeline no longer has may go anywhere too.
  if (from?.next && !from.next.includes(target.name)) {
    const allowed = from.next.length > 0 ? `allowed: ${from.next.join(', ')}` : `"${from.name}" is final`;
    problems.push({ path: '/stage', message: `cannot move from "${from.name}" to "${target.name}" (${allowed})` });
  }
  problems.push(...entryProblems(target, record, locale));
  return problems;
}

/** Required fields and guards of the target stage. */
export function entryProblems(target: StageDefinition, record: Record<string, unknown>, locale: Locale): FieldError[] {
  const problems: FieldError[] = [];
  const label = localized(target.label, locale);
  for (const name of target.requiredFields ?? []) {
    if (isEmpty(record[name])) problems.push({ path: `/${name}`, message: `is required to enter "${label}"` });
  }
  for (const guard of target.guards ?? []) {
    const result = evaluateLogic(guard.condition, record);
    const path = guard.field ? `/${guard.field}` : '/stage';
    if (!result.ok) problems.push({ path, message: `${localized(guard.message, locale)} (the guard could not be evaluated: ${result.errors[0]?.message ?? result.reason})` });
    else if (!isTruthy(result.value)) problems.push({ path, message: localized(guard.message, locale) });
  }
  return problems;
}

/** json-logic truthiness: empty arrays are false. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}
