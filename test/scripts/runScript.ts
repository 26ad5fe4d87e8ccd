import { execFile } from 'node:child_process';
import path from 'node:path';

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a CLI script as `npm run` does (through tsx), against its own data directory and a clean environment. */
export function runScript(
  script: 'import' | 'export' | 'template' | 'audit',
  args: string[],
  dataDir: string,
): Promise<ScriptResult> {
  return runScriptWith(script, args, { ANSVAR_DATA_DIR: dataDir });
}

/** Runs `scripts/<script>.ts` through tsx with only PATH, HOME and `env` in its environment. */
export function runScriptWith(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ScriptResult> {
  const root = path.resolve(import.meta.dirname, '../..');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts', `${script}.ts`), ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        timeout: timeoutMs,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
