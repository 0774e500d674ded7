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

/** A real DNS server on loopback (dns2) answering TXT questions from a table the test fills. */
export class TestDnsServer {
  private readonly txt = new Map<string, string[]>();
  private readonly server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const values = question && question.type === Packet.TYPE.TXT ? this.txt.get(question.name.toLowerCase()) : undefined;
      if (!values) response.header.rcode = Packet.RCODE.NXDOMAIN;
      for (const data of values ?? []) {
        // dns2 encodes plain records (as its README shows); its typings ask for a toBuffer they do not need.
        response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data } as dns2.Packet.Resource);
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

  async stop(): Promise<void> {
    await this.server.close();
  }
}
