/**
 * Data that a file's (or a describe block's) tests share, made once: in the first test's `beforeEach`
 * rather than in a `beforeAll`. Same tests, same data, but StrykerJS (`npm run mutation`) counts code run
 * in a `beforeAll` as run by no test ("static") and reruns every suite of its group for each mutant in
 * it, where code run in a `beforeEach` belongs to the test it runs for. A failed set-up fails every test.
 * Starting a stack stays in `beforeAll`.
 */
export function setUpOnce(setUp: () => Promise<unknown>): void {
  let done: Promise<void> | undefined;
  beforeEach(() => (done ??= setUp().then(() => undefined)));
}
