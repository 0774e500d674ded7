import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Every http(s) link in the text part. */
  links: string[];
}

function toReceived(mail: ParsedMail): ReceivedMail {
  const addresses = (field: ParsedMail['to']) =>
    ([] as { value: { address?: string }[] }[]).concat(field ?? []).flatMap((a) => a.value.map((v) => v.address ?? ''));
  const text = mail.text ?? '';
  return {
    to: addresses(mail.to),
    from: mail.from?.text ?? '',
    subject: mail.subject ?? '',
    text,
    html: typeof mail.html === 'string' ? mail.html : '',
    links: text.match(/https?:\/\/[^\s>")]+/g) ?? [],
  };
}

/** A real SMTP server on a free loopback port that keeps what it receives, for tests to read. */
export class TestMailbox {
  readonly messages: ReceivedMail[] = [];
  private readonly server: SMTPServer;
  private waiters: (() => void)[] = [];
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, done) => {
        simpleParser(stream)
          .then((mail) => {
            this.messages.push(toReceived(mail));
            this.waiters.forEach((w) => w());
            done();
          })
          .catch(done);
      },
    });
  }

  /** Listens on `port` (a free one when 0). */
  async start(port = 0): Promise<this> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server.server, 'listening');
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The first (or `nth`, from 0) message to `to` matching `subject`, if given, waiting up to 10 s for it. */
  async waitFor(to: string, subject?: RegExp, nth = 0): Promise<ReceivedMail> {
    const find = () =>
      this.messages.filter((m) => m.to.includes(to.toLowerCase()) && (!subject || subject.test(m.subject)))[nth];
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = find();
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no mail to ${to} within 10 s (got ${this.messages.length}: ${this.messages.map((m) => `${m.to} "${m.subject}"`).join(', ')})`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
  }

  /** All messages to `to`. */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
