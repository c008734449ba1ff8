// @ts-check
/**
 * `nx g @parsimony/tools:plugin <slug> --family <id> [--paper "Title"]`:
 * scaffolds packages/plugins/<slug> — package.json (tags, plugin flag), a
 * solver file, a claim, tests (conformance kit + claim), README, configs —
 * that builds, passes its tests, is found by `parsimony list` and runs in
 * the bench with no edit elsewhere. Plain CommonJS so Nx loads it without a
 * TypeScript transpiler.
 */
const path = require('node:path');
const { formatFiles, generateFiles, names } = require('@nx/devkit');

/** @param {string} s */
const camel = (s) => names(s).propertyName;

/**
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ slug: string; family: string; paper?: string; date?: string; url?: string; method?: string }} options
 */
async function pluginGenerator(tree, options) {
  const { slug, family: familyId } = options;
  const dir = `packages/plugins/${slug}`;
  if (tree.exists(dir)) throw new Error(`packages/plugins/${slug} already exists; choose another slug`);

  // The family list and its metrics come from core itself (built dist).
  /** @type {any} */
  let core;
  try {
    core = await import('@parsimony/core');
  } catch (e) {
    throw new Error(`cannot load @parsimony/core (${/** @type {Error} */ (e).message}); run \`npm run build\` first`);
  }
  const family = core.allFamilies.find((/** @type {{id: string}} */ f) => f.id === familyId);
  if (!family) {
    throw new Error(`unknown family '${familyId}'; known families: ${core.allFamilies.map((/** @type {{id: string}} */ f) => f.id).join(', ')}`);
  }
  if (!family.trivialSolution) throw new Error(`family '${familyId}' defines no trivialSolution for the scaffold to return`);
  const primary = core.primaryMetric(family);

  // The scaffold claim: the level the trivial solution reaches on the family's quick instance.
  const { observation, truth } = core.generateInstance(family, family.presets.quick, ['scaffold', familyId]);
  const outcome = core.scoreSolution(family, observation, truth, family.trivialSolution(observation));
  const level = outcome.status === 'ok' ? outcome.metrics[primary.id] : 0;

  const method = options.method ?? slug;
  const fn = camel(method);
  const vars = {
    slug,
    method,
    fn,
    Fn: names(method).className,
    familyId,
    familyExport: camel(familyId),
    familyTitle: family.title,
    primaryId: primary.id,
    primaryDirection: primary.direction,
    level: JSON.stringify(Number(level.toPrecision(6))),
    paperTitle: options.paper ?? `${names(slug).className} (paper title)`,
    paperDate: options.date ?? new Date().toISOString().slice(0, 7),
    paperUrl: options.url ?? '',
    tmpl: '',
  };
  generateFiles(tree, path.join(__dirname, 'files'), dir, vars);
  tree.rename(`${dir}/src/solvers/__method__.ts`, `${dir}/src/solvers/${method}.ts`);
  tree.rename(`${dir}/test/__method__.test.ts`, `${dir}/test/${method}.test.ts`);
  await formatFiles(tree);
  return () => {
    console.log(`\nCreated ${dir}. Next: write the method in src/solvers/${method}.ts, state the paper's claim in src/claims.ts,`);
    console.log('then `npm install` (links the workspace) and `npx nx run @parsimony/plugin-' + slug + ':test`.');
  };
}

module.exports = pluginGenerator;
module.exports.default = pluginGenerator;
