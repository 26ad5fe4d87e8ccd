import assert from 'node:assert/strict';
import { generateRegister } from '../../../scripts/bench/generateRegister.js';
import { buildQueries, measureNameResolution, QUERY_KINDS } from '../../../scripts/bench/nameResolution.js';

const register = generateRegister({ systems: 400, aliases: 900, organisations: 4 });
const systems = new Map(register.systems.map((s) => [s.id, s]));
const queries = buildQueries(register, 50);

describe('name resolution benchmark queries', () => {
  it('asks typos and partial names from the organisation of the system they were made from', () => {
    const own = queries.filter((q) => q.kind === 'typo' || q.kind === 'partial');
    assert.equal(own.length, 100);
    for (const query of own) {
      assert.equal(query.preferOrganisationId, systems.get(query.systemId!)?.organisationId, query.text);
    }
  });

  it("asks the 'elsewhere' kind from another organisation than the system's", () => {
    const elsewhere = queries.filter((q) => q.kind === 'elsewhere');
    assert.equal(elsewhere.length, 50);
    for (const query of elsewhere) {
      assert.notEqual(query.preferOrganisationId, systems.get(query.systemId!)?.organisationId, query.text);
    }
  });

  it('repeats few fuzzy queries, so a result cache cannot stand in for the search', () => {
    const fuzzy = queries.filter((q) => ['typo', 'partial', 'elsewhere', 'garbage'].includes(q.kind));
    const distinct = new Set(fuzzy.map((q) => `${q.text}\u0000${q.preferOrganisationId}`));
    assert.ok(distinct.size >= fuzzy.length * 0.9, `${distinct.size} distinct of ${fuzzy.length}`);
  });

  it('resolves nearly every exact name to one system through the product lookup', () => {
    const result = measureNameResolution(register, { perKind: 20, warmupPasses: 0 });
    assert.deepEqual(Object.keys(result.byKind), [...QUERY_KINDS]);
    assert.ok(result.byKind.exact.resolvedOne >= 18, `${result.byKind.exact.resolvedOne} of 20`);
    assert.ok(result.byKind.garbage.resolvedOne <= 4, `${result.byKind.garbage.resolvedOne} of 20`);
  });
});
