import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * An HTTP server on a loopback address that records what it receives and
 * answers each path with the statuses the test queues (then 200), or with a redirect.
 */
export class TestWebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly answers = new Map<string, { status: number; location?: string }[]>();
  private server: Server | null = null;
  port = 0;
  /** How long each answer is held back (a slow receiver keeps deliveries in flight). */
  delayMs = 0;

  constructor(readonly host = '127.0.0.1') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const path = (req.url ?? '/').split('?')[0];
        const answer = this.answers.get(path)?.shift() ?? { status: 200 };
        const reply = () => res.writeHead(answer.status, answer.location ? { Location: answer.location } : {}).end();
        if (this.delayMs > 0) setTimeout(reply, this.delayMs);
        else reply();
      });
    });
    this.server.listen(0, this.host);
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The next answers to requests for `path`, in order (afterwards: 200). */
  answer(path: string, ...answers: { status: number; location?: string }[]): void {
    this.answers.set(path, [...(this.answers.get(path) ?? []), ...answers]);
  }

  /** Waits until `count` requests arrived (at most `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
    for (let i = 0; i < timeoutMs / 50 && this.received.length < count; i++)
      await new Promise((r) => setTimeout(r, 50));
    if (this.received.length < count) throw new Error(`expected ${count} webhooks, got ${this.received.length}`);
    return this.received;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}
