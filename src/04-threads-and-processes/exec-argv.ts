/**
 * The Node options a pool's child processes inherit from this process, such as
 * `--enable-source-maps` or `--conditions`, minus those that only make sense
 * for the command that started it: `-e`/`-p` and their script, and
 * `--input-type`. Without this, a pool made in `node -e "…"` would start its
 * child processes with that same script. (Worker threads inherit the options
 * by themselves; see {@link ThreadHost}.)
 *
 * @example
 * ```ts
 * // process.execArgv: ["--enable-source-maps", "-e", "new Pool(…)"]
 * workerExecArgv(); // ["--enable-source-maps"]
 * ```
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const option = execArgv[i] as string;
    if (option === "-e" || option === "--eval" || option === "-p" || option === "--print") {
      i += 1; // the script that follows
      continue;
    }
    if (/^(--eval|--print|--input-type)=/.test(option) || option === "--input-type") {
      if (option === "--input-type") i += 1;
      continue;
    }
    kept.push(option);
  }
  return kept;
}
