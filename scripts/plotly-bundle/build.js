'use strict';
// `make plotly`, first step: bundles entry.js into node_modules/.bundle/plotly.js with esbuild
// (the Makefile then minifies it with terser), leaving out what our pages never reach, so that a
// phone on a slow link has less to fetch before its first chart (docs/performance.md):
//
//  - the attributes' documentation (description, …): for the plot schema, never read when
//    drawing; plotly.js's own dist builds leave it out too. The largest cut.
//  - d3: plotly.js uses d3 v3's selections, transitions, drag, easing, the linear scale,
//    dispatch, rebind, round and extent; not its layouts, geometry, SVG shapes and axes, brush,
//    zoom, colour spaces, XHR and CSV. Built from @plotly/d3's own sources the way its release
//    is (smash: each file's `import "…";` lines pull in what it needs), from fewer parts.
//  - culori: the colour spaces CSS names only (culori.mjs says why).
//  - gl-mat4: the two functions plotly.js takes, not the 3D camera's other 28.
//  - box and lasso selection, and drawing or editing shapes on a chart (with the polygon
//    library they use): stubs that throw. Every chart has dragmode false (static/js/charts.js),
//    select2d and lasso2d are off the toolbar, no layout asks for clickmode "select" or an
//    editable shape and no drawing button is added, so nothing calls them.
//  - the toolbar's icons of 3D, maps, drawing, …: its question mark instead (our charts show
//    two buttons, toImage and sendChartToCloud, whose icons are kept).
//  - Plotly.validate, makeTemplate and validateTemplate: not exported (entry.js; no page calls
//    them).
//
// Each cut is checked, and the build fails rather than ship a bundle that could break: our smash
// of @plotly/d3's whole source list must give the d3.js the package ships; the d3 we build must
// read no name it does not declare (other than those the whole d3 takes from the browser) and
// define every d3.* that plotly.js and d3 itself read; what plotly.js takes from culori and
// gl-mat4 must be in what we put in their place; every stub must be used, and what it stood in
// front of (select.js, polybooljs, …) must be gone from esbuild's metafile.
//
// It also writes the notices of every npm package whose code is in the bundle (THIRD-PARTY.txt
// beside it, which `make plotly` ships as static/vendor/plotly.THIRD-PARTY.txt): see notices().
//
// Usage: node build.js   (in scripts/plotly-bundle, after `npm ci`; `make plotly` runs it)

const fs = require('fs');
const path = require('path');
const acorn = require('acorn');
const esbuild = require('esbuild');

const HERE = __dirname;
const OUT = path.join(HERE, 'node_modules', '.bundle', 'plotly.js');
const D3 = path.join(HERE, 'node_modules', '@plotly', 'd3');
const PLOTLY = path.join(HERE, 'node_modules', 'plotly.js', 'src');

// ---------------------------------------------------------------------------------------- d3

// The parts of d3 plotly.js reads (d3.select, d3.selectAll, d3.selection, d3.event,
// d3.transition, d3.behavior.drag, d3.ease, d3.scale.linear, d3.dispatch, d3.rebind, d3.round,
// d3.extent, and the selection and transition methods); their own imports bring the rest.
const D3_PARTS = [
    'start', 'compat/', 'selection/', 'transition/', 'event/event', 'event/dispatch',
    'behavior/drag', 'interpolate/ease', 'scale/linear', 'core/rebind', 'format/round',
    'arrays/extent', 'end'
];
const IMPORT = /^import\s+"([^"]+)";?\s*$/;

// As smash (d3 v3's build tool) does: a file's `import "x";` lines put in x's text first, once.
function smash(parts) {
    const seen = new Set();
    const lines = [];
    function resolve(dir, name) {
        return path.join(dir, name) + (name.endsWith('/') ? 'index.js' : '.js');
    }
    function add(file) {
        if(seen.has(file)) return;
        seen.add(file);
        for(const line of fs.readFileSync(file, 'utf8').split('\n')) {
            const m = IMPORT.exec(line);
            if(m) add(resolve(path.dirname(file), m[1]));
            else lines.push(line);
        }
    }
    parts.forEach(function(part) { add(resolve(path.join(D3, 'src'), part)); });
    return lines.join('\n');
}

function parse(code, file) {
    try {
        return acorn.parse(code, {
            ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true,
            allowHashBang: true
        });
    } catch(e) {
        throw new Error(file + ': ' + e.message);
    }
}

function walk(node, visit, parent, key) {
    if(!node || typeof node.type !== 'string') return;
    visit(node, parent, key);
    for(const k of Object.keys(node)) {
        const child = node[k];
        if(Array.isArray(child)) child.forEach(function(c) { walk(c, visit, node, k); });
        else if(child && typeof child.type === 'string') walk(child, visit, node, k);
    }
}

// The same program whatever its layout, quotes, number spelling, stray semicolons or quoted
// property names (what uglify-js changes when it lays out d3.js).
function shape(code, file) {
    return JSON.stringify(parse(code, file), function(key, value) {
        if(key === 'start' || key === 'end' || key === 'raw' || key === 'loc') return undefined;
        if(typeof value === 'bigint') return String(value);
        if(Array.isArray(value)) {
            return value.filter(function(v) { return !(v && v.type === 'EmptyStatement'); });
        }
        if(value && value.type === 'Property' && !value.computed) {  // {"a": 1} is {a: 1}
            const k = value.key;
            return Object.assign({}, value, {key: k.type === 'Identifier' ? k.name : String(k.value)});
        }
        return value;
    });
}

// The names a program reads that no enclosing function declares: what it takes from the browser.
// (Function scope only, as d3 v3 is ES5: let and const count for the whole function.)
function undeclared(program) {
    const free = new Set();
    const isFunction = function(node) {
        return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' ||
            node.type === 'ArrowFunctionExpression';
    };
    function patternNames(pattern, names) {
        walk(pattern, function(node, parent, key) {
            if(node.type !== 'Identifier') return;
            if(parent && parent.type === 'MemberExpression') return;
            if(parent && parent.type === 'Property' && key === 'key' && !parent.computed &&
                !parent.shorthand) return;
            if(parent && parent.type === 'AssignmentPattern' && key === 'right') return;
            names.add(node.name);
        });
    }
    // What a function (or the program) declares in its own scope.
    function declarations(scopeNode) {
        const names = new Set();
        if(scopeNode.type === 'FunctionExpression' && scopeNode.id) names.add(scopeNode.id.name);
        (scopeNode.params || []).forEach(function(p) { patternNames(p, names); });
        (function collect(node) {
            if(!node || typeof node.type !== 'string') return;
            if(node.type === 'FunctionDeclaration') { names.add(node.id.name); return; }
            if(isFunction(node)) return;
            if(node.type === 'VariableDeclarator') patternNames(node.id, names);
            if(node.type === 'CatchClause' && node.param) patternNames(node.param, names);
            if(node.type === 'ClassDeclaration' && node.id) names.add(node.id.name);
            for(const k of Object.keys(node)) {
                const child = node[k];
                if(Array.isArray(child)) child.forEach(collect);
                else if(child && typeof child.type === 'string') collect(child);
            }
        })(scopeNode.type === 'Program' ? {type: 'BlockStatement', body: scopeNode.body}
            : scopeNode.body);
        return names;
    }
    function known(name, scopes) {
        return scopes.some(function(scope) { return scope.has(name); });
    }
    (function visit(node, parent, key, scopes) {
        if(!node || typeof node.type !== 'string') return;
        if(isFunction(node)) scopes = scopes.concat([declarations(node)]);
        if(node.type === 'Identifier') {
            const skip = parent && (
                (parent.type === 'MemberExpression' && key === 'property' && !parent.computed) ||
                (parent.type === 'Property' && key === 'key' && !parent.computed) ||
                parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' ||
                parent.type === 'ContinueStatement');
            if(!skip && !known(node.name, scopes)) free.add(node.name);
            return;
        }
        for(const k of Object.keys(node)) {
            const child = node[k];
            if(Array.isArray(child)) child.forEach(function(c) { visit(c, node, k, scopes); });
            else if(child && typeof child.type === 'string') visit(child, node, k, scopes);
        }
    })(program, null, null, [declarations(program)]);
    return free;
}

// `d3.a` and `d3.a.b` as a program reads them (`reads`) and assigns them (`assigns`).
function d3Members(program) {
    const reads = new Set();
    const assigns = new Set();
    walk(program, function(node, parent, key) {
        if(node.type !== 'MemberExpression' || node.computed) return;
        let name;
        if(node.object.type === 'Identifier' && node.object.name === 'd3') {
            name = node.property.name;
        } else if(node.object.type === 'MemberExpression' && !node.object.computed &&
            node.object.object.type === 'Identifier' && node.object.object.name === 'd3') {
            name = node.object.property.name + '.' + node.property.name;
        } else return;
        const assigned = parent && parent.type === 'AssignmentExpression' && key === 'left';
        (assigned ? assigns : reads).add(name);
    });
    return {reads: reads, assigns: assigns};
}

function buildD3() {
    const shipped = fs.readFileSync(path.join(D3, 'd3.js'), 'utf8');
    const whole = smash(['d3']);
    if(shape(whole, 'd3 from src/d3.js') !== shape(shipped, '@plotly/d3/d3.js')) {
        throw new Error('d3: building @plotly/d3 from its sources does not give the d3.js it ships;' +
            ' its sources or build changed: check D3_PARTS again');
    }
    const ours = smash(D3_PARTS);
    const program = parse(ours, 'our d3');
    const browser = undeclared(parse(shipped, '@plotly/d3/d3.js'));
    const missing = [...undeclared(program)].filter(function(name) { return !browser.has(name); });
    if(missing.length) {
        throw new Error('d3: the parts in D3_PARTS use names they do not define: ' +
            missing.join(', '));
    }
    return {code: ours, members: d3Members(program), whole: d3Members(parse(shipped, 'd3.js'))};
}

// ----------------------------------------------------------------------------------- gl-mat4

// lib/matrix.js and lib/dom.js (CSS transforms of the page round a chart) take invert and
// multiply from gl-mat4; its index brings its 28 other functions (3D cameras) as well.
const GL_MAT4 = ['invert', 'multiply'];
const GL_MAT4_SHIM = 'module.exports = {' + GL_MAT4.map(function(f) {
    return f + ": require('gl-mat4/" + f + "')";
}).join(', ') + '};';

// ------------------------------------------------------------------------------------- icons

// The toolbar's icons: those of the buttons a 2D chart can show (ours show toImage and
// sendChartToCloud: their axes are fixed, select2d and lasso2d removed), and the question mark
// the toolbar draws for a button without an icon. The others (3D, maps, drawing, spikes, the
// logo, …) are that question mark.
const ICONS = ['camera', 'cloudupload', 'zoombox', 'pan', 'zoom_plus', 'zoom_minus', 'autoscale',
    'home', 'question'];

function iconsShim() {
    const all = require(path.join(PLOTLY, 'fonts', 'ploticon.js'));
    const kept = {};
    ICONS.forEach(function(name) {
        if(!all[name]) throw new Error('icons: plotly.js has no icon ' + name);
        kept[name] = all[name];
    });
    const others = Object.keys(all).filter(function(name) { return !(name in kept); });
    return "'use strict';\nvar icons = " + JSON.stringify(kept) + ';\n' +
        JSON.stringify(others) + '.forEach(function(name) { icons[name] = icons.question; });\n' +
        'module.exports = icons;\n';
}

// ------------------------------------------------------------------------------------- stubs

function unreachable(what) {
    return 'function() { throw new Error(' +
        JSON.stringify('plotly.js (IKD Progress bundle): ' + what + ' is not in this bundle') +
        '); }';
}

// Modules replaced, by their path under plotly.js/src, with what they are replaced by.
const STUBS = {
    // Required by the cartesian drag box (prepSelect on a select/lasso drag, selectOnClick with
    // clickmode "select") and by plot_api (clearOutline, which is the shapes' and kept whole).
    // The component itself is not registered (entry.js), so layout.selections is never drawn.
    'components/selections/index.js': [
        "'use strict';",
        "module.exports = {",
        "    clearOutline: require('../shapes/handle_outline').clearOutline,",
        '    prepSelect: ' + unreachable('box and lasso selection') + ',',
        '    selectOnClick: ' + unreachable('clickmode "select"') + ',',
        '    reselect: ' + unreachable('box and lasso selection') + ',',
        '    clearSelectionsCache: ' + unreachable('box and lasso selection') + ',',
        '    draw: ' + unreachable('layout.selections') + ',',
        '    drawOne: ' + unreachable('layout.selections') + '',
        '};'
    ].join('\n'),
    'fonts/ploticon.js': iconsShim(),
    // The handles round an active shape (an editable one that was clicked) or a selection.
    'components/shapes/display_outlines.js': [
        "'use strict';",
        'module.exports = ' + unreachable('editing shapes on a chart') + ';'
    ].join('\n')
};
// What the stubs (and the d3, culori, gl-mat4 and entry.js changes) leave out: none of it may
// be bundled.
const GONE = [
    /plotly\.js\/src\/components\/selections\/select\.js$/,
    /plotly\.js\/src\/components\/selections\/draw\.js$/,
    /plotly\.js\/src\/components\/selections\/draw_newselection\/newselections\.js$/,
    /plotly\.js\/src\/components\/shapes\/draw_newshape\/newshapes\.js$/,
    /plotly\.js\/src\/plot_api\/validate\.js$/,
    /plotly\.js\/src\/plot_api\/template_api\.js$/,
    /node_modules\/polybooljs\//,
    /node_modules\/point-in-polygon\//,
    /node_modules\/culori\/bundled\//,
    /node_modules\/@plotly\/d3\/d3\.js$/,
    /node_modules\/gl-mat4\/(index|lookAt|perspective|rotate)\.js$/
];

// ------------------------------------------------------------------------- culori and gl-mat4

const CULORI_SHIM = path.join(HERE, 'culori.mjs');

function shimExports() {
    const names = new Set();
    const code = fs.readFileSync(CULORI_SHIM, 'utf8');
    const m = /export\s*\{([^}]*)\}\s*from\s*'culori\/fn'/.exec(code);
    m[1].split(',').forEach(function(name) { if(name.trim()) names.add(name.trim()); });
    return names;
}

// The names a module takes from require(name): `const {a, b: c} = require(name)`, or
// `var m = require(name)` and then only `m.a`, `m.b`; null if it uses it any other way.
function namesTaken(file, name) {
    const program = parse(fs.readFileSync(file, 'utf8'), file);
    const names = new Set();
    const bound = new Set();
    let other = false;
    walk(program, function(node, parent) {
        if(node.type !== 'CallExpression' || node.callee.name !== 'require' ||
            !node.arguments[0] || node.arguments[0].value !== name) return;
        if(parent.type === 'VariableDeclarator' && parent.id.type === 'ObjectPattern') {
            parent.id.properties.forEach(function(p) {
                if(p.type !== 'Property' || p.computed) other = true;
                else names.add(p.key.name);
            });
        } else if(parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') {
            bound.add(parent.id.name);
        } else if(parent.type === 'MemberExpression' && !parent.computed) {
            names.add(parent.property.name);
        } else other = true;
    });
    walk(program, function(node, parent, key) {
        if(node.type !== 'Identifier' || !bound.has(node.name)) return;
        if(parent.type === 'VariableDeclarator' && key === 'id') return;
        if(parent.type === 'MemberExpression' && key === 'object' && !parent.computed) {
            names.add(parent.property.name);
        } else other = true;
    });
    return other ? null : names;
}

// A module put where plotly.js asks for `name`: it must give every name plotly.js takes.
function checkTaken(importers, name, offered) {
    for(const file of importers) {
        const names = namesTaken(file, name);
        const lacking = names ? [...names].filter(function(n) { return !offered.has(n); }) : null;
        if(!names || lacking.length) {
            throw new Error(file + ' takes ' + (names ? lacking.join(', ') : 'more than names') +
                ' from ' + name + ', which build.js replaces: add it there');
        }
    }
}

// ---------------------------------------------------------------------- attribute documentation

// The description of every attribute (and the valType docs' requiredOpts and otherOpts): text
// for the plot schema (Plotly.PlotSchema.get, for documentation), never read when drawing. As
// plotly.js's own dist builds do (its strip-meta-attributes esbuild plugin, with regular
// expressions); here on the syntax tree, and only where the value is text made of text: strings,
// `[…].join(' ')`, other descriptions, description helpers. 112 KB of the minified bundle.
const META = new Set(['description', 'requiredOpts', 'otherOpts']);
const TEXT_METHODS = new Set(['join', 'concat', 'replace', 'toLowerCase', 'toUpperCase', 'slice',
    'trim']);

function calleeName(callee) {
    if(callee.type === 'Identifier') return callee.name;
    if(callee.type === 'MemberExpression' && !callee.computed) return callee.property.name;
    return '';
}

// Text, made of text: what a description can be cut from without changing anything else.
function isText(node) {
    switch(node.type) {
        case 'Literal':
        case 'Identifier':
            return true;
        case 'TemplateLiteral':
            return node.expressions.every(isText);
        case 'ArrayExpression':
            return node.elements.every(function(e) { return e && isText(e); });
        case 'ObjectExpression':  // a helper's options: {supportOther: true}
            return node.properties.every(function(p) {
                return p.type === 'Property' && !p.computed && p.kind === 'init' && isText(p.value);
            });
        case 'BinaryExpression':
        case 'LogicalExpression':
            return isText(node.left) && isText(node.right);
        case 'ConditionalExpression':
            return isText(node.test) && isText(node.consequent) && isText(node.alternate);
        case 'MemberExpression':
            return isText(node.object) && (!node.computed || isText(node.property));
        case 'CallExpression': {
            const callee = node.callee;
            // a string or array method on text, or a description helper (descriptionWithDates,
            // describeVariables, (a ? descriptionOnlyNumbers : descriptionWithDates), …)
            const textMethod = callee.type === 'MemberExpression' && !callee.computed &&
                TEXT_METHODS.has(callee.property.name) && isText(callee.object);
            const helper = /descri/i.test(calleeName(callee)) && isText(callee) ||
                callee.type === 'ConditionalExpression' && isText(callee.test) &&
                [callee.consequent, callee.alternate].every(function(c) {
                    return c.type === 'Identifier' && /descri/i.test(c.name);
                });
            return (textMethod || helper) && node.arguments.every(isText);
        }
        default:
            return false;
    }
}

function stripMeta(source, file) {
    const program = parse(source, file);
    const cuts = [];
    walk(program, function(node) {
        if(node.type !== 'ObjectExpression') return;
        const all = node.properties;
        all.forEach(function(p, i) {
            if(p.type !== 'Property' || p.computed || p.kind !== 'init' || p.method ||
                p.shorthand) return;
            const name = p.key.type === 'Identifier' ? p.key.name : p.key.value;
            if(!META.has(name)) return;
            if(!isText(p.value)) return;  // (2 in plotly.js 4.1.1, kept)
            cuts.push(i < all.length - 1 ? [p.start, all[i + 1].start] :
                i > 0 ? [all[i - 1].end, p.end] : [p.start, p.end]);
        });
    });
    cuts.sort(function(a, b) { return a[0] - b[0]; });
    let out = '';
    let at = 0;
    for(const [from, to] of cuts) {
        if(from < at) continue;  // inside a description already cut
        out += source.slice(at, from);
        at = to;
    }
    return out + source.slice(at);
}

// ----------------------------------------------------------------------------------- notices

const NOTICES = path.join(path.dirname(OUT), 'THIRD-PARTY.txt');
// Inputs esbuild gets from our plugin rather than from a file: the package each one is made of
// (null: ours, whose own requires are inputs of their own).
const NAMESPACED = {'ikd-d3': D3, 'ikd-gl-mat4': null};
const LICENCE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;
const README = /^readme(\.(md|markdown|txt))?$/i;
const RULE = '='.repeat(80);

function read(file) {
    return fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '');
}

// The package directory an input of the metafile comes from, or null for our own files.
function packageDir(input) {
    const ns = /^([\w-]+):(.*)$/.exec(input);
    if(ns) {
        if(!(ns[1] in NAMESPACED)) throw new Error('notices: no package known for ' + input);
        return NAMESPACED[ns[1]];
    }
    const file = path.resolve(input);
    const parts = file.split(path.sep);
    const at = parts.lastIndexOf('node_modules');
    if(at < 0) {
        if(path.dirname(file) !== HERE) throw new Error('notices: no package known for ' + input);
        return null;  // entry.js, culori.mjs
    }
    const name = parts[at + 1].startsWith('@') ? 2 : 1;
    return parts.slice(0, at + 1 + name).join(path.sep);
}

function person(p) {
    if(!p) return '(none given)';
    if(typeof p === 'string') return p;
    return [p.name, p.email && '<' + p.email + '>', p.url && '(' + p.url + ')']
        .filter(Boolean).join(' ');
}

function licenceId(pkg) {
    const one = function(l) { return typeof l === 'string' ? l : l && l.type; };
    if(pkg.license) return one(pkg.license);
    if(Array.isArray(pkg.licenses)) return pkg.licenses.map(one).join(' OR ');
    return '(none given)';
}

// A README's "License" section (heading to the next heading as high), if it has one.
function readmeLicence(dir) {
    const readme = fs.readdirSync(dir).filter(function(f) { return README.test(f); }).sort()[0];
    if(!readme) return null;
    const lines = read(path.join(dir, readme)).split('\n');
    const start = lines.findIndex(function(l) { return /^#+\s*licen[cs]e\b/i.test(l); });
    if(start < 0) return null;
    const level = /^#+/.exec(lines[start])[0].length;
    let end = start + 1;
    while(end < lines.length && !(/^#+/.test(lines[end]) &&
        /^#+/.exec(lines[end])[0].length <= level)) end++;
    return {file: readme, text: lines.slice(start, end).join('\n').replace(/\s+$/, '')};
}

// The notices of every package with code in the bundle (esbuild's metafile: the inputs of the
// bundle with bytes in it; a CSS file plotly.js requires goes to plotly.css, which is not
// shipped, and leaves only an empty module in the bundle), by package name: its version, its
// licence (package.json) and its licence files, whole.
function notices(metafile) {
    const output = metafile.outputs[path.relative(process.cwd(), OUT).split(path.sep).join('/')];
    if(!output) throw new Error('notices: ' + OUT + ' not in the metafile');
    const dirs = new Set();
    for(const [input, what] of Object.entries(output.inputs)) {
        if(!what.bytesInOutput || /\.css$/.test(input)) continue;
        const dir = packageDir(input);
        if(dir) dirs.add(dir);
    }
    const packages = [...dirs].map(function(dir) {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
        return {dir: dir, pkg: pkg};
    }).sort(function(a, b) {
        const order = function(x, y) { return x < y ? -1 : x > y ? 1 : 0; };
        return order(a.pkg.name, b.pkg.name) || order(a.pkg.version, b.pkg.version);
    });
    const out = [
        'Third-party notices of plotly.min.js, the partial plotly.js bundle of IKD Progress: the ' +
            packages.length + ' npm',
        'packages whose code is in it, by name, each with its version, its licence (package.json)',
        'and its licence file, whole. plotly.js\'s own licence is also in plotly.LICENSE.txt.',
        'Written by `make plotly` (scripts/plotly-bundle/build.js, from esbuild\'s metafile).'
    ];
    for(const {dir, pkg} of packages) {
        out.push('', RULE, pkg.name + ' ' + pkg.version, 'licence: ' + licenceId(pkg));
        const files = fs.readdirSync(dir).filter(function(f) {
            return LICENCE_FILE.test(f) && fs.statSync(path.join(dir, f)).isFile();
        }).sort();
        if(files.length) {
            for(const file of files) {
                out.push(('-- ' + file + ' ').padEnd(80, '-'), '', read(path.join(dir, file)));
            }
            continue;
        }
        out.push('author: ' + person(pkg.author), 'no licence file in the package');
        const section = readmeLicence(dir);
        if(section) {
            out.push(('-- the licence section of its ' + section.file + ' ').padEnd(80, '-'), '',
                section.text);
        }
    }
    return out.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------ build

async function main() {
    const d3 = buildD3();
    const culoriImporters = new Set();
    const glMat4Importers = new Set();
    const d3Importers = new Set();

    const plugin = {
        name: 'ikd-partial',
        setup(build) {
            build.onResolve({filter: /^@plotly\/d3$/}, function(args) {
                d3Importers.add(args.importer);
                return {path: 'd3 (D3_PARTS)', namespace: 'ikd-d3'};
            });
            build.onLoad({filter: /.*/, namespace: 'ikd-d3'}, function() {
                return {contents: d3.code, loader: 'js', resolveDir: D3};
            });
            build.onResolve({filter: /^culori$/}, function(args) {
                culoriImporters.add(args.importer);
                return {path: CULORI_SHIM};
            });
            build.onResolve({filter: /^gl-mat4$/}, function(args) {
                glMat4Importers.add(args.importer);
                return {path: 'gl-mat4 (GL_MAT4)', namespace: 'ikd-gl-mat4'};
            });
            build.onLoad({filter: /.*/, namespace: 'ikd-gl-mat4'}, function() {
                return {contents: GL_MAT4_SHIM, loader: 'js', resolveDir: HERE};
            });
            build.onLoad({filter: /plotly\.js[\\/]src[\\/].*\.js$/}, function(args) {
                const rel = path.relative(PLOTLY, args.path).split(path.sep).join('/');
                const contents = rel in STUBS ? STUBS[rel] :
                    stripMeta(fs.readFileSync(args.path, 'utf8'), args.path);
                return {contents: contents, loader: 'js', resolveDir: path.dirname(args.path)};
            });
        }
    };

    fs.mkdirSync(path.dirname(OUT), {recursive: true});
    const result = await esbuild.build({
        entryPoints: [path.join(HERE, 'entry.js')],
        bundle: true,
        format: 'iife',
        globalName: 'Plotly',
        target: 'es2017',
        define: {global: 'window'},
        logLevel: 'error',
        outfile: OUT,
        metafile: true,
        plugins: [plugin]
    });
    fs.writeFileSync(OUT + '.meta.json', JSON.stringify(result.metafile));

    const inputs = Object.keys(result.metafile.inputs);
    const left = inputs.filter(function(file) {
        return GONE.some(function(re) { return re.test(file.split(path.sep).join('/')); });
    });
    if(left.length) throw new Error('still bundled, though stubbed out: ' + left.join(', '));
    for(const rel of Object.keys(STUBS)) {
        if(!inputs.some(function(file) { return file.endsWith('plotly.js/src/' + rel); })) {
            throw new Error('stub for ' + rel + ' not used: plotly.js changed, check STUBS');
        }
    }

    checkTaken(culoriImporters, 'culori', shimExports());
    checkTaken(glMat4Importers, 'gl-mat4', new Set(GL_MAT4));

    const reads = new Set(d3.members.reads);
    for(const file of d3Importers) {
        d3Members(parse(fs.readFileSync(file, 'utf8'), file)).reads.forEach(function(name) {
            reads.add(name);
        });
    }
    // (d3.event.target is the event's: only what the full d3 defines must be in ours)
    const undefinedD3 = [...reads].filter(function(name) {
        return d3.whole.assigns.has(name) && !d3.members.assigns.has(name);
    });
    if(undefinedD3.length) {
        throw new Error('d3.' + undefinedD3.join(', d3.') + ' read but not built: add to D3_PARTS');
    }

    fs.writeFileSync(NOTICES, notices(result.metafile));
}

main().catch(function(err) {
    console.error('build.js: ' + err.message);
    process.exit(1);
});
