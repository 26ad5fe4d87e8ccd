import assert from 'node:assert/strict';
import { loadConfig } from '../../../services/infrastructure/config.js';
import { isAnsvarError } from '../../../core/errors.js';

describe('ANSVAR_CLOCK_OFFSET (services/infrastructure/config)', () => {
  it('is read in local mode as an ISO 8601 duration added to the clock', () => {
    const config = loadConfig({ ANSVAR_CLOCK_OFFSET: 'PT36H' });
    assert.deepEqual(config.clockOffset, { iso: 'PT36H', ms: 36 * 3_600_000 });
    assert.equal(loadConfig({}).clockOffset, undefined);
  });

  it('is refused with a clear message when MicrosoftAppId is set', () => {
    assert.throws(
      () =>
        loadConfig({
          ANSVAR_CLOCK_OFFSET: 'P5D',
          MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
          MicrosoftAppPassword: 'x',
          ALLOWED_TENANT_IDS: 't',
        }),
      (e: unknown) =>
        isAnsvarError(e, 'InvalidConfig') && /ANSVAR_CLOCK_OFFSET: only for local mode/.test(e.message),
    );
  });

  it('names a duration it cannot read', () => {
    assert.throws(
      () => loadConfig({ ANSVAR_CLOCK_OFFSET: 'five days' }),
      (e: unknown) => isAnsvarError(e, 'InvalidConfig') && /ISO 8601 duration/.test(e.message),
    );
  });
});
