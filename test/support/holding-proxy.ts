import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy; while `holding` is on, a connection that sends a request `isHeld` picks gets no more replies until `release()`. */
export async function holdingProxy(
  target: number,
  isHeld: (request: string) => boolean,
): Promise<{ port: number; holding: boolean; held: number; release(): void; close(): void }> {
  const sockets = new Set<Socket>();
  const releasers = new Set<() => void>();
  const state = {
    port: 0,
    holding: false,
    held: 0,
    release() {
      state.holding = false;
      for (const release of releasers) release();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    let buffered: Buffer[] | undefined;
    const flush = () => {
      if (!buffered) return;
      for (const chunk of buffered) client.write(chunk);
      buffered = undefined;
    };
    releasers.add(flush);
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (state.holding && !buffered && isHeld(text)) {
        buffered = [];
        state.held += 1;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => (buffered ? buffered.push(chunk) : client.write(chunk)));
    const drop = () => {
      releasers.delete(flush);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  return state;
}
