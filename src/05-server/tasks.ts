/**
 * The tasks module of the echo server's thread pool: the one CPU-heavy thing a
 * client can ask for. Worker threads load this file by its URL and find the
 * function by its export name (chapter 04).
 */
import { createHash } from "node:crypto";

/**
 * SHA-256 applied `rounds` times, starting from the bytes of `seed`: the hex
 * digest of the last round. It computes and never waits, so while it runs on
 * the event loop nothing else in that process runs: the server's `hash`
 * command is made of it to show exactly that.
 *
 * @param rounds - how many times to hash, at least 1; about 1.5 µs each here.
 * @param seed - the text hashed first.
 * @example
 * ```ts
 * iteratedHash(1, "abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export function iteratedHash(rounds: number, seed: string): string {
  let digest: Buffer = Buffer.from(seed);
  for (let i = 0; i < rounds; i++) digest = createHash("sha256").update(digest).digest();
  return digest.toString("hex");
}
