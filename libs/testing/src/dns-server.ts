import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import dns2 from 'dns2';

const { Packet } = dns2;

/** A free UDP port on loopback (taken and given back). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  socket.close();
  return port;
}

/**
 * A real DNS server on loopback (dns2) answering TXT, A and AAAA questions from
 * tables the test fills. A names can answer differently from one question to
 * the next (DNS rebinding), and every question is counted.
 */
export class TestDnsServer {
  private readonly txt = new Map<string, string[]>();
  private readonly a = new Map<string, string[][]>();
  private readonly aaaa = new Map<string, string[]>();
  private readonly asked = new Map<string, number>();
  private readonly server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const name = question?.name.toLowerCase() ?? '';
      const key = `${question?.type === Packet.TYPE.A ? 'A' : question?.type === Packet.TYPE.TXT ? 'TXT' : 'other'} ${name}`;
      this.asked.set(key, (this.asked.get(key) ?? 0) + 1);
      const addresses = (type: number, list: string[]) => {
        for (const address of list)
          response.answers.push({
            name: question!.name,
            type,
            class: Packet.CLASS.IN,
            ttl: 0,
            address,
          } as dns2.Packet.Resource);
        void send(response);
      };
      if (question?.type === Packet.TYPE.A && this.a.has(name)) {
        const answers = this.a.get(name)!;
        // Each question takes the next answer; the last one stays.
        return addresses(Packet.TYPE.A, answers.length > 1 ? answers.shift()! : answers[0]);
      }
      if (question?.type === Packet.TYPE.AAAA && this.aaaa.has(name))
        return addresses(Packet.TYPE.AAAA, this.aaaa.get(name)!);
      const values = question && question.type === Packet.TYPE.TXT ? this.txt.get(name) : undefined;
      // A name with A records but asked for AAAA: no such record (not "no such name").
      if (!values && !this.a.has(name) && !this.aaaa.has(name)) response.header.rcode = Packet.RCODE.NXDOMAIN;
      for (const data of values ?? []) {
        // dns2 encodes plain records (as its README shows); its typings ask for a toBuffer they do not need.
        response.answers.push({
          name: question.name,
          type: Packet.TYPE.TXT,
          class: Packet.CLASS.IN,
          ttl: 1,
          data,
        } as dns2.Packet.Resource);
      }
      void send(response);
    },
  });
  address = '';

  async start(): Promise<this> {
    const port = await freeUdpPort();
    await this.server.listen({ udp: { port, address: '127.0.0.1' } });
    this.address = `127.0.0.1:${port}`;
    return this;
  }

  /** Publishes TXT records at `name` (replacing what was there). */
  setTxt(name: string, ...values: string[]): void {
    this.txt.set(name.toLowerCase(), values);
  }

  /** A records of `name`: one list of addresses per question in turn (the last list answers from then on). */
  setA(name: string, ...answers: string[][]): void {
    this.a.set(name.toLowerCase(), answers);
  }

  /** AAAA records of `name`. */
  setAaaa(name: string, addresses: string[]): void {
    this.aaaa.set(name.toLowerCase(), addresses);
  }

  /** How many `type` questions `name` got. */
  questions(type: 'A' | 'TXT', name: string): number {
    return this.asked.get(`${type} ${name.toLowerCase()}`) ?? 0;
  }

  async stop(): Promise<void> {
    await this.server.close();
  }
}
