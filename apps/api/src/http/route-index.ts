import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';

/** What Express keeps of a route in its router's stack. */
interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** How many leading path segments tell routes apart (`/api/platform/tenants`). */
const KEY_DEPTH = 3;
/** A segment matched as written: no parameter (`:id`), wildcard (`*path`), optional part (`{…}`) or escape. */
const LITERAL = /^[A-Za-z0-9._~-]+$/;

/**
 * The route's key: its leading literal segments, at most KEY_DEPTH of them
 * (`/api/contacts/:id` → `/api/contacts`; `/api{/*splat}` → ``).
 */
function keyOfRoute(path: string): string {
  const literal: string[] = [];
  for (const segment of path.split('/').slice(1, KEY_DEPTH + 1)) {
    if (!LITERAL.test(segment)) break;
    literal.push(segment.toLowerCase());
  }
  return literal.map((segment) => `/${segment}`).join('');
}

/**
 * Finds a request's route without trying them all. Express matches a request
 * against every route in turn, in the order they were registered: with this
 * API's hundred-odd routes a request ran a path match per route before its own
 * (5 to 10 % of the API's CPU on `GET /api/contacts`). Once Nest has registered
 * its routes (they end the router's stack, behind the app's and Nest's
 * middleware), the index takes them out and puts one layer in their place,
 * which hands each request to a router holding only the routes its path can
 * match: those whose leading literal segments (KEY_DEPTH at most) begin it,
 * in their registration order. Which route answers is what it was: a route
 * left out could never have matched the path.
 */
@Injectable()
export class RouteIndex implements OnModuleInit {
  private routeLayers: RouteLayer[] = [];

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<Express>();
    const stack = (app.router as unknown as { stack: RouteLayer[] }).stack;
    let first = stack.length;
    while (first > 0 && stack[first - 1].route) first--;
    this.routeLayers = stack.splice(first);
    app.use(this.dispatcher(app));
  }

  /** Every route the app serves, in registration order. */
  routes(): { method: string; path: string }[] {
    return this.routeLayers.flatMap(({ route }) =>
      Object.keys(route!.methods).map((method) => ({ method: method.toUpperCase(), path: route!.path })),
    );
  }

  private dispatcher(app: Express): (req: Request, res: Response, next: NextFunction) => void {
    const options = {
      caseSensitive: Boolean(app.get('case sensitive routing')),
      strict: Boolean(app.get('strict routing')),
    };
    const keys = new Set(this.routeLayers.map(({ route }) => keyOfRoute(route!.path)));
    const routers = new Map<string, Router>();
    for (const key of keys) {
      const router = express.Router(options);
      // A route whose key begins this one may match a path of this key: those are its candidates.
      (router as unknown as { stack: RouteLayer[] }).stack = this.routeLayers.filter(({ route }) => {
        const own = keyOfRoute(route!.path);
        return key === own || key.startsWith(`${own}/`);
      });
      routers.set(key, router);
    }
    return (req, res, next) => {
      // The path's leading segments, then fewer of them: the longest that is some route's key.
      const segments = req.path.toLowerCase().split('/', KEY_DEPTH + 1);
      for (let n = segments.length; n > 0; n--) {
        const router = routers.get(segments.slice(0, n).join('/'));
        if (router) return router(req, res, next);
      }
      next();
    };
  }
}
