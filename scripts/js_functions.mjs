// Lists every function of the given JavaScript files with its length in lines, as JSON
// ([{file, name, line, lines}]), for tests/test_shape.py's limit. Parses with acorn (a
// devDependency: the real ECMAScript grammar, not a regular expression).
//   node scripts/js_functions.mjs app/game/main.js app/ui/charts.js ...

import { readFileSync } from "node:fs";
import { parse } from "acorn";

const KINDS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/** @param {any} node @param {(n: any, parent: any) => void} visit @param {any} [parent] */
function walk(node, visit, parent = null) {
  if (!node || typeof node.type !== "string") return;
  visit(node, parent);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const child of value) walk(child, visit, node);
    else if (value && typeof value === "object" && typeof value.type === "string") walk(value, visit, node);
  }
}

/** A readable name for a function node, from itself or from what holds it. */
function nameOf(node, parent) {
  if (node.id?.name) return node.id.name;
  if (parent?.type === "MethodDefinition" || parent?.type === "Property") return parent.key?.name ?? "?";
  if (parent?.type === "VariableDeclarator") return parent.id?.name ?? "?";
  return "(anonymous)";
}

const out = [];
for (const file of process.argv.slice(2)) {
  const ast = parse(readFileSync(file, "utf8"), { ecmaVersion: "latest", sourceType: "module", locations: true });
  walk(ast, (node, parent) => {
    if (!KINDS.has(node.type)) return;
    out.push({ file, name: nameOf(node, parent), line: node.loc.start.line, lines: node.loc.end.line - node.loc.start.line + 1 });
  });
}
console.log(JSON.stringify(out));
