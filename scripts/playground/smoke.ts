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
 * language. Then it asks for access to Raindance, fills the form the Teams renderer shows, submits it
 * (Action.Execute) and checks the card is replaced by the request naming Mona's manager as the first approver; then
 * it orders a projector ("jag behöver en projektor till konferensrummet"), fills the equipment form and checks the
 * order names an IT orderer of her unit. Screenshots go to SMOKE_OUT_DIR (default: a new temp directory); their
 * paths are printed.
 * Exit 0 when every step passed, 1 otherwise. Every request not to localhost/127.0.0.1 is aborted and reported.
 *
 * Environment: PLAYGROUND_URL (default http://localhost:56150), CHROMIUM_PATH (default /usr/bin/chromium),
 * SMOKE_OUT_DIR.
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

interface Question {
  label: string;
  text: string;
  /** The name the reply card must contain. */
  expect: string;
  /** The role label in the question's language (DOMAIN.md), so a reply in the wrong language fails. */
  roleLabel: RegExp;
}

type Row = Record<string, string>;
const readCsv = (file: string): Row[] =>
  parse(readFileSync(path.join(ROOT, 'data', 'sample', file)), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  });

/** The owner's name as data/sample states it, so the smoke follows the sample register when it changes. */
function ownerOf(organisation: string, system: string): string {
  const row = readCsv('systems.csv').find((r) => r.organisation === organisation && r.system === system);
  if (!row?.owner) throw new Error(`data/sample/systems.csv has no owner for ${system} (${organisation})`);
  const person = readCsv('people.csv').find((p) => p.email === row.owner);
  if (!person) throw new Error(`data/sample/people.csv has no ${row.owner}`);
  return person.name!;
}

const QUESTIONS: Question[] = [
  {
    label: 'swedish',
    text: 'vem äger Raindance',
    expect: ownerOf('Storsjö kommun', 'Raindance'),
    roleLabel: /systemägare/i,
  },
  // CosDoc exists in one organisation only, so the bot answers instead of asking which one is meant.
  {
    label: 'nynorsk',
    text: 'kven eig CosDoc?',
    expect: ownerOf('Fjordvik kommune', 'CosDoc'),
    roleLabel: /fagsystemeigar/i,
  },
  // Phrased as people write, not as the grammar's titles: word order, small talk, typos, no diacritics.
  {
    label: 'swedish-small-talk',
    text: 'hej! Raindance, vem är ägare där? tack',
    expect: ownerOf('Storsjö kommun', 'Raindance'),
    roleLabel: /systemägare/i,
  },
  {
    label: 'nynorsk-word-order',
    text: 'eigaren av cosdoc, kven er det',
    expect: ownerOf('Fjordvik kommune', 'CosDoc'),
    roleLabel: /fagsystemeigar/i,
  },
  {
    label: 'bokmal',
    text: 'hvem er systemeier for cosdoc?',
    expect: ownerOf('Fjordvik kommune', 'CosDoc'),
    roleLabel: /systemeier/i,
  },
  {
    label: 'english-typo',
    text: 'could you tell me who owns raindence please',
    expect: ownerOf('Storsjö kommun', 'Raindance'),
    roleLabel: /system owner/i,
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
    const page = context.pages()[0] ?? (await context.newPage());
    const shoot = async (name: string) => {
      const file = path.join(shotsDir, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(file);
    };

    console.log(`smoke: opening ${PLAYGROUND_URL}`);
    await page.goto(PLAYGROUND_URL, { waitUntil: 'domcontentloaded' });
    const compose = page.locator('div[role="textbox"][data-lexical-editor="true"]');
    await compose.waitFor({ state: 'visible', timeout: 20_000 });

    const welcome = await waitForBotMessage(page, 0, async () => true, 15_000);
    await shoot('welcome');
    if (welcome) console.log('smoke: ok   welcome message shown');
    else failures.push(`no welcome message from ${BOT_NAME} within 15 s of opening the page`);

    for (const question of QUESTIONS) {
      const before = await botMessages(page).count();
      await compose.click();
      await page.keyboard.type(question.text);
      await page.keyboard.press('Enter');
      const reply = await waitForBotMessage(
        page,
        before,
        async (message) => {
          const card = message.locator('.ac-adaptiveCard');
          if ((await card.count()) === 0) return false;
          const text = await card.first().innerText();
          return text.includes(question.expect) && question.roleLabel.test(text);
        },
        10_000,
      );
      await shoot(question.label);
      if (reply)
        console.log(
          `smoke: ok   "${question.text}" → a card naming ${question.expect} (${question.roleLabel.source})`,
        );
      else {
        const got = await newMessageTexts(page, before);
        failures.push(
          `"${question.text}": no reply card naming ${question.expect} with ${question.roleLabel.source} within 10 s; ` +
            (got.length > 0
              ? `bot messages since: ${got.map((t) => JSON.stringify(t.slice(0, 200))).join(' | ')}`
              : 'no bot message at all'),
        );
      }
    }

    // An access request through the form, as Mona: the manager (people.csv) is the first approver (Storsjö's policy).
    {
      const manager =
        readCsv('people.csv').find((p) => p.email === 'lina.axelsson@storsjo.example')?.name ?? '';
      const before = await botMessages(page).count();
      await compose.click();
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
      await compose.click();
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
