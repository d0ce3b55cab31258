// The parts of blessed-contrib 4.11 that `baton dash` uses (the package ships no types).
declare module 'blessed-contrib' {
  import type { Widgets } from 'blessed';

  type WidgetFactory<W> = (options: Record<string, unknown>) => W;

  export class grid {
    constructor(options: { rows: number; cols: number; screen: Widgets.Screen; color?: string });
    set<W>(
      row: number,
      col: number,
      rowSpan: number,
      colSpan: number,
      factory: WidgetFactory<W>,
      options: Record<string, unknown>,
    ): W;
  }

  export namespace widget {
    interface Table extends Widgets.BoxElement {
      options: { columnWidth: number[] } & Record<string, unknown>;
      setData(table: { headers: string[]; data: string[][] }): void;
    }
    interface Sparkline extends Widgets.BoxElement {
      setData(titles: string[], datasets: number[][]): void;
    }
    interface Log extends Widgets.ListElement {
      log(line: string): void;
    }
  }

  export const table: WidgetFactory<widget.Table>;
  export const sparkline: WidgetFactory<widget.Sparkline>;
  export const log: WidgetFactory<widget.Log>;
}
