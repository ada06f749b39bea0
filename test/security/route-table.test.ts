/** The app registers exactly the routes of the access table (route-access.ts), each behind its rule. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { listRoutes } from '../../src/http/guarded-router.js';
import { ROUTE_ACCESS } from '../../src/http/route-access.js';
import { createRegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';

describe('the registry app', () => {
  it('registers exactly the routes of the access table, each with its rule', async () => {
    const server = checkResponses(
      await createRegistryServer(
        { ...DEFAULT_CONFIG, logLevel: 'silent', databasePath: ':memory:' },
        { clock: new ManualClock() },
      ),
    );
    try {
      const routes = listRoutes(server.app);
      const registered = new Set(routes.map((r) => `${r.method} ${r.path}`));
      const table = new Set(
        Object.entries(ROUTE_ACCESS).flatMap(([path, byMethod]) =>
          Object.keys(byMethod).map((method) => `${method} ${path}`),
        ),
      );
      assert.deepEqual([...registered].sort(), [...table].sort());
      for (const route of routes) {
        const method = route.method as keyof (typeof ROUTE_ACCESS)[string];
        assert.deepEqual(route.rule, ROUTE_ACCESS[route.path]?.[method], `${route.method} ${route.path}`);
      }
    } finally {
      await server.close();
    }
  });
});
