// Renders the diagram of every file of dist/ with Mermaid in headless Chromium, as GitHub shows a
// Markdown file's flowcharts, and fails where a reviewer could misread one: a label over a box or
// over another label, a line through a box it does not join, a box's text spilling out of it, or
// text too small to read at GitHub's page width. Each flowchart is kept as a PNG in reports/diagrams/ for review (CI keeps reports/).
//
// Usage: node .ci/browser-diagrams.js [dist] (after npm run build). CHROMIUM overrides /usr/bin/chromium.
const { mkdirSync, readdirSync, readFileSync, rmSync } = require('fs');
const { join } = require('path');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, process.argv[2] ?? 'dist');
const OUT = join(ROOT, 'reports', 'diagrams');
/** The width of a Markdown file's body on GitHub, which a flowchart is scaled down to. */
const GITHUB_WIDTH = 1012;
/**
 * Text smaller than this, once scaled to GitHub's width, is too small to read: the shop picture's
 * 8 px was reported as such. Mermaid's own text is 16 px; the widest pictures (Flagger's) are near 9.5 px.
 */
const MIN_TEXT_PX = 9;

/** Each flowchart of a file's drawing, with the title its `%%` line gives. */
function flowcharts(file, files) {
  // Required here, so that the tests of the geometry below need no build and no browser.
  const { loadAll } = require('js-yaml');
  const { Diagram } = require('../lib/src');
  const objects = loadAll(readFileSync(join(DIST, file), 'utf8'));
  const context = files.filter(f => f !== file).flatMap(f => loadAll(readFileSync(join(DIST, f), 'utf8')));
  const text = Diagram.mermaid(objects, { context });
  return text.split(/^(?=flowchart )/m).filter(chart => chart.trim() !== '').map(chart => ({ text: chart, title: /%% (.*)/.exec(chart)[1] }));
}

/** In the page: renders one flowchart and measures its boxes and labels. */
async function measure(page, id, text) {
  return page.evaluate(async ({ id, text, width }) => {
    const { svg } = await window.mermaid.render(id, text);
    const holder = document.createElement('div');
    holder.id = `${id}-holder`;
    holder.style.width = `${width}px`;
    holder.innerHTML = svg;
    document.body.appendChild(holder);
    const root = holder.querySelector('svg');
    const box = e => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
    const words = e => e.textContent.replace(/\s+/g, ' ').trim();
    const nodes = [...root.querySelectorAll('g.node')].map(node => {
      const shape = node.querySelector('rect, polygon, path, circle, ellipse');
      const label = node.querySelector('.label foreignObject div, .label div, .label text, .label') ?? node;
      return { id: /-flowchart-(.+)-\d+$/.exec(node.id)?.[1], name: words(node), shape: box(shape ?? node), label: box(label) };
    });
    // A line's id is L_<from>_<to>_<n>; ids hold underscores too, so the ends are found among the boxes'.
    const ends = id => {
      for (const from of nodes) for (const to of nodes) if (id.startsWith(`L_${from.id}_${to.id}_`)) return [from.name, to.name];
      return undefined;
    };
    const lines = [...root.querySelectorAll('path.flowchart-link')].map(path => {
      const length = path.getTotalLength();
      const matrix = path.getScreenCTM();
      const points = Array.from({ length: 39 }, (_, i) => path.getPointAtLength((length * (i + 1)) / 40)).map(p => new DOMPoint(p.x, p.y).matrixTransform(matrix));
      return { ends: ends(path.getAttribute('data-id') ?? path.id.replace(/^.*?-(L_)/, '$1')), points: points.map(p => ({ x: p.x, y: p.y })) };
    });
    const labels = [...root.querySelectorAll('g.edgeLabel')].filter(l => words(l) !== '').map(l => ({ name: words(l), box: box(l.querySelector('.label') ?? l) }));
    // Where a browser wrapped a line of a box or label inside a name (letters, digits, '.', '_' and
    // hyphens on both sides), such as `istio-` over `system`. A regex may break at its punctuation.
    const wraps = [];
    for (const element of [...root.querySelectorAll('g.node .label, g.edgeLabel .label')]) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let textNode = walker.nextNode(); textNode; textNode = walker.nextNode()) {
        const content = textNode.textContent;
        let top;
        for (let i = 0; i < content.length; i++) {
          const range = document.createRange();
          range.setStart(textNode, i);
          range.setEnd(textNode, i + 1);
          const rect = range.getClientRects()[0];
          if (!rect) continue;
          const name = /[\w.\-\u2011]/;
          if (top !== undefined && rect.top > top + 2 && name.test(content[i - 1]) && name.test(content[i])) {
            const word = content.slice(content.lastIndexOf(' ', i - 1) + 1, (content.indexOf(' ', i) + 1 || content.length + 1) - 1);
            wraps.push(`${content[i - 1]}|${content[i]} in "${word}"`);
          }
          top = rect.top;
        }
      }
    }
    const fontPx = parseFloat(getComputedStyle(root.querySelector('.nodeLabel, .label') ?? root).fontSize);
    const scale = root.getBoundingClientRect().width / (root.viewBox.baseVal.width || root.getBoundingClientRect().width);
    return { nodes, labels, lines, wraps, fontPx, scale };
  }, { id, text, width: GITHUB_WIDTH });
}

/** Whether two boxes overlap by more than a pixel each way. */
function overlap(a, b) {
  return a.x + 1 < b.x + b.w && b.x + 1 < a.x + a.w && a.y + 1 < b.y + b.h && b.y + 1 < a.y + a.h;
}

function inside(inner, outer) {
  return inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.w <= outer.x + outer.w + 1 && inner.y + inner.h <= outer.y + outer.h + 1;
}

/** Whether a point lies inside a box, more than `inset` pixels from its edges. */
function within(point, b, inset) {
  return point.x > b.x + inset && point.x < b.x + b.w - inset && point.y > b.y + inset && point.y < b.y + b.h - inset;
}

function problemsOf({ nodes, labels, lines = [], wraps = [], fontPx, scale }) {
  const problems = wraps.map(wrap => `a name breaks across lines: ${wrap}`);
  for (const line of lines) {
    const [from, to] = line.ends ?? ['?', '?'];
    if (!line.ends) problems.push('a line whose ends the check can\'t tell');
    for (const node of nodes) {
      if (node.name === from || node.name === to) continue;
      // Boxes are measured by their bounds, which a hexagon's or a parallelogram's corners leave empty.
      if (line.points.some(point => within(point, node.shape, 6))) problems.push(`the line from "${from}" to "${to}" crosses the box "${node.name}"`);
    }
  }
  for (const label of labels) {
    for (const node of nodes) if (overlap(label.box, node.shape)) problems.push(`the label "${label.name}" lies over the box "${node.name}"`);
  }
  labels.forEach((a, i) => labels.slice(i + 1).forEach(b => { if (overlap(a.box, b.box)) problems.push(`the labels "${a.name}" and "${b.name}" overlap`); }));
  nodes.forEach((a, i) => nodes.slice(i + 1).forEach(b => { if (overlap(a.shape, b.shape)) problems.push(`the boxes "${a.name}" and "${b.name}" overlap`); }));
  for (const node of nodes) if (!inside(node.label, node.shape)) problems.push(`the text of "${node.name}" spills out of its box`);
  const shown = fontPx * Math.min(scale, 1);
  if (shown < MIN_TEXT_PX) problems.push(`its text is ${shown.toFixed(1)} px at GitHub's width of ${GITHUB_WIDTH} px, under ${MIN_TEXT_PX} px`);
  return problems;
}

/**
 * The check sees every box and every labelled line of the flowchart's text, or says so: a Mermaid
 * release that named its elements otherwise would make the check see nothing, and pass.
 */
function unmeasured(text, { nodes, labels, lines = [] }) {
  const declared = text.split('\n').filter(line => /^ {2}\w+[[({]/.test(line)).length;
  const labelled = text.split('\n').filter(line => /\|"[^"]+"\|/.test(line)).length;
  const problems = [];
  if (nodes.length !== declared) problems.push(`measured ${nodes.length} of its ${declared} boxes`);
  if (labels.length !== labelled) problems.push(`measured ${labels.length} of its ${labelled} line labels`);
  const edges = text.split('\n').filter(line => / (-->|-\.->)/.test(line)).length;
  if (lines.length !== edges) problems.push(`measured ${lines.length} of its ${edges} lines`);
  return problems;
}

/**
 * The wrap check reads the page's line boxes, which a browser could lay out otherwise: a name with
 * plain hyphens, too long for one line, must show as broken, or the check would see nothing.
 */
async function calibrate(page) {
  const name = 'a-name-with-plain-hyphens-far-too-long-for-one-line-of-a-box';
  const { wraps } = await measure(page, 'calibration', `flowchart LR\n  a["${name}"]\n  b["b"]\n  a --> b\n`);
  await page.evaluate(() => document.getElementById('calibration-holder').remove());
  if (wraps.length === 0) throw new Error(`the browser broke no line in "${name}": the check of names that break would see nothing`);
}

async function main() {
  const files = readdirSync(DIST).filter(f => /\.ya?ml$/.test(f)).sort();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.setContent('<!doctype html><html><body style="margin:0;font-family:sans-serif"></body></html>');
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));
  await calibrate(page);
  const failures = [];
  let drawn = 0;
  for (const file of files) {
    const charts = flowcharts(file, files);
    for (const [i, chart] of charts.entries()) {
      const id = `d${drawn++}`;
      const measured = await measure(page, id, chart.text);
      if (process.env.DIAGRAM_SIZES) console.log(`${(measured.fontPx * Math.min(measured.scale, 1)).toFixed(1)} px  ${file}: ${chart.title}`);
      for (const problem of [...unmeasured(chart.text, measured), ...problemsOf(measured)]) failures.push(`${file}: ${chart.title}: ${problem}`);
      await page.locator(`#${id}-holder svg`).screenshot({ path: join(OUT, `${file.replace(/\.ya?ml$/, '')}-${i + 1}.png`) });
      await page.evaluate(holder => document.getElementById(holder).remove(), `${id}-holder`);
    }
  }
  await browser.close();
  console.log(`rendered ${drawn} flowcharts of ${files.length} files in Chromium; PNGs in reports/diagrams/`);
  if (failures.length > 0) {
    console.error(failures.map(f => `  - ${f}`).join('\n'));
    console.error(`${failures.length} problem(s) a reviewer would misread`);
    process.exit(1);
  }
}

if (require.main === module) main().catch(error => { console.error(error); process.exit(1); });

module.exports = { problemsOf, unmeasured, MIN_TEXT_PX };
