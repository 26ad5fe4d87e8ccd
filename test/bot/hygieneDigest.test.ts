import assert from 'node:assert/strict';
import { createHostAdapter } from '../../bot/hostAdapter.js';
import { PersonMessenger } from '../../bot/delivery/personMessenger.js';
import { HygieneDigest, HygieneScheduler } from '../../bot/delivery/hygieneDigest.js';
import { TeamsRateLimiter } from '../../bot/delivery/rateLimiter.js';
import { ProactiveSender } from '../../bot/delivery/sender.js';
import { MemoryConversationReferenceStore } from '../../data/memory/memoryConversationReferenceStore.js';
import { MemoryRegisterStore } from '../../data/memory/memoryRegisterStore.js';
import { MemoryRequestStore } from '../../data/memory/memoryRequestStore.js';
import type { Organisation, OrganisationRole, Person } from '../../data/model.js';
import { loadConfig, type HostSdk } from '../../services/infrastructure/config.js';
import { HygieneCheck } from '../../services/hygiene/index.js';
import { logger } from '../../core/logger.js';
import { RegisterView } from '../../services/search/registerView.js';
import { FakeDirectory } from '../../fakes/fakeDirectory.js';
import { textRuns } from '../fixtures/cardQueries.js';
import { buildAssignment, buildSystem } from '../../fakes/registerBuilder.js';
import { buildScenario, FJORDVIK, NOW, PEOPLE, TANUM } from '../fixtures/registerScenario.js';
import { HOSTS, onHost, useTestServer } from '../fixtures/testServer.js';

/**
 * The digest on the real delivery stack, on each host: the host's adapter from the app's factory, the ProactiveSender and the fake
 * connector on loopback. Tanum's coordinators: Lisa (twice, reached through the directory key), Erik (object id in
 * the register) and Mali (never opened Ansvar). Fjordvik's: Kari. "Tidy" has nothing to report; its coordinator
 * Anna must get nothing.
 */

const TIDY: Organisation = { id: 'tidy', name: 'Tidy', language: 'en' };
const tidySystem = buildSystem({
  id: 'tidy/app',
  organisationId: TIDY.id,
  name: 'App',
  confirmedAt: '2026-05-01T00:00:00.000Z',
  riskAnalysisAt: '2026-04-01T00:00:00.000Z',
});

function coordinator(person: Person, organisation: Organisation, role: OrganisationRole = 'it_coordinator') {
  return buildAssignment({ role, personId: person.id, organisationId: organisation.id, systemId: undefined });
}

const register = buildScenario({
  organisations: [TIDY],
  systems: [tidySystem],
  roleAssignments: [
    coordinator(PEOPLE.lisaStrand, TANUM),
    coordinator(PEOPLE.erikLund, TANUM),
    coordinator(PEOPLE.maliHolm, TANUM),
    coordinator(PEOPLE.kariNordmann, FJORDVIK),
    coordinator(PEOPLE.annaBerg, TIDY),
    ...(['owner', 'administrator', 'deputy'] as const).map((role) =>
      buildAssignment({
        role,
        personId: PEOPLE.annaBerg.id,
        organisationId: TIDY.id,
        systemId: tidySystem.id,
      }),
    ),
  ],
});

for (const host of HOSTS) describe(`HygieneDigest (${host} host)`, () => hygieneDigestOn(host));

function hygieneDigestOn(host: HostSdk) {
  let references: MemoryConversationReferenceStore;
  let requestStore: MemoryRequestStore;
  let digest: HygieneDigest;
  const { connector } = useTestServer();

  beforeEach(async () => {
    references = new MemoryConversationReferenceStore();
    for (const [key, conversationId] of [
      ['aad-lisa', 'a:lisa'],
      ['aad-erik', 'a:erik'],
      ['aad-kari', 'a:kari'],
      ['aad-anna', 'a:anna'],
    ] as const) {
      await references.set(key, {
        serviceUrl: connector.serviceUrl,
        channelId: 'msteams',
        conversation: {
          id: conversationId,
          conversationType: 'personal',
          tenantId: 'tenant-tanum',
          isGroup: false,
        },
        user: { id: `29:${key}`, aadObjectId: key },
        bot: { id: '28:ansvar-bot', name: 'Ansvar' },
      });
    }
    requestStore = new MemoryRequestStore();
    const config = onHost(loadConfig({ LOG_LEVEL: 'silent', ANSVAR_SAMPLE_ON_EMPTY: 'false' }), host);
    const { proactive } = await createHostAdapter(config, { logger });
    digest = new HygieneDigest({
      hygiene: new HygieneCheck({
        view: new RegisterView(new MemoryRegisterStore(register)),
        directory: FakeDirectory.fromPeople(register.people),
        requestStore,
        now: () => NOW,
        logger,
      }),
      messenger: new PersonMessenger({
        references,
        sender: new ProactiveSender({
          adapter: proactive,
          appId: '',
          limiter: new TeamsRateLimiter(),
          logger,
        }),
        personKeyOf: async (personId) => (personId === PEOPLE.lisaStrand.id ? 'aad-lisa' : undefined),
        logger,
      }),
      audit: requestStore,
      logger,
      now: () => NOW,
      newId: (() => {
        let n = 0;
        return () => `event-${++n}`;
      })(),
    });
  });

  const messages = () => connector.calls.filter((c) => c.kind === 'send' || c.kind === 'reply');
  const cardOf = (conversationId: string) => {
    const call = messages().find((c) => c.conversationId === conversationId);
    const attachments = call?.body.attachments as { content: unknown }[] | undefined;
    return attachments?.[0]?.content;
  };

  it('sends one card per organisation to each reachable coordinator once, and nothing where nothing was found', async () => {
    const results = await digest.run();

    assert.deepEqual(
      messages()
        .map((c) => c.conversationId)
        .sort(),
      ['a:erik', 'a:kari', 'a:lisa'],
    );
    assert.deepEqual(
      results.map((r) => [r.organisationId, r.sent, r.delivered, r.unreachable]),
      [
        [FJORDVIK.id, true, [PEOPLE.kariNordmann.id], []],
        ['nesoy-kommune', true, [], []],
        [TANUM.id, true, [PEOPLE.lisaStrand.id, PEOPLE.erikLund.id], [PEOPLE.maliHolm.id]],
        [TIDY.id, false, [], []],
      ],
    );
  });

  it("writes each organisation's card in its language, the same card to each of its coordinators", async () => {
    await digest.run();

    const lisa = cardOf('a:lisa');
    assert.ok(textRuns(lisa).includes('Hygienkontroll – Tanums kommun'), JSON.stringify(textRuns(lisa)));
    assert.deepEqual(cardOf('a:erik'), lisa);
    const kari = textRuns(cardOf('a:kari'));
    assert.ok(kari.includes('Hygienekontroll – Fjordvik kommune'), JSON.stringify(kari));
    assert.ok(kari.includes('System utan stedfortredar (4)'), JSON.stringify(kari));
    const preview = messages().find((c) => c.conversationId === 'a:lisa')?.body.text;
    assert.ok(String(preview).startsWith('Hygienkontroll – Tanums kommun.'), String(preview));
  });

  it('audits one hygiene_digest event per organisation with findings, with the counts and the sends', async () => {
    await digest.run();

    const events = await requestStore.pendingAudit();
    assert.deepEqual(
      events.map((e) => [e.type, e.actor, e.organisationId]),
      [
        ['hygiene_digest', 'system', FJORDVIK.id],
        ['hygiene_digest', 'system', 'nesoy-kommune'],
        ['hygiene_digest', 'system', TANUM.id],
      ],
    );
    assert.deepEqual(events[2]?.details, {
      holders: 0,
      noOwner: 4,
      noDeputy: 4,
      unconfirmed: 6,
      riskAnalysis: 6,
      overdue: 0,
      directoryChecked: true,
      delivered: 2,
      unreachable: 1,
      failed: 0,
    });
    assert.equal(events[2]?.at, NOW.toISOString());
  });

  it('counts a send the channel refuses as failed and goes on with the next coordinator', async () => {
    connector.failNext(400, { error: { code: 'BadArgument', message: 'no' } });
    const results = await digest.run();

    const failed = results.flatMap((r) => r.failed);
    assert.equal(failed.length, 1, JSON.stringify(results));
    assert.equal(results.flatMap((r) => r.delivered).length, 2, JSON.stringify(results));
  });
}

describe('HygieneScheduler', () => {
  it('runs on weekdays at 07:00 in Stockholm by default, summer and winter time alike', () => {
    const scheduler = new HygieneScheduler({ run: async () => {}, logger });
    // Friday 2026-06-05 noon → Monday 07:00 CEST; Saturday 2026-12-05 → Monday 07:00 CET.
    assert.equal(
      scheduler.nextRun(new Date('2026-06-05T10:00:00Z'))?.toISOString(),
      '2026-06-08T05:00:00.000Z',
    );
    assert.equal(
      scheduler.nextRun(new Date('2026-12-05T10:00:00Z'))?.toISOString(),
      '2026-12-07T06:00:00.000Z',
    );
    assert.equal(
      scheduler.nextRun(new Date('2026-06-08T04:59:00Z'))?.toISOString(),
      '2026-06-08T05:00:00.000Z',
    );
  });

  it('takes the schedule and time zone from its options', () => {
    const scheduler = new HygieneScheduler({
      run: async () => {},
      schedule: '30 6 * * *',
      timeZone: 'Europe/Oslo',
      logger,
    });
    assert.equal(
      scheduler.nextRun(new Date('2026-06-06T10:00:00Z'))?.toISOString(),
      '2026-06-07T04:30:00.000Z',
    );
  });

  it('refuses a schedule it cannot read as a configuration error', () => {
    assert.throws(() => new HygieneScheduler({ run: async () => {}, schedule: 'every morning', logger }), {
      name: 'AnsvarError',
      code: 'InvalidConfig',
    });
  });

  it('never overlaps a run with the one still under way', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const scheduler = new HygieneScheduler({
      run: () => {
        runs += 1;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      logger,
    });
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    await Promise.resolve();
    release();
    await Promise.all([first, second]);
    assert.equal(runs, 1);

    const third = scheduler.runNow();
    await Promise.resolve();
    await Promise.resolve();
    release();
    await third;
    assert.equal(runs, 2);
  });

  it('keeps going after a failed run, and stop() waits for the run under way', async () => {
    let runs = 0;
    const scheduler = new HygieneScheduler({
      run: () => {
        runs += 1;
        throw new Error('store down');
      },
      logger,
    });
    await scheduler.runNow();
    await scheduler.runNow();
    assert.equal(runs, 2);
    scheduler.start();
    const running = scheduler.runNow();
    await scheduler.stop();
    assert.equal(runs, 3);
    await running;
  });
});
