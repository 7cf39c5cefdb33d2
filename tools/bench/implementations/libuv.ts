/**
 * Node's own thread pool: libuv's, which runs async crypto, fs, zlib and
 * dns.lookup. Its size is read once from UV_THREADPOOL_SIZE when the process
 * starts, so each size is a separate implementation with its own environment.
 * It runs only work Node hands it, so it takes part in the pbkdf2 scenario.
 */
import { pbkdf2 } from "node:crypto";
import { promisify } from "node:util";
import type { Implementation } from "../implementation.js";

const derive = promisify(pbkdf2);

function libuv(size: number): Implementation {
  return {
    id: `libuv-${size}`,
    label: `libuv pool, UV_THREADPOOL_SIZE=${size}${size === 4 ? " (default)" : ""}`,
    family: "node-builtin",
    scenarios: ["pbkdf2"],
    env: { UV_THREADPOOL_SIZE: String(size) },
    async open() {
      if (process.env.UV_THREADPOOL_SIZE !== String(size)) {
        throw new Error(`libuv-${size} needs UV_THREADPOOL_SIZE=${size} in its environment, found ${process.env.UV_THREADPOOL_SIZE}`);
      }
      return {
        async call(fn, args) {
          if (fn !== "pbkdf2") throw new TypeError(`the libuv pool runs only pbkdf2, not ${fn}`);
          const [password, salt, iterations, keylen] = args as [string, string, number, number];
          return (await derive(password, salt, iterations, keylen, "sha512")).toString("hex");
        },
        close: async () => {},
      };
    },
  };
}

export const implementations: Implementation[] = [1, 2, 4, 8].map(libuv);
