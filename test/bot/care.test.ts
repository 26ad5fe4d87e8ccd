import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { TeamsBot } from '../../bot/teamsBot.js';
import { MemoryRegisterStore } from '../../data/memory/memoryRegisterStore.js';
import { isCurrent, type Register } from '../../data/model.js';
import { FakeDirectory } from '../../fakes/fakeDirectory.js';
import { buildCardAction, buildMessage } from '../fixtures/activityBuilder.js';
import { buildAppServices } from '../fixtures/appServices.js';
import { executeActions, inputIds, textRuns } from '../fixtures/cardQueries.js';
import { buildAssignment, buildSystem } from '../../fakes/registerBuilder.js';
import { buildScenario, FJORDVIK, holds, NOW, PEOPLE, SYSTEMS, TANUM } from '../fixtures/registerScenario.js';

/**
 * Register care and handover through the real bot and TestAdapter: Lisa Strand (Tanum's IT coordinator) and Ingrid
 * Vik (Fjordvik's) change the register with typed commands and confirm on the card; Anna Berg owns Procapita and
 * Treserva and may confirm their entries, nothing else.
 */

const LISA = { aadObjectId: 'aad-lisa', tenantId: TANUM.tenantId!, locale: 'sv-SE' };
const INGRID = { aadObjectId: 'aad-ingrid', tenantId: FJORDVIK.tenantId!, locale: 'nn-NO' };
const ANNA = { aadObjectId: 'aad-anna', tenantId: TANUM.tenantId!, locale: 'sv-SE' };

function scenario(extra: Partial<Register> = {}): Register {
  const register = buildScenario(extra);
  register.people = register.people.map((p) =>
    p.id === PEOPLE.lisaStrand.id
      ? { ...p, aadObjectId: 'aad-lisa' }
      : p.id === PEOPLE.ingridVik.id
        ? { ...p, aadObjectId: 'aad-ingrid' }
        : p,
  );
  register.roleAssignments.push(
    buildAssignment({
      role: 'it_coordinator',
      personId: PEOPLE.ingridVik.id,
      organisationId: FJORDVIK.id,
      systemId: undefined,
    }),
  );
  return register;
}

type Who = typeof LISA;
interface CardJson {
  body: unknown[];
}

function harness(register = scenario(), reachable: readonly string[] = []) {
  const store = new MemoryRegisterStore(register);
  /** What was sent to whom outside the conversation (the handover notices); `reachable` people get theirs. */
  const told: { personId: string; text: string }[] = [];
  const services = buildAppServices({
    store,
    directory: FakeDirectory.fromPeople(register.people),
    now: () => NOW,
    tell: async (person, message) => {
      if (!reachable.includes(person.id)) return 'unreachable';
      told.push({ personId: person.id, text: textRuns(message.card).join('\n') });
      return 'sent';
    },
  });
  const bot = new TeamsBot(services);
  const adapter = new TestAdapter(async (context) => {
    await bot.run(context);
  });
  const options = (who: Who) => ({
    from: { aadObjectId: who.aadObjectId, id: `29:${who.aadObjectId}` },
    tenantId: who.tenantId,
    locale: who.locale,
    conversationId: `a:${who.aadObjectId}`,
  });
  return {
    store,
    told,
    /** The card of the bot's answer to a message. */
    async say(who: Who, text: string): Promise<CardJson> {
      await adapter.processActivity(buildMessage({ ...options(who), text }));
      const replies = adapter.activeQueue.splice(0);
      const attachment = replies[0]?.attachments?.[0];
      assert.equal(
        attachment?.contentType,
        'application/vnd.microsoft.card.adaptive',
        JSON.stringify(replies),
      );
      return attachment.content as CardJson;
    },
    /** The card of the invoke response to a button. */
    async click(who: Who, verb: string, data: Record<string, unknown>): Promise<CardJson> {
      await adapter.processActivity(buildCardAction({ ...options(who), verb, data }));
      const response = adapter.activeQueue
        .splice(0)
        .find((r: Partial<Activity>) => r.type === 'invokeResponse');
      const value = response?.value as { status: number; body: { type: string; value: unknown } };
      assert.equal(value?.status, 200, JSON.stringify(value));
      assert.equal(value.body.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(value.body));
      return value.body.value as CardJson;
    },
    async current() {
      return (await store.snapshot()).roleAssignments.filter((a) => isCurrent(a, NOW));
    },
  };
}

function button(card: unknown, verb: string): Record<string, unknown> {
  const found = executeActions(card).find((a) => a.verb === verb);
  assert.ok(
    found,
    `no ${verb}: ${executeActions(card)
      .map((a) => a.verb)
      .join(', ')}`,
  );
  return found.data;
}

const text = (card: unknown) => textRuns(card).join('\n');

describe('register care in Teams', () => {
  describe('handover', () => {
    it('tells both people in their personal chat and says so to the coordinator', async () => {
      const h = harness(scenario(), [PEOPLE.annaBerg.id, PEOPLE.erikLund.id]);
      const card = await h.say(LISA, 'lämna över alla Annas roller till Erik Lund');
      const done = await h.click(LISA, 'roles.handover', button(card, 'roles.handover'));
      assert.match(
        text(done),
        /3 roller har lämnats över från Anna Berg till Erik Lund\. Båda har fått besked/,
      );
      assert.deepEqual(
        h.told.map((t) => t.personId).sort(),
        [PEOPLE.annaBerg.id, PEOPLE.erikLund.id].sort(),
        'both people are told once',
      );
    });

    it('lists every role with a toggle, and one confirmation moves the chosen ones; whom Ansvar cannot reach is named', async () => {
      const h = harness(scenario(), [PEOPLE.erikLund.id]);
      const card = await h.say(LISA, 'lämna över alla Annas roller till Erik Lund');
      const toggles = inputIds(card).filter((id) => id.startsWith('role:'));
      assert.equal(toggles.length, 3, text(card));
      assert.match(text(card), /Lämna över roller från Anna Berg till Erik Lund/);
      const data = button(card, 'roles.handover');
      assert.deepEqual(Object.keys(data).sort(), ['fromId', 'revision', 'toId']);
      const kept = toggles[2]!;

      const done = await h.click(LISA, 'roles.handover', { ...data, [kept]: 'false' });
      assert.match(
        text(done),
        /2 roller har lämnats över från Anna Berg till Erik Lund\. Anna Berg kunde inte nås i Teams/,
      );
      assert.deepEqual(
        h.told.map((t) => t.personId),
        [PEOPLE.erikLund.id],
        'Erik, who opened Ansvar, is told; Anna cannot be reached',
      );
      assert.match(h.told[0]!.text, /Lisa Strand har lämnat över 2 roller från Anna Berg till Erik Lund/);
      const current = await h.current();
      assert.deepEqual(
        current.filter((a) => a.personId === PEOPLE.annaBerg.id).map((a) => a.id),
        [kept.slice('role:'.length)],
      );
      const events = await h.store.pendingAudit();
      assert.equal(events.filter((e) => e.type === 'handover').length, 1);
      assert.equal(events.filter((e) => e.type === 'register_changed').length, 2);
    });

    it('hands over 53 roles in one step from a card that shows 40 toggles and stays under 80 KB', async () => {
      const systems = Array.from({ length: 50 }, (_, i) =>
        buildSystem({ id: `tanum-kommun/s${i}`, organisationId: TANUM.id, name: `Verksamhetssystem ${i}` }),
      );
      const h = harness(
        scenario({ systems, roleAssignments: systems.map((s) => holds('owner', PEOPLE.annaBerg, s)) }),
      );
      const card = await h.say(LISA, 'överlämna alla roller från Anna Berg till Erik Lund');
      assert.ok(JSON.stringify(card).length < 80_000, `card is ${JSON.stringify(card).length} bytes`);
      assert.equal(inputIds(card).filter((id) => id.startsWith('role:')).length, 40);
      assert.match(text(card), /… och 13 roller till, som också lämnas över\./);
      const before = await h.store.revision();

      const done = await h.click(LISA, 'roles.handover', button(card, 'roles.handover'));
      assert.match(text(done), /^53 roller/m);
      assert.equal(await h.store.revision(), before + 1, 'one register change');
      const current = await h.current();
      assert.equal(current.filter((a) => a.personId === PEOPLE.annaBerg.id).length, 0);
      assert.equal(current.filter((a) => a.personId === PEOPLE.erikLund.id && a.role === 'owner').length, 52);
    });

    it('writes nothing from a stale card and shows the roles again with "the register changed"', async () => {
      const h = harness();
      const card = await h.say(LISA, 'lämna över alla Annas roller till Erik Lund');
      await h.store.apply(
        { systems: [buildSystem({ id: 'tanum-kommun/ny', organisationId: TANUM.id, name: 'Ny' })] },
        0,
      );

      const again = await h.click(LISA, 'roles.handover', button(card, 'roles.handover'));
      assert.match(text(again), /Registret har ändrats sedan kortet visades/);
      assert.equal(button(again, 'roles.handover').revision, 1);
      assert.equal(await h.store.revision(), 1);
      assert.deepEqual(await h.store.pendingAudit(), []);
    });

    it('understands Nynorsk and hands over within the coordinator’s own organisation', async () => {
      const h = harness();
      const card = await h.say(INGRID, 'overlat alle rollane til Kari til Ola');
      assert.equal(inputIds(card).filter((id) => id.startsWith('role:')).length, 2, text(card));
      assert.match(text(card), /Overlat roller frå Kari Nordmann til Ola Nordmann/);
      const done = await h.click(INGRID, 'roles.handover', button(card, 'roles.handover'));
      assert.match(text(done), /2 roller er overlatne frå Kari Nordmann til Ola Nordmann/);
    });

    it('refuses someone who is no list reader, naming the IT coordinators, also on a forwarded card', async () => {
      const h = harness();
      const refused = await h.say(ANNA, 'hand over all of Anna Berg’s roles to Erik Lund');
      assert.match(text(refused), /Only IT coordinators/);
      assert.match(text(refused), /Lisa Strand/);
      const card = await h.say(LISA, 'lämna över alla Annas roller till Erik Lund');
      const forwarded = await h.click(ANNA, 'roles.handover', button(card, 'roles.handover'));
      assert.match(text(forwarded), /Lisa Strand/);
      assert.equal(await h.store.revision(), 0);
    });
  });

  describe('roles and systems', () => {
    it('makes someone owner in place of the current one, keeping the old owner as history', async () => {
      const h = harness();
      const card = await h.say(LISA, 'gör Mali Holm till systemägare för Procapita');
      const end = inputIds(card).find((id) => id.startsWith('end:'));
      assert.ok(end, 'the current owner is offered for ending');
      assert.match(text(card), /Göra Mali Holm till systemägare för Procapita\?/);
      const done = await h.click(LISA, 'role.assign', { ...button(card, 'role.assign'), [end]: 'true' });
      assert.match(text(done), /Mali Holm är nu systemägare för Procapita/);
      const all = (await h.store.snapshot()).roleAssignments;
      const owners = all.filter((a) => a.role === 'owner' && a.systemId === SYSTEMS.procapita.id);
      assert.deepEqual(
        owners.map((a) => [a.personId, a.validTo ?? 'current']),
        [
          [PEOPLE.annaBerg.id, NOW.toISOString()],
          [PEOPLE.maliHolm.id, 'current'],
        ],
      );
    });

    it('refuses the same assignment from someone who is no list reader, naming the IT coordinators', async () => {
      const h = harness();
      const card = await h.say(ANNA, 'make Mali Holm owner of Procapita');
      assert.match(text(card), /Lisa Strand/);
      assert.deepEqual(executeActions(card), []);
    });

    it('one who leaves a role of their own and may not care is told whom to tell, not who holds it', async () => {
      const h = harness();
      const card = await h.say(ANNA, 'jag slutar som systemägare för Procapita');
      assert.match(text(card), /Lisa Strand/);
      assert.deepEqual(executeActions(card), []);
    });

    it('a coordinator who leaves a role of their own gets its end to confirm (Anna, also IT coordinator)', async () => {
      const register = scenario();
      register.roleAssignments.push(
        buildAssignment({
          role: 'it_coordinator',
          personId: PEOPLE.annaBerg.id,
          organisationId: TANUM.id,
          systemId: undefined,
        }),
      );
      const h = harness(register);
      const card = await h.say(ANNA, "I'm stepping down as owner of Procapita");
      assert.match(text(card), /End Anna Berg’s role as system owner of Procapita\?/);
      const done = await h.click(ANNA, 'role.end', button(card, 'role.end'));
      assert.match(text(done), /Anna Berg is no longer (system )?owner of Procapita/);
    });

    it('ends a deputy on confirmation (English) and keeps the role as history', async () => {
      const h = harness();
      const card = await h.say(LISA, 'end Sara Ek as deputy of Procapita');
      assert.match(text(card), /End Sara Ek’s role as deputy of Procapita\?/);
      const done = await h.click(LISA, 'role.end', button(card, 'role.end'));
      assert.match(text(done), /Sara Ek is no longer deputy of Procapita/);
      const deputy = (await h.store.snapshot()).roleAssignments.find(
        (a) => a.role === 'deputy' && a.systemId === SYSTEMS.procapita.id,
      );
      assert.equal(deputy?.validTo, NOW.toISOString());
    });

    it('lets the owner confirm the entry and refuses the coordinator', async () => {
      const h = harness();
      const refused = await h.say(LISA, 'bekräfta Procapita');
      assert.match(text(refused), /Bara systemägaren kan bekräfta/);
      const card = await h.say(ANNA, 'bekräfta Procapita');
      assert.match(text(card), /Ersättare: Sara Ek/);
      const done = await h.click(ANNA, 'system.confirm', button(card, 'system.confirm'));
      assert.match(text(done), /Uppgifterna om Procapita är bekräftade/);
      const system = (await h.store.snapshot()).systems.find((s) => s.id === SYSTEMS.procapita.id);
      assert.equal(system?.confirmedAt, NOW.toISOString());
    });

    it('adds a system from the form (Nynorsk) and shows refused values on the form again', async () => {
      const h = harness();
      const form = await h.say(INGRID, 'legg til fagsystem Visma Skule');
      assert.deepEqual(inputIds(form), [
        'name',
        'aliases',
        'supplier',
        'supplierSupport',
        'unitId',
        'processesPersonalData',
      ]);
      const data = button(form, 'system.add');
      const taken = await h.click(INGRID, 'system.add', { ...data, name: 'Acos Websak' });
      assert.match(text(taken), /Det finst alt eit fagsystem med det namnet/);

      const done = await h.click(INGRID, 'system.add', {
        ...data,
        name: 'Visma Skule',
        aliases: 'VS; Skule',
        supplier: 'Visma',
        processesPersonalData: 'true',
      });
      assert.match(text(done), /Visma Skule er lagt til i Fjordvik kommune/);
      const added = (await h.store.snapshot()).systems.find((s) => s.id === 'fjordvik-kommune/visma-skule');
      assert.deepEqual(
        [added?.aliases, added?.supplier, added?.processesPersonalData],
        [['VS', 'Skule'], 'Visma', true],
      );
    });

    it('edits a system and says so when nothing changed', async () => {
      const h = harness();
      const form = await h.say(LISA, 'ändra systemet Procapita');
      const data = button(form, 'system.edit');
      const done = await h.click(LISA, 'system.edit', {
        ...data,
        aliases: 'PCA; Procapita VoO',
        supplier: 'CGI',
      });
      assert.match(text(done), /Procapita är uppdaterat/);
      const again = await h.say(LISA, 'ändra systemet Procapita');
      const same = await h.click(LISA, 'system.edit', {
        ...button(again, 'system.edit'),
        aliases: 'PCA; Procapita VoO',
      });
      assert.match(text(same), /Inget att ändra/);
    });

    it('changes nothing on Cancel', async () => {
      const h = harness();
      const card = await h.say(LISA, 'avsluta Saras roll som ersättare för Procapita');
      const cancelled = await h.click(LISA, 'care.cancel', button(card, 'care.cancel'));
      assert.match(text(cancelled), /Inget ändrades/);
      assert.equal(await h.store.revision(), 0);
    });
  });
});
