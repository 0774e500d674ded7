// Development mailbox: a local SMTP server (default 127.0.0.1:1025, the API's default SMTP_URL)
// that prints every message's recipient, subject and links, and keeps it in tmp/mail/*.eml.
// `npm start` runs it; run it alone with `node tools/dev-mailbox.mjs [port]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const port = Number(process.argv[2] ?? 1025);
const dir = 'tmp/mail';
mkdirSync(dir, { recursive: true });

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, done) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const file = `${dir}/${new Date().toISOString().replace(/[:.]/g, '-')}.eml`;
      writeFileSync(file, raw);
      const mail = await simpleParser(raw);
      const links = (mail.text ?? '').match(/https?:\/\/[^\s>")]+/g) ?? [];
      console.log(
        `[mail] to ${mail.to?.text} — "${mail.subject}" (${file})${links.map((l) => `\n[mail]   ${l}`).join('')}`,
      );
      done();
    });
  },
});
server.on('error', (error) => console.error(`[mail] ${error.message}`));
server.listen(port, '127.0.0.1', () =>
  console.log(`[mail] development mailbox on smtp://127.0.0.1:${port}; messages in ${dir}/`),
);
