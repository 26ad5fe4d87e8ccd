// `npm start`'s prestart: compiles with tsc only when a source file is newer than the last build, so a start after
// the first build goes straight to node (npm ci builds through `prepare`). Plain JavaScript so it needs no loader.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const SOURCE_DIRS = ['core', 'data', 'services', 'cards', 'bot', 'scripts'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json'];

/** Newest modification time (ms) of the compiled sources (.ts and the JSON they import). */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(path.join(root, dir));
  for (const file of SOURCE_FILES) newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
  return newest;
}

function builtAt() {
  try {
    return fs.statSync(stamp).mtimeMs;
  } catch {
    return -1;
  }
}

if (process.argv.includes('--stamp') || builtAt() < newestSource()) {
  if (!process.argv.includes('--stamp')) {
    process.stderr.write('ansvar: sources changed since the last build; compiling (tsc) ...\n');
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
    if (result.status !== 0) {
      process.stderr.write('ansvar: the build failed (see above); fix it and run npm start again\n');
      process.exit(result.status ?? 1);
    }
  }
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
