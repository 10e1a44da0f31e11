import { viewerFromHeaders } from '@storefront/service-kit';

/** User ids compare byte for byte, so the subgraphs take the gateway's header exactly as given. */
test('a user id is taken exactly as given: never trimmed or case-folded; one that breaks the subject rule is no user', () => {
  expect(viewerFromHeaders({ 'x-user-id': 'Victim-49de', 'x-user-roles': 'admin' })).toEqual({ userId: 'Victim-49de', roles: ['admin'] });
  expect(viewerFromHeaders({ 'x-user-id': 'VICTIM-49DE' }).userId).toBe('VICTIM-49DE');
  for (const bad of ['Victim-49de ', ' Victim-49de', 'Victim 49de', 'Victim-49de\t', '', 'x'.repeat(256), 'vi\u00e9'])
    expect(viewerFromHeaders({ 'x-user-id': bad, 'x-user-roles': 'admin' })).toEqual({ userId: null, roles: [] });
});
