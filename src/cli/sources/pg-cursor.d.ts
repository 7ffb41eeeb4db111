// pg-cursor ships no types; this declares the part jsondump uses.
declare module 'pg-cursor' {
  import type { CustomTypesConfig, Submittable } from 'pg';

  interface CursorConfig {
    types?: CustomTypesConfig;
  }

  class Cursor<Row = Record<string, unknown>> implements Submittable {
    constructor(text: string, values?: unknown[], config?: CursorConfig);
    submit: Submittable['submit'];
    read(rowCount: number): Promise<Row[]>;
    close(): Promise<void>;
  }

  export default Cursor;
}
