import { fail } from '../refusal';
import { own } from '../verify/json';
import { checkManifestList, checkNamespaceOption, checkOptionsObject } from '../verify/verify';
import { fleetMermaid, fleetTable } from './fleets';
import { renderMermaid } from './mermaid';
import { DiagramOptions, Picture, picturesOf } from './model';
import { renderTable } from './table';
import { markdownLine, printable } from './text';

/** Every picture as a Mermaid flowchart, separated by blank lines; empty when there is nothing routed. The TypeScript name of {@link Diagram.mermaid}. */
export function diagramMermaid(objects: readonly unknown[], options?: DiagramOptions): string {
  return mermaidOf('diagramMermaid', objects, options);
}

/** Every picture as a table under its title, separated by blank lines; empty when there is nothing routed. The TypeScript name of {@link Diagram.table}. */
export function diagramTable(objects: readonly unknown[], options?: DiagramOptions): string {
  return tableOf('diagramTable', objects, options);
}

/** A Markdown document: `# title`, then per picture a `##` heading, the flowchart and the table. The TypeScript name of {@link Diagram.markdown}. */
export function diagramMarkdown(objects: readonly unknown[], title: string, options?: DiagramOptions): string {
  return markdownOf('diagramMarkdown', objects, title, options);
}

/** The drawings behind both names of each entry; `entry` names the one called in its errors. */
export function mermaidOf(entry: string, objects: unknown, options: unknown): string {
  return drawMermaid(checkedPictures(entry, objects, options));
}

export function tableOf(entry: string, objects: unknown, options: unknown): string {
  return drawTables(checkedPictures(entry, objects, options));
}

export function markdownOf(entry: string, objects: unknown, title: unknown, options: unknown): string {
  if (typeof title !== 'string') fail(entry, 'title', 'must be a string', title, 'e.g. "app.k8s.yaml"');
  return drawMarkdown(checkedPictures(entry, objects, options), title);
}

/** The three forms of a set of pictures; the CLI draws its parsed YAML with these, which needs no entry checks. */
export function drawMermaid(pictures: readonly Picture[]): string {
  return pictures.map(mermaidOfPicture).join('\n');
}

export function drawTables(pictures: readonly Picture[]): string {
  return pictures.map(picture => `${printable(picture.title)}\n${tableOfPicture(picture)}`).join('\n');
}

export function drawMarkdown(pictures: readonly Picture[], title: string): string {
  const body = pictures.length > 0
    ? pictures.flatMap(section)
    : ['No VirtualService, Gateway API route, Flagger Canary or fleet, and no Service that selects pods, so there is nothing to draw.', ''];
  return [`# ${markdownLine(title)}`, '', '<!-- written by cdk8s-istio-release diagram; regenerate it rather than edit it -->', '', ...body].join('\n');
}

function checkedPictures(entry: string, objects: unknown, options: unknown): Picture[] {
  checkManifestList(entry, 'objects', objects);
  checkOptionsObject(entry, options, '{ context: otherObjects }');
  const context = own(options, 'context');
  if (context !== undefined) checkManifestList(entry, 'options.context', context);
  checkNamespaceOption(entry, own(options, 'defaultNamespace'));
  return picturesOf(objects, options as DiagramOptions | undefined);
}

function section(picture: Picture): string[] {
  return [`## ${markdownLine(picture.title)}`, '', ...fenced('mermaid', mermaidOfPicture(picture)), '', ...fenced('text', tableOfPicture(picture)), ''];
}

/** A fleet is drawn as its waves, anything else as its traffic. */
function mermaidOfPicture(picture: Picture): string {
  return picture.fleet ? fleetMermaid(picture.title, picture.fleet) : renderMermaid(picture);
}

function tableOfPicture(picture: Picture): string {
  return picture.fleet ? fleetTable(picture.fleet) : renderTable(picture);
}

/** A code block whose fence is longer than any run of backticks inside it. */
function fenced(language: string, content: string): string[] {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, ...content.replace(/\n$/, '').split('\n'), fence];
}
