import { httpFailureCases, internalsIn, rawHttp, startGateway, type RunningGateway } from '@storefront/testing';

/**
 * HTTP-level failures on the real gateway over real HTTP: each answers in the GraphQL error shape with
 * its status and code, and nothing internal (Express's default is an HTML page with the stack trace).
 */
let gateway: RunningGateway;
beforeAll(async () => {
  gateway = await startGateway({});
});
afterAll(async () => {
  await gateway?.stop();
});

test.each(httpFailureCases(''))('$name: $status $code in the GraphQL error shape, no internals', async ({ path, init, status, code }) => {
  const response = await fetch(new URL(path, gateway.url), init);
  const text = await response.text();
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
  expect(internalsIn(text)).toEqual([]);
});

test('a request line Node itself refuses gets a JSON 400 and the connection closes', async () => {
  const answer = await rawHttp(gateway.url, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  expect(answer).toMatch(/connection: close/i);
  const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  expect(JSON.parse(body)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }] });
});

test('headers over the limit get a JSON 431', async () => {
  const answer = await rawHttp(gateway.url, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  expect(answer).toContain('"code":"REQUEST_HEADER_FIELDS_TOO_LARGE"');
});

test('a well-formed request still works after the failures (the handlers end the response, nothing leaks)', async () => {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
});
