/**
 * Restify loads a dependency that touches process.binding('http_parser') (DEP0111); that
 * deprecation is not ours to fix and would clutter every start. Other warnings still print, one line.
 */
process.removeAllListeners('warning');
process.on('warning', (warning: Error & { code?: string }) => {
  if (warning.code === 'DEP0111') return;
  process.stderr.write(`userauth: warning: ${warning.name}: ${warning.message}\n`);
});
