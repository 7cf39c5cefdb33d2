/** `npm start`: the course board. */
import { allExercises, loadCatalog } from "./catalog.js";
import { checkExercises } from "./exercises.js";
import { bar, bold, dim, fit, green, mark, yellow } from "./style.js";

/** Prints every chapter, the exercises of the current one, progress and the next step. */
export async function boardCommand(): Promise<number> {
  const chapters = loadCatalog();
  const statuses = await checkExercises(allExercises(chapters));
  const done = new Set(statuses.filter((s) => s.done).map((s) => s.exercise.id));
  const next = statuses.find((s) => !s.done)?.exercise;

  console.log(bold("Pools by Hand") + dim(" · thread and process pools, rebuilt in TypeScript\n"));
  for (const chapter of chapters) {
    const count = chapter.exercises.filter((e) => done.has(e.id)).length;
    const total = chapter.exercises.length;
    const state =
      chapter.text === undefined
        ? dim("coming")
        : total === 0
          ? dim("read it")
          : `${bar(count, total, total)} ${count === total ? green(`${count}/${total}`) : `${count}/${total}`}`;
    console.log(`  ${chapter.number} ${fit(chapter.title, 46)} ${state}`);
    if (next && next.chapter === chapter) {
      for (const exercise of chapter.exercises) {
        const pointer = exercise === next ? yellow("›") : " ";
        console.log(`   ${pointer} ${mark(done.has(exercise.id))} ${exercise.id} ${exercise.title}`);
      }
    }
  }
  const total = statuses.length;
  console.log(`\n  Progress ${bar(done.size, total)} ${done.size}/${total} exercises\n`);
  if (!next) {
    console.log(green("  Every exercise passes. Well done!"));
    console.log(dim("  Compare yours with solutions/, or read on in the docs: npm run docs"));
    return 0;
  }
  console.log(bold(`  Next: exercise ${next.id} · ${next.title}`));
  if (next.chapter.text) console.log(`    read    ${next.chapter.text}`);
  console.log(`    open    ${next.stubs[0]}`);
  console.log(`    run     npm run exercise -- ${next.id}   ${dim("(add --watch to re-run on save)")}`);
  console.log(`    stuck?  npm run hint -- ${next.id}`);
  return 0;
}
