import assert from 'node:assert/strict';
import fs from 'node:fs';
import { cpuMsOfProcessesNamed, processCpuMs, stealMs } from '../../../scripts/bench/procCpu.js';

describe('CPU time from /proc (scripts/bench/procCpu; Linux, as CI)', () => {
  it('reads a process’s CPU time, which grows while it computes', () => {
    const before = processCpuMs(process.pid)!;
    const until = performance.now() + 120;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const after = processCpuMs(process.pid)!;
    assert.ok(x > 0, 'the loop ran');
    assert.ok(after - before >= 50, `${after - before} ms of CPU for 120 ms of computing`);
  });

  it('sums every process of a name, this one included, and gives nothing for an unknown pid', () => {
    const comm = fs.readFileSync('/proc/self/comm', 'utf8').trim();
    assert.ok(cpuMsOfProcessesNamed(comm)! >= processCpuMs(process.pid)!, `${comm} processes together`);
    assert.equal(cpuMsOfProcessesNamed('no-such-process-name-here'), 0);
    assert.equal(processCpuMs(2 ** 30), undefined);
  });

  it('reads the steal of a CPU that exists, and nothing for one that does not', () => {
    assert.ok(stealMs(0)! >= 0, 'cpu0 steal');
    assert.equal(stealMs(4096), undefined);
  });
});
