import assert from 'node:assert/strict';
import path from 'node:path';
import { loadConfig, redactedSummary } from '../../../services/infrastructure/config.js';
import { isAnsvarError } from '../../../core/errors.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(isAnsvarError(error, 'InvalidConfig'), String(error));
    return error.details as string[];
  }
  return assert.fail('the configuration was accepted');
}

describe('store selection in the configuration', () => {
  it('keeps the embedded lowdb store in the data directory without DATABASE_URL', () => {
    assert.deepEqual(loadConfig({ ANSVAR_DATA_DIR: 'data-x' }).store, {
      kind: 'lowdb',
      dataDir: path.resolve('data-x'),
    });
  });

  it('chooses PostgreSQL by DATABASE_URL, or by ANSVAR_STORE=postgres with the PG* variables', () => {
    const byUrl = loadConfig({ DATABASE_URL: 'postgresql://ansvar:secret@db.example:5432/ansvar' }).store;
    assert.equal(byUrl.kind, 'postgres');
    assert.deepEqual(byUrl, {
      kind: 'postgres',
      connectionString: 'postgresql://ansvar:secret@db.example:5432/ansvar',
      poolMax: 10,
      outboxLeaseMs: 120_000,
    });
    const byPg = loadConfig({
      ANSVAR_STORE: 'postgres',
      DATABASE_POOL_MAX: '4',
      ANSVAR_INSTANCE_ID: 'web-1',
    });
    assert.deepEqual(byPg.store, {
      kind: 'postgres',
      poolMax: 4,
      outboxLeaseMs: 120_000,
      instanceId: 'web-1',
    });
  });

  it('names every bad store setting at once', () => {
    const found = problems({
      DATABASE_URL: 'mysql://db.example/ansvar',
      ANSVAR_STORE: 'sqlite',
      DATABASE_POOL_MAX: '0',
      PGPORT: 'five',
      OUTBOX_LEASE_SECONDS: '1',
    });
    for (const key of [
      'DATABASE_URL',
      'ANSVAR_STORE',
      'DATABASE_POOL_MAX',
      'PGPORT',
      'OUTBOX_LEASE_SECONDS',
    ]) {
      assert.ok(
        found.some((p) => p.startsWith(`${key}:`)),
        `${key} is named in: ${found.join(' | ')}`,
      );
    }
  });

  it('refuses ANSVAR_STORE=lowdb together with DATABASE_URL', () => {
    const found = problems({ ANSVAR_STORE: 'lowdb', DATABASE_URL: 'postgresql://127.0.0.1/ansvar' });
    assert.ok(
      found.some((p) => p.startsWith('ANSVAR_STORE:') && p.includes('DATABASE_URL')),
      found.join(' | '),
    );
  });

  it('logs the connection URL without its password', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://ansvar:secret@db.example/ansvar' });
    const logged = JSON.stringify(redactedSummary(config));
    assert.ok(!logged.includes('secret'), logged);
    assert.match(logged, /db\.example/);
  });
});
