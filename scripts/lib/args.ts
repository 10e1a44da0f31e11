import { parseArgs } from 'node:util';

type Flags = Record<string, { type: 'string' | 'boolean' }>;
type Values<F extends Flags> = { [K in keyof F]?: F[K]['type'] extends 'boolean' ? boolean : string };

/**
 * Parses `process.argv` strictly: an unknown flag or a missing value prints the usage on stderr and
 * exits with 2 (a usage error, as opposed to 1 for a failed run). `--help` prints it on stdout.
 */
export function parseCommandLine<const F extends Flags>(usage: string, flags: F): Values<F> {
  try {
    const options = { ...flags, help: { type: 'boolean' as const } };
    // parseArgs cannot infer value types through a generic; Values<F> is what it returns for `flags`.
    const values = parseArgs({ args: process.argv.slice(2), options, strict: true }).values as Values<F> & { help?: boolean };
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    return values;
  } catch (error) {
    return usageError(usage, error instanceof Error ? error.message : String(error));
  }
}

export function usageError(usage: string, message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

/** A flag's value as a positive integer, or `fallback` when the flag was not given. */
export function positiveInteger(usage: string, flag: string, value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    usageError(usage, `--${flag} must be a positive integer, got ${JSON.stringify(value)}.`);
  }
  return Number(text);
}
