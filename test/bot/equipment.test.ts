import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { TeamsBot } from '../../bot/teamsBot.js';
import { MemoryRegisterStore } from '../../data/memory/memoryRegisterStore.js';
import type { Register } from '../../data/model.js';
import { t } from '../../services/i18n/index.js';
import { unitId } from '../../services/register/ids.js';
import { FakeDirectory } from '../../fakes/fakeDirectory.js';
import { buildCardAction, buildMessage } from '../fixtures/activityBuilder.js';
import { buildAppServices } from '../fixtures/appServices.js';
import { executeActions, inputIds, textRuns, walkCard } from '../fixtures/cardQueries.js';
import {
  buildAssignment,
  buildOrganisation,
  buildPerson,
  buildRegister,
  buildUnit,
} from '../../fakes/registerBuilder.js';

/**
 * Equipment orders in the conversation, with the real bot, engine and stores: Storsjö kommun as the sample has it
 * (Lina Axelsson the IT orderer of Vård- och omsorgsförvaltningen, the IT unit, an IT coordinator), one click per
 * person through the TestAdapter.
 */

const NOW = new Date('2026-02-02T09:00:00Z');
const ORG = 'storsjo-kommun';
const VOF = unitId(ORG, 'Vård- och omsorgsförvaltningen');
const SOC = unitId(ORG, 'Socialförvaltningen');
const mail = (who: string) => `${who}@storsjo.example`;

const PEOPLE = {
  mona: { name: 'Mona Jansson', department: 'Vård- och omsorgsförvaltningen' },
  lina: { name: 'Lina Axelsson', department: 'Vård- och omsorgsförvaltningen' },
  fredrik: { name: 'Fredrik Dahl', department: 'Socialförvaltningen' },
  magnus: { name: 'Magnus Strand', department: 'IT-enheten' },
  aida: { name: 'Aida Begic', department: 'IT-enheten' },
  josefin: { name: 'Josefin Håkansson', department: 'IT-enheten' },
  per: { name: 'Per Berg', department: 'Socialförvaltningen' },
} as const;
type Who = keyof typeof PEOPLE;

function storsjo(): Register {
  return buildRegister({
    organisations: [
      buildOrganisation({ id: ORG, name: 'Storsjö kommun', language: 'sv', tenantId: 'tenant-storsjo' }),
    ],
    units: ['Vård- och omsorgsförvaltningen', 'Socialförvaltningen', 'IT-enheten'].map((name) =>
      buildUnit({ id: unitId(ORG, name), organisationId: ORG, name }),
    ),
    people: (Object.keys(PEOPLE) as Who[]).map((who) =>
      buildPerson({
        email: mail(who),
        name: PEOPLE[who].name,
        department: PEOPLE[who].department,
        organisationId: ORG,
        aadObjectId: `aad-${who}`,
      }),
    ),
    systems: [],
    roleAssignments: [
      orgRole('it_orderer', 'lina', [VOF]),
      orgRole('it_orderer', 'fredrik', [SOC]),
      orgRole('it_unit', 'magnus'),
      orgRole('it_unit', 'aida'),
      orgRole('it_coordinator', 'josefin'),
    ],
  });
}

function orgRole(role: 'it_orderer' | 'it_unit' | 'it_coordinator', who: Who, unitIds?: string[]) {
  return buildAssignment({
    role,
    personId: mail(who),
    organisationId: ORG,
    systemId: undefined,
    ...(unitIds ? { unitIds } : {}),
  });
}

function harness() {
  const register = storsjo();
  const services = buildAppServices({
    store: new MemoryRegisterStore(register),
    directory: FakeDirectory.fromPeople(register.people),
    now: () => NOW,
  });
  const bot = new TeamsBot(services);
  const adapter = new TestAdapter(async (context) => {
    await bot.run(context);
  });
  const send = async (activity: Partial<Activity>): Promise<Partial<Activity>[]> => {
    await adapter.processActivity(activity);
    return adapter.activeQueue.splice(0);
  };
  const as = (who: Who) => ({
    from: { aadObjectId: `aad-${who}`, id: `29:${who}` },
    locale: 'sv-SE',
    tenantId: 'tenant-storsjo',
    conversationId: `a:${who}`,
  });
  return {
    services,
    /** A message from `who`; the card it is answered with. */
    async say(who: Who, text: string): Promise<unknown> {
      const [reply] = await send(buildMessage({ ...as(who), text }));
      const attachment = reply?.attachments?.[0];
      assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive', JSON.stringify(reply));
      return attachment.content;
    },
    /** A click by `who`: the invoke response's body. */
    async click(who: Who, verb: string, data: Record<string, unknown>) {
      const replies = await send(buildCardAction({ ...as(who), verb, data }));
      const response = replies.find((r) => r.type === 'invokeResponse');
      assert.ok(response, 'no invoke response');
      return (response.value as { status: number; body: { type: string; value: unknown } }).body;
    },
  };
}

type Harness = ReturnType<typeof harness>;

async function card(h: Harness, who: Who, verb: string, data: Record<string, unknown>): Promise<unknown> {
  const body = await h.click(who, verb, data);
  assert.equal(body.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(body));
  return body.value;
}

async function refusal(h: Harness, who: Who, verb: string, data: Record<string, unknown>): Promise<string> {
  const body = await h.click(who, verb, data);
  assert.equal(body.type, 'application/vnd.microsoft.activity.message', JSON.stringify(body));
  return String(body.value);
}

function action(shown: unknown, verb: string): Record<string, unknown> {
  const found = executeActions(shown).find((a) => a.verb === verb);
  assert.ok(
    found,
    `no ${verb}: ${executeActions(shown)
      .map((a) => a.verb)
      .join(', ')}`,
  );
  return found.data;
}

function inputValue(shown: unknown, id: string): unknown {
  let value: unknown;
  walkCard(shown, (r) => {
    if (r.id === id) value = r.value;
  });
  return value;
}

const ORDER = {
  quantity: '2',
  location: 'Kommunhuset plan 2',
  justification: 'Möten med anhöriga',
  wantedBy: '2026-03-01',
};

/** Mona asks, gets the form, sends it: the request card she sees and the request id. */
async function monaOrders(h: Harness, who: Who = 'mona'): Promise<{ shown: unknown; requestId: string }> {
  const form = await h.say(who, 'jag behöver en projektor till konferensrummet');
  const submit = action(form, 'equipment.submit');
  const shown = await card(h, who, 'equipment.submit', {
    ...submit,
    itemType: inputValue(form, 'itemType'),
    forWhom: inputValue(form, 'forWhom'),
    unitId: inputValue(form, 'unitId'),
    model: '',
    ...ORDER,
  });
  return { shown, requestId: String(action(shown, 'request.cancel').requestId) };
}

/** The request card as `who` sees it now. */
const cardFor = (h: Harness, who: Who, requestId: string) => card(h, who, 'request.show', { requestId });

describe('equipment orders in the conversation', () => {
  it('runs ask → form → orderer → quote → accept → order → delivery with two asset tags → installation', async () => {
    const h = harness();
    const form = await h.say('mona', 'jag behöver en projektor till konferensrummet');
    assert.ok(
      textRuns(form).includes(t('sv', 'equipment.form.title')),
      "textRuns(form).includes(t('sv', 'equipment.form.title'))",
    );
    assert.equal(inputValue(form, 'itemType'), 'projector');
    assert.equal(inputValue(form, 'forWhom'), 'konferensrummet');
    assert.equal(inputValue(form, 'unitId'), VOF, 'her own unit first');

    const { shown, requestId } = await monaOrders(h);
    assert.ok(
      textRuns(shown).includes(t('sv', 'request.notice.submitted')),
      "textRuns(shown).includes(t('sv', 'request.notice.submitted'))",
    );
    assert.ok(
      textRuns(shown).includes('Beställning av utrustning: Projektor × 2'),
      textRuns(shown).join(' | '),
    );
    assert.deepEqual(
      executeActions(shown).map((a) => a.verb),
      ['request.note', 'request.cancel'],
    );

    // The IT orderer of her unit approves on the unit's behalf.
    const lina = await cardFor(h, 'lina', requestId);
    await card(h, 'lina', 'request.approve', action(lina, 'request.approve'));

    // The IT unit quotes: cost as people type it, and delivery time.
    const quoteCard = await cardFor(h, 'magnus', requestId);
    assert.deepEqual(inputIds(quoteCard), ['cost', 'delivery', 'note', 'noteText']);
    const quoted = await card(h, 'magnus', 'task.done', {
      ...action(quoteCard, 'task.done'),
      cost: '2 400,50',
      delivery: '2 veckor',
    });
    assert.match(textRuns(quoted).join('\n'), /Kostnad: 2\s400,50\skr/);

    // The orderer accepts the quote.
    const accept = await cardFor(h, 'lina', requestId);
    assert.equal(executeActions(accept)[0]!.title, 'Godkänn offerten');
    await card(h, 'lina', 'request.approve', action(accept, 'request.approve'));

    // Ordered, then delivered with one asset tag per item (the location prefilled), then installed.
    const order = await cardFor(h, 'aida', requestId);
    await card(h, 'aida', 'task.done', action(order, 'task.done'));
    const deliver = await cardFor(h, 'magnus', requestId);
    assert.equal(inputValue(deliver, 'location'), 'Kommunhuset plan 2');
    assert.equal(inputValue(deliver, 'holder'), 'konferensrummet');
    const delivered = await card(h, 'magnus', 'task.done', {
      ...action(deliver, 'task.done'),
      assetTags: 'INV-1001\nINV-1002',
      location: 'Kommunhuset plan 2, rum 12',
      holder: 'Konferensrummet Storsjön',
    });
    assert.ok(
      textRuns(delivered).includes('Inventarienummer: INV-1001, INV-1002'),
      textRuns(delivered).join(' | '),
    );
    const install = await cardFor(h, 'magnus', requestId);
    const finished = await card(h, 'magnus', 'task.done', action(install, 'task.done'));
    assert.deepEqual(executeActions(finished), []);

    // The requester is told: her card says it is done, and a message for her is waiting in the outbox.
    const stored = await h.services.requests.get(requestId);
    assert.equal(stored.status, 'done');
    const monaCard = await cardFor(h, 'mona', requestId);
    assert.ok(
      textRuns(monaCard).some((r) => r.startsWith('Klart – levererad och installerad (Magnus Strand')),
      textRuns(monaCard).join(' | '),
    );
    const outbox = await h.services.requestStore.pendingOutbox(1000);
    assert.ok(
      outbox.some(
        (o) => o.recipientId === mail('mona') && o.purpose === 'info' && o.version === stored.version,
      ),
      'the requester is notified of the last step',
    );

    // The registered items: by the unit's orderer, and the coordinator discards one.
    const unitList = await h.say('lina', 'vilken utrustning har Vård- och omsorgsförvaltningen');
    assert.ok(textRuns(unitList).includes('Inventarienummer: INV-1001'), textRuns(unitList).join(' | '));
    assert.ok(
      !executeActions(unitList).some((a) => a.verb === 'inventory.discard'),
      'an orderer sees but does not discard',
    );
    const coordinatorList = await h.say('josefin', 'vilken utrustning har Vård- och omsorgsförvaltningen');
    const discard = action(coordinatorList, 'inventory.discard');
    for (const reason of [undefined, 'Trasig']) {
      assert.equal(
        await refusal(h, 'lina', 'inventory.discard', { ...discard, ...(reason ? { reason } : {}) }),
        t('sv', 'error.notAnApprover'),
        'only the IT coordinator discards',
      );
    }
    const confirm = await card(h, 'josefin', 'inventory.discard', discard);
    assert.deepEqual(inputIds(confirm), ['reason']);
    const after = await card(h, 'josefin', 'inventory.discard', {
      ...action(confirm, 'inventory.discard'),
      reason: 'Återlämnad till leverantören',
    });
    assert.ok(
      textRuns(after).some((r) => r.startsWith('Kasserad: Projektor')),
      textRuns(after).join(' | '),
    );
    const left = await h.services.inventory.listUnit(mail('josefin'), VOF);
    assert.equal(left.kind === 'items' ? left.items.length : -1, 1);
  });

  it('shows equipment registered to the person it is for', async () => {
    const h = harness();
    const form = await h.say('mona', 'jag behöver en skärm');
    const shown = await card(h, 'mona', 'equipment.submit', {
      ...action(form, 'equipment.submit'),
      itemType: inputValue(form, 'itemType'),
      unitId: VOF,
      ...ORDER,
      quantity: '1',
    });
    const requestId = String(action(shown, 'request.cancel').requestId);
    const steps: [Who, string, Record<string, unknown>][] = [
      ['lina', 'request.approve', {}],
      ['magnus', 'task.done', { cost: '1900', delivery: '1 vecka' }],
      ['lina', 'request.approve', {}],
      ['magnus', 'task.done', {}],
      ['magnus', 'task.done', { assetTags: 'INV-7', location: 'Rum 3', holder: '' }],
      ['magnus', 'task.done', {}],
    ];
    for (const [who, verb, inputs] of steps) {
      const now = await cardFor(h, who, requestId);
      await card(h, who, verb, { ...action(now, verb), ...inputs });
    }
    const mine = await h.say('mona', 'vad är registrerat på mig');
    const runs = textRuns(mine);
    assert.ok(runs.includes(t('sv', 'inventory.mine.title')), runs.join(' | '));
    assert.ok(runs.includes('Inventarienummer: INV-7'), runs.join(' | '));
    assert.ok(runs.includes('Rum 3'), "runs.includes('Rum 3')");
  });

  it('skips the orderer step when an IT orderer orders for their own unit, and lets them accept the quote', async () => {
    const h = harness();
    const { requestId } = await monaOrders(h, 'lina');
    const stored = await h.services.requests.get(requestId);
    assert.deepEqual(
      stored.stages.map((s) => s.name),
      ['quote', 'accept_quote', 'order', 'deliver', 'install'],
    );
    const quote = await cardFor(h, 'magnus', requestId);
    await card(h, 'magnus', 'task.done', { ...action(quote, 'task.done'), cost: '5000', delivery: 'v. 12' });
    const own = await cardFor(h, 'lina', requestId);
    const accepted = await card(h, 'lina', 'request.approve', action(own, 'request.approve'));
    assert.ok(
      textRuns(accepted).some((r) => r.startsWith('Offerten godkänd av Lina Axelsson')),
      "textRuns(accepted).some((r) => r.startsWith('Offerten godkänd av Lina Axelsso...",
    );
  });

  it('refuses the people not on the list, an orderer of another unit and the requester accepting their own quote', async () => {
    const h = harness();
    const { requestId } = await monaOrders(h);
    for (const who of ['per', 'fredrik', 'mona', 'magnus'] as const) {
      assert.equal(
        await refusal(h, who, 'request.approve', { requestId, version: 1 }),
        t('sv', 'error.notAnApprover'),
        who,
      );
    }
    assert.equal((await h.services.requests.get(requestId)).version, 1);

    const lina = await cardFor(h, 'lina', requestId);
    await card(h, 'lina', 'request.approve', action(lina, 'request.approve'));
    const quote = await cardFor(h, 'magnus', requestId);
    await card(h, 'magnus', 'task.done', { ...action(quote, 'task.done'), cost: '100', delivery: 'snart' });
    const version = (await h.services.requests.get(requestId)).version;
    assert.equal(
      await refusal(h, 'mona', 'request.approve', { requestId, version }),
      t('sv', 'error.notAnApprover'),
    );
    assert.equal(
      await refusal(h, 'fredrik', 'request.approve', { requestId, version }),
      t('sv', 'error.notAnApprover'),
    );
    assert.equal((await h.services.requests.get(requestId)).version, version);
  });

  it('changes nothing for a step done out of order, a stale card or a double click', async () => {
    const h = harness();
    const { requestId } = await monaOrders(h);
    const lina = await cardFor(h, 'lina', requestId);
    const approve = action(lina, 'request.approve');
    await card(h, 'lina', 'request.approve', approve);
    const again = await card(h, 'lina', 'request.approve', approve);
    assert.ok(
      textRuns(again).some((r) => r.startsWith('Redan godkänd av Lina Axelsson')),
      textRuns(again).join(' | '),
    );
    assert.equal((await h.services.requests.get(requestId)).version, 2);

    // Delivering while the quote is due: on the card of an earlier version nothing happens; on the current one the
    // values are checked against the step that is due (the quote), so a delivery cannot jump the queue.
    const early = await card(h, 'magnus', 'task.done', {
      requestId,
      version: 1,
      assetTags: 'INV-1\nINV-2',
      location: 'x',
    });
    assert.ok(
      textRuns(early).some((r) => r.startsWith('Redan godkänd av Lina Axelsson')),
      textRuns(early).join(' | '),
    );
    const wrongStep = await card(h, 'magnus', 'task.done', {
      requestId,
      version: 2,
      assetTags: 'INV-1\nINV-2',
      location: 'x',
    });
    assert.ok(textRuns(wrongStep).includes(t('sv', 'step.notice.values')), textRuns(wrongStep).join(' | '));
    assert.deepEqual(inputIds(wrongStep).slice(0, 2), ['cost', 'delivery']);
    const stored = await h.services.requests.get(requestId);
    assert.equal(stored.version, 2);
    assert.equal(stored.stages[1]!.decision, undefined);

    const quote = await cardFor(h, 'magnus', requestId);
    const done = { ...action(quote, 'task.done'), cost: '100', delivery: 'snart' };
    await card(h, 'magnus', 'task.done', done);
    await card(h, 'aida', 'task.done', done);
    const after = await h.services.requests.get(requestId);
    assert.equal(after.version, 3, 'the second click on the same card changes nothing');
    assert.equal(after.stages[1]!.decision?.by, mail('magnus'));
  });

  it('shows a wrong number of asset tags next to the input and keeps what was typed', async () => {
    const h = harness();
    const { requestId } = await monaOrders(h);
    const steps: [Who, string, Record<string, unknown>][] = [
      ['lina', 'request.approve', {}],
      ['magnus', 'task.done', { cost: '100', delivery: 'snart' }],
      ['lina', 'request.approve', {}],
      ['magnus', 'task.done', {}],
    ];
    for (const [who, verb, inputs] of steps) {
      const now = await cardFor(h, who, requestId);
      await card(h, who, verb, { ...action(now, verb), ...inputs });
    }
    const deliver = await cardFor(h, 'magnus', requestId);
    const refused = await card(h, 'magnus', 'task.done', {
      ...action(deliver, 'task.done'),
      assetTags: 'INV-1',
      location: 'Rum 1',
      holder: '',
    });
    assert.ok(
      textRuns(refused).includes(t('sv', 'step.problem.assetTags', { count: 2 })),
      textRuns(refused).join(' | '),
    );
    assert.equal(inputValue(refused, 'assetTags'), 'INV-1');
    assert.equal(inputValue(refused, 'location'), 'Rum 1');
    assert.equal((await h.services.requests.get(requestId)).currentStage, 4);
  });

  it('adds a note once however often the same card is clicked, and refuses a note from outside', async () => {
    const h = harness();
    const { shown, requestId } = await monaOrders(h);
    const note = { ...action(shown, 'request.note'), noteText: 'Helst före mars' };
    await card(h, 'mona', 'request.note', note);
    const twice = await card(h, 'mona', 'request.note', note);
    assert.deepEqual(
      (await h.services.requests.get(requestId)).notes?.map((n) => n.text),
      ['Helst före mars'],
    );
    assert.ok(textRuns(twice).includes('Helst före mars'), "textRuns(twice).includes('Helst före mars')");
    const lina = await cardFor(h, 'lina', requestId);
    assert.ok(textRuns(lina).includes('Helst före mars'), 'the orderer sees the note');
    const empty = await card(h, 'mona', 'request.note', { ...note, noteText: '  ' });
    assert.ok(
      textRuns(empty).includes(t('sv', 'notes.required')),
      "textRuns(empty).includes(t('sv', 'notes.required'))",
    );
    assert.equal(await refusal(h, 'per', 'request.note', note), t('sv', 'error.notAnApprover'));
  });

  it('comes back with the form and its values when an order is incomplete, and stores nothing', async () => {
    const h = harness();
    const form = await h.say('mona', 'beställ utrustning');
    const shown = await card(h, 'mona', 'equipment.submit', {
      ...action(form, 'equipment.submit'),
      itemType: '',
      quantity: '500',
      justification: 'Behövs',
    });
    const runs = textRuns(shown);
    assert.ok(runs.includes(t('sv', 'equipment.problem.quantity')), runs.join(' | '));
    assert.ok(runs.includes(t('sv', 'problem.required')), "runs.includes(t('sv', 'problem.required'))");
    assert.equal(inputValue(shown, 'justification'), 'Behövs');
    assert.deepEqual(await h.services.requests.listMine(mail('mona')), []);
  });

  it('refuses a unit list to someone not allowed to see it, naming the IT coordinators', async () => {
    const h = harness();
    const shown = await h.say('per', 'vilken utrustning har Vård- och omsorgsförvaltningen');
    assert.ok(
      textRuns(shown).includes(t('sv', 'inventory.refused', { names: 'Josefin Håkansson' })),
      textRuns(shown).join(' | '),
    );
  });
});
