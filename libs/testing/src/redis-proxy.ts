import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
  /** It subscribed: a pub/sub listener. */
  listening: boolean;
}

/**
 * A TCP relay to the test Redis for one API instance, so a test can break that
 * instance's pub/sub listening (as a network would) while its other Redis
 * connections go on, and see which commands that instance sends (`ports`:
 * the relay's own ends towards Redis, as Redis's MONITOR names its clients).
 */
export class RedisProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<Pair>();
  private listenersCut = false;
  private listenersStalled = false;
  /** How many connections have subscribed so far (a listener that reconnects counts again). */
  listenerConnections = 0;

  constructor(private readonly target = { host: '127.0.0.1', port: 6379 }) {}

  async start(): Promise<this> {
    this.server = createServer((client) => {
      const upstream = createConnection(this.target);
      const pair: Pair = { client, upstream, listening: false };
      this.pairs.add(pair);
      client.on('data', (chunk: Buffer) => {
        // A connection that subscribes is a listener (RESP sends the command name as text).
        if (!pair.listening && chunk.toString('latin1').toLowerCase().includes('subscribe')) {
          pair.listening = true;
          this.listenerConnections++;
        }
        if (pair.listening && this.listenersCut) return this.drop(pair);
        if (!(pair.listening && this.listenersStalled)) upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        if (!(pair.listening && this.listenersStalled)) client.write(chunk);
      });
      const end = () => this.drop(pair);
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    const address = this.server!.address();
    return `redis://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  /** The local ports of this instance's connections to Redis. */
  ports(): Set<number> {
    return new Set(
      [...this.pairs].map(({ upstream }) => upstream.localPort).filter((port): port is number => port !== undefined),
    );
  }

  /** Breaks every subscribed connection, and any that subscribes, until `restoreListeners`. */
  cutListeners(): void {
    this.listenersCut = true;
    for (const pair of this.pairs) if (pair.listening) this.drop(pair);
  }

  /** Lets every subscribed connection stay open but carry nothing either way (a network that fails silently), until `restoreListeners`. */
  stallListeners(): void {
    this.listenersStalled = true;
  }

  restoreListeners(): void {
    this.listenersCut = false;
    this.listenersStalled = false;
  }

  async stop(): Promise<void> {
    for (const pair of this.pairs) this.drop(pair);
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private drop(pair: Pair): void {
    this.pairs.delete(pair);
    pair.client.destroy();
    pair.upstream.destroy();
  }
}
