import { parseRoute, sessionHref, sessionsHref } from './router';

describe(parseRoute.name, () => {
  it('reads a session id (encoded) and its selection from the fragment', () => {
    const href = sessionHref('a/b c', { seq: '4', against: '1', at: undefined });
    expect(href).toBe('#/sessions/a%2Fb%20c?seq=4&against=1');
    const route = parseRoute(href);
    expect(route).toMatchObject({ page: 'session', sessionId: 'a/b c' });
    expect(Object.fromEntries(route.params)).toEqual({ seq: '4', against: '1' });
  });

  it('takes the list, with its filters, for an empty or unknown fragment', () => {
    expect(parseRoute('').page).toBe('sessions');
    expect(parseRoute('#/nowhere').page).toBe('sessions');
    const route = parseRoute(sessionsHref({ agent_id: 'demo-agent', status: '', cursor: 'c1' }));
    expect(Object.fromEntries(route.params)).toEqual({ agent_id: 'demo-agent', cursor: 'c1' });
  });

  it('knows the identity and operations pages', () => {
    expect(parseRoute('#/identity?next=%23%2Fsessions').params.get('next')).toBe('#/sessions');
    expect(parseRoute('#/operations').page).toBe('operations');
  });
});
