/**
 * Chapter 05's demo: the pooled echo server under load, on one core and on
 * all of them, then one CPU-heavy line blocking an event loop, and what
 * threads and cluster workers change about it. Every server runs in its own
 * process (`main.js serve`, as `npm run demo -- 05 serve` would start it), so
 * the load client here does not share its event loop.
 *
 * `npm run demo -- 05`; `npm run demo -- 05 serve [--cluster]` runs the
 * server until Ctrl-C; `npm run load -- --port N` runs the load client.
 */
import { connect } from "node:net";
import { availableParallelism } from "node:os";
import { runCli } from "./cli.js";
import { NodeProcess } from "./fixtures/client.js";
import { formatLoadReport, runLoad } from "./index.js";

const MAIN = new URL("./main.js", import.meta.url);
const CORES = availableParallelism();
const HASH_ROUNDS = 500_000;

interface RunningServer {
  port: number;
  process: NodeProcess;
}

async function startServer(args: string[]): Promise<RunningServer> {
  const server = new NodeProcess(MAIN, ["serve", ...args]);
  const [, port] = await server.line(/^listening on [^:]+:(\d+)/);
  return { port: Number(port), process: server };
}

/** SIGTERM, as a process manager would send it; resolves to the server's last line. */
async function stopServer(server: RunningServer): Promise<string> {
  server.process.child.kill("SIGTERM");
  const { code } = await server.process.exited;
  return `exit code ${code}: ${server.process.lines.at(-1)}`;
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));

/** Sends one line on an open connection and resolves to the milliseconds until its answer. */
function roundTrip(socket: ReturnType<typeof connect>, line: string): Promise<number> {
  return new Promise((resolve) => {
    const sent = performance.now();
    socket.once("data", () => resolve(performance.now() - sent));
    socket.write(line);
  });
}

async function connected(port: number): Promise<ReturnType<typeof connect>> {
  const socket = connect({ port, host: "127.0.0.1", noDelay: true });
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

/**
 * One client asks for a hash; 50 ms later, `probes` other clients, each on a
 * new connection, send one line. Returns the hash's time and each probe's.
 */
async function hashAndProbe(port: number, probes: number): Promise<{ hashMs: number; probeMs: number[] }> {
  const hashing = await connected(port);
  const hashed = roundTrip(hashing, `hash ${HASH_ROUNDS} demo\n`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const probeMs = await Promise.all(
    Array.from({ length: probes }, async (_, i) => {
      const probe = await connected(port);
      const took = await roundTrip(probe, `probe ${i}\n`);
      probe.end();
      return took;
    }),
  );
  const hashMs = await hashed;
  hashing.end();
  return { hashMs, probeMs };
}

async function loadSection(): Promise<void> {
  console.log(`1. The load client against one process, then against a cluster of ${CORES} (one worker per core)`);
  const load = { clients: 100, lines: 200, window: 4, timeoutMs: 60_000 };
  console.log(`   each run: ${load.clients} clients × ${load.lines} lines of 64 bytes, ${load.window} lines in flight per client, every echo checked\n`);
  for (const [title, args] of [
    ["one process (1 core)", []],
    [`cluster of ${CORES} workers (all cores)`, ["--cluster", "--workers", String(CORES)]],
  ] as const) {
    const server = await startServer([...args]);
    await runLoad({ port: server.port, clients: 10, lines: 50 }); // warm-up: connections, JIT
    const report = await runLoad({ port: server.port, ...load });
    console.log(`   ${title}`);
    console.log(formatLoadReport(report).replace(/^/gm, "   "));
    console.log(`   SIGTERM → ${await stopServer(server)}\n`);
  }
}

async function hashSection(): Promise<void> {
  console.log(`2. One CPU-heavy line, "hash ${HASH_ROUNDS} demo", and other clients 50 ms later`);
  const blocked = await startServer(["--hash-in", "event-loop"]);
  const onLoop = await hashAndProbe(blocked.port, 1);
  await stopServer(blocked);
  console.log(`   one process, hash on its event loop: the hash took ${ms(onLoop.hashMs)} ms; another client's line waited ${ms(onLoop.probeMs[0] as number)} ms`);

  const threaded = await startServer(["--hash-in", "threads"]);
  await hashAndProbe(threaded.port, 1); // the first hash line starts the thread pool
  const onThreads = await hashAndProbe(threaded.port, 1);
  await stopServer(threaded);
  console.log(`   one process, hash on its thread pool: the hash took ${ms(onThreads.hashMs)} ms; another client's line waited ${ms(onThreads.probeMs[0] as number)} ms`);

  const clustered = await startServer(["--cluster", "--workers", String(CORES), "--hash-in", "event-loop"]);
  const onCluster = await hashAndProbe(clustered.port, 2 * CORES);
  await stopServer(clustered);
  const waits = onCluster.probeMs.map((took) => `${ms(took)} ms`).join(", ");
  console.log(`   cluster of ${CORES}, hash on one worker's event loop: the hash took ${ms(onCluster.hashMs)} ms; ${2 * CORES} new clients' lines waited ${waits}`);
  console.log("   (the primary hands each connection to the next worker free to take one: the hashing worker took one more");
  console.log("   before it stopped answering the primary, and every connection after that went to the other worker)");
}

/** `clients` clients each send `lines` hash lines, one after another; resolves to answers per second. */
async function hashLoad(port: number, clients: number, lines: number, rounds: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const socket = await connected(port);
      for (let i = 0; i < lines; i++) await roundTrip(socket, `hash ${rounds} ${client}-${i}\n`);
      socket.end();
    }),
  );
  return (clients * lines) / ((performance.now() - started) / 1000);
}

async function computeSection(): Promise<void> {
  const [clients, lines, rounds] = [8, 40, 2000];
  console.log(`\n3. When the server computes: ${clients} clients × ${lines} lines of "hash ${rounds} …" (about 3 ms of CPU each)`);
  for (const [title, args] of [
    ["one process, hash on its event loop", ["--hash-in", "event-loop"]],
    [`one process, hash on its thread pool (${CORES} threads)`, ["--hash-in", "threads"]],
    [`cluster of ${CORES} workers, hash on each event loop`, ["--cluster", "--workers", String(CORES), "--hash-in", "event-loop"]],
  ] as const) {
    const server = await startServer([...args]);
    await hashLoad(server.port, CORES, 2, rounds); // warm-up: threads started, code compiled
    const perSecond = await hashLoad(server.port, clients, lines, rounds);
    await stopServer(server);
    console.log(`   ${title.padEnd(52)} ${perSecond.toFixed(0).padStart(5)} lines/s`);
  }
}

const [command] = process.argv.slice(2);
if (command === "serve" || command === "load") {
  process.exitCode = await runCli(process.argv.slice(2));
} else {
  console.log(`Chapter 05 · a pooled server (${CORES} cores)\n`);
  await loadSection();
  await hashSection();
  await computeSection();
}
