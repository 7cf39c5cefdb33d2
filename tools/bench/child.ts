/**
 * The child process of one measurement: `node child.js '<job as JSON>'`. It
 * runs the job and prints one line, RESULT_MARKER followed by JSON, then
 * exits, so a pool that keeps its process alive cannot stall the run.
 */
import { measure } from "./measure.js";
import { loadImplementations } from "./registry.js";
import { RESULT_MARKER, type ChildJob, type ChildOutput } from "./protocol.js";

async function main(): Promise<ChildOutput> {
  const job = JSON.parse(process.argv[2] ?? "") as ChildJob;
  const implementation = (await loadImplementations()).find((i) => i.id === job.implementation);
  if (!implementation) throw new Error(`no Node implementation has the id ${job.implementation}`);
  const { metrics, checked } = await measure(implementation, job.params, job.workers);
  return { ok: true, metrics, checked };
}

let output: ChildOutput;
try {
  output = await main();
} catch (error) {
  output = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
process.stdout.write(`${RESULT_MARKER}${JSON.stringify(output)}\n`, () => process.exit(output.ok ? 0 : 1));
