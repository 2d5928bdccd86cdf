// A stack whose array keeps its room, for building arrays at their exact size (parser and resolver).

/**
 * A stack for the parts of the thing being made (a node's children, a value's alternatives): `take(mark)` gives
 * those above `mark` in an array of their exact size and cuts the stack back by its top (the array keeps its room;
 * an array shortened by `length` gives it back, and the next push allocates again).
 */
export class Stack<T> {
  private readonly items: T[] = [];
  top = 0;
  push(x: T): void {
    this.items[this.top++] = x;
  }
  at(i: number): T | undefined {
    return i < this.top ? this.items[i] : undefined;
  }
  take(mark: number): T[] {
    const out = this.items.slice(mark, this.top);
    this.top = mark;
    return out;
  }
}
