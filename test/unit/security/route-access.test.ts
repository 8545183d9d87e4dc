import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { restRoutes } from '../../../api/route-table.js';
import { principalView, roleAllows, routeAccess } from '../../../runtime/security/route-access.js';

describe('route access', () => {
  test('every route of the route table has a rule; only /health is public', () => {
    for (const route of restRoutes) {
      const access = routeAccess(route.method, route.path);
      if (route.path === '/health') assert.equal(access.kind, 'public');
      else assert.notEqual(access.kind, 'public', `${route.method} ${route.path}`);
      // Every connector route is scoped to the tenant; nothing else may write without being admin-only.
      if (route.path.includes('{connector}')) assert.equal(access.kind, 'connector', route.path);
      if (route.method !== 'GET' && access.kind === 'read')
        assert.equal(route.path, '/connector-plugins/{plugin}/config/validate');
    }
  });

  test('an unknown route is for admins only; fastify templates read the same', () => {
    assert.deepEqual(routeAccess('POST', '/jobs'), { kind: 'admin' });
    assert.deepEqual(routeAccess('DELETE', '/connectors/:connector'), {
      kind: 'connector',
      write: true,
      nameFrom: 'path',
    });
    assert.equal(roleAllows('operator', { kind: 'admin' }), false);
    assert.equal(roleAllows('viewer', routeAccess('PUT', '/connectors/{connector}/pause')), false);
    assert.equal(roleAllows('viewer', routeAccess('GET', '/connectors/{connector}/status')), true);
    assert.equal(roleAllows('operator', routeAccess('PUT', '/admin/loggers/{logger}')), false);
  });

  test("the console's static files are public, and only reads; GET /principal says whether the caller may write", () => {
    assert.deepEqual(routeAccess('GET', '/ui/*'), { kind: 'public' });
    assert.deepEqual(routeAccess('GET', '/ui'), { kind: 'public' });
    assert.deepEqual(routeAccess('POST', '/ui/*'), { kind: 'admin' });
    assert.deepEqual(routeAccess('GET', '/principal'), { kind: 'read' });
    assert.deepEqual(principalView(null), {
      name: 'anonymous',
      role: 'admin',
      tenant: null,
      may_write: true,
    });
    assert.equal(principalView({ name: 'v', role: 'viewer', tenant: 't' }).may_write, false);
    assert.equal(principalView({ name: 'o', role: 'operator', tenant: 't' }).may_write, true);
  });
});
