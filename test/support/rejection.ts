import { expect } from 'chai';
import type { PluginError } from '../../src/shared/messages.js';

/** The error a promise rejects with; fails the test when it resolves. */
export const rejection = async <E = PluginError>(promise: Promise<unknown>): Promise<E> => {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  expect.fail('expected a rejection');
};
