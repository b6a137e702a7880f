/**
 * Ports for the devnet's servers (anvil, wasmd, chopsticks, Redis, relayer APIs and peer channels).
 *
 * Why not the kernel's choice (listen on port 0, close, hand the number on): that number comes from the
 * ephemeral range (32768-60999 on Linux), the same range every outgoing connection takes its local port
 * from. Between the probe and the server's own bind, a client socket of a busy test run (thousands of HTTP
 * calls) or another test process probing the same way can take it, and the server dies with EADDRINUSE.
 * So ports come from below that range, where the kernel never assigns one by itself; each process walks it
 * from its own starting point (its pid spreads parallel test workers apart), never hands out a port twice,
 * and skips any port something already listens on.
 */
import { createServer } from 'node:net';

const FIRST_PORT = 20_000;
const PORT_COUNT = 12_000;

const handedOut = new Set<number>();
let cursor = (process.pid * 977) % PORT_COUNT;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 that nothing listens on, not handed out before by this process. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < PORT_COUNT; tried++) {
    cursor = (cursor + 1) % PORT_COUNT;
    const port = FIRST_PORT + cursor;
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${FIRST_PORT}-${FIRST_PORT + PORT_COUNT - 1}`);
}
