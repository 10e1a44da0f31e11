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

describe('an operation the document does not have is the client\'s mistake: 400 OPERATION_RESOLUTION_FAILURE, not a 500', () => {
  test.each([
    ['an unknown operationName', { query: '{ __typename }', operationName: 'Nope' }],
    ['a megabyte-scale operationName, not echoed', { query: '{ __typename }', operationName: 'x'.repeat(500_000) }],
    ['two operations and no operationName', { query: 'query A { __typename } query B { __typename }' }],
    ['an operationName that is only a fragment', { query: 'query A { ...F } fragment F on Query { __typename }', operationName: 'F' }],
  ])('%s', async (_name, body) => {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] });
    expect(text.length).toBeLessThan(500);
  });

  test('naming one of two operations runs it', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query A { a: __typename } query B { b: __typename }', operationName: 'B' }),
    });
    expect(await response.json()).toEqual({ data: { b: 'Query' } });
  });
});
