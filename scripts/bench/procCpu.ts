import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * CPU time of processes from /proc (Linux): what a figure cost in CPU, whatever else the machine ran meanwhile.
 * Undefined where /proc is not there.
 */

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** [command name, user + system CPU ms] of a process, from /proc/<pid>/stat. */
function readStat(pid: number | string): [string, number] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ..." — comm may hold spaces and parentheses: it ends at the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // After the comm: state is field 3 of stat(5), utime 14 and stime 15, so indexes 11 and 12 here.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return [comm, (ticks * 1000) / clockTicks()];
}

/** User + system CPU ms a process has used so far. */
export function processCpuMs(pid: number): number | undefined {
  return readStat(pid)?.[1];
}

/**
 * User + system CPU ms used so far by every running process named `name` (e.g. all of PostgreSQL's: postmaster,
 * backends, background writer, WAL writer). A process that exits between two readings takes its share with it.
 */
export function cpuMsOfProcessesNamed(name: string): number | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return undefined;
  }
  let total = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat && stat[0] === name) total += stat[1];
  }
  return total;
}

/**
 * Milliseconds the hypervisor ran something else while this virtual CPU wanted to run (the "steal" column of
 * /proc/stat) so far, for one CPU; undefined where the kernel does not say.
 */
export function stealMs(cpu: number): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((l) => l.startsWith(`cpu${cpu} `));
  // cpuN user nice system idle iowait irq softirq steal ...
  const steal = line?.trim().split(/\s+/)[8];
  return steal === undefined ? undefined : (Number(steal) * 1000) / clockTicks();
}
