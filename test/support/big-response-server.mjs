/* global Buffer, process */
// A separate process serving large HTTPS responses for the memory tests, so the bytes the server
// encrypts are not counted in the fetching process's RSS. Prints its port on stdout.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const dir = new URL('../fixtures/tls/', import.meta.url);
const chunk = Buffer.alloc(64 * 1024, 0x20);
const server = createServer({ key: readFileSync(new URL('server.key', dir)), cert: readFileSync(new URL('server.crt', dir)) }, (req, res) => {
  const total = Number(new URL(req.url ?? '/', 'https://x').searchParams.get('bytes') ?? 0);
  let sent = 0;
  res.writeHead(200, { 'content-type': 'application/geo+json' });
  const pump = () => {
    while (sent < total) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => res.removeListener('drain', pump));
  pump();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
// The parent ends stdin to stop it (and a parent that dies ends it too).
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
