// Preloaded into the server by survivors.ts (`--import`): V8's sampling heap profiler, keeping only the samples of
// objects that outlived a scavenge (promoted, whether or not a later mark-compact frees them), so the profile says
// which allocation sites fill the old generation. SIGUSR2 starts it; the next SIGUSR2 writes the profile to
// `$ANSVAR_DATA_DIR.survivors.json`.
import fs from 'node:fs';
import inspector from 'node:inspector';
import process from 'node:process';
import v8 from 'node:v8';

const out = `${process.env.ANSVAR_DATA_DIR}.survivors.json`;
const session = new inspector.Session();
session.connect();
const post = (method, params = {}) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
let sampling = false;
process.on('SIGUSR2', () => {
  const step = sampling
    ? post('HeapProfiler.stopSampling').then(({ profile }) => fs.writeFileSync(out, JSON.stringify(profile)))
    : post('HeapProfiler.enable').then(() =>
        post('HeapProfiler.startSampling', {
          samplingInterval: 4096,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: false,
        }),
      );
  sampling = !sampling;
  step.catch((error) => fs.writeFileSync(out, JSON.stringify({ error: String(error) })));
});
// SIGHUP: a heap snapshot (after V8's full collection, so only what is still reachable) beside the profile.
let snapshots = 0;
process.on('SIGHUP', () => {
  snapshots += 1;
  v8.writeHeapSnapshot(`${process.env.ANSVAR_DATA_DIR}.${snapshots}.heapsnapshot`);
});
