import { failureText, retryDelayMs } from '../src/services/outbox-relay';

/** How the outbox backs off and what it records of a failure: pure rules, pinned value by value. */

test('a failed delivery is retried after 1 s, then 2, 4, 8, 16, 32 s, then every minute', () => {
  const delays = Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1));
  expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000]);
  expect(retryDelayMs(1_000_000)).toBe(60_000);
});

test("the last error kept is the error's message, or the thrown value itself, at most 1,000 characters", () => {
  expect(failureText(new Error('cart answered 503'))).toBe('cart answered 503');
  expect(failureText('socket hang up')).toBe('socket hang up');
  expect(failureText(undefined)).toBe('undefined');
  expect(failureText(new Error('x'.repeat(1_500)))).toBe('x'.repeat(1_000));
  expect(failureText('y'.repeat(1_000))).toBe('y'.repeat(1_000));
});
