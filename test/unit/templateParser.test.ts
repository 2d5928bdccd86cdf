// The Go template reader, one grammar rule at a time: each case is a template and the tree it reads as (a compact
// printed form), or the error Go reports, with its line and column. Plus: every template of the real charts in
// test/fixtures/templates reads without error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node, Operand, Pipe } from '../../server/src/service/templates/ast';
import { lex } from '../../server/src/service/templates/lexer';
import { parseTemplate } from '../../server/src/service/templates/parser';

function op(o: Operand): string {
  switch (o.type) {
    case 'field':
      return `.${o.idents.join('.')}`;
    case 'variable':
      return [o.name, ...o.idents].join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(o.value);
    case 'number':
      return `#${o.text}`;
    case 'string':
      return JSON.stringify(o.value);
    case 'identifier':
      return o.name;
    case 'pipe':
      return `(${pipe(o.pipe)})`;
    case 'chain':
      return `${op(o.node)}.${o.idents.join('.')}`;
  }
}

function pipe(p: Pipe | undefined): string {
  if (!p) return '?';
  const decl = p.decl.length > 0 ? `${p.decl.map((d) => d.name).join(', ')} ${p.isAssign ? '=' : ':='} ` : '';
  return decl + p.cmds.map((c) => c.args.map(op).join(' ')).join(' | ');
}

function nodes(list: readonly Node[], text: string): string {
  return list
    .map((n): string => {
      switch (n.type) {
        case 'text':
          return `'${text.slice(n.pos, n.end)}'`;
        case 'comment':
          return 'comment';
        case 'action':
          return `{${pipe(n.pipe)}}`;
        case 'if':
        case 'with':
        case 'range':
          return `${n.type}(${pipe(n.pipe)})[${nodes(n.list, text)}]${n.elseList ? `else[${nodes(n.elseList, text)}]` : ''}`;
        case 'template':
          return `template(${JSON.stringify(n.name)}${n.pipe ? ` ${pipe(n.pipe)}` : ''})`;
        case 'break':
        case 'continue':
          return n.type;
      }
    })
    .join(' ');
}

/** The tree of a template that must read without error: its root, then `define name[...]` for each define. */
function checkTree(text: string, expected: string): void {
  const r = parseTemplate('t.yaml', text);
  assert.deepEqual(r.problems, [], `problems in ${JSON.stringify(text)}`);
  const defs = r.defines.map((d) => `define ${JSON.stringify(d.name)}[${nodes(d.list, text)}]`);
  assert.equal([nodes(r.root, text), ...defs].filter((s) => s !== '').join(' ; '), expected, text);
}

/** The first problem of a template: `line:column message`. */
function checkError(text: string, expected: string): void {
  const r = parseTemplate('t.yaml', text);
  const p = r.problems[0];
  assert.ok(p, `expected a problem in ${JSON.stringify(text)}`);
  assert.equal(`${p.line}:${p.column} ${p.message}`, expected, text);
}

test('actions, fields, variables, literals', () => {
  checkTree('a{{ .Values.x }}b', `'a' {.Values.x} 'b'`);
  checkTree('{{ $ }}{{ $.Values.a.b }}', '{$} {$.Values.a.b}');
  checkTree('{{ . }}', '{.}');
  checkTree(`{{ "s\\t" }}{{ \`raw
x\` }}{{ 'c' }}{{ 1.5e3 }}{{ -2 }}{{ 0x1F }}{{ true }}{{ nil }}`, '{"s\\t"} {"raw\\nx"} {#\'c\'} {#1.5e3} {#-2} {#0x1F} {true} {nil}');
  checkTree('{{ printf "%s-%d" .a 3 }}', '{printf "%s-%d" .a #3}');
});

test('pipelines and declarations', () => {
  checkTree('{{ .Values.x | default "a" | quote }}', '{.Values.x | default "a" | quote}');
  checkTree('{{ $x := .Values.a }}{{ $x.b }}', '{$x := .Values.a} {$x.b}');
  checkTree('{{ $x := 1 }}{{ $x = 2 }}', '{$x := #1} {$x = #2}');
  checkTree('{{- $x := 1 -}}\n{{ $x }}', `{$x := #1} '\n' {$x}`);
});

test('parenthesised pipelines and field chains on them', () => {
  checkTree('{{ (include "x" .) | nindent 2 }}', '{(include "x" .) | nindent #2}');
  checkTree('{{ (.Values.a).b.c }}', '{(.Values.a).b.c}');
  checkTree('{{ ((.Values.global).imageRegistry) }}', '{((.Values.global).imageRegistry)}');
  checkTree('{{ (index .Values "a").b }}', '{(index .Values "a").b}');
});

test('if / else if / else, with / else with, range with variables and else', () => {
  checkTree('{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}', `if(.a)['A']else[if(.b)['B']else['C']]`);
  checkTree('{{ with .a }}A{{ else with .b }}B{{ end }}', `with(.a)['A']else[with(.b)['B']]`);
  checkTree('{{ range $i, $v := .Values.list }}{{ $i }}{{ $v.x }}{{ else }}none{{ end }}', `range($i, $v := .Values.list)[{$i} {$v.x}]else['none']`);
  checkTree('{{ range .Values.list }}{{ .name }}{{ end }}', 'range(.Values.list)[{.name}]');
  checkTree('{{ range $v := .l }}{{ if $v }}{{ break }}{{ end }}{{ continue }}{{ end }}', 'range($v := .l)[if($v)[break] continue]');
});

test('define, template, block', () => {
  checkTree('{{ define "a.b" }}x{{ .c }}{{ end }}{{ template "a.b" . }}', `template("a.b" .) ; define "a.b"['x' {.c}]`);
  checkTree('{{ template "t" }}', 'template("t")');
  checkTree('{{ block "b" .Values }}body{{ end }}', `template("b" .Values) ; define "b"['body']`);
  checkTree('{{- define `raw` -}}{{ $ }}{{- end -}}', `define "raw"[{$}]`);
});

test('trim markers and comments', () => {
  checkTree('a  {{- .x -}}  b', `'a  ' {.x} '  b'`);
  checkTree('{{/* a comment */}}{{- /* trimmed */ -}}', 'comment comment');
  checkTree('{{-3}}', '{#-3}');
  // `{{- ` needs the space: `{{-x}}` is not a trim marker (and `-x` is no number).
  checkError('{{-x}}', '1:3 bad number syntax: "-x"');
});

test('lexer items', () => {
  const items = lex('{{- $x := .Values.a | quote -}}').map((i) => `${i.type}${i.trim ? '!' : ''}:${i.val}`);
  assert.deepEqual(items, ['leftDelim!:{{- ', 'variable:$x', 'space: ', 'declare::=', 'space: ', 'field:.Values', 'field:.a', 'space: ', 'pipe:|', 'space: ', 'identifier:quote', 'rightDelim!: -}}', 'eof:']);
});

test('errors carry line and column, and reading goes on after them', () => {
  checkError('a\n{{ .x', '2:1 unclosed action');
  checkError('{{ "abc }}', '1:4 unterminated quoted string');
  checkError('{{ `abc }}', '1:4 unterminated raw quoted string');
  checkError('{{ /* x */ }}', '1:4 unrecognized character in action: "/"');
  checkError('{{/* x */ y }}', '1:10 comment ends before closing delimiter');
  checkError('{{/* x', '1:1 unclosed comment');
  checkError('{{ if .a }}x', '1:1 unexpected EOF: {{if}} has no {{end}}');
  checkError('{{ end }}', '1:1 unexpected {{end}}');
  checkError('{{ $y }}', '1:4 undefined variable "$y"');
  checkError('{{ if .a }}{{ $v := 1 }}{{ end }}{{ $v }}', '1:37 undefined variable "$v"');
  checkError('{{ break }}', '1:4 {{break}} outside {{range}}');
  checkError('{{ (.a }}', '1:8 unclosed left paren');
  checkError('{{ .a) }}', '1:6 unexpected right paren');
  checkError('{{ }}', '1:4 missing value for command');
  checkError('{{ .a | "x" }}', '1:9 non executable command in pipeline stage 2');
  checkError('{{ template .x }}', '1:13 unexpected ".x" in template clause');
  checkError('{{ if .a }}{{ define "x" }}{{ end }}{{ end }}', '1:15 unexpected "define" in command: {{define}} is allowed only at the top level of a file');
  checkError('{{ range $a, $b, $c := .l }}{{ end }}', '1:16 too many declarations in range');
  checkError('{{ 3x }}', '1:4 bad number syntax: "3x"');
  checkError('{{ .a: }}', '1:6 expected :=');
  // After a broken action, the rest of the file is read.
  const r = parseTemplate('t.yaml', '{{ .a ) }}\n{{ .Values.ok }}\n{{ if .b }}{{ end }}');
  assert.equal(r.problems.length, 1);
  assert.equal(r.root.filter((n) => n.type !== 'text').length, 2);
});

test('every template of the real charts in test/fixtures/templates reads without error', () => {
  const root = path.join(__dirname, '../fixtures/templates');
  const failures: string[] = [];
  let files = 0;
  const walk = (dir: string, inTemplates: boolean): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, inTemplates || e.name === 'templates');
      else if (inTemplates) {
        files++;
        const r = parseTemplate(p, fs.readFileSync(p, 'utf8'));
        for (const pr of r.problems) failures.push(`${path.relative(root, p)}:${pr.line}:${pr.column} ${pr.message}`);
      }
    }
  };
  walk(root, false);
  assert.ok(files > 600, `only ${files} template files found`);
  assert.deepEqual(failures, []);
});
