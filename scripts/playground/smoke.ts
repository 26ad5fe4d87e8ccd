import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { chromium, type Locator, type Page } from 'playwright-core';
import { t } from '../../services/i18n/index.js';

/**
 * Headless smoke of the bot in the Agents Playground: `npm run playground:smoke` (= `bash scripts/playground.sh
 * --smoke`, which starts bot + playground in a loopback-only namespace, runs this, and stops everything).
 *
 * It opens the requester instance in Debian's Chromium, waits for the welcome, asks who owns systems of the sample
 * register in Swedish, Nynorsk, Bokmål and English, also as people write (word order, small talk, a typo), and
 * checks each reply is a card naming the owner the sample register gives, with the role word of the question's
 * language. Then the other kinds of phrasing of issue 10, each checked against data/sample: role words in other
 * forms (definite, plural, "stadfortredarane" / "stedfortrederen"), a word several systems share (a choice of exactly
 * those), a message no reading fits clearly (the "did you mean" card; its first button is clicked and answers);
 * in the IT unit instance (Josefin Håkansson, IT coordinator of Storsjö) and the Fjordvik instance (Frode
 * Heggheim, IT coordinator of a Nynorsk organisation) the coordinator list asked as a question in all four
 * languages, and the language memory: "leverandør for CosDoc?" (the same in Bokmål and Nynorsk) is answered in
 * Nynorsk, and in Bokmål once Frode has written Bokmål. Then it asks for access to Raindance, fills the form the
 * Teams renderer shows, submits it (Action.Execute) and checks the card is replaced by the request naming Mona's manager as the first approver; then
 * it orders a projector ("jag behöver en projektor till konferensrummet"), fills the equipment form and checks the
 * order names an IT orderer of her unit. Screenshots go to SMOKE_OUT_DIR (default: a new temp directory); their
 * paths are printed.
 * Exit 0 when every step passed, 1 otherwise. Every request not to localhost/127.0.0.1 is aborted and reported.
 *
 * Environment: PLAYGROUND_URL (default http://localhost:56150), PLAYGROUND_ITUNIT_URL (default
 * http://localhost:56153), PLAYGROUND_FJORDVIK_URL (default http://localhost:56154), CHROMIUM_PATH (default
 * /usr/bin/chromium), SMOKE_OUT_DIR.
 */

/** The directory holding package.json, whether this runs from scripts/ (tsx) or dist/scripts/ (compiled). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const ROOT = projectRoot();
const BOT_NAME = 'Ansvar';
const PLAYGROUND_URL = process.env.PLAYGROUND_URL ?? 'http://localhost:56150';
const ITUNIT_URL = process.env.PLAYGROUND_ITUNIT_URL ?? 'http://localhost:56153';
const FJORDVIK_URL = process.env.PLAYGROUND_FJORDVIK_URL ?? 'http://localhost:56154';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A message typed into the chat and what its reply card must show: a step fails when the answer is wrong. */
interface Ask {
  /** The screenshot's name. */
  label: string;
  text: string;
  /** Everything the reply card must show: names from data/sample, and words of the question's language. */
  shows: (string | RegExp)[];
  /** What it must not show: another language's word, a system that does not belong. */
  hides?: (string | RegExp)[];
  /** The exact number of buttons on the card (a choice of exactly these systems). */
  buttons?: number;
  /** The role asked for comes first: the card shows the first word before the second (another role's label). */
  order?: [RegExp, RegExp];
}

type Row = Record<string, string>;
const readCsv = (file: string): Row[] =>
  parse(readFileSync(path.join(ROOT, 'data', 'sample', file)), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  });

function systemRow(organisation: string, system: string): Row {
  const row = readCsv('systems.csv').find((r) => r.organisation === organisation && r.system === system);
  if (!row) throw new Error(`data/sample/systems.csv has no ${system} (${organisation})`);
  return row;
}

function personName(email: string): string {
  const person = readCsv('people.csv').find((p) => p.email === email);
  if (!person) throw new Error(`data/sample/people.csv has no ${email}`);
  return person.name!;
}

/**
 * The names of the holders of a role column of systems.csv (owner, administrator, deputies, super_users) as
 * data/sample states them, so the smoke follows the sample register when it changes.
 */
function holdersOf(organisation: string, system: string, column: string): string[] {
  const emails = (systemRow(organisation, system)[column] ?? '').split(';').filter((e) => e.trim() !== '');
  if (emails.length === 0)
    throw new Error(`data/sample/systems.csv has no ${column} for ${system} (${organisation})`);
  return emails.map((e) => personName(e.trim()));
}

const ownerOf = (organisation: string, system: string): string =>
  holdersOf(organisation, system, 'owner')[0]!;

/** The active systems of an organisation with no deputy in data/sample: what "systems without a deputy" lists. */
function withoutDeputy(organisation: string): string[] {
  const names = readCsv('systems.csv')
    .filter((r) => r.organisation === organisation && r.lifecycle === 'active' && !r.deputies?.trim())
    .map((r) => r.system!);
  if (names.length === 0)
    throw new Error(`data/sample/systems.csv: every system of ${organisation} has a deputy`);
  return names;
}

/** The systems of an organisation whose name or an alias holds `word` as a word: a word they share. */
function systemsSharing(organisation: string, word: string): string[] {
  const holds = (text: string) =>
    text
      .toLowerCase()
      .split(/[\s;]+/)
      .includes(word.toLowerCase());
  return readCsv('systems.csv')
    .filter((r) => r.organisation === organisation && (holds(r.system!) || holds(r.aliases ?? '')))
    .map((r) => r.system!);
}

const QUESTIONS: Ask[] = [
  {
    label: 'swedish',
    text: 'vem äger Raindance',
    shows: [ownerOf('Storsjö kommun', 'Raindance'), /systemägare/i],
  },
  // CosDoc exists in one organisation only, so the bot answers instead of asking which one is meant.
  {
    label: 'nynorsk',
    text: 'kven eig CosDoc?',
    shows: [ownerOf('Fjordvik kommune', 'CosDoc'), /fagsystemeigar/i],
  },
  // Phrased as people write, not as the grammar's titles: word order, small talk, typos, no diacritics.
  {
    label: 'swedish-small-talk',
    text: 'hej! Raindance, vem är ägare där? tack',
    shows: [ownerOf('Storsjö kommun', 'Raindance'), /systemägare/i],
  },
  {
    label: 'nynorsk-word-order',
    text: 'eigaren av cosdoc, kven er det',
    shows: [ownerOf('Fjordvik kommune', 'CosDoc'), /fagsystemeigar/i],
  },
  {
    label: 'bokmal',
    text: 'hvem er systemeier for cosdoc?',
    shows: [ownerOf('Fjordvik kommune', 'CosDoc'), /systemeier/i],
  },
  {
    label: 'english-typo',
    text: 'could you tell me who owns raindence please',
    shows: [ownerOf('Storsjö kommun', 'Raindance'), /system owner/i],
  },
  // A role word in another form: definite, plural, the Nynorsk "stadfortredar" beside the "stedfortredar" the
  // answer uses, Bokmål's "stedfortreder". The role label is the answer's language's (vocabulary.ts).
  {
    label: 'nynorsk-role-form',
    text: 'kven er stadfortredarane for CosDoc?',
    shows: [...holdersOf('Fjordvik kommune', 'CosDoc', 'deputies'), /stedfortredar/i],
    order: [/stedfortredar/i, /fagsystemeigar/i],
  },
  {
    label: 'bokmal-role-form',
    text: 'stedfortrederen til cosdoc?',
    shows: [...holdersOf('Fjordvik kommune', 'CosDoc', 'deputies'), /stedfortreder\b/i],
    order: [/stedfortreder\b/i, /systemeier/i],
  },
  {
    label: 'swedish-role-form',
    text: 'superanvändarna i raindance?',
    shows: [...holdersOf('Storsjö kommun', 'Raindance', 'super_users'), /superanvändare/i],
    order: [/superanvändare/i, /systemägare/i],
  },
  {
    label: 'english-role-form',
    text: 'who are the deputies for Raindance',
    shows: [...holdersOf('Storsjö kommun', 'Raindance', 'deputies'), /deputy/i],
    order: [/deputy/i, /system owner/i],
  },
  // A word several systems share: a choice of exactly those systems ("Treserva LSS", "Combine LSS").
  {
    label: 'shared-word',
    text: 'vem äger LSS?',
    shows: [t('sv', 'choice.title', { query: 'LSS' }), ...systemsSharing('Storsjö kommun', 'LSS')],
    buttons: systemsSharing('Storsjö kommun', 'LSS').length,
  },
];

/** Coordinator lists asked as questions, in the IT unit instance: Josefin Håkansson, IT coordinator of Storsjö. */
const STORSJO_LISTS: Ask[] = [
  {
    label: 'swedish-coordinator-list',
    text: 'vilka system saknar ersättare?',
    shows: [
      t('sv', 'systemList.titleNoDeputy', { organisation: 'Storsjö kommun' }),
      ...withoutDeputy('Storsjö kommun'),
    ],
    hides: ['Raindance'],
  },
  {
    label: 'english-coordinator-list',
    text: 'which systems have no deputy?',
    shows: [
      t('en', 'systemList.titleNoDeputy', { organisation: 'Storsjö kommun' }),
      ...withoutDeputy('Storsjö kommun'),
    ],
    hides: ['Raindance'],
  },
];

/**
 * In the Fjordvik instance (Frode Heggheim, IT coordinator of Fjordvik kommune, a Nynorsk organisation): the list
 * asked in Nynorsk and in Bokmål, and the language memory. "leverandør for CosDoc?" is the same in both forms:
 * answered in the organisation's Nynorsk ("Eining") until Frode writes Bokmål, then in Bokmål ("Enhet").
 */
const FJORDVIK: Ask[] = [
  {
    label: 'nynorsk-coordinator-list',
    text: 'kva system manglar stadfortredar?',
    shows: [
      t('nn', 'systemList.titleNoDeputy', { organisation: 'Fjordvik kommune' }),
      ...withoutDeputy('Fjordvik kommune'),
    ],
    hides: ['CosDoc'],
  },
  {
    label: 'norwegian-word-nynorsk',
    text: 'leverandør for CosDoc?',
    shows: [systemRow('Fjordvik kommune', 'CosDoc').supplier!, t('nn', 'system.unit')],
    hides: [t('nb', 'system.unit')],
  },
  {
    label: 'bokmal-coordinator-list',
    text: 'hvilke systemer mangler stedfortreder?',
    shows: [
      t('nb', 'systemList.titleNoDeputy', { organisation: 'Fjordvik kommune' }),
      ...withoutDeputy('Fjordvik kommune'),
    ],
    hides: ['CosDoc'],
  },
  {
    label: 'norwegian-word-bokmal-memory',
    text: 'leverandør for CosDoc?',
    shows: [systemRow('Fjordvik kommune', 'CosDoc').supplier!, t('nb', 'system.unit')],
    hides: [t('nn', 'system.unit')],
  },
];

function botMessages(page: Page): Locator {
  return page
    .locator('div:has(> div[aria-label="Message header"])')
    .filter({ has: page.locator('[aria-label="Message author"]', { hasText: BOT_NAME }) });
}

/**
 * Waits for a bot message after the first `after` ones that satisfies `accept`. Messages arrive asynchronously
 * (a repeated welcome may land between), so this never takes "the next one" blindly.
 */
async function waitForBotMessage(
  page: Page,
  after: number,
  accept: (message: Locator) => Promise<boolean>,
  timeoutMs: number,
): Promise<Locator | undefined> {
  const deadline = Date.now() + timeoutMs;
  const messages = botMessages(page);
  while (Date.now() < deadline) {
    const count = await messages.count();
    for (let i = after; i < count; i++) if (await accept(messages.nth(i))) return messages.nth(i);
    await page.waitForTimeout(200);
  }
  return undefined;
}

function matches(text: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? text.includes(want) : want.test(text);
}

function describe(want: string | RegExp): string {
  return typeof want === 'string' ? JSON.stringify(want) : want.source;
}

/** A "did you mean" button's title: its question with a capital letter, as the card shows it. */
function capitalised(text: string): string {
  return text.charAt(0).toLocaleUpperCase('sv') + text.slice(1);
}

async function newMessageTexts(page: Page, after: number): Promise<string[]> {
  const messages = botMessages(page);
  const texts: string[] = [];
  for (let i = after; i < (await messages.count()); i++)
    texts.push((await messages.nth(i).innerText()).trim());
  return texts;
}

async function main(): Promise<number> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(
      `smoke: no Chromium at ${CHROMIUM_PATH}; install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
    return 1;
  }
  const outDir = process.env.SMOKE_OUT_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'ansvar-smoke-'));
  const shotsDir = path.join(outDir, 'screenshots');
  mkdirSync(shotsDir, { recursive: true });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ansvar-smoke-profile-'));
  const blocked = new Set<string>();
  const failures: string[] = [];
  const shots: string[] = [];

  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'sv-SE',
  });
  try {
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL_HOSTS.has(url.hostname))
        return route.continue();
      blocked.add(url.origin);
      return route.abort('blockedbyclient');
    });
    const shootPage = async (shotPage: Page, name: string) => {
      const file = path.join(shotsDir, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
      await shotPage.screenshot({ path: file, fullPage: true });
      shots.push(file);
    };
    const compose = (chat: Page) => chat.locator('div[role="textbox"][data-lexical-editor="true"]');

    /** Opens an instance's page and waits for the bot's welcome, so it cannot land between a question and its answer. */
    const openChat = async (chat: Page, url: string, who: string): Promise<Page> => {
      console.log(`smoke: opening ${url} (${who})`);
      await chat.goto(url, { waitUntil: 'domcontentloaded' });
      await compose(chat).waitFor({ state: 'visible', timeout: 20_000 });
      const welcome = await waitForBotMessage(chat, 0, async () => true, 15_000);
      if (welcome) console.log(`smoke: ok   welcome message shown to ${who}`);
      else failures.push(`no welcome message from ${BOT_NAME} to ${who} within 15 s of opening the page`);
      return chat;
    };

    /** Types a message and checks the reply card (Ask); the screenshot is taken either way. */
    const ask = async (chat: Page, step: Ask): Promise<Locator | undefined> => {
      const before = await botMessages(chat).count();
      await compose(chat).click();
      await chat.keyboard.type(step.text);
      await chat.keyboard.press('Enter');
      const reply = await waitForBotMessage(
        chat,
        before,
        async (message) => {
          const card = message.locator('.ac-adaptiveCard');
          if ((await card.count()) === 0) return false;
          const text = await card.first().innerText();
          if (!step.shows.every((want) => matches(text, want))) return false;
          if ((step.hides ?? []).some((unwanted) => matches(text, unwanted))) return false;
          if (
            step.order &&
            !(text.search(step.order[0]) >= 0 && text.search(step.order[0]) < text.search(step.order[1]))
          )
            return false;
          return (
            step.buttons === undefined || (await card.first().getByRole('button').count()) === step.buttons
          );
        },
        10_000,
      );
      await shootPage(chat, step.label);
      const wanted =
        `a card showing ${step.shows.map(describe).join(', ')}` +
        (step.hides ? ` and not ${step.hides.map(describe).join(', ')}` : '') +
        (step.buttons === undefined ? '' : ` with exactly ${step.buttons} buttons`) +
        (step.order ? `, ${step.order[0].source} before ${step.order[1].source}` : '');
      if (reply) console.log(`smoke: ok   "${step.text}" → ${wanted}`);
      else {
        const got = await newMessageTexts(chat, before);
        failures.push(
          `"${step.text}": no reply (${wanted}) within 10 s; ` +
            (got.length > 0
              ? `bot messages since: ${got.map((t) => JSON.stringify(t.slice(0, 300))).join(' | ')}`
              : 'no bot message at all'),
        );
      }
      return reply;
    };

    const page = await openChat(
      context.pages()[0] ?? (await context.newPage()),
      PLAYGROUND_URL,
      'Mona Jansson',
    );
    const shoot = (name: string) => shootPage(page, name);
    await shoot('welcome');

    for (const question of QUESTIONS) await ask(page, question);

    // A message no reading fits clearly: "did you mean" with its readings as buttons (order the item, or what is
    // registered on me), and the first button answers as if typed: the equipment form.
    {
      const before = await botMessages(page).count();
      const first = capitalised(t('sv', 'didYouMean.orderItem', { item: 'skärm' }));
      const card = await ask(page, {
        label: 'did-you-mean',
        text: 'ny skärm?',
        shows: [t('sv', 'didYouMean.title'), first, capitalised(t('sv', 'help.exampleRegisteredToMe'))],
        buttons: 2,
      });
      if (card) {
        await card.getByRole('button', { name: first }).first().click();
        const submit = t('sv', 'equipment.form.submit');
        const form = await waitForBotMessage(
          page,
          before,
          async (message) => (await message.getByRole('button', { name: submit }).count()) > 0,
          10_000,
        );
        await shoot('did-you-mean-clicked');
        if (form) console.log(`smoke: ok   clicked "${first}" → the equipment order form`);
        else
          failures.push(
            `"did you mean" button "${first}": no equipment form within 10 s; bot messages since: ` +
              (await newMessageTexts(page, before)).map((m) => JSON.stringify(m.slice(0, 300))).join(' | '),
          );
      }
    }

    // The coordinator lists and the language memory need a coordinator: the other instances.
    const itunit = await openChat(await context.newPage(), ITUNIT_URL, 'Josefin Håkansson');
    for (const step of STORSJO_LISTS) await ask(itunit, step);
    const fjordvik = await openChat(await context.newPage(), FJORDVIK_URL, 'Frode Heggheim');
    for (const step of FJORDVIK) await ask(fjordvik, step);
    await page.bringToFront();

    // An access request through the form, as Mona: the manager (people.csv) is the first approver (Storsjö's policy).
    {
      const manager =
        readCsv('people.csv').find((p) => p.email === 'lina.axelsson@storsjo.example')?.name ?? '';
      const before = await botMessages(page).count();
      await compose(page).click();
      await page.keyboard.type('jag behöver behörighet till Raindance');
      await page.keyboard.press('Enter');
      const form = await waitForBotMessage(
        page,
        before,
        async (message) =>
          (await message.getByRole('button', { name: t('sv', 'request.form.submit') }).count()) > 0,
        10_000,
      );
      if (!form) failures.push('"jag behöver behörighet till Raindance": no request form within 10 s');
      else {
        await form.getByRole('textbox', { name: t('sv', 'request.form.role') }).fill('Attestant');
        await form
          .getByRole('textbox', { name: t('sv', 'request.form.justification') })
          .fill('Attesterar leverantörsfakturor för hemtjänsten');
        await form.getByRole('checkbox', { name: t('sv', 'request.form.policy') }).check();
        await shoot('request-form');
        await form.getByRole('button', { name: t('sv', 'request.form.submit') }).click();
        const deadline = Date.now() + 10_000;
        let text = '';
        while (Date.now() < deadline) {
          text = await form.innerText();
          if (text.includes(manager) && !text.includes(t('sv', 'request.form.submit'))) break;
          await page.waitForTimeout(200);
        }
        await shoot('request-submitted');
        if (text.includes(manager) && !text.includes(t('sv', 'request.form.submit')))
          console.log(`smoke: ok   access request submitted → the request card names ${manager} as approver`);
        else
          failures.push(
            `submitted request: the card did not turn into the request naming ${manager}: ${JSON.stringify(text.slice(0, 300))}`,
          );
      }
    }

    // An equipment order through its form, as Mona: an IT orderer of her unit is the first to approve.
    {
      const orderer =
        readCsv('people.csv').find((p) => p.email === 'lina.axelsson@storsjo.example')?.name ?? '';
      const before = await botMessages(page).count();
      await compose(page).click();
      await page.keyboard.type('jag behöver en projektor till konferensrummet');
      await page.keyboard.press('Enter');
      const submit = t('sv', 'equipment.form.submit');
      const form = await waitForBotMessage(
        page,
        before,
        async (message) => (await message.getByRole('button', { name: submit }).count()) > 0,
        10_000,
      );
      if (!form)
        failures.push('"jag behöver en projektor till konferensrummet": no equipment form within 10 s');
      else {
        await form
          .getByRole('textbox', { name: t('sv', 'equipment.form.location') })
          .fill('Vårdcentralen, plan 2');
        await form
          .getByRole('textbox', { name: t('sv', 'equipment.form.justification') })
          .fill('Konferensrummet saknar projektor');
        await shoot('equipment-form');
        await form.getByRole('button', { name: submit }).click();
        const deadline = Date.now() + 10_000;
        let text = '';
        while (Date.now() < deadline) {
          text = await form.innerText();
          if (text.includes(orderer) && !text.includes(submit)) break;
          await page.waitForTimeout(200);
        }
        await shoot('equipment-submitted');
        if (text.includes(orderer) && !text.includes(submit))
          console.log(`smoke: ok   equipment order submitted → the request card names ${orderer} to approve`);
        else
          failures.push(
            `submitted order: the card did not turn into the request naming ${orderer}: ${JSON.stringify(text.slice(0, 300))}`,
          );
      }
    }
  } catch (error) {
    failures.push(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }

  if (blocked.size > 0) console.log(`smoke: blocked requests to ${[...blocked].join(', ')}`);
  console.log(`smoke: screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
  if (failures.length > 0) {
    console.error(`smoke: FAILED (${failures.length}):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    return 1;
  }
  console.log('smoke: passed');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
