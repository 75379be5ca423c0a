import net from 'node:net';

/**
 * A free port on 127.0.0.1, held until `release()`. A test server's address must be known before the app
 * is built (it is in the configuration); a port given back at once was sometimes taken meanwhile as the
 * local end of a database connection, so it is held until the moment the app listens.
 */
export function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ port, release: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}
