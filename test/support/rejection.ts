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

/** The error fn throws; fails the test when it returns. */
export const thrown = <E = PluginError>(fn: () => unknown): E => {
  try {
    fn();
  } catch (error) {
    return error as E;
  }
  expect.fail('expected an error');
};

/** An error's message and actions, one text: what a user reads of it. */
export const allText = (error: { message: string; actions?: string[] }): string => [error.message, ...(error.actions ?? [])].join('\n');
