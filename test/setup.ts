/**
 * Root hooks: keep test output readable; set ANSVAR_TEST_LOG=debug to see the product's logs.
 * Mocha loads --require files through require(), which would give this file its own CommonJS copy of the logger
 * module; importing it dynamically makes it the same ESM instance the specs and the product use.
 */
export const mochaHooks = {
  async beforeAll() {
    const { logger } = await import('../services/logger.js');
    logger.level = process.env.ANSVAR_TEST_LOG ?? 'silent';
  },
};
