import { createServer } from "node:net";

/**
 * A TCP port on `host` that is free right now, chosen by the kernel. Another
 * program may take it before Postgres binds it; the start then fails with an
 * error that says the port is in use.
 *
 * @example
 * ```ts
 * const port = await findFreePort(); // e.g. 41873
 * ```
 */
export function findFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
