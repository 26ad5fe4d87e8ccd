import assert from 'node:assert/strict';
import { requestFormReply, type RequestFormInput } from '../../cards/requestFormCard.js';
import { LANGUAGES } from '../../data/model.js';
import { t } from '../../services/i18n/index.js';
import { executeActions, inputIds, textRuns, walkCard } from '../fixtures/cardQueries.js';

function buildFormInput(overrides: Partial<RequestFormInput> = {}): RequestFormInput {
  return {
    language: 'sv',
    system: { id: 'storsjo-kommun/procapita', name: 'Procapita' },
    organisationName: 'Storsjö kommun',
    formId: 'f-1',
    values: {
      change: 'new',
      subject: '',
      role: '',
      justification: '',
      startDate: '',
      endDate: '',
      policyConfirmed: false,
    },
    policyRequired: false,
    ...overrides,
  };
}

/** Each input of a card by id. */
function inputsOf(card: unknown): Record<string, Record<string, unknown>> {
  const found: Record<string, Record<string, unknown>> = {};
  walkCard(card, (r) => {
    if (typeof r.type === 'string' && r.type.startsWith('Input.')) found[String(r.id)] = r;
  });
  return found;
}

describe('requestFormReply', () => {
  for (const language of LANGUAGES) {
    it(`asks in ${language} for the change, whom, role, why and the dates, and submits the system and form id only`, () => {
      const { card, summary } = requestFormReply(buildFormInput({ language }));
      const title = t(language, 'request.form.title', { system: 'Procapita' });
      assert.deepEqual(textRuns(card).slice(0, 2), [title, 'Storsjö kommun']);
      assert.deepEqual(inputIds(card), [
        'change',
        'subject',
        'role',
        'justification',
        'startDate',
        'endDate',
      ]);
      assert.deepEqual(executeActions(card), [
        {
          verb: 'request.submit',
          data: { systemId: 'storsjo-kommun/procapita', formId: 'f-1' },
          title: t(language, 'request.form.submit'),
        },
      ]);
      assert.equal(summary, title);
    });
  }

  it('asks for the IT-policy confirmation only where the organisation requires it', () => {
    const { card } = requestFormReply(buildFormInput({ policyRequired: true }));
    assert.ok(inputIds(card).includes('policyConfirmed'), 'the confirmation is asked for');
  });

  it('shows each problem under its input, says so at the top and keeps what was typed', () => {
    const values = {
      ...buildFormInput().values,
      subject: 'nobody',
      role: 'Handläggare',
      startDate: 'not a date',
    };
    const { card, summary } = requestFormReply(
      buildFormInput({
        values,
        problems: [
          { field: 'requester', problem: 'unknownPerson' },
          { field: 'justification', problem: 'required' },
        ],
      }),
    );
    const runs = textRuns(card);
    assert.ok(runs.includes(t('sv', 'request.form.errors')), 'the line at the top');
    assert.ok(runs.includes(t('sv', 'problem.unknownPerson')), 'the subject problem');
    assert.ok(runs.includes(t('sv', 'problem.required')), 'the justification problem');
    const inputs = inputsOf(card);
    assert.equal(inputs.subject!.value, 'nobody');
    assert.equal(inputs.role!.value, 'Handläggare');
    assert.equal(inputs.startDate!.value, '', 'a value that is no date is not put into a date input');
    assert.ok(summary.includes(t('sv', 'problem.unknownPerson')), summary);
  });

  it('says the problem is elsewhere when no input of the form has one', () => {
    const { card } = requestFormReply(
      buildFormInput({ problems: [{ field: 'system', problem: 'invalid' }] }),
    );
    assert.ok(textRuns(card).includes(t('sv', 'request.form.problemElsewhere')), 'the line at the top');
  });

  it('keeps markup and template expressions typed into the form literal', () => {
    const evil = '*x* [y](https://evil.example) ${title}';
    const values = { ...buildFormInput().values, justification: evil };
    const { card } = requestFormReply(buildFormInput({ values }));
    assert.equal(inputsOf(card).justification!.value, evil);
  });
});
