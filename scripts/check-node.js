// Fails clearly when a script runs on a Node.js other than the pinned 24 (the `node` npm package).
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `zhengtong needs Node.js 24 (found ${process.versions.node}). ` +
      'Run it through npm (`npm start`, `npm test`, `npx zhengtong …`), which uses the pinned node@24 from node_modules, ' +
      'or run `npm install` first if node_modules is missing.',
  );
  process.exit(1);
}
