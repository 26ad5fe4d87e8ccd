import assert from 'node:assert/strict';
import { checkActivity } from '../../bot/activityCheck.js';

/** A Teams personal-chat message as the channel sends it. */
function message(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: 'activity-1',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    timestamp: '2026-12-07T10:00:00.000Z',
    locale: 'sv-SE',
    from: { id: '29:user', name: 'Anna Berg', aadObjectId: 'aad-anna' },
    recipient: { id: '28:bot', name: 'Ansvar' },
    conversation: { id: 'a:chat', conversationType: 'personal', tenantId: 'tenant' },
    channelData: { tenant: { id: 'tenant' } },
    text: 'vem äger Procapita',
    textFormat: 'plain',
    ...extra,
  };
}

/** The same activity without a message's own fields, to be made another type. */
function common(): Record<string, unknown> {
  const activity = message();
  delete activity.text;
  delete activity.textFormat;
  return activity;
}

function problemsOf(body: unknown): string[] {
  const checked = checkActivity(body);
  assert.equal(checked.ok, false, 'expected the activity to be refused');
  return checked.ok ? [] : checked.problems;
}

describe('checkActivity', () => {
  it('accepts a message and returns every field, unknown ones included', () => {
    const body = message({ somethingNew: { kept: true } });
    const checked = checkActivity(body);
    assert.equal(checked.ok, true);
    assert.deepEqual(checked.ok && checked.activity, body);
  });

  it('refuses a message whose common fields are wrong, naming the field', () => {
    assert.deepEqual(problemsOf(message({ serviceUrl: 'file:///etc/passwd' })), [
      'serviceUrl: an http(s) URL',
    ]);
    assert.match(problemsOf(message({ conversation: { id: 'a:\nchat' } }))[0]!, /^conversation\.id: /);
  });

  it("refuses a message whose own fields are wrong (text over Teams' size)", () => {
    assert.match(problemsOf(message({ text: 'x'.repeat(40_001) }))[0]!, /^text: /);
  });

  it('reports common and type fields of one activity together', () => {
    const problems = problemsOf(message({ serviceUrl: 'ftp://x', text: 42 }));
    assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), ['serviceUrl', 'text']);
  });

  it('checks an invoke by its own schema: a name is required', () => {
    assert.equal(checkActivity({ ...common(), type: 'invoke', name: 'adaptiveCard/action' }).ok, true);
    assert.match(problemsOf({ ...common(), type: 'invoke' })[0]!, /^name: /);
  });

  it("checks a file consent invoke's value", () => {
    const invoke = { ...common(), type: 'invoke', name: 'fileConsent/invoke' };
    assert.equal(checkActivity({ ...invoke, value: { action: 'accept' } }).ok, true);
    assert.match(problemsOf({ ...invoke, value: { action: 'maybe' } })[0]!, /^value\.action: /);
  });

  it('checks a type it has no schema for by the common fields only', () => {
    assert.equal(checkActivity(message({ type: 'typing', text: 42 })).ok, true);
    assert.match(problemsOf(message({ type: 'typing', from: undefined }))[0]!, /^from: /);
  });

  it('takes a type named like an Object member for one without a schema, not for a schema', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.equal(checkActivity(message({ type })).ok, true, type);
    }
  });

  it('refuses what is not an activity at all', () => {
    for (const body of [undefined, null, 'message', 42, [message()]]) {
      assert.equal(checkActivity(body).ok, false, JSON.stringify(body));
    }
  });
});
