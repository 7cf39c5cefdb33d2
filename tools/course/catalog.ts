/**
 * The course's table of contents: the chapters of the course map, which of
 * them are written yet, and each chapter's exercises as listed in
 * `exercises/<chapter>/exercises.json`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { ROOT } from "./paths.js";

/** One exercise: a stub the learner completes, its test suite, its hint and its solution. */
export interface Exercise {
  /** `"01.2"`: chapter number, dot, position in the chapter. */
  id: string;
  /** A short file-friendly name, e.g. `"lifo-queue"`; the stub is `<name>.ts`. */
  name: string;
  /** One line saying what the learner builds. */
  title: string;
  chapter: Chapter;
  /** The stub files, relative to the root (the first is the one to open). */
  stubs: string[];
  /** The matching solution files, same names under `solutions/`. */
  solutions: string[];
  /** The test suite, relative to the root. */
  test: string;
  /** The hint, relative to the root. */
  hint: string;
}

/** A chapter of the course map. */
export interface Chapter {
  number: string;
  slug: string;
  title: string;
  /** `chapters/<slug>.md` when the chapter is written, else undefined. */
  text: string | undefined;
  exercises: Exercise[];
}

const COURSE_MAP: readonly [string, string][] = [
  ["00-why-pools", "Why pools"],
  ["01-reusable-worker", "A worker you can reuse"],
  ["02-worker-pool", "N workers, one queue"],
  ["03-results", "Results, callbacks and error callbacks"],
  ["04-threads-and-processes", "Threads and processes"],
  ["05-server", "A pooled server"],
  ["06-built-in-pools", "The built-in pools, side by side"],
  ["07-beyond-one-machine", "Beyond one machine"],
];

interface Manifest {
  exercises: { id: string; name: string; title: string; extraFiles?: string[] }[];
}

/** Reads the course map, the chapters written so far and their exercises. */
export function loadCatalog(): Chapter[] {
  const written = existsSync(`${ROOT}chapters`) ? readdirSync(`${ROOT}chapters`) : [];
  return COURSE_MAP.map(([slug, title]) => {
    const chapter: Chapter = {
      number: slug.slice(0, 2),
      slug,
      title,
      text: written.includes(`${slug}.md`) ? `chapters/${slug}.md` : undefined,
      exercises: [],
    };
    const manifestPath = `${ROOT}exercises/${slug}/exercises.json`;
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
      chapter.exercises = manifest.exercises.map((entry) => {
        const files = [`${entry.name}.ts`, ...(entry.extraFiles ?? [])];
        return {
          id: entry.id,
          name: entry.name,
          title: entry.title,
          chapter,
          stubs: files.map((file) => `exercises/${slug}/${file}`),
          solutions: files.map((file) => `solutions/${slug}/${file}`),
          test: `exercises/${slug}/${entry.name}.test.ts`,
          hint: `exercises/${slug}/${entry.name}.hint.md`,
        };
      });
    }
    return chapter;
  });
}

/** Every exercise of the course, in course order. */
export function allExercises(chapters: Chapter[]): Exercise[] {
  return chapters.flatMap((chapter) => chapter.exercises);
}

/**
 * Finds what a learner named on the command line: a chapter (`01`), an
 * exercise id (`01.2`) or an exercise name (`lifo-queue`).
 */
export function select(chapters: Chapter[], what: string | undefined): Exercise[] | undefined {
  const exercises = allExercises(chapters);
  if (what === undefined || what === "all") return exercises;
  const byChapter = exercises.filter((e) => e.chapter.number === what.padStart(2, "0") && /^\d+$/.test(what));
  if (byChapter.length > 0) return byChapter;
  const one = exercises.find((e) => e.id === what || e.name === what);
  return one ? [one] : undefined;
}
