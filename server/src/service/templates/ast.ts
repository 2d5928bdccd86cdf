// The syntax tree of a Go template file (text/template/parse's node kinds, as plain read-only data).
// Every node has `pos`/`end`: offsets into the file's text.

export interface Span {
  readonly pos: number;
  readonly end: number;
}

export type Node = TextNode | CommentNode | ActionNode | IfNode | WithNode | RangeNode | TemplateNode | BreakNode | ContinueNode;

export interface TextNode extends Span {
  readonly type: 'text';
}
export interface CommentNode extends Span {
  readonly type: 'comment';
}
/** `{{pipeline}}`: prints the pipeline's value unless it declares variables. */
export interface ActionNode extends Span {
  readonly type: 'action';
  readonly pipe: Pipe;
}
/** `{{if pipe}} list {{else}} elseList {{end}}`; `{{else if …}}` is an IfNode alone in elseList. */
export interface IfNode extends Span {
  readonly type: 'if';
  readonly pipe: Pipe | undefined;
  readonly list: readonly Node[];
  readonly elseList: readonly Node[] | undefined;
}
export interface WithNode extends Span {
  readonly type: 'with';
  readonly pipe: Pipe | undefined;
  readonly list: readonly Node[];
  readonly elseList: readonly Node[] | undefined;
}
/** `{{range $i, $v := pipe}} list {{else}} elseList {{end}}` */
export interface RangeNode extends Span {
  readonly type: 'range';
  readonly pipe: Pipe | undefined;
  readonly list: readonly Node[];
  readonly elseList: readonly Node[] | undefined;
}
/** `{{template "name" pipe}}` (and the call half of `{{block}}`). */
export interface TemplateNode extends Span {
  readonly type: 'template';
  readonly name: string;
  readonly namePos: number;
  readonly pipe: Pipe | undefined;
}
export interface BreakNode extends Span {
  readonly type: 'break';
}
export interface ContinueNode extends Span {
  readonly type: 'continue';
}

export interface VariableDecl extends Span {
  readonly name: string;
}

/** `$x := cmd | cmd` */
export interface Pipe extends Span {
  readonly decl: readonly VariableDecl[];
  /** `=` rather than `:=`. */
  readonly isAssign: boolean;
  readonly cmds: readonly Command[];
}

/** One stage of a pipeline: a function or value and its arguments. */
export interface Command extends Span {
  readonly args: readonly Operand[];
}

export type Operand =
  | FieldNode
  | VariableNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | IdentifierNode
  | PipeNode
  | ChainNode;

/** `.a.b` */
export interface FieldNode extends Span {
  readonly type: 'field';
  readonly idents: readonly string[];
}
/** `$x.a.b` (name `$x`, or `$`) */
export interface VariableNode extends Span {
  readonly type: 'variable';
  readonly name: string;
  readonly idents: readonly string[];
}
export interface DotNode extends Span {
  readonly type: 'dot';
}
export interface NilNode extends Span {
  readonly type: 'nil';
}
export interface BoolNode extends Span {
  readonly type: 'bool';
  readonly value: boolean;
}
/** Numbers and character constants, as written. */
export interface NumberNode extends Span {
  readonly type: 'number';
  readonly text: string;
}
export interface StringNode extends Span {
  readonly type: 'string';
  /** The unquoted value. */
  readonly value: string;
}
/** A function name. */
export interface IdentifierNode extends Span {
  readonly type: 'identifier';
  readonly name: string;
}
/** `(pipeline)` */
export interface PipeNode extends Span {
  readonly type: 'pipe';
  readonly pipe: Pipe;
}
/** `(pipeline).a.b` or `fn.a`: fields of a term that is not a field or variable. */
export interface ChainNode extends Span {
  readonly type: 'chain';
  readonly node: Operand;
  readonly idents: readonly string[];
}

/** `{{define "name"}} … {{end}}` (or the definition half of `{{block}}`). */
export interface DefineNode extends Span {
  readonly name: string;
  readonly namePos: number;
  readonly list: readonly Node[];
}

export interface TemplateProblem {
  readonly message: string;
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
}

/** One template file, parsed. Immutable. */
export interface ParsedTemplate {
  readonly file: string;
  readonly text: string;
  /** The file's own content (outside defines). */
  readonly root: readonly Node[];
  readonly defines: readonly DefineNode[];
  readonly problems: readonly TemplateProblem[];
  /** Offsets where lines start (for line/column). */
  readonly lineStarts: readonly number[];
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset. */
export function positionAt(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
}
