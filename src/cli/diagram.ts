import { basename } from 'path';
import { drawMarkdown, drawMermaid, drawTables } from '../diagram/markdown';
import { DiagramOptions, picturesOf } from '../diagram/model';
import { printable } from '../diagram/text';
import { defaultNamespaceOf, flag, lastValue, OptionSpec, ParsedArgs, parseInvocation } from './args';
import { Command, EXIT_CLEAN, Io, UsageError } from './command';
import { Source, writeFiles } from './files';

const USAGE = `usage: cdk8s-istio-release diagram [options] <file or directory>...

draws where the traffic of each VirtualService goes: gateways, hosts, routes and their matches,
weights, subsets, and the workloads behind them with their images and replicas. a Service that
no VirtualService routes is drawn with the pods its selector picks.

for each yaml file, writes the drawing of that file's objects next to it: dist/app.k8s.yaml gives
dist/app.k8s.md. all files are read as one set, so a route in one file reaches the workloads of
another. directories are searched recursively for *.yaml and *.yml files; only regular files are
read (not pipes or devices).

a drawing is written to a new file that then takes the place of the old one. nothing is written
when a drawing would go through a symbolic link, replace an input, or share its file with
another drawing (app.yaml and app.yml): use --print, or rename.

options:
  --print                       print to stdout instead of writing files
  --format markdown|mermaid|table
                                markdown: a mermaid flowchart and a table per VirtualService
                                (default); mermaid: the flowcharts alone (files get .mmd);
                                table: the tables alone (files get .txt)
  --default-namespace <ns>      namespace of objects without one (default: default)
  --max-bytes <size>            the most read from all files together, in bytes or with Ki, Mi
                                or Gi, e.g. 200Mi (default: 64Mi); more fails with status 2
  -h, --help                    show this help

exit status: 0 when the drawings are written, 2 when the command line is wrong or a file cannot be
read, parsed or written.
`;

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'print': { type: 'boolean' },
  'format': { type: 'string' },
  'default-namespace': { type: 'string' },
  'max-bytes': { type: 'string' },
  'help': { type: 'boolean', short: 'h' },
};

type Format = 'markdown' | 'mermaid' | 'table';

export const EXTENSIONS: Readonly<Record<Format, string>> = { markdown: '.md', mermaid: '.mmd', table: '.txt' };

export const diagramCommand: Command = {
  summary: 'draw the traffic of a set of manifests as mermaid flowcharts and tables',
  usage: USAGE,
  run,
};

function run(args: readonly string[], io: Io): number {
  const invocation = parseInvocation(args, OPTIONS, USAGE, io, 'draw');
  if (!invocation) return EXIT_CLEAN;
  const { parsed } = invocation;
  const format = formatOf(parsed);
  const defaultNamespace = defaultNamespaceOf(parsed);
  const sources = invocation.sources();
  const drawings = sources.map((source, i) => ({
    file: source.file,
    text: draw(format, source, { defaultNamespace, context: sources.filter((_, j) => j !== i).flatMap(s => s.documents) }),
  }));
  if (flag(parsed, 'print')) {
    io.stdout(drawings.length === 1 ? drawings[0].text : drawings.map(d => printed(format, d.file, d.text)).join('\n'));
    return EXIT_CLEAN;
  }
  const outputs = drawings.map(d => ({ file: outputFile(d.file, format), text: d.text, from: d.file }));
  writeFiles(outputs, sources, file => io.stdout(`wrote ${printable(file)}\n`));
  return EXIT_CLEAN;
}

function formatOf(parsed: ParsedArgs): Format {
  const format = lastValue(parsed, 'format') ?? 'markdown';
  if (format === 'markdown' || format === 'mermaid' || format === 'table') return format;
  throw new UsageError(`unknown format ${format}; use markdown, mermaid or table`);
}

/** Parsed YAML is JSON data already, so the drawings skip the public functions' argument checks. */
function draw(format: Format, source: Source, options: DiagramOptions): string {
  const pictures = picturesOf(source.documents, options);
  switch (format) {
    case 'markdown': return drawMarkdown(pictures, basename(source.file));
    case 'mermaid': return drawMermaid(pictures);
    case 'table': return drawTables(pictures);
  }
}

/** A markdown document names its file in its title; the other formats get a header line, as `head` does. */
function printed(format: Format, file: string, text: string): string {
  if (format === 'markdown') return text;
  return `${format === 'mermaid' ? '%%' : '==>'} ${printable(file)}${format === 'mermaid' ? '' : ' <=='}\n${text}`;
}

/** `app.k8s.yaml` → `app.k8s.md`; a file named without a yaml extension keeps its name and gets one added. */
function outputFile(file: string, format: Format): string {
  return file.replace(/\.ya?ml$/i, '') + EXTENSIONS[format];
}
