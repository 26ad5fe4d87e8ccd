import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeConnector } from '../../fakes/fakeConnector.js';
import { makeTempDir, removeDir, writeRegister } from './dataDir.js';
import { twoOrganisations } from './generateRegister.js';
import { expectedReply } from './localRatio.js';
import { drive } from './ratioLoad.js';
import { buildQuestions } from './ratioQuestions.js';
import { startServer, stop, type RatioBot } from './ratioServers.js';

/**
 * What a "who owns" turn leaves in the old generation (issue 17): the server runs as `npm start` runs it (local
 * mode, unseen two-organisation register, the local-mode ratio's questions) with `--trace-gc-nvp` and
 * survivorProbe.mjs preloaded. After every question once and `--warmup` turns, `--turns` turns are measured: the
 * bytes the scavenges promoted (V8's own count, independent of the machine's load) and a sampling heap profile of
 * only the objects that outlived a scavenge, summed by allocating function and by the nearest function of ours.
 *
 *   node --import tsx scripts/bench/survivors.ts [--bot=ansvar|echo] [--turns=3000] [--warmup=6000] [--top=25]
 *        [--node-options='--no-allocation-site-pretenuring']
 *
 * Needs `npm run build`.
 */

const argv = process.argv.slice(2);
const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const bot = (value('bot') ?? 'ansvar') as RatioBot;
const turns = Number(value('turns') ?? 3000);
const warmup = Number(value('warmup') ?? 6000);
const top = Number(value('top') ?? 25);
/** Added to the server's node options (a V8 flag under test). */
const extraNodeOptions = (value('node-options') ?? '').split(' ').filter((o) => o !== '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Sums of the scavenges' and mark-compacts' nvp lines written between two offsets of the GC log. */
function gcTotals(log: string) {
  let scavenges = 0;
  let markCompacts = 0;
  let promoted = 0;
  let allocated = 0;
  for (const line of log.split('\n')) {
    const kind = / gc=(\w+)/.exec(line)?.[1];
    if (kind === 's') {
      scavenges += 1;
      promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    } else if (kind === 'mc' || kind === 'ms') markCompacts += 1;
    allocated += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return { scavenges, markCompacts, promoted, allocated };
}

const ours = (url: string) => /\/dist\/(bot|cards|services|data|core)\//.test(url);
const frameName = (f: ProfileNode['callFrame']) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;

function summarise(root: ProfileNode): void {
  const byLeaf = new Map<string, number>();
  const byOurs = new Map<string, number>();
  let total = 0;
  const walk = (node: ProfileNode, nearestOurs: string) => {
    const here = ours(node.callFrame.url) ? frameName(node.callFrame) : nearestOurs;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const leaf = frameName(node.callFrame);
      byLeaf.set(leaf, (byLeaf.get(leaf) ?? 0) + node.selfSize);
      byOurs.set(here, (byOurs.get(here) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(root, '(none of ours on the stack)');
  const print = (title: string, sums: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, bytes] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(
        `${(bytes / turns / 1024).toFixed(2).padStart(7)} KB/turn ${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${name}`,
      );
    }
  };
  console.log(`sampled survivors: ${(total / turns / 1024).toFixed(1)} KB per turn`);
  print('by allocating function', byLeaf);
  print('by the nearest function of ours on the stack', byOurs);
}

async function main(): Promise<void> {
  const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), 'survivorProbe.mjs');
  const dataDir = await makeTempDir(`survivors-${bot}`);
  const gcLog = `${dataDir}.gc.log`;
  const profileFile = `${dataDir}.survivors.json`;
  const connector = await startFakeConnector();
  try {
    const register = twoOrganisations(400);
    await writeRegister(dataDir, register);
    const questions = buildQuestions(register, connector.serviceUrl);
    const byId = new Map(questions.map((q) => [q.activityId, q]));
    const server = await startServer(bot, dataDir, false, {
      nodeOptions: [`--import=${probe}`, '--trace-gc-nvp', ...extraNodeOptions],
      // V8's GC trace goes to stdout: into a file, so none of it is lost.
      wrapper: ['bash', '-c', `exec "$0" "$@" > ${gcLog}`],
    });
    try {
      const cursor = { next: 0 };
      connector.reset();
      await drive(server.url, questions, 1, { requests: questions.length }, cursor);
      const unexpected = new Set(
        connector.activities.filter((r) => !expectedReply(bot, r, byId)).map((r) => String(r.replyToId)),
      );
      const asked = questions.filter((q) => !unexpected.has(q.activityId));
      cursor.next = 0;
      await drive(server.url, asked, 1, { requests: warmup }, cursor);
      await sleep(500);
      const from = fs.statSync(gcLog).size;
      server.child.kill('SIGUSR2');
      await sleep(200);
      connector.reset();
      const load = await drive(server.url, asked, 1, { requests: turns }, cursor);
      const to = fs.statSync(gcLog).size;
      server.child.kill('SIGUSR2');
      for (let i = 0; i < 100 && !fs.existsSync(profileFile); i += 1) await sleep(100);
      await sleep(500);
      const log = (await fsp.readFile(gcLog)).subarray(from, to).toString('utf8');
      const gc = gcTotals(log);
      console.log(
        `${bot}: ${turns} turns after ${warmup} warm-up: promoted ${(gc.promoted / turns / 1024).toFixed(1)} KB ` +
          `per turn (V8's count) of ${(gc.allocated / turns / 1024).toFixed(1)} KB allocated, ${gc.scavenges} scavenges, ${gc.markCompacts} mark-compacts`,
      );
      // After the figures, so a build under test that answers differently still shows them.
      const right = connector.activities.filter((r) => expectedReply(bot, r, byId)).length;
      if (load.failed > 0 || right !== turns)
        throw new Error(`${load.failed} failed, ${right} of ${turns} right`);
      const profile = JSON.parse(await fsp.readFile(profileFile, 'utf8')) as {
        head?: ProfileNode;
        error?: string;
      };
      if (!profile.head) throw new Error(`no profile: ${profile.error}`);
      summarise(profile.head);
    } finally {
      await stop(server);
    }
  } finally {
    await connector.close();
    await removeDir(dataDir);
    for (const file of [`${dataDir}.env`, gcLog, profileFile]) await fsp.rm(file, { force: true });
  }
}

await main();
