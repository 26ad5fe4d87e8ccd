import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { TeamsBot } from '../../bot/teamsBot.js';
import { MemoryRegisterStore } from '../../data/memory/memoryRegisterStore.js';
import type { Language, Register } from '../../data/model.js';
import type { AppServices } from '../../services/infrastructure/appServices.js';
import { t } from '../../services/i18n/index.js';
import { FakeDirectory } from '../../fakes/fakeDirectory.js';
import { buildCardAction, buildMessage } from '../fixtures/activityBuilder.js';
import { buildAppServices } from '../fixtures/appServices.js';
import {
  buildAssignment,
  buildOrganisation,
  buildPerson,
  buildRegister,
  buildSystem,
} from '../../fakes/registerBuilder.js';
import { executeActions, inputIds, textRuns, walkCard } from '../fixtures/cardQueries.js';

const NOW = new Date('2026-02-02T09:00:00Z');

/**
 * Approvers only click (no text to detect a language from), so their language comes from the Teams locale and
 * then the organisation: the Nynorsk organisation's people use nn-NO here (see the report on nb-NO clients).
 *
 * One organisation per answer language, each with a system, a requester, their manager, an administrator and a deputy. */
const ORGS: { language: Language; id: string; system: string; ask: string; locale: string }[] = [
  {
    language: 'sv',
    id: 'storsjo',
    system: 'Procapita',
    ask: 'jag behöver behörighet till Procapita',
    locale: 'sv-SE',
  },
  {
    language: 'nn',
    id: 'fjordvik',
    system: 'Acos WebSak',
    ask: 'eg treng tilgang til Acos WebSak',
    locale: 'nn-NO',
  },
  { language: 'nb', id: 'nesoy', system: 'Gerica', ask: 'jeg trenger tilgang til Gerica', locale: 'nb-NO' },
  { language: 'en', id: 'breidal', system: 'Lifecare', ask: 'I need access to Lifecare', locale: 'en-GB' },
];

const email = (who: string, org: string) => `${who}@${org}.example`;
/** The people of each organisation: the requester (managed by the boss) and whom the request meets. */
const PEOPLE = [
  ['req', 'Requester'],
  ['boss', 'Boss'],
  ['admin', 'Admin'],
  ['deputy', 'Deputy'],
  ['other', 'Other'],
] as const;
/** Their roles in the organisation's system. */
const ROLES = [
  ['administrator', 'admin'],
  ['deputy', 'deputy'],
  ['owner', 'boss'],
] as const;

function buildTestRegister(): Register {
  const register = buildRegister({
    organisations: ORGS.map((o) =>
      buildOrganisation({
        id: o.id,
        name: `${o.id} kommun`,
        language: o.language,
        tenantId: `tenant-${o.id}`,
      }),
    ),
    people: ORGS.flatMap((o) =>
      PEOPLE.map(([who, name]) =>
        buildPerson({
          email: email(who, o.id),
          name: `${name} ${o.id}`,
          organisationId: o.id,
          aadObjectId: `aad-${who}-${o.id}`,
          ...(who === 'req' ? { managerId: email('boss', o.id) } : {}),
        }),
      ),
    ),
    systems: ORGS.map((o) => buildSystem({ id: `${o.id}/sys`, organisationId: o.id, name: o.system })),
    roleAssignments: ORGS.flatMap((o) =>
      ROLES.map(([role, who]) =>
        buildAssignment({ organisationId: o.id, systemId: `${o.id}/sys`, role, personId: email(who, o.id) }),
      ),
    ),
  });
  return register;
}

/** Manager first, then the administrator; the administrator (with deputies) carries it out. */
const POLICY = {
  source: 'test-default.json',
  data: {
    default: true,
    kinds: {
      access: {
        stages: [
          { name: 'manager', role: 'subject_manager', fallback: ['it_coordinator'] },
          {
            name: 'administrator',
            role: 'system_administrator',
            fallback: ['system_deputy', 'system_owner'],
          },
        ],
        task: { name: 'carry_out', role: 'system_administrator', with: ['system_deputy'] },
        options: { requirePolicyConfirmation: false },
      },
    },
  },
};

interface CardJson {
  body: unknown[];
}

function harness(policies = [POLICY]) {
  const register = buildTestRegister();
  const store = new MemoryRegisterStore(register);
  const directory = FakeDirectory.fromPeople(register.people);
  const services: AppServices = buildAppServices({ store, directory, now: () => NOW, policies });
  const bot = new TeamsBot(services);
  const adapter = new TestAdapter(async (context) => {
    await bot.run(context);
  });
  return {
    services,
    directory,
    async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
      await adapter.processActivity(activity);
      return adapter.activeQueue.splice(0);
    },
  };
}

const person = (who: string, org: (typeof ORGS)[number]) => ({
  from: { aadObjectId: `aad-${who}-${org.id}`, id: `29:${who}-${org.id}` },
  locale: org.locale,
  tenantId: `tenant-${org.id}`,
  conversationId: `a:${who}-${org.id}`,
});

function cardOf(reply: Partial<Activity> | undefined): CardJson {
  const attachment = reply?.attachments?.[0];
  assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
  return attachment.content as CardJson;
}

function invokeBody(replies: Partial<Activity>[]): {
  status: number;
  body: { type: string; value: unknown };
} {
  const response = replies.find((r) => r.type === 'invokeResponse');
  assert.ok(response, 'no invoke response');
  return response.value as { status: number; body: { type: string; value: unknown } };
}

function invokeCard(replies: Partial<Activity>[]): CardJson {
  const { status, body } = invokeBody(replies);
  assert.equal(status, 200);
  assert.equal(body.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(body));
  return body.value as CardJson;
}

function action(card: unknown, verb: string): Record<string, unknown> {
  const found = executeActions(card).find((a) => a.verb === verb);
  assert.ok(
    found,
    `no ${verb} on the card: ${executeActions(card)
      .map((a) => a.verb)
      .join(', ')}`,
  );
  return found.data;
}

async function submitRequest(
  h: ReturnType<typeof harness>,
  org: (typeof ORGS)[number],
  inputs: Record<string, unknown> = {},
): Promise<{ requestCard: CardJson; formData: Record<string, unknown> }> {
  const [formReply] = await h.send(buildMessage({ ...person('req', org), text: org.ask }));
  const form = cardOf(formReply);
  const formData = action(form, 'request.submit');
  const replies = await h.send(
    buildCardAction({
      ...person('req', org),
      verb: 'request.submit',
      data: {
        ...formData,
        change: 'new',
        role: 'Handläggare',
        justification: 'Ny i tjänst',
        startDate: '2026-02-02',
        ...inputs,
      },
    }),
  );
  return { requestCard: invokeCard(replies), formData };
}

async function click(
  h: ReturnType<typeof harness>,
  who: string,
  org: (typeof ORGS)[number],
  verb: string,
  data: Record<string, unknown>,
) {
  return h.send(buildCardAction({ ...person(who, org), verb, data }));
}

async function cardFor(
  h: ReturnType<typeof harness>,
  who: string,
  org: (typeof ORGS)[number],
  requestId: string,
) {
  return invokeCard(await click(h, who, org, 'request.show', { requestId }));
}

describe('access requests in the conversation', () => {
  for (const org of ORGS) {
    it(`runs ask → form → submit → manager approves → administrator approves → task done in ${org.language}`, async () => {
      const h = harness();
      const [formReply] = await h.send(buildMessage({ ...person('req', org), text: org.ask }));
      const form = cardOf(formReply);
      assert.ok(
        textRuns(form).includes(t(org.language, 'request.form.title', { system: org.system })),
        "textRuns(form).includes(t(org.language, 'request.form.title', { system: org.s...",
      );
      assert.deepEqual(inputIds(form).sort(), [
        'change',
        'endDate',
        'justification',
        'role',
        'startDate',
        'subject',
      ]);

      const { requestCard } = await submitRequest(h, org);
      assert.ok(
        textRuns(requestCard).includes(t(org.language, 'request.notice.submitted')),
        "textRuns(requestCard).includes(t(org.language, 'request.notice.submitted'))",
      );
      assert.deepEqual(
        executeActions(requestCard).map((a) => a.verb),
        ['request.note', 'request.cancel'],
      );
      const { requestId, version } = action(requestCard, 'request.cancel');
      assert.equal(version, 1);

      const bossCard = await cardFor(h, 'boss', org, String(requestId));
      const approve = action(bossCard, 'request.approve');
      assert.deepEqual(Object.keys(approve).sort(), ['requestId', 'version']);
      const afterBoss = invokeCard(await click(h, 'boss', org, 'request.approve', approve));
      assert.deepEqual(
        executeActions(afterBoss).map((a) => a.verb),
        ['request.note'],
        'the decided card has no decision buttons for the manager',
      );
      assert.ok(
        textRuns(afterBoss).some((r) =>
          r.startsWith(
            t(org.language, 'request.stage.approved', { name: `Boss ${org.id}`, at: '' }).slice(0, 5),
          ),
        ),
        "textRuns(afterBoss).some((r) => r.startsWith( t(org.language, 'request.stage....",
      );

      const adminCard = await cardFor(h, 'admin', org, String(requestId));
      const afterAdmin = invokeCard(
        await click(h, 'admin', org, 'request.approve', action(adminCard, 'request.approve')),
      );
      const done = action(afterAdmin, 'task.done');
      const finished = invokeCard(await click(h, 'admin', org, 'task.done', done));
      assert.deepEqual(executeActions(finished), [], 'a closed request has no buttons');
      assert.match(
        textRuns(finished).join('\n'),
        new RegExp(
          t(org.language, 'request.status.done', { name: `Admin ${org.id}`, at: 'X' })
            .split('X')[0]!
            .replace(/[()]/g, '.'),
        ),
      );
      const stored = await h.services.requests.get(String(requestId));
      assert.equal(stored.status, 'done');
      assert.equal(stored.stages.at(-1)?.decision?.by, email('admin', org.id));
    });
  }

  const sv = ORGS[0]!;

  it('shows field errors on the form and stores nothing for an invalid submission', async () => {
    const h = harness();
    const { requestCard } = await submitRequest(h, sv, {
      justification: '',
      role: '',
      endDate: '2026-01-01',
    });
    const runs = textRuns(requestCard);
    assert.ok(runs.includes(t('sv', 'request.form.errors')), "runs.includes(t('sv', 'request.form.errors'))");
    assert.ok(runs.includes(t('sv', 'problem.required')), "runs.includes(t('sv', 'problem.required'))");
    assert.ok(
      runs.includes(t('sv', 'problem.endBeforeStart')),
      "runs.includes(t('sv', 'problem.endBeforeStart'))",
    );
    assert.ok(inputIds(requestCard).includes('justification'), 'the form comes back');
    assert.deepEqual(await h.services.requests.listMine(email('req', sv.id)), []);
  });

  it('refuses a rejection without a reason on the card and leaves the request open', async () => {
    const h = harness();
    const { requestCard } = await submitRequest(h, sv);
    const { requestId } = action(requestCard, 'request.cancel');
    const bossCard = await cardFor(h, 'boss', sv, String(requestId));
    const card = invokeCard(
      await click(h, 'boss', sv, 'request.reject', { ...action(bossCard, 'request.reject'), reason: '  ' }),
    );
    assert.ok(
      textRuns(card).includes(t('sv', 'request.notice.reasonRequired')),
      "textRuns(card).includes(t('sv', 'request.notice.reasonRequired'))",
    );
    assert.ok(
      executeActions(card).some((a) => a.verb === 'request.reject'),
      'the buttons stay',
    );
    assert.equal((await h.services.requests.get(String(requestId))).status, 'open');
  });

  it('refuses an approve from someone who is not an approver and leaves the request unchanged', async () => {
    const h = harness();
    const { requestCard } = await submitRequest(h, sv);
    const { requestId } = action(requestCard, 'request.cancel');
    const replies = await click(h, 'other', sv, 'request.approve', { requestId, version: 1 });
    const { status, body } = invokeBody(replies);
    assert.equal(status, 200);
    assert.equal(body.type, 'application/vnd.microsoft.activity.message');
    assert.equal(body.value, t('sv', 'error.notAnApprover'));
    const stored = await h.services.requests.get(String(requestId));
    assert.equal(stored.version, 1);
    assert.equal(stored.stages[0]!.decision, undefined);
  });

  it('refuses self-approval by the requester even with forged button data', async () => {
    const h = harness();
    const { requestCard } = await submitRequest(h, sv);
    const { requestId } = action(requestCard, 'request.cancel');
    const { body } = invokeBody(await click(h, 'req', sv, 'request.approve', { requestId, version: 1 }));
    assert.equal(body.value, t('sv', 'error.notAnApprover'));
    assert.equal((await h.services.requests.get(String(requestId))).version, 1);
  });

  it('does not let a cancelled request be approved and says who cancelled it', async () => {
    const h = harness();
    const { requestCard } = await submitRequest(h, sv);
    const cancel = action(requestCard, 'request.cancel');
    const bossCard = await cardFor(h, 'boss', sv, String(cancel.requestId));
    const cancelled = invokeCard(await click(h, 'req', sv, 'request.cancel', cancel));
    assert.deepEqual(executeActions(cancelled), []);
    const late = invokeCard(
      await click(h, 'boss', sv, 'request.approve', action(bossCard, 'request.approve')),
    );
    assert.deepEqual(executeActions(late), [], 'no buttons on a cancelled request');
    assert.ok(
      textRuns(late).some((r) => r.startsWith('Redan återkallad av Requester storsjo')),
      textRuns(late).join(' | '),
    );
    assert.equal((await h.services.requests.get(String(cancel.requestId))).status, 'cancelled');
  });

  it('routes to the deputy when the administrator is out of office, and the deputy decides', async () => {
    const h = harness();
    h.directory.setOutOfOffice(email('admin', sv.id), '2026-03-01');
    const { requestCard } = await submitRequest(h, sv);
    const { requestId } = action(requestCard, 'request.cancel');
    const runs = textRuns(requestCard).join('\n');
    assert.match(runs, /Hoppades över: Admin storsjo \(frånvarande\)/);
    const bossCard = await cardFor(h, 'boss', sv, String(requestId));
    await click(h, 'boss', sv, 'request.approve', action(bossCard, 'request.approve'));
    const { body } = invokeBody(await click(h, 'admin', sv, 'request.approve', { requestId, version: 2 }));
    assert.equal(body.value, t('sv', 'error.notAnApprover'));
    const deputyCard = await cardFor(h, 'deputy', sv, String(requestId));
    const decided = invokeCard(
      await click(h, 'deputy', sv, 'request.approve', action(deputyCard, 'request.approve')),
    );
    assert.ok(
      executeActions(decided).some((a) => a.verb === 'task.done'),
      'the deputy also carries it out',
    );
    assert.equal(
      (await h.services.requests.get(String(requestId))).stages[1]!.decision?.by,
      email('deputy', sv.id),
    );
  });

  it('answers a repeated click with the current state and "already approved by X at T"', async () => {
    const h = harness();
    const { requestCard } = await submitRequest(h, sv);
    const { requestId } = action(requestCard, 'request.cancel');
    const approve = action(await cardFor(h, 'boss', sv, String(requestId)), 'request.approve');
    await click(h, 'boss', sv, 'request.approve', approve);
    const again = invokeCard(await click(h, 'boss', sv, 'request.approve', approve));
    assert.ok(
      textRuns(again).some((r) => r.startsWith('Redan godkänd av Boss storsjo')),
      textRuns(again).join(' | '),
    );
    assert.equal((await h.services.requests.get(String(requestId))).version, 2);
  });

  it('submits once when Teams retries the same submit', async () => {
    const h = harness();
    const { formData } = await submitRequest(h, sv);
    await h.send(
      buildCardAction({
        ...person('req', sv),
        verb: 'request.submit',
        data: { ...formData, change: 'new', role: 'R', justification: 'J', startDate: '2026-02-02' },
      }),
    );
    assert.equal((await h.services.requests.listMine(email('req', sv.id))).length, 1);
  });

  it('keeps markup and template expressions in the justification literal', async () => {
    const h = harness();
    const evil = '[klicka](https://evil.example) ${$root} **fet**';
    const { requestCard } = await submitRequest(h, sv, { justification: evil, role: '${requestId}' });
    const runs = textRuns(requestCard);
    assert.ok(runs.includes(evil), 'runs.includes(evil)');
    assert.ok(runs.includes('${requestId}'), "runs.includes('${requestId}')");
  });

  it('opens a stop form for the named person from "avsluta behörighet för NAME i X"', async () => {
    const h = harness();
    const [reply] = await h.send(
      buildMessage({ ...person('boss', sv), text: 'avsluta behörighet för Requester storsjo i Procapita' }),
    );
    const card = cardOf(reply);
    let change: unknown;
    let subject: unknown;
    walkCard(card, (r) => {
      if (r.id === 'change') change = r.value;
      if (r.id === 'subject') subject = r.value;
    });
    assert.equal(change, 'stop');
    assert.equal(subject, email('req', sv.id));
  });

  it('lists my requests with Cancel and what waits for the approver', async () => {
    const h = harness();
    const { requestCard } = await submitRequest(h, sv);
    const { requestId } = action(requestCard, 'request.cancel');
    const [mine] = await h.send(buildMessage({ ...person('req', sv), text: 'mina ärenden' }));
    assert.deepEqual(
      executeActions(cardOf(mine)).map((a) => a.verb),
      ['request.show', 'request.cancel', 'requests.mine', 'requests.awaiting', 'equipment.start'],
    );
    const [waiting] = await h.send(buildMessage({ ...person('boss', sv), text: 'väntar på mig' }));
    assert.deepEqual(action(cardOf(waiting), 'request.show'), { requestId });
    const [none] = await h.send(buildMessage({ ...person('other', sv), text: 'väntar på mig' }));
    assert.ok(
      textRuns(cardOf(none)).includes(t('sv', 'requests.awaiting.empty')),
      "textRuns(cardOf(none)).includes(t('sv', 'requests.awaiting.empty'))",
    );
  });

  it('refuses politely someone neither the register nor the directory knows', async () => {
    const h = harness();
    const replies = await h.send(
      buildCardAction({
        from: { aadObjectId: 'aad-stranger' },
        tenantId: 'tenant-storsjo',
        verb: 'requests.mine',
        data: {},
      }),
    );
    const card = invokeCard(replies);
    assert.ok(
      textRuns(card).includes(t('sv', 'request.notice.unknownAsker')),
      "textRuns(card).includes(t('sv', 'request.notice.unknownAsker'))",
    );
  });

  it('still answers an unknown verb with 400', async () => {
    const h = harness();
    const { status } = invokeBody(
      await click(h, 'boss', sv, 'request.approve_all', { requestId: 'x', version: 1 }),
    );
    assert.equal(status, 400);
  });
});
