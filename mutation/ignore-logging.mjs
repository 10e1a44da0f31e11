// @ts-check
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** `logger.warn(...)`, `log.info(...)`, `this.logger.error(...)`. */
function isLogCall(/** @type {import('@babel/types').Node} */ node) {
  if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return false;
  const { object, property } = node.callee;
  const logger =
    (object.type === 'Identifier' && /^(logger|log)$/.test(object.name)) ||
    (object.type === 'MemberExpression' && object.property.type === 'Identifier' && object.property.name === 'logger');
  return logger && property.type === 'Identifier' && LEVELS.has(property.name);
}

/**
 * Mutants inside a log call (`logger.warn({ err }, 'outbox delivery failed; will retry')`), or that
 * replace a callback whose whole body is one (`.catch((err) => logger.error(...))` → `() => undefined`),
 * change what an operator reads, not what a user gets; the log records that matter are asserted where a
 * test is about them (the crash tests read the fault record), not mutant by mutant. Stryker reports
 * these as Ignored, with this reason; they count neither for nor against a score.
 */
export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'logging', {
    /** @param {import('@babel/core').NodePath} path */
    shouldIgnore(path) {
      const { node } = path;
      const logOnly = isLogCall(node) || (node.type === 'ArrowFunctionExpression' && isLogCall(node.body));
      return logOnly ? 'a log line: operator output, not behaviour' : undefined;
    },
  }),
];
