// Checks the jsii assembly that `npm run build` writes (.jsii): every language gets the constructs
// and the static verify, diagram and plan methods, and no internal type leaks into it.
const { readFileSync } = require('fs');
const { join } = require('path');

const assembly = JSON.parse(readFileSync(join(__dirname, '..', '.jsii'), 'utf8'));
const types = assembly.types;
const problems = [];

function type(name) {
  const found = types[`${assembly.name}.${name}`];
  if (!found) problems.push(`the assembly has no ${name}`);
  return found ?? {};
}

const CONSTRUCTS = ['BlueGreenApp', 'CanaryApp', 'IstioGateway', 'Waypoint', 'Fleet'];
for (const name of CONSTRUCTS) {
  if (type(name).base !== 'constructs.Construct') problems.push(`${name} is not a constructs.Construct`);
}
const STATICS = {
  Verify: ['manifests', 'progression', 'codes'],
  Diagram: ['markdown', 'mermaid', 'table'],
  Plan: ['synthSteps'],
  IstioGateway: ['fromName'],
  RouteCheck: ['of'],
};
for (const [name, methods] of Object.entries(STATICS)) {
  const own = (type(name).methods ?? []).filter(m => m.static).map(m => m.name);
  for (const method of methods) if (!own.includes(method)) problems.push(`${name}.${method} is not a static method of the assembly`);
}
// The release model, its resolve step and the renderers are internal: no type of theirs is public.
for (const fqn of Object.keys(types)) {
  if (/Model$|Rendered|Resolved|^ReleaseApp$/.test(fqn.split('.').pop())) problems.push(`${fqn} is internal, and the assembly exports it`);
}
for (const target of ['python', 'java', 'dotnet', 'go']) {
  if (!assembly.targets?.[target]) problems.push(`the assembly has no ${target} target`);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`jsii assembly: ${Object.keys(types).length} types, ${CONSTRUCTS.length} constructs, every static entry point, no internal types`);
