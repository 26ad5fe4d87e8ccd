import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The command line of an operator command, parsed by node:util's parseArgs, or the exit code when the command is
 * done with it: 2 after the parse error and the usage on stderr, 0 after the usage on stdout when `config` has a
 * `help` option and it was given.
 */
export function parseCommandLine<T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    return usageError((error as Error).message, usage);
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  return parsed;
}

/** Says what is wrong with the command line, then the usage, on stderr; the exit code of a usage error (2). */
export function usageError(message: string, usage: string): 2 {
  process.stderr.write(`${message}\n\n${usage}\n`);
  return 2;
}
