// Runs around every test (jest `setupFilesAfterEnv`):
// - a request the app sent or an answer the fake server gave that the API contract does not allow
//   fails the test that caused it (test/helpers/contract.ts);
// - reads are retried on a weak network without the pause between tries, so a retry happens
//   within the test that caused it (the pauses themselves are tested in test/network.test.ts).
import { afterEach, beforeEach, expect } from '@jest/globals';
import { config } from '../src/config';
import { takeViolations } from './helpers/contract';

beforeEach(() => {
  takeViolations();
  config.retryBaseDelayMs = 0;
});

afterEach(() => {
  expect(takeViolations()).toEqual([]);
});
