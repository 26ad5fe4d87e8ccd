import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeepReadonly, Register, RegisterSnapshot } from '../../../data/model.js';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { LocalDirectory, type LocalStatusFile } from '../../../services/directory/localDirectory.js';
import { isAnsvarError } from '../../../core/errors.js';
import { buildPerson, buildRegister } from '../../../fakes/registerBuilder.js';

/** A memory store that counts reads of the whole register, to see the directory's per-revision cache. */
class CountingStore extends MemoryRegisterStore {
  snapshots = 0;
  override async snapshot(): Promise<RegisterSnapshot> {
    this.snapshots += 1;
    return super.snapshot();
  }
  override async frozen(): Promise<DeepReadonly<RegisterSnapshot>> {
    this.snapshots += 1;
    return super.frozen();
  }
}

const anna = buildPerson({
  email: 'Anna.Berg@testkommun.se',
  name: 'Anna Berg',
  title: 'Systemförvaltare',
  department: 'IT-enheten',
  aadObjectId: 'AAAA0000-0000-4000-8000-000000000001',
  managerId: 'karin.chef@testkommun.se',
});
const karin = buildPerson({ email: 'karin.chef@testkommun.se', name: 'Karin Chef' });
const nils = buildPerson({ email: 'nils.ek@testkommun.se', name: 'Nils Ek' });

describe('LocalDirectory', () => {
  let dir: string;
  const now = new Date('2030-03-01T12:00:00Z');

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ansvar-localdir-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function buildStore(register: Partial<Register> = {}): CountingStore {
    return new CountingStore(buildRegister({ people: [anna, karin, nils], ...register }));
  }

  async function statusFile(content: LocalStatusFile | string): Promise<string> {
    const file = path.join(dir, 'directory-status.json');
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  describe('from the register', () => {
    it('finds a person by e-mail, whatever its case, with the register fields', async () => {
      const person = await new LocalDirectory(buildStore()).findByUpn('ANNA.BERG@testkommun.se');
      assert.deepEqual(person, {
        id: 'AAAA0000-0000-4000-8000-000000000001',
        upn: 'anna.berg@testkommun.se',
        displayName: 'Anna Berg',
        mail: 'Anna.Berg@testkommun.se',
        jobTitle: 'Systemförvaltare',
        department: 'IT-enheten',
        accountEnabled: true,
      });
    });

    it('finds a person by Entra object id, whatever its case', async () => {
      const person = await new LocalDirectory(buildStore()).findById('aaaa0000-0000-4000-8000-000000000001');
      assert.equal(person?.upn, 'anna.berg@testkommun.se');
    });

    it('uses the e-mail as id for a person without an object id, and finds them by it', async () => {
      const directory = new LocalDirectory(buildStore());
      const person = await directory.findByUpn('nils.ek@testkommun.se');
      assert.equal(person?.id, 'nils.ek@testkommun.se');
      assert.equal((await directory.findById(person?.id ?? ''))?.displayName, 'Nils Ek');
    });

    it('answers undefined and found false for someone not in the register', async () => {
      const directory = new LocalDirectory(buildStore());
      assert.equal(await directory.findByUpn('stranger@testkommun.se'), undefined);
      assert.equal(await directory.findById('ffff0000-0000-4000-8000-000000000009'), undefined);
      const status = (await directory.statusOf(['stranger@testkommun.se'])).get('stranger@testkommun.se');
      assert.equal(status?.found, false);
    });

    it('reports everyone in the register available when there is no status file', async () => {
      const directory = new LocalDirectory(buildStore(), {
        statusFile: path.join(dir, 'absent.json'),
        now: () => now,
      });
      const statuses = await directory.statusOf(['anna.berg@testkommun.se', 'Nils.Ek@testkommun.se']);
      assert.deepEqual(statuses.get('anna.berg@testkommun.se'), {
        upn: 'anna.berg@testkommun.se',
        found: true,
        accountEnabled: true,
        outOfOffice: false,
      });
      assert.equal(statuses.get('Nils.Ek@testkommun.se')?.found, true);
    });

    it("returns the manager named by the register's managerId", async () => {
      const directory = new LocalDirectory(buildStore());
      assert.equal((await directory.managerOf('anna.berg@testkommun.se'))?.displayName, 'Karin Chef');
      assert.equal(await directory.managerOf('nils.ek@testkommun.se'), undefined);
    });

    it('reads the register once per revision and sees people added later', async () => {
      const store = buildStore();
      const directory = new LocalDirectory(store);
      await directory.findByUpn('anna.berg@testkommun.se');
      await directory.findById('aaaa0000-0000-4000-8000-000000000001');
      await directory.statusOf(['nils.ek@testkommun.se']);
      assert.equal(store.snapshots, 1);

      await store.apply({ people: [buildPerson({ email: 'ny@testkommun.se', name: 'Ny Person' })] }, 0);
      assert.equal((await directory.findByUpn('ny@testkommun.se'))?.displayName, 'Ny Person');
      assert.equal(store.snapshots, 2);
    });
  });

  describe('with a status file', () => {
    it('reports people listed as disabled as not enabled', async () => {
      const file = await statusFile({ disabled: ['ANNA.BERG@testkommun.se'] });
      const directory = new LocalDirectory(buildStore(), { statusFile: file });

      assert.equal((await directory.findByUpn('anna.berg@testkommun.se'))?.accountEnabled, false);
      const status = (await directory.statusOf(['anna.berg@testkommun.se'])).get('anna.berg@testkommun.se');
      assert.equal(status?.found, true);
      assert.equal(status?.accountEnabled, false);
    });

    it('treats people listed as gone as not in the directory', async () => {
      const file = await statusFile({ gone: ['karin.chef@testkommun.se'] });
      const directory = new LocalDirectory(buildStore(), { statusFile: file });

      assert.equal(await directory.findByUpn('karin.chef@testkommun.se'), undefined);
      assert.equal(await directory.managerOf('anna.berg@testkommun.se'), undefined);
      const status = (await directory.statusOf(['karin.chef@testkommun.se'])).get('karin.chef@testkommun.se');
      assert.equal(status?.found, false);
    });

    it('reports out of office until the end date, and not after it', async () => {
      const file = await statusFile({
        outOfOffice: [
          { email: 'anna.berg@testkommun.se', until: '2030-03-10T00:00:00Z' },
          { email: 'nils.ek@testkommun.se', until: '2030-03-01T12:00:00Z' },
        ],
      });
      const directory = new LocalDirectory(buildStore(), { statusFile: file, now: () => now });
      const statuses = await directory.statusOf(['anna.berg@testkommun.se', 'nils.ek@testkommun.se']);

      assert.equal(statuses.get('anna.berg@testkommun.se')?.outOfOffice, true);
      assert.equal(statuses.get('anna.berg@testkommun.se')?.outOfOfficeUntil, '2030-03-10T00:00:00.000Z');
      assert.equal(statuses.get('nils.ek@testkommun.se')?.outOfOffice, false);
    });

    it('refuses a file of the wrong shape, naming the file and the bad field', async () => {
      const file = await statusFile(
        '{ "disabled": "anna@x", "outOfOffice": [{ "email": "c@x", "until": "soon" }] }',
      );
      assert.throws(
        () => new LocalDirectory(buildStore(), { statusFile: file }),
        (error: unknown) => {
          assert.ok(isAnsvarError(error, 'InvalidConfig'), "isAnsvarError(error, 'InvalidConfig')");
          assert.ok(error.message.includes(file), 'error.message.includes(file)');
          assert.match(error.message, /disabled/);
          assert.match(error.message, /outOfOffice\.0\.until/);
          return true;
        },
      );
    });

    it('refuses a misspelt key instead of ignoring it', async () => {
      const file = await statusFile('{ "outofoffice": [] }');
      assert.throws(
        () => new LocalDirectory(buildStore(), { statusFile: file }),
        (error: unknown) => isAnsvarError(error, 'InvalidConfig') && /outofoffice/.test(error.message),
      );
    });

    it('refuses a file that is not JSON, naming the file', async () => {
      const file = await statusFile('{ disabled: [');
      assert.throws(
        () => new LocalDirectory(buildStore(), { statusFile: file }),
        (error: unknown) =>
          isAnsvarError(error, 'InvalidConfig') &&
          error.message.includes(file) &&
          /not valid JSON/.test(error.message),
      );
    });
  });
});
