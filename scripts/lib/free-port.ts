import net from 'node:net';

/**
 * A port that was free a moment ago: the OS picks one for a throwaway listener on port 0. Another
 * process could take it before the service binds it, but on a dev machine that window is harmless,
 * and the service still has to bind a known port so the gateway can be told where the catalog is.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
