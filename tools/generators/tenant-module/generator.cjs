// `npx nx g @tenantry/tools:tenant-module invoices --fields number:string,amountCents:int,dueOn:date`
// writes a tenant-scoped module the way libs/api/contacts is written, with its SPA page, and registers both.
const { formatFiles, generateFiles, joinPathFragments, names, updateJson } = require('@nx/devkit');

/** What each field type becomes in PostgreSQL, TypeScript, the DTO's validators and OpenAPI. */
// `example` and `other` are valid values (OpenAPI's example, the generated test's update); `invalid` is refused.
// `input` is the SPA form's input; `sample` and `change` are what the browser test types for `example` and `other`.
const FIELD_TYPES = {
  string: {
    sql: 'text',
    ts: 'string',
    validators: ['@trim()', '@IsString()', '@Length(1, 200)'],
    example: "'Example'",
    other: "'Changed'",
    invalid: "''",
    input: { type: 'text' },
    sample: 'Example',
    change: 'Changed',
  },
  text: {
    sql: 'text',
    ts: 'string',
    validators: ['@IsString()', '@MaxLength(5000)'],
    example: "'A longer text.'",
    other: "'Another text.'",
    invalid: "'x'.repeat(5001)",
    input: { type: 'text' },
    sample: 'A longer text.',
    change: 'Another text.',
  },
  int: {
    sql: 'integer',
    ts: 'number',
    validators: ['@IsInt()', '@Min(-2147483648)', '@Max(2147483647)'],
    example: '42',
    other: '7',
    invalid: '1.5',
    input: { type: 'number' },
    sample: '42',
    change: '7',
  },
  number: {
    sql: 'double precision',
    ts: 'number',
    validators: ['@IsNumber({ allowNaN: false, allowInfinity: false })'],
    example: '4.2',
    other: '-0.5',
    invalid: "'4.2'",
    input: { type: 'number', step: 'any' },
    sample: '4.2',
    change: '-0.5',
  },
  bool: {
    sql: 'boolean',
    ts: 'boolean',
    validators: ['@IsBoolean()'],
    example: 'true',
    other: 'false',
    invalid: "'yes'",
    input: { type: 'checkbox' },
    sample: true,
    change: false,
  },
  date: {
    sql: 'date',
    ts: 'string',
    validators: [
      '@IsISO8601({ strict: true })',
      "@Matches(DATE, { message: '$property must be a date (YYYY-MM-DD)' })",
    ],
    example: "'2026-12-31'",
    other: "'2027-01-15'",
    invalid: "'2026-02-30'",
    input: { type: 'date' },
    sample: '2026-12-31',
    change: '2027-01-15',
  },
};
const VALIDATOR_IMPORTS = [
  'IsBoolean',
  'IsInt',
  'IsISO8601',
  'IsNumber',
  'IsString',
  'Length',
  'Matches',
  'Max',
  'MaxLength',
  'Min',
];
const snake = (text) => text.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/-/g, '_');
/** amountCents → Amount cents, purchase-orders → Purchase orders: a label a person reads. */
const label = (text) => {
  const words = snake(text).replace(/_/g, ' ');
  return words[0].toUpperCase() + words.slice(1);
};
/** How the list shows a value the browser test typed. */
const shown = (value) => (typeof value === 'boolean' ? (value ? 'Yes' : 'No') : value);

/** The parsed `--fields`: each with its column, types and validators. */
function parseFields(spec) {
  const fields = String(spec)
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const [name, type, ...rest] = pair.split(':');
      if (!/^[a-z][a-zA-Z0-9]*$/.test(name ?? '') || rest.length)
        throw new Error(`"${pair}": a field is name:type with a camelCase name (amountCents:int)`);
      if (!FIELD_TYPES[type]) throw new Error(`"${pair}": the type is one of ${Object.keys(FIELD_TYPES).join(', ')}`);
      if (['id', 'tenantId', 'createdAt', 'updatedAt'].includes(name))
        throw new Error(`"${name}": every module has it already`);
      return { name, type, column: snake(name), label: label(name), ...FIELD_TYPES[type] };
    });
  if (!fields.length) throw new Error('--fields names at least one field (number:string,amountCents:int)');
  if (new Set(fields.map((f) => f.name)).size !== fields.length) throw new Error('--fields names a field twice');
  return fields;
}

/** Inserts `text` before the first match of `before` after `after` in `path`; fails when the anchor moved. */
function insert(tree, path, { after, before, text, unless }) {
  const source = tree.read(path, 'utf-8');
  if (unless && source.includes(unless)) throw new Error(`${path} already has ${unless}`);
  const from = after ? source.indexOf(after) : 0;
  const at = from < 0 ? -1 : source.indexOf(before, from + (after?.length ?? 0));
  if (at < 0) throw new Error(`${path}: could not find where to add ${text.trim().split('\n')[0]}`);
  tree.write(path, source.slice(0, at) + text + source.slice(at));
}

/** Adds an import line after the last import of `path`. */
function addImport(tree, path, line) {
  const source = tree.read(path, 'utf-8');
  const last = source.lastIndexOf('\nimport ');
  const end = source.indexOf(';\n', source.indexOf(' from ', last));
  if (last < 0 || end < 0) throw new Error(`${path}: could not find its imports`);
  tree.write(path, `${source.slice(0, end + 2)}${line}\n${source.slice(end + 2)}`);
}

module.exports = async function tenantModule(tree, options) {
  const plural = names(options.name);
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(options.name))
    throw new Error(`"${options.name}": a kebab-case plural (invoices, purchase-orders)`);
  const singular = names(options.singular ?? options.name.replace(/ies$/, 'y').replace(/s$/, ''));
  if (singular.fileName === plural.fileName)
    throw new Error(`"${options.name}": give --singular (the plural and singular are the same)`);
  const root = `libs/api/${plural.fileName}`;
  if (tree.exists(root)) throw new Error(`${root} exists already`);
  const fields = parseFields(options.fields);
  const table = snake(plural.fileName);
  const vars = {
    plural, // fileName invoices, className Invoices, propertyName invoices
    singular,
    table,
    permission: table, // invoices.read, invoices.write, invoices.delete
    errorCode: `${snake(singular.fileName).toUpperCase()}_NOT_FOUND`,
    human: singular.fileName.replace(/-/g, ' '),
    a: /^[aeiou]/.test(singular.fileName) ? 'an' : 'a',
    humanPlural: plural.fileName.replace(/-/g, ' '),
    title: label(plural.fileName), // the page's heading and menu entry
    shown,
    fields,
    validatorImports: VALIDATOR_IMPORTS.filter((v) =>
      fields.some((f) => f.validators.some((d) => d.startsWith(`@${v}(`))),
    ),
    timestamp: Date.now(),
    // File names: libs/api/__fileName__/src/__fileName__.service.ts, entities/__singularFileName__.entity.ts
    fileName: plural.fileName,
    singularFileName: singular.fileName,
    pluralClassName: plural.className,
    singularClassName: singular.className,
    tmpl: '',
  };
  generateFiles(tree, joinPathFragments(__dirname, 'files/lib'), root, vars);
  generateFiles(tree, joinPathFragments(__dirname, 'files/api'), 'apps/api', vars);
  generateFiles(tree, joinPathFragments(__dirname, 'files/web'), 'apps/web', vars);
  generateFiles(tree, joinPathFragments(__dirname, 'files/web-e2e'), 'apps/web-e2e', vars);

  // The module's migrations (beside it, in src/migrations) run with every other module's.
  const schema = 'libs/api/schema/src/all-migrations.ts';
  insert(tree, schema, {
    before: "\nimport type { MigrationInterface } from 'typeorm';",
    unless: `'@tenantry/api-${plural.fileName}/migrations'`,
    text: `\nimport { MIGRATIONS as ${plural.constantName} } from '@tenantry/api-${plural.fileName}/migrations';`,
  });
  insert(tree, schema, {
    after: 'export const MIGRATIONS',
    before: '\n]);',
    text: `\n  ...${plural.constantName},`,
  });
  updateJson(tree, 'libs/api/schema/package.json', (json) => {
    json.dependencies[`@tenantry/api-${plural.fileName}`] = '*';
    return json;
  });

  // The shared contract: the type both sides use, the permissions, the error.
  const type = [
    `\n/** ${vars.a === 'an' ? 'An' : 'A'} ${vars.human} as the API answers it. */`,
    `export interface ${singular.className} {`,
    '  id: string;',
    ...fields.map((f) => `  ${f.name}: ${f.ts};`),
    '  createdAt: string;',
    '  updatedAt: string;',
    '}',
    `\nexport type ${singular.className}Request = Omit<${singular.className}, 'id' | 'createdAt' | 'updatedAt'>;`,
    '',
  ].join('\n');
  tree.write('libs/contracts/src/api.ts', tree.read('libs/contracts/src/api.ts', 'utf-8') + type);
  insert(tree, 'libs/contracts/src/roles.ts', {
    after: 'export const PERMISSIONS = {',
    before: '\n} as const',
    unless: `'${table}.read'`,
    text: `\n  '${table}.read': ['owner', 'admin', 'member', 'viewer'],\n  '${table}.write': ['owner', 'admin', 'member'],\n  '${table}.delete': ['owner', 'admin'],`,
  });
  insert(tree, 'libs/contracts/src/errors.ts', {
    after: 'export const ErrorCode = {',
    before: '\n} as const',
    text: `\n  ${vars.errorCode}: '${vars.errorCode}',`,
  });
  insert(tree, 'libs/contracts/src/errors.ts', {
    after: 'export const ERRORS',
    before: '\n};',
    text: `\n  ${vars.errorCode}: { status: 404, message: 'No such ${vars.human}.' },`,
  });

  // The API loads the module; its package depends on it.
  addImport(
    tree,
    'apps/api/src/app.module.ts',
    `import { ${plural.className}Module } from '@tenantry/api-${plural.fileName}';`,
  );
  insert(tree, 'apps/api/src/app.module.ts', {
    after: '    ContactsModule,',
    before: '\n',
    text: `\n    ${plural.className}Module,`,
  });
  updateJson(tree, 'apps/api/package.json', (json) => {
    json.dependencies[`@tenantry/api-${plural.fileName}`] = '*';
    return json;
  });

  // The SPA: a page after Contacts, for whoever may read the rows, and the navigation's expectations with it.
  const pages = 'apps/web/src/features/app/pages.tsx';
  addImport(tree, pages, `import { ${plural.className}Page } from '../${plural.fileName}/${plural.className}Page';`);
  insert(tree, pages, {
    after: 'export const APP_PAGES',
    before: "  { path: '/platform/tenants'",
    unless: `path: '/${plural.fileName}'`,
    text: `  {\n    path: '/${plural.fileName}',\n    label: '${vars.title}',\n    allowed: may('${table}.read'),\n    render: (s) => <${plural.className}Page role={s.role} />,\n  },\n`,
  });
  const navigationSpec = 'apps/web/src/features/app/pages.spec.ts';
  const expectations = tree.read(navigationSpec, 'utf-8');
  if (!expectations.includes("'Contacts',"))
    throw new Error(`${navigationSpec}: could not find the navigation's Contacts`);
  tree.write(navigationSpec, expectations.replaceAll("'Contacts',", `'Contacts', '${vars.title}',`));

  // Ownership: the module owns its table.
  insert(tree, 'docs/architecture.md', {
    after: '| `contacts` | contacts |',
    before: '\n',
    text: `\n| \`${table}\` | ${plural.fileName} | \`${plural.className}Service\` |`,
  });

  await formatFiles(tree);
  return () => {
    console.log(
      [
        '',
        `${root} is written and registered. Next:`,
        '  npm install                      (links the new package into node_modules)',
        `  npx nx build api && UPDATE_OPENAPI=1 npx nx test api -- openapi route-permissions -u`,
        `  apps/web/src/features/${plural.fileName}/: the page, its form and its API calls (the menu entry is in features/app/pages.tsx)`,
        `  edit ${root}/src/${plural.fileName}.service.ts for your rules (plan caps, webhooks, live updates: see contacts)`,
      ].join('\n'),
    );
  };
};
