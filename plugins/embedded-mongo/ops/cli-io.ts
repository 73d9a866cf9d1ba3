/**
 * Shared plumbing for the operations CLIs: argument parsing with clear usage errors, and one
 * place that turns an outcome into an exit code (0 done, 1 refused or failed, 2 bad arguments).
 */
import { parseArgs } from 'node:util';

/** Bad command-line arguments: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

/** The operation refused to run or failed for a reason the operator can act on: exit code 1. */
export class OpsError extends Error {}

export type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

export interface ParsedArgs {
  strings: Record<string, string | undefined>;
  flags: Record<string, boolean>;
}

export function parseCliArgs(argv: string[], spec: OptionSpec): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }));
  } catch (err) {
    // parseArgs explains unknown options, missing values and stray positionals well enough.
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const strings: Record<string, string | undefined> = {};
  const flags: Record<string, boolean> = {};
  for (const [name, { type }] of Object.entries(spec)) {
    const value = values[name];
    if (type === 'boolean') flags[name] = value === true;
    else {
      if (value === '') throw new UsageError(`--${name} needs a non-empty value`);
      strings[name] = typeof value === 'string' ? value : undefined;
    }
  }
  return { strings, flags };
}

export function requireString(args: ParsedArgs, name: string): string {
  const value = args.strings[name];
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs a CLI body and maps its outcome to an exit code; unexpected errors keep their stack. */
export async function runCli(usage: string, body: () => Promise<void>, io: CliIo = processIo): Promise<number> {
  try {
    await body();
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}`);
      io.err(usage);
      return 2;
    }
    if (err instanceof OpsError) {
      io.err(`error: ${err.message}`);
      return 1;
    }
    io.err(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
