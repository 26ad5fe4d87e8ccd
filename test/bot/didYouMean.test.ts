import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { TeamsBot } from '../../bot/teamsBot.js';
import { MemoryRegisterStore } from '../../data/memory/memoryRegisterStore.js';
import type { Register } from '../../data/model.js';
import { FakeDirectory } from '../../fakes/fakeDirectory.js';
import {
  buildAssignment,
  buildOrganisation,
  buildPerson,
  buildRegister,
  buildSystem,
} from '../../fakes/registerBuilder.js';
import { t } from '../../services/i18n/index.js';
import { buildCardAction, buildMessage } from '../fixtures/activityBuilder.js';
import { buildAppServices } from '../fixtures/appServices.js';
import { executeActions, textRuns } from '../fixtures/cardQueries.js';

/**
 * "Did you mean" end to end through the bot (issue 10): a message that names something known but asks nothing
 * clearly gets a card of readings as buttons, each button answers exactly as its question typed, and a message that
 * names nothing known still gets the help card.
 */

const NOW = new Date('2026-02-01T09:00:00Z');
const ANNA = { from: { aadObjectId: 'aad-anna' }, locale: 'sv-SE', tenantId: 'tenant-storsjo' };
const EVA = { from: { aadObjectId: 'aad-eva' }, locale: 'en-GB', tenantId: 'tenant-storsjo' };

function register(): Register {
  const organisationId = 'storsjo-kommun';
  const person = (email: string, name: string, aadObjectId?: string) =>
    buildPerson({ email, name, organisationId, ...(aadObjectId ? { aadObjectId } : {}) });
  const system = (slug: string, name: string) =>
    buildSystem({ id: `${organisationId}/${slug}`, organisationId, name });
  const assign = (slug: string, role: 'owner' | 'administrator' | 'super_user', personId: string) =>
    buildAssignment({ organisationId, systemId: `${organisationId}/${slug}`, role, personId });
  return buildRegister({
    organisations: [
      buildOrganisation({
        id: organisationId,
        name: 'Storsjö kommun',
        language: 'sv',
        tenantId: 'tenant-storsjo',
      }),
    ],
    people: [
      person('anna.berg@storsjo.se', 'Anna Berg', 'aad-anna'),
      person('cia.dahl@storsjo.se', 'Cia Dahl'),
      person('eva.lund@storsjo.se', 'Eva Lund', 'aad-eva'),
    ],
    systems: [system('procapita', 'Procapita'), system('raindance', 'Raindance')],
    roleAssignments: [
      assign('procapita', 'owner', 'anna.berg@storsjo.se'),
      assign('procapita', 'administrator', 'cia.dahl@storsjo.se'),
      assign('raindance', 'owner', 'anna.berg@storsjo.se'),
      assign('raindance', 'super_user', 'cia.dahl@storsjo.se'),
      buildAssignment({
        organisationId,
        systemId: undefined,
        role: 'it_coordinator',
        personId: 'eva.lund@storsjo.se',
      }),
    ],
  });
}

function harness() {
  const store = new MemoryRegisterStore(register());
  const services = buildAppServices({
    store,
    directory: FakeDirectory.fromPeople(register().people),
    now: () => NOW,
  });
  const bot = new TeamsBot(services);
  const adapter = new TestAdapter(async (context) => {
    await bot.run(context);
  });
  return async (activity: Partial<Activity>) => {
    await adapter.processActivity(activity);
    return adapter.activeQueue.splice(0);
  };
}

function cardOf(reply: Partial<Activity> | undefined): unknown {
  const attachment = reply?.attachments?.[0];
  assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
  return attachment.content;
}

function invokeCard(replies: Partial<Activity>[]): unknown {
  const response = replies.find((r) => r.type === 'invokeResponse')?.value as {
    status: number;
    body: { value: unknown };
  };
  assert.equal(response?.status, 200, JSON.stringify(replies.map((r) => r.type)));
  return response.body.value;
}

describe('did you mean, through the bot', () => {
  it('offers the roles of a person named with nothing else, in the asker’s language, instead of the help card', async () => {
    const send = harness();
    const [reply] = await send(buildMessage({ ...ANNA, text: 'Cia Dahl?' }));
    const card = cardOf(reply);
    const runs = textRuns(card);
    assert.ok(runs.includes(t('sv', 'didYouMean.title')), JSON.stringify(runs));
    assert.ok(!runs.includes(t('sv', 'help.title')), 'no help card');
    const buttons = executeActions(card);
    assert.deepEqual(
      buttons.map((b) => [b.verb, b.data]),
      [['question.ask', { question: 'vilka roller har Cia Dahl' }]],
    );
    assert.equal(buttons[0]!.title, 'Vilka roller har Cia Dahl');
  });

  it('answers a button exactly as the typed question', async () => {
    const send = harness();
    const [reply] = await send(buildMessage({ ...ANNA, text: 'Cia Dahl?' }));
    const button = executeActions(cardOf(reply))[0]!;
    const clicked = invokeCard(
      await send(buildCardAction({ ...ANNA, verb: button.verb, data: button.data })),
    );
    const [typed] = await send(buildMessage({ ...ANNA, text: String(button.data.question) }));
    assert.deepEqual(textRuns(clicked), textRuns(cardOf(typed)));
    assert.ok(
      textRuns(clicked).some((r) => r.includes('Procapita')),
      JSON.stringify(textRuns(clicked)),
    );
  });

  it('refuses a button whose data is no question with a 400', async () => {
    const send = harness();
    const replies = await send(buildCardAction({ ...ANNA, verb: 'question.ask', data: { question: '' } }));
    const response = replies.find((r) => r.type === 'invokeResponse')?.value as { status: number };
    assert.equal(response.status, 400);
  });

  it('still gives the help card to a message that names nothing known and asks nothing it does', async () => {
    const send = harness();
    const [reply] = await send(buildMessage({ ...ANNA, text: 'vad blir det för lunch idag?' }));
    assert.ok(textRuns(cardOf(reply)).includes(t('sv', 'help.title')), 'the help card');
  });

  it('lists the systems without a super user for a coordinator, and pages that list', async () => {
    const send = harness();
    const [reply] = await send(buildMessage({ ...EVA, text: 'which systems have no super user?' }));
    const card = cardOf(reply);
    const runs = textRuns(card);
    assert.ok(runs.includes('Procapita') && !runs.includes('Raindance'), JSON.stringify(runs));
    assert.ok(
      runs.some((r) => r.startsWith('Systems without a super user')),
      JSON.stringify(runs.slice(0, 3)),
    );
    const download = executeActions(card).find((a) => a.verb === 'list.download');
    assert.equal(download?.data.list, 'noSuperUser');
  });
});
