import { logger } from '../core/logger.js';

/** Root hooks: keep test output readable; set ANSVAR_TEST_LOG=debug to see the product's logs. */
export const mochaHooks = {
  beforeAll() {
    logger.level = process.env.ANSVAR_TEST_LOG ?? 'silent';
  },
};
