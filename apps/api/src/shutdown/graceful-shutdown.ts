import type { Server } from 'node:http';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { type AppConfig, AppError, sendError } from '@tenantry/api-core';
import { UsageMeter } from '@tenantry/api-licensing';
import { ErrorCode } from '@tenantry/contracts';
import type { NextFunction, Request, Response } from 'express';
import { QueueWorkers } from './queue-workers.js';

/** How long jobs cancelled at the end of the grace get to stop. */
const CANCEL_WAIT_MS = 2_000;

/** Resolves after `ms`, or when `work` settles: whichever comes first. True when `work` made it. */
async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * SIGTERM (a deploy, a scale-down) without dropping work. First the instance
 * leaves (`leave`): for SHUTDOWN_DELAY_MS its health check answers 503
 * SHUTTING_DOWN, so balancers stop sending, while it still serves whatever
 * arrives (connections already on their way included). Then, before Nest
 * closes the pools, it drains: the listener closes (Node closes idle kept-alive
 * connections with it), a request that still arrives on a connection busy with
 * another gets 503 SHUTTING_DOWN with `Connection: close`; requests in flight
 * finish; workers take no new jobs and finish the ones they run (the rest wait
 * in Redis for another instance); usage counted in Redis is flushed to PostgreSQL. The drain is bounded by SHUTDOWN_GRACE_MS: a job
 * still running then is cancelled (its signal aborts: a delivery or a scan over
 * all tenants stops and is retried later); one that ignores its signal is cut
 * off with the process, and BullMQ hands it to another instance as stalled.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private readonly graceMs: number;
  private readonly delayMs: number;
  private inFlight = 0;
  /** Health says "going away"; requests are still served. */
  leaving = false;
  private draining = false;
  private drained: (() => void) | null = null;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly adapterHost: HttpAdapterHost,
    private readonly workers: QueueWorkers,
    private readonly usage: UsageMeter,
  ) {
    ({ shutdownGraceMs: this.graceMs, shutdownDelayMs: this.delayMs } = config.get('http', { infer: true }));
  }

  /** Tells balancers to stop sending (health 503) and keeps serving for SHUTDOWN_DELAY_MS. */
  async leave(): Promise<void> {
    this.leaving = true;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }

  /** Express middleware, first in line: counts requests in flight and turns new ones away while draining. */
  readonly track = (_req: Request, res: Response, next: NextFunction): void => {
    if (this.draining) {
      res.setHeader('Connection', 'close');
      sendError(res, new AppError(ErrorCode.SHUTTING_DOWN));
      return;
    }
    this.inFlight++;
    res.once('close', () => {
      if (--this.inFlight === 0) this.drained?.();
    });
    next();
  };

  async beforeApplicationShutdown(): Promise<void> {
    const deadline = Date.now() + this.graceMs;
    const left = () => Math.max(0, deadline - Date.now());
    this.draining = true;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    server?.close();
    const requests = this.inFlight;
    const requestsDone = await within(
      left(),
      this.inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (this.drained = r)),
    );
    server?.closeIdleConnections();

    const workers = this.workers.all();
    const closed = Promise.all(workers.map((w) => w.close()));
    const jobsDone = await within(left(), closed);
    // Past the grace: jobs that listen to their signal (deliveries, scans over all tenants) stop now and
    // are retried later. (A second close(true) would not help: BullMQ returns the first close's promise.)
    if (!jobsDone) {
      for (const worker of workers) worker.cancelAllJobs('the server is shutting down');
      await within(CANCEL_WAIT_MS, closed);
    }

    // Redis or PostgreSQL down: the batches stay in Redis for the next instance's flush.
    await within(left() + 2_000, this.usage.flush());
    this.logger.log(
      `drained: ${requests} request(s) in flight ${requestsDone ? 'finished' : 'cut off'}, ${workers.length} queue worker(s) ${jobsDone ? 'finished their jobs' : 'cancelled their jobs at the end of the grace (they are retried later)'}`,
    );
  }
}
