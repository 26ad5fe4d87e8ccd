import { execFile } from 'node:child_process';
import path from 'node:path';

/** Runs a CLI script as `npm run` does (through tsx), against its own data directory and a clean environment. */
export function runScript(
  script: 'import' | 'export' | 'template' | 'audit',
  args: string[],
  dataDir: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const root = path.resolve(import.meta.dirname, '../..');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts', `${script}.ts`), ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ANSVAR_DATA_DIR: dataDir },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
