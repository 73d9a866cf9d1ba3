/**
 * mingo's ComputeOptions class is not exported, but every operator receives an instance.
 * Building options through it once (instead of passing a plain object) lets each Query and
 * Aggregator copy them cheaply rather than re-copying the whole operator Context (~45 µs),
 * and lets accumulators evaluate per-document with the correct `$$ROOT`.
 */
import { Context } from 'mingo/core';
import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';

export interface ComputeOptionsLike extends Options {
  update(locals: Record<string, unknown>): ComputeOptionsLike;
}

interface ComputeOptionsClass {
  init(options: Partial<Options>): ComputeOptionsLike;
}

function captureClass(): ComputeOptionsClass {
  let captured: unknown;
  const context = Context.init({
    query: {
      $captureOptions: (_selector: string, _value: unknown, options: unknown) => {
        captured = options;
        return () => true;
      },
    },
  } as unknown as Parameters<typeof Context.init>[0]);
  new Query({ x: { $captureOptions: 1 } }, { context });
  const ctor = (captured as { constructor?: unknown } | undefined)?.constructor as Partial<ComputeOptionsClass> | undefined;
  if (!ctor || typeof ctor.init !== 'function') throw new Error('mingo internals changed: ComputeOptions not found');
  return ctor as ComputeOptionsClass;
}

const ComputeOptions = captureClass();

/** Prepared options (a ComputeOptions instance) from plain ones. */
export function prepareOptions(options: Partial<Options>): Options {
  return ComputeOptions.init(options);
}

/** A copy of options whose `$$ROOT` is `root` (what mingo's own accumulators do per document). */
export function withRoot(options: Options, root: unknown): Options {
  return ComputeOptions.init(options).update({ root });
}

/** A copy of options carrying user variables (`let`), with no `$$ROOT` yet. */
export function withVariables(options: Options, variables: Record<string, unknown>): Options {
  return ComputeOptions.init(options).update({ root: null, variables });
}
