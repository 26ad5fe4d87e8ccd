import assert from 'node:assert/strict';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { isAnsvarError } from '../../../core/errors.js';
import { importRegisterFiles, loadSampleRegister } from '../../../services/register/importer.js';
import { formatProblem, type ImportProblem } from '../../../services/register/problems.js';
import { makeTempDir, person, PEOPLE_HEADER, writeCsv, writeWorkbook } from './fixtures/files.js';

/**
 * Forgiving where a person would be: no organisation column for one organisation, people written by name, role
 * words in the file's language, every problem of the files in one report, and the sample register replaced only
 * when asked.
 */

const NOW = new Date('2026-03-01T10:00:00Z');

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (isAnsvarError(error, 'ImportInvalid'))
      return ((error.details ?? []) as ImportProblem[]).map((p) => formatProblem(p));
    throw error;
  }
  assert.fail('the import was expected to be refused');
}

describe('a forgiving import', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
  });
  afterEach(() => cleanup());

  const people = () =>
    writeCsv(dir, 'people.csv', [
      PEOPLE_HEADER,
      person('karin.holm', { name: 'Karin Holm' }),
      person('bo.ek', { name: 'Bo Ek' }),
      person('bo.eklund', { name: 'Bo Eklund' }),
    ]);

  it('needs no organisation column for one organisation, and matches names exactly or to the one close name', async () => {
    const systems = await writeCsv(dir, 'systems.csv', [
      ['system', 'systemägare', 'systemförvaltare', 'ersättare'],
      ['Procapita', 'karin holm', 'Karin Hollm', 'bo.ek@tanum.se'],
    ]);
    const store = new MemoryRegisterStore();
    const report = await importRegisterFiles(store, [await people(), systems], { now: NOW });
    assert.equal(report.applied, true);
    const register = await store.snapshot();
    assert.deepEqual(
      register.systems.map((s) => [s.organisationId, s.name]),
      [['tanums-kommun', 'Procapita']],
    );
    const holders = register.roleAssignments.map((a) => `${a.role}:${a.personId}`).sort();
    assert.deepEqual(holders, [
      'administrator:karin.holm@tanum.se',
      'deputy:bo.ek@tanum.se',
      'owner:karin.holm@tanum.se',
    ]);
    const warnings = report.warnings.map((w) => w.message);
    assert.ok(
      warnings.includes('owner: "karin holm" read as karin.holm@tanum.se (same name in the people table)'),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.some((w) =>
        w.startsWith(
          'administrator: "Karin Hollm" read as karin.holm@tanum.se (Karin Holm in the people table',
        ),
      ),
      warnings.join('\n'),
    );
  });

  it("lists every problem of every file in one report, with role words in the file's language", async () => {
    const roles = await writeWorkbook(dir, 'roller.xlsx', {
      roller: [
        ['roll', 'e-post'],
        ['Informationssäkerhetssamordnare', 'Karin Holm'],
        ['kaffeansvarig', 'Bo'],
      ],
      organisationer: [['organisation', 'tenant id']],
    });
    const systems = await writeCsv(dir, 'systems.csv', [
      ['organisation', 'system', 'owner'],
      ['Tanums kommun', 'Procapita', 'Nobody Known'],
      ['Tanums kommun', 'Ecos', 'Bo Ek'],
    ]);
    const namesake = await writeCsv(dir, 'namesake.csv', [
      PEOPLE_HEADER,
      person('bo.ek.sr', { name: 'Bo Ek' }),
    ]);
    const problems = await problemsOf(
      importRegisterFiles(new MemoryRegisterStore(), [await people(), namesake, roles, systems], {
        now: NOW,
      }),
    );
    assert.deepEqual(problems, [
      `${roles}#organisationer:1: the organisations table needs a "language" column`,
      `${roles}#roller:3: role: unknown role "kaffeansvarig" (use one of: IT-samordnare (it_coordinator), ` +
        'IT-beställare (it_orderer), informationssäkerhetssamordnare (security_officer), dataskyddsombud ' +
        '(data_protection_officer), IT-chef (it_manager), IT-enhet (it_unit))',
      `${systems}:2: owner: nobody called "Nobody Known" in the people table or the register; write their e-mail address or add them to the people table`,
      `${systems}:3: owner: "Bo Ek" could be bo.ek@tanum.se or bo.ek.sr@tanum.se; write the e-mail address of the one you mean`,
    ]);
  });

  it('asks for --organisation when rows name none and there are several organisations', async () => {
    const systems = await writeCsv(dir, 'systems.csv', [
      ['system', 'owner'],
      ['Procapita', 'karin.holm@tanum.se'],
    ]);
    const orgs = await writeCsv(dir, 'orgs.csv', [
      ['organisation', 'language'],
      ['Tanums kommun', 'sv'],
      ['Strömstads kommun', 'sv'],
    ]);
    const problems = await problemsOf(
      importRegisterFiles(new MemoryRegisterStore(), [await people(), orgs, systems], { now: NOW }),
    );
    assert.deepEqual(problems, [
      `${systems}:2: organisation: 1 row(s) name no organisation, and the files and the register name 2 (Tanums kommun, Strömstads kommun): add an organisation column, or run the import with --organisation "NAME"`,
    ]);
    const store = new MemoryRegisterStore();
    await importRegisterFiles(store, [await people(), orgs, systems], {
      now: NOW,
      organisation: 'Strömstads kommun',
    });
    assert.deepEqual(
      (await store.snapshot()).systems.map((s) => s.id),
      ['stromstads-kommun/procapita'],
    );
  });

  it('refuses to mix a register with the sample, and replaces the sample when asked, in one write', async () => {
    const store = new MemoryRegisterStore();
    await loadSampleRegister(store, 'data/sample', { now: NOW });
    const sampleRevision = await store.revision();
    const systems = await writeCsv(dir, 'systems.csv', [
      ['system', 'owner'],
      ['Raindance', 'karin.holm@tanum.se'],
    ]);
    const files = [await people(), systems];

    const refused = await importRegisterFiles(store, files, { now: NOW });
    assert.equal(refused.refusedForSample, true);
    assert.equal(refused.applied, false);
    assert.equal(await store.revision(), sampleRevision, 'nothing written');
    assert.ok(refused.sampleOrganisations.includes('Storsjö kommun'), refused.sampleOrganisations.join());
    assert.deepEqual(
      refused.changes.systems.map((s) => [s.system, s.organisation, s.change]),
      [['Raindance', 'Tanums kommun', 'added']],
      'the plan is made without the sample',
    );

    const replaced = await importRegisterFiles(store, files, { now: NOW, replaceSample: true });
    assert.equal(replaced.applied, true);
    assert.equal(await store.revision(), sampleRevision + 1, 'one write');
    const register = await store.snapshot();
    assert.deepEqual(
      register.organisations.map((o) => o.name),
      ['Tanums kommun'],
    );
    assert.deepEqual(
      register.systems.map((s) => s.name),
      ['Raindance'],
    );
    assert.equal(register.people.length, 3);
    const [event] = await store.pendingAudit();
    assert.equal(event?.type, 'register_sample_replaced');
  });
});
