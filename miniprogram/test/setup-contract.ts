// Runs around every test (jest `setupFilesAfterEnv`): a request the app sent or an answer the fake
// server gave that the API contract does not allow fails the test that caused it.
import { afterEach, beforeEach, expect } from '@jest/globals';
import { takeViolations } from './helpers/contract';

beforeEach(() => {
  takeViolations();
});

afterEach(() => {
  expect(takeViolations()).toEqual([]);
});
