export interface CoturnOptions {
  readonly ip: string;
  readonly port: number;
  readonly minPort: number;
  readonly maxPort: number;
  readonly realm: string;
  readonly secret: string;
  readonly dir: string;
}
export function coturnArgs(o: CoturnOptions): string[];
