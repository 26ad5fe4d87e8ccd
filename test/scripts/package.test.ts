import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { drawColorIcon, drawOutlineIcon, encodePng, solidImage } from '../../scripts/makeIcons.js';
import {
  DEFAULT_TEAMS_APP_ID,
  MANIFEST_DIR,
  buildPackage,
  checkPackage,
  readIds,
  type PackageIds,
} from '../../scripts/package.js';

const TEST_IDS: PackageIds = {
  appId: '0f3a1c52-6d7e-4b8a-9c1d-2e3f4a5b6c7d',
  botId: '7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928',
};
/** The parts of manifest.json the tests edit. */
interface ManifestDoc {
  name: { short: string };
  description: { short: string };
  developer: { websiteUrl: string };
  accentColor: string;
  bots: { scopes: string[]; commandLists: { commands: { title: string }[] }[] }[];
}
const EXPECTED_ENTRIES = [
  'manifest.json',
  'color.png',
  'outline.png',
  'sv-se.json',
  'nb-no.json',
  'nn-no.json',
];

/** Reads a zip's central directory and inflates each entry: enough to check what the package holds. */
function readZip(file: string): Map<string, Buffer> {
  const zip = readFileSync(file);
  let eocd = -1;
  for (let i = zip.length - 22; i >= 0; i--)
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  assert.ok(eocd >= 0, 'no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'bad central directory header');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    entries.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe('npm run package (scripts/package.ts)', () => {
  let work: string;
  let manifestDir: string;

  beforeEach(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'ansvar-package-'));
    manifestDir = path.join(work, 'manifest');
    cpSync(MANIFEST_DIR, manifestDir, { recursive: true, filter: (src) => path.basename(src) !== 'build' });
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const editJson = <T>(name: string, edit: (json: T) => void) => {
    const file = path.join(manifestDir, name);
    const json = JSON.parse(readFileSync(file, 'utf8')) as T;
    edit(json);
    writeFileSync(file, JSON.stringify(json, null, 2));
  };
  const editManifest = (edit: (manifest: ManifestDoc) => void) => editJson('manifest.json', edit);
  const editLocalisation = (name: string, edit: (strings: Record<string, string>) => void) =>
    editJson(name, edit);

  describe('checkPackage', () => {
    it('names the Graph app registration in webApplicationInfo when GRAPH_CLIENT_ID is set, and validates it', () => {
      const graphClientId = '5f0c4f4e-8d2a-4a53-9d64-2b7d1c0e9a11';
      const result = checkPackage(MANIFEST_DIR, { ...TEST_IDS, graphClientId });
      assert.deepEqual(result.problems, []);
      const manifest = JSON.parse(result.entries.get('manifest.json')!.toString('utf8'));
      assert.deepEqual(manifest.webApplicationInfo, { id: graphClientId });
      const without = JSON.parse(
        checkPackage(MANIFEST_DIR, TEST_IDS).entries.get('manifest.json')!.toString('utf8'),
      );
      assert.equal(without.webApplicationInfo, undefined);
      assert.equal(
        readIds(
          { MicrosoftAppId: TEST_IDS.botId, GRAPH_CLIENT_ID: graphClientId },
          { allowPlaceholder: false },
        ).ids?.graphClientId,
        graphClientId,
      );
    });

    it('accepts the source manifest filled with test ids: official schema, localisation schemas, icons, limits', () => {
      const result = checkPackage(MANIFEST_DIR, TEST_IDS);
      assert.deepEqual(result.problems, []);
      const manifest = JSON.parse(result.entries.get('manifest.json')!.toString('utf8'));
      assert.equal(manifest.id, TEST_IDS.appId);
      assert.equal(manifest.bots[0].botId, TEST_IDS.botId);
      assert.equal(
        manifest.$schema,
        `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
      );
      assert.deepEqual(manifest.bots[0].scopes, ['personal', 'team', 'groupChat']);
      // List downloads use Teams' file consent flow, which needs supportsFiles (personal chat only).
      assert.equal(manifest.bots[0].supportsFiles, true);
      assert.deepEqual(
        manifest.localizationInfo.additionalLanguages.map((l: { languageTag: string }) => l.languageTag),
        ['sv-se', 'nb-no', 'nn-no'],
      );
    });

    it('keeps placeholders for both ids in the source manifest', () => {
      const source = readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8');
      const manifest = JSON.parse(source);
      assert.equal(manifest.id, '${{TEAMS_APP_ID}}');
      assert.equal(manifest.bots[0].botId, '${{MicrosoftAppId}}');
    });

    it('refuses a short description over 80 characters, naming the field, its length and the limit once', () => {
      editManifest((m) => (m.description.short = 'x'.repeat(81)));
      const { problems } = checkPackage(manifestDir, TEST_IDS);
      assert.deepEqual(problems, [
        'manifest.json: description.short is 81 characters long; Teams allows at most 80',
      ]);
    });

    it('refuses a bot command title over the 32 characters Teams shows, which the schema alone allows', () => {
      editManifest((m) => (m.bots[0]!.commandLists[0]!.commands[0]!.title = 'w'.repeat(33)));
      const { problems } = checkPackage(manifestDir, TEST_IDS);
      assert.deepEqual(problems, [
        'manifest.json: bots[0].commandLists[0].commands[0].title is 33 characters long; Teams allows at most 32',
      ]);
    });

    it('reports schema violations with their JSON pointer and the allowed values', () => {
      editManifest((m) => {
        m.bots[0]!.scopes = ['personal', 'meeting'];
        m.accentColor = 'teal';
      });
      const { problems } = checkPackage(manifestDir, TEST_IDS);
      assert.ok(
        problems.some((p) =>
          p.startsWith('manifest.json: /bots/0/scopes/1 must be equal to one of the allowed values'),
        ),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => p.startsWith('manifest.json: /accentColor must match pattern')),
        problems.join('\n'),
      );
    });

    it('refuses a colour icon that is not 192×192', () => {
      writeFileSync(
        path.join(manifestDir, 'color.png'),
        encodePng(solidImage(96, 96, { r: 0, g: 0, b: 0, a: 255 })),
      );
      const { problems } = checkPackage(manifestDir, TEST_IDS);
      assert.deepEqual(problems, ['color.png: is 96×96 pixels; icons.color must be 192×192']);
    });

    it('refuses an outline icon that is not 32×32, and a file that is not a PNG', () => {
      writeFileSync(
        path.join(manifestDir, 'outline.png'),
        encodePng(solidImage(192, 192, { r: 255, g: 255, b: 255, a: 0 })),
      );
      assert.deepEqual(checkPackage(manifestDir, TEST_IDS).problems, [
        'outline.png: is 192×192 pixels; icons.outline must be 32×32',
      ]);
      writeFileSync(path.join(manifestDir, 'outline.png'), 'GIF89a');
      assert.deepEqual(checkPackage(manifestDir, TEST_IDS).problems, [
        'outline.png: not a PNG file (icons.outline)',
      ]);
    });

    it('refuses an outline icon without an alpha channel', () => {
      const png = encodePng(solidImage(32, 32, { r: 255, g: 255, b: 255, a: 0 }));
      png[25] = 2; // IHDR colour type: RGB, no alpha
      writeFileSync(path.join(manifestDir, 'outline.png'), png);
      assert.deepEqual(checkPackage(manifestDir, TEST_IDS).problems, [
        'outline.png: has no alpha channel; icons.outline must be white on a transparent background',
      ]);
    });

    it('refuses a localisation file that breaks its schema, a limit, or leaves a command untranslated', () => {
      editLocalisation('nn-no.json', (l) => {
        l['description.short'] = 'ø'.repeat(81);
        l['accentColor'] = '#000000';
        delete l['bots[0].commandLists[0].commands[2].title'];
      });
      const { problems } = checkPackage(manifestDir, TEST_IDS);
      assert.ok(
        problems.includes('nn-no.json: description.short is 81 characters long; Teams allows at most 80'),
        problems.join('\n'),
      );
      assert.ok(
        problems.includes('nn-no.json: (root) must NOT have additional properties: "accentColor"'),
        problems.join('\n'),
      );
      assert.ok(
        problems.includes('nn-no.json: does not translate bots[0].commandLists[0].commands[2].title'),
        problems.join('\n'),
      );
      assert.equal(problems.length, 3, problems.join('\n'));
    });

    it('refuses a localisation key for a command the manifest does not have', () => {
      editLocalisation('sv-se.json', (l) => (l['bots[0].commandLists[0].commands[10].title'] = 'extra'));
      assert.deepEqual(checkPackage(manifestDir, TEST_IDS).problems, [
        'sv-se.json: bots[0].commandLists[0].commands[10].title translates a command that manifest.json does not have',
      ]);
    });

    it('refuses a placeholder it does not know instead of shipping it', () => {
      editManifest((m) => (m.developer.websiteUrl = 'https://${{WEBSITE}}/'));
      const { problems } = checkPackage(manifestDir, TEST_IDS);
      assert.ok(
        problems.some((p) => p.includes('unknown placeholder ${{WEBSITE}}')),
        problems.join('\n'),
      );
    });
  });

  describe('readIds', () => {
    it('refuses to run without MicrosoftAppId, naming the variable and the way out', () => {
      const { ids, problems } = readIds({}, { allowPlaceholder: false });
      assert.equal(ids, undefined);
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /^MicrosoftAppId: not set\..*--allow-placeholder/);
    });

    it('uses the placeholder bot id and warns with --allow-placeholder', () => {
      const { ids, warnings } = readIds({ MicrosoftAppId: '' }, { allowPlaceholder: true });
      assert.deepEqual(ids, { appId: DEFAULT_TEAMS_APP_ID, botId: '00000000-0000-0000-0000-000000000000' });
      assert.match(warnings.join('\n'), /do not upload this package/);
    });

    it('names a bad TEAMS_APP_ID and a missing MicrosoftAppId in the same run', () => {
      const { problems } = readIds({ TEAMS_APP_ID: 'ansvar' }, { allowPlaceholder: false });
      assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), ['MicrosoftAppId', 'TEAMS_APP_ID']);
      assert.ok(
        problems.some((p) => p.startsWith('MicrosoftAppId: not set.')),
        problems.join('\n'),
      );
    });

    it('refuses ids that are not GUIDs, naming each variable', () => {
      const { problems } = readIds(
        { TEAMS_APP_ID: 'ansvar', MicrosoftAppId: 'bot' },
        { allowPlaceholder: false },
      );
      assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), ['MicrosoftAppId', 'TEAMS_APP_ID']);
      assert.match(problems[0]!, /must be a GUID/);
    });

    it('takes both ids from the environment', () => {
      const { ids } = readIds(
        { TEAMS_APP_ID: TEST_IDS.appId, MicrosoftAppId: TEST_IDS.botId },
        { allowPlaceholder: false },
      );
      assert.deepEqual(ids, TEST_IDS);
    });
  });

  describe('buildPackage', () => {
    it('writes a zip holding exactly the manifest with the ids, the two icons and the localisation files', async () => {
      const outFile = path.join(work, 'out', 'ansvar.zip');
      const result = await buildPackage({
        env: { TEAMS_APP_ID: TEST_IDS.appId, MicrosoftAppId: TEST_IDS.botId },
        allowPlaceholder: false,
        outFile,
      });
      assert.deepEqual(result.problems, []);
      assert.equal(result.outFile, outFile);
      const entries = readZip(outFile);
      assert.deepEqual([...entries.keys()], EXPECTED_ENTRIES);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
      assert.equal(manifest.id, TEST_IDS.appId);
      assert.equal(manifest.bots[0].botId, TEST_IDS.botId);
      assert.deepEqual(entries.get('color.png'), readFileSync(path.join(MANIFEST_DIR, 'color.png')));
      assert.deepEqual(entries.get('nn-no.json'), readFileSync(path.join(MANIFEST_DIR, 'nn-no.json')));
    });

    it('writes nothing and lists every problem when something is wrong', async () => {
      editManifest((m) => (m.name.short = 'Ansvar – register över systemansvar'));
      writeFileSync(
        path.join(manifestDir, 'color.png'),
        encodePng(solidImage(32, 32, { r: 0, g: 0, b: 0, a: 255 })),
      );
      const outFile = path.join(work, 'out', 'ansvar.zip');
      const result = await buildPackage({ env: {}, allowPlaceholder: false, manifestDir, outFile });
      assert.equal(result.outFile, undefined);
      assert.equal(existsSync(outFile), false);
      assert.equal(result.problems.length, 3, result.problems.join('\n'));
      assert.match(result.problems[0]!, /^MicrosoftAppId: not set/);
      assert.ok(
        result.problems.includes('manifest.json: name.short is 35 characters long; Teams allows at most 30'),
        "result.problems.includes('manifest.json: name.short is 35 characters long; Te...",
      );
      assert.ok(
        result.problems.includes('color.png: is 32×32 pixels; icons.color must be 192×192'),
        "result.problems.includes('color.png: is 32×32 pixels; icons.color must be 192...",
      );
    });
  });

  describe('icons', () => {
    it('the committed icons are exactly what scripts/makeIcons.ts draws', () => {
      assert.deepEqual(readFileSync(path.join(MANIFEST_DIR, 'color.png')), drawColorIcon());
      assert.deepEqual(readFileSync(path.join(MANIFEST_DIR, 'outline.png')), drawOutlineIcon());
    });
  });
});

/**
 * The playground configs are hand-kept copies of sample-register people (the playground reads only its yml); these
 * checks fail when data/sample changes under them. Read line by line: the files are written in one flat style.
 */
describe('Agents Playground configs (scripts/playground/*/.m365agentsplayground.yml)', () => {
  const root = path.resolve(MANIFEST_DIR, '..');
  const csv = (file: string) =>
    parseCsv(readFileSync(path.join(root, 'data', 'sample', file)), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
  const people = new Map(csv('people.csv').map((p) => [p.email!, p]));
  const tenants = new Map(csv('organisations.csv').map((o) => [o.organisation!, o.tenant_id!]));
  const systems = csv('systems.csv');
  const roleHolders = new Set([
    ...csv('roles.csv').map((r) => r.person!),
    ...systems.flatMap((s) => [
      s.owner,
      s.administrator,
      ...(s.deputies ?? '').split(';'),
      ...(s.super_users ?? '').split(';'),
    ]),
  ]);

  interface YmlUser {
    id: string;
    name: string;
    aadObjectId: string;
    email: string;
    userPrincipleName: string;
  }
  function readConfig(instance: string) {
    const text = readFileSync(
      path.join(root, 'scripts', 'playground', instance, '.m365agentsplayground.yml'),
      'utf8',
    );
    const value = (line: string) =>
      line
        .slice(line.indexOf(':') + 1)
        .trim()
        .replace(/^(['"])(.*)\1$/, '$2');
    const top: Record<string, string> = {};
    const users: (Partial<YmlUser> & { inList: boolean })[] = [];
    let section = '';
    for (const line of text.split('\n')) {
      if (/^\s*(#|$)/.test(line)) continue;
      if (/^\S/.test(line)) {
        section = line.split(':')[0]!;
        if (line.trim().endsWith(':')) continue;
        top[section] = value(line);
        continue;
      }
      if (section === 'bot' && /^\s+name:/.test(line)) top.botName = value(line);
      if (section !== 'currentUser' && section !== 'users') continue;
      const key = line.replace(/^\s*(- )?/, '').split(':')[0]! as keyof YmlUser;
      if (key === 'id') users.push({ inList: section === 'users' });
      users[users.length - 1]![key] = value(line);
    }
    return {
      top,
      currentUser: users.find((u) => !u.inList) as YmlUser,
      users: users.filter((u) => u.inList) as YmlUser[],
    };
  }

  for (const [instance, role] of [
    ['requester', 'holds no role in the sample register'],
    ['approver', 'administers a system of the sample register'],
    ['manager', "is the requester's manager, the first approver"],
    ['itunit', 'is in the IT unit and an IT coordinator of the requester’s organisation'],
    ['fjordvik', 'is an IT coordinator of a Nynorsk organisation'],
  ] as const) {
    it(`${instance}: five users plus a current user who ${role}, all real sample people in their tenant`, () => {
      const { top, currentUser, users } = readConfig(instance);
      assert.equal(top.version, '0.1.1');
      assert.equal(top.botName, 'Ansvar');
      assert.equal(users.length, 5);
      for (const user of [currentUser, ...users]) {
        const person = people.get(user.email);
        assert.ok(person, `${user.email} is not in data/sample/people.csv`);
        assert.equal(user.aadObjectId, person.aad_object_id, `aadObjectId of ${user.email}`);
        assert.equal(user.name, person.name);
        assert.equal(user.userPrincipleName, user.email);
        assert.equal(user.id, `29:${person.aad_object_id}`);
      }
      assert.equal(new Set([currentUser, ...users].map((u) => u.email)).size, 6, 'people repeat');
      assert.equal(top.tenantId, tenants.get(people.get(currentUser.email)!.organisation!));
      if (instance === 'requester') assert.equal(roleHolders.has(currentUser.email), false);
      else if (instance === 'manager')
        assert.equal(people.get(readConfig('requester').currentUser.email)?.manager, currentUser.email);
      else if (instance === 'itunit') {
        const roles = csv('roles.csv')
          .filter((r) => r.person === currentUser.email)
          .map((r) => r.role);
        assert.ok(
          roles.includes('it_unit') && roles.includes('it_coordinator'),
          `IT unit and IT coordinator: ${roles.join(', ')}`,
        );
      } else if (instance === 'fjordvik') {
        // The smoke's coordinator lists and Nynorsk/Bokmål language memory need both.
        const organisation = people.get(currentUser.email)!.organisation!;
        const coordinates = csv('roles.csv').some(
          (r) =>
            r.person === currentUser.email && r.organisation === organisation && r.role === 'it_coordinator',
        );
        assert.ok(coordinates, `${currentUser.email} is no IT coordinator of ${organisation}`);
        const language = csv('organisations.csv').find((o) => o.organisation === organisation)?.language;
        assert.equal(language, 'nn');
      } else
        assert.ok(
          systems.some((s) => s.administrator === currentUser.email),
          'systems.some((s) => s.administrator === currentUser.email)',
        );
    });
  }
});
