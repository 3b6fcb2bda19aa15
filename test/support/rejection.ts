import { inspect } from 'node:util';
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

/**
 * An error's message and actions, and each error of its cause chain as sf shows it (inspected, as
 * in --json output), one text: what a user can read of it.
 */
export const allText = (error: { message: string; actions?: string[]; cause?: unknown }): string =>
  [error.message, ...(error.actions ?? []), ...(error.cause === undefined ? [] : [inspect(error.cause, { depth: 10 })])].join('\n');
