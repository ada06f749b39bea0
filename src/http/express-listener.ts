/**
 * The Express app as the server's node:http listener, minus one thing Express's own entry does.
 *
 * `app.handle` (express 5, lib/application.js) re-parents every request and response it takes:
 * `Object.setPrototypeOf(req, app.request)`, the same for `res`. In this server most requests never
 * reach Express (the fast path answers them on Node's plain IncomingMessage/ServerResponse), and the
 * switch on the others made V8 see a second kind of object at every property access in Node's own HTTP
 * code — parser callbacks, `writeHead`, `end`, the finish handlers — which then stay polymorphic or
 * megamorphic for the life of the process. Every fast-path request paid for it: raw node:http with a
 * few thousand Express requests behind it measured 10.7-11.1 instead of 9.6-9.7 µs of CPU per request
 * (the prototype switch alone: 10.3; the same properties added without it: 9.65), and a cached
 * `GET /schemas/ids/{id}` 15.3-15.9 µs with the switch, 13.8-14.0 without. Express's own routes pay
 * more: `GET /config` 126.6 µs per request with the switch, 60.4 without (docs/performance.md).
 *
 * Here the app's request and response helpers (`res.json`, `req.get`, the `req.query` getter, `app`)
 * become own properties of the objects Express handles, copied from the very prototypes Express would
 * have switched to, most derived first; the objects keep Node's prototypes. The rest is `app.handle`
 * as it is: X-Powered-By when enabled, the `req.res`/`res.req` references, `res.locals`, the app's
 * router, and finalhandler for an error that gets past the app's own error handler.
 * express-listener.test.ts checks the copies against Express's prototypes; every suite that goes
 * through `server.handler` runs on this door.
 */
import { IncomingMessage, type RequestListener, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import finalhandler from 'finalhandler';

type Helpers = ReadonlyArray<readonly [PropertyKey, PropertyDescriptor]>;

/** Own property descriptors of a prototype chain, from `proto` up to (not including) `stop`. */
export function helperDescriptors(proto: object, stop: object): Helpers {
  const seen = new Map<PropertyKey, PropertyDescriptor>();
  for (let p: object = proto; p !== stop; ) {
    for (const key of Reflect.ownKeys(p)) {
      // The most derived definition wins, as it does in a lookup through the chain.
      if (!seen.has(key)) seen.set(key, Object.getOwnPropertyDescriptor(p, key)!);
    }
    const up = Object.getPrototypeOf(p) as object | null;
    if (up === null) throw new Error("the app's prototypes do not derive from node:http's classes");
    p = up;
  }
  return [...seen];
}

/** Gives `target` the helpers as own properties, without touching what it already has of its own. */
function install(target: object, helpers: Helpers): void {
  for (const [key, descriptor] of helpers) {
    if (!Object.hasOwn(target, key)) Object.defineProperty(target, key, descriptor);
  }
}

/**
 * A mounted sub-app re-parents requests to its own prototypes and back (Express's `mounted_app`); the
 * main app's helpers, copied as own properties, would shadow the sub-app's (`req.app`, its settings).
 * This server mounts routers only; a sub-app is refused at start-up rather than half-working.
 */
function refuseSubApps(app: Express): void {
  const stack = (app.router as unknown as { stack: ReadonlyArray<{ handle: { name: string } }> }).stack;
  if (stack.some((layer) => layer.handle.name === 'mounted_app')) {
    throw new Error('expressListener: the app mounts a sub-app (app.use(express())); mount a Router instead');
  }
}

export function expressListener(app: Express): RequestListener {
  refuseSubApps(app);
  // What the objects would have inherited from the app's prototypes, above Node's own classes.
  const requestHelpers = helperDescriptors(app.request, IncomingMessage.prototype);
  const responseHelpers = helperDescriptors(app.response, ServerResponse.prototype);
  const env = app.get('env') as string;
  return (req, res) => {
    const done = finalhandler(req, res, {
      env,
      // Express's own `logerror`: the stack to standard error, except under NODE_ENV=test.
      onerror: (err: Error) => {
        if (env !== 'test') console.error(err.stack ?? String(err));
      },
    });
    if (app.enabled('x-powered-by')) res.setHeader('X-Powered-By', 'Express');
    (req as { res?: ServerResponse }).res = res;
    (res as { req?: IncomingMessage }).req = req;
    install(req, requestHelpers);
    install(res, responseHelpers);
    const withLocals = res as { locals?: object };
    withLocals.locals ??= Object.create(null) as object;
    app.router(req as Request, res as Response, done);
  };
}
